// The reminder settings (one audited row), the schema, and the pass lock file.

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "reminders/internal.h"
#include "reminders/reminders.h"

namespace accredit::reminders {

using nlohmann::json;

namespace {

constexpr std::size_t kMaxRecipients = 50;
constexpr std::size_t kMaxWebhooks = 10;
constexpr std::size_t kMaxTextField = 500;

bool HasControlOrSpace(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u <= 0x20 || u == 0x7f;
  });
}

bool HasControl(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u < 0x20 || u == 0x7f;
  });
}

// A bare address "a@b.c" or "Name <a@b.c>": a light check here; notify checks the syntax fully
// when it sends, and the error then names the recipient's row in the ledger.
bool LooksLikeMailbox(std::string_view s) {
  if (s.empty() || s.size() > 320 || HasControl(s) || s.find(',') != std::string_view::npos) {
    return false;
  }
  std::string_view address = s;
  if (const auto lt = s.rfind('<'); lt != std::string_view::npos) {
    if (!s.ends_with(">")) {
      return false;
    }
    address = s.substr(lt + 1, s.size() - lt - 2);
  }
  const auto at = address.find('@');
  return at != std::string_view::npos && at > 0 && at + 1 < address.size() &&
         address.find('@', at + 1) == std::string_view::npos && !HasControlOrSpace(address);
}

bool HttpUrl(std::string_view url) {
  return (url.starts_with("http://") || url.starts_with("https://")) && !HasControlOrSpace(url) &&
         url.size() <= 2000;
}

Status CheckTextField(std::string_view value, std::string_view field) {
  if (value.size() > kMaxTextField || HasControl(value)) {
    return Err(ErrorCode::kInvalidArgument,
               "must be at most 500 characters without control characters", std::string(field));
  }
  return Status::Ok();
}

std::optional<Instant> OptInstant(const store::Value& v) {
  if (v.IsNull()) {
    return std::nullopt;
  }
  auto t = ParseInstant(v.Text());
  if (!t) {
    return std::nullopt;
  }
  return *t;
}

}  // namespace

std::string_view SmtpTlsName(SmtpTls t) {
  return t == SmtpTls::kNone ? "none" : "starttls";
}

Result<SmtpTls> ParseSmtpTls(std::string_view text) {
  if (text == "starttls") {
    return SmtpTls::kStartTls;
  }
  if (text == "none") {
    return SmtpTls::kNone;
  }
  return Err(ErrorCode::kInvalidArgument, "must be starttls or none", "smtp_tls");
}

std::string RedactUrl(std::string_view url) {
  std::string_view rest = url;
  std::string scheme;
  if (const auto p = rest.find("://"); p != std::string_view::npos) {
    scheme = std::string(rest.substr(0, p + 3));
    rest.remove_prefix(p + 3);
  }
  rest = rest.substr(0, rest.find_first_of("?#"));
  const auto slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
    authority.remove_prefix(at + 1);
  }
  std::string out = scheme + std::string(authority);
  if (slash != std::string_view::npos) {
    out += rest.substr(slash);
  }
  if (url.find('?') != std::string_view::npos) {
    out += "?…";
  }
  return out;
}

json SettingsToJson(const Settings& s) {
  json hooks = json::array();
  for (const Webhook& w : s.webhooks) {
    hooks.push_back({{"url", RedactUrl(w.url)},
                     {"target", internal::WebhookTarget(w.url)},
                     {"signed", !w.secret.empty()}});
  }
  json j = {{"enabled", s.enabled},
            {"smtp_url", RedactUrl(s.smtp_url)},
            {"smtp_tls", SmtpTlsName(s.smtp_tls)},
            {"smtp_ca_file", s.smtp_ca_file},
            {"smtp_username", s.smtp_username},
            {"smtp_password_file", s.smtp_password_file},
            {"from", s.from},
            {"recipients", s.recipients},
            {"webhooks", std::move(hooks)},
            {"leads", FormatLeads(s.leads)},
            {"catch_up_hours", s.catch_up.count()},
            {"base_url", s.base_url},
            {"max_attempts", s.max_attempts}};
  j["updated_at"] = s.updated_at ? json(FormatInstantLondon(*s.updated_at)) : json(nullptr);
  return j;
}

