// End-to-end tests of the generic register API and pages (issue 3): CRUD, strict validation,
// CSV import and export, links, role-aware pages, subcontractor scoping and evidence files.

#include <algorithm>
#include <chrono>
#include <regex>
#include <sstream>

#include "http/server_fixture.h"

namespace accredit::http {
namespace {

using nlohmann::json;
using registers::RegisterService;

constexpr const char* kForm = "application/x-www-form-urlencoded";
constexpr const char* kJson = "application/json";

class RegistersHttpTest : public ServerTest {
 protected:
  std::int64_t Count(const char* reg) {
    const auto* def = RegisterService::Find(reg);
    EXPECT_NE(def, nullptr) << reg;
    auto list = app_->register_service->List(auth::CliOperator("test"), *def, {});
    EXPECT_TRUE(list.ok()) << list.error().message;
    return list->total;
  }

  static std::string Location(const httplib::Result& res) {
    return res->get_header_value("Location");
  }

  static std::int64_t TrailingId(const std::string& path) {
    return std::stoll(path.substr(path.rfind('/') + 1));
  }

  // A posted form with the session's CSRF token.
  httplib::Result PostForm(const Browser& b, const std::string& path, const std::string& body) {
    auto c = Client();
    return c.Post(path.c_str(), {{"Cookie", b.cookie}}, "csrf_token=" + b.csrf + "&" + body, kForm);
  }

  std::vector<std::int64_t> SupplierIds() {
    auto c = Client();
    auto res = c.Get("/api/v1/suppliers", Bearer(TokenFor(auth::Role::kAdmin)));
    EXPECT_EQ(res->status, 200) << res->body;
    std::vector<std::int64_t> out;
    const json body = Body(res);
    for (const auto& item : body["items"]) {
      out.push_back(item["id"].get<std::int64_t>());
    }
    return out;
  }
};

// No category: a risk's category is a risk appetite row (S2.4-4.1), none in this database.
const json kRisk = {{"ref", "RT-1"},
                    {"title", "Unpatched edge firewall"},
                    {"inherent_likelihood", 4},
                    {"inherent_impact", 5},
                    {"treatment", "treat"}};

TEST_F(RegistersHttpTest, DefinitionsListFieldsAndAreScopedByRole) {
  auto c = Client();
  auto res = c.Get("/api/v1/registers", Bearer(TokenFor(auth::Role::kAdmin)));
  ASSERT_EQ(res->status, 200) << res->body;
  json body = Body(res);
  std::map<std::string, json> by_name;
  for (const auto& def : body["items"]) {
    by_name[def["name"]] = def;
  }
  ASSERT_TRUE(by_name.count("risks"));
  ASSERT_TRUE(by_name.count("assets"));
  EXPECT_EQ(by_name["risks"]["clause"], "S2.4-5.4.2");
  bool saw_scale = false;
  for (const auto& f : by_name["risks"]["fields"]) {
    if (f["name"] == "inherent_likelihood") {
      saw_scale = true;
      EXPECT_EQ(f["type"], "integer");
      EXPECT_EQ(f["min"], 1);
      EXPECT_EQ(f["max"], 5);
      EXPECT_EQ(f["required"], true);
    }
  }
  EXPECT_TRUE(saw_scale);
  EXPECT_FALSE(by_name["risks"]["derived"].empty());
  EXPECT_EQ(by_name["risks"]["may_write"], true);

  auto sub = c.Get("/api/v1/registers", Bearer(TokenFor(auth::Role::kSubcontractor)));
  ASSERT_EQ(sub->status, 200);
  std::set<std::string> names;
  const json sub_body = Body(sub);
  for (const auto& def : sub_body["items"]) {
    names.insert(def["name"]);
  }
  EXPECT_TRUE(names.count("certifications")) << sub->body.substr(0, 300);
  EXPECT_FALSE(names.count("risks"));
}

TEST_F(RegistersHttpTest, RiskCrudThroughTheApi) {
  const std::string token = TokenFor(auth::Role::kSecurityManager);
  auto c = Client();
  const std::int64_t before = Count("risks");
  const std::int64_t audit_before = AuditCount();
  auto created = c.Post("/api/v1/r/risks", Bearer(token), kRisk.dump(), kJson);
  ASSERT_EQ(created->status, 201) << created->body;
  json risk = Body(created);
  const std::int64_t id = risk["id"];
  EXPECT_EQ(Location(created), "/api/v1/r/risks/" + std::to_string(id));
  EXPECT_EQ(risk["status"], "open");  // the default applied
  EXPECT_EQ(risk["inherent_score"], 20);
  EXPECT_EQ(Count("risks"), before + 1);

  auto got = c.Get("/api/v1/r/risks/" + std::to_string(id), Bearer(token));
  ASSERT_EQ(got->status, 200);
  EXPECT_EQ(Body(got)["title"], "Unpatched edge firewall");

  auto patched =
      c.Patch("/api/v1/r/risks/" + std::to_string(id), Bearer(token),
              R"({"title":"Edge firewall Zanzibarfw out of support","residual_likelihood":2,
                             "residual_impact":2})",
              kJson);
  ASSERT_EQ(patched->status, 200) << patched->body;
  EXPECT_EQ(Body(patched)["title"], "Edge firewall Zanzibarfw out of support");

