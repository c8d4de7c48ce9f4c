#include "core/time.h"

#include <array>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <exception>
#include <string>
#include <string_view>
#include <system_error>

#include <date/tz.h>

namespace accredit {
namespace {

namespace chr = std::chrono;

// The Europe/London zone, located once. date::locate_zone only throws when the system tz
// database is missing or unreadable, which is a deployment error rather than input: we abort
// with a clear message instead of letting an exception cross the module header.
const date::time_zone& London() {
  static const date::time_zone* const kZone = []() -> const date::time_zone* {
    try {
      return date::locate_zone("Europe/London");
    } catch (const std::exception& e) {
      internal::CheckFailed("locate_zone(\"Europe/London\")", e.what(), __FILE__, __LINE__);
    }
  }();
  return *kZone;
}

// Offset of Europe/London from UTC at t.
chr::seconds LondonOffset(Instant t) { return London().get_info(t).offset; }

using LocalMs = chr::local_time<chr::milliseconds>;

LocalMs ToLondonLocal(Instant t) { return LocalMs((t + LondonOffset(t)).time_since_epoch()); }

// Parses exactly `text.size()` decimal digits (no sign, no spaces).
bool ParseDigits(std::string_view text, int& out) {
  if (text.empty()) {
    return false;
  }
  for (char c : text) {
    if (c < '0' || c > '9') {
      return false;
    }
  }
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, out);
  return ec == std::errc() && ptr == end;
}

Error BadDate(std::string_view field, std::string_view text, std::string_view why) {
  std::string message = "must be a date in the form YYYY-MM-DD";
  if (!why.empty()) {
    message += " (";
    message += why;
    message += ")";
  }
  return Err(ErrorCode::kInvalidArgument, std::move(message), std::string(field),
             "got \"" + std::string(text.substr(0, 64)) + "\"");
}

// Parses the fixed-width "YYYY-MM-DD" prefix. `why` is set on failure.
bool ParseDatePart(std::string_view text, Date& out, std::string_view& why) {
  if (text.size() < 10 || text[4] != '-' || text[7] != '-') {
    why = "";
    return false;
  }
  int y = 0;
  int m = 0;
  int d = 0;
  if (!ParseDigits(text.substr(0, 4), y) || !ParseDigits(text.substr(5, 2), m) ||
      !ParseDigits(text.substr(8, 2), d)) {
    why = "";
    return false;
  }
  if (m < 1 || m > 12) {
    why = "month out of range";
    return false;
  }
  const Date date{chr::year(y), chr::month(static_cast<unsigned>(m)),
                  chr::day(static_cast<unsigned>(d))};
  if (!date.ok()) {
    why = "no such day in that month";
    return false;
  }
  out = date;
  return true;
}

std::string TwoDigits(unsigned v) {
  std::array<char, 3> buf{};
  std::snprintf(buf.data(), buf.size(), "%02u", v % 100U);
  return std::string(buf.data(), 2);
}

// "HH:MM:SS.mmm" of the time of day in `ms_of_day`.
std::string FormatTimeOfDay(chr::milliseconds ms_of_day) {
  const chr::hh_mm_ss<chr::milliseconds> hms(ms_of_day);
  std::array<char, 16> buf{};
  std::snprintf(buf.data(), buf.size(), "%02d:%02d:%02d.%03d", static_cast<int>(hms.hours().count()),
                static_cast<int>(hms.minutes().count()), static_cast<int>(hms.seconds().count()),
                static_cast<int>(hms.subseconds().count()));
  return buf.data();
}

}  // namespace

Result<Date> ParseDate(std::string_view text, std::string_view field) {
  if (text.size() != 10) {
    return BadDate(field, text, text.size() > 10 ? "unexpected trailing characters" : "");
  }
  Date d{};
  std::string_view why;
  if (!ParseDatePart(text, d, why)) {
    return BadDate(field, text, why);
  }
  return d;
}

std::string FormatDate(Date d) {
  std::array<char, 16> buf{};
  std::snprintf(buf.data(), buf.size(), "%04d-%02u-%02u", static_cast<int>(d.year()),
                static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()));
  return buf.data();
}

