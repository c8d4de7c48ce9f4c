// Obligations in the web UI (issue 4, points 5 and 6): the obligations part of the dashboard
// (the processing gate, counts, the overdue and due-soon lists, a per-clause status table, a
// timeline of the coming weeks and the customer reviewer's "Awaiting your decision") and the
// /obligations page (filters, evaluation at any instant, a paginated table).
//
// Speed (issue goal: the dashboard p50 < 50 ms with 100,000 open obligations): each view is one
// pass over the engine's cached snapshot with every bound computed once before it (a Working Day
// bound is a calendar walk, a clause prefix a string: neither is built per obligation). The
// expensive parts (Obligation::Text(), London formatting) run only for the few items shown, and
// no query runs per item.

#include <algorithm>
#include <array>
#include <iterator>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "clocks/clocks.h"
#include "http/internal.h"

namespace accredit::http::internal {

namespace {

namespace chr = std::chrono;
using clocks::Obligation;
using clocks::State;

constexpr std::size_t kListCap = 20;  // items in each dashboard list
constexpr int kSoonWorkingDays = 10;  // "due in the next 10 Working Days"
constexpr int kTimelineWeeks = 8;
constexpr std::size_t kWeekItems = 3;  // items named per timeline week
constexpr int kPageSize = 50;          // rows of the obligations page

constexpr std::array<State, 6> kStates = {State::kUpcoming,  State::kDueSoon, State::kOverdue,
                                          State::kMetOnTime, State::kMetLate, State::kWaived};

std::size_t StateIndex(State s) {
  return static_cast<std::size_t>(s);
}

std::string_view StateLabel(State s, bool precondition) {
  switch (s) {
    case State::kUpcoming:
      return "Upcoming";
    case State::kDueSoon:
      return "Due soon";
    case State::kOverdue:
      return precondition ? "Not met" : "Overdue";
    case State::kMetOnTime:
      return precondition ? "Met" : "Met on time";
    case State::kMetLate:
      return "Met late";
    case State::kWaived:
      return "Waived";
  }
  return "Unknown";
}

std::string_view StateBadge(State s) {
  switch (s) {
    case State::kOverdue:
      return "red";
    case State::kDueSoon:
    case State::kMetLate:
      return "amber";
    case State::kMetOnTime:
      return "green";
    case State::kUpcoming:
      return "blue";
    case State::kWaived:
      return "grey";
  }
  return "grey";
}

std::string Count(std::int64_t n) {
  return std::to_string(n);
}

// Natural order of clause ids: "S2.4-5.5" < "S2.4-5.13.1" < "S2.4-10.1".
bool ClauseLess(std::string_view a, std::string_view b) {
  std::size_t i = 0;
  std::size_t j = 0;
  const auto digit = [](char c) {
    return c >= '0' && c <= '9';
  };
  while (i < a.size() && j < b.size()) {
    if (digit(a[i]) && digit(b[j])) {
      std::size_t ie = i;
      std::size_t je = j;
      while (ie < a.size() && digit(a[ie])) {
        ++ie;
      }
      while (je < b.size() && digit(b[je])) {
        ++je;
      }
      const std::string_view na = a.substr(i, ie - i);
      const std::string_view nb = b.substr(j, je - j);
      if (na.size() != nb.size()) {
        return na.size() < nb.size();  // no leading zeros in clause numbers
      }
      if (na != nb) {
        return na < nb;
      }
      i = ie;
      j = je;
      continue;
    }
    if (a[i] != b[j]) {
      return a[i] < b[j];
    }
    ++i;
    ++j;
  }
  return a.size() - i < b.size() - j;
}

// One shown obligation. Text() and the London formatting happen here, for shown items only.
Data ItemData(const Obligation& o) {
  Data x;
  x.set("state", std::string(clocks::StateName(o.state)));
  x.set("state_label", std::string(StateLabel(o.state, o.precondition)));
  x.set("badge", std::string(StateBadge(o.state)));
  x.set("due", FormatHumanLondon(o.due));
  x.set("due_iso", FormatInstantLondon(o.due));
  x.set("text", o.Text());
  x.set("clause", o.clause);
  x.set("href", o.subject.Href());
  x.set("label", o.subject.label);
  x.set("consequence", clocks::ConsequenceText(o.consequence));
  x.set("material", (o.consequence & clocks::kMaterialDefault) != 0);
  x.set("customer_side", o.customer_side);
  return x;
}

Data ItemList(const std::vector<const Obligation*>& items) {
  Data list{Data::type::list};
  for (const Obligation* o : items) {
    list.push_back(ItemData(*o));
  }
  return list;
}

// "see all" beyond a capped list: {count, href}, or false when nothing was left out.
Data More(std::int64_t total, std::size_t shown, const std::string& href) {
  if (total <= static_cast<std::int64_t>(shown)) {
    return Data{false};
  }
  Data m;
  m.set("count", Count(total - static_cast<std::int64_t>(shown)));
  m.set("href", href);
  return m;
}

// The titles of the rules serving `clause` (a rule for "S2.4-5.13" serves "S2.4-5.13.1").
std::string RuleTitles(std::string_view clause) {
  std::string out;
  for (const clocks::Rule& r : clocks::Rules()) {
    const std::string_view rc = r.clause;
    if (clause == rc || (clause.size() > rc.size() && clause.substr(0, rc.size()) == rc &&
                         clause[rc.size()] == '.')) {
      if (out.find(r.title) == std::string::npos) {
        out += (out.empty() ? "" : "; ") + r.title;
      }
    }
  }
  return out;
}

Date MondayOf(Date d) {
  const chr::sys_days day(d);
  const chr::weekday wd(day);
  return day - (wd - chr::Monday);
}

Data GateData(const clocks::Gate& all, const ObligationScope& visible) {
  std::int64_t hidden = 0;
  const clocks::Gate gate = visible.Visible(all, hidden);
  Data g;
  g.set("may_process", gate.may_process);
  g.set("reason_count", Count(static_cast<std::int64_t>(all.reasons.size())));
  if (hidden > 0) {
    g.set("hidden_reasons", Count(hidden));
  }
  Data reasons{Data::type::list};
  for (const clocks::GateReason& r : gate.reasons) {
    Data x;
    x.set("clause", r.clause);
    x.set("text", r.text);
    x.set("href", r.subject.Href());
    x.set("label", r.subject.label);
    reasons.push_back(x);
  }
  g.set("reasons", reasons);
  return g;
}

// Notifiable events whose updated RCR was provided and is not yet approved (S2.4-5.14): the
// customer reviewer's decision. One list query (most recent first; nulls sort last, so the scan
// stops at the first event without a provided RCR).
struct AwaitingList {
  Data items{Data::type::list};
  std::int64_t count = 0;
};

AwaitingList AwaitingRcr(Context& ctx, const Authn& who) {
  AwaitingList out;
  const registers::RegisterDef* def = registers::RegisterService::Find("notifiable_events");
  if (def == nullptr) {
    return out;
  }
  registers::ListQuery q;
  q.filters["rcr_approved_at"] = "";  // IS NULL
  q.sort = "-rcr_provided_at";
  q.limit = static_cast<int>(kListCap);
  auto found = ctx.Svc().register_service.List(who.principal, *def, q);
  if (!found) {
    return out;
  }
  for (const auto& item : found->items) {
    const auto provided = item.find("rcr_provided_at");
    if (provided == item.end() || !provided->is_string()) {
      break;
    }
    auto at = ParseInstant(provided->get<std::string>(), "rcr_provided_at");
    Data x;
    const std::int64_t id = item.value("id", std::int64_t{0});
    x.set("href", "/r/notifiable_events/" + std::to_string(id));
    x.set("label", item.value("description", std::string("notifiable event")));
    x.set("clause", std::string(clocks::NotifiableEventClause(item.value("kind", std::string()))));
    x.set("provided", at ? FormatHumanLondon(*at) : provided->get<std::string>());
    out.items.push_back(x);
    ++out.count;
  }
  return out;
}

}  // namespace

Status AuthorizeObligations(const auth::Principal& who) {
  ACC_RETURN_IF_ERROR(auth::Authorize(who, auth::Action::kDashboardRead));
  if (who.role == auth::Role::kSubcontractor) {
    return Err(ErrorCode::kPermissionDenied,
               "role subcontractor may not read the contract's obligations: a sub-contractor's "
               "access is limited to its own supplier's records",
               "", "user '" + who.username + "' refused the contract-wide obligations");
  }
  return Status::Ok();
}

ObligationScope::ObligationScope(const auth::Principal& who) {
  for (const registers::RegisterDef& def : registers::RegisterService::Defs()) {
    if (auth::Authorize(who, def.read_action).ok()) {
      readable_.insert(def.name);
    } else {
      all_ = false;
    }
  }
  // Subjects that are not registers: the contract itself, issued RMD versions, suppliers.
  for (const auto& [reg, action] : {std::pair{"contract", auth::Action::kContractRead},
                                    std::pair{"rmd_versions", auth::Action::kDocumentRead},
                                    std::pair{"suppliers", auth::Action::kSupplierRead},
                                    std::pair{"parties", auth::Action::kSupplierRead}}) {
    if (registers::RegisterService::Find(reg) != nullptr) {
      continue;
    }
    if (auth::Authorize(who, action).ok()) {
      readable_.insert(reg);
    } else {
      all_ = false;
    }
  }
}

clocks::Gate ObligationScope::Visible(const clocks::Gate& gate, std::int64_t& hidden) const {
  hidden = 0;
  if (all_) {
    return gate;
  }
  clocks::Gate out;
  out.may_process = gate.may_process;
  for (const clocks::GateReason& r : gate.reasons) {
    if (Sees(r.subject)) {
      out.reasons.push_back(r);
    } else {
      ++hidden;
    }
  }
  return out;
}

// ---- the dashboard ---------------------------------------------------------------------------

namespace {

using StateCounts = std::array<std::int64_t, kStates.size()>;

// The first `cap` qualifying obligations (in due order) and how many qualified.
struct Capped {
  explicit Capped(std::size_t c = kListCap) : cap(c) {}

