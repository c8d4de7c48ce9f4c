// Runs accredit::cli::Main in-process with argv arrays, capturing stdout/stderr through
// temporary files (dup2), over real SQLite databases in a TempDir.

#include "cli/cli.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli/cli_runner.h"
#include "testing/testing.h"

namespace accredit::cli {
namespace {

class CliTest : public ::testing::Test {
 protected:
  CliRun Run(std::vector<std::string> args) { return RunCli(std::move(args), dir_); }

  // Runs a shell command (the sqlite3 CLI); returns its exit status.
  static int Shell(const std::string& command) { return std::system(command.c_str()); }

  std::string Db() const { return dir_.File("acc.db"); }

  std::string PasswordFile(const std::string& password) {
    const std::string path = dir_.File("pw.txt");
    std::ofstream(path) << password << "\n";
    return path;
  }

  void InitDb() {
    const CliRun init =
        Run({"--db", Db(), "init", "--admin-password-file", PasswordFile("correct-horse-battery")});
    ASSERT_EQ(init.code, 0) << init.err;
  }

  static std::vector<std::string> Lines(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
      lines.push_back(line);
    }
    return lines;
  }

  testing::TempDir dir_;
};

TEST_F(CliTest, CalendarCommandsNeedNoDatabase) {
  const auto cwd = std::filesystem::current_path();
  std::filesystem::current_path(dir_.Path());
  const CliRun add = Run({"calendar", "add-working-days", "2026-12-24", "1"});
  const CliRun holidays = Run({"calendar", "holidays", "2026"});
  const CliRun is_working = Run({"calendar", "is-working-day", "2026-12-25"});
  const CliRun is_working_yes = Run({"calendar", "is-working-day", "2026-12-29"});
  const CliRun between = Run({"calendar", "working-days-between", "2026-12-24", "2026-12-29"});
  const CliRun scotland = Run({"calendar", "holidays", "2026", "--division", "scotland"});
  std::filesystem::current_path(cwd);

  EXPECT_EQ(add.code, 0) << add.err;
  EXPECT_EQ(add.out, "2026-12-29\n");
  EXPECT_EQ(holidays.code, 0) << holidays.err;
  const auto lines = Lines(holidays.out);
  ASSERT_EQ(lines.size(), 8u) << holidays.out;
  EXPECT_EQ(lines.front().substr(0, 11), "2026-01-01\t");
  EXPECT_EQ(lines.back(), "2026-12-28\tBoxing Day");
  EXPECT_EQ(is_working.out, "no\n");
  EXPECT_EQ(is_working.code, 0);
  EXPECT_EQ(is_working_yes.out, "yes\n");
  EXPECT_EQ(between.out, "1\n");
  EXPECT_EQ(scotland.code, 0);
  EXPECT_GT(Lines(scotland.out).size(), 8u);
  EXPECT_FALSE(std::filesystem::exists(dir_.File("accredit.db")));
}

TEST_F(CliTest, BadInputGetsExitCodesAndFieldNames) {
  const CliRun bad_date = Run({"calendar", "is-working-day", "2026-02-30"});
  EXPECT_EQ(bad_date.code, 2);
  EXPECT_EQ(bad_date.err.rfind("accredit: error: date: ", 0), 0u) << bad_date.err;
  EXPECT_EQ(bad_date.out, "");

  const CliRun negative = Run({"calendar", "add-working-days", "2026-12-24", "-3"});
  EXPECT_NE(negative.code, 0);

  const CliRun usage = Run({"calendar", "frobnicate"});
  EXPECT_EQ(usage.code, 1);
  const CliRun no_noun = Run({});
  EXPECT_EQ(no_noun.code, 1);
  const CliRun help = Run({"user", "add", "--help"});
  EXPECT_EQ(help.code, 0);
  EXPECT_NE(help.out.find("--role"), std::string::npos);

  const CliRun missing = Run({"--db", Db(), "user", "list"});
  EXPECT_EQ(missing.code, 3);
  EXPECT_NE(missing.err.find("accredit init"), std::string::npos) << missing.err;
  EXPECT_FALSE(std::filesystem::exists(Db()));
}

TEST_F(CliTest, InitAddAndListUsers) {
  const CliRun init =
      Run({"--db", Db(), "init", "--admin-password-file", PasswordFile("correct-horse-battery")});
  ASSERT_EQ(init.code, 0) << init.err;
  EXPECT_NE(init.out.find("Database: " + std::filesystem::absolute(Db()).string()),
            std::string::npos)
      << init.out;
  EXPECT_NE(init.out.find("admin"), std::string::npos);

  const CliRun again = Run({"--db", Db(), "init"});
  EXPECT_EQ(again.code, 4) << again.err;

  const CliRun add =
      Run({"--db", Db(), "user", "add", "bob", "--role", "engineer", "--display-name",
           "Bob Builder", "--password-file", PasswordFile("another-long-password")});
  ASSERT_EQ(add.code, 0) << add.err;
  const CliRun bad_role = Run({"user", "add", "carol", "--role", "wizard", "--db", Db(),
                               "--password-file", PasswordFile("another-long-password")});
  EXPECT_EQ(bad_role.code, 2) << bad_role.err;

  const CliRun list = Run({"user", "list", "--json", "--db", Db()});
  ASSERT_EQ(list.code, 0) << list.err;
  auto users = nlohmann::json::parse(list.out, nullptr, false);
  ASSERT_TRUE(users.is_array()) << list.out;
  ASSERT_EQ(users.size(), 2u);
  EXPECT_EQ(users[0]["username"], "admin");
  EXPECT_EQ(users[0]["role"], "admin");
  EXPECT_EQ(users[1]["username"], "bob");
  EXPECT_EQ(users[1]["role"], "engineer");
  EXPECT_EQ(list.out.find("password"), std::string::npos);

  const CliRun disable = Run({"--db", Db(), "user", "disable", "bob", "--reason", "left"});
  EXPECT_EQ(disable.code, 0) << disable.err;
  const CliRun list2 = Run({"--db", Db(), "user", "list", "--json"});
  auto users2 = nlohmann::json::parse(list2.out, nullptr, false);
  ASSERT_TRUE(users2.is_array());
  EXPECT_EQ(users2[1]["disabled"], true);
  const CliRun unknown = Run({"--db", Db(), "user", "disable", "nobody"});
  EXPECT_EQ(unknown.code, 3);
}

TEST_F(CliTest, TokenCreateListRevoke) {
  InitDb();
  // Every token has the administrator's maximum lifetime (default 90 days): a later expiry is
  // refused naming the field, and no expiry means the maximum.
  const CliRun too_long = Run({"--db", Db(), "token", "create", "--user", "admin", "--name", "ci",
                               "--expires", "2099-12-31"});
  EXPECT_EQ(too_long.code, 2);
  EXPECT_NE(too_long.err.find("expires_at: must be at most 90 days from now"), std::string::npos)
      << too_long.err;
  const CliRun policy = Run({"--db", Db(), "token", "policy", "--max-days", "30", "--json"});
  ASSERT_EQ(policy.code, 0) << policy.err;
  EXPECT_EQ(nlohmann::json::parse(policy.out, nullptr, false)["token_max_days"], 30);
  EXPECT_EQ(Run({"--db", Db(), "token", "policy", "--max-days", "400"}).code, 2);
  const CliRun create = Run({"--db", Db(), "token", "create", "--user", "admin", "--name", "ci"});
  ASSERT_EQ(create.code, 0) << create.err;
  const std::string secret = Lines(create.out).at(0);
  EXPECT_GE(secret.size(), 20u);
  const CliRun list = Run({"--db", Db(), "token", "list", "--user", "admin", "--json"});
  ASSERT_EQ(list.code, 0) << list.err;
  EXPECT_EQ(list.out.find(secret), std::string::npos);  // never shown again
  auto tokens = nlohmann::json::parse(list.out, nullptr, false);
  ASSERT_TRUE(tokens.is_array()) << list.out;
  ASSERT_EQ(tokens.size(), 1u);
  EXPECT_TRUE(tokens[0]["expires_at"].is_string()) << list.out;
  const CliRun revoke =
      Run({"--db", Db(), "token", "revoke", std::to_string(tokens[0]["id"].get<std::int64_t>())});
  EXPECT_EQ(revoke.code, 0) << revoke.err;
}

TEST_F(CliTest, SetRoleAndArgumentsThatAreNotUtf8) {
  InitDb();
  ASSERT_EQ(Run({"--db", Db(), "user", "add", "dora", "--role", "engineer", "--password-file",
                 PasswordFile("another-long-password")})
                .code,
            0);
  const CliRun role = Run({"--db", Db(), "user", "set-role", "dora", "--role", "auditor"});
  ASSERT_EQ(role.code, 0) << role.err;
  const CliRun list = Run({"--db", Db(), "user", "list", "--json"});
  EXPECT_NE(list.out.find("\"auditor\""), std::string::npos) << list.out;
  EXPECT_EQ(Run({"--db", Db(), "user", "set-role", "dora", "--role", "subcontractor"}).code, 2);
  // An argument that is not UTF-8 is refused by position and byte offset, before anything runs.
  const CliRun bad = Run({"--db", Db(), "user", "disable", "dora", "--reason", "left\xff"});
  EXPECT_EQ(bad.code, 2);
  EXPECT_NE(bad.err.find("argument 7: is not UTF-8 text (invalid byte at offset 4)"),
            std::string::npos)
      << bad.err;
}

TEST_F(CliTest, AuditVerifyCatchesATamperedRow) {
  InitDb();
  for (const char* name : {"alice", "brian", "chloe"}) {
    ASSERT_EQ(Run({"--db", Db(), "user", "add", name, "--role", "auditor", "--password-file",
                   PasswordFile("another-long-password")})
                  .code,
              0);
  }
  const CliRun ok = Run({"--db", Db(), "audit", "verify"});
  ASSERT_EQ(ok.code, 0) << ok.err;
  EXPECT_EQ(ok.out.rfind("audit log OK: ", 0), 0u) << ok.out;

  ASSERT_EQ(Shell("sqlite3 '" + Db() + "' \"UPDATE audit_log SET after_json='{}' WHERE seq=3\""),
            0);
  const CliRun bad = Run({"--db", Db(), "audit", "verify"});
  EXPECT_EQ(bad.code, 9) << bad.out << bad.err;
  EXPECT_NE(bad.err.find("record 3"), std::string::npos) << bad.err;
}

TEST_F(CliTest, AuditCheckpointCatchesTruncation) {
  InitDb();
  for (const char* name : {"alice", "brian", "chloe", "dylan"}) {
    ASSERT_EQ(Run({"--db", Db(), "user", "add", name, "--role", "auditor", "--password-file",
                   PasswordFile("another-long-password")})
                  .code,
              0);
  }
  const std::string cp = dir_.File("cp.json");
  const CliRun checkpoint = Run({"--db", Db(), "audit", "checkpoint", "--out", cp});
  ASSERT_EQ(checkpoint.code, 0) << checkpoint.err;
  auto parsed = nlohmann::json::parse(testing::ReadFile(cp), nullptr, false);
  ASSERT_TRUE(parsed.is_object());

  const CliRun still_ok = Run({"--db", Db(), "audit", "verify", "--checkpoint", cp});
  ASSERT_EQ(still_ok.code, 0) << still_ok.err;

  ASSERT_EQ(Shell("sqlite3 '" + Db() +
                  "' \"DELETE FROM audit_log WHERE seq >= (SELECT MAX(seq) - 1 FROM audit_log)\""),
            0);
  const CliRun bad = Run({"--db", Db(), "audit", "verify", "--checkpoint", cp});
  EXPECT_EQ(bad.code, 9);
  EXPECT_NE(bad.err.find("truncated"), std::string::npos) << bad.err;
  // `audit checkpoint` also kept the checkpoint, so plain verify catches it too.
  const CliRun plain = Run({"--db", Db(), "audit", "verify"});
  EXPECT_EQ(plain.code, 9) << plain.out;
  EXPECT_NE(plain.err.find("truncated"), std::string::npos) << plain.err;
}

TEST_F(CliTest, AuditCheckpointFillsTheTableAndTheFile) {
  InitDb();
  const std::string file = Db() + ".audit-checkpoints.jsonl";
  EXPECT_FALSE(std::filesystem::exists(file));
  const CliRun first = Run({"--db", Db(), "audit", "checkpoint"});
  ASSERT_EQ(first.code, 0) << first.err;
  auto exported = nlohmann::json::parse(first.out, nullptr, false);
  ASSERT_TRUE(exported.is_object()) << first.out;

  ASSERT_EQ(Shell("sqlite3 '" + Db() + "' 'SELECT size FROM audit_checkpoints' > '" +
                  dir_.File("sizes.txt") + "'"),
            0);
  const auto rows = Lines(testing::ReadFile(dir_.File("sizes.txt")));
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0], std::to_string(exported["size"].get<std::int64_t>()));

  const auto lines = Lines(testing::ReadFile(file));
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(nlohmann::json::parse(lines[0], nullptr, false), exported);
  EXPECT_EQ(std::filesystem::status(file).permissions() & std::filesystem::perms::all,
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);

  // A second one is appended, not overwritten.
  ASSERT_EQ(Run({"--db", Db(), "user", "add", "alice", "--role", "auditor", "--password-file",
                 PasswordFile("another-long-password")})
                .code,
            0);
  ASSERT_EQ(Run({"--db", Db(), "audit", "checkpoint", "--out", dir_.File("cp.json")}).code, 0);
  EXPECT_EQ(Lines(testing::ReadFile(file)).size(), 2u);
}

