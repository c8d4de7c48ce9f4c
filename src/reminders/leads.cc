// Lead times: when each reminder of an obligation fires (docs/REMINDERS.md).

#include <algorithm>
#include <charconv>
#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "reminders/reminders.h"

namespace accredit::reminders {

namespace chr = std::chrono;

namespace {

constexpr int kMaxLeadDays = 60;

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
    s.remove_suffix(1);
  }
  return s;
}

Result<Lead> ParseLead(std::string_view text) {
  if (text == "due") {
    return Lead{LeadKind::kDue, 0};
  }
  if (text == "overdue") {
    return Lead{LeadKind::kOverdue, 0};
  }
  LeadKind kind = LeadKind::kDaysBefore;
  std::string_view digits = text;
  if (text.ends_with("wd")) {
    kind = LeadKind::kWorkingDaysBefore;
    digits.remove_suffix(2);
  } else if (text.ends_with("d")) {
    digits.remove_suffix(1);
  } else {
    digits = {};
  }
  int n = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
  if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size() || n < 1 ||
      n > kMaxLeadDays) {
    return Err(ErrorCode::kInvalidArgument,
               "\"" + std::string(text) +
                   "\" is not a lead time: use Nwd (Working Days before), Nd (days before), due "
                   "or overdue, with N from 1 to 60",
               "leads");
  }
  return Lead{kind, n};
}

Date AddDays(Date d, int n) {
  return Date(chr::sys_days(d) + chr::days(n));
}

// The Working Day `n` Working Days before `d` (d itself never counts). REQUIRES: n >= 1.
Date SubtractWorkingDays(const Calendar& cal, Date d, int n) {
  int counted = 0;
  while (counted < n) {
    d = AddDays(d, -1);
    if (cal.IsWorkingDay(d)) {
      ++counted;
    }
  }
  return d;
}

}  // namespace

std::string Lead::Name() const {
  switch (kind) {
    case LeadKind::kWorkingDaysBefore:
      return std::to_string(n) + "wd";
    case LeadKind::kDaysBefore:
      return std::to_string(n) + "d";
    case LeadKind::kDue:
      return "due";
    case LeadKind::kOverdue:
      return "overdue";
  }
  return "due";
}

Result<std::vector<Lead>> ParseLeads(std::string_view text) {
  std::vector<Lead> out;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    const std::size_t comma = std::min(text.find(',', pos), text.size());
    const std::string_view part = Trim(text.substr(pos, comma - pos));
    if (!part.empty()) {
      ACC_ASSIGN_OR_RETURN(Lead lead, ParseLead(part));
      if (std::find(out.begin(), out.end(), lead) != out.end()) {
        return Err(ErrorCode::kInvalidArgument, "\"" + lead.Name() + "\" is listed twice", "leads");
      }
      out.push_back(lead);
    }
    pos = comma + 1;
  }
  if (out.empty()) {
    return Err(ErrorCode::kInvalidArgument, "at least one lead time is needed, e.g. 5wd,1wd,due",
               "leads");
  }
  return out;
}

std::string FormatLeads(const std::vector<Lead>& leads) {
  std::string out;
  for (const Lead& l : leads) {
    if (!out.empty()) {
      out += ',';
    }
    out += l.Name();
  }
  return out;
}

std::vector<Lead> DefaultLeads() {
  return {Lead{LeadKind::kWorkingDaysBefore, 5}, Lead{LeadKind::kWorkingDaysBefore, 1},
          Lead{LeadKind::kDue, 0}, Lead{LeadKind::kOverdue, 0}};
}

Instant NineAmLondon(Date d) {
  const chr::local_days day{d};
  return FromLondonLocal(chr::local_time<chr::milliseconds>(day) + chr::hours(9));
}

std::optional<Instant> FireAt(const Lead& lead, Instant visible_from, Instant due,
                              const Calendar& cal) {
  const Date due_date = LondonDate(due);
  Instant fire{};
  switch (lead.kind) {
    case LeadKind::kWorkingDaysBefore:
      fire = NineAmLondon(SubtractWorkingDays(cal, due_date, lead.n));
      break;
    case LeadKind::kDaysBefore:
      fire = NineAmLondon(AddDays(due_date, -lead.n));
      break;
    case LeadKind::kDue:
      if (visible_from > due) {
        return std::nullopt;  // known only after its deadline: the overdue reminders cover it
      }
      // 09:00 on the due date, but never after the deadline itself (a deadline counted in hours
      // may fall before 09:00), and not before the obligation existed (a same-day duty).
      return std::max(std::min(NineAmLondon(due_date), due), visible_from);
    case LeadKind::kOverdue:
      return std::nullopt;  // REQUIRES says: use OverdueFireAt
  }
  if (fire < visible_from) {
    return std::nullopt;
  }
  return fire;
}

std::optional<Instant> OverdueFireAt(Date day, Instant due) {
  if (chr::sys_days(day) <= chr::sys_days(LondonDate(due))) {
    return std::nullopt;
  }
  return NineAmLondon(day);
}

std::vector<Occurrence> FiredOccurrences(const std::vector<Lead>& leads, Instant visible_from,
                                         Instant due, Instant now, const Calendar& cal) {
  std::vector<Occurrence> out;
  for (const Lead& lead : leads) {
    if (lead.kind == LeadKind::kOverdue) {
      Date day = LondonDate(now);
      if (NineAmLondon(day) > now) {
        day = AddDays(day, -1);
      }
      const auto fire = OverdueFireAt(day, due);
      if (fire && *fire >= visible_from && *fire <= now) {
        out.push_back(Occurrence{lead, "overdue/" + FormatDate(day), *fire});
      }
      continue;
    }
    const auto fire = FireAt(lead, visible_from, due, cal);
    if (fire && *fire <= now) {
      out.push_back(Occurrence{lead, lead.Name(), *fire});
    }
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const Occurrence& a, const Occurrence& b) { return a.fire_at < b.fire_at; });
  return out;
}

}  // namespace accredit::reminders
