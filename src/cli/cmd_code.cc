// dyad code: documents -> CAMEO events.
#include <signal.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <memory>

#include "cli/checkpoint.h"
#include "cli/coding.h"
#include "cli/command.h"
#include "cli/progress.h"
#include "dyad/coder.h"
#include "dyad/event_writer.h"
#include "dyad/json.h"
#include "dyad/nlp.h"
#include "dyad/petrarch_xml.h"
#include "dyad/pipeline.h"
#include "dyad/reader.h"
#include "dyad/store.h"
#include "dyad/version.h"
#include "util/binary.h"

namespace dyad::cli {
namespace {

namespace fs = std::filesystem;

// A document's date as YYYY-MM-DD: "2026-03-03", "20260303", or an ISO date-time
// ("2026-03-03T10:00:00Z"); "" when it is none of these.
std::string DocDate(std::string_view d) {
  if (d.size() > 10 && (d[10] == 'T' || d[10] == ' ')) d = d.substr(0, 10);
  return NormalizePetrarchDate(d);
}

// The --explain view of one document: a header, then the coder's trace of each sentence (its
// parse, the actors found, each verb with the pattern that fired or why none did, the events).
void Explain(const Document& doc, const std::string& origin,
             const std::vector<coder::SentenceTrace>& trace, std::string* out) {
  *out += "=== document " + doc.id + "  (" + origin + ")  date " +
          (doc.date.empty() ? std::string("none") : doc.date) + "  " +
          std::to_string(doc.sentences.size()) + " sentence(s)\n";
  for (const auto& t : trace) {
    *out += t.text;
    if (!t.text.empty() && t.text.back() != '\n') *out += '\n';
  }
  *out += "\n";
}

std::atomic<bool> g_stop{false};

extern "C" void OnInterrupt(int) { g_stop.store(true); }

int RunCode(const std::vector<std::string>& args) {
  std::string input, date_arg, format_name = "jsonl", dict_arg, model = DefaultModelPath();
  std::string output, rejects_path;
  int threads = 1, max_words = 250, max_doc_kb = 1024;
  bool explain = false, quiet = false, parse_all = false, resume = false, no_geo = false;
  std::string gazetteer_path;
  ArgParser p(
      "dyad code [options] [FILE...]",
      "Codes news into CAMEO events: who did what to whom, and when. Reads the files given,\n"
      "or stdin; splits, tags and parses the text, finds the actors and the verb patterns of\n"
      "the dictionaries, and writes one event per line.\n"
      "\n"
      "Input (--input, default by extension under any .gz/.zst suffix; compressed files\n"
      "are recognised by their first bytes): text (a file is a document; big files are cut\n"
      "at blank lines into documents of about 64 KB; a directory is read file by file),\n"
      "jsonl (.jsonl/.json: one JSON object a line with \"text\" and optionally \"id\",\n"
      "\"date\" (2026-03-03, 20260303, \"March 3, 2026\", RFC 2822, ...), \"title\",\n"
      "\"source\", \"url\"; other fields are carried through), petrarch-xml (.xml: PETRARCH\n"
      "<Sentence> or UniversalPetrarch <Article> records), html (.html/.htm: the article body\n"
      "of a saved web page), conllu (.conllu: pre-parsed sentences, not parsed again).\n"
      "\"-\" or no FILE is stdin.\n"
      "\n"
      "Output (--format): jsonl (default), one JSON object per event and per line, with\n"
      "doc_id, sentence (0-based index in the document), date, source, target (\"\" when\n"
      "absent), code, root, quad_class, goldstein, issues, source_text, target_text,\n"
      "verb_text, source_span/target_span/verb_span ([begin, end) byte offsets into the\n"
      "document's text, or null), pattern, pattern_where, text (the sentence), and model and\n"
      "dict: the fingerprints of the parser model and of the dictionaries, and location\n"
      "({name, admin1, country, lat, lon, geonames_id, how} or null). tsv: the same fields\n"
      "as columns; phoenix: the 26 columns of the Phoenix data set; gdelt: the 61 columns of\n"
      "the GDELT 2.0 event table (what dyad knows; the rest empty). These start with a line\n"
      "\"# dyad <version> <format> model <fingerprint> dict <fingerprint>\" and a line of\n"
      "column names; tabs and line breaks inside fields become blanks. plover: one\n"
      "PLOVER/POLECAT-style JSON object per event (event type and mode from CAMEO).\n"
      "\n"
      "Places: each event gets the place where it happened (the object of in/at/near... in\n"
      "its sentence, else the dateline, else another place named, else its actor's country),\n"
      "from the GeoNames-based gazetteer in data/geo/ (--no-geo: none).\n"
      "\n"
      "Only the sentences that can hold an event are parsed: a pre-pass over the tagged words\n"
      "finds those with a dictionary verb and an actor (or a pronoun that may stand for one).\n"
      "The events are the same with --parse-all, which parses every sentence.\n"
      "\n"
      "--explain writes, for each sentence, the coder's trace (its parse, the actors found,\n"
      "each verb with the pattern that fired or why none did, the events) to stdout instead\n"
      "of the events; with -o FILE the events still go to FILE.\n"
      "\n"
      "Long runs show a progress line on a terminal. Ctrl-C stops after the documents in\n"
      "flight; with -o FILE, `--resume` then continues where the run stopped (also after a\n"
      "crash), without writing anything twice.\n"
      "\n"
      "The output is the same, byte for byte, whatever --threads is. A summary goes to stderr.\n"
      "Exit status: 0 ok; 1 some input records (or sentences) were rejected (each is reported\n"
      "on stderr, or in --rejects FILE as JSON lines {\"origin\", \"error\"}); 2 usage or\n"
      "configuration error; 130 interrupted.");
  p.String("--input", &input,
           "text, jsonl, petrarch-xml, html or conllu (default: by file extension)");
  p.String("--date", &date_arg, "YYYY-MM-DD: the date of documents that carry none");
  p.String("--format", &format_name, "jsonl, tsv, phoenix, plover or gdelt (default jsonl)");
  p.String("--dict", &dict_arg,
           ".dyadd file, dictionary directory or PETR_config.ini (default: shipped)");
  p.String("--model", &model, "model file (default: the shipped models/en-ewt.dyadm)");
  p.Int("--threads", &threads, "worker threads (output is identical for any number)");
  p.Bool("--explain", &explain, "explain each sentence on stdout (see above)");
  p.String("--output", &output, "write the events here instead of stdout");
  p.Alias("-o", "--output");
  p.String("--rejects", &rejects_path, "write rejected records here (JSON lines)");
  p.String("--gazetteer", &gazetteer_path,
           "places for geolocation (default: the shipped data/geo/gazetteer.dyadg)");
  p.Bool("--no-geo", &no_geo, "do not geolocate events (location stays null)");
  p.Bool("--parse-all", &parse_all, "parse every sentence (no pre-pass; same events, slower)");
  p.Int("--max-doc-kb", &max_doc_kb, "longer documents are rejected (default 1024 KB)");
  p.Int("--max-sentence-words", &max_words,
        "longer sentences are reported and not coded (default 250)");
  p.Bool("--resume", &resume, "continue an interrupted run that wrote to -o FILE");
  p.Bool("--quiet", &quiet, "no progress line and no summary on stderr");
  std::string store_url;
  p.String("--store", &store_url,
           "also store documents and events in this database (sqlite:PATH or postgresql://...;"
           " see dyad query); without -o, nothing goes to stdout");
  int code = 0;
  if (!p.Parse(args, &code)) return code;
  if (!input.empty() && input != "text" && input != "jsonl" && input != "petrarch-xml" &&
      input != "html" && input != "conllu")
    return UsageError("--input must be text, jsonl, petrarch-xml, html or conllu, not '" + input +
                      "'");
  if (max_doc_kb < 1) return UsageError("--max-doc-kb must be at least 1");
  auto format = ParseEventFormat(format_name);
  if (!format.ok()) return UsageError("--format: " + format.status().message());
  if (threads < 1 || threads > 256) return UsageError("--threads must be between 1 and 256");
  if (max_words < 1) return UsageError("--max-sentence-words must be at least 1");
  std::string default_date;
  if (!date_arg.empty()) {
    default_date = DocDate(date_arg);
    if (default_date.empty())
      return UsageError("--date must be a date written YYYY-MM-DD, not '" + date_arg + "'");
  }
  std::error_code ec;
  for (const auto& f : p.positional()) {
    if (f == "-") continue;
    if (!fs::exists(f, ec)) return UsageError(f + ": no such file or directory");
  }
  if (resume && output.empty())
    return UsageError("--resume needs -o FILE: the output of the run to continue");

  // --resume: where the previous run stopped. The identity covers what shapes the output,
  // so a changed input or option is refused rather than spliced into the old output.
  std::string identity = RunIdentity(
      p.positional(), input + "|" + date_arg + "|" + format_name + "|" + dict_arg + "|" + model +
                          "|" + std::to_string(max_words) + "|" + rejects_path);
  std::string checkpoint_path = output.empty() ? "" : Checkpoint::PathFor(output);
  std::optional<Checkpoint> resume_from;
  if (resume) {
    auto c = Checkpoint::Read(checkpoint_path);
    if (!c.ok()) return UsageError(c.status().message());
    if (!*c) {
      if (fs::exists(output, ec)) {
        if (!quiet)
          std::fprintf(stderr, "dyad code: %s is complete (no %s): nothing to resume\n",
                       output.c_str(), checkpoint_path.c_str());
        return kExitOk;
      }
    } else if ((*c)->identity != identity) {
      return UsageError(checkpoint_path +
                        ": the run it records had other input files or options; run it with "
                        "the same ones, or delete it to start afresh");
    } else {
      resume_from = **c;
    }
  }

  auto t0 = std::chrono::steady_clock::now();
  auto pipeline = Pipeline::Load(model);
  if (!pipeline.ok()) return UsageError(pipeline.status().message());
  const Pipeline& nlp = **pipeline;
  auto dict = LoadDictionaryArg(dict_arg);
  if (!dict.ok()) return UsageError(dict.status().message());
  PrintImportDiagnostics(*dict, false);
  coder::CoderOptions opts;
  if (!default_date.empty())
    opts.default_date =
        default_date.substr(0, 4) + default_date.substr(5, 2) + default_date.substr(8, 2);
  std::shared_ptr<const geo::Gazetteer> gazetteer;
  std::unique_ptr<geo::Locator> locator;
  if (!no_geo) {
    std::string path = gazetteer_path.empty()
                           ? (fs::path(DataRoot()) / std::string(geo::kDefaultGazetteerFile)).string()
                           : gazetteer_path;
    auto g = geo::Gazetteer::Load(path);
    if (!g.ok()) return UsageError(g.status().message() + " (--no-geo codes without places)");
    gazetteer = *g;
    locator = std::make_unique<geo::Locator>(*gazetteer);
  }
  auto made = coder::Coder::Create(dict->dict, opts);
  if (!made.ok()) return UsageError(made.status().message());
  const coder::Coder& coder = *made;
  EventWriter writer(*format, {DYAD_VERSION, HexFingerprint(nlp.fingerprint()),
                               HexFingerprint(dict->dict->fingerprint())});

  // Where things go. A resumed run appends to outputs cut back to the checkpoint.
  auto open_out = [&](const std::string& path, uint64_t keep) -> FILE* {
    if (!resume_from) return std::fopen(path.c_str(), "wb");
    if (!fs::exists(path, ec) || fs::file_size(path, ec) < keep) return nullptr;
    fs::resize_file(path, keep, ec);
    if (ec) return nullptr;
    return std::fopen(path.c_str(), "ab");
  };
  FILE* events_out = nullptr;  // null: events are not written (--explain without -o)
  if (!output.empty()) {
    events_out = open_out(output, resume_from ? resume_from->output_bytes : 0);
    if (!events_out)
      return UsageError(output + (resume_from ? ": missing or shorter than its checkpoint says"
                                              : ": cannot create"));
  } else if (!explain && store_url.empty()) {
    events_out = stdout;
  }
  FILE* rejects = nullptr;
  if (!rejects_path.empty()) {
    rejects = open_out(rejects_path, resume_from ? resume_from->rejects_bytes : 0);
    if (!rejects)
      return UsageError(rejects_path + (resume_from
                                            ? ": missing or shorter than its checkpoint says"
                                            : ": cannot create"));
  }
  if (events_out && !resume_from) {
    std::string header = writer.Header();
    std::fwrite(header.data(), 1, header.size(), events_out);
  }
  // --store: documents and events go to the database in batches, one transaction each;
  // coding the same documents again replaces them (no duplicates).
  std::unique_ptr<store::Store> event_store;
  std::unique_ptr<store::Writer> store_writer;
  Status store_status;
  if (!store_url.empty()) {
    auto s = store::Store::Open(store_url);
    if (!s.ok()) return UsageError("--store: " + s.status().message());
    event_store = std::move(*s);
    std::string command = "dyad code";
    for (const auto& a : args) command += " " + a;
    auto w = store::Writer::Begin(event_store.get(),
                                  {DYAD_VERSION, HexFingerprint(nlp.fingerprint()),
                                   HexFingerprint(dict->dict->fingerprint()), command});
    if (!w.ok()) return UsageError("--store: " + w.status().message());
    store_writer = std::move(*w);
  }
  auto t_loaded = std::chrono::steady_clock::now();

  // The checkpoint follows the outputs: flushed first, so the sizes it records are on disk.
  Checkpoint cp;
  if (resume_from) cp = *resume_from;
  cp.identity = identity;
  uint64_t out_bytes = cp.output_bytes, rej_bytes = cp.rejects_bytes;
  if (events_out && !resume_from) out_bytes = static_cast<uint64_t>(std::ftell(events_out));
  auto save_checkpoint = [&] {
    if (checkpoint_path.empty()) return;
    if (events_out) std::fflush(events_out);
    if (rejects) std::fflush(rejects);
    cp.output_bytes = out_bytes;
    cp.rejects_bytes = rej_bytes;
    Status st = cp.Write(checkpoint_path);
    if (!st.ok()) std::fprintf(stderr, "dyad: %s\n", st.message().c_str());
  };
  save_checkpoint();

  ReaderOptions ropt;
  ropt.format = input;
  ropt.default_date = default_date;
  ropt.max_document_bytes = static_cast<size_t>(max_doc_kb) * 1024;
  DocumentReader inputs(p.positional(), ropt);
  uint64_t skipped_records = 0;
  if (resume_from) {
    for (; skipped_records < resume_from->records; ++skipped_records)
      if (!inputs.Next()) break;
  }
  bool ignored_config = false;

  pipeline::Options popt;
  popt.parse_all = parse_all;
  popt.max_sentence_words = static_cast<size_t>(max_words);
  popt.trace = explain;
  popt.locator = locator.get();
  pipeline::Runner runner(nlp, coder, popt);

  g_stop.store(false);
  struct sigaction sa {};
  sa.sa_handler = OnInterrupt;
  sa.sa_flags = static_cast<int>(SA_RESETHAND);  // a second Ctrl-C kills at once
  sigemptyset(&sa.sa_mask);
  struct sigaction old_int {
  }, old_term{};
  sigaction(SIGINT, &sa, &old_int);
  sigaction(SIGTERM, &sa, &old_term);

  Progress progress(!quiet, resume_from ? 0 : DocumentReader::InputBytes(p.positional()));
  size_t docs = 0, sentences = 0, parsed = 0, n_events = 0, rejected = 0, bad_sentences = 0;
  auto last_save = std::chrono::steady_clock::now();
  auto report = [&](const std::string& origin, const std::string& why) {
    if (rejects) {
      std::string line = "{\"origin\":";
      AppendJsonString(origin, &line);
      line += ",\"error\":";
      AppendJsonString(why, &line);
      line += "}\n";
      std::fwrite(line.data(), 1, line.size(), rejects);
      rej_bytes += line.size();
    } else {
      progress.Finish();
      std::fprintf(stderr, "dyad: %s: rejected: %s\n", origin.c_str(), why.c_str());
    }
  };
  pipeline::Runner::Hooks hooks;
  hooks.next = [&]() -> std::optional<pipeline::Input> {
    auto r = inputs.Next();
    if (!r) return std::nullopt;
    ignored_config |= r->petrarch_config;
    pipeline::Input in;
    in.doc = std::move(r->doc);
    in.origin = std::move(r->origin);
    in.reject = std::move(r->reject);
    in.pretokenized = r->pretokenized;
    in.preparsed = r->preparsed;
    return in;
  };
  hooks.finish = [&](pipeline::Output& o) {
    if (!o.reject.empty()) return;
    if (events_out) writer.AppendDocument(o.events, &o.text, &o.doc);
    if (explain) Explain(o.doc, o.origin, o.trace, &o.extra);
    if (store_writer) {  // the store keeps the sentences' text, nothing more
      for (auto& sentence : o.doc.sentences) sentence.tokens = {}, sentence.words = {};
      return;
    }
    o.doc.sentences.clear();  // not needed any more: keep the reorder window small
    o.doc.sentences.shrink_to_fit();
  };
  hooks.consume = [&](pipeline::Output& o) {
    ++cp.records;
    if (!o.reject.empty()) {
      ++rejected;
      report(o.origin, o.reject);
    } else {
      ++docs;
      sentences += o.sentences;
      parsed += o.parsed;
      n_events += o.events.size();
      for (const auto& problem : o.problems) {
        ++bad_sentences;
        report(o.origin, problem);
      }
      if (events_out) {
        std::fwrite(o.text.data(), 1, o.text.size(), events_out);
        out_bytes += o.text.size();
      }
      if (explain) std::fwrite(o.extra.data(), 1, o.extra.size(), stdout);
      if (store_writer && store_status.ok()) {
        store_status = store_writer->Add(o.doc, o.events);
        if (!store_status.ok()) g_stop.store(true);
      }
    }
    progress.Update(cp.records - skipped_records, sentences, inputs.bytes_read());
    auto now = std::chrono::steady_clock::now();
    if (now - last_save > std::chrono::seconds(1)) {
      save_checkpoint();
      last_save = now;
    }
  };
  runner.Run(threads, hooks, &g_stop);
  progress.Finish();
  sigaction(SIGINT, &old_int, nullptr);
  sigaction(SIGTERM, &old_term, nullptr);
  bool interrupted = g_stop.load() && store_status.ok();
  if (store_writer) {
    if (store_status.ok()) store_status = interrupted ? store_writer->Flush() : store_writer->Finish();
    if (!store_status.ok()) return UsageError("--store: " + store_status.message());
  }

  bool write_failed = false;
  if (events_out) write_failed |= std::fflush(events_out) != 0 || std::ferror(events_out);
  if (rejects) write_failed |= std::fflush(rejects) != 0 || std::ferror(rejects);
  if (!write_failed && interrupted) save_checkpoint();
  if (events_out && events_out != stdout) write_failed |= std::fclose(events_out) != 0;
  if (rejects) write_failed |= std::fclose(rejects) != 0;
  if (write_failed) return UsageError("writing the output failed (disk full?)");
  if (!interrupted && !checkpoint_path.empty()) fs::remove(checkpoint_path, ec);

  auto t1 = std::chrono::steady_clock::now();
  double load = std::chrono::duration<double>(t_loaded - t0).count();
  double run = std::chrono::duration<double>(t1 - t_loaded).count();
  if (ignored_config && !quiet)
    std::fprintf(stderr,
                 "dyad: <Config> elements in the input were ignored (dyad validate "
                 "applies them)\n");
  if (!quiet) {
    std::string extra;
    if (resume_from) extra += ", resumed after " + std::to_string(skipped_records) + " records";
    if (bad_sentences) extra += ", " + std::to_string(bad_sentences) + " sentences not coded";
    std::fprintf(stderr,
                 "dyad code: %zu documents, %zu sentences (%zu parsed), %zu events, %zu "
                 "rejected%s in %.2f s (%.0f sentences/s, %d thread%s; loading %.2f s)\n",
                 docs, sentences, parsed, n_events, rejected, extra.c_str(), run,
                 run > 0 ? sentences / run : 0.0, threads, threads == 1 ? "" : "s", load);
  }
  if (interrupted) {
    std::fprintf(stderr, "dyad code: interrupted after %llu records%s\n",
                 static_cast<unsigned long long>(cp.records),
                 checkpoint_path.empty() ? "" : "; run the same command with --resume to continue");
    return 130;
  }
  return rejected || bad_sentences ? kExitRejected : kExitOk;
}

}  // namespace

DYAD_COMMAND(code, "code", "code news into CAMEO events (JSONL, TSV or Phoenix columns)", RunCode);

}  // namespace dyad::cli
