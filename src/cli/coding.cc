#include "cli/coding.h"

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "cli/command.h"
#include "dyad/petrarch_xml.h"

namespace dyad::cli {

namespace fs = std::filesystem;

std::string DefaultDictPath() {
  return (fs::path(DataRoot()) / std::string(dict::kDefaultDictionaryFile)).string();
}

namespace {

bool HasDictMagic(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  char magic[sizeof dict::kDictMagic] = {};
  in.read(magic, sizeof magic);
  return in.gcount() == sizeof magic && std::memcmp(magic, dict::kDictMagic, sizeof magic) == 0;
}

Result<LoadedDictionary> LoadCompiled(const std::string& path) {
  auto d = dict::Dictionary::Load(path);
  if (!d.ok()) return d.status();
  LoadedDictionary out;
  out.dict = *d;
  out.description = path;
  return out;
}

}  // namespace

Result<LoadedDictionary> ImportDictionaries(const dict::DictionaryFiles& files,
                                            std::string description) {
  LoadedDictionary out;
  auto d = dict::Import(files, &out.report);
  if (!d.ok()) return d.status();
  out.dict = *d;
  out.description = std::move(description);
  out.imported = true;
  return out;
}

Result<LoadedDictionary> LoadDictionaryArg(const std::string& arg) {
  std::error_code ec;
  if (arg.empty()) {
    std::string path = DefaultDictPath();
    if (!fs::exists(path, ec))
      return Status::Error(path +
                           ": the shipped dictionary is missing; build it with `dyad dict import "
                           "<dictionaries dir> -o " +
                           path + "` or pass --dict");
    return LoadCompiled(path);
  }
  if (fs::is_directory(arg, ec)) {
    fs::path config = fs::path(arg) / "PETR_config.ini";
    if (fs::is_regular_file(config, ec)) {
      auto files = dict::ReadPetrarchConfig(config.string());
      if (!files.ok()) return files.status();
      return ImportDictionaries(*files, config.string());
    }
    dict::DictionaryFiles files = dict::DictionaryFiles::Phoenix(arg);
    if (!fs::is_regular_file(files.verbs, ec))
      return Status::Error(arg +
                           ": holds neither PETR_config.ini nor the Phoenix/CAMEO "
                           "dictionaries (" +
                           files.verbs + " is missing)");
    return ImportDictionaries(files, arg);
  }
  if (!fs::is_regular_file(arg, ec)) return Status::Error(arg + ": no such file or directory");
  if (HasDictMagic(arg)) return LoadCompiled(arg);
  auto files = dict::ReadPetrarchConfig(arg);
  if (!files.ok())
    return Status::Error(arg +
                         ": neither a compiled dictionary (.dyadd) nor a PETRARCH "
                         "configuration: " +
                         files.status().message());
  return ImportDictionaries(*files, arg);
}

void PrintImportDiagnostics(const LoadedDictionary& d, bool all) {
  if (!d.imported) return;
  if (all) {
    for (const auto& dg : d.report.diagnostics)
      if (dg.severity == dict::Diagnostic::kError)
        std::fprintf(stderr, "%s\n", dg.ToString().c_str());
    std::fputs(d.report.Summary().c_str(), stderr);
    return;
  }
  size_t errors = d.report.errors();
  if (errors)
    std::fprintf(stderr,
                 "dyad: %s: %zu dictionary line(s) skipped as malformed (`dyad dict import` "
                 "lists them)\n",
                 d.description.c_str(), errors);
}

void AnnotateRecord(const Pipeline& nlp, ReaderRecord* record) {
  Document& doc = record->doc;
  if (record->preparsed) return;
  if (record->pretokenized) {
    for (Sentence& s : doc.sentences) nlp.AnnotateWords(&s);
    return;
  }
  doc.sentences.clear();
  nlp.AnnotateText(doc.text, &doc.sentences);
}

Status ApplyPetrarchOption(std::string_view name, std::string_view value, coder::CoderOptions* opts,
                           bool* used) {
  *used = true;
  auto as_int = [&](int* out) -> Status {
    std::string v(value);
    char* end = nullptr;
    long n = std::strtol(v.c_str(), &end, 10);
    if (v.empty() || *end != '\0' || n < 0 || n > 1000)
      return Status::Error("option " + std::string(name) + ": '" + v +
                           "' is not a whole number between 0 and 1000");
    *out = static_cast<int>(n);
    return Status::Ok();
  };
  if (name == "require_dyad") {
    opts->require_dyad = PetrarchTrue(value);
    return Status::Ok();
  }
  if (name == "new_actor_length") return as_int(&opts->new_actor_length);
  if (name == "comma_min") return as_int(&opts->comma_min);
  if (name == "comma_max") return as_int(&opts->comma_max);
  if (name == "comma_bmin") return as_int(&opts->comma_bmin);
  if (name == "comma_bmax") return as_int(&opts->comma_bmax);
  if (name == "comma_emin") return as_int(&opts->comma_emin);
  if (name == "comma_emax") return as_int(&opts->comma_emax);
  *used = false;
  return Status::Ok();
}

}  // namespace dyad::cli
