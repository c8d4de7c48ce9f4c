#pragma once

// A real SMTP server for tests (RFC 5321 subset): listens on 127.0.0.1 (port 0 by default) and
// serves each connection in a background thread. EHLO/HELO, STARTTLS (OpenSSL, a self-signed
// P-256 certificate for 127.0.0.1 generated at start and written as PEM for the client's
// ca_file), AUTH PLAIN, MAIL FROM, RCPT TO, DATA (dot-unstuffing), RSET, NOOP, QUIT. Received
// messages are kept in memory and, with a spool directory, written one file per message.
// The executable accredit_smtp_sink (smtp_sink_main.cc) wraps it for multi-process tests.

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/core.h"

namespace accredit::testing {

struct SmtpSinkOptions {
  int port = 0;  // 0: the OS picks one (see Port())
  // Advertise STARTTLS and require it: MAIL before STARTTLS is refused with 530.
  bool starttls = false;
  // Where the server certificate (PEM) is written; empty: a file in a private temp directory
  // removed with the sink. A certificate is generated whether or not STARTTLS is offered.
  std::string cert_out{};
  // Both set: AUTH PLAIN is advertised (after STARTTLS when starttls is set) and required.
  std::string username{};
  std::string password{};
  // Set: every stored message is also written to <spool_dir>/<seq>.eml (seq zero-padded to 6
  // digits, continuing after the highest existing file), via a temp file, fsync and rename. The
  // file is the message data preceded by "Return-Path: <mail from>" and one
  // "X-Sink-Rcpt-To: <rcpt>" line per recipient.
  std::filesystem::path spool_dir{};
  // Set to N: once N messages have been stored, the next DATA is read in full but its final "."
  // is not answered; that connection is held until Release() (or Stop()), then answered
  // "451 4.3.0" and closed. The held message is never stored. Only one message is held.
  std::optional<std::size_t> hold_after{};
  // RCPT TO for these addresses is refused with "550 5.1.1 <addr>: no such user".
  std::set<std::string> reject_rcpt{};
  // Called from connection threads on "stored <seq>", "holding", "released"; must be
  // thread-safe.
  std::function<void(const std::string& event)> on_event{};
};

struct SmtpMessage {
  std::size_t seq = 0;               // 1, 2, ... in the order of acceptance
  std::string helo;                  // the EHLO/HELO argument
  std::string mail_from;             // envelope sender, without angle brackets
  std::vector<std::string> rcpt_to;  // envelope recipients, without angle brackets
  std::string data;  // the message as sent, dot-unstuffed, CRLF line ends, without the final "."
  bool tls = false;  // received after a successful STARTTLS
  std::string auth_user;  // the user that authenticated, if any
};

class SmtpSink {
 public:
  // Generates the certificate, binds, listens and starts the accept thread.
  static Result<std::unique_ptr<SmtpSink>> Start(SmtpSinkOptions options);

  ~SmtpSink();  // Stop()
  SmtpSink(const SmtpSink&) = delete;
  SmtpSink& operator=(const SmtpSink&) = delete;

  int Port() const;
  std::string Url() const;  // "smtp://127.0.0.1:<port>"
  const std::string& CertFile() const;

  // A copy of everything stored so far, in order. Thread-safe.
  std::vector<SmtpMessage> Messages() const;
  // True once at least `n` messages are stored; false on timeout.
  bool WaitForMessages(std::size_t n, std::chrono::milliseconds timeout) const;
  // True once a message is being held (options.hold_after); false on timeout.
  bool WaitUntilHolding(std::chrono::milliseconds timeout) const;
  // Ends a hold in progress (no effect otherwise).
  void Release();
  // Closes the listener and every connection and joins the threads. Idempotent.
  void Stop();

 private:
  struct Impl;
  explicit SmtpSink(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Writes a fresh self-signed P-256 certificate (CN and subjectAltName 127.0.0.1 and localhost,
// valid for two days) and its private key as PEM files, e.g. for an httplib::SSLServer.
Status WriteSelfSignedCert(const std::string& cert_path, const std::string& key_path);

}  // namespace accredit::testing
