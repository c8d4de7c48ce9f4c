// The registers of the contract clocks (issue 4): the accreditation workflow as dated,
// append-only events (S2.4-5.3 to 5.10), notifiable events and the RCR updates they trigger
// (5.13, 5.14), the security deliverables owed on a cycle (7.1, 7.13, 10.1) and written waivers
// of obligations (5.15.1). The obligation engine (src/clocks) reads these tables by plain SQL:
// table and column names are a contract with it.

#include <algorithm>
#include <array>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "registers/internal.h"

namespace accredit::registers::internal {
namespace {

using FT = FieldType;

bool Blank(std::string_view s) {
  return s.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

// "must not be in the future" for an instant field that records something that happened.
Status NotInFuture(const Json& r, std::string_view field, ReadContext& ctx) {
  const auto t = InstantOf(r, field);
  if (t && *t > ctx.Now()) {
    return Invalid(std::string(field), "must not be in the future (now is " +
                                           FormatHumanLondon(ctx.Now()) + " London time)");
  }
  return Status::Ok();
}

// `later` must not be before `earlier` when both are set.
Status NotBefore(const Json& r, std::string_view later, std::string_view earlier) {
  const auto a = InstantOf(r, later);
  const auto b = InstantOf(r, earlier);
  if (a && b && *a < *b) {
    return Invalid(std::string(later), "must not be before " + std::string(earlier));
  }
  return Status::Ok();
}

// `field` may be set only when `needed` is.
Status Requires(const Json& r, std::string_view field, std::string_view needed) {
  if (!Str(r, field).empty() && Str(r, needed).empty()) {
    return Invalid(std::string(field), "requires " + std::string(needed));
  }
  return Status::Ok();
}

// ---- the accreditation workflow -----------------------------------------------------------

// The workflow's state, derived from the events in `at` order (ties by id).
enum class Workflow { kNone, kAwaitingDecision, kApproved, kNotApproved, kRejected, kTerminated };

std::string_view WorkflowName(Workflow s) {
  switch (s) {
    case Workflow::kNone:
      return "none";
    case Workflow::kAwaitingDecision:
      return "awaiting_decision";
    case Workflow::kApproved:
      return "approved";
    case Workflow::kNotApproved:
      return "not_approved";
    case Workflow::kRejected:
      return "rejected";
    case Workflow::kTerminated:
      return "terminated";
  }
  return "none";
}

struct Transition {
  std::optional<Workflow> next;  // nullopt: impossible
  std::string why;               // why it is impossible
};

bool IsDecision(std::string_view kind) {
  return kind == "approval" || kind == "non_approval" || kind == "rejection_notice";
}

// The state after an event of `kind` in state `s` (S2.4-5.5 to 5.10, 5.12).
Transition Next(Workflow s, std::string_view kind) {
  constexpr std::string_view kNothingYet = "nothing has been submitted yet";
  constexpr std::string_view kTerminated = "the accreditation was terminated";
  if (kind == "submission") {
    switch (s) {
      case Workflow::kNone:
      case Workflow::kNotApproved:  // S2.4-5.5: amended and resubmitted
      case Workflow::kApproved:     // S2.4-5.12: annual update / re-accreditation
        return {Workflow::kAwaitingDecision, ""};
      case Workflow::kAwaitingDecision:
        return {std::nullopt, "a submission is already awaiting a decision"};
      case Workflow::kRejected:
        return {std::nullopt,
                "after a rejection_notice the Provider notifies ready_for_decision (S2.4-5.8)"};
      case Workflow::kTerminated:
        return {std::nullopt, std::string(kTerminated)};
    }
  }
  if (IsDecision(kind)) {
    if (s != Workflow::kAwaitingDecision) {
      return {std::nullopt, "no submission is awaiting a decision"};
    }
    if (kind == "approval") {
      return {Workflow::kApproved, ""};
    }
    return {kind == "non_approval" ? Workflow::kNotApproved : Workflow::kRejected, ""};
  }
  if (kind == "ready_for_decision") {
    if (s != Workflow::kRejected) {
      return {std::nullopt, "it answers a rejection_notice only (S2.4-5.8)"};
    }
    return {Workflow::kAwaitingDecision, ""};
  }
  if (kind == "termination" || kind == "dispute") {
    if (s == Workflow::kNone) {
      return {std::nullopt, std::string(kNothingYet)};
    }
    if (s == Workflow::kTerminated) {
      return {std::nullopt, std::string(kTerminated)};
    }
    return {kind == "termination" ? Workflow::kTerminated : s, ""};  // a dispute changes nothing
  }
  return {std::nullopt, "unknown kind"};
}

struct StoredEvent {
  std::int64_t id = 0;
  std::string kind;
  std::string at;  // canonical UTC text
};

Result<std::vector<StoredEvent>> LoadEvents(ReadContext& ctx) {
  ACC_ASSIGN_OR_RETURN(auto rows, ctx.Conn().Query("SELECT id, kind, \"at\" FROM "
                                                   "accreditation_events ORDER BY \"at\", id"));
  std::vector<StoredEvent> out;
  out.reserve(rows.size());
  for (const auto& row : rows) {
    out.push_back(StoredEvent{row[0].Int(), row[1].Text(), row[2].Text()});
  }
  return out;
}

// Folds events into the workflow state; an impossible stored transition (only possible through
// SQL outside accredit) is skipped.
Workflow Fold(const std::vector<StoredEvent>& events) {
  Workflow s = Workflow::kNone;
  for (const auto& e : events) {
    if (auto next = Next(s, e.kind).next) {
      s = *next;
    }
  }
  return s;
}

Status AuthorizeAccreditationKind(const auth::Principal& actor, const Json& r) {
  const std::string kind = Str(r, "kind");
  if (kind == "submission" || kind == "ready_for_decision") {
    return auth::Authorize(actor, auth::Action::kAccreditationSubmit);
  }
  if (IsDecision(kind) || kind == "termination") {
    return auth::Authorize(actor, auth::Action::kAccreditationDecide);
  }
  if (kind == "dispute" && !auth::Authorize(actor, auth::Action::kAccreditationSubmit).ok() &&
      !auth::Authorize(actor, auth::Action::kAccreditationDecide).ok()) {
    return Err(ErrorCode::kPermissionDenied,
               "role " + std::string(auth::RoleName(actor.role)) +
                   " may not record a dispute (needs accreditation.submit or accreditation.decide)",
               "", "user '" + actor.username + "' refused an accreditation dispute");
  }
  return Status::Ok();  // an empty or unknown kind is refused by validation
}

Status CheckRmdVersionIssued(std::int64_t version, ReadContext& ctx) {
  // rmd_versions belongs to the reports module (same database); a database without it has no
  // issued version.
  ACC_ASSIGN_OR_RETURN(auto table, ctx.Conn().QueryOne("SELECT COUNT(*) FROM sqlite_master WHERE "
                                                       "type = 'table' AND name = 'rmd_versions'"));
  bool issued = false;
  if (table[0].Int() > 0) {
    ACC_ASSIGN_OR_RETURN(
        auto rows,
        ctx.Conn().Query("SELECT version FROM rmd_versions WHERE version = ?", {version}));
    issued = !rows.empty();
  }
  if (!issued) {
    return Invalid("rmd_version", "RMD version " + std::to_string(version) +
                                      " has not been issued (issue it first: Documents page or "
                                      "accredit rmd issue)");
  }
  return Status::Ok();
}

Status ValidateAccreditationEvent(const Json& r, ReadContext& ctx) {
  const std::string kind = Str(r, "kind");
  const auto at = InstantOf(r, "at");
  if (kind.empty() || !at) {
    return Status::Ok();  // required fields are reported by the framework
  }
  ACC_RETURN_IF_ERROR(NotInFuture(r, "at", ctx));
  ACC_ASSIGN_OR_RETURN(const auto events, LoadEvents(ctx));
  if (!events.empty()) {
    const StoredEvent& latest = events.back();
    const std::string at_text = FormatInstantUtc(*at);
    if (at_text < latest.at) {
      auto latest_at = ParseInstant(latest.at);
      return Invalid("at", "must not be before the latest event (" + latest.kind + " at " +
                               (latest_at ? FormatHumanLondon(*latest_at) : latest.at) +
                               " London time): events are recorded in the order they happened");
    }
  }
  const Workflow state = Fold(events);
  const Transition t = Next(state, kind);
  if (!t.next) {
    return Err(ErrorCode::kFailedPrecondition,
               kind + " is not possible now: " + t.why +
                   " (state: " + std::string(WorkflowName(state)) + ")",
               "kind");
  }
  const auto version = Int(r, "rmd_version");
  if (kind == "submission" && !version) {
    return Invalid("rmd_version", "required for a submission: the issued RMD version submitted");
  }
  if (version) {
    ACC_RETURN_IF_ERROR(CheckRmdVersionIssued(*version, ctx));
  }
  if ((kind == "non_approval" || kind == "rejection_notice") && Blank(Str(r, "reasons"))) {
    return Invalid("reasons", kind == "non_approval"
                                  ? "required for a non_approval: the Customer's reasons (S2.4-5.5)"
                                  : "required for a rejection_notice (S2.4-5.7.2)");
  }
  return Status::Ok();
}

// state_after of every event, computed once per read context (a list page asks per row).
Json StateAfter(const Json& r, ReadContext& ctx) {
  const auto id = Int(r, "id");
  if (!id) {
    return nullptr;
  }
  static constexpr const char* kKey = "accreditation_events.state_after";
  const std::string key = std::to_string(*id);
  auto& cache = ctx.Cache();
  auto it = cache.find(kKey);
  if (it == cache.end() || !it->second.contains(key)) {  // missing: recompute (a new event)
    auto events = LoadEvents(ctx);
    if (!events) {
      return nullptr;
    }
    Json states = Json::object();
    Workflow s = Workflow::kNone;
    for (const auto& e : *events) {
      if (auto next = Next(s, e.kind).next) {
        s = *next;
      }
      states[std::to_string(e.id)] = std::string(WorkflowName(s));
    }
    it = cache.insert_or_assign(kKey, std::move(states)).first;
  }
  return it->second.value(key, Json(nullptr));
}

RegisterDef AccreditationEvents() {
  RegisterDef d;
  d.name = "accreditation_events";
  d.singular = "accreditation_event";
  d.title = "Accreditation workflow";
  d.clause = "S2.4-5.3";
  d.description =
      "The accreditation workflow as dated events (S2.4-5.3 to 5.10): the Provider submits an "
      "issued RMD version; the Customer approves it (Risk Management Approval Statement, 5.7.1), "
      "does not approve it with reasons (5.5) or issues a Risk Management Rejection Notice with "
      "reasons (5.7.2); after a Rejection Notice the Provider notifies that the system is ready "
      "for an Accreditation Decision (5.8); disputes (5.5, 5.9) and termination are recorded. "
      "Append-only, in time order; impossible transitions are refused.";
  d.label_field = "kind";
  d.append_only = true;
  d.write_action = auth::Action::kAccreditationRecord;
  d.authorize_write = AuthorizeAccreditationKind;
  d.fields = {
      {.name = "kind",
       .label = "Event",
       .type = FT::kEnum,
       .required = true,
       .choices = {"submission", "approval", "non_approval", "rejection_notice",
                   "ready_for_decision", "dispute", "termination"},
       .help = "submission and ready_for_decision are the Provider's (accreditation.submit); "
               "approval, non_approval, rejection_notice and termination are the Customer's "
               "(accreditation.decide); a dispute may be recorded by either.",
       .in_list = true,
       .filterable = true},
      {.name = "at",
       .label = "When",
       .type = FT::kInstant,
       .required = true,
       .help = "When it happened. Not in the future, and not before the latest recorded event.",
       .in_list = true},
      {.name = "rmd_version",
       .label = "RMD version",
       .type = FT::kInteger,
       .help = "The issued RMD version (required for a submission, S2.4-5.3).",
       .in_list = true,
       .filterable = true,
       .min = 1},
      {.name = "reasons",
       .label = "Reasons",
       .type = FT::kLongText,
       .help = "The Customer's reasons: required for a non_approval (S2.4-5.5) and a "
               "rejection_notice (S2.4-5.7.2)."},
      {.name = "reference",
       .label = "Reference",
       .type = FT::kText,
       .help = "E.g. the Risk Management Approval Statement or Rejection Notice reference.",
       .in_list = true},
      {.name = "notes", .label = "Notes", .type = FT::kLongText},
  };
  d.validators.push_back(ValidateAccreditationEvent);
  d.derived.push_back(
      DerivedDef{.name = "state_after",
                 .label = "State after",
                 .in_list = true,
                 .compute = StateAfter,
                 .help = "The workflow state after this event: none, awaiting_decision, approved, "
                         "not_approved, rejected or terminated (a dispute changes nothing)."});
  return d;
}

// ---- notifiable events ----------------------------------------------------------------------

RegisterDef NotifiableEvents() {
  RegisterDef d;
  d.name = "notifiable_events";
  d.singular = "notifiable_event";
  d.title = "Notifiable events";
  d.clause = "S2.4-5.13";
  d.description =
      "Events the Provider must notify to the Customer within 2 Working Days of becoming aware "
      "(S2.4-5.13.1 to 5.13.8), when and to whom they were notified, and the updated Required "
      "Changes Register provided for review within 10 Working Days and approved (S2.4-5.14). "
      "Link the RCR entries with the relation requires.";
  d.label_field = "description";
  d.write_action = auth::Action::kRiskWrite;
  d.fields = {
      {.name = "kind",
       .label = "Kind",
       .type = FT::kEnum,
       .required = true,
       .choices = {"architecture_change", "new_risk_or_vulnerability", "threat_profile_change",
                   "subcontractor_coc_failure", "risk_component_change",
                   "personal_data_quantity_change", "site_change_proposal",
                   "iso27001_audit_concerns"},
       .help = "architecture_change: significant change to the Core IMS components or "
               "architecture (S2.4-5.13.1); new_risk_or_vulnerability: a new risk or "
               "vulnerability (5.13.2); threat_profile_change: a change in the threat profile "
               "(5.13.3); subcontractor_coc_failure: a sub-contractor failing the code of "
               "connection (5.13.4); risk_component_change: a significant change to any risk "
               "component (5.13.5); personal_data_quantity_change: a significant change in the "
               "quantity of Personal Data held (5.13.6); site_change_proposal: a proposal to "
               "change any Site (5.13.7); iso27001_audit_concerns: an ISO/IEC 27001 audit report "
               "with significant concerns (5.13.8).",
       .in_list = true,
       .filterable = true},
      {.name = "description",
       .label = "Description",
       .type = FT::kLongText,
       .required = true,
       .help = "What happened or was found."},
      {.name = "became_aware_at",
       .label = "Became aware",
       .type = FT::kInstant,
       .required = true,
       .help = "When the Provider became aware: the 2 Working Day clock starts here "
               "(S2.4-5.13). Not in the future.",
       .in_list = true},
      {.name = "customer_notified_at",
       .label = "Customer notified",
       .type = FT::kInstant,
       .help = "When the Customer was notified (not before became_aware_at).",
       .in_list = true},
      {.name = "notified_to",
       .label = "Notified to",
       .type = FT::kText,
       .help = "Who at the Customer was notified."},
      {.name = "notification_reference", .label = "Notification reference", .type = FT::kText},
      {.name = "rcr_provided_at",
       .label = "Updated RCR provided",
       .type = FT::kInstant,
       .help = "S2.4-5.14: when the updated Required Changes Register was provided to the "
               "Customer for review (after the notification).",
       .in_list = true},
      {.name = "rcr_approved_at",
       .label = "RCR update approved",
       .type = FT::kInstant,
       .help = "S2.4-5.14: when the Customer approved the RCR update (after it was provided)."},
  };
  d.validators.push_back([](const Json& r, ReadContext& ctx) -> Status {
    ACC_RETURN_IF_ERROR(NotInFuture(r, "became_aware_at", ctx));
    ACC_RETURN_IF_ERROR(NotBefore(r, "customer_notified_at", "became_aware_at"));
    ACC_RETURN_IF_ERROR(Requires(r, "rcr_provided_at", "customer_notified_at"));
    ACC_RETURN_IF_ERROR(NotBefore(r, "rcr_provided_at", "customer_notified_at"));
    ACC_RETURN_IF_ERROR(Requires(r, "rcr_approved_at", "rcr_provided_at"));
    return NotBefore(r, "rcr_approved_at", "rcr_provided_at");
  });
  return d;
}

// ---- deliverables ------------------------------------------------------------------------------

// The number in `text` if it is all digits (at most 4), else nullopt.
std::optional<int> Digits(std::string_view text) {
  if (text.empty() || text.size() > 4) {
    return std::nullopt;
  }
  int n = 0;
  for (char c : text) {
    if (c < '0' || c > '9') {
      return std::nullopt;
    }
    n = n * 10 + (c - '0');
  }
  return n;
}

// "period" of a deliverable: the year ending 31 March (YYYY) a CEO's letter covers, the
// calendar quarter (YYYY-Qn) an incident log covers, nothing for the other kinds. A letter
// cannot be provided before its year begins; a log cannot be dated before its quarter ends.
Status CheckPeriod(const Json& r) {
  namespace chr = std::chrono;
  const std::string kind = Str(r, "kind");
  const std::string period = Str(r, "period");
  const auto performed = DateOf(r, "performed_on");
  if (kind == "ceo_letter") {
    const auto year = period.size() == 4 ? Digits(period) : std::nullopt;
    if (!year || *year < 1990) {
      return Invalid("period", period.empty()
                                   ? "required for the CEO's letter: the year ending 31 March "
                                     "that it covers, e.g. 2027"
                                   : "must be the year ending 31 March that the letter covers, "
                                     "e.g. 2027");
    }
    const Date begins(chr::year(*year - 1), chr::April, chr::day(1));
    const auto provided = DateOf(r, "provided_to_customer_date");
    const auto on = provided ? provided : performed;
    if (on && chr::sys_days(*on) < chr::sys_days(begins)) {
      return Invalid("period", "the year ending 31 March " + period + " begins on " +
                                   FormatDate(begins) +
                                   ", after this letter's date; a letter covers a year that has "
                                   "begun");
    }
    return Status::Ok();
  }
  if (kind == "incident_log") {
    const auto year =
        period.size() == 7 ? Digits(std::string_view(period).substr(0, 4)) : std::nullopt;
    const bool shaped =
        year && period[4] == '-' && period[5] == 'Q' && period[6] >= '1' && period[6] <= '4';
    if (!shaped || *year < 1990) {
      return Invalid("period", period.empty()
                                   ? "required for the Security Incident log: the quarter it "
                                     "covers, e.g. 2026-Q3"
                                   : "must be the quarter the log covers, e.g. 2026-Q3");
    }
    const unsigned last_month = static_cast<unsigned>(period[6] - '0') * 3U;
    const Date ends{
        chr::year_month_day_last(chr::year(*year), chr::month_day_last(chr::month(last_month)))};
    if (performed && chr::sys_days(*performed) <= chr::sys_days(ends)) {
      return Invalid("period", "the quarter " + period + " ends on " + FormatDate(ends) +
                                   ", so a log of it cannot be dated before then (performed_on)");
    }
    return Status::Ok();
  }
  if (!period.empty()) {
    return Invalid("period",
                   "only the CEO's letter and the Security Incident log cover a period; leave it "
                   "empty");
  }
  return Status::Ok();
}

RegisterDef Deliverables() {
  RegisterDef d;
  d.name = "deliverables";
  d.singular = "deliverable";
  d.title = "Security deliverables";
  d.clause = "S2.4-7.1";
  d.description =
      "The dated things the Provider owes the Customer on a cycle: CHECK IT Health Checks "
      "(S2.4-7.1.1: before an RMD submission and every 12 months), monthly vulnerability scans "
      "(7.1.2), the CEO's letter by 31 March each year (7.13) and the Security Incident log at "
      "least quarterly (10.1).";
  d.label_field = "title";
  d.write_action = auth::Action::kRiskWrite;
  d.fields = {
      {.name = "kind",
       .label = "Kind",
       .type = FT::kEnum,
       .required = true,
       .choices = {"ithc", "vulnerability_scan", "ceo_letter", "incident_log"},
       .help = "ithc: CHECK IT Health Check by an NCSC CHECK company (S2.4-7.1.1); "
               "vulnerability_scan: monthly vulnerability scanning (7.1.2); ceo_letter: the "
               "CEO's letter confirming the tests were done (7.13); incident_log: the Security "
               "Incident log (10.1).",
       .in_list = true,
       .filterable = true},
      {.name = "title", .label = "Title", .type = FT::kText, .required = true, .in_list = true},
      {.name = "performed_on",
       .label = "Performed on",
       .type = FT::kDate,
       .required = true,
       .help = "The test or scan date, the letter's date, the log's date. Not in the future "
               "(plan future tests in the Accreditation Plan).",
       .in_list = true,
       .filterable = true},
      {.name = "provided_to_customer_date",
       .label = "Provided to the Customer",
       .type = FT::kDate,
       .help = "S2.4-7.2: when the results (or the letter, or the log) reached the Customer.",
       .in_list = true},
      {.name = "performed_by",
       .label = "Performed by",
       .type = FT::kText,
       .help = "E.g. the NCSC CHECK company that ran the IT Health Check.",
       .filterable = true},
      {.name = "period",
       .label = "Period covered",
       .type = FT::kText,
       .help = "Required for the CEO's letter: the year ending 31 March that it covers, e.g. "
               "2027 (S2.4-7.13). Required for the Security Incident log: the calendar quarter "
               "it covers, e.g. 2026-Q3, ended by the log's date (10.1). Empty for the other "
               "kinds. Each counts for the period it covers, whenever it arrives.",
       .in_list = true,
       .filterable = true,
       .max_length = 7},
      {.name = "reference", .label = "Reference", .type = FT::kText},
      {.name = "scope", .label = "Scope", .type = FT::kLongText},
      {.name = "evidence_id",
       .label = "Report file",
       .type = FT::kRef,
       .ref = "evidence",
       .help = "The report, letter or log (evidence register)."},
  };
  d.validators.push_back([](const Json& r, ReadContext& ctx) -> Status {
    const auto performed = DateOf(r, "performed_on");
    if (performed && std::chrono::sys_days(*performed) > std::chrono::sys_days(ctx.Today())) {
      return Invalid("performed_on", "must not be in the future");
    }
    const auto provided = DateOf(r, "provided_to_customer_date");
    if (performed && provided &&
        std::chrono::sys_days(*provided) < std::chrono::sys_days(*performed)) {
      return Invalid("provided_to_customer_date", "must not be before performed_on");
    }
    return CheckPeriod(r);
  });
  return d;
}

// ---- obligation waivers -----------------------------------------------------------------------

RegisterDef ObligationWaivers() {
  RegisterDef d;
  d.name = "obligation_waivers";
  d.singular = "waiver";
  d.title = "Obligation waivers";
  d.clause = "S2.4-5.15.1";
  d.description =
      "Written agreements with the Customer that an obligation does not apply or was extended "
      "(e.g. a direction in writing under S2.4-5.15.1, or a timescale \"as agreed\"). The "
      "obligation engine shows the obligation as waived, with this record; several waivers of "
      "one obligation all count. The key must name an obligation that exists.";
  d.label_field = "obligation_key";
  d.write_action = auth::Action::kRiskWrite;
  d.fields = {
      {.name = "obligation_key",
       .label = "Obligation",
       .type = FT::kText,
       .required = true,
       .help = "The obligation's stable key, copied from the obligation (e.g. "
               "S2.4-5.13.1/notifiable_events/3).",
       .in_list = true,
       .filterable = true},
      {.name = "reason",
       .label = "Reason",
       .type = FT::kLongText,
       .required = true,
       .in_list = true},
      {.name = "agreed_with",
       .label = "Agreed with",
       .type = FT::kText,
       .required = true,
       .help = "Who at the Customer agreed it in writing.",
       .in_list = true},
      {.name = "agreed_date",
       .label = "Agreed date",
       .type = FT::kDate,
       .required = true,
       .in_list = true,
       .filterable = true},
      {.name = "reference", .label = "Reference", .type = FT::kText},
  };
  d.validators.push_back([](const Json& r, ReadContext& ctx) -> Status {
    const std::string key = Str(r, "obligation_key");
    const bool spaced =
        std::any_of(key.begin(), key.end(), [](char c) { return c == ' ' || c == '\t'; });
    if (!key.empty() && (spaced || !IsScheduleClauseId(key.substr(0, key.find('/'))))) {
      return Invalid("obligation_key",
                     "must be an obligation key starting with its clause, such as "
                     "S2.4-5.13.1/notifiable_events/3");
    }
    // A waiver must name an obligation that exists (the engine's lookup, when wired).
    if (!key.empty() && ctx.Obligations() != nullptr) {
      ACC_ASSIGN_OR_RETURN(const bool exists, (*ctx.Obligations())(ctx, key));
      if (!exists) {
        return Invalid("obligation_key", "no obligation with key " + key);
      }
    }
    return Status::Ok();
  });
  return d;
}

}  // namespace

std::vector<RegisterDef> ClockDefs() {
  return {AccreditationEvents(), NotifiableEvents(), Deliverables(), ObligationWaivers()};
}

}  // namespace accredit::registers::internal
