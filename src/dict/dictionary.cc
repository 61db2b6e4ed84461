#include <algorithm>
#include <cstdio>

#include "dict/codec.h"
#include "dyad/cameo.h"
#include "dyad/dict.h"
#include "util/binary.h"

namespace dyad::dict {

std::string_view DictKindName(DictKind kind) {
  switch (kind) {
    case DictKind::kVerbs:
      return "verbs";
    case DictKind::kActors:
      return "actors";
    case DictKind::kAgents:
      return "agents";
    case DictKind::kDiscards:
      return "discards";
    case DictKind::kIssues:
      return "issues";
  }
  return "?";
}

std::string_view ElementKindName(ElementKind kind) {
  switch (kind) {
    case ElementKind::kWord:
      return "word";
    case ElementKind::kSynset:
      return "synset";
    case ElementKind::kNounPhrase:
      return "noun phrase";
    case ElementKind::kPrepPhrase:
      return "prepositional phrase";
    case ElementKind::kSource:
      return "source";
    case ElementKind::kTarget:
      return "target";
    case ElementKind::kCompound:
      return "compound";
    case ElementKind::kSkip:
      return "skip";
  }
  return "?";
}

// ---- PhraseTable

std::span<const PhraseTable::Phrase> PhraseTable::StartingWith(WordId w) const {
  if (static_cast<size_t>(w) + 1 >= starts_.size()) return {};
  return std::span<const Phrase>(phrases_).subspan(starts_[w], starts_[w + 1] - starts_[w]);
}

void PhraseTable::IndexFirstWords() {
  starts_.clear();
  if (first_word_.empty()) return;
  starts_.assign(static_cast<size_t>(first_word_.back()) + 2, 0);
  // Count, then prefix sums: first_word_ is sorted, so the ranges are the phrases' positions.
  for (WordId w : first_word_) ++starts_[w + 1];
  for (size_t i = 1; i < starts_.size(); ++i) starts_[i] += starts_[i - 1];
}

const PhraseTable::Phrase* PhraseTable::Match(std::span<const WordId> text, size_t pos) const {
  if (pos >= text.size() || text[pos] == kNoWord) return nullptr;
  for (const Phrase& p : StartingWith(text[pos])) {
    if (p.size > text.size() - pos) continue;
    if (std::equal(words_.begin() + p.begin, words_.begin() + p.begin + p.size, text.begin() + pos))
      return &p;  // longest first
  }
  return nullptr;
}

// ---- records

bool VerbCode::IsNull() const {
  auto null = [](const std::string& c) { return c.empty() || c == cameo::kNullCode; };
  return null(primary) && null(paired);
}

std::string VerbCode::ToString() const {
  std::string s = "[" + primary;
  if (!paired.empty()) s += ":" + paired;
  if (dominant) s += "!";
  if (subordinate) s += "?";
  return s + "]";
}

std::string_view Actor::CodeOn(int32_t date) const {
  for (const auto& c : codes)
    if (c.restricted() && c.from <= date && date <= c.to) return c.code;
  for (const auto& c : codes)
    if (!c.restricted()) return c.code;
  return {};
}

std::string Diagnostic::ToString() const {
  std::string s = file;
  if (line) s += ":" + std::to_string(line);
  s += severity == kError ? ": error: " : ": warning: ";
  return s + message;
}

size_t ImportReport::errors() const {
  return std::count_if(diagnostics.begin(), diagnostics.end(),
                       [](const Diagnostic& d) { return d.severity == Diagnostic::kError; });
}

std::string ImportReport::Summary() const {
  std::string out;
  uint64_t entries = 0, skipped = 0, warnings = 0;
  for (const auto& f : files) {
    out += f.file + " (" + std::string(DictKindName(f.kind)) + "): " + std::to_string(f.entries) +
           " entries read, " + std::to_string(f.skipped) + " skipped, " +
           std::to_string(f.warnings) + " warnings\n";
    entries += f.entries;
    skipped += f.skipped;
    warnings += f.warnings;
  }
  out += "total: " + std::to_string(entries) + " entries read, " + std::to_string(skipped) +
         " skipped, " + std::to_string(warnings) + " warnings\n";
  return out;
}

// ---- Dictionary

Result<std::shared_ptr<const Dictionary>> Dictionary::Load(const std::string& path,
                                                           std::string_view expected_tagset) {
  DYAD_ASSIGN_OR_RETURN(std::string bytes, ReadFile(path));
  return Parse(bytes, path, expected_tagset);
}

Result<std::shared_ptr<const Dictionary>> Dictionary::Parse(std::string_view bytes,
                                                            const std::string& origin,
                                                            std::string_view expected_tagset) {
  return DictionaryCodec::Parse(bytes, origin, expected_tagset);
}

std::string Dictionary::Serialize(int zstd_level) const {
  return DictionaryCodec::Serialize(*this, zstd_level);
}

Status Dictionary::Save(const std::string& path, int zstd_level) const {
  return WriteFileAtomic(path, Serialize(zstd_level));
}

namespace {
inline char AsciiUpper(char c) {
  return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
}
// FNV-1a over the ASCII-uppercased bytes, then mixed so that both halves are usable.
inline uint64_t UpperHash(std::string_view w) {
  uint64_t h = 1469598103934665603ull;
  for (char c : w) h = (h ^ static_cast<unsigned char>(AsciiUpper(c))) * 1099511628211ull;
  h ^= h >> 29;
  h *= 0xbf58476d1ce4e5b9ull;
  return h ^ (h >> 32);
}
}  // namespace

void Dictionary::BuildWordIndex() {
  size_t size = 16;
  while (size < 2 * words_.size()) size *= 2;
  word_slots_.assign(size, 0);
  word_mask_ = size - 1;
  for (WordId i = 0; i < words_.size(); ++i) {
    // A stored word with lower-case letters can never be found (lookups are upper-cased), as
    // before; a duplicate keeps the first id.
    const WordId seen = FindWord(words_[i]);
    if (seen != kNoWord && words_[seen] == words_[i]) continue;
    const uint64_t h = UpperHash(words_[i]);
    size_t s = h & word_mask_;
    while (word_slots_[s] != 0) s = (s + 1) & word_mask_;
    word_slots_[s] = (h >> 32) << 32 | (static_cast<uint64_t>(i) + 1);
  }
}

std::string Dictionary::Where(SourceRef ref) const {
  std::string name = ref.file < sources_.size() ? sources_[ref.file].name : "?";
  return name + ":" + std::to_string(ref.line);
}

WordId Dictionary::FindWord(std::string_view w) const {
  // The same as looking up the word upper-cased (ASCII letters only), without building it.
  if (word_slots_.empty()) return kNoWord;
  const uint64_t h = UpperHash(w);
  const uint64_t tag = h >> 32;
  for (size_t s = h & word_mask_;; s = (s + 1) & word_mask_) {
    const uint64_t slot = word_slots_[s];
    if (slot == 0) return kNoWord;
    if (slot >> 32 != tag) continue;
    const WordId id = static_cast<WordId>((slot & 0xffffffffull) - 1);
    const std::string& stored = words_[id];
    if (stored.size() != w.size()) continue;
    bool same = true;
    for (size_t k = 0; k < w.size() && same; ++k) same = AsciiUpper(w[k]) == stored[k];
    if (same) return id;
  }
}

std::string Dictionary::PhraseText(const PhraseTable& table, const PhraseTable::Phrase& p) const {
  std::string s;
  for (WordId w : table.Words(p)) {
    if (!s.empty()) s += ' ';
    s += words_[w];
  }
  return s;
}

uint32_t Dictionary::FindSynset(std::string_view name) const {
  for (uint32_t i = 0; i < synsets_.size(); ++i)
    if (synsets_[i].name == name) return i;
  return kNone;
}

bool Dictionary::InSynset(uint32_t synset, WordId w) const {
  for (const auto& p : synset_members_.StartingWith(w))
    if (p.size == 1 && p.owner == synset) return true;
  return false;
}

std::span<const VerbRef> Dictionary::VerbsForWord(WordId w) const {
  auto lo = std::lower_bound(verb_index_.begin(), verb_index_.end(), w,
                             [](const VerbRef& r, WordId x) { return r.word < x; });
  auto hi = std::upper_bound(lo, verb_index_.end(), w,
                             [](WordId x, const VerbRef& r) { return x < r.word; });
  return std::span<const VerbRef>(verb_index_).subspan(lo - verb_index_.begin(), hi - lo);
}

namespace {

void RenderElements(const Dictionary& d, const std::vector<PatternElement>& v, bool first_joined,
                    std::string* out) {
  for (size_t i = 0; i < v.size(); ++i) {
    const PatternElement& e = v[i];
    bool joined = e.adjacent && (i > 0 || first_joined);
    if (!out->empty()) *out += joined ? "_" : " ";
    switch (e.kind) {
      case ElementKind::kWord:
        *out += d.word(e.id);
        break;
      case ElementKind::kSynset:
        *out += "&" + d.synsets()[e.id].name;
        break;
      case ElementKind::kSource:
        *out += "$";
        break;
      case ElementKind::kTarget:
        *out += "+";
        break;
      case ElementKind::kCompound:
        *out += "%";
        break;
      case ElementKind::kSkip:
        *out += "^";
        break;
      case ElementKind::kNounPhrase:
      case ElementKind::kPrepPhrase: {
        bool np = e.kind == ElementKind::kNounPhrase;
        std::string inner;
        RenderElements(d, e.children, false, &inner);
        *out += (np ? "{" : "(") + inner + (np ? "}" : ")");
        break;
      }
    }
  }
}

}  // namespace

std::string Dictionary::PatternText(const Pattern& p) const {
  std::string body;
  RenderElements(*this, p.before, false, &body);
  body += body.empty() ? "*" : (p.verb_adjacent ? "_*" : " *");
  RenderElements(*this, p.after, true, &body);
  return "- " + body + " " + p.code.ToString();
}

std::string Dictionary::StatsText() const {
  auto line = [](const std::string& name, uint64_t v) {
    char buf[96];
    std::snprintf(buf, sizeof buf, "%-22s %llu\n", name.c_str(),
                  static_cast<unsigned long long>(v));
    return std::string(buf);
  };
  size_t forms = 0;
  for (const auto& v : verbs_) forms += v.forms.size();
  size_t dated = 0, actor_codes = 0;
  for (const auto& a : actors_) {
    actor_codes += a.codes.size();
    for (const auto& c : a.codes) dated += c.restricted() ? 1 : 0;
  }
  std::string s;
  s += line("words", words_.size());
  s += line("synsets", synsets_.size());
  s += line("synset_members", synset_members_.size());
  s += line("verb_blocks", blocks_.size());
  s += line("verbs", verbs_.size());
  s += line("verb_forms", forms);
  s += line("verb_index", verb_index_.size());
  s += line("patterns", patterns_.size());
  s += line("transformations", transformations_.size());
  s += line("actors", actors_.size());
  s += line("actor_phrases", actor_phrases_.size());
  s += line("actor_codes", actor_codes);
  s += line("actor_codes_dated", dated);
  s += line("agents", agents_.size());
  s += line("agent_phrases", agent_phrases_.size());
  s += line("discards", discards_.size());
  s += line("issues", issues_.size());
  s += line("issue_phrases", issue_phrases_.size());
  s += line("issue_codes", issue_codes_.size());
  s += line("issue_categories", issue_categories_.size());
  return s;
}

}  // namespace dyad::dict
