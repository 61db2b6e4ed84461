// dyad train tokenizer|tagger|parser|all: trains model components from a UD treebank.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>

#include "cli/command.h"
#include "dyad/conllu.h"
#include "dyad/text.h"
#include "dyad/version.h"
#include "nlp/model_file.h"
#include "nlp/parser.h"
#include "nlp/tagger.h"
#include "util/binary.h"

namespace dyad::cli {

namespace {

double Seconds(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

std::string BaseName(const std::string& p) {
  size_t s = p.find_last_of('/');
  return s == std::string::npos ? p : p.substr(s + 1);
}

// dyad train combine A B... -o OUT: A's components, with a parser whose weights are the sum of
// the parsers of A, B, ... (trained on the same relations, with other seeds or settings): an
// ensemble that parses as fast as one parser.
int Combine(const std::vector<std::string>& files, const std::string& output, int max_features) {
  if (files.size() < 2) return UsageError("train combine: give at least two model files");
  if (output.empty()) return UsageError("train combine: -o is required");
  nlp::ModelFile first;
  std::vector<nlp::Parser> parsers;
  std::string from;
  for (size_t i = 0; i < files.size(); ++i) {
    auto m = nlp::ModelFile::Load(files[i]);
    if (!m.ok()) return UsageError(m.status().message());
    if (!m->has("parser")) return UsageError("train combine: " + files[i] + " has no parser");
    BinaryReader r(m->sections["parser"], "parser");
    auto parser = nlp::Parser::Load(&r);
    if (!parser.ok()) return UsageError(files[i] + ": " + parser.status().message());
    parsers.push_back(std::move(parser).value());
    const auto seed = m->meta.find("parser.settings");
    from += (i ? " + " : "") + BaseName(files[i]) +
            (seed != m->meta.end() ? " (" + seed->second + ")" : "");
    if (i == 0) first = std::move(m).value();
  }
  std::vector<const nlp::Parser*> parts;
  for (const auto& x : parsers) parts.push_back(&x);
  auto combined = nlp::Parser::Combine(parts, static_cast<size_t>(std::max(0, max_features)));
  if (!combined.ok()) return UsageError("train combine: " + combined.status().message());
  BinaryWriter w;
  combined->Serialize(&w);
  first.sections["parser"] = w.Take();
  first.meta["parser.combined"] = std::to_string(files.size()) +
                                  " parsers, max_features=" + std::to_string(max_features) + ": " +
                                  from;
  Status s = first.Save(output);
  if (!s.ok()) return UsageError(s.message());
  std::fprintf(stderr,
               "dyad train combine: %zu parsers, %zu features kept; wrote %s (fingerprint %s)\n",
               files.size(), combined->num_features(), output.c_str(),
               HexFingerprint(first.fingerprint).c_str());
  return kExitOk;
}

}  // namespace

static int RunTrain(const std::vector<std::string>& args) {
  std::string train_path, dev_path, output, base, lang, name;
  int seed = 1, epochs = 0, beam = 0, train_beam = 0, jackknife = 4, jackknife_epochs = 0,
      max_features = 600000;
  ArgParser p(
      "dyad train tokenizer|tagger|parser|all --train FILE --dev FILE -o MODEL [options]\n"
      "       dyad train combine MODEL MODEL... -o MODEL [--max-features N]",
      "Trains model components on a UD treebank (CoNLL-U) and writes one model file.\n"
      "  tokenizer  sentence splitting, tokenisation and multiword tokens (needs --lang)\n"
      "  tagger     UPOS, XPOS, features and lemmas\n"
      "  parser     labeled dependencies, trained on jackknifed predicted tags\n"
      "  all        the three, in that order\n"
      "  combine    MODEL... : the first model, with a parser whose weights are the sum of\n"
      "             all the models' parsers (an ensemble of parsers trained with other\n"
      "             seeds, as fast as one; --max-features applies, 0 keeps all)\n"
      "With --model, the other components of that model are kept; the component trained\n"
      "replaces its own. Training is deterministic for a given --seed.");
  p.String("--train", &train_path, "training treebank (CoNLL-U)");
  p.String("--dev", &dev_path, "development treebank, for choosing the best epoch");
  p.String("--output", &output, "model file to write");
  p.Alias("-o", "--output");
  p.String("--model", &base, "start from this model file (keep its other components)");
  p.String("--lang", &lang, "language data directory, e.g. data/lang/en (tokenizer)");
  p.String("--name", &name, "model name recorded in the file (default: output file name)");
  p.Int("--seed", &seed, "random seed (default 1)");
  p.Int("--epochs", &epochs, "maximum epochs (default: the component's own)");
  p.Int("--beam", &beam, "parser beam width at parse time (default: the parser's own)");
  p.Int("--train-beam", &train_beam, "parser beam width in training (default: the parser's own)");
  p.Int("--max-features", &max_features,
        "parser features kept, those with the most weight (default 600000, about 14 MB before "
        "the model file's compression; 0 keeps all)");
  p.Int("--jackknife", &jackknife,
        "folds for predicted training tags for the parser (default "
        "4; 0 trains the parser on gold tags)");
  p.Int("--jackknife-epochs", &jackknife_epochs,
        "epochs of each jackknife tagger (default: the epoch the full tagger chose on dev)");
  int code = 0;
  if (!p.Parse(args, &code)) return code;
  if (p.positional().empty()) return UsageError("train: say what to train; see --help");
  if (p.positional()[0] == "combine") {
    if (!train_path.empty() || !dev_path.empty() || !base.empty())
      return UsageError("train combine: takes model files, not --train, --dev or --model");
    return Combine({p.positional().begin() + 1, p.positional().end()}, output, max_features);
  }
  if (p.positional().size() != 1) return UsageError("train: say what to train; see --help");
  if (train_beam < 0 || jackknife_epochs < 0 || epochs < 0 || beam < 0)
    return UsageError(
        "train: --epochs, --beam, --train-beam and --jackknife-epochs must not be "
        "negative (0 or absent: the default)");
  const std::string what = p.positional()[0];
  if (what != "tokenizer" && what != "tagger" && what != "parser" && what != "all")
    return UsageError("train: unknown component '" + what + "'");
  if (train_path.empty() || dev_path.empty() || output.empty())
    return UsageError("train: --train, --dev and -o are required");
  const bool do_tok = what == "tokenizer" || what == "all";
  const bool do_tag = what == "tagger" || what == "all";
  const bool do_parse = what == "parser" || what == "all";
  if (do_tok && lang.empty()) lang = DataRoot() + "/data/lang/en";

  nlp::ModelFile model;
  if (!base.empty()) {
    auto m = nlp::ModelFile::Load(base);
    if (!m.ok()) return UsageError(m.status().message());
    model = std::move(m).value();
  }
  auto train = ReadConlluFile(train_path);
  if (!train.ok()) return UsageError(train.status().message());
  auto dev = ReadConlluFile(dev_path);
  if (!dev.ok()) return UsageError(dev.status().message());
  auto t_all = std::chrono::steady_clock::now();
  // The segmenter hands the tagger normalised forms (quotes, dashes, NFC): train on the same.
  for (auto* corpus : {&train.value(), &dev.value()})
    for (Sentence& s : corpus->sentences)
      for (Word& w : s.words) w.form = text::Normalize(w.form);

  model.meta["name"] = name.empty() ? BaseName(output) : name;
  model.meta["dyad_version"] = DYAD_VERSION;
  model.meta["train"] = BaseName(train_path) + " (" + std::to_string(train->sentences.size()) +
                        " sentences, fnv " + HexFingerprint(Fnv1a64(train->text)) + ")";
  model.meta["dev"] = BaseName(dev_path) + " (" + std::to_string(dev->sentences.size()) +
                      " sentences, fnv " + HexFingerprint(Fnv1a64(dev->text)) + ")";
  model.meta["seed"] = std::to_string(seed);

  std::unique_ptr<nlp::Tagger> tagger;
  if (do_tok) {
    auto t0 = std::chrono::steady_clock::now();
    auto seg = text::Segmenter::Train(lang, train.value(), &dev.value());
    if (!seg.ok()) return UsageError(seg.status().message());
    BinaryWriter w;
    seg->Serialize(&w);
    model.sections["tokenizer"] = w.Take();
    model.meta["tokenizer.lang"] = BaseName(lang);
    std::fprintf(stderr, "dyad train: tokenizer trained in %.1f s\n", Seconds(t0));
  }
  if (do_tag) {
    auto t0 = std::chrono::steady_clock::now();
    nlp::TaggerOptions o;
    o.seed = static_cast<uint64_t>(seed);
    if (epochs > 0) o.epochs = epochs;
    auto t = nlp::Tagger::Train(train->sentences, dev->sentences, o);
    if (!t.ok()) return UsageError(t.status().message());
    BinaryWriter w;
    t->Serialize(&w);
    model.sections["tagger"] = w.Take();
    model.meta["tagger.settings"] =
        "epochs<=" + std::to_string(o.epochs) + " seed=" + std::to_string(o.seed);
    model.meta["tagger.best_epoch"] = std::to_string(t->best_epoch());
    tagger = std::make_unique<nlp::Tagger>(std::move(t).value());
    std::fprintf(stderr, "dyad train: tagger trained in %.1f s\n", Seconds(t0));
  }
  if (do_parse) {
    auto t0 = std::chrono::steady_clock::now();
    if (!tagger && model.has("tagger")) {
      BinaryReader r(model.sections["tagger"], "tagger");
      auto t = nlp::Tagger::Parse(&r);
      if (!t.ok()) return UsageError(t.status().message());
      tagger = std::make_unique<nlp::Tagger>(std::move(t).value());
    }
    std::vector<Sentence> train_sents = train->sentences, dev_sents = dev->sentences;
    int jk_epochs = 0;  // recorded in the model: it changes the parser's training tags
    if (tagger && jackknife > 1) {
      nlp::TaggerOptions o;
      o.seed = static_cast<uint64_t>(seed);
      // Each fold trains without a dev set: it gets the epoch count the full tagger chose on
      // dev (recorded in the model when the tagger comes from --model; the tagger's default
      // for a model older than that record).
      int tagger_epochs = tagger->best_epoch();
      if (tagger_epochs <= 0 && model.meta.count("tagger.best_epoch"))
        tagger_epochs = std::atoi(model.meta["tagger.best_epoch"].c_str());
      o.epochs = tagger_epochs > 0 ? tagger_epochs : nlp::TaggerOptions().epochs;
      if (jackknife_epochs > 0) o.epochs = jackknife_epochs;
      jk_epochs = o.epochs;
      o.verbose = false;
      std::fprintf(stderr, "dyad train: %d-fold jackknife tagging of the training data\n",
                   jackknife);
      auto jk = nlp::JackknifeTags(train->sentences, jackknife, o);
      if (!jk.ok()) return UsageError(jk.status().message());
      train_sents = std::move(jk).value();
    }
    if (tagger)
      for (auto& s : dev_sents) tagger->Tag(&s);
    nlp::ParserOptions o;
    o.seed = static_cast<uint64_t>(seed);
    if (epochs > 0) o.epochs = epochs;
    if (beam > 0) o.beam = beam;
    if (train_beam > 0) o.train_beam = train_beam;
    o.max_features = static_cast<size_t>(std::max(0, max_features));
    auto parser = nlp::Parser::Train(train_sents, dev_sents, o);
    if (!parser.ok()) return UsageError(parser.status().message());
    BinaryWriter w;
    parser->Serialize(&w);
    model.sections["parser"] = w.Take();
    model.meta["parser.settings"] =
        "epochs<=" + std::to_string(o.epochs) + " beam=" + std::to_string(o.beam) +
        " train_beam=" + std::to_string(o.train_beam) +
        " max_features=" + std::to_string(o.max_features) + " seed=" + std::to_string(o.seed) +
        " jackknife=" + std::to_string(tagger ? jackknife : 0) +
        (jk_epochs > 0 ? "x" + std::to_string(jk_epochs) : "");
    std::fprintf(stderr, "dyad train: parser trained in %.1f s\n", Seconds(t0));
  }
  Status s = model.Save(output);
  if (!s.ok()) return UsageError(s.message());
  std::fprintf(stderr, "dyad train: wrote %s (fingerprint %s) in %.1f s\n", output.c_str(),
               HexFingerprint(model.fingerprint).c_str(), Seconds(t_all));
  return kExitOk;
}

DYAD_COMMAND(train, "train", "train the tokenizer, tagger and parser on a UD treebank", RunTrain);

}  // namespace dyad::cli
