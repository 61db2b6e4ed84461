// libFuzzer target: the model loader. The first byte chooses what the rest is:
//   0  a whole model file (nlp/model_file.h: container, checksums, sections)
//   1  the "tokenizer" section alone
//   2  the "tagger" section (with an empty tokenizer)
//   3  the "parser" section (with an empty tokenizer)
// so that mutations reach the component parsers past the container's checksums.
#include <cstddef>
#include <cstdint>

#include "dyad/nlp.h"
#include "dyad/text.h"
#include "nlp/model_file.h"
#include "util/binary.h"

namespace {
const std::string& EmptyTokenizer() {
  static const std::string* bytes = [] {
    dyad::BinaryWriter w;
    dyad::text::Segmenter().Serialize(&w);
    return new std::string(w.data());
  }();
  return *bytes;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string_view in(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 4) {
    case 0: {
      auto m = dyad::nlp::ModelFile::Parse(in, "fuzz.dyadm");
      if (m.ok()) (void)dyad::Pipeline::FromModel(std::move(*m), "fuzz.dyadm");
      break;
    }
    case 1: {
      dyad::nlp::ModelFile m;
      m.sections["tokenizer"] = std::string(in);
      (void)dyad::Pipeline::FromModel(std::move(m), "fuzz.dyadm");
      break;
    }
    default: {
      dyad::nlp::ModelFile m;
      m.sections["tokenizer"] = EmptyTokenizer();
      m.sections[data[0] % 4 == 2 ? "tagger" : "parser"] = std::string(in);
      (void)dyad::Pipeline::FromModel(std::move(m), "fuzz.dyadm");
      break;
    }
  }
  return 0;
}
