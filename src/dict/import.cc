// Finding a dictionary set: PETRARCH's configuration file, or the Phoenix defaults.
#include <filesystem>
#include <map>

#include "dict/text_util.h"
#include "dyad/dict.h"
#include "util/binary.h"

namespace dyad::dict {

namespace fs = std::filesystem;

DictionaryFiles DictionaryFiles::Phoenix(const std::string& dir) {
  auto in = [&](const char* name) { return (fs::path(dir) / name).string(); };
  DictionaryFiles f;
  f.verbs = in("CAMEO.2.0.txt");
  f.actors = {in("Phoenix.Countries.actors.txt"), in("Phoenix.International.actors.txt"),
              in("Phoenix.MilNonState.actors.txt")};
  f.agents = in("Phoenix.agents.txt");
  f.discards = in("Phoenix.discards.txt");
  f.issues = in("Phoenix.IssueCoding.txt");
  return f;
}

Result<DictionaryFiles> ReadPetrarchConfig(const std::string& config_path) {
  DYAD_ASSIGN_OR_RETURN(std::string text, ReadFile(config_path));
  // A small INI reader in the manner of Python's ConfigParser: [section], key = value,
  // continuation lines start with a blank, '#' and ';' lines are comments.
  std::map<std::string, std::string> values;  // "section.key" (lower case) -> value
  std::string section, last_key;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    std::string_view raw = std::string_view(text).substr(pos, end - pos);
    pos = end + 1;
    if (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
    std::string_view line = internal::Trim(raw);
    if (line.empty() || line[0] == '#' || line[0] == ';') {
      if (line.empty()) last_key.clear();
      continue;
    }
    if (internal::IsSpace(raw[0]) && !last_key.empty()) {
      values[last_key] += " " + std::string(line);
      continue;
    }
    if (line.front() == '[' && line.back() == ']') {
      section = std::string(internal::Trim(line.substr(1, line.size() - 2)));
      for (char& c : section) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      last_key.clear();
      continue;
    }
    size_t eq = line.find_first_of("=:");
    if (eq == std::string_view::npos) continue;
    std::string key(internal::Trim(line.substr(0, eq)));
    for (char& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    last_key = section + "." + key;
    values[last_key] = std::string(internal::Trim(line.substr(eq + 1)));
  }

  fs::path base = fs::path(config_path).parent_path();
  auto resolve = [&](const std::string& name, std::string* out) -> Status {
    std::vector<fs::path> tried;
    for (const fs::path& dir : {base, base / "dictionaries", base / "data" / "dictionaries"}) {
      fs::path p = dir / name;
      tried.push_back(p);
      std::error_code ec;
      if (fs::is_regular_file(p, ec)) {
        *out = p.string();
        return Status::Ok();
      }
    }
    std::string where;
    for (const auto& t : tried) where += (where.empty() ? "" : ", ") + t.string();
    return Status::Error(config_path + ": dictionary file '" + name + "' not found (looked for " +
                         where + ")");
  };
  auto get = [&](const char* key) -> std::string {
    auto it = values.find(std::string("dictionaries.") + key);
    return it == values.end() ? "" : it->second;
  };

  DictionaryFiles f;
  struct Required {
    const char* key;
    std::string* out;
  };
  for (Required r : {Required{"verbfile_name", &f.verbs}, Required{"agentfile_name", &f.agents},
                     Required{"discardfile_name", &f.discards}}) {
    std::string name = get(r.key);
    if (name.empty())
      return Status::Error(config_path + ": [Dictionaries] " + r.key + " is missing");
    DYAD_RETURN_IF_ERROR(resolve(name, r.out));
  }
  std::string actors = get("actorfile_list");
  if (actors.empty())
    return Status::Error(config_path + ": [Dictionaries] actorfile_list is missing");
  size_t start = 0;
  while (start <= actors.size()) {
    size_t comma = actors.find(',', start);
    if (comma == std::string::npos) comma = actors.size();
    std::string name(internal::Trim(std::string_view(actors).substr(start, comma - start)));
    start = comma + 1;
    if (name.empty()) continue;
    std::string path;
    DYAD_RETURN_IF_ERROR(resolve(name, &path));
    f.actors.push_back(path);
  }
  if (std::string issues = get("issuefile_name"); !issues.empty())
    DYAD_RETURN_IF_ERROR(resolve(issues, &f.issues));
  return f;
}

Result<std::shared_ptr<const Dictionary>> Import(const DictionaryFiles& files,
                                                 ImportReport* report) {
  DictionaryBuilder b;
  if (files.verbs.empty()) return Status::Error("no verbs dictionary given");
  DYAD_RETURN_IF_ERROR(b.AddFile(DictKind::kVerbs, files.verbs));
  for (const auto& a : files.actors) DYAD_RETURN_IF_ERROR(b.AddFile(DictKind::kActors, a));
  if (!files.agents.empty()) DYAD_RETURN_IF_ERROR(b.AddFile(DictKind::kAgents, files.agents));
  if (!files.discards.empty()) DYAD_RETURN_IF_ERROR(b.AddFile(DictKind::kDiscards, files.discards));
  if (!files.issues.empty()) DYAD_RETURN_IF_ERROR(b.AddFile(DictKind::kIssues, files.issues));
  auto d = b.Build();
  if (report) *report = b.report();
  return d;
}

}  // namespace dyad::dict
