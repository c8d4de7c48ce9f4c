// The registers of issue 4 (contract clocks) in the generic framework: the instant field type,
// append-only registers, the accreditation workflow's state machine and authorisation, the
// notifiable events' field-order rules, deliverables, waivers and certificate withdrawal.
// Real SQLite databases in a TempDir; the clock is a FakeClock.

#include <algorithm>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "registers/registers.h"
#include "registers_testing.h"
#include "testing/testing.h"

namespace accredit::registers {
namespace {

auth::Principal As(auth::Role role) {
  auth::Principal p;
  p.user_id = 7;
  p.username = std::string("test-") + std::string(auth::RoleName(role));
  p.role = role;
  return p;
}

const RegisterDef& Def(std::string_view name) {
  const RegisterDef* d = RegisterService::Find(name);
  EXPECT_NE(d, nullptr) << name;
  return *d;
}

Instant At(const char* text) {
  return ParseInstant(text).value();
}

class ClockRegistersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = testing::OpenMigratedStore(dir_.File("test.db"), /*with_service=*/true);
    ASSERT_NE(store_, nullptr);
    // The reports module's table of issued RMD versions (same schema as its migration 700).
    Sql("CREATE TABLE rmd_versions (version INTEGER PRIMARY KEY, issued_at TEXT NOT NULL, "
        "issued_by TEXT NOT NULL, note TEXT NOT NULL DEFAULT '', content_json TEXT NOT NULL, "
        "sha256 TEXT NOT NULL);"
        "INSERT INTO rmd_versions VALUES (1, '2026-05-29T15:00:00.000Z', 'secman', '', '{}', ''),"
        " (2, '2026-06-29T15:00:00.000Z', 'secman', '', '{}', '');");
    audit_ = std::make_unique<audit::AuditLog>(clock_);
    registers_ = std::make_unique<Registers>(*store_, *audit_, clock_);
    service_ = std::make_unique<RegisterService>(*store_, *audit_, clock_, *registers_,
                                                 RegisterService::Options{});
  }

  void Sql(const std::string& script) {
    auto conn = store_->Acquire();
    ASSERT_TRUE(conn.ok());
    const Status s = (*conn)->ExecuteScript(script);
    ASSERT_TRUE(s.ok()) << s.ToString();
  }

  std::vector<store::Row> Query(const std::string& sql) {
    auto conn = store_->Acquire();
    EXPECT_TRUE(conn.ok());
    auto rows = (*conn)->Query(sql);
    EXPECT_TRUE(rows.ok()) << rows.status().ToString();
    return rows.ok() ? *rows : std::vector<store::Row>{};
  }

  Result<Json> Create(std::string_view reg, const Json& input,
                      const auth::Principal& who = As(auth::Role::kAdmin)) {
    return service_->Create(who, Def(reg), input);
  }

  Json MustCreate(std::string_view reg, const Json& input,
                  const auth::Principal& who = As(auth::Role::kAdmin)) {
    auto r = Create(reg, input, who);
    EXPECT_TRUE(r.ok()) << reg << ": " << r.status().ToString();
    return r.ok() ? *r : Json();
  }

  std::int64_t Count(std::string_view table) {
    auto rows = Query("SELECT COUNT(*) FROM \"" + std::string(table) + "\"");
    return rows.empty() ? -1 : rows[0][0].Int();
  }

  testing::TempDir dir_;
  FakeClock clock_{At("2026-11-30T12:00:00Z")};
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<audit::AuditLog> audit_;
  std::unique_ptr<Registers> registers_;
  std::unique_ptr<RegisterService> service_;
};

// ---------------------------------------------------------------------------------------------
// kInstant

TEST(InstantFieldTest, TypeName) {
  EXPECT_EQ(FieldTypeName(FieldType::kInstant), "instant");
  EXPECT_EQ(Def("notifiable_events").Field("became_aware_at")->type, FieldType::kInstant);
}

TEST_F(ClockRegistersTest, InstantInputFormsAreStoredAsCanonicalUtc) {
  struct Case {
    const char* input;
    const char* stored;
  };

  const Case cases[] = {
      {"2026-11-03T10:00:00Z", "2026-11-03T10:00:00.000Z"},
      {"2026-11-03T10:00+00:00", "2026-11-03T10:00:00.000Z"},
      {"2026-11-03 10:00", "2026-11-03T10:00:00.000Z"},  // London, GMT
      {"2026-06-03 10:00", "2026-06-03T09:00:00.000Z"},  // London, BST
      {"2026-06-03T10:00", "2026-06-03T09:00:00.000Z"},  // London, BST, with T
      {"2026-06-03T10:00:00.250+02:00", "2026-06-03T08:00:00.250Z"},
      {"  2026-10-25 01:30  ", "2026-10-25T00:30:00.000Z"},  // the autumn fold: the BST one
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.input);
    const Json rec = MustCreate(
        "notifiable_events",
        {{"kind", "architecture_change"}, {"description", "d"}, {"became_aware_at", c.input}});
    EXPECT_EQ(rec["became_aware_at"], c.stored);
    EXPECT_TRUE(rec["customer_notified_at"].is_null());  // unset: JSON null
    const auto rows = Query(
        "SELECT became_aware_at, typeof(became_aware_at), "
        "typeof(customer_notified_at) FROM notifiable_events WHERE id = " +
        std::to_string(rec["id"].get<std::int64_t>()));
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0][0].Text(), c.stored);
    EXPECT_EQ(rows[0][1].Text(), "text");
    EXPECT_EQ(rows[0][2].Text(), "null");  // unset: NULL, not ''
    auto got = service_->Get(As(auth::Role::kAuditor), Def("notifiable_events"),
                             rec["id"].get<std::int64_t>());
    ASSERT_TRUE(got.ok());
    EXPECT_EQ((*got)["became_aware_at"], c.stored);
  }
}

