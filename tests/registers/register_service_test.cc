#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "registers/registers.h"
#include "registers_testing.h"
#include "testing/testing.h"

namespace accredit::registers {
namespace {

using std::chrono::day;
using std::chrono::month;
using std::chrono::year;

Instant Noon(int y, unsigned m, unsigned d) {
  return LondonStartOfDay(Date{year{y}, month{m}, day{d}}) + std::chrono::hours(12);
}

auth::Principal As(auth::Role role, std::optional<std::int64_t> supplier = std::nullopt) {
  auth::Principal p;
  p.user_id = 42;
  p.username = std::string("test-") + std::string(auth::RoleName(role));
  p.role = role;
  p.supplier_id = supplier;
  return p;
}

const RegisterDef& Def(std::string_view name) {
  const RegisterDef* d = RegisterService::Find(name);
  EXPECT_NE(d, nullptr) << name;
  return *d;
}

std::string Testdata(const std::string& name) {
  return testing::ReadFile(testing::SourceDir() / "tests/registers/testdata" / name);
}

class RegisterServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = testing::OpenMigratedStore(dir_.File("test.db"), /*with_service=*/true);
    ASSERT_NE(store_, nullptr);
    // The reports module's table of issued RMD versions (accreditation submissions name one).
    auto conn = store_->Acquire();
    ASSERT_TRUE(conn.ok());
    ASSERT_TRUE(
        (*conn)
            ->ExecuteScript("CREATE TABLE rmd_versions (version INTEGER PRIMARY KEY, "
                            "issued_at TEXT NOT NULL);"
                            "INSERT INTO rmd_versions VALUES (1, '2026-03-01T10:00:00.000Z');")
            .ok());
    audit_ = std::make_unique<audit::AuditLog>(clock_);
    registers_ = std::make_unique<Registers>(*store_, *audit_, clock_);
    RegisterService::Options o;
    o.evidence_dir = dir_.File("evidence");
    o.max_evidence_bytes = 1024;
    service_ = std::make_unique<RegisterService>(*store_, *audit_, clock_, *registers_, o);
  }

  std::int64_t AuditCount() {
    auto conn = store_->Acquire();
    EXPECT_TRUE(conn.ok());
    auto n = audit_->Count(**conn, audit::Filter{});
    return n.value_or(-1);
  }

  std::vector<audit::Record> AuditRecords(const std::string& action) {
    auto conn = store_->Acquire();
    EXPECT_TRUE(conn.ok());
    audit::Filter f;
    f.action = action;
    f.newest_first = false;
    auto list = audit_->List(**conn, f);
    EXPECT_TRUE(list.ok()) << list.status().ToString();
    return list.ok() ? *list : std::vector<audit::Record>{};
  }

  Json MustCreate(std::string_view reg, const Json& input,
                  const auth::Principal& who = As(auth::Role::kAdmin)) {
    auto r = service_->Create(who, Def(reg), input);
    EXPECT_TRUE(r.ok()) << reg << ": " << r.status().ToString();
    return r.ok() ? *r : Json();
  }

  std::int64_t Supplier(const std::string& name) {
    return MustCreate("suppliers", {{"name", name}, {"kind", "subcontractor"}})["id"]
        .get<std::int64_t>();
  }

  std::int64_t Total(std::string_view reg, const ListQuery& q = {}) {
    auto r = service_->List(As(auth::Role::kAdmin), Def(reg), q);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? r->total : -1;
  }

  Json Risk(std::string ref) {
    return Json{
        {"ref", ref}, {"title", "Risk " + ref}, {"inherent_likelihood", 3}, {"inherent_impact", 3}};
  }

  testing::TempDir dir_;
  FakeClock clock_{Noon(2026, 4, 1)};
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<audit::AuditLog> audit_;
  std::unique_ptr<Registers> registers_;
  std::unique_ptr<RegisterService> service_;
};

// ---------------------------------------------------------------------------------------------
// Definitions and schema

TEST_F(RegisterServiceTest, EveryFieldHasAColumn) {
  auto conn = store_->Acquire();
  ASSERT_TRUE(conn.ok());
  for (const auto& def : RegisterService::Defs()) {
    auto cols = (*conn)->Query("SELECT name FROM pragma_table_info(?)", {def.Table()});
    ASSERT_TRUE(cols.ok()) << cols.status().ToString();
    std::set<std::string> names;
    for (const auto& r : *cols) {
      names.insert(r[0].Text());
    }
    ASSERT_FALSE(names.empty()) << "no table for " << def.name;
    for (const auto& f : def.fields) {
      EXPECT_TRUE(names.contains(f.name)) << def.name << "." << f.name;
    }
    for (const char* c : {"id", "created_at", "updated_at"}) {
      EXPECT_TRUE(names.contains(c)) << def.name << "." << c;
    }
  }
}

TEST(RegisterDefsTest, DefinitionsAreConsistent) {
  std::set<std::string> names;
  for (const auto& def : RegisterService::Defs()) {
    EXPECT_TRUE(names.insert(def.name).second) << def.name;
    EXPECT_TRUE(names.insert(def.singular).second || def.singular == def.name) << def.singular;
    EXPECT_EQ(def.clause.rfind("S2.4-", 0), 0U) << def.name;
    EXPECT_FALSE(def.title.empty()) << def.name;
    EXPECT_NE(def.Field(def.label_field), nullptr) << def.name << " label " << def.label_field;
    EXPECT_EQ(RegisterService::Find(def.name), &def);
    EXPECT_EQ(RegisterService::Find(def.singular), &def);
    if (!def.scope_field.empty() && def.scope_field != "id") {
      const FieldDef* f = def.Field(def.scope_field);
      ASSERT_NE(f, nullptr) << def.name;
      EXPECT_EQ(f->type, FieldType::kRef);
      EXPECT_EQ(f->ref, "suppliers");
    }
    for (const auto& f : def.fields) {
      if (f.type == FieldType::kRef) {
        EXPECT_NE(RegisterService::Find(f.ref), nullptr) << def.name << "." << f.name;
      }
      if (f.type == FieldType::kEnum) {
        EXPECT_FALSE(f.choices.empty()) << def.name << "." << f.name;
      }
    }
  }
  EXPECT_EQ(RegisterService::Find("parties"), RegisterService::Find("suppliers"));
  EXPECT_EQ(RegisterService::Find("nope"), nullptr);
}

TEST(RegisterDocsTest, RegistersMarkdownIsUpToDate) {
  const auto path = testing::SourceDir() / "docs/REGISTERS.md";
  const std::string generated = RegistersMarkdown();
  const char* update = std::getenv("ACC_UPDATE_DOCS");  // NOLINT(concurrency-mt-unsafe)
  if (update != nullptr && std::string(update) == "1") {
    std::ofstream(path, std::ios::binary) << generated;
  }
  EXPECT_EQ(testing::ReadFile(path), generated)
      << "docs/REGISTERS.md is stale: run with ACC_UPDATE_DOCS=1";
}

// ---------------------------------------------------------------------------------------------
// Validation

struct BadInput {
  std::string reg;
  Json input;
  std::string field;
  std::string message;
};

