// End-to-end tests of the obligations over HTTP (issue 4, points 5 and 6): the API's filters and
// evaluation at a past instant, the processing gate, least privilege (the subcontractor sees no
// contract-wide obligations), 400s naming the field, the dashboard (gate, overdue and due-soon
// items, counts that agree with the API, the customer reviewer's "Awaiting your decision") and
// the /obligations page. The fixture's clock is Wed 8 Apr 2026 10:00 BST; Good Friday (3 Apr)
// and Easter Monday (6 Apr) are not Working Days.

#include <algorithm>
#include <chrono>
#include <regex>
#include <string>
#include <vector>

#include "http/server_fixture.h"

namespace accredit::http {
namespace {

using nlohmann::json;

constexpr const char* kJson = "application/json";

class ClocksHttpTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    secman_ = TokenFor(auth::Role::kSecurityManager);
  }

  json Get(const std::string& path, const std::string& token, int expect = 200) {
    auto c = Client();
    auto res = c.Get(path, Bearer(token));
    EXPECT_TRUE(res) << path;
    if (!res) {
      return {};
    }
    EXPECT_EQ(res->status, expect) << path << ": " << res->body;
    return Body(res);
  }

  std::int64_t Create(const std::string& reg, const json& fields) {
    auto c = Client();
    auto res = c.Post("/api/v1/r/" + reg, Bearer(secman_), fields.dump(), kJson);
    EXPECT_TRUE(res);
    EXPECT_EQ(res->status, 201) << res->body;
    return Body(res).value("id", std::int64_t{0});
  }

  void Patch(const std::string& reg, std::int64_t id, const json& fields) {
    auto c = Client();
    auto res = c.Patch("/api/v1/r/" + reg + "/" + std::to_string(id), Bearer(secman_),
                       fields.dump(), kJson);
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 200) << res->body;
  }

  std::int64_t Total(const std::string& query) {
    return Get("/api/v1/obligations?limit=500&" + query, secman_).value("total", std::int64_t{-1});
  }

  std::string Page(const Browser& b, const std::string& path, int expect = 200) {
    auto c = Client();
    auto res = c.Get(path, {{"Cookie", b.cookie}});
    EXPECT_TRUE(res) << path;
    if (!res) {
      return "";
    }
    EXPECT_EQ(res->status, expect) << path;
    return res->body;
  }

  // The HTML of the element with id `id` up to its closing </section>.
  static std::string Section(const std::string& html, const std::string& id) {
    const auto start = html.find("id=\"" + id + "\"");
    if (start == std::string::npos) {
      return "";
    }
    const auto end = html.find("</section>", start);
    return html.substr(start, end == std::string::npos ? std::string::npos : end - start);
  }

  // The number in <span ... id="<id>">N</span>.
  static std::int64_t Number(const std::string& html, const std::string& id) {
    std::smatch m;
    const std::regex re("id=\"" + id + "\">(\\d+)<");
    return std::regex_search(html, m, re) ? std::stoll(m[1].str()) : -1;
  }

  // "Showing a–b of N" on the obligations page.
  static std::int64_t PageTotal(const std::string& html) {
    std::smatch m;
    static const std::regex kRe(R"re(id="obligations-range">Showing \d+–\d+ of (\d+))re");
    return std::regex_search(html, m, kRe) ? std::stoll(m[1].str()) : -1;
  }

  // Two 5.13 events: A (architecture change, aware Wed 1 Apr, due Tue 7 Apr: overdue now) and
  // B (threat profile change, aware Tue 7 Apr, due Thu 9 Apr: due soon now).
  void RecordEvents() {
    event_a_ = Create("notifiable_events", {{"kind", "architecture_change"},
                                            {"description", "Second ingest cluster added"},
                                            {"became_aware_at", "2026-04-01T09:00:00Z"}});
    event_b_ = Create("notifiable_events", {{"kind", "threat_profile_change"},
                                            {"description", "NCSC alert on remote access"},
                                            {"became_aware_at", "2026-04-07T10:00:00Z"}});
  }

  static std::string Href(std::int64_t id) { return "/r/notifiable_events/" + std::to_string(id); }

  std::string secman_;
  std::int64_t event_a_ = 0;
  std::int64_t event_b_ = 0;
};