TEST_F(ClockRegistersTest, BadInstantNamesTheField) {
  const Json bad_inputs[] = {"3 Nov 2026",        "2026-11-31T10:00Z",
                             "2026-11-03T25:00Z", "2026-11-03T10:00+0x:00",
                             1793700000000,       true};
  for (const Json& bad : bad_inputs) {
    SCOPED_TRACE(bad.dump());
    auto r =
        Create("notifiable_events",
               {{"kind", "architecture_change"}, {"description", "d"}, {"became_aware_at", bad}});
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(r.error().field, "became_aware_at");
    EXPECT_EQ(r.error().message.rfind("not an instant: ", 0), 0u) << r.error().message;
    EXPECT_EQ(r.status().ToString().rfind("invalid_argument: became_aware_at: not an instant: ", 0),
              0u)
        << r.status().ToString();
  }
  EXPECT_EQ(Count("notifiable_events"), 0);
  // Empty means unset; a required instant is then reported as required.
  auto empty =
      Create("notifiable_events",
             {{"kind", "architecture_change"}, {"description", "d"}, {"became_aware_at", ""}});
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.error().field, "became_aware_at");
  EXPECT_EQ(empty.error().message, "required");
}

TEST_F(ClockRegistersTest, InstantsSortInTimeOrderAndFilterExactly) {
  // Three inputs whose text order differs from their time order.
  for (const char* t : {"2026-06-01 00:30", "2026-05-31T23:45:00Z", "2026-05-31T23:50:00-01:00"}) {
    MustCreate("notifiable_events",
               {{"kind", "threat_profile_change"}, {"description", t}, {"became_aware_at", t}});
  }
  ListQuery q;
  q.sort = "became_aware_at";
  auto list = service_->List(As(auth::Role::kAuditor), Def("notifiable_events"), q);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->items.size(), 3u);
  EXPECT_EQ(list->items[0]["became_aware_at"], "2026-05-31T23:30:00.000Z");  // 00:30 BST
  EXPECT_EQ(list->items[1]["became_aware_at"], "2026-05-31T23:45:00.000Z");
  EXPECT_EQ(list->items[2]["became_aware_at"], "2026-06-01T00:50:00.000Z");
  ListQuery f;
  f.filters["became_aware_at"] = "2026-06-01 01:50";  // London wall clock of the third
  auto filtered = service_->List(As(auth::Role::kAuditor), Def("notifiable_events"), f);
  ASSERT_TRUE(filtered.ok());
  ASSERT_EQ(filtered->total, 1);
  EXPECT_EQ(filtered->items[0]["description"], "2026-05-31T23:50:00-01:00");
}

TEST_F(ClockRegistersTest, InstantCsvRoundTrip) {
  const auto admin = As(auth::Role::kAdmin);
  const std::string csv =
      "kind,description,became_aware_at,customer_notified_at\n"
      "architecture_change,in BST,2026-07-01 09:00,2026-07-02T10:00:00+01:00\n"
      "site_change_proposal,in GMT,2026-11-02T08:00,\n";
  auto imported = service_->ImportCsv(admin, Def("notifiable_events"), csv);
  ASSERT_TRUE(imported.ok()) << imported.status().ToString();
  EXPECT_EQ(imported->created, 2);
  std::ostringstream out;
  ASSERT_TRUE(service_->ExportCsv(admin, Def("notifiable_events"), {}, out).ok());
  auto parsed = ParseCsv(out.str());
  ASSERT_TRUE(parsed.ok());
  ASSERT_EQ(parsed->size(), 3u);
  const auto& head = (*parsed)[0].fields;
  const auto col = [&head](const std::string& name) {
    return static_cast<std::size_t>(std::find(head.begin(), head.end(), name) - head.begin());
  };
  EXPECT_EQ((*parsed)[1].fields[col("became_aware_at")], "2026-07-01T08:00:00.000Z");
  EXPECT_EQ((*parsed)[1].fields[col("customer_notified_at")], "2026-07-02T09:00:00.000Z");
  EXPECT_EQ((*parsed)[2].fields[col("became_aware_at")], "2026-11-02T08:00:00.000Z");
  EXPECT_EQ((*parsed)[2].fields[col("customer_notified_at")], "");
  // The export imports again as updates of the same records, values unchanged.
  auto again = service_->ImportCsv(admin, Def("notifiable_events"), out.str());
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->updated, 2);
  EXPECT_EQ(again->created, 0);
  std::ostringstream out2;
  ASSERT_TRUE(service_->ExportCsv(admin, Def("notifiable_events"), {}, out2).ok());
  auto reparsed = ParseCsv(out2.str());
  ASSERT_TRUE(reparsed.ok());
  for (std::size_t i = 1; i < 3; ++i) {
    EXPECT_EQ((*reparsed)[i].fields[col("became_aware_at")],
              (*parsed)[i].fields[col("became_aware_at")]);
  }
  // A bad instant names the line and the column.
  auto bad = service_->ImportCsv(admin, Def("notifiable_events"),
                                 "kind,description,became_aware_at\n"
                                 "architecture_change,x,2026-07-01 09:00\n"
                                 "architecture_change,y,yesterday\n");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().field, "line 3: became_aware_at");
  EXPECT_EQ(bad.error().message.rfind("not an instant: ", 0), 0u);
  EXPECT_EQ(Count("notifiable_events"), 2);
}

