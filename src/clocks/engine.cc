// States, the processing gate, the cached incremental engine, filters and JSON.

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdio>
#include <exception>
#include <mutex>
#include <set>
#include <thread>
#include <utility>

#include "clocks/clocks.h"
#include "clocks/internal.h"

namespace accredit::clocks {

namespace chr = std::chrono;

// ---- internal date helpers -------------------------------------------------------------------

namespace internal {

std::string HumanDate(Date d) {
  // Formatted by hand: it runs once or twice per obligation (snprintf showed in profiles).
  static constexpr std::array<std::string_view, 12> kMonths = {
      "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const unsigned day = static_cast<unsigned>(d.day());
  const int year = static_cast<int>(d.year());
  std::string out;
  out.reserve(12);
  if (day >= 10) {
    out.push_back(static_cast<char>('0' + day / 10));
  }
  out.push_back(static_cast<char>('0' + day % 10));
  out.push_back(' ');
  out.append(kMonths[static_cast<unsigned>(d.month()) - 1U]);
  out.push_back(' ');
  out.append(std::to_string(year));
  return out;
}

Date AddMonths(Date d, int n) {
  const chr::year_month ym = chr::year_month(d.year(), d.month()) + chr::months(n);
  const chr::day last = chr::year_month_day_last(ym.year(), chr::month_day_last(ym.month())).day();
  return Date(ym.year(), ym.month(), std::min(d.day(), last));
}

Date AddYears(Date d, int n) {
  return AddMonths(d, 12 * n);
}

Date AddDays(Date d, int n) {
  return Date(chr::sys_days(d) + chr::days(n));
}

Date MonthStart(Date d) {
  return Date(d.year(), d.month(), chr::day(1));
}

Date MonthEnd(Date d) {
  return Date(chr::year_month_day_last(d.year(), chr::month_day_last(d.month())));
}

}  // namespace internal

// ---- names -----------------------------------------------------------------------------------

namespace {

constexpr std::array<std::pair<State, std::string_view>, 6> kStateNames = {{
    {State::kUpcoming, "upcoming"},
    {State::kDueSoon, "due_soon"},
    {State::kOverdue, "overdue"},
    {State::kMetOnTime, "met_on_time"},
    {State::kMetLate, "met_late"},
    {State::kWaived, "waived"},
}};

constexpr std::array<std::pair<unsigned, std::string_view>, 5> kConsequenceNames = {{
    {kNotificationDuty, "notification_duty"},
    {kMaterialDefault, "material_default"},
    {kProcessingBar, "processing_bar"},
    {kTerminationRight, "termination_right"},
    {kCustomerTarget, "customer_target"},
}};

constexpr std::array<std::pair<unsigned, std::string_view>, 5> kConsequenceTexts = {{
    {kNotificationDuty, "notification duty"},
    {kMaterialDefault, "material Default"},
    {kProcessingBar, "bar on processing Customer Data"},
    {kTerminationRight, "Customer may terminate"},
    {kCustomerTarget, "the Customer's target"},
}};

constexpr std::array<std::pair<AccreditationKind, std::string_view>, 7> kKindNames = {{
    {AccreditationKind::kSubmission, "submission"},
    {AccreditationKind::kApproval, "approval"},
    {AccreditationKind::kNonApproval, "non_approval"},
    {AccreditationKind::kRejectionNotice, "rejection_notice"},
    {AccreditationKind::kReadyForDecision, "ready_for_decision"},
    {AccreditationKind::kDispute, "dispute"},
    {AccreditationKind::kTermination, "termination"},
}};

struct EventKind {
  std::string_view name;
  std::string_view clause;
  std::string_view phrase;
};

constexpr std::array<EventKind, 8> kEventKinds = {{
    {"architecture_change", "S2.4-5.13.1",
     "significant change to the Core IMS components or architecture"},
    {"new_risk_or_vulnerability", "S2.4-5.13.2", "new risk or vulnerability"},
    {"threat_profile_change", "S2.4-5.13.3", "change in the threat profile"},
    {"subcontractor_coc_failure", "S2.4-5.13.4",
     "sub-contractor failing to comply with the code of connection"},
    {"risk_component_change", "S2.4-5.13.5", "significant change to a risk component"},
    {"personal_data_quantity_change", "S2.4-5.13.6",
     "significant change in the quantity of Personal Data held"},
    {"site_change_proposal", "S2.4-5.13.7", "proposal to change a Site"},
    {"iso27001_audit_concerns", "S2.4-5.13.8",
     "ISO/IEC 27001 audit report with significant concerns"},
}};

}  // namespace

std::string_view StateName(State s) {
  for (const auto& [state, name] : kStateNames) {
    if (state == s) {
      return name;
    }
  }
  return "unknown";
}

Result<State> ParseState(std::string_view text) {
  for (const auto& [state, name] : kStateNames) {
    if (name == text) {
      return state;
    }
  }
  return Err(ErrorCode::kInvalidArgument,
             "state: must be one of upcoming, due_soon, overdue, met_on_time, met_late, waived",
             "state");
}

std::vector<std::string_view> ConsequenceNames(unsigned c) {
  std::vector<std::string_view> out;
  for (const auto& [bit, name] : kConsequenceNames) {
    if ((c & bit) != 0) {
      out.push_back(name);
    }
  }
  return out;
}

std::string ConsequenceText(unsigned c) {
  std::string out;
  for (const auto& [bit, text] : kConsequenceTexts) {
    if ((c & bit) != 0) {
      if (!out.empty()) {
        out += "; ";
      }
      out += text;
    }
  }
  return out.empty() ? std::string("breach of the schedule") : out;
}

Result<AccreditationKind> ParseAccreditationKind(std::string_view text) {
  for (const auto& [kind, name] : kKindNames) {
    if (name == text) {
      return kind;
    }
  }
  return Err(ErrorCode::kInvalidArgument, "kind: not an accreditation event kind", "kind");
}

std::string_view AccreditationKindName(AccreditationKind k) {
  for (const auto& [kind, name] : kKindNames) {
    if (kind == k) {
      return name;
    }
  }
  return "unknown";
}

std::string_view NotifiableEventClause(std::string_view kind) {
  for (const EventKind& k : kEventKinds) {
    if (k.name == kind) {
      return k.clause;
    }
  }
  return {};
}

std::string_view NotifiableEventPhrase(std::string_view kind) {
  for (const EventKind& k : kEventKinds) {
    if (k.name == kind) {
      return k.phrase;
    }
  }
  return "notifiable event";
}

std::string Subject::Href() const {
  if (reg == "contract") {
    return "/contract";
  }
  if (reg == "rmd_versions") {
    return "/documents";
  }
  return "/r/" + reg + "/" + std::to_string(id);
}

std::string Subject::Ref() const {
  return reg + "/" + std::to_string(id);
}

std::string Obligation::Text() const {
  std::string out = action + " (" + clause + "), due " + FormatHumanLondon(due);
  switch (state) {
    case State::kMetOnTime:
      out += precondition || !met_at ? "; met" : "; met on time " + FormatHumanLondon(*met_at);
      break;
    case State::kMetLate:
      out += "; met late " + (met_at ? FormatHumanLondon(*met_at) : std::string());
      break;
    case State::kWaived:
      out += "; waived";
      break;
    case State::kOverdue:
      out += precondition ? "; not met" : "; overdue";
      break;
    case State::kUpcoming:
    case State::kDueSoon:
      break;
  }
  if (!lapsed.empty()) {
    out += "; " + lapsed;
  }
  return out;
}

// ---- states ----------------------------------------------------------------------------------

namespace {

// Applies the lapses known at `now` (see Obligation::lapses): a lapse in force unsets met_at
// and names its cause; one that began at or before the due instant and has ended moves met_at
// to its end (a party certified again after the deadline is late).
void ApplyLapses(Obligation& o, Instant now) {
  o.lapsed.clear();
  if (!o.met_at) {
    return;
  }
  for (const Lapse& l : o.lapses) {
    if (l.from > now) {
      break;  // not yet known
    }
    if (now < l.until) {
      o.met_at.reset();
      o.met_by.clear();
      o.lapsed = l.why;
      return;
    }
    if (l.from <= o.due) {
      o.met_at = l.until;
    }
    o.met_by = l.until_by;  // what meets it now
  }
}

}  // namespace

void ApplyStates(std::vector<Obligation>& obligations, const Inputs& inputs, const Calendar& cal,
                 Instant now, const Options& options) {
  // The end of the warning window: obligations due at or before it are "due soon".
  const Instant soon_until = cal.DueWithinWorkingDays(now, options.due_soon_working_days);
  const Date today = LondonDate(now);
  std::erase_if(obligations, [now](const Obligation& o) { return o.visible_from > now; });
  for (Obligation& o : obligations) {
    if (o.met_at && *o.met_at > now) {
      o.met_at.reset();
      o.met_by.clear();
    }
    if (!o.lapses.empty()) {
      ApplyLapses(o, now);
    }
    o.waiver_id.reset();
    o.waiver_ids.clear();
    if (!inputs.waivers.empty()) {
      auto it = inputs.waivers.find(o.key);
      if (it != inputs.waivers.end()) {
        // Several waivers of one obligation combine: each one agreed by the evaluation day
        // counts (one agreed later is not yet known then), the earliest first.
        for (const Waiver& w : it->second) {
          if (!w.agreed_date || *w.agreed_date <= today) {
            o.waiver_ids.push_back(w.id);
          }
        }
        if (!o.waiver_ids.empty()) {
          o.waiver_id = o.waiver_ids.front();
        }
      }
    }
    if (o.met_at) {
      o.state = (o.precondition || *o.met_at <= o.due) ? State::kMetOnTime : State::kMetLate;
    } else if (o.waiver_id) {
      o.state = State::kWaived;
    } else if (now > o.due) {
      o.state = State::kOverdue;
    } else if (o.due <= soon_until) {
      o.state = State::kDueSoon;
    } else {
      o.state = State::kUpcoming;
    }
  }
}

Gate EvaluateGate(const std::vector<Obligation>& evaluated) {
  Gate gate;
  for (const Obligation& o : evaluated) {
    // A precondition bars processing until it is met; any other obligation carrying the bar
    // (S2.4-5.15.1) bars it once overdue.
    const bool barring = o.precondition ? IsOpen(o.state) : o.state == State::kOverdue;
    if ((o.consequence & kProcessingBar) != 0 && barring) {
      // The bar of an unimplemented RCR change is its own sub-clause (5.15.1).
      const std::string clause = o.clause == "S2.4-5.15" ? "S2.4-5.15.1" : o.clause;
      gate.reasons.push_back(GateReason{clause, o.Text(), o.subject, o.key});
    }
  }
  std::sort(gate.reasons.begin(), gate.reasons.end(), [](const GateReason& a, const GateReason& b) {
    return std::tie(a.clause, a.obligation_key) < std::tie(b.clause, b.obligation_key);
  });
  gate.may_process = gate.reasons.empty();
  return gate;
}

namespace {

// Runs rules[i] into outs[i] for each i in `which`, on up to hardware_concurrency threads: rules
// are pure functions of const inputs (Calendar's const methods and the tz lookups are safe to call
// concurrently), so they parallelise without locks. The output does not depend on the thread
// count.
void RunRules(const std::vector<Rule>& rules, const std::vector<std::size_t>& which,
              const RuleContext& ctx, std::vector<std::vector<Obligation>>& outs) {
  const unsigned hw = std::max(1U, std::thread::hardware_concurrency());
  const std::size_t threads = std::min<std::size_t>(hw, which.size());
  std::atomic<std::size_t> next{0};
  // Each worker's catch boundary: an exception (bad_alloc, say) is carried to the calling
  // thread and rethrown there, where the request's own boundary answers it, instead of ending
  // the process from a pool thread.
  Mutex failure_mu;
  std::exception_ptr failure;
  auto work = [&] {
    try {
      for (std::size_t k = next.fetch_add(1); k < which.size(); k = next.fetch_add(1)) {
        rules[which[k]].generate(ctx, outs[which[k]]);
      }
    } catch (...) {
      MutexLock lock(failure_mu);
      if (!failure) {
        failure = std::current_exception();
      }
      next.store(which.size());
    }
  };
  std::vector<std::thread> pool;
  for (std::size_t t = 1; t < threads; ++t) {
    pool.emplace_back(work);
  }
  work();
  for (std::thread& t : pool) {
    t.join();
  }
  if (failure) {
    std::rethrow_exception(failure);
  }
}

// Every obligation of `parts` in one vector ordered by due instant; ties keep the part order
// (the rule table's) and each part's order, so the result is deterministic. Sorts compact
// (due, part, index) keys, then copies (or moves) each obligation once into place: sorting the
// large obligations themselves, or permuting them afterwards, was dominated by cache misses at
// 1M obligations.
template <typename Parts>
std::vector<Obligation> CollectByDueImpl(Parts&& parts, bool move) {
  struct Key {
    std::int64_t due;
    std::uint32_t part;
    std::uint32_t index;
  };

  std::vector<Key> keys;
  std::size_t total = 0;
  for (const auto& part : parts) {
    total += part.size();
  }
  keys.reserve(total);
  for (std::uint32_t p = 0; p < parts.size(); ++p) {
    for (std::uint32_t i = 0; i < parts[p].size(); ++i) {
      keys.push_back(Key{parts[p][i].due.time_since_epoch().count(), p, i});
    }
  }
  std::sort(keys.begin(), keys.end(), [](const Key& a, const Key& b) {
    return std::tie(a.due, a.part, a.index) < std::tie(b.due, b.part, b.index);
  });
  std::vector<Obligation> out;
  out.reserve(total);
  for (const Key& k : keys) {
    if (move) {
      out.push_back(std::move(parts[k.part][k.index]));
    } else {
      out.push_back(parts[k.part][k.index]);
    }
  }
  return out;
}

}  // namespace

std::vector<Obligation> Generate(const Inputs& inputs, const Calendar& cal, Date through) {
  std::vector<std::vector<Obligation>> parts(Rules().size());
  std::vector<std::size_t> all(parts.size());
  for (std::size_t i = 0; i < all.size(); ++i) {
    all[i] = i;
  }
  RunRules(Rules(), all, RuleContext{inputs, cal, through}, parts);
  return CollectByDueImpl(parts, /*move=*/true);
}

namespace {

// "S2.4-5.13" serves "S2.4-5.13" and "S2.4-5.13.1" (a rule's clause is the obligation's clause
// or a parent of it).
bool Serves(std::string_view rule_clause, std::string_view clause) {
  return clause == rule_clause ||
         (clause.size() > rule_clause.size() &&
          clause.substr(0, rule_clause.size()) == rule_clause && clause[rule_clause.size()] == '.');
}

}  // namespace

Result<bool> ObligationExists(store::Connection& conn, const Calendar& cal, Instant now,
                              std::string_view key) {
  const std::string_view clause = key.substr(0, key.find('/'));
  std::vector<std::size_t> which;
  std::set<std::string> tables;
  const auto& rules = Rules();
  for (std::size_t i = 0; i < rules.size(); ++i) {
    if (Serves(rules[i].clause, clause)) {
      which.push_back(i);
      tables.insert(rules[i].tables.begin(), rules[i].tables.end());
    }
  }
  if (which.empty()) {
    return false;
  }
  Inputs inputs;
  for (const std::string& table : tables) {
    ACC_RETURN_IF_ERROR(LoadTable(conn, table, inputs));
  }
  // A year ahead: next year's CEO letter, quarters and months may be waived in advance.
  const RuleContext ctx{inputs, cal, internal::AddDays(LondonDate(now), 366)};
  std::vector<std::vector<Obligation>> outs(rules.size());
  for (std::size_t i : which) {
    rules[i].generate(ctx, outs[i]);
    for (const Obligation& o : outs[i]) {
      if (o.key == key) {
        return true;
      }
    }
  }
  return false;
}

// ---- engine ----------------------------------------------------------------------------------

namespace {

std::string ChangeTriggerSql(const std::string& table) {
  std::string sql;
  for (const char* op : {"INSERT", "UPDATE", "DELETE"}) {
    const std::string name = "clock_change_" + table + "_" + std::string(op);
    sql += "CREATE TRIGGER \"" + name + "\" AFTER " + op + " ON \"" + table +
           "\" BEGIN UPDATE clock_changes SET gen = gen + 1 WHERE tbl = '" + table + "'; END;";
  }
  sql += "INSERT INTO clock_changes (tbl, gen) VALUES ('" + table + "', 1);";
  return sql;
}

// Issued RMD versions are append-only and their table (reports, migration 700) is created after
// this module's migrations run, so it has no trigger: its row count is its change counter.
constexpr std::string_view kAppendOnlyTable = "rmd_versions";

// Source tables added after migration 400 was released, each with the migration that gives it
// its trigger (migration 400 must keep the text it was released with).
struct LaterTable {
  int version;
  std::string_view table;
  std::string_view name;
};

constexpr std::array<LaterTable, 1> kLaterTables = {
    {{401, "products", "clocks: change counter of products (S2.4-8.5)"}}};

bool IsLaterTable(std::string_view table) {
  return std::any_of(kLaterTables.begin(), kLaterTables.end(),
                     [table](const LaterTable& t) { return t.table == table; });
}

}  // namespace

std::vector<store::Migration> Engine::Migrations() {
  std::string sql = "CREATE TABLE clock_changes (tbl TEXT PRIMARY KEY, gen INTEGER NOT NULL);";
  for (const std::string& table : SourceTables()) {
    if (table != kAppendOnlyTable && !IsLaterTable(table)) {
      sql += ChangeTriggerSql(table);
    }
  }
  std::vector<store::Migration> out = {
      {400, "clocks: change counters of the obligation engine's source tables", sql}};
  for (const LaterTable& t : kLaterTables) {
    out.push_back({t.version, std::string(t.name), ChangeTriggerSql(std::string(t.table))});
  }
  return out;
}

Engine::Engine(store::Store& store, registers::Registers& registers, Options options)
    : store_(store), registers_(registers), options_(options), rule_out_(Rules().size()) {}

Engine::Stats Engine::GetStats() const {
  MutexLock lock(mu_);
  return stats_;
}

Status Engine::Refresh(Instant now) {
  ACC_ASSIGN_OR_RETURN(auto conn, store_.Acquire());
  ACC_ASSIGN_OR_RETURN(auto tx, conn->Begin(store::TxMode::kRead));
  std::map<std::string, std::int64_t> gens;
  ACC_RETURN_IF_ERROR(
      conn->ForEach("SELECT tbl, gen FROM clock_changes", {}, [&](const store::RowView& r) {
        gens.emplace(std::string(r.Text(0)), r.Int(1));
        return Status::Ok();
      }));
  ACC_RETURN_IF_ERROR(
      conn->ForEach("SELECT count(*) FROM rmd_versions", {}, [&](const store::RowView& r) {
        gens.emplace(std::string(kAppendOnlyTable), r.Int(0));
        return Status::Ok();
      }));
  std::set<std::string> changed;
  for (const auto& [table, gen] : gens) {
    auto it = table_gen_.find(table);
    if (it == table_gen_.end() || it->second != gen) {
      changed.insert(table);
    }
  }
  for (const std::string& table : changed) {
    ACC_RETURN_IF_ERROR(LoadTable(*conn, table, inputs_));
    ++stats_.table_loads;
  }
  ACC_RETURN_IF_ERROR(tx.Commit());
  conn.reset();

  const bool calendar_changed = !calendar_ || changed.count("contract") != 0 ||
                                changed.count("contract_closure_days") != 0 ||
                                changed.count("calendar_imported_holidays") != 0;
  if (calendar_changed) {
    ACC_ASSIGN_OR_RETURN(auto cal, registers_.LoadCalendar());
    calendar_ = std::move(cal);
  }
  const Date through = internal::AddDays(LondonDate(now), options_.lookahead_days);
  const bool day_changed = !through_ || *through_ != through;
  const auto& rules = Rules();
  std::vector<std::size_t> rerun;
  for (std::size_t i = 0; i < rules.size(); ++i) {
    bool stale = calendar_changed || (rules[i].periodic && day_changed);
    for (const std::string& table : rules[i].tables) {
      stale = stale || changed.count(table) != 0;
    }
    if (stale) {
      const std::size_t previous = rule_out_[i].size();
      rule_out_[i].clear();
      rule_out_[i].reserve(previous + previous / 8);
      rerun.push_back(i);
    }
  }
  RunRules(rules, rerun, RuleContext{inputs_, *calendar_, through}, rule_out_);
  stats_.rule_runs += rerun.size();
  const bool any = !rerun.empty();
  table_gen_ = std::move(gens);
  through_ = through;
  if (any || changed.count("obligation_waivers") != 0) {
    ++generation_;
  }
  return Status::Ok();
}

Result<std::shared_ptr<const Snapshot>> Engine::At(Instant now) {
  MutexLock lock(mu_);
  ACC_RETURN_IF_ERROR(Refresh(now));
  // Reuse the last snapshot while nothing changed and no state can have changed since it was
  // computed (see Snapshot::valid_until): a dashboard under load then costs no recomputation.
  if (last_ && last_->generation == generation_ && now >= last_->now && now < last_->valid_until) {
    return last_;
  }
  auto snap = std::make_shared<Snapshot>();
  snap->now = now;
  snap->generation = generation_;
  // The next instant at which a state can change: the next London midnight (the due-soon window
  // moves by day), a due instant passing, an obligation becoming visible, a recorded met_at.
  Instant valid_until = LondonStartOfDay(internal::AddDays(LondonDate(now), 1));
  for (const auto& out : rule_out_) {
    for (const Obligation& o : out) {
      if (o.visible_from > now) {
        valid_until = std::min(valid_until, o.visible_from);
      }
      if (o.met_at && *o.met_at > now) {
        valid_until = std::min(valid_until, *o.met_at);
      }
      if (o.due >= now) {
        valid_until = std::min(valid_until, o.due + chr::milliseconds(1));
      }
      for (const Lapse& l : o.lapses) {
        if (l.from > now) {
          valid_until = std::min(valid_until, l.from);
        } else if (l.until > now) {
          valid_until = std::min(valid_until, l.until);
        }
      }
    }
  }
  snap->valid_until = valid_until;
  snap->obligations = CollectByDueImpl(rule_out_, /*move=*/false);
  ApplyStates(snap->obligations, inputs_, *calendar_, now, options_);
  snap->gate = EvaluateGate(snap->obligations);
  last_ = snap;
  return std::shared_ptr<const Snapshot>(std::move(snap));
}

// ---- filters and JSON ------------------------------------------------------------------------

Status ParseDueWithin(std::string_view text, Filter& filter) {
  const auto bad = [&] {
    return Err(
        ErrorCode::kInvalidArgument,
        "due-within: expected a number of Working Days (\"10wd\") or days (\"10d\"), got \"" +
            std::string(text) + "\"",
        "due-within");
  };
  std::size_t i = 0;
  int n = 0;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9' && i < 5) {
    n = n * 10 + (text[i] - '0');
    ++i;
  }
  if (i == 0) {
    return bad();
  }
  const std::string_view unit = text.substr(i);
  if (unit == "wd") {
    filter.due_within_working_days = n;
  } else if (unit == "d") {
    filter.due_within_days = n;
  } else {
    return bad();
  }
  return Status::Ok();
}

Matcher::Matcher(const Filter& f, const Calendar& cal, Instant now) : f_(f) {
  if (f.due_within_working_days) {
    due_until_ = cal.DueWithinWorkingDays(now, *f.due_within_working_days);
  }
  if (f.due_within_days) {
    const Instant until = Calendar::DueWithinDays(now, *f.due_within_days);
    due_until_ = due_until_ ? std::min(*due_until_, until) : until;
  }
  if (!f.clause_prefix.empty()) {
    prefix_ = f.clause_prefix.rfind("S2.4-", 0) == 0 ? f.clause_prefix : "S2.4-" + f.clause_prefix;
    prefix_dot_ = prefix_ + ".";
  }
}

bool Matcher::operator()(const Obligation& o) const {
  if (f_.state && o.state != *f_.state) {
    return false;
  }
  const bool open = IsOpen(o.state);
  if ((f_.open_only && !open) || (f_.overdue_only && o.state != State::kOverdue) ||
      (f_.customer_side_only && !o.customer_side)) {
    return false;
  }
  if (due_until_ && (!open || o.due > *due_until_)) {
    return false;
  }
  if (!prefix_.empty()) {
    const std::string_view clause = o.clause;
    if (clause != prefix_ && clause.rfind(prefix_dot_, 0) != 0) {
      return false;
    }
  }
  return true;
}

bool Matches(const Obligation& o, const Filter& f, const Calendar& cal, Instant now) {
  return Matcher(f, cal, now)(o);
}

nlohmann::json ObligationToJson(const Obligation& o) {
  nlohmann::json j;
  j["clause"] = o.clause;
  j["key"] = o.key;
  j["subject"] = {{"register", o.subject.reg},
                  {"id", o.subject.id},
                  {"label", o.subject.label},
                  {"href", o.subject.Href()}};
  j["trigger"] = FormatInstantLondon(o.trigger);
  j["due"] = FormatInstantLondon(o.due);
  j["met_at"] = o.met_at ? nlohmann::json(FormatInstantLondon(*o.met_at)) : nlohmann::json();
  j["met_by"] = o.met_by;
  j["state"] = StateName(o.state);
  nlohmann::json cons = nlohmann::json::array();
  for (std::string_view c : ConsequenceNames(o.consequence)) {
    cons.push_back(c);
  }
  j["consequence"] = std::move(cons);
  j["consequence_text"] = ConsequenceText(o.consequence);
  j["text"] = o.Text();
  j["customer_side"] = o.customer_side;
  j["precondition"] = o.precondition;
  j["waiver_id"] = o.waiver_id ? nlohmann::json(*o.waiver_id) : nlohmann::json();
  j["waiver_ids"] = o.waiver_ids;
  j["lapsed"] = o.lapsed.empty() ? nlohmann::json() : nlohmann::json(o.lapsed);
  return j;
}

nlohmann::json GateToJson(const Gate& g) {
  nlohmann::json reasons = nlohmann::json::array();
  for (const GateReason& r : g.reasons) {
    reasons.push_back({{"clause", r.clause},
                       {"text", r.text},
                       {"obligation_key", r.obligation_key},
                       {"subject",
                        {{"register", r.subject.reg},
                         {"id", r.subject.id},
                         {"label", r.subject.label},
                         {"href", r.subject.Href()}}}});
  }
  return {{"may_process", g.may_process}, {"reasons", std::move(reasons)}};
}

}  // namespace accredit::clocks
