// The cached, incremental Engine over a real SQLite database (issue 4, point 1: "obligations are
// recomputed incrementally when records change"): records written through the real register
// service (and through a second, independent store, as another process would) are seen; only
// the rules that read a changed table rerun; a snapshot is reused while no state can change.

#include <gtest/gtest.h>

#include "cli/cli.h"
#include "clocks/clocks.h"
#include "clocks_testing.h"
#include "testing/testing.h"

namespace accredit::clocks {
namespace {

using testing::At;
using testing::FindKey;
using testing::HasKey;
using Json = nlohmann::json;

class EngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    cli::AppOptions options;
    options.db_path = dir_.File("acc.db");
    options.create_if_missing = true;
    auto app = cli::OpenApp(clock_, options);
    ASSERT_TRUE(app.ok()) << app.error().message << " " << app.error().internal;
    app_ = std::move(*app);
    registers::ContractPatch patch;
    patch.effective_date = std::optional<Date>(testing::D("2026-04-01"));
    ASSERT_TRUE(app_->registers->UpdateContract(actor_, patch).ok());
  }

  std::int64_t AddEvent(const std::string& became_aware_at) {
    const auto* def = registers::RegisterService::Find("notifiable_events");
    EXPECT_NE(def, nullptr);
    auto rec = app_->register_service->Create(actor_, *def,
                                              Json{{"kind", "architecture_change"},
                                                   {"description", "Core switch replaced"},
                                                   {"became_aware_at", became_aware_at}});
    EXPECT_TRUE(rec.ok()) << rec.error().field << ": " << rec.error().message;
    return rec.ok() ? (*rec)["id"].get<std::int64_t>() : 0;
  }

  std::shared_ptr<const Snapshot> Eval(std::string_view at) {
    auto snap = app_->clocks->At(At(at));
    EXPECT_TRUE(snap.ok()) << snap.error().message << " " << snap.error().internal;
    return snap.ok() ? *snap : std::make_shared<const Snapshot>();
  }

  ::accredit::testing::TempDir dir_;
  FakeClock clock_{At("2026-11-30T12:00:00Z")};
  auth::Principal actor_ = auth::CliOperator("test");
  std::unique_ptr<cli::App> app_;
};

TEST_F(EngineTest, SeesChangesAndRerunsOnlyTheRulesThatReadTheChangedTable) {
  const std::int64_t id = AddEvent("2026-11-26T10:00:00Z");  // Thu: due end of Mon 30 Nov
  const std::string key = "S2.4-5.13.1/notifiable_events/" + std::to_string(id);
  auto first = Eval("2026-11-30T12:00:00Z");
  EXPECT_EQ(FindKey(first->obligations, key).state, State::kDueSoon);
  EXPECT_EQ(FormatInstantUtc(FindKey(first->obligations, key).due), "2026-11-30T23:59:59.999Z");
  const Engine::Stats cold = app_->clocks->GetStats();
  EXPECT_EQ(cold.rule_runs, Rules().size());

  // No change, a later instant with no state change in between: the same snapshot.
  auto again = Eval("2026-11-30T12:00:05Z");
  EXPECT_EQ(again.get(), first.get());
  EXPECT_EQ(app_->clocks->GetStats().rule_runs, cold.rule_runs);

  // Past the due instant: a new snapshot (overdue) but no rule reran.
  auto late = Eval("2026-12-01T00:00:00Z");
  EXPECT_NE(late.get(), first.get());
  EXPECT_EQ(FindKey(late->obligations, key).state, State::kOverdue);
  EXPECT_EQ(app_->clocks->GetStats().rule_runs, Rules().size() + 3);  // periodic: new day

  // The Customer is notified (through the register service): the two notifiable-event rules
  // rerun, nothing else, and the one table is reloaded.
  const auto* def = registers::RegisterService::Find("notifiable_events");
  ASSERT_TRUE(app_->register_service
                  ->Update(actor_, *def, id, Json{{"customer_notified_at", "2026-11-30T15:00:00Z"}})
                  .ok());
  const Engine::Stats before = app_->clocks->GetStats();
  auto met = Eval("2026-12-01T00:00:01Z");
  EXPECT_EQ(FindKey(met->obligations, key).state, State::kMetOnTime);
  EXPECT_TRUE(HasKey(met->obligations, "S2.4-5.14/notifiable_events/" + std::to_string(id)));
  const Engine::Stats after = app_->clocks->GetStats();
  EXPECT_EQ(after.rule_runs - before.rule_runs, 2U);
  EXPECT_EQ(after.table_loads - before.table_loads, 1U);
}