TEST_F(RegisterServiceTest, ValidationNamesTheField) {
  const Json risk = Risk("R1");
  auto with = [](Json base, const std::string& k, Json v) {
    base[k] = std::move(v);
    return base;
  };
  auto without = [](Json base, const std::string& k) {
    base.erase(k);
    return base;
  };
  const Json asset{{"name", "a1"}, {"ims_part", "core"}, {"asset_type", "server"}};
  const Json site{{"name", "s1"}, {"country", "GB"}};
  const std::vector<BadInput> cases = {
      {"risks", with(risk, "inherent_likelihood", "7"), "inherent_likelihood",
       "must be an integer between 1 and 5"},
      {"risks", with(risk, "inherent_likelihood", "three"), "inherent_likelihood",
       "must be an integer between 1 and 5"},
      {"risks", with(risk, "inherent_impact", 0), "inherent_impact",
       "must be an integer between 1 and 5"},
      {"risks", with(risk, "colour", "red"), "colour", "unknown field"},
      {"risks", without(risk, "title"), "title", "required"},
      {"risks", with(risk, "title", "   "), "title", "required"},
      {"risks", with(risk, "treatment", "ignore"), "treatment",
       "must be one of treat, tolerate, transfer, terminate"},
      {"risks", with(risk, "review_date", "2026-13-01"), "review_date",
       "must be a date YYYY-MM-DD"},
      {"risks", with(risk, "review_date", "1/2/2026"), "review_date", "must be a date YYYY-MM-DD"},
      {"risks", with(risk, "title", std::string(201, 'x')), "title",
       "must be at most 200 characters"},
      {"risks", with(risk, "title", "bad\x01"), "title", "must not contain control characters"},
      {"risks", with(risk, "title", 12), "title", "must be text"},
      {"assets", with(asset, "site_id", 99), "site_id", "no site with id 99"},
      {"assets", with(asset, "site_id", "x"), "site_id", "must be the id of a record in sites"},
      {"assets", with(asset, "internet_facing", "maybe"), "internet_facing",
       "must be true or false"},
      {"assets", with(asset, "ip_addresses", "10.0.0.1;300.1.1.1"), "ip_addresses",
       "300.1.1.1 is not an IPv4 or IPv6 address"},
      {"assets", with(asset, "mac_addresses", Json::array({"00:11:22:33:44"})), "mac_addresses",
       "00:11:22:33:44 is not a MAC address"},
      {"assets", with(asset, "hostnames", "-bad-.example"), "hostnames",
       "-bad-.example is not a host name"},
      {"assets", with(asset, "hostnames", Json::array({1})), "hostnames",
       "must be a list of text values"},
      {"assets", with(asset, "classification", "SECRET"), "classification_notice_date",
       "required for SECRET (the Customer's prior notice, S2.4-A1-1)"},
      {"assets", with(asset, "test_holds_live_data", true), "test_holds_live_data",
       "applies only to test or dev environments"},
      {"sites", with(site, "country", "XX"), "country",
       "must be an ISO 3166-1 alpha-2 country code such as GB"},
      {"sites", with(site, "country", "gb"), "country",
       "must be an ISO 3166-1 alpha-2 country code such as GB"},
      {"data_flows",
       Json{{"name", "f"}, {"from", "a"}, {"to", "b"}, {"crosses_public_network", true}},
       "encryption", "required when the flow crosses a public network (A1-3.2)"},
      {"compliance", Json{{"clause_id", "5.4.3"}, {"status", "met"}}, "clause_id",
       "must be a Schedule 2.4 clause id such as S2.4-5.4.3"},
      {"soa", Json{{"control_id", "A12"}, {"justification", "j"}}, "control_id",
       "must be an ISO/IEC 27001 Annex A id such as A.12.6.1"},
      {"soa", Json{{"control_id", "A.12.6.1"}}, "justification", "required"},
      {"key_roles", Json{{"role", "SIRO"}, {"name", "n"}, {"email", "not-an-email"}}, "email",
       "must be an e-mail address such as name@example.com"},
      {"rcr", Json{{"ref", "RC1"}, {"change", "c"}, {"status", "implemented"}}, "implemented_date",
       "required when status is implemented"},
      {"risk_levels", Json{{"name", "extreme"}, {"min_score", 20}, {"max_score", 25}}, "min_score",
       "overlaps the level very_high"},
      {"products",
       Json{{"vendor", "v"},
            {"name", "n"},
            {"product_type", "software"},
            {"mainstream_support_end", "2026-01-01"},
            {"extended_support_end", "2025-01-01"}},
       "extended_support_end", "must not be before mainstream_support_end"},
  };
  const std::int64_t audit_before = AuditCount();
  for (const auto& c : cases) {
    auto r = service_->Create(As(auth::Role::kAdmin), Def(c.reg), c.input);
    ASSERT_FALSE(r.ok()) << c.reg << " " << c.input.dump();
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument) << c.input.dump();
    EXPECT_EQ(r.error().field, c.field) << c.input.dump();
    EXPECT_EQ(r.error().message, c.message) << c.input.dump();
  }
  EXPECT_EQ(AuditCount(), audit_before);
  EXPECT_EQ(Total("risks"), 0);
}

