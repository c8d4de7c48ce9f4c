// SendMail against the real SMTP sink (tests/testing/smtp_sink.h) on loopback: plain, STARTTLS,
// AUTH, refusals, timeouts, and the standalone accredit_smtp_sink process with --hold-after.

#include <netinet/in.h>
#include <poll.h>
#include <signal.h>  // NOLINT(modernize-deprecated-headers): POSIX kill
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "notify/notify.h"
#include "testing/smtp_sink.h"
#include "testing/testing.h"

extern char** environ;  // NOLINT: POSIX, for posix_spawn

namespace accredit::notify {
namespace {

using std::chrono::milliseconds;
using testing::SmtpSink;
using testing::SmtpSinkOptions;

constexpr milliseconds kWait{5000};

Instant At(const char* iso) {
  return ParseInstant(iso).value();
}

std::unique_ptr<SmtpSink> StartSink(SmtpSinkOptions options = {}) {
  auto sink = SmtpSink::Start(std::move(options));
  EXPECT_TRUE(sink.ok()) << sink.error().message << " " << sink.error().internal;
  return sink.ok() ? std::move(*sink) : nullptr;
}

SmtpConfig ConfigFor(const SmtpSink& sink, SmtpConfig::Tls tls) {
  SmtpConfig cfg;
  cfg.url = sink.Url();
  cfg.tls = tls;
  cfg.ca_file = sink.CertFile();
  cfg.from = "accredit <accredit@supplier.example>";
  cfg.timeout = milliseconds(10000);
  return cfg;
}

Mail Reminder(const std::string& key = "obligation 42 / 5wd-before") {
  Mail m;
  m.to = {"Security Manager <sm@customer.example>", "ops@supplier.example"};
  m.subject = "Notify the Customer \u2013 5 Nov";
  // Lines that SMTP must dot-stuff: a lone "." would otherwise end the message early.
  m.text_body =
      "Notify the Customer of the significant architecture change (S2.4-5.13.1).\n"
      ".\n"
      ".hidden line starting with a dot\n"
      "..two dots\n"
      "last line\n";
  std::string left = key;
  std::replace_if(
      left.begin(), left.end(), [](char c) { return c == ' ' || c == '/'; }, '.');
  m.message_id = left + "@supplier.example";
  return m;
}

const Instant kDate = At("2026-11-05T14:03:00Z");

void ExpectDeliveredIntact(const testing::SmtpMessage& got, const SmtpConfig& cfg,
                           const Mail& mail) {
  EXPECT_EQ(got.mail_from, "accredit@supplier.example");
  EXPECT_EQ(got.rcpt_to, (std::vector<std::string>{"sm@customer.example", "ops@supplier.example"}));
  auto expected = BuildMessage(cfg, mail, kDate);
  ASSERT_TRUE(expected.ok());
  EXPECT_EQ(got.data, *expected);
  EXPECT_NE(got.data.find("\r\n.\r\n.hidden line starting with a dot\r\n..two dots\r\nlast line"),
            std::string::npos);
}

TEST(SendMail, PlainToTheSink) {
  auto sink = StartSink();
  ASSERT_TRUE(sink);
  const SmtpConfig cfg = ConfigFor(*sink, SmtpConfig::Tls::kNone);
  const Mail mail = Reminder();
  const Status s = SendMail(cfg, mail, kDate);
  ASSERT_TRUE(s.ok()) << s.error().message;
  ASSERT_TRUE(sink->WaitForMessages(1, kWait));
  const auto got = sink->Messages();
  ASSERT_EQ(got.size(), 1U);
  EXPECT_FALSE(got[0].tls);
  ExpectDeliveredIntact(got[0], cfg, mail);
}

TEST(SendMail, StartTlsRequiredAndOffered) {
  auto sink = StartSink({.starttls = true});
  ASSERT_TRUE(sink);
  const SmtpConfig cfg = ConfigFor(*sink, SmtpConfig::Tls::kStartTlsRequired);
  const Mail mail = Reminder();
  const Status s = SendMail(cfg, mail, kDate);
  ASSERT_TRUE(s.ok()) << s.error().message;
  const auto got = sink->Messages();
  ASSERT_EQ(got.size(), 1U);
  EXPECT_TRUE(got[0].tls);
  ExpectDeliveredIntact(got[0], cfg, mail);
}

TEST(SendMail, StartTlsRequiredButNotOfferedSendsNothing) {
  auto sink = StartSink();  // no STARTTLS
  ASSERT_TRUE(sink);
  const Status s =
      SendMail(ConfigFor(*sink, SmtpConfig::Tls::kStartTlsRequired), Reminder(), kDate);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.Code(), ErrorCode::kUnavailable);
  EXPECT_NE(s.error().message.find("SMTP delivery failed"), std::string::npos) << s.error().message;
  EXPECT_TRUE(sink->Messages().empty());
}

TEST(SendMail, WrongCaIsRefused) {
  auto sink = StartSink({.starttls = true});
  ASSERT_TRUE(sink);
  testing::TempDir dir;
  ASSERT_TRUE(testing::WriteSelfSignedCert(dir.File("other.pem"), dir.File("other.key")).ok());
  SmtpConfig cfg = ConfigFor(*sink, SmtpConfig::Tls::kStartTlsRequired);
  cfg.ca_file = dir.File("other.pem");
  const Status s = SendMail(cfg, Reminder(), kDate);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.Code(), ErrorCode::kUnavailable);
  EXPECT_NE(s.error().message.find("certificate"), std::string::npos) << s.error().message;
  EXPECT_TRUE(sink->Messages().empty());
}

