// Scoring tokenisation, tagging, lemmatisation and parsing against a gold CoNLL-U treebank,
// the way the CoNLL 2018 UD shared task scores them (its conll18_ud_eval.py), so dyad's
// figures can be compared with published ones.
//
// How the two sides are matched:
//   - Each side's token forms are concatenated with every Unicode space (category Zs) removed.
//     The two character strings must be equal, otherwise the evaluation fails with an error
//     naming the first differing character. A token or a sentence is then a character range,
//     and it is correct when the other side has exactly the same range.
//   - Words of ordinary tokens are aligned when their tokens have the same range. Inside a
//     "multiword span" (the smallest range that contains a multiword token of either side and
//     cuts no multiword token of either side) words are aligned by a longest common
//     subsequence of their lower-cased forms.
//   - Tagging and parsing metrics are computed over aligned words: precision divides by the
//     system's words, recall by the gold words, AligndAcc by the aligned words. UFeats keeps
//     only the universal features; LAS, CLAS, MLAS and BLEX compare DEPREL without its subtype
//     (the part before ':'); a gold lemma "_" counts as matching any system lemma. A head is
//     correct when the system head is aligned to the gold head (or both are the root).
//
// All functions are pure and thread-safe; nothing here keeps state.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "dyad/conllu.h"
#include "dyad/status.h"
#include "dyad/types.h"

namespace dyad {

// One metric: counts, and the ratios computed from them exactly as the script does.
struct EvalScore {
  int64_t correct = 0;
  int64_t gold_total = 0;
  int64_t system_total = 0;
  // Aligned words the metric was computed over; -1 for Tokens, Sentences and Words, which are
  // not computed over aligned words (their AligndAcc column is blank).
  int64_t aligned_total = -1;

  double precision() const;  // correct / system_total (0 when there is no system item)
  double recall() const;     // correct / gold_total
  double f1() const;         // 2 * correct / (gold_total + system_total)
  bool has_aligned_accuracy() const { return aligned_total >= 0; }
  double aligned_accuracy() const;  // correct / aligned_total (0 when nothing is aligned)
};

struct EvalReport {
  EvalScore tokens, sentences, words;
  EvalScore upos, xpos, ufeats, alltags, lemmas;
  EvalScore uas, las;
  EvalScore clas, mlas, blex;  // over words with a content DEPREL (see conll18_ud_eval.py)

  // (name, score) in the order the script prints them: Tokens, Sentences, Words, UPOS, XPOS,
  // UFeats, AllTags, Lemmas, UAS, LAS, CLAS, MLAS, BLEX.
  std::vector<std::pair<std::string, const EvalScore*>> Metrics() const;
};

struct EvalOptions {
  // The script refuses trees with a missing or out-of-range HEAD, a cycle, or not exactly one
  // root, in either file. false scores such sentences anyway (a missing head, as from a model
  // without a parser, is never correct); use it to score tokenisation and tags alone.
  bool require_trees = true;
};

// Scores `system` against `gold`. Sentences without tokens are ignored. Errors: the texts
// differ (the message gives the character offset, the gold sentence and 20 characters of each
// side from there), an empty token form, an inconsistent token/word structure, or (with
// require_trees) an invalid tree; each error says which side and which sentence.
Result<EvalReport> EvaluateSentences(const std::vector<Sentence>& gold,
                                     const std::vector<Sentence>& system,
                                     const EvalOptions& opts = {});
Result<EvalReport> EvaluateConllu(const ConlluCorpus& gold, const ConlluCorpus& system,
                                  const EvalOptions& opts = {});

// The script's verbose table (`conll18_ud_eval.py -v`): a header
// "Metric     | Precision |    Recall |  F1 Score | AligndAcc", a separator line, then one
// row per metric with percentages to 2 decimals, e.g.
// "UPOS       |     95.00 |     95.00 |     95.00 |     95.00".
std::string FormatTable(const EvalReport& r);
// The script's `-c` table: correct, gold, predicted and aligned counts.
std::string FormatCounts(const EvalReport& r);

}  // namespace dyad
