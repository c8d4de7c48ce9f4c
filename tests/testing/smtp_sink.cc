#include "testing/smtp_sink.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>  // NOLINT(modernize-deprecated-headers): POSIX pthread_sigmask
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <condition_variable>
#include <cstdint>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <thread>
#include <utility>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "testing/testing.h"

namespace accredit::testing {
namespace {

constexpr std::size_t kMaxCommandLine = 4096;
constexpr std::size_t kMaxDataLine = std::size_t{64} * 1024;
constexpr std::size_t kMaxMessageBytes = std::size_t{32} * 1024 * 1024;
constexpr int kIdleTimeoutSeconds = 60;

struct SslCtxFree {
  void operator()(SSL_CTX* p) const { SSL_CTX_free(p); }
};

struct SslFree {
  void operator()(SSL* p) const { SSL_free(p); }
};

struct PkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};

struct X509Free {
  void operator()(X509* p) const { X509_free(p); }
};

struct ExtFree {
  void operator()(X509_EXTENSION* p) const { X509_EXTENSION_free(p); }
};

struct BioFree {
  void operator()(BIO* p) const { BIO_free_all(p); }
};

using SslCtxPtr = std::unique_ptr<SSL_CTX, SslCtxFree>;
using SslPtr = std::unique_ptr<SSL, SslFree>;
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;
using X509Ptr = std::unique_ptr<X509, X509Free>;

Error OpenSslError(std::string_view what) {
  std::string detail(what);
  if (unsigned long e = ERR_get_error(); e != 0) {  // NOLINT(google-runtime-int): OpenSSL's type
    std::array<char, 256> buf{};
    ERR_error_string_n(e, buf.data(), buf.size());
    detail += ": ";
    detail += buf.data();
  }
  ERR_clear_error();
  return Err(ErrorCode::kInternal, "TLS setup failed", {}, detail);
}

struct KeyAndCert {
  PkeyPtr key;
  X509Ptr cert;
};

Result<KeyAndCert> MakeSelfSigned() {
  KeyAndCert kc;
  std::string curve = "P-256";  // EVP_EC_gen's macro casts away const (-Wcast-qual)
  kc.key.reset(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", curve.data()));
  kc.cert.reset(X509_new());
  if (!kc.key || !kc.cert) {
    return OpenSslError("key generation");
  }
  X509* x = kc.cert.get();
  std::array<unsigned char, 8> serial{};
  if (RAND_bytes(serial.data(), serial.size()) != 1) {
    return OpenSslError("RAND_bytes");
  }
  long serial_value = 0;  // NOLINT(google-runtime-int): ASN1_INTEGER_set takes long
  for (unsigned char b : serial) {
    serial_value = (serial_value << 8) | b;
  }
  serial_value &= 0x7fffffffffffffffL;
  X509_NAME* name = X509_get_subject_name(x);
  if (X509_set_version(x, 2) != 1 ||
      ASN1_INTEGER_set(X509_get_serialNumber(x), serial_value) != 1 ||
      X509_gmtime_adj(X509_getm_notBefore(x), -3600) == nullptr ||
      X509_gmtime_adj(X509_getm_notAfter(x), 2L * 24 * 3600) == nullptr ||
      X509_set_pubkey(x, kc.key.get()) != 1 ||
      X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                                 reinterpret_cast<const unsigned char*>("127.0.0.1"), -1, -1,
                                 0) != 1 ||
      X509_set_issuer_name(x, name) != 1) {
    return OpenSslError("certificate fields");
  }
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, x, x, nullptr, nullptr, 0);
  const std::array<std::pair<int, const char*>, 2> exts = {
      std::pair{NID_basic_constraints, "critical,CA:TRUE"},
      std::pair{NID_subject_alt_name, "IP:127.0.0.1,DNS:localhost"}};
  for (const auto& [nid, value] : exts) {
    std::unique_ptr<X509_EXTENSION, ExtFree> ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value));
    if (!ext || X509_add_ext(x, ext.get(), -1) != 1) {
      return OpenSslError("certificate extension");
    }
  }
  if (X509_sign(x, kc.key.get(), EVP_sha256()) == 0) {
    return OpenSslError("X509_sign");
  }
  return kc;
}

