// lockstep: find coordinated inauthentic behaviour in social-media activity.
#include <unistd.h>

#include <cstdio>
#include <exception>
#include <map>

#include <fmt/format.h>

#include "command.h"

namespace lockstep::cli {

std::vector<Command>& Commands() {
  static std::vector<Command> commands;
  return commands;
}

bool Register(Command command) {
  Commands().push_back(std::move(command));
  return true;
}

bool StderrIsTerminal() { return ::isatty(STDERR_FILENO) == 1; }

}  // namespace lockstep::cli

int main(int argc, char** argv) {
  using namespace lockstep::cli;
  CLI::App app{"lockstep: finds coordinated inauthentic behaviour (troll farms, bot networks, bought engagement, "
               "hashtag storms) in social-media activity data.\n\nExit codes: 0 ok, 1 usage, 2 bad input, 3 internal "
               "error."};
  app.require_subcommand(1);
  app.set_version_flag("--version", "lockstep 0.1.0");
  std::map<std::string, std::function<int()>> runners;
  std::vector<Command> commands = Commands();
  std::sort(commands.begin(), commands.end(), [](const Command& a, const Command& b) { return a.name < b.name; });
  std::vector<std::pair<CLI::App*, std::string>> subs;
  for (const Command& c : commands) {
    CLI::App* sub = app.add_subcommand(c.name, c.description);
    runners[c.name] = c.setup(*sub);
    subs.emplace_back(sub, c.name);
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? kExitOk : kExitUsage;
  }
  try {
    for (auto& [sub, name] : subs)
      if (sub->parsed()) return runners[name]();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "lockstep: internal error: %s\n", e.what());
    return kExitInternal;
  }
  return kExitUsage;
}