// ---------------------------------------------------------------------------------------------
// Notifiable events

TEST_F(ClockRegistersTest, NotifiableEventFieldOrderRules) {
  const Json base{{"kind", "new_risk_or_vulnerability"},
                  {"description", "Vendor advisory"},
                  {"became_aware_at", "2026-11-02 09:00"}};
  auto with = [&base](std::initializer_list<std::pair<const char*, const char*>> kv) {
    Json j = base;
    for (const auto& [k, v] : kv) {
      j[k] = v;
    }
    return j;
  };

  struct Case {
    Json input;
    std::string field;
    std::string message;
  };

  const std::vector<Case> cases = {
      {with({{"became_aware_at", "2026-11-30T12:00:01Z"}}), "became_aware_at",
       "must not be in the future (now is Mon 30 Nov 2026 12:00 London time)"},
      {with({{"customer_notified_at", "2026-11-02 08:59"}}), "customer_notified_at",
       "must not be before became_aware_at"},
      {with({{"rcr_provided_at", "2026-11-10 09:00"}}), "rcr_provided_at",
       "requires customer_notified_at"},
      {with(
           {{"customer_notified_at", "2026-11-03 09:00"}, {"rcr_provided_at", "2026-11-03 08:00"}}),
       "rcr_provided_at", "must not be before customer_notified_at"},
      {with(
           {{"customer_notified_at", "2026-11-03 09:00"}, {"rcr_approved_at", "2026-11-20 09:00"}}),
       "rcr_approved_at", "requires rcr_provided_at"},
      {with({{"customer_notified_at", "2026-11-03 09:00"},
             {"rcr_provided_at", "2026-11-10 09:00"},
             {"rcr_approved_at", "2026-11-09 09:00"}}),
       "rcr_approved_at", "must not be before rcr_provided_at"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.input.dump());
    auto r = Create("notifiable_events", c.input, As(auth::Role::kSecurityManager));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(r.error().field, c.field);
    EXPECT_EQ(r.error().message, c.message);
  }
  EXPECT_EQ(Count("notifiable_events"), 0);

  // The whole cycle in order, as separate updates; equal instants are allowed.
  const auto sm = As(auth::Role::kSecurityManager);
  const Json created = MustCreate("notifiable_events", base, sm);
  const std::int64_t id = created["id"].get<std::int64_t>();
  const RegisterDef& def = Def("notifiable_events");
  ASSERT_TRUE(service_
                  ->Update(sm, def, id,
                           {{"customer_notified_at", "2026-11-02 09:00"},
                            {"notified_to", "Martin Ashworth"}})
                  .ok());
  ASSERT_TRUE(service_->Update(sm, def, id, {{"rcr_provided_at", "2026-11-12T10:00:00Z"}}).ok());
  auto done = service_->Update(sm, def, id, {{"rcr_approved_at", "2026-11-16 14:30"}});
  ASSERT_TRUE(done.ok()) << done.status().ToString();
  EXPECT_EQ((*done)["customer_notified_at"], "2026-11-02T09:00:00.000Z");
  EXPECT_EQ((*done)["rcr_approved_at"], "2026-11-16T14:30:00.000Z");
  // Clearing the notification while the RCR dates stand is refused.
  auto cleared = service_->Update(sm, def, id, {{"customer_notified_at", nullptr}});
  ASSERT_FALSE(cleared.ok());
  EXPECT_EQ(cleared.error().field, "rcr_provided_at");
  // Engineers and auditors do not write notifiable events (risk.write).
  EXPECT_EQ(Create("notifiable_events", base, As(auth::Role::kEngineer)).status().Code(),
            ErrorCode::kPermissionDenied);
  EXPECT_EQ(Create("notifiable_events", base, As(auth::Role::kCustomerReviewer)).status().Code(),
            ErrorCode::kPermissionDenied);
}