TEST_F(CliTest, PlainAuditVerifyUsesTheNewestCheckpointFromTheTableThenTheFile) {
  InitDb();
  const CliRun none = Run({"--db", Db(), "audit", "verify"});
  ASSERT_EQ(none.code, 0) << none.err;
  EXPECT_NE(none.out.find("no checkpoint found"), std::string::npos) << none.out;

  for (const char* name : {"alice", "brian", "chloe", "dylan", "emily", "frank"}) {
    ASSERT_EQ(Run({"--db", Db(), "user", "add", name, "--role", "auditor", "--password-file",
                   PasswordFile("another-long-password")})
                  .code,
              0);
  }
  ASSERT_EQ(Run({"--db", Db(), "audit", "checkpoint", "--out", dir_.File("cp.json")}).code, 0);
  const CliRun ok = Run({"--db", Db(), "audit", "verify"});
  ASSERT_EQ(ok.code, 0) << ok.err;
  EXPECT_NE(ok.out.find("(database)"), std::string::npos) << ok.out;

  // Delete the last 5 records.
  ASSERT_EQ(Shell("sqlite3 '" + Db() +
                  "' \"DELETE FROM audit_log WHERE seq > (SELECT MAX(seq) - 5 FROM audit_log)\""),
            0);
  const CliRun bad = Run({"--db", Db(), "audit", "verify"});
  EXPECT_EQ(bad.code, 9) << bad.out;
  EXPECT_NE(bad.err.find("FAILED against the checkpoint of "), std::string::npos) << bad.err;
  EXPECT_NE(bad.err.find("(database): log truncated"), std::string::npos) << bad.err;

  // ... and the database copies of the checkpoints: the file copy still catches it.
  ASSERT_EQ(Shell("sqlite3 '" + Db() + "' 'DELETE FROM audit_checkpoints'"), 0);
  const CliRun still_bad = Run({"--db", Db(), "audit", "verify"});
  EXPECT_EQ(still_bad.code, 9) << still_bad.out;
  EXPECT_NE(still_bad.err.find("(file): log truncated"), std::string::npos) << still_bad.err;

  // A malformed line in the file is reported with its number and skipped.
  std::ofstream(Db() + ".audit-checkpoints.jsonl", std::ios::app) << "garbage\n";
  const CliRun noted = Run({"--db", Db(), "audit", "verify"});
  EXPECT_EQ(noted.code, 9);
  EXPECT_NE(noted.out.find("note: checkpoint file line 2 skipped"), std::string::npos) << noted.out;
  EXPECT_NE(noted.err.find("(file): log truncated"), std::string::npos) << noted.err;
}

