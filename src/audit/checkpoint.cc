// Checkpoints and the Ed25519 key that signs them; the checkpoint file; taking checkpoints and
// verifying against the newest one (docs/AUDIT.md, "Checkpoints").

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "audit/audit.h"
#include "audit/internal.h"

namespace accredit::audit {
namespace {

constexpr std::string_view kFormat = "accredit-audit-checkpoint/1";
constexpr std::size_t kMaxCheckpointJson = 64 * 1024;
constexpr std::size_t kEd25519SignatureSize = 64;

struct PkeyDeleter {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};

using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyDeleter>;

struct PkeyCtxDeleter {
  void operator()(EVP_PKEY_CTX* p) const { EVP_PKEY_CTX_free(p); }
};

using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, PkeyCtxDeleter>;

struct MdCtxDeleter {
  void operator()(EVP_MD_CTX* p) const { EVP_MD_CTX_free(p); }
};

using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, MdCtxDeleter>;

struct BioDeleter {
  void operator()(BIO* b) const { BIO_free(b); }
};

using BioPtr = std::unique_ptr<BIO, BioDeleter>;

// Closes a POSIX file descriptor.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}

  ~Fd() {
    if (fd_ >= 0) {
      ::close(fd_);
    }
  }

  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;

  int Get() const { return fd_; }

 private:
  int fd_;
};

bool IsLowerHex(std::string_view s) {
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      return false;
    }
  }
  return true;
}

constexpr std::string_view kB64 =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string Base64Encode(std::string_view in) {
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    const std::uint32_t v =
        (static_cast<std::uint32_t>(static_cast<unsigned char>(in[i])) << 16U) |
        (static_cast<std::uint32_t>(static_cast<unsigned char>(in[i + 1])) << 8U) |
        static_cast<std::uint32_t>(static_cast<unsigned char>(in[i + 2]));
    out.push_back(kB64[(v >> 18U) & 63U]);
    out.push_back(kB64[(v >> 12U) & 63U]);
    out.push_back(kB64[(v >> 6U) & 63U]);
    out.push_back(kB64[v & 63U]);
  }
  const std::size_t rest = in.size() - i;
  if (rest > 0) {
    std::uint32_t v = static_cast<std::uint32_t>(static_cast<unsigned char>(in[i])) << 16U;
    if (rest == 2) {
      v |= static_cast<std::uint32_t>(static_cast<unsigned char>(in[i + 1])) << 8U;
    }
    out.push_back(kB64[(v >> 18U) & 63U]);
    out.push_back(kB64[(v >> 12U) & 63U]);
    out.push_back(rest == 2 ? kB64[(v >> 6U) & 63U] : '=');
    out.push_back('=');
  }
  return out;
}

// Strict standard base64 with padding; nullopt on any deviation.
std::optional<std::string> Base64Decode(std::string_view in) {
  if (in.size() % 4 != 0) {
    return std::nullopt;
  }
  std::string out;
  out.reserve(in.size() / 4 * 3);
  for (std::size_t i = 0; i < in.size(); i += 4) {
    std::uint32_t v = 0;
    int pad = 0;
    for (std::size_t j = 0; j < 4; ++j) {
      const char c = in[i + j];
      std::uint32_t d = 0;
      if (c == '=') {
        // Padding only in the last quantum, only in its last two places.
        if (i + 4 != in.size() || j < 2) {
          return std::nullopt;
        }
        ++pad;
      } else {
        if (pad > 0) {
          return std::nullopt;
        }
        const auto pos = kB64.find(c);
        if (pos == std::string_view::npos) {
          return std::nullopt;
        }
        d = static_cast<std::uint32_t>(pos);
      }
      v = (v << 6U) | d;
    }
    out.push_back(static_cast<char>((v >> 16U) & 0xffU));
    if (pad < 2) {
      out.push_back(static_cast<char>((v >> 8U) & 0xffU));
    }
    if (pad < 1) {
      out.push_back(static_cast<char>(v & 0xffU));
    }
  }
  return out;
}

Error BadField(std::string_view field, std::string message) {
  return Err(ErrorCode::kInvalidArgument, "checkpoint: " + std::string(field) + " " + message,
             std::string(field));
}

