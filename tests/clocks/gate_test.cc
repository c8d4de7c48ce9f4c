// The processing gate (S2.4-5.11, 5.15.1, 6.3, 6.6): "May the Core IMS process Customer Data
// now?" -- no while a precondition carrying the bar is unmet or a 5.15 change is overdue, with
// every reason; waived obligations do not bar; yes once all are met.

#include <gtest/gtest.h>

#include "clocks/clocks.h"
#include "clocks_testing.h"

namespace accredit::clocks {
namespace {

using testing::ScenarioBuilder;

struct Ids {
  std::int64_t provider = 0;
  std::int64_t alpha = 0;
  std::int64_t site = 0;
  std::int64_t rcr = 0;
};

// Effective 1 Apr 2026, service commencement 1 Jul 2026; a provider and one sub-contractor with
// access to Customer Data, a destruction site and one agreed change due Tue 30 Jun 2026.
Ids Contract(ScenarioBuilder& s, bool provided, std::string_view implemented = {}) {
  s.Effective("2026-04-01").ServiceCommencement("2026-07-01");
  Ids ids;
  ids.provider = s.Party("provider", "Provider Ltd");
  ids.alpha = s.Party("subcontractor", "Alpha Hosting Ltd", true);
  s.Party("subcontractor", "Beta Catering Ltd", false);
  const std::string_view given = provided ? "2026-04-21" : "";
  s.Certificate(ids.provider, "iso27001", "ISO-P", "2025-11-10", "2028-11-09", given);
  s.Certificate(ids.provider, "cyber_essentials_plus", "CEP-P", "2026-03-05", "2027-03-04", given);
  s.Certificate(ids.alpha, "iso27001", "ISO-A", "2024-09-01", "2027-08-31", given);
  s.Certificate(ids.alpha, "cyber_essentials_plus", "CEP-A", "2026-03-02", "2027-03-01", given);
  s.Certificate(ids.provider, "ncsc_cas_sanitisation", "CAS-P", "2026-04-20", "2027-04-19", given);
  ids.site = s.Site("Leeds data centre", true, ids.provider);  // the Provider destroys there
  s.Site("London office", false);
  ids.rcr = s.Rcr("RCR-1", implemented.empty() ? "agreed" : "implemented", "2026-05-01",
                  "2026-06-30", implemented);
  return ids;
}

std::string Id(std::int64_t id) {
  return std::to_string(id);
}

TEST(Gate, NoWithEveryReasonSortedByClauseThenKey) {
  ScenarioBuilder s;
  const Ids ids = Contract(s, /*provided=*/false);
  const Gate gate = EvaluateGate(s.Evaluate("", "2026-07-02T12:00:00Z"));
  EXPECT_FALSE(gate.may_process);
  std::vector<std::pair<std::string, std::string>> got;
  for (const GateReason& r : gate.reasons) {
    got.emplace_back(r.clause, r.obligation_key);
  }
  const std::vector<std::pair<std::string, std::string>> want = {
      {"S2.4-5.11", "S2.4-5.11/contract/0"},
      {"S2.4-5.15.1", "S2.4-5.15/rcr/" + Id(ids.rcr)},
      {"S2.4-6.3", "S2.4-6.3/suppliers/" + Id(ids.provider) + "/cyber_essentials_plus"},
      {"S2.4-6.3", "S2.4-6.3/suppliers/" + Id(ids.provider) + "/iso27001"},
      {"S2.4-6.3", "S2.4-6.3/suppliers/" + Id(ids.alpha) + "/cyber_essentials_plus"},
      {"S2.4-6.3", "S2.4-6.3/suppliers/" + Id(ids.alpha) + "/iso27001"},
      {"S2.4-6.6", "S2.4-6.6/sites/" + Id(ids.site)},
  };
  EXPECT_EQ(got, want);
  ASSERT_EQ(gate.reasons.size(), want.size());
  EXPECT_EQ(gate.reasons[0].text,
            "Obtain a Risk Management Approval Statement before the Core IMS processes Customer "
            "Data (S2.4-5.11), due Wed 1 Jul 2026 00:00; not met");
  EXPECT_EQ(gate.reasons[1].text,
            "Implement Required Changes Register entry RCR-1 (Change RCR-1) by its agreed date 30 "
            "Jun 2026 (S2.4-5.15), due Tue 30 Jun 2026 23:59; overdue");
  EXPECT_EQ(gate.reasons[1].subject.reg, "rcr");
  EXPECT_EQ(gate.reasons[1].subject.id, ids.rcr);
  EXPECT_EQ(gate.reasons[6].subject.label, "Leeds data centre");

  const nlohmann::json j = GateToJson(gate);
  EXPECT_EQ(j["may_process"], false);
  ASSERT_EQ(j["reasons"].size(), want.size());
  EXPECT_EQ(j["reasons"][1]["obligation_key"], "S2.4-5.15/rcr/" + Id(ids.rcr));
}

TEST(Gate, PreconditionsBarBeforeTheyAreDueButAChangeOnlyOnceOverdue) {
  ScenarioBuilder s;
  const Ids ids = Contract(s, /*provided=*/true);
  // 1 May 2026: nothing is due yet, but there is no Approval Statement; the change agreed today
  // is not yet overdue.
  Gate gate = EvaluateGate(s.Evaluate("", "2026-05-01T12:00:00Z"));
  EXPECT_FALSE(gate.may_process);
  ASSERT_EQ(gate.reasons.size(), 1u);
  EXPECT_EQ(gate.reasons[0].obligation_key, "S2.4-5.11/contract/0");

  s.Accreditation(AccreditationKind::kApproval, "2026-06-20T10:00:00Z", 2, "RMAS-1");
  // Tue 30 Jun 2026 23:59:59.999 BST: the change is due, not overdue.
  EXPECT_TRUE(EvaluateGate(s.Evaluate("", "2026-06-30T22:59:59.999Z")).may_process);
  gate = EvaluateGate(s.Evaluate("", "2026-06-30T23:00:00Z"));
  EXPECT_FALSE(gate.may_process);
  ASSERT_EQ(gate.reasons.size(), 1u);
  EXPECT_EQ(gate.reasons[0].obligation_key, "S2.4-5.15/rcr/" + Id(ids.rcr));
}

TEST(Gate, YesWhenAllAreMetEvenWithOtherObligationsOverdue) {
  ScenarioBuilder s;
  Contract(s, /*provided=*/true, /*implemented=*/"2026-07-03");  // implemented late
  s.Accreditation(AccreditationKind::kApproval, "2026-06-20T10:00:00Z", 2, "RMAS-1");
  const auto obs = s.Evaluate("", "2026-08-10T12:00:00Z");
  const Gate gate = EvaluateGate(obs);
  EXPECT_TRUE(gate.may_process);
  EXPECT_TRUE(gate.reasons.empty());
  // Not vacuous: the bar-carrying obligations exist and are met, and other duties (monthly
  // scans, none recorded) are overdue without barring processing.
  int barring_met = 0;
  int overdue = 0;
  for (const Obligation& o : obs) {
    if ((o.consequence & kProcessingBar) != 0) {
      EXPECT_TRUE(o.state == State::kMetOnTime || o.state == State::kMetLate) << o.key;
      ++barring_met;
    }
    overdue += o.state == State::kOverdue ? 1 : 0;
  }
  EXPECT_EQ(barring_met, 7);  // 5.11, 5.15, 4 x 6.3, 6.6
  EXPECT_GT(overdue, 0);
  EXPECT_EQ(GateToJson(gate),
            (nlohmann::json{{"may_process", true}, {"reasons", nlohmann::json::array()}}));
}

TEST(Gate, WaivedObligationsDoNotBar) {
  ScenarioBuilder s;
  const Ids ids = Contract(s, /*provided=*/true);
  s.Accreditation(AccreditationKind::kApproval, "2026-06-20T10:00:00Z", 2, "RMAS-1");
  s.In().certifications[4].provided_to_customer_date.reset();  // no CAS evidence: 6.6 unmet
  Gate gate = EvaluateGate(s.Evaluate("", "2026-07-02T12:00:00Z"));
  ASSERT_EQ(gate.reasons.size(), 2u);
  EXPECT_EQ(gate.reasons[0].clause, "S2.4-5.15.1");
  EXPECT_EQ(gate.reasons[1].clause, "S2.4-6.6");

  const std::string rcr_key = "S2.4-5.15/rcr/" + Id(ids.rcr);
  const std::string site_key = "S2.4-6.6/sites/" + Id(ids.site);
  s.Waive(rcr_key);  // the Customer directs in writing that processing may continue
  gate = EvaluateGate(s.Evaluate("", "2026-07-02T12:00:00Z"));
  ASSERT_EQ(gate.reasons.size(), 1u);
  EXPECT_EQ(gate.reasons[0].obligation_key, site_key);
  s.Waive(site_key);
  const auto obs = s.Evaluate("", "2026-07-02T12:00:00Z");
  gate = EvaluateGate(obs);
  EXPECT_TRUE(gate.may_process);
  EXPECT_EQ(testing::FindKey(obs, rcr_key).state, State::kWaived);
  EXPECT_EQ(testing::FindKey(obs, site_key).state, State::kWaived);
}

// clocks.h: "Records dated after the evaluation instant are treated as not yet known". A waiver
// agreed on 15 Jul 2026 should not waive anything when the contract is evaluated as it stood on
// 2 Jul 2026.
TEST(Gate, AWaiverAgreedAfterTheEvaluationInstantIsNotYetKnown) {
  ScenarioBuilder s;
  const Ids ids = Contract(s, /*provided=*/true);
  s.Accreditation(AccreditationKind::kApproval, "2026-06-20T10:00:00Z", 2, "RMAS-1");
  const std::string rcr_key = "S2.4-5.15/rcr/" + Id(ids.rcr);
  s.Waive(rcr_key, "2026-07-15");
  auto obs = s.Evaluate("", "2026-07-02T12:00:00Z");
  EXPECT_EQ(testing::FindKey(obs, rcr_key).state, State::kOverdue);
  EXPECT_FALSE(EvaluateGate(obs).may_process);
  obs = s.Evaluate("", "2026-07-15T12:00:00Z");
  EXPECT_EQ(testing::FindKey(obs, rcr_key).state, State::kWaived);
  EXPECT_TRUE(EvaluateGate(obs).may_process);
}

}  // namespace
}  // namespace accredit::clocks
