// dyad parse: text -> CoNLL-U.
#include <chrono>
#include <cstdio>

#include "cli/command.h"
#include "pipeline/ordered_pool.h"
#include "dyad/conllu.h"
#include "dyad/nlp.h"
#include "dyad/reader.h"

namespace dyad::cli {

static int RunParse(const std::vector<std::string>& args) {
  std::string model = DefaultModelPath(), input, output;
  int threads = 1;
  bool quiet = false;
  ArgParser p("dyad parse [options] [FILE...]",
              "Splits, tokenises, tags and parses text and writes CoNLL-U (UD v2). Reads the\n"
              "files given, or stdin, in any format `dyad code` reads (text, JSONL, PETRARCH\n"
              "XML, HTML, CoNLL-U, each also .gz or .zst; directories are walked). CoNLL-U\n"
              "input keeps its tokens and is tagged and parsed again.\n"
              "\n"
              "Exit status: 0 ok; 1 some input records were rejected (each is reported on\n"
              "stderr); 2 usage or configuration error.");
  p.String("--model", &model, "model file (default: the shipped models/en-ewt.dyadm)");
  p.String("--input", &input,
           "text, jsonl, petrarch-xml, html or conllu (default: by extension)");
  p.String("--output", &output, "write CoNLL-U here instead of stdout");
  p.Alias("-o", "--output");
  p.Int("--threads", &threads, "worker threads (output is identical for any number)");
  p.Bool("--quiet", &quiet, "no summary on stderr");
  int code = 0;
  if (!p.Parse(args, &code)) return code;
  if (!input.empty() && input != "text" && input != "jsonl" && input != "petrarch-xml" &&
      input != "html" && input != "conllu")
    return UsageError("--input must be text, jsonl, petrarch-xml, html or conllu, not '" + input +
                      "'");
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
  ReaderOptions ropt;
  ropt.format = input;
  DocumentReader source(p.positional(), ropt);
  size_t docs = 0, sentences = 0, tokens = 0, rejected = 0;
  struct Parsed {
    std::string origin, reject, conllu;
    size_t sentences = 0, tokens = 0;
  };
  pipeline::OrderedParallel<ReaderRecord, Parsed>(
      threads, [&] { return source.Next(); },
      [&](ReaderRecord& d) {
        Parsed r;
        r.origin = d.origin;
        if (!d.ok()) {
          r.reject = d.reject;
          return r;
        }
        std::vector<Sentence> sents;
        if (d.pretokenized || d.preparsed) {
          sents = std::move(d.doc.sentences);
          for (Sentence& s : sents) nlp.AnnotateWords(&s);
        } else {
          nlp.AnnotateText(d.doc.text, &sents);
        }
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
        if (!r.reject.empty()) {
          ++rejected;
          std::fprintf(stderr, "dyad: %s: rejected: %s\n", r.origin.c_str(), r.reject.c_str());
          return;
        }
        std::fwrite(r.conllu.data(), 1, r.conllu.size(), out);
        sentences += r.sentences;
        tokens += r.tokens;
        ++docs;
      });
  bool write_failed = std::fflush(out) != 0 || std::ferror(out);
  if (out != stdout) write_failed |= std::fclose(out) != 0;
  if (write_failed) return UsageError("writing the output failed (disk full?)");
  double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (!quiet)
    std::fprintf(stderr,
                 "dyad parse: %zu documents, %zu sentences, %zu tokens in %.2f s (%.0f tokens/s, "
                 "%d thread%s), %zu rejected\n",
                 docs, sentences, tokens, secs, secs > 0 ? tokens / secs : 0.0, threads,
                 threads == 1 ? "" : "s", rejected);
  return rejected ? kExitRejected : kExitOk;
}

DYAD_COMMAND(parse, "parse", "split, tokenise, tag and parse text into CoNLL-U", RunParse);

}  // namespace dyad::cli