TEST_F(ClockRegistersTest, NotifiableEventsRequireRcrEntries) {
  const Json event = MustCreate("notifiable_events", {{"kind", "site_change_proposal"},
                                                      {"description", "New destruction site"},
                                                      {"became_aware_at", "2026-11-02 09:00"}});
  const Json rcr = MustCreate("rcr", {{"ref", "RCR-9"}, {"change", "Add the site"}});
  const Json risk = MustCreate(
      "risks", {{"ref", "R1"}, {"title", "t"}, {"inherent_likelihood", 1}, {"inherent_impact", 1}});
  Link link{0,
            "notifiable_events",
            event["id"].get<std::int64_t>(),
            "requires",
            "rcr",
            std::to_string(rcr["id"].get<std::int64_t>())};
  auto added = service_->AddLink(As(auth::Role::kSecurityManager), link);
  ASSERT_TRUE(added.ok()) << added.status().ToString();
  auto links = service_->LinksOf(As(auth::Role::kAuditor), "rcr",
                                 std::to_string(rcr["id"].get<std::int64_t>()));
  ASSERT_TRUE(links.ok());
  ASSERT_EQ(links->size(), 1u);
  EXPECT_EQ((*links)[0].from_register, "notifiable_events");
  link.to_register = "risks";
  link.to_key = std::to_string(risk["id"].get<std::int64_t>());
  auto wrong = service_->AddLink(As(auth::Role::kSecurityManager), link);
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().field, "relation");
  EXPECT_EQ(wrong.error().message, "requires does not link notifiable_events to risks");
}

// ---------------------------------------------------------------------------------------------
// The accreditation workflow

// An event by the role that may record it.
auth::Principal RecorderOf(const std::string& kind) {
  const bool customer = kind == "approval" || kind == "non_approval" ||
                        kind == "rejection_notice" || kind == "termination";
  return As(customer ? auth::Role::kCustomerReviewer : auth::Role::kSecurityManager);
}

class AccreditationTest : public ClockRegistersTest {
 protected:
  // Event `kind` at `at`, with the fields its kind needs.
  static Json Event(const std::string& kind, const std::string& at) {
    Json e{{"kind", kind}, {"at", at}};
    if (kind == "submission") {
      e["rmd_version"] = 1;
    }
    if (kind == "non_approval" || kind == "rejection_notice") {
      e["reasons"] = "The risk table misses the firmware backlog.";
    }
    return e;
  }

  // Records `kind` as the role that may, the next hour after the previous event.
  Result<Json> Record(const std::string& kind) {
    next_ += std::chrono::hours(1);
    return Create("accreditation_events", Event(kind, FormatInstantUtc(next_)), RecorderOf(kind));
  }

  void Reset() {
    Sql("DELETE FROM accreditation_events;");
    next_ = At("2026-06-01T09:00:00Z");
  }

  Instant next_ = At("2026-06-01T09:00:00Z");
};

const std::vector<std::string> kKinds = {"submission",        "approval", "non_approval",
                                         "rejection_notice",  "dispute",  "termination",
                                         "ready_for_decision"};

TEST_F(AccreditationTest, EveryTransitionOfTheStateMachine) {
  struct State {
    std::string name;
    std::vector<std::string> path;               // events that reach it
    std::map<std::string, std::string> allowed;  // kind -> state after
  };

  const std::vector<State> states = {
      {"none", {}, {{"submission", "awaiting_decision"}}},
      {"awaiting_decision",
       {"submission"},
       {{"approval", "approved"},
        {"non_approval", "not_approved"},
        {"rejection_notice", "rejected"},
        {"termination", "terminated"},
        {"dispute", "awaiting_decision"}}},
      {"approved",
       {"submission", "approval"},
       {{"submission", "awaiting_decision"},  // annual update (S2.4-5.12)
        {"termination", "terminated"},
        {"dispute", "approved"}}},
      {"not_approved",
       {"submission", "non_approval"},
       {{"submission", "awaiting_decision"},  // resubmission (S2.4-5.5)
        {"termination", "terminated"},
        {"dispute", "not_approved"}}},
      {"rejected",
       {"submission", "rejection_notice"},
       {{"ready_for_decision", "awaiting_decision"},  // S2.4-5.8
        {"termination", "terminated"},
        {"dispute", "rejected"}}},
      {"terminated", {"submission", "termination"}, {}},
      // A dispute in the middle changes nothing.
      {"awaiting_decision (after a dispute)",
       {"submission", "dispute"},
       {{"approval", "approved"}, {"dispute", "awaiting_decision"}}},
  };
  int checked = 0;
  for (const State& st : states) {
    for (const std::string& kind : kKinds) {
      SCOPED_TRACE(st.name + " + " + kind);
      Reset();
      for (const std::string& step : st.path) {
        ASSERT_TRUE(Record(step).ok()) << step;
      }
      const std::int64_t before = Count("accreditation_events");
      auto r = Record(kind);
      const auto allowed = st.allowed.find(kind);
      if (allowed != st.allowed.end()) {
        ASSERT_TRUE(r.ok()) << r.status().ToString();
        EXPECT_EQ((*r)["state_after"], allowed->second);
        EXPECT_EQ(Count("accreditation_events"), before + 1);
      } else if (st.name.find("after a dispute") == std::string::npos) {
        ASSERT_FALSE(r.ok());
        EXPECT_EQ(r.error().code, ErrorCode::kFailedPrecondition);
        EXPECT_EQ(r.error().field, "kind");
        const std::string state = st.name.substr(0, st.name.find(' '));
        EXPECT_EQ(r.error().message.rfind(kind + " is not possible now: ", 0), 0u)
            << r.error().message;
        EXPECT_NE(r.error().message.find("(state: " + state + ")"), std::string::npos)
            << r.error().message;
        EXPECT_EQ(Count("accreditation_events"), before);
      }
      ++checked;
    }
  }
  EXPECT_EQ(checked, 7 * 7);
  // The message of the brief's example.
  Reset();
  auto approval = Record("approval");
  ASSERT_FALSE(approval.ok());
  EXPECT_EQ(approval.status().ToString(),
            "failed_precondition: kind: approval is not possible now: no submission is awaiting a "
            "decision (state: none)");
}