TEST_F(CliTest, AuditExportCsvAndJson) {
  InitDb();
  const CliRun csv = Run({"--db", Db(), "audit", "export", "--format", "csv"});
  ASSERT_EQ(csv.code, 0) << csv.err;
  EXPECT_NE(csv.out.find("user.create"), std::string::npos) << csv.out;
  const std::string out = dir_.File("audit.json");
  const CliRun json = Run({"--db", Db(), "audit", "export", "--format", "json", "--out", out,
                           "--entity-type", "user", "--from", "2000-01-01"});
  ASSERT_EQ(json.code, 0) << json.err;
  auto arr = nlohmann::json::parse(testing::ReadFile(out), nullptr, false);
  ASSERT_TRUE(arr.is_array());
  EXPECT_EQ(arr.size(), 1u);
  const CliRun none =
      Run({"--db", Db(), "audit", "export", "--format", "json", "--to", "2000-01-01"});
  auto empty = nlohmann::json::parse(none.out, nullptr, false);
  ASSERT_TRUE(empty.is_array()) << none.out;
  EXPECT_TRUE(empty.empty());
  EXPECT_EQ(Run({"--db", Db(), "audit", "export", "--format", "xml"}).code, 1);
}

TEST_F(CliTest, DemoLoadsSevenUsersOfSevenRoles) {
  const CliRun demo = Run({"--db", Db(), "demo"});
  ASSERT_EQ(demo.code, 0) << demo.err;
  const CliRun list = Run({"--db", Db(), "user", "list", "--json"});
  ASSERT_EQ(list.code, 0) << list.err;
  auto users = nlohmann::json::parse(list.out, nullptr, false);
  ASSERT_TRUE(users.is_array()) << list.out;
  EXPECT_EQ(users.size(), 7u);
  std::set<std::string> roles;
  for (const auto& u : users) {
    roles.insert(u["role"].get<std::string>());
    if (u["role"] == "subcontractor") {
      EXPECT_TRUE(u["supplier_id"].is_number());
    }
  }
  EXPECT_EQ(roles.size(), 7u);

  const CliRun contract = Run({"--db", Db(), "contract", "show", "--json"});
  ASSERT_EQ(contract.code, 0) << contract.err;
  auto c = nlohmann::json::parse(contract.out, nullptr, false);
  ASSERT_TRUE(c.is_object()) << contract.out;
  EXPECT_EQ(c["customer_name"], "Highways England");
  EXPECT_EQ(c["effective_date"], "2026-04-01");
  EXPECT_EQ(c["operational_service_commencement_date"], "2026-10-01");

  const CliRun suppliers = Run({"--db", Db(), "supplier", "list", "--json"});
  auto s = nlohmann::json::parse(suppliers.out, nullptr, false);
  ASSERT_TRUE(s.is_array());
  EXPECT_GE(s.size(), 3u);

  EXPECT_EQ(Run({"--db", Db(), "demo"}).code, 4);
  EXPECT_EQ(Run({"--db", Db(), "audit", "verify"}).code, 0);
}

