#include "auth/auth.h"

// Accounts: users, sessions, API tokens, login throttling and idle disabling. Every mutation is
// authorised (Authorize), validated, written in one transaction together with its audit record,
// and committed; nothing secret (password, hash, token) ever reaches the audit log.

#include <algorithm>
#include <array>
#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>
#include <openssl/evp.h>
#include <openssl/rand.h>

namespace accredit::auth {

namespace {

using Json = nlohmann::json;

constexpr std::string_view kInvalidLogin = "invalid username or password";
constexpr std::string_view kTooManyFailures = "too many failed attempts; try again";
constexpr std::string_view kBadSession = "session expired or unknown";
constexpr std::string_view kBadToken = "invalid API token";
constexpr std::string_view kIdleReason = "inactive for 90 days (S2.4-A1-5.5)";
constexpr std::string_view kTokenMagic = "acc_";
constexpr std::size_t kTokenPrefixChars = 8;
constexpr std::size_t kSecretBytes = 32;
// Session expiry and token last_used_at are rewritten only when they move by at least this much.
constexpr std::chrono::minutes kSlideGranularity{1};

// ---- Small crypto helpers (OpenSSL) ----

Result<std::string> RandomBytes(std::size_t n) {
  std::string out(n, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) != 1) {
    return Err(ErrorCode::kInternal, "could not generate a random value", "", "RAND_bytes failed");
  }
  return out;
}

// RFC 4648 section 5, without padding.
std::string Base64Url(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(bytes.data()),
                                static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(n));
  while (!out.empty() && out.back() == '=') {
    out.pop_back();
  }
  for (char& c : out) {
    if (c == '+') {
      c = '-';
    } else if (c == '/') {
      c = '_';
    }
  }
  return out;
}

Result<std::string> NewSecret() {
  ACC_ASSIGN_OR_RETURN(std::string bytes, RandomBytes(kSecretBytes));
  return Base64Url(bytes);
}

// ---- Row mapping ----

Result<Instant> StoredInstant(const store::Value& v) {
  Result<Instant> t = ParseInstant(v.Text(), "stored instant");
  if (!t) {
    return Err(ErrorCode::kDataLoss, "a stored timestamp is unreadable", "",
               "bad instant in auth tables: " + v.Text());
  }
  return t;
}

Result<std::optional<Instant>> StoredOptInstant(const store::Value& v) {
  if (v.IsNull()) {
    return std::optional<Instant>();
  }
  ACC_ASSIGN_OR_RETURN(Instant t, StoredInstant(v));
  return std::optional<Instant>(t);
}

constexpr std::string_view kUserColumns =
    "id, username, display_name, email, role, supplier_id, disabled, disabled_reason, "
    "created_at, last_login_at, enabled_at, password_hash, credentials_reset_at";

struct UserRow {
  User user;
  std::optional<Instant> enabled_at;
  std::string password_hash;
  // Every session, API token and calendar feed issued before this instant is void (set by
  // password reset, disabling and role changes; re-enabling leaves it, so nothing revives).
  std::optional<Instant> credentials_reset_at;
};

Result<UserRow> ToUserRow(const store::Row& r) {
  UserRow out;
  out.user.id = r[0].Int();
  out.user.username = r[1].Text();
  out.user.display_name = r[2].Text();
  out.user.email = r[3].Text();
  Result<Role> role = ParseRole(r[4].Text());
  if (!role) {
    return Err(ErrorCode::kDataLoss, "a stored user record is unreadable", "",
               "unknown role '" + r[4].Text() + "' for user id " + std::to_string(out.user.id));
  }
  out.user.role = *role;
  out.user.supplier_id = r[5].OptInt();
  out.user.disabled = r[6].Int() != 0;
  out.user.disabled_reason = r[7].Text();
  ACC_ASSIGN_OR_RETURN(out.user.created_at, StoredInstant(r[8]));
  ACC_ASSIGN_OR_RETURN(out.user.last_login_at, StoredOptInstant(r[9]));
  ACC_ASSIGN_OR_RETURN(out.enabled_at, StoredOptInstant(r[10]));
  out.password_hash = r[11].Text();
  ACC_ASSIGN_OR_RETURN(out.credentials_reset_at, StoredOptInstant(r[12]));
  return out;
}

Result<std::optional<UserRow>> LoadUser(store::Connection& conn, std::string_view where,
                                        const store::Params& params) {
  ACC_ASSIGN_OR_RETURN(auto rows, conn.Query("SELECT " + std::string(kUserColumns) +
                                                 " FROM users WHERE " + std::string(where),
                                             params));
  if (rows.empty()) {
    return std::optional<UserRow>();
  }
  ACC_ASSIGN_OR_RETURN(UserRow row, ToUserRow(rows.front()));
  return std::optional<UserRow>(std::move(row));
}

Result<UserRow> LoadUserById(store::Connection& conn, std::int64_t id) {
  ACC_ASSIGN_OR_RETURN(auto row, LoadUser(conn, "id = ?", {id}));
  if (!row) {
    return Err(ErrorCode::kNotFound, "user not found", "id");
  }
  return std::move(*row);
}

// The instant from which inactivity is counted: the latest of creation, last login and the last
// re-enabling (so that an administrator re-enabling an idle account gives it a fresh start).
// Using a session, token or feed is not a sign-in: an account nobody has signed in to for 90
// days is inactive, whatever its tokens do (and tokens live at most 90 days by default).
Instant LastActivity(const UserRow& row) {
  Instant t = row.user.created_at;
  for (const auto& o : {row.user.last_login_at, row.enabled_at}) {
    if (o && *o > t) {
      t = *o;
    }
  }
  return t;
}

// Was a credential issued at `issued_at` voided by a later reset of the account's credentials?
bool Voided(const UserRow& row, Instant issued_at) {
  return row.credentials_reset_at && issued_at <= *row.credentials_reset_at;
}

Principal PrincipalOf(const User& u, Credential credential) {
  Principal p;
  p.user_id = u.id;
  p.username = u.username;
  p.role = u.role;
  p.supplier_id = u.supplier_id;
  p.credential = credential;
  return p;
}

// Audit view of a user: never the password hash.
std::string UserJson(const User& u) {
  Json j = {{"id", u.id},
            {"username", u.username},
            {"display_name", u.display_name},
            {"email", u.email},
            {"role", std::string(RoleName(u.role))},
            {"supplier_id", nullptr},
            {"disabled", u.disabled},
            {"disabled_reason", u.disabled_reason}};
  if (u.supplier_id) {
    j["supplier_id"] = *u.supplier_id;
  }
  return DumpJson(j);
}

