// The restart test of issue 4: the real `accredit serve` is killed with SIGKILL between two
// reminders while a real SMTP sink (its own process, accredit_smtp_sink) holds the second
// message unanswered; after a restart, every reminder has arrived exactly once (by Message-ID)
// and the ledger says sent for each. Real time: the demo contract is loaded at the clock's now
// and notifiable events are recorded whose overdue reminders are due now.

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "reminders/reminders_testing.h"
#include "testing/child.h"

namespace accredit::reminders {
namespace {

namespace fs = std::filesystem;

using testing::Child;
using testing::RunToEnd;

// Message-IDs of the .eml files in `dir`.
std::vector<std::string> SpooledMessageIds(const fs::path& dir) {
  std::vector<std::string> ids;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() == ".eml") {
      ids.push_back(Header(testing::ReadFile(entry.path()), "Message-ID"));
    }
  }
  return ids;
}

std::vector<Delivery> ReadLedger(const std::string& db) {
  SystemClock clock;
  cli::AppOptions o;
  o.db_path = db;
  auto app = cli::OpenApp(clock, o);
  EXPECT_TRUE(app.ok());
  LogQuery q;
  q.limit = 100000;
  auto rows = (*app)->reminders->Log(auth::CliOperator("test"), q);
  EXPECT_TRUE(rows.ok());
  return rows.ok() ? *rows : std::vector<Delivery>{};
}

int CountState(const std::vector<Delivery>& rows, DeliveryState s) {
  return static_cast<int>(
      std::count_if(rows.begin(), rows.end(), [s](const Delivery& d) { return d.state == s; }));
}

TEST(RestartTest, SigkillBetweenTwoRemindersNeitherLosesNorRepeatsSlow) {
  const std::string accredit = ACCREDIT_BIN;
  const std::string sink_bin = ACC_SMTP_SINK_BIN;
  testing::TempDir dir;
  const std::string db = dir.File("accredit.db");
  const std::string log = dir.File("processes.log");
  const fs::path spool = dir.Path() / "spool";
  fs::create_directories(spool);

  ASSERT_EQ(RunToEnd({accredit, "demo", "--db", db}, log), 0) << testing::ReadFile(log);

  // Three notifiable events nobody notified: overdue now, so each owes today's (or, before
  // 09:00 London, yesterday's) overdue reminder.
  std::set<std::string> event_keys;
  {
    SystemClock clock;
    cli::AppOptions o;
    o.db_path = db;
    auto app = cli::OpenApp(clock, o);
    ASSERT_TRUE(app.ok());
    const auto* def = registers::RegisterService::Find("notifiable_events");
    for (int i = 1; i <= 3; ++i) {
      const Instant aware = clock.Now() - std::chrono::hours(24 * 10 + i);
      auto r = (*app)->register_service->Create(
          auth::CliOperator("test"), *def,
          {{"kind", "threat_profile_change"},
           {"description", "Restart test event " + std::to_string(i)},
           {"became_aware_at", FormatInstantUtc(aware)}});
      ASSERT_TRUE(r.ok()) << r.error().message;
      event_keys.insert("S2.4-5.13.3/notifiable_events/" +
                        std::to_string(r->at("id").get<std::int64_t>()));
    }
  }

  Child sink({sink_bin, "--dir", spool.string(), "--hold-after", "1"}, log, true);
  const std::string port = sink.FirstLine(std::chrono::seconds(10));
  ASSERT_FALSE(port.empty()) << testing::ReadFile(log);

  ASSERT_EQ(RunToEnd({accredit, "reminders", "configure", "--db", db, "--smtp-url",
                      "smtp://127.0.0.1:" + port, "--smtp-tls", "none", "--from",
                      "accredit <accredit@supplier.example>", "--to", "ops@supplier.example",
                      "--base-url", "https://accredit.example", "--enable"},
                     log),
            0)
      << testing::ReadFile(log);

  const std::vector<std::string> serve = {
      accredit, "serve", "--db", db, "--port", "0", "--access-log", "none", "--reminder-interval",
      "1"};
  {
    Child server(serve, log, false);
    // The sink stores the first message and holds the second unanswered: the server is now
    // between the two reminders, inside SendMail. Kill it there.
    ASSERT_TRUE(sink.WaitForLine("holding", std::chrono::seconds(60))) << testing::ReadFile(log);
    server.Signal(SIGKILL);
    const int status = server.Wait();
    ASSERT_TRUE(WIFSIGNALED(status));
  }
  // The ledger after the kill: the first reminder sent, the one being delivered and every
  // other one owed still pending (recorded before any delivery began).
  const std::vector<Delivery> after_kill = ReadLedger(db);
  std::set<std::int64_t> owed;
  for (const Delivery& d : after_kill) {
    if (d.state == DeliveryState::kPending || d.state == DeliveryState::kSent) {
      owed.insert(d.id);
    }
  }
  EXPECT_EQ(CountState(after_kill, DeliveryState::kSent), 1);
  EXPECT_GE(owed.size(), 3u);  // at least the three events' reminders
  EXPECT_EQ(SpooledMessageIds(spool).size(), 1u);

  {
    Child server(serve, log, false);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (std::chrono::steady_clock::now() < deadline &&
           CountState(ReadLedger(db), DeliveryState::kPending) > 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    server.Signal(SIGTERM);
    server.Wait();
  }
  sink.Signal(SIGTERM);
  sink.Wait();

  const std::vector<Delivery> ledger = ReadLedger(db);
  EXPECT_EQ(CountState(ledger, DeliveryState::kPending), 0);
  EXPECT_EQ(CountState(ledger, DeliveryState::kFailed), 0);
  std::multiset<std::string> expected;
  std::set<std::string> sent_keys;
  for (const Delivery& d : ledger) {
    if (d.state == DeliveryState::kSent) {
      expected.insert("<" + d.message_id + ">");
      sent_keys.insert(d.obligation_key);
    } else {
      EXPECT_FALSE(owed.contains(d.id)) << "owed but not sent: " << d.obligation_key;
    }
  }
  // Nothing lost: every reminder owed when the server died was sent...
  EXPECT_GE(expected.size(), owed.size());
  for (const std::string& key : event_keys) {
    EXPECT_TRUE(sent_keys.contains(key)) << key;
  }
  // ...and nothing twice: the sink holds each Message-ID exactly once, and only those.
  const std::vector<std::string> received = SpooledMessageIds(spool);
  const std::multiset<std::string> received_set(received.begin(), received.end());
  EXPECT_EQ(received_set, expected);
  for (const std::string& id : received) {
    EXPECT_EQ(received_set.count(id), 1u) << id;
  }
}

}  // namespace
}  // namespace accredit::reminders