  auto found = c.Get("/api/v1/r/risks?q=Zanzibarfw&status=open&sort=-ref&limit=5", Bearer(token));
  ASSERT_EQ(found->status, 200) << found->body;
  json page = Body(found);
  EXPECT_EQ(page["total"], 1);
  EXPECT_EQ(page["limit"], 5);
  EXPECT_EQ(page["offset"], 0);
  ASSERT_EQ(page["items"].size(), 1u);
  EXPECT_EQ(page["items"][0]["id"], id);

  auto bad_filter = c.Get("/api/v1/r/risks?colour=red", Bearer(token));
  EXPECT_EQ(bad_filter->status, 400);
  EXPECT_EQ(Body(bad_filter)["error"]["field"], "colour");
  EXPECT_EQ(c.Get("/api/v1/r/no_such_register", Bearer(token))->status, 404);

  auto del = c.Delete("/api/v1/r/risks/" + std::to_string(id), Bearer(token));
  EXPECT_EQ(del->status, 204) << del->body;
  EXPECT_EQ(c.Get("/api/v1/r/risks/" + std::to_string(id), Bearer(token))->status, 404);
  EXPECT_EQ(Count("risks"), before);
  EXPECT_EQ(AuditCount(), audit_before + 3);  // create, update, delete
}

TEST_F(RegistersHttpTest, AssetCrudFiltersAndPagination) {
  const std::string token = TokenFor(auth::Role::kEngineer);
  auto c = Client();
  for (int i = 0; i < 3; ++i) {
    json asset = {{"name", "test-web-0" + std::to_string(i)},
                  {"ims_part", i == 0 ? "wider" : "core"},
                  {"asset_type", "server"},
                  {"environment", "live"},
                  {"classification", "OFFICIAL"},
                  {"internet_facing", i == 1},
                  {"hostnames", {"web0" + std::to_string(i) + ".example"}}};
    auto res = c.Post("/api/v1/r/assets", Bearer(token), asset.dump(), kJson);
    ASSERT_EQ(res->status, 201) << res->body;
  }
  auto list = c.Get("/api/v1/r/assets?q=test-web&ims_part=core&limit=1", Bearer(token));
  ASSERT_EQ(list->status, 200) << list->body;
  json page = Body(list);
  EXPECT_EQ(page["total"], 2);
  EXPECT_EQ(page["items"].size(), 1u);
  auto second = c.Get("/api/v1/r/assets?q=test-web&ims_part=core&limit=1&offset=1", Bearer(token));
  ASSERT_EQ(Body(second)["items"].size(), 1u);
  EXPECT_NE(Body(second)["items"][0]["id"], page["items"][0]["id"]);
  const std::int64_t id = page["items"][0]["id"];
  auto patched = c.Patch("/api/v1/r/assets/" + std::to_string(id), Bearer(token),
                         R"({"environment":"test","test_holds_live_data":false})", kJson);
  EXPECT_EQ(patched->status, 200) << patched->body;
  EXPECT_EQ(Body(patched)["environment"], "test");
  EXPECT_EQ(c.Delete("/api/v1/r/assets/" + std::to_string(id), Bearer(token))->status, 204);
  // Engineers may not touch risks.
  EXPECT_EQ(c.Post("/api/v1/r/risks", Bearer(token), kRisk.dump(), kJson)->status, 403);
}

