#include "dyad/cameo.h"

#include <algorithm>
#include <iterator>

namespace dyad::cameo {
namespace {

constexpr EventType kTable[] = {
#include "cameo/cameo_table.inc"
};

constexpr bool IsSortedByCode() {
  for (size_t i = 1; i < std::size(kTable); ++i)
    if (!(std::string_view(kTable[i - 1].code) < std::string_view(kTable[i].code))) return false;
  return true;
}
// Find() binary-searches the table; regenerate it with gen_cameo_table.sh if this fires.
static_assert(IsSortedByCode(), "cameo_table.inc must be sorted by code, without duplicates");

}  // namespace

std::span<const EventType> AllEventTypes() { return kTable; }

const EventType* Find(std::string_view code) {
  auto it = std::lower_bound(std::begin(kTable), std::end(kTable), code,
                             [](const EventType& e, std::string_view c) { return e.code < c; });
  if (it == std::end(kTable) || std::string_view(it->code) != code) return nullptr;
  return &*it;
}

bool IsValid(std::string_view code) { return Find(code) != nullptr; }

bool IsSpecialCode(std::string_view code) {
  return code == kNullCode || code == kDiscardCode || code == kComplexCode;
}

std::string_view RootOf(std::string_view code) {
  const EventType* e = Find(code);
  return e ? std::string_view(e->root) : std::string_view();
}

std::string_view NearestValid(std::string_view code) {
  for (size_t n = code.size(); n >= 2; --n) {
    if (const EventType* e = Find(code.substr(0, n))) return e->code;
  }
  return {};
}

int QuadClassOf(std::string_view code) {
  const EventType* e = Find(code);
  return e ? e->quad_class : 0;
}

std::string_view QuadClassName(int quad_class) {
  switch (quad_class) {
    case 1:
      return "Verbal cooperation";
    case 2:
      return "Material cooperation";
    case 3:
      return "Verbal conflict";
    case 4:
      return "Material conflict";
    default:
      return {};
  }
}

}  // namespace dyad::cameo
