#include "http/http.h"

#include <sys/socket.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>

#include "http/internal.h"
#include "http/listener.h"

namespace accredit::http {
namespace {

using internal::Context;

// Per-request state for the access log. cpp-httplib handles one request entirely on one pool
// thread (pre-routing handler, handler, logger), so thread-local storage is per request.
struct RequestState {
  std::chrono::steady_clock::time_point start;
  std::string user = "-";
};

thread_local RequestState
    tls_request;  // NOLINT(cppcoreguidelines-avoid-non-const-global-variables)

constexpr const char* kCsp =
    "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'; "
    "object-src 'none'";

bool IsApiPath(const std::string& path) {
  return path.rfind("/api/", 0) == 0;
}

// Writes one JSON object per line, serialised by a mutex. Thread-safe.
class AccessLog {
 public:
  explicit AccessLog(const std::string& path) {
    if (path == "none") {
      enabled_ = false;
    } else if (!path.empty() && path != "-") {
      file_.open(path, std::ios::app);
    }
  }

  bool Open(const std::string& path) const {
    return path.empty() || path == "-" || path == "none" || file_.is_open();
  }

  void Write(const std::string& line) {
    if (!enabled_) {
      return;
    }
    MutexLock lock(mu_);
    std::ostream& out = file_.is_open() ? static_cast<std::ostream&>(file_) : std::cout;
    out << line << '\n';
    out.flush();
  }

 private:
  bool enabled_ = true;
  Mutex mu_;
  std::ofstream file_;  // written under mu_ (Open() only reads is_open(), fixed after start)
};

}  // namespace

void internal::SetLogUser(std::string_view username) {
  tls_request.user = username;
}

struct Server::Impl {
  Impl(Services services, ServerOptions opts, std::unique_ptr<internal::Templates> templates,
       std::filesystem::path scratch_base)
      : ctx(services, opts, std::move(templates), std::move(scratch_base)),
        log(opts.access_log_path) {}

  Context ctx;
  AccessLog log;
  std::unique_ptr<httplib::Server> svr;

  Mutex mu;
  CondVar cv;
  bool ready ACC_GUARDED_BY(mu) = false;
  bool stopped ACC_GUARDED_BY(mu) = false;
  int port ACC_GUARDED_BY(mu) = -1;
  // The listening socket, captured when cpp-httplib creates it (see Install).
  std::atomic<int> listen_fd{-1};

