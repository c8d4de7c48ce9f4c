#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "core/status.h"

// Text at the edges: UTF-8 validation (once, where input enters), code-point counts for
// character rules, JSON serialisation that can never throw on stored text, and the catch
// boundary every thread runs its work inside.
namespace accredit {

// Byte offset of the first byte that does not begin a well-formed UTF-8 sequence (RFC 3629:
// no overlong forms, no surrogates, nothing past U+10FFFF), or nullopt when `text` is UTF-8.
std::optional<std::size_t> InvalidUtf8Offset(std::string_view text);

inline bool IsValidUtf8(std::string_view text) {
  return !InvalidUtf8Offset(text).has_value();
}

// kInvalidArgument naming `field` and the byte offset ("must be UTF-8 text (invalid byte at
// offset 3)") when `text` is not UTF-8.
Status CheckUtf8(std::string_view text, std::string_view field);

// Code points in `text` (UTF-8; an invalid byte counts as one).
std::size_t CodePointCount(std::string_view text);

// `text` with every invalid UTF-8 byte replaced by U+FFFD.
std::string SanitiseUtf8(std::string_view text);

// nlohmann::json::dump that never throws: invalid UTF-8 in strings becomes U+FFFD. Every
// serialisation of data that may come from the database or a peer goes through this.
std::string DumpJson(const nlohmann::json& j, int indent = -1);

// The catch boundary of a thread or a unit of background work: runs `fn`, and logs any
// exception escaping it to stderr as "accredit: <what>: <exception text>" (the text sanitised,
// never data values by design of the callers). Returns false when `fn` threw.
bool RunCatching(std::string_view what, const std::function<void()>& fn) noexcept;

}  // namespace accredit
