// S2.4-5.5 (resubmission; the Customer's 15 Working Day target), 5.8, 5.9, 5.11 and 5.12: the
// accreditation rules. Every due instant below is worked out by hand from the clause text and
// docs/CLOCKS.md (end of the Nth Working Day after the London day of the trigger; England and
// Wales bank holidays; 23:59:59.999 London, i.e. 22:59:59.999Z in BST).

#include <gtest/gtest.h>

#include "clocks/clocks.h"
#include "clocks_testing.h"

namespace accredit::clocks {
namespace {

using testing::At;
using testing::FindKey;
using testing::Get;
using testing::HasKey;
using testing::Key;
using testing::ScenarioBuilder;
using testing::StateAt;

// ---- S2.4-5.5: resubmit within 10 Working Days of a notice of non-approval -------------------

TEST(Rule5_5Resubmit, DueTenWorkingDaysAfterTheNonApprovalAcrossEaster) {
  ScenarioBuilder s;
  s.Effective("2026-03-01");
  s.Accreditation(AccreditationKind::kSubmission, "2026-03-16T10:00:00Z", 1);
  // Notice of non-approval Thu 2 Apr 2026 15:00 BST. Fri 3 Apr (Good Friday), the weekend and
  // Mon 6 Apr (Easter Monday) are not Working Days: 7, 8, 9, 10, 13, 14, 15, 16, 17, 20 Apr ->
  // day 10 is Mon 20 Apr 2026, due 23:59:59.999 BST = 22:59:59.999Z.
  const auto na = s.Accreditation(AccreditationKind::kNonApproval, "2026-04-02T14:00:00Z");
  const std::string key = Key("S2.4-5.5/accreditation_events/", na, "resubmit");

  EXPECT_FALSE(HasKey(s.Evaluate("S2.4-5.5", "2026-04-02T13:59:59.999Z"), key));
  auto obs = s.Evaluate("S2.4-5.5", "2026-04-02T14:00:00Z");
  const Obligation& o = FindKey(obs, key);
  EXPECT_EQ(o.clause, "S2.4-5.5");
  EXPECT_EQ(FormatInstantUtc(o.trigger), "2026-04-02T14:00:00.000Z");
  EXPECT_EQ(FormatInstantUtc(o.due), "2026-04-20T22:59:59.999Z");
  EXPECT_EQ(o.consequence, 0u);
  EXPECT_FALSE(o.customer_side);
  EXPECT_FALSE(o.precondition);
  EXPECT_EQ(o.state, State::kUpcoming);
  EXPECT_EQ(o.Text(),
            "Amend the RMD and resubmit it after the non-approval notice of 2 Apr 2026 "
            "(S2.4-5.5), due Mon 20 Apr 2026 23:59");

  // Warning window 5 WD: from Fri 10 Apr it reaches Fri 17 Apr (upcoming); from Mon 13 Apr it
  // reaches Mon 20 Apr (due soon).
  EXPECT_EQ(StateAt(s, "S2.4-5.5", "2026-04-10T12:00:00Z", key), State::kUpcoming);
  EXPECT_EQ(StateAt(s, "S2.4-5.5", "2026-04-13T08:00:00Z", key), State::kDueSoon);
  EXPECT_EQ(StateAt(s, "S2.4-5.5", "2026-04-20T22:59:59.999Z", key), State::kDueSoon);
  EXPECT_EQ(StateAt(s, "S2.4-5.5", "2026-04-20T23:00:00Z", key), State::kOverdue);
}

TEST(Rule5_5Resubmit, MetByTheNextSubmissionOnTimeOrLate) {
  for (const auto& [resubmitted, expected] :
       {std::pair{"2026-04-20T22:59:59.999Z", State::kMetOnTime},
        std::pair{"2026-04-20T23:00:00Z", State::kMetLate}}) {
    ScenarioBuilder s;
    s.Accreditation(AccreditationKind::kSubmission, "2026-03-16T10:00:00Z", 1);
    const auto na = s.Accreditation(AccreditationKind::kNonApproval, "2026-04-02T14:00:00Z");
    s.Accreditation(AccreditationKind::kSubmission, resubmitted, 2);
    const std::string key = Key("S2.4-5.5/accreditation_events/", na, "resubmit");
    const Obligation o = Get(s, "S2.4-5.5", "2026-05-01T12:00:00Z", key);
    EXPECT_EQ(o.state, expected) << resubmitted;
    EXPECT_EQ(o.met_by, "RMD resubmitted");
    // Evaluated before the resubmission, it is still open.
    EXPECT_TRUE(IsOpen(StateAt(s, "S2.4-5.5", "2026-04-15T12:00:00Z", key)));
  }
}

// ---- S2.4-5.5: the approval process no longer than 15 WD from the first submission ------------

TEST(Rule5_5CustomerTarget, FifteenWorkingDaysFromTheFirstSubmissionAcrossBstAndEaster) {
  ScenarioBuilder s;
  // First submission Mon 16 Mar 2026 10:00 GMT. 15 WD: 17, 18, 19, 20, 23, 24, 25, 26, 27 Mar
  // (9), [BST from Sun 29 Mar] 30, 31 Mar, 1, 2 Apr (13), [3 Apr Good Friday .. 6 Apr Easter
  // Monday], 7 (14), 8 Apr (15) -> Wed 8 Apr 2026 23:59:59.999 BST = 22:59:59.999Z.
  const auto sub = s.Accreditation(AccreditationKind::kSubmission, "2026-03-16T10:00:00Z", 1);
  const std::string key = Key("S2.4-5.5/accreditation_events/", sub, "approval-target");
  const Obligation o = Get(s, "S2.4-5.5", "2026-03-16T10:00:00Z", key);
  EXPECT_EQ(FormatInstantUtc(o.due), "2026-04-08T22:59:59.999Z");
  EXPECT_TRUE(o.customer_side);
  EXPECT_EQ(o.consequence, kCustomerTarget);
  EXPECT_FALSE(o.precondition);
  EXPECT_EQ(o.state, State::kUpcoming);

  // 5 WD from Fri 27 Mar reach Tue 7 Apr (upcoming); from Mon 30 Mar they reach Wed 8 Apr.
  EXPECT_EQ(StateAt(s, "S2.4-5.5", "2026-03-27T12:00:00Z", key), State::kUpcoming);
  EXPECT_EQ(StateAt(s, "S2.4-5.5", "2026-03-30T09:00:00Z", key), State::kDueSoon);
  EXPECT_EQ(StateAt(s, "S2.4-5.5", "2026-04-08T22:59:59.999Z", key), State::kDueSoon);
  EXPECT_EQ(StateAt(s, "S2.4-5.5", "2026-04-08T23:00:00Z", key), State::kOverdue);

  s.Accreditation(AccreditationKind::kApproval, "2026-04-08T16:00:00Z");
  const Obligation met = Get(s, "S2.4-5.5", "2026-04-20T12:00:00Z", key);
  EXPECT_EQ(met.state, State::kMetOnTime);
  EXPECT_EQ(met.met_by, "Approval Statement");
}

TEST(Rule5_5CustomerTarget, AResubmissionDoesNotRestartTheCountButANewCycleDoes) {
  ScenarioBuilder s;
  const auto first = s.Accreditation(AccreditationKind::kSubmission, "2026-03-16T10:00:00Z", 1);
  s.Accreditation(AccreditationKind::kNonApproval, "2026-04-02T14:00:00Z");
  const auto resub = s.Accreditation(AccreditationKind::kSubmission, "2026-04-17T09:00:00Z", 2);
  s.Accreditation(AccreditationKind::kApproval, "2026-05-06T10:00:00Z");
  // The next year's submission (after an approval) starts a new cycle: Mon 3 May 2027 is the
  // early May bank holiday, so a submission on Fri 30 Apr 2027 10:00 BST counts 4, 5, 6, 7 May
  // (4), 10-14 (9), 17-21 (14), 24 May (15) -> due Mon 24 May 2027 22:59:59.999Z.
  const auto next = s.Accreditation(AccreditationKind::kSubmission, "2027-04-30T09:00:00Z", 3);

  auto obs = s.Evaluate("S2.4-5.5", "2027-05-03T12:00:00Z");
  const Obligation& o =
      FindKey(obs, Key("S2.4-5.5/accreditation_events/", first, "approval-target"));
  EXPECT_EQ(FormatInstantUtc(o.due), "2026-04-08T22:59:59.999Z");  // from the first submission
  EXPECT_EQ(o.state, State::kMetLate);                             // approved 6 May 2026
  EXPECT_FALSE(HasKey(obs, Key("S2.4-5.5/accreditation_events/", resub, "approval-target")));
  const Obligation& n =
      FindKey(obs, Key("S2.4-5.5/accreditation_events/", next, "approval-target"));
  EXPECT_EQ(FormatInstantUtc(n.due), "2027-05-24T22:59:59.999Z");
  EXPECT_EQ(n.state, State::kUpcoming);
  int targets = 0;
  for (const Obligation& x : obs) {
    targets += x.customer_side ? 1 : 0;
  }
  EXPECT_EQ(targets, 2);
}

// ---- S2.4-5.8: ready for an Accreditation Decision within 20 WD of a Rejection Notice --------

TEST(Rule5_8, TwentyWorkingDaysAfterTheRejectionNoticeAcrossChristmas) {
  ScenarioBuilder s;
  s.Accreditation(AccreditationKind::kReadyForDecision, "2026-11-02T10:00:00Z");  // before: no
  // Rejection Notice Fri 18 Dec 2026 11:00 GMT. 20 WD: 21, 22, 23, 24 Dec (4), [25 Christmas,
  // weekend, 28 Boxing Day substitute], 29, 30, 31 Dec (7), [1 Jan], 4-8 Jan (12), 11-15 (17),
  // 18, 19, 20 Jan (20) -> Wed 20 Jan 2027 23:59:59.999 GMT.
  const auto rej = s.Accreditation(AccreditationKind::kRejectionNotice, "2026-12-18T11:00:00Z");
  const std::string key = Key("S2.4-5.8/accreditation_events/", rej, "ready");
  EXPECT_FALSE(HasKey(s.Evaluate("S2.4-5.8", "2026-12-18T10:59:59Z"), key));
  const Obligation o = Get(s, "S2.4-5.8", "2026-12-18T11:00:00Z", key);
  EXPECT_EQ(FormatInstantUtc(o.trigger), "2026-12-18T11:00:00.000Z");
  EXPECT_EQ(FormatInstantUtc(o.due), "2027-01-20T23:59:59.999Z");
  EXPECT_EQ(o.consequence, 0u);
  EXPECT_EQ(o.state, State::kUpcoming);
  EXPECT_FALSE(o.met_at.has_value());  // the earlier readiness does not answer this notice

  // 5 WD from Tue 12 Jan reach Tue 19 Jan; from Wed 13 Jan they reach Wed 20 Jan.
  EXPECT_EQ(StateAt(s, "S2.4-5.8", "2027-01-12T12:00:00Z", key), State::kUpcoming);
  EXPECT_EQ(StateAt(s, "S2.4-5.8", "2027-01-13T12:00:00Z", key), State::kDueSoon);
  EXPECT_EQ(StateAt(s, "S2.4-5.8", "2027-01-21T00:00:00Z", key), State::kOverdue);
}

TEST(Rule5_8, MetByTheNextReadinessNoticeOnTimeOrLate) {
  for (const auto& [ready, expected] : {std::pair{"2027-01-20T23:59:59.999Z", State::kMetOnTime},
                                        std::pair{"2027-01-21T00:00:00Z", State::kMetLate}}) {
    ScenarioBuilder s;
    const auto rej = s.Accreditation(AccreditationKind::kRejectionNotice, "2026-12-18T11:00:00Z");
    s.Accreditation(AccreditationKind::kReadyForDecision, ready);
    const Obligation o = Get(s, "S2.4-5.8", "2027-02-01T12:00:00Z",
                             Key("S2.4-5.8/accreditation_events/", rej, "ready"));
    EXPECT_EQ(o.state, expected) << ready;
    EXPECT_EQ(o.met_by, "Ready for an Accreditation Decision");
  }
}

// ---- S2.4-5.9: a further Rejection Notice is a material Default ------------------------------

TEST(Rule5_9, OnlyAFurtherRejectionNoticeIsAMaterialDefault) {
  ScenarioBuilder s;
  const auto first = s.Accreditation(AccreditationKind::kRejectionNotice, "2026-12-18T11:00:00Z");
  s.Accreditation(AccreditationKind::kReadyForDecision, "2027-01-15T10:00:00Z");
  const auto second = s.Accreditation(AccreditationKind::kRejectionNotice, "2027-02-02T14:00:00Z");
  const std::string key = Key("S2.4-5.9/accreditation_events/", second);

  auto obs = s.Evaluate("S2.4-5.9", "2027-02-02T13:59:59.999Z");
  EXPECT_TRUE(obs.empty());  // one Rejection Notice alone is not a Default
  EXPECT_FALSE(HasKey(obs, Key("S2.4-5.9/accreditation_events/", first)));

  obs = s.Evaluate("S2.4-5.9", "2027-02-02T14:00:00Z");
  ASSERT_EQ(obs.size(), 1u);
  const Obligation& o = FindKey(obs, key);
  EXPECT_EQ(o.clause, "S2.4-5.9");
  EXPECT_EQ(o.consequence, kMaterialDefault | kTerminationRight);
  // The Default happens at the further notice: due at that instant, overdue right after it.
  EXPECT_EQ(FormatInstantUtc(o.due), "2027-02-02T14:00:00.000Z");
  EXPECT_EQ(o.state, State::kDueSoon);
  EXPECT_EQ(StateAt(s, "S2.4-5.9", "2027-02-02T14:00:00.001Z", key), State::kOverdue);

  // A later Approval Statement remedies it, late; a rejection after that approval starts afresh.
  s.Accreditation(AccreditationKind::kApproval, "2027-03-10T10:00:00Z");
  const auto after = s.Accreditation(AccreditationKind::kRejectionNotice, "2027-09-01T10:00:00Z");
  obs = s.Evaluate("S2.4-5.9", "2027-09-10T10:00:00Z");
  ASSERT_EQ(obs.size(), 1u);
  EXPECT_EQ(FindKey(obs, key).state, State::kMetLate);
  EXPECT_FALSE(HasKey(obs, Key("S2.4-5.9/accreditation_events/", after)));
}

// ---- S2.4-5.11: no processing of Customer Data before an Approval Statement ------------------

TEST(Rule5_11, APreconditionDueAtServiceCommencementMetOrNotMet) {
  ScenarioBuilder s;
  s.Effective("2026-04-01").ServiceCommencement("2026-07-01");
  const std::string key = "S2.4-5.11/contract/0";

  auto obs = s.Evaluate("S2.4-5.11", "2026-05-01T12:00:00Z");
  ASSERT_EQ(obs.size(), 1u);
  const Obligation& o = FindKey(obs, key);
  EXPECT_TRUE(o.precondition);
  EXPECT_EQ(o.consequence, kProcessingBar);
  EXPECT_EQ(o.subject.label, "Core IMS");
  // From the Effective Date (00:00 BST 1 Apr) to the start of Wed 1 Jul 2026 (00:00 BST).
  EXPECT_EQ(FormatInstantUtc(o.trigger), "2026-03-31T23:00:00.000Z");
  EXPECT_EQ(FormatInstantUtc(o.due), "2026-06-30T23:00:00.000Z");
  EXPECT_EQ(o.state, State::kUpcoming);
  // 5 WD from Thu 25 Jun reach Thu 2 Jul, past the start of 1 Jul.
  EXPECT_EQ(StateAt(s, "S2.4-5.11", "2026-06-25T12:00:00Z", key), State::kDueSoon);
  const Obligation late = Get(s, "S2.4-5.11", "2026-07-01T00:00:00Z", key);
  EXPECT_EQ(late.state, State::kOverdue);
  EXPECT_EQ(late.Text(),
            "Obtain a Risk Management Approval Statement before the Core IMS processes Customer "
            "Data (S2.4-5.11), due Wed 1 Jul 2026 00:00; not met");

  // An Approval Statement after commencement meets it: a precondition is met or not, never late.
  s.Accreditation(AccreditationKind::kApproval, "2026-07-10T10:00:00Z", 3, "RMAS-1");
  const Obligation met = Get(s, "S2.4-5.11", "2026-07-10T10:00:00Z", key);
  EXPECT_EQ(met.state, State::kMetOnTime);
  EXPECT_EQ(met.met_by, "Approval Statement RMAS-1");
  EXPECT_EQ(StateAt(s, "S2.4-5.11", "2026-07-10T09:59:59Z", key), State::kOverdue);
}

TEST(Rule5_11, WithoutACommencementDateTheEffectiveDateIsTheDeadline) {
  ScenarioBuilder s;
  s.Effective("2026-11-02");  // GMT: 00:00 London = 00:00Z
  const Obligation o = Get(s, "S2.4-5.11", "2026-11-02T00:00:00Z", "S2.4-5.11/contract/0");
  EXPECT_EQ(FormatInstantUtc(o.due), "2026-11-02T00:00:00.000Z");
}

// ---- S2.4-5.12: the RMD updated annually -----------------------------------------------------

TEST(Rule5_12, EachVersionIsDueForUpdateAYearAfterItsLondonIssueDay) {
  ScenarioBuilder s;
  // Issued 00:30 BST on Sun 25 Oct 2026 (the clock-change day; the UTC date is 24 Oct). A year
  // after London day 25 Oct 2026 is 25 Oct 2027, still BST -> 2027-10-25T22:59:59.999Z.
  s.RmdVersion(1, "2026-10-24T23:30:00Z");
  const std::string key = "S2.4-5.12/rmd_versions/1";
  EXPECT_FALSE(HasKey(s.Evaluate("S2.4-5.12", "2026-10-24T23:29:59Z"), key));
  const Obligation o = Get(s, "S2.4-5.12", "2026-10-24T23:30:00Z", key);
  EXPECT_EQ(FormatInstantUtc(o.due), "2027-10-25T22:59:59.999Z");
  EXPECT_EQ(o.consequence, 0u);
  EXPECT_EQ(o.state, State::kUpcoming);
  // 5 WD from Fri 15 Oct 2027 reach Fri 22 Oct; from Mon 18 Oct they reach Mon 25 Oct.
  EXPECT_EQ(StateAt(s, "S2.4-5.12", "2027-10-15T12:00:00Z", key), State::kUpcoming);
  EXPECT_EQ(StateAt(s, "S2.4-5.12", "2027-10-18T12:00:00Z", key), State::kDueSoon);
  EXPECT_EQ(StateAt(s, "S2.4-5.12", "2027-10-25T23:00:00Z", key), State::kOverdue);
}

TEST(Rule5_12, MetByTheNextIssuedVersion) {
  for (const auto& [issued, expected] : {std::pair{"2027-10-25T22:59:59.999Z", State::kMetOnTime},
                                         std::pair{"2027-10-25T23:00:00Z", State::kMetLate}}) {
    ScenarioBuilder s;
    s.RmdVersion(1, "2026-10-24T23:30:00Z");
    s.RmdVersion(2, issued);
    auto obs = s.Evaluate("S2.4-5.12", "2027-11-01T12:00:00Z");
    const Obligation& o = FindKey(obs, "S2.4-5.12/rmd_versions/1");
    EXPECT_EQ(o.state, expected) << issued;
    EXPECT_EQ(o.met_by, "RMD version 2 issued");
    // Version 2 starts its own year, open.
    EXPECT_EQ(FindKey(obs, "S2.4-5.12/rmd_versions/2").state, State::kUpcoming);
  }
}

}  // namespace
}  // namespace accredit::clocks
