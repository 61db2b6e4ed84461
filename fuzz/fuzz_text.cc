// libFuzzer target: the text layer (UTF-8 repair, normalisation, segmentation and
// tokenisation with the English language data), the readers' decoding and date parsing.
#include <cstddef>
#include <cstdint>
#include <memory>

#include "dyad/reader.h"
#include "dyad/text.h"
#include "io/reader_internal.h"

namespace {
const dyad::text::Segmenter& Seg() {
  static const auto* seg = [] {
    auto s = dyad::text::Segmenter::FromLanguageDir(DYAD_SOURCE_DIR "/data/lang/en");
    return s.ok() ? new dyad::text::Segmenter(std::move(*s)) : new dyad::text::Segmenter();
  }();
  return *seg;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  size_t repaired = 0;
  std::string text = dyad::text::RepairUtf8(in, &repaired);
  (void)dyad::text::Normalize(in.substr(0, 256));
  (void)dyad::NormalizeNewsDate(in.substr(0, 64));
  (void)dyad::reader_internal::DecodeText(in);
  std::vector<dyad::Sentence> out;
  dyad::text::SegmenterOptions opts;
  Seg().Segment(text, &out, opts);
  for (const auto& s : out) {
    if (s.span.end > text.size() || s.span.begin > s.span.end) __builtin_trap();
    for (const auto& t : s.tokens) {
      if (t.span.end > text.size() || t.span.begin > t.span.end) __builtin_trap();
      if (t.last_word < t.first_word || t.last_word >= s.words.size()) __builtin_trap();
    }
  }
  return 0;
}
