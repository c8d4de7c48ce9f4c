#include "notify/mime.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include <openssl/evp.h>

namespace accredit::notify::internal {
namespace {

constexpr std::size_t kMaxEncodedLine = 76;  // RFC 2047 section 2, RFC 2045 section 6.7

bool IsWsp(char c) {
  return c == ' ' || c == '\t';
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsWsp(s.front())) {
    s.remove_prefix(1);
  }
  while (!s.empty() && IsWsp(s.back())) {
    s.remove_suffix(1);
  }
  return s;
}

bool IsAtext(char c) {
  const auto u = static_cast<unsigned char>(c);
  if ((u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9')) {
    return true;
  }
  return std::string_view("!#$%&'*+-/=?^_`{|}~").find(c) != std::string_view::npos;
}

bool IsAddressChar(char c) {
  const auto u = static_cast<unsigned char>(c);
  if (u <= 0x20 || u >= 0x7f) {
    return false;
  }
  return std::string_view("<>()[]\\,;:\"").find(c) == std::string_view::npos;
}

std::string Base64(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(bytes.data()),
                                static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

// "=?UTF-8?B?" + base64 + "?=".
std::size_t EncodedWordLength(std::size_t bytes) {
  return 12 + 4 * ((bytes + 2) / 3);
}

// Length of the UTF-8 sequence starting with lead byte `c` (1 for a stray byte; callers
// validate first).
std::size_t Utf8Length(char c) {
  const auto u = static_cast<unsigned char>(c);
  if (u < 0x80) {
    return 1;
  }
  if ((u & 0xe0U) == 0xc0U) {
    return 2;
  }
  if ((u & 0xf0U) == 0xe0U) {
    return 3;
  }
  if ((u & 0xf8U) == 0xf0U) {
    return 4;
  }
  return 1;
}

// RFC 2047 "B" encoded-words, folded. `first_budget` is what is left on the first line.
std::string EncodedWords(std::string_view utf8, std::size_t first_budget) {
  std::string out;
  std::size_t budget = first_budget;
  std::size_t pos = 0;
  while (pos < utf8.size()) {
    std::size_t end = pos;
    while (end < utf8.size()) {
      const std::size_t next = end + Utf8Length(utf8[end]);
      if (next > utf8.size() || (EncodedWordLength(next - pos) > budget && end > pos)) {
        break;
      }
      end = next;
    }
    if (!out.empty()) {
      out += "\r\n ";
    }
    out += "=?UTF-8?B?";
    out += Base64(utf8.substr(pos, end - pos));
    out += "?=";
    pos = end;
    budget = kMaxEncodedLine - 1;  // continuation lines start with one space
  }
  return out;
}

void AppendTwoDigits(std::string& out, unsigned v) {
  out.push_back(static_cast<char>('0' + (v / 10) % 10));
  out.push_back(static_cast<char>('0' + v % 10));
}

}  // namespace

bool IsAscii(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

Result<Mailbox> ParseMailbox(std::string_view text, std::string_view field) {
  const std::string f(field);
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if ((u < 0x20 && c != '\t') || u == 0x7f) {
      return Err(ErrorCode::kInvalidArgument, "must not contain control characters", f);
    }
  }
  if (!accredit::IsValidUtf8(text)) {
    return Err(ErrorCode::kInvalidArgument, "must be UTF-8", f);
  }
  text = Trim(text);
  Mailbox mb;
  std::string_view addr = text;
  if (const auto lt = text.rfind('<'); lt != std::string_view::npos) {
    if (text.back() != '>') {
      return Err(ErrorCode::kInvalidArgument, "must be an address or \"Name <address>\"", f);
    }
    addr = text.substr(lt + 1, text.size() - lt - 2);
    std::string_view name = Trim(text.substr(0, lt));
    if (name.size() >= 2 && name.front() == '"' && name.back() == '"') {
      name = name.substr(1, name.size() - 2);
      bool escaped = false;
      for (char c : name) {
        if (!escaped && c == '\\') {
          escaped = true;
          continue;
        }
        escaped = false;
        mb.display_name.push_back(c);
      }
    } else {
      mb.display_name = std::string(name);
    }
  }
  const auto at = addr.find('@');
  if (addr.empty() || at == std::string_view::npos || at == 0 || at + 1 == addr.size() ||
      addr.find('@', at + 1) != std::string_view::npos) {
    return Err(ErrorCode::kInvalidArgument, "must be an e-mail address (local@domain)", f);
  }
  for (char c : addr) {
    if (!IsAddressChar(c)) {
      return Err(ErrorCode::kInvalidArgument,
                 "the address must be printable ASCII without spaces or <>()[],;:\\\"", f);
    }
  }
  mb.address = std::string(addr);
  return mb;
}

std::string FormatMailbox(const Mailbox& mailbox) {
  if (mailbox.display_name.empty()) {
    return mailbox.address;
  }
  const std::string_view name = mailbox.display_name;
  std::string phrase;
  if (!IsAscii(name) || name.find("=?") != std::string_view::npos) {
    phrase = EncodedWords(name, kMaxEncodedLine - std::string_view("From: ").size());
  } else {
    bool atoms = !name.empty() && !IsWsp(name.front()) && !IsWsp(name.back());
    for (char c : name) {
      atoms = atoms && (IsAtext(c) || c == ' ');
    }
    if (atoms) {
      phrase = name;
    } else {
      phrase = "\"";
      for (char c : name) {
        if (c == '"' || c == '\\') {
          phrase.push_back('\\');
        }
        phrase.push_back(c);
      }
      phrase += "\"";
    }
  }
  return phrase + " <" + mailbox.address + ">";
}

std::string EncodeUnstructured(std::string_view utf8, std::size_t name_length) {
  bool plain = IsAscii(utf8) && utf8.find("=?") == std::string_view::npos;
  for (char c : utf8) {
    plain = plain && (c >= 0x20 && c < 0x7f);
  }
  const std::size_t first_budget =
      name_length < kMaxEncodedLine - 16 ? kMaxEncodedLine - name_length : 16;
  if (!plain) {
    return EncodedWords(utf8, first_budget);
  }
  // Printable ASCII: fold at spaces (RFC 5322 2.2.3) so that lines stay near 78 characters.
  std::string out;
  std::size_t line = name_length;
  std::size_t pos = 0;
  while (pos < utf8.size()) {
    std::size_t space = utf8.find(' ', pos + 1);
    if (space == std::string_view::npos) {
      space = utf8.size();
    }
    const std::string_view word = utf8.substr(pos, space - pos);  // leading space included
    if (line + word.size() > 78 && pos > 0 && word.front() == ' ') {
      out += "\r\n";
      line = 0;
    }
    out += word;
    line += word.size();
    pos = space;
  }
  return out;
}

std::string NormalizeLineEndings(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 32 + 2);
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\r') {
      out += "\r\n";
      if (i + 1 < text.size() && text[i + 1] == '\n') {
        ++i;
      }
    } else if (c == '\n') {
      out += "\r\n";
    } else {
      out.push_back(c);
    }
  }
  if (!out.empty() && (out.size() < 2 || out.compare(out.size() - 2, 2, "\r\n") != 0)) {
    out += "\r\n";
  }
  return out;
}

