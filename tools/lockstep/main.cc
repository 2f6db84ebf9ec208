// lockstep: find coordinated inauthentic behaviour in social-media activity.
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <exception>
#include <map>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

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

namespace {

// CLI11 reports a misspelt command as "A subcommand is required". Walks the
// leading words of the command line down the subcommand tree and, at the
// first word that names no subcommand where one is expected, prints which
// ones exist. Returns false after printing.
bool KnownSubcommands(CLI::App& app, int argc, char** argv) {
  CLI::App* level = &app;
  std::string path = "lockstep";
  for (int i = 1; i < argc; ++i) {
    const std::string word = argv[i];
    if (word.empty() || word[0] == '-') return true;  // options are CLI11's to check
    std::vector<CLI::App*> subs = level->get_subcommands([](CLI::App*) { return true; });
    if (subs.empty()) return true;
    auto named = std::find_if(subs.begin(), subs.end(), [&](CLI::App* s) { return s->get_name() == word; });
    if (named == subs.end()) {
      std::vector<std::string> names;
      for (CLI::App* s : subs) names.push_back(s->get_name());
      std::fprintf(stderr, "lockstep: '%s' is not a %s command; the commands are: %s\n", word.c_str(), path.c_str(),
                   fmt::format("{}", fmt::join(names, ", ")).c_str());
      return false;
    }
    level = *named;
    path += " " + word;
  }
  return true;
}

}  // namespace
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
  if (!KnownSubcommands(app, argc, argv)) return kExitUsage;
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
