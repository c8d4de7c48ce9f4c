// Reminders::RunOnce: the scheduler pass over the delivery ledger (the outbox).
//
// The order of writes is the whole guarantee (docs/REMINDERS.md):
//   1. a reminder is INSERTed as pending and COMMITTED before anyone is contacted;
//   2. it is delivered;
//   3. it is marked sent (with its audit record) in a second transaction.
// A process killed after 1 leaves a pending row, which the next pass (of any process) delivers:
// nothing is lost. A process killed between the server's acceptance in 2 and the commit of 3
// delivers the same message again on restart, with the same Message-ID (or webhook delivery
// id), so the duplicate is recognisable; that window is the only way to send twice.

#include <algorithm>
#include <fstream>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "notify/notify.h"
#include "reminders/internal.h"
#include "reminders/reminders.h"

namespace accredit::reminders {

using nlohmann::json;

namespace {

constexpr std::string_view kChannelEmail = "email";
constexpr std::string_view kChannelWebhook = "webhook";
constexpr std::string_view kWebhookEvent = "obligation.reminder";

struct Target {
  std::string channel;
  std::string target;
  std::string label;
};

std::vector<Target> TargetsOf(const Settings& s) {
  std::vector<Target> out;
  for (const std::string& r : s.recipients) {
    out.push_back(Target{std::string(kChannelEmail), r, r});
  }
  for (const Webhook& w : s.webhooks) {
    out.push_back(
        Target{std::string(kChannelWebhook), internal::WebhookTarget(w.url), RedactUrl(w.url)});
  }
  return out;
}

std::string LedgerKey(std::string_view obligation_key, std::string_view lead,
                      std::string_view channel, std::string_view target) {
  std::string k(obligation_key);
  k += '\n';
  k += lead;
  k += '\n';
  k += channel;
  k += '\n';
  k += target;
  return k;
}

notify::SmtpConfig SmtpConfigOf(const Settings& s, const Options& options) {
  notify::SmtpConfig cfg;
  cfg.url = s.smtp_url;
  cfg.tls = s.smtp_tls == SmtpTls::kNone ? notify::SmtpConfig::Tls::kNone
                                         : notify::SmtpConfig::Tls::kStartTlsRequired;
  cfg.ca_file = s.smtp_ca_file;
  cfg.username = s.smtp_username;
  cfg.from = s.from;
  cfg.timeout = options.smtp_timeout;
  return cfg;
}

// The delivery id of a ledger row: the Message-ID of a mail, X-Accredit-Delivery of a webhook.
std::string DeliveryId(const Settings& s, const Options& options, std::string_view channel,
                       const std::string& ledger_key) {
  if (channel == kChannelEmail) {
    return notify::MakeMessageId(SmtpConfigOf(s, options), ledger_key);
  }
  return "rem-" + Sha256Hex(ledger_key).substr(0, 32);
}

Result<std::string> ReadPasswordFile(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  if (!in || !std::getline(in, line)) {
    return Err(ErrorCode::kUnavailable, "cannot read the SMTP password file (smtp_password_file)");
  }
  while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) {
    line.pop_back();
  }
  return line;
}

std::optional<Instant> OptInstant(const store::Value& v) {
  if (v.IsNull()) {
    return std::nullopt;
  }
  auto t = ParseInstant(v.Text());
  return t ? std::optional<Instant>(*t) : std::nullopt;
}

Result<DeliveryState> ParseDeliveryState(std::string_view s) {
  for (DeliveryState d : {DeliveryState::kPending, DeliveryState::kSent, DeliveryState::kFailed,
                          DeliveryState::kSkipped}) {
    if (DeliveryStateName(d) == s) {
      return d;
    }
  }
  return Err(ErrorCode::kDataLoss, "unknown delivery state", "state", std::string(s));
}

constexpr std::string_view kDeliveryColumns =
    "id, obligation_key, lead, channel, target, target_label, clause, summary, fire_at, state, "
    "attempts, last_error, next_attempt_at, message_id, created_at, sent_at";

Result<Delivery> DeliveryFromRow(const store::Row& r) {
  Delivery d;
  d.id = r[0].Int();
  d.obligation_key = r[1].Text();
  d.lead = r[2].Text();
  d.channel = r[3].Text();
  d.target = r[4].Text();
  d.target_label = r[5].Text();
  d.clause = r[6].Text();
  d.summary = r[7].Text();
  ACC_ASSIGN_OR_RETURN(d.fire_at, ParseInstant(r[8].Text(), "fire_at"));
  ACC_ASSIGN_OR_RETURN(d.state, ParseDeliveryState(r[9].Text()));
  d.attempts = static_cast<int>(r[10].Int());
  d.last_error = r[11].Text();
  d.next_attempt_at = OptInstant(r[12]);
  d.message_id = r[13].Text();
  ACC_ASSIGN_OR_RETURN(d.created_at, ParseInstant(r[14].Text(), "created_at"));
  d.sent_at = OptInstant(r[15]);
  return d;
}

}  // namespace

