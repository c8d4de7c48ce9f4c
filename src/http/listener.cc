#include "http/listener.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <exception>
#include <string_view>
#include <type_traits>
#include <utility>

#include <openssl/err.h>
#include <openssl/ssl.h>

namespace accredit::http::internal {

bool Admission::TryAdmit(const std::string& address) {
  MutexLock lock(mu_);
  int& n = open_[address];
  if (n >= max_) {
    if (n == 0) {
      open_.erase(address);
    }
    return false;
  }
  ++n;
  return true;
}

void Admission::Release(const std::string& address) {
  MutexLock lock(mu_);
  auto it = open_.find(address);
  if (it != open_.end() && --it->second <= 0) {
    open_.erase(it);
  }
}

int Admission::Open(const std::string& address) {
  MutexLock lock(mu_);
  auto it = open_.find(address);
  return it == open_.end() ? 0 : it->second;
}

namespace {

using SteadyClock = std::chrono::steady_clock;

std::string AddressOf(const sockaddr_storage& ss, int& port) {
  std::array<char, INET6_ADDRSTRLEN> buf{};
  if (ss.ss_family == AF_INET) {
    const auto* in = reinterpret_cast<const sockaddr_in*>(&ss);
    port = ntohs(in->sin_port);
    return inet_ntop(AF_INET, &in->sin_addr, buf.data(), buf.size()) != nullptr ? buf.data() : "";
  }
  if (ss.ss_family == AF_INET6) {
    const auto* in6 = reinterpret_cast<const sockaddr_in6*>(&ss);
    port = ntohs(in6->sin6_port);
    return inet_ntop(AF_INET6, &in6->sin6_addr, buf.data(), buf.size()) != nullptr ? buf.data()
                                                                                   : "";
  }
  port = -1;
  return "";
}

std::string PeerAddress(int fd, int& port) {
  sockaddr_storage ss{};
  socklen_t len = sizeof(ss);
  if (::getpeername(fd, reinterpret_cast<sockaddr*>(&ss), &len) != 0) {
    port = -1;
    return "";
  }
  return AddressOf(ss, port);
}

std::string LocalAddress(int fd, int& port) {
  sockaddr_storage ss{};
  socklen_t len = sizeof(ss);
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len) != 0) {
    port = -1;
    return "";
  }
  return AddressOf(ss, port);
}

// One direction's budget: it starts when the direction does and grows with the bytes moved, so
// a transfer at min_bytes_per_second or faster never runs out and a trickle does.
struct Budget {
  SteadyClock::time_point start = SteadyClock::now();
  std::size_t bytes = 0;

  SteadyClock::time_point Deadline(const ConnectionLimits& l) const {
    const std::size_t rate = l.min_bytes_per_second == 0 ? 1 : l.min_bytes_per_second;
    return start + l.request_deadline +
           std::chrono::milliseconds(static_cast<std::int64_t>(bytes * 1000 / rate));
  }
};

// A cpp-httplib Stream over a non-blocking socket (optionally TLS) whose every wait ends at the
// current request's deadline. Reads are buffered: the library reads request heads a byte at a
// time. Thread-compatible (one connection, one worker).
class GuardedStream final : public httplib::Stream {
 public:
  GuardedStream(int fd, SSL* ssl, const ConnectionLimits& limits)
      : fd_(fd), ssl_(ssl), limits_(limits) {}

  // A new request begins: fresh budgets for reading it and for writing its response.
  void StartRequest() {
    read_ = Budget{};
    writing_ = false;
  }

  bool HasBuffered() const { return off_ < len_ || (ssl_ != nullptr && SSL_pending(ssl_) > 0); }

  bool is_readable() const override { return HasBuffered() || Wait(POLLIN, read_); }

  bool is_writable() const override { return Wait(POLLOUT, write_); }

  using httplib::Stream::write;

