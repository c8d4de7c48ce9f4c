#include "core/time.h"

#include <array>
#include <chrono>
#include <cstdint>
#include <random>
#include <string>
#include <string_view>

#include <gtest/gtest.h>

namespace accredit {
namespace {

namespace chr = std::chrono;

Date D(int y, unsigned m, unsigned d) {
  return Date{chr::year(y), chr::month(m), chr::day(d)};
}

// Parses an ISO instant that the test knows to be valid.
Instant T(std::string_view text) {
  const Result<Instant> r = ParseInstant(text);
  EXPECT_TRUE(r.has_value()) << text;
  return r.value_or(Instant{});
}

chr::local_time<chr::milliseconds> Local(Date d, int h, int m) {
  return chr::local_time<chr::milliseconds>(chr::sys_days{d}.time_since_epoch() + chr::hours(h) +
                                            chr::minutes(m));
}

TEST(ParseDateTest, AcceptsValidDates) {
  struct Case {
    const char* text;
    Date want;
  };

  const auto cases = std::to_array<Case>({
      {"2026-04-08", D(2026, 4, 8)},
      {"2024-02-29", D(2024, 2, 29)},
      {"2000-02-29", D(2000, 2, 29)},
      {"1995-01-01", D(1995, 1, 1)},
      {"2026-12-31", D(2026, 12, 31)},
  });
  for (const Case& c : cases) {
    const Result<Date> r = ParseDate(c.text);
    ASSERT_TRUE(r.has_value()) << c.text;
    EXPECT_EQ(*r, c.want) << c.text;
  }
}

TEST(ParseDateTest, RejectsInvalidDates) {
  const auto cases = std::to_array<const char*>({
      "2026-02-30",
      "2026-4-1",
      "2026-04-1",
      "2026-04-01x",
      "2026-04-01 ",
      " 2026-04-01",
      "",
      "2026/04/01",
      "2026-13-01",
      "2026-00-10",
      "2026-01-00",
      "2025-02-29",
      "2100-02-29",
      "+026-04-01",
      "2026-04-+1",
      "20260401",
      "2026-04-01T00:00",
      "abcd-ef-gh",
  });
  for (const char* text : cases) {
    const Result<Date> r = ParseDate(text, "effective_date");
    ASSERT_FALSE(r.has_value()) << text;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument) << text;
    EXPECT_EQ(r.error().field, "effective_date") << text;
    EXPECT_FALSE(r.error().message.empty());
  }
}

TEST(ParseDateTest, DefaultFieldAndExplanation) {
  const Result<Date> r = ParseDate("2026-02-30");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().field, "date");
  EXPECT_NE(r.error().message.find("no such day"), std::string::npos) << r.error().message;
}

TEST(FormatDateTest, ZeroPads) {
  EXPECT_EQ(FormatDate(D(2026, 4, 8)), "2026-04-08");
  EXPECT_EQ(FormatDate(D(999, 1, 2)), "0999-01-02");
}

TEST(ParseInstantTest, Forms) {
  struct Case {
    const char* text;
    const char* want_utc;
  };

  const auto cases = std::to_array<Case>({
      {"2026-04-03T10:00:00Z", "2026-04-03T10:00:00.000Z"},
      {"2026-04-03t10:00:00z", "2026-04-03T10:00:00.000Z"},
      {"2026-04-03T10:00:00.250+01:00", "2026-04-03T09:00:00.250Z"},
      {"2026-04-03T10:00:00.5-05:30", "2026-04-03T15:30:00.500Z"},
      {"2026-04-03T10:00:00.123456789Z", "2026-04-03T10:00:00.123Z"},
      {"2026-04-03T10:00:00+0100", "2026-04-03T09:00:00.000Z"},
      {"2026-04-03T10:00Z", "2026-04-03T10:00:00.000Z"},
      // No offset: Europe/London wall time (BST in April, GMT in January).
      {"2026-04-03T10:00", "2026-04-03T09:00:00.000Z"},
      {"2026-04-03 10:00:00", "2026-04-03T09:00:00.000Z"},
      {"2026-01-15T10:00", "2026-01-15T10:00:00.000Z"},
      // A bare date is 00:00 Europe/London.
      {"2026-04-03", "2026-04-02T23:00:00.000Z"},
      {"2026-01-15", "2026-01-15T00:00:00.000Z"},
  });
  for (const Case& c : cases) {
    const Result<Instant> r = ParseInstant(c.text);
    ASSERT_TRUE(r.has_value()) << c.text << ": " << r.status().ToString();
    EXPECT_EQ(FormatInstantUtc(*r), c.want_utc) << c.text;
  }
}

