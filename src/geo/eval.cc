// EvaluateGold: the gold set through the real pipeline (segmenter, tagger, parser, coder).
#include <cmath>

#include "dyad/coder.h"
#include "dyad/geo.h"
#include "dyad/nlp.h"

namespace dyad::geo {
namespace {

std::vector<std::string_view> SplitTabs(std::string_view line) {
  std::vector<std::string_view> f;
  size_t start = 0;
  while (true) {
    size_t t = line.find('\t', start);
    f.push_back(line.substr(start, t == std::string_view::npos ? line.npos : t - start));
    if (t == std::string_view::npos) break;
    start = t + 1;
  }
  return f;
}

double Km(double lat1, double lon1, double lat2, double lon2) {
  constexpr double kR = 6371.0, kRad = M_PI / 180;
  double dlat = (lat2 - lat1) * kRad, dlon = (lon2 - lon1) * kRad;
  double a = std::sin(dlat / 2) * std::sin(dlat / 2) + std::cos(lat1 * kRad) *
                                                           std::cos(lat2 * kRad) *
                                                           std::sin(dlon / 2) * std::sin(dlon / 2);
  return 2 * kR * std::asin(std::sqrt(std::min(1.0, a)));
}

}  // namespace

Result<GeoEvalReport> EvaluateGold(const Pipeline& nlp, const coder::Coder& coder,
                                   const Locator& locator, std::string_view gold_tsv) {
  GeoEvalReport rep;
  const Gazetteer& gaz = locator.gazetteer();
  size_t line_no = 0;
  size_t pos = 0;
  while (pos < gold_tsv.size()) {
    size_t nl = gold_tsv.find('\n', pos);
    std::string_view line = gold_tsv.substr(pos, nl == std::string_view::npos ? nl : nl - pos);
    pos = nl == std::string_view::npos ? gold_tsv.size() : nl + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line[0] == '#') continue;
    auto f = SplitTabs(line);
    if (f.size() != 4)
      return Status::Error("gold line " + std::to_string(line_no) +
                           ": expected 4 tab-separated "
                           "fields (id, text, place, country), found " +
                           std::to_string(f.size()));
    GeoEvalItem it;
    it.id = std::string(f[0]);
    it.text = std::string(f[1]);
    it.want_name = f[2] == "-" ? "" : std::string(f[2]);
    it.want_country = f[3] == "-" ? "" : std::string(f[3]);
    if (it.want_name.empty() != it.want_country.empty())
      return Status::Error("gold line " + std::to_string(line_no) +
                           ": give both a place and a country, or neither");

    Document doc;
    doc.id = it.id;
    doc.text = it.text;
    nlp.AnnotateText(doc.text, &doc.sentences);
    std::vector<Event> events = coder.Code(doc);
    for (Event& e : events)
      if (e.doc_id.empty()) e.doc_id = doc.id;
    locator.Locate(doc, &events);
    EventLocation got;
    if (!events.empty()) {
      got = events.front().location;
    } else if (!doc.sentences.empty()) {
      LocateQuery q;
      got = locator.Find(doc, events, q);
    }
    it.got_name = got.name;
    it.got_country = got.country;
    it.got_how = got.how;
    if (!it.want_name.empty()) ++rep.gold;
    if (got.found()) ++rep.predicted;
    if (got.found() && !it.want_name.empty() && got.country == it.want_country) {
      if (Gazetteer::Fold(got.name) == Gazetteer::Fold(it.want_name)) {
        it.correct = true;
      } else {
        for (uint32_t p : gaz.Lookup(it.want_name)) {
          const Place& pl = gaz.place(p);
          if (pl.country == it.want_country && Km(pl.lat(), pl.lon(), got.lat, got.lon) <= 25)
            it.correct = true;
        }
      }
    }
    if (it.correct) ++rep.correct;
    rep.items.push_back(std::move(it));
  }
  return rep;
}

}  // namespace dyad::geo
