#include "lockstep/server/workbench_store.h"

#include <sodium.h>

#include <charconv>
#include <memory>

#include <fmt/format.h>

namespace lockstep {
namespace {

#define LOCKSTEP_RETURN_IF_ERROR(expr)           \
  do {                                           \
    if (Status s_ = (expr); !s_.ok()) return s_; \
  } while (0)

using Statement = std::unique_ptr<SqlStatement>;

bool SodiumReady() {
  static const bool ready = sodium_init() >= 0;
  return ready;
}

std::string Hex(const unsigned char* p, size_t n) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(2 * n, '0');
  for (size_t i = 0; i < n; ++i) {
    out[2 * i] = kDigits[p[i] >> 4];
    out[2 * i + 1] = kDigits[p[i] & 15];
  }
  return out;
}

std::string TokenHash(std::string_view token) {
  unsigned char h[32];
  crypto_generichash(h, sizeof h, reinterpret_cast<const unsigned char*>(token.data()), token.size(), nullptr, 0);
  return Hex(h, sizeof h);
}

template <typename F>
Status ForEachRow(SqlStatement& st, F&& read) {
  for (;;) {
    Result<bool> row = st.Step();
    if (!row.ok()) return row.status();
    if (!row.value()) return Status::Ok();
    read(st);
  }
}

// Prepares `sql` and binds the text arguments in order.
template <typename... Args>
Result<Statement> PrepareBound(SqlConnection* db, std::string_view sql, const Args&... args) {
  Result<Statement> st = db->Prepare(sql);
  if (!st.ok()) return st;
  int i = 0;
  Status s = Status::Ok();
  ((s.ok() ? (void)(s = (*st)->Bind(++i, args)) : (void)0), ...);
  if (!s.ok()) return s;
  return st;
}

}  // namespace

std::string_view Name(Role r) {
  switch (r) {
    case Role::kViewer:
      return "viewer";
    case Role::kAnalyst:
      return "analyst";
    case Role::kAdmin:
      return "admin";
  }
  return "?";
}

bool Parse(std::string_view s, Role* out) {
  for (Role r : {Role::kViewer, Role::kAnalyst, Role::kAdmin})
    if (s == Name(r)) {
      *out = r;
      return true;
    }
  return false;
}

std::string RandomToken() {
  if (!SodiumReady()) std::abort();  // no entropy source: nothing safe to do
  unsigned char b[32];
  randombytes_buf(b, sizeof b);
  return Hex(b, sizeof b);
}

Result<std::string> HashPassword(std::string_view password) {
  if (!SodiumReady()) return Status::Internal("libsodium failed to initialise");
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
    return Status::Internal("Argon2id hashing ran out of memory");
  return std::string(out);
}

