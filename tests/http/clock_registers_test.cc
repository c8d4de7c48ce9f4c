// The registers of issue 4 through the generic REST API and web pages: instant fields (JSON,
// datetime-local forms in London time, London display, CSV), the append-only accreditation
// workflow and who may record which of its events. The server clock is Wed 8 Apr 2026 10:00
// BST (server_fixture.h), so the demo holds no dated clock records yet.

#include <string>

#include "http/server_fixture.h"

namespace accredit::http {
namespace {

using nlohmann::json;
using registers::RegisterService;

constexpr const char* kForm = "application/x-www-form-urlencoded";
constexpr const char* kJson = "application/json";

class ClockRegistersHttpTest : public ServerTest {
 protected:
  httplib::Result PostForm(const Browser& b, const std::string& path, const std::string& body) {
    auto c = Client();
    return c.Post(path.c_str(), {{"Cookie", b.cookie}}, "csrf_token=" + b.csrf + "&" + body, kForm);
  }

  httplib::Result GetAs(const Browser& b, const std::string& path) {
    auto c = Client();
    return c.Get(path.c_str(), {{"Cookie", b.cookie}});
  }

  std::int64_t Count(const char* reg) {
    auto list =
        app_->register_service->List(auth::CliOperator("test"), *RegisterService::Find(reg), {});
    EXPECT_TRUE(list.ok());
    return list.ok() ? list->total : -1;
  }

  static bool Has(const httplib::Result& res, const std::string& text) {
    return res->body.find(text) != std::string::npos;
  }
};

TEST_F(ClockRegistersHttpTest, InstantFieldsInTheApiFormsPagesAndCsv) {
  const std::string token = TokenFor(auth::Role::kSecurityManager);
  auto c = Client();

  // JSON in: London wall clock (BST); JSON out: canonical UTC.
  auto created = c.Post("/api/v1/r/notifiable_events", Bearer(token),
                        R"({"kind":"architecture_change","description":"New DR cluster",
                            "became_aware_at":"2026-04-07 10:00",
                            "customer_notified_at":"2026-04-07T15:15:30+01:00"})",
                        kJson);
  ASSERT_EQ(created->status, 201) << created->body;
  const json rec = Body(created);
  EXPECT_EQ(rec["became_aware_at"], "2026-04-07T09:00:00.000Z");
  EXPECT_EQ(rec["customer_notified_at"], "2026-04-07T14:15:30.000Z");
  EXPECT_TRUE(rec["rcr_provided_at"].is_null());
  const std::string path = "/r/notifiable_events/" + std::to_string(rec["id"].get<int>());

