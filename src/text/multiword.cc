#include "text/multiword.h"

#include <algorithm>
#include <map>

#include "dyad/text.h"
#include "text/unicode.h"
#include "util/binary.h"

namespace dyad::text {
namespace {

constexpr uint32_t kMultiwordVersion = 1;
// A suffix becomes a rule when the treebank split at least this many tokens before it...
constexpr int kMinSuffixCount = 3;
// ... and split (strictly) more than half of the tokens that end in it.

bool HasWordChar(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    Decoded d = DecodeAt(s, i);
    if (IsWordClass(ClassOf(d.cp)) && ClassOf(d.cp) != CharClass::kMark) return true;
    i += d.len;
  }
  return false;
}

bool SuffixApplies(std::string_view lower, std::string_view suffix) {
  return lower.size() > suffix.size() && lower.ends_with(suffix) &&
         HasWordChar(lower.substr(0, lower.size() - suffix.size()));
}

std::string Join(const std::vector<std::string>& words) {
  std::string j;
  for (const auto& w : words) j += w, j.push_back('\x01');
  return j;
}

std::vector<std::string> SplitJoined(const std::string& j) {
  std::vector<std::string> out;
  size_t start = 0;
  for (size_t i = 0; i < j.size(); ++i)
    if (j[i] == '\x01') out.push_back(j.substr(start, i - start)), start = i + 1;
  return out;
}

// Gives `word` (lower-cased) the capitalisation of `form`.
std::string Recase(std::string_view form, const std::string& word, bool first) {
  bool any_upper = false, any_lower = false;
  for (size_t i = 0; i < form.size();) {
    Decoded d = DecodeAt(form, i);
    CharClass c = ClassOf(d.cp);
    any_upper |= c == CharClass::kUpper;
    any_lower |= c == CharClass::kLower;
    i += d.len;
  }
  if (!any_upper) return word;
  std::string out;
  bool upper_all = !any_lower;
  bool upper_first = first && !form.empty() && ClassOf(DecodeAt(form, 0).cp) == CharClass::kUpper;
  for (size_t i = 0; i < word.size();) {
    Decoded d = DecodeAt(word, i);
    AppendUtf8(upper_all || (upper_first && i == 0) ? ToUpper(d.cp) : d.cp, &out);
    i += d.len;
  }
  return out;
}

void Emit(std::string_view form, std::string_view lower, const std::vector<std::string>& words,
          std::vector<std::string>* out) {
  size_t total = 0;
  for (const auto& w : words) total += w.size();
  bool spells = lower.size() == form.size() && total == lower.size();
  if (spells) {
    size_t pos = 0;
    for (const auto& w : words) {
      if (lower.substr(pos, w.size()) != w) spells = false;
      pos += w.size();
    }
  }
  if (spells) {
    size_t pos = 0;
    for (const auto& w : words) {
      out->emplace_back(form.substr(pos, w.size()));
      pos += w.size();
    }
    return;
  }
  for (size_t k = 0; k < words.size(); ++k) out->push_back(Recase(form, words[k], k == 0));
}

}  // namespace

void MultiwordTable::AddLanguageRules(const LanguageData& lang) {
  for (const auto& r : lang.multiwords) {
    if (r.suffix) {
      if (std::find(suffixes_.begin(), suffixes_.end(), r.form) == suffixes_.end())
        suffixes_.push_back(r.form);
    } else {
      auto it = std::find_if(entries_.begin(), entries_.end(),
                             [&](const Entry& e) { return e.form == r.form; });
      if (it == entries_.end()) entries_.push_back({r.form, r.words});
    }
  }
  Index();
}

