#include "core/time.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <exception>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>

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
chr::seconds LondonOffset(Instant t) {
  return London().get_info(t).offset;
}

using LocalMs = chr::local_time<chr::milliseconds>;

LocalMs ToLondonLocal(Instant t) {
  return LocalMs((t + LondonOffset(t)).time_since_epoch());
}

// Parses `text` as exactly `text.size()` decimal digits (no sign, no spaces).
std::optional<int> ParseDigits(std::string_view text) {
  if (text.empty()) {
    return std::nullopt;
  }
  for (const char c : text) {
    if (c < '0' || c > '9') {
      return std::nullopt;
    }
  }
  int out = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, out);
  if (ec != std::errc() || ptr != end) {
    return std::nullopt;
  }
  return out;
}

// The internal helpers below fail with a bare reason in `message`; the public parsers wrap it
// into the user-facing message and set `field`.
Error Why(std::string why) {
  return Err(ErrorCode::kInvalidArgument, std::move(why));
}

Error Wrap(std::string_view base, const Error& why, std::string_view field, std::string_view text) {
  std::string message(base);
  if (!why.message.empty()) {
    message += " (";
    message += why.message;
    message += ")";
  }
  return Err(ErrorCode::kInvalidArgument, std::move(message), std::string(field),
             "got \"" + std::string(text.substr(0, 64)) + "\"");
}

// The fixed-width "YYYY-MM-DD" prefix of `text`.
Result<Date> ParseDatePart(std::string_view text) {
  if (text.size() < 10 || text[4] != '-' || text[7] != '-') {
    return Why("");
  }
  const std::optional<int> y = ParseDigits(text.substr(0, 4));
  const std::optional<int> m = ParseDigits(text.substr(5, 2));
  const std::optional<int> d = ParseDigits(text.substr(8, 2));
  if (!y || !m || !d) {
    return Why("");
  }
  if (*m < 1 || *m > 12) {
    return Why("month out of range");
  }
  const Date date{chr::year(*y), chr::month(static_cast<unsigned>(*m)),
                  chr::day(static_cast<unsigned>(*d))};
  if (!date.ok()) {
    return Why("no such day in that month");
  }
  return date;
}

struct TimeOfDay {
  chr::milliseconds since_midnight;
  std::string_view rest;  // what follows the time
};

// "HH:MM[:SS[.fraction]]" at the start of `text`. Fraction digits beyond milliseconds are
// truncated.
Result<TimeOfDay> ParseTimeOfDay(std::string_view text) {
  if (text.size() < 5 || text[2] != ':') {
    return Why("expected HH:MM after the date");
  }
  const std::optional<int> hour = ParseDigits(text.substr(0, 2));
  const std::optional<int> minute = ParseDigits(text.substr(3, 2));
  if (!hour || !minute) {
    return Why("expected HH:MM after the date");
  }
  std::string_view rest = text.substr(5);
  int second = 0;
  int millis = 0;
  if (!rest.empty() && rest[0] == ':') {
    const std::optional<int> sec = rest.size() >= 3 ? ParseDigits(rest.substr(1, 2)) : std::nullopt;
    if (!sec) {
      return Why("expected two-digit seconds");
    }
    second = *sec;
    rest.remove_prefix(3);
    if (!rest.empty() && (rest[0] == '.' || rest[0] == ',')) {
      rest.remove_prefix(1);
      const std::size_t n = std::min(rest.find_first_not_of("0123456789"), rest.size());
      if (n == 0 || n > 9) {
        return Why("fraction of a second must have 1 to 9 digits");
      }
      std::string frac(rest.substr(0, std::min<std::size_t>(n, 3)));
      frac.resize(3, '0');
      millis = ParseDigits(frac).value_or(0);
      rest.remove_prefix(n);
    }
  }
  if (*hour > 23 || *minute > 59 || second > 59) {
    return Why("time of day out of range");
  }
  return TimeOfDay{
      chr::hours(*hour) + chr::minutes(*minute) + chr::seconds(second) + chr::milliseconds(millis),
      rest};
}

