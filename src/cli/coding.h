// What `dyad code` and `dyad validate` share: finding and loading the event-coding
// dictionaries named on the command line, and PETRARCH's configuration options.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "dyad/coder.h"
#include "dyad/dict.h"
#include "dyad/nlp.h"
#include "dyad/reader.h"
#include "dyad/status.h"

namespace dyad::cli {

// The shipped compiled dictionary: <data root>/data/dict/phoenix.dyadd.
std::string DefaultDictPath();

struct LoadedDictionary {
  std::shared_ptr<const dict::Dictionary> dict;
  std::string description;    // "data/dict/phoenix.dyadd" or "12 files in DIR"
  dict::ImportReport report;  // for dictionaries read from text files
  bool imported = false;      // read from PETRARCH-2 text files, not a compiled file
};

// `--dict` as `dyad code` reads it: "" is the shipped compiled dictionary; a file that starts
// with the .dyadd magic is a compiled dictionary; another file is a PETRARCH configuration
// (PETR_config.ini) whose [Dictionaries] section names the files; a directory holds
// PETR_config.ini or the Phoenix/CAMEO set itself. Errors say what was tried.
Result<LoadedDictionary> LoadDictionaryArg(const std::string& arg);

// Imports PETRARCH-2 text dictionaries.
Result<LoadedDictionary> ImportDictionaries(const dict::DictionaryFiles& files,
                                            std::string description);

// Prints the import report to stderr: with `all`, every skipped line and the per-file summary
// (warnings are counted there; `dyad dict import --warnings` lists them); otherwise only a
// count of skipped lines, and nothing when there are none.
void PrintImportDiagnostics(const LoadedDictionary& d, bool all);

// Tags and parses every sentence of a record the readers returned: from its text, or from
// its CoNLL-U words (kept as they are when they came tagged and parsed). For the tools that
// need every sentence parsed (dict diff, actors suggest); `dyad code` parses only what the
// pre-pass keeps (dyad/pipeline.h).
void AnnotateRecord(const Pipeline& nlp, ReaderRecord* record);

// Applies one PETRARCH option (<Config option= value=> or PETR_config.ini) to `opts`.
// Returns an error for a malformed value; sets *used to false for an option that does not
// change coding (stop_on_error, write_actor_text, ...) or that dyad does not know.
Status ApplyPetrarchOption(std::string_view name, std::string_view value, coder::CoderOptions* opts,
                           bool* used);

}  // namespace dyad::cli