TEST_F(AccreditationTest, AYearOfTheWorkflowAndItsDerivedStates) {
  for (const char* kind : {"submission", "non_approval", "submission", "rejection_notice",
                           "ready_for_decision", "dispute", "approval", "submission"}) {
    ASSERT_TRUE(Record(kind).ok()) << kind;
  }
  ListQuery q;
  q.sort = "at";
  auto list = service_->List(As(auth::Role::kAuditor), Def("accreditation_events"), q);
  ASSERT_TRUE(list.ok());
  std::vector<std::string> states;
  for (const auto& item : list->items) {
    states.push_back(item["state_after"].get<std::string>());
  }
  EXPECT_EQ(states,
            (std::vector<std::string>{"awaiting_decision", "not_approved", "awaiting_decision",
                                      "rejected", "awaiting_decision", "awaiting_decision",
                                      "approved", "awaiting_decision"}));
  auto one = service_->Get(As(auth::Role::kCustomerReviewer), Def("accreditation_events"), 4);
  ASSERT_TRUE(one.ok());
  EXPECT_EQ((*one)["kind"], "rejection_notice");
  EXPECT_EQ((*one)["state_after"], "rejected");
}

TEST_F(AccreditationTest, AtMustNotBeInTheFutureNorBeforeTheLatestEvent) {
  const auto sm = As(auth::Role::kSecurityManager);
  auto future = Create("accreditation_events", Event("submission", "2026-11-30T12:00:00.001Z"), sm);
  ASSERT_FALSE(future.ok());
  EXPECT_EQ(future.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(future.error().field, "at");
  EXPECT_EQ(future.error().message.rfind("must not be in the future", 0), 0u);
  ASSERT_TRUE(
      Create("accreditation_events", Event("submission", "2026-11-30T12:00:00Z"), sm).ok());  // now

  Reset();
  ASSERT_TRUE(Create("accreditation_events", Event("submission", "2026-06-01 10:00"), sm).ok());
  auto earlier = Create("accreditation_events", Event("dispute", "2026-06-01 09:59"), sm);
  ASSERT_FALSE(earlier.ok());
  EXPECT_EQ(earlier.error().field, "at");
  EXPECT_EQ(earlier.error().message,
            "must not be before the latest event (submission at Mon 1 Jun 2026 10:00 London "
            "time): events are recorded in the order they happened");
  // The same instant as the latest is fine (ties keep the order they were recorded in).
  auto same = Create("accreditation_events", Event("dispute", "2026-06-01T09:00:00Z"), sm);
  EXPECT_TRUE(same.ok()) << same.status().ToString();
  auto missing = Create("accreditation_events", {{"kind", "dispute"}}, sm);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().field, "at");
  EXPECT_EQ(missing.error().message, "required");
}

