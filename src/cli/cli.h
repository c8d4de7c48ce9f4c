#pragma once

// cli: the single binary's command line (`accredit <noun> <verb>`) and the composition root
// that wires store, audit, auth, registers and http together (STYLE rule 15).

#include <cstdint>
#include <memory>
#include <string>

#include "audit/audit.h"
#include "auth/auth.h"
#include "catalog/catalog.h"
#include "clocks/clocks.h"
#include "core/core.h"
#include "registers/registers.h"
#include "reminders/reminders.h"
#include "reports/reports.h"
#include "store/store.h"

namespace accredit::cli {

// Everything a command needs, opened over one database. Destroyed in reverse order.
struct App {
  const Clock& clock;
  std::unique_ptr<store::Store> store;
  std::unique_ptr<audit::CheckpointKey> checkpoint_key;  // "<db>.audit-key.pem" beside the db
  // Takes a checkpoint every AppOptions::checkpoint_every records; each checkpoint is kept in
  // audit_checkpoints and in "<db>.audit-checkpoints.jsonl" beside the key.
  std::unique_ptr<audit::AuditLog> audit;
  std::unique_ptr<auth::Accounts> accounts;
  std::unique_ptr<registers::Registers> registers;
  std::unique_ptr<registers::RegisterService> register_service;  // evidence: "<db>.evidence"
  std::shared_ptr<const catalog::Catalog> catalog;  // shared with the register catalogue lookup
  std::unique_ptr<reports::Reports> reports;
  std::unique_ptr<clocks::Engine> clocks;           // obligations and the processing gate (issue 4)
  std::unique_ptr<SecretBox> secrets;               // "<db>.secrets.key": seals stored secrets
  std::unique_ptr<reminders::Reminders> reminders;  // e-mail/webhook reminders (issue 4)
};

struct AppOptions {
  std::string db_path;
  bool create_if_missing = false;
  auth::AccountsOptions accounts;
  // The SMTP password of the reminders when their settings name no password file (the CLI
  // passes $ACCREDIT_SMTP_PASSWORD, read at start-up).
  std::string smtp_password;
  // Automatic audit checkpoints: one every this many records (0: off; docs/AUDIT.md).
  std::int64_t checkpoint_every = 1000;
  // External witness of every checkpoint: a webhook POST (empty: none), signed with the secret
  // (the CLI passes $ACCREDIT_CHECKPOINT_WEBHOOK_SECRET, read at start-up).
  std::string checkpoint_webhook_url;
  std::string checkpoint_webhook_secret;
};

// Opens the database (creating it when allowed), applies every module's migrations and loads
// the checkpoint key. Errors: kNotFound when the database is missing and creation not allowed.
Result<std::unique_ptr<App>> OpenApp(const Clock& clock, const AppOptions& options);

// Loads the demo contract (Highways England as Customer, a supplier, sub-contractors, dates,
// one user of every role with the given password). Idempotent: refuses (kAlreadyExists) when a
// demo is already loaded.
Status LoadDemo(App& app, std::string_view password);

// The whole command line. Returns the process exit code (docs/CLI.md); only this prints errors.
int Main(int argc, char** argv);

}  // namespace accredit::cli