struct BadRisk {
  const char* name;
  std::string body;
  const char* field;
  const char* message_part;
};

TEST_F(RegistersHttpTest, ValidationErrorsNameTheFieldAndWriteNothing) {
  const std::string token = TokenFor(auth::Role::kSecurityManager);
  auto with = [](const char* key, const json& value) {
    json j = kRisk;
    j[key] = value;
    return j.dump();
  };
  auto without = [](const char* key) {
    json j = kRisk;
    j.erase(key);
    return j.dump();
  };
  const std::vector<BadRisk> cases = {
      {"malformed", R"({"ref": "R9",, "title": "x"})", "body", "malformed JSON at byte 14"},
      {"not an object", "[1,2]", "body", "JSON object"},
      {"unknown field", with("is_root", true), "is_root", "is_root"},
      {"wrong type", with("inherent_likelihood", "high"), "inherent_likelihood", "integer"},
      {"out of range", with("inherent_likelihood", 9), "inherent_likelihood", ""},
      {"missing required", without("title"), "title", "title"},
      {"bad enum", with("treatment", "ignore"), "treatment", ""},
      {"bad date", with("review_date", "2026-13-01"), "review_date", ""},
      {"derived value given", with("inherent_score", 3), "inherent_score", ""},
  };
  const std::int64_t before = Count("risks");
  const std::int64_t audit_before = AuditCount();
  auto c = Client();
  for (const auto& tc : cases) {
    auto res = c.Post("/api/v1/r/risks", Bearer(token), tc.body, kJson);
    ASSERT_TRUE(res) << tc.name;
    EXPECT_EQ(res->status, 400) << tc.name << ": " << res->body;
    json body = Body(res);
    EXPECT_EQ(body["error"]["field"], tc.field) << tc.name << ": " << res->body;
    EXPECT_NE(body["error"]["message"].get<std::string>().find(tc.message_part), std::string::npos)
        << tc.name << ": " << res->body;
  }
  // PATCH is as strict.
  auto created = c.Post("/api/v1/r/risks", Bearer(token), kRisk.dump(), kJson);
  ASSERT_EQ(created->status, 201);
  const std::string path = "/api/v1/r/risks/" + std::to_string(Body(created)["id"].get<int>());
  auto patch = c.Patch(path, Bearer(token), R"({"inherent_impact": "5"})", kJson);
  EXPECT_EQ(patch->status, 400);
  EXPECT_EQ(Body(patch)["error"]["field"], "inherent_impact");
  EXPECT_EQ(Count("risks"), before + 1);
  EXPECT_EQ(AuditCount(), audit_before + 1);
}