TEST_F(ClocksHttpTest, ApiFiltersByStateClauseAndDueWithin) {
  RecordEvents();
  json overdue = Get("/api/v1/obligations?clause=5.13&state=overdue", secman_);
  ASSERT_EQ(overdue["total"], 1) << overdue.dump();
  EXPECT_EQ(overdue["items"][0]["clause"], "S2.4-5.13.1");
  EXPECT_EQ(overdue["items"][0]["subject"]["href"], Href(event_a_));
  // Two Working Days after Wed 1 Apr, skipping Good Friday and Easter Monday.
  EXPECT_EQ(overdue["items"][0]["due"], "2026-04-07T23:59:59.999+01:00");
  EXPECT_EQ(overdue["counts"]["overdue"], 1);

  json b = Get("/api/v1/obligations?clause=5.13.3", secman_);
  ASSERT_EQ(b["total"], 1) << b.dump();
  EXPECT_EQ(b["items"][0]["state"], "due_soon");
  EXPECT_EQ(b["items"][0]["due"], "2026-04-09T23:59:59.999+01:00");
  EXPECT_EQ(b["items"][0]["subject"]["href"], Href(event_b_));

  // Due within 0 Working Days (by the end of today) holds the overdue A only; 1 Working Day
  // (the end of Thu 9 Apr) holds both.
  json today = Get("/api/v1/obligations?clause=5.13&due_within=0wd", secman_);
  ASSERT_EQ(today["total"], 1) << today.dump();
  EXPECT_EQ(today["items"][0]["subject"]["href"], Href(event_a_));
  EXPECT_EQ(Total("clause=5.13&due_within=1wd"), 2);
  EXPECT_EQ(Total("clause=5.13&state=met_on_time"), 0);
}

TEST_F(ClocksHttpTest, ApiAtAPastInstantShowsTheContractAsItStoodThen) {
  RecordEvents();
  // Fri 3 Apr: B was not yet known and A was not yet due.
  json then = Get("/api/v1/obligations?clause=5.13&at=2026-04-03T12:00:00Z", secman_);
  ASSERT_EQ(then["total"], 1) << then.dump();
  EXPECT_EQ(then["items"][0]["subject"]["href"], Href(event_a_));
  EXPECT_EQ(then["items"][0]["state"], "due_soon");
  EXPECT_EQ(then["at"], "2026-04-03T13:00:00.000+01:00");

  // A notified this morning, a day late: met late now, overdue as the contract stood at 08:00
  // (before the notification), and its 5.14 clock (RCR within 10 Working Days) starts then.
  Patch("notifiable_events", event_a_,
        {{"customer_notified_at", "2026-04-08T08:30:00Z"}, {"notified_to", "Accreditor"}});
  json now = Get("/api/v1/obligations?clause=5.13.1", secman_);
  ASSERT_EQ(now["total"], 1);
  EXPECT_EQ(now["items"][0]["state"], "met_late");
  json before = Get("/api/v1/obligations?clause=5.13.1&at=2026-04-08T08:00:00Z", secman_);
  ASSERT_EQ(before["total"], 1);
  EXPECT_EQ(before["items"][0]["state"], "overdue");
  EXPECT_EQ(Total("clause=5.14"), 1);
  EXPECT_EQ(Total("clause=5.14&at=2026-04-08T08:00:00Z"), 0);
}

TEST_F(ClocksHttpTest, GateAnswersWithEveryReason) {
  // The demo contract has no Risk Management Approval Statement yet (S2.4-5.11).
  json gate = Get("/api/v1/gate", secman_);
  EXPECT_EQ(gate["may_process"], false) << gate.dump();
  ASSERT_TRUE(gate["reasons"].is_array());
  ASSERT_FALSE(gate["reasons"].empty());
  const auto& reasons = gate["reasons"];
  const auto it = std::find_if(reasons.begin(), reasons.end(),
                               [](const json& r) { return r["clause"] == "S2.4-5.11"; });
  ASSERT_NE(it, reasons.end()) << gate.dump();
  EXPECT_EQ((*it)["subject"]["href"], "/contract");
  EXPECT_NE((*it)["text"].get<std::string>().find("Approval Statement"), std::string::npos);
  EXPECT_EQ(gate["at"], "2026-04-08T10:00:00.000+01:00");
  // The gate's reasons are the open obligations carrying the processing bar: every one is in the
  // obligations list too.
  json all = Get("/api/v1/obligations?limit=500", secman_);
  for (const auto& r : reasons) {
    const bool listed = std::any_of(all["items"].begin(), all["items"].end(),
                                    [&](const json& o) { return o["key"] == r["obligation_key"]; });
    EXPECT_TRUE(listed) << r.dump();
  }
}

