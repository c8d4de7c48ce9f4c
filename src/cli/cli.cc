#include "cli/cli.h"

#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <utility>
#include <vector>

#include <openssl/rand.h>

#include "cli/commands.h"
#include "cli/commands_clocks.h"
#include "cli/commands_documents.h"
#include "cli/commands_registers.h"
#include "cli/commands_reminders.h"
#include "notify/notify.h"

#include <CLI/CLI.hpp>

namespace accredit::cli {

Result<std::unique_ptr<App>> OpenApp(const Clock& clock, const AppOptions& options) {
  std::error_code ec;
  if (!options.create_if_missing && !std::filesystem::exists(options.db_path, ec)) {
    // The operator holds the file, so naming its path here is useful and discloses nothing.
    return Err(ErrorCode::kNotFound,
               "no database at " + options.db_path + "; run `accredit init` (or `accredit demo`)");
  }
  store::Options store_options;
  store_options.path = options.db_path;
  store_options.create_if_missing = options.create_if_missing;
  ACC_ASSIGN_OR_RETURN(auto store, store::Store::OpenSqlite(store_options));

  std::vector<store::Migration> migrations = auth::Accounts::Migrations();
  for (auto& m : audit::AuditLog::Migrations()) {
    migrations.push_back(std::move(m));
  }
  for (auto& m : registers::Registers::Migrations()) {
    migrations.push_back(std::move(m));
  }
  for (auto& m : registers::RegisterService::Migrations()) {
    migrations.push_back(std::move(m));
  }
  for (auto& m : reports::Reports::Migrations()) {
    migrations.push_back(std::move(m));
  }
  for (auto& m : clocks::Engine::Migrations()) {
    migrations.push_back(std::move(m));
  }
  for (auto& m : reminders::Reminders::Migrations()) {
    migrations.push_back(std::move(m));
  }
  ACC_RETURN_IF_ERROR(store->Migrate(migrations));
  ACC_ASSIGN_OR_RETURN(std::shared_ptr<const catalog::Catalog> catalog, catalog::Catalog::Load());

  ACC_ASSIGN_OR_RETURN(auto key,
                       audit::CheckpointKey::LoadOrCreate(options.db_path + ".audit-key.pem"));
  audit::CheckpointOptions checkpoint_options;
  checkpoint_options.key = key.get();
  checkpoint_options.file_path = options.db_path + ".audit-checkpoints.jsonl";
  checkpoint_options.every_records = options.checkpoint_every;
  checkpoint_options.on_error = [](const Error& e) {
    // Log lines for the operator: the internal detail (a path, an errno) belongs here.
    std::cerr << "accredit: audit: " << e.message
              << (e.internal.empty() ? "" : " (" + e.internal + ")") << "\n";
  };
  if (!options.checkpoint_webhook_url.empty()) {
    notify::WebhookConfig webhook;
    webhook.url = options.checkpoint_webhook_url;
    webhook.secret = options.checkpoint_webhook_secret;
    checkpoint_options.witness = [webhook](const audit::Checkpoint& cp) {
      return notify::PostWebhook(webhook, "audit.checkpoint",
                                 "checkpoint-" + cp.key_id + "-" + std::to_string(cp.size) + "-" +
                                     std::to_string(cp.issued_at.time_since_epoch().count()),
                                 cp.ToJsonLine());
    };
  }
  auto audit_log = std::make_unique<audit::AuditLog>(clock, std::move(checkpoint_options));
  auto accounts = std::make_unique<auth::Accounts>(*store, *audit_log, clock, options.accounts);
  auto regs = std::make_unique<registers::Registers>(*store, *audit_log, clock);
  registers::RegisterService::Options register_options;
  register_options.evidence_dir = options.db_path + ".evidence";
  // The lookup shares ownership of the catalogue: it lives inside RegisterService's options,
  // which may outlive App's member order.
  register_options.catalog_lookup = [catalog](std::string_view name, std::string_view id) {
    if (name == "schedule-2.4") {
      return catalog->FindClause(id) != nullptr;
    }
    return catalog->FindControl(name, id) != nullptr;
  };
  // A waiver must name an obligation that exists: the clocks module answers for the registers
  // module below it, reading inside the write transaction.
  register_options.obligation_lookup = [](registers::ReadContext& ctx, std::string_view ob_key) {
    return clocks::ObligationExists(ctx.Conn(), ctx.GetCalendar(), ctx.Now(), ob_key);
  };
  auto register_service = std::make_unique<registers::RegisterService>(
      *store, *audit_log, clock, *regs, std::move(register_options));
  auto engine = std::make_unique<clocks::Engine>(*store, *regs);
  // The compliance matrix shows the state the clocks compute (the reports module sits below
  // clocks, so it gets a callback). App declares reports before clocks, so the engine is
  // destroyed first; nothing builds a matrix while App is being destroyed.
  reports::ComputedSource computed =
      [e = engine.get()](Instant now) -> Result<reports::ComputedClauses> {
    ACC_ASSIGN_OR_RETURN(auto snapshot, e->At(now));
    reports::ComputedClauses out;
    for (const clocks::Rule& rule : clocks::Rules()) {
      out.clauses.push_back(rule.clause);
    }
    for (const clocks::Obligation& o : snapshot->obligations) {
      if (o.customer_side) {
        continue;  // the Customer's own target is no part of the Provider's compliance
      }
      reports::ComputedObligation c;
      c.clause = o.clause;
      c.due = o.due;
      c.text = o.Text();
      c.met_late = o.state == clocks::State::kMetLate;
      c.state = !o.lapsed.empty() || o.state == clocks::State::kOverdue
                    ? reports::ComputedState::kNotMet
                : clocks::IsOpen(o.state) ? reports::ComputedState::kOpen
                                          : reports::ComputedState::kMet;
      out.obligations.push_back(std::move(c));
    }
    return out;
  };
  auto reports = std::make_unique<reports::Reports>(*store, *audit_log, *register_service, *regs,
                                                    *catalog, clock, std::move(computed));
  // Secrets the database holds (webhook URLs and HMAC secrets) are sealed under this key,
  // kept beside the audit key and never in the database (docs/AUTH.md, "Secrets at rest").
  ACC_ASSIGN_OR_RETURN(auto secrets, SecretBox::LoadOrCreate(options.db_path + ".secrets.key"));
  reminders::Options reminder_options;
  reminder_options.smtp_password = options.smtp_password;
  reminder_options.lock_path = options.db_path + ".reminders.lock";
  reminder_options.secrets = secrets.get();
  auto reminder_service = std::make_unique<reminders::Reminders>(
      *store, *audit_log, clock, *regs, *engine, std::move(reminder_options));
  ACC_RETURN_IF_ERROR(reminder_service->SealStoredSecrets());
  return std::make_unique<App>(
      App{clock, std::move(store), std::move(key), std::move(audit_log), std::move(accounts),
          std::move(regs), std::move(register_service), std::move(catalog), std::move(reports),
          std::move(engine), std::move(secrets), std::move(reminder_service)});
}

namespace internal {

std::string OsUser() {
  // getpwuid is not thread-safe; the CLI calls it on the main thread before serving.
  const passwd* pw = getpwuid(geteuid());  // NOLINT(concurrency-mt-unsafe)
  if (pw != nullptr && pw->pw_name != nullptr) {
    return pw->pw_name;
  }
  return "uid" + std::to_string(geteuid());
}

auth::Principal Operator() {
  return auth::CliOperator(OsUser());
}

Result<std::unique_ptr<App>> Open(const Clock& clock, const Args& args) {
  AppOptions options;
  options.db_path = args.db_path;
  options.create_if_missing = false;
  // Read on the main thread before any other starts (getenv is not thread-safe).
  const char* smtp_password =
      std::getenv("ACCREDIT_SMTP_PASSWORD");  // NOLINT(concurrency-mt-unsafe)
  if (smtp_password != nullptr) {
    options.smtp_password = smtp_password;
  }
  options.checkpoint_every = args.checkpoint_every;
  options.checkpoint_webhook_url = args.checkpoint_webhook;
  if (!options.checkpoint_webhook_url.empty()) {
    const char* secret =
        std::getenv("ACCREDIT_CHECKPOINT_WEBHOOK_SECRET");  // NOLINT(concurrency-mt-unsafe)
    if (secret != nullptr) {
      options.checkpoint_webhook_secret = secret;
    }
  }
  return OpenApp(clock, options);
}

Result<std::optional<std::string>> ReadPassword(const Args& args) {
  std::string line;
  if (!args.password_file.empty()) {
    std::ifstream in(args.password_file);
    if (!in) {
      return Err(ErrorCode::kNotFound, "cannot read the password file", "password-file");
    }
    std::getline(in, line);
  } else if (args.password_stdin) {
    std::getline(std::cin, line);
  } else {
    return std::optional<std::string>();
  }
  while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) {
    line.pop_back();
  }
  if (line.empty()) {
    return Err(ErrorCode::kInvalidArgument, "the password is empty", "password");
  }
  return std::optional<std::string>(std::move(line));
}

Result<std::string> GeneratePassword() {
  static constexpr std::string_view kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  std::string out;
  while (out.size() < 24) {
    unsigned char buf[64];
    if (RAND_bytes(buf, sizeof(buf)) != 1) {
      return Err(ErrorCode::kInternal, "cannot generate a random password");
    }
    for (unsigned char b : buf) {
      // Rejection sampling keeps every letter equally likely (248 = 4 * 62).
      if (b < 248 && out.size() < 24) {
        out.push_back(kAlphabet[b % kAlphabet.size()]);
      }
    }
  }
  return out;
}

Status WriteOutput(const std::string& path, std::string_view text, std::ostream& out) {
  if (path.empty() || path == "-") {
    out << text;
    return Status::Ok();
  }
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  if (!file) {
    return Err(ErrorCode::kUnavailable, "cannot write the output file", "out");
  }
  file << text;
  file.close();
  if (!file) {
    return Err(ErrorCode::kUnavailable, "cannot write the output file", "out");
  }
  return Status::Ok();
}

}  // namespace internal

