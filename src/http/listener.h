#pragma once

// The connection layer under cpp-httplib (issue 8, point 2): a slow or idle client cannot starve
// the others. Debian's cpp-httplib 0.11 reads each request on a pool worker with only a
// per-read timeout, so a client that sends one byte every few seconds holds a worker for ever,
// and it has no notion of a client address. These servers replace its per-connection loop
// (Server::process_and_close_socket, a virtual the library lets us override) with one that
//   * admits at most `max_per_address` concurrent connections per client address (the rest get
//     503 and are closed at once), so one address can hold only part of the pool;
//   * gives every request a deadline: its head must arrive within `request_deadline` of its
//     first byte, and the whole exchange must then keep a minimum pace (`min_bytes_per_second`),
//     so an upload or a download at any honest speed completes and a trickle is cut off;
//   * closes an idle keep-alive connection after `idle_timeout`.
// Requests are still parsed and routed by cpp-httplib (Server::process_request), so handlers do
// not change. TLS (SSLServer) goes through the same loop over OpenSSL.

#include <chrono>
#include <cstddef>
#include <map>
#include <memory>
#include <string>

#include <httplib.h>

#include "core/core.h"

namespace accredit::http::internal {

struct ConnectionLimits {
  int max_per_address = 16;
  std::chrono::seconds request_deadline{10};
  std::size_t min_bytes_per_second = 16 * 1024;
  std::chrono::seconds idle_timeout{5};
  std::size_t keep_alive_max = 1000;
};

// Counts open connections per client address. Thread-safe.
class Admission {
 public:
  explicit Admission(int max_per_address) : max_(max_per_address) {}

  // True (and counted) when `address` is under its limit; Release(address) ends it.
  bool TryAdmit(const std::string& address);
  void Release(const std::string& address);
  int Open(const std::string& address);

 private:
  const int max_;
  Mutex mu_;
  std::map<std::string, int> open_ ACC_GUARDED_BY(mu_);
};

// A plain or TLS server with the connection loop above. `tls_cert`/`tls_key` empty: plain.
// Returns nullptr when the TLS certificate or key cannot be loaded.
std::unique_ptr<httplib::Server> NewGuardedServer(const ConnectionLimits& limits,
                                                  const std::string& tls_cert,
                                                  const std::string& tls_key);

}  // namespace accredit::http::internal