Status WritePem(const std::string& path, X509* cert, EVP_PKEY* key) {
  std::unique_ptr<BIO, BioFree> bio(BIO_new_file(path.c_str(), "w"));
  if (!bio) {
    return Err(ErrorCode::kInternal, "cannot write the certificate file", {}, path);
  }
  if (cert != nullptr && PEM_write_bio_X509(bio.get(), cert) != 1) {
    return OpenSslError("PEM_write_bio_X509");
  }
  if (key != nullptr &&
      PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    return OpenSslError("PEM_write_bio_PrivateKey");
  }
  return Status::Ok();
}

std::string Upper(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return out;
}

// "MAIL FROM:<a@b> SIZE=10" -> "a@b" (also without brackets); nullopt when malformed.
std::optional<std::string> PathArgument(std::string_view line, std::string_view prefix) {
  if (line.size() < prefix.size() || Upper(line.substr(0, prefix.size())) != prefix) {
    return std::nullopt;
  }
  std::string_view rest = line.substr(prefix.size());
  while (!rest.empty() && rest.front() == ' ') {
    rest.remove_prefix(1);
  }
  if (!rest.empty() && rest.front() == '<') {
    const auto gt = rest.find('>');
    if (gt == std::string_view::npos) {
      return std::nullopt;
    }
    return std::string(rest.substr(1, gt - 1));
  }
  const auto sp = rest.find(' ');
  return std::string(rest.substr(0, sp));
}

std::optional<std::string> Base64Decode(std::string_view in) {
  while (!in.empty() && (in.back() == ' ' || in.back() == '\r')) {
    in.remove_suffix(1);
  }
  if (in.size() % 4 != 0) {
    return std::nullopt;
  }
  std::string out(in.size() / 4 * 3 + 1, '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(in.data()),
                                static_cast<int>(in.size()));
  if (n < 0) {
    return std::nullopt;
  }
  auto len = static_cast<std::size_t>(n);
  // EVP_DecodeBlock counts the padding as zero bytes.
  for (std::size_t i = in.size(); i > 0 && in[i - 1] == '='; --i) {
    --len;
  }
  out.resize(len);
  return out;
}

// One client connection: a socket, optionally wrapped in TLS after STARTTLS, with a line buffer.
class Channel {
 public:
  explicit Channel(int fd) : fd_(fd) {}

  bool Tls() const { return ssl_ != nullptr; }

  bool Write(std::string_view s) {
    while (!s.empty()) {
      ssize_t n = 0;
      if (ssl_) {
        n = SSL_write(ssl_.get(), s.data(), static_cast<int>(s.size()));
      } else {
        n = ::send(fd_, s.data(), s.size(), MSG_NOSIGNAL);
      }
      if (n <= 0) {
        if (!ssl_ && n < 0 && errno == EINTR) {
          continue;
        }
        return false;
      }
      s.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
  }

  // A line without its CRLF (a bare LF also ends a line). False on EOF, error or an over-long
  // line.
  bool ReadLine(std::string& line, std::size_t max) {
    for (;;) {
      const auto lf = buffer_.find('\n');
      if (lf != std::string::npos) {
        std::size_t end = lf;
        if (end > 0 && buffer_[end - 1] == '\r') {
          --end;
        }
        line.assign(buffer_, 0, end);
        buffer_.erase(0, lf + 1);
        return line.size() <= max;
      }
      if (buffer_.size() > max + 2) {
        return false;
      }
      std::array<char, 16384> chunk{};
      ssize_t n = 0;
      if (ssl_) {
        n = SSL_read(ssl_.get(), chunk.data(), static_cast<int>(chunk.size()));
      } else {
        n = ::recv(fd_, chunk.data(), chunk.size(), 0);
        if (n < 0 && errno == EINTR) {
          continue;
        }
      }
      if (n <= 0) {
        return false;
      }
      buffer_.append(chunk.data(), static_cast<std::size_t>(n));
    }
  }

  // Plain text sent before the handshake (a STARTTLS injection attempt) is discarded.
  bool StartTls(SSL_CTX* ctx) {
    buffer_.clear();
    ssl_.reset(SSL_new(ctx));
    if (!ssl_ || SSL_set_fd(ssl_.get(), fd_) != 1 || SSL_accept(ssl_.get()) != 1) {
      ERR_clear_error();
      ssl_.reset();
      return false;
    }
    return true;
  }

  void Close() {
    if (ssl_) {
      SSL_shutdown(ssl_.get());
      ERR_clear_error();
      ssl_.reset();
    }
  }

 private:
  int fd_;
  SslPtr ssl_;
  std::string buffer_;
};

std::size_t NextSeqIn(const std::filesystem::path& dir) {
  std::size_t highest = 0;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.size() > 4 && name.ends_with(".eml") && name.front() != '.') {
      std::size_t v = 0;
      const auto [p, err] = std::from_chars(name.data(), name.data() + name.size() - 4, v);
      if (err == std::errc() && p == name.data() + name.size() - 4) {
        highest = std::max(highest, v);
      }
    }
  }
  return highest + 1;
}

