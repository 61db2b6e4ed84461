// `dyad dict import|stats`: compiles PETRARCH-2 dictionaries into dyad's .dyadd format and
// describes a compiled dictionary.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>

#include "cli/command.h"
#include "dyad/dict.h"
#include "util/binary.h"

namespace dyad::cli {

int RunDictDiff(const std::vector<std::string>& args);  // cmd_dict_diff.cc
namespace {

namespace fs = std::filesystem;

constexpr const char* kDictUsage =
    "usage: dyad dict <command> [options]\n"
    "\n"
    "Event-coding dictionaries (verbs and patterns, actors, agents, discards, issues).\n"
    "\n"
    "commands:\n"
    "  import DIR|CONFIG -o FILE   compile PETRARCH-2 dictionaries into a .dyadd file\n"
    "  stats [FILE]                describe a compiled dictionary (default: the shipped one)\n"
    "  lookup WORD...              what the dictionary knows about a word or phrase\n"
    "  diff OLD NEW                entries, validation records and corpus events that change\n"
    "\n"
    "Run `dyad dict <command> --help` for the options of each.\n";

std::string DefaultDictPath() {
  return (fs::path(DataRoot()) / std::string(dict::kDefaultDictionaryFile)).string();
}

// An override such as --verbs PETR.Validate.verbs.txt: a path as given if it exists, else a
// name in the dictionary directory.
std::string InDir(const std::string& name, const std::string& dir) {
  std::error_code ec;
  if (fs::exists(name, ec) || dir.empty()) return name;
  return (fs::path(dir) / name).string();
}

std::vector<std::string> SplitList(const std::string& s) {
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

int RunImport(const std::vector<std::string>& args) {
  std::string output, verbs, actors, agents, discards, issues;
  int level = 19;
  bool all_warnings = false, no_issues = false;
  ArgParser p("dyad dict import DIR|CONFIG -o FILE [options]",
              "Compiles PETRARCH-2 dictionaries into one .dyadd file. CONFIG is a PETRARCH\n"
              "configuration (PETR_config.ini): its [Dictionaries] section names the files.\n"
              "DIR is a directory holding PETR_config.ini, or the dictionary files themselves,\n"
              "in which case the Phoenix/CAMEO set is read (CAMEO.2.0.txt, the three\n"
              "Phoenix.*.actors.txt, Phoenix.agents.txt, Phoenix.discards.txt,\n"
              "Phoenix.IssueCoding.txt). The options replace single files of the set.\n"
              "Malformed lines are reported on stderr with file and line and skipped; the exit\n"
              "status is then 1 (the dictionary is still written).");
  p.String("--output", &output, "the compiled dictionary to write (required)");
  p.Alias("-o", "--output");
  p.String("--verbs", &verbs, "verbs dictionary instead of the set's");
  p.String("--actors", &actors, "comma-separated actor dictionaries instead of the set's");
  p.String("--agents", &agents, "agents dictionary instead of the set's");
  p.String("--discards", &discards, "discard list instead of the set's");
  p.String("--issues", &issues, "issues dictionary instead of the set's");
  p.Bool("--no-issues", &no_issues, "read no issues dictionary");
  p.Int("--level", &level, "zstd compression level, 0 to store uncompressed (default 19)");
  p.Bool("--warnings", &all_warnings, "print every warning (default: the first 10 per file)");
  int code = 0;
  if (!p.Parse(args, &code)) return code;
  if (p.positional().size() != 1)
    return UsageError("dict import needs one DIR or CONFIG (see `dyad dict import --help`)");
  if (output.empty()) return UsageError("dict import needs -o FILE");
  if (level < 0 || level > 22) return UsageError("--level must be between 0 and 22");

  const std::string& in = p.positional()[0];
  std::error_code ec;
  dict::DictionaryFiles files;
  std::string dir;
  if (fs::is_directory(in, ec)) {
    fs::path config = fs::path(in) / "PETR_config.ini";
    if (fs::is_regular_file(config, ec)) {
      auto f = dict::ReadPetrarchConfig(config.string());
      if (!f.ok()) return UsageError(f.status().message());
      files = *f;
    } else {
      files = dict::DictionaryFiles::Phoenix(in);
    }
  } else if (fs::is_regular_file(in, ec)) {
    auto f = dict::ReadPetrarchConfig(in);
    if (!f.ok()) return UsageError(f.status().message());
    files = *f;
  } else {
    return UsageError(in + ": no such file or directory");
  }
  dir = fs::path(files.verbs).parent_path().string();
  if (!verbs.empty()) files.verbs = InDir(verbs, dir);
  if (!actors.empty()) {
    files.actors.clear();
    for (const auto& a : SplitList(actors)) files.actors.push_back(InDir(a, dir));
  }
  if (!agents.empty()) files.agents = InDir(agents, dir);
  if (!discards.empty()) files.discards = InDir(discards, dir);
  if (!issues.empty()) files.issues = InDir(issues, dir);
  if (no_issues) files.issues.clear();

  auto t0 = std::chrono::steady_clock::now();
  dict::ImportReport report;
  auto d = dict::Import(files, &report);
  if (!d.ok()) return UsageError(d.status().message());
  std::map<std::string, int> shown;
  for (const auto& dg : report.diagnostics) {
    if (dg.severity == dict::Diagnostic::kWarning && !all_warnings && ++shown[dg.file] > 10) {
      if (shown[dg.file] == 11)
        std::fprintf(stderr, "%s: more warnings not shown (use --warnings)\n", dg.file.c_str());
      continue;
    }
    std::fprintf(stderr, "%s\n", dg.ToString().c_str());
  }
  Status saved = (*d)->Save(output, level);
  if (!saved.ok()) return UsageError(saved.message());
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::fputs(report.Summary().c_str(), stdout);
  std::printf("wrote %s: %llu bytes, fingerprint %s, %.2f s\n", output.c_str(),
              static_cast<unsigned long long>(fs::file_size(output, ec)),
              HexFingerprint((*d)->fingerprint()).c_str(), secs);
  return report.errors() > 0 ? kExitRejected : kExitOk;
}

int RunStats(const std::vector<std::string>& args) {
  ArgParser p("dyad dict stats [FILE]",
              "Describes a compiled dictionary: format, fingerprint, source files with the\n"
              "entries read and skipped, counts, and the time it takes to load. FILE defaults\n"
              "to the shipped dictionary (" +
                  std::string(dict::kDefaultDictionaryFile) + ").");
  int code = 0;
  if (!p.Parse(args, &code)) return code;
  if (p.positional().size() > 1) return UsageError("dict stats takes at most one FILE");
  std::string path = p.positional().empty() ? DefaultDictPath() : p.positional()[0];
  auto t0 = std::chrono::steady_clock::now();
  auto d = dict::Dictionary::Load(path);
  double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  if (!d.ok()) return UsageError(d.status().message());
  std::error_code ec;
  std::printf("file                   %s\n", path.c_str());
  std::printf("bytes                  %llu\n",
              static_cast<unsigned long long>(fs::file_size(path, ec)));
  std::printf("format_version         %u\n", (*d)->format_version());
  std::printf("tagset                 %s\n", (*d)->tagset().c_str());
  std::printf("fingerprint            %s\n", HexFingerprint((*d)->fingerprint()).c_str());
  std::printf("load_ms                %.1f\n", ms);
  for (const auto& s : (*d)->sources())
    std::printf(
        "source                 %s (%s, %llu bytes, checksum %s): %u entries read, %u "
        "skipped\n",
        s.name.c_str(), std::string(dict::DictKindName(s.kind)).c_str(),
        static_cast<unsigned long long>(s.bytes), HexFingerprint(s.checksum).c_str(), s.entries,
        s.skipped);
  std::fputs((*d)->StatsText().c_str(), stdout);
  return kExitOk;
}

std::string DatedCodeText(const dict::DatedCode& c) {
  std::string s = "[" + c.code;
  if (c.from != dict::kMinDate && c.to != dict::kMaxDate) {
    s += " " + std::to_string(c.from) + "-" + std::to_string(c.to);
  } else if (c.from != dict::kMinDate) {
    s += " >" + std::to_string(c.from);
  } else if (c.to != dict::kMaxDate) {
    s += " <" + std::to_string(c.to);
  }
  return s + "]";
}

int RunLookup(const std::vector<std::string>& args) {
  std::string path, date;
  ArgParser p("dyad dict lookup [--dict FILE] [--date YYYY-MM-DD] WORD...",
              "Shows what the dictionary knows about a phrase: the verbs spelled so with their\n"
              "blocks, codes and patterns (in canonical syntax, with their source lines), and\n"
              "the actors, agents, synsets, discards and issues with exactly this phrase.");
  p.String("--dict", &path, "compiled dictionary (default: the shipped one)");
  p.String("--date", &date, "show the actor codes in force on this date");
  int code = 0;
  if (!p.Parse(args, &code)) return code;
  if (p.positional().empty()) return UsageError("dict lookup needs a WORD");
  if (path.empty()) path = DefaultDictPath();
  int32_t on = 0;
  if (!date.empty()) {
    std::string digits;
    for (char c : date)
      if (c != '-') digits += c;
    if (digits.size() != 8 || digits.find_first_not_of("0123456789") != std::string::npos)
      return UsageError("--date must be YYYY-MM-DD");
    on = std::stoi(digits);
  }
  auto loaded = dict::Dictionary::Load(path);
  if (!loaded.ok()) return UsageError(loaded.status().message());
  const dict::Dictionary& d = **loaded;

  std::vector<dict::WordId> words;
  std::string query;
  for (const auto& a : p.positional()) {
    std::string w;
    for (char c : a + " ") {
      if (c == ' ' || c == '_') {
        if (!w.empty()) {
          words.push_back(d.FindWord(w));
          query += (query.empty() ? "" : " ") + w;
        }
        w.clear();
      } else {
        w += c;
      }
    }
  }
  if (words.empty()) return UsageError("dict lookup needs a WORD");
  bool found = false;
  if (words.size() == 1 && words[0] != dict::kNoWord) {
    for (const dict::VerbRef& r : d.VerbsForWord(words[0])) {
      found = true;
      const dict::Verb& v = d.verbs()[r.verb];
      const dict::VerbBlock& b = d.verb_blocks()[v.block];
      const dict::VerbForm& f = v.forms[r.form];
      std::string spelling;
      for (dict::WordId w : f.before) spelling += std::string(d.word(w)) + " ";
      spelling += "+" + std::string(d.word(f.verb));
      for (dict::WordId w : f.after) spelling += " " + std::string(d.word(w));
      std::printf("verb %s (%s) in block %s %s, verb code %s  %s\n    %s\n", spelling.c_str(),
                  r.form == 0 ? "base form" : "inflected form", b.meaning.c_str(),
                  b.code.ToString().c_str(), v.code.ToString().c_str(), d.Where(v.where).c_str(),
                  v.text.c_str());
      for (uint32_t pi : d.PatternsFor(r.verb)) {
        const dict::Pattern& pat = d.patterns()[pi];
        std::printf("  %-60s %s\n", d.PatternText(pat).c_str(), d.Where(pat.where).c_str());
      }
    }
  }
  auto exact = [&](const dict::PhraseTable& t, auto&& print) {
    if (words[0] == dict::kNoWord) return;
    for (const auto& ph : t.StartingWith(words[0])) {
      auto w = t.Words(ph);
      if (std::equal(w.begin(), w.end(), words.begin(), words.end())) {
        found = true;
        print(ph);
      }
    }
  };
  exact(d.actor_phrases(), [&](const dict::PhraseTable::Phrase& ph) {
    const dict::Actor& a = d.actors()[ph.owner];
    std::string codes;
    for (const auto& c : a.codes) codes += " " + DatedCodeText(c);
    std::printf("actor \"%s\" -> %s%s  %s\n", query.c_str(), a.root.c_str(), codes.c_str(),
                d.Where(a.where).c_str());
    if (on) std::printf("  on %s: %s\n", date.c_str(), std::string(a.CodeOn(on)).c_str());
  });
  exact(d.agent_phrases(), [&](const dict::PhraseTable::Phrase& ph) {
    const dict::Agent& a = d.agents()[ph.owner];
    std::printf("agent \"%s\" -> [%s]  %s\n", query.c_str(),
                (a.prefix ? a.code + "~" : "~" + a.code).c_str(), d.Where(a.where).c_str());
  });
  exact(d.synset_members(), [&](const dict::PhraseTable::Phrase& ph) {
    const dict::Synset& s = d.synsets()[ph.owner];
    std::printf("synset member of &%s  %s\n", s.name.c_str(), d.Where(s.where).c_str());
  });
  exact(d.discard_phrases(), [&](const dict::PhraseTable::Phrase& ph) {
    const dict::Discard& x = d.discards()[ph.owner];
    std::printf("discard \"%s\"%s  %s\n", query.c_str(), x.story ? " (whole story)" : "",
                d.Where(x.where).c_str());
  });
  exact(d.issue_phrases(), [&](const dict::PhraseTable::Phrase& ph) {
    const dict::Issue& x = d.issues()[ph.owner];
    std::string what = x.kind == dict::IssueKind::kCode ? "[" + d.issue_codes()[x.code] + "]"
                       : x.kind == dict::IssueKind::kIgnoreSentence ? "ignore in sentence"
                                                                    : "ignore in story";
    std::string cat =
        x.category == dict::kNone ? "" : " (" + d.issue_categories()[x.category].name + ")";
    std::printf("issue \"%s\" -> %s%s  %s\n", query.c_str(), what.c_str(), cat.c_str(),
                d.Where(x.where).c_str());
  });
  if (!found) std::printf("\"%s\" is not in %s\n", query.c_str(), path.c_str());
  return kExitOk;
}

int RunDict(const std::vector<std::string>& args) {
  if (args.empty()) {
    std::fputs(kDictUsage, stderr);
    return kExitUsage;
  }
  const std::string& verb = args[0];
  std::vector<std::string> rest(args.begin() + 1, args.end());
  if (verb == "-h" || verb == "--help") {
    std::fputs(kDictUsage, stdout);
    return kExitOk;
  }
  if (verb == "import") return RunImport(rest);
  if (verb == "stats") return RunStats(rest);
  if (verb == "lookup") return RunLookup(rest);
  if (verb == "diff") return RunDictDiff(rest);
  std::fputs(kDictUsage, stderr);
  return UsageError("unknown dict command '" + verb + "'");
}

}  // namespace

DYAD_COMMAND(dict, "dict", "compile and inspect event-coding dictionaries", RunDict);

}  // namespace dyad::cli