  ssize_t read(char* ptr, size_t size) override {
    if (off_ == len_) {
      const ssize_t n = Transfer(buf_.data(), nullptr, buf_.size());
      if (n <= 0) {
        return n;
      }
      off_ = 0;
      len_ = static_cast<std::size_t>(n);
    }
    const std::size_t n = std::min(size, len_ - off_);
    std::memcpy(ptr, buf_.data() + off_, n);
    off_ += n;
    return static_cast<ssize_t>(n);
  }

  ssize_t write(const char* ptr, size_t size) override {
    if (!writing_) {  // the response begins: the handler's own time is not the client's
      writing_ = true;
      write_ = Budget{};
    }
    return Transfer(nullptr, ptr, size);
  }

  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    ip = PeerAddress(fd_, port);
  }

  void get_local_ip_and_port(std::string& ip, int& port) const override {
    ip = LocalAddress(fd_, port);
  }

  socket_t socket() const override { return fd_; }

 private:
  // Waits for `events` until the budget's deadline; false on timeout or a socket error.
  bool Wait(short events, const Budget& budget) const {
    for (;;) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          budget.Deadline(limits_) - SteadyClock::now());
      if (left.count() <= 0) {
        return false;
      }
      pollfd p{fd_, events, 0};
      const int r = ::poll(&p, 1, static_cast<int>(std::min<std::int64_t>(left.count(), 60000)));
      if (r > 0) {
        return (p.revents & (events | POLLHUP)) != 0 && (p.revents & POLLNVAL) == 0;
      }
      if (r < 0 && errno != EINTR) {
        return false;
      }
    }
  }

  // One read into `in` or write from `out` (exactly one is set) of at most `n` bytes: >0 bytes
  // moved, 0 end of stream, -1 error or deadline.
  ssize_t Transfer(char* in, const char* out, std::size_t n) {
    const bool reading = in != nullptr;
    Budget& budget = reading ? read_ : write_;
    const int len = static_cast<int>(std::min<std::size_t>(n, 1 << 30));
    for (;;) {
      ssize_t r = 0;
      short want = reading ? POLLIN : POLLOUT;
      if (ssl_ != nullptr) {
        ERR_clear_error();
        const int s = reading ? SSL_read(ssl_, in, len) : SSL_write(ssl_, out, len);
        if (s > 0) {
          budget.bytes += static_cast<std::size_t>(s);
          return s;
        }
        const int e = SSL_get_error(ssl_, s);
        if (e == SSL_ERROR_ZERO_RETURN) {
          return 0;
        }
        if (e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE) {
          return -1;
        }
        want = e == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT;
      } else {
        r = reading ? ::recv(fd_, in, static_cast<std::size_t>(len), MSG_DONTWAIT)
                    : ::send(fd_, out, static_cast<std::size_t>(len), MSG_DONTWAIT | MSG_NOSIGNAL);
        if (r > 0) {
          budget.bytes += static_cast<std::size_t>(r);
          return r;
        }
        if (r == 0 && reading) {
          return 0;
        }
        if (r < 0 && errno == EINTR) {
          continue;
        }
        if (r < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
          return -1;
        }
      }
      if (!Wait(want, budget)) {
        return -1;
      }
    }
  }

  const int fd_;
  SSL* const ssl_;
  const ConnectionLimits& limits_;
  Budget read_;
  Budget write_;
  bool writing_ = false;
  std::array<char, 4096> buf_{};
  std::size_t off_ = 0;
  std::size_t len_ = 0;
};

struct SslDeleter {
  void operator()(SSL* s) const { SSL_free(s); }
};

// The TLS handshake on a non-blocking socket, within the request deadline.
bool Handshake(int fd, SSL* ssl, const ConnectionLimits& limits) {
  const auto deadline = SteadyClock::now() + limits.request_deadline;
  for (;;) {
    ERR_clear_error();
    const int r = SSL_accept(ssl);
    if (r == 1) {
      return true;
    }
    const int e = SSL_get_error(ssl, r);
    if (e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE) {
      return false;
    }
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - SteadyClock::now());
    if (left.count() <= 0) {
      return false;
    }
    pollfd p{fd, static_cast<short>(e == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT), 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) < 0 && errno != EINTR) {
      return false;
    }
  }
}