bool VerifyPassword(std::string_view password, const std::string& hash) {
  if (!SodiumReady()) return false;
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

Status WorkbenchStore::AddUser(std::string_view name, Role role, std::string_view password, int64_t at) {
  if (name.empty() || name.size() > 64)
    return Status::InvalidArgument(fmt::format("user name must be 1 to 64 characters, got {}", name.size()));
  for (unsigned char c : name)
    if (c < 0x21 || c == 0x7f)
      return Status::InvalidArgument("user name must not contain spaces or control characters");
  if (password.size() < 8)
    return Status::InvalidArgument(fmt::format("password must be at least 8 bytes, got {}", password.size()));
  Result<std::string> hash = HashPassword(password);
  if (!hash.ok()) return hash.status();
  const std::string role_name(Name(role));
  Result<Statement> st = PrepareBound(
      db_,
      "INSERT INTO users (name, role, password_hash, created_at) VALUES (?, ?, ?, ?) "
      "ON CONFLICT (name) DO UPDATE SET role = excluded.role, password_hash = excluded.password_hash",
      name, std::string_view(role_name), std::string_view(*hash), at);
  if (!st.ok()) return st.status();
  return (*st)->Run();
}

Result<std::optional<WorkbenchUser>> WorkbenchStore::CheckPassword(std::string_view name, std::string_view password) {
  Result<Statement> st = PrepareBound(db_, "SELECT id, name, role, password_hash FROM users WHERE name = ?", name);
  if (!st.ok()) return st.status();
  Result<bool> row = (*st)->Step();
  if (!row.ok()) return row.status();
  if (!row.value()) {
    // Spend the time a real check takes, so timing does not tell which names exist.
    VerifyPassword(password, "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$"
                             "4Ckzj9bJ2s9s6c5iK8rGrfFQxJ4Ywq3vJ3Y8K0pW2aA");
    return std::optional<WorkbenchUser>();
  }
  WorkbenchUser u{(*st)->Int(0), (*st)->Text(1)};
  Parse((*st)->Text(2), &u.role);
  const std::string hash = (*st)->Text(3);
  LOCKSTEP_RETURN_IF_ERROR((*st)->Run());
  if (!VerifyPassword(password, hash)) return std::optional<WorkbenchUser>();
  return std::optional<WorkbenchUser>(u);
}

Result<std::string> WorkbenchStore::CreateSession(const WorkbenchUser& user, int64_t now, int64_t ttl_seconds,
                                                  WorkbenchSession* session) {
  const std::string token = RandomToken(), csrf = RandomToken(), hash = TokenHash(token);
  Result<Statement> st = PrepareBound(db_, "INSERT INTO sessions (token_hash, user_id, csrf, created_at, expires_at) "
                                           "VALUES (?, ?, ?, ?, ?)",
                                      std::string_view(hash), user.id, std::string_view(csrf), now, now + ttl_seconds);
  if (!st.ok()) return st.status();
  LOCKSTEP_RETURN_IF_ERROR((*st)->Run());
  // Expired sessions go now and then, so the table does not grow without bound.
  if (Status s = db_->Exec(fmt::format("DELETE FROM sessions WHERE expires_at < {}", now)); !s.ok()) return s;
  *session = {user, csrf, now + ttl_seconds};
  return token;
}

Result<std::optional<WorkbenchSession>> WorkbenchStore::FindSession(std::string_view token, int64_t now) {
  if (token.size() != 64) return std::optional<WorkbenchSession>();
  const std::string hash = TokenHash(token);
  Result<Statement> st = PrepareBound(db_,
                                      "SELECT u.id, u.name, u.role, s.csrf, s.expires_at FROM sessions s "
                                      "JOIN users u ON u.id = s.user_id WHERE s.token_hash = ? AND s.expires_at > ?",
                                      std::string_view(hash), now);
  if (!st.ok()) return st.status();
  Result<bool> row = (*st)->Step();
  if (!row.ok()) return row.status();
  if (!row.value()) return std::optional<WorkbenchSession>();
  WorkbenchSession s;
  s.user.id = (*st)->Int(0);
  s.user.name = (*st)->Text(1);
  Parse((*st)->Text(2), &s.user.role);
  s.csrf = (*st)->Text(3);
  s.expires_at = (*st)->Int(4);
  LOCKSTEP_RETURN_IF_ERROR((*st)->Run());
  return std::optional<WorkbenchSession>(std::move(s));
}

Status WorkbenchStore::DeleteSession(std::string_view token) {
  const std::string hash = TokenHash(token);
  Result<Statement> st = PrepareBound(db_, "DELETE FROM sessions WHERE token_hash = ?", std::string_view(hash));
  if (!st.ok()) return st.status();
  return (*st)->Run();
}

Status WorkbenchStore::Audit(int64_t at, std::string_view user, std::string_view action, std::string_view case_id,
                             std::string_view detail, std::string_view reason) {
  Result<Statement> st = PrepareBound(
      db_, "INSERT INTO audit_log (at, user_name, action, case_id, detail, reason) VALUES (?, ?, ?, ?, ?, ?)", at,
      user, action, case_id, detail, reason);
  if (!st.ok()) return st.status();
  return (*st)->Run();
}

Result<std::vector<AuditEntry>> WorkbenchStore::AuditLog(std::string_view case_id, int64_t limit) {
  Result<Statement> st = PrepareBound(db_,
                                      "SELECT id, at, user_name, action, case_id, detail, reason FROM audit_log "
                                      "WHERE ? = '' OR case_id = ? ORDER BY id DESC LIMIT ?",
                                      case_id, case_id, limit);
  if (!st.ok()) return st.status();
  std::vector<AuditEntry> out;
  LOCKSTEP_RETURN_IF_ERROR(ForEachRow(**st, [&](const SqlStatement& r) {
    out.push_back({r.Int(0), r.Int(1), r.Text(2), r.Text(3), r.Text(4), r.Text(5), r.Text(6)});
  }));
  return out;
}

Result<int64_t> WorkbenchStore::NetworkKey(std::string_view case_id) {
  Result<std::string> canonical = store_->ResolveCase(case_id);
  if (!canonical.ok()) return canonical.status();
  const std::string& c = *canonical;  // "r<run>.<network>"
  const size_t dot = c.find('.');
  int64_t run = 0;
  std::from_chars(c.data() + 1, c.data() + dot, run);
  Result<Statement> st = PrepareBound(db_, "SELECT id FROM networks WHERE run_id = ? AND network_id = ?", run,
                                      std::string_view(c).substr(dot + 1));
  if (!st.ok()) return st.status();
  Result<bool> row = (*st)->Step();
  if (!row.ok()) return row.status();
  if (!row.value()) return Status::Internal("case vanished while reading it");
  const int64_t key = (*st)->Int(0);
  LOCKSTEP_RETURN_IF_ERROR((*st)->Run());
  return key;
}

Status WorkbenchStore::AddNote(std::string_view case_id, std::string_view author, std::string_view text, int64_t at) {
  if (text.empty()) return Status::InvalidArgument("a note needs text");
  Result<int64_t> key = NetworkKey(case_id);
  if (!key.ok()) return key.status();
  Result<Statement> st =
      PrepareBound(db_, "INSERT INTO notes (network, author, text, at) VALUES (?, ?, ?, ?)", *key, author, text, at);
  if (!st.ok()) return st.status();
  return (*st)->Run();
}

Result<std::vector<NoteRecord>> WorkbenchStore::Notes(std::string_view case_id) {
  Result<int64_t> key = NetworkKey(case_id);
  if (!key.ok()) return key.status();
  Result<Statement> st = PrepareBound(db_, "SELECT at, author, text FROM notes WHERE network = ? ORDER BY id", *key);
  if (!st.ok()) return st.status();
  std::vector<NoteRecord> out;
  LOCKSTEP_RETURN_IF_ERROR(
      ForEachRow(**st, [&](const SqlStatement& r) { out.push_back({r.Int(0), r.Text(1), r.Text(2)}); }));
  return out;
}

Status WorkbenchStore::RemoveMember(std::string_view case_id, std::string_view account_id, std::string_view by,
                                    std::string_view reason, int64_t at) {
  if (reason.empty()) return Status::InvalidArgument("removing a member needs a reason");
  Result<int64_t> key = NetworkKey(case_id);
  if (!key.ok()) return key.status();
  Result<Statement> check =
      PrepareBound(db_, "SELECT 1 FROM members WHERE network = ? AND account_id = ?", *key, account_id);
  if (!check.ok()) return check.status();
  Result<bool> row = (*check)->Step();
  if (!row.ok()) return row.status();
  if (!row.value())
    return Status::InvalidArgument(fmt::format("{} is not a member of {}", account_id, case_id));
  LOCKSTEP_RETURN_IF_ERROR((*check)->Run());
  Result<Statement> st = PrepareBound(db_,
                                      "INSERT INTO member_removals (network, account_id, by_user, reason, at) "
                                      "VALUES (?, ?, ?, ?, ?) ON CONFLICT (network, account_id) DO NOTHING",
                                      *key, account_id, by, reason, at);
  if (!st.ok()) return st.status();
  return (*st)->Run();
}

Result<std::vector<MemberRemoval>> WorkbenchStore::RemovedMembers(std::string_view case_id) {
  Result<int64_t> key = NetworkKey(case_id);
  if (!key.ok()) return key.status();
  Result<Statement> st = PrepareBound(
      db_, "SELECT account_id, by_user, reason, at FROM member_removals WHERE network = ? ORDER BY account_id", *key);
  if (!st.ok()) return st.status();
  std::vector<MemberRemoval> out;
  LOCKSTEP_RETURN_IF_ERROR(ForEachRow(
      **st, [&](const SqlStatement& r) { out.push_back({r.Text(0), r.Text(1), r.Text(2), r.Int(3)}); }));
  return out;
}

}  // namespace lockstep