TEST(SendMail, AuthPlainOverStartTls) {
  auto sink =
      StartSink({.starttls = true, .username = "reminders", .password = "pa55-w0rd-not-in-errors"});
  ASSERT_TRUE(sink);
  SmtpConfig cfg = ConfigFor(*sink, SmtpConfig::Tls::kStartTlsRequired);
  cfg.username = "reminders";
  cfg.password = "pa55-w0rd-not-in-errors";
  const Status ok = SendMail(cfg, Reminder(), kDate);
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  ASSERT_EQ(sink->Messages().size(), 1U);
  EXPECT_EQ(sink->Messages()[0].auth_user, "reminders");

  cfg.password = "wrong-secret-value";
  const Status bad = SendMail(cfg, Reminder("second"), kDate);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.Code(), ErrorCode::kUnavailable);
  EXPECT_NE(bad.error().message.find("535 5.7.8"), std::string::npos) << bad.error().message;
  EXPECT_EQ(bad.error().message.find("wrong-secret-value"), std::string::npos);
  EXPECT_EQ(bad.error().internal.find("wrong-secret-value"), std::string::npos);
  EXPECT_EQ(sink->Messages().size(), 1U);
}

TEST(SendMail, CredentialsAreNeverSentWithoutTls) {
  auto sink = StartSink({.username = "reminders", .password = "secret"});
  ASSERT_TRUE(sink);
  SmtpConfig cfg = ConfigFor(*sink, SmtpConfig::Tls::kNone);
  cfg.username = "reminders";
  cfg.password = "secret";
  const Status s = SendMail(cfg, Reminder(), kDate);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.Code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(s.error().field, "tls");
  EXPECT_TRUE(sink->Messages().empty());
}

TEST(SendMail, RefusedRecipientReportsTheServerReplyAndSendsNothing) {
  auto sink = StartSink({.reject_rcpt = {"ops@supplier.example"}});
  ASSERT_TRUE(sink);
  const Status s = SendMail(ConfigFor(*sink, SmtpConfig::Tls::kNone), Reminder(), kDate);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.Code(), ErrorCode::kUnavailable);
  EXPECT_NE(
      s.error().message.find("server replied: 550 5.1.1 <ops@supplier.example>: no such user"),
      std::string::npos)
      << s.error().message;
  EXPECT_TRUE(sink->Messages().empty());
}