  auto bad =
      c.Post("/api/v1/r/notifiable_events", Bearer(token),
             R"({"kind":"architecture_change","description":"x","became_aware_at":"soon"})", kJson);
  EXPECT_EQ(bad->status, 400);
  EXPECT_EQ(Body(bad)["error"]["field"], "became_aware_at");
  EXPECT_EQ(Body(bad)["error"]["message"].get<std::string>().rfind("not an instant: ", 0), 0u)
      << bad->body;
  auto future = c.Post("/api/v1/r/notifiable_events", Bearer(token),
                       R"({"kind":"architecture_change","description":"x",
                           "became_aware_at":"2026-04-08T09:00:01Z"})",
                       kJson);
  EXPECT_EQ(future->status, 400);
  EXPECT_EQ(Body(future)["error"]["field"], "became_aware_at");

  // The definitions name the type.
  auto defs = c.Get("/api/v1/registers", Bearer(token));
  ASSERT_EQ(defs->status, 200);
  const auto defs_body = Body(defs);  // a named value: the loop must not outlive a temporary
  for (const auto& def : defs_body["items"]) {
    if (def["name"] == "notifiable_events") {
      EXPECT_EQ(def["fields"][2]["name"], "became_aware_at");
      EXPECT_EQ(def["fields"][2]["type"], "instant");
      EXPECT_EQ(def["append_only"], false);
    }
    if (def["name"] == "accreditation_events") {
      EXPECT_EQ(def["append_only"], true);
    }
  }

  // The web form: datetime-local inputs in London time.
  Browser b = LogIn("secman");
  auto form = GetAs(b, "/r/notifiable_events/new");
  ASSERT_EQ(form->status, 200);
  EXPECT_TRUE(Has(
      form, R"(<input id="became_aware_at" name="became_aware_at" type="datetime-local" value="")"))
      << form->body;
  EXPECT_TRUE(Has(form, "London time."));
  auto posted = PostForm(b, "/r/notifiable_events",
                         "kind=site_change_proposal&description=Shredsure+Warrington"
                         "&became_aware_at=2026-04-06T10%3A30");
  ASSERT_EQ(posted->status, 303) << posted->body;
  const std::string form_path = posted->get_header_value("Location");
  auto stored = c.Get(("/api/v1" + form_path).c_str(), Bearer(token));
  ASSERT_EQ(stored->status, 200) << form_path;
  EXPECT_EQ(Body(stored)["became_aware_at"], "2026-04-06T09:30:00.000Z");

  auto edit = GetAs(b, form_path + "/edit");
  ASSERT_EQ(edit->status, 200);
  EXPECT_TRUE(Has(edit, R"(type="datetime-local" value="2026-04-06T10:30")")) << edit->body;
  // Seconds are kept (and the input steps in seconds, so the browser accepts them).
  auto edit_seconds = GetAs(b, path + "/edit");
  EXPECT_TRUE(Has(
      edit_seconds,
      R"(name="customer_notified_at" type="datetime-local" value="2026-04-07T15:15:30" step="1")"))
      << edit_seconds->body;
  // Saving the edit form unchanged keeps the instants exactly.
  auto resaved = PostForm(b, path,
                          "kind=architecture_change&description=New+DR+cluster"
                          "&became_aware_at=2026-04-07T10%3A00"
                          "&customer_notified_at=2026-04-07T15%3A15%3A30");
  ASSERT_EQ(resaved->status, 303) << resaved->body;
  auto again = c.Get(("/api/v1" + path).c_str(), Bearer(token));
  EXPECT_EQ(Body(again)["became_aware_at"], "2026-04-07T09:00:00.000Z");
  EXPECT_EQ(Body(again)["customer_notified_at"], "2026-04-07T14:15:30.000Z");

  // An instant in the autumn fold's second hour (01:30 GMT) cannot be a datetime-local value
  // (01:30 London reads as the first, BST): the form shows it with its offset in a text input.
  auto fold = c.Post("/api/v1/r/notifiable_events", Bearer(token),
                     R"({"kind":"threat_profile_change","description":"fold",
                         "became_aware_at":"2026-04-07 11:00",
                         "customer_notified_at":"2026-10-25T01:30:00Z"})",
                     kJson);
  ASSERT_EQ(fold->status, 201) << fold->body;
  auto fold_edit =
      GetAs(b, "/r/notifiable_events/" + std::to_string(Body(fold)["id"].get<int>()) + "/edit");
  EXPECT_TRUE(
      Has(fold_edit,
          R"(name="customer_notified_at" type="text" value="2026-10-25T01:30:00.000+00:00")"))
      << fold_edit->body;
  EXPECT_TRUE(
      Has(fold_edit, R"(name="became_aware_at" type="datetime-local" value="2026-04-07T11:00")"));

  // A form error keeps the value and names the field.
  auto wrong =
      PostForm(b, "/r/notifiable_events",
               "kind=site_change_proposal&description=x"
               "&became_aware_at=2026-04-06T10%3A30&customer_notified_at=2026-04-06T10%3A29");
  EXPECT_EQ(wrong->status, 400);
  EXPECT_TRUE(Has(wrong, R"(id="customer_notified_at-error")")) << wrong->body;
  EXPECT_TRUE(Has(wrong, "must not be before became_aware_at"));
  EXPECT_TRUE(Has(wrong, R"(value="2026-04-06T10:29")"));

  // Pages show London time.
  auto detail = GetAs(b, form_path);
  ASSERT_EQ(detail->status, 200);
  EXPECT_TRUE(Has(detail, "Mon 6 Apr 2026 10:30")) << detail->body;
  auto list = GetAs(b, "/r/notifiable_events");
  ASSERT_EQ(list->status, 200);
  EXPECT_TRUE(Has(list, "Tue 7 Apr 2026 10:00"));
  EXPECT_TRUE(Has(list, "Tue 7 Apr 2026 15:15"));

  // CSV out: UTC; CSV in: any accepted form.
  auto csv = c.Get("/api/v1/r/notifiable_events/export.csv", Bearer(token));
  ASSERT_EQ(csv->status, 200);
  EXPECT_TRUE(Has(csv, "2026-04-06T09:30:00.000Z"));
  EXPECT_TRUE(Has(csv, "2026-04-07T14:15:30.000Z"));
  const std::int64_t before = Count("notifiable_events");
  auto imported = c.Post("/api/v1/r/notifiable_events/import", Bearer(token),
                         "kind,description,became_aware_at\n"
                         "threat_profile_change,NCSC alert,2026-04-02 08:00\n",
                         "text/csv");
  ASSERT_EQ(imported->status, 200) << imported->body;
  EXPECT_EQ(Count("notifiable_events"), before + 1);
}

