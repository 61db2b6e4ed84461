// The compiled gazetteer format (.dyadg) and lookups.
//
// Layout (little-endian, via util/binary.h), the same envelope as the .dyadd dictionaries:
//   "DYADGEO\0"  8-byte magic
//   u32          format version (kGeoFormatVersion; loaders accept [kMinGeoFormatVersion, it])
//   u32          flags: bit 0 = payload compressed with zstd
//   str          producer ("dyad 0.1.0"), informative only
//   sources      u32 count, then per input file: str name, u64 bytes, u64 FNV-1a
//   u64          fingerprint: FNV-1a over the sources block and the uncompressed payload
//   u64          payload size (uncompressed)
//   u64          stored size, then the stored payload bytes
//   u64          checksum: FNV-1a of every byte before it
// The payload is column-wise (columns compress far better than records): u32 n, then
// n kinds (u8), GeoNames ids (u32), latitudes and longitudes (i32, 1e-5 degrees, each
// delta-coded from the previous place), populations (u32), names, country alpha-3 codes,
// alpha-2 codes, admin-1 codes and admin-1 names (string lists), then the aliases: place
// indices (u32) and names (string list). Every value is checked: kinds in range, indices in
// bounds, coordinates on the globe, country codes of three letters.
#include <utf8proc.h>
#include <zstd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>

#include "dyad/geo.h"
#include "dyad/version.h"
#include "geo/us_states.h"
#include "util/binary.h"

namespace dyad::geo {

struct GazetteerIo;

namespace {

constexpr char kMagic[8] = {'D', 'Y', 'A', 'D', 'G', 'E', 'O', '\0'};
constexpr uint32_t kGeoFormatVersion = 1;
constexpr uint32_t kMinGeoFormatVersion = 1;
constexpr uint32_t kFlagZstd = 1;
constexpr uint64_t kMaxPayload = 1ull << 30;
constexpr uint32_t kMaxPlaces = 10'000'000;

std::string SourcesBlock(std::span<const GazetteerSource> sources) {
  BinaryWriter w;
  w.U32(static_cast<uint32_t>(sources.size()));
  for (const auto& s : sources) {
    w.Str(s.name);
    w.U64(s.bytes);
    w.U64(s.checksum);
  }
  return w.Take();
}

bool IsUpperAlpha(std::string_view s, size_t n) {
  if (s.size() != n) return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

}  // namespace

struct GazetteerIo {
  static std::string Payload(const Gazetteer& g) {
    BinaryWriter w;
    const auto& p = g.places_;
    w.U32(static_cast<uint32_t>(p.size()));
    std::vector<uint8_t> kinds;
    std::vector<uint32_t> ids, pops;
    std::vector<int32_t> lat, lon;
    std::vector<std::string> names, c3, c2, a1, a1n;
    int32_t plat = 0, plon = 0;
    for (const auto& x : p) {
      kinds.push_back(static_cast<uint8_t>(x.kind));
      ids.push_back(x.geonames_id);
      lat.push_back(x.lat_e5 - plat);
      lon.push_back(x.lon_e5 - plon);
      plat = x.lat_e5;
      plon = x.lon_e5;
      pops.push_back(x.population);
      names.push_back(x.name);
      c3.push_back(x.country);
      c2.push_back(x.country2);
      a1.push_back(x.admin1);
      a1n.push_back(x.admin1_name);
    }
    w.PodVector(kinds);
    w.PodVector(ids);
    w.PodVector(lat);
    w.PodVector(lon);
    w.PodVector(pops);
    for (const auto* v : {&names, &c3, &c2, &a1, &a1n}) w.StrVector(*v);
    std::vector<uint32_t> alias_places;
    std::vector<std::string> alias_names;
    for (const auto& [i, a] : g.aliases_) {
      alias_places.push_back(i);
      alias_names.push_back(a);
    }
    w.PodVector(alias_places);
    w.StrVector(alias_names);
    return w.Take();
  }

