// The workbench's part of the case store (schema version 4, case_store.h):
// users with roles, login sessions, notes, members removed from a network as
// false members, and the audit log of every change made through
// `lockstep serve`.
//
// Passwords are stored as libsodium's Argon2id strings (crypto_pwhash_str,
// interactive limits); session tokens are 32 random bytes, kept only as their
// BLAKE2b hash, so a copy of the store does not log anyone in.
//
// Thread safety: like CaseStore, one WorkbenchStore = one connection; it
// borrows the CaseStore's and must not outlive it.
#ifndef LOCKSTEP_SERVER_WORKBENCH_STORE_H_
#define LOCKSTEP_SERVER_WORKBENCH_STORE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lockstep/model/status.h"
#include "lockstep/store/case_store.h"

namespace lockstep {

enum class Role : uint8_t { kViewer = 0, kAnalyst, kAdmin };
std::string_view Name(Role r);  // "viewer", "analyst", "admin"
bool Parse(std::string_view s, Role* out);

struct WorkbenchUser {
  int64_t id = 0;
  std::string name;
  Role role = Role::kViewer;
};

struct WorkbenchSession {
  WorkbenchUser user;
  std::string csrf;  // the token every write must carry (X-CSRF-Token)
  int64_t expires_at = 0;
};

struct AuditEntry {
  int64_t id = 0;
  int64_t at = 0;  // Unix seconds
  std::string user, action, case_id, detail, reason;
};

struct NoteRecord {
  int64_t at = 0;
  std::string author, text;
};

struct MemberRemoval {
  std::string account_id, by, reason;
  int64_t at = 0;
};

// 32 random bytes (libsodium's randombytes) as 64 hex digits.
std::string RandomToken();
// Argon2id string of `password` (libsodium crypto_pwhash_str); kInternal if
// libsodium cannot allocate its memory.
Result<std::string> HashPassword(std::string_view password);
bool VerifyPassword(std::string_view password, const std::string& hash);

class WorkbenchStore {
 public:
  explicit WorkbenchStore(CaseStore* store) : store_(store), db_(&store->connection()) {}

  // Creates the user, or changes the role and password of an existing one.
  // Names are 1..64 printable characters; passwords at least 8 bytes.
  Status AddUser(std::string_view name, Role role, std::string_view password, int64_t at);
  // The user if name and password match; nullopt otherwise (unknown name or
  // wrong password look the same to the caller).
  Result<std::optional<WorkbenchUser>> CheckPassword(std::string_view name, std::string_view password);

  // A new session for `user` lasting `ttl_seconds`; returns the token for the
  // cookie. *session receives the CSRF token.
  Result<std::string> CreateSession(const WorkbenchUser& user, int64_t now, int64_t ttl_seconds,
                                    WorkbenchSession* session);
  // The live session of `token`, or nullopt when unknown or expired.
  Result<std::optional<WorkbenchSession>> FindSession(std::string_view token, int64_t now);
  Status DeleteSession(std::string_view token);

  // Appends to the audit log. case_id may be "" for changes not about a case.
  Status Audit(int64_t at, std::string_view user, std::string_view action, std::string_view case_id,
               std::string_view detail, std::string_view reason);
  // Newest first; case_id "" = all; at most `limit` entries.
  Result<std::vector<AuditEntry>> AuditLog(std::string_view case_id, int64_t limit);

  // Notes and removed members of a case (canonical id "r3.N1").
  Status AddNote(std::string_view case_id, std::string_view author, std::string_view text, int64_t at);
  Result<std::vector<NoteRecord>> Notes(std::string_view case_id);
  // kInvalidArgument if the account is not a member of the case.
  Status RemoveMember(std::string_view case_id, std::string_view account_id, std::string_view by,
                      std::string_view reason, int64_t at);
  Result<std::vector<MemberRemoval>> RemovedMembers(std::string_view case_id);

 private:
  Result<int64_t> NetworkKey(std::string_view case_id);
  CaseStore* store_;
  SqlConnection* db_;
};

}  // namespace lockstep

#endif  // LOCKSTEP_SERVER_WORKBENCH_STORE_H_
