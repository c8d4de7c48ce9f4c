// End-to-end tests of the document API and pages (issue 3, points 3-6): the RMD in every
// format, issued versions and their comparison, the readiness check, the compliance matrix and
// the SoA downloads, the catalogues, authorisation and CSRF.

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <set>

#include "http/server_fixture.h"
#include "reports/reports.h"

namespace accredit::http {
namespace {

using nlohmann::json;

constexpr const char* kForm = "application/x-www-form-urlencoded";
constexpr const char* kJson = "application/json";
constexpr const char* kDocx =
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
constexpr const char* kXlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

class DocumentsHttpTest : public ServerTest {
 protected:
  std::int64_t VersionCount() {
    auto versions = app_->reports->ListRmdVersions(auth::CliOperator("test"));
    EXPECT_TRUE(versions.ok()) << versions.error().message;
    return static_cast<std::int64_t>(versions->size());
  }

  httplib::Result PostForm(const Browser& b, const std::string& path, const std::string& body) {
    auto c = Client();
    return c.Post(path.c_str(), {{"Cookie", b.cookie}}, "csrf_token=" + b.csrf + "&" + body, kForm);
  }

  httplib::Result GetAs(const Browser& b, const std::string& path) {
    auto c = Client();
    return c.Get(path.c_str(), {{"Cookie", b.cookie}});
  }

