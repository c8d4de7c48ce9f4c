#include "registers/registers.h"

#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "registers_testing.h"
#include "testing/testing.h"

namespace accredit::registers {
namespace {

using std::chrono::day;
using std::chrono::month;
using std::chrono::year;

Date Ymd(int y, unsigned m, unsigned d) {
  return Date{year{y}, month{m}, day{d}};
}

auth::Principal As(auth::Role role, std::optional<std::int64_t> supplier = std::nullopt) {
  auth::Principal p;
  p.user_id = 42;
  p.username = std::string("test-") + std::string(auth::RoleName(role));
  p.role = role;
  p.supplier_id = supplier;
  return p;
}

class RegistersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = testing::OpenMigratedStore(dir_.File("test.db"), /*with_service=*/false);
    ASSERT_NE(store_, nullptr);
    audit_ = std::make_unique<audit::AuditLog>(clock_);
    registers_ = std::make_unique<Registers>(*store_, *audit_, clock_);
  }

  std::int64_t AuditCount() {
    auto conn = store_->Acquire();
    EXPECT_TRUE(conn.ok());
    auto n = audit_->Count(**conn, audit::Filter{});
    EXPECT_TRUE(n.ok()) << n.status().ToString();
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

  Party Supplier(const std::string& name) {
    Party p;
    p.kind = PartyKind::kSubcontractor;
    p.name = name;
    p.services = "hosting";
    return p;
  }

  testing::TempDir dir_;
  FakeClock clock_{Instant(std::chrono::milliseconds(1'780'000'000'000))};
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<audit::AuditLog> audit_;
  std::unique_ptr<Registers> registers_;
  const auth::Principal admin_ = As(auth::Role::kAdmin);
};

TEST_F(RegistersTest, FreshContractIsEmptyEnglandAndWales) {
  auto c = registers_->GetContract(admin_);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->title, "");
  EXPECT_FALSE(c->effective_date.has_value());
  EXPECT_EQ(c->division, Division::kEnglandAndWales);
}

TEST_F(RegistersTest, ContractValidationNamesTheFieldAndWritesNothing) {
  const std::int64_t before = AuditCount();

  struct Case {
    const char* name;
    ContractPatch patch;
    const char* field;
    const char* message_part;
  };

  ContractPatch bad_date;
  bad_date.effective_date = Ymd(2026, 2, 30);
  bad_date.title = "should not be stored";
  ContractPatch osc_before;
  osc_before.effective_date = Ymd(2026, 4, 1);
  osc_before.operational_service_commencement_date = Ymd(2026, 3, 31);
  ContractPatch long_title;
  long_title.title = std::string(201, 'x');
  ContractPatch dup_closure;
  dup_closure.closure_days =
      std::vector<ClosureDay>{{Ymd(2026, 12, 31), "a"}, {Ymd(2026, 12, 31), "b"}};
  ContractPatch untitled_closure;
  untitled_closure.closure_days = std::vector<ClosureDay>{{Ymd(2026, 12, 31), ""}};
  const Case cases[] = {
      {"bad date", bad_date, "effective_date", "must be a date YYYY-MM-DD"},
      {"osc before effective", osc_before, "operational_service_commencement_date",
       "must not be before effective_date"},
      {"long title", long_title, "title", "at most 200"},
      {"duplicate closure day", dup_closure, "closure_days[1].date", "duplicate"},
      {"untitled closure day", untitled_closure, "closure_days[0].title", "required"},
  };
  for (const auto& c : cases) {
    auto r = registers_->UpdateContract(admin_, c.patch);
    ASSERT_FALSE(r.ok()) << c.name;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument) << c.name;
    EXPECT_EQ(r.error().field, c.field) << c.name;
    EXPECT_NE(r.error().message.find(c.message_part), std::string::npos)
        << c.name << ": " << r.error().message;
  }
  EXPECT_EQ(AuditCount(), before);
  auto stored = registers_->GetContract(admin_);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->title, "");
  EXPECT_FALSE(stored->effective_date.has_value());
  EXPECT_TRUE(stored->closure_days.empty());
}

