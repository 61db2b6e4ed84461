// Event-coding dictionaries: the verb patterns, actors, agents, discards and issues that turn a
// parsed sentence into CAMEO events.
//
// Where they come from. dyad reads the community's dictionaries in the PETRARCH-2 formats
// (CAMEO.2.0.txt, Phoenix.*.actors.txt, Phoenix.agents.txt, Phoenix.discards.txt,
// Phoenix.IssueCoding.txt) and the older TABARI / PETRARCH-1 verb-pattern syntax
// (PETR.Validate.verbs.txt). DictionaryBuilder parses the text files; a malformed line is
// reported with its file and line number (ImportReport) and skipped, and the rest still loads.
// `dyad dict import` compiles them into one binary file (.dyadd) that loads in milliseconds.
//
// What a coder gets. A Dictionary is immutable: build or load it once, share the
// std::shared_ptr<const Dictionary> across threads, and call only const methods. Every word is
// interned as a WordId (upper-case, as the dictionaries write them); look a sentence's words up
// once with FindWord() and match ids from then on.
//   - Actors, agents, discards, issues and synset members are phrases in PhraseTables, indexed
//     by their first word and sorted longest first, so the longest match wins.
//   - Verbs are indexed by every form (VerbsForWord): the base form, which is the lemma a
//     parser gives, and the inflected forms. A verb belongs to a VerbBlock whose patterns are
//     sorted most specific first.
//   - A Pattern is structured for matching on a dependency parse: the elements before and after
//     the verb (words, synsets, noun phrases with a head, prepositional phrases, and the source
//     `$`, target `+`, compound `%` and skip `^` markers), each with its source line for
//     explanations.
//
// The compiled file (see Dictionary::Serialize) starts with a magic, a format version, the
// tagset the patterns assume ("UD v2"), the source files with their sizes and checksums, and a
// fingerprint of the contents; a truncated or corrupted file is an error, never undefined
// behaviour.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "dyad/status.h"

namespace dyad::dict {

inline constexpr char kDictMagic[8] = {'D', 'Y', 'A', 'D', 'D', 'I', 'C', 'T'};
// Bump when the layout changes; loaders accept exactly [kMinDictFormatVersion, current].
inline constexpr uint32_t kDictFormatVersion = 1;
inline constexpr uint32_t kMinDictFormatVersion = 1;
// The part-of-speech tagset and dependency labels the coder matches patterns against.
inline constexpr std::string_view kDictTagset = "UD v2";
// The shipped Phoenix/CAMEO set, relative to the data root (see cli::DataRoot()).
inline constexpr std::string_view kDefaultDictionaryFile = "data/dict/phoenix.dyadd";

using WordId = uint32_t;
inline constexpr WordId kNoWord = 0xffffffffu;
inline constexpr uint32_t kNone = 0xffffffffu;  // "no index" for optional references

// Where an entry was read: Dictionary::sources()[file], 1-based line.
struct SourceRef {
  uint32_t file = 0;
  uint32_t line = 0;
  bool operator==(const SourceRef&) const = default;
};

enum class DictKind : uint8_t { kVerbs, kActors, kAgents, kDiscards, kIssues };
std::string_view DictKindName(DictKind kind);  // "verbs", "actors", ...

// ---------------------------------------------------------------------------------------------
// Phrases

// A set of word sequences, each owned by a record (an actor, an agent, a synset, ...). Phrases
// are sorted by first word, then longest first, then (for equal phrases) the entry that wins:
// StartingWith(w) lists the candidates in the order a longest-match coder should try them.
// When two records define the same phrase, only the winner is listed (the builder reports the
// duplicate); PETRARCH-2 keeps the later actor/agent definition, and so does dyad. (The same
// phrase in two synsets is two members, not a duplicate.)
class PhraseTable {
 public:
  struct Phrase {
    uint32_t owner = 0;  // index of the record in its own list (actors(), agents(), ...)
    uint32_t begin = 0;  // into the table's word array
    uint32_t size = 0;   // number of words, >= 1
    // Bit k set: the dictionary wrote a blank (not `_`) before word k, which TABARI reads as
    // "other words may come between". PETRARCH-2 ignores it; Match() requires adjacency.
    uint32_t gaps = 0;
  };

