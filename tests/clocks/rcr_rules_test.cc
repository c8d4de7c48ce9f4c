// S2.4-5.15: a change in the Required Changes Register not implemented by the date agreed with
// the Customer is a material Default; the Provider stops processing Customer Data until it is
// remedied (5.15.1) and the Customer may terminate if it is not remedied in time (5.15.2).

#include <gtest/gtest.h>

#include "clocks/clocks.h"
#include "clocks_testing.h"

namespace accredit::clocks {
namespace {

using testing::FindKey;
using testing::HasKey;
using testing::ScenarioBuilder;

std::string RcrKey(std::int64_t id) {
  return "S2.4-5.15/rcr/" + std::to_string(id);
}

TEST(Rule5_15, DueAtTheEndOfTheAgreedDateAcrossTheAutumnClockChange) {
  ScenarioBuilder s;
  // Agreed Tue 1 Sep 2026, to be implemented by Sun 25 Oct 2026, the day BST ends: the end of
  // that London day is 23:59:59.999 GMT = 2026-10-25T23:59:59.999Z (the day is 25 hours long).
  const auto id = s.Rcr("RCR-7", "agreed", "2026-09-01", "2026-10-25");
  const std::string key = RcrKey(id);

  EXPECT_FALSE(HasKey(s.Evaluate("S2.4-5.15", "2026-08-31T22:59:59.999Z"), key));
  auto obs = s.Evaluate("S2.4-5.15", "2026-08-31T23:00:00Z");  // 00:00 BST 1 Sep
  const Obligation& o = FindKey(obs, key);
  EXPECT_EQ(o.clause, "S2.4-5.15");
  EXPECT_EQ(FormatInstantUtc(o.trigger), "2026-08-31T23:00:00.000Z");
  EXPECT_EQ(FormatInstantUtc(o.due), "2026-10-25T23:59:59.999Z");
  EXPECT_EQ(o.consequence, kMaterialDefault | kProcessingBar | kTerminationRight);
  EXPECT_FALSE(o.precondition);
  EXPECT_EQ(o.state, State::kUpcoming);
  EXPECT_EQ(o.Text(),
            "Implement Required Changes Register entry RCR-7 (Change RCR-7) by its agreed date "
            "25 Oct 2026 (S2.4-5.15), due Sun 25 Oct 2026 23:59");

  // 5 WD from Fri 16 Oct reach Fri 23 Oct (upcoming); from Mon 19 Oct they reach Mon 26 Oct.
  EXPECT_EQ(FindKey(s.Evaluate("S2.4-5.15", "2026-10-16T12:00:00Z"), key).state, State::kUpcoming);
  EXPECT_EQ(FindKey(s.Evaluate("S2.4-5.15", "2026-10-19T12:00:00Z"), key).state, State::kDueSoon);
  // 23:30 GMT on the 25th is still the agreed day; 00:00 GMT on the 26th is not.
  EXPECT_EQ(FindKey(s.Evaluate("S2.4-5.15", "2026-10-25T23:30:00Z"), key).state, State::kDueSoon);
  EXPECT_EQ(FindKey(s.Evaluate("S2.4-5.15", "2026-10-26T00:00:00Z"), key).state, State::kOverdue);
}

TEST(Rule5_15, ImplementedOnTheAgreedDayIsOnTimeTheDayAfterIsLate) {
  ScenarioBuilder s;
  const auto on_time = s.Rcr("RCR-1", "implemented", "2026-09-01", "2026-10-25", "2026-10-25");
  const auto late = s.Rcr("RCR-2", "implemented", "2026-09-01", "2026-10-25", "2026-10-26");
  auto obs = s.Evaluate("S2.4-5.15", "2026-11-02T12:00:00Z");
  EXPECT_EQ(FindKey(obs, RcrKey(on_time)).state, State::kMetOnTime);
  const Obligation& l = FindKey(obs, RcrKey(late));
  EXPECT_EQ(l.state, State::kMetLate);
  EXPECT_EQ(FormatInstantUtc(*l.met_at), "2026-10-26T00:00:00.000Z");
  EXPECT_EQ(l.met_by, "Implemented");
  // A date counts from 00:00 London: implemented on the 26th is met from 2026-10-26T00:00Z, one
  // millisecond after the due instant.
  EXPECT_EQ(FindKey(s.Evaluate("S2.4-5.15", "2026-10-25T23:59:59.999Z"), RcrKey(late)).state,
            State::kDueSoon);
  EXPECT_EQ(FindKey(s.Evaluate("S2.4-5.15", "2026-10-26T00:00:00Z"), RcrKey(late)).state,
            State::kMetLate);
}

TEST(Rule5_15, OnlyAgreedChangesWithADateAreObligations) {
  ScenarioBuilder s;
  const auto proposed = s.Rcr("RCR-1", "proposed", "", "2026-10-25");
  const auto rejected = s.Rcr("RCR-2", "rejected", "2026-09-01", "2026-10-25");
  const auto undated = s.Rcr("RCR-3", "agreed", "2026-09-01", "");
  const auto agreed = s.Rcr("RCR-4", "agreed", "2026-09-01", "2026-12-01");
  auto obs = s.Evaluate("S2.4-5.15", "2026-11-02T12:00:00Z");
  EXPECT_FALSE(HasKey(obs, RcrKey(proposed)));
  EXPECT_FALSE(HasKey(obs, RcrKey(rejected)));
  EXPECT_FALSE(HasKey(obs, RcrKey(undated)));
  EXPECT_TRUE(HasKey(obs, RcrKey(agreed)));
  EXPECT_EQ(obs.size(), 1u);
}

TEST(Rule5_15, AnOverdueChangeBarsProcessingUntilItIsImplemented) {
  ScenarioBuilder s;
  const auto id = s.Rcr("RCR-9", "agreed", "2027-01-21", "2027-03-12");
  // Fri 12 Mar 2027 is GMT: due 2027-03-12T23:59:59.999Z.
  auto obs = s.Evaluate("S2.4-5.15", "2027-03-12T23:59:59.999Z");
  EXPECT_TRUE(EvaluateGate(obs).may_process);  // due, not yet overdue
  obs = s.Evaluate("S2.4-5.15", "2027-03-13T00:00:00Z");
  const Gate gate = EvaluateGate(obs);
  EXPECT_FALSE(gate.may_process);
  ASSERT_EQ(gate.reasons.size(), 1u);
  EXPECT_EQ(gate.reasons[0].clause, "S2.4-5.15.1");
  EXPECT_EQ(gate.reasons[0].obligation_key, RcrKey(id));
  EXPECT_EQ(gate.reasons[0].subject.Ref(), "rcr/" + std::to_string(id));

  s.In().rcr[0].status = "implemented";
  s.In().rcr[0].implemented_date = testing::D("2027-03-20");
  EXPECT_TRUE(EvaluateGate(s.Evaluate("S2.4-5.15", "2027-03-20T00:00:00Z")).may_process);
  EXPECT_FALSE(EvaluateGate(s.Evaluate("S2.4-5.15", "2027-03-19T23:59:59Z")).may_process);
}

}  // namespace
}  // namespace accredit::clocks
