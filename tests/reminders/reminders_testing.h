#pragma once

// Shared by the reminder tests: an App over a fresh database in a TempDir with a FakeClock, a
// way to record notifiable events, and helpers to read sent mail.

#include <memory>
#include <string>
#include <string_view>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli/cli.h"
#include "reminders/reminders.h"
#include "testing/testing.h"

namespace accredit::reminders {

inline Instant At(const char* iso) {
  auto t = ParseInstant(iso);
  EXPECT_TRUE(t.ok()) << iso;
  return t.value();
}

// The value of header `name` in an RFC 5322 message (unfolded), or "" when absent.
inline std::string Header(std::string_view message, std::string_view name) {
  const std::string head(message.substr(0, message.find("\r\n\r\n")));
  std::string unfolded;
  for (std::size_t i = 0; i < head.size(); ++i) {
    if (head.compare(i, 3, "\r\n ") == 0 || head.compare(i, 3, "\r\n\t") == 0) {
      unfolded += ' ';
      i += 2;
    } else {
      unfolded += head[i];
    }
  }
  unfolded = "\r\n" + unfolded + "\r\n";
  const std::string key = "\r\n" + std::string(name) + ": ";
  const auto p = unfolded.find(key);
  if (p == std::string::npos) {
    return "";
  }
  const auto start = p + key.size();
  return unfolded.substr(start, unfolded.find("\r\n", start) - start);
}

class AppFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    cli::AppOptions o;
    o.db_path = dir_.File("accredit.db");
    o.create_if_missing = true;
    o.accounts.hash = auth::HashParams{.t_cost = 1, .m_cost_kib = 64, .parallelism = 1};
    auto app = cli::OpenApp(clock_, o);
    ASSERT_TRUE(app.ok()) << app.error().message << " " << app.error().internal;
    app_ = std::move(*app);
    // A fresh contract has one open obligation, S2.4-5.11 (no processing before an Approval
    // Statement), with no dates: waive it so that only the events a test records are open.
    const auto* waivers = registers::RegisterService::Find("obligation_waivers");
    ASSERT_NE(waivers, nullptr);
    auto w = app_->register_service->Create(op_, *waivers,
                                            {{"obligation_key", "S2.4-5.11/contract/0"},
                                             {"reason", "test baseline"},
                                             {"agreed_with", "The Customer"},
                                             {"agreed_date", "2026-01-01"}});
    ASSERT_TRUE(w.ok()) << w.error().field << ": " << w.error().message;
  }

  // A notifiable event (S2.4-5.13.1, due within 2 Working Days) recorded at the clock's now.
  std::int64_t AddEvent(const char* became_aware_at, const char* description = "New firewall") {
    const auto* def = registers::RegisterService::Find("notifiable_events");
    EXPECT_NE(def, nullptr);
    auto r = app_->register_service->Create(op_, *def,
                                            {{"kind", "architecture_change"},
                                             {"description", description},
                                             {"became_aware_at", became_aware_at}});
    EXPECT_TRUE(r.ok()) << r.error().field << ": " << r.error().message;
    return r.ok() ? r->at("id").get<std::int64_t>() : 0;
  }

  void MarkNotified(std::int64_t id, const char* at) {
    const auto* def = registers::RegisterService::Find("notifiable_events");
    auto r = app_->register_service->Update(op_, *def, id, {{"customer_notified_at", at}});
    EXPECT_TRUE(r.ok()) << r.error().field << ": " << r.error().message;
  }

  Settings Configure(const SettingsPatch& patch) {
    auto s = app_->reminders->Configure(op_, patch);
    EXPECT_TRUE(s.ok()) << s.error().field << ": " << s.error().message;
    return s.ok() ? *s : Settings{};
  }

  std::vector<Delivery> Ledger(const std::string& key = "") {
    LogQuery q;
    q.obligation_key = key;
    q.limit = 1000;
    auto rows = app_->reminders->Log(op_, q);
    EXPECT_TRUE(rows.ok());
    return rows.ok() ? *rows : std::vector<Delivery>{};
  }

  std::int64_t AuditCount(const std::string& action) {
    auto conn = app_->store->Acquire();
    audit::Filter f;
    f.action = action;
    return app_->audit->Count(**conn, f).value();
  }

  // Every open obligation at `now` (to check a fresh contract's baseline).
  std::vector<clocks::Obligation> Open(Instant now) {
    auto snap = app_->clocks->At(now);
    EXPECT_TRUE(snap.ok());
    std::vector<clocks::Obligation> out;
    for (const auto& o : (*snap)->obligations) {
      if (clocks::IsOpen(o.state)) {
        out.push_back(o);
      }
    }
    return out;
  }

  testing::TempDir dir_;
  FakeClock clock_{At("2026-04-02T09:30:00Z")};
  std::unique_ptr<cli::App> app_;
  auth::Principal op_ = auth::CliOperator("test");
};

}  // namespace accredit::reminders