Result<std::string> ReadSmallFile(const std::string& path, int fd) {
  std::string data;
  std::array<char, 4096> buf{};
  for (;;) {
    const ssize_t n = ::read(fd, buf.data(), buf.size());
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      return Err(ErrorCode::kUnavailable, "cannot read the checkpoint key file", "key", path);
    }
    if (n == 0) {
      break;
    }
    data.append(buf.data(), static_cast<std::size_t>(n));
    if (data.size() > kMaxCheckpointJson) {
      return Err(ErrorCode::kDataLoss, "the checkpoint key file is not an Ed25519 PEM key", "key",
                 path);
    }
  }
  return data;
}

Result<PkeyPtr> ParsePrivateKey(const std::string& pem, const std::string& path) {
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio) {
    return Err(ErrorCode::kInternal, "out of memory");
  }
  PkeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  if (!key || EVP_PKEY_get_id(key.get()) != EVP_PKEY_ED25519) {
    return Err(ErrorCode::kDataLoss, "the checkpoint key file is not an Ed25519 PEM private key",
               "key", path);
  }
  return key;
}

Result<std::string> PrivateKeyPem(EVP_PKEY* key) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio ||
      PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    return Err(ErrorCode::kInternal, "cannot encode the checkpoint key");
  }
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(len));
}

}  // namespace

std::string Checkpoint::ToText() const {
  std::string out(kFormat);
  out += '\n';
  out += std::to_string(size);
  out += '\n';
  out += head_hash_hex;
  out += '\n';
  out += FormatInstantUtc(issued_at);
  out += '\n';
  out += key_id;
  out += '\n';
  return out;
}

namespace {

nlohmann::ordered_json CheckpointObject(const Checkpoint& cp) {
  nlohmann::ordered_json j;
  j["format"] = kFormat;
  j["size"] = cp.size;
  j["head_hash"] = cp.head_hash_hex;
  j["issued_at"] = FormatInstantUtc(cp.issued_at);
  j["key_id"] = cp.key_id;
  j["signature"] = cp.signature_b64;
  return j;
}

}  // namespace

std::string Checkpoint::ToJson() const {
  return CheckpointObject(*this).dump(2) + "\n";
}

std::string Checkpoint::ToJsonLine() const {
  return CheckpointObject(*this).dump() + "\n";
}

Result<Checkpoint> Checkpoint::FromJson(std::string_view text) {
  if (text.size() > kMaxCheckpointJson) {
    return Err(ErrorCode::kInvalidArgument, "checkpoint: file is too large", "checkpoint");
  }
  const nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) {
    return Err(ErrorCode::kInvalidArgument, "checkpoint: not valid JSON", "checkpoint");
  }
  if (!j.is_object()) {
    return Err(ErrorCode::kInvalidArgument, "checkpoint: must be a JSON object", "checkpoint");
  }
  static constexpr std::array<std::string_view, 6> kFields = {"format",    "size",   "head_hash",
                                                              "issued_at", "key_id", "signature"};
  for (const auto& [name, value] : j.items()) {
    bool known = false;
    for (auto f : kFields) {
      known = known || name == f;
    }
    if (!known) {
      return BadField(name.substr(0, 64), "is not a checkpoint field");
    }
  }
  auto text_field = [&](std::string_view name) -> Result<std::string> {
    const auto it = j.find(std::string(name));
    if (it == j.end()) {
      return BadField(name, "is missing");
    }
    if (!it->is_string()) {
      return BadField(name, "must be a string");
    }
    return it->get<std::string>();
  };

  Checkpoint cp;
  ACC_ASSIGN_OR_RETURN(std::string format, text_field("format"));
  if (format != kFormat) {
    return BadField("format", "must be \"" + std::string(kFormat) + "\"");
  }

  const auto size_it = j.find("size");
  if (size_it == j.end()) {
    return BadField("size", "is missing");
  }
  if (size_it->is_number_unsigned()) {
    const auto v = size_it->get<std::uint64_t>();
    if (v > static_cast<std::uint64_t>(INT64_MAX)) {
      return BadField("size", "is too large");
    }
    cp.size = static_cast<std::int64_t>(v);
  } else if (size_it->is_number_integer()) {
    cp.size = size_it->get<std::int64_t>();
    if (cp.size < 0) {
      return BadField("size", "must not be negative");
    }
  } else {
    return BadField("size", "must be a whole number");
  }

  ACC_ASSIGN_OR_RETURN(cp.head_hash_hex, text_field("head_hash"));
  if (cp.head_hash_hex.size() != 64 || !IsLowerHex(cp.head_hash_hex)) {
    return BadField("head_hash", "must be 64 lower-case hex digits");
  }

  ACC_ASSIGN_OR_RETURN(std::string issued, text_field("issued_at"));
  if (issued.empty() || issued.back() != 'Z') {
    return BadField("issued_at", "must be an ISO 8601 UTC instant ending in Z");
  }
  auto at = ParseInstant(issued, "issued_at");
  if (!at) {
    return BadField("issued_at", "must be an ISO 8601 UTC instant ending in Z");
  }
  cp.issued_at = *at;

  ACC_ASSIGN_OR_RETURN(cp.key_id, text_field("key_id"));
  if (cp.key_id.size() != 16 || !IsLowerHex(cp.key_id)) {
    return BadField("key_id", "must be 16 lower-case hex digits");
  }

  ACC_ASSIGN_OR_RETURN(cp.signature_b64, text_field("signature"));
  const auto sig = Base64Decode(cp.signature_b64);
  if (!sig || sig->size() != kEd25519SignatureSize) {
    return BadField("signature", "must be a base64 Ed25519 signature (64 bytes)");
  }
  return cp;
}

