#pragma once

// Internal helpers of the clocks module (not a public header).

#include <string>

#include "clocks/clocks.h"

namespace accredit::clocks::internal {

// "3 Nov 2026" (for sentences).
std::string HumanDate(Date d);
// d + n calendar months, clamped to the month's last day (31 Aug + 6 months = 28/29 Feb).
Date AddMonths(Date d, int n);
Date AddYears(Date d, int n);
Date AddDays(Date d, int n);
// The first and the last day of d's month.
Date MonthStart(Date d);
Date MonthEnd(Date d);

}  // namespace accredit::clocks::internal