// Audit view of an API token: never the token or its hash.
std::string TokenJson(const ApiToken& t) {
  Json j = {{"id", t.id},
            {"user_id", t.user_id},
            {"name", t.name},
            {"prefix", t.prefix},
            {"created_at", FormatInstantUtc(t.created_at)},
            {"expires_at", nullptr},
            {"revoked_at", nullptr}};
  if (t.expires_at) {
    j["expires_at"] = FormatInstantUtc(*t.expires_at);
  }
  if (t.revoked_at) {
    j["revoked_at"] = FormatInstantUtc(*t.revoked_at);
  }
  return DumpJson(j);
}

constexpr std::string_view kTokenColumns =
    "id, user_id, name, prefix, created_at, expires_at, revoked_at, last_used_at";

Result<ApiToken> ToApiToken(const store::Row& r) {
  ApiToken t;
  t.id = r[0].Int();
  t.user_id = r[1].Int();
  t.name = r[2].Text();
  t.prefix = r[3].Text();
  ACC_ASSIGN_OR_RETURN(t.created_at, StoredInstant(r[4]));
  ACC_ASSIGN_OR_RETURN(t.expires_at, StoredOptInstant(r[5]));
  ACC_ASSIGN_OR_RETURN(t.revoked_at, StoredOptInstant(r[6]));
  ACC_ASSIGN_OR_RETURN(t.last_used_at, StoredOptInstant(r[7]));
  return t;
}

// ---- Validation ----

Status ValidateUsername(std::string_view s) {
  if (s.size() < 2 || s.size() > 64) {
    return Err(ErrorCode::kInvalidArgument, "must be 2 to 64 characters", "username");
  }
  for (char c : s) {
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
    if (!ok) {
      return Err(ErrorCode::kInvalidArgument,
                 "may contain only lower-case letters, digits, '.', '_' and '-'", "username");
    }
  }
  return Status::Ok();
}

bool HasControlChar(std::string_view s) {
  return std::any_of(s.begin(), s.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x20U || c == '\x7f'; });
}

Status ValidateDisplayName(std::string_view s) {
  ACC_RETURN_IF_ERROR(CheckUtf8(s, "display_name"));
  if (CodePointCount(s) > 200 || HasControlChar(s)) {
    return Err(ErrorCode::kInvalidArgument,
               "must be at most 200 characters without control characters", "display_name");
  }
  return Status::Ok();
}

// Optional; when given, a plausible single address: local@domain.tld, no spaces.
Status ValidateEmail(std::string_view s) {
  if (s.empty()) {
    return Status::Ok();
  }
  ACC_RETURN_IF_ERROR(CheckUtf8(s, "email"));
  const auto at = s.find('@');
  const bool shape_ok = s.size() <= 254 && at != std::string_view::npos && at > 0 &&
                        s.find('@', at + 1) == std::string_view::npos &&
                        s.find('.', at + 2) != std::string_view::npos && s.back() != '.' &&
                        s.find_first_of(" \t\r\n,;<>\"") == std::string_view::npos &&
                        !HasControlChar(s);
  if (!shape_ok) {
    return Err(ErrorCode::kInvalidArgument, "must be an e-mail address such as name@example.org",
               "email");
  }
  return Status::Ok();
}

Status ValidateSupplier(Role role, const std::optional<std::int64_t>& supplier_id) {
  if (role == Role::kSubcontractor) {
    if (!supplier_id) {
      return Err(ErrorCode::kInvalidArgument, "is required for role subcontractor", "supplier_id");
    }
    if (*supplier_id <= 0) {
      return Err(ErrorCode::kInvalidArgument, "must be a positive supplier id", "supplier_id");
    }
  } else if (supplier_id) {
    return Err(ErrorCode::kInvalidArgument, "is allowed only for role subcontractor",
               "supplier_id");
  }
  return Status::Ok();
}

Status ValidateRole(Role role) {
  for (Role r : kAllRoles) {
    if (r == role) {
      return Status::Ok();
    }
  }
  return Err(ErrorCode::kInvalidArgument, "unknown role", "role");
}

// ---- Login helpers ----

// One login attempt, as recorded. Never holds the password or the attempted name in clear.
struct LoginAttempt {
  std::string username_hash;  // SHA-256 of the attempted name (people type passwords there)
  std::string at;             // ISO 8601 UTC
  std::string remote_addr;
  std::string actor;    // the account's username, or "unknown"
  std::string user_id;  // the account's id, or empty
};

// Voids every credential of account `user_id`: its sessions end, its API tokens are revoked
// (revoked_at = now) and every calendar feed issued until now stops working
// (credentials_reset_at, which the feed check compares; see AuthenticateFeedOwner). Returns how
// many tokens were revoked. REQUIRES: conn is inside a write transaction.
Result<std::int64_t> RevokeCredentials(store::Connection& conn, std::int64_t user_id, Instant now) {
  const std::string now_text = FormatInstantUtc(now);
  ACC_RETURN_IF_ERROR(conn.Execute("DELETE FROM sessions WHERE user_id = ?", {user_id}));
  ACC_ASSIGN_OR_RETURN(
      std::int64_t tokens,
      conn.Execute("UPDATE api_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL",
                   {now_text, user_id}));
  ACC_RETURN_IF_ERROR(
      conn.Execute("UPDATE users SET credentials_reset_at = ? WHERE id = ?", {now_text, user_id}));
  return tokens;
}

// Disables `user` for inactivity (S2.4-A1-5.5), voids its credentials and audits it as done by
// "system". REQUIRES: conn is inside a write transaction.
Status DisableForInactivity(store::Connection& conn, const audit::AuditLog& audit, const User& user,
                            Instant now) {
  User after = user;
  after.disabled = true;
  after.disabled_reason = std::string(kIdleReason);
  ACC_RETURN_IF_ERROR(conn.Execute(
      "UPDATE users SET disabled = 1, disabled_reason = ? WHERE id = ? AND disabled = 0",
      {after.disabled_reason, after.id}));
  ACC_RETURN_IF_ERROR(RevokeCredentials(conn, after.id, now).status());
  return audit
      .Append(conn, audit::Entry{.actor = "system",
                                 .action = "user.disable",
                                 .entity_type = "user",
                                 .entity_id = std::to_string(after.id),
                                 .before_json = UserJson(user),
                                 .after_json = UserJson(after)})
      .status();
}