std::string SeqName(std::size_t seq) {
  std::string digits = std::to_string(seq);
  if (digits.size() < 6) {
    digits.insert(0, 6 - digits.size(), '0');
  }
  return digits + ".eml";
}

Status WriteAtomically(const std::filesystem::path& dir, const std::string& name,
                       std::string_view content) {
  const std::string tmp = (dir / ("." + name + ".tmp")).string();
  const std::string final_path = (dir / name).string();
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    return Err(ErrorCode::kInternal, "cannot write the spool file", {}, tmp);
  }
  bool ok = true;
  while (ok && !content.empty()) {
    const ssize_t n = ::write(fd, content.data(), content.size());
    if (n < 0 && errno == EINTR) {
      continue;
    }
    ok = n > 0;
    if (ok) {
      content.remove_prefix(static_cast<std::size_t>(n));
    }
  }
  ok = ok && ::fsync(fd) == 0;
  ok = (::close(fd) == 0) && ok;
  ok = ok && ::rename(tmp.c_str(), final_path.c_str()) == 0;
  if (!ok) {
    ::unlink(tmp.c_str());
    return Err(ErrorCode::kInternal, "cannot write the spool file", {}, final_path);
  }
  // The rename is durable once the directory is synced.
  if (const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
  return Status::Ok();
}

}  // namespace

struct SmtpSink::Impl {
  struct Connection {
    int fd = -1;
    std::thread thread;
    std::atomic<bool> done{false};
  };

  SmtpSinkOptions options;
  TempDir cert_dir;
  std::string cert_file;
  SslCtxPtr ssl_ctx;
  int listen_fd = -1;
  int port = 0;
  std::thread accept_thread;
  std::atomic<bool> stopping{false};

  mutable std::mutex mu;
  mutable std::condition_variable cv;
  std::vector<SmtpMessage> messages;  // guarded by mu
  std::size_t next_seq = 1;           // guarded by mu
  bool hold_used = false;             // guarded by mu
  bool holding = false;               // guarded by mu
  bool released = false;              // guarded by mu
  std::list<Connection> connections;  // guarded by mu
  bool stopped = false;               // guarded by mu

  void Event(const std::string& e) const {
    if (options.on_event) {
      options.on_event(e);
    }
  }

  void AcceptLoop();
  void Serve(int fd);
  // Returns the reply to the final "." of DATA, or "" to close without a reply.
  std::string Deliver(SmtpMessage msg);

  bool NeedsAuth() const { return !options.username.empty(); }
};

namespace {

// SIGPIPE from a write to a closed TLS socket is thread-directed: blocked in our threads it stays
// pending there and the write just fails with EPIPE, without touching the process's handlers.
void BlockSigpipeInThisThread() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

}  // namespace

void SmtpSink::Impl::AcceptLoop() {
  BlockSigpipeInThisThread();
  while (!stopping.load()) {
    const int fd = ::accept4(listen_fd, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EINTR || errno == ECONNABORTED) {
        continue;
      }
      break;  // shutdown() by Stop(), or a fatal error
    }
    timeval tv{kIdleTimeoutSeconds, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    std::lock_guard lock(mu);
    if (stopped) {
      ::close(fd);
      break;
    }
    // Reap finished connections so a long-running sink does not accumulate threads.
    for (auto it = connections.begin(); it != connections.end();) {
      if (it->done.load()) {
        it->thread.join();
        ::close(it->fd);
        it = connections.erase(it);
      } else {
        ++it;
      }
    }
    Connection& c = connections.emplace_back();
    c.fd = fd;
    c.thread = std::thread([this, &c] {
      BlockSigpipeInThisThread();
      Serve(c.fd);
      c.done.store(true);
    });
  }
}

