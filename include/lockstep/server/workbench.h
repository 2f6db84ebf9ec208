// The investigator's workbench: `lockstep serve`. An HTTP(S) server
// (cpp-httplib) with a JSON API over the case store and the data sets its
// runs came from, and the web app's files (embedded from web/dist).
//
// Security: every /api/ path except POST /api/login needs a session cookie
// (random token, HttpOnly, SameSite=Strict, Secure under TLS); every POST
// except the login must carry the session's CSRF token in X-CSRF-Token;
// viewers only read, analysts and admins write; failed logins are limited per
// user name and per client address; every answer carries a Content Security
// Policy that forbids inline script. See docs/workbench.md for the API.
//
// Threads: cpp-httplib answers on a pool of 64 worker threads (an idle
// keep-alive connection holds one for up to 2 s); each request
// borrows a store connection from a pool. Data sets are loaded once per run,
// on first use, and kept.
#ifndef LOCKSTEP_SERVER_WORKBENCH_H_
#define LOCKSTEP_SERVER_WORKBENCH_H_

#include <cstdint>
#include <memory>
#include <string>

#include "lockstep/model/status.h"

namespace lockstep {

struct WorkbenchOptions {
  std::string store;               // SQLite file or postgresql:// URI
  std::string host = "127.0.0.1";  // address to bind; loopback unless told otherwise
  int port = 8080;                 // 0: any free port (read it back with Workbench::port())
  std::string cert_file, key_file;  // PEM; both or neither (then plain HTTP)
  int64_t session_seconds = 8 * 3600;
  int login_failures = 5;          // failed logins allowed per name and per address ...
  int64_t login_window_seconds = 60;  // ... within this many seconds; then 429 until the window passes
};

class Workbench {
 public:
  explicit Workbench(WorkbenchOptions options);
  ~Workbench();  // Stop()s
  Workbench(const Workbench&) = delete;
  Workbench& operator=(const Workbench&) = delete;

  // Opens (and migrates) the store, binds and starts answering on a thread
  // of its own. kInvalidArgument for bad options, kIoError if the address
  // cannot be bound or the certificate not read; store errors as CaseStore::Open.
  Status Start();
  // The bound port (after Start()).
  int port() const;
  // Stops answering and joins the server thread. Idempotent.
  void Stop();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace lockstep

#endif  // LOCKSTEP_SERVER_WORKBENCH_H_
