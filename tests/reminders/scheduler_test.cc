// Reminders::RunOnce with a FakeClock against real transports: the in-process SMTP sink (plain
// and STARTTLS) and a cpp-httplib webhook receiver on loopback.

#include <array>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <httplib.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "reminders/reminders_testing.h"
#include "testing/smtp_sink.h"

namespace accredit::reminders {
namespace {

using nlohmann::json;

constexpr const char* kRecipient = "secman@supplier.example";
constexpr const char* kFrom = "accredit <accredit@supplier.example>";
constexpr const char* kKey = "S2.4-5.13.1/notifiable_events/1";

// Became aware Thu 2 Apr 2026 10:00 BST; due within 2 Working Days skips Good Friday, the
// weekend and Easter Monday: Wed 8 Apr 23:59:59.999 BST. Reminders: 1wd Tue 7 Apr 08:00Z, due
// Wed 8 Apr 08:00Z, overdue daily from Thu 9 Apr 08:00Z (09:00 BST).
constexpr const char* kAware = "2026-04-02T09:00:00Z";

std::unique_ptr<testing::SmtpSink> StartSink(testing::SmtpSinkOptions o = {}) {
  auto sink = testing::SmtpSink::Start(std::move(o));
  EXPECT_TRUE(sink.ok()) << sink.error().message;
  return sink.ok() ? std::move(*sink) : nullptr;
}

class SchedulerTest : public AppFixture {
 protected:
  void SetUp() override {
    AppFixture::SetUp();
    sink_ = StartSink();
    ASSERT_NE(sink_, nullptr);
  }

  SettingsPatch MailPatch(std::vector<std::string> to = {kRecipient}) const {
    SettingsPatch p;
    p.enabled = true;
    p.smtp_url = sink_->Url();
    p.smtp_tls = SmtpTls::kNone;
    p.from = kFrom;
    p.recipients = std::move(to);
    p.base_url = "https://accredit.example/";
    return p;
  }

  PassReport Run(const char* at) {
    clock_.Set(At(at));
    auto r = app_->reminders->RunOnce(At(at));
    EXPECT_TRUE(r.ok()) << at << ": " << r.error().message << " " << r.error().internal;
    return r.ok() ? *r : PassReport{};
  }

  std::vector<std::string> Subjects() const {
    std::vector<std::string> out;
    for (const auto& m : sink_->Messages()) {
      out.push_back(Header(m.data, "Subject"));
    }
    return out;
  }

