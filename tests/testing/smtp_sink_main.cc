// accredit_smtp_sink: the test SMTP sink (testing/smtp_sink.h) as a process of its own, for tests
// that kill and restart the accredit server while the sink keeps running.
//
//   accredit_smtp_sink --dir DIR [--port N] [--starttls] [--cert-out FILE] [--hold-after N]
//                      [--auth USER:PASSWORD] [--reject-rcpt ADDRESS]...
//
// Listens on 127.0.0.1 (port 0 = any). Standard output, one line each, flushed:
//   <port>            first line, once listening
//   stored <seq>      a message was written to DIR/<seq>.eml (6 digits, temp file + rename)
//   holding           --hold-after N: the message after the Nth has been read in full and its
//                     final "." is not answered; the connection is held open, the message is
//                     never stored
//   released          SIGUSR1 ended the hold: the client gets "451 4.3.0" and is disconnected
// SIGUSR1 releases a hold; SIGTERM or SIGINT stop the sink (exit 0). Exit 2 on bad usage, 1 when
// the sink cannot start.

#include <signal.h>  // NOLINT(modernize-deprecated-headers): POSIX sigwait

#include <charconv>
#include <cstdio>
#include <iostream>
#include <mutex>
#include <string>
#include <string_view>

#include "testing/smtp_sink.h"

namespace {

int Usage(const std::string& problem) {
  std::cerr << "accredit_smtp_sink: " << problem << "\n"
            << "usage: accredit_smtp_sink --dir DIR [--port N] [--starttls] [--cert-out FILE]"
               " [--hold-after N] [--auth USER:PASSWORD] [--reject-rcpt ADDRESS]...\n";
  return 2;
}

bool ParseSize(std::string_view text, std::size_t& out) {
  const auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && p == text.data() + text.size();
}

}  // namespace

int main(int argc, char** argv) {
  accredit::testing::SmtpSinkOptions options;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    const bool has_value = i + 1 < argc;
    if (arg == "--starttls") {
      options.starttls = true;
    } else if (arg == "--dir" && has_value) {
      options.spool_dir = argv[++i];
    } else if (arg == "--cert-out" && has_value) {
      options.cert_out = argv[++i];
    } else if (arg == "--port" && has_value) {
      std::size_t port = 0;
      if (!ParseSize(argv[++i], port) || port > 65535) {
        return Usage("--port needs a number 0-65535");
      }
      options.port = static_cast<int>(port);
    } else if (arg == "--hold-after" && has_value) {
      std::size_t n = 0;
      if (!ParseSize(argv[++i], n)) {
        return Usage("--hold-after needs a number");
      }
      options.hold_after = n;
    } else if (arg == "--auth" && has_value) {
      const std::string v = argv[++i];
      const auto colon = v.find(':');
      if (colon == std::string::npos || colon == 0) {
        return Usage("--auth needs USER:PASSWORD");
      }
      options.username = v.substr(0, colon);
      options.password = v.substr(colon + 1);
    } else if (arg == "--reject-rcpt" && has_value) {
      options.reject_rcpt.insert(argv[++i]);
    } else {
      return Usage("unknown or incomplete option " + std::string(arg));
    }
  }
  if (options.spool_dir.empty()) {
    return Usage("--dir is required");
  }

  // Blocked before any thread starts, so every thread inherits the mask and only sigwait below
  // takes these signals. SIGPIPE stays blocked: a write to a closed connection fails instead.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGUSR1);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  sigset_t blocked = signals;
  sigaddset(&blocked, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &blocked, nullptr);

  std::mutex out_mu;
  options.on_event = [&out_mu](const std::string& event) {
    std::lock_guard lock(out_mu);
    std::cout << event << std::endl;  // flushed: the test reads it through a pipe
  };
  auto sink = accredit::testing::SmtpSink::Start(std::move(options));
  if (!sink.ok()) {
    std::cerr << "accredit_smtp_sink: " << sink.error().message << " (" << sink.error().internal
              << ")\n";
    return 1;
  }
  {
    std::lock_guard lock(out_mu);
    std::cout << (*sink)->Port() << std::endl;
  }
  for (;;) {
    int sig = 0;
    if (sigwait(&signals, &sig) != 0) {
      continue;
    }
    if (sig == SIGUSR1) {
      (*sink)->Release();
    } else {
      break;
    }
  }
  (*sink)->Stop();
  return 0;
}
