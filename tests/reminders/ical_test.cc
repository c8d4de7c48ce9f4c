// The iCalendar writer: TEXT escaping, folding at 75 octets, one VEVENT per open obligation.

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "reminders/reminders.h"

namespace accredit::reminders {
namespace {

Instant At(const char* iso) {
  return ParseInstant(iso).value();
}

// Undoes RFC 5545 folding: CRLF followed by one space or tab is removed.
std::string Unfold(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text.compare(i, 3, "\r\n ") == 0 || text.compare(i, 3, "\r\n\t") == 0) {
      i += 2;
      continue;
    }
    out += text[i];
  }
  return out;
}

std::vector<std::string> PhysicalLines(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < text.size()) {
    const auto end = text.find("\r\n", start);
    EXPECT_NE(end, std::string::npos) << "every line ends with CRLF";
    if (end == std::string::npos) {
      break;
    }
    out.push_back(text.substr(start, end - start));
    start = end + 2;
  }
  return out;
}

bool ValidUtf8Boundaries(const std::string& line) {
  // A physical line never starts with a continuation byte (after the folding space).
  const std::size_t first = line.rfind(' ', 0) == 0 ? 1 : 0;
  return first >= line.size() || (static_cast<unsigned char>(line[first]) & 0xC0U) != 0x80U;
}

TEST(IcalTest, EscapesText) {
  EXPECT_EQ(IcsEscapeText("a,b;c\\d\ne\r\nf"), "a\\,b\\;c\\\\d\\ne\\nf");
  EXPECT_EQ(IcsEscapeText("plain: text"), "plain: text");
  EXPECT_EQ(IcsEscapeText(std::string("bell\x07tab\t", 9)), "belltab\t");
}

TEST(IcalTest, FoldsAt75OctetsWithoutSplittingUtf8) {
  EXPECT_EQ(IcsFoldLine("SUMMARY:short"), "SUMMARY:short\r\n");
  const std::string exact(75, 'x');
  EXPECT_EQ(IcsFoldLine(exact), exact + "\r\n");
  const std::string longer(200, 'y');
  const std::string folded = IcsFoldLine(longer);
  const auto lines = PhysicalLines(folded);
  ASSERT_EQ(lines.size(), 3u);  // 75 + (1 + 74) + (1 + 51)
  EXPECT_EQ(lines[0].size(), 75u);
  EXPECT_EQ(lines[1].size(), 75u);
  EXPECT_EQ(lines[1][0], ' ');
  EXPECT_EQ(Unfold(folded), longer + "\r\n");

  // "€" is 3 octets; 30 of them (90 octets) plus a prefix must fold between characters.
  std::string euros = "DESCRIPTION:";
  for (int i = 0; i < 30; ++i) {
    euros += "\xE2\x82\xAC";
  }
  const std::string f2 = IcsFoldLine(euros);
  for (const std::string& l : PhysicalLines(f2)) {
    EXPECT_LE(l.size(), 75u);
    EXPECT_TRUE(ValidUtf8Boundaries(l)) << l;
  }
  EXPECT_EQ(Unfold(f2), euros + "\r\n");
}

clocks::Obligation Make(const char* key, clocks::State state, const char* due) {
  clocks::Obligation o;
  o.clause = "S2.4-5.13.1";
  o.key = key;
  o.subject = clocks::Subject{"notifiable_events", 3, "New firewall"};
  o.trigger = At("2026-11-03T10:00:00Z");
  o.visible_from = o.trigger;
  o.due = At(due);
  o.state = state;
  o.consequence = clocks::kNotificationDuty | clocks::kMaterialDefault;
  o.action =
      "Notify the Customer of the significant change to the Core IMS components or "
      "architecture recorded on 3 Nov 2026; firewall, VPN \\ proxy";
  return o;
}

TEST(IcalTest, OneEventPerOpenObligation) {
  const std::vector<clocks::Obligation> obligations = {
      Make("S2.4-5.13.1/notifiable_events/3", clocks::State::kDueSoon, "2026-11-05T23:59:59.999Z"),
      Make("S2.4-5.13.1/notifiable_events/4", clocks::State::kMetOnTime,
           "2026-11-05T23:59:59.999Z"),
      Make("S2.4-5.13.1/notifiable_events/5", clocks::State::kOverdue, "2026-07-01T22:59:59.999Z"),
  };
  IcsOptions options;
  options.now = At("2026-11-04T12:00:00.250Z");
  options.base_url = "https://accredit.example";
  const std::string ics = RenderIcs(obligations, options);
  for (const std::string& l : PhysicalLines(ics)) {
    EXPECT_LE(l.size(), 75u) << l;
  }
  const std::string text = Unfold(ics);
  EXPECT_EQ(text.rfind("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:", 0), 0u);
  EXPECT_TRUE(text.ends_with("END:VCALENDAR\r\n"));
  std::size_t events = 0;
  for (auto p = text.find("BEGIN:VEVENT"); p != std::string::npos;
       p = text.find("BEGIN:VEVENT", p + 1)) {
    ++events;
  }
  EXPECT_EQ(events, 2u);  // the met one is left out
  EXPECT_NE(text.find("UID:S2.4-5.13.1/notifiable_events/3@accredit\r\n"), std::string::npos);
  EXPECT_EQ(text.find("notifiable_events/4@accredit"), std::string::npos);
  EXPECT_NE(text.find("DTSTAMP:20261104T120000Z\r\n"), std::string::npos);
  EXPECT_NE(text.find("DTSTART:20261105T235959Z\r\n"), std::string::npos);
  EXPECT_NE(text.find("DTSTART:20260701T225959Z\r\n"), std::string::npos);
  EXPECT_NE(text.find("SUMMARY:Notify the Customer of the significant change to the Core IMS "
                      "components or architecture recorded on 3 Nov 2026\\; firewall\\, VPN "
                      "\\\\ proxy (S2.4-5.13.1)\r\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("\\nIf missed: notification duty\\; material Default\\nState: due soon"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("URL:https://accredit.example/r/notifiable_events/3\r\n"), std::string::npos);
  EXPECT_NE(text.find("CATEGORIES:overdue\r\n"), std::string::npos);
  EXPECT_NE(text.find("CATEGORIES:due_soon\r\n"), std::string::npos);
  EXPECT_EQ(text.find("DTEND"), std::string::npos);
}

}  // namespace
}  // namespace accredit::reminders
