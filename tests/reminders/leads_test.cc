// Lead times: fire instants across weekends, bank holidays and both clock changes.

#include <gtest/gtest.h>

#include "reminders/reminders.h"

namespace accredit::reminders {
namespace {

Instant At(const char* iso) {
  auto t = ParseInstant(iso);
  EXPECT_TRUE(t.ok()) << iso;
  return t.value();
}

Lead Wd(int n) {
  return Lead{LeadKind::kWorkingDaysBefore, n};
}

Lead D(int n) {
  return Lead{LeadKind::kDaysBefore, n};
}

const Lead kDue{LeadKind::kDue, 0};

std::string Fire(const Lead& lead, const char* visible, const char* due,
                 const Calendar& cal = Calendar()) {
  auto f = FireAt(lead, At(visible), At(due), cal);
  return f ? FormatInstantUtc(*f) : "never";
}

TEST(LeadsTest, ParseAndFormat) {
  auto leads = ParseLeads("5wd, 1wd,due ,overdue,3d");
  ASSERT_TRUE(leads.ok()) << leads.error().message;
  EXPECT_EQ(FormatLeads(*leads), "5wd,1wd,due,overdue,3d");
  EXPECT_EQ(FormatLeads(DefaultLeads()), "5wd,1wd,due,overdue");
  for (const char* bad :
       {"", "5", "wd", "0wd", "61d", "5w", "due,due", "-1d", "1.5wd", "soon", "5wd,,x"}) {
    auto r = ParseLeads(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().field, "leads") << bad;
  }
}

// Notified of an event on Thu 2 Apr 2026 (BST); "within 2 Working Days" skips Good Friday,
// the weekend and Easter Monday: due Wed 8 Apr 23:59:59.999 BST.
TEST(LeadsTest, EasterBankHolidaysAndBst) {
  const char* visible = "2026-04-02T09:00:00Z";
  const char* due = "2026-04-08T22:59:59.999Z";
  // 1 Working Day before Wed 8 is Tue 7 Apr, 09:00 BST = 08:00Z.
  EXPECT_EQ(Fire(Wd(1), visible, due), "2026-04-07T08:00:00.000Z");
  // 2 Working Days before is Thu 2 Apr (Mon 6 and Fri 3 are bank holidays): 08:00Z, which is
  // before the obligation was known (09:00Z), so it never fires.
  EXPECT_EQ(Fire(Wd(2), visible, due), "never");
  EXPECT_EQ(Fire(Wd(2), "2026-04-02T07:00:00Z", due), "2026-04-02T08:00:00.000Z");
  EXPECT_EQ(Fire(Wd(5), "2026-03-01T00:00:00Z", due), "2026-03-30T08:00:00.000Z");
  // Calendar days count the holidays: 3 days before Wed 8 is Sun 5 Apr.
  EXPECT_EQ(Fire(D(3), visible, due), "2026-04-05T08:00:00.000Z");
  EXPECT_EQ(Fire(kDue, visible, due), "2026-04-08T08:00:00.000Z");
}

TEST(LeadsTest, ChristmasAndClosureDays) {
  // Due Tue 29 Dec 2026: Fri 25 (Christmas), Mon 28 (Boxing Day substitute) and the weekend are
  // not Working Days, so 1 Working Day before is Thu 24 Dec (GMT: 09:00Z).
  const char* visible = "2026-12-01T00:00:00Z";
  const char* due = "2026-12-29T23:59:59.999Z";
  EXPECT_EQ(Fire(Wd(1), visible, due), "2026-12-24T09:00:00.000Z");
  EXPECT_EQ(Fire(Wd(3), visible, due), "2026-12-22T09:00:00.000Z");
  Calendar cal;
  cal.AddClosureDay(*ParseDate("2026-12-24"), "Office closed");
  EXPECT_EQ(Fire(Wd(1), visible, due, cal), "2026-12-23T09:00:00.000Z");
}

TEST(LeadsTest, ClockChanges) {
  // Spring: due Mon 30 Mar 2026 (BST). 1 day before is Sun 29 Mar, the day the clocks go forward:
  // 09:00 BST = 08:00Z. 1 Working Day before is Fri 27 Mar, still GMT: 09:00Z.
  const char* visible = "2026-03-01T00:00:00Z";
  EXPECT_EQ(Fire(D(1), visible, "2026-03-30T22:59:59.999Z"), "2026-03-29T08:00:00.000Z");
  EXPECT_EQ(Fire(Wd(1), visible, "2026-03-30T22:59:59.999Z"), "2026-03-27T09:00:00.000Z");
  // Autumn: due Mon 26 Oct 2026 (GMT). Sun 25 Oct is GMT from 01:00 UTC: 09:00Z; Sat 24 Oct is
  // BST: 08:00Z.
  EXPECT_EQ(Fire(D(1), visible, "2026-10-26T23:59:59.999Z"), "2026-10-25T09:00:00.000Z");
  EXPECT_EQ(Fire(D(2), visible, "2026-10-26T23:59:59.999Z"), "2026-10-24T08:00:00.000Z");
  EXPECT_EQ(FormatInstantUtc(NineAmLondon(*ParseDate("2026-03-29"))), "2026-03-29T08:00:00.000Z");
  EXPECT_EQ(FormatInstantUtc(NineAmLondon(*ParseDate("2026-10-25"))), "2026-10-25T09:00:00.000Z");
}

TEST(LeadsTest, DueLeadNeverBeforeVisibleNorAfterTheDeadline) {
  // A same-day duty known at 14:00 BST: the "due" reminder fires when it becomes known.
  EXPECT_EQ(Fire(kDue, "2026-04-08T13:00:00Z", "2026-04-08T22:59:59.999Z"),
            "2026-04-08T13:00:00.000Z");
  // A deadline at 07:00 BST (counted in hours) fires at the deadline, not at 09:00.
  EXPECT_EQ(Fire(kDue, "2026-04-07T00:00:00Z", "2026-04-08T06:00:00Z"), "2026-04-08T06:00:00.000Z");
  // Known only after its deadline: no "due" reminder (the overdue ones cover it).
  EXPECT_EQ(Fire(kDue, "2026-04-09T10:00:00Z", "2026-04-08T22:59:59.999Z"), "never");
}

TEST(LeadsTest, OverdueIsDailyFromTheDayAfterTheDueDate) {
  const Instant due = At("2026-04-08T22:59:59.999Z");
  EXPECT_FALSE(OverdueFireAt(*ParseDate("2026-04-08"), due).has_value());
  EXPECT_EQ(FormatInstantUtc(*OverdueFireAt(*ParseDate("2026-04-09"), due)),
            "2026-04-09T08:00:00.000Z");
  EXPECT_EQ(FormatInstantUtc(*OverdueFireAt(*ParseDate("2026-11-02"), due)),
            "2026-11-02T09:00:00.000Z");  // GMT again
}

std::vector<std::string> Keys(const std::vector<Occurrence>& occ) {
  std::vector<std::string> out;
  for (const Occurrence& o : occ) {
    out.push_back(o.key + "@" + FormatInstantUtc(o.fire_at));
  }
  return out;
}

TEST(LeadsTest, FiredOccurrencesHoldOnlyTheLatestOverdueDay) {
  const Calendar cal;
  const auto leads = DefaultLeads();
  const Instant visible = At("2026-04-02T09:00:00Z");
  const Instant due = At("2026-04-08T22:59:59.999Z");
  using V = std::vector<std::string>;
  EXPECT_EQ(Keys(FiredOccurrences(leads, visible, due, At("2026-04-07T07:59:59Z"), cal)), V{});
  EXPECT_EQ(Keys(FiredOccurrences(leads, visible, due, At("2026-04-07T08:00:00Z"), cal)),
            V{"1wd@2026-04-07T08:00:00.000Z"});
  EXPECT_EQ(Keys(FiredOccurrences(leads, visible, due, At("2026-04-09T07:59:00Z"), cal)),
            (V{"1wd@2026-04-07T08:00:00.000Z", "due@2026-04-08T08:00:00.000Z"}));
  EXPECT_EQ(Keys(FiredOccurrences(leads, visible, due, At("2026-04-14T07:00:00Z"), cal)),
            (V{"1wd@2026-04-07T08:00:00.000Z", "due@2026-04-08T08:00:00.000Z",
               "overdue/2026-04-13@2026-04-13T08:00:00.000Z"}));
  EXPECT_EQ(Keys(FiredOccurrences(leads, visible, due, At("2026-04-14T08:00:00Z"), cal)),
            (V{"1wd@2026-04-07T08:00:00.000Z", "due@2026-04-08T08:00:00.000Z",
               "overdue/2026-04-14@2026-04-14T08:00:00.000Z"}));
}

}  // namespace
}  // namespace accredit::reminders
