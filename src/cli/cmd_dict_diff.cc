// dyad dict diff OLD NEW: what a dictionary change does. The entries added, removed and
// recoded; then, what maintainers actually need to know before shipping it, the validation
// records whose outcome changes and the events on a corpus that appear or disappear.
#include <chrono>
#include <cstdio>
#include <map>
#include <set>
#include <tuple>

#include "cli/coding.h"
#include "cli/command.h"
#include "dyad/coder.h"
#include "dyad/nlp.h"
#include "dyad/petrarch_xml.h"
#include "dyad/reader.h"
#include "util/binary.h"

namespace dyad::cli {
namespace {

// phrase or spelling -> what the dictionary says of it
using Entries = std::map<std::string, std::string>;

struct Sections {
  Entries actors, agents, verbs, patterns, discards, issues;
};

std::string CodesText(const dict::Actor& a) {
  std::string out;
  for (const auto& c : a.codes) {
    if (!out.empty()) out += " ";
    out += c.code;
    if (c.restricted())
      out += "[" + (c.from == dict::kMinDate ? std::string() : std::to_string(c.from)) + "-" +
             (c.to == dict::kMaxDate ? std::string() : std::to_string(c.to)) + "]";
  }
  return out;
}

Sections Collect(const dict::Dictionary& d) {
  Sections s;
  for (const auto& p : d.actor_phrases().phrases())
    s.actors[d.PhraseText(d.actor_phrases(), p)] = CodesText(d.actors()[p.owner]);
  for (const auto& p : d.agent_phrases().phrases()) {
    const dict::Agent& a = d.agents()[p.owner];
    s.agents[d.PhraseText(d.agent_phrases(), p)] = a.prefix ? a.code + "~" : "~" + a.code;
  }
  for (const auto& v : d.verbs()) {
    if (v.forms.empty()) continue;
    const dict::VerbForm& f = v.forms[0];
    std::string key;
    for (auto w : f.before) key += std::string(d.word(w)) + "_";
    key += std::string(d.word(f.verb));
    for (auto w : f.after) key += "_" + std::string(d.word(w));
    std::string& code = s.verbs[key];
    if (code.empty()) code = v.code.ToString();  // the first definition, as the coder uses
  }
  for (const auto& p : d.patterns()) {
    const auto& block = d.verb_blocks()[p.block];
    s.patterns[block.meaning + "  " + d.PatternText(p)] = "";
  }
  for (const auto& p : d.discard_phrases().phrases())
    s.discards[d.PhraseText(d.discard_phrases(), p)] =
        d.discards()[p.owner].story ? "story" : "sentence";
  for (const auto& p : d.issue_phrases().phrases())
    s.issues[d.PhraseText(d.issue_phrases(), p)] = "";
  return s;
}

// Prints one section; returns whether anything changed.
bool DiffSection(const char* name, const Entries& a, const Entries& b, size_t show) {
  std::vector<std::string> added, removed, changed;
  for (const auto& [k, v] : a) {
    auto it = b.find(k);
    if (it == b.end())
      removed.push_back("- " + k + (v.empty() ? "" : "  " + v));
    else if (it->second != v)
      changed.push_back("~ " + k + "  " + v + " -> " + it->second);
  }
  for (const auto& [k, v] : b)
    if (!a.count(k)) added.push_back("+ " + k + (v.empty() ? "" : "  " + v));
  std::printf("%-9s %7zu -> %-7zu  %zu added, %zu removed, %zu changed\n", name, a.size(), b.size(),
              added.size(), removed.size(), changed.size());
  size_t shown = 0;
  for (const auto* list : {&added, &removed, &changed})
    for (const auto& line : *list) {
      if (show && shown >= show) break;
      std::printf("    %s\n", line.c_str());
      ++shown;
    }
  size_t total = added.size() + removed.size() + changed.size();
  if (show && total > show) std::printf("    ... %zu more (--show 0 lists all)\n", total - show);
  return total > 0;
}

using EventKey = std::tuple<std::string, std::string, std::string>;

std::set<EventKey> Keys(const std::vector<Event>& events) {
  std::set<EventKey> out;
  for (const Event& e : events) out.emplace(e.source, e.target, e.code);
  return out;
}

std::string KeysText(const std::set<EventKey>& s) {
  if (s.empty()) return "no events";
  std::string out;
  for (const auto& [a, b, c] : s)
    out += (out.empty() ? "" : ", ") + (a.empty() ? "---" : a) + " " + (b.empty() ? "---" : b) +
           " " + c;
  return out;
}

// Validation records coded with both dictionaries (each record parsed once); the records'
// <Config> options apply to both. Prints the records whose events change.
int DiffRecords(const std::string& path, const Pipeline& nlp,
                std::shared_ptr<const dict::Dictionary> a,
                std::shared_ptr<const dict::Dictionary> b, size_t show) {
  auto reader = PetrarchXmlReader::Open(path);
  if (!reader.ok()) return UsageError(reader.status().message());
  coder::CoderOptions opts;
  auto apply = [&](const PetrarchOption& o) {
    bool used = true;
    return ApplyPetrarchOption(o.name, o.value, &opts, &used);
  };
  for (const auto& o : (*reader)->environment().options)
    if (Status st = apply(o); !st.ok()) return UsageError(path + ": " + st.message());
  auto ca = coder::Coder::Create(a, opts), cb = coder::Coder::Create(b, opts);
  if (!ca.ok() || !cb.ok()) return UsageError("cannot build the coders");
  size_t records = 0, pass_a = 0, pass_b = 0, changed = 0, shown = 0;
  while (true) {
    auto r = (*reader)->Next();
    if (!r.ok()) return UsageError(r.status().message());
    if (!*r) break;
    const PetrarchRecord& rec = **r;
    if (!rec.config.empty()) {
      for (const auto& o : rec.config)
        if (Status st = apply(o); !st.ok()) return UsageError(path + ": " + st.message());
      ca = coder::Coder::Create(a, opts);
      cb = coder::Coder::Create(b, opts);
      if (!ca.ok() || !cb.ok()) return UsageError("cannot build the coders");
    }
    if (!rec.problem.empty()) continue;
    ++records;
    std::set<EventKey> expected;
    for (const auto& c : rec.expected) {
      auto canon = [](std::string s) {
        if (s.size() >= 2 && s.front() == '"' && s.back() == '"') s = s.substr(1, s.size() - 2);
        return s == "---" ? std::string() : s;
      };
      expected.emplace(canon(c.source), canon(c.target), c.code);
    }
    Document doc;
    doc.id = rec.id;
    doc.date = rec.date;
    doc.text = rec.text;
    nlp.AnnotateText(doc.text, &doc.sentences);
    auto ka = Keys(ca->Code(doc)), kb = Keys(cb->Code(doc));
    bool pa = ka == expected, pb = kb == expected;
    pass_a += pa;
    pass_b += pb;
    if (ka == kb) continue;
    ++changed;
    if (show && shown >= show) continue;
    ++shown;
    std::printf("  %s (%s:%u): %s\n    old: %s\n    new: %s\n", rec.id.c_str(), path.c_str(),
                rec.line,
                pa == pb ? (pa ? "passes with both" : "fails with both")
                         : (pb ? "now passes" : "now FAILS"),
                KeysText(ka).c_str(), KeysText(kb).c_str());
  }
  if (show && changed > show) std::printf("  ... %zu more (--show 0 lists all)\n", changed - show);
  std::printf("records   %zu coded, %zu with other events; passed %zu -> %zu\n", records, changed,
              pass_a, pass_b);
  return kExitOk;
}

// A corpus parsed once and coded with both dictionaries: the events each adds and loses.
int DiffCorpus(const std::vector<std::string>& files, const std::string& date, const Pipeline& nlp,
               std::shared_ptr<const dict::Dictionary> a, std::shared_ptr<const dict::Dictionary> b,
               size_t max_docs, size_t show) {
  coder::CoderOptions opts;
  if (!date.empty()) opts.default_date = date;
  auto ca = coder::Coder::Create(a, opts), cb = coder::Coder::Create(b, opts);
  if (!ca.ok()) return UsageError(ca.status().message());
  if (!cb.ok()) return UsageError(cb.status().message());
  ReaderOptions ropt;
  DocumentReader reader(files, ropt);
  size_t docs = 0, events_a = 0, events_b = 0, gained = 0, lost = 0, shown = 0, rejected = 0;
  while (auto rec = reader.Next()) {
    if (!rec->ok()) {
      ++rejected;
      continue;
    }
    if (max_docs && docs >= max_docs) break;
    ++docs;
    Document& doc = rec->doc;
    AnnotateRecord(nlp, &*rec);
    std::vector<Event> ea = ca->Code(doc), eb = cb->Code(doc);
    events_a += ea.size();
    events_b += eb.size();
    // Per sentence: the (source, target, code) sets.
    std::map<uint32_t, std::pair<std::set<EventKey>, std::set<EventKey>>> by_sentence;
    for (const Event& e : ea) by_sentence[e.sentence].first.emplace(e.source, e.target, e.code);
    for (const Event& e : eb) by_sentence[e.sentence].second.emplace(e.source, e.target, e.code);
    for (const auto& [si, sets] : by_sentence) {
      if (sets.first == sets.second) continue;
      std::set<EventKey> plus, minus;
      for (const auto& k : sets.second)
        if (!sets.first.count(k)) plus.insert(k);
      for (const auto& k : sets.first)
        if (!sets.second.count(k)) minus.insert(k);
      gained += plus.size();
      lost += minus.size();
      if (show && shown >= show) continue;
      ++shown;
      std::printf("  %s sentence %u: %s\n", doc.id.c_str(), si, doc.sentences[si].text.c_str());
      if (!minus.empty()) std::printf("    - %s\n", KeysText(minus).c_str());
      if (!plus.empty()) std::printf("    + %s\n", KeysText(plus).c_str());
    }
  }
  if (show && shown >= show) std::printf("  ... (--show 0 lists all)\n");
  std::printf(
      "corpus    %zu documents (%zu records rejected): events %zu -> %zu, %zu gained, "
      "%zu lost\n",
      docs, rejected, events_a, events_b, gained, lost);
  return kExitOk;
}

}  // namespace

int RunDictDiff(const std::vector<std::string>& args) {
  std::string records, model = DefaultModelPath(), date;
  std::vector<std::string> corpus;
  int show = 20, max_docs = 0;
  ArgParser p(
      "dyad dict diff OLD NEW [options]",
      "Compares two dictionaries (each a .dyadd file, a dictionary directory or a\n"
      "PETR_config.ini, as `dyad code --dict` takes them): the entries added (+), removed (-)\n"
      "and changed (~) in each section; with --records, the validation records whose events\n"
      "change and whether they now pass or fail; with --corpus, the events the new\n"
      "dictionary gains and loses on those documents (parsed once, coded with both).\n"
      "\n"
      "  --corpus FILE    documents to code with both (any `dyad code` input; repeatable)\n"
      "\n"
      "Exit status: 0 when the dictionaries are the same, 1 when they differ, 2 on errors.");
  p.String("--records", &records, "PETRARCH validation records to code with both (FILE.xml)");
  p.String("--date", &date, "YYYYMMDD or YYYY-MM-DD for corpus documents without a date");
  p.String("--model", &model, "model file (default: the shipped models/en-ewt.dyadm)");
  p.Int("--show", &show, "list at most this many changes per section (0: all; default 20)");
  p.Int("--max-docs", &max_docs, "code at most this many corpus documents (0: all)");
  // --corpus may repeat; ArgParser keeps the last value, so gather them here first.
  std::vector<std::string> rest;
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--corpus" && i + 1 < args.size()) {
      corpus.push_back(args[++i]);
    } else if (args[i].rfind("--corpus=", 0) == 0) {
      corpus.push_back(args[i].substr(9));
    } else {
      rest.push_back(args[i]);
    }
  }
  int code = 0;
  if (!p.Parse(rest, &code)) return code;
  if (p.positional().size() != 2) return UsageError("dict diff needs OLD and NEW dictionaries");
  if (show < 0 || max_docs < 0) return UsageError("--show and --max-docs must not be negative");
  auto a = LoadDictionaryArg(p.positional()[0]);
  if (!a.ok()) return UsageError(a.status().message());
  auto b = LoadDictionaryArg(p.positional()[1]);
  if (!b.ok()) return UsageError(b.status().message());
  std::printf("old       %s (fingerprint %s)\nnew       %s (fingerprint %s)\n",
              a->description.c_str(), HexFingerprint(a->dict->fingerprint()).c_str(),
              b->description.c_str(), HexFingerprint(b->dict->fingerprint()).c_str());
  Sections sa = Collect(*a->dict), sb = Collect(*b->dict);
  bool differ = false;
  differ |= DiffSection("actors", sa.actors, sb.actors, show);
  differ |= DiffSection("agents", sa.agents, sb.agents, show);
  differ |= DiffSection("verbs", sa.verbs, sb.verbs, show);
  differ |= DiffSection("patterns", sa.patterns, sb.patterns, show);
  differ |= DiffSection("discards", sa.discards, sb.discards, show);
  differ |= DiffSection("issues", sa.issues, sb.issues, show);
  if (!records.empty() || !corpus.empty()) {
    auto nlp = Pipeline::Load(model);
    if (!nlp.ok()) return UsageError(nlp.status().message());
    if (!records.empty()) {
      int rc = DiffRecords(records, **nlp, a->dict, b->dict, static_cast<size_t>(show));
      if (rc != kExitOk) return rc;
    }
    if (!corpus.empty()) {
      int rc = DiffCorpus(corpus, date, **nlp, a->dict, b->dict, static_cast<size_t>(max_docs),
                          static_cast<size_t>(show));
      if (rc != kExitOk) return rc;
    }
  }
  return differ ? kExitRejected : kExitOk;
}

}  // namespace dyad::cli
