#pragma once

// auth: users, roles, sessions, API tokens, password hashing and the one place where every
// authorisation decision is made (Authorize). Serves S2.4-A1-5.1.1 (unique identification),
// A1-5.2 (least privilege), A1-5.3 (records of access: every login/logout/failure is audited)
// and A1-5.5 (accounts inactive for 90 days are disabled) for accredit's own users.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit/audit.h"
#include "core/core.h"
#include "store/store.h"

namespace accredit::auth {

enum class Role {
  kAdmin,
  kSecurityManager,
  kEngineer,
  kVettingOfficer,
  kSubcontractor,     // scoped to its own supplier
  kCustomerReviewer,  // the Customer's accreditor / relationship manager
  kAuditor,           // read-only
};
inline constexpr std::array kAllRoles = {
    Role::kAdmin,         Role::kSecurityManager,  Role::kEngineer, Role::kVettingOfficer,
    Role::kSubcontractor, Role::kCustomerReviewer, Role::kAuditor};
std::string_view RoleName(Role r);  // "admin", "security_manager", ...
Result<Role> ParseRole(std::string_view s);

// Everything a user can ask to do. Later issues add actions here and rows to the matrix.
enum class Action {
  kUserRead,
  kUserCreate,
  kUserUpdate,   // disable, enable, change role, reset another user's password
  kTokenCreate,  // for oneself
  kTokenRevokeAny,
  kAuditRead,
  kAuditExport,
  kAuditVerify,
  kContractRead,
  kContractUpdate,
  kCalendarRead,
  kCalendarUpdate,
  kSupplierRead,
  kSupplierWrite,
  kDashboardRead,
  // Issue 3: the registers, the risk work and the generated documents (docs/AUTH.md).
  kRegisterRead,   // every register except the supplier-owned ones (those use supplier.*)
  kRegisterWrite,  // technical registers: sites, assets, products, information assets/flows, ...
  kRiskWrite,      // risks, controls, appetite, risk levels, RCR, plan, compliance matrix, SoA
  kDocumentRead,   // generate / read the RMD, compliance matrix and SoA documents
  kDocumentIssue,  // issue (freeze) an RMD version
  // Issue 4: the accreditation workflow (S2.4-5.3 to 5.10), registers accreditation_events.
  kAccreditationRecord,  // the register's write action: may record some kind of event
  kAccreditationSubmit,  // the Provider's events: submission, ready_for_decision (and dispute)
  kAccreditationDecide,  // the Customer's decisions: approval, non_approval, rejection_notice,
                         // termination (and dispute); customer_reviewer only, not even admin
};
inline constexpr std::array kAllActions = {Action::kUserRead,
                                           Action::kUserCreate,
                                           Action::kUserUpdate,
                                           Action::kTokenCreate,
                                           Action::kTokenRevokeAny,
                                           Action::kAuditRead,
                                           Action::kAuditExport,
                                           Action::kAuditVerify,
                                           Action::kContractRead,
                                           Action::kContractUpdate,
                                           Action::kCalendarRead,
                                           Action::kCalendarUpdate,
                                           Action::kSupplierRead,
                                           Action::kSupplierWrite,
                                           Action::kDashboardRead,
                                           Action::kRegisterRead,
                                           Action::kRegisterWrite,
                                           Action::kRiskWrite,
                                           Action::kDocumentRead,
                                           Action::kDocumentIssue,
                                           Action::kAccreditationRecord,
                                           Action::kAccreditationSubmit,
                                           Action::kAccreditationDecide};
std::string_view ActionName(Action a);  // "user.read", ...

// How a principal proved who it is.
enum class Credential {
  kLocal,         // the CLI operator, who holds the database file
  kSession,       // an interactive sign-in (password), through its session cookie
  kApiToken,      // a bearer API token
  kCalendarFeed,  // a calendar-feed URL (read-only, its own feed only)
};

// Who is acting.
struct Principal {
  std::int64_t user_id = 0;  // 0 for the local CLI operator
  std::string username;      // audit actor name ("cli:root" for the CLI operator)
  Role role = Role::kAuditor;
  std::optional<std::int64_t> supplier_id;  // set for subcontractors
  Credential credential = Credential::kLocal;
};

// The local operator of the CLI, who holds the database file and so acts as admin.
Principal CliOperator(std::string_view os_user);

// What is being acted on, when the decision depends on it.
struct Scope {
  std::optional<std::int64_t> supplier_id;  // owner supplier of the record, if any
};

// THE authorisation decision. kPermissionDenied (message names the action) when refused.
// A subcontractor is refused any record whose scope.supplier_id differs from its own.
Status Authorize(const Principal& who, Action action, const Scope& scope = {});
// The matrix itself, for documentation and tests: may `role` do `action` (ignoring scope)?
bool RoleMay(Role role, Action action);

// Argon2id password hashing (libargon2), PHC string format.
struct HashParams {
  std::uint32_t t_cost = 2;
  std::uint32_t m_cost_kib = 19456;  // OWASP 2023 minimum for Argon2id
  std::uint32_t parallelism = 1;
};

Result<std::string> HashPassword(std::string_view password, const HashParams& params = {});
bool VerifyPassword(std::string_view encoded, std::string_view password);
// The password policy (NCSC password guidance; OWASP ASVS V2.1): UTF-8, 12 to 1024 bytes' worth
// of characters counted as code points, not one character repeated, and not refused by
// libpwquality's cracklib dictionary and rules, applied to the password, to the word inside it
// ("Password1234" -> "password") and to the unit it repeats ("passwordpassword"), nor
// containing `username`. kInvalidArgument with field "password" and a plain reason; kInternal
// when the dictionary is missing. Thread-safe (cracklib calls are serialised).
Status CheckPasswordPolicy(std::string_view password, std::string_view username = {});

struct User {
  std::int64_t id = 0;
  std::string username;
  std::string display_name;
  std::string email;
  Role role = Role::kAuditor;
  std::optional<std::int64_t> supplier_id;
  bool disabled = false;
  std::string disabled_reason;
  Instant created_at;
  std::optional<Instant> last_login_at;
};

struct NewUser {
  std::string username;  // [a-z0-9._-]{2,64}
  std::string display_name;
  std::string email;
  Role role = Role::kAuditor;
  std::optional<std::int64_t> supplier_id;  // required for subcontractor, forbidden otherwise
  std::string password;
};

struct Session {
  std::string token;       // secret: goes only into the cookie
  std::string csrf_token;  // secret per session: goes into forms
  Principal principal;
  Instant expires_at;
};

struct ApiToken {
  std::int64_t id = 0;
  std::int64_t user_id = 0;
  std::string name;
  std::string prefix;  // first characters, for recognising it in lists
  Instant created_at;
  std::optional<Instant> expires_at;
  std::optional<Instant> revoked_at;
  std::optional<Instant> last_used_at;
};

// One login-throttling rule: from the `threshold`-th failure inside the window on, each further
// attempt must wait `first_delay`, doubled for every further failure, at most `max_delay`.
struct ThrottleRule {
  int threshold = 5;
  std::chrono::seconds first_delay = std::chrono::minutes(1);
  std::chrono::seconds max_delay = std::chrono::minutes(15);
};

// Growing delays, never a hard lock (OWASP ASVS V2.2.1; NCSC password guidance). Failures are
// counted per account and source address, per source address, and per account; the per-account
// rule does not apply to addresses that have signed in to the account before, so nobody can
// keep an account's owner out by failing at it from elsewhere.
struct ThrottleOptions {
  ThrottleRule per_pair{5, std::chrono::minutes(1), std::chrono::minutes(15)};
  ThrottleRule per_address{20, std::chrono::minutes(1), std::chrono::minutes(15)};
  ThrottleRule per_account{20, std::chrono::seconds(5), std::chrono::minutes(1)};
};

struct AccountsOptions {
  HashParams hash;
  std::chrono::minutes session_idle = std::chrono::minutes(30);
  std::chrono::hours session_absolute = std::chrono::hours(12);
  ThrottleOptions throttle;
  std::chrono::minutes failure_window = std::chrono::minutes(15);
  std::chrono::hours idle_disable_after = std::chrono::hours(24 * 90);  // S2.4-A1-5.5
};

// Settings the administrator keeps (auth_settings).
struct AuthSettings {
  int token_max_days = 90;  // every API token expires at most this long after its creation
};

// Users, sessions and tokens. Every mutation is authorised through Authorize and audited in the
// same transaction. Thread-safe (stateless apart from references to thread-safe collaborators).
class Accounts {
 public:
  Accounts(store::Store& store, const audit::AuditLog& audit, const Clock& clock,
           AccountsOptions options = {});