struct CheckpointKey::Impl {
  PkeyPtr key;
  std::string key_id;
  std::string public_pem;
};

CheckpointKey::CheckpointKey(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

CheckpointKey::~CheckpointKey() = default;

Result<std::unique_ptr<CheckpointKey>> CheckpointKey::LoadOrCreate(const std::string& path) {
  PkeyPtr key;
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd >= 0) {
    Fd file(fd);

    struct stat st {};

    if (::fstat(file.Get(), &st) != 0 || !S_ISREG(st.st_mode)) {
      return Err(ErrorCode::kFailedPrecondition, "the checkpoint key is not a regular file", "key",
                 path);
    }
    // Like ssh: a private key others can read is not a secret any more.
    if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
      return Err(ErrorCode::kPermissionDenied,
                 "the checkpoint key file must be readable by its owner only (chmod 600)", "key",
                 path);
    }
    ACC_ASSIGN_OR_RETURN(std::string pem, ReadSmallFile(path, file.Get()));
    ACC_ASSIGN_OR_RETURN(key, ParsePrivateKey(pem, path));
  } else if (errno == ENOENT) {
    key.reset(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"));
    if (!key) {
      return Err(ErrorCode::kInternal, "cannot generate the checkpoint key");
    }
    ACC_ASSIGN_OR_RETURN(std::string pem, PrivateKeyPem(key.get()));
    const int out_fd =
        ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (out_fd < 0) {
      if (errno == EEXIST) {
        // Another process created it between our open() calls: use theirs.
        return LoadOrCreate(path);
      }
      return Err(ErrorCode::kUnavailable, "cannot create the checkpoint key file", "key", path);
    }
    Fd out(out_fd);
    std::size_t written = 0;
    while (written < pem.size()) {
      const ssize_t n = ::write(out.Get(), pem.data() + written, pem.size() - written);
      if (n < 0) {
        if (errno == EINTR) {
          continue;
        }
        return Err(ErrorCode::kUnavailable, "cannot write the checkpoint key file", "key", path);
      }
      written += static_cast<std::size_t>(n);
    }
    if (::fsync(out.Get()) != 0) {
      return Err(ErrorCode::kUnavailable, "cannot write the checkpoint key file", "key", path);
    }
  } else {
    return Err(ErrorCode::kUnavailable, "cannot open the checkpoint key file", "key", path);
  }

  auto impl = std::make_unique<Impl>();
  std::array<unsigned char, 32> raw{};
  std::size_t raw_len = raw.size();
  if (EVP_PKEY_get_raw_public_key(key.get(), raw.data(), &raw_len) != 1 || raw_len != raw.size()) {
    return Err(ErrorCode::kInternal, "cannot read the checkpoint public key");
  }
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int digest_len = 0;
  if (EVP_Digest(raw.data(), raw_len, digest.data(), &digest_len, EVP_sha256(), nullptr) != 1) {
    return Err(ErrorCode::kInternal, "SHA-256 failed");
  }
  impl->key_id =
      HexEncode(std::string_view(reinterpret_cast<const char*>(digest.data()), digest_len))
          .substr(0, 16);
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PUBKEY(bio.get(), key.get()) != 1) {
    return Err(ErrorCode::kInternal, "cannot encode the checkpoint public key");
  }
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio.get(), &data);
  impl->public_pem.assign(data, static_cast<std::size_t>(len));
  impl->key = std::move(key);
  return std::unique_ptr<CheckpointKey>(new CheckpointKey(std::move(impl)));
}

