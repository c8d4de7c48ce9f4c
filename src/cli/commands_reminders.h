#pragma once

// Internal to the cli module: the reminder commands of issue 4, point 7 (docs/REMINDERS.md):
//   accredit reminders configure [--smtp-url URL] [--smtp-tls starttls|none] [--smtp-ca FILE]
//       [--smtp-user U] [--smtp-password-file FILE] [--from ADDR] [--to ADDR ...]
//       [--no-recipients] [--webhook URL[,SECRET] ...] [--no-webhooks]
//       [--leads 5wd,1wd,due,overdue] [--catch-up 3d|72h] [--base-url URL]
//       [--max-attempts N] [--enable|--disable] [--json]
//   accredit reminders show [--json]
//   accredit reminders log [--state S] [--obligation KEY] [--limit N] [--json]
//   accredit reminders run [--at INSTANT] [--json]     (one scheduler pass)

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli/commands_registers.h"

namespace accredit::cli::internal {

struct ReminderArgs {
  std::optional<std::string> smtp_url;
  std::optional<std::string> smtp_tls;
  std::optional<std::string> smtp_ca;
  std::optional<std::string> smtp_user;
  std::optional<std::string> smtp_password_file;
  std::optional<std::string> from;
  std::vector<std::string> to;
  bool no_recipients = false;
  std::vector<std::string> webhooks;
  bool no_webhooks = false;
  std::optional<std::string> leads;
  std::optional<std::string> catch_up;
  std::optional<std::string> base_url;
  std::optional<int> max_attempts;
  bool enable = false;
  bool disable = false;
  std::string state;
  std::string obligation;
  int limit = 50;
  std::string at;
  bool json = false;
};

std::unique_ptr<ReminderArgs> AddReminderCommands(CLI::App& app, const Args& args,
                                                  const Clock& clock, std::ostream& out,
                                                  CommandList& commands);

}  // namespace accredit::cli::internal
