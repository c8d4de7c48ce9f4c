#include "core/secret_box.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>

#include <openssl/evp.h>
#include <openssl/rand.h>

#include "core/crypto.h"

namespace accredit {
namespace {

constexpr std::string_view kPrefix = "sealed:v1:";
constexpr std::size_t kKeyBytes = 32;
constexpr std::size_t kNonceBytes = 12;
constexpr std::size_t kTagBytes = 16;

struct CtxDeleter {
  void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); }
};

using CtxPtr = std::unique_ptr<EVP_CIPHER_CTX, CtxDeleter>;

const unsigned char* U(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

std::string Base64(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), U(bytes),
                                static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

std::optional<std::string> Unbase64(std::string_view text) {
  if (text.empty() || text.size() % 4 != 0) {
    return std::nullopt;
  }
  std::string out(3 * text.size() / 4, '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()), U(text),
                                static_cast<int>(text.size()));
  if (n < 0) {
    return std::nullopt;
  }
  std::size_t len = static_cast<std::size_t>(n);
  // EVP_DecodeBlock counts padding as zero bytes.
  for (std::size_t i = text.size(); i > 0 && text[i - 1] == '='; --i) {
    --len;
  }
  out.resize(len);
  return out;
}

Error Damaged() {
  return Err(ErrorCode::kDataLoss, "a sealed secret cannot be opened", "",
             "AES-256-GCM open failed: altered, another key or another context");
}

std::optional<std::string> FromHex(std::string_view hex) {
  if (hex.size() % 2 != 0) {
    return std::nullopt;
  }
  std::string out;
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    auto nibble = [](char c) -> int {
      if (c >= '0' && c <= '9')
        return c - '0';
      if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
      return -1;
    };
    const int hi = nibble(hex[i]);
    const int lo = nibble(hex[i + 1]);
    if (hi < 0 || lo < 0) {
      return std::nullopt;
    }
    out.push_back(static_cast<char>(hi * 16 + lo));
  }
  return out;
}

}  // namespace

Result<std::unique_ptr<SecretBox>> SecretBox::LoadOrCreate(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    const std::string hex = RandomHex(kKeyBytes);
    // O_EXCL: two processes starting together never both write a key.
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,  // NOLINT
                          0600);
    if (fd < 0) {
      if (errno == EEXIST) {
        return LoadOrCreate(path);
      }
      return Err(ErrorCode::kUnavailable, "cannot create the secrets key file", "", path);
    }
    const std::string line = hex + "\n";
    const bool ok = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size()) &&
                    ::fsync(fd) == 0;
    ::close(fd);
    if (!ok) {
      return Err(ErrorCode::kUnavailable, "cannot write the secrets key file", "", path);
    }
    return std::unique_ptr<SecretBox>(new SecretBox(*FromHex(hex)));
  }
  std::stringstream buf;
  buf << in.rdbuf();
  std::string text = buf.str();
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) {
    text.pop_back();
  }
  auto key = FromHex(text);
  if (!key || key->size() != kKeyBytes) {
    return Err(ErrorCode::kDataLoss, "the secrets key file is not a key", "",
               path + ": expected 64 hex digits");
  }
  return std::unique_ptr<SecretBox>(new SecretBox(std::move(*key)));
}

std::unique_ptr<SecretBox> SecretBox::FromKey(std::string_view key_32_bytes) {
  return std::unique_ptr<SecretBox>(new SecretBox(std::string(key_32_bytes)));
}

bool SecretBox::IsSealed(std::string_view text) {
  return text.starts_with(kPrefix);
}

Result<std::string> SecretBox::Seal(std::string_view plaintext, std::string_view context) const {
  std::string nonce(kNonceBytes, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(nonce.data()), kNonceBytes) != 1) {
    return Err(ErrorCode::kInternal, "could not seal a secret", "", "RAND_bytes failed");
  }
  CtxPtr ctx(EVP_CIPHER_CTX_new());
  std::string out = nonce;
  out.resize(kNonceBytes + plaintext.size() + kTagBytes);
  int len = 0;
  auto* body = reinterpret_cast<unsigned char*>(out.data()) + kNonceBytes;
  const bool ok =
      ctx && key_.size() == kKeyBytes &&
      EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, U(key_), U(nonce)) == 1 &&
      EVP_EncryptUpdate(ctx.get(), nullptr, &len, U(context), static_cast<int>(context.size())) ==
          1 &&
      EVP_EncryptUpdate(ctx.get(), body, &len, U(plaintext), static_cast<int>(plaintext.size())) ==
          1 &&
      EVP_EncryptFinal_ex(ctx.get(), body + len, &len) == 1 &&
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTagBytes, body + plaintext.size()) == 1;
  if (!ok) {
    return Err(ErrorCode::kInternal, "could not seal a secret", "", "AES-256-GCM seal failed");
  }
  return std::string(kPrefix) + Base64(out);
}

Result<std::string> SecretBox::Open(std::string_view sealed, std::string_view context) const {
  if (!IsSealed(sealed)) {
    return Damaged();
  }
  auto raw = Unbase64(sealed.substr(kPrefix.size()));
  if (!raw || raw->size() < kNonceBytes + kTagBytes) {
    return Damaged();
  }
  const std::string_view all(*raw);
  const std::string_view nonce = all.substr(0, kNonceBytes);
  const std::string_view body = all.substr(kNonceBytes, all.size() - kNonceBytes - kTagBytes);
  std::string tag(all.substr(all.size() - kTagBytes));
  std::string out(body.size(), '\0');
  CtxPtr ctx(EVP_CIPHER_CTX_new());
  int len = 0;
  auto* dst = reinterpret_cast<unsigned char*>(out.data());
  const bool ok =
      ctx && key_.size() == kKeyBytes &&
      EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, U(key_), U(nonce)) == 1 &&
      EVP_DecryptUpdate(ctx.get(), nullptr, &len, U(context), static_cast<int>(context.size())) ==
          1 &&
      EVP_DecryptUpdate(ctx.get(), dst, &len, U(body), static_cast<int>(body.size())) == 1 &&
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTagBytes, tag.data()) == 1 &&
      EVP_DecryptFinal_ex(ctx.get(), dst + len, &len) == 1;
  if (!ok) {
    return Damaged();
  }
  return out;
}

}  // namespace accredit
