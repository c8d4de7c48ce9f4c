// Claims the documents make that must agree with the product's own clocks and data (hardening
// issue, section 7): readiness of S2.4-5.4.7 needs certificate files, the compliance matrix
// shows the computed state beside the hand-written assessment, and an issued RMD is one
// consistent read of the database.

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "reports/reports.h"
#include "reports/reports_fixture.h"

namespace accredit::reports {
namespace {

using registers::Json;
using testing_support::ReportsTest;

Instant At(std::string_view text) {
  auto t = ParseInstant(text);
  EXPECT_TRUE(t.ok()) << text;
  return t.ok() ? *t : Instant{};
}

std::vector<std::string> ReasonsOf(const ReadinessReport& r, const std::string& id) {
  for (const auto& it : r.items) {
    if (it.clause_id == id) {
      return it.reasons;
    }
  }
  ADD_FAILURE() << "no item " << id;
  return {};
}

class ClaimsTest : public ReportsTest {
 protected:
  // The Provider with a valid ISO/IEC 27001 and Cyber Essentials Plus certificate each; with
  // `file`, both certificates name an uploaded certificate file.
  void Certified(bool file) {
    const auto provider = Create("suppliers", {{"kind", "provider"}, {"name", "Acme Ltd"}});
    std::optional<std::int64_t> evidence;
    if (file) {
      auto e = service_->CreateEvidence(admin_, {{"title", "Certificates"}}, "certs.pdf",
                                        "application/pdf", "%PDF-1.4 certs");
      ASSERT_TRUE(e.ok()) << e.status().ToString();
      evidence = (*e)["id"].get<std::int64_t>();
    }
    for (const char* scheme : {"iso27001", "cyber_essentials_plus"}) {
      Json c{{"party_id", provider},
             {"scheme", scheme},
             {"certificate_number", std::string(scheme) == "iso27001" ? "ISO-1" : "CEP-1"},
             {"ukas_accredited", true},
             {"issue_date", "2025-01-01"},
             {"expiry_date", "2028-01-01"}};
      if (evidence) {
        c["evidence_id"] = *evidence;
      }
      Create("certifications", c);
    }
  }
};

// ---- S2.4-5.4.7: evidence is the certificate file, not the dates ----------------------------

TEST_F(ClaimsTest, Readiness547IsCompleteWithCertificateFiles) {
  Certified(/*file=*/true);
  auto r = reports_->CheckReadiness(admin_);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(ReasonsOf(*r, "S2.4-5.4.7"), std::vector<std::string>{});
}

TEST_F(ClaimsTest, Readiness547NeedsAFileNotJustDates) {
  Certified(/*file=*/false);
  auto r = reports_->CheckReadiness(admin_);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(ReasonsOf(*r, "S2.4-5.4.7"),
            (std::vector<std::string>{
                "provider Acme Ltd: ISO/IEC 27001 certificate ISO-1 has no certificate file "
                "(upload it as evidence)",
                "provider Acme Ltd: Cyber Essentials Plus certificate CEP-1 has no certificate "
                "file (upload it as evidence)"}));
}

TEST_F(ClaimsTest, Readiness547DoesNotCountAWithdrawnOrFutureCertificate) {
  Certified(/*file=*/true);
  auto list = service_->List(admin_, *registers::RegisterService::Find("certifications"), {});
  ASSERT_TRUE(list.ok());
  const auto& def = *registers::RegisterService::Find("certifications");
  // As the clocks count it: withdrawn from its withdrawal day; not before its issue day.
  ASSERT_TRUE(service_
                  ->Update(admin_, def, list->items[0]["id"].get<std::int64_t>(),
                           {{"withdrawn_date", "2026-05-01"}})
                  .ok());
  ASSERT_TRUE(service_
                  ->Update(admin_, def, list->items[1]["id"].get<std::int64_t>(),
                           {{"issue_date", "2026-06-01"}})
                  .ok());
  auto r = reports_->CheckReadiness(admin_);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(ReasonsOf(*r, "S2.4-5.4.7"),
            (std::vector<std::string>{
                "provider Acme Ltd: ISO/IEC 27001 certificate ISO-1 was withdrawn on 2026-05-01",
                "provider Acme Ltd: Cyber Essentials Plus certificate CEP-1 is not issued until "
                "2026-06-01"}));
}

// ---- S2.4-6.1: the matrix shows what the product computes ----------------------------------

class MatrixComputedTest : public ReportsTest {
 protected:
  docs::Workbook Matrix(ComputedClauses computed) {
    Reports r(*store_, *audit_, *service_, *registers_, *catalog_, clock_,
              [computed](Instant) -> Result<ComputedClauses> { return computed; });
    auto book = r.ComplianceMatrix(admin_);
    EXPECT_TRUE(book.ok()) << book.status().ToString();
    return book.ok() ? *book : docs::Workbook{};
  }