  static bool IsZipWith(const std::string& bytes, const std::string& member) {
    return bytes.size() > 4 && bytes.compare(0, 2, "PK") == 0 &&
           bytes.find(member) != std::string::npos;  // names are stored uncompressed
  }
};

TEST_F(DocumentsHttpTest, RmdHtmlHoldsEveryAnnex3HeadingInOrder) {
  auto c = Client();
  auto res = c.Get("/api/v1/rmd?format=html", Bearer(TokenFor(auth::Role::kSecurityManager)));
  ASSERT_EQ(res->status, 200) << res->body.substr(0, 300);
  EXPECT_EQ(res->get_header_value("Content-Type"), "text/html; charset=utf-8");
  // Standalone HTML: its own styles may apply, nothing else may load or run.
  EXPECT_NE(res->get_header_value("Content-Security-Policy").find("default-src 'none'"),
            std::string::npos);
  std::size_t pos = 0;
  for (const std::string& heading : reports::Annex3Headings()) {
    const std::size_t at = res->body.find(">" + heading + "<", pos);
    ASSERT_NE(at, std::string::npos) << heading;
    pos = at;
  }

  // The page inside the layout holds them too, with a contents list and download links.
  Browser b = LogIn("secman");
  auto page = GetAs(b, "/documents/rmd");
  ASSERT_EQ(page->status, 200);
  for (const std::string& heading : reports::Annex3Headings()) {
    EXPECT_NE(page->body.find(">" + heading + "<"), std::string::npos) << heading;
  }
  EXPECT_NE(page->body.find("href=\"/documents/rmd.docx\""), std::string::npos);
  EXPECT_EQ(page->body.find("<style"), std::string::npos);  // the page CSP forbids inline styles

  auto md = c.Get("/api/v1/rmd?format=md", Bearer(TokenFor(auth::Role::kAuditor)));
  ASSERT_EQ(md->status, 200);
  EXPECT_EQ(md->get_header_value("Content-Type"), "text/markdown; charset=utf-8");
  EXPECT_NE(md->body.find("## 5.5 Risk Assessment Table"), std::string::npos);

  auto bad = c.Get("/api/v1/rmd?format=pdf", Bearer(TokenFor(auth::Role::kAuditor)));
  EXPECT_EQ(bad->status, 400);
  EXPECT_EQ(Body(bad)["error"]["field"], "format");
}

TEST_F(DocumentsHttpTest, DocxDownloadIsAWordDocument) {
  Browser b = LogIn("secman");
  auto res = GetAs(b, "/documents/rmd.docx");
  ASSERT_EQ(res->status, 200);
  EXPECT_EQ(res->get_header_value("Content-Type"), kDocx);
  EXPECT_EQ(res->get_header_value("Content-Disposition")
                .rfind("attachment; filename=\"rmd-draft.docx\"", 0),
            0u);
  EXPECT_TRUE(IsZipWith(res->body, "word/document.xml"));
  EXPECT_GT(res->body.size(), 5000u);

  auto api = Client().Get("/api/v1/rmd.docx", Bearer(TokenFor(auth::Role::kCustomerReviewer)));
  ASSERT_EQ(api->status, 200);
  EXPECT_TRUE(IsZipWith(api->body, "word/document.xml"));

  auto md = GetAs(b, "/documents/rmd.md");
  EXPECT_EQ(md->get_header_value("Content-Type"), "text/markdown; charset=utf-8");
  EXPECT_NE(md->get_header_value("Content-Disposition").find("rmd-draft.md"), std::string::npos);
  auto html = GetAs(b, "/documents/rmd.html");
  EXPECT_EQ(html->get_header_value("Content-Type"), "text/html; charset=utf-8");
  EXPECT_NE(html->get_header_value("Content-Disposition").find("attachment"), std::string::npos);
}

TEST_F(DocumentsHttpTest, IssuedVersionIsListedAndDownloadable) {
  const std::string token = TokenFor(auth::Role::kSecurityManager);
  auto c = Client();
  auto issued = c.Post("/api/v1/rmd/versions", Bearer(token), R"({"note":"For CAB 12"})", kJson);
  ASSERT_EQ(issued->status, 201) << issued->body;
  json v = Body(issued);
  EXPECT_EQ(v["version"], 1);
  EXPECT_EQ(v["note"], "For CAB 12");
  EXPECT_EQ(v["issued_by"], "secman");
  EXPECT_EQ(v["sha256"].get<std::string>().size(), 64u);
  EXPECT_EQ(issued->get_header_value("Location"), "/api/v1/rmd/versions/1");

  auto list = c.Get("/api/v1/rmd/versions", Bearer(token));
  ASSERT_EQ(list->status, 200);
  json body = Body(list);
  EXPECT_EQ(body["total"], 1);
  EXPECT_EQ(body["items"][0]["note"], "For CAB 12");

  auto one = c.Get("/api/v1/rmd/versions/1", Bearer(token));
  EXPECT_EQ(Body(one)["sha256"], v["sha256"]);
  auto docx = c.Get("/api/v1/rmd/versions/1?format=docx", Bearer(token));
  ASSERT_EQ(docx->status, 200);
  EXPECT_TRUE(IsZipWith(docx->body, "word/document.xml"));
  EXPECT_NE(docx->get_header_value("Content-Disposition").find("rmd-v1.docx"), std::string::npos);
  auto md = c.Get("/api/v1/rmd/versions/1?format=md", Bearer(token));
  EXPECT_EQ(md->get_header_value("Content-Type"), "text/markdown; charset=utf-8");
  auto missing = c.Get("/api/v1/rmd/versions/99?format=html", Bearer(token));
  EXPECT_EQ(missing->status, 404);
  EXPECT_EQ(Body(missing)["error"]["field"], "version");

  // The page lists it with its downloads.
  Browser b = LogIn("secman");
  auto page = GetAs(b, "/documents");
  ASSERT_EQ(page->status, 200);
  EXPECT_NE(page->body.find("For CAB 12"), std::string::npos);
  EXPECT_NE(page->body.find("href=\"/documents/rmd/versions/1.docx\""), std::string::npos);
  EXPECT_NE(page->body.find(v["sha256"].get<std::string>().substr(0, 12)), std::string::npos);
  auto ui_docx = GetAs(b, "/documents/rmd/versions/1.docx");
  ASSERT_EQ(ui_docx->status, 200);
  EXPECT_TRUE(IsZipWith(ui_docx->body, "word/document.xml"));
  auto view = GetAs(b, "/documents/rmd/versions/1");
  EXPECT_EQ(view->status, 200);
  EXPECT_NE(view->body.find("version 1"), std::string::npos);
  EXPECT_EQ(GetAs(b, "/documents/rmd/versions/7")->status, 404);
}

TEST_F(DocumentsHttpTest, IssueBodyIsDecodedStrictly) {
  const std::string token = TokenFor(auth::Role::kSecurityManager);
  auto c = Client();
  auto wrong_type = c.Post("/api/v1/rmd/versions", Bearer(token), R"({"note":7})", kJson);
  EXPECT_EQ(wrong_type->status, 400);
  EXPECT_EQ(Body(wrong_type)["error"]["field"], "note");
  auto unknown = c.Post("/api/v1/rmd/versions", Bearer(token), R"({"version":3})", kJson);
  EXPECT_EQ(unknown->status, 400);
  EXPECT_EQ(Body(unknown)["error"]["field"], "version");
  auto malformed = c.Post("/api/v1/rmd/versions", Bearer(token), R"({"note":)", kJson);
  EXPECT_EQ(malformed->status, 400);
  EXPECT_EQ(Body(malformed)["error"]["field"], "body");
  EXPECT_EQ(VersionCount(), 0);
}

TEST_F(DocumentsHttpTest, AuditorCannotIssueAndNothingIsWritten) {
  const std::string token = TokenFor(auth::Role::kAuditor);
  const std::int64_t audit_before = AuditCount();
  auto c = Client();
  auto res = c.Post("/api/v1/rmd/versions", Bearer(token), R"({"note":"x"})", kJson);
  EXPECT_EQ(res->status, 403);
  EXPECT_EQ(Body(res)["error"]["code"], "permission_denied");
  EXPECT_EQ(VersionCount(), 0);
  EXPECT_EQ(AuditCount(), audit_before);

  // The page offers no issue form; posting it anyway is refused.
  Browser b = LogIn("auditor");
  auto page = GetAs(b, "/documents");
  ASSERT_EQ(page->status, 200);
  EXPECT_EQ(page->body.find("id=\"issue-form\""), std::string::npos);
  EXPECT_NE(page->body.find("/documents/rmd.docx"), std::string::npos);  // may still read
  auto post = PostForm(b, "/documents/rmd/issue", "note=sneaky");
  EXPECT_EQ(post->status, 403);
  EXPECT_EQ(VersionCount(), 0);
}

TEST_F(DocumentsHttpTest, SubcontractorSeesNoDocuments) {
  Browser b = LogIn("subcontractor");
  auto home = GetAs(b, "/");
  EXPECT_EQ(home->body.find("href=\"/documents\""), std::string::npos);
  EXPECT_EQ(home->body.find("Readiness for accreditation"), std::string::npos);
  EXPECT_EQ(GetAs(b, "/documents")->status, 403);
  EXPECT_EQ(GetAs(b, "/documents/rmd.docx")->status, 403);
  auto api = Client().Get("/api/v1/readiness", Bearer(TokenFor(auth::Role::kSubcontractor)));
  EXPECT_EQ(api->status, 403);
}

TEST_F(DocumentsHttpTest, IssueFormNeedsCsrf) {
  Browser b = LogIn("secman");
  auto page = GetAs(b, "/documents");
  ASSERT_NE(page->body.find("id=\"issue-form\""), std::string::npos);
  auto c = Client();
  auto no_token = c.Post("/documents/rmd/issue", {{"Cookie", b.cookie}}, "note=hello", kForm);
  EXPECT_EQ(no_token->status, 403);
  auto bad_token = c.Post("/documents/rmd/issue", {{"Cookie", b.cookie}},
                          "csrf_token=deadbeef&note=hello", kForm);
  EXPECT_EQ(bad_token->status, 403);
  EXPECT_EQ(VersionCount(), 0);

  auto ok = PostForm(b, "/documents/rmd/issue", "note=Quarterly+review");
  ASSERT_EQ(ok->status, 303) << ok->body.substr(0, 300);
  EXPECT_EQ(ok->get_header_value("Location"), "/documents?issued=1#versions");
  EXPECT_EQ(VersionCount(), 1);
  auto after = GetAs(b, "/documents?issued=1");
  EXPECT_NE(after->body.find("RMD version 1 issued"), std::string::npos);
  EXPECT_NE(after->body.find("Quarterly review"), std::string::npos);
}

TEST_F(DocumentsHttpTest, DiffAfterChangingARiskShowsTheRiskTableChanged) {
  const std::string token = TokenFor(auth::Role::kSecurityManager);
  auto c = Client();
  ASSERT_EQ(c.Post("/api/v1/rmd/versions", Bearer(token), R"({"note":"before"})", kJson)->status,
            201);
  auto risks = c.Get("/api/v1/r/risks?limit=1", Bearer(token));
  ASSERT_EQ(risks->status, 200);
  const std::int64_t id = Body(risks)["items"][0]["id"];
  auto patched = c.Patch("/api/v1/r/risks/" + std::to_string(id), Bearer(token),
                         R"({"title":"Quokka-themed phishing campaign"})", kJson);
  ASSERT_EQ(patched->status, 200) << patched->body;
  ASSERT_EQ(c.Post("/api/v1/rmd/versions", Bearer(token), R"({"note":"after"})", kJson)->status,
            201);

  auto diff = c.Get("/api/v1/rmd/diff?a=1&b=2", Bearer(token));
  ASSERT_EQ(diff->status, 200) << diff->body;
  json body = Body(diff);
  EXPECT_EQ(body["a"], 1);
  EXPECT_EQ(body["b"], 2);
  bool saw_risk_table = false;
  bool saw_unchanged = false;
  for (const auto& s : body["sections"]) {
    if (s["heading"] == "5.5 Risk Assessment Table") {
      saw_risk_table = true;
      EXPECT_EQ(s["status"], "changed");
      bool added = false;
      for (const auto& line : s["lines"]) {
        const std::string l = line.get<std::string>();
        added = added || (l[0] == '+' && l.find("Quokka-themed") != std::string::npos);
      }
      EXPECT_TRUE(added) << s.dump();
    }
    saw_unchanged = saw_unchanged || s["status"] == "unchanged";
  }
  EXPECT_TRUE(saw_risk_table);
  EXPECT_TRUE(saw_unchanged);
  EXPECT_GE(body["changed"].get<int>(), 1);

  // The page: the section marked changed, the new line as an insertion with a text label.
  Browser b = LogIn("reviewer");
  auto page = GetAs(b, "/documents/rmd/diff?a=1&b=2");
  ASSERT_EQ(page->status, 200);
  EXPECT_NE(page->body.find("5.5 Risk Assessment Table <span class=\"badge badge--amber\">changed"),
            std::string::npos);
  EXPECT_NE(page->body.find("<ins class=\"diff__ins\"><span class=\"visually-hidden\">added: "),
            std::string::npos);
  EXPECT_NE(page->body.find("Quokka-themed"), std::string::npos);
  EXPECT_NE(page->body.find("<del class=\"diff__del\">"), std::string::npos);

  auto missing = c.Get("/api/v1/rmd/diff?a=1&b=9", Bearer(token));
  EXPECT_EQ(missing->status, 404);
  auto no_b = c.Get("/api/v1/rmd/diff?a=1", Bearer(token));
  EXPECT_EQ(no_b->status, 400);
  EXPECT_EQ(Body(no_b)["error"]["field"], "b");
}

TEST_F(DocumentsHttpTest, ReadinessListsEveryClauseOfFivePointFour) {
  auto c = Client();
  auto res = c.Get("/api/v1/readiness", Bearer(TokenFor(auth::Role::kCustomerReviewer)));
  ASSERT_EQ(res->status, 200) << res->body;
  json body = Body(res);
  ASSERT_TRUE(body.contains("complete"));
  std::set<std::string> ids;
  for (const auto& item : body["items"]) {
    ids.insert(item["clause_id"].get<std::string>());
    if (!item["complete"].get<bool>()) {
      EXPECT_FALSE(item["reasons"].empty()) << item.dump();
    }
  }
  for (int i = 1; i <= 8; ++i) {
    EXPECT_TRUE(ids.count("S2.4-5.4." + std::to_string(i))) << i;
  }

  // The page and the dashboard summary.
  Browser b = LogIn("secman");
  auto page = GetAs(b, "/documents/readiness");
  ASSERT_EQ(page->status, 200);
  EXPECT_NE(page->body.find("S2.4-5.4.8"), std::string::npos);
  auto home = GetAs(b, "/");
  EXPECT_NE(home->body.find("Readiness for accreditation"), std::string::npos);
  EXPECT_NE(home->body.find(" of " + std::to_string(body["items"].size()) + " items complete"),
            std::string::npos);
  EXPECT_NE(home->body.find("href=\"/documents/readiness\""), std::string::npos);
}

TEST_F(DocumentsHttpTest, MatrixAndSoaDownloadWithTheRightHeaders) {
  Browser b = LogIn("secman");
  auto xlsx = GetAs(b, "/documents/matrix.xlsx");
  ASSERT_EQ(xlsx->status, 200) << xlsx->body.substr(0, 300);
  EXPECT_EQ(xlsx->get_header_value("Content-Type"), kXlsx);
  EXPECT_EQ(xlsx->get_header_value("Content-Disposition")
                .rfind("attachment; filename=\"compliance-matrix.xlsx\"", 0),
            0u);
  EXPECT_TRUE(IsZipWith(xlsx->body, "xl/workbook.xml"));

  auto csv = GetAs(b, "/documents/soa.csv");
  ASSERT_EQ(csv->status, 200);
  EXPECT_EQ(csv->get_header_value("Content-Type"), "text/csv; charset=utf-8");
  EXPECT_EQ(csv->get_header_value("Content-Disposition")
                .rfind("attachment; filename=\"statement-of-applicability.csv\"", 0),
            0u);
  EXPECT_NE(csv->body.find("A.12.6.1"), std::string::npos);
  // 114 controls after the header line.
  EXPECT_GE(std::count(csv->body.begin(), csv->body.end(), '\n'), 115);

  auto c = Client();
  const std::string token = TokenFor(auth::Role::kAuditor);
  auto api_csv = c.Get("/api/v1/matrix?format=csv", Bearer(token));
  ASSERT_EQ(api_csv->status, 200);
  EXPECT_NE(api_csv->body.find("S2.4-"), std::string::npos);
  auto api_xlsx = c.Get("/api/v1/soa?format=xlsx", Bearer(token));
  ASSERT_EQ(api_xlsx->status, 200);
  EXPECT_EQ(api_xlsx->get_header_value("Content-Type"), kXlsx);
  EXPECT_TRUE(IsZipWith(api_xlsx->body, "xl/workbook.xml"));
  auto view_2022 = c.Get("/api/v1/soa?format=csv&sheet=1", Bearer(token));
  ASSERT_EQ(view_2022->status, 200);
  EXPECT_NE(view_2022->body.find("8.8"), std::string::npos);
  auto json_view = c.Get("/api/v1/matrix?format=json", Bearer(token));
  ASSERT_EQ(json_view->status, 200);
  EXPECT_EQ(Body(json_view)["sheets"][0]["name"], "Compliance matrix");
  auto bad = c.Get("/api/v1/matrix?format=ods", Bearer(token));
  EXPECT_EQ(bad->status, 400);
  EXPECT_EQ(Body(bad)["error"]["field"], "format");
  auto bad_sheet = c.Get("/api/v1/soa?format=csv&sheet=5", Bearer(token));
  EXPECT_EQ(bad_sheet->status, 400);
  EXPECT_EQ(Body(bad_sheet)["error"]["field"], "sheet");
  auto unknown = c.Get("/api/v1/soa?fromat=csv", Bearer(token));
  EXPECT_EQ(unknown->status, 400);
  EXPECT_EQ(Body(unknown)["error"]["field"], "fromat");

  // HTML views: tables with the gap rows highlighted and labelled.
  auto matrix = GetAs(b, "/documents/matrix");
  ASSERT_EQ(matrix->status, 200);
  EXPECT_NE(matrix->body.find("<h2 id=\"sheet-0-heading\">Compliance matrix</h2>"),
            std::string::npos);
  EXPECT_NE(
      matrix->body.find("<tr class=\"row-warning\"><td><span class=\"badge badge--amber\">Gap"),
      std::string::npos);
  auto soa = GetAs(b, "/documents/soa");
  ASSERT_EQ(soa->status, 200);
  EXPECT_NE(soa->body.find("A.5.1.1"), std::string::npos);
}

// XLSX goes through a private scratch directory under the temporary directory, which is gone
// again once the response is sent.
class ScratchDirTest : public DocumentsHttpTest {
 protected:
  void SetUp() override {
    scratch_ = dir_.Path() / "tmp";
    std::filesystem::create_directory(scratch_);
    const char* old = std::getenv("TMPDIR");  // NOLINT(concurrency-mt-unsafe): before the server
    const std::string saved = old != nullptr ? old : "";
    setenv("TMPDIR", scratch_.c_str(), 1);  // the server resolves it once, in Create
    Start({});
    if (old != nullptr) {
      setenv("TMPDIR", saved.c_str(), 1);
    } else {
      unsetenv("TMPDIR");
    }
  }

