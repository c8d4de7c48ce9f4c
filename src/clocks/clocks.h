#pragma once

// clocks: the obligation engine (issue 4). Every duty in Schedule 2.4 with a deadline becomes an
// Obligation: clause, subject record, trigger instant, due instant, state and the consequence the
// contract attaches to a miss. The engine is a pure function of (registers, calendar, instant):
//
//   Inputs (typed snapshot of the source tables)  --rules-->  obligations  --ApplyStates(now)-->
//   states, gate
//
// One small rule per clause, all registered in one table (Rules()); the due-time semantics are
// those of docs/CLOCKS.md (Calendar::DueWithinWorkingDays, DueWithinDays, DueBy). Records dated
// after the evaluation instant are treated as not yet known, so evaluating at a past instant shows
// the contract as it stood then.
//
// Adding a rule (later issues: vulnerabilities, incidents, people, certificates, tests):
//   1. if it reads a new table, add a typed member to Inputs and a loader in inputs.cc
//      (LoadTable), and a change trigger migration (ChangeTriggerSql) for the table;
//   2. write the rule as a function (RuleContext, std::vector<Obligation>&) in a rules_*.cc file
//      and add one Rule entry to the table in rules.cc, naming the tables it reads;
//   3. test it with tests/clocks/clocks_testing.h (ScenarioBuilder: build Inputs in memory,
//      evaluate one rule at FakeClock instants, assert due instants and state changes).
// The gate, the dashboard, reminders, the iCalendar feed and the CLI pick the rule up unchanged.

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/core.h"
#include "registers/registers.h"
#include "store/store.h"

namespace accredit::clocks {

enum class State {
  kUpcoming,   // open, due later than the warning window
  kDueSoon,    // open, due inside the warning window
  kOverdue,    // open, past due
  kMetOnTime,  // met at or before the due instant
  kMetLate,    // met after the due instant
  kWaived,     // a waiver record (obligation_waivers) covers it
};
std::string_view StateName(State s);  // "upcoming", "due_soon", "overdue", "met_on_time", ...
Result<State> ParseState(std::string_view text);

inline bool IsOpen(State s) {
  return s == State::kUpcoming || s == State::kDueSoon || s == State::kOverdue;
}

// What the contract attaches to a miss (bit flags; 0 = a breach with no named consequence).
enum Consequence : unsigned {
  kNotificationDuty = 1u << 0,  // a duty to notify the Customer
  kMaterialDefault = 1u << 1,   // a material Default
  kProcessingBar = 1u << 2,     // Customer Data may not be processed on the Core IMS
  kTerminationRight = 1u << 3,  // the Customer may terminate
  kCustomerTarget = 1u << 4,    // the Customer's own target (no Provider consequence)
};

// ["notification_duty", "material_default", ...] in bit order.
std::vector<std::string_view> ConsequenceNames(unsigned c);
// "material Default; bar on processing Customer Data" (UI, sentences).
std::string ConsequenceText(unsigned c);

// The record an obligation is about: register name and id ("notifiable_events", 3), or a
// contract-level subject ("contract", 0). `label` is the record's human name.
struct Subject {
  std::string reg;
  std::int64_t id = 0;
  std::string label;
  // "/r/notifiable_events/3" (the web page of the record), or "/contract".
  std::string Href() const;
  // "notifiable_events/3"
  std::string Ref() const;
};

// A period in which an obligation met earlier is no longer met: the certificate that met it
// expired or was withdrawn and no valid one covered it yet (S2.4-6.2 "throughout", 6.3, 6.6).
struct Lapse {
  Instant from{};                  // the instant it stopped being met
  Instant until = Instant::max();  // met again from here (Instant::max(): not yet)
  std::string why;                 // "certificate ISO-1 expired 23 Oct 2026"
  std::string until_by;            // what met it again ("Certificate ISO-2")
};

struct Obligation {
  std::string clause;  // "S2.4-5.13.1"
  // Stable identity across recomputations and restarts: "<clause>/<subject ref>[/<period>]".
  // Waivers and sent reminders refer to it.
  std::string key;
  Subject subject;
  Instant trigger{};              // when the clock started
  Instant due{};                  // the deadline (docs/CLOCKS.md)
  Instant visible_from{};         // not known before this instant (usually the trigger)
  std::optional<Instant> met_at;  // when it was met (ignored when after the evaluation instant)
  std::string met_by;             // what met it ("Customer notified", "RMD version 3 issued")
  // Periods after met_at in which it is not met, by `from`; a lapse dated after the evaluation
  // instant is not yet known. A lapse that began at or before the due instant and has ended
  // moves met_at to its end (met late if that is after the due instant); once a lapse has
  // ended, met_by names what met it again.
  std::vector<Lapse> lapses;
  unsigned consequence = 0;
  bool customer_side = false;  // the Customer's duty (shown to the customer_reviewer)
  bool precondition = false;   // "before X": met or not, never "late"
  // The imperative without clause and due, e.g. "Notify the Customer of the significant
  // architecture change recorded on 3 Nov 2026".
  std::string action;