TEST_F(ClocksHttpTest, SubcontractorSeesNoContractWideObligations) {
  RecordEvents();
  const std::string sub = TokenFor(auth::Role::kSubcontractor);
  json denied = Get("/api/v1/obligations", sub, 403);
  EXPECT_EQ(denied["error"]["code"], "permission_denied") << denied.dump();
  Get("/api/v1/gate", sub, 403);
  // Every role that reads the notifiable events register reads their obligations; the vetting
  // officer, who may read no register, sees none of them (issue 8: obligations never carry
  // register content to a role that may not read the register).
  for (auth::Role role : {auth::Role::kAdmin, auth::Role::kSecurityManager, auth::Role::kEngineer,
                          auth::Role::kCustomerReviewer, auth::Role::kAuditor}) {
    json ok = Get("/api/v1/obligations?clause=5.13", TokenFor(role));
    EXPECT_EQ(ok["total"], 2) << auth::RoleName(role);
  }
  EXPECT_EQ(Get("/api/v1/obligations?clause=5.13", TokenFor(auth::Role::kVettingOfficer))["total"],
            0);

  const Browser b = LogIn(UserWithRole(auth::Role::kSubcontractor).username);
  const std::string home = Page(b, "/");
  EXPECT_EQ(home.find("May the Core IMS process Customer Data now?"), std::string::npos);
  EXPECT_EQ(home.find(Href(event_a_)), std::string::npos);
  EXPECT_NE(home.find("limited to your own supplier"), std::string::npos);
  EXPECT_EQ(home.find("href=\"/obligations\""), std::string::npos);  // no nav entry
  const std::string page = Page(b, "/obligations", 403);
  EXPECT_EQ(page.find(Href(event_a_)), std::string::npos);
}

TEST_F(ClocksHttpTest, BadFiltersAre400NamingTheField) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"state=late", "state"},
      {"due_within=10x", "due_within"},
      {"due_within=wd", "due_within"},
      {"at=yesterday", "at"},
      {"limit=0", "limit"},
  };
  for (const auto& [query, field] : cases) {
    json e = Get("/api/v1/obligations?" + query, secman_, 400);
    EXPECT_EQ(e["error"]["field"], field) << query << ": " << e.dump();
  }
  json e = Get("/api/v1/gate?at=2026-13-01", secman_, 400);
  EXPECT_EQ(e["error"]["field"], "at") << e.dump();

  const Browser b = LogIn("secman");
  const std::string page = Page(b, "/obligations?due_within=ten", 400);
  EXPECT_NE(page.find("due-within"), std::string::npos);
  EXPECT_NE(page.find("id=\"f-due_within\" name=\"due_within\" type=\"text\" value=\"ten\""),
            std::string::npos);
  EXPECT_NE(page.find("aria-invalid=\"true\""), std::string::npos);
  EXPECT_NE(Page(b, "/obligations?at=soon", 400).find("id=\"f-at\""), std::string::npos);
  Page(b, "/obligations?due_from=2026-02-30", 400);
  Page(b, "/obligations?offset=-5", 400);
}