TEST_F(RegisterServiceTest, CertificateExpiryMustFollowIssue) {
  const auto party = Supplier("CloudHost");
  auto r = service_->Create(As(auth::Role::kAdmin), Def("certifications"),
                            {{"party_id", party},
                             {"scheme", "iso27001"},
                             {"certificate_number", "IS 1"},
                             {"issue_date", "2026-01-01"},
                             {"expiry_date", "2025-01-01"}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().field, "expiry_date");
  EXPECT_EQ(r.error().message, "must be after issue_date");
}

TEST_F(RegisterServiceTest, ValuesAreNormalised) {
  const Json asset =
      MustCreate("assets", {{"name", " web-01 "},
                            {"ims_part", "core"},
                            {"asset_type", "server"},
                            {"internet_facing", "yes"},
                            {"hostnames", "web01.example; web01.example ;www.example"},
                            {"ip_addresses", Json::array({"192.0.2.10", "2001:db8::5"})}});
  EXPECT_EQ(asset["name"], "web-01");
  EXPECT_EQ(asset["internet_facing"], true);
  EXPECT_EQ(asset["environment"], "live");         // default
  EXPECT_EQ(asset["classification"], "OFFICIAL");  // default
  EXPECT_EQ(asset["hostnames"], Json::array({"web01.example", "www.example"}));
  EXPECT_EQ(asset["site_id"], nullptr);
  EXPECT_EQ(asset["boundary_decision"], "");
}

// ---------------------------------------------------------------------------------------------
// CRUD and audit

TEST_F(RegisterServiceTest, CreateUpdateDeleteAreAudited) {
  const auto admin = As(auth::Role::kAdmin);
  const Json created = MustCreate("risks", Risk("R7"));
  const auto id = created["id"].get<std::int64_t>();
  EXPECT_EQ(created["status"], "open");
  EXPECT_EQ(created["created_at"], FormatInstantUtc(clock_.Now()));

  auto creates = AuditRecords("risk.create");
  ASSERT_EQ(creates.size(), 1U);
  EXPECT_EQ(creates[0].entry.entity_type, "risk");
  EXPECT_EQ(creates[0].entry.entity_id, std::to_string(id));
  EXPECT_EQ(creates[0].entry.actor, "test-admin");
  EXPECT_EQ(creates[0].entry.before_json, "null");
  EXPECT_EQ(Json::parse(creates[0].entry.after_json)["ref"], "R7");

  clock_.Advance(std::chrono::hours(1));
  auto updated = service_->Update(admin, Def("risks"), id, {{"residual_likelihood", "1"}});
  ASSERT_TRUE(updated.ok()) << updated.status().ToString();
  EXPECT_EQ((*updated)["residual_likelihood"], 1);
  EXPECT_EQ((*updated)["title"], "Risk R7");  // untouched
  EXPECT_EQ((*updated)["updated_at"], FormatInstantUtc(clock_.Now()));
  auto updates = AuditRecords("risk.update");
  ASSERT_EQ(updates.size(), 1U);
  EXPECT_EQ(Json::parse(updates[0].entry.before_json)["residual_likelihood"], nullptr);
  EXPECT_EQ(Json::parse(updates[0].entry.after_json)["residual_likelihood"], 1);

  auto got = service_->Get(admin, Def("risks"), id);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ((*got)["residual_likelihood"], 1);

  // A failed update changes nothing and writes no audit record.
  const auto n = AuditCount();
  auto bad = service_->Update(admin, Def("risks"), id, {{"residual_impact", 6}});
  EXPECT_EQ(bad.status().Code(), ErrorCode::kInvalidArgument);
  auto mismatched = service_->Update(admin, Def("risks"), id, {{"id", id + 1}});
  EXPECT_EQ(mismatched.status().error().field, "id");
  EXPECT_EQ(AuditCount(), n);

  ASSERT_TRUE(service_->Delete(admin, Def("risks"), id).ok());
  auto deletes = AuditRecords("risk.delete");
  ASSERT_EQ(deletes.size(), 1U);
  EXPECT_EQ(deletes[0].entry.after_json, "null");
  EXPECT_EQ(Json::parse(deletes[0].entry.before_json)["ref"], "R7");
  EXPECT_EQ(service_->Get(admin, Def("risks"), id).status().Code(), ErrorCode::kNotFound);
  EXPECT_EQ(service_->Delete(admin, Def("risks"), id).Code(), ErrorCode::kNotFound);
}

TEST_F(RegisterServiceTest, UniqueFieldsNameTheField) {
  MustCreate("risks", Risk("R1"));
  auto dup = service_->Create(As(auth::Role::kAdmin), Def("risks"), Risk("R1"));
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(dup.error().field, "ref");
}

TEST_F(RegisterServiceTest, ReferencedRecordsCannotBeDeleted) {
  const Json site = MustCreate("sites", {{"name", "DC1"}, {"country", "GB"}});
  MustCreate(
      "assets",
      {{"name", "a"}, {"ims_part", "core"}, {"asset_type", "server"}, {"site_id", site["id"]}});
  Status s = service_->Delete(As(auth::Role::kAdmin), Def("sites"), site["id"].get<std::int64_t>());
  EXPECT_EQ(s.Code(), ErrorCode::kFailedPrecondition);
  EXPECT_EQ(Total("sites"), 1);
}

// ---------------------------------------------------------------------------------------------
// Authorisation and scoping

TEST_F(RegisterServiceTest, RolesFollowTheMatrix) {
  const Json risk = Risk("R1");
  const Json asset{{"name", "a1"}, {"ims_part", "core"}, {"asset_type", "server"}};
  EXPECT_EQ(service_->Create(As(auth::Role::kCustomerReviewer), Def("risks"), risk).status().Code(),
            ErrorCode::kPermissionDenied);
  EXPECT_EQ(service_->Create(As(auth::Role::kAuditor), Def("assets"), asset).status().Code(),
            ErrorCode::kPermissionDenied);
  EXPECT_EQ(service_->Create(As(auth::Role::kEngineer), Def("risks"), risk).status().Code(),
            ErrorCode::kPermissionDenied);
  EXPECT_TRUE(service_->Create(As(auth::Role::kEngineer), Def("assets"), asset).ok());
  EXPECT_TRUE(service_->Create(As(auth::Role::kSecurityManager), Def("risks"), risk).ok());
  EXPECT_TRUE(service_->List(As(auth::Role::kCustomerReviewer), Def("risks"), {}).ok());
  EXPECT_TRUE(service_->List(As(auth::Role::kAuditor), Def("assets"), {}).ok());
  EXPECT_EQ(service_->List(As(auth::Role::kVettingOfficer), Def("risks"), {}).status().Code(),
            ErrorCode::kPermissionDenied);
  EXPECT_EQ(service_->List(As(auth::Role::kSubcontractor, 1), Def("assets"), {}).status().Code(),
            ErrorCode::kPermissionDenied);
  EXPECT_EQ(service_
                ->ImportCsv(As(auth::Role::kCustomerReviewer), Def("risks"),
                            "ref,title,inherent_likelihood,inherent_impact\nR9,t,1,1\n")
                .status()
                .Code(),
            ErrorCode::kPermissionDenied);
  EXPECT_EQ(Total("risks"), 1);
}

TEST_F(RegisterServiceTest, SubcontractorSeesOnlyItsOwnParty) {
  const auto a = Supplier("Alpha Ltd");
  const auto b = Supplier("Beta Ltd");
  auto cert = [](std::int64_t party, const std::string& number) {
    return Json{
        {"party_id", party}, {"scheme", "cyber_essentials_plus"}, {"certificate_number", number}};
  };
  const Json cert_a = MustCreate("certifications", cert(a, "A-1"));
  const Json cert_b = MustCreate("certifications", cert(b, "B-1"));
  const auto sub = As(auth::Role::kSubcontractor, a);

  auto list = service_->List(sub, Def("certifications"), {});
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  ASSERT_EQ(list->total, 1);
  EXPECT_EQ(list->items[0]["certificate_number"], "A-1");
  EXPECT_TRUE(service_->Get(sub, Def("certifications"), cert_a["id"].get<std::int64_t>()).ok());
  EXPECT_EQ(
      service_->Get(sub, Def("certifications"), cert_b["id"].get<std::int64_t>()).status().Code(),
      ErrorCode::kPermissionDenied);
  // A missing id looks the same as another supplier's record.
  EXPECT_EQ(service_->Get(sub, Def("certifications"), 999).status().Code(),
            ErrorCode::kPermissionDenied);

  // Writes: only for its own party; never moving a record to another party.
  EXPECT_TRUE(service_->Create(sub, Def("certifications"), cert(a, "A-2")).ok());
  auto other = service_->Create(sub, Def("certifications"), cert(b, "B-2"));
  EXPECT_EQ(other.status().Code(), ErrorCode::kPermissionDenied);
  EXPECT_EQ(
      service_
          ->Update(sub, Def("certifications"), cert_a["id"].get<std::int64_t>(), {{"party_id", b}})
          .status()
          .Code(),
      ErrorCode::kPermissionDenied);
  EXPECT_EQ(
      service_
          ->Update(sub, Def("certifications"), cert_b["id"].get<std::int64_t>(), {{"scope", "x"}})
          .status()
          .Code(),
      ErrorCode::kPermissionDenied);

  // Its own party's record, and no other.
  auto parties = service_->List(sub, Def("suppliers"), {});
  ASSERT_TRUE(parties.ok());
  ASSERT_EQ(parties->total, 1);
  EXPECT_EQ(parties->items[0]["name"], "Alpha Ltd");
  EXPECT_TRUE(service_->Update(sub, Def("suppliers"), a, {{"services", "Hosting"}}).ok());
  EXPECT_EQ(service_->Update(sub, Def("suppliers"), b, {{"services", "x"}}).status().Code(),
            ErrorCode::kPermissionDenied);
  EXPECT_EQ(service_->Create(sub, Def("suppliers"), {{"name", "Gamma"}, {"kind", "subcontractor"}})
                .status()
                .Code(),
            ErrorCode::kPermissionDenied);
  // Flow-down exceptions are read, not written, by the sub-contractor.
  MustCreate("flowdown_exceptions", {{"party_id", a}, {"requirement", "S2.4-6.2 CE+"}});
  auto fd = service_->List(sub, Def("flowdown_exceptions"), {});
  ASSERT_TRUE(fd.ok());
  EXPECT_EQ(fd->total, 1);
  EXPECT_EQ(
      service_
          ->Create(sub, Def("flowdown_exceptions"), {{"party_id", a}, {"requirement", "S2.4-6.3"}})
          .status()
          .Code(),
      ErrorCode::kPermissionDenied);
  // A subcontractor account without a supplier sees nothing.
  auto none = service_->List(As(auth::Role::kSubcontractor), Def("certifications"), {});
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->total, 0);
}