Result<Instant> ParseInstant(std::string_view text, std::string_view field) {
  auto bad = [&](std::string_view why) -> Error {
    std::string message =
        "must be a date-time such as 2026-04-03T10:00:00Z, 2026-04-03T10:00:00+01:00 or "
        "2026-04-03 10:00 (Europe/London)";
    if (!why.empty()) {
      message += " (";
      message += why;
      message += ")";
    }
    return Err(ErrorCode::kInvalidArgument, std::move(message), std::string(field),
               "got \"" + std::string(text.substr(0, 64)) + "\"");
  };

  Date date{};
  std::string_view why;
  if (!ParseDatePart(text, date, why)) {
    return bad(why);
  }
  if (text.size() == 10) {  // bare date: 00:00 Europe/London
    return LondonStartOfDay(date);
  }
  std::string_view rest = text.substr(10);
  if (rest[0] != 'T' && rest[0] != 't' && rest[0] != ' ') {
    return bad("expected 'T' or a space after the date");
  }
  rest.remove_prefix(1);

  // HH:MM[:SS[.fraction]]
  int hour = 0;
  int minute = 0;
  int second = 0;
  int millis = 0;
  if (rest.size() < 5 || rest[2] != ':' || !ParseDigits(rest.substr(0, 2), hour) ||
      !ParseDigits(rest.substr(3, 2), minute)) {
    return bad("expected HH:MM after the date");
  }
  rest.remove_prefix(5);
  if (!rest.empty() && rest[0] == ':') {
    if (rest.size() < 3 || !ParseDigits(rest.substr(1, 2), second)) {
      return bad("expected two-digit seconds");
    }
    rest.remove_prefix(3);
    if (!rest.empty() && (rest[0] == '.' || rest[0] == ',')) {
      rest.remove_prefix(1);
      std::size_t n = 0;
      while (n < rest.size() && rest[n] >= '0' && rest[n] <= '9') {
        if (n < 3) {
          millis = millis * 10 + (rest[n] - '0');
        }
        ++n;
      }
      if (n == 0 || n > 9) {
        return bad("fraction of a second must have 1 to 9 digits");
      }
      for (std::size_t i = n; i < 3; ++i) {
        millis *= 10;
      }
      rest.remove_prefix(n);  // digits beyond milliseconds are truncated
    }
  }
  if (hour > 23 || minute > 59 || second > 59) {
    return bad("time of day out of range");
  }
  const chr::milliseconds tod =
      chr::hours(hour) + chr::minutes(minute) + chr::seconds(second) + chr::milliseconds(millis);
  const chr::sys_days day(date);

  if (rest.empty()) {  // no offset: Europe/London wall time
    return FromLondonLocal(LocalMs(day.time_since_epoch() + tod));
  }
  if (rest == "Z" || rest == "z") {
    return Instant(day + tod);
  }
  if (rest[0] != '+' && rest[0] != '-') {
    return bad("unexpected trailing characters");
  }
  const int sign = rest[0] == '-' ? -1 : 1;
  rest.remove_prefix(1);
  int off_h = 0;
  int off_m = 0;
  if (rest.size() == 5 && rest[2] == ':') {
    if (!ParseDigits(rest.substr(0, 2), off_h) || !ParseDigits(rest.substr(3, 2), off_m)) {
      return bad("offset must be +HH:MM");
    }
  } else if (rest.size() == 4) {
    if (!ParseDigits(rest.substr(0, 2), off_h) || !ParseDigits(rest.substr(2, 2), off_m)) {
      return bad("offset must be +HH:MM");
    }
  } else if (rest.size() == 2) {
    if (!ParseDigits(rest, off_h)) {
      return bad("offset must be +HH:MM");
    }
  } else {
    return bad("offset must be +HH:MM");
  }
  if (off_h > 23 || off_m > 59) {
    return bad("offset out of range");
  }
  const chr::minutes offset = sign * (chr::hours(off_h) + chr::minutes(off_m));
  return Instant(day + tod - offset);
}

std::string FormatInstantUtc(Instant t) {
  const chr::sys_days day = chr::floor<chr::days>(t);
  return FormatDate(Date(day)) + "T" + FormatTimeOfDay(t - day) + "Z";
}

std::string FormatInstantLondon(Instant t) {
  const chr::seconds offset = LondonOffset(t);
  const LocalMs local((t + offset).time_since_epoch());
  const chr::local_days day = chr::floor<chr::days>(local);
  const Date date{chr::sys_days(day.time_since_epoch())};
  const auto off_min = chr::duration_cast<chr::minutes>(offset).count();
  const auto abs_min = static_cast<unsigned>(off_min < 0 ? -off_min : off_min);
  return FormatDate(date) + "T" + FormatTimeOfDay(local - day) + (off_min < 0 ? "-" : "+") +
         TwoDigits(abs_min / 60U) + ":" + TwoDigits(abs_min % 60U);
}

std::string FormatHumanLondon(Instant t) {
  static constexpr std::array<const char*, 7> kWeekdays = {"Sun", "Mon", "Tue", "Wed",
                                                           "Thu", "Fri", "Sat"};
  static constexpr std::array<const char*, 12> kMonths = {
      "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const LocalMs local = ToLondonLocal(t);
  const chr::local_days day = chr::floor<chr::days>(local);
  const chr::sys_days sday(day.time_since_epoch());
  const Date date(sday);
  const chr::hh_mm_ss<chr::milliseconds> hms(local - day);
  std::array<char, 48> buf{};
  std::snprintf(buf.data(), buf.size(), "%s %u %s %d %02d:%02d",
                kWeekdays[chr::weekday(sday).c_encoding()],
                static_cast<unsigned>(date.day()),
                kMonths[static_cast<unsigned>(date.month()) - 1U], static_cast<int>(date.year()),
                static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()));
  return buf.data();
}

Date LondonDate(Instant t) {
  const chr::local_days day = chr::floor<chr::days>(ToLondonLocal(t));
  return Date(chr::sys_days(day.time_since_epoch()));
}

Instant LondonStartOfDay(Date d) {
  const chr::sys_days day(d);
  return FromLondonLocal(LocalMs(day.time_since_epoch()));
}

Instant LondonEndOfDay(Date d) {
  // The instant just before the next London day starts (23:59:59.999 wall time; on a
  // clock-change day this is still the last millisecond of that day).
  const chr::sys_days next = chr::sys_days(d) + chr::days(1);
  return LondonStartOfDay(Date(next)) - chr::milliseconds(1);
}

Instant FromLondonLocal(chr::local_time<chr::milliseconds> local) {
  const date::local_time<chr::milliseconds> dl(local.time_since_epoch());
  // get_info reports the offset(s) in force around the wall time. Using the *first* offset
  // gives: unique -> the only instant; ambiguous (autumn fold) -> the earlier instant (BST);
  // nonexistent (spring gap) -> read with the pre-gap offset (GMT), which moves the time forward
  // by the gap (01:30 -> 01:30Z = 02:30 BST). date::choose would return the transition instant
  // instead, and the throwing overload would throw nonexistent_local_time.
  const date::local_info info = London().get_info(dl);
  return Instant(local.time_since_epoch()) - info.first.offset;
}

}  // namespace accredit