TEST_F(RegistersHttpTest, CsvImportIsAllOrNothingAndExportMatches) {
  const std::string token = TokenFor(auth::Role::kSecurityManager);
  auto c = Client();
  std::string csv = "ref,title,inherent_likelihood,inherent_impact,treatment\n";  // line 1
  for (int line = 2; line <= 8; ++line) {
    const std::string likelihood = line == 7 ? "seven" : "3";
    csv += "CSV-" + std::to_string(line) + ",Imported risk " + std::to_string(line) + "," +
           likelihood + ",2,treat\n";
  }
  const std::int64_t before = Count("risks");
  const std::int64_t audit_before = AuditCount();
  auto bad = c.Post("/api/v1/r/risks/import", Bearer(token), csv, "text/csv");
  ASSERT_EQ(bad->status, 400) << bad->body;
  const std::string text = Body(bad)["error"].dump();
  EXPECT_NE(text.find("line 7"), std::string::npos) << text;
  EXPECT_NE(text.find("inherent_likelihood"), std::string::npos) << text;
  EXPECT_EQ(Count("risks"), before);
  EXPECT_EQ(AuditCount(), audit_before);

  const std::string good = std::regex_replace(csv, std::regex(",seven,"), ",3,");
  auto ok = c.Post("/api/v1/r/risks/import", Bearer(token), good, "text/csv");
  ASSERT_EQ(ok->status, 200) << ok->body;
  EXPECT_EQ(Body(ok)["created"], 7);
  EXPECT_EQ(Count("risks"), before + 7);

  auto exported = c.Get("/api/v1/r/risks/export.csv?q=Imported", Bearer(token));
  ASSERT_EQ(exported->status, 200) << exported->body;
  EXPECT_NE(exported->get_header_value("Content-Type").find("text/csv"), std::string::npos);
  EXPECT_EQ(exported->get_header_value("Content-Disposition"),
            "attachment; filename=\"risks.csv\"");
  const std::string& out = exported->body;
  EXPECT_EQ(out.substr(0, out.find('\n')).find("ref") != std::string::npos, true) << out;
  EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 8) << out;  // header + 7 rows
  EXPECT_NE(out.find("CSV-7"), std::string::npos);

  // Read-only roles may not import.
  auto denied =
      c.Post("/api/v1/r/risks/import", Bearer(TokenFor(auth::Role::kAuditor)), good, "text/csv");
  EXPECT_EQ(denied->status, 403);
}