  size_t size() const { return phrases_.size(); }
  bool empty() const { return phrases_.empty(); }
  std::span<const Phrase> phrases() const { return phrases_; }
  std::span<const WordId> Words(const Phrase& p) const {
    return std::span<const WordId>(words_).subspan(p.begin, p.size);
  }

  // Phrases whose first word is `w`, longest first.
  std::span<const Phrase> StartingWith(WordId w) const;

  // The longest phrase that matches `text` at `pos` word for word (adjacent words), or
  // nullptr. `text` holds WordIds (kNoWord for words the dictionary does not know).
  const Phrase* Match(std::span<const WordId> text, size_t pos) const;

 private:
  friend class DictionaryBuilder;
  friend struct TableIo;
  friend struct PayloadIo;
  std::vector<Phrase> phrases_;     // sorted, winners only
  std::vector<WordId> first_word_;  // parallel to phrases_, sorted
  std::vector<WordId> words_;
  // starts_[w] .. starts_[w + 1]: the phrases starting with word w, for every w up to the
  // largest first word; one array read instead of a binary search for each word of each
  // sentence. Derived from first_word_ by IndexFirstWords() after every change.
  std::vector<uint32_t> starts_;
  void IndexFirstWords();
};

// ---------------------------------------------------------------------------------------------
// Verbs and patterns

// An event code as the verb dictionary writes it: [042], [042:043] (paired: the reverse event
// target->source gets 043), [:173] (only the reverse event), [---] (null: no event),
// [080!] (dominant), [023?] (subordinate), [###] (discard), [+++] (complex).
struct VerbCode {
  std::string primary;  // "" when only a paired code is given
  std::string paired;   // "" when none
  bool dominant = false;
  bool subordinate = false;