// Starts a session for `user` after a successful login: records the login, clears the name's
// failures and audits "login", in one transaction.
Result<Session> StartSession(store::Connection& conn, const audit::AuditLog& audit,
                             const AccountsOptions& options, const User& user,
                             const LoginAttempt& attempt, Instant now) {
  ACC_ASSIGN_OR_RETURN(std::string token, NewSecret());
  ACC_ASSIGN_OR_RETURN(std::string csrf, NewSecret());
  const Instant expires = std::min(now + options.session_idle, now + options.session_absolute);
  const std::string token_hash = Sha256Hex(token);

  ACC_ASSIGN_OR_RETURN(auto tx, conn.Begin(store::TxMode::kWrite));
  ACC_RETURN_IF_ERROR(
      conn.Execute("UPDATE users SET last_login_at = ? WHERE id = ?", {attempt.at, user.id}));
  // A success clears this account-and-address's failures (the attempt's own reservation
  // included) and makes the address known to the account, so that failures elsewhere never
  // throttle it (see Throttled).
  ACC_RETURN_IF_ERROR(
      conn.Execute("DELETE FROM login_failures WHERE username_hash = ? AND remote_addr = ?",
                   {attempt.username_hash, attempt.remote_addr}));
  ACC_RETURN_IF_ERROR(
      conn.Execute("DELETE FROM known_logins WHERE username_hash = ? AND remote_addr = ?",
                   {attempt.username_hash, attempt.remote_addr}));
  ACC_RETURN_IF_ERROR(conn.Execute(
      "INSERT INTO known_logins (username_hash, remote_addr, last_at) VALUES (?, ?, ?)",
      {attempt.username_hash, attempt.remote_addr, attempt.at}));
  ACC_RETURN_IF_ERROR(conn.Execute(
      "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, last_seen_at, "
      "expires_at) VALUES (?, ?, ?, ?, ?, ?)",
      {token_hash, user.id, csrf, attempt.at, attempt.at, FormatInstantUtc(expires)}));
  // The session is identified in the log by a short prefix of the token's hash: enough to pair
  // a login with its logout, useless for resuming the session.
  ACC_RETURN_IF_ERROR(audit.Append(
      conn, audit::Entry{.actor = user.username,
                         .action = "login",
                         .entity_type = "session",
                         .entity_id = token_hash.substr(0, 16),
                         .before_json = "null",
                         .after_json = DumpJson(Json{{"user_id", user.id},
                                                     {"remote_addr", attempt.remote_addr},
                                                     {"expires_at", FormatInstantUtc(expires)}})}));
  ACC_RETURN_IF_ERROR(tx.Commit());

  Session session;
  session.token = std::move(token);
  session.csrf_token = std::move(csrf);
  session.principal = PrincipalOf(user, Credential::kSession);
  session.expires_at = expires;
  return session;
}

Status ValidateNewUser(const NewUser& user) {
  ACC_RETURN_IF_ERROR(ValidateUsername(user.username));
  ACC_RETURN_IF_ERROR(ValidateDisplayName(user.display_name));
  ACC_RETURN_IF_ERROR(ValidateEmail(user.email));
  ACC_RETURN_IF_ERROR(ValidateRole(user.role));
  ACC_RETURN_IF_ERROR(ValidateSupplier(user.role, user.supplier_id));
  return CheckPasswordPolicy(user.password, user.username);
}

// ---- Throttling ----

// Failures of one kind of key inside the window, and the newest of them.
struct FailureCount {
  std::int64_t n = 0;
  std::optional<Instant> last;
};

Result<FailureCount> CountFailures(store::Connection& conn, std::string_view where,
                                   store::Params params) {
  ACC_ASSIGN_OR_RETURN(
      auto row,
      conn.QueryOne("SELECT COUNT(*), MAX(at) FROM login_failures WHERE " + std::string(where),
                    std::move(params)));
  FailureCount out;
  out.n = row[0].Int();
  if (out.n > 0) {
    ACC_ASSIGN_OR_RETURN(out.last, StoredOptInstant(row[1]));
  }
  return out;
}

// The earliest instant the next attempt may be made under `rule`, given `count` failures.
std::optional<Instant> NextAllowed(const ThrottleRule& rule, const FailureCount& count) {
  if (count.n < rule.threshold || !count.last) {
    return std::nullopt;
  }
  const std::int64_t doublings = std::min<std::int64_t>(count.n - rule.threshold, 30);
  auto delay = std::chrono::duration_cast<std::chrono::seconds>(rule.first_delay) *
               (std::int64_t{1} << doublings);
  delay = std::min(delay, std::chrono::duration_cast<std::chrono::seconds>(rule.max_delay));
  return *count.last + delay;
}

// Decides whether `attempt` may check a password now and, if so, reserves it as a failure (see
// Accounts::Login). Returns the instant to wait until when it may not.
Result<std::optional<Instant>> ReserveAttempt(store::Connection& conn,
                                              const AccountsOptions& options,
                                              const LoginAttempt& attempt, Instant now) {
  const std::string since = FormatInstantUtc(now - options.failure_window);
  ACC_ASSIGN_OR_RETURN(auto tx, conn.Begin(store::TxMode::kWrite));
  ACC_ASSIGN_OR_RETURN(FailureCount pair,
                       CountFailures(conn, "username_hash = ? AND remote_addr = ? AND at > ?",
                                     {attempt.username_hash, attempt.remote_addr, since}));
  ACC_ASSIGN_OR_RETURN(FailureCount address, CountFailures(conn, "remote_addr = ? AND at > ?",
                                                           {attempt.remote_addr, since}));
  std::vector<std::optional<Instant>> limits = {NextAllowed(options.throttle.per_pair, pair),
                                                NextAllowed(options.throttle.per_address, address)};
  // The per-account limit guards against guessing from many addresses. It never applies to an
  // address that has signed in to the account before, so failures elsewhere cannot shut the
  // account's owner out.
  ACC_ASSIGN_OR_RETURN(auto known,
                       conn.Query("SELECT 1 FROM known_logins WHERE username_hash = ? AND "
                                  "remote_addr = ?",
                                  {attempt.username_hash, attempt.remote_addr}));
  if (known.empty()) {
    ACC_ASSIGN_OR_RETURN(FailureCount account, CountFailures(conn, "username_hash = ? AND at > ?",
                                                             {attempt.username_hash, since}));
    limits.push_back(NextAllowed(options.throttle.per_account, account));
  }
  std::optional<Instant> wait_until;
  for (const auto& l : limits) {
    if (l && *l > now && (!wait_until || *l > *wait_until)) {
      wait_until = l;
    }
  }
  if (wait_until) {
    return wait_until;  // nothing reserved; the transaction rolls back
  }
  ACC_RETURN_IF_ERROR(
      conn.Execute("INSERT INTO login_failures (username_hash, at, remote_addr) VALUES (?, ?, ?)",
                   {attempt.username_hash, attempt.at, attempt.remote_addr}));
  ACC_RETURN_IF_ERROR(tx.Commit());
  return std::optional<Instant>();
}

