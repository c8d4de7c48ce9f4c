#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "core/time.h"

// The working-day calendar: UK bank holidays by rule for any year (plus every moved or one-off
// day since 1995), GOV.UK bank-holidays JSON import, contract closure days, and the deadline
// arithmetic whose meaning is fixed in docs/CLOCKS.md.
namespace accredit {

enum class Division { kEnglandAndWales, kScotland, kNorthernIreland };

// "england-and-wales" | "scotland" | "northern-ireland" (the GOV.UK keys).
Result<Division> ParseDivision(std::string_view text);
std::string_view DivisionSlug(Division d);

struct Holiday {
  Date date;
  std::string title;
  bool operator==(const Holiday&) const = default;
};

// Bank holidays of `division` in `year`, computed by rule (no imported data), sorted by date.
// Substitute days carry the title of the day they replace, as GOV.UK lists them ("Christmas
// Day" on 27 Dec 2021). Titles use the GOV.UK typographic apostrophe (U+2019, UTF-8), e.g.
// "New Year’s Day", so imported and computed titles compare equal. Years before 1871 (the
// Bank Holidays Act) have none.
std::vector<Holiday> RuleHolidays(Division division, int year);

// A calendar for one division. Thread-compatible; const methods are safe to call concurrently.
class Calendar {
 public:
  explicit Calendar(Division division = Division::kEnglandAndWales);

  Division GetDivision() const { return division_; }

  // Imports the GOV.UK bank-holidays JSON format
  // {"england-and-wales": {"division": ..., "events": [{"title","date","notes","bunting"}]}, ...}.
  // For this calendar's division, each year that appears in the file is replaced by the file's
  // events for that year; other years keep the rules. On error nothing changes and the error
  // names the JSON path ("england-and-wales.events[3].date").
  Status ImportGovUkJson(std::string_view json);

  // Imported events, keyed by year (for persistence).
  const std::map<int, std::vector<Holiday>>& Imported() const { return imported_; }

  // Replaces `year` with `events` (as if imported). Events dated outside `year` are ignored;
  // an empty list removes the override, so the year follows the rules again.
  void SetImportedYear(int year, std::vector<Holiday> events);

  // Extra closure days of the contract (not Working Days).
  void AddClosureDay(Date d, std::string title);

  // Holidays and closure days of `year`, sorted by date.
  std::vector<Holiday> Holidays(int year) const;
  bool IsHoliday(Date d) const;     // bank holiday or closure day
  bool IsWorkingDay(Date d) const;  // Mon-Fri and not a holiday

  // The n-th Working Day after d (d itself never counts). REQUIRES: n >= 0; n == 0 returns d.
  Date AddWorkingDays(Date d, int n) const;
  // Working Days in (a, b]; negative (-(Working Days in (b, a])) when b < a.
  // WorkingDaysBetween(d, AddWorkingDays(d, n)) == n.
  int WorkingDaysBetween(Date a, Date b) const;

  // Deadline semantics (docs/CLOCKS.md):
  // "within n Working Days of t": end (23:59:59.999 London) of the n-th Working Day after
  // LondonDate(t).
  Instant DueWithinWorkingDays(Instant t, int n) const;
  // "within n days of t": end of the n-th calendar day after LondonDate(t).
  static Instant DueWithinDays(Instant t, int n);
  // "within n hours of t": t + n h.
  static Instant DueWithinHours(Instant t, int n);
  // "by <date>": end of that day, Europe/London.
  static Instant DueBy(Date d);

 private:
  // Recomputes the cached day sets for `year` after a mutation.
  void RebuildYear(int year);
  // Sorted, unique day numbers (days since 1970-01-01) of Holidays(year).
  std::vector<std::int64_t> DayNumbersOfYear(int year) const;
  bool IsHolidayDay(std::int64_t day) const;
  // Holidays and closure days falling on Mon-Fri in (after, through].
  std::int64_t CountOffWeekdays(std::int64_t after, std::int64_t through) const;

  Division division_;
  std::map<int, std::vector<Holiday>> imported_;
  std::map<int, std::vector<Holiday>> closures_;  // keyed by year
  // Day numbers of every holiday and closure day in the cached years (calendar.cc,
  // kCacheFirstYear..kCacheLastYear), sorted and unique; off_weekdays_ is the Mon-Fri subset.
  // Other years are computed on demand. Only mutators write these, so const use is safe
  // concurrently.
  std::vector<std::int32_t> holiday_days_;
  std::vector<std::int32_t> off_weekdays_;
};

}  // namespace accredit