  // Schema (migration versions 100-199).
  static std::vector<store::Migration> Migrations();

  Result<User> CreateUser(const Principal& actor, const NewUser& user);
  Result<std::vector<User>> ListUsers(const Principal& actor);  // subcontractors: own supplier
  Result<User> GetUser(const Principal& actor, std::int64_t id);
  Result<User> FindByUsername(std::string_view username);  // no authorisation: internal
  Status DisableUser(const Principal& actor, std::int64_t id, std::string_view reason);
  Status EnableUser(const Principal& actor, std::int64_t id);
  // Reset and disable void every credential of the account: its sessions end, its API tokens are
  // revoked, its calendar feeds stop working. Enabling revives none of them.
  Status ResetPassword(const Principal& actor, std::int64_t id, std::string_view new_password);
  // Changes the account's role (and supplier, required for a subcontractor); voids every
  // credential as above. kUserUpdate; an administrator cannot change their own role.
  Status ChangeRole(const Principal& actor, std::int64_t id, Role role,
                    std::optional<std::int64_t> supplier_id);
  Result<std::int64_t> CountUsers();

  // Checks the password; refuses disabled accounts, accounts idle past idle_disable_after (and
  // disables them, audited), and throttled usernames (kResourceExhausted). Audits "login" or
  // "login.failed" (never the password). Errors are deliberately uniform: kUnauthenticated
  // "invalid username or password" for unknown user, bad password or disabled account.
  Result<Session> Login(std::string_view username, std::string_view password,
                        std::string_view remote_addr);
  // The session's principal; extends the idle expiry. kUnauthenticated when unknown/expired.
  Result<Session> ResumeSession(std::string_view token);
  Status Logout(std::string_view token);