TEST_F(EngineTest, SeesAChangeMadeThroughAnotherStoreAsAnotherProcessWould) {
  Eval("2026-11-30T12:00:00Z");
  {
    // A second, independent connection pool on the same file (the CLI while the server runs).
    store::Options options;
    options.path = dir_.File("acc.db");
    options.create_if_missing = false;
    auto other = store::Store::OpenSqlite(options);
    ASSERT_TRUE(other.ok());
    auto conn = (*other)->Acquire();
    ASSERT_TRUE(conn.ok());
    ASSERT_TRUE((*conn)
                    ->Execute("INSERT INTO rcr (ref, change, status, date_agreed, "
                              "implementation_due_date, created_at, updated_at) VALUES "
                              "('RCR-7', 'Rotate keys', 'agreed', '2026-10-01', '2026-11-02', "
                              "'2026-10-01T09:00:00.000Z', '2026-10-01T09:00:00.000Z')")
                    .ok());
  }
  auto snap = Eval("2026-11-30T12:00:01Z");
  bool found = false;
  for (const Obligation& o : snap->obligations) {
    if (o.clause == "S2.4-5.15" && o.subject.label == "RCR-7") {
      found = true;
      EXPECT_EQ(o.state, State::kOverdue);
    }
  }
  EXPECT_TRUE(found);
  EXPECT_FALSE(snap->gate.may_process);
}

TEST_F(EngineTest, AWaiverRecordWaivesWithoutRerunningRules) {
  const std::int64_t id = AddEvent("2026-11-02T10:00:00Z");
  const std::string key = "S2.4-5.13.1/notifiable_events/" + std::to_string(id);
  EXPECT_EQ(FindKey(Eval("2026-11-30T12:00:00Z")->obligations, key).state, State::kOverdue);
  const auto runs = app_->clocks->GetStats().rule_runs;
  const auto* def = registers::RegisterService::Find("obligation_waivers");
  ASSERT_NE(def, nullptr);
  auto w = app_->register_service->Create(actor_, *def,
                                          Json{{"obligation_key", key},
                                               {"reason", "Notified by phone; agreed in writing"},
                                               {"agreed_with", "HE Accreditor"},
                                               {"agreed_date", "2026-11-10"}});
  ASSERT_TRUE(w.ok()) << w.error().field << ": " << w.error().message;
  const Obligation o = FindKey(Eval("2026-11-30T12:00:01Z")->obligations, key);
  EXPECT_EQ(o.state, State::kWaived);
  EXPECT_EQ(o.waiver_id, (*w)["id"].get<std::int64_t>());
  EXPECT_EQ(app_->clocks->GetStats().rule_runs, runs);
}

// A waiver must name an obligation that exists (the clocks module's lookup, installed by
// cli::OpenApp in the registers module's validators); several waivers of one obligation combine.
TEST_F(EngineTest, AWaiverMustNameAnObligationThatExistsAndSeveralCombine) {
  const std::int64_t id = AddEvent("2026-11-02T10:00:00Z");
  const std::string key = "S2.4-5.13.1/notifiable_events/" + std::to_string(id);
  const auto* def = registers::RegisterService::Find("obligation_waivers");
  ASSERT_NE(def, nullptr);
  auto waive = [&](const std::string& obligation_key, const std::string& agreed) {
    return app_->register_service->Create(actor_, *def,
                                          Json{{"obligation_key", obligation_key},
                                               {"reason", "Agreed in writing"},
                                               {"agreed_with", "HE Accreditor"},
                                               {"agreed_date", agreed}});
  };

  // Refused: no such record, no rule for the clause, a period the rule does not produce.
  for (const std::string& bad :
       {"S2.4-5.13.1/notifiable_events/" + std::to_string(id + 1000),
        std::string("S2.4-9.2/contract/0"), std::string("S2.4-7.13/contract/0/2019")}) {
    auto refused = waive(bad, "2026-11-10");
    ASSERT_FALSE(refused.ok()) << bad;
    EXPECT_EQ(refused.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(refused.error().field, "obligation_key");
    EXPECT_EQ(refused.error().message, "no obligation with key " + bad);
  }
  // Accepted: a recorded event's obligation, and next year's CEO letter (a year ahead).
  ASSERT_TRUE(waive("S2.4-7.13/contract/0/2028", "2026-11-20").ok());

  // Two waivers of one obligation, agreed 4 and 20 Nov 2026 (the later one recorded first):
  // each counts from its agreed day, together.
  auto later = waive(key, "2026-11-20");
  ASSERT_TRUE(later.ok()) << later.error().field << ": " << later.error().message;
  auto earlier = waive(key, "2026-11-04");
  ASSERT_TRUE(earlier.ok());
  const std::int64_t w_later = (*later)["id"].get<std::int64_t>();
  const std::int64_t w_earlier = (*earlier)["id"].get<std::int64_t>();
  EXPECT_EQ(FindKey(Eval("2026-11-03T12:00:00Z")->obligations, key).state, State::kDueSoon);
  const Obligation one = FindKey(Eval("2026-11-10T12:00:00Z")->obligations, key);
  EXPECT_EQ(one.state, State::kWaived);
  EXPECT_EQ(one.waiver_id, w_earlier);
  EXPECT_EQ(one.waiver_ids, (std::vector<std::int64_t>{w_earlier}));
  const Obligation both = FindKey(Eval("2026-11-30T12:00:00Z")->obligations, key);
  EXPECT_EQ(both.waiver_id, w_earlier);
  EXPECT_EQ(both.waiver_ids, (std::vector<std::int64_t>{w_earlier, w_later}));
  EXPECT_EQ(ObligationToJson(both)["waiver_ids"], Json::array({w_earlier, w_later}));
}

}  // namespace
}  // namespace accredit::clocks