// Audits one failed or throttled login, in its own transaction.
Status AuditLoginFailure(store::Connection& conn, const audit::AuditLog& audit,
                         const LoginAttempt& attempt, std::string_view reason) {
  ACC_ASSIGN_OR_RETURN(auto tx, conn.Begin(store::TxMode::kWrite));
  ACC_RETURN_IF_ERROR(audit.Append(
      conn, audit::Entry{.actor = attempt.actor,
                         .action = "login.failed",
                         .entity_type = "user",
                         .entity_id = attempt.user_id,
                         .before_json = "null",
                         .after_json = DumpJson(
                             Json{{"reason", reason}, {"remote_addr", attempt.remote_addr}})}));
  return tx.Commit();
}

// The checks at every use of a session, token or feed of `user`, beyond the credential's own:
// a disabled account is refused; an account idle past the limit is disabled there and then
// (S2.4-A1-5.5, audited as done by "system") and refused, not at the next login attempt or
// daily job. `refusal` when refused.
Status CheckCredentialUse(store::Connection& conn, const audit::AuditLog& audit,
                          const AccountsOptions& options, const UserRow& user, Instant now,
                          const Error& refusal) {
  if (user.user.disabled) {
    return refusal;
  }
  if (now - LastActivity(user) > options.idle_disable_after) {
    ACC_ASSIGN_OR_RETURN(auto tx, conn.Begin(store::TxMode::kWrite));
    ACC_RETURN_IF_ERROR(DisableForInactivity(conn, audit, user.user, now));
    ACC_RETURN_IF_ERROR(tx.Commit());
    return refusal;
  }
  return Status::Ok();
}

}  // namespace

Accounts::Accounts(store::Store& store, const audit::AuditLog& audit, const Clock& clock,
                   AccountsOptions options)
    : store_(store), audit_(audit), clock_(clock), options_(options) {}

std::vector<store::Migration> Accounts::Migrations() {
  return {
      {100, "auth: users, sessions, api_tokens, login_failures",
       R"sql(
CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  username TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL,
  email TEXT NOT NULL,
  role TEXT NOT NULL,
  supplier_id INTEGER,
  password_hash TEXT NOT NULL,
  disabled INTEGER NOT NULL DEFAULT 0,
  disabled_reason TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  last_login_at TEXT,
  enabled_at TEXT,
  password_changed_at TEXT NOT NULL
);
CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id),
  csrf_token TEXT NOT NULL,
  created_at TEXT NOT NULL,
  last_seen_at TEXT NOT NULL,
  expires_at TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE TABLE api_tokens (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id),
  name TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  prefix TEXT NOT NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT,
  revoked_at TEXT,
  last_used_at TEXT
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);
CREATE TABLE login_failures (
  username_hash TEXT NOT NULL,
  at TEXT NOT NULL,
  remote_addr TEXT NOT NULL
);
CREATE INDEX login_failures_user_at ON login_failures (username_hash, at);
)sql"},
      {101, "auth: credential resets, per-address throttling, token policy",
       R"sql(
ALTER TABLE users ADD COLUMN credentials_reset_at TEXT;
CREATE INDEX login_failures_addr_at ON login_failures (remote_addr, at);
CREATE TABLE known_logins (
  username_hash TEXT NOT NULL,
  remote_addr TEXT NOT NULL,
  last_at TEXT NOT NULL,
  PRIMARY KEY (username_hash, remote_addr)
);
CREATE TABLE auth_settings (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  token_max_days INTEGER NOT NULL
);
INSERT INTO auth_settings (id, token_max_days) VALUES (1, 90);
)sql"},
  };
}

// ---- Users ----

Result<User> Accounts::CreateUser(const Principal& actor, const NewUser& user) {
  ACC_RETURN_IF_ERROR(Authorize(actor, Action::kUserCreate));
  ACC_RETURN_IF_ERROR(ValidateNewUser(user));
  // Hash before taking the write lock: Argon2id is deliberately slow.
  ACC_ASSIGN_OR_RETURN(std::string hash, HashPassword(user.password, options_.hash));

  const Instant now = clock_.Now();
  const std::string now_text = FormatInstantUtc(now);
  User out;
  out.username = user.username;
  out.display_name = user.display_name.empty() ? user.username : user.display_name;
  out.email = user.email;
  out.role = user.role;
  out.supplier_id = user.supplier_id;
  out.created_at = now;

  const Error taken = Err(ErrorCode::kAlreadyExists, "is already taken", "username");
  ACC_ASSIGN_OR_RETURN(auto conn, store_.Acquire());
  ACC_ASSIGN_OR_RETURN(auto tx, conn->Begin(store::TxMode::kWrite));
  ACC_ASSIGN_OR_RETURN(auto existing,
                       conn->Query("SELECT id FROM users WHERE username = ?", {out.username}));
  if (!existing.empty()) {
    return taken;
  }
  Result<store::Row> inserted = conn->QueryOne(
      "INSERT INTO users (username, display_name, email, role, supplier_id, password_hash, "
      "disabled, disabled_reason, created_at, password_changed_at) "
      "VALUES (?, ?, ?, ?, ?, ?, 0, '', ?, ?) RETURNING id",
      {out.username, out.display_name, out.email, RoleName(out.role), out.supplier_id, hash,
       now_text, now_text});
  if (!inserted) {
    if (inserted.error().code == ErrorCode::kAlreadyExists) {
      return taken;
    }
    return inserted.error();
  }
  out.id = (*inserted)[0].Int();
  ACC_RETURN_IF_ERROR(audit_.Append(*conn, audit::Entry{.actor = actor.username,
                                                        .action = "user.create",
                                                        .entity_type = "user",
                                                        .entity_id = std::to_string(out.id),
                                                        .before_json = "null",
                                                        .after_json = UserJson(out)}));
  ACC_RETURN_IF_ERROR(tx.Commit());
  return out;
}

Result<std::vector<User>> Accounts::ListUsers(const Principal& actor) {
  ACC_RETURN_IF_ERROR(Authorize(actor, Action::kUserRead));
  ACC_ASSIGN_OR_RETURN(auto conn, store_.Acquire());
  std::string sql = "SELECT " + std::string(kUserColumns) + " FROM users";
  store::Params params;
  if (actor.role == Role::kSubcontractor) {
    // Unscoped listing: a subcontractor sees only its own supplier's accounts.
    sql += " WHERE supplier_id = ?";
    params.emplace_back(actor.supplier_id.value_or(-1));
  }
  sql += " ORDER BY username";
  ACC_ASSIGN_OR_RETURN(auto rows, conn->Query(sql, params));
  std::vector<User> out;
  out.reserve(rows.size());
  for (const auto& r : rows) {
    ACC_ASSIGN_OR_RETURN(UserRow row, ToUserRow(r));
    out.push_back(std::move(row.user));
  }
  return out;
}