std::string_view DeliveryStateName(DeliveryState s) {
  switch (s) {
    case DeliveryState::kPending:
      return "pending";
    case DeliveryState::kSent:
      return "sent";
    case DeliveryState::kFailed:
      return "failed";
    case DeliveryState::kSkipped:
      return "skipped";
  }
  return "pending";
}

json DeliveryToJson(const Delivery& d) {
  auto opt = [](const std::optional<Instant>& t) {
    return t ? json(FormatInstantLondon(*t)) : json(nullptr);
  };
  return {{"id", d.id},
          {"obligation_key", d.obligation_key},
          {"lead", d.lead},
          {"channel", d.channel},
          {"target", d.target},
          {"target_label", d.target_label},
          {"clause", d.clause},
          {"summary", d.summary},
          {"fire_at", FormatInstantLondon(d.fire_at)},
          {"state", DeliveryStateName(d.state)},
          {"attempts", d.attempts},
          {"last_error", d.last_error},
          {"next_attempt_at", opt(d.next_attempt_at)},
          {"message_id", d.message_id},
          {"created_at", FormatInstantLondon(d.created_at)},
          {"sent_at", opt(d.sent_at)}};
}

Reminders::Reminders(store::Store& store, const audit::AuditLog& audit, const Clock& clock,
                     registers::Registers& registers, clocks::Engine& engine, Options options)
    : store_(store),
      audit_(audit),
      clock_(clock),
      registers_(registers),
      engine_(engine),
      options_(std::move(options)) {}

Result<std::vector<Delivery>> Reminders::Log(const auth::Principal& actor, const LogQuery& query) {
  ACC_RETURN_IF_ERROR(auth::Authorize(actor, auth::Action::kContractRead));
  if (query.limit < 1 || query.limit > 100000) {
    return Err(ErrorCode::kInvalidArgument, "must be from 1 to 100000", "limit");
  }
  ACC_ASSIGN_OR_RETURN(auto conn, store_.Acquire());
  std::string sql = "SELECT " + std::string(kDeliveryColumns) + " FROM reminder_deliveries";
  store::Params params;
  std::string where;
  if (query.state) {
    where += " state = ?";
    params.emplace_back(DeliveryStateName(*query.state));
  }
  if (!query.obligation_key.empty()) {
    where += std::string(where.empty() ? "" : " AND") + " obligation_key = ?";
    params.emplace_back(query.obligation_key);
  }
  if (!where.empty()) {
    sql += " WHERE" + where;
  }
  sql += " ORDER BY id DESC LIMIT ?";
  params.emplace_back(query.limit);
  ACC_ASSIGN_OR_RETURN(auto rows, conn->Query(sql, params));
  std::vector<Delivery> out;
  out.reserve(rows.size());
  for (const store::Row& r : rows) {
    ACC_ASSIGN_OR_RETURN(Delivery d, DeliveryFromRow(r));
    out.push_back(std::move(d));
  }
  return out;
}

Status Reminders::LoadKnownKeys(store::Connection& conn) {
  // The row callback runs inside this call, with pass_mu_ held; the analysis cannot see into the
  // lambda, so it works through pointers taken here, under the lock.
  auto* known = &known_;
  auto* max_id = &known_max_id_;
  return conn.ForEach(
      "SELECT id, obligation_key, lead, channel, target FROM reminder_deliveries WHERE id > ? "
      "ORDER BY id",
      {known_max_id_}, [known, max_id](const store::RowView& r) {
        known->emplace(std::string(r.Text(1)), std::string(r.Text(2)), std::string(r.Text(3)),
                       std::string(r.Text(4)));
        *max_id = std::max(*max_id, r.Int(0));
        return Status::Ok();
      });
}

Result<PassReport> Reminders::RunOnce(Instant now) {
  MutexLock lock(pass_mu_);
  std::optional<internal::FileLock> file_lock;
  if (!options_.lock_path.empty()) {
    ACC_ASSIGN_OR_RETURN(auto acquired, internal::FileLock::TryAcquire(options_.lock_path));
    file_lock.emplace(std::move(acquired));
  }
  return RunLocked(now);
}

