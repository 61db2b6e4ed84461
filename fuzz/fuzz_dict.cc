// libFuzzer target: the dictionary readers. The first byte chooses: even, the compiled
// .dyadd format (Dictionary::Parse); odd, the PETRARCH/TABARI text formats (DictionaryBuilder),
// the rest of the input split at 0xFF bytes into verbs, actors, agents, discards and issues.
// What the builder accepts must survive its own compiled form.
#include <cstddef>
#include <cstdint>

#include "dyad/dict.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using dyad::dict::DictKind;
  if (size == 0) return 0;
  std::string_view in(reinterpret_cast<const char*>(data) + 1, size - 1);
  if ((data[0] & 1) == 0) {
    (void)dyad::dict::Dictionary::Parse(in, "fuzz.dyadd");
    return 0;
  }
  static constexpr DictKind kKinds[5] = {DictKind::kVerbs, DictKind::kActors, DictKind::kAgents,
                                         DictKind::kDiscards, DictKind::kIssues};
  dyad::dict::DictionaryBuilder b;
  for (int i = 0; i < 5; ++i) {
    size_t cut = i == 4 ? std::string_view::npos : in.find('\xFF');
    b.Add(kKinds[i], in.substr(0, cut), "fuzz." + std::string(DictKindName(kKinds[i])));
    in = cut == std::string_view::npos ? std::string_view() : in.substr(cut + 1);
  }
  auto d = b.Build();
  if (d) {
    std::string bytes = d->Serialize(0);
    auto back = dyad::dict::Dictionary::Parse(bytes, "roundtrip.dyadd");
    if (!back.ok()) __builtin_trap();
  }
  return 0;
}
