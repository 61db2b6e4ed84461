// libFuzzer target: the gzip/zstd layer under the JSONL reader (the seeds are compressed
// files; the magic bytes choose the decompressor), with format detection by extension.
#include <cstddef>
#include <cstdint>

#include "fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string path = dyad::fuzz::ScratchFile(
      std::string_view(reinterpret_cast<const char*>(data), size), ".jsonl.gz");
  dyad::fuzz::ReadAll(path, dyad::ReaderOptions());
  return 0;
}
