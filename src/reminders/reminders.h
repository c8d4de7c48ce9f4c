#pragma once

// reminders: tells people about obligations before (and after) they fall due, issue 4 point 7.
// E-mail over SMTP and signed JSON webhooks (through notify) at configurable lead times ("5wd",
// "1wd", "due", "overdue"), sent by a scheduler pass (Reminders::RunOnce) that records every
// reminder in a delivery ledger before it delivers it, so a crash or SIGKILL neither loses nor
// repeats one (see docs/REMINDERS.md for the exact guarantee and its one window). Also the
// per-user iCalendar feed (RFC 5545) of open obligations behind a secret URL token.
//
// Settings live in one audited row; the SMTP password never does (environment variable
// ACCREDIT_SMTP_PASSWORD, read by the caller at start-up, or a file named in the settings).
// Nothing here writes passwords, webhook secrets, feed tokens or e-mail addresses to logs.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include <nlohmann/json.hpp>

#include "audit/audit.h"
#include "auth/auth.h"
#include "clocks/clocks.h"
#include "core/core.h"
#include "registers/registers.h"
#include "store/store.h"

namespace accredit::reminders {

// ---- Lead times --------------------------------------------------------------------------------

enum class LeadKind {
  kWorkingDaysBefore,  // "Nwd": 09:00 London on the Working Day N Working Days before the due date
  kDaysBefore,         // "Nd": 09:00 London N calendar days before the due date
  kDue,                // "due": 09:00 London on the due date (or when it becomes visible, if later)
  kOverdue,            // "overdue": 09:00 London on every day after the due date while open
};

struct Lead {
  LeadKind kind = LeadKind::kDue;
  int n = 0;  // for kWorkingDaysBefore and kDaysBefore, 1..60

