#pragma once

// http: `accredit serve`. A JSON REST API under /api/v1 (one error shape
// {"error": {"code", "message", "field"}}, pagination, OpenAPI at /api/v1/openapi.json) and a
// server-rendered HTML UI (Mustache templates compiled into the binary, usable without
// JavaScript), on cpp-httplib with optional TLS, security headers, CSRF protection, request
// size limits, a JSON-lines access log without secrets and graceful shutdown.
//
// Concurrency model: handlers run concurrently on cpp-httplib's thread pool; each request takes
// its own pooled store connection; services are thread-safe.

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>

#include "audit/audit.h"
#include "auth/auth.h"
#include "core/core.h"
#include "registers/registers.h"
#include "store/store.h"

namespace accredit::catalog {
class Catalog;
}  // namespace accredit::catalog

namespace accredit::clocks {
class Engine;
}  // namespace accredit::clocks

namespace accredit::reports {
class Reports;
}  // namespace accredit::reports

namespace accredit::http {

// Collaborators; all must outlive the server.
struct Services {
  store::Store& store;
  const audit::AuditLog& audit;
  auth::Accounts& accounts;
  registers::Registers& registers;
  const audit::CheckpointKey& checkpoint_key;
  const Clock& clock;
  registers::RegisterService& register_service;  // the issue 3 registers, links and evidence
  reports::Reports& reports;                     // RMD, versions, matrix, SoA, readiness
  const catalog::Catalog& catalog;               // clause and control catalogues
  clocks::Engine& clocks;                        // obligations and the processing gate (issue 4)
};

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;                          // 0: pick a free port (see Server::Port)
  std::optional<std::string> tls_cert_pem;  // file paths; both or neither
  std::optional<std::string> tls_key_pem;
  // JSON and form bodies (enforced per route; 413 naming "body").
  std::size_t max_body_bytes = 1 << 20;
  // Upload routes (evidence files, CSV imports): the transport limit (413 naming "file" on
  // /api/v1/evidence and /evidence, "body" elsewhere). The evidence service applies its own
  // per-file limit too.
  std::size_t max_upload_bytes = 32u << 20;
  int threads = 64;  // cpp-httplib holds a worker per keep-alive connection
  // Concurrent connections one client address may hold (more get 503); 0: threads / 4, so one
  // address can never hold every worker.
  int max_connections_per_address = 0;
  // A request's head must arrive within this of its first byte; afterwards every transfer must
  // keep min_bytes_per_second (so a trickling client is cut off, an honest slow one is not).
  std::chrono::seconds request_deadline{10};
  std::size_t min_bytes_per_second = 16 * 1024;
  std::chrono::seconds idle_timeout{5};  // an idle keep-alive connection is closed after this
  std::string access_log_path;           // empty: stdout; "-": stdout; "none": off
};

// Thread-safe: Stop() may be called from any thread (e.g. a signal-handling thread).
class Server {
 public:
  static Result<std::unique_ptr<Server>> Create(Services services, ServerOptions options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds, then serves until Stop(). Errors: kUnavailable when the address cannot be bound.
  Status Run();
  // Blocks until Run() has bound its socket (or failed); returns the bound port.
  int WaitUntilReady();
  // Stops accepting, finishes in-flight requests, returns from Run().
  void Stop();
  bool Tls() const;

 private:
  struct Impl;
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace accredit::http
