#pragma once

// Helpers shared by the docs writers (internal to the module).

#include <filesystem>
#include <string>
#include <string_view>

#include "core/core.h"

namespace accredit::docs::internal {

// Returns `text` as valid UTF-8 in which every code point is allowed in XML 1.0 (TAB, LF, CR and
// U+0020 and above, minus surrogates, U+FFFE/U+FFFF); anything else becomes U+FFFD. CR LF and lone
// CR become LF.
std::string CleanText(std::string_view text);

// XML text/attribute escaping of CleanText(text): & < > " ' become entities.
std::string XmlEscape(std::string_view text);

// HTML escaping (same set as XmlEscape).
inline std::string HtmlEscape(std::string_view text) {
  return XmlEscape(text);
}

// Writes `bytes` to `path` via a temporary file in the same directory and a rename, so readers see
// the old file or the whole new one. Errors: kInternal (message without the path).
Status WriteFileAtomically(const std::filesystem::path& path, std::string_view bytes);

// A temporary file name beside `path` ("<path>.tmp-<n>"), unique within this process.
std::filesystem::path TempPathBeside(const std::filesystem::path& path);

// Shortest round-trip decimal form of a finite double ("0.1", "5", "-2.5").
std::string FormatNumber(double v);

}  // namespace accredit::docs::internal
