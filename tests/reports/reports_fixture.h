#pragma once

// Shared set-up for the reports tests: a real SQLite store in a TempDir with every module's
// migrations, the real AuditLog, Registers, RegisterService, Catalog and Reports over a FakeClock
// at 2026-05-28 12:00 UTC, and helpers to create records, links and read the generated models.

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "reports/reports.h"
#include "testing/testing.h"

namespace accredit::reports::testing_support {

using registers::Json;

class ReportsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store::Options options;
    options.path = dir_.File("test.db");
    auto store = store::Store::OpenSqlite(options);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(*store);
    std::vector<store::Migration> all = auth::Accounts::Migrations();
    for (const auto& m : audit::AuditLog::Migrations()) {
      all.push_back(m);
    }
    for (const auto& m : registers::Registers::Migrations()) {
      all.push_back(m);
    }
    for (const auto& m : registers::RegisterService::Migrations()) {
      all.push_back(m);
    }
    for (const auto& m : Reports::Migrations()) {
      all.push_back(m);
    }
    auto applied = store_->Migrate(all);
    ASSERT_TRUE(applied.ok()) << applied.status().ToString();
    audit_ = std::make_unique<audit::AuditLog>(clock_);
    registers_ = std::make_unique<registers::Registers>(*store_, *audit_, clock_);
    registers::RegisterService::Options service_options;
    service_options.evidence_dir = dir_.File("evidence");
    service_ = std::make_unique<registers::RegisterService>(*store_, *audit_, clock_, *registers_,
                                                            service_options);
    auto catalog = catalog::Catalog::Load();
    ASSERT_TRUE(catalog.ok()) << catalog.status().ToString();
    catalog_ = std::move(*catalog);
    reports_ =
        std::make_unique<Reports>(*store_, *audit_, *service_, *registers_, *catalog_, clock_);
  }

  std::int64_t Create(const std::string& reg, const Json& input) {
    const registers::RegisterDef* def = registers::RegisterService::Find(reg);
    EXPECT_NE(def, nullptr) << reg;
    if (def == nullptr) {
      return 0;
    }
    auto rec = service_->Create(admin_, *def, input);
    EXPECT_TRUE(rec.ok()) << reg << ": " << rec.status().ToString();
    return rec.ok() ? (*rec)["id"].get<std::int64_t>() : 0;
  }

  // The id of the risk appetite row `category`, if there is one.
  std::optional<std::int64_t> AppetiteId(const std::string& category) {
    registers::ListQuery q;
    q.limit = 500;
    auto list = service_->List(admin_, *registers::RegisterService::Find("risk_appetite"), q);
    EXPECT_TRUE(list.ok());
    if (list.ok()) {
      for (const auto& a : list->items) {
        if (a["category"] == category) {
          return a["id"].get<std::int64_t>();
        }
      }
    }
    return std::nullopt;
  }

  // A risk in the category "Confidentiality" when the appetite has that row (else none).
  std::int64_t Risk(const std::string& ref, const std::string& title, int il, int ii, int rl,
                    int ri, const std::string& owner = "Ops lead") {
    Json risk{{"ref", ref},
              {"title", title},
              {"vulnerability", "Slow patching"},
              {"inherent_likelihood", il},
              {"inherent_impact", ii},
              {"residual_likelihood", rl},
              {"residual_impact", ri},
              {"owner", owner},
              {"treatment", "treat"}};
    if (auto category = AppetiteId("Confidentiality")) {
      risk["category_id"] = *category;
    }
    return Create("risks", risk);
  }

  void AddLink(std::int64_t control, const std::string& relation, const std::string& to_register,
               const std::string& to_key) {
    registers::Link link;
    link.from_register = "controls";
    link.from_id = control;
    link.relation = relation;
    link.to_register = to_register;
    link.to_key = to_key;
    auto added = service_->AddLink(admin_, link);
    ASSERT_TRUE(added.ok()) << added.status().ToString();
  }

  void Mitigates(std::int64_t control, std::int64_t risk) {
    AddLink(control, "mitigates", "risks", std::to_string(risk));
  }

  std::int64_t CountAudit(const std::string& action) {
    auto conn = store_->Acquire();
    EXPECT_TRUE(conn.ok());
    audit::Filter f;
    f.action = action;
    auto n = audit_->Count(**conn, f);
    return n.value_or(-1);
  }

  // Imports the registers engineer's CSV fixtures in reference order (parties first).
  void ImportFixtures() {
    const auto dir = testing::SourceDir() / "tests" / "registers" / "testdata";
    // The certificate fixture refers to evidence file 1, which is uploaded, not imported.
    auto evidence = service_->CreateEvidence(admin_, {{"title", "Certificate scan"}}, "cert.pdf",
                                             "application/pdf", "%PDF-1.4 test");
    ASSERT_TRUE(evidence.ok()) << evidence.status().ToString();
    for (const char* reg : {"suppliers",
                            "certifications",
                            "flowdown_exceptions",
                            "sites",
                            "assets",
                            "products",
                            "information_assets",
                            "data_flows",
                            "pdps",
                            "risk_appetite",
                            "risks",
                            "controls",
                            "rcr",
                            "accreditation_plan",
                            "compliance",
                            "soa",
                            "references",
                            "key_roles",
                            "device_types",
                            "retention_periods"}) {
      const auto path = dir / (std::string(reg) + ".csv");
      ASSERT_TRUE(std::filesystem::exists(path)) << path;
      auto report = service_->ImportCsv(admin_, *registers::RegisterService::Find(reg),
                                        testing::ReadFile(path));
      ASSERT_TRUE(report.ok()) << reg << ": " << report.status().ToString();
    }
  }

  static std::vector<std::string> FixtureColumn(const std::string& file,
                                                const std::string& column) {
    const auto path = testing::SourceDir() / "tests" / "registers" / "testdata" / file;
    auto records = registers::ParseCsv(testing::ReadFile(path));
    std::vector<std::string> out;
    if (!records.ok() || records->empty()) {
      ADD_FAILURE() << "cannot parse " << file;
      return out;
    }
    const auto& header = (*records)[0].fields;
    const auto it = std::find(header.begin(), header.end(), column);
    if (it == header.end()) {
      ADD_FAILURE() << file << " has no column " << column;
      return out;
    }
    const auto col = static_cast<std::size_t>(it - header.begin());
    for (std::size_t i = 1; i < records->size(); ++i) {
      out.push_back((*records)[i].fields.at(col));
    }
    return out;
  }

  // Heading texts (levels 1 and 2) in order.
  static std::vector<std::string> Headings(const docs::Document& doc) {
    std::vector<std::string> out;
    for (const auto& b : doc.blocks) {
      if (const auto* h = std::get_if<docs::Heading>(&b); h != nullptr && h->level <= 2) {
        out.push_back(h->text);
      }
    }
    return out;
  }

  // The blocks after `heading` up to the next heading of level <= 2.
  static std::vector<const docs::Block*> Section(const docs::Document& doc,
                                                 const std::string& heading) {
    std::vector<const docs::Block*> out;
    bool in = false;
    for (const auto& b : doc.blocks) {
      if (const auto* h = std::get_if<docs::Heading>(&b); h != nullptr && h->level <= 2) {
        if (in) {
          break;
        }
        in = h->text == heading;
        continue;
      }
      if (in) {
        out.push_back(&b);
      }
    }
    return out;
  }

  static std::vector<std::string> GapsIn(const docs::Document& doc, const std::string& heading) {
    std::vector<std::string> out;
    for (const auto* b : Section(doc, heading)) {
      if (const auto* n = std::get_if<docs::Notice>(b);
          n != nullptr && n->kind == docs::NoticeKind::kGap) {
        out.push_back(n->text);
      }
    }
    return out;
  }

  static const docs::Table* TableIn(const docs::Document& doc, const std::string& heading) {
    for (const auto* b : Section(doc, heading)) {
      if (const auto* t = std::get_if<docs::Table>(b)) {
        return t;
      }
    }
    return nullptr;
  }

  static const ReadinessItem* Item(const ReadinessReport& r, const std::string& id) {
    for (const auto& it : r.items) {
      if (it.clause_id == id) {
        return &it;
      }
    }
    ADD_FAILURE() << "no readiness item " << id;
    return nullptr;
  }

  static std::vector<std::string> Reasons(const ReadinessReport& r, const std::string& id) {
    const ReadinessItem* it = Item(r, id);
    return it == nullptr ? std::vector<std::string>{} : it->reasons;
  }

  testing::TempDir dir_;
  FakeClock clock_{Instant(std::chrono::sys_days(std::chrono::year{2026} / 5 / 28)) +
                   std::chrono::hours(12)};
  auth::Principal admin_ = auth::CliOperator("tester");
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<audit::AuditLog> audit_;
  std::unique_ptr<registers::Registers> registers_;
  std::unique_ptr<registers::RegisterService> service_;
  std::unique_ptr<catalog::Catalog> catalog_;
  std::unique_ptr<Reports> reports_;
};

}  // namespace accredit::reports::testing_support