  // True when neither direction yields an event (the null code).
  bool IsNull() const;
  std::string ToString() const;  // back in dictionary syntax, e.g. "[042:043]"
  bool operator==(const VerbCode&) const = default;
};

// One spelling of a verb. Multi-word verbs (+CORDON_OFF, WIRE_+TAP) keep the words that must
// come right before and after the verb word.
struct VerbForm {
  WordId verb = kNoWord;
  std::vector<WordId> before;
  std::vector<WordId> after;
};

struct Verb {
  uint32_t block = 0;
  VerbCode code;          // its own code, else the block's
  bool own_code = false;  // the verb line had its own [code]
  // forms[0] is the base form as written (the lemma); then the inflected forms, given in {...}
  // or generated by the regular rules (-S/-ES/-IES, -D/-ED/-IED, -ING).
  std::vector<VerbForm> forms;
  bool irregular = false;  // forms came from {...}
  SourceRef where;
  std::string text;  // the dictionary line, for explanations
};

// A block of synonymous verbs ("--- ASK [---] ---") that share their patterns.
struct VerbBlock {
  std::string meaning;             // "ASK"
  VerbCode code;                   // the block's code ([---] when none)
  std::vector<uint32_t> verbs;     // into Dictionary::verbs()
  std::vector<uint32_t> patterns;  // into Dictionary::patterns(), most specific first
  SourceRef where;
};

enum class ElementKind : uint8_t {
  kWord,        // id = WordId
  kSynset,      // id = synset index: any member phrase matches
  kNounPhrase,  // {MOD ... HEAD}: children are the modifiers, then the head (last)
  kPrepPhrase,  // (PREP OBJ ...): children[0] is the preposition (a word or a synset), then the
                // objects: words, synsets, noun phrases and markers
  kSource,      // $ : the source actor is here
  kTarget,      // + : the target actor is here
  kCompound,    // % : a compound actor here is both source and target
  kSkip,        // ^ : an actor here is skipped (neither source nor target)
};
std::string_view ElementKindName(ElementKind kind);

struct PatternElement {
  ElementKind kind = ElementKind::kWord;
  // TABARI `_`: this element directly follows the previous one in the text (for the first
  // element after the verb, the verb). Without it, other words may come between.
  bool adjacent = false;
  uint32_t id = kNone;  // see ElementKind
  std::vector<PatternElement> children;
};

// "- [before] * [after] [CODE]": the verb is at `*`. Both PETRARCH-2 patterns
// ("- * (FOR {FINANCIAL AID}) [0231]") and TABARI ones ("- + WAS_* BY $ [031]") read into this
// form. In PETRARCH-2 the bare words are the heads of noun phrases governed by the verb.
struct Pattern {
  uint32_t block = 0;
  std::vector<PatternElement> before;  // in text order
  std::vector<PatternElement> after;   // in text order
  bool verb_adjacent = false;          // `X_*`: the last `before` element directly precedes
  VerbCode code;
  // TABARI's precedence: the number of letters and digits in the pattern's words; longer
  // patterns are tried first.
  uint32_t weight = 0;
  SourceRef where;
  std::string text;  // the dictionary line
};

// "~ a (a b ATTACK) SAY = a b 015": when verb SAY (source a) governs an event ATTACK from a to
// b, code a -> b 015 instead. Variables are letters; "." means any actor, "_" no actor.
struct Transformation {
  struct Level {
    std::string source;         // variable
    std::vector<WordId> verbs;  // the verb, or a combination (WILL_ATTACK); empty means any
  };
  std::vector<Level> levels;  // outermost first
  std::string target;         // the innermost target variable
  std::string out_source, out_target;
  std::string out_code;  // a CAMEO code, or "Q": the lower verb's code
  SourceRef where;
  std::string text;
};

struct Synset {
  std::string name;     // without '&' and without a trailing '_'
  bool plurals = true;  // regular plurals were added for its members
  SourceRef where;
};

// One entry of VerbsForWord: verb `verb`, spelled as its forms[form].
struct VerbRef {
  WordId word = kNoWord;
  uint32_t verb = 0;
  uint32_t form = 0;
};

// ---------------------------------------------------------------------------------------------
// Actors, agents, discards, issues

inline constexpr int32_t kMinDate = 0;  // YYYYMMDD bounds of open date ranges
inline constexpr int32_t kMaxDate = 99991231;

// An actor code, valid between two dates (inclusive, YYYYMMDD).
struct DatedCode {
  std::string code;  // "IRNGOV", "---" (null), "GME/GMW" (a coded compound: several actors)
  int32_t from = kMinDate;
  int32_t to = kMaxDate;
  bool restricted() const { return from != kMinDate || to != kMaxDate; }
};

struct Actor {
  std::string root;  // the primary phrase as written ("HASSAN_ROUHANI_")
  // Date-restricted codes in dictionary order, and unrestricted (default) ones.
  std::vector<DatedCode> codes;
  SourceRef where;

  // The code on `date` (YYYYMMDD): the first restricted code whose range contains it, else the
  // first unrestricted code, else "" (the phrase is an actor with no code on that date).
  std::string_view CodeOn(int32_t date) const;
};

struct Agent {
  std::string code;     // without the '~': "GOV"
  bool prefix = false;  // "NGO~": the agent code goes before the actor's; "~GOV": after
  SourceRef where;
};

struct Discard {
  bool story = false;  // '+': discard the whole story, not only the sentence
  bool stem = true;    // no trailing '_': the last word may continue ("BASEBALL" ~ "BASEBALLS")
  SourceRef where;
};

enum class IssueKind : uint8_t {
  kCode,            // "phrase [CODE]"
  kIgnoreSentence,  // "~phrase": no issues of this category in the sentence
  kIgnoreStory,     // "~~phrase": ... in the story
};

struct IssueCategory {
  std::string name;  // CATEGORY="..."
  std::string type;  // TYPE="..." ("ALL", "COUNTEVENT")
};

struct Issue {
  IssueKind kind = IssueKind::kCode;
  uint32_t code = kNone;      // into issue_codes() (kCode only)
  uint32_t category = kNone;  // into issue_categories(), kNone outside <ISSUE>
  SourceRef where;
};

// ---------------------------------------------------------------------------------------------
// Import reports

struct Diagnostic {
  enum Severity : uint8_t { kWarning, kError };  // kError: the line was skipped
  Severity severity = kError;
  std::string file;
  uint32_t line = 0;  // 0: about the whole file
  std::string message;
  std::string ToString() const;  // "file:12: error: message"
};

struct FileSummary {
  std::string file;  // as given to the builder (a path)
  DictKind kind = DictKind::kVerbs;
  uint64_t bytes = 0;
  uint64_t checksum = 0;  // FNV-1a of the file's bytes
  uint32_t lines = 0;     // physical lines
  uint32_t entries = 0;   // dictionary lines read
  uint32_t skipped = 0;   // dictionary lines rejected (see the errors)
  uint32_t warnings = 0;
};

struct ImportReport {
  std::vector<FileSummary> files;
  std::vector<Diagnostic> diagnostics;  // in file and line order

