#include "core/calendar.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <exception>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace accredit {
namespace {

namespace chr = std::chrono;

using DayNum = std::int64_t;  // days since 1970-01-01 (a Thursday)

// Years whose day sets are precomputed per Calendar; others are computed on demand.
constexpr int kCacheFirstYear = 1900;
constexpr int kCacheLastYear = 2200;

// Titles exactly as GOV.UK's bank-holidays.json spells them, including its typographic
// apostrophe U+2019 (written as UTF-8 escapes so the source stays ASCII). Substitute days keep
// the title of the day they replace; GOV.UK marks them only in "notes". Titles of days before
// GOV.UK's data begins (2012) are our own.
constexpr const char* kNewYearsDay = "New Year\xE2\x80\x99s Day";
constexpr const char* kSecondJanuary = "2nd January";
constexpr const char* kStPatricksDay = "St Patrick\xE2\x80\x99s Day";
constexpr const char* kGoodFriday = "Good Friday";
constexpr const char* kEasterMonday = "Easter Monday";
constexpr const char* kEarlyMay = "Early May bank holiday";
constexpr const char* kEarlyMayVeDay = "Early May bank holiday (VE day)";
constexpr const char* kSpring = "Spring bank holiday";
constexpr const char* kWhitMonday = "Whit Monday";
constexpr const char* kBoyne = "Battle of the Boyne (Orangemen\xE2\x80\x99s Day)";
constexpr const char* kSummer = "Summer bank holiday";
constexpr const char* kStAndrewsDay = "St Andrew\xE2\x80\x99s Day";
constexpr const char* kChristmasDay = "Christmas Day";
constexpr const char* kBoxingDay = "Boxing Day";

DayNum ToDayNum(Date d) {
  return chr::sys_days{d}.time_since_epoch().count();
}

Date FromDayNum(DayNum n) {
  return chr::sys_days{chr::days{n}};
}

DayNum FloorDiv(DayNum a, DayNum b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

// 0 = Monday ... 6 = Sunday.
int WeekdayIndex(DayNum n) {
  return static_cast<int>((n + 3) - FloorDiv(n + 3, 7) * 7);
}

bool IsWeekendDay(DayNum n) {
  return WeekdayIndex(n) >= 5;
}

// Mon-Fri days in [Monday 1969-12-29, that Monday + k) (negative for k < 0).
DayNum WeekdaysBefore(DayNum k) {
  const DayNum q = FloorDiv(k, 7);
  const DayNum r = k - q * 7;
  return 5 * q + std::min<DayNum>(r, 5);
}

// Mon-Fri days in (after, through]. REQUIRES: after <= through.
DayNum WeekdaysIn(DayNum after, DayNum through) {
  // Day n is index n + 3 from Monday 1969-12-29.
  return WeekdaysBefore(through + 4) - WeekdaysBefore(after + 4);
}

// The k-th Mon-Fri day after `from` (k >= 1), ignoring holidays.
DayNum AddWeekdays(DayNum from, DayNum k) {
  const int w = WeekdayIndex(from);
  if (w >= 5) {
    from -= w - 4;  // counting from a weekend is counting from its Friday
  }
  const int wf = w >= 5 ? 4 : w;
  DayNum result = from + (k / 5) * 7;
  const DayNum rem = k % 5;
  result += rem;
  if (wf + rem > 4) {
    result += 2;
  }
  return result;
}

int YearOfDay(DayNum n) {
  return static_cast<int>(FromDayNum(n).year());
}

DayNum FirstDayOfYear(int year) {
  return ToDayNum(Date{chr::year(year), chr::January, chr::day(1)});
}

DayNum LastDayOfYear(int year) {
  return ToDayNum(Date{chr::year(year), chr::December, chr::day(31)});
}

Date MakeDate(int year, unsigned month, unsigned day) {
  return Date{chr::year(year), chr::month(month), chr::day(day)};
}

// Gregorian Easter Sunday (anonymous Gregorian algorithm / Meeus-Jones-Butcher).
Date EasterSunday(int y) {
  const int a = y % 19;
  const int b = y / 100;
  const int c = y % 100;
  const int d = b / 4;
  const int e = b % 4;
  const int f = (b + 8) / 25;
  const int g = (b - f + 1) / 3;
  const int h = (19 * a + b - d - g + 15) % 30;
  const int i = c / 4;
  const int k = c % 4;
  const int l = (32 + 2 * e + 2 * i - h - k) % 7;
  const int m = (a + 11 * h + 22 * l) / 451;
  const int month = (h + l - 7 * m + 114) / 31;
  const int day = (h + l - 7 * m + 114) % 31 + 1;
  return MakeDate(y, static_cast<unsigned>(month), static_cast<unsigned>(day));
}

Date FirstMonday(int year, chr::month month) {
  return chr::sys_days{chr::year_month_weekday{chr::year(year) / month / chr::Monday[1]}};
}

Date LastMonday(int year, chr::month month) {
  return chr::sys_days{
      chr::year_month_weekday_last{chr::year(year) / month / chr::Monday[chr::last]}};
}

Date Plus(Date d, int days) {
  return chr::sys_days{d} + chr::days{days};
}

struct Candidate {
  Date date;
  const char* title;
  bool substitutable;  // moves to the next free weekday when it falls on a weekend
};

}  // namespace

Result<Division> ParseDivision(std::string_view text) {
  if (text == "england-and-wales") {
    return Division::kEnglandAndWales;
  }
  if (text == "scotland") {
    return Division::kScotland;
  }
  if (text == "northern-ireland") {
    return Division::kNorthernIreland;
  }
  return Err(ErrorCode::kInvalidArgument,
             "must be one of england-and-wales, scotland, northern-ireland", "division",
             "got \"" + std::string(text.substr(0, 64)) + "\"");
}

std::string_view DivisionSlug(Division d) {
  switch (d) {
    case Division::kEnglandAndWales:
      return "england-and-wales";
    case Division::kScotland:
      return "scotland";
    case Division::kNorthernIreland:
      return "northern-ireland";
  }
  return "england-and-wales";
}

namespace {

// Days moved by proclamation, and one-off UK-wide bank holidays. `replaces` names the regular day
// that moved (nullptr for an extra day).
struct SpecialDay {
  int year;
  unsigned month;
  unsigned day;
  const char* title;
  const char* replaces;
};

constexpr std::array<SpecialDay, 15> kSpecialDays = {{
    {1977, 6, 6, kSpring, kSpring},
    {1977, 6, 7, "Queen\xE2\x80\x99s Silver Jubilee", nullptr},
    {1981, 7, 29, "Royal wedding", nullptr},
    {1995, 5, 8, kEarlyMayVeDay, kEarlyMay},
    {1999, 12, 31, "Millennium celebrations", nullptr},
    {2002, 6, 3, "Queen\xE2\x80\x99s Golden Jubilee", nullptr},
    {2002, 6, 4, kSpring, kSpring},
    {2011, 4, 29, "Royal wedding", nullptr},
    {2012, 6, 4, kSpring, kSpring},
    {2012, 6, 5, "Queen\xE2\x80\x99s Diamond Jubilee", nullptr},
    {2020, 5, 8, kEarlyMayVeDay, kEarlyMay},
    {2022, 6, 2, kSpring, kSpring},
    {2022, 6, 3, "Platinum Jubilee bank holiday", nullptr},
    {2022, 9, 19, "Bank Holiday for the State Funeral of Queen Elizabeth II", nullptr},
    {2023, 5, 8, "Bank holiday for the coronation of King Charles III", nullptr},
}};

// The regular days of `year` before moves, one-offs and substitution.
std::vector<Candidate> RegularDays(Division division, int year) {
  const bool scotland = division == Division::kScotland;
  const bool ni = division == Division::kNorthernIreland;
  std::vector<Candidate> c;

  // New Year. England, Wales and Northern Ireland from 1974; Scotland has had it throughout and
  // 2 January since 1974.
  if (scotland || year >= 1974) {
    c.push_back({MakeDate(year, 1, 1), kNewYearsDay, true});
  }
  if (scotland && year >= 1974) {
    c.push_back({MakeDate(year, 1, 2), kSecondJanuary, true});
  }
  if (ni) {
    c.push_back({MakeDate(year, 3, 17), kStPatricksDay, true});
  }

  // Easter. Scotland has Good Friday but no Easter Monday.
  const Date easter = EasterSunday(year);
  c.push_back({Plus(easter, -2), kGoodFriday, false});
  if (!scotland) {
    c.push_back({Plus(easter, 1), kEasterMonday, false});
  }

  // Early May bank holiday from 1978 (Scotland also had the first Monday of May before 1971).
  if (year >= 1978 || (scotland && year < 1971)) {
    c.push_back({FirstMonday(year, chr::May), kEarlyMay, false});
  }

  // Spring bank holiday: last Monday of May since 1971; Whit Monday before (not Scotland).
  if (year >= 1971) {
    c.push_back({LastMonday(year, chr::May), kSpring, false});
  } else if (!scotland) {
    c.push_back({Plus(easter, 50), kWhitMonday, false});
  }

  if (ni) {
    c.push_back({MakeDate(year, 7, 12), kBoyne, true});
  }

  // Summer bank holiday: first Monday of August in Scotland (and everywhere before 1971), last
  // Monday of August elsewhere since 1971.
  if (scotland || year < 1971) {
    c.push_back({FirstMonday(year, chr::August), kSummer, false});
  } else {
    c.push_back({LastMonday(year, chr::August), kSummer, false});
  }

  if (scotland && year >= 2007) {
    c.push_back({MakeDate(year, 11, 30), kStAndrewsDay, true});
  }
  c.push_back({MakeDate(year, 12, 25), kChristmasDay, true});
  c.push_back({MakeDate(year, 12, 26), kBoxingDay, true});
  return c;
}

void ApplySpecialDays(int year, std::vector<Candidate>& c) {
  for (const SpecialDay& s : kSpecialDays) {
    if (s.year != year) {
      continue;
    }
    const Date date = MakeDate(s.year, s.month, s.day);
    if (s.replaces == nullptr) {
      c.push_back({date, s.title, false});
      continue;
    }
    for (Candidate& regular : c) {
      if (std::string_view(regular.title) == s.replaces) {
        regular = {date, s.title, false};
      }
    }
  }
}

}  // namespace

std::vector<Holiday> RuleHolidays(Division division, int year) {
  std::vector<Holiday> out;
  if (year < 1871 || year > 9999) {
    return out;
  }
  std::vector<Candidate> c = RegularDays(division, year);
  ApplySpecialDays(year, c);

  // Substitution (as GOV.UK applies it): every day that falls on a weekday stays put; then, in
  // date order, each fixed-date day falling on a weekend moves to the next weekday not already
  // taken. Christmas on Saturday -> Mon 27, Boxing Day -> Tue 28; Christmas on Sunday -> Tue 27
  // (Boxing Day is Mon 26); Boxing Day on Saturday -> Mon 28.
  std::stable_sort(c.begin(), c.end(),
                   [](const Candidate& x, const Candidate& y) { return x.date < y.date; });
  std::vector<DayNum> taken;
  for (const Candidate& h : c) {
    if (!IsWeekendDay(ToDayNum(h.date))) {
      taken.push_back(ToDayNum(h.date));
    }
  }
  for (const Candidate& h : c) {
    DayNum day = ToDayNum(h.date);
    if (IsWeekendDay(day)) {
      if (!h.substitutable) {
        out.push_back({h.date, h.title});  // not substituted; kept as listed
        continue;
      }
      while (IsWeekendDay(day) || std::find(taken.begin(), taken.end(), day) != taken.end()) {
        ++day;
      }
      taken.push_back(day);
    }
    out.push_back({FromDayNum(day), h.title});
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const Holiday& x, const Holiday& y) { return x.date < y.date; });
  return out;
}

