#include "auth/auth.h"

// Argon2id password hashing (libargon2) in the PHC string format, and the password policy.

#include <argon2.h>

#include <array>
#include <string>
#include <vector>

#include <openssl/rand.h>

namespace accredit::auth {

namespace {
constexpr std::size_t kSaltBytes = 16;
constexpr std::size_t kHashBytes = 32;
// Argon2 accepts longer inputs, but hashing megabytes per login attempt is a cheap DoS.
constexpr std::size_t kMaxPasswordBytes = 1024;
constexpr std::size_t kMinPasswordChars = 12;
}  // namespace

Result<std::string> HashPassword(std::string_view password, const HashParams& params) {
  if (password.size() > kMaxPasswordBytes) {
    return Err(ErrorCode::kInvalidArgument, "must be at most 1024 bytes", "password");
  }
  std::array<unsigned char, kSaltBytes> salt{};
  if (RAND_bytes(salt.data(), static_cast<int>(salt.size())) != 1) {
    return Err(ErrorCode::kInternal, "could not generate a random salt", "", "RAND_bytes failed");
  }
  const std::size_t encoded_len = argon2_encodedlen(
      params.t_cost, params.m_cost_kib, params.parallelism, kSaltBytes, kHashBytes, Argon2_id);
  std::vector<char> encoded(encoded_len + 1, '\0');
  const int rc = argon2id_hash_encoded(params.t_cost, params.m_cost_kib, params.parallelism,
                                       password.data(), password.size(), salt.data(), salt.size(),
                                       kHashBytes, encoded.data(), encoded.size());
  if (rc != ARGON2_OK) {
    return Err(ErrorCode::kInternal, "could not hash the password", "",
               std::string("argon2id_hash_encoded: ") + argon2_error_message(rc));
  }
  return std::string(encoded.data());
}

bool VerifyPassword(std::string_view encoded, std::string_view password) {
  if (password.size() > kMaxPasswordBytes || encoded.rfind("$argon2id$", 0) != 0) {
    return false;
  }
  const std::string encoded_z(encoded);  // libargon2 wants a NUL-terminated string
  return argon2id_verify(encoded_z.c_str(), password.data(), password.size()) == ARGON2_OK;
}

Status CheckPasswordPolicy(std::string_view password) {
  // Count characters, not bytes, so a passphrase in any script is judged by its length.
  std::size_t chars = 0;
  for (char c : password) {
    if ((static_cast<unsigned char>(c) & 0xC0U) != 0x80U) {
      ++chars;
    }
  }
  if (chars < kMinPasswordChars) {
    return Err(ErrorCode::kInvalidArgument, "must be at least 12 characters long", "password");
  }
  if (password.size() > kMaxPasswordBytes) {
    return Err(ErrorCode::kInvalidArgument, "must be at most 1024 bytes", "password");
  }
  if (password.find_first_not_of(password.front()) == std::string_view::npos) {
    return Err(ErrorCode::kInvalidArgument, "must not be one character repeated", "password");
  }
  return Status::Ok();
}

}  // namespace accredit::auth