  void Install();
};

void Server::Impl::Install() {
  const ServerOptions& opts = ctx.Options();
  const bool tls = ctx.Tls();
  const int threads = opts.threads > 0 ? opts.threads : 8;
  svr->new_task_queue = [threads] {
    return new httplib::ThreadPool(threads);
  };
  // cpp-httplib 0.11 has one payload limit for all routes: admit uploads, and let JSON and form
  // handlers enforce max_body_bytes themselves (internal::Api, internal::Ui).
  svr->set_payload_max_length(std::max(opts.max_body_bytes, opts.max_upload_bytes));
  // TCP_NODELAY, keep-alive, per-address admission and request deadlines are the guarded
  // connection loop's (listener.h).
  // Debian's compiled cpp-httplib listens with a backlog of 5: under 64 concurrent clients,
  // reconnecting SYNs overflow it and wait for the 1 s SYN retransmit, which shows up as a
  // p99 of hundreds of milliseconds. Capture the listening socket as it is created so Run() can
  // raise the backlog (a second listen() on Linux updates it).
  svr->set_socket_options([this](socket_t sock) {
    httplib::default_socket_options(sock);
    listen_fd.store(sock);
  });

  svr->set_pre_routing_handler([](const httplib::Request&, httplib::Response&) {
    tls_request.start = std::chrono::steady_clock::now();
    tls_request.user = "-";
    return httplib::Server::HandlerResponse::Unhandled;
  });

  // Fills in a body for errors that no handler wrote (404 routing misses, 413, 400 framing).
  svr->set_error_handler(httplib::Server::HandlerWithResponse([this](const httplib::Request& req,
                                                                     httplib::Response& res) {
    if (!res.body.empty()) {
      return httplib::Server::HandlerResponse::Unhandled;
    }
    Error e;
    switch (res.status) {
      case 413:
        e = internal::TooLarge(req.path == "/api/v1/evidence" || req.path == "/evidence" ? "file"
                                                                                         : "body");
        break;
      case 404:
        e = Err(ErrorCode::kNotFound, "no such page or endpoint");
        break;
      case 405:
        e = Err(ErrorCode::kInvalidArgument, "method not allowed");
        break;
      default:
        e = Err(ErrorCode::kInvalidArgument, "bad request");
        break;
    }
    const int status = res.status;
    if (IsApiPath(req.path)) {
      internal::WriteError(res, e, status);
    } else {
      internal::Data d;
      d.set("title", "Error");
      d.set("status", std::to_string(status));
      d.set("message", e.message);
      d.set("content", ctx.Tmpl().Render("error.html", d));
      res.set_content(ctx.Tmpl().Render("layout.html", d), "text/html; charset=utf-8");
    }
    res.status = status;
    return httplib::Server::HandlerResponse::Handled;
  }));

  svr->set_exception_handler(
      [](const httplib::Request& req, httplib::Response& res, std::exception_ptr ep) {
        std::string what = "unknown exception";
        try {
          if (ep) {
            std::rethrow_exception(ep);
          }
        } catch (const std::exception& ex) {
          what = ex.what();
        } catch (...) {  // NOLINT(bugprone-empty-catch): `what` already says unknown
        }
        // Internal detail to stderr only: method and path (no query, cookies or bodies).
        std::fprintf(stderr, "accredit: unhandled exception in %s %s: %s\n", req.method.c_str(),
                     req.path.c_str(), what.c_str());
        const Error e = Err(ErrorCode::kInternal, "internal error");
        if (IsApiPath(req.path)) {
          internal::WriteError(res, e);
        } else {
          res.status = 500;
          res.set_content(
              "<!doctype html><title>Error</title><h1>Internal error</h1><p>Something went "
              "wrong. The error has been logged.</p>",
              "text/html; charset=utf-8");
        }
      });

  svr->set_post_routing_handler([tls](const httplib::Request& req, httplib::Response& res) {
    if (!res.has_header("Content-Security-Policy")) {  // evidence downloads set a stricter one
      res.set_header("Content-Security-Policy", kCsp);
    }
    res.set_header("X-Content-Type-Options", "nosniff");
    res.set_header("Referrer-Policy", "no-referrer");
    res.set_header("X-Frame-Options", "DENY");
    if (req.path.rfind("/static/", 0) == 0 && res.status == 200) {
      res.set_header("Cache-Control", "public, max-age=86400");
    } else {
      res.set_header("Cache-Control", "no-store");
    }
    if (tls) {
      res.set_header("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
    }
  });

  svr->set_logger([this](const httplib::Request& req, const httplib::Response& res) {
    const auto elapsed = std::chrono::steady_clock::now() - tls_request.start;
    const double ms =
        std::chrono::duration_cast<std::chrono::microseconds>(elapsed).count() / 1000.0;
    nlohmann::json line = {{"ts", FormatInstantUtc(ctx.Svc().clock.Now())},
                           {"method", req.method},
                           {"path", internal::RedactSecretPath(req.path)},
                           {"status", res.status},
                           {"bytes", res.body.size()},
                           {"duration_ms", ms},
                           {"remote_addr", req.remote_addr},
                           {"user", tls_request.user}};
    log.Write(DumpJson(line));
  });

  svr->Get("/healthz", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("{\"status\":\"ok\"}", "application/json");
  });
  svr->Get("/static/app.css", [](const httplib::Request&, httplib::Response& res) {
    auto css = assets::Find("static/app.css");
    res.set_content(std::string(css.value_or("")), "text/css; charset=utf-8");
  });
  internal::RegisterApi(*svr, ctx);
  internal::RegisterRegisterApi(*svr, ctx);
  internal::RegisterDocumentsApi(*svr, ctx);
  internal::RegisterClocksApi(*svr, ctx);
  internal::RegisterClocksUi(*svr, ctx);
  internal::RegisterCalendarFeed(*svr, ctx);
  internal::RegisterUi(*svr, ctx);
  internal::RegisterRegisterUi(*svr, ctx);
  internal::RegisterDocumentsUi(*svr, ctx);
}

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Server::~Server() {
  Stop();
}

Result<std::unique_ptr<Server>> Server::Create(Services services, ServerOptions options) {
  if (options.tls_cert_pem.has_value() != options.tls_key_pem.has_value()) {
    return Err(ErrorCode::kInvalidArgument, "TLS needs both a certificate and a key",
               options.tls_cert_pem ? "tls_key" : "tls_cert");
  }
  ACC_ASSIGN_OR_RETURN(auto templates, internal::Templates::Load());
  // The scratch base is resolved here, at start-up: temp_directory_path() reads TMPDIR, and no
  // handler may read the environment (MT-unsafe getenv).
  std::error_code ec;
  std::filesystem::path scratch_base = std::filesystem::temp_directory_path(ec);
  if (ec) {
    scratch_base = "/tmp";
  }
  auto impl = std::make_unique<Impl>(services, options, std::move(templates), scratch_base);
  if (!impl->log.Open(options.access_log_path)) {
    return Err(ErrorCode::kUnavailable, "cannot open the access log", "access_log",
               options.access_log_path);
  }
  internal::ConnectionLimits limits;
  const int threads = options.threads > 0 ? options.threads : 8;
  limits.max_per_address = options.max_connections_per_address > 0
                               ? options.max_connections_per_address
                               : std::max(1, threads / 4);
  limits.request_deadline = options.request_deadline;
  limits.min_bytes_per_second = options.min_bytes_per_second;
  limits.idle_timeout = options.idle_timeout;
  // A peer that vanishes mid-response must not kill the process (TLS writes can raise SIGPIPE).
  std::signal(SIGPIPE, SIG_IGN);  // NOLINT(cert-err33-c): the previous handler is not needed
  impl->svr = internal::NewGuardedServer(limits, options.tls_cert_pem.value_or(""),
                                         options.tls_key_pem.value_or(""));
  if (!impl->svr) {
    return Err(ErrorCode::kInvalidArgument, "cannot load the TLS certificate or key", "tls_cert");
  }
  impl->Install();
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

Status Server::Run() {
  const ServerOptions& opts = impl_->ctx.Options();
  int port = -1;
  if (opts.port == 0) {
    port = impl_->svr->bind_to_any_port(opts.host);
  } else {
    port = impl_->svr->bind_to_port(opts.host, opts.port) ? opts.port : -1;
  }
  if (const int fd = impl_->listen_fd.load(); port >= 0 && fd >= 0) {
    ::listen(fd, SOMAXCONN);  // best effort: on failure the library's backlog stays
  }
  {
    MutexLock lock(impl_->mu);
    impl_->ready = true;
    impl_->port = port;
  }
  impl_->cv.SignalAll();
  if (port < 0) {
    return Err(ErrorCode::kUnavailable, "cannot listen on the requested address", "port",
               opts.host + ":" + std::to_string(opts.port));
  }
  {
    MutexLock lock(impl_->mu);
    if (impl_->stopped) {
      return Status::Ok();
    }
  }
  impl_->svr->listen_after_bind();
  return Status::Ok();
}

int Server::WaitUntilReady() {
  MutexLock lock(impl_->mu);
  while (!impl_->ready) {
    impl_->cv.Wait(impl_->mu);
  }
  return impl_->port;
}

void Server::Stop() {
  {
    MutexLock lock(impl_->mu);
    impl_->stopped = true;
  }
  if (impl_->svr) {
    impl_->svr->stop();
  }
}

bool Server::Tls() const {
  return impl_->ctx.Tls();
}

}  // namespace accredit::http
