// dyad parse: text -> CoNLL-U.
#include <chrono>
#include <cstdio>

#include "cli/command.h"
#include "cli/doc_source.h"
#include "pipeline/ordered_pool.h"
#include "dyad/conllu.h"
#include "dyad/nlp.h"

namespace dyad::cli {

static int RunParse(const std::vector<std::string>& args) {
  std::string model = DefaultModelPath(), input, output;
  int threads = 1;
  bool quiet = false;
  ArgParser p("dyad parse [options] [FILE...]",
              "Splits, tokenises, tags and parses text and writes CoNLL-U (UD v2). Reads the\n"
              "files given, or stdin. A text file is a document; a .jsonl file holds one JSON\n"
              "document per line with at least \"id\" and \"text\".");
  p.String("--model", &model, "model file (default: the shipped models/en-ewt.dyadm)");
  p.String("--input", &input, "input format: text or jsonl (default: by extension)");
  p.String("--output", &output, "write CoNLL-U here instead of stdout");
  p.Alias("-o", "--output");
  p.Int("--threads", &threads, "worker threads (output is identical for any number)");
  p.Bool("--quiet", &quiet, "no summary on stderr");
  int code = 0;
  if (!p.Parse(args, &code)) return code;
  if (!input.empty() && input != "text" && input != "jsonl")
    return UsageError("--input must be text or jsonl, not '" + input + "'");
  if (threads < 1 || threads > 256) return UsageError("--threads must be between 1 and 256");

  auto t0 = std::chrono::steady_clock::now();
  auto pipeline = Pipeline::Load(model);
  if (!pipeline.ok()) return UsageError(pipeline.status().message());
  const Pipeline& nlp = **pipeline;

  FILE* out = stdout;
  if (!output.empty()) {
    out = std::fopen(output.c_str(), "wb");
    if (!out) return UsageError(output + ": cannot create");
  }
  DocSource source(p.positional(), input);
  size_t docs = 0, sentences = 0, tokens = 0;
  struct Parsed {
    std::string conllu;
    size_t sentences = 0, tokens = 0;
  };
  pipeline::OrderedParallel<SourceDoc, Parsed>(
      threads, [&] { return source.Next(); },
      [&](SourceDoc& d) {
        std::vector<Sentence> sents;
        nlp.AnnotateText(d.doc.text, &sents);
        Parsed r;
        for (size_t i = 0; i < sents.size(); ++i) {
          Sentence& s = sents[i];
          if (i == 0) s.comments.insert(s.comments.begin(), "newdoc id = " + d.doc.id);
          s.id = d.doc.id + "-" + std::to_string(i + 1);
          WriteConllu(s, &r.conllu);
          r.tokens += s.tokens.size();
        }
        r.sentences = sents.size();
        return r;
      },
      [&](Parsed& r) {
        std::fwrite(r.conllu.data(), 1, r.conllu.size(), out);
        sentences += r.sentences;
        tokens += r.tokens;
        ++docs;
      });
  if (out != stdout) std::fclose(out);
  double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (!quiet)
    std::fprintf(stderr,
                 "dyad parse: %zu documents, %zu sentences, %zu tokens in %.2f s (%.0f tokens/s, "
                 "%d thread%s), %zu rejected\n",
                 docs, sentences, tokens, secs, secs > 0 ? tokens / secs : 0.0, threads,
                 threads == 1 ? "" : "s", source.rejected());
  return source.rejected() ? kExitRejected : kExitOk;
}

DYAD_COMMAND(parse, "parse", "split, tokenise, tag and parse text into CoNLL-U", RunParse);

}  // namespace dyad::cli