TEST_F(ClocksHttpTest, DashboardShowsGateOverdueAndDueSoonItemsAndCountsAgreeWithApi) {
  RecordEvents();
  const Browser b = LogIn("secman");
  const std::string home = Page(b, "/");
  const std::string gate = Section(home, "gate");
  ASSERT_FALSE(gate.empty()) << home;
  EXPECT_NE(gate.find("May the Core IMS process Customer Data now?"), std::string::npos);
  EXPECT_NE(gate.find("id=\"gate-answer\">No<"), std::string::npos) << gate;
  EXPECT_NE(gate.find("<li><span class=\"clause\">S2.4-5.11</span>"), std::string::npos) << gate;
  EXPECT_NE(gate.find("href=\"/contract\""), std::string::npos);

  const std::string overdue = Section(home, "overdue");
  EXPECT_NE(overdue.find("href=\"" + Href(event_a_) + "\""), std::string::npos) << overdue;
  EXPECT_NE(overdue.find("S2.4-5.13.1"), std::string::npos);
  EXPECT_NE(overdue.find("Tue 7 Apr 2026 23:59"), std::string::npos);
  EXPECT_EQ(overdue.find(Href(event_b_)), std::string::npos);
  const std::string soon = Section(home, "due-soon");
  EXPECT_NE(soon.find("href=\"" + Href(event_b_) + "\""), std::string::npos) << soon;
  EXPECT_NE(soon.find("Due soon"), std::string::npos);
  EXPECT_EQ(soon.find(Href(event_a_)), std::string::npos);

  // The counts are those of the API: overdue; due in the next 10 Working Days but not overdue.
  EXPECT_EQ(Number(home, "count-overdue"), Total("state=overdue"));
  EXPECT_GE(Number(home, "count-overdue"), 1);
  EXPECT_EQ(Number(home, "count-soon"), Total("due_within=10wd") - Total("state=overdue"));
  EXPECT_EQ(Number(home, "count-waived"), Total("state=waived"));

  // The clause table has a row for 5.13.1 linking to its overdue obligation, and a row for
  // every rule (zeros included).
  const std::string clauses = Section(home, "clauses");
  EXPECT_NE(clauses.find("href=\"/obligations?clause=S2.4-5.13.1&amp;state=overdue\""),
            std::string::npos)
      << clauses;
  for (const clocks::Rule& r : clocks::Rules()) {
    EXPECT_NE(clauses.find(r.clause), std::string::npos) << r.clause;
  }
  // The timeline: this week holds B (due Thu 9 Apr).
  const std::string timeline = Section(home, "timeline");
  EXPECT_NE(timeline.find("This week, from Mon 6 Apr 2026"), std::string::npos) << timeline;
  EXPECT_NE(timeline.find("due_from=2026-04-06&amp;due_to=2026-04-12"), std::string::npos);
  EXPECT_NE(timeline.find(Href(event_b_)), std::string::npos);
  // Not the reviewer's section.
  EXPECT_EQ(home.find("Awaiting your decision"), std::string::npos);
  // The existing parts stay.
  EXPECT_NE(home.find("id=\"contract-heading\""), std::string::npos);
}

TEST_F(ClocksHttpTest, ObligationsPageFiltersAndAgreesWithApi) {
  RecordEvents();
  const Browser b = LogIn("secman");
  const std::string overdue = Page(b, "/obligations?clause=5.13&state=overdue");
  EXPECT_NE(overdue.find("href=\"" + Href(event_a_) + "\""), std::string::npos) << overdue;
  EXPECT_EQ(overdue.find(Href(event_b_)), std::string::npos);
  EXPECT_EQ(PageTotal(overdue), 1);
  EXPECT_NE(overdue.find("<option value=\"overdue\" selected>"), std::string::npos);
  EXPECT_NE(overdue.find("aria-current=\"page\">Obligations<"), std::string::npos);

  for (const std::string query :
       {"", "clause=5.13", "due_within=10wd", "due_within=3d", "state=due_soon", "state=upcoming",
        "customer=1", "overdue=1", "clause=S2.4-7", "at=2026-04-03T12:00:00Z&clause=5.13",
        "at=2026-05-20T12:00:00Z", "at=2026-04-03%2013:00&state=due_soon"}) {
    EXPECT_EQ(PageTotal(Page(b, "/obligations?" + query)), Total(query)) << query;
  }
  // The page's own state groups and due date range.
  EXPECT_EQ(PageTotal(Page(b, "/obligations?state=pending")),
            Total("state=upcoming") + Total("state=due_soon"));
  EXPECT_EQ(PageTotal(Page(b, "/obligations?state=open")), Total("open=1"));
  const std::string week =
      Page(b, "/obligations?clause=5.13&due_from=2026-04-09&due_to=2026-04-09");
  EXPECT_EQ(PageTotal(week), 1);
  EXPECT_NE(week.find(Href(event_b_)), std::string::npos);
  // Evaluated in the past: says so.
  const std::string past = Page(b, "/obligations?at=2026-04-03T12:00:00Z");
  EXPECT_NE(past.find("Fri 3 Apr 2026 13:00"), std::string::npos);
  EXPECT_NE(past.find("as the contract stood then"), std::string::npos);
  // Paging: offset 1 of the clause 5.13 list shows the second item only.
  const std::string second = Page(b, "/obligations?clause=5.13&offset=1");
  EXPECT_NE(second.find("Showing 2–2 of 2"), std::string::npos) << second;
  EXPECT_NE(second.find("rel=\"prev\""), std::string::npos);
}

