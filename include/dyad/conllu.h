// CoNLL-U (UD v2) reading and writing.
//
// ReadConllu parses a whole file into sentences and also rebuilds the file's raw text (tokens
// joined by their SpaceAfter flags, sentences by a space, paragraphs and documents by a blank
// line), setting every token's span into it: that is the text `dyad eval parse --raw` parses
// from scratch and aligns against. Empty nodes (ids like "8.1") are skipped. Errors name the
// origin and line number.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "dyad/status.h"
#include "dyad/types.h"

namespace dyad {

struct ConlluCorpus {
  std::vector<Sentence> sentences;
  std::string text;  // the reconstructed raw text; Token::span and Sentence::span point into it
};

Result<ConlluCorpus> ReadConllu(std::string_view data, const std::string& origin);
Result<ConlluCorpus> ReadConlluFile(const std::string& path);

// Appends one sentence in CoNLL-U, with "# sent_id", "# text" and its comments, and the
// blank line that ends it. Multiword tokens get their range line.
void WriteConllu(const Sentence& s, std::string* out);

}  // namespace dyad