  std::string Name() const;  // "5wd", "3d", "due", "overdue"
  bool operator==(const Lead&) const = default;
};

// "5wd,1wd,due,overdue" (comma-separated, any order, no duplicates). kInvalidArgument naming
// "leads" otherwise.
Result<std::vector<Lead>> ParseLeads(std::string_view text);
std::string FormatLeads(const std::vector<Lead>& leads);
std::vector<Lead> DefaultLeads();  // 5wd, 1wd, due, overdue

// 09:00 Europe/London on `d`.
Instant NineAmLondon(Date d);

// When `lead` fires for an obligation due at `due` that is known from `visible_from`, or nullopt
// when it never fires (it would fire before the obligation was visible). REQUIRES: lead is not
// kOverdue (use OverdueFireAt).
std::optional<Instant> FireAt(const Lead& lead, Instant visible_from, Instant due,
                              const Calendar& cal);
// The "overdue" reminder of London day `day`: 09:00 on `day`; nullopt unless `day` is after the
// London day of `due`.
std::optional<Instant> OverdueFireAt(Date day, Instant due);

// One reminder of one obligation: the lead, its ledger key ("5wd", "due", "overdue/2026-11-03")
// and when it fires.
struct Occurrence {
  Lead lead;
  std::string key;
  Instant fire_at{};
};

// The reminders of one obligation that have fired by `now` (fire_at <= now), sorted by fire_at:
// each configured lead's, and for "overdue" only the latest day's (an overdue reminder repeats
// the one before it, so older days are never owed).
std::vector<Occurrence> FiredOccurrences(const std::vector<Lead>& leads, Instant visible_from,
                                         Instant due, Instant now, const Calendar& cal);

// ---- Settings ----------------------------------------------------------------------------------

struct Webhook {
  std::string url;     // http:// or https://
  std::string secret;  // HMAC-SHA256 key; may be empty (unsigned)
  bool operator==(const Webhook&) const = default;
};

enum class SmtpTls { kStartTls, kNone };
std::string_view SmtpTlsName(SmtpTls t);  // "starttls", "none"
Result<SmtpTls> ParseSmtpTls(std::string_view text);

struct Settings {
  bool enabled = false;
  std::string smtp_url;  // smtp://host:port or smtps://host:port
  SmtpTls smtp_tls = SmtpTls::kStartTls;
  std::string smtp_ca_file;        // PEM bundle; empty: the system store
  std::string smtp_username;       // optional AUTH
  std::string smtp_password_file;  // optional: the password's first line (else the environment)
  std::string from;                // "accredit <accredit@supplier.example>"
  std::vector<std::string> recipients;
  std::vector<Webhook> webhooks;
  std::vector<Lead> leads = DefaultLeads();
  // A reminder whose fire time is older than this when first seen is recorded as skipped.
  std::chrono::hours catch_up{72};
  std::string base_url;  // "https://accredit.supplier.example": links in mails and the feed
  int max_attempts = 8;  // a delivery failing this many times is recorded as failed
  std::optional<Instant> updated_at;
};

// The settings as JSON for `reminders show` and the audit log: webhook secrets are never
// included (only whether one is set), webhook URLs lose their query and user info.
nlohmann::json SettingsToJson(const Settings& s);
// "https://hooks.example/path" from "https://user:pw@hooks.example/path?token=..." (for display).
std::string RedactUrl(std::string_view url);

// A partial update: only set members change. Lists replace the whole list.
struct SettingsPatch {
  std::optional<bool> enabled;
  std::optional<std::string> smtp_url;
  std::optional<SmtpTls> smtp_tls;
  std::optional<std::string> smtp_ca_file;
  std::optional<std::string> smtp_username;
  std::optional<std::string> smtp_password_file;
  std::optional<std::string> from;
  std::optional<std::vector<std::string>> recipients;
  std::optional<std::vector<Webhook>> webhooks;
  std::optional<std::vector<Lead>> leads;
  std::optional<std::chrono::hours> catch_up;
  std::optional<std::string> base_url;
  std::optional<int> max_attempts;
};

// ---- The delivery ledger -----------------------------------------------------------------------

enum class DeliveryState { kPending, kSent, kFailed, kSkipped };
std::string_view DeliveryStateName(DeliveryState s);  // "pending", "sent", "failed", "skipped"

// One row of the ledger: one reminder (obligation, lead) on one channel to one recipient.
// (obligation_key, lead, channel, target) is unique.
struct Delivery {
  std::int64_t id = 0;
  std::string obligation_key;
  std::string lead;     // Occurrence::key
  std::string channel;  // "email" | "webhook"
  // The recipient address, or for a webhook "sha256:<16 hex>" of its URL (URLs may hold tokens).
  std::string target;
  std::string target_label;  // the address, or the redacted webhook URL
  std::string clause;
  std::string summary;  // the mail subject
  Instant fire_at{};
  DeliveryState state = DeliveryState::kPending;
  int attempts = 0;
  std::string last_error;  // never a password, secret or URL
  std::optional<Instant> next_attempt_at;
  std::string message_id;  // Message-ID (email) or X-Accredit-Delivery (webhook)
  Instant created_at{};
  std::optional<Instant> sent_at;
};

nlohmann::json DeliveryToJson(const Delivery& d);

struct LogQuery {
  std::optional<DeliveryState> state;
  std::string obligation_key;  // exact; empty: any
  int limit = 200;
};

// What one pass did.
struct PassReport {
  bool enabled = false;
  int queued = 0;    // new ledger rows in state pending
  int skipped = 0;   // new rows recorded as skipped (old, superseded), plus pending rows dropped
  int sent = 0;      // deliveries that succeeded in this pass
  int retrying = 0;  // failed attempts that will be retried
  int failed = 0;    // deliveries that failed for the last time
};

// ---- The service -------------------------------------------------------------------------------

struct Options {
  // The SMTP password when the settings name no password file: the caller reads
  // ACCREDIT_SMTP_PASSWORD at start-up (getenv is not thread-safe later).
  std::string smtp_password;
  // A file locked (flock) for the duration of each pass, so that two processes on one database
  // (`accredit serve` and `accredit reminders run`) never deliver the same row at once. Empty:
  // only the in-process lock.
  std::string lock_path;
  std::chrono::milliseconds smtp_timeout{15000};
  std::chrono::milliseconds webhook_timeout{10000};
  std::chrono::seconds retry_base{60};   // backoff after the first failure, doubled each time
  std::chrono::seconds retry_max{3600};  // cap of the backoff
  // Seals the webhooks (their URLs and HMAC secrets) in the database. Not owned; required for
  // webhooks: without it, settings with webhooks are refused (kFailedPrecondition).
  const SecretBox* secrets = nullptr;
};

// Thread-safe. Passes are serialised (in-process mutex, and the lock file across processes).
class Reminders {
 public:
  // `clock` dates settings changes; passes take their instant as an argument.
  Reminders(store::Store& store, const audit::AuditLog& audit, const Clock& clock,
            registers::Registers& registers, clocks::Engine& engine, Options options = {});

  // Migrations (versions 450-499): settings, ledger, calendar feeds.
  static std::vector<store::Migration> Migrations();

  // kContractRead.
  Result<Settings> GetSettings(const auth::Principal& actor);
  // kContractUpdate. Validates the result (errors name the field), audits "reminders.configure"
  // with before/after SettingsToJson in the same transaction.
  Result<Settings> Configure(const auth::Principal& actor, const SettingsPatch& patch);
  // Seals webhook settings that an earlier version stored in clear (run at start-up by the
  // composition root). Nothing to do when they are sealed or there are none.
  Status SealStoredSecrets();
  // The ledger, newest first. kContractRead.
  Result<std::vector<Delivery>> Log(const auth::Principal& actor, const LogQuery& query);