TEST_F(RegistersHttpTest, UiRiskAndControlLinkedThroughForms) {
  Browser b = LogIn("secman");
  auto c = Client();
  auto form = c.Get("/r/risks/new", {{"Cookie", b.cookie}});
  ASSERT_EQ(form->status, 200) << form->body;
  EXPECT_NE(form->body.find(R"(name="inherent_likelihood" type="number")"), std::string::npos);
  EXPECT_NE(form->body.find(R"(min="1" max="5")"), std::string::npos);
  EXPECT_NE(form->body.find(R"(<select id="treatment" name="treatment")"), std::string::npos);
  EXPECT_NE(form->body.find(R"(<textarea id="description")"), std::string::npos);
  EXPECT_NE(form->body.find(R"(<label for="title">)"), std::string::npos);

  // An error re-renders the form with the message beside the field and the values kept.
  const std::int64_t before = Count("risks");
  auto bad = PostForm(b, "/r/risks",
                      "ref=UI-1&title=Quokkaphish+of+admins&inherent_likelihood=9&inherent_impact=4"
                      "&treatment=treat&status=open");
  EXPECT_EQ(bad->status, 400);
  EXPECT_NE(bad->body.find(R"(id="inherent_likelihood-error")"), std::string::npos) << bad->body;
  EXPECT_NE(bad->body.find("aria-describedby=\"inherent_likelihood-hint inherent_likelihood-error"),
            std::string::npos);
  EXPECT_NE(bad->body.find(R"(value="Quokkaphish of admins")"), std::string::npos);
  EXPECT_EQ(Count("risks"), before);

  auto risk =
      PostForm(b, "/r/risks",
               "ref=UI-1&title=Quokkaphish+of+admins&inherent_likelihood=4&inherent_impact=4"
               "&treatment=treat&status=open");
  ASSERT_EQ(risk->status, 303) << risk->body;
  const std::string risk_path = Location(risk);
  ASSERT_EQ(risk_path.rfind("/r/risks/", 0), 0u) << risk_path;
  auto control = PostForm(b, "/r/controls",
                          "ref=UI-C1&title=Phishing-resistant+MFA+for+admins"
                          "&implementation_status=implemented&assurance_status=tested");
  ASSERT_EQ(control->status, 303) << control->body;
  const std::string control_path = Location(control);
  ASSERT_EQ(control_path.rfind("/r/controls/", 0), 0u) << control_path;

  auto link = PostForm(
      b, control_path + "/links",
      "relation=mitigates&to_register=risks&to_key=" + std::to_string(TrailingId(risk_path)));
  ASSERT_EQ(link->status, 303) << link->body;
  auto iso = PostForm(b, control_path + "/links",
                      "relation=implements&to_register=catalog%3Aiso27001-2013&to_key=A.9.4.2");
  EXPECT_EQ(iso->status, 303) << iso->body;

  auto control_page = c.Get(control_path.c_str(), {{"Cookie", b.cookie}});
  ASSERT_EQ(control_page->status, 200);
  EXPECT_NE(control_page->body.find("href=\"" + risk_path + "\""), std::string::npos);
  EXPECT_NE(control_page->body.find("Quokkaphish of admins"), std::string::npos);
  EXPECT_NE(control_page->body.find("mitigates"), std::string::npos);
  EXPECT_NE(control_page->body.find("A.9.4.2"), std::string::npos);
  auto risk_page = c.Get(risk_path.c_str(), {{"Cookie", b.cookie}});
  ASSERT_EQ(risk_page->status, 200);
  EXPECT_NE(risk_page->body.find("href=\"" + control_path + "\""), std::string::npos);
  EXPECT_NE(risk_page->body.find("Phishing-resistant MFA for admins"), std::string::npos);
  EXPECT_NE(risk_page->body.find("class=\"badge"), std::string::npos);  // derived level/RAG

  // The list page shows the new risk, sortable headers and the pagination summary.
  auto list = c.Get("/r/risks?q=Quokkaphish", {{"Cookie", b.cookie}});
  ASSERT_EQ(list->status, 200);
  EXPECT_NE(list->body.find("Showing 1–1 of 1"), std::string::npos) << list->body;
  EXPECT_NE(list->body.find("href=\"/r/risks?q=Quokkaphish&amp;sort=title\""), std::string::npos)
      << list->body;
  EXPECT_NE(list->body.find("id=\"new-record\""), std::string::npos);
  EXPECT_NE(list->body.find("id=\"import-form\""), std::string::npos);

  // Edit, then delete with confirmation.
  auto edit = c.Get((risk_path + "/edit").c_str(), {{"Cookie", b.cookie}});
  ASSERT_EQ(edit->status, 200);
  EXPECT_NE(edit->body.find(R"(value="Quokkaphish of admins")"), std::string::npos);
  auto confirm = c.Get((control_path + "/delete").c_str(), {{"Cookie", b.cookie}});
  ASSERT_EQ(confirm->status, 200);
  EXPECT_NE(confirm->body.find("id=\"delete-form\""), std::string::npos);
  auto no_csrf = c.Post((control_path + "/delete").c_str(), {{"Cookie", b.cookie}}, "", kForm);
  EXPECT_EQ(no_csrf->status, 403);
  auto deleted = PostForm(b, control_path + "/delete", "");
  EXPECT_EQ(deleted->status, 303);
  EXPECT_EQ(c.Get(control_path.c_str(), {{"Cookie", b.cookie}})->status, 404);
}