  static Status ReadPayload(std::string_view bytes, const std::string& origin, Gazetteer* g) {
    BinaryReader r(bytes, origin + " payload");
    uint32_t n = r.U32();
    if (n > kMaxPlaces) r.Fail("too many places");
    auto kinds = r.PodVector<uint8_t>(n);
    auto ids = r.PodVector<uint32_t>(n);
    auto lat = r.PodVector<int32_t>(n);
    auto lon = r.PodVector<int32_t>(n);
    auto pops = r.PodVector<uint32_t>(n);
    std::vector<std::string> cols[5];
    for (auto& c : cols) c = r.StrVector();
    auto alias_places = r.PodVector<uint32_t>(kMaxPlaces);
    auto alias_names = r.StrVector();
    if (!r.ok()) return r.status();
    bool sizes = kinds.size() == n && ids.size() == n && lat.size() == n && lon.size() == n &&
                 pops.size() == n && alias_places.size() == alias_names.size();
    for (auto& c : cols) sizes = sizes && c.size() == n;
    if (!sizes) return Status::Error(origin + ": gazetteer columns disagree in length");
    g->places_.resize(n);
    int64_t plat = 0, plon = 0;
    for (uint32_t i = 0; i < n; ++i) {
      Place& x = g->places_[i];
      if (kinds[i] > static_cast<uint8_t>(PlaceKind::kCountry))
        return Status::Error(origin + ": place " + std::to_string(i) + " has an unknown kind");
      x.kind = static_cast<PlaceKind>(kinds[i]);
      x.geonames_id = ids[i];
      plat += lat[i];
      plon += lon[i];
      if (plat < -9'000'000 || plat > 9'000'000 || plon < -18'000'000 || plon > 18'000'000)
        return Status::Error(origin + ": place " + std::to_string(i) + " is off the globe");
      x.lat_e5 = static_cast<int32_t>(plat);
      x.lon_e5 = static_cast<int32_t>(plon);
      x.population = pops[i];
      x.name = std::move(cols[0][i]);
      x.country = std::move(cols[1][i]);
      x.country2 = std::move(cols[2][i]);
      x.admin1 = std::move(cols[3][i]);
      x.admin1_name = std::move(cols[4][i]);
      if (x.name.empty() || !IsUpperAlpha(x.country, 3))
        return Status::Error(origin + ": place " + std::to_string(i) +
                             " has no name or a malformed country code");
    }
    g->aliases_.clear();
    for (size_t i = 0; i < alias_places.size(); ++i) {
      if (alias_places[i] >= n)
        return Status::Error(origin + ": alias " + std::to_string(i) + " points past the places");
      g->aliases_.emplace_back(alias_places[i], std::move(alias_names[i]));
    }
    return Status::Ok();
  }
};

std::string Gazetteer::Fold(std::string_view s) {
  utf8proc_uint8_t* out = nullptr;
  auto n = utf8proc_map(
      reinterpret_cast<const utf8proc_uint8_t*>(s.data()), static_cast<utf8proc_ssize_t>(s.size()),
      &out,
      static_cast<utf8proc_option_t>(UTF8PROC_STRIPMARK | UTF8PROC_CASEFOLD | UTF8PROC_COMPOSE));
  std::string folded;
  if (n >= 0) {
    folded.assign(reinterpret_cast<char*>(out), static_cast<size_t>(n));
  } else {  // invalid UTF-8: ASCII lower-casing is all we can do
    folded.assign(s);
    for (char& c : folded)
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  std::free(out);
  // Typographic apostrophes and dashes fold to ASCII so "Cote d’Ivoire" finds "Cote d'Ivoire".
  std::string r;
  r.reserve(folded.size());
  for (size_t i = 0; i < folded.size(); ++i) {
    if (folded.compare(i, 3, "\xE2\x80\x99") == 0) {
      r += '\'';
      i += 2;
    } else if (folded.compare(i, 3, "\xE2\x80\x93") == 0) {
      r += '-';
      i += 2;
    } else {
      r += folded[i];
    }
  }
  return r;
}

void Gazetteer::BuildIndex() {
  index_.clear();
  countries_.clear();
  us_states_.clear();
  index_.reserve(places_.size() + aliases_.size());
  for (uint32_t i = 0; i < places_.size(); ++i) {
    index_.emplace_back(Fold(places_[i].name), i);
    if (places_[i].kind == PlaceKind::kCountry) countries_.emplace_back(places_[i].country, i);
  }
  for (const auto& [i, a] : aliases_) index_.emplace_back(Fold(a), i);
  for (uint32_t i = 0; i < places_.size(); ++i) {
    const Place& p = places_[i];
    if (p.kind != PlaceKind::kAdmin1 || p.country != "USA") continue;
    for (const auto& st : kUsStates) {
      if (st.code != p.admin1) continue;
      for (std::string_view n : {st.name, st.code, st.abbrev}) us_states_.emplace_back(Fold(n), i);
    }
  }
  std::sort(index_.begin(), index_.end());
  index_.erase(std::unique(index_.begin(), index_.end()), index_.end());
  std::sort(countries_.begin(), countries_.end());
  std::sort(us_states_.begin(), us_states_.end());
}

void Gazetteer::Seal() {
  fingerprint_ = Fnv1a64(GazetteerIo::Payload(*this), Fnv1a64(SourcesBlock(sources_)));
  BuildIndex();
}

std::vector<uint32_t> Gazetteer::Lookup(std::string_view name) const {
  std::string k = Fold(name);
  auto lo = std::lower_bound(index_.begin(), index_.end(), std::make_pair(k, uint32_t{0}));
  std::vector<uint32_t> out;
  for (auto it = lo; it != index_.end() && it->first == k; ++it) out.push_back(it->second);
  return out;
}

const Place* Gazetteer::Country(std::string_view iso3) const {
  auto it = std::lower_bound(countries_.begin(), countries_.end(), iso3,
                             [](const auto& e, std::string_view k) { return e.first < k; });
  return it != countries_.end() && it->first == iso3 ? &places_[it->second] : nullptr;
}

const Place* Gazetteer::UsState(std::string_view s) const {
  std::string k = Fold(s);
  auto it = std::lower_bound(us_states_.begin(), us_states_.end(), std::make_pair(k, uint32_t{0}));
  return it != us_states_.end() && it->first == k ? &places_[it->second] : nullptr;
}

std::string Gazetteer::Serialize(int zstd_level) const {
  std::string payload = GazetteerIo::Payload(*this);
  std::string sources = SourcesBlock(sources_);
  std::string stored(ZSTD_compressBound(payload.size()), '\0');
  size_t z =
      ZSTD_compress(stored.data(), stored.size(), payload.data(), payload.size(), zstd_level);
  uint32_t flags = kFlagZstd;
  if (ZSTD_isError(z)) {
    stored = payload;
    flags = 0;
  } else {
    stored.resize(z);
  }
  BinaryWriter w;
  w.Bytes(kMagic, sizeof kMagic);
  w.U32(kGeoFormatVersion);
  w.U32(flags);
  w.Str(std::string("dyad ") + DYAD_VERSION);
  w.Bytes(sources.data(), sources.size());
  w.U64(Fnv1a64(payload, Fnv1a64(sources)));
  w.U64(payload.size());
  w.U64(stored.size());
  w.Bytes(stored.data(), stored.size());
  w.U64(Fnv1a64(w.data()));
  return w.Take();
}

Result<std::shared_ptr<const Gazetteer>> Gazetteer::Parse(std::string_view bytes,
                                                          const std::string& origin) {
  const std::string redo = " (rebuild it with scripts/build-gazetteer.sh, or reinstall dyad)";
  if (bytes.size() < sizeof kMagic ||
      bytes.substr(0, sizeof kMagic) != std::string_view(kMagic, sizeof kMagic))
    return Status::Error(origin + ": not a dyad gazetteer (.dyadg)" + redo);
  if (bytes.size() < 16 + 8) return Status::Error(origin + ": truncated gazetteer" + redo);
  uint64_t want = 0;
  std::memcpy(&want, bytes.data() + bytes.size() - 8, 8);
  if (Fnv1a64(bytes.substr(0, bytes.size() - 8)) != want)
    return Status::Error(origin +
                         ": gazetteer checksum mismatch: the file is truncated or "
                         "corrupted" +
                         redo);
  BinaryReader r(bytes, origin);
  r.View(sizeof kMagic);
  uint32_t version = r.U32();
  if (r.ok() && (version < kMinGeoFormatVersion || version > kGeoFormatVersion))
    return Status::Error(origin + ": gazetteer format version " + std::to_string(version) +
                         " is not supported by this dyad (it reads " +
                         std::to_string(kMinGeoFormatVersion) + ".." +
                         std::to_string(kGeoFormatVersion) + ")" + redo);
  uint32_t flags = r.U32();
  r.Str();  // producer
  size_t sources_begin = r.position();
  uint32_t ns = r.U32();
  if (ns > 64) r.Fail("too many sources");
  auto g = std::make_shared<Gazetteer>();
  for (uint32_t i = 0; i < ns && r.ok(); ++i) {
    GazetteerSource s;
    s.name = r.Str();
    s.bytes = r.U64();
    s.checksum = r.U64();
    g->sources_.push_back(std::move(s));
  }
  std::string_view sources_block = bytes.substr(sources_begin, r.position() - sources_begin);
  uint64_t fingerprint = r.U64();
  uint64_t payload_size = r.U64();
  uint64_t stored_size = r.U64();
  if (payload_size > kMaxPayload || stored_size > r.remaining()) r.Fail("bad payload size");
  std::string_view stored = r.View(stored_size);
  r.U64();  // checksum, verified above
  if (Status st = r.Finish(); !st.ok()) return Status::Error(st.message() + redo);
  std::string payload;
  if (flags & kFlagZstd) {
    payload.resize(payload_size);
    size_t z = ZSTD_decompress(payload.data(), payload.size(), stored.data(), stored.size());
    if (ZSTD_isError(z) || z != payload_size)
      return Status::Error(origin + ": gazetteer payload does not decompress" + redo);
  } else {
    if (stored.size() != payload_size)
      return Status::Error(origin + ": gazetteer payload size mismatch" + redo);
    payload.assign(stored);
  }
  if (Fnv1a64(payload, Fnv1a64(sources_block)) != fingerprint)
    return Status::Error(origin + ": gazetteer fingerprint mismatch" + redo);
  if (Status st = GazetteerIo::ReadPayload(payload, origin, g.get()); !st.ok()) return st;
  g->fingerprint_ = fingerprint;
  g->BuildIndex();
  return std::shared_ptr<const Gazetteer>(std::move(g));
}

Result<std::shared_ptr<const Gazetteer>> Gazetteer::Load(const std::string& path) {
  auto bytes = ReadFile(path);
  if (!bytes.ok()) return bytes.status();
  return Parse(*bytes, path);
}

}  // namespace dyad::geo