Result<User> Accounts::GetUser(const Principal& actor, std::int64_t id) {
  ACC_RETURN_IF_ERROR(Authorize(actor, Action::kUserRead));
  ACC_ASSIGN_OR_RETURN(auto conn, store_.Acquire());
  ACC_ASSIGN_OR_RETURN(UserRow row, LoadUserById(*conn, id));
  ACC_RETURN_IF_ERROR(Authorize(actor, Action::kUserRead, Scope{row.user.supplier_id}));
  return std::move(row.user);
}

Result<User> Accounts::FindByUsername(std::string_view username) {
  ACC_ASSIGN_OR_RETURN(auto conn, store_.Acquire());
  ACC_ASSIGN_OR_RETURN(auto row, LoadUser(*conn, "username = ?", {username}));
  if (!row) {
    return Err(ErrorCode::kNotFound, "user not found", "username");
  }
  return std::move(row->user);
}

Status Accounts::DisableUser(const Principal& actor, std::int64_t id, std::string_view reason) {
  ACC_RETURN_IF_ERROR(Authorize(actor, Action::kUserUpdate));
  ACC_RETURN_IF_ERROR(CheckUtf8(reason, "reason"));
  if (CodePointCount(reason) > 500 || HasControlChar(reason)) {
    return Err(ErrorCode::kInvalidArgument,
               "must be at most 500 characters without control characters", "reason");
  }
  if (id == actor.user_id && actor.user_id != 0) {
    return Err(ErrorCode::kFailedPrecondition, "you cannot disable your own account", "id");
  }
  ACC_ASSIGN_OR_RETURN(auto conn, store_.Acquire());
  ACC_ASSIGN_OR_RETURN(auto tx, conn->Begin(store::TxMode::kWrite));
  ACC_ASSIGN_OR_RETURN(UserRow row, LoadUserById(*conn, id));
  ACC_RETURN_IF_ERROR(Authorize(actor, Action::kUserUpdate, Scope{row.user.supplier_id}));
  if (row.user.disabled) {
    return Status::Ok();  // already disabled: nothing changes, nothing to audit
  }
  User after = row.user;
  after.disabled = true;
  after.disabled_reason = reason.empty() ? "disabled by " + actor.username : std::string(reason);
  ACC_RETURN_IF_ERROR(
      conn->Execute("UPDATE users SET disabled = 1, disabled_reason = ? WHERE id = ?",
                    {after.disabled_reason, id}));
  // A disabled account keeps no live credential, and enabling it later revives none.
  ACC_ASSIGN_OR_RETURN(const std::int64_t revoked, RevokeCredentials(*conn, id, clock_.Now()));
  (void)revoked;
  ACC_RETURN_IF_ERROR(audit_.Append(*conn, audit::Entry{.actor = actor.username,
                                                        .action = "user.disable",
                                                        .entity_type = "user",
                                                        .entity_id = std::to_string(id),
                                                        .before_json = UserJson(row.user),
                                                        .after_json = UserJson(after)}));
  return tx.Commit();
}

Status Accounts::EnableUser(const Principal& actor, std::int64_t id) {
  ACC_RETURN_IF_ERROR(Authorize(actor, Action::kUserUpdate));
  ACC_ASSIGN_OR_RETURN(auto conn, store_.Acquire());
  ACC_ASSIGN_OR_RETURN(auto tx, conn->Begin(store::TxMode::kWrite));
  ACC_ASSIGN_OR_RETURN(UserRow row, LoadUserById(*conn, id));
  ACC_RETURN_IF_ERROR(Authorize(actor, Action::kUserUpdate, Scope{row.user.supplier_id}));
  if (!row.user.disabled) {
    return Status::Ok();
  }
  User after = row.user;
  after.disabled = false;
  after.disabled_reason.clear();
  // enabled_at restarts the inactivity clock; otherwise an account disabled for inactivity
  // would be disabled again at its next login.
  ACC_RETURN_IF_ERROR(conn->Execute(
      "UPDATE users SET disabled = 0, disabled_reason = '', enabled_at = ? WHERE id = ?",
      {FormatInstantUtc(clock_.Now()), id}));
  ACC_RETURN_IF_ERROR(audit_.Append(*conn, audit::Entry{.actor = actor.username,
                                                        .action = "user.enable",
                                                        .entity_type = "user",
                                                        .entity_id = std::to_string(id),
                                                        .before_json = UserJson(row.user),
                                                        .after_json = UserJson(after)}));
  return tx.Commit();
}

Status Accounts::ResetPassword(const Principal& actor, std::int64_t id,
                               std::string_view new_password) {
  // Resetting another user's password is user.update; changing one's own needs no permission
  // (callers offering self-service must first re-check the current password).
  const bool self = actor.user_id != 0 && actor.user_id == id;
  if (!self) {
    ACC_RETURN_IF_ERROR(Authorize(actor, Action::kUserUpdate));
  }
  ACC_ASSIGN_OR_RETURN(auto conn, store_.Acquire());
  {
    // Scope and the policy (which needs the user name) first; Argon2id is deliberately slow,
    // so hash outside the write transaction.
    ACC_ASSIGN_OR_RETURN(UserRow target, LoadUserById(*conn, id));
    if (!self) {
      ACC_RETURN_IF_ERROR(Authorize(actor, Action::kUserUpdate, Scope{target.user.supplier_id}));
    }
    ACC_RETURN_IF_ERROR(CheckPasswordPolicy(new_password, target.user.username));
  }
  ACC_ASSIGN_OR_RETURN(std::string hash, HashPassword(new_password, options_.hash));
  const std::string now_text = FormatInstantUtc(clock_.Now());
  ACC_ASSIGN_OR_RETURN(auto tx, conn->Begin(store::TxMode::kWrite));
  ACC_ASSIGN_OR_RETURN(UserRow row, LoadUserById(*conn, id));
  if (!self) {
    ACC_RETURN_IF_ERROR(Authorize(actor, Action::kUserUpdate, Scope{row.user.supplier_id}));
  }
  ACC_RETURN_IF_ERROR(
      conn->Execute("UPDATE users SET password_hash = ?, password_changed_at = ? WHERE id = ?",
                    {hash, now_text, id}));
  // Every session, token and feed of the account ends with the old password.
  ACC_ASSIGN_OR_RETURN(const std::int64_t revoked, RevokeCredentials(*conn, id, clock_.Now()));
  ACC_RETURN_IF_ERROR(audit_.Append(
      *conn, audit::Entry{.actor = actor.username,
                          .action = "user.reset_password",
                          .entity_type = "user",
                          .entity_id = std::to_string(id),
                          .before_json = "null",
                          .after_json = DumpJson(Json{{"username", row.user.username},
                                                      {"password_changed_at", now_text},
                                                      {"tokens_revoked", revoked}})}));
  return tx.Commit();
}