std::string SmtpSink::Impl::Deliver(SmtpMessage msg) {
  std::unique_lock lock(mu);
  if (options.hold_after && !hold_used && messages.size() >= *options.hold_after) {
    hold_used = true;
    holding = true;
    released = false;
    cv.notify_all();
    lock.unlock();
    Event("holding");
    lock.lock();
    cv.wait(lock, [this] { return released || stopped; });
    holding = false;
    lock.unlock();
    Event("released");
    return "451 4.3.0 Message held by the test sink and discarded\r\n";
  }
  msg.seq = next_seq++;
  if (!options.spool_dir.empty()) {
    std::string file = "Return-Path: <" + msg.mail_from + ">\r\n";
    for (const auto& r : msg.rcpt_to) {
      file += "X-Sink-Rcpt-To: <" + r + ">\r\n";
    }
    file += msg.data;
    if (!WriteAtomically(options.spool_dir, SeqName(msg.seq), file).ok()) {
      --next_seq;
      return "452 4.3.1 Cannot write the spool file\r\n";
    }
  }
  const std::size_t seq = msg.seq;
  messages.push_back(std::move(msg));
  cv.notify_all();
  lock.unlock();
  Event("stored " + std::to_string(seq));
  return "250 2.0.0 OK queued as " + std::to_string(seq) + "\r\n";
}