TEST_F(AccreditationTest, SubmissionNeedsAnIssuedRmdVersion) {
  const auto sm = As(auth::Role::kSecurityManager);
  Json without = Event("submission", "2026-06-01 10:00");
  without.erase("rmd_version");
  auto none = Create("accreditation_events", without, sm);
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().field, "rmd_version");
  EXPECT_EQ(none.error().message, "required for a submission: the issued RMD version submitted");
  Json unissued = Event("submission", "2026-06-01 10:00");
  unissued["rmd_version"] = 3;
  auto three = Create("accreditation_events", unissued, sm);
  ASSERT_FALSE(three.ok());
  EXPECT_EQ(three.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(three.error().field, "rmd_version");
  EXPECT_EQ(three.error().message.rfind("RMD version 3 has not been issued", 0), 0u);
  Json zero = Event("submission", "2026-06-01 10:00");
  zero["rmd_version"] = 0;
  EXPECT_EQ(Create("accreditation_events", zero, sm).error().field, "rmd_version");
  EXPECT_EQ(Count("accreditation_events"), 0);
  Json two = Event("submission", "2026-06-01 10:00");
  two["rmd_version"] = 2;
  ASSERT_TRUE(Create("accreditation_events", two, sm).ok());
  // Given on another kind, the version must be issued too.
  Json approval = Event("approval", "2026-06-20 10:00");
  approval["rmd_version"] = 7;
  auto bad_approval = Create("accreditation_events", approval, As(auth::Role::kCustomerReviewer));
  ASSERT_FALSE(bad_approval.ok());
  EXPECT_EQ(bad_approval.error().field, "rmd_version");
  // Without the reports module's table nothing is issued.
  Reset();
  Sql("DROP TABLE rmd_versions;");
  auto no_table = Create("accreditation_events", Event("submission", "2026-06-01 10:00"), sm);
  ASSERT_FALSE(no_table.ok());
  EXPECT_EQ(no_table.error().field, "rmd_version");
}

TEST_F(AccreditationTest, TheCustomersReasonsAreRequired) {
  ASSERT_TRUE(Record("submission").ok());
  for (const char* kind : {"non_approval", "rejection_notice"}) {
    Json e = Event(kind, "2026-06-19 15:00");
    e["reasons"] = "  \n";
    auto r = Create("accreditation_events", e, As(auth::Role::kCustomerReviewer));
    ASSERT_FALSE(r.ok()) << kind;
    EXPECT_EQ(r.error().field, "reasons");
    EXPECT_NE(r.error().message.find(kind), std::string::npos) << r.error().message;
  }
  Json approval = Event("approval", "2026-06-19 15:00");  // no reasons needed
  approval["reference"] = "HE-RMAS-2026-01";
  EXPECT_TRUE(Create("accreditation_events", approval, As(auth::Role::kCustomerReviewer)).ok());
}

TEST_F(AccreditationTest, AppendOnlyRefusesUpdateDeleteAndCsvRowsWithAnId) {
  ASSERT_TRUE(Record("submission").ok());
  const RegisterDef& def = Def("accreditation_events");
  EXPECT_TRUE(def.append_only);
  EXPECT_FALSE(Def("notifiable_events").append_only);
  EXPECT_TRUE(Def("notifiable_events").CheckMutable().ok());
  const std::string message =
      "accreditation_events are a dated record and cannot be changed or deleted; record a new "
      "accreditation event";
  for (auth::Role role :
       {auth::Role::kAdmin, auth::Role::kSecurityManager, auth::Role::kCustomerReviewer}) {
    SCOPED_TRACE(auth::RoleName(role));
    auto updated = service_->Update(As(role), def, 1, {{"notes", "changed"}});
    ASSERT_FALSE(updated.ok());
    EXPECT_EQ(updated.error().code, ErrorCode::kFailedPrecondition);
    EXPECT_EQ(updated.error().message, message);
    const Status deleted = service_->Delete(As(role), def, 1);
    EXPECT_EQ(deleted.Code(), ErrorCode::kFailedPrecondition);
    EXPECT_EQ(deleted.error().message, message);
  }
  // Roles without the write action are refused before that.
  EXPECT_EQ(service_->Delete(As(auth::Role::kAuditor), def, 1).Code(),
            ErrorCode::kPermissionDenied);
  std::ostringstream out;
  ASSERT_TRUE(service_->ExportCsv(As(auth::Role::kAdmin), def, {}, out).ok());
  auto reimport = service_->ImportCsv(As(auth::Role::kAdmin), def, out.str());
  ASSERT_FALSE(reimport.ok());
  EXPECT_EQ(reimport.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(reimport.error().field, "line 2: id");
  EXPECT_EQ(reimport.error().message, message);
  // Rows without an id are new events.
  auto added = service_->ImportCsv(As(auth::Role::kSecurityManager), def,
                                   "kind,at,notes\ndispute,2026-07-01 10:00,timescale\n");
  ASSERT_TRUE(added.ok()) << added.status().ToString();
  EXPECT_EQ(added->created, 1);
  const auto rows = Query("SELECT notes FROM accreditation_events ORDER BY id");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0][0].Text(), "");
  EXPECT_EQ(rows[1][0].Text(), "timescale");
}

