// The shared data model: every stage reads and writes these types, and only these.
//
// Offsets are byte offsets into Document::text (UTF-8), half-open [begin, end). Document::text
// is the text as read, with only invalid UTF-8 repaired; normalisation (quotes, dashes, NFC)
// changes token forms, never Document::text, so events can always point back to the original.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace dyad {

struct Span {
  uint32_t begin = 0;
  uint32_t end = 0;
  bool operator==(const Span&) const = default;
};

// A surface token as written in the text. A multiword token ("don't") expands to several
// syntactic words ("do", "n't"); an ordinary token to exactly one.
struct Token {
  std::string form;         // normalised surface form (quotes, dashes, NFC)
  Span span;                // where it is in Document::text
  bool space_after = true;  // false when the next token follows without whitespace
  uint32_t first_word = 0;  // index into Sentence::words
  uint32_t last_word = 0;   // inclusive; == first_word for a single-word token
};

// A syntactic word: the unit the tagger and parser annotate (a CoNLL-U word line).
struct Word {
  std::string form;
  std::string lemma;
  std::string upos;
  std::string xpos;
  std::string feats;   // "_" or "Feat=Val|..."
  int head = -1;       // 0 is the root; 1-based index of the head word; -1 not parsed yet
  std::string deprel;  // UD v2 relation, e.g. "nsubj", "obl:tmod"
  std::string deps = "_";
  std::string misc = "_";
  uint32_t token = 0;  // index into Sentence::tokens
};

struct Sentence {
  std::string id;                     // sent_id, when known
  Span span;                          // the sentence in Document::text
  std::string text;                   // the sentence's text (a copy of the span)
  std::vector<Token> tokens;
  std::vector<Word> words;
  std::vector<std::string> comments;  // extra CoNLL-U comment lines, without "# "
  bool new_paragraph = false;
  bool new_document = false;
  // Tagged but deliberately not parsed: the pipeline's pre-pass found no dictionary verb, or
  // no actor, so no event can come from it (see Coder::SentencesToParse). The coder codes
  // nothing in it.
  bool parse_skipped = false;
};

// An actor found in a sentence: a dictionary phrase (possibly composed with agents, e.g.
// "Iraqi police" -> IRQ + COP) over a run of words.
struct Mention {
  uint32_t sentence = 0;       // index in Document::sentences
  uint32_t first_word = 0;     // words [first_word, last_word] of that sentence, 0-based
  uint32_t last_word = 0;
  uint32_t head_word = 0;      // the word the parse treats as the mention's head
  Span span;                   // in Document::text
  std::string code;            // full actor code, e.g. "IRQCOP"; "" when only an agent matched
  std::string entry;           // the dictionary entry that matched, for explanations
  std::string where;           // its dictionary file:line
};

// Where an event happened (filled by geo::Locator; `how` is "" when no place was found).
struct EventLocation {
  std::string how;          // "preposition", "dateline", "mention", "actor" or ""
  std::string name;         // place name as the gazetteer writes it
  std::string admin1;       // admin-1 name, else its GeoNames code; "" for a country
  std::string admin1_code;  // GeoNames admin-1 code ("CA", "07"); "" for a country
  std::string country;      // ISO 3166-1 alpha-3
  double lat = 0, lon = 0;  // degrees (WGS 84)
  uint32_t geonames_id = 0;  // the GeoNames id of a city, 0 otherwise
  int kind = 0;             // 0 city, 1 admin-1 region, 2 country (geo::PlaceKind)
  bool found() const { return !how.empty(); }
};

// A coded event: who did what to whom, with everything needed to show why it exists.
struct Event {
  std::string doc_id;
  uint32_t sentence = 0;       // index in the document
  std::string date;            // YYYY-MM-DD
  std::string source;          // full actor codes; "" when absent
  std::string target;
  std::string code;            // CAMEO event code, e.g. "100"
  std::string root;            // "10"
  int quad_class = 0;          // 1 verbal coop, 2 material coop, 3 verbal conflict, 4 material conflict
  double goldstein = 0;
  std::vector<std::string> issues;
  Span source_span, target_span, verb_span;  // in Document::text; empty when absent
  std::string source_text, target_text, verb_text;
  std::string pattern;         // the verb-dictionary line that fired
  std::string pattern_where;   // its file:line
  std::string text;            // the sentence
  EventLocation location;      // where it happened, when geolocated
};

struct Document {
  std::string id;
  std::string text;   // as read; invalid UTF-8 bytes repaired to U+FFFD
  std::string date;   // YYYY-MM-DD or empty
  std::string title;
  std::string source;
  std::string url;
  // Other input fields carried through to the output (JSONL members other than the above),
  // name and raw JSON value, in input order.
  std::vector<std::pair<std::string, std::string>> extra;
  std::vector<Sentence> sentences;
};

}  // namespace dyad