TEST_F(ClocksHttpTest, ReviewerSeesWhatAwaitsItsDecision) {
  RecordEvents();
  // An event notified and its RCR update provided, not yet approved (S2.4-5.14).
  const std::int64_t c =
      Create("notifiable_events", {{"kind", "site_change_proposal"},
                                   {"description", "Destruction site added"},
                                   {"became_aware_at", "2026-04-01T09:00:00Z"},
                                   {"customer_notified_at", "2026-04-01T15:00:00Z"},
                                   {"rcr_provided_at", "2026-04-07T10:00:00Z"}});
  // A submission of an issued RMD version: the Customer's 15 Working Day target (S2.4-5.5).
  auth::User secman = UserWithRole(auth::Role::kSecurityManager);
  auto issued = app_->reports->IssueRmd(
      auth::Principal{secman.id, secman.username, secman.role, secman.supplier_id}, "test");
  ASSERT_TRUE(issued.ok()) << issued.error().message;
  const std::int64_t submission =
      Create("accreditation_events", {{"kind", "submission"},
                                      {"at", FormatInstantUtc(clock_.Now())},
                                      {"rmd_version", issued->version}});

  const Browser reviewer = LogIn(UserWithRole(auth::Role::kCustomerReviewer).username);
  std::string awaiting = Section(Page(reviewer, "/"), "awaiting");
  ASSERT_FALSE(awaiting.empty());
  EXPECT_NE(awaiting.find("Awaiting your decision"), std::string::npos);
  EXPECT_NE(awaiting.find("href=\"" + Href(c) + "\""), std::string::npos) << awaiting;
  EXPECT_NE(awaiting.find("href=\"/r/accreditation_events/" + std::to_string(submission) + "\""),
            std::string::npos)
      << awaiting;
  EXPECT_EQ(awaiting.find(Href(event_a_)), std::string::npos);

  Patch("notifiable_events", c, {{"rcr_approved_at", "2026-04-08T08:00:00Z"}});
  awaiting = Section(Page(reviewer, "/"), "awaiting");
  EXPECT_EQ(awaiting.find(Href(c)), std::string::npos) << awaiting;
  EXPECT_NE(awaiting.find("/r/accreditation_events/"), std::string::npos);
}

// 100,000 open obligations: the dashboard still counts them all and caps its lists. (Latency
// is measured by bench/clocks_http.sh, not asserted here: no timing assertions in tests.) The
// events are inserted by SQL to keep the set-up short; the engine sees them through its change
// triggers.
TEST_F(ClocksHttpTest, DashboardWith100000OpenObligationsSlow) {
  {
    auto conn = app_->store->Acquire();
    ASSERT_TRUE(conn.ok());
    auto tx = (*conn)->Begin();
    ASSERT_TRUE(tx.ok());
    auto n = (*conn)->Execute(
        "WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < 100000) "
        "INSERT INTO notifiable_events (kind, description, became_aware_at, created_at, "
        "updated_at) SELECT 'new_risk_or_vulnerability', 'Bulk event ' || i, "
        "strftime('%Y-%m-%dT%H:%M:%fZ', '2026-04-07T00:00:00Z', '+' || (i % 30000) || ' seconds'), "
        "'2026-04-08T08:00:00.000Z', '2026-04-08T08:00:00.000Z' FROM seq");
    ASSERT_TRUE(n.ok()) << n.error().internal;
    ASSERT_EQ(*n, 100000);
    ASSERT_TRUE(tx->Commit().ok());
  }
  EXPECT_GE(Total("clause=5.13.2&open=1"), 100000);
  const Browser b = LogIn("secman");
  const std::string home = Page(b, "/");
  EXPECT_GE(Number(home, "count-soon"), 100000);
  const std::string due_soon = Section(home, "due-soon");
  EXPECT_NE(due_soon.find("See all due in the next 10 Working Days"), std::string::npos);
  // The list is capped: at most 20 items are rendered, whatever the count.
  std::size_t items = 0;
  for (std::size_t at = due_soon.find("Bulk event"); at != std::string::npos;
       at = due_soon.find("Bulk event", at + 1)) {
    ++items;
  }
  EXPECT_GT(items, 0U);
  EXPECT_LE(items, 20U);
}

}  // namespace
}  // namespace accredit::http
