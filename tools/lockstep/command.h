// The lockstep command-line front end: each subcommand lives in its own
// cmd_<name>.cc and registers itself here, so adding one touches no other file.
// Commands stay thin: parse flags, call the library, print.
#ifndef LOCKSTEP_TOOLS_COMMAND_H_
#define LOCKSTEP_TOOLS_COMMAND_H_

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <CLI/CLI.hpp>

#include "lockstep/model/status.h"

namespace lockstep::cli {

// Documented exit codes.
inline constexpr int kExitOk = 0;
inline constexpr int kExitUsage = 1;
inline constexpr int kExitBadInput = 2;
inline constexpr int kExitInternal = 3;

// The documented exit code of a failed library call: malformed, unreadable
// or damaged input (kInputError, kIoError, kCorrupt) is bad input (2); a
// parameter out of range is usage (1); kFailedPrecondition and kInternal are
// bugs (3). kOk is kExitOk.
int ExitCodeFor(const Status& s);

struct Command {
  std::string name;
  std::string description;
  // Adds the subcommand's flags to `app`; returns the function that runs it
  // after parsing, returning an exit code.
  std::function<std::function<int()>(CLI::App& app)> setup;
};

// Called from a static initialiser in each cmd_<name>.cc:
//   static const bool kRegistered = lockstep::cli::Register({"name", "what it does", Setup});
bool Register(Command command);
std::vector<Command>& Commands();

// Whether stderr is a terminal (progress is shown only then).
bool StderrIsTerminal();

// Flag values are checked when the command line is parsed, so a bad value is
// a usage error (exit 1) whose message names the flag, the value and what is
// allowed ("--min-confidence: 5 is not in [0, 1]"), before any data is read.

// Upper bound of time-window flags (--window, --bin), in seconds: a year and
// a day. Longer windows say nothing about coordination.
inline constexpr int64_t kMaxWindowSeconds = 366 * 86400;

// A number in [lo, hi], or in (lo, hi] with `exclude_lo`; NaN, infinities
// and text that is not a number are refused.
CLI::Validator Within(double lo, double hi, bool exclude_lo = false);

// --threads N of every command that runs workers: 1..kMaxThreads
// (lockstep/model/threads.h).
CLI::Option* AddThreadsOption(CLI::App& app, int* threads);

// Checks before any work that an output can be written: a directory (created
// if missing) or a file ("-" is stdout; its directory must exist and be
// writable, and the path must not be a directory). On failure prints
// "lockstep: FLAG PATH: why" and returns kExitBadInput; kExitOk otherwise.
int CheckOutputDir(std::string_view flag, const std::string& dir);
int CheckOutputFile(std::string_view flag, const std::string& path);

}  // namespace lockstep::cli

#endif  // LOCKSTEP_TOOLS_COMMAND_H_
