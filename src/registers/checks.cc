// Format checks and record accessors shared by the register definitions.

#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <string>

#include "registers/internal.h"

namespace accredit::registers::internal {
namespace {

// ISO 3166-1 alpha-2 officially assigned codes (249), sorted.
constexpr std::string_view kCountries =
    "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR "
    "BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ "
    "EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW "
    "GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY "
    "KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV "
    "MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY "
    "QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG "
    "TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM "
    "ZW";

// GB, the 27 EU member states and the EEA states Iceland, Liechtenstein and Norway.
constexpr std::string_view kUkEuEea =
    "GB AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE IS LI NO";

bool InList(std::string_view list, std::string_view code) {
  if (code.size() != 2) {
    return false;
  }
  for (std::size_t i = 0; i + 2 <= list.size(); i += 3) {
    if (list.substr(i, 2) == code) {
      return true;
    }
  }
  return false;
}

bool IsHex(char c) {
  return std::isxdigit(static_cast<unsigned char>(c)) != 0;
}

bool IsDigit(char c) {
  return c >= '0' && c <= '9';
}

// "5", "5.4.3", "A3-11", "A1-6.1.4": dot-separated numbers, optionally after "A<n>-".
bool IsClauseNumber(std::string_view s) {
  if (s.size() >= 3 && s[0] == 'A' && IsDigit(s[1])) {
    const auto dash = s.find('-');
    if (dash == std::string_view::npos) {
      return std::all_of(s.begin() + 1, s.end(), IsDigit);  // "A3" (an annex)
    }
    if (!std::all_of(s.begin() + 1, s.begin() + static_cast<std::ptrdiff_t>(dash), IsDigit)) {
      return false;
    }
    s.remove_prefix(dash + 1);
  }
  if (s.empty()) {
    return false;
  }
  bool need_digit = true;
  for (char c : s) {
    if (IsDigit(c)) {
      need_digit = false;
    } else if (c == '.' && !need_digit) {
      need_digit = true;
    } else {
      return false;
    }
  }
  return !need_digit;
}

}  // namespace

Error Invalid(std::string field, std::string message) {
  return Err(ErrorCode::kInvalidArgument, std::move(message), std::move(field));
}

std::string Str(const Json& record, std::string_view field) {
  auto it = record.find(field);
  if (it == record.end() || !it->is_string()) {
    return {};
  }
  return it->get<std::string>();
}

std::optional<std::int64_t> Int(const Json& record, std::string_view field) {
  auto it = record.find(field);
  if (it == record.end() || !it->is_number_integer()) {
    return std::nullopt;
  }
  return it->get<std::int64_t>();
}

std::optional<Date> DateOf(const Json& record, std::string_view field) {
  const std::string s = Str(record, field);
  if (s.empty()) {
    return std::nullopt;
  }
  auto d = ParseDate(s, field);
  if (!d) {
    return std::nullopt;
  }
  return *d;
}

std::optional<Instant> InstantOf(const Json& record, std::string_view field) {
  const std::string s = Str(record, field);
  if (s.empty()) {
    return std::nullopt;
  }
  auto t = ParseInstant(s, field);
  if (!t) {
    return std::nullopt;
  }
  return *t;
}

bool Bool(const Json& record, std::string_view field) {
  auto it = record.find(field);
  return it != record.end() && it->is_boolean() && it->get<bool>();
}

bool IsCountryCode(std::string_view code) {
  return InList(kCountries, code);
}

bool IsUkOrEuEea(std::string_view code) {
  return InList(kUkEuEea, code);
}

bool IsIpAddress(std::string_view text) {
  if (text.empty() || text.size() > 45) {
    return false;
  }
  const std::string s(text);
  std::array<unsigned char, sizeof(in6_addr)> buf{};
  return inet_pton(AF_INET, s.c_str(), buf.data()) == 1 ||
         inet_pton(AF_INET6, s.c_str(), buf.data()) == 1;
}

bool IsMacAddress(std::string_view s) {
  if (s.size() == 17) {
    const char sep = s[2];
    if (sep != ':' && sep != '-') {
      return false;
    }
    for (std::size_t i = 0; i < s.size(); ++i) {
      if (i % 3 == 2 ? s[i] != sep : !IsHex(s[i])) {
        return false;
      }
    }
    return true;
  }
  if (s.size() == 14) {  // Cisco: aabb.ccdd.eeff
    for (std::size_t i = 0; i < s.size(); ++i) {
      if (i % 5 == 4 ? s[i] != '.' : !IsHex(s[i])) {
        return false;
      }
    }
    return true;
  }
  return false;
}

bool IsHostname(std::string_view s) {
  if (s.empty() || s.size() > 253) {
    return false;
  }
  std::size_t start = 0;
  while (start <= s.size()) {
    auto dot = s.find('.', start);
    if (dot == std::string_view::npos) {
      dot = s.size();
    }
    const auto label = s.substr(start, dot - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') {
      return false;
    }
    for (char c : label) {
      if (!(std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-')) {
        return false;
      }
    }
    start = dot + 1;
  }
  return true;
}

bool IsScheduleClauseId(std::string_view text) {
  constexpr std::string_view kPrefix = "S2.4-";
  if (text.size() <= kPrefix.size() || text.substr(0, kPrefix.size()) != kPrefix) {
    return false;
  }
  return IsClauseNumber(text.substr(kPrefix.size()));
}

bool IsAnnexAControlId(std::string_view text) {
  // A.<n>.<n>[.<n>]: 2013 ids have three numbers (A.12.6.1), 2022 ids two (A.5.23).
  if (text.size() < 5 || text.substr(0, 2) != "A.") {
    return false;
  }
  text.remove_prefix(2);
  int parts = 1;
  bool need_digit = true;
  for (char c : text) {
    if (IsDigit(c)) {
      need_digit = false;
    } else if (c == '.' && !need_digit) {
      need_digit = true;
      ++parts;
    } else {
      return false;
    }
  }
  return !need_digit && (parts == 2 || parts == 3);
}

Json RiskLevelFor(std::int64_t score, ReadContext& ctx) {
  auto& cache = ctx.Cache();
  auto it = cache.find("risk_levels");
  if (it == cache.end()) {
    Json bands = Json::array();
    auto rows =
        ctx.Conn().Query("SELECT name, min_score, max_score FROM risk_levels ORDER BY min_score");
    if (rows) {
      for (const auto& r : *rows) {
        bands.push_back(Json::array({r[0].Text(), r[1].Int(), r[2].Int()}));
      }
    }
    it = cache.emplace("risk_levels", std::move(bands)).first;
  }
  for (const auto& band : it->second) {
    if (score >= band[1].get<std::int64_t>() && score <= band[2].get<std::int64_t>()) {
      return band[0];
    }
  }
  return nullptr;
}

}  // namespace accredit::registers::internal