TEST(ParseInstantTest, RejectsJunk) {
  const auto cases = std::to_array<const char*>({
      "",
      "2026-04-03T",
      "2026-04-03T10",
      "2026-04-03T25:00Z",
      "2026-04-03T10:60Z",
      "2026-04-03T10:00:61Z",
      "2026-04-03T10:00:00ZZ",
      "2026-04-03T10:00:00 Z",
      "2026-04-03T10:00:00+1",
      "2026-04-03T10:00:00+01:00junk",
      "2026-04-03T10:00:00.Z",
      "2026-04-03X10:00",
      "2026-02-30T10:00Z",
      "2026-04-03T1:00Z",
      "2026-04-03T10:00:00+24:00",
  });
  for (const char* text : cases) {
    const Result<Instant> r = ParseInstant(text, "aware_at");
    ASSERT_FALSE(r.has_value()) << text;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(r.error().field, "aware_at") << text;
  }
}

TEST(FormatInstantTest, UtcLondonAndHuman) {
  const Instant summer = T("2026-04-08T22:59:59.999Z");
  EXPECT_EQ(FormatInstantUtc(summer), "2026-04-08T22:59:59.999Z");
  EXPECT_EQ(FormatInstantLondon(summer), "2026-04-08T23:59:59.999+01:00");
  EXPECT_EQ(FormatHumanLondon(summer), "Wed 8 Apr 2026 23:59");

  const Instant winter = T("2026-01-05T09:05:00Z");
  EXPECT_EQ(FormatInstantLondon(winter), "2026-01-05T09:05:00.000+00:00");
  EXPECT_EQ(FormatHumanLondon(winter), "Mon 5 Jan 2026 09:05");

  // Before the epoch, milliseconds still format forwards.
  EXPECT_EQ(FormatInstantUtc(T("1969-12-31T23:59:59.001Z")), "1969-12-31T23:59:59.001Z");
}

TEST(LondonTest, StartAndEndOfDay) {
  EXPECT_EQ(FormatInstantUtc(LondonStartOfDay(D(2026, 4, 8))), "2026-04-07T23:00:00.000Z");
  EXPECT_EQ(FormatInstantUtc(LondonEndOfDay(D(2026, 4, 8))), "2026-04-08T22:59:59.999Z");
  EXPECT_EQ(FormatInstantUtc(LondonStartOfDay(D(2026, 1, 8))), "2026-01-08T00:00:00.000Z");
  EXPECT_EQ(FormatInstantUtc(LondonEndOfDay(D(2026, 1, 8))), "2026-01-08T23:59:59.999Z");
}

