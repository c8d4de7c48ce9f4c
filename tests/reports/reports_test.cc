#include "reports/reports.h"

#include <algorithm>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "reports/reports_fixture.h"

namespace accredit::reports {
namespace {

using testing_support::ReportsTest;

TEST_F(ReportsTest, RmdHasEveryAnnex3HeadingInOrder) {
  auto doc = reports_->BuildRmd(admin_);
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  EXPECT_EQ(Headings(*doc), Annex3Headings());
  EXPECT_TRUE(docs::Validate(*doc).ok());
  EXPECT_EQ(doc->version, "Draft");
  EXPECT_EQ(doc->date, "2026-05-28");
}

TEST_F(ReportsTest, EmptyDatabaseGivesGapNoticesInTheRightSections) {
  auto doc = reports_->BuildRmd(admin_);
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"3 References, Links and Dependencies", "No references recorded"},
      {"4.2 Organisational Ownership and Structure", "No parties recorded"},
      {"4.3 Information Assets and Flows", "No information assets recorded"},
      {"4.4 System Architecture", "No IMS assets recorded"},
      {"4.6 Locations", "No sites recorded"},
      {"4.8 Key Roles and Responsibilities", "No SIRO recorded"},
      {"5.2 Accreditation Plan", "No Accreditation Plan dates — S2.4-5.4.1"},
      {"5.3 Risk Appetite", "No Statement of Information Risk Appetite"},
      {"5.5 Risk Assessment Table", "No risks recorded — S2.4-5.4.2 requires"},
      {"5.6 Controls Table", "No controls recorded — S2.4-5.4.5"},
      {"8 Major Hardware and Software and End of Support Dates", "No hardware or software"},
      {"10 Security Requirements for User Organisations", "No approved end-user device"},
      {"12 Personal Data Processing Statement", "No Personal Data Processing Statement"},
      {"Annex A ISO 27001 and Cyber Essentials Plus Certificates", "No certificates recorded"},
  };
  for (const auto& [heading, text] : expected) {
    const auto gaps = GapsIn(*doc, heading);
    EXPECT_TRUE(std::any_of(gaps.begin(), gaps.end(),
                            [&](const std::string& g) { return g.find(text) == 0; }))
        << heading << " lacks the gap " << text;
  }
  // The Change History of a fresh database has nothing to summarise.
  EXPECT_FALSE(GapsIn(*doc, "2 Change History").empty());
}

TEST_F(ReportsTest, RisksAndControlsAppearInTheirTablesWithLinks) {
  Create("risk_appetite", {{"category", "Confidentiality"}, {"appetite_level", 8}});
  const auto r1 = Risk("R1", "Unpatched servers", 4, 5, 2, 5);  // residual 10 > 8
  Risk("R2", "Lost laptop", 2, 2, 1, 2);                        // residual 2
  const auto c1 = Create(
      "controls",
      {{"ref", "C1"}, {"title", "Monthly patching"}, {"description", "Patch within 7 days"}});
  Create("controls", {{"ref", "C2"}, {"title", "Disk encryption"}});
  Mitigates(c1, r1);

  auto doc = reports_->BuildRmd(admin_);
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  const docs::Table* risks = TableIn(*doc, "5.5 Risk Assessment Table");
  ASSERT_NE(risks, nullptr);
  EXPECT_EQ(risks->header,
            (std::vector<std::string>{"Risk ID", "Inherent risk", "Inherent level", "Vulnerability",
                                      "Controls", "Residual level"}));
  ASSERT_EQ(risks->rows.size(), 2u);
  EXPECT_EQ(risks->rows[0][0], "R1");
  EXPECT_EQ(risks->rows[0][4], "C1");
  EXPECT_EQ(risks->rows[0][2], "very high (20)");
  EXPECT_EQ(risks->rows[1][0], "R2");
  EXPECT_EQ(risks->rows[1][4], "None");
  ASSERT_EQ(risks->row_styles.size(), 2u);
  EXPECT_EQ(risks->row_styles[0], docs::RowStyle::kDanger);

  const docs::Table* controls = TableIn(*doc, "5.6 Controls Table");
  ASSERT_NE(controls, nullptr);
  ASSERT_EQ(controls->rows.size(), 2u);
  EXPECT_EQ(controls->rows[0][0], "C1");
  EXPECT_NE(controls->rows[0][3].find("Mitigates: R1"), std::string::npos);

  const docs::Table* residual = TableIn(*doc, "5.7 Residual Risks and Actions");
  ASSERT_NE(residual, nullptr);
  ASSERT_EQ(residual->rows.size(), 1u);
  EXPECT_EQ(residual->rows[0][0], "R1");
  EXPECT_EQ(residual->rows[0][3], "Confidentiality \u2264 8");
}

