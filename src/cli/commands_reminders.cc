// `accredit reminders configure|show|log|run` (issue 4, point 7).

#include "cli/commands_reminders.h"

#include <charconv>
#include <iostream>

#include "reminders/reminders.h"

#include <CLI/CLI.hpp>

namespace accredit::cli::internal {
namespace {

using nlohmann::json;

// "3d" or "72h".
Result<std::chrono::hours> ParseCatchUp(std::string_view text) {
  int n = 0;
  const bool days = text.ends_with("d");
  const bool hours = text.ends_with("h");
  const std::string_view digits = text.substr(0, text.empty() ? 0 : text.size() - 1);
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
  if ((!days && !hours) || digits.empty() || ec != std::errc() ||
      end != digits.data() + digits.size() || n < 1) {
    return Err(ErrorCode::kInvalidArgument, "must be a number of days (\"3d\") or hours (\"72h\")",
               "catch-up");
  }
  return std::chrono::hours(days ? n * 24 : n);
}

// "URL" or "URL,SECRET" (the secret follows the last comma).
reminders::Webhook ParseWebhook(const std::string& text) {
  const auto comma = text.rfind(',');
  if (comma == std::string::npos) {
    return reminders::Webhook{text, ""};
  }
  return reminders::Webhook{text.substr(0, comma), text.substr(comma + 1)};
}

void PrintSettings(const reminders::Settings& s, std::ostream& out) {
  const json j = reminders::SettingsToJson(s);
  out << "Reminders:     " << (s.enabled ? "enabled" : "disabled") << "\n";
  out << "SMTP server:   " << (s.smtp_url.empty() ? "(none)" : j["smtp_url"].get<std::string>())
      << " (TLS: " << reminders::SmtpTlsName(s.smtp_tls) << ")\n";
  if (!s.smtp_ca_file.empty()) {
    out << "SMTP CA file:  " << s.smtp_ca_file << "\n";
  }
  if (!s.smtp_username.empty()) {
    out << "SMTP user:     " << s.smtp_username << " (password from "
        << (s.smtp_password_file.empty() ? "$ACCREDIT_SMTP_PASSWORD" : s.smtp_password_file)
        << ")\n";
  }
  out << "From:          " << (s.from.empty() ? "(none)" : s.from) << "\n";
  out << "Recipients:    ";
  for (std::size_t i = 0; i < s.recipients.size(); ++i) {
    out << (i > 0 ? ", " : "") << s.recipients[i];
  }
  out << (s.recipients.empty() ? "(none)\n" : "\n");
  out << "Webhooks:      " << (s.webhooks.empty() ? "(none)" : "") << "\n";
  for (const json& w : j["webhooks"]) {
    out << "  - " << w["url"].get<std::string>() << " (" << w["target"].get<std::string>()
        << (w["signed"].get<bool>() ? ", signed" : ", unsigned") << ")\n";
  }
  out << "Lead times:    " << reminders::FormatLeads(s.leads) << "\n";
  out << "Catch-up:      " << s.catch_up.count() << " hours\n";
  out << "Base URL:      " << (s.base_url.empty() ? "(none)" : s.base_url) << "\n";
  out << "Max attempts:  " << s.max_attempts << "\n";
}

Result<int> RunConfigure(const Args& args, const ReminderArgs& r, const Clock& clock,
                         std::ostream& out) {
  reminders::SettingsPatch patch;
  patch.smtp_url = r.smtp_url;
  if (r.smtp_tls) {
    ACC_ASSIGN_OR_RETURN(auto tls, reminders::ParseSmtpTls(*r.smtp_tls));
    patch.smtp_tls = tls;
  }
  patch.smtp_ca_file = r.smtp_ca;
  patch.smtp_username = r.smtp_user;
  patch.smtp_password_file = r.smtp_password_file;
  patch.from = r.from;
  if (r.no_recipients) {
    patch.recipients = std::vector<std::string>();
  }
  if (!r.to.empty()) {
    patch.recipients = r.to;
  }
  if (r.no_webhooks) {
    patch.webhooks = std::vector<reminders::Webhook>();
  }
  if (!r.webhooks.empty()) {
    std::vector<reminders::Webhook> hooks;
    for (const std::string& w : r.webhooks) {
      hooks.push_back(ParseWebhook(w));
    }
    patch.webhooks = std::move(hooks);
  }
  if (r.leads) {
    ACC_ASSIGN_OR_RETURN(auto leads, reminders::ParseLeads(*r.leads));
    patch.leads = std::move(leads);
  }
  if (r.catch_up) {
    ACC_ASSIGN_OR_RETURN(auto catch_up, ParseCatchUp(*r.catch_up));
    patch.catch_up = catch_up;
  }
  patch.base_url = r.base_url;
  patch.max_attempts = r.max_attempts;
  if (r.enable) {
    patch.enabled = true;
  } else if (r.disable) {
    patch.enabled = false;
  }
  ACC_ASSIGN_OR_RETURN(auto app, Open(clock, args));
  ACC_ASSIGN_OR_RETURN(const reminders::Settings s, app->reminders->Configure(Operator(), patch));
  if (r.json || args.json) {
    out << DumpJson(reminders::SettingsToJson(s), 2) << "\n";
  } else {
    PrintSettings(s, out);
  }
  return 0;
}

Result<int> RunShow(const Args& args, const ReminderArgs& r, const Clock& clock,
                    std::ostream& out) {
  ACC_ASSIGN_OR_RETURN(auto app, Open(clock, args));
  ACC_ASSIGN_OR_RETURN(const reminders::Settings s, app->reminders->GetSettings(Operator()));
  if (r.json || args.json) {
    out << DumpJson(reminders::SettingsToJson(s), 2) << "\n";
  } else {
    PrintSettings(s, out);
  }
  return 0;
}

Result<int> RunLog(const Args& args, const ReminderArgs& r, const Clock& clock, std::ostream& out) {
  reminders::LogQuery query;
  query.limit = r.limit;
  query.obligation_key = r.obligation;
  if (!r.state.empty()) {
    bool found = false;
    for (auto s : {reminders::DeliveryState::kPending, reminders::DeliveryState::kSent,
                   reminders::DeliveryState::kFailed, reminders::DeliveryState::kSkipped}) {
      if (reminders::DeliveryStateName(s) == r.state) {
        query.state = s;
        found = true;
      }
    }
    if (!found) {
      return Err(ErrorCode::kInvalidArgument, "must be pending, sent, failed or skipped", "state");
    }
  }
  ACC_ASSIGN_OR_RETURN(auto app, Open(clock, args));
  ACC_ASSIGN_OR_RETURN(const auto rows, app->reminders->Log(Operator(), query));
  if (r.json || args.json) {
    json arr = json::array();
    for (const reminders::Delivery& d : rows) {
      arr.push_back(reminders::DeliveryToJson(d));
    }
    out << DumpJson(arr, 2) << "\n";
    return 0;
  }
  for (const reminders::Delivery& d : rows) {
    std::string state(reminders::DeliveryStateName(d.state));
    state.resize(8, ' ');
    out << d.id << "  " << state << FormatInstantLondon(d.fire_at).substr(0, 16) << "  "
        << d.channel << " " << d.target_label << "  " << d.lead << "  " << d.obligation_key;
    if (d.attempts > 0 && d.state != reminders::DeliveryState::kSent) {
      out << "  (" << d.attempts << " attempt(s))";
    }
    if (!d.last_error.empty()) {
      out << "  " << d.last_error;
    }
    out << "\n";
  }
  out << rows.size() << " ledger row(s), newest first\n";
  return 0;
}

Result<int> RunPass(const Args& args, const ReminderArgs& r, const Clock& clock,
                    std::ostream& out) {
  Instant now = clock.Now();
  if (!r.at.empty()) {
    ACC_ASSIGN_OR_RETURN(now, ParseInstant(r.at, "at"));
  }
  ACC_ASSIGN_OR_RETURN(auto app, Open(clock, args));
  ACC_RETURN_IF_ERROR(auth::Authorize(Operator(), auth::Action::kContractUpdate));
  ACC_ASSIGN_OR_RETURN(const reminders::PassReport rep, app->reminders->RunOnce(now));
  if (r.json || args.json) {
    out << DumpJson(json{{"at", FormatInstantLondon(now)},
                         {"enabled", rep.enabled},
                         {"queued", rep.queued},
                         {"skipped", rep.skipped},
                         {"sent", rep.sent},
                         {"retrying", rep.retrying},
                         {"failed", rep.failed}},
                    2)
        << "\n";
  } else if (!rep.enabled) {
    out << "Reminders are disabled (`accredit reminders configure --enable`).\n";
  } else {
    out << "Pass at " << FormatHumanLondon(now) << ": " << rep.queued << " queued, " << rep.sent
        << " sent, " << rep.retrying << " to retry, " << rep.failed << " failed, " << rep.skipped
        << " skipped.\n";
  }
  return 0;
}

}  // namespace

std::unique_ptr<ReminderArgs> AddReminderCommands(CLI::App& app, const Args& args,
                                                  const Clock& clock, std::ostream& out,
                                                  CommandList& commands) {
  auto owned = std::make_unique<ReminderArgs>();
  ReminderArgs* r = owned.get();
  auto* rem = app.add_subcommand("reminders", "E-mail and webhook reminders of obligations");
  rem->require_subcommand(1);

  auto* configure = rem->add_subcommand("configure", "Change the reminder settings (audited)");
  configure->add_option("--smtp-url", r->smtp_url,
                        "SMTP server: smtp://host:587 (STARTTLS) or smtps://host:465");
  configure->add_option("--smtp-tls", r->smtp_tls,
                        "starttls (default: required) or none (trusted relay only)");
  configure->add_option("--smtp-ca", r->smtp_ca, "PEM bundle to verify the SMTP server");
  configure->add_option("--smtp-user", r->smtp_user, "SMTP user name (AUTH over TLS only)");
  configure->add_option("--smtp-password-file", r->smtp_password_file,
                        "File whose first line is the SMTP password (default: the environment "
                        "variable ACCREDIT_SMTP_PASSWORD of the server)");
  configure->add_option("--from", r->from, "Sender: an address or \"Name <address>\"");
  auto* to = configure->add_option("--to", r->to, "Recipients (replaces the list)");
  auto* no_to = configure->add_flag("--no-recipients", r->no_recipients, "Remove every recipient");
  to->excludes(no_to);
  auto* hook = configure->add_option(
      "--webhook", r->webhooks,
      "Webhook URL, optionally \",SECRET\" for an HMAC-SHA256 signature (replaces the list)");
  auto* no_hook = configure->add_flag("--no-webhooks", r->no_webhooks, "Remove every webhook");
  hook->excludes(no_hook);
  configure->add_option("--leads", r->leads,
                        "Lead times, e.g. 5wd,1wd,due,overdue (Nwd: Working Days before; Nd: "
                        "days before)");
  configure->add_option("--catch-up", r->catch_up,
                        "Reminders older than this when first seen are skipped (\"3d\", \"72h\")");
  configure->add_option("--base-url", r->base_url,
                        "The server's public URL, for links in mails and the calendar feed");
  configure->add_option("--max-attempts", r->max_attempts,
                        "Attempts before a delivery is recorded as failed (default 8)");
  auto* enable = configure->add_flag("--enable", r->enable, "Turn reminders on");
  auto* disable = configure->add_flag("--disable", r->disable, "Turn reminders off");
  enable->excludes(disable);
  configure->add_flag("--json", r->json, "JSON output");
  commands.emplace_back(configure,
                        [&args, &clock, &out, r]() { return RunConfigure(args, *r, clock, out); });

  auto* show = rem->add_subcommand("show", "Show the reminder settings (never secrets)");
  show->add_flag("--json", r->json, "JSON output");
  commands.emplace_back(show, [&args, &clock, &out, r]() { return RunShow(args, *r, clock, out); });

  auto* log = rem->add_subcommand("log", "The delivery ledger, newest first");
  log->add_option("--state", r->state, "pending | sent | failed | skipped");
  log->add_option("--obligation", r->obligation, "Only this obligation key");
  log->add_option("--limit", r->limit, "At most this many rows (default 50)");
  log->add_flag("--json", r->json, "JSON output");
  commands.emplace_back(log, [&args, &clock, &out, r]() { return RunLog(args, *r, clock, out); });

  auto* run = rem->add_subcommand("run", "Run one scheduler pass now (or as at --at)");
  run->add_option("--at", r->at, "Evaluate and send as at this instant (ISO 8601)");
  run->add_flag("--json", r->json, "JSON output");
  commands.emplace_back(run, [&args, &clock, &out, r]() { return RunPass(args, *r, clock, out); });
  return owned;
}

}  // namespace accredit::cli::internal