  std::unique_ptr<testing::SmtpSink> sink_;
};

TEST_F(SchedulerTest, FreshContractHasNoOpenObligationsToRemindOf) {
  // The baseline the other tests rely on: only the events they record create obligations.
  EXPECT_TRUE(Open(At("2026-04-14T12:00:00Z")).empty());
}

TEST_F(SchedulerTest, SendsEachDueReminderOnceAndOverdueOncePerDay) {
  const Settings s = Configure(MailPatch());
  EXPECT_EQ(s.base_url, "https://accredit.example");  // trailing slash dropped
  ASSERT_EQ(AddEvent(kAware), 1);

  // Easter Monday: nothing has fired yet.
  EXPECT_EQ(Run("2026-04-06T12:00:00Z").queued, 0);
  EXPECT_EQ(Run("2026-04-07T07:59:59Z").queued, 0);
  EXPECT_TRUE(sink_->Messages().empty());

  // Tue 7 Apr 09:00 BST: "1 Working Day before".
  PassReport r = Run("2026-04-07T08:00:30Z");
  EXPECT_EQ(r.queued, 1);
  EXPECT_EQ(r.sent, 1);
  ASSERT_EQ(sink_->Messages().size(), 1u);
  const testing::SmtpMessage first = sink_->Messages()[0];
  EXPECT_EQ(first.rcpt_to, std::vector<std::string>{kRecipient});
  EXPECT_EQ(first.mail_from, "accredit@supplier.example");
  EXPECT_EQ(Header(first.data, "Subject"),
            "[accredit] Due in 1 Working Day: Notify the Customer of the significant change to "
            "the Core IMS components or architecture recorded on 2 Apr 2026 (S2.4-5.13.1)");
  EXPECT_NE(first.data.find("Due:          Wed 8 Apr 2026 23:59 (Europe/London)"),
            std::string::npos)
      << first.data;
  EXPECT_NE(first.data.find("https://accredit.example/r/notifiable_events/1"), std::string::npos);
  EXPECT_NE(first.data.find("If missed:    notification duty"), std::string::npos);
  EXPECT_EQ(Header(first.data, "X-Accredit-Reminder"), "1wd");

  // The same pass again, and later the same day: nothing new.
  EXPECT_EQ(Run("2026-04-07T08:00:30Z").queued, 0);
  EXPECT_EQ(Run("2026-04-07T16:00:00Z").queued, 0);
  EXPECT_EQ(sink_->Messages().size(), 1u);

  // Wed 8 Apr 09:00 BST: "due today".
  EXPECT_EQ(Run("2026-04-08T08:00:00Z").sent, 1);
  // Thu 9 Apr before 09:00 BST: the first overdue reminder has not fired yet.
  EXPECT_EQ(Run("2026-04-09T07:59:00Z").queued, 0);
  EXPECT_EQ(Run("2026-04-09T08:00:00Z").sent, 1);
  EXPECT_EQ(Run("2026-04-09T15:00:00Z").queued, 0);
  // Fri 10 Apr: the next day's overdue reminder, once.
  EXPECT_EQ(Run("2026-04-10T08:05:00Z").sent, 1);
  EXPECT_EQ(Run("2026-04-10T08:06:00Z").sent, 0);
  EXPECT_EQ(Subjects().size(), 4u);
  EXPECT_EQ(Subjects()[1].substr(0, 22), "[accredit] Due today: ");
  EXPECT_EQ(Subjects()[2].substr(0, 20), "[accredit] Overdue: ");

  // Met: no further overdue reminders (the 5.14 RCR duty that follows fires later).
  clock_.Set(At("2026-04-10T10:00:00Z"));
  MarkNotified(1, "2026-04-10T09:30:00Z");
  EXPECT_EQ(Run("2026-04-11T08:05:00Z").queued, 0);
  EXPECT_EQ(Run("2026-04-13T08:05:00Z").queued, 0);
  EXPECT_EQ(sink_->Messages().size(), 4u);

  // Ledger: four rows, all sent, each Message-ID the one the sink received.
  const auto rows = Ledger(kKey);
  ASSERT_EQ(rows.size(), 4u);
  std::set<std::string> leads;
  std::set<std::string> ids;
  for (const Delivery& d : rows) {
    EXPECT_EQ(d.state, DeliveryState::kSent) << d.lead;
    EXPECT_EQ(d.attempts, 1);
    EXPECT_EQ(d.channel, "email");
    EXPECT_EQ(d.target, kRecipient);
    leads.insert(d.lead);
    ids.insert("<" + d.message_id + ">");
  }
  EXPECT_EQ(leads,
            (std::set<std::string>{"1wd", "due", "overdue/2026-04-09", "overdue/2026-04-10"}));
  std::set<std::string> received;
  for (const auto& m : sink_->Messages()) {
    received.insert(Header(m.data, "Message-ID"));
  }
  EXPECT_EQ(received, ids);
  EXPECT_EQ(AuditCount("reminder.sent"), 4);
  EXPECT_EQ(AuditCount("reminders.configure"), 1);
}

TEST_F(SchedulerTest, DisabledSendsNothing) {
  SettingsPatch p = MailPatch();
  p.enabled = false;
  Configure(p);
  AddEvent(kAware);
  const PassReport r = Run("2026-04-08T08:00:00Z");
  EXPECT_FALSE(r.enabled);
  EXPECT_TRUE(Ledger().empty());
  EXPECT_TRUE(sink_->Messages().empty());
}

TEST_F(SchedulerTest, CatchUpSendsOnlyTheLatestReminderAndRecordsTheRestAsSkipped) {
  Configure(MailPatch());
  AddEvent(kAware);
  // First pass a week late (the server was down): 1wd and due are superseded by today's
  // overdue reminder, which is the only one sent.
  const PassReport r = Run("2026-04-14T10:00:00Z");
  EXPECT_EQ(r.queued, 1);
  EXPECT_EQ(r.skipped, 2);
  EXPECT_EQ(r.sent, 1);
  ASSERT_EQ(sink_->Messages().size(), 1u);
  EXPECT_EQ(Header(sink_->Messages()[0].data, "X-Accredit-Reminder"), "overdue/2026-04-14");
  std::map<std::string, Delivery> by_lead;
  for (const Delivery& d : Ledger(kKey)) {
    by_lead[d.lead] = d;
  }
  ASSERT_EQ(by_lead.size(), 3u);
  EXPECT_EQ(by_lead["1wd"].state, DeliveryState::kSkipped);
  EXPECT_NE(by_lead["1wd"].last_error.find("superseded"), std::string::npos);
  EXPECT_EQ(by_lead["due"].state, DeliveryState::kSkipped);
  EXPECT_EQ(by_lead["overdue/2026-04-14"].state, DeliveryState::kSent);
}

TEST_F(SchedulerTest, ReminderOlderThanTheCatchUpWindowIsSkippedNotSent) {
  SettingsPatch p = MailPatch();
  p.leads = std::vector<Lead>{Lead{LeadKind::kWorkingDaysBefore, 1}, Lead{LeadKind::kDue, 0}};
  Configure(p);
  AddEvent(kAware);
  // "due" fired Wed 8 Apr 09:00 BST; first seen on Mon 13 Apr, past the 3-day window.
  const PassReport r = Run("2026-04-13T08:00:00Z");
  EXPECT_EQ(r.queued, 0);
  EXPECT_EQ(r.skipped, 2);
  EXPECT_TRUE(sink_->Messages().empty());
  for (const Delivery& d : Ledger(kKey)) {
    EXPECT_EQ(d.state, DeliveryState::kSkipped) << d.lead;
  }
  // A wider window later does not resurrect them: a reminder is decided once.
  p = {};
  p.catch_up = std::chrono::hours(24 * 10);
  Configure(p);
  EXPECT_EQ(Run("2026-04-13T09:00:00Z").queued, 0);
  EXPECT_TRUE(sink_->Messages().empty());

  // Inside the window it is sent: a second event due Mon 13 Apr (aware Thu 9 Apr), first pass
  // Tue 14 Apr 10:00 for the "due" reminder of Mon 13 Apr 09:00 BST (25 hours before).
  clock_.Set(At("2026-04-09T12:00:00Z"));
  AddEvent("2026-04-09T11:00:00Z", "Second change");
  p = {};
  p.catch_up = std::chrono::hours(72);
  Configure(p);
  const PassReport late = Run("2026-04-14T09:00:00Z");
  EXPECT_EQ(late.sent, 1);
  ASSERT_EQ(sink_->Messages().size(), 1u);
  EXPECT_EQ(Header(sink_->Messages()[0].data, "X-Accredit-Reminder"), "due");
}

TEST_F(SchedulerTest, FailedDeliveriesAreRetriedWithBackoffThenRecordedAsFailed) {
  sink_ = StartSink(testing::SmtpSinkOptions{.reject_rcpt = {"nobody@supplier.example"}});
  Configure(MailPatch({kRecipient, "nobody@supplier.example"}));
  SettingsPatch p;
  p.max_attempts = 3;
  Configure(p);
  AddEvent(kAware);

  PassReport r = Run("2026-04-07T08:00:00Z");
  EXPECT_EQ(r.queued, 2);
  EXPECT_EQ(r.sent, 1);
  EXPECT_EQ(r.retrying, 1);
  Delivery failing;
  for (const Delivery& d : Ledger()) {
    if (d.target == "nobody@supplier.example") {
      failing = d;
    }
  }
  EXPECT_EQ(failing.state, DeliveryState::kPending);
  EXPECT_EQ(failing.attempts, 1);
  EXPECT_NE(failing.last_error.find("550"), std::string::npos) << failing.last_error;
  ASSERT_TRUE(failing.next_attempt_at.has_value());
  EXPECT_EQ(FormatInstantUtc(*failing.next_attempt_at), "2026-04-07T08:01:00.000Z");

  // Before the backoff has passed: no attempt.
  r = Run("2026-04-07T08:00:30Z");
  EXPECT_EQ(r.retrying + r.sent + r.failed, 0);
  // Second attempt after 60 s, third after a further 120 s: then failed, and audited.
  r = Run("2026-04-07T08:01:00Z");
  EXPECT_EQ(r.retrying, 1);
  r = Run("2026-04-07T08:02:59Z");
  EXPECT_EQ(r.retrying + r.failed, 0);
  r = Run("2026-04-07T08:03:00Z");
  EXPECT_EQ(r.failed, 1);
  EXPECT_EQ(AuditCount("reminder.failed"), 1);
  r = Run("2026-04-07T09:00:00Z");
  EXPECT_EQ(r.retrying + r.failed + r.sent, 0);
  ASSERT_EQ(sink_->Messages().size(), 1u);
  for (const Delivery& d : Ledger()) {
    if (d.target == "nobody@supplier.example") {
      EXPECT_EQ(d.state, DeliveryState::kFailed);
      EXPECT_EQ(d.attempts, 3);
    }
  }
}

TEST_F(SchedulerTest, ServerDownThenUpDeliversTheSameMessageOnce) {
  // Nothing listens on the first URL: a port the OS gave a sink that is now stopped.
  std::string dead_url;
  {
    auto dead = StartSink();
    dead_url = dead->Url();
  }
  SettingsPatch p = MailPatch();
  p.smtp_url = dead_url;
  Configure(p);
  AddEvent(kAware);
  PassReport r = Run("2026-04-07T08:00:00Z");
  EXPECT_EQ(r.retrying, 1);
  const std::string message_id = Ledger()[0].message_id;

  p = {};
  p.smtp_url = sink_->Url();
  Configure(p);
  r = Run("2026-04-07T08:01:00Z");
  EXPECT_EQ(r.sent, 1);
  ASSERT_EQ(sink_->Messages().size(), 1u);
  EXPECT_EQ(Header(sink_->Messages()[0].data, "Message-ID"), "<" + message_id + ">");
  EXPECT_EQ(Ledger()[0].attempts, 2);
  EXPECT_EQ(Ledger()[0].last_error, "");
}

TEST_F(SchedulerTest, PendingReminderOfAnObligationMetMeanwhileIsSkipped) {
  std::string dead_url;
  {
    auto dead = StartSink();
    dead_url = dead->Url();
  }
  SettingsPatch p = MailPatch();
  p.smtp_url = dead_url;
  Configure(p);
  const std::int64_t id = AddEvent(kAware);
  EXPECT_EQ(Run("2026-04-07T08:00:00Z").retrying, 1);
  clock_.Set(At("2026-04-07T08:00:30Z"));
  MarkNotified(id, "2026-04-07T08:00:10Z");
  p = {};
  p.smtp_url = sink_->Url();
  Configure(p);
  const PassReport r = Run("2026-04-07T08:05:00Z");
  EXPECT_EQ(r.sent, 0);
  EXPECT_EQ(r.skipped, 1);
  EXPECT_TRUE(sink_->Messages().empty());
  EXPECT_EQ(Ledger(kKey)[0].state, DeliveryState::kSkipped);
  EXPECT_EQ(Ledger(kKey)[0].last_error, "the obligation is no longer open");
}

TEST_F(SchedulerTest, StartTlsWithTheServersCertificate) {
  sink_ = StartSink(testing::SmtpSinkOptions{.starttls = true});
  SettingsPatch p = MailPatch();
  p.smtp_tls = SmtpTls::kStartTls;
  p.smtp_ca_file = sink_->CertFile();
  Configure(p);
  AddEvent(kAware);
  EXPECT_EQ(Run("2026-04-07T08:00:00Z").sent, 1);
  ASSERT_EQ(sink_->Messages().size(), 1u);
  EXPECT_TRUE(sink_->Messages()[0].tls);
}

// ---- webhooks --------------------------------------------------------------------------------

std::string Hmac(std::string_view secret, std::string_view body) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
  unsigned int len = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(body.data()), body.size(), md.data(), &len);
  return "sha256=" + HexEncode(std::string_view(reinterpret_cast<const char*>(md.data()), len));
}

