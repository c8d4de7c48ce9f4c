#pragma once

// The end-to-end fixture shared by the http tests: a real Server over a demo database in a
// TempDir, on 127.0.0.1 with an OS-chosen port, driven by httplib::Client.

#include <filesystem>
#include <regex>
#include <string>
#include <thread>

#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include "cli/cli.h"
#include "http/http.h"
#include "testing/testing.h"

namespace accredit::http {

inline constexpr const char* kPassword = "correct horse battery staple";

inline Instant At(const char* iso) {
  return ParseInstant(iso).value();
}

struct Browser {
  std::string cookie;  // "accredit_session=..."
  std::string csrf;
};

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override { Start({}); }

  void TearDown() override { StopServer(); }

  void Start(ServerOptions opts) {
    cli::AppOptions app_opts;
    app_opts.db_path = dir_.File("accredit.db");
    app_opts.create_if_missing = true;
    app_opts.accounts.hash = auth::HashParams{.t_cost = 1, .m_cost_kib = 64, .parallelism = 1};
    auto app = cli::OpenApp(clock_, app_opts);
    ASSERT_TRUE(app.ok()) << app.error().message << " " << app.error().internal;
    app_ = std::move(*app);
    ASSERT_TRUE(cli::LoadDemo(*app_, kPassword).ok());

    opts.host = "127.0.0.1";
    opts.port = 0;
    opts.threads = 4;
    // Every test client comes from 127.0.0.1, and a closed keep-alive connection is noticed by
    // the server a moment later: admit enough per address that tests never race the count.
    if (opts.max_connections_per_address == 0) {
      opts.max_connections_per_address = 64;
    }
    opts.max_body_bytes = 64 * 1024;
    if (opts.max_upload_bytes == ServerOptions{}.max_upload_bytes) {
      opts.max_upload_bytes = 1 << 20;  // small, so that the upload limit is cheap to test
    }
    if (opts.access_log_path.empty()) {
      opts.access_log_path = "none";
    }
    Services svc{*app_->store,          *app_->audit, *app_->accounts,         *app_->registers,
                 *app_->checkpoint_key, clock_,       *app_->register_service, *app_->reports,
                 *app_->catalog,        *app_->clocks};
    auto server = Server::Create(svc, opts);
    ASSERT_TRUE(server.ok()) << server.error().message << " " << server.error().internal;
    server_ = std::move(*server);
    thread_ = std::thread([this] { run_status_ = server_->Run(); });
    port_ = server_->WaitUntilReady();
    ASSERT_GT(port_, 0);
  }

  void StopServer() {
    if (server_) {
      server_->Stop();
      thread_.join();
      EXPECT_TRUE(run_status_.ok());
      server_.reset();
    }
  }

  httplib::Client Client() const {
    httplib::Client c("127.0.0.1", port_);
    c.set_read_timeout(10, 0);
    return c;
  }

  auth::User UserWithRole(auth::Role role) {
    auto users = app_->accounts->ListUsers(auth::CliOperator("test"));
    EXPECT_TRUE(users.ok());
    for (const auto& u : *users) {
      if (u.role == role) {
        return u;
      }
    }
    ADD_FAILURE() << "no demo user with role " << auth::RoleName(role);
    return {};
  }

  // An API token for the demo user with `role`.
  std::string TokenFor(auth::Role role) {
    auth::User u = UserWithRole(role);
    auth::Principal p{u.id, u.username, u.role, u.supplier_id};
    auto t = app_->accounts->CreateApiToken(p, "test", std::nullopt);
    EXPECT_TRUE(t.ok()) << t.error().message;
    return t->second;
  }

  static httplib::Headers Bearer(const std::string& token) {
    return {{"Authorization", "Bearer " + token}};
  }

  static std::string ExtractCookie(const httplib::Result& res, const std::string& name) {
    for (auto [it, end] = res->headers.equal_range("Set-Cookie"); it != end; ++it) {
      if (it->second.rfind(name + "=", 0) == 0) {
        return it->second.substr(0, it->second.find(';'));
      }
    }
    return "";
  }

  static std::string ExtractCsrf(const std::string& html) {
    std::smatch m;
    static const std::regex kRe(R"re(name="csrf_token" value="([^"]+)")re");
    return std::regex_search(html, m, kRe) ? m[1].str() : "";
  }

  // Logs in through the HTML form, as a browser would.
  Browser LogIn(const std::string& username) {
    auto c = Client();
    auto page = c.Get("/login");
    EXPECT_TRUE(page);
    const std::string login_cookie = ExtractCookie(page, "accredit_login_csrf");
    const std::string login_csrf = ExtractCsrf(page->body);
    EXPECT_FALSE(login_csrf.empty());
    auto res = c.Post("/login", {{"Cookie", login_cookie}},
                      "username=" + username + "&password=correct+horse+battery+staple" +
                          "&csrf_token=" + login_csrf,
                      "application/x-www-form-urlencoded");
    EXPECT_TRUE(res);
    EXPECT_EQ(res->status, 303);
    Browser b;
    b.cookie = ExtractCookie(res, "accredit_session");
    EXPECT_FALSE(b.cookie.empty());
    auto home = c.Get("/", {{"Cookie", b.cookie}});
    EXPECT_EQ(home->status, 200);
    b.csrf = ExtractCsrf(home->body);
    EXPECT_FALSE(b.csrf.empty());
    return b;
  }

  std::int64_t UserCount() { return app_->accounts->CountUsers().value(); }

  std::int64_t AuditCount() {
    auto conn = app_->store->Acquire();
    return app_->audit->Count(**conn, audit::Filter{}).value();
  }

  static nlohmann::json Body(const httplib::Result& res) {
    return nlohmann::json::parse(res->body, nullptr, false);
  }

  testing::TempDir dir_;
  FakeClock clock_{At("2026-04-08T09:00:00Z")};
  std::unique_ptr<cli::App> app_;
  std::unique_ptr<Server> server_;
  std::thread thread_;
  Status run_status_;
  int port_ = 0;
};

}  // namespace accredit::http