Status Accounts::ChangeRole(const Principal& actor, std::int64_t id, Role role,
                            std::optional<std::int64_t> supplier_id) {
  ACC_RETURN_IF_ERROR(Authorize(actor, Action::kUserUpdate));
  ACC_RETURN_IF_ERROR(ValidateRole(role));
  ACC_RETURN_IF_ERROR(ValidateSupplier(role, supplier_id));
  if (id == actor.user_id && actor.user_id != 0) {
    return Err(ErrorCode::kFailedPrecondition, "you cannot change your own role", "id");
  }
  ACC_ASSIGN_OR_RETURN(auto conn, store_.Acquire());
  ACC_ASSIGN_OR_RETURN(auto tx, conn->Begin(store::TxMode::kWrite));
  ACC_ASSIGN_OR_RETURN(UserRow row, LoadUserById(*conn, id));
  ACC_RETURN_IF_ERROR(Authorize(actor, Action::kUserUpdate, Scope{row.user.supplier_id}));
  if (row.user.role == role && row.user.supplier_id == supplier_id) {
    return Status::Ok();
  }
  User after = row.user;
  after.role = role;
  after.supplier_id = supplier_id;
  ACC_RETURN_IF_ERROR(conn->Execute("UPDATE users SET role = ?, supplier_id = ? WHERE id = ?",
                                    {RoleName(role), supplier_id, id}));
  // Credentials issued under the old role must not carry it on (a token's holder is not asked
  // again), so the account signs in afresh.
  ACC_ASSIGN_OR_RETURN(const std::int64_t revoked, RevokeCredentials(*conn, id, clock_.Now()));
  (void)revoked;
  ACC_RETURN_IF_ERROR(audit_.Append(*conn, audit::Entry{.actor = actor.username,
                                                        .action = "user.change_role",
                                                        .entity_type = "user",
                                                        .entity_id = std::to_string(id),
                                                        .before_json = UserJson(row.user),
                                                        .after_json = UserJson(after)}));
  return tx.Commit();
}

Result<std::int64_t> Accounts::CountUsers() {
  ACC_ASSIGN_OR_RETURN(auto conn, store_.Acquire());
  ACC_ASSIGN_OR_RETURN(auto row, conn->QueryOne("SELECT COUNT(*) FROM users"));
  return row[0].Int();
}

// ---- Login, sessions ----

Result<Session> Accounts::Login(std::string_view username, std::string_view password,
                                std::string_view remote_addr) {
  const Instant now = clock_.Now();
  ACC_ASSIGN_OR_RETURN(auto conn, store_.Acquire());
  ACC_ASSIGN_OR_RETURN(auto user, LoadUser(*conn, "username = ?", {username}));
  LoginAttempt attempt{.username_hash = Sha256Hex(username),
                       .at = FormatInstantUtc(now),
                       .remote_addr = std::string(remote_addr.substr(0, 100)),
                       .actor = user ? user->user.username : "unknown",
                       .user_id = user ? std::to_string(user->user.id) : ""};

  // Throttling comes first, before any password is checked, so that a throttled attempt gains
  // an attacker nothing, not even with the right password. The decision and the attempt's
  // reservation (a failure row, cleared if the password proves right) are one write
  // transaction, so concurrent attempts see each other: the limits hold under any concurrency.
  ACC_ASSIGN_OR_RETURN(std::optional<Instant> wait_until,
                       ReserveAttempt(*conn, options_, attempt, now));
  if (wait_until) {
    const auto seconds = std::max<std::int64_t>(
        1, std::chrono::ceil<std::chrono::seconds>(*wait_until - now).count());
    ACC_RETURN_IF_ERROR(AuditLoginFailure(*conn, audit_, attempt, "throttled"));
    return Err(ErrorCode::kResourceExhausted,
               std::string(kTooManyFailures) + " in " + std::to_string(seconds) + " seconds", "",
               "retry_after=" + std::to_string(seconds));
  }

  const Error invalid = Err(ErrorCode::kUnauthenticated, std::string(kInvalidLogin));
  auto fail = [&](std::string_view reason) -> Error {
    const Status s = AuditLoginFailure(*conn, audit_, attempt, reason);
    return s.ok() ? invalid : s.error();
  };
  if (!user) {
    // Spend the same time as a real check so that response times do not reveal which usernames
    // exist.
    (void)HashPassword(password, options_.hash);
    return fail("unknown user");
  }
  const bool password_ok = VerifyPassword(user->password_hash, password);
  if (user->user.disabled) {
    return fail("account disabled");
  }
  if (now - LastActivity(*user) > options_.idle_disable_after) {
    // S2.4-A1-5.5: disabled at the first sign of use after the idle period, whatever the
    // password, in one transaction with its audit record.
    ACC_ASSIGN_OR_RETURN(auto tx, conn->Begin(store::TxMode::kWrite));
    ACC_RETURN_IF_ERROR(DisableForInactivity(*conn, audit_, user->user, now));
    ACC_RETURN_IF_ERROR(tx.Commit());
    return fail("account inactive");
  }
  if (!password_ok) {
    return fail("wrong password");
  }
  return StartSession(*conn, audit_, options_, user->user, attempt, now);
}

Result<Session> Accounts::ResumeSession(std::string_view token) {
  const Error bad = Err(ErrorCode::kUnauthenticated, std::string(kBadSession));
  if (token.empty() || token.size() > 200) {
    return bad;
  }
  const Instant now = clock_.Now();
  const std::string token_hash = Sha256Hex(token);
  // Read first and write only when something changes: every page view resumes a session, and
  // a write per request would serialise the whole server on the database's write lock.
  ACC_ASSIGN_OR_RETURN(auto conn, store_.Acquire());
  ACC_ASSIGN_OR_RETURN(
      auto rows, conn->Query("SELECT user_id, csrf_token, created_at, expires_at FROM sessions "
                             "WHERE token_hash = ?",
                             {token_hash}));
  if (rows.empty()) {
    return bad;
  }
  const store::Row& s = rows.front();
  ACC_ASSIGN_OR_RETURN(Instant created, StoredInstant(s[2]));
  ACC_ASSIGN_OR_RETURN(Instant expires, StoredInstant(s[3]));
  ACC_ASSIGN_OR_RETURN(UserRow user, LoadUserById(*conn, s[0].Int()));
  if (now >= expires || user.user.disabled || Voided(user, created)) {
    ACC_RETURN_IF_ERROR(conn->Execute("DELETE FROM sessions WHERE token_hash = ?", {token_hash}));
    return bad;
  }
  ACC_RETURN_IF_ERROR(CheckCredentialUse(*conn, audit_, options_, user, now, bad));
  Instant new_expires = std::min(now + options_.session_idle, created + options_.session_absolute);
  if (new_expires - expires >= kSlideGranularity) {
    // One statement, so no explicit transaction. Racing a logout merely updates nothing.
    ACC_RETURN_IF_ERROR(
        conn->Execute("UPDATE sessions SET last_seen_at = ?, expires_at = ? WHERE token_hash = ?",
                      {FormatInstantUtc(now), FormatInstantUtc(new_expires), token_hash}));
  } else {
    new_expires = expires;
  }

  Session session;
  session.token = std::string(token);
  session.csrf_token = s[1].Text();
  session.principal = PrincipalOf(user.user, Credential::kSession);
  session.expires_at = new_expires;
  return session;
}

