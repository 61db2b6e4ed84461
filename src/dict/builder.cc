// DictionaryBuilder: the readers for the PETRARCH-2 and TABARI dictionary formats.
//
// Each reader walks its file line by line (LineReader strips comments) and either accepts a
// line (FileSummary::entries) or reports why it skipped it (Diagnostic::kError, skipped).
// Phrases are staged with their insertion order; Build() sorts them into PhraseTables, picks
// the winner among duplicates, indexes the verbs and computes the fingerprint.
#include <algorithm>
#include <filesystem>
#include <map>
#include <numeric>
#include <unordered_map>

#include "dict/codec.h"
#include "dict/text_util.h"
#include "dyad/cameo.h"
#include "dyad/dict.h"
#include "util/binary.h"

namespace dyad::dict {

using internal::Line;
using internal::LineReader;
using internal::SplitBlanks;
using internal::Trim;
using internal::Upper;

namespace {

constexpr size_t kMaxPhraseWords = 32;   // PhraseTable::Phrase::gaps is a 32-bit mask
constexpr size_t kMaxExpansions = 4096;  // alternatives/synset/substitution products per line

bool IsCodeChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '/' || c == '+' || c == '#' || c == '_';
}

bool IsAlnum(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

// The characters that have a meaning in patterns and so cannot be part of a word.
bool IsPatternSpecial(char c) {
  return std::string_view("(){}|*$+%^&[]_~").find(c) != std::string_view::npos;
}

// A phrase as the actor/agent/discard/issue files write it: words joined by '_' (adjacent)
// or blanks (TABARI: other words may come between).
struct RawPhrase {
  std::vector<std::string> words;  // upper case
  uint32_t gaps = 0;
};

// Splits "HASSAN_ROUHANI_" or "GROUP OF 77" into words. Returns an error message or "".
std::string SplitPhrase(std::string_view text, RawPhrase* out) {
  out->words.clear();
  out->gaps = 0;
  bool gap = false;
  size_t i = 0;
  while (i < text.size()) {
    char c = text[i];
    if (internal::IsSpace(c)) {
      gap = true;
      ++i;
      continue;
    }
    if (c == '_') {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < text.size() && text[j] != '_' && !internal::IsSpace(text[j])) ++j;
    std::string_view w = text.substr(i, j - i);
    for (char wc : w) {
      if (wc == '[' || wc == ']' || wc == '{' || wc == '}')
        return "unexpected '" + std::string(1, wc) + "' in phrase \"" + std::string(text) + "\"";
    }
    if (out->words.size() == kMaxPhraseWords)
      return "phrase longer than " + std::to_string(kMaxPhraseWords) + " words";
    if (gap && !out->words.empty()) out->gaps |= 1u << out->words.size();
    out->words.push_back(Upper(w));
    gap = false;
    i = j;
  }
  if (out->words.empty()) return "empty phrase";
  return "";
}

// Finds the bracketed groups of a line: "FOO [A] [B 1-2]" -> prefix "FOO ", groups {"A",
// "B 1-2"}, and whatever text is outside them after the first group.
struct Bracketed {
  std::string_view prefix;
  std::vector<std::string_view> groups;
  std::string rest;  // non-blank text between/after groups
  std::string error;
};

Bracketed SplitBrackets(std::string_view s) {
  Bracketed b;
  size_t open = s.find('[');
  b.prefix = s.substr(0, open);
  if (open == std::string_view::npos) {
    if (s.find(']') != std::string_view::npos) b.error = "']' without '['";
    return b;
  }
  size_t i = open;
  while (i < s.size()) {
    if (s[i] == '[') {
      size_t close = s.find(']', i + 1);
      if (close == std::string_view::npos) {
        b.error = "missing ']'";
        return b;
      }
      std::string_view inside = s.substr(i + 1, close - i - 1);
      if (inside.find('[') != std::string_view::npos) {
        b.error = "'[' inside [...]";
        return b;
      }
      b.groups.push_back(inside);
      i = close + 1;
    } else {
      if (!internal::IsSpace(s[i])) b.rest.push_back(s[i]);
      ++i;
    }
  }
  return b;
}

std::string BaseName(const std::string& path) {
  return std::filesystem::path(path).filename().string();
}

}  // namespace

// ---------------------------------------------------------------------------------------------

struct DictionaryBuilder::Impl {
  std::shared_ptr<Dictionary> d = std::make_shared<Dictionary>();
  ImportReport report;
  bool built = false;

  std::unordered_map<std::string, WordId> vocab;

  struct Staged {
    uint32_t owner;
    std::vector<WordId> words;
    uint32_t gaps;
    uint32_t order;  // insertion order, for "later definition wins"
    SourceRef where;
  };
  std::vector<Staged> synset_st, actor_st, agent_st, discard_st, issue_st;
  uint32_t order = 0;

  std::unordered_map<std::string, uint32_t> synset_by_name;
  std::map<std::string, std::vector<std::string>> substitutions;  // agents' !MARKER!
  std::unordered_map<std::string, uint32_t> issue_code_index;
  std::vector<uint32_t> diag_file;  // file index of each diagnostic, for sorting

  // The file being read.
  uint32_t file = 0;
  FileSummary* summary = nullptr;
  uint32_t block = kNone;            // current verb block
  uint32_t rejected_actor_line = 0;  // the current actor record was rejected at this line

  // ---- diagnostics

  void Report(Diagnostic::Severity sev, uint32_t line, std::string message) {
    Report(sev, file, line, std::move(message));
  }
  void Report(Diagnostic::Severity sev, uint32_t f, uint32_t line, std::string message) {
    Diagnostic dg;
    dg.severity = sev;
    dg.file = report.files[f].file;
    dg.line = line;
    dg.message = std::move(message);
    report.diagnostics.push_back(std::move(dg));
    diag_file.push_back(f);
    if (sev == Diagnostic::kWarning) ++report.files[f].warnings;
  }
  // Returns false so that readers can `return Error(...)`.
  bool Error(uint32_t line, std::string message) {
    Report(Diagnostic::kError, line, std::move(message));
    return false;
  }
  void Warn(uint32_t line, std::string message) {
    Report(Diagnostic::kWarning, line, std::move(message));
  }

  WordId Intern(const std::string& upper) {
    auto [it, inserted] = vocab.try_emplace(upper, static_cast<WordId>(d->words_.size()));
    if (inserted) d->words_.push_back(upper);
    return it->second;
  }

  void Stage(std::vector<Staged>* st, uint32_t owner, const RawPhrase& p, uint32_t line) {
    Staged s;
    s.owner = owner;
    s.gaps = p.gaps;
    s.order = order++;
    s.where = {file, line};
    for (const auto& w : p.words) s.words.push_back(Intern(w));
    st->push_back(std::move(s));
  }

  SourceRef Here(uint32_t line) const { return {file, line}; }

  // ---- the readers

  void Read(DictKind kind, std::string_view text) {
    LineReader reader(text);
    Line line;
    bool in_synset = false;
    uint32_t synset = kNone;
    uint32_t actor = kNone;
    uint32_t category = kNone;
    while (reader.Next(&line)) {
      // TABARI's end-of-dictionary mark: what follows is not read.
      if (kind == DictKind::kVerbs && line.content == "~FINISH") break;
      bool ok = true;
      switch (kind) {
        case DictKind::kVerbs:
          ok = VerbsLine(line, &in_synset, &synset);
          break;
        case DictKind::kActors:
          ok = ActorsLine(line, &actor);
          break;
        case DictKind::kAgents:
          ok = AgentsLine(line);
          break;
        case DictKind::kDiscards:
          ok = DiscardsLine(line);
          break;
        case DictKind::kIssues:
          ok = IssuesLine(line, &category);
          break;
      }
      if (ok) {
        ++summary->entries;
      } else {
        ++summary->skipped;
      }
    }
    if (kind == DictKind::kActors) FinishActor(actor);
    summary->lines = reader.lines_read();
    if (reader.unclosed_comment())
      Warn(reader.unclosed_comment(),
           "XML comment '<!--' is never closed; the rest of the "
           "file was read as a comment");
  }

