#pragma once

// Internal to notify: the pieces of RFC 5322 / RFC 2045 / RFC 2047 that BuildMessage needs.

#include <cstddef>
#include <string>
#include <string_view>

#include "core/core.h"

namespace accredit::notify::internal {

// "Name <local@domain>", "\"Name, Q.\" <local@domain>" or a bare "local@domain".
struct Mailbox {
  std::string display_name;  // unquoted, UTF-8; may be empty
  std::string address;       // local@domain, printable ASCII
};

// Parses one mailbox. kInvalidArgument naming `field` when the address is missing or malformed
// or the text holds control characters.
Result<Mailbox> ParseMailbox(std::string_view text, std::string_view field);

// The mailbox as a header value: the display name as an atom phrase, a quoted string, or RFC 2047
// encoded-words when it is not ASCII.
std::string FormatMailbox(const Mailbox& mailbox);

bool IsAscii(std::string_view text);

// An unstructured header value: as is when printable ASCII, else RFC 2047 "B" encoded-words
// (UTF-8, never splitting a character) folded with CRLF SP so that no line of the field exceeds
// 76 characters. `name_length` is the length of "Name: " on the first line.
std::string EncodeUnstructured(std::string_view utf8, std::size_t name_length);

// Any mix of CRLF, LF and CR becomes CRLF; the result ends with CRLF unless empty.
std::string NormalizeLineEndings(std::string_view text);

// RFC 2045 quoted-printable of CRLF-separated `text` (hard line breaks kept, soft breaks "=" at
// 76 characters, trailing white space encoded).
std::string QuotedPrintable(std::string_view crlf_text);

// "Thu, 05 Nov 2026 14:03:00 +0000" (RFC 5322 date-time in UTC).
std::string Rfc5322Date(Instant t);

}  // namespace accredit::notify::internal