std::string CheckpointKey::KeyId() const {
  return impl_->key_id;
}

std::string CheckpointKey::PublicKeyPem() const {
  return impl_->public_pem;
}

Result<std::string> CheckpointKey::Sign(std::string_view message) const {
  MdCtxPtr ctx(EVP_MD_CTX_new());
  std::array<unsigned char, kEd25519SignatureSize> sig{};
  std::size_t sig_len = sig.size();
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, impl_->key.get()) != 1 ||
      EVP_DigestSign(ctx.get(), sig.data(), &sig_len,
                     reinterpret_cast<const unsigned char*>(message.data()), message.size()) != 1) {
    return Err(ErrorCode::kInternal, "cannot sign the checkpoint");
  }
  return Base64Encode(std::string_view(reinterpret_cast<const char*>(sig.data()), sig_len));
}

bool CheckpointKey::Verify(std::string_view message, std::string_view signature_b64) const {
  const auto sig = Base64Decode(signature_b64);
  if (!sig || sig->size() != kEd25519SignatureSize) {
    return false;
  }
  MdCtxPtr ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, impl_->key.get()) != 1) {
    return false;
  }
  return EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(sig->data()),
                          sig->size(), reinterpret_cast<const unsigned char*>(message.data()),
                          message.size()) == 1;
}

std::string_view CheckpointSourceName(CheckpointSource source) {
  switch (source) {
    case CheckpointSource::kArgument:
      return "argument";
    case CheckpointSource::kDatabase:
      return "database";
    case CheckpointSource::kFile:
      return "file";
  }
  return "unknown";
}

std::string DescribeCheckpoint(const Checkpoint& checkpoint, CheckpointSource source) {
  return "checkpoint of " + std::to_string(checkpoint.size) + " records issued at " +
         FormatInstantUtc(checkpoint.issued_at) + " (" + std::string(CheckpointSourceName(source)) +
         ")";
}

Status AppendCheckpointFile(const std::string& path, const Checkpoint& checkpoint) {
  auto fail = [&](std::string_view what) {
    return Err(ErrorCode::kUnavailable, "cannot " + std::string(what) + " the checkpoint file", "",
               path + ": errno " + std::to_string(errno));
  };
  // O_APPEND: every line goes to the end even with several writers (serve and the CLI), and
  // nothing already written is overwritten.
  const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) {
    return fail("open");
  }
  Fd file(fd);

  struct stat st {};

  if (::fstat(file.Get(), &st) != 0 || !S_ISREG(st.st_mode)) {
    return Err(ErrorCode::kUnavailable, "the checkpoint file is not a regular file", "", path);
  }
  const std::string line = checkpoint.ToJsonLine();
  std::size_t written = 0;
  while (written < line.size()) {
    const ssize_t n = ::write(file.Get(), line.data() + written, line.size() - written);
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      return fail("write");
    }
    written += static_cast<std::size_t>(n);
  }
  if (::fsync(file.Get()) != 0) {
    return fail("sync");
  }
  return Status::Ok();
}

CheckpointFileContents ReadCheckpointFile(const std::string& path) {
  CheckpointFileContents contents;
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) {
    if (errno != ENOENT) {
      contents.notes.emplace_back("the checkpoint file cannot be read (skipped)");
    }
    return contents;
  }
  Fd file(fd);
  std::string data;
  std::array<char, 65536> buf{};
  for (;;) {
    const ssize_t n = ::read(file.Get(), buf.data(), buf.size());
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      contents.notes.emplace_back("the checkpoint file cannot be read (skipped)");
      contents.checkpoints.clear();
      return contents;
    }
    if (n == 0) {
      break;
    }
    data.append(buf.data(), static_cast<std::size_t>(n));
  }
  std::size_t line_no = 0;
  std::size_t pos = 0;
  while (pos < data.size()) {
    std::size_t end = data.find('\n', pos);
    if (end == std::string::npos) {
      end = data.size();  // a last line without its newline (a torn write) is still tried
    }
    const std::string_view line(data.data() + pos, end - pos);
    ++line_no;
    pos = end + 1;
    if (line.empty()) {
      continue;
    }
    auto cp = Checkpoint::FromJson(line);
    if (!cp) {
      contents.notes.push_back("checkpoint file line " + std::to_string(line_no) +
                               " skipped: " + cp.error().message);
      continue;
    }
    contents.checkpoints.push_back(std::move(*cp));
  }
  return contents;
}

