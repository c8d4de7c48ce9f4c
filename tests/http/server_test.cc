// End-to-end tests of `accredit serve`: a real Server over a demo database in a TempDir, on
// 127.0.0.1 with an OS-chosen port, driven by httplib::Client.

#include <fstream>
#include <regex>
#include <thread>

#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include "http/server_fixture.h"

namespace accredit::http {
namespace {

using nlohmann::json;

TEST_F(ServerTest, HealthzAndSecurityHeaders) {
  auto c = Client();
  for (const char* path : {"/healthz", "/login", "/api/v1/me", "/no-such-page"}) {
    auto res = c.Get(path);
    ASSERT_TRUE(res) << path;
    EXPECT_EQ(res->get_header_value("Content-Security-Policy"),
              "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'; "
              "object-src 'none'")
        << path;
    EXPECT_EQ(res->get_header_value("X-Content-Type-Options"), "nosniff") << path;
    EXPECT_EQ(res->get_header_value("X-Frame-Options"), "DENY") << path;
    EXPECT_EQ(res->get_header_value("Referrer-Policy"), "no-referrer") << path;
    EXPECT_EQ(res->get_header_value("Cache-Control"), "no-store") << path;
    EXPECT_FALSE(res->has_header("Strict-Transport-Security")) << path;  // no TLS here
  }
  auto css = c.Get("/static/app.css");
  ASSERT_TRUE(css);
  EXPECT_EQ(css->status, 200);
  EXPECT_NE(css->get_header_value("Cache-Control").find("max-age"), std::string::npos);
}

TEST_F(ServerTest, UnauthenticatedPagesRedirectAndApiGets401Json) {
  auto c = Client();
  auto page = c.Get("/users");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 303);
  EXPECT_EQ(page->get_header_value("Location"), "/login");

  auto api = c.Get("/api/v1/users");
  ASSERT_TRUE(api);
  EXPECT_EQ(api->status, 401);
  json body = Body(api);
  EXPECT_EQ(body["error"]["code"], "unauthenticated");
  EXPECT_TRUE(body["error"].contains("message"));
  EXPECT_TRUE(body["error"].contains("field"));