TEST_F(ReportsTest, RcrInSection11AndProductsRagInSection8) {
  Create("rcr", {{"ref", "RC1"},
                 {"rmd_section", "A3-5.5"},
                 {"change", "Add risk R3"},
                 {"agreed_with", "Customer Accreditor"},
                 {"date_agreed", "2026-01-10"},
                 {"documentation_update", "RMD v2"},
                 {"status", "agreed"},
                 {"implementation_due_date", "2026-12-31"}});
  Create("products", {{"vendor", "Microsoft"},
                      {"name", "Windows Server"},
                      {"version", "2016"},
                      {"product_type", "software"},
                      {"mainstream_support_end", "2022-01-11"},
                      {"extended_support_end", "2027-01-12"}});
  Create("products", {{"vendor", "Cisco"},
                      {"name", "ASA"},
                      {"product_type", "hardware"},
                      {"mainstream_support_end", "2026-08-31"}});
  Create("products", {{"vendor", "Debian"},
                      {"name", "Debian"},
                      {"version", "12"},
                      {"product_type", "software"},
                      {"mainstream_support_end", "2028-06-10"}});
  auto doc = reports_->BuildRmd(admin_);
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  const docs::Table* rcr = TableIn(*doc, "11 Required Changes Register");
  ASSERT_NE(rcr, nullptr);
  EXPECT_EQ(rcr->header,
            (std::vector<std::string>{"Ref", "Section", "Change", "Agreed With", "Date agreed",
                                      "Documentation update", "Status"}));
  ASSERT_EQ(rcr->rows.size(), 1u);
  EXPECT_EQ(rcr->rows[0],
            (std::vector<std::string>{"RC1", "A3-5.5", "Add risk R3", "Customer Accreditor",
                                      "2026-01-10", "RMD v2", "agreed"}));
  const docs::Table* products =
      TableIn(*doc, "8 Major Hardware and Software and End of Support Dates");
  ASSERT_NE(products, nullptr);
  ASSERT_EQ(products->rows.size(), 3u);
  EXPECT_EQ(products->rows[0][5], "red");
  EXPECT_EQ(products->rows[1][5], "amber");
  EXPECT_EQ(products->rows[2][5], "green");
  EXPECT_EQ(products->row_styles[0], docs::RowStyle::kDanger);
}

TEST_F(ReportsTest, IssuedVersionsAreFrozenAndDiffedBySection) {
  const auto r1 = Risk("R1", "Unpatched servers", 4, 5, 2, 5);
  const auto c1 = Create("controls", {{"ref", "C1"}, {"title", "Monthly patching"}});
  Mitigates(c1, r1);
  auto v1 = reports_->IssueRmd(admin_, "first issue");
  ASSERT_TRUE(v1.ok()) << v1.status().ToString();
  EXPECT_EQ(v1->version, 1);
  EXPECT_EQ(v1->sha256.size(), 64u);
  clock_.Advance(std::chrono::hours(24));
  auto updated = service_->Update(admin_, *registers::RegisterService::Find("risks"), r1,
                                  {{"title", "Unpatched internet-facing servers"}});
  ASSERT_TRUE(updated.ok()) << updated.status().ToString();
  auto v2 = reports_->IssueRmd(admin_, "risk retitled");
  ASSERT_TRUE(v2.ok()) << v2.status().ToString();
  EXPECT_EQ(v2->version, 2);

  auto list = reports_->ListRmdVersions(admin_);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].note, "first issue");

  auto frozen = reports_->RmdVersion(admin_, 1);
  ASSERT_TRUE(frozen.ok()) << frozen.status().ToString();
  EXPECT_EQ(frozen->version, "Version 1");
  const docs::Table* risks = TableIn(*frozen, "5.5 Risk Assessment Table");
  ASSERT_NE(risks, nullptr);
  EXPECT_EQ(risks->rows[0][1], "Unpatched servers");  // the change after issue is not in v1

  auto diff = reports_->DiffRmd(admin_, 1, 2);
  ASSERT_TRUE(diff.ok()) << diff.status().ToString();
  std::map<std::string, docs::DiffStatus> by_anchor;
  for (const auto& s : *diff) {
    by_anchor[s.anchor.empty() ? s.heading : s.anchor] = s.status;
  }
  EXPECT_EQ(by_anchor["a3-5-5"], docs::DiffStatus::kChanged);
  // The Change History changes too: it now lists the risk update and the first issue.
  EXPECT_EQ(by_anchor["a3-2"], docs::DiffStatus::kChanged);
  for (const char* same : {"a3-1", "a3-3", "a3-4-4", "a3-5-2", "a3-5-6", "a3-5-7", "a3-8", "a3-11",
                           "a3-12", "a3-annex-a"}) {
    EXPECT_EQ(by_anchor[same], docs::DiffStatus::kUnchanged) << same;
  }

  EXPECT_EQ(reports_->RmdVersion(admin_, 9).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(CountAudit("rmd.issue"), 2);

  auth::Principal auditor = admin_;
  auditor.role = auth::Role::kAuditor;
  EXPECT_EQ(reports_->IssueRmd(auditor, "").error().code, ErrorCode::kPermissionDenied);
}