  std::size_t cap;
  std::int64_t total = 0;
  std::vector<const Obligation*> items;

  void Add(const Obligation& o) {
    ++total;
    if (items.size() < cap) {
      items.push_back(&o);
    }
  }
};

struct Week {
  Date from{};
  Instant start{};
  Capped due{kWeekItems};
  std::int64_t material = 0;
};

// The dashboard's one pass over the snapshot. Every bound is computed in the constructor.
struct Tally {
  Tally(const Calendar& cal, Instant now, bool for_reviewer)
      : reviewer(for_reviewer), soon_until(cal.DueWithinWorkingDays(now, kSoonWorkingDays)) {
    const Date monday = MondayOf(LondonDate(now));
    for (std::size_t w = 0; w < weeks.size(); ++w) {
      weeks[w].from = Date{chr::sys_days{monday} + chr::days(7 * static_cast<int>(w))};
      weeks[w].start = LondonStartOfDay(weeks[w].from);
    }
    timeline_end = LondonStartOfDay(
        Date{chr::sys_days{monday} + chr::days(7 * static_cast<int>(weeks.size()))});
  }

  void Add(const Obligation& o) {
    if (last_clause == nullptr || o.clause != *last_clause) {
      last_clause = &o.clause;
      last_counts = &by_clause[o.clause];
    }
    ++(*last_counts)[StateIndex(o.state)];
    if (!clocks::IsOpen(o.state)) {
      waived += o.state == State::kWaived ? 1 : 0;
      return;
    }
    const bool material = (o.consequence & clocks::kMaterialDefault) != 0;
    if (material) {
      ++exposure;
      exposure_overdue += o.state == State::kOverdue ? 1 : 0;
    }
    if (reviewer && o.customer_side) {
      awaiting.Add(o);
    }
    if (o.state == State::kOverdue) {
      overdue.Add(o);
      return;
    }
    if (o.due <= soon_until) {
      soon.Add(o);
    }
    if (o.due >= weeks.front().start && o.due < timeline_end) {
      auto* it = std::upper_bound(weeks.begin(), weeks.end(), o.due,
                                  [](Instant t, const Week& w) { return t < w.start; });
      Week& week = *std::prev(it);
      week.due.Add(o);
      week.material += material ? 1 : 0;
    }
  }

