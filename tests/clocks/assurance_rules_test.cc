// S2.4-7.1.1.1 (an IT Health Check before an RMD submission), 7.1.1.3 (an ITHC once every 12
// months), 7.1.2 (vulnerability scanning monthly), 7.13 (the CEO's letter by 31 March each year)
// and 10.1 (the Security Incident log at least quarterly). Due instants worked out by hand from
// the clause text and docs/CLOCKS.md ("by a date" = the end of that London day).

#include <set>

#include <gtest/gtest.h>

#include "clocks/clocks.h"
#include "clocks_testing.h"

namespace accredit::clocks {
namespace {

using testing::FindKey;
using testing::Get;
using testing::HasKey;
using testing::ScenarioBuilder;
using testing::StateAt;

// ---- S2.4-7.1.1.1: an ITHC prior to submitting the RMD ---------------------------------------

TEST(Rule7_1_1_1, AnIthcInTheTwelveMonthsBeforeTheSubmissionMeetsIt) {
  ScenarioBuilder s;
  s.Deliverable("ithc", "2025-06-14");  // 12 months and a day before: too old
  s.Deliverable("ithc", "2025-06-15");  // exactly 12 months before: counts
  const auto sub = s.Accreditation(AccreditationKind::kSubmission, "2026-06-15T09:00:00Z", 1);
  const std::string key = "S2.4-7.1.1.1/accreditation_events/" + std::to_string(sub);
  EXPECT_FALSE(HasKey(s.Evaluate("S2.4-7.1.1.1", "2026-06-15T08:59:59Z"), key));
  auto obs = s.Evaluate("S2.4-7.1.1.1", "2026-06-15T09:00:00Z");
  ASSERT_EQ(obs.size(), 1u);
  const Obligation& o = FindKey(obs, key);
  EXPECT_EQ(o.clause, "S2.4-7.1.1.1");
  EXPECT_EQ(FormatInstantUtc(o.due), "2026-06-15T09:00:00.000Z");  // at the submission
  EXPECT_EQ(o.consequence, 0u);
  EXPECT_EQ(o.state, State::kMetOnTime);
  EXPECT_EQ(o.met_by, "IT Health Check ithc 2025-06-15");

  // A later one in the window wins, including one on the submission day itself.
  s.Deliverable("ithc", "2026-06-15");
  const Obligation same_day = Get(s, "S2.4-7.1.1.1", "2026-06-16T09:00:00Z", key);
  EXPECT_EQ(same_day.state, State::kMetOnTime);
  EXPECT_EQ(same_day.met_by, "IT Health Check ithc 2026-06-15");
}

TEST(Rule7_1_1_1, WithoutAPriorIthcItIsOverdueAtOnceAndALaterOneMeetsItLate) {
  ScenarioBuilder s;
  s.Deliverable("ithc", "2025-06-14");
  const auto sub = s.Accreditation(AccreditationKind::kSubmission, "2026-06-15T09:00:00Z", 1);
  const std::string key = "S2.4-7.1.1.1/accreditation_events/" + std::to_string(sub);
  EXPECT_EQ(StateAt(s, "S2.4-7.1.1.1", "2026-06-15T09:00:00Z", key), State::kDueSoon);
  EXPECT_EQ(StateAt(s, "S2.4-7.1.1.1", "2026-06-15T09:00:00.001Z", key), State::kOverdue);
  s.Deliverable("ithc", "2026-06-20");
  const Obligation o = Get(s, "S2.4-7.1.1.1", "2026-06-22T09:00:00Z", key);
  EXPECT_EQ(o.state, State::kMetLate);
  EXPECT_EQ(FormatInstantUtc(*o.met_at), "2026-06-19T23:00:00.000Z");  // 00:00 BST 20 Jun
  EXPECT_EQ(StateAt(s, "S2.4-7.1.1.1", "2026-06-19T22:59:59Z", key), State::kOverdue);
}

// ---- S2.4-7.1.1.3: an ITHC once every 12 months during the Term ------------------------------

TEST(Rule7_1_1_3, TheFirstWithinTwelveMonthsOfTheEffectiveDateThenOfThePreviousOne) {
  ScenarioBuilder s;
  s.Effective("2026-04-01");
  s.Deliverable("ithc", "2026-05-20");
  s.Deliverable("ithc", "2027-05-21");
  const std::string first = "S2.4-7.1.1.3/contract/0/2026-04-01";
  const std::string second = "S2.4-7.1.1.3/contract/0/2026-05-20";
  const std::string third = "S2.4-7.1.1.3/contract/0/2027-05-21";

  auto obs = s.Evaluate("S2.4-7.1.1.3", "2026-04-01T12:00:00Z");
  ASSERT_EQ(obs.size(), 1u);  // the later ones start with the ITHCs
  const Obligation& o = FindKey(obs, first);
  EXPECT_EQ(FormatInstantUtc(o.trigger), "2026-03-31T23:00:00.000Z");
  // 12 months after Wed 1 Apr 2026 is Thu 1 Apr 2027, BST -> 22:59:59.999Z.
  EXPECT_EQ(FormatInstantUtc(o.due), "2027-04-01T22:59:59.999Z");
  EXPECT_EQ(o.consequence, 0u);
  EXPECT_EQ(o.state, State::kUpcoming);

  obs = s.Evaluate("S2.4-7.1.1.3", "2026-06-01T12:00:00Z");
  ASSERT_EQ(obs.size(), 2u);
  EXPECT_EQ(FindKey(obs, first).state, State::kMetOnTime);
  const Obligation& next = FindKey(obs, second);
  EXPECT_EQ(FormatInstantUtc(next.trigger), "2026-05-19T23:00:00.000Z");
  EXPECT_EQ(FormatInstantUtc(next.due), "2027-05-20T22:59:59.999Z");  // Thu 20 May 2027
  // 5 WD from Wed 12 May 2027 reach Wed 19 May; from Thu 13 May they reach Thu 20 May.
  EXPECT_EQ(StateAt(s, "S2.4-7.1.1.3", "2027-05-12T12:00:00Z", second), State::kUpcoming);
  EXPECT_EQ(StateAt(s, "S2.4-7.1.1.3", "2027-05-13T12:00:00Z", second), State::kDueSoon);
  EXPECT_EQ(StateAt(s, "S2.4-7.1.1.3", "2027-05-20T22:59:59.999Z", second), State::kDueSoon);
  // The next ITHC (Fri 21 May 2027) counts from 00:00 BST that day, 2027-05-20T23:00Z: one
  // millisecond after the due instant, so it is met late.
  EXPECT_EQ(StateAt(s, "S2.4-7.1.1.3", "2027-05-20T23:00:00Z", second), State::kMetLate);

  // The ITHC of Fri 21 May 2027 is a day late; the next is due 12 months after it.
  obs = s.Evaluate("S2.4-7.1.1.3", "2027-05-21T12:00:00Z");
  ASSERT_EQ(obs.size(), 3u);
  EXPECT_EQ(FindKey(obs, second).state, State::kMetLate);
  EXPECT_EQ(FormatInstantUtc(FindKey(obs, third).due), "2028-05-21T22:59:59.999Z");
  EXPECT_EQ(FindKey(obs, third).state, State::kUpcoming);
}

TEST(Rule7_1_1_3, IthcsBeforeOrOnTheFirstDayOfThePeriodDoNotCountAndKeysAreUnique) {
  ScenarioBuilder s;
  s.Effective("2026-04-01");
  s.Deliverable("ithc", "2026-03-01");  // before the Term (it serves 7.1.1.1, not 7.1.1.3)
  s.Deliverable("ithc", "2026-04-01");  // on the Effective Date: the next is still due 1 Apr 2027
  s.Deliverable("ithc", "2026-09-15");
  s.Deliverable("ithc", "2026-09-15");  // a second report of the same day
  auto obs = s.Evaluate("S2.4-7.1.1.3", "2026-10-01T12:00:00Z");
  std::set<std::string> keys;
  for (const Obligation& o : obs) {
    EXPECT_TRUE(keys.insert(o.key).second) << "duplicate key " << o.key;
  }
  ASSERT_EQ(obs.size(), 2u);
  const Obligation& first = FindKey(obs, "S2.4-7.1.1.3/contract/0/2026-04-01");
  EXPECT_EQ(FormatInstantUtc(first.due), "2027-04-01T22:59:59.999Z");
  EXPECT_EQ(first.state, State::kMetOnTime);
  EXPECT_EQ(FormatInstantUtc(*first.met_at), "2026-09-14T23:00:00.000Z");
  const Obligation& next = FindKey(obs, "S2.4-7.1.1.3/contract/0/2026-09-15");
  EXPECT_EQ(FormatInstantUtc(next.due), "2027-09-15T22:59:59.999Z");
  EXPECT_EQ(next.state, State::kUpcoming);
}

// ---- S2.4-7.1.2: vulnerability scanning monthly ----------------------------------------------

TEST(Rule7_1_2, EveryCalendarMonthDueAtItsLastLondonDay) {
  ScenarioBuilder s;
  s.Effective("2026-04-01");
  s.Deliverable("vulnerability_scan", "2026-10-31");
  s.Deliverable("vulnerability_scan", "2026-12-02");  // November is missed
  const std::string oct = "S2.4-7.1.2/contract/0/2026-10";
  const std::string nov = "S2.4-7.1.2/contract/0/2026-11";
  const std::string dec = "S2.4-7.1.2/contract/0/2026-12";

  auto obs = s.Evaluate("S2.4-7.1.2", "2026-12-05T12:00:00Z");
  EXPECT_EQ(obs.size(), 9u);  // April to December 2026; January not yet begun
  EXPECT_FALSE(HasKey(obs, "S2.4-7.1.2/contract/0/2027-01"));
  // October starts at 00:00 BST and ends at 23:59:59.999 GMT (BST ended on the 25th).
  const Obligation& o = FindKey(obs, oct);
  EXPECT_EQ(FormatInstantUtc(o.trigger), "2026-09-30T23:00:00.000Z");
  EXPECT_EQ(FormatInstantUtc(o.due), "2026-10-31T23:59:59.999Z");
  EXPECT_EQ(o.consequence, 0u);
  EXPECT_EQ(o.state, State::kMetOnTime);
  EXPECT_EQ(o.action, "Run the monthly vulnerability scan for October 2026");
  EXPECT_EQ(FormatInstantUtc(FindKey(obs, nov).due), "2026-11-30T23:59:59.999Z");
  EXPECT_EQ(FindKey(obs, nov).state, State::kOverdue);  // the December scan does not cure it
  EXPECT_EQ(FindKey(obs, dec).state, State::kMetOnTime);
  EXPECT_EQ(FindKey(obs, "S2.4-7.1.2/contract/0/2026-04").state, State::kOverdue);

  // 5 WD from Fri 20 Nov reach Fri 27 Nov; from Mon 23 Nov they reach Mon 30 Nov.
  EXPECT_EQ(StateAt(s, "S2.4-7.1.2", "2026-11-20T12:00:00Z", nov), State::kUpcoming);
  EXPECT_EQ(StateAt(s, "S2.4-7.1.2", "2026-11-23T12:00:00Z", nov), State::kDueSoon);
  EXPECT_EQ(StateAt(s, "S2.4-7.1.2", "2026-12-01T00:00:00Z", nov), State::kOverdue);

  // March 2027 ends in BST.
  EXPECT_EQ(FormatInstantUtc(FindKey(s.Evaluate("S2.4-7.1.2", "2027-03-05T12:00:00Z"),
                                     "S2.4-7.1.2/contract/0/2027-03")
                                 .due),
            "2027-03-31T22:59:59.999Z");
}

TEST(Rule7_1_2, TheFirstMonthStartsOnTheEffectiveDate) {
  ScenarioBuilder s;
  s.Effective("2026-04-15");
  const std::string key = "S2.4-7.1.2/contract/0/2026-04";
  EXPECT_FALSE(HasKey(s.Evaluate("S2.4-7.1.2", "2026-04-10T12:00:00Z"), key));
  const Obligation o = Get(s, "S2.4-7.1.2", "2026-04-15T12:00:00Z", key);
  EXPECT_EQ(FormatInstantUtc(o.trigger), "2026-04-14T23:00:00.000Z");
  EXPECT_EQ(FormatInstantUtc(o.due), "2026-04-30T22:59:59.999Z");
}

// ---- S2.4-7.13: the CEO's letter by 31 March of each year ------------------------------------

TEST(Rule7_13, DueAtTheEndOf31MarchInBstAcrossEaster2027) {
  ScenarioBuilder s;
  s.Effective("2026-04-01");  // the first 31 March in the Term is 31 Mar 2027
  const std::string key = "S2.4-7.13/contract/0/2027";
  auto obs = s.Evaluate("S2.4-7.13", "2026-04-01T12:00:00Z");
  ASSERT_EQ(obs.size(), 1u);
  const Obligation& o = FindKey(obs, key);
  EXPECT_EQ(FormatInstantUtc(o.trigger), "2026-03-31T23:00:00.000Z");
  EXPECT_EQ(FormatInstantUtc(o.due), "2027-03-31T22:59:59.999Z");
  EXPECT_EQ(o.consequence, 0u);
  EXPECT_EQ(o.state, State::kUpcoming);
  // Good Friday 26 Mar and Easter Monday 29 Mar 2027 are not Working Days: 5 WD from Fri 19
  // Mar reach Tue 30 Mar (upcoming); from Mon 22 Mar they reach Wed 31 Mar.
  EXPECT_EQ(StateAt(s, "S2.4-7.13", "2027-03-19T12:00:00Z", key), State::kUpcoming);
  EXPECT_EQ(StateAt(s, "S2.4-7.13", "2027-03-22T12:00:00Z", key), State::kDueSoon);
  EXPECT_EQ(StateAt(s, "S2.4-7.13", "2027-03-31T23:00:00Z", key), State::kOverdue);
  // The next year's letter is an obligation from 1 Apr 2027 (00:00 BST).
  obs = s.Evaluate("S2.4-7.13", "2027-03-31T23:00:00Z");
  const Obligation& next = FindKey(obs, "S2.4-7.13/contract/0/2028");
  EXPECT_EQ(FormatInstantUtc(next.trigger), "2027-03-31T23:00:00.000Z");
  EXPECT_EQ(FormatInstantUtc(next.due), "2028-03-31T22:59:59.999Z");  // BST from 26 Mar 2028
}

TEST(Rule7_13, TheLetterMustBeProvidedByTheDateNotJustSigned) {
  for (const auto& [signed_on, provided, expected] :
       {std::tuple{"2027-03-25", "2027-03-31", State::kMetOnTime},
        std::tuple{"2027-03-25", "2027-04-01", State::kMetLate},
        std::tuple{"2027-03-31", "", State::kMetOnTime},
        std::tuple{"2027-04-01", "", State::kMetLate}}) {
    ScenarioBuilder s;
    s.Effective("2026-04-01");
    s.Deliverable("ceo_letter", signed_on, provided, "2027");
    auto obs = s.Evaluate("S2.4-7.13", "2027-04-10T12:00:00Z");
    EXPECT_EQ(FindKey(obs, "S2.4-7.13/contract/0/2027").state, expected)
        << signed_on << " " << provided;
    // One letter answers one year only.
    EXPECT_EQ(FindKey(obs, "S2.4-7.13/contract/0/2028").state, State::kUpcoming);
  }
}

TEST(Rule7_13, AContractStartingBefore31MarchOwesALetterThatYear) {
  ScenarioBuilder s;
  s.Effective("2026-03-15");
  const Obligation o = Get(s, "S2.4-7.13", "2026-03-16T12:00:00Z", "S2.4-7.13/contract/0/2026");
  EXPECT_EQ(FormatInstantUtc(o.trigger), "2026-03-15T00:00:00.000Z");
  EXPECT_EQ(FormatInstantUtc(o.due), "2026-03-31T22:59:59.999Z");  // BST from 29 Mar 2026
}

// A letter counts for the year it covers (its period), not for the next year open when it
// arrives: last year's letter arriving late is last year's, met late.
TEST(Rule7_13, ALetterCountsForTheYearItCoversWheneverItArrives) {
  ScenarioBuilder s;
  s.Effective("2026-04-01");
  // The letter for the year ending 31 March 2027 arrives on Thu 15 Apr 2027, late.
  s.Deliverable("ceo_letter", "2027-04-14", "2027-04-15", "2027");
  auto obs = s.Evaluate("S2.4-7.13", "2027-04-20T12:00:00Z");
  EXPECT_EQ(FindKey(obs, "S2.4-7.13/contract/0/2027").state, State::kMetLate);
  EXPECT_EQ(FindKey(obs, "S2.4-7.13/contract/0/2028").state, State::kUpcoming);

  // A year whose letter never came stays unmet when next year's letter arrives on time.
  ScenarioBuilder t;
  t.Effective("2026-04-01");
  t.Deliverable("ceo_letter", "2028-03-20", "2028-03-21", "2028");
  obs = t.Evaluate("S2.4-7.13", "2028-03-25T12:00:00Z");
  EXPECT_EQ(FindKey(obs, "S2.4-7.13/contract/0/2027").state, State::kOverdue);
  const Obligation& y2028 = FindKey(obs, "S2.4-7.13/contract/0/2028");
  EXPECT_EQ(y2028.state, State::kMetOnTime);
  EXPECT_EQ(y2028.met_by, "Letter ceo_letter 2028-03-20");
  // A letter provided before its year began (1 Apr 2027 for 2028) does not count for it.
  ScenarioBuilder u;
  u.Effective("2026-04-01");
  u.Deliverable("ceo_letter", "2027-03-20", "2027-03-21", "2028");
  obs = u.Evaluate("S2.4-7.13", "2027-04-02T12:00:00Z");
  EXPECT_EQ(FindKey(obs, "S2.4-7.13/contract/0/2027").state, State::kOverdue);
  EXPECT_EQ(FindKey(obs, "S2.4-7.13/contract/0/2028").state, State::kUpcoming);
}

// ---- S2.4-10.1: the Security Incident log at least quarterly ---------------------------------

// Each calendar quarter's log (from the Effective Date) can be complete only after the quarter:
// the obligation starts the day after it and is due by the end of the next quarter (one log a
// quarter, covering the one before).
TEST(Rule10_1, EachQuartersLogIsDueByTheEndOfTheNextQuarter) {
  ScenarioBuilder s;
  s.Effective("2026-04-01");
  s.Deliverable("incident_log", "2026-07-03", "2026-07-03", "2026-Q2");
  const std::string q2 = "S2.4-10.1/contract/0/2026-Q2";
  const std::string q3 = "S2.4-10.1/contract/0/2026-Q3";

  // Not an obligation while the quarter runs (00:00 BST Wed 1 Jul 2026 = 2026-06-30T23:00Z).
  EXPECT_FALSE(HasKey(s.Evaluate("S2.4-10.1", "2026-06-30T22:59:59.999Z"), q2));
  auto obs = s.Evaluate("S2.4-10.1", "2026-07-01T12:00:00Z");
  ASSERT_EQ(obs.size(), 1u);  // Q2 only; Q3 has not ended
  const Obligation& o = FindKey(obs, q2);
  EXPECT_EQ(FormatInstantUtc(o.trigger), "2026-06-30T23:00:00.000Z");
  EXPECT_EQ(FormatInstantUtc(o.due), "2026-09-30T22:59:59.999Z");  // end of Q3, BST
  EXPECT_EQ(o.consequence, 0u);
  EXPECT_EQ(o.state, State::kUpcoming);
  EXPECT_EQ(o.action,
            "Provide the Customer with the Security Incident log for Q2 2026 (1 Apr 2026 to 30 Jun "
            "2026)");
  EXPECT_EQ(StateAt(s, "S2.4-10.1", "2026-07-03T12:00:00Z", q2), State::kMetOnTime);

  // Q3 (Jul-Sep) is due by Thu 31 Dec 2026 (GMT); 5 WD from Mon 21 Dec reach Wed 30 Dec (24,
  // 29, 30 Dec after the holidays); from Tue 22 Dec, Thu 31 Dec.
  const Obligation q = Get(s, "S2.4-10.1", "2026-10-01T12:00:00Z", q3);
  EXPECT_EQ(FormatInstantUtc(q.trigger), "2026-09-30T23:00:00.000Z");
  EXPECT_EQ(FormatInstantUtc(q.due), "2026-12-31T23:59:59.999Z");
  EXPECT_EQ(StateAt(s, "S2.4-10.1", "2026-12-21T12:00:00Z", q3), State::kUpcoming);
  EXPECT_EQ(StateAt(s, "S2.4-10.1", "2026-12-22T12:00:00Z", q3), State::kDueSoon);
  EXPECT_EQ(StateAt(s, "S2.4-10.1", "2027-01-01T00:00:00Z", q3), State::kOverdue);
}

// A log counts for the quarter it covers, whenever it arrives; a quarter that has not ended
// cannot be met (a log provided on or before its last day is not a full log of it).
TEST(Rule10_1, ALogCountsForItsQuarterAndNotBeforeTheQuarterHasEnded) {
  ScenarioBuilder s;
  s.Effective("2026-05-15");
  // Q2's log arrives late, on Fri 2 Oct 2026: it is Q2's (met late), not Q3's.
  s.Deliverable("incident_log", "2026-10-01", "2026-10-02", "2026-Q2");
  // A "Q3" log provided on Wed 30 Sep, the quarter's last day: it cannot be met by it.
  s.Deliverable("incident_log", "2026-09-30", "2026-09-30", "2026-Q3");
  auto obs = s.Evaluate("S2.4-10.1", "2026-10-05T12:00:00Z");
  const Obligation& q2 = FindKey(obs, "S2.4-10.1/contract/0/2026-Q2");
  // Q2 starts on the Effective Date, mid-quarter.
  EXPECT_EQ(q2.action,
            "Provide the Customer with the Security Incident log for Q2 2026 (15 May 2026 to 30 "
            "Jun 2026)");
  EXPECT_EQ(q2.state, State::kMetLate);
  EXPECT_EQ(FormatInstantUtc(*q2.met_at), "2026-10-01T23:00:00.000Z");
  const Obligation& q3 = FindKey(obs, "S2.4-10.1/contract/0/2026-Q3");
  EXPECT_FALSE(q3.met_at.has_value());
  EXPECT_EQ(q3.state, State::kUpcoming);
  EXPECT_EQ(obs.size(), 2u);

  // Provided the day after the quarter: met on time.
  s.Deliverable("incident_log", "2026-10-01", "2026-10-01", "2026-Q3");
  EXPECT_EQ(StateAt(s, "S2.4-10.1", "2026-10-05T12:00:00Z", "S2.4-10.1/contract/0/2026-Q3"),
            State::kMetOnTime);
}

}  // namespace
}  // namespace accredit::clocks