TEST_F(CliTest, ContractSetRejectsABadDateAndWritesNothing) {
  InitDb();
  const CliRun before = Run({"--db", Db(), "audit", "export", "--format", "json"});
  const CliRun bad = Run({"--db", Db(), "contract", "set", "--title", "Should not stick",
                          "--effective-date", "2026-02-30"});
  EXPECT_EQ(bad.code, 2);
  EXPECT_NE(bad.err.find("effective_date"), std::string::npos) << bad.err;
  const CliRun after = Run({"--db", Db(), "audit", "export", "--format", "json"});
  EXPECT_EQ(before.out, after.out);
  const CliRun show = Run({"--db", Db(), "contract", "show", "--json"});
  auto c = nlohmann::json::parse(show.out, nullptr, false);
  ASSERT_TRUE(c.is_object()) << show.out;
  EXPECT_EQ(c["title"], "");

  const CliRun osc = Run({"--db", Db(), "contract", "set", "--effective-date", "2026-04-01",
                          "--osc-date", "2026-03-01"});
  EXPECT_EQ(osc.code, 2);
  EXPECT_NE(osc.err.find("operational_service_commencement_date"), std::string::npos);

  const CliRun good = Run({"--db", Db(), "contract", "set", "--title", "Roads", "--effective-date",
                           "2026-04-01", "--add-closure-day", "2026-12-31:Office closed"});
  ASSERT_EQ(good.code, 0) << good.err;
  // With an explicit --db the calendar commands use the contract's closure days.
  const CliRun closed = Run({"--db", Db(), "calendar", "is-working-day", "2026-12-31"});
  EXPECT_EQ(closed.out, "no\n");
  const CliRun rules = Run({"calendar", "is-working-day", "2026-12-31"});
  EXPECT_EQ(rules.out, "yes\n");
}