namespace internal {

std::string WebhookTarget(std::string_view url) {
  return "sha256:" + Sha256Hex(url).substr(0, 16);
}

Status ValidateSettings(const Settings& s) {
  if (!s.smtp_url.empty() &&
      (!(s.smtp_url.starts_with("smtp://") || s.smtp_url.starts_with("smtps://")) ||
       HasControlOrSpace(s.smtp_url) || s.smtp_url.size() > kMaxTextField)) {
    return Err(ErrorCode::kInvalidArgument, "must be smtp://host:port or smtps://host:port",
               "smtp_url");
  }
  ACC_RETURN_IF_ERROR(CheckTextField(s.smtp_ca_file, "smtp_ca_file"));
  ACC_RETURN_IF_ERROR(CheckTextField(s.smtp_username, "smtp_username"));
  ACC_RETURN_IF_ERROR(CheckTextField(s.smtp_password_file, "smtp_password_file"));
  if (!s.smtp_username.empty() && s.smtp_tls == SmtpTls::kNone &&
      !s.smtp_url.starts_with("smtps://")) {
    return Err(ErrorCode::kInvalidArgument,
               "SMTP credentials are only sent over TLS: use --smtp-tls starttls or smtps://",
               "smtp_tls");
  }
  if (!s.from.empty() && !LooksLikeMailbox(s.from)) {
    return Err(ErrorCode::kInvalidArgument, "must be an e-mail address or \"Name <address>\"",
               "from");
  }
  if (s.recipients.size() > kMaxRecipients) {
    return Err(ErrorCode::kInvalidArgument, "at most 50 recipients", "recipients");
  }
  for (std::size_t i = 0; i < s.recipients.size(); ++i) {
    if (!LooksLikeMailbox(s.recipients[i])) {
      return Err(
          ErrorCode::kInvalidArgument,
          "recipient " + std::to_string(i + 1) + " must be an e-mail address or \"Name <address>\"",
          "recipients");
    }
    if (std::count(s.recipients.begin(), s.recipients.end(), s.recipients[i]) > 1) {
      return Err(ErrorCode::kInvalidArgument,
                 "recipient " + std::to_string(i + 1) + " is listed twice", "recipients");
    }
  }
  if (!s.recipients.empty() && (s.smtp_url.empty() || s.from.empty())) {
    return Err(ErrorCode::kInvalidArgument,
               "e-mail recipients need an SMTP server (--smtp-url) and a sender (--from)",
               s.smtp_url.empty() ? "smtp_url" : "from");
  }
  if (s.webhooks.size() > kMaxWebhooks) {
    return Err(ErrorCode::kInvalidArgument, "at most 10 webhooks", "webhooks");
  }
  for (std::size_t i = 0; i < s.webhooks.size(); ++i) {
    if (!HttpUrl(s.webhooks[i].url)) {
      return Err(ErrorCode::kInvalidArgument,
                 "webhook " + std::to_string(i + 1) + " must be an http:// or https:// URL",
                 "webhooks");
    }
    if (s.webhooks[i].secret.size() > kMaxTextField || HasControl(s.webhooks[i].secret)) {
      return Err(ErrorCode::kInvalidArgument,
                 "webhook " + std::to_string(i + 1) +
                     ": the secret must be at most 500 characters without control characters",
                 "webhooks");
    }
    for (std::size_t j = 0; j < i; ++j) {
      if (s.webhooks[j].url == s.webhooks[i].url) {
        return Err(ErrorCode::kInvalidArgument,
                   "webhook " + std::to_string(i + 1) + " is listed twice", "webhooks");
      }
    }
  }
  if (s.leads.empty()) {
    return Err(ErrorCode::kInvalidArgument, "at least one lead time is needed", "leads");
  }
  if (s.catch_up < std::chrono::hours(1) || s.catch_up > std::chrono::hours(24 * 60)) {
    return Err(ErrorCode::kInvalidArgument, "must be from 1 hour to 60 days", "catch_up");
  }
  if (!s.base_url.empty() && !HttpUrl(s.base_url)) {
    return Err(ErrorCode::kInvalidArgument, "must be an http:// or https:// URL", "base_url");
  }
  if (s.max_attempts < 1 || s.max_attempts > 50) {
    return Err(ErrorCode::kInvalidArgument, "must be from 1 to 50", "max_attempts");
  }
  if (s.enabled && s.recipients.empty() && s.webhooks.empty()) {
    return Err(ErrorCode::kInvalidArgument,
               "reminders need at least one e-mail recipient (--to) or webhook (--webhook)",
               "enabled");
  }
  return Status::Ok();
}

constexpr std::string_view kWebhooksContext = "reminder_settings.webhooks";

Result<Settings> ReadSettings(store::Connection& conn, const SecretBox* secrets) {
  ACC_ASSIGN_OR_RETURN(
      store::Row r,
      conn.QueryOne("SELECT enabled, smtp_url, smtp_tls, smtp_ca_file, smtp_username, "
                    "smtp_password_file, mail_from, recipients, webhooks, leads, catch_up_hours, "
                    "base_url, max_attempts, updated_at FROM reminder_settings WHERE id = 1"));
  Settings s;
  s.enabled = r[0].Int() != 0;
  s.smtp_url = r[1].Text();
  s.smtp_tls = r[2].Text() == "none" ? SmtpTls::kNone : SmtpTls::kStartTls;
  s.smtp_ca_file = r[3].Text();
  s.smtp_username = r[4].Text();
  s.smtp_password_file = r[5].Text();
  s.from = r[6].Text();
  const json recipients = json::parse(r[7].Text(), nullptr, false);
  std::string hooks_text = r[8].Text();
  if (SecretBox::IsSealed(hooks_text)) {
    if (secrets == nullptr) {
      return Err(ErrorCode::kFailedPrecondition,
                 "the webhook settings are sealed and no key is "
                 "loaded");
    }
    ACC_ASSIGN_OR_RETURN(hooks_text, secrets->Open(hooks_text, kWebhooksContext));
  }
  const json hooks = json::parse(hooks_text, nullptr, false);
  if (!recipients.is_array() || !hooks.is_array()) {
    return Err(ErrorCode::kDataLoss, "the reminder settings are damaged", {},
               "reminder_settings: recipients/webhooks are not JSON arrays");
  }
  for (const json& a : recipients) {
    if (a.is_string()) {
      s.recipients.push_back(a.get<std::string>());
    }
  }
  for (const json& h : hooks) {
    if (h.is_object() && h.contains("url") && h["url"].is_string()) {
      s.webhooks.push_back(Webhook{h["url"].get<std::string>(), h.value("secret", "")});
    }
  }
  auto leads = ParseLeads(r[9].Text());
  if (!leads) {
    return Err(ErrorCode::kDataLoss, "the reminder settings are damaged", {},
               "reminder_settings.leads: " + leads.error().message);
  }
  s.leads = std::move(*leads);
  s.catch_up = std::chrono::hours(r[10].Int());
  s.base_url = r[11].Text();
  s.max_attempts = static_cast<int>(r[12].Int());
  s.updated_at = OptInstant(r[13]);
  return s;
}

Status WriteSettings(store::Connection& conn, const Settings& s, Instant now,
                     const SecretBox* secrets) {
  json hooks = json::array();
  for (const Webhook& w : s.webhooks) {
    hooks.push_back({{"url", w.url}, {"secret", w.secret}});
  }
  // Webhook URLs often carry a token, and the secrets sign what we send: never in clear.
  std::string hooks_text = DumpJson(hooks);
  if (!s.webhooks.empty()) {
    if (secrets == nullptr) {
      return Err(ErrorCode::kFailedPrecondition,
                 "webhooks cannot be stored: no secrets key is loaded", "webhooks");
    }
    ACC_ASSIGN_OR_RETURN(hooks_text, secrets->Seal(hooks_text, kWebhooksContext));
  }
  ACC_RETURN_IF_ERROR(conn.Execute(
      "UPDATE reminder_settings SET enabled = ?, smtp_url = ?, smtp_tls = ?, smtp_ca_file = ?, "
      "smtp_username = ?, smtp_password_file = ?, mail_from = ?, recipients = ?, webhooks = ?, "
      "leads = ?, catch_up_hours = ?, base_url = ?, max_attempts = ?, updated_at = ? "
      "WHERE id = 1",
      {s.enabled, s.smtp_url, SmtpTlsName(s.smtp_tls), s.smtp_ca_file, s.smtp_username,
       s.smtp_password_file, s.from, DumpJson(json(s.recipients)), hooks_text, FormatLeads(s.leads),
       static_cast<std::int64_t>(s.catch_up.count()), s.base_url, s.max_attempts,
       FormatInstantUtc(now)}));
  return Status::Ok();
}

Result<FileLock> FileLock::TryAcquire(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);  // NOLINT(*-vararg)
  if (fd < 0) {
    return Err(ErrorCode::kUnavailable, "cannot open the reminder lock file", "lock_path", path);
  }
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    ::close(fd);
    return Err(ErrorCode::kUnavailable,
               "another process (a running server?) is delivering reminders; try again shortly");
  }
  return FileLock(fd);
}

