#include "core/text.h"

#include <array>
#include <cstdint>
#include <cstdio>
#include <exception>

#include <nlohmann/json.hpp>

namespace accredit {
namespace {

// Length of the well-formed UTF-8 sequence starting at text[i], or 0 when it is not one.
std::size_t SequenceLength(std::string_view text, std::size_t i) {
  const auto c = static_cast<unsigned char>(text[i]);
  if (c < 0x80) {
    return 1;
  }
  std::size_t len = 0;
  std::uint32_t cp = 0;
  if ((c & 0xe0U) == 0xc0U) {
    len = 2;
    cp = c & 0x1fU;
  } else if ((c & 0xf0U) == 0xe0U) {
    len = 3;
    cp = c & 0x0fU;
  } else if ((c & 0xf8U) == 0xf0U) {
    len = 4;
    cp = c & 0x07U;
  } else {
    return 0;
  }
  if (i + len > text.size()) {
    return 0;
  }
  for (std::size_t k = 1; k < len; ++k) {
    const auto cc = static_cast<unsigned char>(text[i + k]);
    if ((cc & 0xc0U) != 0x80U) {
      return 0;
    }
    cp = (cp << 6U) | (cc & 0x3fU);
  }
  // Overlong forms, surrogates and values past U+10FFFF are not UTF-8.
  static constexpr std::array<std::uint32_t, 5> kMin = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMin[len] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
    return 0;
  }
  return len;
}

}  // namespace

std::optional<std::size_t> InvalidUtf8Offset(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t len = SequenceLength(text, i);
    if (len == 0) {
      return i;
    }
    i += len;
  }
  return std::nullopt;
}

Status CheckUtf8(std::string_view text, std::string_view field) {
  if (auto at = InvalidUtf8Offset(text)) {
    return Err(ErrorCode::kInvalidArgument,
               "must be UTF-8 text (invalid byte at offset " + std::to_string(*at) + ")",
               std::string(field));
  }
  return Status::Ok();
}

std::size_t CodePointCount(std::string_view text) {
  std::size_t n = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t len = SequenceLength(text, i);
    i += len == 0 ? 1 : len;
    ++n;
  }
  return n;
}

std::string SanitiseUtf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t len = SequenceLength(text, i);
    if (len == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
    } else {
      out.append(text.substr(i, len));
      i += len;
    }
  }
  return out;
}

std::string DumpJson(const nlohmann::json& j, int indent) {
  return j.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
}

bool RunCatching(std::string_view what, const std::function<void()>& fn) noexcept {
  try {
    fn();
    return true;
  } catch (const std::exception& e) {
    const std::string text = SanitiseUtf8(e.what());
    std::fprintf(stderr, "accredit: %.*s: unexpected error: %s\n", static_cast<int>(what.size()),
                 what.data(), text.c_str());
  } catch (...) {
    std::fprintf(stderr, "accredit: %.*s: unexpected error\n", static_cast<int>(what.size()),
                 what.data());
  }
  return false;
}

}  // namespace accredit
