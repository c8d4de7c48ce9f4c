// The iCalendar (RFC 5545) text of the open obligations.

#include <string>
#include <string_view>

#include "reminders/internal.h"
#include "reminders/reminders.h"

namespace accredit::reminders {

namespace {

constexpr std::size_t kFoldOctets = 75;  // RFC 5545 3.1: lines SHOULD NOT exceed 75 octets

// "20261105T225959Z": the UTC form, seconds truncated (a deadline of 23:59:59.999 stays on its
// day rather than rounding into the next).
std::string IcsDateTime(Instant t) {
  const std::string iso = FormatInstantUtc(t);  // 2026-11-05T22:59:59.999Z
  std::string out;
  for (char c : iso.substr(0, 19)) {
    if (c != '-' && c != ':') {
      out.push_back(c);
    }
  }
  return out + "Z";
}

bool IsContinuation(char c) {
  return (static_cast<unsigned char>(c) & 0xC0U) == 0x80U;
}

// A property whose value may only be a URI or other non-TEXT value: controls are dropped so no
// value can end the line early.
std::string NoControls(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (static_cast<unsigned char>(c) >= 0x20 && c != 0x7f) {
      out.push_back(c);
    }
  }
  return out;
}

}  // namespace

std::string IcsEscapeText(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 8);
  for (char c : text) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case ';':
        out += "\\;";
        break;
      case ',':
        out += "\\,";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t') {
          break;  // other controls are not allowed in TEXT
        }
        out.push_back(c);
    }
  }
  return out;
}

std::string IcsFoldLine(std::string_view line) {
  std::string out;
  std::size_t limit = kFoldOctets;  // the first line: 75 octets; later ones: a space + 74
  while (line.size() > limit) {
    std::size_t cut = limit;
    while (cut > 0 && IsContinuation(line[cut])) {
      --cut;  // never split a UTF-8 sequence
    }
    if (cut == 0) {
      cut = limit;  // not UTF-8 at all: split anyway rather than loop
    }
    out.append(line.substr(0, cut));
    out += "\r\n ";
    line.remove_prefix(cut);
    limit = kFoldOctets - 1;
  }
  out.append(line);
  out += "\r\n";
  return out;
}

std::string IcsUid(std::string_view obligation_key) {
  return std::string(obligation_key) + "@accredit";
}

std::string RenderIcs(const std::vector<clocks::Obligation>& obligations,
                      const IcsOptions& options) {
  std::string out;
  auto line = [&out](std::string_view name, std::string_view value) {
    std::string l(name);
    l += ':';
    l += value;
    out += IcsFoldLine(l);
  };
  line("BEGIN", "VCALENDAR");
  line("VERSION", "2.0");
  line("PRODID", "-//accredit//Schedule 2.4 obligations//EN");
  line("CALSCALE", "GREGORIAN");
  line("METHOD", "PUBLISH");
  line("X-WR-CALNAME", IcsEscapeText(options.calendar_name));
  line("X-WR-TIMEZONE", "Europe/London");
  line("REFRESH-INTERVAL;VALUE=DURATION", "PT1H");
  line("X-PUBLISHED-TTL", "PT1H");
  const std::string stamp = IcsDateTime(options.now);
  for (const clocks::Obligation& o : obligations) {
    if (!clocks::IsOpen(o.state)) {
      continue;
    }
    std::string description = o.Text();
    description += "\nIf missed: ";
    description += clocks::ConsequenceText(o.consequence);
    description += "\nState: " + internal::StateWords(o.state);
    if (o.customer_side) {
      description += "\nWhose duty: the Customer's";
    }
    line("BEGIN", "VEVENT");
    line("UID", IcsEscapeText(IcsUid(o.key)));
    line("DTSTAMP", stamp);
    // No DTEND: a DATE-TIME DTSTART alone is an event of no duration (RFC 5545 3.6.1), which is
    // what a deadline is.
    line("DTSTART", IcsDateTime(o.due));
    line("SUMMARY", IcsEscapeText(o.action + " (" + o.clause + ")"));
    line("DESCRIPTION", IcsEscapeText(description));
    if (!options.base_url.empty()) {
      line("URL", NoControls(options.base_url + o.subject.Href()));
    }
    line("CATEGORIES", IcsEscapeText(clocks::StateName(o.state)));
    line("TRANSP", "TRANSPARENT");
    line("END", "VEVENT");
  }
  line("END", "VCALENDAR");
  return out;
}

}  // namespace accredit::reminders
