// dyad actors suggest CORPUS: the noun phrases that act and are acted upon in a corpus but
// that no actor or agent entry covers: the list a dictionary maintainer works through to keep
// the actor dictionaries current (new leaders, new armed groups, renamed ministries).
#include <algorithm>
#include <cstdio>
#include <map>
#include <set>

#include "cli/coding.h"
#include "cli/command.h"
#include "dyad/json.h"
#include "dyad/nlp.h"
#include "dyad/reader.h"

namespace dyad::cli {
namespace {

std::string_view BaseRel(std::string_view r) { return r.substr(0, r.find(':')); }

bool Nominal(const Word& w) { return w.upos == "NOUN" || w.upos == "PROPN"; }

struct Candidate {
  size_t count = 0, subj = 0, obj = 0, obl = 0, proper = 0;
  std::set<std::string> docs;
  std::map<std::string, size_t> spellings;  // as written -> count
  std::string example, example_doc;
};

// The words of the noun phrase headed by `h`: the head with its compound, flat and adjective
// modifiers (a contiguous run), as [first, last].
std::pair<int, int> PhraseOf(const Sentence& s, int h) {
  int first = h, last = h;
  bool grew = true;
  while (grew) {
    grew = false;
    for (int i = 0; i < static_cast<int>(s.words.size()); ++i) {
      const Word& w = s.words[i];
      int head = w.head - 1;
      if (head < first || head > last) continue;
      std::string_view r = w.deprel;
      bool part = r == "compound" || r == "flat" || r == "flat:name" || r == "amod" || r == "fixed";
      if (!part) continue;
      if (i == first - 1) --first, grew = true;
      if (i == last + 1) ++last, grew = true;
    }
  }
  return {first, last};
}

// Marks the words inside actor or agent phrases (forms, and lemmas for actors' plurals).
void Covered(const Sentence& s, const dict::Dictionary& d, std::vector<uint8_t>* covered) {
  const size_t n = s.words.size();
  std::vector<dict::WordId> form(n), lemma(n);
  for (size_t i = 0; i < n; ++i) {
    form[i] = d.FindWord(s.words[i].form);
    const std::string& l = s.words[i].lemma;
    lemma[i] = l.empty() || l == "_" ? form[i] : d.FindWord(l);
  }
  covered->assign(n, 0);
  for (size_t i = 0; i < n; ++i) {
    size_t len = 0;
    for (const auto* p : {d.actor_phrases().Match(form, i), d.agent_phrases().Match(form, i),
                          d.actor_phrases().Match(lemma, i)})
      if (p) len = std::max<size_t>(len, p->size);
    for (size_t k = i; k < i + len && k < n; ++k) (*covered)[k] = 1;
  }
}

int RunSuggest(const std::vector<std::string>& args) {
  std::string model = DefaultModelPath(), dict_arg, format = "table", input;
  int min_count = 3, limit = 50, max_docs = 0;
  bool names = false;
  ArgParser p(
      "dyad actors suggest [options] CORPUS...",
      "Parses the documents (any `dyad code` input) and lists the noun phrases that are\n"
      "subjects, objects or prepositional objects of verbs but that no actor or agent entry of\n"
      "the dictionary covers, most frequent first, with how often each plays which role, in how\n"
      "many documents, an example sentence, and a skeleton dictionary line to fill in.\n"
      "\n"
      "Output (--format): table (default), tsv, or jsonl with the fields phrase, count, subj,\n"
      "obj, obl, docs, proper (times a proper noun heads it), entry, example, example_doc.");
  p.String("--dict", &dict_arg, "dictionary (default: the shipped one), as `dyad code --dict`");
  p.String("--model", &model, "model file (default: the shipped models/en-ewt.dyadm)");
  p.String("--input", &input, "input format (default: by extension), as `dyad code --input`");
  p.Int("--min-count", &min_count, "leave out phrases seen fewer times (default 3)");
  p.Int("--limit", &limit, "list at most this many phrases (default 50; 0: all)");
  p.Int("--max-docs", &max_docs, "read at most this many documents (0: all)");
  p.Bool("--names", &names, "only phrases headed by proper nouns (people, groups, places)");
  p.String("--format", &format, "table, tsv or jsonl");
  int code = 0;
  if (!p.Parse(args, &code)) return code;
  if (p.positional().empty())
    return UsageError("actors suggest needs a CORPUS (file or directory)");
  if (format != "table" && format != "tsv" && format != "jsonl")
    return UsageError("--format must be table, tsv or jsonl, not '" + format + "'");
  if (min_count < 1 || limit < 0 || max_docs < 0)
    return UsageError("--min-count must be at least 1; --limit and --max-docs not negative");
  auto nlp = Pipeline::Load(model);
  if (!nlp.ok()) return UsageError(nlp.status().message());
  auto dict = LoadDictionaryArg(dict_arg);
  if (!dict.ok()) return UsageError(dict.status().message());
  const dict::Dictionary& d = *dict->dict;

  ReaderOptions ropt;
  ropt.format = input;
  DocumentReader reader(p.positional(), ropt);
  std::map<std::string, Candidate> found;  // lower-case phrase -> what we saw
  size_t docs = 0, sentences = 0, rejected = 0;
  std::vector<uint8_t> covered;
  while (auto rec = reader.Next()) {
    if (!rec->ok()) {
      ++rejected;
      std::fprintf(stderr, "dyad: %s: rejected: %s\n", rec->origin.c_str(), rec->reject.c_str());
      continue;
    }
    if (max_docs && docs >= static_cast<size_t>(max_docs)) break;
    ++docs;
    Document& doc = rec->doc;
    AnnotateRecord(**nlp, &*rec);
    for (const Sentence& s : doc.sentences) {
      ++sentences;
      Covered(s, d, &covered);
      std::set<std::string> seen_here;  // count a phrase once per sentence
      for (int h = 0; h < static_cast<int>(s.words.size()); ++h) {
        const Word& w = s.words[h];
        std::string_view rel = BaseRel(w.deprel);
        bool subj = rel == "nsubj", obj = rel == "obj" || rel == "iobj", obl = rel == "obl";
        if (!(subj || obj || obl) || !Nominal(w)) continue;
        if (names && w.upos != "PROPN") continue;
        auto [first, last] = PhraseOf(s, h);
        bool any_covered = false, any_letter = false;
        for (int k = first; k <= last; ++k) {
          any_covered |= covered[k] != 0;
          for (unsigned char c : s.words[k].form) any_letter |= std::isalpha(c) != 0;
        }
        if (any_covered || !any_letter) continue;
        std::string text;
        for (int k = first; k <= last; ++k) text += (k > first ? " " : "") + s.words[k].form;
        std::string key = text;
        for (char& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (!seen_here.insert(key).second) continue;
        Candidate& c = found[key];
        ++c.count;
        c.subj += subj;
        c.obj += obj;
        c.obl += obl;
        c.proper += w.upos == "PROPN";
        c.docs.insert(doc.id);
        ++c.spellings[text];
        if (c.example.empty() || (s.text.size() < c.example.size() && s.text.size() > 40)) {
          c.example = s.text;
          c.example_doc = doc.id;
        }
      }
    }
  }

  std::vector<std::pair<std::string, const Candidate*>> ranked;
  for (const auto& [k, c] : found)
    if (c.count >= static_cast<size_t>(min_count)) ranked.emplace_back(k, &c);
  std::stable_sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) {
    if (a.second->count != b.second->count) return a.second->count > b.second->count;
    return a.second->docs.size() > b.second->docs.size();
  });
  if (limit && ranked.size() > static_cast<size_t>(limit)) ranked.resize(limit);