  auto bad_token = c.Get("/api/v1/me", Bearer("acc_not-a-real-token"));
  EXPECT_EQ(bad_token->status, 401);
}

TEST_F(ServerTest, LoginSetsHardenedCookieAndDashboardShowsContract) {
  auto c = Client();
  auto page = c.Get("/login");
  const std::string login_cookie = ExtractCookie(page, "accredit_login_csrf");
  auto res = c.Post(
      "/login", {{"Cookie", login_cookie}},
      "username=admin&password=correct+horse+battery+staple&csrf_token=" + ExtractCsrf(page->body),
      "application/x-www-form-urlencoded");
  ASSERT_EQ(res->status, 303) << res->body;
  std::string set_cookie;
  for (auto [it, end] = res->headers.equal_range("Set-Cookie"); it != end; ++it) {
    if (it->second.rfind("accredit_session=", 0) == 0) {
      set_cookie = it->second;
    }
  }
  EXPECT_NE(set_cookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(set_cookie.find("SameSite=Strict"), std::string::npos);
  EXPECT_NE(set_cookie.find("Path=/"), std::string::npos);

  auto home = c.Get("/", {{"Cookie", set_cookie.substr(0, set_cookie.find(';'))}});
  ASSERT_EQ(home->status, 200);
  EXPECT_NE(home->body.find("Highways England"), std::string::npos);
  EXPECT_NE(home->body.find("2026-04-08"), std::string::npos);
  EXPECT_NE(home->body.find("Obligations"), std::string::npos);
  EXPECT_NE(home->body.find("Working Day"), std::string::npos);

  // Wrong password: re-rendered form, no session cookie.
  auto page2 = c.Get("/login");
  auto bad =
      c.Post("/login", {{"Cookie", ExtractCookie(page2, "accredit_login_csrf")}},
             "username=admin&password=wrong-password-123&csrf_token=" + ExtractCsrf(page2->body),
             "application/x-www-form-urlencoded");
  EXPECT_EQ(bad->status, 401);
  EXPECT_EQ(ExtractCookie(bad, "accredit_session"), "");

  // Missing login CSRF (no pre-session cookie): refused.
  auto forged = c.Post("/login", "username=admin&password=correct+horse+battery+staple",
                       "application/x-www-form-urlencoded");
  EXPECT_EQ(forged->status, 403);
  EXPECT_EQ(ExtractCookie(forged, "accredit_session"), "");
}

TEST_F(ServerTest, CustomerReviewerCannotCreateUsers) {
  const std::string token = TokenFor(auth::Role::kCustomerReviewer);
  const std::int64_t users_before = UserCount();
  const std::int64_t audit_before = AuditCount();
  auto c = Client();
  const std::string body =
      R"({"username":"mallory","role":"admin","password":"a-long-password-123"})";
  auto res = c.Post("/api/v1/users", Bearer(token), body, "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 403);
  EXPECT_EQ(Body(res)["error"]["code"], "permission_denied");
  EXPECT_EQ(UserCount(), users_before);
  EXPECT_EQ(AuditCount(), audit_before);

  // No create control in the UI for the reviewer...
  Browser reviewer = LogIn(UserWithRole(auth::Role::kCustomerReviewer).username);
  auto page = c.Get("/users", {{"Cookie", reviewer.cookie}});
  // The matrix decides whether the reviewer may list users at all; either way, no form.
  EXPECT_EQ(page->status,
            auth::RoleMay(auth::Role::kCustomerReviewer, auth::Action::kUserRead) ? 200 : 403);
  EXPECT_NE(page->body.find("<main"), std::string::npos);
  EXPECT_EQ(page->body.find("new-user-form"), std::string::npos);
  EXPECT_EQ(page->body.find("action=\"/users\""), std::string::npos);
  EXPECT_EQ(page->body.find("New user"), std::string::npos);

  // ...while the admin sees one.
  Browser admin = LogIn("admin");
  auto admin_page = c.Get("/users", {{"Cookie", admin.cookie}});
  EXPECT_NE(admin_page->body.find("new-user-form"), std::string::npos);
  EXPECT_NE(admin_page->body.find("action=\"/users\""), std::string::npos);

  // The reviewer's form post is refused too (with a valid CSRF token).
  auto post = c.Post(
      "/users", {{"Cookie", reviewer.cookie}},
      "csrf_token=" + reviewer.csrf + "&username=mallory&role=admin&password=a-long-password-123",
      "application/x-www-form-urlencoded");
  EXPECT_EQ(post->status, 403);
  EXPECT_EQ(UserCount(), users_before);
}

TEST_F(ServerTest, SubcontractorSeesOnlyItsOwnSupplier) {
  auth::User sub = UserWithRole(auth::Role::kSubcontractor);
  ASSERT_TRUE(sub.supplier_id.has_value());
  auto c = Client();
  const auto token = TokenFor(auth::Role::kSubcontractor);
  auto list = c.Get("/api/v1/suppliers", Bearer(token));
  ASSERT_EQ(list->status, 200);
  json body = Body(list);
  ASSERT_EQ(body["total"], 1);
  ASSERT_EQ(body["items"].size(), 1u);
  EXPECT_EQ(body["items"][0]["id"], *sub.supplier_id);

  // The admin sees them all; pick another supplier's id.
  auto all = c.Get("/api/v1/suppliers", Bearer(TokenFor(auth::Role::kAdmin)));
  json all_body = Body(all);
  ASSERT_GT(all_body["total"].get<int>(), 1);
  std::int64_t other = 0;
  for (const auto& item : all_body["items"]) {
    if (item["id"] != *sub.supplier_id) {
      other = item["id"].get<std::int64_t>();
    }
  }
  ASSERT_NE(other, 0);
  auto own = c.Get("/api/v1/suppliers/" + std::to_string(*sub.supplier_id), Bearer(token));
  EXPECT_EQ(own->status, 200);
  auto theirs = c.Get("/api/v1/suppliers/" + std::to_string(other), Bearer(token));
  EXPECT_EQ(theirs->status, 403);
  EXPECT_EQ(Body(theirs)["error"]["code"], "permission_denied");
  const std::int64_t audit_before = AuditCount();
  auto patch = c.Patch("/api/v1/suppliers/" + std::to_string(other), Bearer(token),
                       R"({"name":"hijacked"})", "application/json");
  EXPECT_EQ(patch->status, 403);
  EXPECT_EQ(AuditCount(), audit_before);
}

TEST_F(ServerTest, CookieAuthenticatedPostWithoutCsrfIsRefused) {
  Browser admin = LogIn("admin");
  const std::int64_t users_before = UserCount();
  const std::int64_t audit_before = AuditCount();
  auto c = Client();

  // HTML form without the token.
  auto form = c.Post("/users", {{"Cookie", admin.cookie}},
                     "username=eve&role=auditor&password=a-long-password-123",
                     "application/x-www-form-urlencoded");
  EXPECT_EQ(form->status, 403);
  // JSON API with the cookie but no header, and with a wrong header.
  const std::string body =
      R"({"username":"eve","role":"auditor","password":"a-long-password-123"})";
  auto api = c.Post("/api/v1/users", {{"Cookie", admin.cookie}}, body, "application/json");
  ASSERT_EQ(api->status, 403);
  json err = Body(api);
  EXPECT_EQ(err["error"]["code"], "permission_denied");
  EXPECT_EQ(err["error"]["field"], "csrf_token");
  EXPECT_EQ(err["error"]["message"], "missing or invalid CSRF token");
  auto wrong = c.Post("/api/v1/users", {{"Cookie", admin.cookie}, {"X-CSRF-Token", "0000"}}, body,
                      "application/json");
  EXPECT_EQ(wrong->status, 403);
  EXPECT_EQ(UserCount(), users_before);
  EXPECT_EQ(AuditCount(), audit_before);

  // With the token it works.
  auto ok = c.Post("/api/v1/users", {{"Cookie", admin.cookie}, {"X-CSRF-Token", admin.csrf}}, body,
                   "application/json");
  EXPECT_EQ(ok->status, 201) << ok->body;
  EXPECT_EQ(UserCount(), users_before + 1);
}

struct BadRequestCase {
  const char* name;
  std::string body;
  int status;
  const char* field;
  const char* message_part;
};

TEST_F(ServerTest, BadRequestBodiesNameTheFieldAndWriteNothing) {
  const std::string token = TokenFor(auth::Role::kAdmin);
  const std::int64_t users_before = UserCount();
  const std::int64_t audit_before = AuditCount();
  const std::vector<BadRequestCase> cases = {
      {"malformed", R"({"username": "x",, "role": "admin"})", 400, "body",
       "malformed JSON at byte 18"},
      {"trailing comma", R"({"a":1,})", 400, "body", "malformed JSON at byte 8"},
      {"truncated", R"({"username")", 400, "body", "malformed JSON at byte"},
      {"not an object", R"(["admin"])", 400, "body", "JSON object"},
      {"unknown field",
       R"({"username":"zed","role":"auditor","password":"a-long-password-123","is_root":true})",
       400, "is_root", "is_root"},
      {"wrong type", R"({"username":42,"role":"auditor","password":"a-long-password-123"})", 400,
       "username", "string"},
      {"missing required", R"({"username":"zed","role":"auditor"})", 400, "password", "password"},
      {"bad role", R"({"username":"zed","role":"emperor","password":"a-long-password-123"})", 400,
       "role", ""},
      {"oversized",
       R"({"username":"zed","role":"auditor","password":"a-long-password-123","display_name":")" +
           std::string(100 * 1024, 'x') + "\"}",
       413, "body", "too large"},
  };
  auto c = Client();
  for (const auto& tc : cases) {
    auto res = c.Post("/api/v1/users", Bearer(token), tc.body, "application/json");
    ASSERT_TRUE(res) << tc.name;
    EXPECT_EQ(res->status, tc.status) << tc.name << ": " << res->body;
    json body = Body(res);
    ASSERT_FALSE(body.is_discarded()) << tc.name << ": " << res->body;
    EXPECT_EQ(body["error"]["field"], tc.field) << tc.name;
    EXPECT_NE(body["error"]["message"].get<std::string>().find(tc.message_part), std::string::npos)
        << tc.name << ": " << body.dump();
    EXPECT_EQ(UserCount(), users_before) << tc.name;
    EXPECT_EQ(AuditCount(), audit_before) << tc.name;
  }
  // Same strictness on PATCH /api/v1/contract.
  auto patch = c.Patch("/api/v1/contract", Bearer(token), R"({"effective_date": 20260101})",
                       "application/json");
  EXPECT_EQ(patch->status, 400);
  EXPECT_EQ(Body(patch)["error"]["field"], "effective_date");
  auto bad_date =
      c.Patch("/api/v1/contract", Bearer(token),
              R"({"closure_days":[{"date":"2026-13-01","title":"x"}]})", "application/json");
  EXPECT_EQ(bad_date->status, 400);
  EXPECT_EQ(Body(bad_date)["error"]["field"], "closure_days[0].date");
  EXPECT_EQ(AuditCount(), audit_before);
}

TEST_F(ServerTest, UiCreatedUserAppearsInAuditPage) {
  Browser admin = LogIn("admin");
  auto c = Client();
  auto res = c.Post("/users", {{"Cookie", admin.cookie}},
                    "csrf_token=" + admin.csrf +
                        "&username=new.starter&display_name=New+Starter&email=new%40example.org"
                        "&role=engineer&supplier_id=&password=a-long-password-123",
                    "application/x-www-form-urlencoded");
  ASSERT_EQ(res->status, 303) << res->body;
  auto audit_page = c.Get("/audit?entity_type=user", {{"Cookie", admin.cookie}});
  ASSERT_EQ(audit_page->status, 200);
  EXPECT_NE(audit_page->body.find("user.create"), std::string::npos);
  EXPECT_NE(audit_page->body.find("new.starter"), std::string::npos);
  EXPECT_NE(audit_page->body.find("/api/v1/audit/export?format=csv"), std::string::npos);

  // A form error re-renders the form with the message next to the field.
  auto dup =
      c.Post("/users", {{"Cookie", admin.cookie}},
             "csrf_token=" + admin.csrf + "&username=new.starter&role=engineer&password=short",
             "application/x-www-form-urlencoded");
  EXPECT_GE(dup->status, 400);
  EXPECT_NE(dup->body.find("field-error"), std::string::npos);
  EXPECT_NE(dup->body.find("aria-describedby"), std::string::npos);

  // Export as CSV through the session cookie.
  auto csv = c.Get("/api/v1/audit/export?format=csv&entity_type=user", {{"Cookie", admin.cookie}});
  ASSERT_EQ(csv->status, 200);
  EXPECT_NE(csv->get_header_value("Content-Disposition").find("attachment"), std::string::npos);
  EXPECT_NE(csv->body.find("new.starter"), std::string::npos);
}

TEST_F(ServerTest, OpenApiDocumentListsEndpoints) {
  auto c = Client();
  auto res = c.Get("/api/v1/openapi.json");
  ASSERT_EQ(res->status, 200);
  json doc = Body(res);
  ASSERT_FALSE(doc.is_discarded());
  EXPECT_EQ(doc["openapi"].get<std::string>().substr(0, 2), "3.");
  for (const char* path : {"/api/v1/users", "/api/v1/users/{id}", "/api/v1/tokens", "/api/v1/audit",
                           "/api/v1/audit/export", "/api/v1/audit/verify", "/api/v1/contract",
                           "/api/v1/calendar/holidays", "/api/v1/calendar/working-days",
                           "/api/v1/suppliers", "/api/v1/suppliers/{id}", "/api/v1/me"}) {
    EXPECT_TRUE(doc["paths"].contains(path)) << path;
  }
  EXPECT_TRUE(doc["paths"]["/api/v1/users"].contains("post"));
}

TEST_F(ServerTest, PaginationReportsTotals) {
  const std::string token = TokenFor(auth::Role::kAdmin);
  auto c = Client();
  const std::int64_t total = UserCount();
  ASSERT_GE(total, 4);
  auto res = c.Get("/api/v1/users?limit=2&offset=1", Bearer(token));
  ASSERT_EQ(res->status, 200);
  json body = Body(res);
  EXPECT_EQ(body["total"], total);
  EXPECT_EQ(body["limit"], 2);
  EXPECT_EQ(body["offset"], 1);
  EXPECT_EQ(body["items"].size(), 2u);
  auto tail = c.Get("/api/v1/users?offset=" + std::to_string(total - 1), Bearer(token));
  EXPECT_EQ(Body(tail)["items"].size(), 1u);
  EXPECT_EQ(Body(tail)["limit"], 50);
  auto too_big = c.Get("/api/v1/users?limit=501", Bearer(token));
  EXPECT_EQ(too_big->status, 400);
  EXPECT_EQ(Body(too_big)["error"]["field"], "limit");

  auto audit = c.Get("/api/v1/audit?limit=3", Bearer(token));
  ASSERT_EQ(audit->status, 200);
  EXPECT_EQ(Body(audit)["total"], AuditCount());
  EXPECT_EQ(Body(audit)["items"].size(), 3u);
}

TEST_F(ServerTest, CalendarContractAndTokensApi) {
  const std::string token = TokenFor(auth::Role::kAdmin);
  auto c = Client();
  auto add = c.Get("/api/v1/calendar/working-days?from=2026-12-24&add=1", Bearer(token));
  ASSERT_EQ(add->status, 200) << add->body;
  EXPECT_EQ(Body(add)["result"], "2026-12-29");
  auto between =
      c.Get("/api/v1/calendar/working-days?from=2026-04-02&to=2026-04-07", Bearer(token));
  EXPECT_EQ(Body(between)["working_days"], 1);  // Good Friday and Easter Monday in between
  auto hols = c.Get("/api/v1/calendar/holidays?year=2026", Bearer(token));
  ASSERT_EQ(hols->status, 200);
  EXPECT_GE(Body(hols)["items"].size(), 8u);

  auto patch =
      c.Patch("/api/v1/contract", Bearer(token),
              R"({"reference":"REF-42","effective_date":"2026-01-05"})", "application/json");
  ASSERT_EQ(patch->status, 200) << patch->body;
  auto got = c.Get("/api/v1/contract", Bearer(token));
  EXPECT_NE(got->body.find("REF-42"), std::string::npos);
  EXPECT_NE(got->body.find("2026-01-05"), std::string::npos);

  // A token cannot mint tokens (issue 8); a signed-in session can.
  EXPECT_EQ(c.Post("/api/v1/tokens", Bearer(token), R"({"name":"ci"})", "application/json")->status,
            403);
  const Browser admin = LogIn("admin");
  auto created = c.Post("/api/v1/tokens", {{"Cookie", admin.cookie}, {"X-CSRF-Token", admin.csrf}},
                        R"({"name":"ci"})", "application/json");
  ASSERT_EQ(created->status, 201) << created->body;
  const std::string secret = Body(created)["secret"];
  const std::int64_t id = Body(created)["token"]["id"];
  auto me = c.Get("/api/v1/me", Bearer(secret));
  EXPECT_EQ(Body(me)["username"], "admin");
  auto del = c.Delete("/api/v1/tokens/" + std::to_string(id), Bearer(token));
  EXPECT_EQ(del->status, 204);
  EXPECT_EQ(c.Get("/api/v1/me", Bearer(secret))->status, 401);

  auto verify = c.Get("/api/v1/audit/verify", Bearer(token));
  ASSERT_EQ(verify->status, 200);
  EXPECT_EQ(Body(verify)["ok"], true);
}

TEST_F(ServerTest, UiPagesRenderForEveryRole) {
  auto c = Client();
  // Each page and the action that guards it: the exact status per role follows the matrix.
  const std::vector<std::pair<const char*, auth::Action>> pages = {
      {"/", auth::Action::kDashboardRead},
      {"/calendar?from=2026-12-24&add=1", auth::Action::kCalendarRead},
      {"/contract", auth::Action::kContractRead},
      {"/suppliers", auth::Action::kSupplierRead},
      {"/users", auth::Action::kUserRead},
      {"/audit", auth::Action::kAuditRead}};
  int refused = 0;
  for (auth::Role role : auth::kAllRoles) {
    Browser b = LogIn(UserWithRole(role).username);
    for (const auto& [path, action] : pages) {
      auto res = c.Get(path, {{"Cookie", b.cookie}});
      ASSERT_TRUE(res);
      const int expected = auth::RoleMay(role, action) ? 200 : 403;
      refused += expected == 403 ? 1 : 0;
      EXPECT_EQ(res->status, expected) << auth::RoleName(role) << " " << path;
      EXPECT_NE(res->body.find("Skip to main content"), std::string::npos);
    }
  }
  EXPECT_GT(refused, 0);  // the matrix refuses some role some page: the 403 path is exercised
  Browser admin = LogIn("admin");
  auto cal = c.Get("/calendar?from=2026-12-24&add=1", {{"Cookie", admin.cookie}});
  EXPECT_NE(cal->body.find("2026-12-29"), std::string::npos);
  auto out = c.Post("/logout", {{"Cookie", admin.cookie}}, "csrf_token=" + admin.csrf,
                    "application/x-www-form-urlencoded");
  EXPECT_EQ(out->status, 303);
  EXPECT_EQ(c.Get("/", {{"Cookie", admin.cookie}})->status, 303);
}

TEST_F(ServerTest, AccessLogHasNoSecrets) {
  StopServer();
  const std::string log_path = dir_.File("access.log");
  ServerOptions opts;
  opts.access_log_path = log_path;
  app_.reset();
  std::filesystem::remove(dir_.File("accredit.db"));
  Start(opts);
  const std::string token = TokenFor(auth::Role::kAdmin);
  Browser admin = LogIn("admin");
  auto c = Client();
  EXPECT_EQ(c.Get("/api/v1/users?limit=1&secret=hunter2", Bearer(token))->status, 200);
  EXPECT_EQ(c.Get("/?q=private", {{"Cookie", admin.cookie}})->status, 200);
  StopServer();

  const std::string log = testing::ReadFile(log_path);
  ASSERT_FALSE(log.empty());
  EXPECT_EQ(log.find(token), std::string::npos);
  EXPECT_EQ(log.find("acc_"), std::string::npos);
  EXPECT_EQ(log.find(admin.cookie.substr(admin.cookie.find('=') + 1)), std::string::npos);
  EXPECT_EQ(log.find(admin.csrf), std::string::npos);
  EXPECT_EQ(log.find("hunter2"), std::string::npos);
  EXPECT_EQ(log.find("private"), std::string::npos);
  EXPECT_EQ(log.find("limit="), std::string::npos);
  EXPECT_EQ(log.find("correct horse"), std::string::npos);
  std::istringstream lines(log);
  std::string line;
  bool saw_api = false;
  while (std::getline(lines, line)) {
    json j = json::parse(line, nullptr, false);
    ASSERT_FALSE(j.is_discarded()) << line;
    for (const char* k :
         {"ts", "method", "path", "status", "bytes", "duration_ms", "remote_addr", "user"}) {
      EXPECT_TRUE(j.contains(k)) << k << " in " << line;
    }
    if (j["path"] == "/api/v1/users") {
      saw_api = true;
      EXPECT_EQ(j["user"], "admin");
      EXPECT_EQ(j["status"], 200);
    }
  }
  EXPECT_TRUE(saw_api);
}

}  // namespace
}  // namespace accredit::http
