#include "cli/command.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>

namespace dyad::cli {

namespace {
std::vector<Command>& Registry() {
  static std::vector<Command> r;
  return r;
}
}  // namespace

bool RegisterCommand(Command c) {
  Registry().push_back(std::move(c));
  return true;
}

const std::vector<Command>& Commands() { return Registry(); }

void ArgParser::Bool(const std::string& n, bool* o, const std::string& h) {
  opts_.push_back({n, h, Opt::kBool, o});
}
void ArgParser::String(const std::string& n, std::string* o, const std::string& h) {
  opts_.push_back({n, h, Opt::kString, o});
}
void ArgParser::Int(const std::string& n, int* o, const std::string& h) {
  opts_.push_back({n, h, Opt::kInt, o});
}
void ArgParser::Double(const std::string& n, double* o, const std::string& h) {
  opts_.push_back({n, h, Opt::kDouble, o});
}
void ArgParser::Alias(const std::string& s, const std::string& l) { aliases_.push_back({s, l}); }

const ArgParser::Opt* ArgParser::Find(const std::string& name) const {
  std::string n = name;
  for (const auto& [s, l] : aliases_)
    if (s == name) n = l;
  for (const auto& o : opts_)
    if (o.name == n) return &o;
  return nullptr;
}

std::string ArgParser::Help() const {
  std::string h = "usage: " + usage_ + "\n\n" + description_ + "\n";
  if (!opts_.empty()) h += "\noptions:\n";
  for (const auto& o : opts_) {
    std::string left = "  " + o.name;
    for (const auto& [s, l] : aliases_)
      if (l == o.name) left = "  " + s + ", " + o.name;
    if (o.kind == Opt::kString) left += " S";
    if (o.kind == Opt::kInt) left += " N";
    if (o.kind == Opt::kDouble) left += " X";
    if (left.size() < 26) left.resize(26, ' ');
    else left += "  ";
    h += left + o.help + "\n";
  }
  h += "  -h, --help                show this help\n";
  return h;
}

bool ArgParser::Parse(const std::vector<std::string>& args, int* exit_code) {
  bool flags_done = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (flags_done || a == "-" || a.empty() || a[0] != '-') {
      positional_.push_back(a);
      continue;
    }
    if (a == "--") {
      flags_done = true;
      continue;
    }
    if (a == "-h" || a == "--help") {
      std::fputs(Help().c_str(), stdout);
      *exit_code = 0;
      return false;
    }
    std::string name = a, value;
    bool has_value = false;
    if (size_t eq = a.find('='); eq != std::string::npos && a.starts_with("--")) {
      name = a.substr(0, eq);
      value = a.substr(eq + 1);
      has_value = true;
    }
    const Opt* o = Find(name);
    if (!o) {
      std::fprintf(stderr, "dyad: unknown option '%s'\n%s", name.c_str(), Help().c_str());
      *exit_code = kExitUsage;
      return false;
    }
    if (o->kind == Opt::kBool) {
      *static_cast<bool*>(o->out) = !has_value || (value != "false" && value != "0");
      continue;
    }
    if (!has_value) {
      if (i + 1 >= args.size()) {
        std::fprintf(stderr, "dyad: option %s needs a value\n", name.c_str());
        *exit_code = kExitUsage;
        return false;
      }
      value = args[++i];
    }
    try {
      size_t used = 0;
      if (o->kind == Opt::kString) {
        *static_cast<std::string*>(o->out) = value;
      } else if (o->kind == Opt::kInt) {
        *static_cast<int*>(o->out) = std::stoi(value, &used);
        if (used != value.size()) throw std::invalid_argument(value);
      } else {
        *static_cast<double*>(o->out) = std::stod(value, &used);
        if (used != value.size()) throw std::invalid_argument(value);
      }
    } catch (const std::exception&) {
      std::fprintf(stderr, "dyad: option %s: '%s' is not a number\n", name.c_str(),
                   value.c_str());
      *exit_code = kExitUsage;
      return false;
    }
  }
  return true;
}

std::string DataRoot() {
  if (const char* h = std::getenv("DYAD_HOME"); h && *h) return h;
  std::error_code ec;
  if (std::filesystem::exists(std::string(DYAD_SOURCE_DIR) + "/models", ec))
    return DYAD_SOURCE_DIR;
  return ".";
}

std::string DefaultModelPath() {
  if (const char* m = std::getenv("DYAD_MODEL"); m && *m) return m;
  return DataRoot() + "/models/en-ewt.dyadm";
}

int UsageError(const std::string& message) {
  std::fprintf(stderr, "dyad: %s\n", message.c_str());
  return kExitUsage;
}

}  // namespace dyad::cli