TEST_F(AccreditationTest, OnlyTheCustomerDecidesAndOnlyTheProviderSubmits) {
  const Json submission = Event("submission", "2026-06-01 10:00");
  for (auth::Role role : {auth::Role::kEngineer, auth::Role::kAuditor, auth::Role::kVettingOfficer,
                          auth::Role::kSubcontractor}) {
    SCOPED_TRACE(auth::RoleName(role));
    auto r = Create("accreditation_events", submission, As(role));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::kPermissionDenied);
    EXPECT_EQ(r.error().message,
              "role " + std::string(auth::RoleName(role)) + " may not accreditation.record");
  }
  auto reviewer_submits =
      Create("accreditation_events", submission, As(auth::Role::kCustomerReviewer));
  ASSERT_FALSE(reviewer_submits.ok());
  EXPECT_EQ(reviewer_submits.error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(reviewer_submits.error().message,
            "role customer_reviewer may not accreditation.submit");
  ASSERT_TRUE(Create("accreditation_events", submission, As(auth::Role::kSecurityManager)).ok());
  // The supplier side cannot forge the Customer's decisions, not even admin.
  for (auth::Role role : {auth::Role::kSecurityManager, auth::Role::kAdmin}) {
    for (const char* kind : {"approval", "non_approval", "rejection_notice", "termination"}) {
      SCOPED_TRACE(std::string(auth::RoleName(role)) + " " + kind);
      auto r = Create("accreditation_events", Event(kind, "2026-06-10 10:00"), As(role));
      ASSERT_FALSE(r.ok());
      EXPECT_EQ(r.error().code, ErrorCode::kPermissionDenied);
      EXPECT_EQ(r.error().message,
                "role " + std::string(auth::RoleName(role)) + " may not accreditation.decide");
    }
  }
  EXPECT_EQ(Count("accreditation_events"), 1);
  // Both sides may record a dispute.
  EXPECT_TRUE(Create("accreditation_events", Event("dispute", "2026-06-05 10:00"),
                     As(auth::Role::kCustomerReviewer))
                  .ok());
  EXPECT_TRUE(Create("accreditation_events", Event("dispute", "2026-06-06 10:00"),
                     As(auth::Role::kSecurityManager))
                  .ok());
  auto approved = Create("accreditation_events", Event("approval", "2026-06-10 10:00"),
                         As(auth::Role::kCustomerReviewer));
  ASSERT_TRUE(approved.ok()) << approved.status().ToString();
  EXPECT_EQ((*approved)["state_after"], "approved");
  // Audited with the actor.
  const auto audit =
      Query("SELECT actor FROM audit_log WHERE action = 'accreditation_event.create' ORDER BY seq");
  ASSERT_EQ(audit.size(), 4u);
  EXPECT_EQ(audit[0][0].Text(), "test-security_manager");
  EXPECT_EQ(audit[3][0].Text(), "test-customer_reviewer");
  // Everyone who reads registers reads the workflow.
  for (auth::Role role :
       {auth::Role::kAuditor, auth::Role::kEngineer, auth::Role::kCustomerReviewer}) {
    EXPECT_TRUE(service_->List(As(role), Def("accreditation_events"), {}).ok());
  }
}

// ---------------------------------------------------------------------------------------------
// Deliverables, waivers, certifications

TEST_F(ClockRegistersTest, DeliverableDatesAndWaiverKeys) {
  const auto sm = As(auth::Role::kSecurityManager);
  const Json scan{
      {"kind", "vulnerability_scan"}, {"title", "Scan"}, {"performed_on", "2026-11-30"}};
  EXPECT_TRUE(Create("deliverables", scan, sm).ok());  // today is fine
  Json future = scan;
  future["performed_on"] = "2026-12-01";
  EXPECT_EQ(Create("deliverables", future, sm).error().field, "performed_on");
  Json early = scan;
  early["provided_to_customer_date"] = "2026-11-29";
  auto r = Create("deliverables", early, sm);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().field, "provided_to_customer_date");
  EXPECT_EQ(r.error().message, "must not be before performed_on");
  EXPECT_EQ(Create("deliverables", scan, As(auth::Role::kEngineer)).status().Code(),
            ErrorCode::kPermissionDenied);

  const Json waiver{{"obligation_key", "S2.4-5.13.1/notifiable_events/3"},
                    {"reason", "Agreed not significant"},
                    {"agreed_with", "Martin Ashworth"},
                    {"agreed_date", "2026-11-04"}};
  EXPECT_TRUE(Create("obligation_waivers", waiver, sm).ok());
  for (const char* bad : {"5.13.1/notifiable_events/3", "S2.4-5.13.1 /x", "anything"}) {
    Json w = waiver;
    w["obligation_key"] = bad;
    auto refused = Create("obligation_waivers", w, sm);
    ASSERT_FALSE(refused.ok()) << bad;
    EXPECT_EQ(refused.error().field, "obligation_key");
  }
  Json no_reason = waiver;
  no_reason.erase("reason");
  EXPECT_EQ(Create("obligation_waivers", no_reason, sm).error().field, "reason");
}

