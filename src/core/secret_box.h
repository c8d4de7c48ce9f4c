#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "core/status.h"

// Secrets at rest: values the database must hold but must not hold in clear (webhook URLs and
// their HMAC secrets, later a CA passphrase) are sealed with AES-256-GCM (OpenSSL EVP) under a
// 256-bit key kept in a file beside the audit key ("<db>.secrets.key", mode 0600), never in the
// database. Someone who copies the database without the key file learns nothing of them.
namespace accredit {

// Thread-safe after construction.
class SecretBox {
 public:
  // Loads the key at `path`, creating it (0600, 32 random bytes, hex) when absent. kDataLoss
  // when the file is not a key; kUnavailable when it cannot be read or written.
  static Result<std::unique_ptr<SecretBox>> LoadOrCreate(const std::string& path);
  // A key held only in memory (tests, tools).
  static std::unique_ptr<SecretBox> FromKey(std::string_view key_32_bytes);

  // "sealed:v1:" + base64(12-byte nonce || ciphertext || 16-byte tag). `context` is
  // authenticated, not stored: a value sealed for one column does not open in another.
  Result<std::string> Seal(std::string_view plaintext, std::string_view context) const;
  // The plaintext of Seal's output. kDataLoss (naming nothing secret) when the text was altered,
  // was sealed under another key or context, or is not sealed.
  Result<std::string> Open(std::string_view sealed, std::string_view context) const;
  // Does `text` look like Seal's output?
  static bool IsSealed(std::string_view text);

 private:
  explicit SecretBox(std::string key) : key_(std::move(key)) {}

  std::string key_;  // 32 bytes
};

}  // namespace accredit