  // Results.
  Capped overdue;
  Capped soon;
  Capped awaiting;  // open obligations of the Customer (customer reviewer only)
  std::int64_t exposure = 0;
  std::int64_t exposure_overdue = 0;
  std::int64_t waived = 0;
  std::array<Week, kTimelineWeeks> weeks;
  std::map<std::string_view, StateCounts> by_clause;  // views into the snapshot and Rules()

  // Bounds and the pass's clause cache.
  bool reviewer;
  Instant soon_until;
  Instant timeline_end{};
  const std::string* last_clause = nullptr;
  StateCounts* last_counts = nullptr;
};

// One row per clause: every clause with obligations, and every rule's clause (zeros included),
// so a clause with nothing to do still shows that it is watched.
Data ClauseRows(std::map<std::string_view, StateCounts> by_clause) {
  for (const clocks::Rule& r : clocks::Rules()) {
    const std::string child = r.clause + ".";
    const bool covered = std::any_of(by_clause.begin(), by_clause.end(), [&](const auto& kv) {
      return kv.first == r.clause || kv.first.rfind(child, 0) == 0;
    });
    if (!covered) {
      by_clause.emplace(r.clause, StateCounts{});  // Rules() is static: the view stays valid
    }
  }
  std::vector<std::pair<std::string_view, StateCounts>> clauses(by_clause.begin(), by_clause.end());
  std::sort(clauses.begin(), clauses.end(),
            [](const auto& a, const auto& b) { return ClauseLess(a.first, b.first); });

  struct Column {
    std::string_view name;  // state filter value
    std::string_view label;
    std::int64_t n;
  };

  Data rows{Data::type::list};
  for (const auto& [clause, c] : clauses) {
    Data row;
    row.set("clause", std::string(clause));
    row.set("title", RuleTitles(clause));
    const std::string base = "/obligations?clause=" + UrlEncode(clause) + "&state=";
    const auto n = [&c = c](State s) {
      return c[StateIndex(s)];
    };
    const std::array<Column, 6> columns = {{
        {"open", "open", n(State::kUpcoming) + n(State::kDueSoon) + n(State::kOverdue)},
        {"due_soon", "due soon", n(State::kDueSoon)},
        {"overdue", "overdue", n(State::kOverdue)},
        {"met_on_time", "met on time", n(State::kMetOnTime)},
        {"met_late", "met late", n(State::kMetLate)},
        {"waived", "waived", n(State::kWaived)},
    }};
    Data cells{Data::type::list};
    for (const Column& col : columns) {
      Data cell;
      cell.set("count", Count(col.n));
      cell.set("what", std::string(col.label));
      if (col.n > 0) {
        cell.set("href", base + std::string(col.name));
      }
      cell.set("warn", col.n > 0 && (col.name == "overdue" || col.name == "met_late"));
      cells.push_back(cell);
    }
    row.set("cells", cells);
    rows.push_back(row);
  }
  return rows;
}

// The coming weeks, Monday to Sunday: open obligations not yet overdue, as a bar per week.
Data TimelineRows(const std::array<Week, kTimelineWeeks>& weeks) {
  std::int64_t max_week = 1;
  for (const Week& w : weeks) {
    max_week = std::max(max_week, w.due.total);
  }
  Data rows{Data::type::list};
  for (const Week& w : weeks) {
    const Date to{chr::sys_days{w.from} + chr::days(6)};
    Data x;
    std::string day = FormatHumanLondon(w.start);  // "Mon 30 Nov 2026 00:00"
    day.resize(day.size() - 6);
    x.set("label", (&w == &weeks.front() ? "This week, from " : "Week of ") + day);
    x.set("count", Count(w.due.total));
    x.set("material", w.material > 0 ? Data(Count(w.material)) : Data(false));
    // Bar length in tenths of the busiest week; any week with items shows at least one tenth.
    const std::int64_t tenths =
        w.due.total == 0 ? 0
                         : std::max<std::int64_t>(1, (w.due.total * 10 + max_week - 1) / max_week);
    x.set("bar", Count(tenths));
    const std::string href =
        "/obligations?state=pending&due_from=" + FormatDate(w.from) + "&due_to=" + FormatDate(to);
    x.set("href", href);
    Data items{Data::type::list};
    for (const Obligation* o : w.due.items) {
      Data i;
      i.set("clause", o->clause);
      i.set("label", o->subject.label);
      i.set("href", o->subject.Href());
      i.set("due", FormatHumanLondon(o->due));
      items.push_back(i);
    }
    x.set("items", items);
    x.set("has_items", !w.due.items.empty());
    x.set("more", More(w.due.total, w.due.items.size(), href));
    rows.push_back(x);
  }
  return rows;
}

Data CountsData(const Tally& t) {
  Data counts;
  counts.set("overdue", Count(t.overdue.total));
  counts.set("soon", Count(t.soon.total));
  counts.set("exposure", Count(t.exposure));
  counts.set("exposure_overdue", Count(t.exposure_overdue));
  counts.set("waived", Count(t.waived));
  counts.set("any_overdue", t.overdue.total > 0);
  return counts;
}

}  // namespace

void AddDashboardObligations(Context& ctx, const Authn& who, Data& d) {
  if (!AuthorizeObligations(who.principal).ok()) {
    d.set("obligations_hidden", true);
    return;
  }
  const Instant now = ctx.Svc().clock.Now();
  auto snap = ctx.Svc().clocks.At(now);
  auto cal = ctx.ContractCalendar();
  if (!snap || !cal) {
    d.set("obligations_error",
          "Obligations are unavailable: " + (snap ? cal.error().message : snap.error().message));
    return;
  }
  const bool reviewer = who.principal.role == auth::Role::kCustomerReviewer;
  Tally t(**cal, now, reviewer);
  const ObligationScope visible(who.principal);
  for (const Obligation& o : (*snap)->obligations) {
    if (visible(o)) {
      t.Add(o);
    }
  }

  Data ob;
  ob.set("at", FormatHumanLondon(now));
  ob.set("gate", GateData((*snap)->gate, visible));
  ob.set("counts", CountsData(t));
  ob.set("overdue_items", ItemList(t.overdue.items));
  ob.set("overdue_more",
         More(t.overdue.total, t.overdue.items.size(), "/obligations?state=overdue"));
  ob.set("soon_items", ItemList(t.soon.items));
  ob.set("soon_more",
         More(t.soon.total, t.soon.items.size(), "/obligations?state=pending&due_within=10wd"));
  ob.set("clauses", ClauseRows(std::move(t.by_clause)));
  ob.set("weeks", TimelineRows(t.weeks));
  if (reviewer) {
    Data a;
    a.set("submissions", ItemList(t.awaiting.items));
    a.set("submissions_more",
          More(t.awaiting.total, t.awaiting.items.size(), "/obligations?state=open&customer=1"));
    const AwaitingList rcr = AwaitingRcr(ctx, who);
    a.set("rcr", rcr.items);
    a.set("none", t.awaiting.total == 0 && rcr.count == 0);
    ob.set("awaiting", a);
  }
  d.set("obligations", ob);
}

// ---- the obligations page --------------------------------------------------------------------

namespace {

// The page's filters: the API's (ObligationFilterFromQuery) plus two state groups ("open": not
// met or waived; "pending": open and not yet overdue) and a due date range (London days,
// inclusive).
struct PageFilter {
  clocks::Filter base;
  bool pending_only = false;
  std::optional<Instant> due_from;
  std::optional<Instant> due_before;  // the start of the day after due_to
  std::optional<Instant> at;
};

// The filter compiled for one evaluation instant: every bound computed once. Same semantics as
// clocks::Matches (tests/http/clocks_test.cc checks page and API agree).
class Matcher {
 public:
  Matcher(const PageFilter& f, const Calendar& cal, Instant now) : f_(f) {
    if (f.base.due_within_working_days) {
      within_until_ = cal.DueWithinWorkingDays(now, *f.base.due_within_working_days);
    }
    if (f.base.due_within_days) {
      const Instant b = Calendar::DueWithinDays(now, *f.base.due_within_days);
      within_until_ = within_until_ ? std::min(*within_until_, b) : b;
    }
    if (!f.base.clause_prefix.empty()) {
      prefix_ = f.base.clause_prefix;
      if (prefix_.rfind("S2.4-", 0) != 0) {
        prefix_ = "S2.4-" + prefix_;
      }
      prefix_dot_ = prefix_ + ".";
    }
  }