namespace {

using internal::Args;

constexpr std::string_view kVersion = "0.1.0";

using Command = std::function<Result<int>()>;

void PrintError(const Error& e, std::ostream& err) {
  err << "accredit: error: ";
  if (!e.field.empty()) {
    err << e.field << ": ";
  }
  err << e.message << "\n";
}

int MainImpl(int argc, char** argv, std::ostream& out, std::ostream& err) {
  // Every file the product creates (database, keys, logs, documents, checkpoints) is
  // owner-only, whatever the caller's umask.
  ::umask(077);
  // Arguments are input like any other: UTF-8 or refused, before anything is opened.
  for (int i = 1; i < argc; ++i) {
    if (auto at = InvalidUtf8Offset(argv[i])) {
      PrintError(Err(ErrorCode::kInvalidArgument,
                     "is not UTF-8 text (invalid byte at offset " + std::to_string(*at) + ")",
                     "argument " + std::to_string(i)),
                 err);
      return ExitCodeFor(ErrorCode::kInvalidArgument);
    }
  }
  SystemClock clock;
  Args args;
  std::vector<std::pair<CLI::App*, Command>> commands;

  auto with_app = [&](Result<int> (*fn)(const Args&, App&, std::ostream&)) -> Command {
    return [&, fn]() -> Result<int> {
      ACC_ASSIGN_OR_RETURN(auto app, internal::Open(clock, args));
      return fn(args, *app, out);
    };
  };
  auto without_app = [&](Result<int> (*fn)(const Args&, const Clock&, std::ostream&)) -> Command {
    return [&, fn]() -> Result<int> {
      return fn(args, clock, out);
    };
  };

  CLI::App app{"accredit: the security-schedule compliance system (Schedule 2.4).", "accredit"};
  app.fallthrough();  // lets --db appear after the subcommand too
  app.require_subcommand(1);
  CLI::Option* db_opt = app.add_option("--db", args.db_path,
                                       "Database file (default: $ACCREDIT_DB, else ./accredit.db)");

  auto add_password_source = [&](CLI::App* sub, const std::string& what) {
    auto* file = sub->add_option("--password-file", args.password_file,
                                 "Read " + what + " from the first line of this file");
    auto* in = sub->add_flag("--password-stdin", args.password_stdin,
                             "Read " + what + " from the first line of standard input");
    file->excludes(in);
  };

  // init
  auto* init = app.add_subcommand("init", "Create a new database and its first admin user");
  init->add_option("--admin-user", args.admin_user, "Username of the first admin (default admin)");
  {
    auto* file = init->add_option("--admin-password-file", args.password_file,
                                  "Read the admin password from the first line of this file");
    auto* in = init->add_flag("--admin-password-stdin", args.password_stdin,
                              "Read the admin password from standard input");
    file->excludes(in);
  }
  commands.emplace_back(init, without_app(internal::RunInit));

  // serve
  auto* serve = app.add_subcommand("serve", "Run the web UI and REST API");
  serve->add_option("--host", args.host, "Address to bind (default 127.0.0.1)");
  serve->add_option("--port", args.port, "Port (default 8080; 0 picks a free port)");
  auto* cert = serve->add_option("--tls-cert", args.tls_cert, "TLS certificate chain (PEM)");
  auto* key = serve->add_option("--tls-key", args.tls_key, "TLS private key (PEM)");
  cert->needs(key);
  key->needs(cert);
  serve->add_option("--access-log", args.access_log,
                    "JSON-lines access log file (default stdout; \"none\" turns it off)");
  serve
      ->add_option("--reminder-interval", args.reminder_interval,
                   "Seconds between reminder passes (default 60; 0 turns the scheduler off)")
      ->check(CLI::Range(0, 86400));
  serve
      ->add_option("--checkpoint-every", args.checkpoint_every,
                   "Take a signed audit checkpoint every N records (default 1000; 0: never)")
      ->check(CLI::Range(0, 100000000));
  serve
      ->add_option("--checkpoint-minutes", args.checkpoint_minutes,
                   "Take a signed audit checkpoint every M minutes when the log has grown "
                   "(default 15; 0: never)")
      ->check(CLI::Range(0, 10080));
  serve->add_option("--checkpoint-webhook", args.checkpoint_webhook,
                    "POST every audit checkpoint to this URL as an external witness "
                    "(HMAC secret: $ACCREDIT_CHECKPOINT_WEBHOOK_SECRET)");
  serve->add_option("--threads", args.threads, "Worker threads (default 64)")
      ->check(CLI::Range(2, 4096));
  serve
      ->add_option("--max-connections-per-address", args.max_connections_per_address,
                   "Concurrent connections one client address may hold (default threads / 4; "
                   "behind a reverse proxy, every client has the proxy's address: raise it)")
      ->check(CLI::Range(0, 100000));
  commands.emplace_back(serve, without_app(internal::RunServe));

  // user
  auto* user = app.add_subcommand("user", "Manage user accounts");
  user->require_subcommand(1);
  auto* user_add = user->add_subcommand("add", "Create a user");
  user_add->add_option("username", args.username, "Login name ([a-z0-9._-], 2-64)")->required();
  user_add
      ->add_option("--role", args.role,
                   "admin | security_manager | engineer | vetting_officer | subcontractor | "
                   "customer_reviewer | auditor")
      ->required();
  user_add->add_option("--display-name", args.display_name, "Full name");
  user_add->add_option("--email", args.email, "E-mail address");
  user_add->add_option("--supplier-id", args.supplier_id,
                       "Supplier (party id) of a subcontractor user");
  add_password_source(user_add, "the password");
  commands.emplace_back(user_add, with_app(internal::RunUserAdd));
  auto* user_list = user->add_subcommand("list", "List users");
  user_list->add_flag("--json", args.json, "JSON output");
  commands.emplace_back(user_list, with_app(internal::RunUserList));
  auto* user_disable = user->add_subcommand("disable", "Disable a user (ends their sessions)");
  user_disable->add_option("username", args.username, "Login name")->required();
  user_disable->add_option("--reason", args.reason, "Why (recorded in the audit log)");
  commands.emplace_back(user_disable, with_app(internal::RunUserDisable));
  auto* user_enable = user->add_subcommand("enable", "Re-enable a disabled user");
  user_enable->add_option("username", args.username, "Login name")->required();
  commands.emplace_back(user_enable, with_app(internal::RunUserEnable));
  auto* user_role = user->add_subcommand(
      "set-role", "Change a user's role (ends their sessions, API tokens and calendar feed)");
  user_role->add_option("username", args.username, "Login name")->required();
  user_role
      ->add_option("--role", args.role,
                   "admin | security_manager | engineer | vetting_officer | subcontractor | "
                   "customer_reviewer | auditor")
      ->required();
  user_role->add_option("--supplier-id", args.supplier_id,
                        "Supplier (party id), for the subcontractor role");
  commands.emplace_back(user_role, with_app(internal::RunUserSetRole));
  auto* user_reset = user->add_subcommand("reset-password", "Set a new password for a user");
  user_reset->add_option("username", args.username, "Login name")->required();
  add_password_source(user_reset, "the new password");
  commands.emplace_back(user_reset, with_app(internal::RunUserResetPassword));

  // token
  auto* token = app.add_subcommand("token", "Manage REST API tokens");
  token->require_subcommand(1);
  auto* token_create = token->add_subcommand("create", "Create an API token (shown once)");
  token_create->add_option("--user", args.username, "The user the token acts as")->required();
  token_create->add_option("--name", args.token_name, "What the token is for")->required();
  token_create->add_option("--expires", args.expires, "Last day of validity (YYYY-MM-DD)");
  commands.emplace_back(token_create, with_app(internal::RunTokenCreate));
  auto* token_revoke = token->add_subcommand("revoke", "Revoke an API token");
  token_revoke->add_option("id", args.token_id, "Token id (from token list)")->required();
  commands.emplace_back(token_revoke, with_app(internal::RunTokenRevoke));
  auto* token_policy = token->add_subcommand(
      "policy", "Show or set the maximum lifetime of API tokens (default 90 days)");
  token_policy->add_option("--max-days", args.token_max_days, "Maximum lifetime, 1 to 366 days");
  token_policy->add_flag("--json", args.json, "JSON output");
  commands.emplace_back(token_policy, with_app(internal::RunTokenPolicy));
  auto* token_list = token->add_subcommand("list", "List API tokens (never their secrets)");
  token_list->add_option("--user", args.username, "Only this user's tokens");
  token_list->add_flag("--json", args.json, "JSON output");
  commands.emplace_back(token_list, with_app(internal::RunTokenList));

  // audit
  auto* audit_cmd = app.add_subcommand("audit", "Verify, checkpoint and export the audit log");
  audit_cmd->require_subcommand(1);
  auto* audit_verify = audit_cmd->add_subcommand("verify", "Check the audit log's hash chain");
  audit_verify->add_option("--checkpoint", args.checkpoint_file,
                           "Check against this exported checkpoint (default: the newest one in "
                           "the database or the checkpoint file)");
  commands.emplace_back(audit_verify, with_app(internal::RunAuditVerify));
  auto* audit_checkpoint =
      audit_cmd->add_subcommand("checkpoint",
                                "Take a signed checkpoint of the log's head: kept in the database "
                                "and the checkpoint file, and exported");
  audit_checkpoint->add_option("--out", args.out_file, "Write to this file (default stdout)");
  audit_checkpoint->add_option("--checkpoint-webhook", args.checkpoint_webhook,
                               "Also POST the checkpoint to this URL as an external witness "
                               "(HMAC secret: $ACCREDIT_CHECKPOINT_WEBHOOK_SECRET)");
  commands.emplace_back(audit_checkpoint, with_app(internal::RunAuditCheckpoint));
  auto* audit_export = audit_cmd->add_subcommand("export", "Export audit records");
  audit_export->add_option("--format", args.format, "csv (default) or json")
      ->check(CLI::IsMember({"csv", "json"}));
  audit_export->add_option("--out", args.out_file, "Write to this file (default stdout)");
  audit_export->add_option("--entity-type", args.entity_type, "Only this entity type");
  audit_export->add_option("--actor", args.actor, "Only this actor");
  audit_export->add_option("--from", args.from, "From this day (YYYY-MM-DD, Europe/London)");
  audit_export->add_option("--to", args.to, "Through this day (YYYY-MM-DD, Europe/London)");
  commands.emplace_back(audit_export, with_app(internal::RunAuditExport));

  // calendar
  auto* calendar = app.add_subcommand("calendar", "Working-day calendar (no database needed)");
  calendar->require_subcommand(1);
  auto* cal_holidays = calendar->add_subcommand("holidays", "List the bank holidays of a year");
  cal_holidays->add_option("year", args.year, "Year")->required();
  cal_holidays->add_option("--division", args.division,
                           "england-and-wales (default) | scotland | northern-ireland");
  cal_holidays->add_flag("--json", args.json, "JSON output");
  commands.emplace_back(cal_holidays, without_app(internal::RunCalendarHolidays));
  auto* cal_is = calendar->add_subcommand("is-working-day", "Print yes or no");
  cal_is->add_option("date", args.date, "YYYY-MM-DD")->required();
  cal_is->add_option("--division", args.division, "Calendar division");
  commands.emplace_back(cal_is, without_app(internal::RunCalendarIsWorkingDay));
  auto* cal_add = calendar->add_subcommand("add-working-days", "Print the N-th Working Day after");
  cal_add->add_option("date", args.date, "YYYY-MM-DD")->required();
  cal_add->add_option("n", args.n, "Number of Working Days (>= 0)")->required();
  cal_add->add_option("--division", args.division, "Calendar division");
  commands.emplace_back(cal_add, without_app(internal::RunCalendarAddWorkingDays));
  auto* cal_between =
      calendar->add_subcommand("working-days-between", "Print the Working Days in (A, B]");
  cal_between->add_option("a", args.date, "YYYY-MM-DD")->required();
  cal_between->add_option("b", args.date_b, "YYYY-MM-DD")->required();
  cal_between->add_option("--division", args.division, "Calendar division");
  commands.emplace_back(cal_between, without_app(internal::RunCalendarWorkingDaysBetween));
  auto* cal_import = calendar->add_subcommand(
      "import", "Store bank holidays from a GOV.UK bank-holidays.json file in the database");
  cal_import->add_option("file", args.file, "The JSON file")->required();
  commands.emplace_back(cal_import, with_app(internal::RunCalendarImport));

  // contract
  auto* contract = app.add_subcommand("contract", "Contract settings");
  contract->require_subcommand(1);
  auto* contract_show = contract->add_subcommand("show", "Show the contract settings");
  contract_show->add_flag("--json", args.json, "JSON output");
  commands.emplace_back(contract_show, with_app(internal::RunContractShow));
  auto* contract_set = contract->add_subcommand("set", "Change contract settings");
  contract_set->add_option("--title", args.title, "Contract title");
  contract_set->add_option("--reference", args.reference, "Contract reference");
  contract_set->add_option("--customer-name", args.customer_name, "The Customer");
  contract_set->add_option("--provider-name", args.provider_name, "The Provider");
  contract_set->add_option("--effective-date", args.effective_date,
                           "Effective Date (YYYY-MM-DD; empty clears)");
  contract_set->add_option("--osc-date", args.osc_date,
                           "Operational Service Commencement Date (YYYY-MM-DD; empty clears)");
  contract_set->add_option("--division", args.contract_division,
                           "Calendar division: england-and-wales | scotland | northern-ireland");
  contract_set->add_option("--add-closure-day", args.add_closure_days,
                           "Extra closure day DATE:TITLE (repeatable)");
  contract_set->add_flag("--clear-closure-days", args.clear_closure_days,
                         "Remove every closure day (before adding new ones)");
  contract_set->add_flag("--json", args.json, "JSON output");
  commands.emplace_back(contract_set, with_app(internal::RunContractSet));

  // supplier
  auto* supplier = app.add_subcommand("supplier", "Sub-contractors (suppliers)");
  supplier->require_subcommand(1);
  auto* supplier_list = supplier->add_subcommand("list", "List sub-contractors");
  supplier_list->add_flag("--all", args.all_parties, "Include the Customer and the Provider");
  supplier_list->add_flag("--json", args.json, "JSON output");
  commands.emplace_back(supplier_list, with_app(internal::RunSupplierList));
  auto* supplier_add = supplier->add_subcommand("add", "Add a sub-contractor");
  supplier_add->add_option("name", args.name, "Company name")->required();
  supplier_add->add_flag("--access-to-customer-data", args.access_to_customer_data,
                         "It has access to Customer Data (S2.4-6.2)");
  supplier_add->add_option("--services", args.services, "Services it provides");
  supplier_add->add_option("--email", args.email, "Contact e-mail");
  supplier_add->add_option("--company-number", args.company_number, "Companies House number");
  supplier_add->add_option("--address", args.address, "Registered address");
  supplier_add->add_flag("--json", args.json, "JSON output");
  commands.emplace_back(supplier_add, with_app(internal::RunSupplierAdd));

  // demo
  auto* demo = app.add_subcommand("demo", "Create a database with the demo contract and users");
  demo->add_option("--password", args.demo_password,
                   "Password of every demo user (default accredit-demo-2026)");
  commands.emplace_back(demo, without_app(internal::RunDemo));

  // version
  auto* version = app.add_subcommand("version", "Print the version");
  commands.emplace_back(version, [&]() -> Result<int> {
    out << "accredit " << kVersion << "\n";
    return 0;
  });

  // The registers of issue 3: one noun per RegisterDef, plus link, evidence upload and the
  // hidden `registers describe` (added last, so clashes with the nouns above are detected).
  // The documents of issue 3: rmd, matrix, soa (before the register nouns, see above).
  const auto document_args = internal::AddDocumentCommands(app, args, clock, out, commands);
  const auto clock_args = internal::AddClockCommands(app, args, clock, out, commands);
  const auto reminder_args = internal::AddReminderCommands(app, args, clock, out, commands);
  const auto register_args = internal::AddRegisterCommands(app, args, clock, out, commands);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e, out, err);
    return code == 0 ? 0 : 1;
  }

  args.db_explicit = db_opt->count() > 0;
  if (!args.db_explicit) {
    const char* env = std::getenv("ACCREDIT_DB");  // NOLINT(concurrency-mt-unsafe): startup
    args.db_path = (env != nullptr && *env != '\0') ? env : "accredit.db";
  }

  for (auto& [sub, run] : commands) {
    if (sub->parsed()) {
      Result<int> result = run();
      out.flush();
      if (!result) {
        PrintError(result.error(), err);
        return ExitCodeFor(result.error().code);
      }
      return *result;
    }
  }
  // require_subcommand makes this unreachable for valid input; a noun without a verb lands here.
  err << app.help();
  return 1;
}

}  // namespace

int Main(int argc, char** argv) {
  // The CLI dispatcher is one of the two catch-all boundaries (STYLE rule 9).
  try {
    return MainImpl(argc, argv, std::cout, std::cerr);
  } catch (const std::exception&) {
    std::cout.flush();
    std::cerr << "accredit: error: internal error\n";
    return ExitCodeFor(ErrorCode::kInternal);
  } catch (...) {
    std::cout.flush();
    std::cerr << "accredit: error: internal error\n";
    return ExitCodeFor(ErrorCode::kInternal);
  }
}

}  // namespace accredit::cli