namespace {

struct DaySets {
  std::vector<std::int32_t> all;
  std::vector<std::int32_t> weekdays;
};

void AppendDays(const std::vector<Holiday>& holidays, DaySets& sets) {
  for (const Holiday& h : holidays) {
    const auto n = static_cast<std::int32_t>(ToDayNum(h.date));
    sets.all.push_back(n);
    if (!IsWeekendDay(n)) {
      sets.weekdays.push_back(n);
    }
  }
}

void SortUnique(std::vector<std::int32_t>& v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
}

DaySets BuildRuleDaySets(Division division) {
  DaySets sets;
  for (int y = kCacheFirstYear; y <= kCacheLastYear; ++y) {
    AppendDays(RuleHolidays(division, y), sets);
  }
  SortUnique(sets.all);
  SortUnique(sets.weekdays);
  return sets;
}

// The rule-only day sets of a division, computed once per process (immutable afterwards; C++
// guarantees thread-safe initialisation of function-local statics).
const DaySets& RuleDaySets(Division division) {
  switch (division) {
    case Division::kScotland: {
      static const DaySets kSets = BuildRuleDaySets(Division::kScotland);
      return kSets;
    }
    case Division::kNorthernIreland: {
      static const DaySets kSets = BuildRuleDaySets(Division::kNorthernIreland);
      return kSets;
    }
    case Division::kEnglandAndWales:
      break;
  }
  static const DaySets kSets = BuildRuleDaySets(Division::kEnglandAndWales);
  return kSets;
}

bool InCache(int year) {
  return year >= kCacheFirstYear && year <= kCacheLastYear;
}

void SortByDate(std::vector<Holiday>& v) {
  std::stable_sort(v.begin(), v.end(),
                   [](const Holiday& x, const Holiday& y) { return x.date < y.date; });
}

// Replaces the days of `year` in the sorted vector `v` with the sorted `replacement`.
void ReplaceYear(std::vector<std::int32_t>& v, int year,
                 const std::vector<std::int32_t>& replacement) {
  const auto lo = static_cast<std::int32_t>(FirstDayOfYear(year));
  const auto hi = static_cast<std::int32_t>(LastDayOfYear(year));
  auto first = std::lower_bound(v.begin(), v.end(), lo);
  auto last = std::upper_bound(first, v.end(), hi);
  first = v.erase(first, last);
  v.insert(first, replacement.begin(), replacement.end());
}

std::int64_t CountInRange(const std::vector<std::int32_t>& v, DayNum after, DayNum through) {
  const auto first = std::upper_bound(v.begin(), v.end(), after);
  const auto last = std::upper_bound(first, v.end(), through);
  return last - first;
}

}  // namespace