TEST_F(ReportsTest, TamperedVersionIsDataLoss) {
  ASSERT_TRUE(reports_->IssueRmd(admin_, "").ok());
  auto conn = store_->Acquire();
  ASSERT_TRUE(conn.ok());
  ASSERT_TRUE((*conn)
                  ->Execute("UPDATE rmd_versions SET content_json = "
                            "replace(content_json, 'Executive', 'Exekutive')")
                  .ok());
  EXPECT_EQ(reports_->RmdVersion(admin_, 1).error().code, ErrorCode::kDataLoss);
}

// The SoA is part of the RMD (S2.4-5.4.3): each issued RMD version freezes it too.
TEST_F(ReportsTest, SoaIsFrozenWithEachRmdVersion) {
  const auto entry = Create("soa", {{"control_id", "A.12.6.1"},
                                    {"applicable", true},
                                    {"justification", "Old justification"},
                                    {"implementation_status", "planned"}});
  auto v1 = reports_->IssueRmd(admin_, "first issue");
  ASSERT_TRUE(v1.ok()) << v1.status().ToString();
  clock_.Advance(std::chrono::hours(24));
  auto updated = service_->Update(
      admin_, *registers::RegisterService::Find("soa"), entry,
      {{"justification", "New justification"}, {"implementation_status", "implemented"}});
  ASSERT_TRUE(updated.ok()) << updated.status().ToString();
  auto v2 = reports_->IssueRmd(admin_, "SoA updated");
  ASSERT_TRUE(v2.ok()) << v2.status().ToString();

  const auto row_of = [](const docs::Workbook& book) -> std::vector<docs::Cell> {
    for (const auto& row : book.sheets.at(0).rows) {
      if (row[0].text == "A.12.6.1") {
        return row;
      }
    }
    ADD_FAILURE() << "no row A.12.6.1";
    return {};
  };
  auto soa1 = reports_->SoaVersion(admin_, 1);
  ASSERT_TRUE(soa1.ok()) << soa1.status().ToString();
  ASSERT_TRUE(docs::Validate(*soa1).ok());
  EXPECT_EQ(soa1->sheets[0].rows.size(), 114u);
  auto row1 = row_of(*soa1);
  ASSERT_GE(row1.size(), 6u);
  EXPECT_EQ(row1[4].text, "Old justification");
  EXPECT_EQ(row1[5].text, "planned");

  auto soa2 = reports_->SoaVersion(admin_, 2);
  ASSERT_TRUE(soa2.ok()) << soa2.status().ToString();
  auto row2 = row_of(*soa2);
  ASSERT_GE(row2.size(), 6u);
  EXPECT_EQ(row2[4].text, "New justification");
  EXPECT_EQ(row2[5].text, "implemented");

  // The live SoA (same clock, no change since v2) is exactly the frozen v2, cell for cell,
  // and renders to the same CSV.
  auto live = reports_->StatementOfApplicability(admin_);
  ASSERT_TRUE(live.ok()) << live.status().ToString();
  EXPECT_EQ(live->title, soa2->title);
  EXPECT_EQ(live->created, soa2->created);
  ASSERT_EQ(live->sheets.size(), soa2->sheets.size());
  for (std::size_t i = 0; i < live->sheets.size(); ++i) {
    const auto& a = live->sheets[i];
    const auto& b = soa2->sheets[i];
    EXPECT_EQ(a.name, b.name);
    ASSERT_EQ(a.columns.size(), b.columns.size());
    for (std::size_t c = 0; c < a.columns.size(); ++c) {
      EXPECT_EQ(a.columns[c].header, b.columns[c].header);
      EXPECT_EQ(a.columns[c].width, b.columns[c].width);
      EXPECT_EQ(a.columns[c].wrap, b.columns[c].wrap);
    }
    EXPECT_EQ(a.row_styles, b.row_styles) << a.name;
    ASSERT_EQ(a.rows.size(), b.rows.size()) << a.name;
    for (std::size_t r = 0; r < a.rows.size(); ++r) {
      ASSERT_EQ(a.rows[r].size(), b.rows[r].size());
      for (std::size_t c = 0; c < a.rows[r].size(); ++c) {
        EXPECT_EQ(a.rows[r][c].kind, b.rows[r][c].kind) << a.name << " " << r << "," << c;
        EXPECT_EQ(a.rows[r][c].text, b.rows[r][c].text) << a.name << " " << r << "," << c;
        EXPECT_EQ(a.rows[r][c].number, b.rows[r][c].number) << a.name << " " << r << "," << c;
      }
    }
    EXPECT_EQ(*docs::RenderCsv(a), *docs::RenderCsv(b)) << a.name;
  }

  // Each frozen SoA names the RMD version it was issued with.
  const auto latest_issued = [](const docs::Workbook& book) {
    for (const auto& sheet : book.sheets) {
      for (const auto& row : sheet.rows) {
        if (sheet.name == "About" && row[0].text == "Latest issued RMD version") {
          return row[1].text;
        }
      }
    }
    return std::string("(missing)");
  };
  EXPECT_EQ(latest_issued(*soa1), "1");
  EXPECT_EQ(latest_issued(*soa2), "2");

  EXPECT_EQ(reports_->SoaVersion(admin_, 3).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(CountAudit("rmd.issue"), 2);

  auto conn = store_->Acquire();
  ASSERT_TRUE(conn.ok());
  ASSERT_TRUE((*conn)
                  ->Execute("UPDATE soa_versions SET content_json = "
                            "replace(content_json, 'Old justification', 'Forged') "
                            "WHERE version = 1")
                  .ok());
  EXPECT_EQ(reports_->SoaVersion(admin_, 1).error().code, ErrorCode::kDataLoss);
  EXPECT_TRUE(reports_->SoaVersion(admin_, 2).ok());
}

TEST_F(ReportsTest, MatrixCoversEveryRequirementClause) {
  const auto c1 = Create("controls", {{"ref", "C1"}, {"title", "Patching"}});
  AddLink(c1, "addresses", "catalog:schedule-2.4", "S2.4-8.3");
  Create("compliance", {{"clause_id", "S2.4-8.3"},
                        {"status", "met"},
                        {"owner", "Ops"},
                        {"last_reviewed", "2026-05-01"}});
  auto book = reports_->ComplianceMatrix(admin_);
  ASSERT_TRUE(book.ok()) << book.status().ToString();
  ASSERT_TRUE(docs::Validate(*book).ok());
  ASSERT_GE(book->sheets.size(), 2u);
  const auto& sheet = book->sheets[0];
  EXPECT_EQ(sheet.name, "Compliance matrix");
  std::vector<std::string> expected_ids;
  for (const auto& c : catalog_->Clauses()) {
    if (IsMatrixRequirement(c)) {
      expected_ids.push_back(c.id);
    }
  }
  ASSERT_EQ(sheet.rows.size(), expected_ids.size());
  int gaps = 0;
  for (std::size_t i = 0; i < sheet.rows.size(); ++i) {
    EXPECT_EQ(sheet.rows[i][0].text, expected_ids[i]);
    EXPECT_EQ(sheet.rows[i][5].text, "not computed");  // no computed source in this fixture
    if (sheet.rows[i][0].text == "S2.4-8.3") {
      EXPECT_EQ(sheet.rows[i][4].text, "met");
      EXPECT_EQ(sheet.rows[i][8].text, "C1");
      EXPECT_EQ(sheet.rows[i][10].text, "Ops");
    } else {
      EXPECT_EQ(sheet.rows[i][4].text, "GAP: not assessed");
      EXPECT_EQ(sheet.row_styles[i], docs::RowStyle::kWarning);
      ++gaps;
    }
  }
  EXPECT_EQ(book->sheets[1].name, "Summary");
  EXPECT_EQ(book->sheets[1].rows[0][0].text, "met");
  EXPECT_EQ(book->sheets[1].rows[0][1].number, 1);
  EXPECT_EQ(book->sheets[1].rows[4][0].text, "not assessed");
  EXPECT_EQ(book->sheets[1].rows[4][1].number, gaps);
}

TEST_F(ReportsTest, SoaHas114RowsAndA2022ViewOf93) {
  const auto c1 = Create("controls", {{"ref", "C1"}, {"title", "Patching"}});
  AddLink(c1, "implements", "catalog:iso27001-2013", "A.12.6.1");
  Create("soa", {{"control_id", "A.12.6.1"},
                 {"applicable", true},
                 {"justification", "Technical vulnerabilities are managed"},
                 {"implementation_status", "implemented"}});
  auto book = reports_->StatementOfApplicability(admin_);
  ASSERT_TRUE(book.ok()) << book.status().ToString();
  ASSERT_TRUE(docs::Validate(*book).ok());
  ASSERT_GE(book->sheets.size(), 2u);
  EXPECT_EQ(book->sheets[0].rows.size(), 114u);
  EXPECT_EQ(book->sheets[1].name, "2022 view");
  EXPECT_EQ(book->sheets[1].rows.size(), 93u);
  bool found = false;
  for (const auto& row : book->sheets[0].rows) {
    if (row[0].text == "A.12.6.1") {
      found = true;
      EXPECT_EQ(row[3].text, "Yes");
      EXPECT_EQ(row[5].text, "implemented");
      EXPECT_EQ(row[6].text, "C1");
      EXPECT_EQ(row[7].text, "8.8");
    } else {
      EXPECT_EQ(row[3].text, "GAP: no SoA entry");
    }
  }
  EXPECT_TRUE(found);
  for (const auto& row : book->sheets[1].rows) {
    if (row[0].text == "8.8") {
      EXPECT_EQ(row[4].text, "applicable");
      EXPECT_EQ(row[5].text, "C1");
    }
  }
}

TEST_F(ReportsTest, ReadinessGivesTheReasons) {
  auto empty = reports_->CheckReadiness(admin_);
  ASSERT_TRUE(empty.ok()) << empty.status().ToString();
  EXPECT_FALSE(empty->complete);
  EXPECT_EQ(Reasons(*empty, "S2.4-5.4.1"),
            (std::vector<std::string>{"no Accreditation Plan dates"}));
  EXPECT_EQ(Reasons(*empty, "S2.4-5.4.2"), (std::vector<std::string>{"no risks recorded"}));
  EXPECT_EQ(Reasons(*empty, "S2.4-5.4.3"),
            (std::vector<std::string>{"114 Annex A controls have no SoA entry"}));
  EXPECT_EQ(Reasons(*empty, "S2.4-5.4.8"),
            (std::vector<std::string>{"no Personal Data Processing Statement entries"}));
  EXPECT_EQ(Reasons(*empty, "S2.4-5.4.7"),
            (std::vector<std::string>{"no Provider party recorded"}));
  EXPECT_FALSE(Item(*empty, "S2.4-A3-5")->complete);
  EXPECT_EQ(empty->items.size(), 8u + 12u + 4u);

  Create("accreditation_plan",
         {{"milestone", "RMD 1"}, {"kind", "rmd_iteration"}, {"planned_date", "2026-06-01"}});
  Risk("R7", "Phishing", 3, 3, 2, 2, "Security Manager");
  Create("soa", {{"control_id", "A.5.1.1"},
                 {"applicable", true},
                 {"justification", "Policy"},
                 {"implementation_status", "implemented"}});
  Create("rcr", {{"ref", "RC3"},
                 {"change", "Replace firewall"},
                 {"status", "agreed"},
                 {"implementation_due_date", "2026-04-30"}});
  Create("rcr", {{"ref", "RC4"},
                 {"change", "Later"},
                 {"status", "agreed"},
                 {"implementation_due_date", "2026-12-31"}});
  const auto provider = Create("suppliers", {{"kind", "provider"}, {"name", "Acme Ltd"}});
  const auto sub = Create(
      "suppliers",
      {{"kind", "subcontractor"}, {"name", "CloudHost Ltd"}, {"access_to_customer_data", true}});
  for (auto party : {provider, sub}) {
    Create("certifications", {{"party_id", party},
                              {"scheme", "iso27001"},
                              {"certificate_number", "ISO-" + std::to_string(party)},
                              {"ukas_accredited", true},
                              {"issue_date", "2025-01-01"},
                              {"expiry_date", "2028-01-01"}});
  }
  Create("certifications", {{"party_id", provider},
                            {"scheme", "cyber_essentials_plus"},
                            {"certificate_number", "CEP-1"},
                            {"issue_date", "2025-01-01"},
                            {"expiry_date", "2026-01-01"}});
  Create("pdps", {{"processing_activity", "Incident logging"}, {"purpose", "Incidents"}});

  auto r = reports_->CheckReadiness(admin_);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(Reasons(*r, "S2.4-5.4.1"),
            (std::vector<std::string>{
                "the Accreditation Plan has no date by which an Approval Statement is needed"}));
  EXPECT_EQ(Reasons(*r, "S2.4-5.4.2"), (std::vector<std::string>{"risk R7 has no control"}));
  EXPECT_EQ(Reasons(*r, "S2.4-5.4.3"),
            (std::vector<std::string>{"113 Annex A controls have no SoA entry"}));
  EXPECT_EQ(
      Reasons(*r, "S2.4-5.4.6"),
      (std::vector<std::string>{"RCR entry RC3 is past its implementation due date (2026-04-30)"}));
  EXPECT_EQ(Reasons(*r, "S2.4-5.4.7"),
            (std::vector<std::string>{
                "provider Acme Ltd: ISO/IEC 27001 certificate ISO-" + std::to_string(provider) +
                    " has no certificate file (upload it as evidence)",
                "provider Acme Ltd: Cyber Essentials Plus certificate CEP-1 expired on "
                "2026-01-01",
                "supplier CloudHost Ltd: ISO/IEC 27001 certificate ISO-" + std::to_string(sub) +
                    " has no certificate file (upload it as evidence)",
                "supplier CloudHost Ltd has no Cyber Essentials Plus certificate"}));
  EXPECT_TRUE(Item(*r, "S2.4-5.4.8")->complete);
  const std::string json = ToJson(*r);
  EXPECT_NE(json.find("\"clause_id\":\"S2.4-5.4.2\""), std::string::npos);
}

// CSV import of every register (the registers engineer's fixtures) -> RMD: every imported risk
// and control is in its table.
TEST_F(ReportsTest, CsvImportedRegistersAppearInTheRmd) {
  ImportFixtures();
  const auto risk_refs = FixtureColumn("risks.csv", "ref");
  const auto control_refs = FixtureColumn("controls.csv", "ref");
  ASSERT_FALSE(risk_refs.empty());
  ASSERT_FALSE(control_refs.empty());
  auto doc = reports_->BuildRmd(admin_);
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  const docs::Table* risks = TableIn(*doc, "5.5 Risk Assessment Table");
  const docs::Table* controls = TableIn(*doc, "5.6 Controls Table");
  ASSERT_NE(risks, nullptr);
  ASSERT_NE(controls, nullptr);
  for (const auto& ref : risk_refs) {
    EXPECT_TRUE(std::any_of(risks->rows.begin(), risks->rows.end(),
                            [&](const auto& row) { return row[0] == ref; }))
        << "risk " << ref;
  }
  for (const auto& ref : control_refs) {
    EXPECT_TRUE(std::any_of(controls->rows.begin(), controls->rows.end(),
                            [&](const auto& row) { return row[0] == ref; }))
        << "control " << ref;
  }
  const docs::Table* rcr = TableIn(*doc, "11 Required Changes Register");
  ASSERT_NE(rcr, nullptr);
  EXPECT_EQ(rcr->rows.size(), FixtureColumn("rcr.csv", "ref").size());
  for (const char* format : {"html", "md"}) {
    auto text = std::string(format) == "html" ? docs::RenderHtml(*doc) : docs::RenderMarkdown(*doc);
    ASSERT_TRUE(text.ok()) << format;
    for (const auto& ref : risk_refs) {
      EXPECT_NE(text->find(ref), std::string::npos) << format << " " << ref;
    }
  }
}

}  // namespace
}  // namespace accredit::reports