TEST_F(RegistersTest, ContractUpdateIsAuditedWithBeforeAndAfter) {
  ContractPatch first;
  first.title = "Old title";
  ASSERT_TRUE(registers_->UpdateContract(admin_, first).ok());
  ContractPatch second;
  second.title = "New title";
  second.effective_date = Ymd(2026, 4, 1);
  second.operational_service_commencement_date = Ymd(2026, 10, 1);
  second.closure_days = std::vector<ClosureDay>{{Ymd(2026, 12, 31), "Office closed"}};
  auto updated = registers_->UpdateContract(admin_, second);
  ASSERT_TRUE(updated.ok()) << updated.status().ToString();
  EXPECT_EQ(updated->title, "New title");

  const auto records = AuditRecords("contract.update");
  ASSERT_EQ(records.size(), 2u);
  const auto& last = records.back().entry;
  EXPECT_EQ(last.actor, admin_.username);
  EXPECT_EQ(last.entity_type, "contract");
  EXPECT_EQ(last.entity_id, "1");
  EXPECT_NE(last.before_json.find("\"title\":\"Old title\""), std::string::npos);
  EXPECT_NE(last.after_json.find("\"title\":\"New title\""), std::string::npos);
  EXPECT_NE(last.after_json.find("\"effective_date\":\"2026-04-01\""), std::string::npos);
  EXPECT_NE(last.after_json.find("2026-12-31"), std::string::npos);

  auto stored = registers_->GetContract(admin_);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(ToJson(*stored), ToJson(*updated));
}

TEST_F(RegistersTest, CustomerReviewerCannotUpdateContract) {
  const std::int64_t before = AuditCount();
  ContractPatch patch;
  patch.title = "hijacked";
  auto r = registers_->UpdateContract(As(auth::Role::kCustomerReviewer), patch);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(AuditCount(), before);
  // ...but may read it.
  EXPECT_TRUE(registers_->GetContract(As(auth::Role::kCustomerReviewer)).ok());
}

TEST_F(RegistersTest, SubcontractorSeesOnlyItsOwnParty) {
  auto a = registers_->CreateParty(admin_, Supplier("Alpha Hosting Ltd"));
  auto b = registers_->CreateParty(admin_, Supplier("Beta Field Services Ltd"));
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  const auth::Principal sub = As(auth::Role::kSubcontractor, a->id);

  auto own = registers_->GetParty(sub, a->id);
  ASSERT_TRUE(own.ok()) << own.status().ToString();
  EXPECT_EQ(own->name, "Alpha Hosting Ltd");

  auto other = registers_->GetParty(sub, b->id);
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.error().code, ErrorCode::kPermissionDenied);

  auto list = registers_->ListParties(sub);
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ(list->front().id, a->id);

  auto all = registers_->ListParties(admin_);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 2u);

  // It may not edit another supplier, nor create one.
  Party edited = *b;
  edited.services = "changed";
  auto upd = registers_->UpdateParty(sub, edited);
  ASSERT_FALSE(upd.ok());
  EXPECT_EQ(upd.error().code, ErrorCode::kPermissionDenied);
  auto created = registers_->CreateParty(sub, Supplier("Gamma Ltd"));
  ASSERT_FALSE(created.ok());
  EXPECT_EQ(created.error().code, ErrorCode::kPermissionDenied);
}

