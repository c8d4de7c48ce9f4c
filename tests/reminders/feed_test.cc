// The iCalendar feed over a real server on the demo contract: the token is the credential,
// creating a new feed revokes the old, revoked tokens and disabled users get 404, the feed
// holds exactly the open obligations, and the token never reaches the access log or audit log.

#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "http/server_fixture.h"
#include "reminders/reminders.h"

namespace accredit::http {
namespace {

using nlohmann::json;

std::set<std::string> Uids(const std::string& ics) {
  std::set<std::string> out;
  std::istringstream in(ics);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("UID:", 0) == 0) {
      out.insert(line.substr(4, line.size() - 4 - (line.ends_with("\r") ? 1 : 0)));
    }
  }
  return out;
}

class FeedTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerOptions opts;
    opts.access_log_path = dir_.File("access.log");
    Start(opts);
    SetBaseUrl("http://127.0.0.1:" + std::to_string(port_));
  }

  void SetBaseUrl(const std::string& url) {
    reminders::SettingsPatch patch;
    patch.base_url = url;
    ASSERT_TRUE(app_->reminders->Configure(auth::CliOperator("test"), patch).ok());
  }

  // POST /api/v1/me/calendar-feed as the demo user with `role`: the feed URL.
  std::string CreateFeed(const std::string& bearer) {
    auto res = Client().Post("/api/v1/me/calendar-feed", Bearer(bearer), "", "application/json");
    EXPECT_TRUE(res);
    EXPECT_EQ(res->status, 201) << res->body;
    return Body(res).value("url", "");
  }

  // The path of a feed URL ("/calendar/acf_....ics").
  static std::string PathOf(const std::string& url) { return url.substr(url.find("/calendar/")); }
};

TEST_F(FeedTest, FeedHoldsEveryOpenObligationAndNothingElse) {
  const std::string token = TokenFor(auth::Role::kSecurityManager);
  const std::string url = CreateFeed(token);
  ASSERT_EQ(url.rfind("http://127.0.0.1:" + std::to_string(port_) + "/calendar/acf_", 0), 0u)
      << url;
  auto feed = Client().Get(PathOf(url));  // no cookie, no bearer
  ASSERT_TRUE(feed);
  ASSERT_EQ(feed->status, 200);
  EXPECT_EQ(feed->get_header_value("Content-Type"), "text/calendar; charset=utf-8");
  EXPECT_EQ(feed->get_header_value("Cache-Control"), "no-store");

  auto api = Client().Get("/api/v1/obligations?open=1&limit=500", Bearer(token));
  ASSERT_EQ(api->status, 200);
  std::set<std::string> expected;
  const json body = Body(api);
  for (const json& o : body["items"]) {
    expected.insert(o["key"].get<std::string>() + "@accredit");
  }
  ASSERT_FALSE(expected.empty());  // the demo contract has open obligations on 8 Apr 2026
  // Folded lines would split a UID; the demo keys are short enough to stay on one line.
  EXPECT_EQ(Uids(feed->body), expected);
}

TEST_F(FeedTest, RevokedReplacedUnknownAndDisabledGive404) {
  const std::string token = TokenFor(auth::Role::kEngineer);
  const std::string first = PathOf(CreateFeed(token));
  EXPECT_EQ(Client().Get(first)->status, 200);
  // A new feed address replaces the old one.
  const std::string second = PathOf(CreateFeed(token));
  EXPECT_NE(first, second);
  EXPECT_EQ(Client().Get(first)->status, 404);
  EXPECT_EQ(Client().Get(second)->status, 200);
  auto status = Client().Get("/api/v1/me/calendar-feed", Bearer(token));
  EXPECT_EQ(Body(status)["active"], true);
  // Revoked.
  EXPECT_EQ(Client().Delete("/api/v1/me/calendar-feed", Bearer(token))->status, 204);
  EXPECT_EQ(Client().Get(second)->status, 404);
  EXPECT_EQ(Client().Delete("/api/v1/me/calendar-feed", Bearer(token))->status, 404);
  EXPECT_EQ(Body(Client().Get("/api/v1/me/calendar-feed", Bearer(token)))["active"], false);
  // Unknown and malformed tokens.
  EXPECT_EQ(Client().Get("/calendar/acf_0123456789abcdef.ics")->status, 404);
  EXPECT_EQ(Client().Get("/calendar/nonsense.ics")->status, 404);

  // A disabled user's feed stops working, and re-enabling the account revives nothing
  // (issue 8: a reset, disable or role change voids every credential).
  const std::string vetting_token = TokenFor(auth::Role::kVettingOfficer);
  const std::string third = PathOf(CreateFeed(vetting_token));
  EXPECT_EQ(Client().Get(third)->status, 200);
  const auth::User vetting = UserWithRole(auth::Role::kVettingOfficer);
  clock_.Advance(std::chrono::seconds(1));
  ASSERT_TRUE(app_->accounts->DisableUser(auth::CliOperator("test"), vetting.id, "left").ok());
  EXPECT_EQ(Client().Get(third)->status, 404);
  ASSERT_TRUE(app_->accounts->EnableUser(auth::CliOperator("test"), vetting.id).ok());
  EXPECT_EQ(Client().Get(third)->status, 404);
  // The vetting officer's old API token was revoked with it.
  EXPECT_EQ(Client().Get("/api/v1/me", Bearer(vetting_token))->status, 401);
}