void AuditLog::ReportError(const Error& error) const {
  if (options_.on_error) {
    options_.on_error(error);
  }
}

namespace {

// The newest checkpoint that verifies (largest size, then latest; from the table and the file),
// and the log checked against it: wholly (`full`, which gets nullptr when there is none), or,
// with `tail_only`, only from the checkpoint on (internal::VerifyTail).
Result<VerifyReport> VerifyAgainstNewest(
    store::Connection& conn, const CheckpointKey& key, const std::string& file_path, bool tail_only,
    const std::function<Result<VerifyReport>(const Checkpoint*)>& full) {
  struct Candidate {
    Checkpoint checkpoint;
    CheckpointSource source;
  };

  std::vector<Candidate> candidates;
  std::vector<std::string> notes;

  // Not ListCheckpoints: a row an attacker made unreadable is noted, not fatal.
  ACC_ASSIGN_OR_RETURN(auto rows, conn.Query("SELECT id, size, head_hash, issued_at, key_id, "
                                             "signature FROM audit_checkpoints ORDER BY id"));
  for (const auto& r : rows) {
    Checkpoint cp;
    cp.size = r[1].Int();
    cp.head_hash_hex = r[2].Text();
    auto at = ParseInstant(r[3].Text(), "issued_at");
    if (!at) {
      notes.push_back("audit_checkpoints row " + std::to_string(r[0].Int()) +
                      " skipped: issued_at is not an instant");
      continue;
    }
    cp.issued_at = *at;
    cp.key_id = r[4].Text();
    cp.signature_b64 = r[5].Text();
    candidates.push_back({std::move(cp), CheckpointSource::kDatabase});
  }
  if (!file_path.empty()) {
    CheckpointFileContents file = ReadCheckpointFile(file_path);
    for (auto& note : file.notes) {
      notes.push_back(std::move(note));
    }
    for (auto& cp : file.checkpoints) {
      candidates.push_back({std::move(cp), CheckpointSource::kFile});
    }
  }
  // Largest size first, then the latest; the database copy before an identical file copy.
  std::stable_sort(candidates.begin(), candidates.end(),
                   [](const Candidate& a, const Candidate& b) {
                     if (a.checkpoint.size != b.checkpoint.size) {
                       return a.checkpoint.size > b.checkpoint.size;
                     }
                     return a.checkpoint.issued_at > b.checkpoint.issued_at;
                   });
  const Candidate* chosen = nullptr;
  for (const Candidate& c : candidates) {
    if (c.checkpoint.key_id != key.KeyId()) {
      notes.push_back(DescribeCheckpoint(c.checkpoint, c.source) + " ignored: signed by key " +
                      c.checkpoint.key_id + ", not by this server's key " + key.KeyId());
      continue;
    }
    if (!key.Verify(c.checkpoint.ToText(), c.checkpoint.signature_b64)) {
      notes.push_back(DescribeCheckpoint(c.checkpoint, c.source) +
                      " ignored: its signature does not verify (altered)");
      continue;
    }
    chosen = &c;
    break;
  }
  VerifyReport report;
  if (chosen == nullptr) {
    ACC_ASSIGN_OR_RETURN(report, full(nullptr));
  } else {
    if (tail_only) {
      ACC_ASSIGN_OR_RETURN(report, internal::VerifyTail(conn, chosen->checkpoint));
    } else {
      ACC_ASSIGN_OR_RETURN(report, full(&chosen->checkpoint));
    }
    report.checkpoint = chosen->checkpoint;
    report.checkpoint_source = chosen->source;
  }
  report.notes = std::move(notes);
  return report;
}

}  // namespace