  // Set by ApplyStates.
  State state = State::kUpcoming;
  std::optional<std::int64_t> waiver_id;  // the first of waiver_ids
  std::vector<std::int64_t> waiver_ids;   // every waiver known at the instant, by agreed date
  std::string lapsed;                     // the `why` of the lapse in force, if any

  // The plain sentence: "<action> (<clause>), due Thu 5 Nov 2026 23:59" plus, once met, "; met
  // on time Wed 4 Nov 2026 10:12" (or late, or waived); during a lapse "; not met; certificate
  // ISO-1 expired 23 Oct 2026".
  std::string Text() const;
};

// ---- Inputs: a typed snapshot of the source tables -------------------------------------------

struct ContractInfo {
  std::optional<Date> effective_date;
  std::optional<Date> operational_service_commencement_date;
  std::string customer_name;
  std::string provider_name;
};

enum class AccreditationKind {
  kSubmission,
  kApproval,
  kNonApproval,
  kRejectionNotice,
  kReadyForDecision,
  kDispute,
  kTermination,
};
Result<AccreditationKind> ParseAccreditationKind(std::string_view text);
std::string_view AccreditationKindName(AccreditationKind k);

struct AccreditationEvent {
  std::int64_t id = 0;
  AccreditationKind kind = AccreditationKind::kSubmission;
  Instant at{};
  std::optional<std::int64_t> rmd_version;
  std::string reference;
};

struct NotifiableEvent {
  std::int64_t id = 0;
  std::string kind;  // architecture_change, ... (S2.4-5.13.1 to 5.13.8)
  std::string description;
  Instant became_aware_at{};
  std::optional<Instant> customer_notified_at;
  std::optional<Instant> rcr_provided_at;
  std::optional<Instant> rcr_approved_at;
};

// "S2.4-5.13.1" for "architecture_change", ...; empty for an unknown kind.
std::string_view NotifiableEventClause(std::string_view kind);
// "significant change to the Core IMS components or architecture", ...
std::string_view NotifiableEventPhrase(std::string_view kind);

struct RcrEntry {
  std::int64_t id = 0;
  std::string ref;
  std::string change;
  std::string status;  // proposed, agreed, implemented, rejected
  std::optional<Date> date_agreed;
  std::optional<Date> implementation_due_date;
  std::optional<Date> implemented_date;
  Instant created_at{};
};

struct PartyInfo {
  std::int64_t id = 0;
  std::string kind;  // customer, provider, subcontractor
  std::string name;
  bool access_to_customer_data = false;
};

struct Certification {
  std::int64_t id = 0;
  std::int64_t party_id = 0;
  std::string scheme;  // iso27001, cyber_essentials_plus, ncsc_cas_sanitisation, other
  std::string certificate_number;
  std::optional<Date> issue_date;
  std::optional<Date> expiry_date;
  std::optional<Date> provided_to_customer_date;
  std::optional<Date> withdrawn_date;
  std::optional<Date> lapse_notified_date;
};

struct Deliverable {
  std::int64_t id = 0;
  std::string kind;  // ithc, vulnerability_scan, ceo_letter, incident_log
  std::string title;
  Date performed_on{};
  std::optional<Date> provided_to_customer_date;
  // The period it covers: "2027" (a CEO's letter: the year ending 31 March 2027) or "2026-Q3"
  // (an incident log: the calendar quarter); empty for the other kinds.
  std::string period;
};

struct RmdVersion {
  std::int64_t version = 0;
  Instant issued_at{};
};

struct Site {
  std::int64_t id = 0;
  std::string name;
  bool used_for_destruction = false;
  // The party that securely destroys Customer Data there (S2.4-6.5, 6.6); unset: not recorded.
  std::optional<std::int64_t> destruction_party_id;
};

// A product of the A3-8 list (register products), for S2.4-8.5: COTS software stays in
// mainstream support unless the Customer Relationship Manager agreed otherwise in writing.
struct Product {
  std::int64_t id = 0;
  std::string label;         // "Microsoft Windows Server 2016"
  std::string product_type;  // hardware, software, firmware, service
  std::optional<Date> mainstream_support_end;
  std::optional<Date> exception_agreed_date;  // the written agreement to stay out of support
  std::string exception_reference;
  std::optional<Date> retired_date;  // removed from the Services or replaced
};

struct Waiver {
  std::int64_t id = 0;
  std::string obligation_key;
  std::string agreed_with;
  std::optional<Date> agreed_date;
};

struct Inputs {
  ContractInfo contract;
  std::vector<AccreditationEvent> accreditation_events;  // by (at, id)
  std::vector<NotifiableEvent> notifiable_events;        // by id
  std::vector<RcrEntry> rcr;                             // by id
  std::vector<PartyInfo> parties;                        // by id
  std::vector<Certification> certifications;             // by id
  std::vector<Deliverable> deliverables;                 // by (performed_on, id)
  std::vector<RmdVersion> rmd_versions;                  // by version
  std::vector<Site> sites;                               // by id
  std::vector<Product> products;                         // by id
  // By obligation key; several waivers of one obligation are all kept, by (agreed_date, id).
  std::map<std::string, std::vector<Waiver>, std::less<>> waivers;

