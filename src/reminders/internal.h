#pragma once

// Internal to the reminders module: the settings row, the texts of a reminder (mail and
// webhook), and the cross-process pass lock.

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "reminders/reminders.h"

namespace accredit::reminders::internal {

// The settings row (reminder_settings, id 1).
// The webhooks column is sealed with `secrets` (SecretBox context "reminder_settings.webhooks");
// a column written before sealing (plain JSON) is still read, and sealed at the next write.
Result<Settings> ReadSettings(store::Connection& conn, const SecretBox* secrets);
Status WriteSettings(store::Connection& conn, const Settings& s, Instant now,
                     const SecretBox* secrets);
// Every rule a stored configuration must satisfy; errors name the field.
Status ValidateSettings(const Settings& s);

// "sha256:<16 hex>" of a webhook URL: the ledger target (the URL itself may hold a token).
std::string WebhookTarget(std::string_view url);

// "Due in 5 Working Days", "Due in 3 days", "Due today", "Overdue".
// "due soon", "met on time": a state's name in words (mail bodies, feed descriptions).
std::string StateWords(clocks::State s);
std::string LeadPhrase(const Lead& lead);
// "[accredit] Due in 5 Working Days: <action> (<clause>)".
std::string MailSubject(const Lead& lead, const clocks::Obligation& o);
// The plain-text body: the obligation's sentence, clause, due (London), state, consequence and a
// link (`base_url` + the record's path).
std::string MailBody(const Occurrence& occ, const clocks::Obligation& o, std::string_view base_url);
// {"event": "obligation.reminder", "lead", "reminder", "fire_at", "obligation", "url"}.
nlohmann::json WebhookBody(const Occurrence& occ, const clocks::Obligation& o,
                           std::string_view base_url);
// `base_url` + o.subject.Href() (or just the path when base_url is empty).
std::string RecordLink(const clocks::Obligation& o, std::string_view base_url);

// Reconstructs the lead of a ledger key ("5wd", "overdue/2026-11-03"); nullopt if malformed.
std::optional<Occurrence> OccurrenceFromKey(std::string_view key, Instant fire_at);

// An exclusive flock on a file, released on destruction (or when the process dies, which is
// why a lock file and not a database row guards a pass). Thread-compatible.
class FileLock {
 public:
  // kUnavailable when another process holds it; kUnavailable when it cannot be opened.
  static Result<FileLock> TryAcquire(const std::string& path);
  FileLock(FileLock&& other) noexcept;
  FileLock& operator=(FileLock&&) = delete;
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;
  ~FileLock();

 private:
  explicit FileLock(int fd) : fd_(fd) {}

  int fd_ = -1;
};

}  // namespace accredit::reminders::internal