void MultiwordTable::Learn(const ConlluCorpus& corpus) {
  // Ordered maps: the learnt table must not depend on hash-map iteration order.
  std::map<std::string, std::map<std::string, int>> splits;  // form -> joined words -> count
  std::map<std::string, int> form_count;
  std::map<std::string, int> suffix_split;
  for (const auto& s : corpus.sentences) {
    for (const auto& t : s.tokens) {
      std::string lower = LowerUtf8(Normalize(t.form));
      ++form_count[lower];
      if (t.last_word <= t.first_word || t.last_word >= s.words.size()) continue;
      std::vector<std::string> words;
      for (uint32_t w = t.first_word; w <= t.last_word; ++w)
        words.push_back(LowerUtf8(Normalize(s.words[w].form)));
      ++splits[lower][Join(words)];
      if (words.size() == 2 && words[0] + words[1] == lower && SuffixApplies(lower, words[1]))
        ++suffix_split[words[1]];
    }
  }
  // Suffix rules: learnt ones and the language's, kept when the treebank does not say no.
  std::vector<std::string> candidates = suffixes_;
  for (const auto& [suffix, n] : suffix_split)
    if (n >= kMinSuffixCount &&
        std::find(candidates.begin(), candidates.end(), suffix) == candidates.end())
      candidates.push_back(suffix);
  std::vector<std::string> accepted;
  for (const auto& suffix : candidates) {
    int ending = 0, split = 0;
    for (const auto& [form, n] : form_count) {
      if (!SuffixApplies(form, suffix)) continue;
      ending += n;
      auto it = splits.find(form);
      if (it == splits.end()) continue;
      std::string stem = form.substr(0, form.size() - suffix.size());
      auto jt = it->second.find(Join({stem, suffix}));
      if (jt != it->second.end()) split += jt->second;
    }
    if (ending == 0 || split * 2 > ending) accepted.push_back(suffix);
  }
  // Whole forms: what the treebank did most often wins (a suffix rule that gives the same
  // split counts as one more vote for it); forms it saw but never split are recorded when a
  // suffix rule would otherwise split them.
  std::vector<Entry> entries;
  for (const auto& [form, n] : form_count) {
    const std::string* rule = nullptr;
    for (const auto& suffix : accepted)
      if (SuffixApplies(form, suffix)) {
        rule = &suffix;
        break;
      }
    auto it = splits.find(form);
    if (it == splits.end()) {
      if (rule) entries.push_back({form, {}});
      continue;
    }
    auto best = it->second.begin();
    for (auto jt = it->second.begin(); jt != it->second.end(); ++jt)
      if (jt->second > best->second) best = jt;
    std::vector<std::string> words = SplitJoined(best->first);
    const int vote =
        rule && words.size() == 2 && words[1] == *rule && words[0] + words[1] == form ? 1 : 0;
    if (2 * (best->second + vote) > n + vote) {
      entries.push_back({form, std::move(words)});
    } else {
      entries.push_back({form, {}});
    }
  }
  for (const auto& e : entries_)
    if (!form_count.count(e.form)) entries.push_back(e);
  entries_ = std::move(entries);
  suffixes_ = std::move(accepted);
  Index();
}

void MultiwordTable::Index() {
  std::sort(entries_.begin(), entries_.end(),
            [](const Entry& a, const Entry& b) { return a.form < b.form; });
  std::stable_sort(suffixes_.begin(), suffixes_.end(), [](const auto& a, const auto& b) {
    return a.size() != b.size() ? a.size() > b.size() : a < b;
  });
  index_.clear();
  for (uint32_t i = 0; i < entries_.size(); ++i) index_.emplace(Fnv1a64(entries_[i].form), i);
}

bool MultiwordTable::Expand(std::string_view form, std::vector<std::string>* words) const {
  if (entries_.empty() && suffixes_.empty()) return false;
  // Most tokens are neither a listed form nor end in a suffix: rule them out without
  // allocating.
  bool ascii = true;
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : form) {
    if (c >= 0x80) {
      ascii = false;
      break;
    }
    h = (h ^ static_cast<unsigned char>(c >= 'A' && c <= 'Z' ? c + 32 : c)) * 1099511628211ull;
  }
  if (ascii && !index_.count(h)) {
    bool any = false;
    for (const auto& suffix : suffixes_) {
      if (form.size() <= suffix.size()) continue;
      bool same = true;
      for (size_t k = 0; k < suffix.size() && same; ++k) {
        unsigned char c = static_cast<unsigned char>(form[form.size() - suffix.size() + k]);
        if (c >= 'A' && c <= 'Z') c += 32;
        same = c == static_cast<unsigned char>(suffix[k]);
      }
      if (same) {
        any = true;
        break;
      }
    }
    if (!any) return false;
  }
  const std::string lower = LowerUtf8(form);
  auto it = index_.find(Fnv1a64(lower));
  if (it != index_.end() && entries_[it->second].form == lower) {
    const Entry& e = entries_[it->second];
    if (e.words.empty()) return false;
    Emit(form, lower, e.words, words);
    return true;
  }
  for (const auto& suffix : suffixes_) {
    if (!SuffixApplies(lower, suffix)) continue;
    Emit(form, lower, {lower.substr(0, lower.size() - suffix.size()), suffix}, words);
    return true;
  }
  return false;
}

void MultiwordTable::Serialize(BinaryWriter* w) const {
  w->U32(kMultiwordVersion);
  w->U32(static_cast<uint32_t>(entries_.size()));
  for (const auto& e : entries_) {
    w->Str(e.form);
    w->StrVector(e.words);
  }
  w->StrVector(suffixes_);
}

Result<MultiwordTable> MultiwordTable::Parse(BinaryReader* r) {
  MultiwordTable t;
  uint32_t version = r->U32();
  if (r->ok() && version != kMultiwordVersion)
    r->Fail("multiword table version " + std::to_string(version) + " is not supported");
  uint32_t n = r->U32();
  if (n > r->remaining() / 8) r->Fail("multiword entry count does not fit");
  for (uint32_t i = 0; i < n && r->ok(); ++i) {
    Entry e;
    e.form = r->Str();
    e.words = r->StrVector();
    if (e.words.size() == 1) r->Fail("multiword entry with a single word");
    t.entries_.push_back(std::move(e));
  }
  t.suffixes_ = r->StrVector();
  DYAD_RETURN_IF_ERROR(r->status());
  for (const auto& s : t.suffixes_)
    if (s.empty()) return Status::Error("multiword table: empty suffix");
  t.Index();
  return t;
}

}  // namespace dyad::text