Calendar::Calendar(Division division) : division_(division) {
  const DaySets& base = RuleDaySets(division);
  holiday_days_ = base.all;
  off_weekdays_ = base.weekdays;
}

std::vector<Holiday> Calendar::Holidays(int year) const {
  std::vector<Holiday> out;
  if (auto it = imported_.find(year); it != imported_.end()) {
    out = it->second;
  } else {
    out = RuleHolidays(division_, year);
  }
  if (auto it = closures_.find(year); it != closures_.end()) {
    out.insert(out.end(), it->second.begin(), it->second.end());
  }
  SortByDate(out);
  return out;
}

std::vector<std::int64_t> Calendar::DayNumbersOfYear(int year) const {
  std::vector<std::int64_t> days;
  for (const Holiday& h : Holidays(year)) {
    days.push_back(ToDayNum(h.date));
  }
  std::sort(days.begin(), days.end());
  days.erase(std::unique(days.begin(), days.end()), days.end());
  return days;
}

void Calendar::RebuildYear(int year) {
  if (!InCache(year)) {
    return;  // computed on demand
  }
  DaySets sets;
  AppendDays(Holidays(year), sets);
  SortUnique(sets.all);
  SortUnique(sets.weekdays);
  ReplaceYear(holiday_days_, year, sets.all);
  ReplaceYear(off_weekdays_, year, sets.weekdays);
}