// The per-connection loop of both servers. `Base` is httplib::Server or httplib::SSLServer.
template <typename Base>
class Guarded final : public Base {
 public:
  template <typename... A>
  explicit Guarded(const ConnectionLimits& limits, A&&... args)
      : Base(std::forward<A>(args)...), limits_(limits), admission_(limits.max_per_address) {}

 private:
  static constexpr bool kTls = std::is_same_v<Base, httplib::SSLServer>;

  // Runs on a pool worker: the worker's catch boundary. Always closes the socket.
  bool process_and_close_socket(socket_t sock) override {
    try {
      Serve(sock);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "accredit: connection ended by an unexpected error: %s\n", e.what());
    } catch (...) {
      std::fprintf(stderr, "accredit: connection ended by an unexpected error\n");
    }
    ::shutdown(sock, SHUT_RDWR);
    ::close(sock);
    return true;
  }

  void Serve(int sock) {
    int port = -1;
    const std::string peer = PeerAddress(sock, port);
    if (!admission_.TryAdmit(peer)) {
      if constexpr (!kTls) {
        static constexpr std::string_view kBusy =
            "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n"
            "Retry-After: 1\r\nConnection: close\r\nContent-Length: 39\r\n\r\n"
            "too many connections from your address\n";
        (void)::send(sock, kBusy.data(), kBusy.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
      }
      return;
    }

    struct Release {
      Admission& a;
      const std::string& peer;

      ~Release() { a.Release(peer); }
    } release{admission_, peer};

    // Headers and body go out in separate writes; without TCP_NODELAY, Nagle plus delayed ACKs
    // add ~40 ms to every small keep-alive response.
    const int one = 1;
    (void)::setsockopt(sock, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    const int flags = ::fcntl(sock, F_GETFL, 0);
    if (flags < 0 || ::fcntl(sock, F_SETFL, flags | O_NONBLOCK) != 0) {
      return;
    }
    std::unique_ptr<SSL, SslDeleter> ssl;
    if constexpr (kTls) {
      ssl.reset(SSL_new(this->ssl_context()));
      if (!ssl || SSL_set_fd(ssl.get(), sock) != 1 || !Handshake(sock, ssl.get(), limits_)) {
        return;
      }
    }
    GuardedStream stream(sock, ssl.get(), limits_);
    for (std::size_t left = limits_.keep_alive_max; left > 0; --left) {
      if (!stream.HasBuffered() && !AwaitRequest(sock)) {
        break;
      }
      stream.StartRequest();
      bool closed = false;
      if (!this->process_request(stream, left == 1, closed, nullptr) || closed) {
        break;
      }
    }
    if (ssl) {
      SSL_shutdown(ssl.get());  // best effort: the peer may be gone
    }
  }

  // Waits up to idle_timeout for the next request's first byte; false when the server stops.
  bool AwaitRequest(int sock) const {
    const auto until = SteadyClock::now() + limits_.idle_timeout;
    while (SteadyClock::now() < until) {
      if (this->svr_sock_ == INVALID_SOCKET) {
        return false;
      }
      pollfd p{sock, POLLIN, 0};
      const int r = ::poll(&p, 1, 100);
      if (r > 0) {
        return (p.revents & POLLIN) != 0;
      }
      if (r < 0 && errno != EINTR) {
        return false;
      }
    }
    return false;
  }

  const ConnectionLimits limits_;
  Admission admission_;
};

}  // namespace

std::unique_ptr<httplib::Server> NewGuardedServer(const ConnectionLimits& limits,
                                                  const std::string& tls_cert,
                                                  const std::string& tls_key) {
  if (tls_cert.empty()) {
    return std::make_unique<Guarded<httplib::Server>>(limits);
  }
  auto ssl =
      std::make_unique<Guarded<httplib::SSLServer>>(limits, tls_cert.c_str(), tls_key.c_str());
  if (!ssl->is_valid()) {
    return nullptr;
  }
  return ssl;
}

}  // namespace accredit::http::internal
