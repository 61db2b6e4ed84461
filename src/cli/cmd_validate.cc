// dyad validate: codes PETRARCH validation records with dyad's own pipeline and compares the
// events with the records' <EventCoding>.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <set>
#include <tuple>

#include "cli/coding.h"
#include "cli/command.h"
#include "dyad/coder.h"
#include "dyad/nlp.h"
#include "dyad/petrarch_xml.h"

namespace dyad::cli {
namespace {

namespace fs = std::filesystem;

// (source, target, code): what a validation record compares.
using EventKey = std::tuple<std::string, std::string, std::string>;

// Invented actors are written in quotes ('"THE GUILD"'); an absent actor is "---" in the
// records and "" in dyad's events.
std::string CanonActor(std::string_view a) {
  while (!a.empty() && a.front() == ' ') a.remove_prefix(1);
  while (!a.empty() && a.back() == ' ') a.remove_suffix(1);
  if (a.size() >= 2 && a.front() == '"' && a.back() == '"') a = a.substr(1, a.size() - 2);
  if (a.empty()) return "---";
  return std::string(a);
}

std::string KeyText(const EventKey& k) {
  return std::get<0>(k) + " " + std::get<1>(k) + " " + std::get<2>(k);
}

std::string SetText(const std::set<EventKey>& s) {
  if (s.empty()) return "no events";
  std::string out;
  for (const auto& k : s) out += (out.empty() ? "" : ", ") + KeyText(k);
  return out;
}

// --only: comma-separated ids; an id ending in '*' is a prefix.
bool Selected(const std::vector<std::string>& only, const std::string& id) {
  if (only.empty()) return true;
  for (const auto& o : only) {
    if (!o.empty() && o.back() == '*') {
      if (id.compare(0, o.size() - 1, o, 0, o.size() - 1) == 0) return true;
    } else if (o == id) {
      return true;
    }
  }
  return false;
}

std::vector<std::string> SplitCommas(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= s.size()) {
    size_t comma = s.find(',', start);
    if (comma == std::string::npos) comma = s.size();
    std::string item = s.substr(start, comma - start);
    while (!item.empty() && item.front() == ' ') item.erase(0, 1);
    while (!item.empty() && item.back() == ' ') item.pop_back();
    if (!item.empty()) out.push_back(item);
    start = comma + 1;
  }
  return out;
}

// A dictionary file named by <Environment>, looked up in `dirs` in order.
Result<std::string> Resolve(const std::string& name, const std::vector<fs::path>& dirs) {
  std::error_code ec;
  if (fs::path(name).is_absolute()) {
    if (fs::is_regular_file(name, ec)) return name;
    return Status::Error(name + ": no such file");
  }
  std::string tried;
  for (const auto& d : dirs) {
    fs::path p = d / name;
    if (fs::is_regular_file(p, ec)) return p.lexically_normal().string();
    tried += (tried.empty() ? "" : ", ") + d.string();
  }
  return Status::Error("dictionary " + name + " (named by the <Environment>) is not in " + tried +
                       "; use --dict DIR to say where the dictionaries are");
}

struct Tally {
  int records = 0, passed = 0;
};

void Indent(const std::string& text, const char* prefix) {
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::printf("%s%.*s\n", prefix, static_cast<int>(end - start), text.data() + start);
    start = end + 1;
  }
}