TEST_F(RegistersTest, PartyValidationAndUniqueness) {
  Party nameless = Supplier("");
  auto r = registers_->CreateParty(admin_, nameless);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().field, "name");
  EXPECT_EQ(r.error().message, "required");

  Party bad_email = Supplier("Delta Ltd");
  bad_email.contact_email = "not-an-address";
  r = registers_->CreateParty(admin_, bad_email);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().field, "contact_email");

  ASSERT_TRUE(registers_->CreateParty(admin_, Supplier("Delta Ltd")).ok());
  const std::int64_t before = AuditCount();
  r = registers_->CreateParty(admin_, Supplier("Delta Ltd"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(r.error().field, "name");
  EXPECT_EQ(AuditCount(), before);
}

TEST_F(RegistersTest, PartyUpdateIsAudited) {
  auto p = registers_->CreateParty(admin_, Supplier("Epsilon SOC Ltd"));
  ASSERT_TRUE(p.ok());
  Party changed = *p;
  changed.access_to_customer_data = true;
  auto u = registers_->UpdateParty(admin_, changed);
  ASSERT_TRUE(u.ok()) << u.status().ToString();
  auto got = registers_->GetParty(admin_, p->id);
  ASSERT_TRUE(got.ok());
  EXPECT_TRUE(got->access_to_customer_data);
  const auto records = AuditRecords("party.update");
  ASSERT_EQ(records.size(), 1u);
  EXPECT_NE(records[0].entry.before_json.find("\"access_to_customer_data\":false"),
            std::string::npos);
  EXPECT_NE(records[0].entry.after_json.find("\"access_to_customer_data\":true"),
            std::string::npos);
}

TEST_F(RegistersTest, CalendarImportAndClosureDaysReachLoadCalendar) {
  // 2027 from the file: the rules' days plus a fictional extra one on Mon 7 Jun 2027.
  const std::string json = R"({"england-and-wales": {"division": "england-and-wales", "events": [
    {"title": "New Year’s Day", "date": "2027-01-01", "notes": "", "bunting": true},
    {"title": "Extra bank holiday", "date": "2027-06-07", "notes": "", "bunting": true},
    {"title": "Christmas Day", "date": "2027-12-27", "notes": "Substitute day", "bunting": true}
  ]}})";
  auto before_import = registers_->LoadCalendar();
  ASSERT_TRUE(before_import.ok()) << before_import.status().ToString();
  EXPECT_TRUE(before_import->IsWorkingDay(Ymd(2027, 6, 7)));

  auto n = registers_->ImportBankHolidays(admin_, json);
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_EQ(*n, 3);
  EXPECT_EQ(AuditRecords("calendar.import").size(), 1u);

  ContractPatch patch;
  patch.closure_days = std::vector<ClosureDay>{{Ymd(2026, 12, 31), "Office closed"}};
  ASSERT_TRUE(registers_->UpdateContract(admin_, patch).ok());

  auto cal = registers_->LoadCalendar();
  ASSERT_TRUE(cal.ok()) << cal.status().ToString();
  EXPECT_FALSE(cal->IsWorkingDay(Ymd(2027, 6, 7)));
  EXPECT_TRUE(cal->IsHoliday(Ymd(2027, 6, 7)));
  EXPECT_FALSE(cal->IsWorkingDay(Ymd(2026, 12, 31)));  // closure day (a Thursday)
  EXPECT_TRUE(cal->IsWorkingDay(Ymd(2026, 12, 30)));
  // 2027 follows the file only: Good Friday 2027 (26 Mar) is not in it.
  EXPECT_TRUE(cal->IsWorkingDay(Ymd(2027, 3, 26)));
  // Other years still follow the rules.
  EXPECT_FALSE(cal->IsWorkingDay(Ymd(2026, 12, 25)));
}

TEST_F(RegistersTest, BadCalendarImportStoresNothing) {
  const std::int64_t before = AuditCount();
  auto r = registers_->ImportBankHolidays(
      admin_, R"({"england-and-wales": {"events": [{"title": "x", "date": "2027-02-30"}]}})");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(r.error().field.find("events[0]"), std::string::npos) << r.error().field;
  EXPECT_EQ(AuditCount(), before);

  auto denied = registers_->ImportBankHolidays(As(auth::Role::kAuditor), "{}");
  ASSERT_FALSE(denied.ok());
  EXPECT_EQ(denied.error().code, ErrorCode::kPermissionDenied);
}

}  // namespace
}  // namespace accredit::registers