std::string QuotedPrintable(std::string_view crlf_text) {
  static constexpr std::string_view kHex = "0123456789ABCDEF";
  std::string out;
  out.reserve(crlf_text.size() + crlf_text.size() / 8);
  std::size_t pos = 0;
  while (pos < crlf_text.size()) {
    std::size_t eol = crlf_text.find("\r\n", pos);
    const bool hard_break = eol != std::string_view::npos;
    if (!hard_break) {
      eol = crlf_text.size();
    }
    const std::string_view line = crlf_text.substr(pos, eol - pos);
    std::size_t col = 0;
    for (std::size_t i = 0; i < line.size(); ++i) {
      const auto u = static_cast<unsigned char>(line[i]);
      const bool last = i + 1 == line.size();
      const bool literal = (u >= 33 && u <= 126 && u != '=') || ((u == ' ' || u == '\t') && !last);
      std::string token;
      if (literal) {
        token.push_back(line[i]);
      } else {
        token = {'=', kHex[u >> 4U], kHex[u & 0xfU]};
      }
      // A soft break "=" must fit within 76 characters; the last token of a line needs no room
      // for it.
      const std::size_t room = last ? kMaxEncodedLine : kMaxEncodedLine - 1;
      if (col + token.size() > room) {
        out += "=\r\n";
        col = 0;
      }
      out += token;
      col += token.size();
    }
    if (hard_break) {
      out += "\r\n";
      pos = eol + 2;
    } else {
      pos = eol;
    }
  }
  return out;
}

std::string Rfc5322Date(Instant t) {
  static constexpr std::array<std::string_view, 7> kDays = {"Sun", "Mon", "Tue", "Wed",
                                                            "Thu", "Fri", "Sat"};
  static constexpr std::array<std::string_view, 12> kMonths = {
      "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const auto day = std::chrono::floor<std::chrono::days>(t);
  const std::chrono::year_month_day ymd(day);
  const std::chrono::weekday wd(day);
  const std::chrono::hh_mm_ss hms(std::chrono::floor<std::chrono::seconds>(t - day));
  std::string out(kDays[wd.c_encoding()]);
  out += ", ";
  AppendTwoDigits(out, static_cast<unsigned>(ymd.day()));
  out += ' ';
  out += kMonths[static_cast<unsigned>(ymd.month()) - 1];
  out += ' ';
  out += std::to_string(static_cast<int>(ymd.year()));
  out += ' ';
  AppendTwoDigits(out, static_cast<unsigned>(hms.hours().count()));
  out += ':';
  AppendTwoDigits(out, static_cast<unsigned>(hms.minutes().count()));
  out += ':';
  AppendTwoDigits(out, static_cast<unsigned>(hms.seconds().count()));
  out += " +0000";
  return out;
}

}  // namespace accredit::notify::internal