FileLock::FileLock(FileLock&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}

FileLock::~FileLock() {
  if (fd_ >= 0) {
    ::flock(fd_, LOCK_UN);
    ::close(fd_);
  }
}

}  // namespace internal

std::vector<store::Migration> Reminders::Migrations() {
  return {
      {450, "reminders: settings and the delivery ledger", R"sql(
CREATE TABLE reminder_settings (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  enabled INTEGER NOT NULL DEFAULT 0,
  smtp_url TEXT NOT NULL DEFAULT '',
  smtp_tls TEXT NOT NULL DEFAULT 'starttls',
  smtp_ca_file TEXT NOT NULL DEFAULT '',
  smtp_username TEXT NOT NULL DEFAULT '',
  smtp_password_file TEXT NOT NULL DEFAULT '',
  mail_from TEXT NOT NULL DEFAULT '',
  recipients TEXT NOT NULL DEFAULT '[]',
  webhooks TEXT NOT NULL DEFAULT '[]',
  leads TEXT NOT NULL DEFAULT '5wd,1wd,due,overdue',
  catch_up_hours INTEGER NOT NULL DEFAULT 72,
  base_url TEXT NOT NULL DEFAULT '',
  max_attempts INTEGER NOT NULL DEFAULT 8,
  updated_at TEXT
);
INSERT INTO reminder_settings (id) VALUES (1);
CREATE TABLE reminder_deliveries (
  id INTEGER PRIMARY KEY,
  obligation_key TEXT NOT NULL,
  lead TEXT NOT NULL,
  channel TEXT NOT NULL,
  target TEXT NOT NULL,
  target_label TEXT NOT NULL,
  clause TEXT NOT NULL,
  summary TEXT NOT NULL,
  fire_at TEXT NOT NULL,
  state TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT NOT NULL DEFAULT '',
  next_attempt_at TEXT,
  message_id TEXT NOT NULL,
  created_at TEXT NOT NULL,
  sent_at TEXT,
  UNIQUE (obligation_key, lead, channel, target)
);
CREATE INDEX reminder_deliveries_state ON reminder_deliveries (state, next_attempt_at);
)sql"},
      {451, "reminders: per-user iCalendar feed tokens", R"sql(
CREATE TABLE calendar_feeds (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id),
  username TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL,
  revoked_at TEXT
);
CREATE INDEX calendar_feeds_user ON calendar_feeds (user_id);
)sql"},
  };
}

