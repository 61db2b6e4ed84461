// PETRARCH XML: the validation records of the PETRARCH coders and their plain input files.
//
// Three shapes of file read the same way, one record at a time (large files stream):
//
//   validation records      <Validation>
//                             <Environment> <Verbfile>..</Verbfile> <Actorfile>..</Actorfile>
//                               <Agentfile/> <Discardfile/> <Config option=".." value=".."/>
//                             </Environment>
//                             <Sentences>
//                               <Config option="require_dyad" value="false"/>   (applies to the
//                                                                  records that follow it)
//                               <Sentence date="19950101" id="DEMO-01" category="DEMO">
//                                 <EventCoding sourcecode="ARN" targetcode="GON"
//                                              eventcode="064"/>      (or noevents="True",
//                                                                      or error="...")
//                                 <Text> ... </Text>  <Parse> ... </Parse>  (the parse is
//                                                                            ignored)
//                               </Sentence>
//                               <Stop/>        (records after it are not read)
//   PETRARCH input          <Sentences><Sentence date= id= source= sentence="True">
//                             <Text>..</Text></Sentence>...</Sentences>
//   UniversalPetrarch input <Articles><Article date= id= source=><Text>..</Text></Article>...
//
// Element and attribute names are matched as PETRARCH writes them; attribute values that are
// booleans ("True", "true", "FALSE") are read case-insensitively. Comments may appear
// anywhere. A <Sentence> or <Article> is a record wherever it appears, outside another record.
//
// Safety: the file is parsed by expat. A DOCTYPE with an internal subset, any entity
// declaration, external entities and references to undefined entities are refused, so only
// the five predefined entities and character references expand (no "billion laughs", no
// reading of other files). The size of a text, of one XML token (a tag with its attributes)
// and the element depth are bounded (PetrarchXmlLimits). Errors name the file and the line.
//
// Thread safety: a reader is used by one thread at a time; different readers are independent.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "dyad/status.h"

namespace dyad {

// A <Config option=".." value=".."> element.
struct PetrarchOption {
  std::string name;
  std::string value;
  uint32_t line = 0;
};

// One expected event: <EventCoding sourcecode= targetcode= eventcode=>. Codes are as written,
// with the quotes of invented actors ('"THE MINISTRY OF MAGIC"') kept.
struct PetrarchCoding {
  std::string source, target, code;
  uint32_t line = 0;
};

// The <Environment> block of a validation file. File names are as written (relative names
// are resolved by the caller).
struct PetrarchEnvironment {
  bool present = false;
  uint32_t line = 0;
  std::string verbs;                // <Verbfile>
  std::vector<std::string> actors;  // every <Actorfile> (each may list several, comma-separated)
  std::string agents;               // <Agentfile>
  std::string discards;             // <Discardfile>
  std::string issues;               // <Issuefile>
  std::vector<PetrarchOption> options;  // <Config> inside the environment
  // Other children (<Errorfile>, <Include>, <Pause>, ...), name and text, in file order.
  std::vector<std::pair<std::string, std::string>> other;
};

struct PetrarchRecord {
  enum class Kind { kSentence, kArticle };
  Kind kind = Kind::kSentence;
  uint32_t line = 0;       // the line of the record's start tag
  uint32_t text_line = 0;  // the line where <Text> starts (0 without one)

  std::string id;        // id=
  std::string date;      // date= normalised to YYYY-MM-DD; "" when absent or malformed
  std::string raw_date;  // date= as written
  std::string category;  // category= (validation records)
  std::string source;    // source= (the news source in PETRARCH input)
  std::vector<std::pair<std::string, std::string>> attributes;  // all of them, in file order

  // The <Text> content with leading and trailing white space removed. For a <Sentence>, which
  // PETRARCH codes as one sentence, the line breaks of a hard-wrapped text are joined into
  // single blanks; an <Article> keeps its line breaks (blank lines separate paragraphs).
  std::string text;

  // Expected events (validation records). has_coding: at least one <EventCoding> was given.
  bool has_coding = false;
  bool noevents = false;       // noevents="True": no event is expected
  std::string expected_error;  // error="storydiscard" etc.: PETRARCH rejects the sentence
  std::vector<PetrarchCoding> expected;

  // <Config> elements met since the previous record, in file order: apply them, then code
  // this record. They stay in force for the records that follow.
  std::vector<PetrarchOption> config;

  // Why the record cannot be coded ("no <Text>", "date 'x' is not YYYYMMDD", ...); empty when
  // it can. The reader still returns such records so that callers can report them.
  std::string problem;
};

struct PetrarchXmlLimits {
  size_t max_text_bytes = 8u << 20;   // one <Text> (or other element text we keep)
  size_t max_token_bytes = 4u << 20;  // one tag with its attributes, one comment, ...
  int max_depth = 64;                 // element nesting
  size_t chunk_bytes = 64u << 10;     // read size (records stream in chunks of this size)
};

class PetrarchXmlReader {
 public:
  // Reads `path` ("-" is stdin). An error only when the file cannot be opened.
  static Result<std::unique_ptr<PetrarchXmlReader>> Open(const std::string& path,
                                                         const PetrarchXmlLimits& limits = {});
  // Reads XML held in memory; `origin` names it in messages.
  static std::unique_ptr<PetrarchXmlReader> FromString(std::string data, std::string origin,
                                                       const PetrarchXmlLimits& limits = {});
  // Reads XML from `read`, which fills up to `cap` bytes of `buf` and returns how many (0 at
  // the end) or an error (then reading stops with that error, prefixed by `origin`).
  static std::unique_ptr<PetrarchXmlReader> FromStream(
      std::function<Result<size_t>(char* buf, size_t cap)> read, std::string origin,
      const PetrarchXmlLimits& limits = {});
  ~PetrarchXmlReader();
  PetrarchXmlReader(const PetrarchXmlReader&) = delete;
  PetrarchXmlReader& operator=(const PetrarchXmlReader&) = delete;

  // The next record; nullopt at the end of the file or at a <Stop> element. An error for
  // malformed or refused XML ("file:12: mismatched tag"); the reader then stays at the end.
  Result<std::optional<PetrarchRecord>> Next();

  // The <Environment>, complete once Next() has returned the first record (or the end): the
  // environment comes before the records.
  const PetrarchEnvironment& environment() const;
  // <Config> elements after the last record (they change nothing, but callers may report
  // them).
  const std::vector<PetrarchOption>& trailing_config() const;
  // True when reading ended at a <Stop> element; its line.
  bool stopped() const;
  uint32_t stop_line() const;
  const std::string& origin() const;

 private:
  struct Impl;
  explicit PetrarchXmlReader(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Reads a whole file's records (convenient for small files and tests).
struct PetrarchFile {
  PetrarchEnvironment environment;
  std::vector<PetrarchRecord> records;
  bool stopped = false;
};
Result<PetrarchFile> ReadPetrarchXml(std::string data, const std::string& origin,
                                     const PetrarchXmlLimits& limits = {});

// "19950101" or "1995-01-01" -> "1995-01-01"; "" when `date` is not a valid calendar date in
// one of those forms.
std::string NormalizePetrarchDate(std::string_view date);

// True for "true"/"True"/"TRUE"/"1"/"yes" (case-insensitive), false for everything else.
bool PetrarchTrue(std::string_view value);

}  // namespace dyad