Result<PassReport> Reminders::RunLocked(Instant now) {
  PassReport report;
  ACC_ASSIGN_OR_RETURN(auto conn, store_.Acquire());
  ACC_ASSIGN_OR_RETURN(const Settings settings, internal::ReadSettings(*conn, options_.secrets));
  report.enabled = settings.enabled;
  if (!settings.enabled) {
    return report;
  }
  ACC_ASSIGN_OR_RETURN(const auto snap, engine_.At(now));
  ACC_ASSIGN_OR_RETURN(const Calendar cal, registers_.LoadCalendar());
  ACC_RETURN_IF_ERROR(LoadKnownKeys(*conn));
  const std::vector<Target> targets = TargetsOf(settings);

  // ---- 1 + 2: record every fired reminder not yet in the ledger ------------------------------
  std::map<std::string_view, const clocks::Obligation*> open;

  struct NewRow {
    const clocks::Obligation* o;
    Occurrence occ;
    const Target* target;
    DeliveryState state;
    std::string reason;
  };

  std::vector<NewRow> rows;
  for (const clocks::Obligation& o : snap->obligations) {
    if (!clocks::IsOpen(o.state)) {
      continue;
    }
    open.emplace(o.key, &o);
    const std::vector<Occurrence> fired =
        FiredOccurrences(settings.leads, o.visible_from, o.due, now, cal);
    for (std::size_t i = 0; i < fired.size(); ++i) {
      const Occurrence& occ = fired[i];
      const bool latest = i + 1 == fired.size();
      const bool recent = now - occ.fire_at <= settings.catch_up;
      for (const Target& t : targets) {
        if (known_.contains(std::make_tuple(o.key, occ.key, t.channel, t.target))) {
          continue;
        }
        NewRow row{&o, occ, &t, DeliveryState::kPending, {}};
        if (!latest) {
          row.state = DeliveryState::kSkipped;
          row.reason = "superseded by the later reminder " + fired.back().key;
        } else if (!recent) {
          row.state = DeliveryState::kSkipped;
          row.reason = "fired " + FormatHumanLondon(occ.fire_at) +
                       ", before the catch-up window when first seen";
        }
        rows.push_back(std::move(row));
      }
    }
  }
  if (!rows.empty()) {
    ACC_ASSIGN_OR_RETURN(auto tx, conn->Begin(store::TxMode::kWrite));
    const std::string created = FormatInstantUtc(now);
    for (const NewRow& r : rows) {
      const std::string ledger_key =
          LedgerKey(r.o->key, r.occ.key, r.target->channel, r.target->target);
      ACC_ASSIGN_OR_RETURN(
          const std::int64_t changed,
          conn->Execute("INSERT INTO reminder_deliveries (obligation_key, lead, channel, target, "
                        "target_label, clause, summary, fire_at, state, last_error, message_id, "
                        "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                        "ON CONFLICT (obligation_key, lead, channel, target) DO NOTHING",
                        {r.o->key, r.occ.key, r.target->channel, r.target->target, r.target->label,
                         r.o->clause, internal::MailSubject(r.occ.lead, *r.o),
                         FormatInstantUtc(r.occ.fire_at), DeliveryStateName(r.state), r.reason,
                         DeliveryId(settings, options_, r.target->channel, ledger_key), created}));
      if (changed > 0) {
        ++(r.state == DeliveryState::kPending ? report.queued : report.skipped);
      }
    }
    ACC_RETURN_IF_ERROR(tx.Commit());
    for (const NewRow& r : rows) {
      known_.emplace(r.o->key, r.occ.key, r.target->channel, r.target->target);
    }
  }

  // ---- 3: deliver what is pending and due for an attempt -----------------------------------
  ACC_ASSIGN_OR_RETURN(auto pending,
                       conn->Query("SELECT " + std::string(kDeliveryColumns) +
                                       " FROM reminder_deliveries WHERE state = 'pending' AND "
                                       "(next_attempt_at IS NULL OR next_attempt_at <= ?) "
                                       "ORDER BY id",
                                   {FormatInstantUtc(now)}));
  if (pending.empty()) {
    return report;
  }
  std::map<std::string, const Webhook*, std::less<>> hooks;
  for (const Webhook& w : settings.webhooks) {
    hooks.emplace(internal::WebhookTarget(w.url), &w);
  }
  std::optional<Result<std::string>> password;  // read once per pass, when first needed

  for (const store::Row& raw : pending) {
    if (stop_requested_.load()) {
      break;
    }
    ACC_ASSIGN_OR_RETURN(const Delivery d, DeliveryFromRow(raw));
    const auto it = open.find(d.obligation_key);
    const bool configured = d.channel == kChannelEmail
                                ? std::find(settings.recipients.begin(), settings.recipients.end(),
                                            d.target) != settings.recipients.end()
                                : hooks.contains(d.target);
    const auto occ = internal::OccurrenceFromKey(d.lead, d.fire_at);
    std::string skip_reason;
    if (it == open.end()) {
      skip_reason = "the obligation is no longer open";
    } else if (!configured) {
      skip_reason = "the recipient is no longer configured";
    } else if (!occ) {
      skip_reason = "unknown lead";
    }
    if (!skip_reason.empty()) {
      ACC_ASSIGN_OR_RETURN(auto tx, conn->Begin(store::TxMode::kWrite));
      ACC_RETURN_IF_ERROR(conn->Execute(
          "UPDATE reminder_deliveries SET state = 'skipped', last_error = ?, next_attempt_at = "
          "NULL WHERE id = ? AND state = 'pending'",
          {skip_reason, d.id}));
      ACC_RETURN_IF_ERROR(tx.Commit());
      ++report.skipped;
      continue;
    }
    const clocks::Obligation& o = *it->second;

    Status delivered = Status::Ok();
    if (d.channel == kChannelEmail) {
      notify::SmtpConfig cfg = SmtpConfigOf(settings, options_);
      if (!settings.smtp_password_file.empty()) {
        if (!password) {
          password = ReadPasswordFile(settings.smtp_password_file);
        }
        if (password->ok()) {
          cfg.password = **password;
        } else {
          delivered = password->error();
        }
      } else {
        cfg.password = options_.smtp_password;
      }
      if (delivered.ok()) {
        notify::Mail mail;
        mail.to = {d.target};
        mail.subject = d.summary;
        mail.text_body = internal::MailBody(*occ, o, settings.base_url);
        mail.message_id = d.message_id;
        mail.extra_headers = {{"X-Accredit-Obligation", o.clause},
                              {"X-Accredit-Reminder", occ->key}};
        delivered = notify::SendMail(cfg, mail, now);
      }
    } else {
      const Webhook& w = *hooks.at(d.target);
      notify::WebhookConfig cfg;
      cfg.url = w.url;
      cfg.secret = w.secret;
      cfg.timeout = options_.webhook_timeout;
      delivered = notify::PostWebhook(cfg, kWebhookEvent, d.message_id,
                                      DumpJson(internal::WebhookBody(*occ, o, settings.base_url)));
    }

    ACC_ASSIGN_OR_RETURN(auto tx, conn->Begin(store::TxMode::kWrite));
    const int attempts = d.attempts + 1;
    if (delivered.ok()) {
      ACC_RETURN_IF_ERROR(
          conn->Execute("UPDATE reminder_deliveries SET state = 'sent', attempts = ?, sent_at = ?, "
                        "next_attempt_at = NULL, last_error = '' WHERE id = ?",
                        {attempts, FormatInstantUtc(now), d.id}));
      json after = {{"obligation_key", d.obligation_key},
                    {"clause", d.clause},
                    {"lead", d.lead},
                    {"channel", d.channel},
                    {"delivery_id", d.message_id},
                    {"attempts", attempts}};
      ACC_RETURN_IF_ERROR(
          audit_.Append(*conn, audit::Entry{"system", "reminder.sent", "reminder_delivery",
                                            std::to_string(d.id), "null", DumpJson(after)}));
      ++report.sent;
    } else {
      // notify's messages never hold a password, secret or URL; the server's reply may name
      // the recipient, which the ledger row names anyway.
      const std::string error = delivered.error().message.substr(0, 500);
      if (attempts >= settings.max_attempts) {
        ACC_RETURN_IF_ERROR(conn->Execute(
            "UPDATE reminder_deliveries SET state = 'failed', attempts = ?, last_error = ?, "
            "next_attempt_at = NULL WHERE id = ?",
            {attempts, error, d.id}));
        json after = {{"obligation_key", d.obligation_key},
                      {"lead", d.lead},
                      {"channel", d.channel},
                      {"attempts", attempts}};
        ACC_RETURN_IF_ERROR(
            audit_.Append(*conn, audit::Entry{"system", "reminder.failed", "reminder_delivery",
                                              std::to_string(d.id), "null", DumpJson(after)}));
        ++report.failed;
      } else {
        const std::chrono::seconds backoff =
            std::min(options_.retry_base * (std::int64_t{1} << std::min(attempts - 1, 20)),
                     options_.retry_max);
        const Instant next = now + std::chrono::duration_cast<std::chrono::milliseconds>(backoff);
        ACC_RETURN_IF_ERROR(
            conn->Execute("UPDATE reminder_deliveries SET attempts = ?, last_error = ?, "
                          "next_attempt_at = ? WHERE id = ?",
                          {attempts, error, FormatInstantUtc(next), d.id}));
        ++report.retrying;
      }
    }
    ACC_RETURN_IF_ERROR(tx.Commit());
  }
  return report;
}

}  // namespace accredit::reminders