TEST_F(RegisterServiceTest, CustomerAndProviderPartiesNeedContractUpdate) {
  auto sm = service_->Create(As(auth::Role::kSecurityManager), Def("suppliers"),
                             {{"name", "Highways England"}, {"kind", "customer"}});
  EXPECT_EQ(sm.status().Code(), ErrorCode::kPermissionDenied);
  const Json c = MustCreate("suppliers", {{"name", "Highways England"}, {"kind", "customer"}});
  const auto sub = MustCreate("suppliers", {{"name", "Sub Ltd"}}, As(auth::Role::kSecurityManager));
  EXPECT_EQ(sub["kind"], "subcontractor");
  EXPECT_EQ(sub["code_of_connection_status"], "not_required");
  EXPECT_EQ(service_
                ->Update(As(auth::Role::kSecurityManager), Def("suppliers"),
                         sub["id"].get<std::int64_t>(), {{"kind", "provider"}})
                .status()
                .Code(),
            ErrorCode::kPermissionDenied);
  // The foundation's party API sees the same records.
  auto parties = registers_->ListParties(As(auth::Role::kAdmin));
  ASSERT_TRUE(parties.ok());
  EXPECT_EQ(parties->size(), 2U);
  ListQuery q;
  q.filters["kind"] = "customer";
  EXPECT_EQ(Total("suppliers", q), 1);
  (void)c;
}

// ---------------------------------------------------------------------------------------------
// Derived values

TEST_F(RegisterServiceTest, ProductRagFollowsTheClock) {
  const Json p = MustCreate("products", {{"vendor", "Cisco"},
                                         {"name", "ASA"},
                                         {"product_type", "hardware"},
                                         {"mainstream_support_end", "2026-12-31"}});
  const auto id = p["id"].get<std::int64_t>();
  const Json undated =
      MustCreate("products", {{"vendor", "X"}, {"name", "Y"}, {"product_type", "software"}});
  EXPECT_EQ(undated["rag"], "grey");

  struct Case {
    Instant at;
    std::string rag;
  };

  for (const auto& c : std::vector<Case>{{Noon(2026, 1, 1), "green"},
                                         {Noon(2026, 7, 3), "green"},    // 181 days before
                                         {Noon(2026, 7, 4), "amber"},    // 180 days before
                                         {Noon(2026, 12, 31), "amber"},  // last day of support
                                         {Noon(2027, 1, 1), "red"}}) {
    clock_.Set(c.at);
    auto got = service_->Get(As(auth::Role::kAuditor), Def("products"), id);
    ASSERT_TRUE(got.ok());
    EXPECT_EQ((*got)["rag"], c.rag) << FormatInstantUtc(c.at);
  }
}

TEST_F(RegisterServiceTest, CertificateStatusFollowsTheClock) {
  const auto party = Supplier("CloudHost");
  const Json c = MustCreate("certifications", {{"party_id", party},
                                               {"scheme", "iso27001"},
                                               {"certificate_number", "IS 1"},
                                               {"issue_date", "2024-01-01"},
                                               {"expiry_date", "2026-06-30"}});
  const auto id = c["id"].get<std::int64_t>();

  struct Case {
    Instant at;
    std::string status;
  };

  for (const auto& k : std::vector<Case>{{Noon(2026, 4, 30), "valid"},
                                         {Noon(2026, 5, 1), "expiring"},
                                         {Noon(2026, 6, 30), "expiring"},
                                         {Noon(2026, 7, 1), "expired"}}) {
    clock_.Set(k.at);
    auto got = service_->Get(As(auth::Role::kAdmin), Def("certifications"), id);
    ASSERT_TRUE(got.ok());
    EXPECT_EQ((*got)["status"], k.status) << FormatInstantUtc(k.at);
  }
}

TEST_F(RegisterServiceTest, RiskLevelsAndAppetite) {
  const Json conf =
      MustCreate("risk_appetite", {{"category", "Confidentiality"}, {"appetite_level", 8}});
  const std::int64_t conf_id = conf["id"].get<std::int64_t>();
  auto risk = [conf_id](const std::string& ref, int il, int ii, std::optional<int> rl,
                        std::optional<int> ri) {
    Json r{{"ref", ref},
           {"title", ref},
           {"category_id", conf_id},
           {"inherent_likelihood", il},
           {"inherent_impact", ii}};
    if (rl) {
      r["residual_likelihood"] = *rl;
      r["residual_impact"] = *ri;
    }
    return r;
  };
  const Json r1 = MustCreate("risks", risk("R1", 5, 5, 2, 4));  // 25 -> 8
  EXPECT_EQ(r1["inherent_score"], 25);
  EXPECT_EQ(r1["inherent_level"], "very_high");
  EXPECT_EQ(r1["residual_score"], 8);
  EXPECT_EQ(r1["residual_level"], "medium");
  EXPECT_EQ(r1["above_appetite"], false);  // 8 is not above 8
  const Json r2 = MustCreate("risks", risk("R2", 3, 3, 3, 3));
  EXPECT_EQ(r2["inherent_level"], "medium");
  EXPECT_EQ(r2["above_appetite"], true);
  const Json r3 = MustCreate("risks", risk("R3", 1, 3, std::nullopt, std::nullopt));
  EXPECT_EQ(r3["inherent_level"], "very_low");
  EXPECT_EQ(r3["residual_score"], nullptr);
  EXPECT_EQ(r3["residual_level"], nullptr);
  EXPECT_EQ(r3["above_appetite"], false);
  const Json r4 = MustCreate("risks", risk("R4", 4, 4, std::nullopt, std::nullopt));
  EXPECT_EQ(r4["inherent_level"], "high");
  EXPECT_EQ(r4["above_appetite"], true);  // no residual yet: the inherent score counts
  Json r5in = risk("R5", 4, 4, 4, 4);
  r5in.erase("category_id");  // no category: no appetite to compare with
  EXPECT_EQ(MustCreate("risks", r5in)["above_appetite"], false);
  // Closing a risk clears the flag.
  auto closed = service_->Update(As(auth::Role::kAdmin), Def("risks"), r2["id"].get<std::int64_t>(),
                                 {{"status", "closed"}});
  ASSERT_TRUE(closed.ok());
  EXPECT_EQ((*closed)["above_appetite"], false);
  // The scale is configurable: lowering the appetite flags R1.
  auto list = service_->List(As(auth::Role::kAdmin), Def("risk_appetite"), {});
  ASSERT_TRUE(list.ok());
  ASSERT_TRUE(service_
                  ->Update(As(auth::Role::kSecurityManager), Def("risk_appetite"),
                           list->items[0]["id"].get<std::int64_t>(), {{"appetite_level", 6}})
                  .ok());
  EXPECT_EQ((*service_->Get(As(auth::Role::kAdmin), Def("risks"),
                            r1["id"].get<std::int64_t>()))["above_appetite"],
            true);
}

TEST_F(RegisterServiceTest, SiteOutsideUkEuFlaggedUnlessConsent) {
  struct Case {
    std::string country;
    std::string consent;
    bool flagged;
  };

  int i = 0;
  for (const auto& c : std::vector<Case>{{"GB", "", false},
                                         {"IE", "", false},
                                         {"NO", "", false},
                                         {"US", "", true},
                                         {"IN", "HE-CONSENT-1", false}}) {
    Json in{{"name", "site" + std::to_string(i++)}, {"country", c.country}};
    if (!c.consent.empty()) {
      in["consent_reference"] = c.consent;
    }
    EXPECT_EQ(MustCreate("sites", in)["outside_uk_eu"], c.flagged) << c.country;
  }
  ListQuery q;
  q.filters["country"] = "US";
  auto list = service_->List(As(auth::Role::kAuditor), Def("sites"), q);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->total, 1);
  EXPECT_EQ(list->items[0]["outside_uk_eu"], true);
}