  std::filesystem::path scratch_;
};

TEST_F(ScratchDirTest, XlsxScratchDirectoryIsRemoved) {
  auto c = Client();
  const std::string token = TokenFor(auth::Role::kSecurityManager);
  for (const char* path : {"/api/v1/matrix?format=xlsx", "/api/v1/soa?format=xlsx"}) {
    auto res = c.Get(path, Bearer(token));
    ASSERT_EQ(res->status, 200) << path << " " << res->body.substr(0, 200);
    EXPECT_TRUE(IsZipWith(res->body, "xl/workbook.xml"));
  }
  EXPECT_TRUE(std::filesystem::is_empty(scratch_));

  // A scratch base that cannot be written: a clean 500, nothing leaks.
  std::filesystem::permissions(
      scratch_, std::filesystem::perms::owner_read | std::filesystem::perms::owner_exec);
  auto res = c.Get("/api/v1/matrix?format=xlsx", Bearer(token));
  std::filesystem::permissions(scratch_, std::filesystem::perms::owner_all);
  if (::geteuid() != 0) {  // root ignores directory permissions
    EXPECT_EQ(res->status, 500);
    EXPECT_EQ(Body(res)["error"]["code"], "internal");
    EXPECT_EQ(res->body.find(scratch_.string()), std::string::npos);
  }
}

TEST_F(DocumentsHttpTest, CataloguesWithAttribution) {
  auto c = Client();
  const std::string token = TokenFor(auth::Role::kEngineer);
  auto clauses = c.Get("/api/v1/catalog/clauses", Bearer(token));
  ASSERT_EQ(clauses->status, 200);
  json body = Body(clauses);
  EXPECT_FALSE(body["attribution"].get<std::string>().empty());
  bool found = false;
  for (const auto& cl : body["items"]) {
    found = found || cl["id"] == "S2.4-5.4.3";
  }
  EXPECT_TRUE(found);
  auto deadlines = c.Get("/api/v1/catalog/clauses?kind=deadline", Bearer(token));
  const json deadline_body = Body(deadlines);  // named: a temporary would die before the loop
  for (const auto& cl : deadline_body["items"]) {
    EXPECT_EQ(cl["kind"], "deadline");
  }
  EXPECT_EQ(c.Get("/api/v1/catalog/clauses?kind=whim", Bearer(token))->status, 400);

  auto iso = c.Get("/api/v1/catalog/iso27001-2013/controls", Bearer(token));
  ASSERT_EQ(iso->status, 200);
  json controls = Body(iso);
  EXPECT_EQ(controls["total"], 114);
  EXPECT_FALSE(controls["attribution"].get<std::string>().empty());
  EXPECT_EQ(controls["items"][0]["id"], "A.5.1.1");
  EXPECT_FALSE(controls["items"][0]["title"].get<std::string>().empty());
  EXPECT_EQ(Body(c.Get("/api/v1/catalog/iso27001-2022/controls", Bearer(token)))["total"], 93);

  auto unknown = c.Get("/api/v1/catalog/schedule-2.4/controls", Bearer(token));
  EXPECT_EQ(unknown->status, 404);
  EXPECT_EQ(Body(unknown)["error"]["field"], "catalogue");
  EXPECT_EQ(c.Get("/api/v1/catalog/clauses")->status, 401);
}

TEST_F(DocumentsHttpTest, OpenApiListsDocumentEndpoints) {
  json doc = Body(Client().Get("/api/v1/openapi.json"));
  for (const char* path :
       {"/api/v1/rmd", "/api/v1/rmd.docx", "/api/v1/rmd/versions", "/api/v1/rmd/versions/{n}",
        "/api/v1/rmd/diff", "/api/v1/readiness", "/api/v1/matrix", "/api/v1/soa", "/api/v1/catalog",
        "/api/v1/catalog/clauses", "/api/v1/catalog/{catalogue}/controls"}) {
    EXPECT_TRUE(doc["paths"].contains(path)) << path;
  }
  EXPECT_TRUE(doc["paths"]["/api/v1/rmd/versions"].contains("post"));
}

}  // namespace
}  // namespace accredit::http