  auto spelling = [](const Candidate& c) {
    const std::string* best = nullptr;
    size_t n = 0;
    for (const auto& [s, k] : c.spellings)
      if (k > n) best = &s, n = k;
    return *best;
  };
  auto entry = [](const std::string& phrase) {
    std::string e;
    for (char ch : phrase)
      e += ch == ' ' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    return e + "_  [???]";
  };
  if (format == "table")
    std::printf("%6s %5s %5s %5s %5s  %-32s  %s\n", "count", "subj", "obj", "obl", "docs", "phrase",
                "example");
  else if (format == "tsv")
    std::printf("phrase\tcount\tsubj\tobj\tobl\tdocs\tproper\tentry\texample_doc\texample\n");
  for (const auto& [key, c] : ranked) {
    std::string phrase = spelling(*c);
    std::string example = c->example;
    for (char& ch : example)
      if (ch == '\t' || ch == '\n' || ch == '\r') ch = ' ';
    if (format == "table") {
      std::string ex = example.size() > 90 ? example.substr(0, 87) + "..." : example;
      std::printf("%6zu %5zu %5zu %5zu %5zu  %-32s  %s\n", c->count, c->subj, c->obj, c->obl,
                  c->docs.size(), phrase.c_str(), ex.c_str());
    } else if (format == "tsv") {
      std::printf("%s\t%zu\t%zu\t%zu\t%zu\t%zu\t%zu\t%s\t%s\t%s\n", phrase.c_str(), c->count,
                  c->subj, c->obj, c->obl, c->docs.size(), c->proper, entry(phrase).c_str(),
                  c->example_doc.c_str(), example.c_str());
    } else {
      std::string line = "{\"phrase\":";
      AppendJsonString(phrase, &line);
      line += ",\"count\":" + std::to_string(c->count) + ",\"subj\":" + std::to_string(c->subj) +
              ",\"obj\":" + std::to_string(c->obj) + ",\"obl\":" + std::to_string(c->obl) +
              ",\"docs\":" + std::to_string(c->docs.size()) +
              ",\"proper\":" + std::to_string(c->proper) + ",\"entry\":";
      AppendJsonString(entry(phrase), &line);
      line += ",\"example\":";
      AppendJsonString(c->example, &line);
      line += ",\"example_doc\":";
      AppendJsonString(c->example_doc, &line);
      line += "}\n";
      std::fputs(line.c_str(), stdout);
    }
  }
  std::fprintf(stderr,
               "dyad actors suggest: %zu documents, %zu sentences, %zu uncovered phrases (%zu "
               "seen at least %d times), %zu rejected\n",
               docs, sentences, found.size(), ranked.size(), min_count, rejected);
  return rejected ? kExitRejected : kExitOk;
}

constexpr const char* kActorsUsage =
    "usage: dyad actors <command> [options]\n"
    "\n"
    "Help for keeping the actor dictionaries current.\n"
    "\n"
    "commands:\n"
    "  suggest CORPUS...   frequent subjects and objects that no actor or agent entry covers\n"
    "\n"
    "Run `dyad actors <command> --help` for the options of each.\n";

int RunActors(const std::vector<std::string>& args) {
  if (args.empty()) {
    std::fputs(kActorsUsage, stderr);
    return kExitUsage;
  }
  std::vector<std::string> rest(args.begin() + 1, args.end());
  if (args[0] == "-h" || args[0] == "--help") {
    std::fputs(kActorsUsage, stdout);
    return kExitOk;
  }
  if (args[0] == "suggest") return RunSuggest(rest);
  std::fputs(kActorsUsage, stderr);
  return UsageError("unknown actors command '" + args[0] + "'");
}

}  // namespace

DYAD_COMMAND(actors, "actors", "find frequent actors the dictionaries miss (actors suggest)",
             RunActors);

}  // namespace dyad::cli