// ---------------------------------------------------------------------------------------------
// Lists

TEST_F(RegisterServiceTest, ListFiltersSortsAndPaginates) {
  for (int i = 1; i <= 12; ++i) {
    MustCreate("assets", {{"name", "host-" + std::string(i < 10 ? "0" : "") + std::to_string(i)},
                          {"ims_part", i % 2 == 0 ? "core" : "wider"},
                          {"asset_type", "server"},
                          {"owner", i == 3 ? "100% Ops_team" : "Ops"},
                          {"ip_addresses", "10.0.0." + std::to_string(i)},
                          {"internet_facing", i <= 4}});
  }
  ListQuery q;
  q.filters["ims_part"] = "core";
  EXPECT_EQ(Total("assets", q), 6);
  q.filters["internet_facing"] = "true";
  EXPECT_EQ(Total("assets", q), 2);

  ListQuery like;
  like.filters["owner"] = "100%";
  EXPECT_EQ(Total("assets", like), 1);  // '%' is literal, not a wildcard
  like.filters["owner"] = "ops_";
  EXPECT_EQ(Total("assets", like), 1);
  like.filters["owner"] = "OPS";
  EXPECT_EQ(Total("assets", like), 12);  // case-insensitive contains

  ListQuery tag;
  tag.filters["ip_addresses"] = "10.0.0.1";
  EXPECT_EQ(Total("assets", tag), 1);  // whole element, not 10.0.0.10-12

  ListQuery text;
  text.q = "HOST-1";
  EXPECT_EQ(Total("assets", text), 3);  // host-10, host-11, host-12 (not host-01)
  ListQuery page;
  page.sort = "-name";
  page.limit = 5;
  page.offset = 5;
  auto list = service_->List(As(auth::Role::kAdmin), Def("assets"), page);
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(list->total, 12);
  ASSERT_EQ(list->items.size(), 5U);
  EXPECT_EQ(list->items[0]["name"], "host-07");

  ListQuery bad;
  bad.filters["colour"] = "red";
  auto e = service_->List(As(auth::Role::kAdmin), Def("assets"), bad);
  EXPECT_EQ(e.status().error().field, "colour");
  bad = {};
  bad.sort = "colour";
  EXPECT_EQ(service_->List(As(auth::Role::kAdmin), Def("assets"), bad).status().error().field,
            "sort");
  bad = {};
  bad.filters["ims_part"] = "middle";
  EXPECT_EQ(service_->List(As(auth::Role::kAdmin), Def("assets"), bad).status().error().field,
            "ims_part");
  bad = {};
  bad.limit = 501;
  EXPECT_EQ(service_->List(As(auth::Role::kAdmin), Def("assets"), bad).status().error().field,
            "limit");

  auto choices = service_->RefChoices(As(auth::Role::kAdmin), Def("assets"));
  ASSERT_TRUE(choices.ok());
  EXPECT_EQ(choices->size(), 12U);
  EXPECT_EQ(choices->front().second, "host-01");
}

// ---------------------------------------------------------------------------------------------
// CSV

TEST(CsvTest, ParsesRfc4180) {
  auto r = ParseCsv(
      "\xEF\xBB\xBF"
      "a,b,c\r\n\"x, y\",\"he said \"\"hi\"\"\",\"two\r\nlines\"\r\n\r\n,,\n"
      "last,row,no-newline");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->size(), 4U);
  EXPECT_EQ((*r)[0].fields, (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ((*r)[1].fields, (std::vector<std::string>{"x, y", "he said \"hi\"", "two\nlines"}));
  EXPECT_EQ((*r)[1].line, 2);
  EXPECT_EQ((*r)[2].fields, (std::vector<std::string>{"", "", ""}));
  EXPECT_EQ((*r)[2].line, 5);  // line 4 is blank
  EXPECT_EQ((*r)[3].line, 6);
  EXPECT_EQ((*r)[3].fields[2], "no-newline");
}

TEST(CsvTest, ErrorsNameTheLine) {
  struct Case {
    std::string text;
    std::string field;
  };

  for (const auto& c : std::vector<Case>{{"a,b\n\"open,x\nmore\n", "line 2"},
                                         {"a,b\nx\"y,z\n", "line 2"},
                                         {"a\n\n\"q\"x\n", "line 3"}}) {
    auto r = ParseCsv(c.text);
    ASSERT_FALSE(r.ok()) << c.text;
    EXPECT_EQ(r.error().field, c.field) << c.text;
  }
  EXPECT_EQ(CsvEscape("plain"), "plain");
  EXPECT_EQ(CsvEscape("a,\"b\"\n"), "\"a,\"\"b\"\"\n\"");
}

TEST_F(RegisterServiceTest, ImportsEveryRegister) {
  const auto admin = As(auth::Role::kAdmin);
  // Evidence records come from uploads; its CSV updates them.
  ASSERT_TRUE(
      service_->CreateEvidence(admin, {{"title", "cert"}}, "cert.pdf", "application/pdf", "%PDF")
          .ok());
  for (const auto& def : RegisterService::Defs()) {
    SCOPED_TRACE(def.name);
    const std::string csv = Testdata(def.name + ".csv");
    ASSERT_FALSE(csv.empty());
    auto header = ParseCsv(csv);
    ASSERT_TRUE(header.ok());
    const auto rows = static_cast<int>(header->size()) - 1;
    const auto before = Total(def.name);
    auto report = service_->ImportCsv(admin, def, csv);
    ASSERT_TRUE(report.ok()) << report.status().ToString();
    EXPECT_EQ(report->created + report->updated, rows);
    EXPECT_EQ(Total(def.name), before + report->created);
  }
  // Spot checks of what was imported.
  ListQuery q;
  q.filters["ref"] = "R1";
  auto risks = service_->List(admin, Def("risks"), q);
  ASSERT_TRUE(risks.ok());
  ASSERT_EQ(risks->total, 1);
  EXPECT_EQ(risks->items[0]["description"], "Servers miss\nsecurity patches, exposing known CVEs");
  EXPECT_EQ(risks->items[0]["above_appetite"], true);  // residual 10 > appetite 8
  auto assets = service_->List(admin, Def("assets"), {});
  ASSERT_TRUE(assets.ok());
  EXPECT_EQ(assets->items[0]["ip_addresses"], Json::array({"192.0.2.1", "2001:db8::1"}));
  auto levels = service_->Get(admin, Def("risk_levels"), 3);
  ASSERT_TRUE(levels.ok());
  EXPECT_EQ((*levels)["min_score"], 7);
  EXPECT_FALSE(AuditRecords("risk.create").empty());
}

TEST_F(RegisterServiceTest, BadValueOnLine7ImportsNothing) {
  const std::string csv = Testdata("risks_line7.csv");
  for (const std::string& text : {csv, [&csv] {
                                    std::string crlf;
                                    for (char c : csv) {
                                      if (c == '\n') {
                                        crlf += "\r\n";
                                      } else {
                                        crlf.push_back(c);
                                      }
                                    }
                                    return crlf;
                                  }()}) {
    const auto audit_before = AuditCount();
    auto r = service_->ImportCsv(As(auth::Role::kAdmin), Def("risks"), text);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(r.error().field, "line 7: inherent_likelihood");
    EXPECT_EQ(r.error().message, "must be an integer between 1 and 5");
    EXPECT_EQ(Total("risks"), 0);
    EXPECT_EQ(AuditCount(), audit_before);
  }
}

TEST_F(RegisterServiceTest, ImportErrorsNameLineAndColumn) {
  const auto admin = As(auth::Role::kAdmin);
  auto unknown = service_->ImportCsv(admin, Def("risks"), "ref,title,colour\nR1,t,red\n");
  EXPECT_EQ(unknown.status().error().field, "line 1: colour");
  EXPECT_EQ(unknown.status().error().message, "unknown column");
  auto ragged = service_->ImportCsv(admin, Def("risks"),
                                    "ref,title,inherent_likelihood,inherent_impact\nR1,t,1\n");
  EXPECT_EQ(ragged.status().error().field, "line 2");
  auto dup = service_->ImportCsv(
      admin, Def("risks"), "ref,title,inherent_likelihood,inherent_impact\nR1,a,1,1\nR1,b,1,1\n");
  EXPECT_EQ(dup.status().error().field, "line 3: ref");
  auto missing = service_->ImportCsv(
      admin, Def("risks"), "id,ref,title,inherent_likelihood,inherent_impact\n77,R1,a,1,1\n");
  EXPECT_EQ(missing.status().error().field, "line 2: id");
  EXPECT_EQ(Total("risks"), 0);
}

TEST_F(RegisterServiceTest, ExportRoundTrips) {
  const Json c = MustCreate("risk_appetite", {{"category", "C"}, {"appetite_level", 4}});
  MustCreate("risks", {{"ref", "R1"},
                       {"title", "=cmd|' /C calc'!A0"},
                       {"description", "two\nlines, with comma"},
                       {"category_id", c["id"]},
                       {"inherent_likelihood", 3},
                       {"inherent_impact", 3}});
  std::ostringstream out;
  ASSERT_TRUE(service_->ExportCsv(As(auth::Role::kAuditor), Def("risks"), {}, out).ok());
  auto parsed = ParseCsv(out.str());
  ASSERT_TRUE(parsed.ok());
  ASSERT_EQ(parsed->size(), 2U);
  const auto& head = (*parsed)[0].fields;
  EXPECT_EQ(head.front(), "id");
  EXPECT_EQ(head.back(), "above_appetite");
  const auto& row = (*parsed)[1].fields;
  EXPECT_EQ(row[2], "'=cmd|' /C calc'!A0");  // not a formula in a spreadsheet
  EXPECT_EQ(row[3], "two\nlines, with comma");
  EXPECT_EQ(row.back(), "true");
  // Importing the export updates the same record and restores the text exactly.
  auto again = service_->ImportCsv(As(auth::Role::kAdmin), Def("risks"), out.str());
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->updated, 1);
  EXPECT_EQ(again->created, 0);
  auto got = service_->Get(As(auth::Role::kAdmin), Def("risks"), 1);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ((*got)["title"], "=cmd|' /C calc'!A0");
}