TEST_F(CliTest, CalendarImportStoresHolidays) {
  InitDb();
  const std::string file = dir_.File("bank-holidays.json");
  std::ofstream(file) << R"({"england-and-wales": {"division": "england-and-wales", "events": [
    {"title": "Extra bank holiday", "date": "2031-06-02", "notes": "", "bunting": true}]}})";
  const CliRun import = Run({"--db", Db(), "calendar", "import", file});
  ASSERT_EQ(import.code, 0) << import.err;
  const CliRun holidays = Run({"--db", Db(), "calendar", "holidays", "2031"});
  EXPECT_EQ(holidays.out, "2031-06-02\tExtra bank holiday\n");
  std::ofstream(file) << "{not json";
  EXPECT_EQ(Run({"--db", Db(), "calendar", "import", file}).code, 2);
}

TEST_F(CliTest, SupplierAddAndVersion) {
  InitDb();
  const CliRun add =
      Run({"--db", Db(), "supplier", "add", "Acme Hosting Ltd", "--access-to-customer-data",
           "--services", "hosting", "--email", "ops@acme.example"});
  ASSERT_EQ(add.code, 0) << add.err;
  const CliRun dup = Run({"--db", Db(), "supplier", "add", "Acme Hosting Ltd"});
  EXPECT_EQ(dup.code, 4);
  EXPECT_NE(dup.err.find("accredit: error: name: "), std::string::npos) << dup.err;
  const CliRun list = Run({"--db", Db(), "supplier", "list"});
  EXPECT_NE(list.out.find("Acme Hosting Ltd"), std::string::npos);
  const CliRun version = Run({"version"});
  EXPECT_EQ(version.code, 0);
  EXPECT_EQ(version.out.rfind("accredit ", 0), 0u);
}

}  // namespace
}  // namespace accredit::cli
