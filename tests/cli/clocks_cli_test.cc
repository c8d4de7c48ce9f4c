// `accredit obligations` and `accredit gate` (issue 4, point 8), run in-process over a real
// SQLite database; `--at` makes every evaluation independent of the real clock.

#include <fstream>
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

class ClocksCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string pw = WriteFile("pw.txt", "correct-horse-battery\n");
    ASSERT_EQ(Run({"init", "--admin-password-file", pw}).code, 0);
    const CliRun set = Run({"contract", "set", "--effective-date", "2026-04-01"});
    ASSERT_EQ(set.code, 0) << set.err;
  }

  CliRun Run(std::vector<std::string> args) {
    args.insert(args.begin(), {"--db", dir_.File("acc.db")});
    return RunCli(std::move(args), dir_);
  }

  std::string WriteFile(const std::string& name, const std::string& text) {
    const std::string path = dir_.File(name);
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }

  Json Obligations(std::vector<std::string> extra) {
    std::vector<std::string> args = {"obligations", "--json"};
    args.insert(args.end(), extra.begin(), extra.end());
    const CliRun run = Run(args);
    EXPECT_EQ(run.code, 0) << run.err;
    Json j = Json::parse(run.out, nullptr, false);
    EXPECT_TRUE(j.is_array()) << run.out;
    return j.is_array() ? j : Json::array();
  }

  testing::TempDir dir_;
};

TEST_F(ClocksCliTest, ANotifiableEventFromJsonBecomesAnObligationEvaluatedAtAnyInstant) {
  // Became aware Tue 3 Nov 2026 10:00 GMT: due at the end of Thu 5 Nov (2 Working Days).
  const std::string file = WriteFile(
      "event.json",
      R"({"kind": "architecture_change", "description": "New WAN provider for the outstations",
          "became_aware_at": "2026-11-03T10:00:00Z"})");
  const CliRun add = Run({"notifiable_event", "add", "--from-json", file, "--json"});
  ASSERT_EQ(add.code, 0) << add.err;
  const std::int64_t id = Json::parse(add.out).at("id").get<std::int64_t>();

  Json at_wed = Obligations({"--at", "2026-11-04T12:00:00Z", "--clause", "5.13"});
  ASSERT_EQ(at_wed.size(), 1U) << at_wed.dump(2);
  const Json& o = at_wed[0];
  EXPECT_EQ(o["clause"], "S2.4-5.13.1");
  EXPECT_EQ(o["subject"]["register"], "notifiable_events");
  EXPECT_EQ(o["subject"]["id"], id);
  EXPECT_EQ(o["trigger"], "2026-11-03T10:00:00.000+00:00");
  EXPECT_EQ(o["due"], "2026-11-05T23:59:59.999+00:00");
  EXPECT_EQ(o["state"], "due_soon");
  EXPECT_EQ(o["consequence"], Json::array({"notification_duty"}));
  EXPECT_EQ(o["text"],
            "Notify the Customer of the significant change to the Core IMS components or "
            "architecture recorded on 3 Nov 2026 (S2.4-5.13.1), due Thu 5 Nov 2026 23:59");

  // Before the event, it does not exist; after the due instant it is overdue.
  EXPECT_TRUE(Obligations({"--at", "2026-11-03T09:00:00Z", "--clause", "5.13"}).empty());
  Json overdue = Obligations({"--at", "2026-11-06 09:00", "--overdue", "--clause", "5.13"});
  ASSERT_EQ(overdue.size(), 1U);
  EXPECT_EQ(overdue[0]["state"], "overdue");
  // --due-within N wd: open and due by the end of the Nth Working Day after Wed 4 Nov.
  EXPECT_EQ(Obligations({"--at", "2026-11-04T12:00:00Z", "--clause", "5.13", "--due-within", "0wd"})
                .size(),
            0U);
  EXPECT_EQ(Obligations({"--at", "2026-11-04T12:00:00Z", "--clause", "5.13", "--due-within", "1wd"})
                .size(),
            1U);

  // Notified on Thu 5 Nov: met on time; and the 5.14 RCR clock starts (10 WD: due Thu 19 Nov).
  const CliRun edit = Run({"notifiable_event", "edit", std::to_string(id), "--set",
                           "customer_notified_at=2026-11-05T16:30:00Z"});
  ASSERT_EQ(edit.code, 0) << edit.err;
  Json after = Obligations({"--at", "2026-11-06T09:00:00Z", "--clause", "5.13"});
  ASSERT_EQ(after.size(), 1U);
  EXPECT_EQ(after[0]["state"], "met_on_time");
  Json rcr = Obligations({"--at", "2026-11-06T09:00:00Z", "--clause", "5.14"});
  ASSERT_EQ(rcr.size(), 1U);
  EXPECT_EQ(rcr[0]["due"], "2026-11-19T23:59:59.999+00:00");
}

TEST_F(ClocksCliTest, BadOptionsNameTheOption) {
  const CliRun bad = Run({"obligations", "--due-within", "10 weeks"});
  EXPECT_EQ(bad.code, 2);
  EXPECT_NE(bad.err.find("due-within"), std::string::npos) << bad.err;
  const CliRun bad_at = Run({"obligations", "--at", "yesterday"});
  EXPECT_EQ(bad_at.code, 2);
  EXPECT_NE(bad_at.err.find("at"), std::string::npos) << bad_at.err;
  const CliRun bad_state = Run({"obligations", "--state", "late"});
  EXPECT_EQ(bad_state.code, 2);
  EXPECT_NE(bad_state.err.find("state"), std::string::npos) << bad_state.err;
}

TEST_F(ClocksCliTest, GateSaysNoWithEveryReasonUntilApprovedAndExitsFive) {
  const CliRun gate = Run({"gate", "--at", "2026-11-30T12:00:00Z", "--json"});
  EXPECT_EQ(gate.code, 5) << gate.err;
  const Json g = Json::parse(gate.out);
  EXPECT_FALSE(g["may_process"].get<bool>());
  bool has_5_11 = false;
  for (const Json& r : g["reasons"]) {
    has_5_11 = has_5_11 || r["clause"] == "S2.4-5.11";
  }
  EXPECT_TRUE(has_5_11) << g.dump(2);

  // An agreed RCR change past its date bars processing too (S2.4-5.15.1), with its own reason.
  const std::string rcr =
      WriteFile("rcr.json", R"({"ref": "RCR-9", "change": "Patch the outstation firmware",
                      "status": "agreed", "date_agreed": "2026-09-01",
                      "implementation_due_date": "2026-10-30"})");
  const CliRun added = Run({"required_change", "add", "--from-json", rcr});
  ASSERT_EQ(added.code, 0) << added.err;
  const CliRun text = Run({"gate", "--at", "2026-11-30T12:00:00Z"});
  EXPECT_EQ(text.code, 5);
  EXPECT_NE(text.out.find("No: the Core IMS may not process Customer Data"), std::string::npos);
  EXPECT_NE(text.out.find("RCR-9"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("(S2.4-5.15)"), std::string::npos) << text.out;
  // Before its agreed date passed, the RCR entry did not bar processing.
  const Json before = Json::parse(Run({"gate", "--at", "2026-10-30T12:00:00Z", "--json"}).out);
  for (const Json& r : before["reasons"]) {
    EXPECT_NE(r["clause"], "S2.4-5.15.1") << before.dump(2);
  }
}

}  // namespace
}  // namespace accredit::cli