// ---------------------------------------------------------------------------------------------
// Evidence

TEST_F(RegisterServiceTest, EvidenceIsStoredContentAddressed) {
  const auto admin = As(auth::Role::kAdmin);
  const std::string bytes = "certificate bytes";
  auto ev = service_->CreateEvidence(admin, {{"title", "CE+ certificate"}}, "../../etc/cert.pdf",
                                     "application/pdf", bytes);
  ASSERT_TRUE(ev.ok()) << ev.status().ToString();
  const std::string sha = (*ev)["sha256"];
  EXPECT_EQ(sha.size(), 64U);
  EXPECT_EQ((*ev)["filename"], "cert.pdf");
  EXPECT_EQ((*ev)["size"], static_cast<std::int64_t>(bytes.size()));
  const auto path = dir_.Path() / "evidence" / sha.substr(0, 2) / sha;
  ASSERT_TRUE(std::filesystem::exists(path));

  struct stat st {};

  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600U);
  EXPECT_EQ(AuditRecords("evidence.create").size(), 1U);

  const auto id = (*ev)["id"].get<std::int64_t>();
  auto back = service_->ReadEvidenceFile(As(auth::Role::kCustomerReviewer), id);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->second, bytes);
  EXPECT_EQ(back->first["title"], "CE+ certificate");

  // Metadata is editable, the file facts are not.
  EXPECT_TRUE(service_->Update(admin, Def("evidence"), id, {{"title", "CE+ 2026"}}).ok());
  auto ro = service_->Update(admin, Def("evidence"), id, {{"sha256", std::string(64, 'a')}});
  EXPECT_EQ(ro.status().error().field, "sha256");
  EXPECT_EQ(ro.status().error().message, "read-only field");
  EXPECT_EQ(service_->Create(admin, Def("evidence"), {{"title", "x"}}).status().error().field,
            "file");

  // Tampering with the stored file is detected.
  std::ofstream(path, std::ios::binary | std::ios::trunc) << "forged";
  auto tampered = service_->ReadEvidenceFile(admin, id);
  EXPECT_EQ(tampered.status().Code(), ErrorCode::kDataLoss);
  std::filesystem::remove(path);
  EXPECT_EQ(service_->ReadEvidenceFile(admin, id).status().Code(), ErrorCode::kDataLoss);
  // Uploading the same content again repairs the file.
  ASSERT_TRUE(service_->CreateEvidence(admin, {{"title", "again"}}, "c.pdf", "", bytes).ok());
  EXPECT_TRUE(service_->ReadEvidenceFile(admin, id).ok());
}

TEST_F(RegisterServiceTest, EvidenceSizeLimitAndPermissions) {
  auto big = service_->CreateEvidence(As(auth::Role::kAdmin), {{"title", "big"}}, "big.bin", "",
                                      std::string(1025, 'x'));
  EXPECT_EQ(big.status().Code(), ErrorCode::kResourceExhausted);
  EXPECT_EQ(big.status().error().field, "file");
  auto reviewer = service_->CreateEvidence(As(auth::Role::kCustomerReviewer), {{"title", "t"}},
                                           "a.txt", "text/plain", "a");
  EXPECT_EQ(reviewer.status().Code(), ErrorCode::kPermissionDenied);
  auto no_title = service_->CreateEvidence(As(auth::Role::kEngineer), Json::object(), "a.txt",
                                           "text/plain", "a");
  EXPECT_EQ(no_title.status().error().field, "title");
  auto bad_type = service_->CreateEvidence(As(auth::Role::kEngineer), {{"title", "t"}}, "a.txt",
                                           "text/plain\r\nX-Evil: 1", "a");
  EXPECT_EQ(bad_type.status().error().field, "content_type");
  EXPECT_EQ(Total("evidence"), 0);
}

// ---------------------------------------------------------------------------------------------
// Links