Result<VerifyReport> AuditLog::VerifyNewest(store::Connection& conn) const {
  if (options_.key == nullptr) {
    return Verify(conn);
  }
  return VerifyAgainstNewest(conn, *options_.key, options_.file_path, /*tail_only=*/false,
                             [&](const Checkpoint* cp) {
                               return Verify(conn, cp, cp != nullptr ? options_.key : nullptr);
                             });
}

Result<Checkpoint> AuditLog::SignAndStore(store::Connection& conn) const {
  if (options_.key == nullptr) {
    return Err(ErrorCode::kFailedPrecondition, "no checkpoint key is configured");
  }
  // Only the records since the newest checkpoint are checked: signing is then proportional to
  // the records since the last checkpoint, not to the whole log (a full check stays with
  // `audit verify`). Without any checkpoint yet, the whole chain.
  ACC_ASSIGN_OR_RETURN(
      const VerifyReport report,
      VerifyAgainstNewest(conn, *options_.key, options_.file_path,
                          /*tail_only=*/true, [&](const Checkpoint*) { return Verify(conn); }));
  if (!report.ok) {
    std::string against;
    if (report.checkpoint) {
      against = " against the " + DescribeCheckpoint(*report.checkpoint, report.checkpoint_source);
    }
    return Err(ErrorCode::kDataLoss, "the audit log does not verify" + against +
                                         "; refusing to sign a checkpoint: " + report.reason);
  }
  ACC_ASSIGN_OR_RETURN(Checkpoint cp, SignHead(conn, report.records, *options_.key));
  ACC_RETURN_IF_ERROR(StoreCheckpoint(conn, cp));
  return cp;
}

Status AuditLog::Publish(const Checkpoint& checkpoint) const {
  if (!options_.file_path.empty()) {
    ACC_RETURN_IF_ERROR(AppendCheckpointFile(options_.file_path, checkpoint));
  }
  if (options_.witness) {
    const Status sent = options_.witness(checkpoint);
    if (!sent.ok()) {
      Error e = sent.error();
      e.message = "checkpoint witness: " + e.message;
      ReportError(e);
    }
  }
  return Status::Ok();
}

Result<Checkpoint> AuditLog::TakeCheckpoint(store::Store& store) const {
  ACC_ASSIGN_OR_RETURN(auto conn, store.Acquire());
  ACC_ASSIGN_OR_RETURN(auto tx, conn->Begin(store::TxMode::kWrite));
  ACC_ASSIGN_OR_RETURN(Checkpoint cp, SignAndStore(*conn));
  ACC_RETURN_IF_ERROR(tx.Commit());
  ACC_RETURN_IF_ERROR(Publish(cp));
  return cp;
}

Result<std::optional<Checkpoint>> AuditLog::TakeCheckpointIfDue(
    store::Store& store, std::chrono::minutes interval) const {
  if (options_.key == nullptr) {
    return Err(ErrorCode::kFailedPrecondition, "no checkpoint key is configured");
  }
  ACC_ASSIGN_OR_RETURN(auto conn, store.Acquire());
  ACC_ASSIGN_OR_RETURN(auto tx, conn->Begin(store::TxMode::kWrite));
  ACC_ASSIGN_OR_RETURN(auto head, conn->QueryOne("SELECT COALESCE(MAX(seq), 0) FROM audit_log"));
  const std::int64_t size = head[0].Int();
  ACC_ASSIGN_OR_RETURN(auto newest, conn->Query("SELECT size, issued_at FROM audit_checkpoints "
                                                "ORDER BY id DESC LIMIT 1"));
  if (newest.empty()) {
    if (size == 0) {
      return std::optional<Checkpoint>();  // nothing to vouch for yet
    }
  } else {
    // A log shorter than its newest checkpoint is not "unchanged": SignAndStore reports it.
    if (size == newest[0][0].Int()) {
      return std::optional<Checkpoint>();
    }
    auto issued = ParseInstant(newest[0][1].Text(), "issued_at");
    if (issued && clock_.Now() - *issued < interval) {
      return std::optional<Checkpoint>();
    }
  }
  ACC_ASSIGN_OR_RETURN(Checkpoint cp, SignAndStore(*conn));
  ACC_RETURN_IF_ERROR(tx.Commit());
  ACC_RETURN_IF_ERROR(Publish(cp));
  return std::optional<Checkpoint>(std::move(cp));
}

}  // namespace accredit::audit
