// lockstep serve --store FILE|URI [--listen HOST:PORT] [--cert F --key F]: the investigator's workbench.
// lockstep serve --store S --add-user NAME --role viewer|analyst|admin [--password-file F]: creates a user.
#include <termios.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <iostream>
#include <memory>

#include <fmt/format.h>

#include "command.h"
#include "lockstep/server/workbench.h"
#include "lockstep/server/workbench_store.h"
#include "lockstep/store/case_store.h"

namespace lockstep::cli {
namespace {

struct ServeFlags {
  std::string store;
  std::string listen = "127.0.0.1:8080";
  std::string cert, key;
  std::string add_user, role = "analyst", password_file;
};

int AddUser(const ServeFlags& f) {
  Role role;
  if (!Parse(f.role, &role)) {
    std::fprintf(stderr, "lockstep: --role %s: expected viewer, analyst or admin\n", f.role.c_str());
    return kExitUsage;
  }
  std::string password;
  if (!f.password_file.empty()) {
    std::ifstream in(f.password_file);
    if (!in) {
      std::fprintf(stderr, "lockstep: --password-file %s: cannot be read\n", f.password_file.c_str());
      return kExitBadInput;
    }
    std::getline(in, password);
  } else {
    // From a terminal: prompt, and do not echo the password.
    const bool tty = isatty(STDIN_FILENO) != 0;
    termios saved{};
    if (tty && tcgetattr(STDIN_FILENO, &saved) == 0) {
      termios quiet = saved;
      quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
      tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
      std::fprintf(stderr, "password for %s (8 or more characters): ", f.add_user.c_str());
    }
    std::getline(std::cin, password);
    if (tty) {
      tcsetattr(STDIN_FILENO, TCSANOW, &saved);
      std::fprintf(stderr, "\n");
    }
  }
  if (!password.empty() && password.back() == '\r') password.pop_back();
  auto store = CaseStore::Open(f.store);
  if (!store.ok()) {
    std::fprintf(stderr, "lockstep: --store: %s\n", store.status().message().c_str());
    return kExitBadInput;
  }
  WorkbenchStore wb(store->get());
  const int64_t now = static_cast<int64_t>(std::time(nullptr));
  if (Status s = wb.AddUser(f.add_user, role, password, now); !s.ok()) {
    std::fprintf(stderr, "lockstep: --add-user: %s\n", s.message().c_str());
    return s.code() == StatusCode::kInvalidArgument ? kExitUsage : kExitBadInput;
  }
  (void)wb.Audit(now, "(command line)", "add_user", "", fmt::format("{} as {}", f.add_user, f.role), "");
  fmt::print("user {} ({}) saved in {}\n", f.add_user, f.role, f.store);
  return kExitOk;
}

int Serve(const ServeFlags& f) {
  WorkbenchOptions o;
  o.store = f.store;
  const size_t colon = f.listen.rfind(':');
  if (colon == std::string::npos) {
    std::fprintf(stderr, "lockstep: --listen %s: expected HOST:PORT such as 127.0.0.1:8080\n", f.listen.c_str());
    return kExitUsage;
  }
  o.host = f.listen.substr(0, colon);
  if (o.host.size() > 2 && o.host.front() == '[' && o.host.back() == ']') o.host = o.host.substr(1, o.host.size() - 2);
  char* end = nullptr;
  const long port = std::strtol(f.listen.c_str() + colon + 1, &end, 10);
  if (end == f.listen.c_str() + colon + 1 || *end != '\0' || port < 0 || port > 65535) {
    std::fprintf(stderr, "lockstep: --listen %s: the port must be a number in [0, 65535]\n", f.listen.c_str());
    return kExitUsage;
  }
  o.port = static_cast<int>(port);
  o.cert_file = f.cert;
  o.key_file = f.key;
  // Block the stop signals before the server's threads start, so they inherit
  // the mask and this thread receives them in sigwait.
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGINT);
  sigaddset(&stop, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop, nullptr);
  Workbench wb(o);
  if (Status s = wb.Start(); !s.ok()) {
    std::fprintf(stderr, "lockstep: serve: %s\n", s.message().c_str());
    return s.code() == StatusCode::kInvalidArgument ? kExitUsage : kExitBadInput;
  }
  fmt::print("lockstep workbench on {}://{}:{}/ (store {}); Ctrl-C stops\n", o.cert_file.empty() ? "http" : "https",
             o.host, wb.port(), o.store);
  std::fflush(stdout);
  int sig = 0;
  sigwait(&stop, &sig);
  wb.Stop();
  return kExitOk;
}

std::function<int()> Setup(CLI::App& app) {
  auto f = std::make_shared<ServeFlags>();
  app.add_option("--store", f->store, "the case store (SQLite file or postgresql:// URI)")->required();
  app.add_option("--listen", f->listen, "address and port to listen on (0 = any free port)")->capture_default_str();
  app.add_option("--cert", f->cert, "TLS certificate (PEM); with --key, serve HTTPS");
  app.add_option("--key", f->key, "TLS private key (PEM)");
  app.add_option("--add-user", f->add_user, "create (or update) this user and exit; password from stdin or --password-file");
  app.add_option("--role", f->role, "role of --add-user: viewer, analyst or admin")
      ->check(CLI::IsMember({"viewer", "analyst", "admin"}))
      ->capture_default_str();
  app.add_option("--password-file", f->password_file, "read --add-user's password from this file's first line");
  return [f]() { return f->add_user.empty() ? Serve(*f) : AddUser(*f); };
}

const bool kRegistered =
    Register({"serve", "The investigator's workbench: web app and JSON API over a case store", Setup});

}  // namespace
}  // namespace lockstep::cli
