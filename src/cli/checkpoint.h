// `dyad code --resume`: where an interrupted run stopped. While a run writes to -o FILE it
// keeps FILE.dyad-resume up to date (every second, and when it stops on Ctrl-C): how
// many input records were done and how many bytes of FILE (and of --rejects) hold them. A
// rerun with --resume truncates the outputs to those sizes, skips that many records and
// goes on, so nothing is written twice, even after kill -9. A run that finishes removes the
// checkpoint.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "dyad/status.h"

namespace dyad::cli {

struct Checkpoint {
  uint64_t records = 0;        // input records done (coded or rejected), in input order
  uint64_t output_bytes = 0;   // bytes of the output file that hold them
  uint64_t rejects_bytes = 0;  // bytes of the --rejects file
  std::string identity;        // the inputs and options the run was started with

  static std::string PathFor(const std::string& output) { return output + ".dyad-resume"; }
  // nullopt when there is no checkpoint; an error when it is unreadable or malformed.
  static Result<std::optional<Checkpoint>> Read(const std::string& path);
  Status Write(const std::string& path) const;  // atomically (write, then rename)
};

// What must not change between a run and its resumption: the input files (names, sizes,
// modification times) and the options that shape the output.
std::string RunIdentity(const std::vector<std::string>& files, const std::string& options);

}  // namespace dyad::cli