void Calendar::SetImportedYear(int year, std::vector<Holiday> events) {
  std::erase_if(events,
                [year](const Holiday& h) { return static_cast<int>(h.date.year()) != year; });
  if (events.empty()) {
    imported_.erase(year);
  } else {
    SortByDate(events);
    imported_[year] = std::move(events);
  }
  RebuildYear(year);
}

void Calendar::AddClosureDay(Date d, std::string title) {
  const int year = static_cast<int>(d.year());
  std::vector<Holiday>& days = closures_[year];
  days.push_back({d, std::move(title)});
  SortByDate(days);
  RebuildYear(year);
}

bool Calendar::IsHolidayDay(std::int64_t day) const {
  const int year = YearOfDay(day);
  if (InCache(year)) {
    return std::binary_search(holiday_days_.begin(), holiday_days_.end(),
                              static_cast<std::int32_t>(day));
  }
  const std::vector<std::int64_t> days = DayNumbersOfYear(year);
  return std::binary_search(days.begin(), days.end(), day);
}

bool Calendar::IsHoliday(Date d) const {
  return IsHolidayDay(ToDayNum(d));
}

bool Calendar::IsWorkingDay(Date d) const {
  const DayNum day = ToDayNum(d);
  return !IsWeekendDay(day) && !IsHolidayDay(day);
}