void SmtpSink::Impl::Serve(int fd) {  // NOLINT(readability-function-cognitive-complexity)
  Channel ch(fd);
  if (!ch.Write("220 127.0.0.1 ESMTP accredit test sink\r\n")) {
    return;
  }
  std::string helo;
  std::string auth_user;
  std::optional<std::string> mail_from;
  std::vector<std::string> rcpts;
  const auto reset = [&] {
    mail_from.reset();
    rcpts.clear();
  };
  std::string line;
  while (!stopping.load() && ch.ReadLine(line, kMaxCommandLine)) {
    const std::string verb = Upper(line.substr(0, line.find(' ')));
    const std::string arg =
        line.find(' ') == std::string::npos ? "" : line.substr(line.find(' ') + 1);
    bool ok = true;
    if (verb == "EHLO" || verb == "HELO") {
      helo = arg;
      reset();
      if (verb == "HELO") {
        ok = ch.Write("250 127.0.0.1\r\n");
      } else {
        std::string reply = "250-127.0.0.1 greets " + arg + "\r\n250-8BITMIME\r\n";
        if (options.starttls && !ch.Tls()) {
          reply += "250-STARTTLS\r\n";
        }
        if (NeedsAuth() && (ch.Tls() || !options.starttls)) {
          reply += "250-AUTH PLAIN\r\n";
        }
        reply += "250 SIZE " + std::to_string(kMaxMessageBytes) + "\r\n";
        ok = ch.Write(reply);
      }
    } else if (verb == "STARTTLS") {
      if (!options.starttls || ch.Tls()) {
        ok = ch.Write("502 5.5.1 STARTTLS not available\r\n");
      } else {
        ok = ch.Write("220 2.0.0 Ready to start TLS\r\n") && ch.StartTls(ssl_ctx.get());
        helo.clear();  // RFC 3207: the client starts over with EHLO
        auth_user.clear();
        reset();
      }
    } else if (verb == "AUTH") {
      if (!NeedsAuth()) {
        ok = ch.Write("502 5.5.1 AUTH not available\r\n");
      } else if (options.starttls && !ch.Tls()) {
        ok = ch.Write("538 5.7.11 Encryption required for requested authentication mechanism\r\n");
      } else if (!auth_user.empty()) {
        ok = ch.Write("503 5.5.1 Already authenticated\r\n");
      } else if (Upper(arg.substr(0, 5)) != "PLAIN") {
        ok = ch.Write("504 5.5.4 Unrecognized authentication type\r\n");
      } else {
        std::string response = arg.size() > 6 ? arg.substr(6) : "";
        if (response.empty()) {
          ok = ch.Write("334 \r\n") && ch.ReadLine(response, kMaxCommandLine);
        }
        // authzid NUL authcid NUL passwd
        const auto decoded = ok ? Base64Decode(response) : std::nullopt;
        const auto first = decoded ? decoded->find('\0') : std::string::npos;
        const auto second =
            first != std::string::npos ? decoded->find('\0', first + 1) : std::string::npos;
        if (second != std::string::npos &&
            decoded->substr(first + 1, second - first - 1) == options.username &&
            decoded->substr(second + 1) == options.password) {
          auth_user = options.username;
          ok = ok && ch.Write("235 2.7.0 Authentication successful\r\n");
        } else if (ok) {
          ok = ch.Write("535 5.7.8 Authentication credentials invalid\r\n");
        }
      }
    } else if (verb == "MAIL") {
      const auto from = PathArgument(line, "MAIL FROM:");
      if (helo.empty()) {
        ok = ch.Write("503 5.5.1 EHLO/HELO first\r\n");
      } else if (options.starttls && !ch.Tls()) {
        ok = ch.Write("530 5.7.0 Must issue a STARTTLS command first\r\n");
      } else if (NeedsAuth() && auth_user.empty()) {
        ok = ch.Write("530 5.7.0 Authentication required\r\n");
      } else if (mail_from) {
        ok = ch.Write("503 5.5.1 Nested MAIL command\r\n");
      } else if (!from) {
        ok = ch.Write("501 5.5.4 Syntax: MAIL FROM:<address>\r\n");
      } else {
        mail_from = *from;
        ok = ch.Write("250 2.1.0 OK\r\n");
      }
    } else if (verb == "RCPT") {
      const auto to = PathArgument(line, "RCPT TO:");
      if (!mail_from) {
        ok = ch.Write("503 5.5.1 MAIL first\r\n");
      } else if (!to || to->empty()) {
        ok = ch.Write("501 5.5.4 Syntax: RCPT TO:<address>\r\n");
      } else if (options.reject_rcpt.contains(*to)) {
        ok = ch.Write("550 5.1.1 <" + *to + ">: no such user\r\n");
      } else {
        rcpts.push_back(*to);
        ok = ch.Write("250 2.1.5 OK\r\n");
      }
    } else if (verb == "DATA") {
      if (!mail_from || rcpts.empty()) {
        if (!ch.Write("503 5.5.1 No valid recipients\r\n")) {
          break;
        }
        continue;
      }
      if (!ch.Write("354 End data with <CR><LF>.<CR><LF>\r\n")) {
        break;
      }
      std::string data;
      bool complete = false;
      bool too_big = false;
      std::string dline;
      while (ch.ReadLine(dline, kMaxDataLine)) {
        if (dline == ".") {
          complete = true;
          break;
        }
        // RFC 5321 4.5.2: a leading dot was doubled by the client.
        std::string_view content = dline;
        if (content.starts_with('.')) {
          content.remove_prefix(1);
        }
        if (data.size() + content.size() + 2 > kMaxMessageBytes) {
          too_big = true;
        } else {
          data.append(content);
          data += "\r\n";
        }
      }
      if (!complete) {
        break;  // the client went away mid-message: nothing is stored
      }
      if (too_big) {
        reset();
        if (!ch.Write("552 5.3.4 Message too big\r\n")) {
          break;
        }
        continue;
      }
      SmtpMessage msg;
      msg.helo = helo;
      msg.mail_from = *mail_from;
      msg.rcpt_to = rcpts;
      msg.data = std::move(data);
      msg.tls = ch.Tls();
      msg.auth_user = auth_user;
      reset();
      const std::string reply = Deliver(std::move(msg));
      ok = ch.Write(reply);
      if (reply.starts_with("451")) {
        break;  // the held connection is closed after its answer
      }
    } else if (verb == "RSET") {
      reset();
      ok = ch.Write("250 2.0.0 OK\r\n");
    } else if (verb == "NOOP") {
      ok = ch.Write("250 2.0.0 OK\r\n");
    } else if (verb == "QUIT") {
      ch.Write("221 2.0.0 Bye\r\n");
      break;
    } else {
      ok = ch.Write("500 5.5.2 Command not recognized\r\n");
    }
    if (!ok) {
      break;
    }
  }
  ch.Close();
  ::shutdown(fd, SHUT_RDWR);
}