TEST_F(RegisterServiceTest, LinksBetweenRecordsAndCatalogues) {
  const auto sm = As(auth::Role::kSecurityManager);
  const auto risk = MustCreate("risks", Risk("R1"))["id"].get<std::int64_t>();
  const auto control =
      MustCreate("controls", {{"ref", "C1"}, {"title", "Patching"}})["id"].get<std::int64_t>();
  auto l1 = service_->AddLink(
      sm, Link{0, "controls", control, "mitigates", "risks", std::to_string(risk)});
  ASSERT_TRUE(l1.ok()) << l1.status().ToString();
  auto l2 = service_->AddLink(
      sm, Link{0, "control", control, "implements", "catalog:iso27001-2013", "A.12.6.1"});
  ASSERT_TRUE(l2.ok()) << l2.status().ToString();
  EXPECT_EQ(l2->from_register, "controls");
  ASSERT_TRUE(service_
                  ->AddLink(sm, Link{0, "controls", control, "addresses", "catalog:schedule-2.4",
                                     "S2.4-5.4.5"})
                  .ok());
  EXPECT_EQ(AuditRecords("link.create").size(), 3U);

  struct Bad {
    Link link;
    std::string field;
  };

  for (const auto& b : std::vector<Bad>{
           {{0, "controls", control, "implements", "catalog:iso27001-2013", "12.6.1"}, "to_key"},
           {{0, "controls", control, "addresses", "catalog:schedule-2.4", "A.1"}, "to_key"},
           {{0, "controls", control, "mitigates", "risks", "99"}, "to_key"},
           {{0, "controls", 99, "mitigates", "risks", std::to_string(risk)}, "from_id"},
           {{0, "risks", risk, "mitigates", "controls", std::to_string(control)}, "relation"},
           {{0, "controls", control, "fixes", "risks", std::to_string(risk)}, "relation"},
           {{0, "nope", 1, "relates_to", "risks", "1"}, "from_register"},
           {{0, "controls", control, "implements", "catalog:nope", "A.1.1"}, "relation"},
       }) {
    auto r = service_->AddLink(sm, b.link);
    ASSERT_FALSE(r.ok()) << b.link.relation << " " << b.link.to_key;
    EXPECT_EQ(r.error().field, b.field) << b.link.relation << " " << b.link.to_key;
  }
  auto dup = service_->AddLink(
      sm, Link{0, "controls", control, "mitigates", "risks", std::to_string(risk)});
  EXPECT_EQ(dup.status().Code(), ErrorCode::kAlreadyExists);
  EXPECT_EQ(service_
                ->AddLink(As(auth::Role::kCustomerReviewer),
                          Link{0, "controls", control, "relates_to", "risks", std::to_string(risk)})
                .status()
                .Code(),
            ErrorCode::kPermissionDenied);

  auto of_control =
      service_->LinksOf(As(auth::Role::kAuditor), "controls", std::to_string(control));
  ASSERT_TRUE(of_control.ok());
  EXPECT_EQ(of_control->size(), 3U);
  auto of_risk = service_->LinksOf(As(auth::Role::kAuditor), "risks", std::to_string(risk));
  ASSERT_TRUE(of_risk.ok());
  ASSERT_EQ(of_risk->size(), 1U);
  EXPECT_EQ((*of_risk)[0].relation, "mitigates");
  auto of_annex = service_->LinksOf(As(auth::Role::kAuditor), "catalog:iso27001-2013", "A.12.6.1");
  ASSERT_TRUE(of_annex.ok());
  EXPECT_EQ(of_annex->size(), 1U);

  ASSERT_TRUE(service_->RemoveLink(sm, l2->id).ok());
  EXPECT_EQ(AuditRecords("link.delete").size(), 1U);
  EXPECT_EQ(service_->RemoveLink(sm, l2->id).Code(), ErrorCode::kNotFound);
  // Deleting a record removes its links.
  ASSERT_TRUE(service_->Delete(sm, Def("risks"), risk).ok());
  auto after = service_->LinksOf(sm, "controls", std::to_string(control));
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->size(), 1U);  // the clause link remains
}

TEST_F(RegisterServiceTest, CatalogLookupIsUsedWhenWired) {
  RegisterService::Options o;
  o.evidence_dir = dir_.File("ev2");
  o.catalog_lookup = [](std::string_view catalog, std::string_view id) {
    return catalog == "iso27001-2013" && id == "A.5.1.1";
  };
  RegisterService with_catalog(*store_, *audit_, clock_, *registers_, o);
  const auto admin = As(auth::Role::kAdmin);
  EXPECT_TRUE(
      with_catalog.Create(admin, Def("soa"), {{"control_id", "A.5.1.1"}, {"justification", "j"}})
          .ok());
  auto missing =
      with_catalog.Create(admin, Def("soa"), {{"control_id", "A.99.1.1"}, {"justification", "j"}});
  EXPECT_EQ(missing.status().error().message, "no ISO/IEC 27001:2013 Annex A control A.99.1.1");
}

// ---------------------------------------------------------------------------------------------
// Issue 8: input validated once at the edge; references and labels under the actor's scope

TEST_F(RegisterServiceTest, CsvImportRefusesInvalidUtf8NamingLineColumnAndOffset) {
  // Seen: a CSV row holding the byte 0xFF was stored, then crashed the server at every start.
  const auto audit_before = AuditCount();
  const std::string csv =
      "ref,title,inherent_likelihood,inherent_impact\nR1,fine,1,1\nR2,bad\xff title,1,1\n";
  auto r = service_->ImportCsv(As(auth::Role::kAdmin), Def("risks"), csv);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(r.error().field, "line 3");
  EXPECT_EQ(r.error().message,
            "is not UTF-8 text: invalid byte at column 7 (byte offset 64 of the file)");
  EXPECT_EQ(Total("risks"), 0);
  EXPECT_EQ(AuditCount(), audit_before);
}

TEST_F(RegisterServiceTest, InvalidUtf8InAnyFieldIsRefusedNamingTheFieldAndOffset) {
  for (const std::string& bad : {std::string("bad\xff"), std::string("\xc3("),
                                 std::string("\xed\xa0\x80"), std::string("ok\xf4\x90\x80\x80")}) {
    Json input = Risk("R1");
    input["title"] = bad;
    auto r = service_->Create(As(auth::Role::kAdmin), Def("risks"), input);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().field, "title");
    EXPECT_NE(r.error().message.find("must be UTF-8 text (invalid byte at offset"),
              std::string::npos)
        << r.error().message;
  }
  EXPECT_EQ(Total("risks"), 0);
}

TEST_F(RegisterServiceTest, LengthLimitsCountCharactersNotBytes) {
  // A text field of at most 200 characters takes 200 two-byte characters (400 bytes).
  std::string title;
  for (int i = 0; i < 200; ++i) {
    title += "é";
  }
  Json input = Risk("R1");
  input["title"] = title;
  EXPECT_TRUE(service_->Create(As(auth::Role::kAdmin), Def("risks"), input).ok());
  input = Risk("R2");
  input["title"] = title + "é";
  auto r = service_->Create(As(auth::Role::kAdmin), Def("risks"), input);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().field, "title");
}