TEST(SendMail, BadConfigurationIsInvalidArgument) {
  SmtpConfig cfg;
  cfg.url = "http://127.0.0.1:25";
  cfg.from = "accredit@supplier.example";
  Status s = SendMail(cfg, Reminder(), kDate);
  EXPECT_EQ(s.Code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(s.error().field, "url");
  cfg.url = "smtp://127.0.0.1:25";
  Mail m = Reminder();
  m.subject = "x\r\nBcc: y@evil.example";
  s = SendMail(cfg, m, kDate);
  EXPECT_EQ(s.Code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(s.error().field, "subject");
}

// A listening socket nobody accepts on: the TCP handshake completes, the greeting never comes.
TEST(SendMail, SilentServerTimesOut) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(::listen(fd, 4), 0);
  ASSERT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  SmtpConfig cfg;
  cfg.url = "smtp://127.0.0.1:" + std::to_string(ntohs(addr.sin_port));
  cfg.tls = SmtpConfig::Tls::kNone;
  cfg.from = "accredit@supplier.example";
  cfg.timeout = milliseconds(300);
  const auto start = std::chrono::steady_clock::now();
  const Status s = SendMail(cfg, Reminder(), kDate);
  const auto took = std::chrono::steady_clock::now() - start;
  ::close(fd);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.Code(), ErrorCode::kUnavailable);
  EXPECT_LT(took, std::chrono::seconds(5));
}

TEST(SmtpSink, HeldMessageIsNeverStoredAndTheNextOneIs) {
  auto sink = StartSink({.hold_after = 1});
  ASSERT_TRUE(sink);
  const SmtpConfig cfg = ConfigFor(*sink, SmtpConfig::Tls::kNone);
  ASSERT_TRUE(SendMail(cfg, Reminder("first"), kDate).ok());
  Status held;
  std::thread client([&] { held = SendMail(cfg, Reminder("second"), kDate); });
  ASSERT_TRUE(sink->WaitUntilHolding(kWait));
  EXPECT_EQ(sink->Messages().size(), 1U);
  sink->Release();
  client.join();
  ASSERT_FALSE(held.ok());
  EXPECT_NE(held.error().message.find("451 4.3.0"), std::string::npos) << held.error().message;
  ASSERT_TRUE(SendMail(cfg, Reminder("third"), kDate).ok());
  const auto got = sink->Messages();
  ASSERT_EQ(got.size(), 2U);
  EXPECT_EQ(got[1].seq, 2U);
  EXPECT_NE(got[1].data.find("Message-ID: <third@supplier.example>"), std::string::npos);
}

// Reads lines from a child's stdout pipe with a deadline.
class LineReader {
 public:
  explicit LineReader(int fd) : fd_(fd) {}

  std::optional<std::string> Next(milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      if (const auto nl = buf_.find('\n'); nl != std::string::npos) {
        std::string line = buf_.substr(0, nl);
        buf_.erase(0, nl + 1);
        return line;
      }
      const auto left =
          std::chrono::duration_cast<milliseconds>(deadline - std::chrono::steady_clock::now());
      pollfd p{fd_, POLLIN, 0};
      if (left.count() <= 0 || ::poll(&p, 1, static_cast<int>(left.count())) <= 0) {
        return std::nullopt;
      }
      std::array<char, 512> chunk{};
      const ssize_t n = ::read(fd_, chunk.data(), chunk.size());
      if (n <= 0) {
        return std::nullopt;
      }
      buf_.append(chunk.data(), static_cast<std::size_t>(n));
    }
  }

 private:
  int fd_;
  std::string buf_;
};

// Kills and reaps a child process on scope exit unless Reaped() was called.
class ChildGuard {
 public:
  explicit ChildGuard(pid_t pid) : pid_(pid) {}

  ~ChildGuard() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
  }

  ChildGuard(const ChildGuard&) = delete;
  ChildGuard& operator=(const ChildGuard&) = delete;

  void Reaped() { pid_ = 0; }

 private:
  pid_t pid_;
};

