// The registers of issue 4 from the command line: `accredit <noun> add --from-json -` reads the
// record from stdin (issue 4, point 8), errors name the field, the accreditation workflow is
// append-only and the CLI operator (admin) cannot forge the Customer's decisions; the demo holds
// a year of clock records. Real SQLite databases in a TempDir; the system clock (the records are
// dated before 30 Nov 2026).

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli/cli.h"
#include "cli/cli_runner.h"
#include "testing/testing.h"

namespace accredit::cli {
namespace {

using Json = nlohmann::json;

// Makes `path` the process's standard input for the lifetime of the object.
class StdinFrom {
 public:
  explicit StdinFrom(const std::string& path) : saved_(dup(STDIN_FILENO)) {
    const int file = open(path.c_str(), O_RDONLY);
    dup2(file, STDIN_FILENO);
    close(file);
    clearerr(stdin);  // a previous run left stdin (and std::cin, synced with it) at end of file
    std::cin.clear();
  }

  ~StdinFrom() {
    dup2(saved_, STDIN_FILENO);
    close(saved_);
    clearerr(stdin);
    std::cin.clear();
  }

  StdinFrom(const StdinFrom&) = delete;
  StdinFrom& operator=(const StdinFrom&) = delete;

 private:
  int saved_;
};

class ClockRegistersCliTest : public ::testing::Test {
 protected:
  CliRun Run(std::vector<std::string> args) {
    args.insert(args.begin(), {"--db", Db()});
    return RunCli(std::move(args), dir_);
  }

  // Runs the command with `input` on stdin.
  CliRun RunWithStdin(std::vector<std::string> args, const std::string& input) {
    const std::string path = WriteFile("stdin.txt", input);
    StdinFrom in(path);
    return Run(std::move(args));
  }

  Json List(const std::string& noun, std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {noun, "list", "--json", "--limit", "500"};
    args.insert(args.end(), extra.begin(), extra.end());
    const CliRun run = Run(args);
    EXPECT_EQ(run.code, 0) << noun << ": " << run.err;
    Json j = Json::parse(run.out, nullptr, false);
    EXPECT_TRUE(j.is_array()) << run.out;
    return j.is_array() ? j : Json::array();
  }

  std::string Db() const { return dir_.File("acc.db"); }

  std::string WriteFile(const std::string& name, const std::string& text) {
    const std::string path = dir_.File(name);
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }

  void InitDb() {
    const std::string pw = WriteFile("pw.txt", "correct-horse-battery\n");
    const CliRun init = Run({"init", "--admin-password-file", pw});
    ASSERT_EQ(init.code, 0) << init.err;
  }

  testing::TempDir dir_;
};

TEST_F(ClockRegistersCliTest, NotifiableEventAddFromJsonOnStdin) {
  InitDb();
  const CliRun add = RunWithStdin({"notifiable_event", "add", "--from-json", "-", "--json"},
                                  R"({"kind": "architecture_change",
                                      "description": "Second ingest gateway cluster",
                                      "became_aware_at": "2026-11-03 10:00",
                                      "customer_notified_at": "2026-11-04T09:30:00Z",
                                      "notified_to": "Martin Ashworth"})");
  ASSERT_EQ(add.code, 0) << add.err;
  const Json created = Json::parse(add.out, nullptr, false);
  ASSERT_TRUE(created.is_object()) << add.out;
  EXPECT_EQ(created["became_aware_at"], "2026-11-03T10:00:00.000Z");  // GMT in November
  EXPECT_EQ(created["customer_notified_at"], "2026-11-04T09:30:00.000Z");
  const Json events = List("notifiable_event");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0]["notified_to"], "Martin Ashworth");

  // A bad value names the field and writes nothing.
  const CliRun bad = RunWithStdin({"notifiable_event", "add", "--from-json", "-"},
                                  R"({"kind": "architecture_change", "description": "x",
                                      "became_aware_at": "the third of November"})");
  EXPECT_EQ(bad.code, 2);
  EXPECT_EQ(bad.err.rfind("accredit: error: became_aware_at: not an instant: ", 0), 0u) << bad.err;
  const CliRun order = RunWithStdin({"notifiable_event", "add", "--from-json", "-"},
                                    R"({"kind": "site_change_proposal", "description": "x",
                                        "became_aware_at": "2026-11-03 10:00",
                                        "rcr_provided_at": "2026-11-05 10:00"})");
  EXPECT_EQ(order.code, 2);
  EXPECT_EQ(order.err.rfind("accredit: error: rcr_provided_at: requires customer_notified_at", 0),
            0u)
      << order.err;
  const CliRun not_json =
      RunWithStdin({"notifiable_event", "add", "--from-json", "-"}, "{\"kind\": ");
  EXPECT_EQ(not_json.code, 2);
  EXPECT_NE(not_json.err.find("from-json"), std::string::npos) << not_json.err;
  EXPECT_EQ(List("notifiable_event").size(), 1u);

  // Every other register of the issue is created the same way.
  const CliRun deliverable =
      RunWithStdin({"deliverable", "add", "--from-json", "-"},
                   R"({"kind": "ithc", "title": "CHECK ITHC", "performed_on": "2026-05-12"})");
  EXPECT_EQ(deliverable.code, 0) << deliverable.err;
  const CliRun waiver = RunWithStdin(
      {"waiver", "add", "--from-json", "-"},
      R"({"obligation_key": "S2.4-5.13.1/notifiable_events/1", "reason": "Not significant",
          "agreed_with": "Martin Ashworth", "agreed_date": "2026-11-05"})");
  EXPECT_EQ(waiver.code, 0) << waiver.err;
}

