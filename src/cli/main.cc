// dyad: political event data from news text. See `dyad --help`.
#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "cli/command.h"
#include "dyad/version.h"

namespace dyad::cli {
std::string VersionText();  // cmd_version.cc
}

int main(int argc, char** argv) {
  using namespace dyad::cli;
  std::vector<std::string> args(argv + 1, argv + argc);
  auto commands = Commands();
  std::sort(commands.begin(), commands.end(),
            [](const Command& a, const Command& b) { return a.name < b.name; });
  if (args.empty() || args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
    std::printf(
        "usage: dyad <command> [options] [FILE...]\n\n"
        "dyad turns news text into political event data (CAMEO).\n\ncommands:\n");
    for (const auto& c : commands) std::printf("  %-10s %s\n", c.name.c_str(), c.summary.c_str());
    std::printf("\n`dyad <command> --help` describes each command; `dyad --version` prints the\n"
                "version and the fingerprints of the model and dictionaries in use.\n");
    return args.empty() ? kExitUsage : kExitOk;
  }
  if (args[0] == "--version" || args[0] == "-V") {
    std::fputs(VersionText().c_str(), stdout);
    return kExitOk;
  }
  for (const auto& c : commands) {
    if (c.name == args[0]) {
      try {
        return c.run(std::vector<std::string>(args.begin() + 1, args.end()));
      } catch (const std::exception& e) {
        // The library reports errors as values; this only catches allocation failures and
        // the like, so the user sees a message instead of an abort.
        std::fprintf(stderr, "dyad %s: internal error: %s\n", c.name.c_str(), e.what());
        return 3;
      }
    }
  }
  return UsageError("'" + args[0] + "' is not a dyad command; see `dyad --help`");
}