TEST_F(ClockRegistersHttpTest, AccreditationWorkflowRolesAndAppendOnly) {
  auto c = Client();
  const std::string secman = TokenFor(auth::Role::kSecurityManager);
  const std::string reviewer = TokenFor(auth::Role::kCustomerReviewer);
  auto issued = c.Post("/api/v1/rmd/versions", Bearer(secman), R"({"note":"For decision"})", kJson);
  ASSERT_EQ(issued->status, 201) << issued->body;
  const int version = Body(issued)["version"];

  const json submission = {
      {"kind", "submission"}, {"at", "2026-04-07 10:00"}, {"rmd_version", version}};
  for (auth::Role role : {auth::Role::kEngineer, auth::Role::kAuditor}) {
    auto refused =
        c.Post("/api/v1/r/accreditation_events", Bearer(TokenFor(role)), submission.dump(), kJson);
    EXPECT_EQ(refused->status, 403) << auth::RoleName(role);
  }
  EXPECT_EQ(
      c.Post("/api/v1/r/accreditation_events", Bearer(reviewer), submission.dump(), kJson)->status,
      403);
  auto submitted =
      c.Post("/api/v1/r/accreditation_events", Bearer(secman), submission.dump(), kJson);
  ASSERT_EQ(submitted->status, 201) << submitted->body;
  EXPECT_EQ(Body(submitted)["at"], "2026-04-07T09:00:00.000Z");
  EXPECT_EQ(Body(submitted)["state_after"], "awaiting_decision");
  const std::string api_path =
      "/api/v1/r/accreditation_events/" + std::to_string(Body(submitted)["id"].get<int>());

  const json approval = {
      {"kind", "approval"}, {"at", "2026-04-08 09:30"}, {"reference", "HE-RMAS-2026-01"}};
  auto forged = c.Post("/api/v1/r/accreditation_events", Bearer(secman), approval.dump(), kJson);
  EXPECT_EQ(forged->status, 403);
  EXPECT_NE(Body(forged)["error"]["message"].get<std::string>().find("accreditation.decide"),
            std::string::npos)
      << forged->body;
  auto approved =
      c.Post("/api/v1/r/accreditation_events", Bearer(reviewer), approval.dump(), kJson);
  ASSERT_EQ(approved->status, 201) << approved->body;
  EXPECT_EQ(Body(approved)["state_after"], "approved");
  auto twice = c.Post("/api/v1/r/accreditation_events", Bearer(reviewer), approval.dump(), kJson);
  EXPECT_EQ(twice->status, 409);
  EXPECT_EQ(Body(twice)["error"]["field"], "kind");
  EXPECT_EQ(Body(twice)["error"]["message"],
            "approval is not possible now: no submission is awaiting a decision (state: approved)");

  // Append-only through the API.
  const std::int64_t events = Count("accreditation_events");
  auto patched = c.Patch(api_path, Bearer(secman), R"({"notes":"rewritten"})", kJson);
  EXPECT_EQ(patched->status, 409);
  EXPECT_NE(Body(patched)["error"]["message"].get<std::string>().find(
                "accreditation_events are a dated record and cannot be changed or deleted"),
            std::string::npos)
      << patched->body;
  EXPECT_EQ(c.Delete(api_path, Bearer(secman))->status, 409);
  EXPECT_EQ(Count("accreditation_events"), events);

  // The pages: no edit or delete for anyone; the edit and delete routes refuse.
  Browser b = LogIn("secman");
  auto detail = GetAs(b, "/r/accreditation_events/1");
  ASSERT_EQ(detail->status, 200);
  EXPECT_FALSE(Has(detail, "/edit\"")) << detail->body;
  EXPECT_FALSE(Has(detail, "/delete\""));
  EXPECT_TRUE(Has(detail, "Tue 7 Apr 2026 10:00"));
  EXPECT_EQ(GetAs(b, "/r/accreditation_events/1/edit")->status, 409);
  EXPECT_EQ(GetAs(b, "/r/accreditation_events/1/delete")->status, 409);
  auto post_edit = PostForm(b, "/r/accreditation_events/1", "kind=submission&notes=x");
  EXPECT_EQ(post_edit->status, 409);
  EXPECT_TRUE(Has(post_edit, "cannot be changed or deleted"));
  EXPECT_EQ(PostForm(b, "/r/accreditation_events/1/delete", "")->status, 409);
  EXPECT_EQ(Count("accreditation_events"), events);

  // The reviewer records a decision through the form; an error names the field.
  auto list = GetAs(b, "/r/accreditation_events");
  EXPECT_TRUE(Has(list, "id=\"new-record\""));
  EXPECT_TRUE(Has(list, "Approved"));  // the state badge
  auto resubmitted =
      PostForm(b, "/r/accreditation_events",
               "kind=submission&at=2026-04-08T09%3A45&rmd_version=" + std::to_string(version));
  ASSERT_EQ(resubmitted->status, 303) << resubmitted->body;
  Browser r = LogIn("reviewer");
  EXPECT_TRUE(Has(GetAs(r, "/r/accreditation_events"), "id=\"new-record\""));
  auto no_reasons =
      PostForm(r, "/r/accreditation_events", "kind=non_approval&at=2026-04-08T09%3A50");
  EXPECT_EQ(no_reasons->status, 400);
  EXPECT_TRUE(Has(no_reasons, R"(id="reasons-error")")) << no_reasons->body;
  auto not_approved =
      PostForm(r, "/r/accreditation_events",
               "kind=non_approval&at=2026-04-08T09%3A50&reasons=Risk+table+incomplete");
  ASSERT_EQ(not_approved->status, 303) << not_approved->body;
  Browser auditor = LogIn("auditor");
  auto read_only = GetAs(auditor, "/r/accreditation_events");
  ASSERT_EQ(read_only->status, 200);
  EXPECT_FALSE(Has(read_only, "id=\"new-record\""));
  EXPECT_TRUE(Has(read_only, "Not_approved"));
}

}  // namespace
}  // namespace accredit::http