TEST(LondonTest, ClockChangeDaysHave23And25Hours) {
  // Spring forward: Sunday 29 March 2026, 01:00 GMT -> 02:00 BST.
  const Date spring = D(2026, 3, 29);
  EXPECT_EQ(FormatInstantUtc(LondonStartOfDay(spring)), "2026-03-29T00:00:00.000Z");
  EXPECT_EQ(FormatInstantUtc(LondonEndOfDay(spring)), "2026-03-29T22:59:59.999Z");
  EXPECT_EQ(LondonEndOfDay(spring) - LondonStartOfDay(spring),
            chr::hours(23) - chr::milliseconds(1));
  // Fall back: Sunday 25 October 2026, 02:00 BST -> 01:00 GMT.
  const Date autumn = D(2026, 10, 25);
  EXPECT_EQ(FormatInstantUtc(LondonStartOfDay(autumn)), "2026-10-24T23:00:00.000Z");
  EXPECT_EQ(FormatInstantUtc(LondonEndOfDay(autumn)), "2026-10-25T23:59:59.999Z");
  EXPECT_EQ(LondonEndOfDay(autumn) - LondonStartOfDay(autumn),
            chr::hours(25) - chr::milliseconds(1));
}

TEST(LondonTest, LondonDateAroundMidnightAndClockChanges) {
  EXPECT_EQ(LondonDate(T("2026-03-29T00:30:00Z")), D(2026, 3, 29));   // 00:30 GMT
  EXPECT_EQ(LondonDate(T("2026-10-24T23:30:00Z")), D(2026, 10, 25));  // 00:30 BST
  EXPECT_EQ(LondonDate(T("2026-10-24T22:59:59.999Z")), D(2026, 10, 24));
  EXPECT_EQ(LondonDate(T("2026-06-30T23:00:00Z")), D(2026, 7, 1));
  EXPECT_EQ(LondonDate(T("2026-06-30T22:59:59.999Z")), D(2026, 6, 30));
  EXPECT_EQ(LondonDate(T("2026-12-31T23:59:59.999Z")), D(2026, 12, 31));
}

TEST(LondonTest, FromLondonLocalGapAndFold) {
  // 01:30 on 29 March 2026 does not exist: moved forward by the gap to 02:30 BST.
  EXPECT_EQ(FormatInstantUtc(FromLondonLocal(Local(D(2026, 3, 29), 1, 30))),
            "2026-03-29T01:30:00.000Z");
  EXPECT_EQ(FormatInstantLondon(FromLondonLocal(Local(D(2026, 3, 29), 1, 30))),
            "2026-03-29T02:30:00.000+01:00");
  // 01:30 on 25 October 2026 happens twice: the earlier (BST) instant.
  EXPECT_EQ(FormatInstantUtc(FromLondonLocal(Local(D(2026, 10, 25), 1, 30))),
            "2026-10-25T00:30:00.000Z");
  // Unambiguous times either side.
  EXPECT_EQ(FormatInstantUtc(FromLondonLocal(Local(D(2026, 10, 25), 2, 30))),
            "2026-10-25T02:30:00.000Z");
  EXPECT_EQ(FormatInstantUtc(FromLondonLocal(Local(D(2026, 3, 29), 0, 30))),
            "2026-03-29T00:30:00.000Z");
}

TEST(LondonTest, RoundTripsRandomInstants) {
  std::mt19937_64 rng(20260403);  // NOLINT(cert-msc32-c,cert-msc51-cpp): reproducible
  // 1995-01-01 .. 2035-12-31, millisecond resolution.
  const auto lo = chr::sys_days{D(1995, 1, 1)}.time_since_epoch();
  const auto hi = chr::sys_days{D(2035, 12, 31)}.time_since_epoch();
  std::uniform_int_distribution<std::int64_t> dist(chr::milliseconds(lo).count(),
                                                   chr::milliseconds(hi).count());
  for (int i = 0; i < 2000; ++i) {
    const Instant t{chr::milliseconds(dist(rng))};
    const std::string utc = FormatInstantUtc(t);
    const std::string london = FormatInstantLondon(t);
    ASSERT_EQ(T(utc), t) << utc;
    ASSERT_EQ(T(london), t) << london;
    const Date d = LondonDate(t);
    ASSERT_LE(LondonStartOfDay(d), t) << london;
    ASSERT_GE(LondonEndOfDay(d), t) << london;
    ASSERT_EQ(london.substr(0, 10), FormatDate(d));
  }
}

}  // namespace
}  // namespace accredit