  static const std::vector<docs::Cell>* Row(const docs::Workbook& b, const std::string& id,
                                            docs::RowStyle* style = nullptr) {
    const auto& sheet = b.sheets.at(0);
    for (std::size_t i = 0; i < sheet.rows.size(); ++i) {
      if (sheet.rows[i][0].text == id) {
        if (style != nullptr) {
          *style = sheet.row_styles[i];
        }
        return &sheet.rows[i];
      }
    }
    ADD_FAILURE() << "no row " << id;
    return nullptr;
  }
};

TEST_F(MatrixComputedTest, AComputedClauseShowsItsStateBesideTheAssessment) {
  Create("compliance", {{"clause_id", "S2.4-8.5"}, {"status", "met"}, {"owner", "Ops"}});
  Create("compliance", {{"clause_id", "S2.4-7.1.2"}, {"status", "met"}, {"owner", "Ops"}});
  ComputedClauses c;
  c.clauses = {"S2.4-8.5", "S2.4-7.1.2", "S2.4-5.13", "S2.4-6.2"};
  c.obligations = {
      {"S2.4-8.5", ComputedState::kNotMet, false, At("2026-05-01T22:59:59.999Z"),
       "Keep Acme Server in mainstream support"},
      {"S2.4-8.5", ComputedState::kMet, false, At("2026-04-01T22:59:59.999Z"), "Keep B"},
      {"S2.4-7.1.2", ComputedState::kMet, true, At("2026-04-30T22:59:59.999Z"), "Scan April"},
      {"S2.4-7.1.2", ComputedState::kOpen, false, At("2026-05-31T22:59:59.999Z"), "Scan May"},
      {"S2.4-5.13.1", ComputedState::kOpen, false, At("2026-06-02T22:59:59.999Z"), "Notify"},
  };
  const auto book = Matrix(c);
  ASSERT_EQ(book.sheets.at(0).columns.at(5).header, "Computed state");

  // Failed: the product says not met, the assessment says met: both shown, the row red.
  docs::RowStyle style{};
  const auto* r85 = Row(book, "S2.4-8.5", &style);
  ASSERT_NE(r85, nullptr);
  EXPECT_EQ((*r85)[4].text, "met");
  EXPECT_EQ((*r85)[5].text, "not met");
  EXPECT_EQ((*r85)[6].text,
            "Differs from the assessment (met). 2 obligations: 1 not met, 1 met. Not met: Keep "
            "Acme Server in mainstream support.");
  EXPECT_EQ(style, docs::RowStyle::kDanger);

  // Open (nothing overdue): agrees with "met" so far; a late one is counted.
  const auto* r712 = Row(book, "S2.4-7.1.2", &style);
  ASSERT_NE(r712, nullptr);
  EXPECT_EQ((*r712)[5].text, "open");
  EXPECT_EQ((*r712)[6].text, "2 obligations: 1 open, 1 met (1 late). Next: Scan May.");
  EXPECT_EQ(style, docs::RowStyle::kNormal);

  // A sub-clause obligation shows on its own row; a rule with no obligation yet says so.
  EXPECT_EQ((*Row(book, "S2.4-5.13.1"))[5].text, "open");
  EXPECT_EQ((*Row(book, "S2.4-6.2"))[5].text, "nothing due yet");
  // A clause no rule computes.
  EXPECT_EQ((*Row(book, "S2.4-8.3"))[5].text, "not computed");

  const auto& summary = book.sheets.at(1);
  bool found = false;
  for (const auto& row : summary.rows) {
    if (row[0].text == "assessment differs from the computed state") {
      EXPECT_EQ(row[1].number, 1);
      found = true;
    }
  }
  EXPECT_TRUE(found);
}

TEST_F(MatrixComputedTest, AMetClauseAgreesWithAMetAssessment) {
  Create("compliance", {{"clause_id", "S2.4-8.5"}, {"status", "met"}, {"owner", "Ops"}});
  ComputedClauses c;
  c.clauses = {"S2.4-8.5"};
  c.obligations = {{"S2.4-8.5", ComputedState::kMet, false, At("2026-04-01T22:59:59.999Z"),
                    "Keep B in mainstream support"}};
  docs::RowStyle style{};
  const auto book = Matrix(c);
  const auto* row = Row(book, "S2.4-8.5", &style);
  ASSERT_NE(row, nullptr);
  EXPECT_EQ((*row)[5].text, "met");
  EXPECT_EQ((*row)[6].text, "1 obligation: 1 met.");
  EXPECT_EQ(style, docs::RowStyle::kNormal);
}

// ---- One consistent read for an RMD --------------------------------------------------------

// A clock that, the second time it is read (the registers are being read by then: certificate
// status is computed from it), commits a new reference from another connection, as a user
// saving a form in the middle of the build would.
class WritingClock final : public Clock {
 public:
  WritingClock(const Clock& base, store::Store& other) : base_(base), other_(other) {}

