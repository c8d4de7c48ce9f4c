// Fuzzes Calendar::ImportGovUkJson, which parses `accredit calendar import FILE` input.
// Invariants: never crashes or throws; a failed import leaves the calendar unchanged and its
// error names where the problem is.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/core.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  accredit::Calendar calendar;
  const auto before = calendar.Holidays(2026);
  accredit::Status s = calendar.ImportGovUkJson(text);
  if (!s.ok()) {
    if (s.error().message.empty() || calendar.Holidays(2026) != before ||
        !calendar.Imported().empty()) {
      std::abort();
    }
    return 0;
  }
  // Whatever was imported, the working-day arithmetic must stay consistent.
  const auto d =
      accredit::Date{std::chrono::year{2026}, std::chrono::month{1}, std::chrono::day{5}};
  const auto later = calendar.AddWorkingDays(d, 10);
  if (calendar.WorkingDaysBetween(d, later) != 10 || !calendar.IsWorkingDay(later)) {
    std::abort();
  }
  return 0;
}
