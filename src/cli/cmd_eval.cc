// `dyad eval parse`: scores dyad (or any system's CoNLL-U) against a gold treebank the way the
// CoNLL 2018 UD shared task does (see include/dyad/eval.h).
#include <atomic>
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "cli/command.h"
#include "dyad/conllu.h"
#include "dyad/eval.h"
#include "dyad/nlp.h"
#include "util/binary.h"

namespace dyad::cli {
namespace {

constexpr char kEvalUsage[] =
    "dyad eval parse --gold FILE.conllu [--system FILE.conllu | [--raw] [--model M]] "
    "[--threads N]";

// Runs work(i) for i in [0, n) on `threads` threads. Each item writes only its own slot, so
// the result does not depend on the thread count.
template <typename F>
void ParallelFor(size_t n, int threads, F work) {
  if (threads <= 1 || n <= 1) {
    for (size_t i = 0; i < n; ++i) work(i);
    return;
  }
  std::atomic<size_t> next{0};
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t)
    pool.emplace_back([&] {
      for (size_t i; (i = next.fetch_add(1)) < n;) work(i);
    });
  for (auto& th : pool) th.join();
}

// A copy of a gold sentence with its tokenisation, segmentation and word forms and nothing
// the tagger, lemmatiser or parser should predict.
Sentence StripAnnotation(const Sentence& gold) {
  Sentence s = gold;
  for (Word& w : s.words) {
    w.lemma.clear();
    w.upos.clear();
    w.xpos.clear();
    w.feats.clear();
    w.head = -1;
    w.deprel.clear();
    w.deps = "_";
    w.misc = "_";
  }
  return s;
}

// Gold tokenisation: tags and parses each gold sentence. The gold forms are put back
// afterwards, so that a model that normalises forms (quotes, dashes) still scores against the
// same characters.
Status AnnotateGoldWords(const Pipeline& p, const std::vector<Sentence>& gold, int threads,
                         std::vector<Sentence>* out) {
  out->resize(gold.size());
  ParallelFor(gold.size(), threads, [&](size_t i) {
    Sentence s = StripAnnotation(gold[i]);
    p.AnnotateWords(&s);
    (*out)[i] = std::move(s);
  });
  for (size_t i = 0; i < gold.size(); ++i) {
    Sentence& s = (*out)[i];
    if (s.words.size() != gold[i].words.size() || s.tokens.size() != gold[i].tokens.size())
      return Status::Error("the pipeline changed the words of gold sentence " +
                           (gold[i].id.empty() ? "#" + std::to_string(i + 1) : gold[i].id));
    for (size_t k = 0; k < s.tokens.size(); ++k) s.tokens[k].form = gold[i].tokens[k].form;
    for (size_t k = 0; k < s.words.size(); ++k) s.words[k].form = gold[i].words[k].form;
  }
  return Status::Ok();
}

// Raw text: segments, tags and parses the gold file's reconstructed text from scratch, one
// paragraph (text between blank lines) at a time, so threads split the work without changing
// the result. Token forms are taken from the text itself, not the normalised forms, because
// the scorer compares characters.
void AnnotateRaw(const Pipeline& p, const std::string& text, int threads,
                 std::vector<Sentence>* out) {
  std::vector<std::string_view> paragraphs;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t br = text.find("\n\n", pos);
    if (br == std::string::npos) br = text.size();
    if (br > pos) paragraphs.push_back(std::string_view(text).substr(pos, br - pos));
    pos = br + 2;
  }
  std::vector<std::vector<Sentence>> parts(paragraphs.size());
  ParallelFor(paragraphs.size(), threads, [&](size_t i) {
    std::string_view par = paragraphs[i];
    p.AnnotateText(par, &parts[i]);
    for (Sentence& s : parts[i]) {
      for (Token& t : s.tokens) {
        if (t.span.begin < t.span.end && t.span.end <= par.size())
          t.form = std::string(par.substr(t.span.begin, t.span.end - t.span.begin));
        if (t.first_word == t.last_word && t.first_word < s.words.size())
          s.words[t.first_word].form = t.form;
      }
    }
  });
  for (auto& part : parts)
    for (Sentence& s : part) out->push_back(std::move(s));
}

size_t CountWords(const std::vector<Sentence>& ss) {
  size_t n = 0;
  for (const auto& s : ss) n += s.words.size();
  return n;
}