// S2.4-7.13, 10.1: a CEO's letter and an incident log name the period they cover; S2.4-6.6: a
// destruction site names who destroys there. Errors name the field.
TEST_F(ClockRegistersTest, DeliverablePeriodsAndTheDestructionSitesParty) {
  const auto sm = As(auth::Role::kSecurityManager);
  const Json letter{
      {"kind", "ceo_letter"}, {"title", "CEO letter"}, {"performed_on", "2026-11-20"}};
  auto missing = Create("deliverables", letter, sm);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().field, "period");
  EXPECT_EQ(missing.error().message,
            "required for the CEO's letter: the year ending 31 March that it covers, e.g. 2027");
  Json l = letter;
  l["period"] = "2027";
  EXPECT_TRUE(Create("deliverables", l, sm).ok());
  for (const char* bad : {"27", "2026-Q1", "20x7"}) {
    l["period"] = bad;
    EXPECT_EQ(Create("deliverables", l, sm).error().field, "period") << bad;
  }
  l["period"] = "2028";  // the year ending 31 March 2028 begins on 1 Apr 2027
  EXPECT_EQ(Create("deliverables", l, sm).error().message,
            "the year ending 31 March 2028 begins on 2027-04-01, after this letter's date; a "
            "letter covers a year that has begun");

  Json log{{"kind", "incident_log"},
           {"title", "Incident log"},
           {"performed_on", "2026-10-02"},
           {"period", "2026-Q3"}};
  EXPECT_TRUE(Create("deliverables", log, sm).ok());
  log["period"] = "2026-Q4";  // has not ended
  auto early = Create("deliverables", log, sm);
  ASSERT_FALSE(early.ok());
  EXPECT_EQ(early.error().field, "period");
  EXPECT_EQ(early.error().message,
            "the quarter 2026-Q4 ends on 2026-12-31, so a log of it cannot be dated before then "
            "(performed_on)");
  for (const char* bad : {"", "2026-Q5", "2026Q3", "2026-3"}) {
    log["period"] = bad;
    EXPECT_EQ(Create("deliverables", log, sm).error().field, "period") << bad;
  }
  const Json scan{{"kind", "vulnerability_scan"},
                  {"title", "Scan"},
                  {"performed_on", "2026-11-02"},
                  {"period", "2026-Q4"}};
  EXPECT_EQ(Create("deliverables", scan, sm).error().field, "period");

  const Json party = MustCreate("suppliers", {{"name", "Shredsure"}, {"kind", "subcontractor"}});
  Json site{{"name", "Warrington"}, {"country", "GB"}, {"used_for_destruction", true}};
  auto no_party = Create("sites", site);
  ASSERT_FALSE(no_party.ok());
  EXPECT_EQ(no_party.error().field, "destruction_party_id");
  site["destruction_party_id"] = party["id"];
  EXPECT_EQ(MustCreate("sites", site)["destruction_party_id"], party["id"]);
}

TEST_F(ClockRegistersTest, CertificateWithdrawal) {
  const Json party = MustCreate("suppliers", {{"name", "Stratus"}, {"kind", "subcontractor"}});
  Json cert{{"party_id", party["id"]},
            {"scheme", "cyber_essentials_plus"},
            {"certificate_number", "CE-1"},
            {"issue_date", "2026-01-10"},
            {"expiry_date", "2027-06-09"}};
  const Json valid = MustCreate("certifications", cert);
  EXPECT_EQ(valid["status"], "valid");
  EXPECT_TRUE(valid["withdrawn_date"].is_null());
  cert["certificate_number"] = "CE-2";
  cert["withdrawn_date"] = "2026-11-20";
  cert["lapse_notified_date"] = "2026-11-23";
  const Json withdrawn = MustCreate("certifications", cert);
  EXPECT_EQ(withdrawn["status"], "withdrawn");
  EXPECT_EQ(withdrawn["lapse_notified_date"], "2026-11-23");
  cert["certificate_number"] = "CE-3";
  cert["withdrawn_date"] = "2026-12-20";  // announced, not yet effective
  EXPECT_EQ(MustCreate("certifications", cert)["status"], "valid");
  cert["certificate_number"] = "CE-4";
  cert["withdrawn_date"] = "2025-12-31";
  EXPECT_EQ(Create("certifications", cert).error().field, "withdrawn_date");
}

TEST(ClockRegisterDefsTest, MenuOrderAndTables) {
  std::vector<std::string> names;
  for (const auto& d : RegisterService::Defs()) {
    names.push_back(d.name);
  }
  const auto at = [&names](const std::string& n) {
    return std::find(names.begin(), names.end(), n) - names.begin();
  };
  EXPECT_EQ(at("accreditation_events"), at("accreditation_plan") + 1);
  EXPECT_EQ(at("notifiable_events"), at("accreditation_events") + 1);
  EXPECT_EQ(at("deliverables"), at("notifiable_events") + 1);
  EXPECT_EQ(at("obligation_waivers"), at("deliverables") + 1);
  EXPECT_GT(at("accreditation_plan"), at("rcr"));
  EXPECT_EQ(RegisterService::Find("waiver"), RegisterService::Find("obligation_waivers"));
  EXPECT_EQ(Def("accreditation_events").write_action, auth::Action::kAccreditationRecord);
  EXPECT_EQ(Def("notifiable_events").label_field, "description");
}

}  // namespace
}  // namespace accredit::registers