  size_t errors() const;
  // One line per file: "CAMEO.2.0.txt (verbs): 7843 entries read, 2 skipped, 5 warnings".
  std::string Summary() const;
};

// ---------------------------------------------------------------------------------------------
// The dictionary

class Dictionary {
 public:
  Dictionary() = default;
  // Not copyable: the word index points into the word list.
  Dictionary(const Dictionary&) = delete;
  Dictionary& operator=(const Dictionary&) = delete;

  // A source file as recorded in the compiled dictionary (its base name only, so the same
  // files give the same fingerprint wherever they are).
  struct Source {
    std::string name;
    DictKind kind = DictKind::kVerbs;
    uint64_t bytes = 0;
    uint64_t checksum = 0;
    uint32_t entries = 0;
    uint32_t skipped = 0;
  };

  // Reads a compiled dictionary. Errors name the file and say what to do (rebuild with
  // `dyad dict import`). `expected_tagset` is what the caller's parser produces.
  static Result<std::shared_ptr<const Dictionary>> Load(
      const std::string& path, std::string_view expected_tagset = kDictTagset);
  static Result<std::shared_ptr<const Dictionary>> Parse(
      std::string_view bytes, const std::string& origin,
      std::string_view expected_tagset = kDictTagset);

  // The compiled form. zstd_level 0 stores the payload uncompressed.
  std::string Serialize(int zstd_level = 19) const;
  Status Save(const std::string& path, int zstd_level = 19) const;

  // FNV-1a over the contents (sources and payload); the same files give the same value.
  uint64_t fingerprint() const { return fingerprint_; }
  const std::string& tagset() const { return tagset_; }
  uint32_t format_version() const { return format_version_; }
  std::span<const Source> sources() const { return sources_; }
  std::string Where(SourceRef ref) const;  // "CAMEO.2.0.txt:718"

  // Words.
  size_t num_words() const { return words_.size(); }
  std::string_view word(WordId id) const { return words_[id]; }
  // Case-insensitive (ASCII) lookup; kNoWord when the dictionaries never use `w`.
  WordId FindWord(std::string_view w) const;
  // The words of a phrase, joined by blanks ("HASSAN ROUHANI").
  std::string PhraseText(const PhraseTable& table, const PhraseTable::Phrase& p) const;

  // Verbs.
  std::span<const Synset> synsets() const { return synsets_; }
  const PhraseTable& synset_members() const { return synset_members_; }  // owner = synset
  // The synset named `name` (without '&'), or kNone.
  uint32_t FindSynset(std::string_view name) const;
  // True if a one-word member of `synset` is `w`.
  bool InSynset(uint32_t synset, WordId w) const;
  std::span<const VerbBlock> verb_blocks() const { return blocks_; }
  std::span<const Verb> verbs() const { return verbs_; }
  std::span<const Pattern> patterns() const { return patterns_; }
  std::span<const Transformation> transformations() const { return transformations_; }
  // The verbs spelled `w`: multi-word verbs first (try them before the single word), then the
  // verbs whose base form is `w` (VerbRef::form == 0: what a lemma lookup wants), then those
  // with `w` as an inflected form, each in dictionary order. A spelling defined twice in the
  // same role is listed once, for its first definition (as PETRARCH-2 does).
  std::span<const VerbRef> VerbsForWord(WordId w) const;
  // The patterns to try for a verb, most specific first.
  std::span<const uint32_t> PatternsFor(uint32_t verb) const {
    return blocks_[verbs_[verb].block].patterns;
  }