struct Hit {
  httplib::Headers headers;
  std::string body;
};

// A receiver on 127.0.0.1 answering 500 to the first `fail_first` requests, then 204.
class Receiver {
 public:
  explicit Receiver(int fail_first) : fail_first_(fail_first) {
    server_.Post("/hook", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard lock(mu_);
      hits_.push_back(Hit{req.headers, req.body});
      res.status = static_cast<int>(hits_.size()) <= fail_first_ ? 500 : 204;
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    for (int i = 0; i < 500 && !server_.is_running(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }

  ~Receiver() {
    server_.stop();
    thread_.join();
  }

  Receiver(const Receiver&) = delete;
  Receiver& operator=(const Receiver&) = delete;

  std::string Url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/hook?key=k1"; }

  std::vector<Hit> Hits() {
    std::lock_guard lock(mu_);
    return hits_;
  }

 private:
  httplib::Server server_;
  int fail_first_;
  int port_ = 0;
  std::thread thread_;
  std::mutex mu_;
  std::vector<Hit> hits_;
};

TEST_F(SchedulerTest, WebhookIsSignedAndRetriedWithTheSameDeliveryId) {
  Receiver receiver(1);
  SettingsPatch p;
  p.enabled = true;
  p.webhooks = std::vector<Webhook>{Webhook{receiver.Url(), "hook-secret-1"}};
  p.base_url = "https://accredit.example";
  const Settings s = Configure(p);
  AddEvent(kAware);

  EXPECT_EQ(Run("2026-04-07T08:00:00Z").retrying, 1);  // the receiver answered 500
  EXPECT_EQ(Run("2026-04-07T08:01:00Z").sent, 1);
  const auto hits = receiver.Hits();
  ASSERT_EQ(hits.size(), 2u);
  for (const Hit& h : hits) {
    EXPECT_EQ(h.headers.find("X-Accredit-Signature")->second, Hmac("hook-secret-1", h.body));
    EXPECT_EQ(h.headers.find("X-Accredit-Event")->second, "obligation.reminder");
  }
  EXPECT_EQ(hits[0].headers.find("X-Accredit-Delivery")->second,
            hits[1].headers.find("X-Accredit-Delivery")->second);
  const json body = json::parse(hits[1].body);
  EXPECT_EQ(body["event"], "obligation.reminder");
  EXPECT_EQ(body["lead"], "1wd");
  EXPECT_EQ(body["obligation"]["key"], kKey);
  EXPECT_EQ(body["obligation"]["clause"], "S2.4-5.13.1");
  EXPECT_EQ(body["url"], "https://accredit.example/r/notifiable_events/1");

  const auto rows = Ledger(kKey);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].channel, "webhook");
  EXPECT_EQ(rows[0].target.substr(0, 7), "sha256:");
  EXPECT_EQ(rows[0].target_label.find("k1"), std::string::npos);  // the query is not shown
  EXPECT_EQ(rows[0].message_id, hits[0].headers.find("X-Accredit-Delivery")->second);
  // Neither the secret nor the URL's query reaches the settings JSON or the audit log.
  const std::string shown = SettingsToJson(s).dump();
  EXPECT_EQ(shown.find("hook-secret-1"), std::string::npos);
  EXPECT_EQ(shown.find("key=k1"), std::string::npos);
  auto conn = app_->store->Acquire();
  audit::Filter f;
  f.action = "reminders.configure";
  const auto records = app_->audit->List(**conn, f);
  ASSERT_TRUE(records.ok());
  for (const auto& rec : *records) {
    EXPECT_EQ(rec.entry.after_json.find("hook-secret-1"), std::string::npos);
  }
}

// ---- settings --------------------------------------------------------------------------------

TEST_F(SchedulerTest, ConfigureValidatesNamingTheFieldAndNeedsContractUpdate) {
  struct Case {
    std::function<void(SettingsPatch&)> set;
    const char* field;
  };

  const std::vector<Case> cases = {
      {[](SettingsPatch& p) { p.smtp_url = "http://mail"; }, "smtp_url"},
      {[](SettingsPatch& p) { p.from = "not an address"; }, "from"},
      {[](SettingsPatch& p) {
         p.recipients = std::vector<std::string>{"a@b", "x"};
       },
       "recipients"},
      {[](SettingsPatch& p) {
         p.webhooks = std::vector<Webhook>{{"ftp://x", ""}};
       },
       "webhooks"},
      {[](SettingsPatch& p) { p.catch_up = std::chrono::hours(0); }, "catch_up"},
      {[](SettingsPatch& p) { p.base_url = "accredit.example"; }, "base_url"},
      {[](SettingsPatch& p) { p.max_attempts = 0; }, "max_attempts"},
      {[](SettingsPatch& p) { p.smtp_username = "u"; }, "smtp_tls"},
  };
  for (const Case& c : cases) {
    SettingsPatch p = MailPatch();
    c.set(p);
    auto r = app_->reminders->Configure(op_, p);
    ASSERT_FALSE(r.ok()) << c.field;
    EXPECT_EQ(r.error().field, c.field);
  }
  SettingsPatch none;
  none.enabled = true;
  auto r = app_->reminders->Configure(op_, none);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().field, "enabled");  // nobody to remind
  EXPECT_EQ(AuditCount("reminders.configure"), 0);

  const auth::Principal auditor{7, "auditor", auth::Role::kAuditor, std::nullopt};
  EXPECT_EQ(app_->reminders->Configure(auditor, MailPatch()).error().code,
            ErrorCode::kPermissionDenied);
  EXPECT_TRUE(app_->reminders->GetSettings(auditor).ok());  // contract.read
}

}  // namespace
}  // namespace accredit::reminders
