#include "core/calendar.h"

#include <array>
#include <chrono>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

namespace accredit {
namespace {

namespace chr = std::chrono;

Date D(int y, unsigned m, unsigned d) {
  return Date{chr::year(y), chr::month(m), chr::day(d)};
}

Date Plus(Date d, int days) {
  return Date(chr::sys_days{d} + chr::days(days));
}

bool IsWeekend(Date d) {
  const chr::weekday w(chr::sys_days{d});
  return w == chr::Saturday || w == chr::Sunday;
}

Instant T(std::string_view text) {
  const Result<Instant> r = ParseInstant(text);
  EXPECT_TRUE(r.has_value()) << text;
  return r.value_or(Instant{});
}

std::string ReadTestData(const std::string& name) {
  const std::string path = std::string(ACC_SOURCE_DIR) + "/tests/core/testdata/" + name;
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << path;
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// GOV.UK's typographic apostrophe (U+2019) as UTF-8.
constexpr const char* kNewYearsDay = "New Year\xE2\x80\x99s Day";

// Reference implementation: a day-by-day walk over an explicit holiday set.
class NaiveCalendar {
 public:
  NaiveCalendar(const Calendar& cal, int first_year, int last_year) {
    for (int y = first_year; y <= last_year; ++y) {
      for (const Holiday& h : cal.Holidays(y)) {
        days_.insert(chr::sys_days{h.date});
      }
    }
  }

  bool IsWorkingDay(Date d) const { return !IsWeekend(d) && !days_.contains(chr::sys_days{d}); }

  Date AddWorkingDays(Date d, int n) const {
    while (n > 0) {
      d = Plus(d, 1);
      if (IsWorkingDay(d)) {
        --n;
      }
    }
    return d;
  }

 private:
  std::set<chr::sys_days> days_;
};

// ---------------------------------------------------------------------------------------------
// Bank holidays by rule.

TEST(RuleHolidaysTest, EnglandAndWales1995To2030MatchGoldenList) {
  const std::string tsv = ReadTestData("england-and-wales-1995-2030.tsv");
  std::map<int, std::vector<Holiday>> golden;
  std::istringstream lines(tsv);
  std::string line;
  int count = 0;
  while (std::getline(lines, line)) {
    if (line.empty()) {
      continue;
    }
    const auto tab = line.find('\t');
    ASSERT_NE(tab, std::string::npos) << line;
    const Result<Date> date = ParseDate(line.substr(0, tab));
    ASSERT_TRUE(date.has_value()) << line;
    golden[static_cast<int>(date->year())].push_back({*date, line.substr(tab + 1)});
    ++count;
  }
  ASSERT_GT(count, 36 * 8 - 1);
  ASSERT_EQ(golden.size(), 36U);

  const Calendar cal;
  for (int y = 1995; y <= 2030; ++y) {
    const std::vector<Holiday> got = RuleHolidays(Division::kEnglandAndWales, y);
    ASSERT_EQ(got.size(), golden[y].size()) << y;
    for (std::size_t i = 0; i < got.size(); ++i) {
      EXPECT_EQ(FormatDate(got[i].date), FormatDate(golden[y][i].date)) << y << " #" << i;
      EXPECT_EQ(got[i].title, golden[y][i].title) << FormatDate(got[i].date);
    }
    EXPECT_EQ(cal.Holidays(y), golden[y]) << y;
    for (const Holiday& h : golden[y]) {
      EXPECT_TRUE(cal.IsHoliday(h.date)) << FormatDate(h.date);
      EXPECT_FALSE(cal.IsWorkingDay(h.date)) << FormatDate(h.date);
    }
  }
}

TEST(RuleHolidaysTest, England2026) {
  const std::vector<Holiday> want = {
      {D(2026, 1, 1), kNewYearsDay},
      {D(2026, 4, 3), "Good Friday"},
      {D(2026, 4, 6), "Easter Monday"},
      {D(2026, 5, 4), "Early May bank holiday"},
      {D(2026, 5, 25), "Spring bank holiday"},
      {D(2026, 8, 31), "Summer bank holiday"},
      {D(2026, 12, 25), "Christmas Day"},
      {D(2026, 12, 28), "Boxing Day"},  // substitute: 26 December 2026 is a Saturday
  };
  EXPECT_EQ(RuleHolidays(Division::kEnglandAndWales, 2026), want);
}

TEST(RuleHolidaysTest, ChristmasSubstitutionPatterns) {
  auto december = [](int year) {
    std::vector<std::string> out;
    for (const Holiday& h : RuleHolidays(Division::kEnglandAndWales, year)) {
      if (h.date.month() == chr::December) {
        out.push_back(FormatDate(h.date) + " " + h.title);
      }
    }
    return out;
  };
  // Christmas on Saturday: Mon 27 is the Christmas Day substitute, Tue 28 Boxing Day.
  EXPECT_EQ(december(2021),
            (std::vector<std::string>{"2021-12-27 Christmas Day", "2021-12-28 Boxing Day"}));
  // Christmas on Sunday: Boxing Day Mon 26, Christmas Day substitute Tue 27.
  EXPECT_EQ(december(2022),
            (std::vector<std::string>{"2022-12-26 Boxing Day", "2022-12-27 Christmas Day"}));
  // Boxing Day on Saturday: substitute Mon 28.
  EXPECT_EQ(december(2026),
            (std::vector<std::string>{"2026-12-25 Christmas Day", "2026-12-28 Boxing Day"}));
}

TEST(RuleHolidaysTest, ScotlandAndNorthernIreland) {
  auto dates = [](Division d, int year) {
    std::vector<std::string> out;
    for (const Holiday& h : RuleHolidays(d, year)) {
      out.push_back(FormatDate(h.date));
    }
    return out;
  };
  // Scotland 2022: 1 Jan Sat, 2 Jan Sun -> Mon 3 and Tue 4; no Easter Monday; first Monday of
  // August; St Andrew's Day 30 Nov (Wed).
  EXPECT_EQ(dates(Division::kScotland, 2022),
            (std::vector<std::string>{"2022-01-03", "2022-01-04", "2022-04-15", "2022-05-02",
                                      "2022-06-02", "2022-06-03", "2022-08-01", "2022-09-19",
                                      "2022-11-30", "2022-12-26", "2022-12-27"}));
  // Northern Ireland 2026: St Patrick's Day Tue 17 Mar, Boyne 12 Jul (Sun) -> Mon 13 Jul.
  EXPECT_EQ(dates(Division::kNorthernIreland, 2026),
            (std::vector<std::string>{"2026-01-01", "2026-03-17", "2026-04-03", "2026-04-06",
                                      "2026-05-04", "2026-05-25", "2026-07-13", "2026-08-31",
                                      "2026-12-25", "2026-12-28"}));
}

TEST(RuleHolidaysTest, NoneBeforeTheBankHolidaysAct) {
  EXPECT_TRUE(RuleHolidays(Division::kEnglandAndWales, 1800).empty());
  EXPECT_FALSE(RuleHolidays(Division::kEnglandAndWales, 2500).empty());
}

TEST(RuleHolidaysTest, EasterIsAlwaysBetween22MarchAnd25April) {
  for (int y = 1900; y <= 2400; ++y) {
    bool found = false;
    for (const Holiday& h : RuleHolidays(Division::kEnglandAndWales, y)) {
      if (h.title == "Good Friday") {
        found = true;
        const Date easter = Plus(h.date, 2);
        EXPECT_GE(easter, D(y, 3, 22)) << y;
        EXPECT_LE(easter, D(y, 4, 25)) << y;
        EXPECT_EQ(chr::weekday(chr::sys_days{easter}), chr::Sunday) << y;
      }
    }
    EXPECT_TRUE(found) << y;
  }
}

TEST(DivisionTest, ParseAndSlug) {
  for (const Division d :
       {Division::kEnglandAndWales, Division::kScotland, Division::kNorthernIreland}) {
    const Result<Division> r = ParseDivision(DivisionSlug(d));
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(*r, d);
  }
  const Result<Division> bad = ParseDivision("wales");
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().field, "division");
}

// ---------------------------------------------------------------------------------------------
// Working-day arithmetic.

TEST(CalendarTest, AddWorkingDaysOverChristmas2026) {
  const Calendar cal;
  EXPECT_EQ(cal.AddWorkingDays(D(2026, 12, 24), 1), D(2026, 12, 29));
  EXPECT_EQ(cal.AddWorkingDays(D(2026, 12, 24), 0), D(2026, 12, 24));
  EXPECT_EQ(cal.AddWorkingDays(D(2026, 12, 24), 3), D(2026, 12, 31));
  EXPECT_EQ(cal.AddWorkingDays(D(2026, 12, 24), 4), D(2027, 1, 4));  // 1 Jan 2027 is a Friday
  EXPECT_EQ(cal.WorkingDaysBetween(D(2026, 12, 24), D(2026, 12, 29)), 1);
  EXPECT_EQ(cal.WorkingDaysBetween(D(2026, 12, 29), D(2026, 12, 24)), -1);
  EXPECT_EQ(cal.WorkingDaysBetween(D(2026, 12, 24), D(2026, 12, 24)), 0);
  EXPECT_EQ(cal.WorkingDaysBetween(D(2026, 12, 24), D(2026, 12, 28)), 0);
}

TEST(CalendarTest, IsWorkingDay) {
  const Calendar cal;
  EXPECT_TRUE(cal.IsWorkingDay(D(2026, 4, 2)));
  EXPECT_FALSE(cal.IsWorkingDay(D(2026, 4, 3)));  // Good Friday
  EXPECT_FALSE(cal.IsWorkingDay(D(2026, 4, 4)));  // Saturday
  EXPECT_FALSE(cal.IsWorkingDay(D(2026, 4, 6)));  // Easter Monday
  EXPECT_TRUE(cal.IsWorkingDay(D(2026, 4, 7)));
  EXPECT_FALSE(cal.IsHoliday(D(2026, 12, 26)));  // Saturday; the holiday is Mon 28
  EXPECT_TRUE(cal.IsHoliday(D(2026, 12, 28)));
  EXPECT_EQ(cal.GetDivision(), Division::kEnglandAndWales);

  const Calendar scotland(Division::kScotland);
  EXPECT_TRUE(scotland.IsWorkingDay(D(2026, 4, 6)));  // no Easter Monday in Scotland
  EXPECT_FALSE(scotland.IsWorkingDay(D(2026, 1, 2)));
}

TEST(CalendarTest, PropertiesOverRandomDates) {
  const Calendar cal;
  const NaiveCalendar naive(cal, 1994, 2037);
  std::mt19937 rng(424242);  // NOLINT(cert-msc32-c,cert-msc51-cpp): reproducible
  const int lo = static_cast<int>(chr::sys_days{D(1995, 1, 1)}.time_since_epoch().count());
  const int hi = static_cast<int>(chr::sys_days{D(2035, 12, 31)}.time_since_epoch().count());
  std::uniform_int_distribution<int> day_dist(lo, hi);
  for (int i = 0; i < 400; ++i) {
    const Date d{chr::sys_days(chr::days(day_dist(rng)))};
    Date previous = d;
    for (int n = 1; n <= 60; ++n) {
      const Date got = cal.AddWorkingDays(d, n);
      ASSERT_FALSE(IsWeekend(got)) << FormatDate(d) << " + " << n;
      ASSERT_FALSE(cal.IsHoliday(got)) << FormatDate(d) << " + " << n;
      ASSERT_TRUE(cal.IsWorkingDay(got));
      ASSERT_GT(got, previous) << FormatDate(d) << " + " << n;
      ASSERT_EQ(cal.WorkingDaysBetween(d, got), n) << FormatDate(d) << " + " << n;
      ASSERT_EQ(cal.WorkingDaysBetween(got, d), -n);
      previous = got;
    }
    ASSERT_EQ(cal.AddWorkingDays(d, 60), naive.AddWorkingDays(d, 60)) << FormatDate(d);
    ASSERT_EQ(cal.AddWorkingDays(d, 7), naive.AddWorkingDays(d, 7)) << FormatDate(d);
  }
}

TEST(CalendarTest, WorkingDaysBetweenMatchesDayByDayCount) {
  const Calendar cal;
  const NaiveCalendar naive(cal, 1994, 2037);
  std::mt19937 rng(99);  // NOLINT(cert-msc32-c,cert-msc51-cpp): reproducible
  const int lo = static_cast<int>(chr::sys_days{D(1995, 1, 1)}.time_since_epoch().count());
  std::uniform_int_distribution<int> start(lo, lo + 40 * 365);
  std::uniform_int_distribution<int> span(-400, 400);
  for (int i = 0; i < 300; ++i) {
    const Date a{chr::sys_days(chr::days(start(rng)))};
    const Date b = Plus(a, span(rng));
    int want = 0;
    for (Date d = std::min(a, b); d < std::max(a, b);) {
      d = Plus(d, 1);
      want += naive.IsWorkingDay(d) ? 1 : 0;
    }
    if (b < a) {
      want = -want;
    }
    ASSERT_EQ(cal.WorkingDaysBetween(a, b), want) << FormatDate(a) << " .. " << FormatDate(b);
  }
}

TEST(CalendarTest, LargeNAndYearsOutsideTheCache) {
  const Calendar cal;
  const NaiveCalendar naive(cal, 1860, 2500);
  for (const Date d : {D(2026, 1, 1), D(1880, 6, 15), D(2195, 3, 1), D(2210, 12, 24)}) {
    for (const int n : {1, 5, 250, 1000, 20000}) {
      const Date got = cal.AddWorkingDays(d, n);
      if (got.year() > chr::year(2499)) {
        continue;  // beyond the reference's holiday set
      }
      ASSERT_EQ(got, naive.AddWorkingDays(d, n)) << FormatDate(d) << " + " << n;
      ASSERT_EQ(cal.WorkingDaysBetween(d, got), n) << FormatDate(d) << " + " << n;
    }
  }
  // A million Working Days is about 3,800 years; it must terminate promptly and be consistent.
  const Date far = cal.AddWorkingDays(D(2026, 1, 1), 1000000);
  EXPECT_TRUE(cal.IsWorkingDay(far));
  EXPECT_EQ(cal.WorkingDaysBetween(D(2026, 1, 1), far), 1000000);
}

TEST(CalendarTest, ClosureDays) {
  Calendar cal;
  cal.AddClosureDay(D(2026, 12, 29), "Office closure");
  cal.AddClosureDay(D(2026, 12, 19), "Saturday closure");  // a Saturday: no effect on counts
  EXPECT_EQ(cal.AddWorkingDays(D(2026, 12, 24), 1), D(2026, 12, 30));
  EXPECT_TRUE(cal.IsHoliday(D(2026, 12, 29)));
  EXPECT_TRUE(cal.IsHoliday(D(2026, 12, 19)));
  EXPECT_FALSE(cal.IsWorkingDay(D(2026, 12, 29)));
  EXPECT_EQ(cal.WorkingDaysBetween(D(2026, 12, 18), D(2026, 12, 21)), 1);

  const std::vector<Holiday> got = cal.Holidays(2026);
  ASSERT_EQ(got.size(), 10U);
  EXPECT_EQ(got[6], (Holiday{D(2026, 12, 19), "Saturday closure"}));
  EXPECT_EQ(got[9], (Holiday{D(2026, 12, 29), "Office closure"}));

  // Closure days outside the precomputed years work too.
  cal.AddClosureDay(D(2300, 6, 5), "Far future closure");  // a Tuesday
  EXPECT_FALSE(cal.IsWorkingDay(D(2300, 6, 5)));
  EXPECT_EQ(cal.AddWorkingDays(D(2300, 6, 4), 1), D(2300, 6, 6));
}

// ---------------------------------------------------------------------------------------------
// Deadlines (docs/CLOCKS.md).

TEST(DeadlineTest, WithinWorkingDaysFromGoodFriday2026) {
  const Calendar cal;
  const Instant aware = T("2026-04-03T10:00:00+01:00");  // 10:00 London, Good Friday
  const Instant due = cal.DueWithinWorkingDays(aware, 2);
  EXPECT_EQ(FormatInstantUtc(due), "2026-04-08T22:59:59.999Z");
  EXPECT_EQ(FormatInstantLondon(due), "2026-04-08T23:59:59.999+01:00");
  // 0 Working Days: the end of the day of awareness itself.
  EXPECT_EQ(FormatInstantUtc(cal.DueWithinWorkingDays(aware, 0)), "2026-04-03T22:59:59.999Z");
}

TEST(DeadlineTest, CalendarDaysHoursAndFixedDates) {
  const Instant aware = T("2026-04-03T10:00:00+01:00");
  EXPECT_EQ(FormatInstantUtc(Calendar::DueWithinDays(aware, 2)), "2026-04-05T22:59:59.999Z");
  EXPECT_EQ(FormatInstantUtc(Calendar::DueWithinHours(aware, 24)), "2026-04-04T09:00:00.000Z");
  EXPECT_EQ(FormatInstantUtc(Calendar::DueBy(D(2027, 3, 31))), "2027-03-31T22:59:59.999Z");
  EXPECT_EQ(FormatInstantUtc(Calendar::DueBy(D(2027, 1, 31))), "2027-01-31T23:59:59.999Z");
  // 24 hours across the spring clock change is 24 real hours (25 on the wall clock).
  EXPECT_EQ(FormatInstantLondon(Calendar::DueWithinHours(T("2026-03-28T12:00:00Z"), 24)),
            "2026-03-29T13:00:00.000+01:00");
}

TEST(DeadlineTest, EventsJustAfterMidnightOnClockChangeDays) {
  const Calendar cal;
  // 00:30 GMT on Sunday 29 March 2026 (clocks go forward at 01:00 GMT).
  const Instant spring = T("2026-03-29T00:30:00Z");
  EXPECT_EQ(LondonDate(spring), D(2026, 3, 29));
  EXPECT_EQ(FormatInstantUtc(cal.DueWithinWorkingDays(spring, 1)), "2026-03-30T22:59:59.999Z");
  EXPECT_EQ(FormatInstantUtc(Calendar::DueWithinDays(spring, 1)), "2026-03-30T22:59:59.999Z");

  // 00:30 BST on Sunday 25 October 2026 is 23:30 UTC on the Saturday.
  const Instant autumn = T("2026-10-24T23:30:00Z");
  EXPECT_EQ(LondonDate(autumn), D(2026, 10, 25));
  EXPECT_EQ(FormatInstantUtc(cal.DueWithinWorkingDays(autumn, 1)), "2026-10-26T23:59:59.999Z");
  EXPECT_EQ(FormatInstantUtc(Calendar::DueWithinDays(autumn, 0)), "2026-10-25T23:59:59.999Z");
  // One millisecond earlier is still Saturday in London: one Working Day is still Monday, but
  // one calendar day is Sunday.
  const Instant saturday = T("2026-10-24T22:59:59.999Z");
  EXPECT_EQ(LondonDate(saturday), D(2026, 10, 24));
  EXPECT_EQ(FormatInstantUtc(Calendar::DueWithinDays(saturday, 1)), "2026-10-25T23:59:59.999Z");
}

// ---------------------------------------------------------------------------------------------
// GOV.UK JSON import.

TEST(ImportTest, SampleFileMatchesRulesForAllDivisions) {
  const std::string json = ReadTestData("govuk-bank-holidays-sample.json");
  for (const Division d :
       {Division::kEnglandAndWales, Division::kScotland, Division::kNorthernIreland}) {
    Calendar cal(d);
    const Status s = cal.ImportGovUkJson(json);
    ASSERT_TRUE(s.ok()) << s.ToString();
    ASSERT_EQ(cal.Imported().size(), 2U);
    EXPECT_EQ(cal.Imported().begin()->first, 2025);
    for (const int y : {2025, 2026}) {
      EXPECT_EQ(cal.Holidays(y), RuleHolidays(d, y)) << DivisionSlug(d) << " " << y;
    }
  }
}

TEST(ImportTest, OverrideMovesADateForTheYearsInTheFile) {
  Calendar cal;
  ASSERT_TRUE(cal.ImportGovUkJson(ReadTestData("govuk-bank-holidays-override.json")).ok());
  ASSERT_EQ(cal.Imported().size(), 1U);
  EXPECT_EQ(cal.Imported().count(2026), 1U);

  EXPECT_TRUE(cal.IsWorkingDay(D(2026, 5, 4)));   // the rule date no longer applies
  EXPECT_FALSE(cal.IsWorkingDay(D(2026, 5, 8)));  // moved here
  EXPECT_FALSE(cal.IsWorkingDay(D(2026, 9, 14)));
  EXPECT_EQ(cal.Holidays(2026).size(), 9U);
  EXPECT_EQ(cal.AddWorkingDays(D(2026, 5, 7), 1), D(2026, 5, 11));
  EXPECT_EQ(cal.AddWorkingDays(D(2026, 5, 1), 1), D(2026, 5, 4));
  EXPECT_EQ(cal.WorkingDaysBetween(D(2026, 5, 1), D(2026, 5, 11)), 5);

  // Years not in the file keep the rules.
  EXPECT_EQ(cal.Holidays(2027), RuleHolidays(Division::kEnglandAndWales, 2027));
  EXPECT_FALSE(cal.IsWorkingDay(D(2027, 5, 3)));

  // SetImportedYear with an empty list reverts the year to the rules.
  cal.SetImportedYear(2026, {});
  EXPECT_TRUE(cal.Imported().empty());
  EXPECT_EQ(cal.Holidays(2026), RuleHolidays(Division::kEnglandAndWales, 2026));
  EXPECT_FALSE(cal.IsWorkingDay(D(2026, 5, 4)));
  EXPECT_TRUE(cal.IsWorkingDay(D(2026, 5, 8)));
}

TEST(ImportTest, DivisionMissingFromTheFile) {
  Calendar cal(Division::kScotland);
  const Status s = cal.ImportGovUkJson(ReadTestData("govuk-bank-holidays-override.json"));
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().field, "scotland");
}

TEST(ImportTest, ErrorsNameTheJsonPathAndChangeNothing) {
  struct Case {
    const char* json;
    const char* field;
  };

  const auto cases = std::to_array<Case>({
      {R"({"england-and-wales": {"events": [)", "byte 35"},
      {R"({"england-and-wales": {"events": tru}})", "byte 37"},
      {R"([1, 2])", "$"},
      {R"({"england-and-wales": []})", "england-and-wales"},
      {R"({"england-and-wales": {"division": "scotland", "events": []}})",
       "england-and-wales.division"},
      {R"({"england-and-wales": {"events": {}}})", "england-and-wales.events"},
      {R"({"england-and-wales": {"events": [
          {"title": "A", "date": "2026-01-01"},
          {"title": "B", "date": "2026-01-02"},
          {"title": "C", "date": "2026-01-03"},
          {"title": "D", "date": "2026-02-30"}]}})",
       "england-and-wales.events[3].date"},
      {R"({"england-and-wales": {"events": [{"title": "A", "date": 20260101}]}})",
       "england-and-wales.events[0].date"},
      {R"({"england-and-wales": {"events": [{"date": "2026-01-01"}]}})",
       "england-and-wales.events[0].title"},
      {R"({"england-and-wales": {"events": [{"title": "A", "date": "2026-01-01",
          "bunting": "yes"}]}})",
       "england-and-wales.events[0].bunting"},
      {R"({"england-and-wales": {"events": [7]}})", "england-and-wales.events[0]"},
      // Another division's damage rejects the whole file.
      {R"({"england-and-wales": {"events": [{"title": "A", "date": "2026-01-01"}]},
          "scotland": {"events": [{"title": "B", "date": "2026-1-2"}]}})",
       "scotland.events[0].date"},
  });
  for (const Case& c : cases) {
    Calendar cal;
    cal.AddClosureDay(D(2026, 7, 1), "Closure");
    const std::vector<Holiday> before = cal.Holidays(2026);
    const Status s = cal.ImportGovUkJson(c.json);
    ASSERT_FALSE(s.ok()) << c.json;
    EXPECT_EQ(s.Code(), ErrorCode::kInvalidArgument);
    EXPECT_EQ(s.error().field, c.field) << c.json << "\n" << s.ToString();
    EXPECT_TRUE(cal.Imported().empty());
    EXPECT_EQ(cal.Holidays(2026), before);
    EXPECT_EQ(cal.AddWorkingDays(D(2026, 12, 24), 1), D(2026, 12, 29));
  }
}

TEST(ImportTest, FailedImportKeepsEarlierImport) {
  Calendar cal;
  ASSERT_TRUE(cal.ImportGovUkJson(ReadTestData("govuk-bank-holidays-override.json")).ok());
  const std::vector<Holiday> before = cal.Holidays(2026);
  EXPECT_FALSE(cal.ImportGovUkJson(R"({"england-and-wales": {"events": [
      {"title": "X", "date": "2026-03-02"}, {"title": "Y", "date": "nope"}]}})")
                   .ok());
  EXPECT_EQ(cal.Holidays(2026), before);
  EXPECT_TRUE(cal.IsWorkingDay(D(2026, 3, 2)));
}

}  // namespace
}  // namespace accredit