SmtpSink::SmtpSink(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

SmtpSink::~SmtpSink() {
  Stop();
}

Result<std::unique_ptr<SmtpSink>> SmtpSink::Start(SmtpSinkOptions options) {
  auto impl = std::make_unique<Impl>();
  impl->options = std::move(options);
  impl->cert_file = impl->options.cert_out.empty() ? impl->cert_dir.File("sink-cert.pem")
                                                   : impl->options.cert_out;
  ACC_ASSIGN_OR_RETURN(KeyAndCert kc, MakeSelfSigned());
  ACC_RETURN_IF_ERROR(WritePem(impl->cert_file, kc.cert.get(), nullptr));
  impl->ssl_ctx.reset(SSL_CTX_new(TLS_server_method()));
  if (!impl->ssl_ctx || SSL_CTX_set_min_proto_version(impl->ssl_ctx.get(), TLS1_2_VERSION) != 1 ||
      SSL_CTX_use_certificate(impl->ssl_ctx.get(), kc.cert.get()) != 1 ||
      SSL_CTX_use_PrivateKey(impl->ssl_ctx.get(), kc.key.get()) != 1) {
    return OpenSslError("SSL_CTX");
  }
  if (!impl->options.spool_dir.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(impl->options.spool_dir, ec);
    if (ec) {
      return Err(ErrorCode::kInternal, "cannot create the spool directory", {},
                 impl->options.spool_dir.string() + ": " + ec.message());
    }
    impl->next_seq = NextSeqIn(impl->options.spool_dir);
  }

  impl->listen_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (impl->listen_fd < 0) {
    return Err(ErrorCode::kInternal, "socket() failed");
  }
  const int one = 1;
  ::setsockopt(impl->listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(impl->options.port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (::bind(impl->listen_fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::listen(impl->listen_fd, 64) != 0 ||
      ::getsockname(impl->listen_fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    const int err = errno;
    ::close(impl->listen_fd);
    impl->listen_fd = -1;
    return Err(ErrorCode::kUnavailable, "cannot listen on 127.0.0.1", {},
               std::system_category().message(err));
  }
  impl->port = ntohs(addr.sin_port);
  Impl* raw = impl.get();
  impl->accept_thread = std::thread([raw] { raw->AcceptLoop(); });
  return std::unique_ptr<SmtpSink>(new SmtpSink(std::move(impl)));
}

void SmtpSink::Stop() {
  if (!impl_ || impl_->listen_fd < 0) {
    return;
  }
  impl_->stopping.store(true);
  {
    std::lock_guard lock(impl_->mu);
    impl_->stopped = true;
    impl_->cv.notify_all();
  }
  ::shutdown(impl_->listen_fd, SHUT_RDWR);
  if (impl_->accept_thread.joinable()) {
    impl_->accept_thread.join();
  }
  ::close(impl_->listen_fd);
  impl_->listen_fd = -1;
  std::list<Impl::Connection> connections;
  {
    std::lock_guard lock(impl_->mu);
    connections.splice(connections.end(), impl_->connections);
  }
  for (auto& c : connections) {
    ::shutdown(c.fd, SHUT_RDWR);
  }
  for (auto& c : connections) {
    c.thread.join();
    ::close(c.fd);
  }
}

int SmtpSink::Port() const {
  return impl_->port;
}

std::string SmtpSink::Url() const {
  return "smtp://127.0.0.1:" + std::to_string(impl_->port);
}

const std::string& SmtpSink::CertFile() const {
  return impl_->cert_file;
}

std::vector<SmtpMessage> SmtpSink::Messages() const {
  std::lock_guard lock(impl_->mu);
  return impl_->messages;
}

bool SmtpSink::WaitForMessages(std::size_t n, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(impl_->mu);
  return impl_->cv.wait_for(lock, timeout, [&] { return impl_->messages.size() >= n; });
}

bool SmtpSink::WaitUntilHolding(std::chrono::milliseconds timeout) const {
  std::unique_lock lock(impl_->mu);
  return impl_->cv.wait_for(lock, timeout, [&] { return impl_->holding; });
}

void SmtpSink::Release() {
  std::lock_guard lock(impl_->mu);
  if (impl_->holding) {
    impl_->released = true;
    impl_->cv.notify_all();
  }
}

Status WriteSelfSignedCert(const std::string& cert_path, const std::string& key_path) {
  ACC_ASSIGN_OR_RETURN(KeyAndCert kc, MakeSelfSigned());
  ACC_RETURN_IF_ERROR(WritePem(cert_path, kc.cert.get(), nullptr));
  return WritePem(key_path, nullptr, kc.key.get());
}

}  // namespace accredit::testing
