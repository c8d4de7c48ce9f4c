#include "auth/auth.h"

// Argon2id password hashing (libargon2) in the PHC string format, and the password policy.

#include <argon2.h>
#include <pwquality.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <memory>
#include <mutex>
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

namespace {

// Code points of valid UTF-8 `text`.
std::vector<std::string_view> CodePoints(std::string_view text) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t len = 1;
    while (i + len < text.size() && (static_cast<unsigned char>(text[i + len]) & 0xC0U) == 0x80U) {
      ++len;
    }
    out.push_back(text.substr(i, len));
    i += len;
  }
  return out;
}

std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  return out;
}

bool IsDigitOrPunct(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u < 0x80 && (std::isdigit(u) != 0 || std::ispunct(u) != 0 || c == ' ');
}

// The shortest unit that `s` repeats (s == unit^k, k >= 2), or empty.
std::string_view RepeatedUnit(std::string_view s) {
  for (std::size_t len = 1; len <= s.size() / 2; ++len) {
    if (s.size() % len != 0) {
      continue;
    }
    bool repeats = true;
    for (std::size_t i = len; i < s.size() && repeats; i += len) {
      repeats = s.substr(i, len) == s.substr(0, len);
    }
    if (repeats) {
      return s.substr(0, len);
    }
  }
  return {};
}

enum class Verdict { kOk, kDictionary, kUser, kSimple, kNoDictionary };

// libpwquality (cracklib's dictionary and its rules, the user-name check) over one candidate.
// cracklib keeps static state between calls, so every check in the process holds one lock.
Verdict PwqualityCheck(const std::string& candidate, const std::string& username) {
  static Mutex mu;  // NOLINT(cppcoreguidelines-avoid-non-const-global-variables): cracklib
                    // is not reentrant; this lock is the process-wide seam around it.
  MutexLock lock(mu);
  std::unique_ptr<pwquality_settings_t, decltype(&pwquality_free_settings)> settings(
      pwquality_default_settings(), &pwquality_free_settings);
  if (!settings) {
    return Verdict::kNoDictionary;
  }
  // Length and character rules are ours (code points, NCSC: no composition rules); the library
  // contributes the dictionary, the user-name check and its simplicity rules.
  pwquality_set_int_value(settings.get(), PWQ_SETTING_MIN_LENGTH, 6);
  pwquality_set_int_value(settings.get(), PWQ_SETTING_DICT_CHECK, 1);
  pwquality_set_int_value(settings.get(), PWQ_SETTING_USER_CHECK, 1);
  void* aux = nullptr;
  const int rc = pwquality_check(settings.get(), candidate.c_str(), nullptr,
                                 username.empty() ? nullptr : username.c_str(), &aux);
  std::array<char, PWQ_MAX_ERROR_MESSAGE_LEN> buf{};
  const char* text = rc < 0 ? pwquality_strerror(buf.data(), buf.size(), rc, aux) : "";
  // pwquality_strerror frees `aux`; a missing dictionary is reported as a cracklib error whose
  // text names the dictionary file.
  if (rc >= 0) {
    return Verdict::kOk;
  }
  const std::string_view message = text == nullptr ? "" : text;
  if (message.find("dictionary") != std::string_view::npos &&
      (message.find("error loading") != std::string_view::npos ||
       message.find("No such file") != std::string_view::npos)) {
    return Verdict::kNoDictionary;
  }
  switch (rc) {
    case PWQ_ERROR_USER_CHECK:
    case PWQ_ERROR_GECOS_CHECK:
      return Verdict::kUser;
    case PWQ_ERROR_CRACKLIB_CHECK:
      return message.find("dictionary word") != std::string_view::npos ? Verdict::kDictionary
                                                                       : Verdict::kSimple;
    default:
      return Verdict::kSimple;
  }
}

Status PasswordError(std::string message) {
  return Err(ErrorCode::kInvalidArgument, std::move(message), "password");
}

}  // namespace

Status CheckPasswordPolicy(std::string_view password, std::string_view username) {
  ACC_RETURN_IF_ERROR(CheckUtf8(password, "password"));
  if (password.size() > kMaxPasswordBytes) {
    return PasswordError("must be at most 1024 bytes");
  }
  // Count characters (code points), not bytes, so a passphrase in any script is judged by its
  // length, and a repeated accented letter is one character repeated.
  const std::vector<std::string_view> chars = CodePoints(password);
  if (chars.size() < kMinPasswordChars) {
    return PasswordError("must be at least 12 characters long");
  }
  if (std::all_of(chars.begin(), chars.end(), [&](std::string_view c) { return c == chars[0]; })) {
    return PasswordError("must not be one character repeated");
  }
  // Candidates: the password itself; the word inside it once digits, punctuation and spaces
  // around it are removed ("Password1234" -> "password"); the unit a repeated password repeats
  // ("passwordpassword" -> "password").
  const std::string lower = AsciiLower(password);
  std::vector<std::pair<std::string, std::string_view>> candidates = {{std::string(password), ""}};
  std::size_t b = 0;
  std::size_t e = lower.size();
  while (b < e && IsDigitOrPunct(lower[b])) {
    ++b;
  }
  while (e > b && IsDigitOrPunct(lower[e - 1])) {
    --e;
  }
  if (e - b >= 4 && e - b < lower.size()) {
    candidates.emplace_back(lower.substr(b, e - b), " with digits or symbols added");
  }
  if (std::string_view unit = RepeatedUnit(lower); unit.size() >= 3) {
    candidates.emplace_back(std::string(unit), " repeated");
  }
  const std::string user(username);
  for (const auto& [candidate, how] : candidates) {
    switch (PwqualityCheck(candidate, user)) {
      case Verdict::kOk:
        break;
      case Verdict::kNoDictionary:
        return Err(ErrorCode::kInternal, "passwords cannot be checked at the moment", "",
                   "libpwquality could not load the cracklib dictionary (install "
                   "cracklib-runtime)");
      case Verdict::kUser:
        return PasswordError("must not contain the user name");
      case Verdict::kDictionary:
        return PasswordError(how.empty()
                                 ? "is a dictionary word or a common password"
                                 : "is a dictionary word or common password" + std::string(how));
      case Verdict::kSimple:
        return PasswordError(how.empty()
                                 ? "is too simple or systematic (a sequence or "
                                   "a keyboard pattern, or too few different characters)"
                                 : "is too simple: a common word or pattern" + std::string(how));
    }
  }
  return Status::Ok();
}

}  // namespace accredit::auth