Status Accounts::Logout(std::string_view token) {
  const std::string token_hash = Sha256Hex(token);
  ACC_ASSIGN_OR_RETURN(auto conn, store_.Acquire());
  ACC_ASSIGN_OR_RETURN(auto tx, conn->Begin(store::TxMode::kWrite));
  ACC_ASSIGN_OR_RETURN(auto rows,
                       conn->Query("SELECT u.id, u.username FROM sessions s JOIN users u ON u.id = "
                                   "s.user_id WHERE s.token_hash = ?",
                                   {token_hash}));
  if (rows.empty()) {
    return Err(ErrorCode::kUnauthenticated, std::string(kBadSession));
  }
  ACC_RETURN_IF_ERROR(conn->Execute("DELETE FROM sessions WHERE token_hash = ?", {token_hash}));
  ACC_RETURN_IF_ERROR(audit_.Append(
      *conn, audit::Entry{.actor = rows[0][1].Text(),
                          .action = "logout",
                          .entity_type = "session",
                          .entity_id = token_hash.substr(0, 16),
                          .before_json = DumpJson(Json{{"user_id", rows[0][0].Int()}}),
                          .after_json = "null"}));
  return tx.Commit();
}

// ---- API tokens ----

Result<std::pair<ApiToken, std::string>> Accounts::CreateApiToken(
    const Principal& actor, std::string_view name, std::optional<Instant> expires_at) {
  ACC_RETURN_IF_ERROR(Authorize(actor, Action::kTokenCreate));
  if (actor.user_id == 0) {
    return Err(ErrorCode::kFailedPrecondition,
               "API tokens belong to a user account; act as that user", "user");
  }
  if (actor.credential == Credential::kApiToken || actor.credential == Credential::kCalendarFeed) {
    // A token minting tokens would outlive its own expiry and revocation.
    return Err(ErrorCode::kPermissionDenied,
               "API tokens can be created only by a signed-in user, not with another token");
  }
  ACC_RETURN_IF_ERROR(CheckUtf8(name, "name"));
  if (name.empty() || CodePointCount(name) > 100 || HasControlChar(name)) {
    return Err(ErrorCode::kInvalidArgument,
               "must be 1 to 100 characters without control characters", "name");
  }
  const Instant now = clock_.Now();
  if (expires_at && *expires_at <= now) {
    return Err(ErrorCode::kInvalidArgument, "must be in the future", "expires_at");
  }
  ACC_ASSIGN_OR_RETURN(AuthSettings settings, Settings());
  const Instant latest = now + std::chrono::days(settings.token_max_days);
  if (expires_at && *expires_at > latest) {
    return Err(ErrorCode::kInvalidArgument,
               "must be at most " + std::to_string(settings.token_max_days) +
                   " days from now (the maximum token lifetime)",
               "expires_at");
  }
  if (!expires_at) {
    expires_at = latest;
  }
  ACC_ASSIGN_OR_RETURN(std::string secret, NewSecret());
  std::string plaintext = std::string(kTokenMagic) + secret;

  ApiToken t;
  t.user_id = actor.user_id;
  t.name = std::string(name);
  t.prefix = secret.substr(0, kTokenPrefixChars);
  t.created_at = now;
  t.expires_at = expires_at;

  ACC_ASSIGN_OR_RETURN(auto conn, store_.Acquire());
  ACC_ASSIGN_OR_RETURN(auto tx, conn->Begin(store::TxMode::kWrite));
  ACC_ASSIGN_OR_RETURN(UserRow owner, LoadUserById(*conn, actor.user_id));
  if (owner.user.disabled) {
    return Err(ErrorCode::kFailedPrecondition, "the account is disabled", "user");
  }
  std::optional<std::string> expires_text;
  if (expires_at) {
    expires_text = FormatInstantUtc(*expires_at);
  }
  ACC_ASSIGN_OR_RETURN(
      auto row, conn->QueryOne("INSERT INTO api_tokens (user_id, name, token_hash, prefix, "
                               "created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                               {t.user_id, t.name, Sha256Hex(plaintext), t.prefix,
                                FormatInstantUtc(now), expires_text}));
  t.id = row[0].Int();
  ACC_RETURN_IF_ERROR(audit_.Append(*conn, audit::Entry{.actor = actor.username,
                                                        .action = "token.create",
                                                        .entity_type = "api_token",
                                                        .entity_id = std::to_string(t.id),
                                                        .before_json = "null",
                                                        .after_json = TokenJson(t)}));
  ACC_RETURN_IF_ERROR(tx.Commit());
  return std::make_pair(std::move(t), std::move(plaintext));
}

Status Accounts::RevokeApiToken(const Principal& actor, std::int64_t token_id) {
  ACC_ASSIGN_OR_RETURN(auto conn, store_.Acquire());
  ACC_ASSIGN_OR_RETURN(auto tx, conn->Begin(store::TxMode::kWrite));
  ACC_ASSIGN_OR_RETURN(auto rows, conn->Query("SELECT " + std::string(kTokenColumns) +
                                                  " FROM api_tokens WHERE id = ?",
                                              {token_id}));
  const bool own = !rows.empty() && actor.user_id != 0 && rows[0][1].Int() == actor.user_id;
  if (!own) {
    // Anyone may revoke their own tokens; anything else is token.revoke_any. Checked before
    // "not found" so that ids of other people's tokens cannot be probed.
    ACC_RETURN_IF_ERROR(Authorize(actor, Action::kTokenRevokeAny));
  }
  if (rows.empty()) {
    return Err(ErrorCode::kNotFound, "API token not found", "id");
  }
  ACC_ASSIGN_OR_RETURN(ApiToken before, ToApiToken(rows[0]));
  if (before.revoked_at) {
    return Status::Ok();  // already revoked
  }
  ApiToken after = before;
  after.revoked_at = clock_.Now();
  ACC_RETURN_IF_ERROR(conn->Execute("UPDATE api_tokens SET revoked_at = ? WHERE id = ?",
                                    {FormatInstantUtc(*after.revoked_at), token_id}));
  ACC_RETURN_IF_ERROR(audit_.Append(*conn, audit::Entry{.actor = actor.username,
                                                        .action = "token.revoke",
                                                        .entity_type = "api_token",
                                                        .entity_id = std::to_string(token_id),
                                                        .before_json = TokenJson(before),
                                                        .after_json = TokenJson(after)}));
  return tx.Commit();
}

