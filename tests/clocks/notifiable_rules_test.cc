// S2.4-5.13 and 5.14: notifiable events and the RCR update that follows the notification.

#include <gtest/gtest.h>

#include "clocks/clocks.h"
#include "clocks_testing.h"

namespace accredit::clocks {
namespace {

using testing::At;
using testing::FindKey;
using testing::HasKey;
using testing::ScenarioBuilder;

TEST(Rule5_13, DueTwoWorkingDaysAfterBecomingAwareAndStatesFollowTheClock) {
  ScenarioBuilder s;
  s.Effective("2026-04-01");
  // Tue 3 Nov 2026 10:00 GMT: day 1 = Wed 4, day 2 = Thu 5 Nov; due 23:59:59.999 GMT.
  const auto id = s.NotifiableEvent("architecture_change", "2026-11-03T10:00:00Z");
  const std::string key = "S2.4-5.13.1/notifiable_events/" + std::to_string(id);

  // Before the event is recorded as known, there is nothing.
  EXPECT_FALSE(HasKey(s.Evaluate("S2.4-5.13", "2026-11-03T09:59:59Z"), key));

  auto obs = s.Evaluate("S2.4-5.13", "2026-11-03T10:00:00Z");
  const Obligation& o = FindKey(obs, key);
  EXPECT_EQ(FormatInstantUtc(o.trigger), "2026-11-03T10:00:00.000Z");
  EXPECT_EQ(FormatInstantUtc(o.due), "2026-11-05T23:59:59.999Z");
  EXPECT_EQ(o.state, State::kDueSoon);  // inside the 5 WD warning window
  EXPECT_EQ(o.consequence, kNotificationDuty);
  EXPECT_EQ(o.Text(),
            "Notify the Customer of the significant change to the Core IMS components or "
            "architecture recorded on 3 Nov 2026 (S2.4-5.13.1), due Thu 5 Nov 2026 23:59");

  s.Opts().due_soon_working_days = 1;
  EXPECT_EQ(FindKey(s.Evaluate("S2.4-5.13", "2026-11-03T12:00:00Z"), key).state, State::kUpcoming);
  EXPECT_EQ(FindKey(s.Evaluate("S2.4-5.13", "2026-11-04T12:00:00Z"), key).state, State::kDueSoon);
  EXPECT_EQ(FindKey(s.Evaluate("S2.4-5.13", "2026-11-05T23:59:59.999Z"), key).state,
            State::kDueSoon);
  EXPECT_EQ(FindKey(s.Evaluate("S2.4-5.13", "2026-11-06T00:00:00Z"), key).state, State::kOverdue);
}

TEST(Rule5_13, MetOnTimeOrLateAndFutureFactsAreIgnored) {
  ScenarioBuilder s;
  const auto on_time =
      s.NotifiableEvent("site_change_proposal", "2026-11-03T10:00:00Z", "2026-11-05T23:59:59.999Z");
  const auto late = s.NotifiableEvent("new_risk_or_vulnerability", "2026-11-03T10:00:00Z",
                                      "2026-11-06T09:00:00Z");
  auto obs = s.Evaluate("S2.4-5.13", "2026-11-10T12:00:00Z");
  EXPECT_EQ(FindKey(obs, "S2.4-5.13.7/notifiable_events/" + std::to_string(on_time)).state,
            State::kMetOnTime);
  const Obligation& l = FindKey(obs, "S2.4-5.13.2/notifiable_events/" + std::to_string(late));
  EXPECT_EQ(l.state, State::kMetLate);
  EXPECT_EQ(l.Text(),
            "Notify the Customer of the new risk or vulnerability recorded on 3 Nov 2026 "
            "(S2.4-5.13.2), due Thu 5 Nov 2026 23:59; met late Fri 6 Nov 2026 09:00");
  // Evaluated before the notification happened, the late one was overdue.
  obs = s.Evaluate("S2.4-5.13", "2026-11-06T08:00:00Z");
  EXPECT_EQ(FindKey(obs, "S2.4-5.13.2/notifiable_events/" + std::to_string(late)).state,
            State::kOverdue);
}

TEST(Rule5_13, EveryKindHasItsOwnClause) {
  const char* kinds[] = {"architecture_change",   "new_risk_or_vulnerability",
                         "threat_profile_change", "subcontractor_coc_failure",
                         "risk_component_change", "personal_data_quantity_change",
                         "site_change_proposal",  "iso27001_audit_concerns"};
  for (int i = 0; i < 8; ++i) {
    EXPECT_EQ(NotifiableEventClause(kinds[i]), "S2.4-5.13." + std::to_string(i + 1));
  }
}

TEST(Rule5_14, RcrProvidedWithinTenWorkingDaysOfTheNotification) {
  ScenarioBuilder s;
  // Notified Thu 17 Dec 2026 15:00 GMT. 10 WD: 18, 21, 22, 23, 24, (25 Christmas, 28 Boxing Day
  // substitute), 29, 30, 31 Dec, (1 Jan), 4, 5 Jan 2027 -> due Tue 5 Jan 2027 23:59:59.999 GMT.
  const auto id =
      s.NotifiableEvent("threat_profile_change", "2026-12-16T09:00:00Z", "2026-12-17T15:00:00Z");
  const std::string key = "S2.4-5.14/notifiable_events/" + std::to_string(id);
  EXPECT_FALSE(HasKey(s.Evaluate("S2.4-5.14", "2026-12-17T14:59:59Z"), key));
  auto obs = s.Evaluate("S2.4-5.14", "2026-12-18T10:00:00Z");
  EXPECT_EQ(FormatInstantUtc(FindKey(obs, key).due), "2027-01-05T23:59:59.999Z");
  EXPECT_EQ(FindKey(obs, key).state, State::kUpcoming);
  EXPECT_EQ(FindKey(s.Evaluate("S2.4-5.14", "2027-01-06T00:00:00Z"), key).state, State::kOverdue);
  s.In().notifiable_events[0].rcr_provided_at = At("2027-01-05T16:00:00Z");
  EXPECT_EQ(FindKey(s.Evaluate("S2.4-5.14", "2027-01-06T00:00:00Z"), key).state, State::kMetOnTime);
}

TEST(Waivers, AWaiverRecordMakesAnOpenObligationWaived) {
  ScenarioBuilder s;
  const auto id = s.NotifiableEvent("architecture_change", "2026-11-03T10:00:00Z");
  const std::string key = "S2.4-5.13.1/notifiable_events/" + std::to_string(id);
  const auto waiver = s.Waive(key);
  const Obligation o = FindKey(s.Evaluate("S2.4-5.13", "2026-11-20T10:00:00Z"), key);
  EXPECT_EQ(o.state, State::kWaived);
  EXPECT_EQ(o.waiver_id, waiver);
}

}  // namespace
}  // namespace accredit::clocks