  bool operator()(const Obligation& o) const {
    const clocks::Filter& b = f_.base;
    const bool open = clocks::IsOpen(o.state);
    if ((b.state && o.state != *b.state) || (b.open_only && !open) ||
        (b.overdue_only && o.state != State::kOverdue) ||
        (b.customer_side_only && !o.customer_side) ||
        (f_.pending_only && (!open || o.state == State::kOverdue))) {
      return false;
    }
    if (within_until_ && (!open || o.due > *within_until_)) {
      return false;
    }
    if ((f_.due_from && o.due < *f_.due_from) || (f_.due_before && o.due >= *f_.due_before)) {
      return false;
    }
    if (!prefix_.empty()) {
      const std::string_view c = o.clause;
      if (c != prefix_ && c.rfind(prefix_dot_, 0) != 0) {
        return false;
      }
    }
    return true;
  }

 private:
  const PageFilter& f_;
  std::optional<Instant> within_until_;
  std::string prefix_;
  std::string prefix_dot_;
};

Result<PageFilter> PageFilterFromQuery(const httplib::Request& req) {
  PageFilter f;
  httplib::Request shared;  // the query without the page-only state groups
  shared.params = req.params;
  if (auto s = Param(req, "state"); s && (*s == "open" || *s == "pending")) {
    shared.params.erase("state");
    f.base.open_only = *s == "open";
    f.pending_only = *s == "pending";
  }
  ACC_ASSIGN_OR_RETURN(clocks::Filter base, ObligationFilterFromQuery(shared));
  base.open_only = base.open_only || f.base.open_only;
  f.base = std::move(base);
  if (auto v = Param(req, "due_from")) {
    ACC_ASSIGN_OR_RETURN(Date from, ParseDate(*v, "due_from"));
    f.due_from = LondonStartOfDay(from);
  }
  if (auto v = Param(req, "due_to")) {
    ACC_ASSIGN_OR_RETURN(Date to, ParseDate(*v, "due_to"));
    f.due_before = LondonStartOfDay(Date(chr::sys_days{to} + chr::days(1)));
  }
  if (auto v = Param(req, "at")) {
    ACC_ASSIGN_OR_RETURN(Instant at, ParseInstant(*v, "at"));
    f.at = at;
  }
  return f;
}

struct Choice {
  const char* value;
  const char* label;
};

constexpr std::array<Choice, 9> kStateChoices = {{{"", "Any"},
                                                  {"open", "Open (not met)"},
                                                  {"pending", "Not yet due"},
                                                  {"upcoming", "Upcoming"},
                                                  {"due_soon", "Due soon"},
                                                  {"overdue", "Overdue"},
                                                  {"met_on_time", "Met on time"},
                                                  {"met_late", "Met late"},
                                                  {"waived", "Waived"}}};

constexpr std::array<const char*, 9> kQueryKeys = {
    "state", "clause", "due_within", "overdue", "customer", "due_from", "due_to", "at", "open"};

// Puts the filter fields back into the form (`v_<key>`, the state options, the check boxes) and
// returns the query string that repeats them in paging links ("&k=v...").
std::string EchoFilters(const httplib::Request& req, Data& d) {
  std::string query;
  for (const char* k : kQueryKeys) {
    if (auto v = Param(req, k)) {
      d.set(std::string("v_") + k, *v);
      query += std::string("&") + k + "=" + UrlEncode(*v);
    }
  }
  const std::string state_value = Param(req, "state").value_or("");
  Data states{Data::type::list};
  for (const Choice& c : kStateChoices) {
    Data x;
    x.set("value", c.value);
    x.set("label", c.label);
    x.set("selected", state_value == c.value);
    states.push_back(x);
  }
  d.set("states", states);
  d.set("overdue_checked", Param(req, "overdue").has_value());
  d.set("customer_checked", Param(req, "customer").has_value());
  return query;
}

Result<std::int64_t> ParseOffset(const httplib::Request& req) {
  auto v = Param(req, "offset");
  if (!v) {
    return std::int64_t{0};
  }
  auto n = ParseInt(*v, "offset");
  if (!n || *n < 0) {
    return Err(ErrorCode::kInvalidArgument, "offset: must be a whole number, 0 or more", "offset");
  }
  return *n;
}

// The matching obligations' page of rows and the count per state; returns how many matched.
std::int64_t AddRows(const clocks::Snapshot& snap, const Matcher& match,
                     const ObligationScope& visible, std::int64_t offset, Data& d) {
  std::int64_t total = 0;
  StateCounts counts{};
  Data rows{Data::type::list};
  for (const Obligation& o : snap.obligations) {
    if (!visible(o) || !match(o)) {
      continue;
    }
    ++counts[StateIndex(o.state)];
    if (total >= offset && total < offset + kPageSize) {
      rows.push_back(ItemData(o));
    }
    ++total;
  }
  Data summary{Data::type::list};
  for (State s : kStates) {
    if (counts[StateIndex(s)] > 0) {
      Data x;
      x.set("label", std::string(StateLabel(s, false)));
      x.set("badge", std::string(StateBadge(s)));
      x.set("count", Count(counts[StateIndex(s)]));
      summary.push_back(x);
    }
  }
  d.set("summary", summary);
  d.set("rows", rows);
  return total;
}

void ObligationsPage(Context& ctx, const Authn& who, const httplib::Request& req,
                     httplib::Response& res) {
  if (Status s = AuthorizeObligations(who.principal); !s.ok()) {
    RenderError(ctx, &who, res, s.error());
    return;
  }
  Data d;
  const std::string query = EchoFilters(req, d);
  int status = 200;
  auto fail = [&](const Error& e) {
    status = HttpStatusFor(e.code);
    d.set("error", e.message);
    if (!e.field.empty()) {
      d.set("err_" + e.field, e.message);
    }
  };
  auto offset = ParseOffset(req);
  if (!offset) {
    fail(offset.error());
  }
  auto filter = PageFilterFromQuery(req);
  if (!filter) {
    fail(filter.error());
  }
  const Instant now = filter && filter->at ? *filter->at : ctx.Svc().clock.Now();
  d.set("at", FormatHumanLondon(now));
  d.set("at_given", filter && filter->at.has_value());
  std::int64_t total = 0;
  const std::int64_t first = offset ? *offset : 0;
  if (status == 200) {
    auto snap = ctx.Svc().clocks.At(now);
    auto cal = ctx.ContractCalendar();
    if (!snap || !cal) {
      RenderError(ctx, &who, res, snap ? cal.error() : snap.error());
      return;
    }
    const ObligationScope visible(who.principal);
    total = AddRows(**snap, Matcher(*filter, **cal, now), visible, first, d);
    d.set("gate", GateData((*snap)->gate, visible));
  }
  d.set("has_rows", total > first);
  d.set("total", Count(total));
  d.set("first", Count(total > first ? first + 1 : 0));
  d.set("last", Count(std::min<std::int64_t>(total, first + kPageSize)));
  if (first > 0) {
    d.set("prev",
          "/obligations?offset=" + Count(std::max<std::int64_t>(0, first - kPageSize)) + query);
  }
  if (first + kPageSize < total) {
    d.set("next", "/obligations?offset=" + Count(first + kPageSize) + query);
  }
  RenderInLayout(ctx, &who, res, "Obligations", "/obligations", "obligations.html", d, status);
}

}  // namespace

void RegisterClocksUi(httplib::Server& svr, Context& ctx) {
  svr.Get("/obligations",
          Ui(ctx, [&ctx](const Authn& who, const httplib::Request& req, httplib::Response& res) {
            ObligationsPage(ctx, who, req, res);
          }));
}

}  // namespace accredit::http::internal