Result<std::vector<ApiToken>> Accounts::ListApiTokens(const Principal& actor) {
  ACC_ASSIGN_OR_RETURN(auto conn, store_.Acquire());
  std::string sql = "SELECT " + std::string(kTokenColumns) + " FROM api_tokens";
  store::Params params;
  // Holders of token.revoke_any see every token (to find the one to revoke); others their own.
  if (!Authorize(actor, Action::kTokenRevokeAny).ok()) {
    sql += " WHERE user_id = ?";
    params.emplace_back(actor.user_id);
  }
  sql += " ORDER BY id";
  ACC_ASSIGN_OR_RETURN(auto rows, conn->Query(sql, params));
  std::vector<ApiToken> out;
  out.reserve(rows.size());
  for (const auto& r : rows) {
    ACC_ASSIGN_OR_RETURN(ApiToken t, ToApiToken(r));
    out.push_back(std::move(t));
  }
  return out;
}

Result<Principal> Accounts::AuthenticateApiToken(std::string_view token) {
  const Error bad = Err(ErrorCode::kUnauthenticated, std::string(kBadToken));
  if (token.size() > 200 || token.substr(0, kTokenMagic.size()) != kTokenMagic) {
    return bad;
  }
  const Instant now = clock_.Now();
  const std::string token_hash = Sha256Hex(token);
  ACC_ASSIGN_OR_RETURN(auto conn, store_.Acquire());
  ACC_ASSIGN_OR_RETURN(
      auto rows, conn->Query("SELECT t.id, t.user_id, t.expires_at, t.revoked_at, t.last_used_at, "
                             "t.created_at, s.token_max_days FROM api_tokens t, auth_settings s "
                             "WHERE t.token_hash = ? AND s.id = 1",
                             {token_hash}));
  if (rows.empty() || !rows[0][3].IsNull()) {
    return bad;
  }
  ACC_ASSIGN_OR_RETURN(std::optional<Instant> expires, StoredOptInstant(rows[0][2]));
  ACC_ASSIGN_OR_RETURN(Instant created, StoredInstant(rows[0][5]));
  // The administrator's maximum lifetime bounds every token, those minted before it was set
  // (or lowered) included.
  const Instant oldest = now - std::chrono::days(std::max<std::int64_t>(1, rows[0][6].Int()));
  if ((expires && now >= *expires) || created <= oldest) {
    return bad;
  }
  ACC_ASSIGN_OR_RETURN(UserRow user, LoadUserById(*conn, rows[0][1].Int()));
  if (Voided(user, created)) {
    return bad;
  }
  ACC_RETURN_IF_ERROR(CheckCredentialUse(*conn, audit_, options_, user, now, bad));
  // Best effort, and at most once per kSlideGranularity: a busy database must not turn a valid
  // request away, and a write per request would serialise the API on the write lock.
  ACC_ASSIGN_OR_RETURN(std::optional<Instant> last_used, StoredOptInstant(rows[0][4]));
  if (!last_used || now - *last_used >= kSlideGranularity) {
    (void)conn->Execute("UPDATE api_tokens SET last_used_at = ? WHERE id = ?",
                        {FormatInstantUtc(now), rows[0][0].Int()});
  }
  return PrincipalOf(user.user, Credential::kApiToken);
}

Result<Principal> Accounts::AuthenticateCredential(std::int64_t user_id, Instant issued_at,
                                                   Credential credential) {
  const Error bad = Err(ErrorCode::kUnauthenticated, "the credential is no longer valid");
  const Instant now = clock_.Now();
  ACC_ASSIGN_OR_RETURN(auto conn, store_.Acquire());
  ACC_ASSIGN_OR_RETURN(auto row, LoadUser(*conn, "id = ?", {user_id}));
  if (!row || Voided(*row, issued_at)) {
    return bad;
  }
  ACC_RETURN_IF_ERROR(CheckCredentialUse(*conn, audit_, options_, *row, now, bad));
  return PrincipalOf(row->user, credential);
}

// ---- Settings ----

Result<AuthSettings> Accounts::Settings() {
  ACC_ASSIGN_OR_RETURN(auto conn, store_.Acquire());
  ACC_ASSIGN_OR_RETURN(auto row,
                       conn->QueryOne("SELECT token_max_days FROM auth_settings WHERE id = 1"));
  AuthSettings out;
  out.token_max_days = static_cast<int>(std::clamp<std::int64_t>(row[0].Int(), 1, 366));
  return out;
}

Status Accounts::UpdateSettings(const Principal& actor, const AuthSettings& settings) {
  ACC_RETURN_IF_ERROR(Authorize(actor, Action::kUserUpdate));
  if (settings.token_max_days < 1 || settings.token_max_days > 366) {
    return Err(ErrorCode::kInvalidArgument, "must be between 1 and 366 days", "token_max_days");
  }
  ACC_ASSIGN_OR_RETURN(AuthSettings before, Settings());
  ACC_ASSIGN_OR_RETURN(auto conn, store_.Acquire());
  ACC_ASSIGN_OR_RETURN(auto tx, conn->Begin(store::TxMode::kWrite));
  ACC_RETURN_IF_ERROR(conn->Execute("UPDATE auth_settings SET token_max_days = ? WHERE id = 1",
                                    {settings.token_max_days}));
  ACC_RETURN_IF_ERROR(audit_.Append(
      *conn,
      audit::Entry{.actor = actor.username,
                   .action = "auth.settings",
                   .entity_type = "auth_settings",
                   .entity_id = "1",
                   .before_json = DumpJson(Json{{"token_max_days", before.token_max_days}}),
                   .after_json = DumpJson(Json{{"token_max_days", settings.token_max_days}})}));
  return tx.Commit();
}

// ---- Inactivity ----

Result<int> Accounts::DisableIdleAccounts() {
  const Instant now = clock_.Now();
  ACC_ASSIGN_OR_RETURN(auto conn, store_.Acquire());
  ACC_ASSIGN_OR_RETURN(auto tx, conn->Begin(store::TxMode::kWrite));
  ACC_ASSIGN_OR_RETURN(auto rows, conn->Query("SELECT " + std::string(kUserColumns) +
                                              " FROM users WHERE disabled = 0 ORDER BY id"));
  int count = 0;
  for (const auto& r : rows) {
    ACC_ASSIGN_OR_RETURN(UserRow row, ToUserRow(r));
    if (now - LastActivity(row) <= options_.idle_disable_after) {
      continue;
    }
    ACC_RETURN_IF_ERROR(DisableForInactivity(*conn, audit_, row.user, now));
    ++count;
  }
  ACC_RETURN_IF_ERROR(tx.Commit());
  return count;
}

}  // namespace accredit::auth