TEST_F(RegistersHttpTest, ReadOnlyRolesSeeNoWriteControls) {
  auto c = Client();
  auto created =
      c.Post("/api/v1/r/risks", Bearer(TokenFor(auth::Role::kAdmin)), kRisk.dump(), kJson);
  ASSERT_EQ(created->status, 201) << created->body;
  const std::string detail = "/r/risks/" + std::to_string(Body(created)["id"].get<int>());
  for (auth::Role role : {auth::Role::kAuditor, auth::Role::kCustomerReviewer}) {
    Browser b = LogIn(UserWithRole(role).username);
    for (const char* path : {"/r/risks", "/r/assets", "/r/controls"}) {
      auto res = c.Get(path, {{"Cookie", b.cookie}});
      ASSERT_EQ(res->status, 200) << auth::RoleName(role) << " " << path;
      EXPECT_EQ(res->body.find("id=\"new-record\""), std::string::npos) << path;
      EXPECT_EQ(res->body.find("/new\""), std::string::npos) << path;
      EXPECT_EQ(res->body.find("import-form"), std::string::npos) << path;
      EXPECT_EQ(res->body.find("/import\""), std::string::npos) << path;
      EXPECT_NE(res->body.find("export.csv"), std::string::npos) << path;
    }
    auto page = c.Get(detail.c_str(), {{"Cookie", b.cookie}});
    ASSERT_EQ(page->status, 200);
    EXPECT_EQ(page->body.find("/edit\""), std::string::npos);
    EXPECT_EQ(page->body.find("link-form"), std::string::npos);
    EXPECT_EQ(c.Get("/r/risks/new", {{"Cookie", b.cookie}})->status, 403);
    const std::int64_t before = Count("risks");
    auto post = PostForm(b, "/r/risks", "ref=RO-1&title=x&inherent_likelihood=1&inherent_impact=1");
    EXPECT_EQ(post->status, 403);
    EXPECT_EQ(Count("risks"), before);
  }
  // Every register page renders for every role (200 or 403, always inside the layout).
  for (auth::Role role : auth::kAllRoles) {
    Browser b = LogIn(UserWithRole(role).username);
    for (const auto& def : RegisterService::Defs()) {
      auto res = c.Get(("/r/" + def.name).c_str(), {{"Cookie", b.cookie}});
      EXPECT_TRUE(res->status == 200 || res->status == 403)
          << auth::RoleName(role) << " " << def.name << " " << res->status;
      EXPECT_NE(res->body.find("Skip to main content"), std::string::npos);
    }
  }
}

TEST_F(RegistersHttpTest, SubcontractorSeesOnlyItsOwnCertifications) {
  auth::User sub = UserWithRole(auth::Role::kSubcontractor);
  ASSERT_TRUE(sub.supplier_id.has_value());
  std::int64_t other = 0;
  for (std::int64_t id : SupplierIds()) {
    if (id != *sub.supplier_id) {
      other = id;
    }
  }
  ASSERT_NE(other, 0) << SupplierIds().size() << " supplier " << *sub.supplier_id;
  auto c = Client();
  const std::string admin = TokenFor(auth::Role::kAdmin);
  auto make = [&](std::int64_t party, const char* number) {
    json cert = {{"party_id", party},
                 {"scheme", "cyber_essentials_plus"},
                 {"certificate_number", number},
                 {"issue_date", "2025-06-01"},
                 {"expiry_date", "2026-06-01"}};
    auto res = c.Post("/api/v1/r/certifications", Bearer(admin), cert.dump(), kJson);
    EXPECT_EQ(res->status, 201) << res->body;
    return Body(res)["id"].get<std::int64_t>();
  };
  const std::int64_t own = make(*sub.supplier_id, "CEP-OWN-1");
  const std::int64_t theirs = make(other, "CEP-OTHER-1");

  const std::string token = TokenFor(auth::Role::kSubcontractor);
  auto list = c.Get("/api/v1/r/certifications?limit=500", Bearer(token));
  ASSERT_EQ(list->status, 200) << list->body;
  json page = Body(list);
  ASSERT_GE(page["total"].get<int>(), 1);
  bool saw_own = false;
  for (const auto& item : page["items"]) {
    EXPECT_EQ(item["party_id"], *sub.supplier_id) << item.dump();
    saw_own = saw_own || item["id"] == own;
  }
  EXPECT_TRUE(saw_own);
  EXPECT_EQ(c.Get("/api/v1/r/certifications/" + std::to_string(own), Bearer(token))->status, 200);
  auto denied = c.Get("/api/v1/r/certifications/" + std::to_string(theirs), Bearer(token));
  EXPECT_EQ(denied->status, 403) << denied->body;
  EXPECT_EQ(Body(denied)["error"]["code"], "permission_denied");
  const std::int64_t audit_before = AuditCount();
  auto hijack = c.Patch("/api/v1/r/certifications/" + std::to_string(theirs), Bearer(token),
                        R"({"certificate_number":"HIJACKED"})", kJson);
  EXPECT_EQ(hijack->status, 403);
  EXPECT_EQ(AuditCount(), audit_before);
  EXPECT_EQ(c.Get("/api/v1/r/risks", Bearer(token))->status, 403);

  // The same in the UI.
  Browser b = LogIn(sub.username);
  auto ui = c.Get("/r/certifications", {{"Cookie", b.cookie}});
  ASSERT_EQ(ui->status, 200);
  EXPECT_NE(ui->body.find("CEP-OWN-1"), std::string::npos);
  EXPECT_EQ(ui->body.find("CEP-OTHER-1"), std::string::npos);
  EXPECT_EQ(c.Get(("/r/certifications/" + std::to_string(theirs)).c_str(), {{"Cookie", b.cookie}})
                ->status,
            403);
  auto index = c.Get("/registers", {{"Cookie", b.cookie}});
  ASSERT_EQ(index->status, 200);
  EXPECT_NE(index->body.find("href=\"/r/certifications\""), std::string::npos);
  EXPECT_EQ(index->body.find("href=\"/r/risks\""), std::string::npos);
  EXPECT_EQ(c.Get("/r/risks", {{"Cookie", b.cookie}})->status, 403);
}