  // One scheduler pass at `now` (nothing when disabled):
  //   1. evaluates the obligations at `now`; for every open one, the reminders fired by `now`;
  //   2. records each not yet in the ledger, for every recipient and webhook, in one committed
  //      transaction: pending when it is the obligation's latest fired reminder and fired within
  //      the catch-up window, else skipped (superseded / older than the window);
  //   3. delivers every pending row whose retry time has come (rows left pending by a process
  //      that died are delivered now), each marked sent (audited "reminder.sent") or, on
  //      failure, retried later with backoff until max_attempts (then failed, audited).
  // A pending row whose obligation is no longer open is skipped. Errors: the store's, the
  // engine's, kUnavailable when another process holds the lock file.
  Result<PassReport> RunOnce(Instant now);

  // Makes a pass in progress (and later ones) return after the delivery under way, so that a
  // shutdown does not wait for every pending delivery's timeout. Thread-safe.
  void RequestStop() { stop_requested_.store(true); }

 private:
  Status LoadKnownKeys(store::Connection& conn) ACC_REQUIRES(pass_mu_);
  Result<PassReport> RunLocked(Instant now) ACC_REQUIRES(pass_mu_);

  store::Store& store_;
  const audit::AuditLog& audit_;
  const Clock& clock_;
  registers::Registers& registers_;
  clocks::Engine& engine_;
  Options options_;
  std::atomic<bool> stop_requested_{false};
  Mutex pass_mu_;  // one pass at a time in this process
  // Ledger keys (obligation_key, lead, channel, target) already recorded, and the highest
  // ledger id read. Rows are never deleted, so reading ids above the mark keeps the set
  // complete, including rows written by other processes.
  std::set<std::tuple<std::string, std::string, std::string, std::string>, std::less<>> known_
      ACC_GUARDED_BY(pass_mu_);
  std::int64_t known_max_id_ ACC_GUARDED_BY(pass_mu_) = 0;
};

// ---- The iCalendar feed ------------------------------------------------------------------------

struct FeedInfo {
  std::int64_t id = 0;
  Instant created_at{};
};

// Per-user secret feed URLs. Only the token's SHA-256 is stored; the plaintext is returned once.
// Thread-safe.
class CalendarFeeds {
 public:
  CalendarFeeds(store::Store& store, const audit::AuditLog& audit, const Clock& clock,
                auth::Accounts& accounts);

  // A new feed token for `who` itself (kDashboardRead), revoking any active one. Audited
  // "calendar_feed.create" (never the token). kFailedPrecondition for the CLI operator, who has
  // no user account.
  Result<std::string> Create(const auth::Principal& who);
  // Revokes `who`'s active feed. Audited "calendar_feed.revoke". kNotFound when none is active.
  Status Revoke(const auth::Principal& who);
  // `who`'s active feed, if any.
  Result<std::optional<FeedInfo>> Active(const auth::Principal& who);
  // The user of an active token, who must still be enabled and hold kDashboardRead. Uniformly
  // kNotFound otherwise (unknown, revoked, disabled, not allowed).
  Result<auth::Principal> Authenticate(std::string_view token);
  // The configured base URL of the reminder settings ("" when unset): the prefix of feed and
  // event URLs. No authorisation (it is printed in every mail anyway).
  Result<std::string> ConfiguredBaseUrl();

 private:
  store::Store& store_;
  const audit::AuditLog& audit_;
  const Clock& clock_;
  auth::Accounts& accounts_;
};

struct IcsOptions {
  Instant now{};         // DTSTAMP
  std::string base_url;  // prefix of each event's URL; empty: no URL property
  std::string calendar_name = "accredit obligations";
};

// The RFC 5545 calendar of the OPEN obligations in `obligations`: one VEVENT each with UID
// IcsUid(key), DTSTAMP, DTSTART at the due instant (UTC, no DTEND: the deadline is a moment),
// SUMMARY "<action> (<clause>)", DESCRIPTION (Text, consequence, state), URL, CATEGORIES (the
// state). CRLF line ends, lines folded at 75 octets, TEXT values escaped.
std::string RenderIcs(const std::vector<clocks::Obligation>& obligations,
                      const IcsOptions& options);
// TEXT escaping: backslash, semicolon, comma and newlines (CR dropped).
std::string IcsEscapeText(std::string_view text);
// One content line folded at 75 octets (never inside a UTF-8 sequence), with CRLF after each
// physical line.
std::string IcsFoldLine(std::string_view line);
// "<obligation key>@accredit": stable for the obligation across feeds and restarts.
std::string IcsUid(std::string_view obligation_key);

}  // namespace accredit::reminders
