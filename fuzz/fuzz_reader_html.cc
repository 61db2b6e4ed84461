// libFuzzer target: the html reader (dyad/reader.h) on arbitrary bytes.
#include <cstddef>
#include <cstdint>

#include "fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string path = dyad::fuzz::ScratchFile(
      std::string_view(reinterpret_cast<const char*>(data), size), ".html");
  dyad::ReaderOptions opt;
  opt.format = "html";
  dyad::fuzz::ReadAll(path, opt);
  return 0;
}