TEST_F(RegisterServiceTest, ReferencesAndLabelsFollowTheActorsReadScope) {
  // Seen: a sub-contractor set evidence_id on its own certification to any number and then read
  // that evidence record's title on its certification page; missing ids answered "no X with
  // id N" and others' ids 403 (an existence oracle).
  const auth::Principal admin = As(auth::Role::kAdmin);
  auto secret = service_->CreateEvidence(admin, {{"title", "ITHC 2026 - CONFIDENTIAL findings"}},
                                         "ithc.pdf", "application/pdf", "%PDF");
  ASSERT_TRUE(secret.ok()) << secret.status().ToString();
  const std::int64_t evidence_id = (*secret)["id"].get<std::int64_t>();
  const auto a = Supplier("Alpha Ltd");
  const auto b = Supplier("Beta Ltd");
  const auto sub = As(auth::Role::kSubcontractor, a);
  const Json cert = MustCreate(
      "certifications",
      {{"party_id", a}, {"scheme", "cyber_essentials_plus"}, {"certificate_number", "A-1"}});
  const std::int64_t cert_id = cert["id"].get<std::int64_t>();

  auto existing =
      service_->Update(sub, Def("certifications"), cert_id, {{"evidence_id", evidence_id}});
  auto missing = service_->Update(sub, Def("certifications"), cert_id, {{"evidence_id", 4242}});
  ASSERT_FALSE(existing.ok());
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(existing.error().code, missing.error().code);
  EXPECT_EQ(existing.error().field, "evidence_id");
  EXPECT_EQ(existing.error().message, "no evidence with id " + std::to_string(evidence_id));
  EXPECT_EQ(missing.error().message, "no evidence with id 4242");

  // Labels: the administrator sees the evidence title; the sub-contractor sees nothing of it,
  // nor of another supplier's party, but its own party's name.
  auto admin_labels = service_->Labels(admin, "evidence", {evidence_id});
  ASSERT_TRUE(admin_labels.ok());
  EXPECT_EQ(admin_labels->at(evidence_id), "ITHC 2026 - CONFIDENTIAL findings");
  auto sub_labels = service_->Labels(sub, "evidence", {evidence_id});
  ASSERT_TRUE(sub_labels.ok());
  EXPECT_TRUE(sub_labels->empty());
  auto parties = service_->Labels(sub, "suppliers", {a, b});
  ASSERT_TRUE(parties.ok());
  EXPECT_EQ(parties->size(), 1U);
  EXPECT_EQ(parties->at(a), "Alpha Ltd");

  // Import: another supplier's record id answers as a missing one.
  const Json cert_b = MustCreate(
      "certifications",
      {{"party_id", b}, {"scheme", "cyber_essentials_plus"}, {"certificate_number", "B-1"}});
  auto others = service_->ImportCsv(sub, Def("certifications"),
                                    "id,party_id,scheme,certificate_number\n" +
                                        std::to_string(cert_b["id"].get<std::int64_t>()) + "," +
                                        std::to_string(a) + ",cyber_essentials_plus,X\n");
  auto nowhere = service_->ImportCsv(sub, Def("certifications"),
                                     "id,party_id,scheme,certificate_number\n9999," +
                                         std::to_string(a) + ",cyber_essentials_plus,X\n");
  ASSERT_FALSE(others.ok());
  ASSERT_FALSE(nowhere.ok());
  EXPECT_EQ(others.error().code, nowhere.error().code);
  EXPECT_EQ(others.error().field, "line 2: id");
  EXPECT_EQ(nowhere.error().field, "line 2: id");
}

// S2.4-4.1: a risk's category is a row of the Statement of Information Risk Appetite, and
// "Cyber attack" and "cyber attack " are one category.
TEST_F(RegisterServiceTest, RiskCategoryIsAReferenceToTheAppetite) {
  const Json cyber =
      MustCreate("risk_appetite", {{"category", "Cyber attack"}, {"appetite_level", 8}});
  auto dup = service_->Create(As(auth::Role::kAdmin), Def("risk_appetite"),
                              {{"category", "cyber attack "}, {"appetite_level", 12}});
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.status().error().field, "category");
  // Met: a risk refers to the row, and its appetite decides above_appetite.
  const Json r = MustCreate("risks", {{"ref", "R1"},
                                      {"title", "Ransomware"},
                                      {"category_id", cyber["id"]},
                                      {"inherent_likelihood", 3},
                                      {"inherent_impact", 3}});
  EXPECT_EQ(r["category_id"], cyber["id"]);
  EXPECT_EQ(r["above_appetite"], true);  // 9 > 8
  // Failed: free text is no longer a category, and an id must name an appetite row.
  auto text = service_->Create(As(auth::Role::kAdmin), Def("risks"),
                               {{"ref", "R2"},
                                {"title", "Phishing"},
                                {"category", "Cyber attack"},
                                {"inherent_likelihood", 1},
                                {"inherent_impact", 1}});
  ASSERT_FALSE(text.ok());
  EXPECT_EQ(text.status().error().field, "category");
  auto missing = service_->Create(As(auth::Role::kAdmin), Def("risks"),
                                  {{"ref", "R2"},
                                   {"title", "Phishing"},
                                   {"category_id", 999},
                                   {"inherent_likelihood", 1},
                                   {"inherent_impact", 1}});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().error().field, "category_id");
}

// Migration 340 maps the free-text categories of existing risks to appetite rows ignoring case,
// creates a row (with no appetite level) for a category the statement lacks, keeps appetite
// rows differing only in case (renaming the later one) and loses nothing.
TEST(RiskCategoryMigration, MapsExistingTextIgnoringCaseAndLosesNothing) {
  testing::TempDir dir;
  store::Options options;
  options.path = dir.File("old.db");
  auto opened = store::Store::OpenSqlite(options);
  ASSERT_TRUE(opened.ok());
  auto& db = **opened;
  std::vector<store::Migration> all = auth::Accounts::Migrations();
  for (auto list :
       {audit::AuditLog::Migrations(), Registers::Migrations(), RegisterService::Migrations()}) {
    all.insert(all.end(), list.begin(), list.end());
  }
  std::vector<store::Migration> before;
  for (const auto& m : all) {
    if (m.version < 340) {
      before.push_back(m);
    }
  }
  ASSERT_TRUE(db.Migrate(before).ok());
  {
    auto conn = db.Acquire();
    ASSERT_TRUE(conn.ok());
    const std::string t = "'2026-01-01T00:00:00.000Z'";
    ASSERT_TRUE(
        (*conn)
            ->ExecuteScript("INSERT INTO risk_appetite (id, category, appetite_level, created_at, "
                            "updated_at) VALUES (1, 'Cyber attack', 8, " +
                            t + ", " + t + "), (2, 'cyber attack', 12, " + t + ", " + t +
                            ");"
                            "INSERT INTO risks (id, ref, category, created_at, updated_at) VALUES "
                            "(1, 'R1', 'cyber attack', " +
                            t + ", " + t + "), (2, 'R2', ' CYBER ATTACK ', " + t + ", " + t +
                            "), (3, 'R3', 'Supply chain', " + t + ", " + t +
                            "), (4, 'R4', 'supply "
                            "Chain', " +
                            t + ", " + t + "), (5, 'R5', '', " + t + ", " + t + ");")
            .ok());
  }
  ASSERT_TRUE(db.Migrate(all).ok());
  auto conn = db.Acquire();
  ASSERT_TRUE(conn.ok());
  auto rows = (*conn)->Query("SELECT ref, category, category_id FROM risks ORDER BY id");
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 5u);
  EXPECT_EQ((*rows)[0][2].Int(), 2);  // exact spelling first
  EXPECT_EQ((*rows)[1][2].Int(), 1);  // else the oldest row, ignoring case and spaces
  EXPECT_EQ((*rows)[1][1].Text(), " CYBER ATTACK ");  // the old text is kept
  EXPECT_EQ((*rows)[2][2].Int(), (*rows)[3][2].Int());
  EXPECT_TRUE((*rows)[4][2].IsNull());
  auto appetite = (*conn)->Query(
      "SELECT id, category, appetite_level, statement FROM risk_appetite ORDER BY id");
  ASSERT_TRUE(appetite.ok());
  ASSERT_EQ(appetite->size(), 3u);
  EXPECT_EQ((*appetite)[0][1].Text(), "Cyber attack");
  EXPECT_EQ((*appetite)[1][1].Text(), "cyber attack (duplicate 2)");
  EXPECT_EQ((*appetite)[1][2].Int(), 12);  // its level is kept
  EXPECT_EQ((*appetite)[2][1].Text(), "Supply chain");
  EXPECT_TRUE((*appetite)[2][2].IsNull());  // never invented: the RMD shows it as a gap
  EXPECT_NE((*appetite)[2][3].Text().find("risk R3"), std::string::npos);
  EXPECT_EQ((*rows)[2][2].Int(), (*appetite)[2][0].Int());
  // The unique index now refuses a case variant at the database too.
  EXPECT_FALSE((*conn)
                   ->Execute("INSERT INTO risk_appetite (category, created_at, updated_at) "
                             "VALUES ('SUPPLY CHAIN', '', '')")
                   .ok());
}

}  // namespace
}  // namespace accredit::registers