TEST_F(FeedTest, FeedUrlsComeOnlyFromConfiguration) {
  // Seen: with no base URL configured, the feed URL was built from the request's Host header.
  const std::string token = TokenFor(auth::Role::kSecurityManager);
  auto evil = Client().Post("/api/v1/me/calendar-feed",
                            {{"Authorization", "Bearer " + token}, {"Host", "evil.example"}}, "",
                            "application/json");
  ASSERT_TRUE(evil);
  ASSERT_EQ(evil->status, 201);
  EXPECT_EQ(Body(evil)["url"].get<std::string>().find("evil.example"), std::string::npos);
  SetBaseUrl("");
  auto refused = Client().Post("/api/v1/me/calendar-feed", Bearer(token), "", "application/json");
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 409) << refused->body;
  EXPECT_NE(refused->body.find("--base-url"), std::string::npos) << refused->body;
  // Nothing was minted: the feed made above is still the active one.
  auto conn = app_->store->Acquire();
  EXPECT_EQ((*conn)->QueryOne("SELECT count(*) FROM calendar_feeds").value()[0].Int(), 1);
}

TEST_F(FeedTest, SubcontractorsMayNotHaveAFeed) {
  const std::string token = TokenFor(auth::Role::kSubcontractor);
  auto res = Client().Post("/api/v1/me/calendar-feed", Bearer(token), "", "application/json");
  EXPECT_EQ(res->status, 403);
  // Obligations are contract-wide; a sub-contractor's view is its own supplier's records.
  const Browser b = LogIn("subcontractor");
  EXPECT_EQ(Client().Get("/calendar-feed", {{"Cookie", b.cookie}})->status, 403);
  auto page = Client().Post("/calendar-feed", {{"Cookie", b.cookie}}, "csrf_token=" + b.csrf,
                            "application/x-www-form-urlencoded");
  EXPECT_EQ(page->status, 403);
  auto conn = app_->store->Acquire();
  EXPECT_EQ((*conn)->QueryOne("SELECT count(*) FROM calendar_feeds").value()[0].Int(), 0);
}

TEST_F(FeedTest, TokenIsAuditedNeverStoredOrLoggedInTheClear) {
  const std::string token = TokenFor(auth::Role::kAuditor);
  const std::string path = PathOf(CreateFeed(token));
  ASSERT_EQ(Client().Get(path)->status, 200);
  ASSERT_EQ(Client().Delete("/api/v1/me/calendar-feed", Bearer(token))->status, 204);
  const std::string secret = path.substr(std::string("/calendar/").size(),
                                         path.size() - std::string("/calendar/.ics").size());

  auto conn = app_->store->Acquire();
  audit::Filter f;
  f.entity_type = "calendar_feed";
  const auto records = app_->audit->List(**conn, f).value();
  ASSERT_EQ(records.size(), 2u);  // create, revoke
  std::set<std::string> actions;
  for (const auto& r : records) {
    actions.insert(r.entry.action);
    EXPECT_EQ(r.entry.after_json.find(secret), std::string::npos);
  }
  EXPECT_EQ(actions, (std::set<std::string>{"calendar_feed.create", "calendar_feed.revoke"}));
  auto stored = (*conn)->Query("SELECT token_hash FROM calendar_feeds");
  ASSERT_TRUE(stored.ok());
  ASSERT_EQ(stored->size(), 1u);
  EXPECT_EQ((*stored)[0][0].Text(), Sha256Hex(secret));

  StopServer();  // flushes and closes the access log
  const std::string log = testing::ReadFile(dir_.File("access.log"));
  EXPECT_NE(log.find("/calendar/<redacted>.ics"), std::string::npos) << log;
  EXPECT_EQ(log.find(secret), std::string::npos);
}

TEST_F(FeedTest, PageCreatesShowsOnceAndRevokes) {
  const Browser b = LogIn("secman");
  auto c = Client();
  auto created = c.Post("/calendar-feed", {{"Cookie", b.cookie}}, "csrf_token=" + b.csrf,
                        "application/x-www-form-urlencoded");
  ASSERT_EQ(created->status, 200) << created->body;
  std::smatch m;
  const std::regex re(R"re(value="(http://[^"]+/calendar/(acf_[0-9a-f]+)\.ics)")re");
  ASSERT_TRUE(std::regex_search(created->body, m, re)) << created->body;
  const std::string feed_path = "/calendar/" + m[2].str() + ".ics";
  EXPECT_EQ(c.Get(feed_path)->status, 200);
  // Shown once: the page afterwards says a feed exists but not its address.
  auto page = c.Get("/calendar-feed", {{"Cookie", b.cookie}});
  EXPECT_NE(page->body.find("You have an active feed"), std::string::npos);
  EXPECT_EQ(page->body.find(m[2].str()), std::string::npos);
  // Without the CSRF token nothing happens.
  auto forged = c.Post("/calendar-feed/revoke", {{"Cookie", b.cookie}}, "",
                       "application/x-www-form-urlencoded");
  EXPECT_NE(forged->status, 303);
  EXPECT_EQ(c.Get(feed_path)->status, 200);
  auto revoked = c.Post("/calendar-feed/revoke", {{"Cookie", b.cookie}}, "csrf_token=" + b.csrf,
                        "application/x-www-form-urlencoded");
  EXPECT_EQ(revoked->status, 303);
  EXPECT_EQ(c.Get(feed_path)->status, 404);
}

TEST(RedactTest, FeedPathsAreRedactedForTheLog) {
  // The http module's access-log filter (declared in http/internal.h; checked end to end above).
  EXPECT_EQ(reminders::RedactUrl("https://u:pw@hooks.example/a/b?token=1#x"),
            "https://hooks.example/a/b?…");
  EXPECT_EQ(reminders::RedactUrl("smtp://mail.example:587"), "smtp://mail.example:587");
}

}  // namespace
}  // namespace accredit::http
