#include "core/crypto.h"

#include <array>

#include <openssl/evp.h>
#include <openssl/rand.h>

#include "core/status.h"

namespace accredit {

std::string HexEncode(std::string_view bytes) {
  static constexpr std::string_view kDigits = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (char c : bytes) {
    const auto b = static_cast<unsigned char>(c);
    out.push_back(kDigits[b >> 4U]);
    out.push_back(kDigits[b & 0xfU]);
  }
  return out;
}

std::string Sha256(std::string_view data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
  unsigned int len = 0;
  // EVP_Digest with a built-in algorithm fails only on allocation failure.
  ACC_CHECK(EVP_Digest(data.data(), data.size(), md.data(), &len, EVP_sha256(), nullptr) == 1,
            "EVP_Digest(SHA-256) failed");
  return {reinterpret_cast<const char*>(md.data()), len};
}

std::string Sha256Hex(std::string_view data) {
  return HexEncode(Sha256(data));
}

std::string RandomHex(std::size_t bytes) {
  std::string raw(bytes, '\0');
  ACC_CHECK(RAND_bytes(reinterpret_cast<unsigned char*>(raw.data()), static_cast<int>(bytes)) == 1,
            "RAND_bytes failed");
  return HexEncode(raw);
}

}  // namespace accredit