std::int64_t Calendar::CountOffWeekdays(std::int64_t after, std::int64_t through) const {
  if (through <= after) {
    return 0;
  }
  const DayNum cache_first = FirstDayOfYear(kCacheFirstYear);
  const DayNum cache_last = LastDayOfYear(kCacheLastYear);
  std::int64_t count = 0;
  // The cached part: two binary searches.
  const DayNum lo = std::max(after, cache_first - 1);
  const DayNum hi = std::min(through, cache_last);
  if (lo < hi) {
    count += CountInRange(off_weekdays_, lo, hi);
  }
  // Any part outside the cached years, a year at a time.
  auto count_years = [&](DayNum from_after, DayNum to_through) {
    if (to_through <= from_after) {
      return;
    }
    const int y0 = YearOfDay(from_after + 1);
    const int y1 = YearOfDay(to_through);
    for (int y = y0; y <= y1; ++y) {
      for (const std::int64_t day : DayNumbersOfYear(y)) {
        if (day > from_after && day <= to_through && !IsWeekendDay(day)) {
          ++count;
        }
      }
    }
  };
  count_years(after, std::min(through, cache_first - 1));
  count_years(std::max(after, cache_last), through);
  return count;
}

Date Calendar::AddWorkingDays(Date d, int n) const {
  ACC_DCHECK(n >= 0, "AddWorkingDays requires n >= 0");
  DayNum cur = ToDayNum(d);
  // Invariant: Working Days in (start, cur] == n - remaining, and cur is start or a weekday.
  // Each step jumps `remaining` weekdays, then owes one more per holiday it jumped over; the
  // loop ends when a jump crosses no holiday, which lands on a Working Day.
  std::int64_t remaining = n;
  while (remaining > 0) {
    const DayNum next = AddWeekdays(cur, remaining);
    remaining = CountOffWeekdays(cur, next);
    cur = next;
  }
  return FromDayNum(cur);
}

int Calendar::WorkingDaysBetween(Date a, Date b) const {
  const DayNum da = ToDayNum(a);
  const DayNum db = ToDayNum(b);
  if (db < da) {
    return -WorkingDaysBetween(b, a);
  }
  return static_cast<int>(WeekdaysIn(da, db) - CountOffWeekdays(da, db));
}

Instant Calendar::DueWithinWorkingDays(Instant t, int n) const {
  return LondonEndOfDay(AddWorkingDays(LondonDate(t), n));
}

Instant Calendar::DueWithinDays(Instant t, int n) {
  return LondonEndOfDay(chr::sys_days{LondonDate(t)} + chr::days{n});
}

