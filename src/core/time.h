#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/status.h"

// Civil dates and the Europe/London <-> UTC conversion. g++ 12 has no std::chrono::zoned_time,
// so the conversion uses Howard Hinnant's date::tz over the system tz database (tzdata).
namespace accredit {

using Date = std::chrono::year_month_day;

// Strict YYYY-MM-DD. Error names `field` (default "date") and says what was wrong.
Result<Date> ParseDate(std::string_view text, std::string_view field = "date");
std::string FormatDate(Date d);  // "2026-04-08"

// ISO 8601 instant: "2026-04-03T10:00:00Z", "2026-04-03T10:00:00.250+01:00", or a local time
// without offset ("2026-04-03T10:00" / "2026-04-03 10:00:00") read as Europe/London wall time.
// A bare date "2026-04-03" means 00:00 Europe/London that day.
Result<Instant> ParseInstant(std::string_view text, std::string_view field = "instant");
std::string FormatInstantUtc(Instant t);     // "2026-04-08T22:59:59.999Z"
std::string FormatInstantLondon(Instant t);  // "2026-04-08T23:59:59.999+01:00"
// Human form for sentences: "Wed 8 Apr 2026 23:59" (Europe/London).
std::string FormatHumanLondon(Instant t);

// The Europe/London calendar day containing t.
Date LondonDate(Instant t);
// 00:00:00.000 and 23:59:59.999 Europe/London on d, as UTC instants.
Instant LondonStartOfDay(Date d);
Instant LondonEndOfDay(Date d);
// Europe/London wall-clock time to UTC. Ambiguous times (autumn fold) take the earlier instant;
// times in the spring gap are moved forward by the gap (01:30 -> 02:30 BST).
Instant FromLondonLocal(std::chrono::local_time<std::chrono::milliseconds> local);

}  // namespace accredit