// A UTC offset: "+HH:MM", "+HHMM" or "+HH" (or '-').
Result<chr::minutes> ParseOffset(std::string_view text) {
  if (text.empty() || (text[0] != '+' && text[0] != '-')) {
    return Why("unexpected trailing characters");
  }
  const int sign = text[0] == '-' ? -1 : 1;
  text.remove_prefix(1);
  std::optional<int> hours;
  std::optional<int> minutes = 0;
  if (text.size() == 5 && text[2] == ':') {
    hours = ParseDigits(text.substr(0, 2));
    minutes = ParseDigits(text.substr(3, 2));
  } else if (text.size() == 4) {
    hours = ParseDigits(text.substr(0, 2));
    minutes = ParseDigits(text.substr(2, 2));
  } else if (text.size() == 2) {
    hours = ParseDigits(text);
  }
  if (!hours || !minutes) {
    return Why("offset must be +HH:MM");
  }
  if (*hours > 23 || *minutes > 59) {
    return Why("offset out of range");
  }
  return chr::minutes(sign * (*hours * 60 + *minutes));
}

std::string TwoDigits(unsigned v) {
  std::array<char, 3> buf{};
  std::snprintf(buf.data(), buf.size(), "%02u", v % 100U);
  return {buf.data(), 2};
}

// "HH:MM:SS.mmm" of the time of day in `ms_of_day`.
std::string FormatTimeOfDay(chr::milliseconds ms_of_day) {
  const chr::hh_mm_ss<chr::milliseconds> hms(ms_of_day);
  std::array<char, 16> buf{};
  std::snprintf(buf.data(), buf.size(), "%02d:%02d:%02d.%03d",
                static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                static_cast<int>(hms.seconds().count()),
                static_cast<int>(hms.subseconds().count()));
  return buf.data();
}

}  // namespace

Result<Date> ParseDate(std::string_view text, std::string_view field) {
  static constexpr std::string_view kBase = "must be a date in the form YYYY-MM-DD";
  if (text.size() != 10) {
    return Wrap(kBase, Why(text.size() > 10 ? "unexpected trailing characters" : ""), field, text);
  }
  Result<Date> d = ParseDatePart(text);
  if (!d) {
    return Wrap(kBase, d.error(), field, text);
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
  static constexpr std::string_view kBase =
      "must be a date-time such as 2026-04-03T10:00:00Z, 2026-04-03T10:00:00+01:00 or "
      "2026-04-03 10:00 (Europe/London)";
  const Result<Date> date = ParseDatePart(text);
  if (!date) {
    return Wrap(kBase, date.error(), field, text);
  }
  if (text.size() == 10) {  // bare date: 00:00 Europe/London
    return LondonStartOfDay(*date);
  }
  if (text[10] != 'T' && text[10] != 't' && text[10] != ' ') {
    return Wrap(kBase, Why("expected 'T' or a space after the date"), field, text);
  }
  const Result<TimeOfDay> tod = ParseTimeOfDay(text.substr(11));
  if (!tod) {
    return Wrap(kBase, tod.error(), field, text);
  }
  const chr::sys_days day{*date};
  const Instant utc_reading = day + tod->since_midnight;
  if (tod->rest.empty()) {  // no offset: Europe/London wall time
    return FromLondonLocal(LocalMs(utc_reading.time_since_epoch()));
  }
  if (tod->rest == "Z" || tod->rest == "z") {
    return utc_reading;
  }
  const Result<chr::minutes> offset = ParseOffset(tod->rest);
  if (!offset) {
    return Wrap(kBase, offset.error(), field, text);
  }
  return utc_reading - *offset;
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
  static constexpr std::array<const char*, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const LocalMs local = ToLondonLocal(t);
  const chr::local_days day = chr::floor<chr::days>(local);
  const chr::sys_days sday(day.time_since_epoch());
  const Date date(sday);
  const chr::hh_mm_ss<chr::milliseconds> hms(local - day);
  std::array<char, 48> buf{};
  std::snprintf(buf.data(), buf.size(), "%s %u %s %d %02d:%02d",
                kWeekdays[chr::weekday(sday).c_encoding()], static_cast<unsigned>(date.day()),
                kMonths[static_cast<unsigned>(date.month()) - 1U], static_cast<int>(date.year()),
                static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()));
  return buf.data();
}

Date LondonDate(Instant t) {
  const chr::local_days day = chr::floor<chr::days>(ToLondonLocal(t));
  return chr::sys_days{day.time_since_epoch()};
}

Instant LondonStartOfDay(Date d) {
  const chr::sys_days day(d);
  return FromLondonLocal(LocalMs(day.time_since_epoch()));
}

Instant LondonEndOfDay(Date d) {
  // The instant just before the next London day starts (23:59:59.999 wall time; on a
  // clock-change day this is still the last millisecond of that day).
  const chr::sys_days next = chr::sys_days{d} + chr::days(1);
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
