// The `dyad` command: git-style subcommands, each in its own cmd_*.cc file that registers
// itself with DYAD_COMMAND. Subcommands are thin: they parse flags, call the library, and map
// its Status to an exit code (0 ok, 1 some records rejected, 2 usage or configuration error).
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace dyad::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitRejected = 1;
inline constexpr int kExitUsage = 2;

struct Command {
  std::string name;     // e.g. "parse", or "train" (its own sub-verbs parse further)
  std::string summary;  // one line for `dyad --help`
  std::function<int(const std::vector<std::string>& args)> run;  // args after the name
};

bool RegisterCommand(Command c);
const std::vector<Command>& Commands();

#define DYAD_COMMAND(ident, name, summary, fn) \
  static const bool dyad_cmd_registered_##ident = ::dyad::cli::RegisterCommand({name, summary, fn})

// A small flag parser shared by every subcommand so they all behave alike:
//   --flag value, --flag=value, boolean --flag, "-" and other words positional, "--" ends
//   flags, -h/--help prints the usage and the flag table.
class ArgParser {
 public:
  ArgParser(std::string usage, std::string description)
      : usage_(std::move(usage)), description_(std::move(description)) {}

  void Bool(const std::string& name, bool* out, const std::string& help);
  void String(const std::string& name, std::string* out, const std::string& help);
  void Int(const std::string& name, int* out, const std::string& help);
  void Double(const std::string& name, double* out, const std::string& help);
  // Also accept a short alias, e.g. Alias("-o", "--output").
  void Alias(const std::string& short_name, const std::string& long_name);

  // Returns true to go on. Otherwise *exit_code is 0 (help was printed) or 2 (usage error,
  // message printed to stderr).
  bool Parse(const std::vector<std::string>& args, int* exit_code);
  const std::vector<std::string>& positional() const { return positional_; }
  std::string Help() const;

 private:
  struct Opt {
    std::string name, help;
    enum Kind { kBool, kString, kInt, kDouble } kind;
    void* out;
  };
  const Opt* Find(const std::string& name) const;
  std::string usage_, description_;
  std::vector<Opt> opts_;
  std::vector<std::pair<std::string, std::string>> aliases_;
  std::vector<std::string> positional_;
};

// Where the shipped model and data live: $DYAD_HOME, else the source tree the binary was
// built from, else the current directory.
std::string DataRoot();
std::string DefaultModelPath();

// Prints "dyad: <message>" to stderr and returns kExitUsage.
int UsageError(const std::string& message);

}  // namespace dyad::cli