  // Actors, agents, discards, issues.
  std::span<const Actor> actors() const { return actors_; }
  const PhraseTable& actor_phrases() const { return actor_phrases_; }
  std::span<const Agent> agents() const { return agents_; }
  const PhraseTable& agent_phrases() const { return agent_phrases_; }
  std::span<const Discard> discards() const { return discards_; }
  const PhraseTable& discard_phrases() const { return discard_phrases_; }
  std::span<const Issue> issues() const { return issues_; }
  const PhraseTable& issue_phrases() const { return issue_phrases_; }
  std::span<const std::string> issue_codes() const { return issue_codes_; }
  std::span<const IssueCategory> issue_categories() const { return issue_categories_; }

  // A pattern in canonical dictionary syntax, e.g. "- $ * (FOR {FINANCIAL AID}) [0231]" or
  // "- IN_* &CURRENCY [073]": what the reader understood, for explanations and tests.
  std::string PatternText(const Pattern& p) const;

  // Counts for `dyad dict stats`, one "name value" line each.
  std::string StatsText() const;

 private:
  friend class DictionaryBuilder;
  friend class DictionaryCodec;
  friend struct PayloadIo;
  void BuildWordIndex();

  uint32_t format_version_ = kDictFormatVersion;
  std::string tagset_{kDictTagset};
  uint64_t fingerprint_ = 0;
  std::vector<Source> sources_;

  std::vector<std::string> words_;
  // FindWord's index: open addressing over words_, each slot (hash >> 32) << 32 | (id + 1), 0
  // when empty. Flat, because the coder looks up every word of every sentence several times.
  std::vector<uint64_t> word_slots_;
  size_t word_mask_ = 0;

  std::vector<Synset> synsets_;
  PhraseTable synset_members_;
  std::vector<VerbBlock> blocks_;
  std::vector<Verb> verbs_;
  std::vector<Pattern> patterns_;
  std::vector<Transformation> transformations_;
  std::vector<VerbRef> verb_index_;  // sorted by word

  std::vector<Actor> actors_;
  PhraseTable actor_phrases_;
  std::vector<Agent> agents_;
  PhraseTable agent_phrases_;
  std::vector<Discard> discards_;
  PhraseTable discard_phrases_;
  std::vector<Issue> issues_;
  PhraseTable issue_phrases_;
  std::vector<std::string> issue_codes_;
  std::vector<IssueCategory> issue_categories_;
};

// ---------------------------------------------------------------------------------------------
// Building from the text formats

// Reads dictionary files into a Dictionary. Within a verbs file a synset must be defined
// before a pattern uses it (as in PETRARCH); everything else (duplicates, the verbs that
// transformations name) is resolved by Build(). Not thread-safe. Build() once: later Add()
// calls are ignored.
class DictionaryBuilder {
 public:
  DictionaryBuilder();
  ~DictionaryBuilder();
  DictionaryBuilder(const DictionaryBuilder&) = delete;
  DictionaryBuilder& operator=(const DictionaryBuilder&) = delete;

  // Parses one file's text; `name` is the file name diagnostics show. Malformed lines are
  // reported in report() and skipped.
  void Add(DictKind kind, std::string_view text, const std::string& name);
  // Reads and parses a file; an error only when it cannot be read.
  Status AddFile(DictKind kind, const std::string& path);

  const ImportReport& report() const;
  // Sorts and indexes everything, checks cross-references (reported in report()), and
  // computes the fingerprint.
  std::shared_ptr<const Dictionary> Build();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The files of one dictionary set, as PETR_config.ini names them.
struct DictionaryFiles {
  std::string verbs;
  std::vector<std::string> actors;
  std::string agents;
  std::string discards;
  std::string issues;  // optional

  // The Phoenix/CAMEO set the reference configuration uses, in directory `dir`.
  static DictionaryFiles Phoenix(const std::string& dir);
};

// Reads the [Dictionaries] section of a PETRARCH configuration file. File names are resolved
// against the configuration's directory, then its dictionaries/ and data/dictionaries/
// subdirectories (where PETRARCH keeps them).
Result<DictionaryFiles> ReadPetrarchConfig(const std::string& config_path);

// Builds a dictionary from a set of files; `report` receives the per-file summary and the
// diagnostics. An error only when a file cannot be read.
Result<std::shared_ptr<const Dictionary>> Import(const DictionaryFiles& files,
                                                 ImportReport* report);

}  // namespace dyad::dict