Result<Settings> Reminders::GetSettings(const auth::Principal& actor) {
  ACC_RETURN_IF_ERROR(auth::Authorize(actor, auth::Action::kContractRead));
  ACC_ASSIGN_OR_RETURN(auto conn, store_.Acquire());
  return internal::ReadSettings(*conn, options_.secrets);
}

Result<Settings> Reminders::Configure(const auth::Principal& actor, const SettingsPatch& patch) {
  ACC_RETURN_IF_ERROR(auth::Authorize(actor, auth::Action::kContractUpdate));
  ACC_ASSIGN_OR_RETURN(auto conn, store_.Acquire());
  ACC_ASSIGN_OR_RETURN(auto tx, conn->Begin(store::TxMode::kWrite));
  ACC_ASSIGN_OR_RETURN(const Settings before, internal::ReadSettings(*conn, options_.secrets));
  Settings after = before;
  auto set = [](auto& member, const auto& value) {
    if (value) {
      member = *value;
    }
  };
  set(after.enabled, patch.enabled);
  set(after.smtp_url, patch.smtp_url);
  set(after.smtp_tls, patch.smtp_tls);
  set(after.smtp_ca_file, patch.smtp_ca_file);
  set(after.smtp_username, patch.smtp_username);
  set(after.smtp_password_file, patch.smtp_password_file);
  set(after.from, patch.from);
  set(after.recipients, patch.recipients);
  set(after.webhooks, patch.webhooks);
  set(after.leads, patch.leads);
  set(after.catch_up, patch.catch_up);
  set(after.base_url, patch.base_url);
  set(after.max_attempts, patch.max_attempts);
  while (after.base_url.ends_with("/")) {
    after.base_url.pop_back();
  }
  ACC_RETURN_IF_ERROR(internal::ValidateSettings(after));
  const Instant now = clock_.Now();
  ACC_RETURN_IF_ERROR(internal::WriteSettings(*conn, after, now, options_.secrets));
  after.updated_at = now;
  ACC_RETURN_IF_ERROR(audit_.Append(
      *conn, audit::Entry{actor.username, "reminders.configure", "reminder_settings", "1",
                          DumpJson(SettingsToJson(before)), DumpJson(SettingsToJson(after))}));
  ACC_RETURN_IF_ERROR(tx.Commit());
  return after;
}

Status Reminders::SealStoredSecrets() {
  if (options_.secrets == nullptr) {
    return Status::Ok();
  }
  ACC_ASSIGN_OR_RETURN(auto conn, store_.Acquire());
  ACC_ASSIGN_OR_RETURN(auto tx, conn->Begin(store::TxMode::kWrite));
  ACC_ASSIGN_OR_RETURN(store::Row row,
                       conn->QueryOne("SELECT webhooks FROM reminder_settings WHERE id = 1"));
  const std::string text = row[0].Text();
  const json hooks = json::parse(text, nullptr, false);
  if (SecretBox::IsSealed(text) || !hooks.is_array() || hooks.empty()) {
    return Status::Ok();
  }
  ACC_ASSIGN_OR_RETURN(const std::string sealed,
                       options_.secrets->Seal(text, internal::kWebhooksContext));
  ACC_RETURN_IF_ERROR(
      conn->Execute("UPDATE reminder_settings SET webhooks = ? WHERE id = 1", {sealed}));
  return tx.Commit();
}

}  // namespace accredit::reminders
