#pragma once

#include <cstddef>
#include <string>
#include <string_view>

// Small cryptographic helpers over OpenSSL, shared by every module that hashes or mints secrets
// (audit chain, token and session hashes, evidence files, issued documents).
namespace accredit {

// Lower-case hexadecimal of `bytes` ("\x01\xab" -> "01ab").
std::string HexEncode(std::string_view bytes);
// SHA-256 of `data`: 32 raw bytes, or its 64 lower-case hex digits.
std::string Sha256(std::string_view data);
std::string Sha256Hex(std::string_view data);
// `bytes` bytes from OpenSSL's CSPRNG, hex-encoded (2 * bytes characters). Aborts (ACC_CHECK)
// if the CSPRNG fails: continuing without randomness is never safe.
std::string RandomHex(std::size_t bytes);

}  // namespace accredit
