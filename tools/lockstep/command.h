// The lockstep command-line front end: each subcommand lives in its own
// cmd_<name>.cc and registers itself here, so adding one touches no other file.
// Commands stay thin: parse flags, call the library, print.
#ifndef LOCKSTEP_TOOLS_COMMAND_H_
#define LOCKSTEP_TOOLS_COMMAND_H_

#include <functional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace lockstep::cli {

// Documented exit codes.
inline constexpr int kExitOk = 0;
inline constexpr int kExitUsage = 1;
inline constexpr int kExitBadInput = 2;
inline constexpr int kExitInternal = 3;

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

}  // namespace lockstep::cli

#endif  // LOCKSTEP_TOOLS_COMMAND_H_