TEST_F(RegistersHttpTest, EvidenceUploadIsServedBackSafely) {
  const std::string token = TokenFor(auth::Role::kSecurityManager);
  auto c = Client();
  const std::string html = "<html><script>alert(document.cookie)</script></html>";
  httplib::MultipartFormDataItems items = {{"file", html, "pen test é.html", "text/html"},
                                           {"title", "Pen test report", "", ""},
                                           {"description", "IT Health Check 2026", "", ""}};
  auto created = c.Post("/api/v1/evidence", Bearer(token), items);
  ASSERT_EQ(created->status, 201) << created->body;
  const std::int64_t id = Body(created)["id"];

  auto file = c.Get("/api/v1/evidence/" + std::to_string(id) + "/file", Bearer(token));
  ASSERT_EQ(file->status, 200) << file->body;
  EXPECT_EQ(file->body, html);
  EXPECT_EQ(file->get_header_value("Content-Type"), "application/octet-stream");
  EXPECT_EQ(file->get_header_value("X-Content-Type-Options"), "nosniff");
  const std::string disposition = file->get_header_value("Content-Disposition");
  EXPECT_EQ(disposition.rfind("attachment;", 0), 0u) << disposition;
  // (httplib's client percent-decodes header values; the exact encoding is unit-tested below.)
  EXPECT_NE(disposition.find("filename=\"pen test __.html\""), std::string::npos) << disposition;
  EXPECT_NE(disposition.find("filename*=UTF-8''"), std::string::npos) << disposition;
  EXPECT_EQ(file->get_header_value("Content-Security-Policy").find("sandbox"), 0u);
  EXPECT_EQ(file->get_header_value_count("Content-Security-Policy"), 1u);

  httplib::MultipartFormDataItems pdf = {
      {"file", "%PDF-1.4 minimal", "cert.pdf", "application/pdf"},
      {"title", "Certificate", "", ""}};
  auto pdf_res = c.Post("/api/v1/evidence", Bearer(token), pdf);
  ASSERT_EQ(pdf_res->status, 201) << pdf_res->body;
  auto pdf_file =
      c.Get("/api/v1/evidence/" + std::to_string(Body(pdf_res)["id"].get<int>()) + "/file",
            Bearer(token));
  EXPECT_EQ(pdf_file->get_header_value("Content-Type"), "application/pdf");

  // Over the upload limit (1 MiB in this fixture): 413 naming "file", nothing stored.
  const std::int64_t before = Count("evidence");
  httplib::MultipartFormDataItems big = {
      {"file", std::string(2 << 20, 'x'), "big.bin", "application/octet-stream"},
      {"title", "Too big", "", ""}};
  auto too_big = c.Post("/api/v1/evidence", Bearer(token), big);
  ASSERT_TRUE(too_big);
  EXPECT_EQ(too_big->status, 413);
  EXPECT_EQ(Body(too_big)["error"]["field"], "file") << too_big->body;
  EXPECT_EQ(Count("evidence"), before);

  // Upload through the UI form, attached to a control.
  auto control = c.Post("/api/v1/r/controls", Bearer(token),
                        R"({"ref":"EV-C1","title":"Annual IT Health Check"})", kJson);
  ASSERT_EQ(control->status, 201) << control->body;
  const std::string control_id = std::to_string(Body(control)["id"].get<int>());
  Browser b = LogIn("secman");
  auto form =
      c.Get(("/evidence/new?register=controls&id=" + control_id).c_str(), {{"Cookie", b.cookie}});
  ASSERT_EQ(form->status, 200);
  EXPECT_NE(form->body.find("enctype=\"multipart/form-data\""), std::string::npos);
  httplib::MultipartFormDataItems ui_items = {{"csrf_token", b.csrf, "", ""},
                                              {"link_register", "controls", "", ""},
                                              {"link_id", control_id, "", ""},
                                              {"title", "ITHC summary", "", ""},
                                              {"file", "summary text", "ithc.txt", "text/plain"}};
  auto no_csrf = c.Post("/evidence", {{"Cookie", b.cookie}},
                        httplib::MultipartFormDataItems(ui_items.begin() + 1, ui_items.end()));
  EXPECT_EQ(no_csrf->status, 403);
  auto uploaded = c.Post("/evidence", {{"Cookie", b.cookie}}, ui_items);
  ASSERT_EQ(uploaded->status, 303) << uploaded->body;
  EXPECT_EQ(Location(uploaded), "/r/controls/" + control_id);
  auto page = c.Get(("/r/controls/" + control_id).c_str(), {{"Cookie", b.cookie}});
  EXPECT_NE(page->body.find("ITHC summary"), std::string::npos);
  EXPECT_NE(page->body.find("/api/v1/evidence/"), std::string::npos);
}