TEST_F(ClockRegistersCliTest, TheOperatorSubmitsButCannotDecide) {
  InitDb();
  // No RMD version has been issued yet.
  const CliRun unissued =
      RunWithStdin({"accreditation_event", "add", "--from-json", "-"},
                   R"({"kind": "submission", "at": "2026-11-02 10:00", "rmd_version": 1})");
  EXPECT_EQ(unissued.code, 2);
  EXPECT_EQ(
      unissued.err.rfind("accredit: error: rmd_version: RMD version 1 has not been issued", 0), 0u)
      << unissued.err;
  ASSERT_EQ(Run({"rmd", "issue", "--note", "For decision"}).code, 0);
  const CliRun submitted =
      RunWithStdin({"accreditation_event", "add", "--from-json", "-"},
                   R"({"kind": "submission", "at": "2026-11-02 10:00", "rmd_version": 1})");
  ASSERT_EQ(submitted.code, 0) << submitted.err;
  const CliRun approval =
      Run({"accreditation_event", "add", "--set", "kind=approval", "--set", "at=2026-11-10 10:00"});
  EXPECT_EQ(approval.code, 6);
  EXPECT_NE(approval.err.find("may not accreditation.decide"), std::string::npos) << approval.err;
  const CliRun edit = Run({"accreditation_event", "edit", "1", "--set", "notes=x"});
  EXPECT_EQ(edit.code, 5);
  EXPECT_NE(edit.err.find("cannot be changed or deleted"), std::string::npos) << edit.err;
  EXPECT_EQ(Run({"accreditation_event", "delete", "1"}).code, 5);
  const Json events = List("accreditation_event");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0]["state_after"], "awaiting_decision");
}

TEST_F(ClockRegistersCliTest, DemoHoldsAYearOfClockRecords) {
  const CliRun demo = Run({"demo"});
  ASSERT_EQ(demo.code, 0) << demo.err;

  const Json events = List("accreditation_event", {"--sort", "at"});
  std::vector<std::string> kinds;
  for (const auto& e : events) {
    kinds.push_back(e["kind"].get<std::string>());
  }
  EXPECT_EQ(kinds,
            (std::vector<std::string>{"submission", "non_approval", "submission", "approval"}));
  ASSERT_EQ(events.size(), 4u);
  EXPECT_EQ(events[0]["at"], "2026-06-01T09:00:00.000Z");  // 10:00 BST
  EXPECT_EQ(events[0]["rmd_version"], 1);
  EXPECT_EQ(events[2]["rmd_version"], 2);
  EXPECT_EQ(events[3]["reference"], "HE-RMAS-2026-01");
  EXPECT_EQ(events[3]["state_after"], "approved");
  const CliRun versions = Run({"rmd", "versions"});
  ASSERT_EQ(versions.code, 0) << versions.err;
  EXPECT_NE(versions.out.find("2026-05-29T15:00:00.000Z"), std::string::npos) << versions.out;

  const Json notifiable = List("notifiable_event");
  std::set<std::string> kinds_seen;
  int not_notified = 0;
  for (const auto& e : notifiable) {
    kinds_seen.insert(e["kind"].get<std::string>());
    not_notified += e["customer_notified_at"].is_null() ? 1 : 0;
  }
  EXPECT_GE(notifiable.size(), 3u);
  EXPECT_EQ(kinds_seen.size(), notifiable.size());  // all different kinds
  EXPECT_EQ(not_notified, 1);
  // The late one is linked to the RCR entry it required.
  const CliRun links = Run({"link", "list", "notifiable_event", "2", "--json"});
  ASSERT_EQ(links.code, 0) << links.err;
  const Json l = Json::parse(links.out, nullptr, false);
  ASSERT_EQ(l.size(), 1u) << links.out;
  EXPECT_EQ(l[0]["relation"], "requires");
  EXPECT_EQ(l[0]["to_register"], "rcr");

  std::set<std::string> scan_months;
  std::map<std::string, int> by_kind;
  for (const auto& d : List("deliverable")) {
    ++by_kind[d["kind"].get<std::string>()];
    if (d["kind"] == "vulnerability_scan") {
      scan_months.insert(d["performed_on"].get<std::string>().substr(0, 7));
    }
  }
  EXPECT_EQ(by_kind["ithc"], 1);
  EXPECT_EQ(by_kind["incident_log"], 2);
  EXPECT_EQ(scan_months, (std::set<std::string>{"2026-04", "2026-05", "2026-06", "2026-07",
                                                "2026-09", "2026-10"}));  // August missed
}

}  // namespace
}  // namespace accredit::cli
