// Issue 8 over a real server: UTF-8 refused at the edge naming the field and offset, a token
// cannot mint tokens, and obligations never carry register content to a role that may not read
// the register.

#include <string>

#include <gtest/gtest.h>

#include "http/server_fixture.h"

namespace accredit::http {
namespace {

using nlohmann::json;

TEST_F(ServerTest, InvalidUtf8InAFormIsRefusedNamingTheFieldAndNothingIsStored) {
  // Seen: the byte 0xFF in POST /users gave a 500.
  const Browser b = LogIn("admin");
  const auto users = UserCount();
  const auto audit = AuditCount();
  auto res = Client().Post("/users", {{"Cookie", b.cookie}},
                           "csrf_token=" + b.csrf +
                               "&username=newbie&display_name=Bad%FFName&email=&role=auditor"
                               "&password=correct+horse+battery+staple",
                           "application/x-www-form-urlencoded");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 400) << res->body.substr(0, 500);
  EXPECT_NE(res->body.find("the value of &quot;display_name&quot; is not UTF-8 text (invalid byte "
                           "at offset 3)"),
            std::string::npos)
      << res->body;
  EXPECT_EQ(UserCount(), users);
  EXPECT_EQ(AuditCount(), audit);

  // The same through the JSON API: the body is refused at its byte offset.
  const std::string token = TokenFor(auth::Role::kAdmin);
  auto api = Client().Post("/api/v1/users", Bearer(token),
                           "{\"username\": \"newbie\", \"display_name\": \"Bad\xff\", \"role\": "
                           "\"auditor\", \"password\": \"correct horse battery staple\"}",
                           "application/json");
  ASSERT_TRUE(api);
  EXPECT_EQ(api->status, 400) << api->body;
  EXPECT_EQ(Body(api)["error"]["field"], "body");
  EXPECT_EQ(UserCount(), users);

  // A query parameter too.
  auto query = Client().Get("/api/v1/r/risks?q=%FF", Bearer(token));
  ASSERT_TRUE(query);
  EXPECT_EQ(query->status, 400) << query->body;
  EXPECT_EQ(Body(query)["error"]["field"], "q");
}

TEST_F(ServerTest, AnApiTokenCannotCreateTokens) {
  // Seen: a token created a new token with no expiry, which outlived its parent.
  const std::string token = TokenFor(auth::Role::kEngineer);
  auto res =
      Client().Post("/api/v1/tokens", Bearer(token), R"({"name": "child"})", "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 403) << res->body;
  // From a signed-in session it works, and the token has the 90-day maximum lifetime.
  const Browser b = LogIn("engineer");
  auto ok = Client().Post("/api/v1/tokens", {{"Cookie", b.cookie}, {"X-CSRF-Token", b.csrf}},
                          R"({"name": "laptop"})", "application/json");
  ASSERT_TRUE(ok);
  ASSERT_EQ(ok->status, 201) << ok->body;
  const json body = Body(ok);
  ASSERT_TRUE(body["token"]["expires_at"].is_string()) << ok->body;
  EXPECT_EQ(body["token"]["expires_at"], "2026-07-07T09:00:00.000Z");  // 8 Apr 09:00 + 90 days
}

TEST_F(ServerTest, ObligationsFollowWhatTheRoleMayRead) {
  // Seen: the vetting officer, who may read no register, read register content through
  // /api/v1/obligations and its feed.
  auto all =
      Client().Get("/api/v1/obligations?limit=500", Bearer(TokenFor(auth::Role::kSecurityManager)));
  auto vetting =
      Client().Get("/api/v1/obligations?limit=500", Bearer(TokenFor(auth::Role::kVettingOfficer)));
  ASSERT_TRUE(all && vetting);
  ASSERT_EQ(all->status, 200);
  ASSERT_EQ(vetting->status, 200);
  const json a = Body(all);
  const json v = Body(vetting);
  EXPECT_GT(a["total"].get<int>(), v["total"].get<int>());
  bool saw_register = false;
  for (const json& o : a["items"]) {
    saw_register = saw_register || o["subject"]["href"].get<std::string>().rfind("/r/", 0) == 0;
  }
  EXPECT_TRUE(saw_register);
  for (const json& o : v["items"]) {
    EXPECT_EQ(o["subject"]["href"].get<std::string>().rfind("/r/", 0), std::string::npos)
        << o.dump();
  }
  // The dashboard's lists are the same view.
  const Browser b = LogIn("vetting");
  auto page = Client().Get("/", {{"Cookie", b.cookie}});
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  EXPECT_EQ(page->body.find("href=\"/r/"), std::string::npos);
  // The gate still answers for the whole contract and says how many reasons are not shown.
  EXPECT_NE(page->body.find("id=\"gate-hidden\""), std::string::npos);
}

}  // namespace
}  // namespace accredit::http