  const PartyInfo* Party(std::int64_t id) const;
};

// The source tables the engine reads, each with a change trigger (migration 400; products 401).
const std::vector<std::string>& SourceTables();
// Loads `table` into `inputs` (replacing that part). Errors: kNotFound for an unknown table.
Status LoadTable(store::Connection& conn, std::string_view table, Inputs& inputs);
// Loads every source table in one read transaction.
Result<Inputs> LoadInputs(store::Connection& conn);

// ---- Rules ----------------------------------------------------------------------------------

// What a rule sees. `through` is the last London day the rule must generate periodic
// obligations for (the evaluation day plus the look-ahead); rules never read `now`, so their
// output depends only on the inputs and that day.
struct RuleContext {
  const Inputs& in;
  const Calendar& cal;
  Date through;
};

struct Rule {
  std::string clause;               // the clause it serves, "S2.4-5.13"
  std::string title;                // "Notify a 5.13 event within 2 Working Days"
  std::vector<std::string> tables;  // source tables it reads (incremental recompute)
  bool periodic = false;            // output depends on `through` (calendar months, years)
  void (*generate)(const RuleContext& ctx, std::vector<Obligation>& out) = nullptr;
};

// The one table of rules, in clause order.
const std::vector<Rule>& Rules();

struct Options {
  int due_soon_working_days = 5;  // the warning window
  int lookahead_days = 62;        // periodic obligations generated this far past the evaluation day
};

// Runs every rule over `inputs`. Raw obligations ordered by due instant (ties in rule-table and
// output order: deterministic); states not set.
std::vector<Obligation> Generate(const Inputs& inputs, const Calendar& cal, Date through);
// Sets state and waiver of each obligation at `now`; drops obligations not yet visible at `now`
// (visible_from > now) and forgets met_at values after `now`.
void ApplyStates(std::vector<Obligation>& obligations, const Inputs& inputs, const Calendar& cal,
                 Instant now, const Options& options);

// Whether an obligation with `key` exists: one the rules generate from the records read on
// `conn` (inside the caller's transaction, so a record written in it counts), looking a year
// past the London day of `now` so that next year's periodic obligations can be named. Only the
// rules of the key's clause run. Used by the obligation_waivers register (a waiver must name an
// obligation), installed at composition (cli::OpenApp). Errors: those of the store.
Result<bool> ObligationExists(store::Connection& conn, const Calendar& cal, Instant now,
                              std::string_view key);

// ---- The processing gate (S2.4-5.11, 5.15.1, 6.3, 6.6) --------------------------------------

struct GateReason {
  std::string clause;
  std::string text;
  Subject subject;
  std::string obligation_key;
};

struct Gate {
  bool may_process = false;
  std::vector<GateReason> reasons;  // empty when may_process
};

// "May the Core IMS process Customer Data now?": no while any precondition carrying the
// processing bar (5.11, 6.3, 6.6) is unmet (including one whose certificate has expired or been
// withdrawn since: a lapse), or any other obligation carrying it (5.15.1) is overdue; waived
// obligations do not bar.
Gate EvaluateGate(const std::vector<Obligation>& evaluated);

// ---- The engine: cached, incrementally recomputed -------------------------------------------

// Everything evaluated at one instant.
struct Snapshot {
  // The instant the states were computed at. Engine::At may return a snapshot computed earlier
  // than the instant asked for when no input changed and no state can have changed since:
  // states are the same at every instant in [now, valid_until).
  Instant now{};
  Instant valid_until{};
  std::vector<Obligation> obligations;  // sorted by due, then key
  Gate gate;
  std::uint64_t generation = 0;  // changes whenever inputs changed
};

// Thread-safe. Keeps each rule's raw output; on each evaluation it reads the change counters
// (table clock_changes, maintained by triggers on the source tables, so changes made by another
// process are seen too), reloads only the changed tables, reruns only the rules that read them
// (and the periodic rules when the evaluation day changed), then applies states.
class Engine {
 public:
  // `registers` supplies the contract calendar (reloaded when its tables change).
  Engine(store::Store& store, registers::Registers& registers, Options options = {});