// The standalone sink as a later restart test uses it: a separate process that keeps running
// while a client is SIGKILLed in the middle of a send.
TEST(SmtpSinkProcess, StoresFilesAndHoldsUntilSigusr1WhileTheClientIsKilled) {
  testing::TempDir dir;
  const std::string spool = dir.File("spool");
  const std::string cert = dir.File("sink.pem");
  std::array<int, 2> out{};
  ASSERT_EQ(::pipe(out.data()), 0);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
  posix_spawn_file_actions_addclose(&actions, out[0]);
  std::vector<std::string> args = {ACC_SMTP_SINK_BIN, "--dir", spool,          "--starttls",
                                   "--cert-out",      cert,    "--hold-after", "1"};
  std::vector<char*> argv;
  argv.reserve(args.size() + 1);
  for (auto& a : args) {
    argv.push_back(a.data());
  }
  argv.push_back(nullptr);
  pid_t sink_pid = 0;
  ASSERT_EQ(posix_spawn(&sink_pid, argv[0], &actions, nullptr, argv.data(), environ), 0);
  posix_spawn_file_actions_destroy(&actions);
  ChildGuard sink_guard(sink_pid);
  ::close(out[1]);
  LineReader lines(out[0]);
  const auto port_line = lines.Next(kWait);
  ASSERT_TRUE(port_line.has_value());
  SmtpConfig cfg;
  cfg.url = "smtp://127.0.0.1:" + *port_line;
  cfg.ca_file = cert;
  cfg.from = "accredit <accredit@supplier.example>";
  cfg.timeout = milliseconds(30000);

  // 1: stored as 000001.eml, envelope lines first, then the message as sent.
  ASSERT_TRUE(SendMail(cfg, Reminder("first"), kDate).ok());
  EXPECT_EQ(lines.Next(kWait), "stored 1");
  const std::string first = testing::ReadFile(spool + "/000001.eml");
  auto built = BuildMessage(cfg, Reminder("first"), kDate);
  ASSERT_TRUE(built.ok());
  EXPECT_EQ(first,
            "Return-Path: <accredit@supplier.example>\r\n"
            "X-Sink-Rcpt-To: <sm@customer.example>\r\n"
            "X-Sink-Rcpt-To: <ops@supplier.example>\r\n" +
                *built);

  // 2: a client process is killed while the sink holds the final ".".
  const pid_t client = ::fork();
  ASSERT_GE(client, 0);
  if (client == 0) {
    const Status s = SendMail(cfg, Reminder("second"), kDate);
    ::_exit(s.ok() ? 0 : 1);
  }
  ChildGuard client_guard(client);
  EXPECT_EQ(lines.Next(kWait), "holding");
  ASSERT_EQ(::kill(client, SIGKILL), 0);
  int wstatus = 0;
  ASSERT_EQ(::waitpid(client, &wstatus, 0), client);
  client_guard.Reaped();
  EXPECT_TRUE(WIFSIGNALED(wstatus));
  ASSERT_EQ(::kill(sink_pid, SIGUSR1), 0);
  EXPECT_EQ(lines.Next(kWait), "released");

  // 3: the resend after a restart is stored as the second file; the held one never was.
  ASSERT_TRUE(SendMail(cfg, Reminder("third"), kDate).ok());
  EXPECT_EQ(lines.Next(kWait), "stored 2");
  std::vector<std::string> files;
  for (const auto& e : std::filesystem::directory_iterator(spool)) {
    files.push_back(e.path().filename().string());
  }
  std::sort(files.begin(), files.end());
  EXPECT_EQ(files, (std::vector<std::string>{"000001.eml", "000002.eml"}));
  EXPECT_NE(testing::ReadFile(spool + "/000002.eml").find("Message-ID: <third@supplier.example>"),
            std::string::npos);

  ASSERT_EQ(::kill(sink_pid, SIGTERM), 0);
  ASSERT_EQ(::waitpid(sink_pid, &wstatus, 0), sink_pid);
  sink_guard.Reaped();
  EXPECT_TRUE(WIFEXITED(wstatus));
  EXPECT_EQ(WEXITSTATUS(wstatus), 0);
  ::close(out[0]);
}

}  // namespace
}  // namespace accredit::notify