int RunValidate(const std::vector<std::string>& args) {
  std::string dict_arg, model = DefaultModelPath(), only_arg;
  bool verbose = false, quiet = false;
  ArgParser p(
      "dyad validate FILE.xml [options]",
      "Codes PETRARCH validation records (<Sentence> elements with <EventCoding>) with dyad's\n"
      "own segmenter, tagger, parser and coder (the <Parse> in the file is ignored) and\n"
      "compares the set of (source, target, code) each record produces with the set it\n"
      "expects (noevents=\"True\" and error=\"...\" expect none). Prints every failure, a table\n"
      "by category, and ends with the line `N passed, M failed`.\n"
      "\n"
      "Dictionaries: the files the <Environment> names, looked up in --dict DIR, or else in\n"
      "the XML file's directory and then its ../dictionaries/. --dict FILE (a compiled\n"
      ".dyadd or a PETR_config.ini) replaces the environment; a file without an environment\n"
      "uses --dict or the shipped dictionary. <Config option= value=> elements change the\n"
      "coder's options (require_dyad, new_actor_length, comma_*) for the records after them.\n"
      "\n"
      "Exit status: 0 when the records were coded, whatever the pass rate; 2 when the file,\n"
      "the dictionaries or the model cannot be read.");
  p.String("--dict", &dict_arg, "directory of the <Environment>'s dictionaries, or a dictionary");
  p.String("--model", &model, "model file (default: the shipped models/en-ewt.dyadm)");
  p.Bool("--verbose", &verbose, "print the coder's trace of each failure, and dictionary counts");
  p.Alias("-v", "--verbose");
  p.String("--only", &only_arg, "code only these record ids (comma-separated; 'DEMO-*' prefix)");
  p.Bool("--quiet", &quiet, "no timing line on stderr");
  int code = 0;
  if (!p.Parse(args, &code)) return code;
  if (p.positional().size() != 1)
    return UsageError("validate needs one FILE.xml (see `dyad validate --help`)");
  const std::string& path = p.positional()[0];
  auto t0 = std::chrono::steady_clock::now();

  // The records first: a malformed file is reported before anything slow happens.
  auto reader = PetrarchXmlReader::Open(path);
  if (!reader.ok()) return UsageError(reader.status().message());
  std::vector<PetrarchRecord> records;
  while (true) {
    auto r = (*reader)->Next();
    if (!r.ok()) return UsageError(r.status().message());
    if (!*r) break;
    records.push_back(std::move(**r));
  }
  const PetrarchEnvironment& env = (*reader)->environment();
  std::vector<std::string> only = SplitCommas(only_arg);

  // Dictionaries.
  std::error_code ec;
  Result<LoadedDictionary> dict = Status::Error("no dictionary");
  bool dict_is_file = !dict_arg.empty() && fs::is_regular_file(dict_arg, ec);
  if (dict_is_file || !env.present || env.verbs.empty()) {
    dict = LoadDictionaryArg(dict_arg);
  } else {
    std::vector<fs::path> dirs;
    if (!dict_arg.empty()) {
      if (!fs::is_directory(dict_arg, ec))
        return UsageError(dict_arg + ": no such file or directory");
      dirs.push_back(dict_arg);
    } else {
      fs::path dir = fs::path(path).parent_path();
      if (dir.empty()) dir = ".";
      dirs = {dir, dir / ".." / "dictionaries"};
    }
    dict::DictionaryFiles files;
    auto resolve = [&](const std::string& name, std::string* out) -> Status {
      if (name.empty()) return Status::Ok();
      auto r = Resolve(name, dirs);
      if (!r.ok()) return r.status();
      *out = *r;
      return Status::Ok();
    };
    Status st = resolve(env.verbs, &files.verbs);
    for (const auto& a : env.actors) {
      if (!st.ok()) break;
      files.actors.emplace_back();
      st = resolve(a, &files.actors.back());
    }
    if (st.ok()) st = resolve(env.agents, &files.agents);
    if (st.ok()) st = resolve(env.discards, &files.discards);
    if (st.ok()) st = resolve(env.issues, &files.issues);
    if (!st.ok()) return UsageError(path + ": " + st.message());
    dict = ImportDictionaries(files, "the <Environment> of " + path);
  }
  if (!dict.ok()) return UsageError(dict.status().message());
  PrintImportDiagnostics(*dict, verbose);

  auto pipeline = Pipeline::Load(model);
  if (!pipeline.ok()) return UsageError(pipeline.status().message());
  const Pipeline& nlp = **pipeline;

  coder::CoderOptions opts;
  std::set<std::string> unused_reported;
  auto apply = [&](const PetrarchOption& o) -> bool {
    bool used = true;
    Status st = ApplyPetrarchOption(o.name, o.value, &opts, &used);
    if (!st.ok()) {
      std::fprintf(stderr, "dyad: %s:%u: %s\n", path.c_str(), o.line, st.message().c_str());
      return false;
    }
    if (!used && verbose && unused_reported.insert(o.name).second)
      std::fprintf(stderr, "dyad: %s:%u: option %s does not change dyad's coding; ignored\n",
                   path.c_str(), o.line, o.name.c_str());
    return true;
  };
  for (const auto& o : env.options)
    if (!apply(o)) return kExitUsage;

  auto make_coder = [&]() -> Result<coder::Coder> {
    return coder::Coder::Create(dict->dict, opts);
  };
  auto coder = make_coder();
  if (!coder.ok()) return UsageError(coder.status().message());

  std::map<std::string, Tally> by_category;
  Tally total;
  for (const PetrarchRecord& rec : records) {
    if (!rec.config.empty()) {
      for (const auto& o : rec.config)
        if (!apply(o)) return kExitUsage;
      coder = make_coder();
      if (!coder.ok()) return UsageError(coder.status().message());
    }
    if (!Selected(only, rec.id)) continue;

    std::set<EventKey> expected, produced;
    for (const auto& c : rec.expected)
      expected.emplace(CanonActor(c.source), CanonActor(c.target), c.code);
    std::vector<Event> events;
    std::vector<coder::SentenceTrace> trace;
    if (rec.problem.empty()) {
      Document doc;
      doc.id = rec.id;
      doc.date = rec.date;
      doc.text = rec.text;
      nlp.AnnotateText(doc.text, &doc.sentences);
      events = coder->Code(doc, verbose ? &trace : nullptr);
      for (const auto& e : events)
        produced.emplace(CanonActor(e.source), CanonActor(e.target), e.code);
    }
    bool pass = rec.problem.empty() && produced == expected;
    std::string category = rec.category.empty() ? "(none)" : rec.category;
    Tally& t = by_category[category];
    ++t.records;
    ++total.records;
    if (pass) {
      ++t.passed;
      ++total.passed;
      continue;
    }
    std::printf("FAIL %s (%s, %s:%u)\n", rec.id.empty() ? "(no id)" : rec.id.c_str(),
                category.c_str(), path.c_str(), rec.line);
    std::printf("  text:     %s\n", rec.text.c_str());
    if (!rec.problem.empty()) {
      std::printf("  cannot code: %s\n\n", rec.problem.c_str());
      continue;
    }
    std::string exp = SetText(expected);
    if (!rec.expected_error.empty()) exp += " (PETRARCH rejects it: " + rec.expected_error + ")";
    std::printf("  expected: %s\n", exp.c_str());
    std::printf("  produced: %s\n", SetText(produced).c_str());
    if (verbose) {
      for (const auto& e : events)
        std::printf("  event:    %s %s %s  verb \"%s\"  pattern %s %s\n",
                    CanonActor(e.source).c_str(), CanonActor(e.target).c_str(), e.code.c_str(),
                    e.verb_text.c_str(), e.pattern_where.c_str(), e.pattern.c_str());
      for (const auto& tr : trace) Indent(tr.text, "  | ");
    }
    std::printf("\n");
  }

  std::printf("%-12s %7s %7s %7s %7s\n", "category", "records", "passed", "failed", "pass");
  auto row = [](const std::string& name, const Tally& t) {
    std::printf("%-12s %7d %7d %7d %6.1f%%\n", name.c_str(), t.records, t.passed,
                t.records - t.passed, t.records ? 100.0 * t.passed / t.records : 0.0);
  };
  for (const auto& [name, t] : by_category) row(name, t);
  row("all", total);
  if ((*reader)->stopped() && !quiet)
    std::fprintf(stderr, "dyad: %s:%u: <Stop>: the records after it were not read\n", path.c_str(),
                 (*reader)->stop_line());
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (!quiet)
    std::fprintf(stderr, "dyad validate: %d records in %.2f s (dictionary: %s)\n", total.records,
                 secs, dict->description.c_str());
  std::printf("%d passed, %d failed\n", total.passed, total.records - total.passed);
  return kExitOk;
}

}  // namespace

DYAD_COMMAND(validate, "validate",
             "code PETRARCH validation records and compare with their expected events",
             RunValidate);

}  // namespace dyad::cli