Instant Calendar::DueWithinHours(Instant t, int n) {
  return t + chr::hours(n);
}

Instant Calendar::DueBy(Date d) {
  return LondonEndOfDay(d);
}

// ---------------------------------------------------------------------------------------------
// GOV.UK JSON import.

namespace {

using Json = nlohmann::json;

// The JSON path goes in `field` (Status::ToString prints it before the message).
Error JsonError(std::string path, const std::string& message) {
  return Err(ErrorCode::kInvalidArgument, "bank-holidays JSON: " + message, std::move(path));
}

// Validates one division object and collects its events grouped by year.
Status ReadDivision(const Json& node, std::string_view slug,
                    std::map<int, std::vector<Holiday>>& by_year) {
  const std::string base(slug);
  if (!node.is_object()) {
    return JsonError(base, "must be an object");
  }
  if (auto it = node.find("division"); it != node.end()) {
    if (!it->is_string() || it->get_ref<const std::string&>() != slug) {
      return JsonError(base + ".division", "must be \"" + base + "\"");
    }
  }
  const auto events_it = node.find("events");
  if (events_it == node.end() || !events_it->is_array()) {
    return JsonError(base + ".events", "must be an array");
  }
  std::size_t index = 0;
  for (const Json& event : *events_it) {
    const std::string path = base + ".events[" + std::to_string(index) + "]";
    ++index;
    if (!event.is_object()) {
      return JsonError(path, "must be an object");
    }
    const auto title = event.find("title");
    if (title == event.end() || !title->is_string() ||
        title->get_ref<const std::string&>().empty()) {
      return JsonError(path + ".title", "must be a non-empty string");
    }
    const auto date = event.find("date");
    if (date == event.end() || !date->is_string()) {
      return JsonError(path + ".date", "must be a date string YYYY-MM-DD");
    }
    const Result<Date> parsed = ParseDate(date->get_ref<const std::string&>(), path + ".date");
    if (!parsed) {
      return JsonError(path + ".date", parsed.error().message);
    }
    if (auto notes = event.find("notes"); notes != event.end() && !notes->is_string()) {
      return JsonError(path + ".notes", "must be a string");
    }
    if (auto bunting = event.find("bunting"); bunting != event.end() && !bunting->is_boolean()) {
      return JsonError(path + ".bunting", "must be true or false");
    }
    const int year = static_cast<int>(parsed->year());
    by_year[year].push_back({*parsed, title->get_ref<const std::string&>()});
  }
  return Status::Ok();
}

}  // namespace

Status Calendar::ImportGovUkJson(std::string_view json) {
  Json root;
  try {
    root = Json::parse(json.begin(), json.end());
  } catch (const Json::parse_error& e) {
    return Err(ErrorCode::kInvalidArgument, "bank-holidays JSON is malformed",
               "byte " + std::to_string(e.byte), e.what());
  } catch (const std::exception& e) {
    return Err(ErrorCode::kInvalidArgument, "bank-holidays JSON is malformed", "", e.what());
  }
  if (!root.is_object()) {
    return JsonError("$", "must be an object keyed by division");
  }
  // Validate every division present (not just ours) so a damaged file is rejected as a whole.
  std::map<int, std::vector<Holiday>> ours;
  bool found = false;
  for (const Division d :
       {Division::kEnglandAndWales, Division::kScotland, Division::kNorthernIreland}) {
    const std::string slug(DivisionSlug(d));
    const auto it = root.find(slug);
    if (it == root.end()) {
      continue;
    }
    std::map<int, std::vector<Holiday>> by_year;
    ACC_RETURN_IF_ERROR(ReadDivision(*it, slug, by_year));
    if (d == division_) {
      ours = std::move(by_year);
      found = true;
    }
  }
  if (!found) {
    return JsonError(std::string(DivisionSlug(division_)), "missing from the file");
  }
  // Validation is complete; from here nothing can fail.
  for (auto& [year, events] : ours) {
    SetImportedYear(year, std::move(events));
  }
  return Status::Ok();
}

}  // namespace accredit