  Instant Now() const override {
    if (++calls_ == 2) {
      auto conn = other_.Acquire();
      write_ = conn.ok() ? (*conn)
                               ->Execute(
                                   "INSERT INTO \"references\" (ref_id, title, created_at, "
                                   "updated_at) VALUES ('REF-LATE', 'Written meanwhile', "
                                   "'2026-05-28T12:00:00.000Z', '2026-05-28T12:00:00.000Z')")
                               .status()
                         : conn.status();
    }
    return base_.Now();
  }

  Status Written() const { return write_; }

 private:
  const Clock& base_;
  store::Store& other_;
  mutable std::atomic<int> calls_{0};
  mutable Status write_ = Err(ErrorCode::kInternal, "not written");
};

class ConsistentReadTest : public ReportsTest {
 protected:
  void SetUp() override {
    ReportsTest::SetUp();
    store::Options options;
    options.path = dir_.File("test.db");
    options.busy_timeout_ms = 50;  // a writer blocked by an issue gives up quickly
    auto other = store::Store::OpenSqlite(options);
    ASSERT_TRUE(other.ok());
    other_ = std::move(*other);
    writing_ = std::make_unique<WritingClock>(clock_, *other_);
    registers::RegisterService::Options o;
    o.evidence_dir = dir_.File("evidence");
    slow_service_ =
        std::make_unique<registers::RegisterService>(*store_, *audit_, *writing_, *registers_, o);
    slow_reports_ = std::make_unique<Reports>(*store_, *audit_, *slow_service_, *registers_,
                                              *catalog_, *writing_);
    Create("references", {{"ref_id", "REF-1"}, {"title", "Security policy"}});
    Certified();
  }

  void Certified() {
    const auto provider = Create("suppliers", {{"kind", "provider"}, {"name", "Acme Ltd"}});
    Create("certifications", {{"party_id", provider},
                              {"scheme", "iso27001"},
                              {"certificate_number", "ISO-1"},
                              {"issue_date", "2025-01-01"},
                              {"expiry_date", "2028-01-01"}});
  }

  std::unique_ptr<store::Store> other_;
  std::unique_ptr<WritingClock> writing_;
  std::unique_ptr<registers::RegisterService> slow_service_;
  std::unique_ptr<Reports> slow_reports_;
};

TEST_F(ConsistentReadTest, AWriteDuringTheBuildIsNotHalfInTheDocument) {
  auto doc = slow_reports_->BuildRmd(admin_);
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  // The write committed while the registers were being read (WAL: readers never block it) ...
  ASSERT_TRUE(writing_->Written().ok()) << writing_->Written().ToString();
  // ... but the document is the state before it: references are read after certifications.
  const std::string json = docs::ToJson(*doc);
  EXPECT_NE(json.find("Security policy"), std::string::npos);
  EXPECT_EQ(json.find("Written meanwhile"), std::string::npos);
  // The next build sees it.
  auto again = reports_->BuildRmd(admin_);
  ASSERT_TRUE(again.ok());
  EXPECT_NE(docs::ToJson(*again).find("Written meanwhile"), std::string::npos);
}

TEST_F(ConsistentReadTest, NothingIsWrittenWhileAVersionIsIssued) {
  auto info = slow_reports_->IssueRmd(admin_, "first");
  ASSERT_TRUE(info.ok()) << info.status().ToString();
  // The issue reads inside its write transaction: the other writer could not get in.
  EXPECT_EQ(writing_->Written().Code(), ErrorCode::kUnavailable) << writing_->Written().ToString();
  auto frozen = reports_->RmdVersion(admin_, info->version);
  ASSERT_TRUE(frozen.ok());
  const std::string json = docs::ToJson(*frozen);
  EXPECT_EQ(json.find("Written meanwhile"), std::string::npos);
  EXPECT_NE(json.find("Security policy"), std::string::npos);
}

}  // namespace
}  // namespace accredit::reports