  // Creates an API token for `actor` itself; the plaintext is returned once, only its SHA-256
  // is stored. Only an interactive sign-in or the local operator may mint tokens (kPermissionDenied
  // for a principal authenticated by a token or a feed). Without `expires_at` the token expires
  // after the administrator's maximum lifetime; a later `expires_at` is refused naming it.
  Result<std::pair<ApiToken, std::string>> CreateApiToken(const Principal& actor,
                                                          std::string_view name,
                                                          std::optional<Instant> expires_at);
  Status RevokeApiToken(const Principal& actor, std::int64_t token_id);
  Result<std::vector<ApiToken>> ListApiTokens(const Principal& actor);
  // The token's owner, or kUnauthenticated for an unknown, revoked, expired or voided token, a
  // token older than the maximum lifetime, or a disabled account. An account idle past
  // idle_disable_after is disabled (audited) at this use.
  Result<Principal> AuthenticateApiToken(std::string_view token);
  // The same checks for another credential of account `user_id` issued at `issued_at` (the
  // calendar feed): kUnauthenticated when the account is disabled, idle (then disabled,
  // audited) or its credentials were reset after `issued_at`.
  Result<Principal> AuthenticateCredential(std::int64_t user_id, Instant issued_at,
                                           Credential credential);

  Result<AuthSettings> Settings();
  // kUserUpdate; audited as "auth.settings". token_max_days must be 1 to 366.
  Status UpdateSettings(const Principal& actor, const AuthSettings& settings);

  // Disables every account whose last activity (last login, else creation) is older than
  // idle_disable_after. Returns how many were disabled. Audited as "user.disable" by "system".
  Result<int> DisableIdleAccounts();

 private:
  store::Store& store_;
  const audit::AuditLog& audit_;
  const Clock& clock_;
  AccountsOptions options_;
};

}  // namespace accredit::auth
