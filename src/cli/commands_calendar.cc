// `accredit calendar ...`. The four arithmetic commands work without a database; when --db is
// given explicitly, names an existing database and no --division is given, they use that
// contract's calendar (division, imported bank holidays, closure days) instead.

#include <filesystem>
#include <fstream>
#include <ostream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "cli/commands.h"

namespace accredit::cli::internal {
namespace {

constexpr int kMaxWorkingDays = 100000;  // about 380 years: bounds the loop on absurd input

Result<Calendar> CalendarFor(const Args& args, const Clock& clock) {
  if (!args.division.empty()) {
    auto division = ParseDivision(args.division);
    if (!division) {
      return Err(ErrorCode::kInvalidArgument,
                 "must be england-and-wales, scotland or northern-ireland", "division");
    }
    return Calendar(*division);
  }
  std::error_code ec;
  if (args.db_explicit && std::filesystem::exists(args.db_path, ec)) {
    ACC_ASSIGN_OR_RETURN(auto app, Open(clock, args));
    return app->registers->LoadCalendar();
  }
  return Calendar(Division::kEnglandAndWales);
}

}  // namespace

Result<int> RunCalendarHolidays(const Args& args, const Clock& clock, std::ostream& out) {
  if (args.year < 1000 || args.year > 9999) {
    return Err(ErrorCode::kInvalidArgument, "must be a year between 1000 and 9999", "year");
  }
  ACC_ASSIGN_OR_RETURN(const Calendar calendar, CalendarFor(args, clock));
  const auto holidays = calendar.Holidays(args.year);
  if (args.json) {
    nlohmann::json arr = nlohmann::json::array();
    for (const auto& h : holidays) {
      arr.push_back({{"date", FormatDate(h.date)}, {"title", h.title}});
    }
    out << DumpJson(arr, 2) << "\n";
    return 0;
  }
  for (const auto& h : holidays) {
    out << FormatDate(h.date) << "\t" << h.title << "\n";
  }
  return 0;
}

Result<int> RunCalendarIsWorkingDay(const Args& args, const Clock& clock, std::ostream& out) {
  ACC_ASSIGN_OR_RETURN(const Date date, ParseDate(args.date, "date"));
  ACC_ASSIGN_OR_RETURN(const Calendar calendar, CalendarFor(args, clock));
  out << (calendar.IsWorkingDay(date) ? "yes" : "no") << "\n";
  return 0;
}

Result<int> RunCalendarAddWorkingDays(const Args& args, const Clock& clock, std::ostream& out) {
  ACC_ASSIGN_OR_RETURN(const Date date, ParseDate(args.date, "date"));
  if (args.n < 0 || args.n > kMaxWorkingDays) {
    return Err(ErrorCode::kInvalidArgument,
               "must be a whole number from 0 to " + std::to_string(kMaxWorkingDays), "n");
  }
  ACC_ASSIGN_OR_RETURN(const Calendar calendar, CalendarFor(args, clock));
  out << FormatDate(calendar.AddWorkingDays(date, args.n)) << "\n";
  return 0;
}

Result<int> RunCalendarWorkingDaysBetween(const Args& args, const Clock& clock, std::ostream& out) {
  ACC_ASSIGN_OR_RETURN(const Date a, ParseDate(args.date, "a"));
  ACC_ASSIGN_OR_RETURN(const Date b, ParseDate(args.date_b, "b"));
  ACC_ASSIGN_OR_RETURN(const Calendar calendar, CalendarFor(args, clock));
  out << calendar.WorkingDaysBetween(a, b) << "\n";
  return 0;
}

Result<int> RunCalendarImport(const Args& args, App& app, std::ostream& out) {
  std::ifstream in(args.file, std::ios::binary);
  if (!in) {
    return Err(ErrorCode::kNotFound, "cannot read the file", "file");
  }
  std::ostringstream buf;
  buf << in.rdbuf();
  ACC_ASSIGN_OR_RETURN(const int stored, app.registers->ImportBankHolidays(Operator(), buf.str()));
  out << "Imported " << stored << " bank holidays\n";
  return 0;
}

}  // namespace accredit::cli::internal
