#pragma once

// Internal to the cli module: the parsed command line (Args) and one function per command,
// Result<int> Run<Noun><Verb>(const Args&, ...) (STYLE rule 21). Commands print their output to
// `out`; they never print errors: they return them to the dispatcher in cli.cc.

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "auth/auth.h"
#include "cli/cli.h"
#include "core/core.h"

namespace accredit::cli::internal {

// Every option and positional of every command; each command reads the fields it declared.
struct Args {
  // Global.
  std::string db_path;       // resolved: --db, else $ACCREDIT_DB, else ./accredit.db
  bool db_explicit = false;  // --db was given on the command line
  bool json = false;

  // init / user / token.
  std::string username;
  std::string admin_user = "admin";
  std::string role;
  std::string display_name;
  std::string email;
  std::optional<std::int64_t> supplier_id;
  std::string password_file;
  bool password_stdin = false;
  std::string reason;
  std::string token_name;
  std::string expires;
  std::int64_t token_id = 0;
  int token_max_days = 0;  // token policy: 0 shows the policy

  // serve.
  std::string host = "127.0.0.1";
  int port = 8080;
  std::string tls_cert;
  std::string tls_key;
  std::string access_log;
  int reminder_interval = 60;            // seconds; 0: no reminder scheduler
  std::int64_t checkpoint_every = 1000;  // audit records; 0: no automatic checkpoints by count
  int checkpoint_minutes = 15;           // 0: no periodic checkpoints
  std::string checkpoint_webhook;        // external witness URL (serve, audit checkpoint)
  int threads = 64;
  int max_connections_per_address = 0;  // 0: threads / 4

  // audit.
  std::string checkpoint_file;
  std::string out_file;
  std::string format = "csv";
  std::string entity_type;
  std::string actor;
  std::string from;
  std::string to;

  // calendar.
  int year = 0;
  std::string division;
  std::string date;
  std::string date_b;
  int n = 0;
  std::string file;

  // contract.
  std::optional<std::string> title;
  std::optional<std::string> reference;
  std::optional<std::string> customer_name;
  std::optional<std::string> provider_name;
  std::optional<std::string> effective_date;
  std::optional<std::string> osc_date;
  std::optional<std::string> contract_division;
  std::vector<std::string> add_closure_days;
  bool clear_closure_days = false;

  // supplier.
  std::string name;
  bool access_to_customer_data = false;
  std::string services;
  std::string company_number;
  std::string address;
  bool all_parties = false;

  // demo.
  std::string demo_password = "accredit-demo-2026";
};

// The OS user running the CLI, for auth::CliOperator ("cli:<user>" in the audit log).
std::string OsUser();
auth::Principal Operator();

// Opens the app over args.db_path (never creates).
Result<std::unique_ptr<App>> Open(const Clock& clock, const Args& args);

// Reads a password from --password-file (first line) or stdin (first line); std::nullopt when
// neither was asked for.
Result<std::optional<std::string>> ReadPassword(const Args& args);
// A strong random password (24 characters from a 62-letter alphabet, about 143 bits).
Result<std::string> GeneratePassword();

// Writes `text` to the file `path`, or to `out` when path is empty.
Status WriteOutput(const std::string& path, std::string_view text, std::ostream& out);

Result<int> RunInit(const Args& args, const Clock& clock, std::ostream& out);
Result<int> RunServe(const Args& args, const Clock& clock, std::ostream& out);
Result<int> RunDemo(const Args& args, const Clock& clock, std::ostream& out);

Result<int> RunUserAdd(const Args& args, App& app, std::ostream& out);
Result<int> RunUserList(const Args& args, App& app, std::ostream& out);
Result<int> RunUserDisable(const Args& args, App& app, std::ostream& out);
Result<int> RunUserEnable(const Args& args, App& app, std::ostream& out);
Result<int> RunUserSetRole(const Args& args, App& app, std::ostream& out);
Result<int> RunTokenPolicy(const Args& args, App& app, std::ostream& out);
Result<int> RunUserResetPassword(const Args& args, App& app, std::ostream& out);

Result<int> RunTokenCreate(const Args& args, App& app, std::ostream& out);
Result<int> RunTokenRevoke(const Args& args, App& app, std::ostream& out);
Result<int> RunTokenList(const Args& args, App& app, std::ostream& out);

Result<int> RunAuditVerify(const Args& args, App& app, std::ostream& out);
Result<int> RunAuditCheckpoint(const Args& args, App& app, std::ostream& out);
Result<int> RunAuditExport(const Args& args, App& app, std::ostream& out);

// The pure calendar commands need no database (see docs/CLI.md).
Result<int> RunCalendarHolidays(const Args& args, const Clock& clock, std::ostream& out);
Result<int> RunCalendarIsWorkingDay(const Args& args, const Clock& clock, std::ostream& out);
Result<int> RunCalendarAddWorkingDays(const Args& args, const Clock& clock, std::ostream& out);
Result<int> RunCalendarWorkingDaysBetween(const Args& args, const Clock& clock, std::ostream& out);
Result<int> RunCalendarImport(const Args& args, App& app, std::ostream& out);

Result<int> RunContractShow(const Args& args, App& app, std::ostream& out);
Result<int> RunContractSet(const Args& args, App& app, std::ostream& out);
Result<int> RunSupplierList(const Args& args, App& app, std::ostream& out);
Result<int> RunSupplierAdd(const Args& args, App& app, std::ostream& out);

}  // namespace accredit::cli::internal