  // The obligations at `now`.
  Result<std::shared_ptr<const Snapshot>> At(Instant now);

  // Counters (tests and benchmarks): rules rerun and tables reloaded since construction.
  struct Stats {
    std::uint64_t rule_runs = 0;
    std::uint64_t table_loads = 0;
  };

  Stats GetStats() const;

  const Options& GetOptions() const { return options_; }

  // Migrations (versions 400-499): the change counter table and its triggers.
  static std::vector<store::Migration> Migrations();

 private:
  Status Refresh(Instant now) ACC_REQUIRES(mu_);

  store::Store& store_;
  registers::Registers& registers_;
  Options options_;
  mutable Mutex mu_;
  Inputs inputs_ ACC_GUARDED_BY(mu_);
  std::optional<Calendar> calendar_ ACC_GUARDED_BY(mu_);
  std::map<std::string, std::int64_t> table_gen_ ACC_GUARDED_BY(mu_);
  std::vector<std::vector<Obligation>> rule_out_ ACC_GUARDED_BY(mu_);  // per rule
  std::optional<Date> through_ ACC_GUARDED_BY(mu_);
  std::uint64_t generation_ ACC_GUARDED_BY(mu_) = 0;
  std::shared_ptr<const Snapshot> last_ ACC_GUARDED_BY(mu_);
  Stats stats_ ACC_GUARDED_BY(mu_);
};

// ---- Filters used by the CLI, API and UI ----------------------------------------------------

struct Filter {
  std::optional<State> state;
  bool open_only = false;
  bool overdue_only = false;
  std::optional<int> due_within_working_days;  // open and due within N WD of now
  std::optional<int> due_within_days;          // open and due within N days of now
  std::string clause_prefix;                   // "5.13" or "S2.4-5.13" (matches 5.13.x)
  bool customer_side_only = false;
};

// Parses "10wd" / "10d" into the filter. Error names "due-within".
Status ParseDueWithin(std::string_view text, Filter& filter);

// Matches obligations against `f` at `now`; the due bound and clause prefix are computed once,
// so filtering 100,000s of obligations costs a few comparisons each. `f` must outlive it.
class Matcher {
 public:
  Matcher(const Filter& f, const Calendar& cal, Instant now);
  bool operator()(const Obligation& o) const;

 private:
  const Filter& f_;
  std::optional<Instant> due_until_;
  std::string prefix_;      // "S2.4-5.13"
  std::string prefix_dot_;  // "S2.4-5.13."
};

// One-off convenience over Matcher.
bool Matches(const Obligation& o, const Filter& f, const Calendar& cal, Instant now);

// JSON of an obligation (API, CLI --json): clause, key, subject {register, id, label, href},
// trigger/due/met_at (ISO 8601 Europe/London with offset), state, consequence (names),
// consequence_text, text, customer_side, precondition, waiver_id.
nlohmann::json ObligationToJson(const Obligation& o);
nlohmann::json GateToJson(const Gate& g);

}  // namespace accredit::clocks