int RunEvalParse(const std::vector<std::string>& args) {
  std::string gold_path, system_path, model_path, output_path;
  bool raw = false, counts = false, lenient = false;
  int threads = 1;
  ArgParser p(kEvalUsage,
              "Scores tokenisation, sentence segmentation, tags, lemmas and dependency trees\n"
              "against a gold CoNLL-U file as the CoNLL 2018 UD shared task does, and prints\n"
              "its table: precision, recall, F1 and accuracy over aligned words for Tokens,\n"
              "Sentences, Words, UPOS, XPOS, UFeats, AllTags, Lemmas, UAS, LAS, CLAS, MLAS, BLEX.\n"
              "\n"
              "With --system, scores that file. Otherwise annotates with the model: by default\n"
              "it keeps the gold tokens and sentences and tags and parses them; with --raw it\n"
              "segments the gold file's text (rebuilt from its tokens and SpaceAfter=No) from\n"
              "scratch and runs the whole pipeline. Speed goes to stderr.\n"
              "\n"
              "Exit status: 0 scored; 1 the files cannot be scored against each other (their\n"
              "texts differ, or a tree is invalid: see --lenient); 2 usage, file or model error.");
  p.String("--gold", &gold_path, "the gold CoNLL-U file (required)");
  p.String("--system", &system_path, "score this CoNLL-U file instead of running the model");
  p.Bool("--raw", &raw, "start from the raw text: score segmentation and tokenisation too");
  p.String("--model", &model_path, "model file (default: " + DefaultModelPath() + ")");
  p.Int("--threads", &threads, "annotation threads (default 1; the scores do not depend on it)");
  p.String("--output", &output_path, "also write the annotated CoNLL-U to this file");
  p.Alias("-o", "--output");
  p.Bool("--counts", &counts, "print raw counts (correct, gold, predicted, aligned) instead");
  p.Bool("--lenient", &lenient, "score invalid trees (no head, cycle, 2 roots) instead of failing");
  int code = 0;
  if (!p.Parse(args, &code)) return code;
  if (!p.positional().empty())
    return UsageError("eval parse: unexpected argument '" + p.positional()[0] + "'; see --help");
  if (gold_path.empty()) return UsageError("eval parse: --gold FILE.conllu is required");
  if (!system_path.empty() && (raw || !model_path.empty() || !output_path.empty()))
    return UsageError(
        "eval parse: --system scores a file; --raw, --model and --output "
        "apply only when dyad annotates");
  if (threads < 1) return UsageError("eval parse: --threads must be at least 1");

  auto gold = ReadConlluFile(gold_path);
  if (!gold.ok()) return UsageError(gold.status().message());

  EvalOptions opts;
  opts.require_trees = !lenient;
  ConlluCorpus system;
  if (!system_path.empty()) {
    auto s = ReadConlluFile(system_path);
    if (!s.ok()) return UsageError(s.status().message());
    system = std::move(s).value();
  } else {
    if (model_path.empty()) model_path = DefaultModelPath();
    auto t0 = std::chrono::steady_clock::now();
    auto pipeline = Pipeline::Load(model_path);
    if (!pipeline.ok())
      return UsageError(pipeline.status().message() +
                        " (give a model with --model, or score a file with --system)");
    const Pipeline& pl = **pipeline;
    // Without a parser every head is missing; score what the model does produce.
    if (!pl.has_parser()) opts.require_trees = false;
    auto t1 = std::chrono::steady_clock::now();
    if (raw) {
      AnnotateRaw(pl, gold->text, threads, &system.sentences);
    } else {
      Status st = AnnotateGoldWords(pl, gold->sentences, threads, &system.sentences);
      if (!st.ok()) {
        std::fprintf(stderr, "dyad eval: %s\n", st.message().c_str());
        return kExitRejected;
      }
    }
    auto t2 = std::chrono::steady_clock::now();
    const double load_s = std::chrono::duration<double>(t1 - t0).count();
    const double run_s = std::chrono::duration<double>(t2 - t1).count();
    const size_t words = CountWords(system.sentences);
    std::fprintf(stderr,
                 "dyad eval: model loaded in %.2f s; %s %zu sentences, %zu words in %.2f s "
                 "(%.0f words/s, %d thread%s)\n",
                 load_s, raw ? "segmented, tagged and parsed" : "tagged and parsed",
                 system.sentences.size(), words, run_s, run_s > 0 ? words / run_s : 0.0, threads,
                 threads == 1 ? "" : "s");
    if (!output_path.empty()) {
      std::string out;
      for (const auto& s : system.sentences) WriteConllu(s, &out);
      Status st = WriteFileAtomic(output_path, out);
      if (!st.ok()) return UsageError(st.message());
    }
  }

  auto report = EvaluateConllu(*gold, system, opts);
  if (!report.ok()) {
    std::fprintf(stderr, "dyad eval: %s\n", report.status().message().c_str());
    return kExitRejected;
  }
  std::string table = counts ? FormatCounts(*report) : FormatTable(*report);
  std::fputs(table.c_str(), stdout);
  return kExitOk;
}

int RunEval(const std::vector<std::string>& args) {
  const std::string help = std::string("usage: ") + kEvalUsage +
                           "\n\nEvaluates dyad against gold data.\n\nverbs:\n"
                           "  parse      tokens, sentences, tags, lemmas and trees, scored as "
                           "in the CoNLL 2018 UD shared task\n\n"
                           "`dyad eval parse --help` describes its options.\n";
  if (args.empty()) {
    std::fputs(help.c_str(), stderr);
    return kExitUsage;
  }
  if (args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
    std::fputs(help.c_str(), stdout);
    return kExitOk;
  }
  if (args[0] == "parse")
    return RunEvalParse(std::vector<std::string>(args.begin() + 1, args.end()));
  return UsageError("eval: unknown verb '" + args[0] + "'; see `dyad eval --help`");
}

}  // namespace

DYAD_COMMAND(eval, "eval", "score parsing against a gold CoNLL-U file (CoNLL 2018 metrics)",
             RunEval);

}  // namespace dyad::cli
