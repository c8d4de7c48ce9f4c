// S2.4-8.5: all COTS software stays in mainstream support throughout the Term "unless otherwise
// agreed by the Customer Relationship Manager in writing". Due instants worked out by hand from
// the clause text and docs/CLOCKS.md.

#include <gtest/gtest.h>

#include "clocks/clocks.h"
#include "clocks_testing.h"

namespace accredit::clocks {
namespace {

using testing::FindKey;
using testing::Get;
using testing::HasKey;
using testing::Key;
using testing::ScenarioBuilder;
using testing::StateAt;

constexpr std::string_view kRule = "S2.4-8.5";

TEST(Rule8_5, PastMainstreamSupportWithoutAnExceptionIsOverdue) {
  ScenarioBuilder s;
  s.Effective("2026-04-01");
  // Mainstream support ends Tue 13 Oct 2026: due at the end of that day, 23:59:59.999 BST.
  // Shown from 180 days before, Thu 16 Apr 2026.
  const auto p = s.Product("Acme Server 2016", "software", "2026-10-13");
  const std::string key = Key("S2.4-8.5/products/", p, "2026-10-13");

  EXPECT_FALSE(HasKey(s.Evaluate(kRule, "2026-04-10T12:00:00Z"), key));  // not yet in view
  const Obligation o = Get(s, kRule, "2026-06-01T12:00:00Z", key);
  EXPECT_EQ(FormatInstantUtc(o.due), "2026-10-13T22:59:59.999Z");
  EXPECT_EQ(FormatInstantUtc(o.trigger), "2026-04-15T23:00:00.000Z");  // 00:00 BST 16 Apr
  EXPECT_EQ(o.state, State::kUpcoming);
  EXPECT_EQ(o.consequence, 0u);  // a breach: the schedule names no other consequence
  EXPECT_EQ(o.subject.Href(), "/r/products/" + std::to_string(p));
  EXPECT_NE(o.Text().find("Keep Acme Server 2016 in mainstream support (it ends 13 Oct 2026)"),
            std::string::npos)
      << o.Text();
  // Inside the warning window (5 Working Days before Tue 13 Oct), then past it.
  EXPECT_EQ(StateAt(s, kRule, "2026-10-12T12:00:00Z", key), State::kDueSoon);
  EXPECT_EQ(StateAt(s, kRule, "2026-10-14T09:00:00Z", key), State::kOverdue);
  // The product is on the dashboard (an open obligation) but does not bar processing.
  EXPECT_TRUE(EvaluateGate(s.Evaluate(kRule, "2026-10-14T09:00:00Z")).may_process);
}

TEST(Rule8_5, AWrittenExceptionMeetsItOnTimeOrLate) {
  ScenarioBuilder s;
  s.Effective("2026-04-01");
  const auto early = s.Product("Early", "software", "2026-10-13", "2026-09-01");
  const auto late = s.Product("Late", "firmware", "2026-10-13", "2026-11-02");
  const std::string early_key = Key("S2.4-8.5/products/", early, "2026-10-13");
  const std::string late_key = Key("S2.4-8.5/products/", late, "2026-10-13");

  const auto obs = s.Evaluate(kRule, "2026-11-10T12:00:00Z");
  EXPECT_EQ(FindKey(obs, early_key).state, State::kMetOnTime);
  EXPECT_EQ(FindKey(obs, early_key).met_by, "Exception agreed in writing (CRM letter Early)");
  EXPECT_EQ(FindKey(obs, late_key).state, State::kMetLate);
  // Before the late agreement it was simply overdue.
  EXPECT_EQ(StateAt(s, kRule, "2026-10-20T12:00:00Z", late_key), State::kOverdue);
}

TEST(Rule8_5, RetiringOrReplacingTheProductMeetsIt) {
  ScenarioBuilder s;
  s.Effective("2026-04-01");
  const auto on_time = s.Product("Replaced", "software", "2026-10-13", "", "2026-10-01");
  const auto late = s.Product("Retired late", "software", "2026-10-13", "", "2026-12-01");
  const auto gone = s.Product("Long gone", "software", "2026-05-01", "", "2025-06-01");
  const auto obs = s.Evaluate(kRule, "2026-12-02T12:00:00Z");
  const auto& o = FindKey(obs, Key("S2.4-8.5/products/", on_time, "2026-10-13"));
  EXPECT_EQ(o.state, State::kMetOnTime);
  EXPECT_EQ(o.met_by, "Retired or replaced");
  EXPECT_EQ(FindKey(obs, Key("S2.4-8.5/products/", late, "2026-10-13")).state, State::kMetLate);
  // Retired before the duty came into view: no obligation.
  EXPECT_FALSE(HasKey(obs, Key("S2.4-8.5/products/", gone, "2026-05-01")));
}

TEST(Rule8_5, OnlySoftwareWithADateAndNothingDueBeforeTheTerm) {
  ScenarioBuilder s;
  s.Effective("2026-04-01");
  const auto hw = s.Product("Switch", "hardware", "2026-05-01");
  const auto service = s.Product("Hosted mail", "service", "2026-05-01");
  const auto undated = s.Product("Undated", "software", "");
  // Out of support before the Term began: due at the end of the Effective Date (Wed 1 Apr 2026,
  // BST), overdue the day after.
  const auto old = s.Product("Old OS", "software", "2025-12-31");
  const auto obs = s.Evaluate(kRule, "2026-04-02T12:00:00Z");
  EXPECT_EQ(obs.size(), 1u);
  const auto& o = FindKey(obs, Key("S2.4-8.5/products/", old, "2025-12-31"));
  EXPECT_EQ(FormatInstantUtc(o.due), "2026-04-01T22:59:59.999Z");
  EXPECT_EQ(o.state, State::kOverdue);
  EXPECT_FALSE(HasKey(obs, Key("S2.4-8.5/products/", hw, "2026-05-01")));
  EXPECT_FALSE(HasKey(obs, Key("S2.4-8.5/products/", service, "2026-05-01")));
  (void)undated;
}

TEST(Rule8_5, AWaiverOfOneSupportEndDoesNotCoverTheNextVersion) {
  ScenarioBuilder s;
  s.Effective("2026-04-01");
  const auto p = s.Product("Acme Server", "software", "2026-10-13");
  s.Waive(Key("S2.4-8.5/products/", p, "2026-10-13"), "2026-10-01");
  EXPECT_EQ(StateAt(s, kRule, "2026-10-20T12:00:00Z", Key("S2.4-8.5/products/", p, "2026-10-13")),
            State::kWaived);
  // An upgrade recorded with its new mainstream support end is a new obligation.
  s.In().products[0].mainstream_support_end = testing::D("2027-01-12");
  const auto obs = s.Evaluate(kRule, "2027-01-13T12:00:00Z");
  EXPECT_EQ(FindKey(obs, Key("S2.4-8.5/products/", p, "2027-01-12")).state, State::kOverdue);
}

}  // namespace
}  // namespace accredit::clocks