  // ================================ verbs ================================

  bool VerbsLine(const Line& line, bool* in_synset, uint32_t* synset) {
    const std::string& c = line.content;
    if (c[0] == '+' && *in_synset) {
      if (*synset == kNone)
        return Error(line.number,
                     "member of a synset whose definition "
                     "was rejected");
      return SynsetMember(line, *synset);
    }
    *in_synset = false;
    if (c.starts_with("---")) return BlockHeader(line);
    if (c[0] == '-') return PatternLine(line);
    if (c[0] == '&') {
      *in_synset = true;
      *synset = kNone;
      return SynsetHeader(line, synset);
    }
    if (c[0] == '~') return TransformationLine(line);
    if (c[0] == '<') {
      std::string tag = Upper(c);
      if (tag == "<SYNSETS>" || tag == "</SYNSETS>") return true;
      return Error(line.number, "unknown tag " + c);
    }
    return VerbLine(line);
  }

  // "[042:043]", "[:173]", "[080!]", "[023?]", "[---]".
  bool ParseVerbCode(std::string_view inside, uint32_t line, VerbCode* code) {
    std::string_view s = Trim(inside);
    *code = VerbCode();
    while (!s.empty() && (s.back() == '!' || s.back() == '?')) {
      (s.back() == '!' ? code->dominant : code->subordinate) = true;
      s.remove_suffix(1);
    }
    size_t colon = s.find(':');
    std::string_view primary = Trim(s.substr(0, colon));
    std::string_view paired =
        colon == std::string_view::npos ? std::string_view() : Trim(s.substr(colon + 1));
    if (paired.find(':') != std::string_view::npos)
      return Error(line, "code [" + std::string(inside) + "] has more than one ':'");
    if (primary.empty() && paired.empty())
      return Error(line, "empty code [" + std::string(inside) + "]");
    for (std::string_view part : {primary, paired}) {
      if (part.empty() || cameo::IsSpecialCode(part)) continue;
      for (char ch : part)
        if (!IsAlnum(ch)) return Error(line, "malformed code [" + std::string(inside) + "]");
      bool numeric =
          std::all_of(part.begin(), part.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
      if (numeric && !cameo::IsValid(part))
        Warn(line, "code " + std::string(part) + " is not in the CAMEO codebook");
    }
    code->primary = std::string(primary);
    code->paired = std::string(paired);
    return true;
  }

  bool BlockHeader(const Line& line) {
    std::string_view s = line.content;
    while (!s.empty() && s.front() == '-') s.remove_prefix(1);
    while (!s.empty() && s.back() == '-') s.remove_suffix(1);
    Bracketed b = SplitBrackets(s);
    VerbBlock blk;
    blk.meaning = Upper(Trim(b.prefix));
    blk.code.primary = std::string(cameo::kNullCode);
    blk.where = Here(line.number);
    bool ok = true;
    if (!b.error.empty()) {
      ok = Error(line.number, "block header: " + b.error + "; the block has the null code");
    } else if (!b.groups.empty()) {
      VerbCode code;
      if (ParseVerbCode(b.groups[0], line.number, &code)) {
        blk.code = code;
      } else {
        ok = false;  // reported; keep the block so that its verbs still load
      }
      if (b.groups.size() > 1)
        Warn(line.number, "block header has " + std::to_string(b.groups.size()) +
                              " codes; only the first is used");
    }
    if (blk.meaning.empty()) Warn(line.number, "block header without a name");
    block = static_cast<uint32_t>(d->blocks_.size());
    d->blocks_.push_back(std::move(blk));
    return ok;
  }

  // Parses a verb spelling: "+CORDON_OFF", "WIRE_+TAP", "LASH OUT", "AGREE". `verb_at` is
  // where the verb word is when the spelling has no '+' (-1: the first word, with a warning
  // for '_'-joined phrases).
  bool ParseVerbSpelling(std::string_view text, uint32_t line, int verb_at, VerbForm* form,
                         int* verb_index, size_t* num_parts) {
    std::vector<std::string> parts;
    bool blanks = false;
    std::string cur;
    for (char ch : text) {
      if (ch == '_' || internal::IsSpace(ch)) {
        if (internal::IsSpace(ch)) blanks = true;
        if (!cur.empty()) parts.push_back(std::move(cur));
        cur.clear();
      } else {
        cur.push_back(ch);
      }
    }
    if (!cur.empty()) parts.push_back(std::move(cur));
    if (parts.empty()) return Error(line, "empty verb");
    int plus = -1;
    for (size_t i = 0; i < parts.size(); ++i) {
      if (parts[i][0] == '+') {
        if (plus >= 0) return Error(line, "verb \"" + std::string(text) + "\" has two '+'");
        plus = static_cast<int>(i);
        parts[i].erase(0, 1);
        if (parts[i].empty())
          return Error(line, "'+' without a verb in \"" + std::string(text) + "\"");
      }
      for (char ch : parts[i])
        if (IsPatternSpecial(ch))
          return Error(line, "unexpected '" + std::string(1, ch) + "' in verb \"" +
                                 std::string(text) + "\"");
    }
    if (plus < 0) {
      if (verb_at >= 0 && static_cast<size_t>(verb_at) < parts.size()) {
        plus = verb_at;
      } else {
        plus = 0;
        if (parts.size() > 1 && !blanks && verb_at < 0)
          Warn(line, "multi-word verb \"" + std::string(text) +
                         "\" has no '+' marking the verb; taking the first word");
      }
    }
    form->verb = Intern(Upper(parts[plus]));
    form->before.clear();
    form->after.clear();
    for (int i = 0; i < plus; ++i) form->before.push_back(Intern(Upper(parts[i])));
    for (size_t i = plus + 1; i < parts.size(); ++i) form->after.push_back(Intern(Upper(parts[i])));
    *verb_index = plus;
    *num_parts = parts.size();
    return true;
  }

  bool VerbLine(const Line& line) {
    if (block == kNone)
      return Error(line.number, "verb outside a block (no \"--- NAME ---\" line before it)");
    std::string_view s = line.content;
    // {forms}
    std::string_view forms_text;
    bool has_forms = false;
    std::string rest_text;
    size_t lb = s.find('{');
    if (lb != std::string_view::npos) {
      size_t rb = s.find('}', lb);
      if (rb == std::string_view::npos)
        return Error(line.number, "missing '}' after the verb forms");
      forms_text = s.substr(lb + 1, rb - lb - 1);
      has_forms = true;
      rest_text = std::string(s.substr(0, lb)) + " " + std::string(s.substr(rb + 1));
    } else {
      if (s.find('}') != std::string_view::npos) return Error(line.number, "'}' without '{'");
      rest_text = std::string(s);
    }
    Bracketed b = SplitBrackets(rest_text);
    if (!b.error.empty()) return Error(line.number, b.error);
    Verb v;
    v.block = block;
    v.code = d->blocks_[block].code;
    if (!b.groups.empty()) {
      if (!ParseVerbCode(b.groups[0], line.number, &v.code)) return false;
      v.own_code = true;
      if (b.groups.size() > 1) Warn(line.number, "verb has more than one code; using the first");
    }
    if (!b.rest.empty()) Warn(line.number, "text after the verb's code ignored: " + b.rest);
    std::string_view spelling = Trim(b.prefix);
    if (spelling.empty()) return Error(line.number, "no verb before the code");
    VerbForm base;
    int verb_index = 0;
    size_t num_parts = 0;
    if (!ParseVerbSpelling(spelling, line.number, -1, &base, &verb_index, &num_parts)) return false;
    v.forms.push_back(base);
    if (has_forms) {
      v.irregular = true;
      std::string list(forms_text);
      std::replace(list.begin(), list.end(), ',', ' ');
      for (std::string_view f : SplitBlanks(list)) {
        VerbForm form;
        int idx = 0;
        size_t n = 0;
        if (!ParseVerbSpelling(f, line.number, verb_index, &form, &idx, &n)) return false;
        v.forms.push_back(std::move(form));
      }
    } else {
      std::string w(d->words_[base.verb]);
      for (const std::string& inflected :
           {internal::ThirdPersonOf(w), internal::PastOf(w), internal::GerundOf(w)}) {
        VerbForm form = base;
        form.verb = Intern(inflected);
        v.forms.push_back(std::move(form));
      }
    }
    v.where = Here(line.number);
    v.text = std::string(Trim(line.raw));
    uint32_t id = static_cast<uint32_t>(d->verbs_.size());
    d->blocks_[block].verbs.push_back(id);
    if (d->blocks_[block].meaning.empty()) d->blocks_[block].meaning = d->words_[base.verb];
    d->verbs_.push_back(std::move(v));
    return true;
  }

  // ---- synsets

  bool SynsetHeader(const Line& line, uint32_t* synset) {
    std::string name = Upper(line.content.substr(1));
    if (name.empty()) return Error(line.number, "synset without a name");
    bool plurals = true;
    if (name.back() == '_') {
      plurals = false;
      while (!name.empty() && name.back() == '_') name.pop_back();
    }
    for (char ch : name)
      if (!IsAlnum(ch) && ch != '_') return Error(line.number, "malformed synset name &" + name);
    if (name.empty()) return Error(line.number, "synset without a name");
    auto it = synset_by_name.find(name);
    if (it != synset_by_name.end()) {
      Warn(line.number, "synset &" + name + " is already defined at " +
                            Where(d->synsets_[it->second].where) + "; its members are added");
      *synset = it->second;
      return true;
    }
    *synset = static_cast<uint32_t>(d->synsets_.size());
    synset_by_name[name] = *synset;
    d->synsets_.push_back({name, plurals, Here(line.number)});
    return true;
  }

  // The longest defined synset name made of parts[i..] joined by '_' (parts[i] starts with
  // '&'). Returns the number of parts used, 0 if none is defined.
  size_t ResolveSynset(const std::vector<std::string>& parts, size_t i, uint32_t* id) const {
    for (size_t k = parts.size() - i; k >= 1; --k) {
      std::string name = parts[i].substr(1);
      for (size_t j = 1; j < k; ++j) name += "_" + parts[i + j];
      auto it = synset_by_name.find(name);
      if (it != synset_by_name.end()) {
        *id = it->second;
        return k;
      }
    }
    return 0;
  }

  // A member line "+WORD", "+TWO_WORDS", "+DID N'T", "+&OTHER" or "+&OTHER_WORD" (TABARI
  // allows synsets inside synsets; they are expanded here).
  bool SynsetMember(const Line& line, uint32_t synset) {
    std::string text = Upper(Trim(std::string_view(line.content).substr(1)));
    if (text.empty()) return Error(line.number, "empty synset member");
    bool no_plural = text.back() == '_';
    std::vector<std::string> parts;
    {
      RawPhrase p;
      std::string err = SplitPhrase(text, &p);
      if (!err.empty()) return Error(line.number, err);
      parts = p.words;
    }
    // Each position is a set of alternatives (one for a word, the members of a synset).
    std::vector<std::vector<std::vector<WordId>>> slots;
    bool ends_with_synset = false;
    for (size_t i = 0; i < parts.size();) {
      if (parts[i][0] == '&') {
        uint32_t ref = kNone;
        size_t used = ResolveSynset(parts, i, &ref);
        if (!used) return Error(line.number, "undefined synset " + parts[i]);
        if (ref == synset)
          return Error(line.number, "synset &" + d->synsets_[synset].name + " refers to itself");
        std::vector<std::vector<WordId>> alts;
        for (const Staged& s : synset_st)
          if (s.owner == ref) alts.push_back(s.words);
        if (alts.empty()) return Error(line.number, "synset " + parts[i] + " has no members");
        slots.push_back(std::move(alts));
        i += used;
        ends_with_synset = i == parts.size();
      } else {
        for (char ch : parts[i])
          if (IsPatternSpecial(ch))
            return Error(line.number, "unexpected '" + std::string(1, ch) + "' in synset member");
        slots.push_back({{Intern(parts[i])}});
        ++i;
      }
    }
    size_t total = 1;
    for (const auto& s : slots) {
      total *= s.size();
      if (total > kMaxExpansions)
        return Error(line.number, "synset member expands to too many phrases");
    }
    std::vector<std::vector<WordId>> phrases(1);
    for (const auto& alts : slots) {
      std::vector<std::vector<WordId>> next;
      for (const auto& prefix : phrases)
        for (const auto& alt : alts) {
          auto p = prefix;
          p.insert(p.end(), alt.begin(), alt.end());
          next.push_back(std::move(p));
        }
      phrases = std::move(next);
    }
    bool plural = d->synsets_[synset].plurals && !no_plural && !ends_with_synset;
    for (const auto& p : phrases) {
      if (p.size() > kMaxPhraseWords) return Error(line.number, "synset member too long");
    }
    for (const auto& p : phrases) {
      StageIds(&synset_st, synset, p, line.number);
      if (plural) {
        auto pl = p;
        pl.back() = Intern(internal::PluralOf(d->words_[pl.back()]));
        StageIds(&synset_st, synset, pl, line.number);
      }
    }
    return true;
  }

  void StageIds(std::vector<Staged>* st, uint32_t owner, const std::vector<WordId>& words,
                uint32_t line) {
    st->push_back({owner, words, 0, order++, Here(line)});
  }

  // ---- patterns

  struct Tok {
    enum Type {
      kWord,
      kSynset,
      kLParen,
      kRParen,
      kLBrace,
      kRBrace,
      kBar,
      kStar,
      kSource,
      kTarget,
      kCompound,
      kSkip
    } type;
    uint32_t id = kNone;  // word or synset
    bool joined = false;  // '_' before it
  };

  bool Lex(std::string_view body, uint32_t line, std::vector<Tok>* out) {
    bool join = false;
    size_t i = 0;
    auto push = [&](Tok::Type t, uint32_t id = kNone) {
      Tok tok{t, id, join};
      out->push_back(tok);
      join = false;
    };
    while (i < body.size()) {
      char c = body[i];
      if (internal::IsSpace(c)) {
        join = false;
        ++i;
        continue;
      }
      switch (c) {
        case '_': {
          // "A_B": B follows A directly. "A_ B": TABARI's "A is a whole word" -- no joining.
          char next = i + 1 < body.size() ? body[i + 1] : ' ';
          join = !internal::IsSpace(next) && next != ')' && next != '}' && next != '_';
          ++i;
          continue;
        }
        case '(':
          push(Tok::kLParen);
          ++i;
          continue;
        case ')':
          push(Tok::kRParen);
          ++i;
          continue;
        case '{':
          push(Tok::kLBrace);
          ++i;
          continue;
        case '}':
          push(Tok::kRBrace);
          ++i;
          continue;
        case '|':
          push(Tok::kBar);
          ++i;
          continue;
        case '*':
          push(Tok::kStar);
          ++i;
          continue;
        case '$':
          push(Tok::kSource);
          ++i;
          continue;
        case '+':
          push(Tok::kTarget);
          ++i;
          continue;
        case '%':
          push(Tok::kCompound);
          ++i;
          continue;
        case '^':
          push(Tok::kSkip);
          ++i;
          continue;
        case '[':
        case ']':
        case '~':
          return Error(line, "unexpected '" + std::string(1, c) + "' in pattern");
        default:
          break;
      }
      if (c == '&') {
        // A synset name may itself contain '_' (&FIGHT_OF_WORDS) or be followed by '_'-joined
        // words (&TIETYPES_RELATIONS): take the longest defined name.
        size_t j = i + 1;
        while (j < body.size() && (IsAlnum(body[j]) || body[j] == '_')) ++j;
        std::string name = Upper(body.substr(i + 1, j - i - 1));
        std::vector<std::string> parts;
        size_t start = 0;
        while (start <= name.size()) {
          size_t u = name.find('_', start);
          if (u == std::string::npos) u = name.size();
          parts.push_back(name.substr(start, u - start));
          start = u + 1;
        }
        bool trailing = !parts.empty() && parts.back().empty() && parts.size() > 1;
        while (!parts.empty() && parts.back().empty()) parts.pop_back();
        if (parts.empty() || parts[0].empty()) return Error(line, "'&' without a synset name");
        parts[0] = "&" + parts[0];
        uint32_t id = kNone;
        size_t used = ResolveSynset(parts, 0, &id);
        if (!used) return Error(line, "undefined synset " + parts[0]);
        push(Tok::kSynset, id);
        for (size_t k = used; k < parts.size(); ++k) {
          if (parts[k].empty()) continue;
          join = true;
          push(Tok::kWord, Intern(parts[k]));
        }
        join = trailing && j < body.size() && !internal::IsSpace(body[j]);
        i = j;
        continue;
      }
      size_t j = i;
      while (j < body.size() && !internal::IsSpace(body[j]) && !IsPatternSpecial(body[j])) ++j;
      push(Tok::kWord, Intern(Upper(body.substr(i, j - i))));
      i = j;
    }
    return true;
  }

  // TABARI's { A | B C | D } alternatives: expands the first group and recurses.
  bool ExpandAlternatives(const std::vector<Tok>& toks, uint32_t line,
                          std::vector<std::vector<Tok>>* out) {
    for (size_t i = 0; i < toks.size(); ++i) {
      if (toks[i].type != Tok::kLBrace) continue;
      size_t j = i + 1;
      bool bar = false;
      while (j < toks.size() && toks[j].type != Tok::kRBrace) {
        if (toks[j].type == Tok::kLBrace) return Error(line, "'{' inside '{...}'");
        if (toks[j].type == Tok::kBar) bar = true;
        ++j;
      }
      if (j == toks.size()) return Error(line, "missing '}'");
      if (!bar) {
        i = j;
        continue;
      }
      std::vector<std::vector<Tok>> alts(1);
      for (size_t k = i + 1; k < j; ++k) {
        if (toks[k].type == Tok::kBar) {
          alts.emplace_back();
        } else {
          alts.back().push_back(toks[k]);
        }
      }
      for (auto& alt : alts) {
        if (alt.empty()) return Error(line, "empty alternative in '{...|...}'");
        alt.front().joined = toks[i].joined;
        std::vector<Tok> expanded(toks.begin(), toks.begin() + i);
        expanded.insert(expanded.end(), alt.begin(), alt.end());
        expanded.insert(expanded.end(), toks.begin() + j + 1, toks.end());
        if (!ExpandAlternatives(expanded, line, out)) return false;
        if (out->size() > kMaxExpansions) return Error(line, "too many alternatives");
      }
      return true;
    }
    out->push_back(toks);
    return true;
  }

  static PatternElement Leaf(const Tok& t) {
    PatternElement e;
    e.adjacent = t.joined;
    switch (t.type) {
      case Tok::kWord:
        e.kind = ElementKind::kWord;
        e.id = t.id;
        break;
      case Tok::kSynset:
        e.kind = ElementKind::kSynset;
        e.id = t.id;
        break;
      case Tok::kSource:
        e.kind = ElementKind::kSource;
        break;
      case Tok::kTarget:
        e.kind = ElementKind::kTarget;
        break;
      case Tok::kCompound:
        e.kind = ElementKind::kCompound;
        break;
      default:
        e.kind = ElementKind::kSkip;
        break;
    }
    return e;
  }

  static bool IsLeaf(Tok::Type t) {
    return t == Tok::kWord || t == Tok::kSynset || t == Tok::kSource || t == Tok::kTarget ||
           t == Tok::kCompound || t == Tok::kSkip;
  }

  // {MOD ... HEAD} starting at toks[*i] == '{'.
  bool ParseNounPhrase(const std::vector<Tok>& toks, size_t* i, uint32_t line, PatternElement* np) {
    np->kind = ElementKind::kNounPhrase;
    np->adjacent = toks[*i].joined;
    for (++*i; *i < toks.size() && toks[*i].type != Tok::kRBrace; ++*i) {
      if (!IsLeaf(toks[*i].type))
        return Error(line,
                     "only words, synsets and $ + % ^ may "
                     "appear inside '{...}'");
      np->children.push_back(Leaf(toks[*i]));
    }
    if (*i == toks.size()) return Error(line, "missing '}'");
    if (np->children.empty()) return Error(line, "empty noun phrase '{}'");
    return true;
  }

  // (PREP OBJ ...) starting at toks[*i] == '('.
  bool ParsePrepPhrase(const std::vector<Tok>& toks, size_t* i, uint32_t line, PatternElement* pp) {
    pp->kind = ElementKind::kPrepPhrase;
    pp->adjacent = toks[*i].joined;
    for (++*i; *i < toks.size() && toks[*i].type != Tok::kRParen; ++*i) {
      const Tok& t = toks[*i];
      if (pp->children.empty()) {
        if (t.type != Tok::kWord && t.type != Tok::kSynset)
          return Error(line, "a prepositional phrase '(...)' must start with its preposition");
        pp->children.push_back(Leaf(t));
      } else if (t.type == Tok::kLBrace) {
        PatternElement np;
        if (!ParseNounPhrase(toks, i, line, &np)) return false;
        pp->children.push_back(std::move(np));
      } else if (IsLeaf(t.type)) {
        pp->children.push_back(Leaf(t));
      } else {
        return Error(line, "unexpected token inside '(...)'");
      }
    }
    if (*i == toks.size()) return Error(line, "missing ')'");
    if (pp->children.empty()) return Error(line, "empty prepositional phrase '()'");
    return true;
  }

  bool BuildPattern(const std::vector<Tok>& toks, uint32_t line, Pattern* p) {
    bool after = false;
    for (size_t i = 0; i < toks.size(); ++i) {
      const Tok& t = toks[i];
      auto& side = after ? p->after : p->before;
      switch (t.type) {
        case Tok::kStar:
          if (after) return Error(line, "more than one '*' in pattern");
          after = true;
          p->verb_adjacent = t.joined;
          break;
        case Tok::kLBrace: {
          PatternElement np;
          if (!ParseNounPhrase(toks, &i, line, &np)) return false;
          side.push_back(std::move(np));
          break;
        }
        case Tok::kLParen: {
          PatternElement pp;
          if (!ParsePrepPhrase(toks, &i, line, &pp)) return false;
          side.push_back(std::move(pp));
          break;
        }
        case Tok::kRParen:
          return Error(line, "')' without '('");
        case Tok::kRBrace:
          return Error(line, "'}' without '{'");
        case Tok::kBar:
          return Error(line, "'|' outside '{...}'");
        default:
          side.push_back(Leaf(t));
          break;
      }
    }
    if (!after) return Error(line, "pattern without the verb marker '*'");
    return true;
  }

  bool PatternLine(const Line& line) {
    if (block == kNone) return Error(line.number, "pattern outside a verb block");
    std::string_view s = std::string_view(line.content).substr(1);
    size_t open = s.rfind('[');
    if (open == std::string_view::npos) return Error(line.number, "pattern without a [CODE]");
    size_t close = s.find(']', open);
    if (close == std::string_view::npos) return Error(line.number, "missing ']'");
    if (!Trim(s.substr(close + 1)).empty())
      Warn(line.number,
           "text after the pattern's code ignored: " + std::string(Trim(s.substr(close + 1))));
    Pattern base;
    if (!ParseVerbCode(s.substr(open + 1, close - open - 1), line.number, &base.code)) return false;
    std::string_view body = s.substr(0, open);
    size_t stars = std::count(body.begin(), body.end(), '*');
    if (stars == 0) return Error(line.number, "pattern without the verb marker '*'");
    if (stars > 1) return Error(line.number, "more than one '*' in pattern");
    std::vector<Tok> toks;
    if (!Lex(body, line.number, &toks)) return false;
    std::vector<std::vector<Tok>> variants;
    if (!ExpandAlternatives(toks, line.number, &variants)) return false;
    uint32_t weight = 0;
    for (char ch : body) weight += IsAlnum(ch) ? 1 : 0;
    std::vector<Pattern> built;
    for (const auto& v : variants) {
      Pattern p;
      p.block = block;
      p.code = base.code;
      p.weight = weight;
      p.where = Here(line.number);
      p.text = std::string(Trim(line.raw));
      if (!BuildPattern(v, line.number, &p)) return false;
      built.push_back(std::move(p));
    }
    for (auto& p : built) {
      d->blocks_[block].patterns.push_back(static_cast<uint32_t>(d->patterns_.size()));
      d->patterns_.push_back(std::move(p));
    }
    return true;
  }

  // ---- transformations: "~ a (a b ATTACK) SAY = a b 015"

  bool TransformationLine(const Line& line) {
    std::string_view s = std::string_view(line.content).substr(1);
    size_t eq = s.find('=');
    if (eq == std::string_view::npos || s.find('=', eq + 1) != std::string_view::npos)
      return Error(line.number, "transformation needs exactly one '='");
    std::string left;
    for (char ch : s.substr(0, eq)) {
      if (ch == '(' || ch == ')') {
        left += ' ';
        left += ch;
        left += ' ';
      } else {
        left += ch;
      }
    }
    std::vector<std::string_view> lt = SplitBlanks(left);
    std::vector<std::string_view> rt = SplitBlanks(s.substr(eq + 1));
    Transformation t;
    size_t i = 0;
    auto is_var = [](std::string_view v) { return !v.empty() && v != "(" && v != ")"; };
    // level := VAR ( '(' level ')' | VAR ) VERB
    while (true) {
      if (i >= lt.size() || !is_var(lt[i]))
        return Error(line.number, "transformation: expected a source variable");
      Transformation::Level lvl;
      lvl.source = std::string(lt[i++]);
      t.levels.push_back(std::move(lvl));
      if (i < lt.size() && lt[i] == "(") {
        ++i;
        continue;
      }
      if (i >= lt.size() || !is_var(lt[i]))
        return Error(line.number, "transformation: expected a target variable");
      t.target = std::string(lt[i++]);
      break;
    }
    // Verbs, innermost first, each level after the inner one closes.
    for (size_t level = t.levels.size(); level-- > 0;) {
      if (i >= lt.size() || !is_var(lt[i]))
        return Error(line.number, "transformation: expected a verb");
      std::string verb = Upper(lt[i++]);
      if (verb != "Q") {
        RawPhrase p;
        std::string err = SplitPhrase(verb, &p);
        if (!err.empty()) return Error(line.number, "transformation: " + err);
        for (const auto& w : p.words) t.levels[level].verbs.push_back(Intern(w));
      }
      if (level > 0) {
        if (i >= lt.size() || lt[i] != ")")
          return Error(line.number, "transformation: expected ')'");
        ++i;
      }
    }
    if (i != lt.size())
      return Error(line.number, "transformation: unexpected '" + std::string(lt[i]) + "'");
    if (rt.size() != 3)
      return Error(line.number, "transformation: the result must be 'source target code'");
    t.out_source = std::string(rt[0]);
    t.out_target = std::string(rt[1]);
    t.out_code = std::string(rt[2]);
    if (t.out_code != "Q") {
      VerbCode code;
      if (!ParseVerbCode(t.out_code, line.number, &code)) return false;
    }
    t.where = Here(line.number);
    t.text = std::string(Trim(line.raw));
    d->transformations_.push_back(std::move(t));
    return true;
  }

  // ================================ actors ================================

  bool ParseDatedCode(std::string_view inside, uint32_t line, DatedCode* out) {
    std::string_view s = Trim(inside);
    size_t j = 0;
    while (j < s.size() && !internal::IsSpace(s[j]) && s[j] != '<' && s[j] != '>') ++j;
    std::string_view code = s.substr(0, j);
    if (code.empty()) return Error(line, "empty actor code [" + std::string(inside) + "]");
    for (char ch : code)
      if (!IsCodeChar(ch)) return Error(line, "malformed actor code [" + std::string(inside) + "]");
    std::string restriction;
    for (char ch : s.substr(j))
      if (!internal::IsSpace(ch)) restriction.push_back(ch);
    *out = DatedCode();
    out->code = std::string(code);
    if (restriction.empty()) return true;
    auto date = [&](std::string_view ds, int32_t* v) {
      auto parsed = internal::ParseDate(ds);
      if (!parsed)
        return Error(line, "bad date '" + std::string(ds) + "' in [" + std::string(inside) +
                               "] (YYYYMMDD or YYMMDD)");
      *v = *parsed;
      return true;
    };
    if (restriction[0] == '<') return date(std::string_view(restriction).substr(1), &out->to);
    if (restriction[0] == '>') return date(std::string_view(restriction).substr(1), &out->from);
    size_t dash = restriction.find('-');
    if (dash == std::string::npos)
      return Error(line, "date restriction in [" + std::string(inside) +
                             "] needs <DATE, >DATE or DATE-DATE");
    if (!date(std::string_view(restriction).substr(0, dash), &out->from)) return false;
    if (!date(std::string_view(restriction).substr(dash + 1), &out->to)) return false;
    if (out->from > out->to)
      return Error(line, "date range in [" + std::string(inside) + "] ends before it starts");
    return true;
  }

  // Adds the [codes] of a line to actor `a`; false if any is malformed (none is added then).
  bool AddActorCodes(const Bracketed& b, uint32_t line, uint32_t a) {
    std::vector<DatedCode> codes;
    for (std::string_view g : b.groups) {
      DatedCode dc;
      if (!ParseDatedCode(g, line, &dc)) return false;
      codes.push_back(std::move(dc));
    }
    auto& dst = d->actors_[a].codes;
    dst.insert(dst.end(), codes.begin(), codes.end());
    return true;
  }

  void FinishActor(uint32_t a) {
    if (a == kNone) return;
    const Actor& act = d->actors_[a];
    if (act.codes.empty()) {
      Warn(act.where.line, "actor " + act.root +
                               " has no code; its phrases are recognised "
                               "as an actor without a code");
    }
    int defaults = 0;
    for (const auto& c : act.codes) defaults += c.restricted() ? 0 : 1;
    if (defaults > 1)
      Warn(act.where.line, "actor " + act.root + " has " + std::to_string(defaults) +
                               " codes without dates; the first is the default");
  }

  bool ActorsLine(const Line& line, uint32_t* actor) {
    const std::string& c = line.content;
    if ((c[0] == '[' || c[0] == '+') && *actor == kNone && rejected_actor_line)
      return Error(line.number,
                   "belongs to the actor rejected at line " + std::to_string(rejected_actor_line));
    if (c[0] == '[') {
      if (*actor == kNone) return Error(line.number, "code line before any actor");
      Bracketed b = SplitBrackets(c);
      if (!b.error.empty()) return Error(line.number, b.error);
      if (!b.rest.empty()) Warn(line.number, "text outside [...] ignored: " + b.rest);
      return AddActorCodes(b, line.number, *actor);
    }
    bool synonym = c[0] == '+';
    std::string_view body = synonym ? std::string_view(c).substr(1) : std::string_view(c);
    // A rejected primary line takes its synonyms and codes with it.
    auto reject = [&](const std::string& why) {
      if (!synonym) {
        FinishActor(*actor);
        *actor = kNone;
        rejected_actor_line = line.number;
      }
      return Error(line.number, why);
    };
    Bracketed b = SplitBrackets(body);
    if (!b.error.empty()) return reject(b.error);
    RawPhrase p;
    std::string err = SplitPhrase(b.prefix, &p);
    if (!err.empty()) return reject(err);
    if (!b.rest.empty()) Warn(line.number, "text outside [...] ignored: " + b.rest);
    if (synonym) {
      if (*actor == kNone) return Error(line.number, "synonym '+' before any actor");
      if (!b.groups.empty()) {
        Warn(line.number, "code on a synonym line applies to the whole actor");
        if (!AddActorCodes(b, line.number, *actor)) return false;
      }
      Stage(&actor_st, *actor, p, line.number);
      return true;
    }
    FinishActor(*actor);
    rejected_actor_line = 0;
    Actor a;
    a.root = std::string(Trim(b.prefix));
    a.where = Here(line.number);
    uint32_t id = static_cast<uint32_t>(d->actors_.size());
    d->actors_.push_back(std::move(a));
    if (!AddActorCodes(b, line.number, id)) {
      d->actors_.pop_back();
      *actor = kNone;
      rejected_actor_line = line.number;
      return false;
    }
    *actor = id;
    Stage(&actor_st, id, p, line.number);
    return true;
  }

  // ================================ agents ================================

  bool AgentsLine(const Line& line) {
    const std::string& c = line.content;
    if (c[0] == '!' && c.find('=') != std::string::npos) {
      size_t second = c.find('!', 1);
      size_t eq = c.find('=');
      if (second == std::string::npos || second > eq)
        return Error(line.number, "substitution set must look like !NAME! = A, B");
      std::string name = Upper(c.substr(1, second - 1));
      std::vector<std::string> items;
      std::string_view list = std::string_view(c).substr(eq + 1);
      size_t start = 0;
      while (start <= list.size()) {
        size_t comma = list.find(',', start);
        if (comma == std::string_view::npos) comma = list.size();
        std::string item = Upper(Trim(list.substr(start, comma - start)));
        if (!item.empty()) items.push_back(item);
        start = comma + 1;
      }
      if (name.empty() || items.empty())
        return Error(line.number, "substitution set must look like !NAME! = A, B");
      substitutions[name] = std::move(items);
      return true;
    }
    Bracketed b = SplitBrackets(c);
    if (!b.error.empty()) return Error(line.number, b.error);
    if (b.groups.empty()) return Error(line.number, "agent without a [~CODE]");
    if (b.groups.size() > 1) Warn(line.number, "agent has more than one code; using the first");
    if (!b.rest.empty()) Warn(line.number, "text after the agent's code ignored: " + b.rest);
    std::string code = std::string(Trim(b.groups[0]));
    Agent agent;
    if (code.size() >= 2 && code.front() == '~' && code.back() != '~') {
      agent.code = code.substr(1);
    } else if (code.size() >= 2 && code.back() == '~' && code.front() != '~') {
      agent.code = code.substr(0, code.size() - 1);
      agent.prefix = true;
    } else {
      return Error(line.number, "agent code [" + code + "] needs one '~', before or after it");
    }
    agent.code = std::string(Trim(agent.code));
    for (char ch : agent.code)
      if (!IsAlnum(ch)) return Error(line.number, "malformed agent code [" + code + "]");
    agent.where = Here(line.number);

    std::string_view phrase_text = b.prefix;
    std::vector<RawPhrase> phrases;
    if (phrase_text.find('!') != std::string_view::npos) {
      // Substitution markers: every member replaces the marker, without plurals.
      std::vector<std::string> texts{std::string(phrase_text)};
      for (size_t round = 0; round < 8; ++round) {
        std::vector<std::string> next;
        bool changed = false;
        for (const auto& t : texts) {
          size_t a = t.find('!');
          if (a == std::string::npos) {
            next.push_back(t);
            continue;
          }
          size_t z = t.find('!', a + 1);
          if (z == std::string::npos)
            return Error(line.number, "substitution marker without its closing '!'");
          std::string marker = Upper(t.substr(a + 1, z - a - 1));
          auto it = substitutions.find(marker);
          if (it == substitutions.end())
            return Error(line.number, "substitution marker !" + marker + "! is not defined");
          for (const auto& item : it->second)
            next.push_back(t.substr(0, a) + item + t.substr(z + 1));
          changed = true;
        }
        texts = std::move(next);
        if (texts.size() > kMaxExpansions) return Error(line.number, "too many substitutions");
        if (!changed) break;
      }
      for (auto& t : texts) {
        size_t brace = t.find('{');
        if (brace != std::string::npos) t.resize(brace);  // plurals do not apply
        RawPhrase p;
        std::string err = SplitPhrase(t, &p);
        if (!err.empty()) return Error(line.number, err);
        phrases.push_back(std::move(p));
      }
    } else {
      std::string_view singular = phrase_text;
      std::string_view plural_text;
      bool explicit_plural = false;
      size_t lb = phrase_text.find('{');
      if (lb != std::string_view::npos) {
        size_t rb = phrase_text.find('}', lb);
        if (rb == std::string_view::npos) return Error(line.number, "missing '}' after the plural");
        if (!Trim(phrase_text.substr(rb + 1)).empty())
          return Error(line.number, "text between the plural '{...}' and the code");
        singular = phrase_text.substr(0, lb);
        plural_text = Trim(phrase_text.substr(lb + 1, rb - lb - 1));
        explicit_plural = true;
      } else if (phrase_text.find('}') != std::string_view::npos) {
        return Error(line.number, "'}' without '{'");
      }
      RawPhrase p;
      std::string err = SplitPhrase(singular, &p);
      if (!err.empty()) return Error(line.number, err);
      phrases.push_back(p);
      if (explicit_plural) {
        if (!plural_text.empty()) {
          RawPhrase pl;
          err = SplitPhrase(plural_text, &pl);
          if (!err.empty()) return Error(line.number, err);
          phrases.push_back(std::move(pl));
        }
      } else {
        RawPhrase pl = p;
        pl.words.back() = internal::PluralOf(pl.words.back());
        phrases.push_back(std::move(pl));
      }
    }
    uint32_t id = static_cast<uint32_t>(d->agents_.size());
    d->agents_.push_back(std::move(agent));
    for (const auto& p : phrases) Stage(&agent_st, id, p, line.number);
    return true;
  }

  // ================================ discards ================================

  bool DiscardsLine(const Line& line) {
    std::string_view s = line.content;
    Discard dc;
    if (s[0] == '+') {
      dc.story = true;
      s.remove_prefix(1);
    }
    s = Trim(s);
    if (!s.empty() && s.back() == '_') dc.stem = false;
    RawPhrase p;
    std::string err = SplitPhrase(s, &p);
    if (!err.empty()) return Error(line.number, err);
    dc.where = Here(line.number);
    uint32_t id = static_cast<uint32_t>(d->discards_.size());
    d->discards_.push_back(dc);
    Stage(&discard_st, id, p, line.number);
    return true;
  }

  // ================================ issues ================================

  static std::string Attribute(std::string_view tag, std::string_view name) {
    std::string upper = Upper(tag);
    size_t at = upper.find(std::string(name) + "=\"");
    if (at == std::string::npos) return "";
    size_t start = at + name.size() + 2;
    size_t end = tag.find('"', start);
    if (end == std::string_view::npos) return "";
    return std::string(tag.substr(start, end - start));
  }

  // One word of an issue phrase with its expansions: n:WORD (singular and plural), v:WORD
  // (regular verb forms), A+B (A B and A-B). Each result may hold a blank (two words).
  bool ExpandIssueWord(std::string_view token, uint32_t line, std::vector<std::string>* out) {
    std::vector<std::string> pieces;
    size_t start = 0;
    while (start <= token.size()) {
      size_t plus = token.find('+', start);
      if (plus == std::string_view::npos) plus = token.size();
      pieces.emplace_back(token.substr(start, plus - start));
      start = plus + 1;
    }
    std::vector<std::string> acc{""};
    for (size_t k = 0; k < pieces.size(); ++k) {
      std::string piece = Upper(pieces[k]);
      std::vector<std::string> forms;
      if (piece.size() > 2 && piece[1] == ':') {
        std::string w = piece.substr(2);
        if (piece[0] == 'N') {
          forms = {w, internal::PluralOf(w)};
        } else if (piece[0] == 'V') {
          forms = {w, internal::ThirdPersonOf(w), internal::PastOf(w), internal::GerundOf(w)};
        } else {
          Warn(line, "unknown expansion '" + piece.substr(0, 2) + "' ignored");
          forms = {w};
        }
      } else {
        forms = {piece};
      }
      if (forms[0].empty()) return Error(line, "empty word in issue phrase");
      std::vector<std::string> next;
      for (const auto& a : acc)
        for (const auto& f : forms) {
          if (k == 0) {
            next.push_back(f);
          } else {
            next.push_back(a + " " + f);
            next.push_back(a + "-" + f);
          }
        }
      acc = std::move(next);
    }
    *out = std::move(acc);
    return true;
  }

  bool IssuesLine(const Line& line, uint32_t* category) {
    const std::string& c = line.content;
    if (c[0] == '<') {
      std::string tag = Upper(c);
      if (tag.starts_with("</ISSUE")) {
        *category = kNone;
        return true;
      }
      if (tag.starts_with("<ISSUE")) {
        IssueCategory cat;
        cat.name = Attribute(c, "CATEGORY");
        cat.type = Attribute(c, "TYPE");
        if (cat.name.empty()) return Error(line.number, "<ISSUE> without CATEGORY=\"...\"");
        *category = static_cast<uint32_t>(d->issue_categories_.size());
        d->issue_categories_.push_back(std::move(cat));
        return true;
      }
      return Error(line.number, "unknown tag " + c);
    }
    Issue issue;
    issue.category = *category;
    issue.where = Here(line.number);
    std::string_view phrase_text;
    if (c.starts_with("~~")) {
      issue.kind = IssueKind::kIgnoreStory;
      phrase_text = std::string_view(c).substr(2);
    } else if (c[0] == '~') {
      issue.kind = IssueKind::kIgnoreSentence;
      phrase_text = std::string_view(c).substr(1);
    } else {
      Bracketed b = SplitBrackets(c);
      if (!b.error.empty()) return Error(line.number, b.error);
      if (b.groups.empty()) return Error(line.number, "issue phrase without a [CODE]");
      if (b.groups.size() > 1) Warn(line.number, "issue has more than one code; using the first");
      if (!b.rest.empty()) Warn(line.number, "text after the issue's code ignored: " + b.rest);
      std::string code(Trim(b.groups[0]));
      if (code.empty()) return Error(line.number, "empty issue code");
      for (char ch : code)
        if (internal::IsSpace(ch))
          return Error(line.number, "issue code with a blank: [" + code + "]");
      auto [it, inserted] =
          issue_code_index.try_emplace(code, static_cast<uint32_t>(d->issue_codes_.size()));
      if (inserted) d->issue_codes_.push_back(code);
      issue.code = it->second;
      phrase_text = b.prefix;
    }
    std::vector<std::string> texts{""};
    for (std::string_view token : SplitBlanks(phrase_text)) {
      std::vector<std::string> forms;
      if (!ExpandIssueWord(token, line.number, &forms)) return false;
      std::vector<std::string> next;
      for (const auto& a : texts)
        for (const auto& f : forms) next.push_back(a.empty() ? f : a + " " + f);
      texts = std::move(next);
      if (texts.size() > kMaxExpansions) return Error(line.number, "too many expansions");
    }
    if (texts.size() == 1 && texts[0].empty()) return Error(line.number, "empty issue phrase");
    std::vector<RawPhrase> phrases;
    for (const auto& t : texts) {
      RawPhrase p;
      std::string err = SplitPhrase(t, &p);
      if (!err.empty()) return Error(line.number, err);
      p.gaps = 0;  // issue phrases are matched word for word
      phrases.push_back(std::move(p));
    }
    uint32_t id = static_cast<uint32_t>(d->issues_.size());
    d->issues_.push_back(issue);
    for (const auto& p : phrases) Stage(&issue_st, id, p, line.number);
    return true;
  }

  // ================================ build ================================

  std::string Where(SourceRef ref) const {
    return BaseName(report.files[ref.file].file) + ":" + std::to_string(ref.line);
  }

  // Sorts staged phrases into `table`. Among identical phrases the winner is the latest
  // (`later_wins`) or the first definition; a conflicting loser is reported by `describe`.
  template <typename SameFn>
  void Finish(std::vector<Staged>& st, bool owner_in_key, bool later_wins, SameFn same_payload,
              const char* what, PhraseTable* table) {
    std::vector<uint32_t> idx(st.size());
    std::iota(idx.begin(), idx.end(), 0);
    std::sort(idx.begin(), idx.end(), [&](uint32_t a, uint32_t b) {
      const Staged& x = st[a];
      const Staged& y = st[b];
      if (x.words[0] != y.words[0]) return x.words[0] < y.words[0];
      if (x.words.size() != y.words.size()) return x.words.size() > y.words.size();
      if (x.words != y.words) return x.words < y.words;
      if (owner_in_key && x.owner != y.owner) return x.owner < y.owner;
      return later_wins ? x.order > y.order : x.order < y.order;
    });
    table->phrases_.clear();
    table->first_word_.clear();
    table->words_.clear();
    const Staged* winner = nullptr;
    for (uint32_t i : idx) {
      const Staged& s = st[i];
      if (winner && winner->words == s.words && (!owner_in_key || winner->owner == s.owner)) {
        if (winner->owner != s.owner && !same_payload(winner->owner, s.owner)) {
          std::string text;
          for (WordId w : s.words) text += (text.empty() ? "" : " ") + d->words_[w];
          Report(
              Diagnostic::kWarning, s.where.file, s.where.line,
              std::string(what) + " \"" + text + "\" is also defined at " + Where(winner->where) +
                  (later_wins ? ", which comes later and wins" : ", which comes first and wins"));
        }
        continue;
      }
      winner = &s;
      PhraseTable::Phrase p;
      p.owner = s.owner;
      p.begin = static_cast<uint32_t>(table->words_.size());
      p.size = static_cast<uint32_t>(s.words.size());
      p.gaps = s.gaps;
      table->words_.insert(table->words_.end(), s.words.begin(), s.words.end());
      table->phrases_.push_back(p);
      table->first_word_.push_back(s.words[0]);
    }
    table->IndexFirstWords();
  }

  void IndexVerbs() {
    auto& index = d->verb_index_;
    index.clear();
    for (uint32_t v = 0; v < d->verbs_.size(); ++v)
      for (uint32_t f = 0; f < d->verbs_[v].forms.size(); ++f)
        index.push_back({d->verbs_[v].forms[f].verb, v, f});
    auto extra = [&](const VerbRef& r) {
      const VerbForm& f = d->verbs_[r.verb].forms[r.form];
      return f.before.size() + f.after.size();
    };
    // Multi-word spellings first, then base forms (what a lemma lookup wants), then inflected
    // forms, each in dictionary order.
    std::stable_sort(index.begin(), index.end(), [&](const VerbRef& a, const VerbRef& b) {
      if (a.word != b.word) return a.word < b.word;
      if (extra(a) != extra(b)) return extra(a) > extra(b);
      if ((a.form == 0) != (b.form == 0)) return a.form == 0;
      if (a.verb != b.verb) return a.verb < b.verb;
      return a.form < b.form;
    });
    // The same spelling in the same role (base or inflected) in two verbs: the first
    // definition wins, as in PETRARCH-2. FOUND the base form and FOUND the past of FIND both
    // stay.
    std::vector<VerbRef> kept;
    std::vector<bool> warned(d->verbs_.size(), false);
    for (const VerbRef& r : index) {
      const VerbForm& f = d->verbs_[r.verb].forms[r.form];
      bool dup = false;
      for (size_t k = kept.size(); k-- > 0 && kept[k].word == r.word;) {
        const VerbForm& g = d->verbs_[kept[k].verb].forms[kept[k].form];
        if (g.before == f.before && g.after == f.after && (kept[k].form == 0) == (r.form == 0)) {
          dup = true;
          if (kept[k].verb != r.verb && !warned[r.verb]) {
            const Verb& loser = d->verbs_[r.verb];
            const Verb& win = d->verbs_[kept[k].verb];
            if (!(loser.code == win.code && loser.block == win.block)) {
              Report(Diagnostic::kWarning, loser.where.file, loser.where.line,
                     "verb form " + std::string(d->words_[r.word]) + " is also defined at " +
                         Where(win.where) + " (block " + d->blocks_[win.block].meaning +
                         "), which comes first and wins");
              warned[r.verb] = true;
            }
          }
          break;
        }
      }
      if (!dup) kept.push_back(r);
    }
    index = std::move(kept);
  }

  void CheckTransformations() {
    std::vector<Transformation> kept;
    for (auto& t : d->transformations_) {
      std::string missing;
      for (const auto& lvl : t.levels)
        for (WordId w : lvl.verbs)
          if (d->VerbsForWord(w).empty() && missing.empty()) missing = d->words_[w];
      if (!missing.empty()) {
        Report(Diagnostic::kError, t.where.file, t.where.line,
               "transformation names the verb " + missing + ", which no verb block defines");
        --report.files[t.where.file].entries;
        ++report.files[t.where.file].skipped;
        continue;
      }
      kept.push_back(std::move(t));
    }
    d->transformations_ = std::move(kept);
  }

  std::shared_ptr<const Dictionary> Build() {
    built = true;
    auto same_actor = [&](uint32_t a, uint32_t b) {
      const auto& x = d->actors_[a].codes;
      const auto& y = d->actors_[b].codes;
      if (x.size() != y.size()) return false;
      for (size_t i = 0; i < x.size(); ++i)
        if (x[i].code != y[i].code || x[i].from != y[i].from || x[i].to != y[i].to) return false;
      return true;
    };
    auto same_agent = [&](uint32_t a, uint32_t b) {
      return d->agents_[a].code == d->agents_[b].code &&
             d->agents_[a].prefix == d->agents_[b].prefix;
    };
    auto same_discard = [&](uint32_t a, uint32_t b) {
      return d->discards_[a].story == d->discards_[b].story;
    };
    auto same_issue = [&](uint32_t a, uint32_t b) {
      return d->issues_[a].kind == d->issues_[b].kind && d->issues_[a].code == d->issues_[b].code;
    };
    auto always = [](uint32_t, uint32_t) { return true; };
    Finish(synset_st, true, false, always, "synset member", &d->synset_members_);
    Finish(actor_st, false, true, same_actor, "actor", &d->actor_phrases_);
    Finish(agent_st, false, true, same_agent, "agent", &d->agent_phrases_);
    Finish(discard_st, false, true, same_discard, "discard", &d->discard_phrases_);
    Finish(issue_st, false, true, same_issue, "issue", &d->issue_phrases_);

    for (auto& blk : d->blocks_) {
      std::stable_sort(blk.patterns.begin(), blk.patterns.end(), [&](uint32_t a, uint32_t b) {
        return d->patterns_[a].weight > d->patterns_[b].weight;
      });
    }
    IndexVerbs();
    CheckTransformations();

    // Diagnostics in file order, then line order.
    std::vector<uint32_t> perm(report.diagnostics.size());
    std::iota(perm.begin(), perm.end(), 0);
    std::stable_sort(perm.begin(), perm.end(), [&](uint32_t a, uint32_t b) {
      if (diag_file[a] != diag_file[b]) return diag_file[a] < diag_file[b];
      return report.diagnostics[a].line < report.diagnostics[b].line;
    });
    std::vector<Diagnostic> sorted;
    sorted.reserve(perm.size());
    for (uint32_t i : perm) sorted.push_back(std::move(report.diagnostics[i]));
    report.diagnostics = std::move(sorted);
    diag_file.clear();
    for (const auto& f : report.files) {
      Dictionary::Source src;
      src.name = BaseName(f.file);
      src.kind = f.kind;
      src.bytes = f.bytes;
      src.checksum = f.checksum;
      src.entries = f.entries;
      src.skipped = f.skipped;
      d->sources_.push_back(std::move(src));
    }
    d->BuildWordIndex();
    d->fingerprint_ = DictionaryCodec::Fingerprint(*d);
    return d;
  }
};

// ---------------------------------------------------------------------------------------------

DictionaryBuilder::DictionaryBuilder() : impl_(std::make_unique<Impl>()) {}
DictionaryBuilder::~DictionaryBuilder() = default;

void DictionaryBuilder::Add(DictKind kind, std::string_view text, const std::string& name) {
  Impl& m = *impl_;
  if (m.built) return;
  FileSummary fs;
  fs.file = name;
  fs.kind = kind;
  fs.bytes = text.size();
  fs.checksum = Fnv1a64(text);
  m.report.files.push_back(std::move(fs));
  m.file = static_cast<uint32_t>(m.report.files.size() - 1);
  m.summary = &m.report.files.back();
  // A new verbs file keeps the synsets defined so far but not the previous file's open block.
  if (kind == DictKind::kVerbs) m.block = kNone;
  m.Read(kind, text);
  m.summary = nullptr;
}

Status DictionaryBuilder::AddFile(DictKind kind, const std::string& path) {
  DYAD_ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  Add(kind, text, path);
  return Status::Ok();
}

const ImportReport& DictionaryBuilder::report() const { return impl_->report; }

std::shared_ptr<const Dictionary> DictionaryBuilder::Build() {
  if (impl_->built) return impl_->d;
  return impl_->Build();
}

}  // namespace dyad::dict