TEST_F(RegistersHttpTest, OpenApiListsRegisterEndpoints) {
  auto res = Client().Get("/api/v1/openapi.json");
  json doc = Body(res);
  for (const char* path :
       {"/api/v1/registers", "/api/v1/relations", "/api/v1/r/{name}", "/api/v1/r/{name}/{id}",
        "/api/v1/r/{name}/export.csv", "/api/v1/r/{name}/import", "/api/v1/r/{name}/{id}/links",
        "/api/v1/links", "/api/v1/links/{id}", "/api/v1/evidence", "/api/v1/evidence/{id}/file"}) {
    EXPECT_TRUE(doc["paths"].contains(path)) << path;
  }
}

// List pages over 10,000 assets, filtered and paginated (issue 3). Timing is measured in
// bench/, never asserted in tests; this checks the filtered totals and the paging.
TEST_F(RegistersHttpTest, AssetListPageOverTenThousandAssetsPaginatesSlow) {
  std::ostringstream csv;
  csv << "name,ims_part,asset_type,environment,classification,owner\n";
  for (int i = 0; i < 10000; ++i) {
    csv << "bulk-" << i << "," << (i % 3 == 0 ? "core" : "wider") << ",server,live,OFFICIAL,team-"
        << (i % 17) << "\n";
  }
  const auto* def = RegisterService::Find("assets");
  auto report = app_->register_service->ImportCsv(auth::CliOperator("test"), *def, csv.str());
  ASSERT_TRUE(report.ok()) << report.error().message;
  registers::ListQuery core_only;
  core_only.filters["ims_part"] = "core";
  const std::int64_t core =
      app_->register_service->List(auth::CliOperator("test"), *def, core_only)->total;
  ASSERT_GE(core, 3334);
  Browser b = LogIn("engineer");
  auto c = Client();
  for (int i = 0; i < 5; ++i) {
    auto res =
        c.Get(("/r/assets?ims_part=core&sort=-name&offset=" + std::to_string(50 * i * 7)).c_str(),
              {{"Cookie", b.cookie}});
    ASSERT_EQ(res->status, 200);
    EXPECT_NE(res->body.find(" of " + std::to_string(core) + "</span>"), std::string::npos);
    EXPECT_NE(res->body.find("bulk-"), std::string::npos);
  }
}

}  // namespace
}  // namespace accredit::http
