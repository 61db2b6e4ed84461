#include <cstdio>

#include "cli/coding.h"
#include "cli/command.h"
#include "dyad/dict.h"
#include "dyad/version.h"
#include "nlp/model_file.h"
#include "util/binary.h"

namespace dyad::cli {

std::string VersionText() {
  std::string out = std::string("dyad ") + DYAD_VERSION + "\n";
  std::string path = DefaultModelPath();
  auto m = nlp::ModelFile::Load(path);
  if (m.ok()) {
    out += "model " + path + " fingerprint " + HexFingerprint(m->fingerprint);
    auto it = m->meta.find("name");
    if (it != m->meta.end()) out += " (" + it->second + ")";
    out += "\n";
  } else {
    out += "model: not loaded (" + m.status().message() + ")\n";
  }
  std::string dict_path = DefaultDictPath();
  auto d = dict::Dictionary::Load(dict_path);
  if (d.ok())
    out += "dict " + dict_path + " fingerprint " + HexFingerprint((*d)->fingerprint()) + "\n";
  else
    out += "dict: not loaded (" + d.status().message() + ")\n";
  return out;
}

static int RunVersion(const std::vector<std::string>& args) {
  std::string model;
  ArgParser p("dyad version [--model M]",
              "Prints the version and the fingerprints of the model and dictionaries in use\n"
              "(same as `dyad --version`). With --model, prints that model file's fingerprint\n"
              "and everything it records about its training (data, settings, seeds), one\n"
              "`key: value` line each.");
  p.String("--model", &model, "model file to describe");
  int code = 0;
  if (!p.Parse(args, &code)) return code;
  if (model.empty()) {
    std::fputs(VersionText().c_str(), stdout);
    return kExitOk;
  }
  auto m = nlp::ModelFile::Load(model);
  if (!m.ok()) return UsageError(m.status().message());
  std::printf("dyad %s\nmodel %s fingerprint %s\n", DYAD_VERSION, model.c_str(),
              HexFingerprint(m->fingerprint).c_str());
  for (const auto& [key, value] : m->meta) std::printf("  %s: %s\n", key.c_str(), value.c_str());
  return kExitOk;
}

DYAD_COMMAND(version, "version", "print the version and model/dictionary fingerprints", RunVersion);

}  // namespace dyad::cli
