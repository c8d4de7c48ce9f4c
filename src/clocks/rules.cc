// The rule table: one small function per clause (issue 4, point 2). Each turns records into
// obligations with the due-time semantics of docs/CLOCKS.md; states are applied generically by
// ApplyStates. Rules never read the clock: periodic rules generate periods up to ctx.through.

#include <algorithm>
#include <array>
#include <initializer_list>
#include <tuple>
#include <utility>

#include "clocks/clocks.h"
#include "clocks/internal.h"

namespace accredit::clocks {
namespace {

namespace chr = std::chrono;
using internal::AddDays;
using internal::AddMonths;
using internal::AddYears;
using internal::HumanDate;
using internal::MonthEnd;
using internal::MonthStart;

Instant StartOf(Date d) {
  return LondonStartOfDay(d);
}

Obligation Make(std::string clause, Subject subject, const std::string& period, Instant trigger,
                Instant due, unsigned consequence, std::string action) {
  Obligation o;
  // "<clause>/<register>/<id>[/<period>]", built in place (this runs a million times in the
  // benchmark of bench/clocks_bench.cc).
  const std::string id = std::to_string(subject.id);
  o.key.reserve(clause.size() + subject.reg.size() + id.size() + period.size() + 3);
  o.key.append(clause).append(1, '/').append(subject.reg).append(1, '/').append(id);
  if (!period.empty()) {
    o.key.append(1, '/').append(period);
  }
  o.clause = std::move(clause);
  o.subject = std::move(subject);
  o.trigger = trigger;
  o.due = due;
  o.visible_from = trigger;
  o.consequence = consequence;
  o.action = std::move(action);
  return o;
}

// Concatenates with one allocation (the hot rules build a sentence per record).
std::string Cat(std::initializer_list<std::string_view> parts) {
  std::size_t n = 0;
  for (std::string_view p : parts) {
    n += p.size();
  }
  std::string out;
  out.reserve(n);
  for (std::string_view p : parts) {
    out.append(p);
  }
  return out;
}

void SetMet(Obligation& o, std::optional<Instant> at, std::string by) {
  if (at) {
    o.met_at = at;
    o.met_by = std::move(by);
  }
}

Subject ContractSubject(const Inputs& in, std::string label = {}) {
  return Subject{"contract", 0,
                 label.empty() ? (in.contract.provider_name.empty() ? std::string("the contract")
                                                                    : in.contract.provider_name)
                               : std::move(label)};
}

Subject EventSubject(const AccreditationEvent& e) {
  return Subject{"accreditation_events", e.id,
                 std::string(AccreditationKindName(e.kind)) + " " + HumanDate(LondonDate(e.at))};
}

std::string Shorten(std::string_view text, std::size_t max) {
  if (text.size() <= max) {
    return std::string(text);
  }
  std::size_t cut = max;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0U) == 0x80U) {
    --cut;  // do not split a UTF-8 sequence
  }
  return std::string(text.substr(0, cut)) + "…";
}

// The first event of `kind` after index i (strictly later in the sequence), if any.
const AccreditationEvent* NextOf(const std::vector<AccreditationEvent>& events, std::size_t i,
                                 AccreditationKind kind) {
  for (std::size_t j = i + 1; j < events.size(); ++j) {
    if (events[j].kind == kind) {
      return &events[j];
    }
  }
  return nullptr;
}

std::optional<Instant> AtOf(const AccreditationEvent* e) {
  return e != nullptr ? std::optional<Instant>(e->at) : std::nullopt;
}

// ---- S2.4-5.5 --------------------------------------------------------------------------------

// Not approved: amend and resubmit within 10 WD of the non-approval notice.
void Rule5_5Resubmit(const RuleContext& ctx, std::vector<Obligation>& out) {
  const auto& ev = ctx.in.accreditation_events;
  for (std::size_t i = 0; i < ev.size(); ++i) {
    if (ev[i].kind != AccreditationKind::kNonApproval) {
      continue;
    }
    Obligation o = Make("S2.4-5.5", EventSubject(ev[i]), "resubmit", ev[i].at,
                        ctx.cal.DueWithinWorkingDays(ev[i].at, 10), 0,
                        "Amend the RMD and resubmit it after the non-approval notice of " +
                            HumanDate(LondonDate(ev[i].at)));
    SetMet(o, AtOf(NextOf(ev, i, AccreditationKind::kSubmission)), "RMD resubmitted");
    out.push_back(std::move(o));
  }
}

// The Customer's side: the approval process should take no longer than 15 WD from the first
// submission of a cycle (a submission not answering a non-approval or a rejection).
void Rule5_5CustomerDecision(const RuleContext& ctx, std::vector<Obligation>& out) {
  const auto& ev = ctx.in.accreditation_events;
  bool cycle_open = false;
  for (std::size_t i = 0; i < ev.size(); ++i) {
    switch (ev[i].kind) {
      case AccreditationKind::kApproval:
      case AccreditationKind::kTermination:
        cycle_open = false;
        break;
      case AccreditationKind::kSubmission: {
        if (cycle_open) {
          break;  // a resubmission: the 15 WD count from the first submission
        }
        cycle_open = true;
        Obligation o =
            Make("S2.4-5.5", EventSubject(ev[i]), "approval-target", ev[i].at,
                 ctx.cal.DueWithinWorkingDays(ev[i].at, 15), kCustomerTarget,
                 "The Customer to complete the approval process for the RMD first submitted on " +
                     HumanDate(LondonDate(ev[i].at)) + " (15 Working Days target)");
        o.customer_side = true;
        SetMet(o, AtOf(NextOf(ev, i, AccreditationKind::kApproval)), "Approval Statement");
        out.push_back(std::move(o));
        break;
      }
      default:
        break;
    }
  }
}

// ---- S2.4-5.8, 5.9 ---------------------------------------------------------------------------

// Within 20 WD of a Rejection Notice: address the issues and notify readiness for an
// Accreditation Decision.
void Rule5_8(const RuleContext& ctx, std::vector<Obligation>& out) {
  const auto& ev = ctx.in.accreditation_events;
  for (std::size_t i = 0; i < ev.size(); ++i) {
    if (ev[i].kind != AccreditationKind::kRejectionNotice) {
      continue;
    }
    Obligation o = Make("S2.4-5.8", EventSubject(ev[i]), "ready", ev[i].at,
                        ctx.cal.DueWithinWorkingDays(ev[i].at, 20), 0,
                        "Address the issues in the Risk Management Rejection Notice of " +
                            HumanDate(LondonDate(ev[i].at)) +
                            " and notify the Customer that the Core IMS is ready for an "
                            "Accreditation Decision");
    SetMet(o, AtOf(NextOf(ev, i, AccreditationKind::kReadyForDecision)),
           "Ready for an Accreditation Decision");
    out.push_back(std::move(o));
  }
}

// A further Rejection Notice (a second one without an approval in between) makes the failure to
// obtain approval a material Default; the Customer may terminate. Recorded as a breach at the
// notice (overdue from that instant), remedied late by a later approval.
void Rule5_9(const RuleContext& ctx, std::vector<Obligation>& out) {
  const auto& ev = ctx.in.accreditation_events;
  int rejections = 0;
  for (std::size_t i = 0; i < ev.size(); ++i) {
    if (ev[i].kind == AccreditationKind::kApproval) {
      rejections = 0;
    } else if (ev[i].kind == AccreditationKind::kRejectionNotice && ++rejections >= 2) {
      Obligation o = Make("S2.4-5.9", EventSubject(ev[i]), "", ev[i].at, ev[i].at,
                          kMaterialDefault | kTerminationRight,
                          "Obtain accreditation after the further Risk Management Rejection "
                          "Notice of " +
                              HumanDate(LondonDate(ev[i].at)) +
                              ": the failure to gain approval is a material Default");
      SetMet(o, AtOf(NextOf(ev, i, AccreditationKind::kApproval)), "Approval Statement");
      out.push_back(std::move(o));
    }
  }
}

// ---- S2.4-5.11: no processing before an Approval Statement -----------------------------------

Instant ProcessingStart(const Inputs& in) {
  if (in.contract.operational_service_commencement_date) {
    return StartOf(*in.contract.operational_service_commencement_date);
  }
  if (in.contract.effective_date) {
    return StartOf(*in.contract.effective_date);
  }
  return Instant{};
}

Instant ContractStart(const Inputs& in) {
  return in.contract.effective_date ? StartOf(*in.contract.effective_date) : Instant{};
}

void Rule5_11(const RuleContext& ctx, std::vector<Obligation>& out) {
  const auto& ev = ctx.in.accreditation_events;
  Obligation o = Make("S2.4-5.11", ContractSubject(ctx.in, "Core IMS"), "", ContractStart(ctx.in),
                      ProcessingStart(ctx.in), kProcessingBar,
                      "Obtain a Risk Management Approval Statement before the Core IMS processes "
                      "Customer Data");
  o.precondition = true;
  for (const AccreditationEvent& e : ev) {
    if (e.kind == AccreditationKind::kApproval) {
      SetMet(o, e.at, "Approval Statement" + (e.reference.empty() ? "" : " " + e.reference));
      break;
    }
  }
  out.push_back(std::move(o));
}

// ---- S2.4-5.12: the RMD updated annually -----------------------------------------------------

void Rule5_12(const RuleContext& ctx, std::vector<Obligation>& out) {
  const auto& versions = ctx.in.rmd_versions;
  for (std::size_t i = 0; i < versions.size(); ++i) {
    const RmdVersion& v = versions[i];
    const std::string label = "RMD version " + std::to_string(v.version);
    Obligation o = Make("S2.4-5.12", Subject{"rmd_versions", v.version, label}, "", v.issued_at,
                        Calendar::DueBy(AddYears(LondonDate(v.issued_at), 1)), 0,
                        "Review and update the RMD issued as version " + std::to_string(v.version) +
                            " on " + HumanDate(LondonDate(v.issued_at)));
    if (i + 1 < versions.size()) {
      SetMet(o, versions[i + 1].issued_at,
             "RMD version " + std::to_string(versions[i + 1].version) + " issued");
    }
    out.push_back(std::move(o));
  }
}

// ---- S2.4-5.13, 5.14: notifiable events ------------------------------------------------------

Subject NotifiableSubject(const NotifiableEvent& e) {
  return Subject{"notifiable_events", e.id, Shorten(e.description, 80)};
}

void Rule5_13(const RuleContext& ctx, std::vector<Obligation>& out) {
  for (const NotifiableEvent& e : ctx.in.notifiable_events) {
    std::string clause(NotifiableEventClause(e.kind));
    if (clause.empty()) {
      clause = "S2.4-5.13";
    }
    // DueWithinWorkingDays(became_aware_at, 2), sharing the one London-date conversion.
    const Date aware = LondonDate(e.became_aware_at);
    Obligation o = Make(std::move(clause), NotifiableSubject(e), "", e.became_aware_at,
                        LondonEndOfDay(ctx.cal.AddWorkingDays(aware, 2)), kNotificationDuty,
                        Cat({"Notify the Customer of the ", NotifiableEventPhrase(e.kind),
                             " recorded on ", HumanDate(aware)}));
    SetMet(o, e.customer_notified_at, "Notified");
    out.push_back(std::move(o));
  }
}

void Rule5_14(const RuleContext& ctx, std::vector<Obligation>& out) {
  for (const NotifiableEvent& e : ctx.in.notifiable_events) {
    if (!e.customer_notified_at) {
      continue;
    }
    const Date notified = LondonDate(*e.customer_notified_at);
    Obligation o = Make("S2.4-5.14", NotifiableSubject(e), "", *e.customer_notified_at,
                        LondonEndOfDay(ctx.cal.AddWorkingDays(notified, 10)), 0,
                        Cat({"Update the Required Changes Register and provide it to the "
                             "Customer for review after the notification of ",
                             HumanDate(notified)}));
    SetMet(o, e.rcr_provided_at, "RCR provided");
    out.push_back(std::move(o));
  }
}

// ---- S2.4-5.15: RCR changes implemented by their agreed date ---------------------------------

void Rule5_15(const RuleContext& ctx, std::vector<Obligation>& out) {
  for (const RcrEntry& r : ctx.in.rcr) {
    if ((r.status != "agreed" && r.status != "implemented") || !r.implementation_due_date) {
      continue;
    }
    const Instant trigger = r.date_agreed ? StartOf(*r.date_agreed) : r.created_at;
    Obligation o =
        Make("S2.4-5.15", Subject{"rcr", r.id, r.ref.empty() ? Shorten(r.change, 60) : r.ref}, "",
             std::min(trigger, Calendar::DueBy(*r.implementation_due_date)),
             Calendar::DueBy(*r.implementation_due_date),
             kMaterialDefault | kProcessingBar | kTerminationRight,
             Cat({"Implement Required Changes Register entry ", r.ref, " (", Shorten(r.change, 60),
                  ") by its agreed date ", HumanDate(*r.implementation_due_date)}));
    if (r.implemented_date) {
      SetMet(o, StartOf(*r.implemented_date), "Implemented");
    }
    out.push_back(std::move(o));
  }
}

// ---- S2.4-6: certification -------------------------------------------------------------------

struct Scheme {
  std::string_view name;
  std::string_view title;
};

constexpr std::array<Scheme, 2> kRequiredSchemes = {{
    {"iso27001", "ISO/IEC 27001"},
    {"cyber_essentials_plus", "Cyber Essentials Plus"},
}};

std::string_view SchemeTitle(std::string_view scheme) {
  for (const Scheme& s : kRequiredSchemes) {
    if (s.name == scheme) {
      return s.title;
    }
  }
  return scheme == "ncsc_cas_sanitisation" ? "NCSC CAS (Sanitisation)" : "other";
}

// The Provider and each sub-contractor with access to Customer Data (S2.4-6.2).
std::vector<const PartyInfo*> CertifiedParties(const Inputs& in) {
  std::vector<const PartyInfo*> out;
  for (const PartyInfo& p : in.parties) {
    if (p.kind == "provider" || (p.kind == "subcontractor" && p.access_to_customer_data)) {
      out.push_back(&p);
    }
  }
  return out;
}

Subject PartySubject(const PartyInfo& p) {
  return Subject{"suppliers", p.id, p.name};
}

bool IsRequiredScheme(std::string_view scheme) {
  return scheme == "iso27001" || scheme == "cyber_essentials_plus";
}

// A certificate counts only while it is valid: from 00:00 London on its issue day until the end
// of its expiry day or 00:00 London on its withdrawal day, whichever comes first
// (Instant::max() for neither). Without an issue date it was never issued and never counts.
Instant ValidUntil(const Certification& c) {
  Instant until = Instant::max();
  if (c.expiry_date) {
    until = Calendar::DueBy(*c.expiry_date) + chr::milliseconds(1);
  }
  if (c.withdrawn_date) {
    until = std::min(until, StartOf(*c.withdrawn_date));
  }
  return until;
}

// "certificate ISO-1 expired 23 Oct 2026" or "... withdrawn 24 Dec 2026": why it stopped.
std::string EndedWhy(const Certification& c) {
  if (c.withdrawn_date && StartOf(*c.withdrawn_date) <= ValidUntil(c)) {
    return "certificate " + c.certificate_number + " withdrawn " + HumanDate(*c.withdrawn_date);
  }
  return "certificate " + c.certificate_number + " expired " +
         (c.expiry_date ? HumanDate(*c.expiry_date) : std::string());
}

// A period in which a certificate meets an obligation.
struct Cover {
  Instant from;
  Instant until;
  const Certification* cert;
};

// Met from the first period a certificate covers it, lapsed in every gap between the periods
// and after the last one (unless that is open-ended). `by` names what met it.
template <typename By>
void SetCovered(Obligation& o, std::vector<Cover> covers, By by) {
  std::erase_if(covers, [](const Cover& c) { return c.until <= c.from; });
  if (covers.empty()) {
    return;
  }
  std::sort(covers.begin(), covers.end(), [](const Cover& a, const Cover& b) {
    return std::tie(a.from, a.cert->id) < std::tie(b.from, b.cert->id);
  });
  SetMet(o, covers.front().from, by(*covers.front().cert));
  Instant end = covers.front().until;
  const Certification* last = covers.front().cert;
  for (std::size_t i = 1; i < covers.size(); ++i) {
    if (covers[i].from > end) {
      o.lapses.push_back(Lapse{end, covers[i].from, EndedWhy(*last), by(*covers[i].cert)});
    }
    if (covers[i].until > end) {
      end = covers[i].until;
      last = covers[i].cert;
    }
  }
  if (end != Instant::max()) {
    o.lapses.push_back(Lapse{end, Instant::max(), EndedWhy(*last), {}});
  }
}

// The periods in which `party`'s certificates of `scheme` are valid and, when `provided` is
// set, a copy has been given to the Customer (from the later of issue and provision).
std::vector<Cover> CoversOf(const Inputs& in, std::int64_t party, std::string_view scheme,
                            bool provided) {
  std::vector<Cover> out;
  for (const Certification& c : in.certifications) {
    if (c.party_id != party || c.scheme != scheme || !c.issue_date) {
      continue;
    }
    Instant from = StartOf(*c.issue_date);
    if (provided) {
      if (!c.provided_to_customer_date) {
        continue;
      }
      from = std::max(from, StartOf(*c.provided_to_customer_date));
    }
    out.push_back(Cover{from, ValidUntil(c), &c});
  }
  return out;
}

// Within 6 months of the Effective Date: certified to ISO/IEC 27001 and Cyber Essentials Plus.
void Rule6_2Certified(const RuleContext& ctx, std::vector<Obligation>& out) {
  if (!ctx.in.contract.effective_date) {
    return;
  }
  const Date effective = *ctx.in.contract.effective_date;
  for (const PartyInfo* p : CertifiedParties(ctx.in)) {
    for (const Scheme& s : kRequiredSchemes) {
      Obligation o = Make("S2.4-6.2", PartySubject(*p), std::string(s.name), StartOf(effective),
                          Calendar::DueBy(AddMonths(effective, 6)), 0,
                          "Certify " + p->name + " to " + std::string(s.title) +
                              " within 6 months of the Effective Date");
      // Only the party's own valid certificates count, and "throughout": each gap in them is a
      // lapse (one that ended before the Effective Date leaves this due at the 6 months).
      SetCovered(o, CoversOf(ctx.in, p->id, s.name, /*provided=*/false),
                 [](const Certification& c) { return "Certificate " + c.certificate_number; });
      out.push_back(std::move(o));
    }
  }
}

// The renewal of a certificate: the next certificate of the same party and scheme.
const Certification* RenewalOf(const Inputs& in, const Certification& c) {
  const Certification* best = nullptr;
  for (const Certification& n : in.certifications) {
    if (n.id == c.id || n.party_id != c.party_id || n.scheme != c.scheme || !n.issue_date) {
      continue;
    }
    const bool later = c.issue_date ? *n.issue_date > *c.issue_date : n.id > c.id;
    if (later && (best == nullptr || *n.issue_date < *best->issue_date)) {
      best = &n;
    }
  }
  return best;
}

bool Requires(const Inputs& in, std::int64_t party_id) {
  const PartyInfo* p = in.Party(party_id);
  return p != nullptr &&
         (p->kind == "provider" || (p->kind == "subcontractor" && p->access_to_customer_data));
}

// "Throughout": each certificate renewed before it expires.
void Rule6_2Expiry(const RuleContext& ctx, std::vector<Obligation>& out) {
  const std::optional<Date>& effective = ctx.in.contract.effective_date;
  for (const Certification& c : ctx.in.certifications) {
    if (!c.expiry_date || !IsRequiredScheme(c.scheme) || !Requires(ctx.in, c.party_id)) {
      continue;
    }
    // Nothing is due before the Effective Date: a certificate that expired before it leaves
    // the party to be certified within the 6 months (Rule6_2Certified), and one expiring inside
    // them need only be renewed by their end.
    if (effective && *c.expiry_date < *effective) {
      continue;
    }
    const PartyInfo& p = *ctx.in.Party(c.party_id);
    Instant trigger = StartOf(AddDays(*c.expiry_date, -90));
    if (c.issue_date) {
      trigger = std::max(trigger, StartOf(*c.issue_date));
    }
    const std::string what = "Renew " + p.name + "'s " + std::string(SchemeTitle(c.scheme)) +
                             " certificate " + c.certificate_number;
    Instant due = Calendar::DueBy(*c.expiry_date);
    std::string action = what + " before it expires on " + HumanDate(*c.expiry_date);
    if (effective && AddMonths(*effective, 6) > *c.expiry_date) {
      due = Calendar::DueBy(AddMonths(*effective, 6));
      action = what + ", which expires on " + HumanDate(*c.expiry_date) +
               ", within 6 months of the Effective Date";
    }
    Obligation o = Make("S2.4-6.2", Subject{"certifications", c.id, c.certificate_number},
                        "renewal", std::min(trigger, due), due, 0, std::move(action));
    if (const Certification* r = RenewalOf(ctx.in, c)) {
      SetMet(o, StartOf(*r->issue_date), "Renewed by certificate " + r->certificate_number);
    }
    out.push_back(std::move(o));
  }
}

// A copy of each certificate before the party may process Customer Data.
void Rule6_3(const RuleContext& ctx, std::vector<Obligation>& out) {
  for (const PartyInfo* p : CertifiedParties(ctx.in)) {
    for (const Scheme& s : kRequiredSchemes) {
      Obligation o =
          Make("S2.4-6.3", PartySubject(*p), std::string(s.name), ContractStart(ctx.in),
               ProcessingStart(ctx.in), kProcessingBar,
               "Provide the Customer with a copy of " + p->name + "'s " + std::string(s.title) +
                   " certificate before it uses the Core IMS for Customer Data");
      o.precondition = true;
      // Met while a valid certificate of this party, of which the Customer has a copy, is in
      // force; an expired or withdrawn one without a provided successor bars processing again.
      SetCovered(o, CoversOf(ctx.in, p->id, s.name, /*provided=*/true), [](const Certification& c) {
        return "Copy of certificate " + c.certificate_number + " provided";
      });
      out.push_back(std::move(o));
    }
  }
}

// Evidence of NCSC-assured sanitisation before any secure destruction at a site: a valid NCSC
// CAS (Sanitisation) certificate of the party that destroys Customer Data there (the site's
// destruction_party_id), provided to the Customer. A certificate of another party does not
// count, and a site with no such party recorded cannot be met.
void Rule6_6(const RuleContext& ctx, std::vector<Obligation>& out) {
  for (const Site& s : ctx.in.sites) {
    if (!s.used_for_destruction) {
      continue;
    }
    const PartyInfo* party =
        s.destruction_party_id ? ctx.in.Party(*s.destruction_party_id) : nullptr;
    Obligation o =
        Make("S2.4-6.6", Subject{"sites", s.id, s.name}, "", ContractStart(ctx.in),
             ContractStart(ctx.in), kProcessingBar,
             party != nullptr
                 ? "Provide evidence of " + party->name +
                       "'s NCSC-assured (CAS) sanitisation before it destroys Customer Data or "
                       "media at " +
                       s.name
                 : "Record who destroys Customer Data or media at " + s.name +
                       " and provide evidence of their NCSC-assured (CAS) sanitisation before "
                       "any destruction there");
    o.precondition = true;
    if (party != nullptr) {
      SetCovered(o, CoversOf(ctx.in, party->id, "ncsc_cas_sanitisation", /*provided=*/true),
                 [](const Certification& c) {
                   return "Certificate " + c.certificate_number + " provided";
                 });
    }
    out.push_back(std::move(o));
  }
}

// Within 2 WD of a party ceasing to hold its certification: notify the Customer.
void Rule6_7(const RuleContext& ctx, std::vector<Obligation>& out) {
  for (const Certification& c : ctx.in.certifications) {
    if (!IsRequiredScheme(c.scheme) || !Requires(ctx.in, c.party_id)) {
      continue;
    }
    std::optional<Instant> lapse;
    std::string how;
    if (c.withdrawn_date) {
      lapse = StartOf(*c.withdrawn_date);
      how = "withdrawn " + HumanDate(*c.withdrawn_date);
    } else if (c.expiry_date) {
      const Certification* r = RenewalOf(ctx.in, c);
      if (r == nullptr || *r->issue_date > *c.expiry_date) {
        lapse = Calendar::DueBy(*c.expiry_date) + chr::milliseconds(1);
        how = "expired " + HumanDate(*c.expiry_date);
      }
    }
    // A lapse before the Effective Date is no notice duty (nothing is due before the contract;
    // the party must then be certified within the 6 months of S2.4-6.2).
    if (!lapse || *lapse < ContractStart(ctx.in)) {
      continue;
    }
    const PartyInfo& p = *ctx.in.Party(c.party_id);
    Obligation o = Make("S2.4-6.7", Subject{"certifications", c.id, c.certificate_number}, "",
                        *lapse, ctx.cal.DueWithinWorkingDays(*lapse, 2), kNotificationDuty,
                        "Notify the Customer that " + p.name + " no longer complies with the " +
                            std::string(SchemeTitle(c.scheme)) + " requirement (certificate " +
                            c.certificate_number + " " + how + ")");
    if (c.lapse_notified_date) {
      SetMet(o, StartOf(*c.lapse_notified_date), "Customer notified");
    }
    out.push_back(std::move(o));
  }
}

// ---- S2.4-7: security tests ------------------------------------------------------------------

std::vector<const Deliverable*> OfKind(const Inputs& in, std::string_view kind) {
  std::vector<const Deliverable*> out;
  for (const Deliverable& d : in.deliverables) {
    if (d.kind == kind) {
      out.push_back(&d);  // deliverables are sorted by performed_on
    }
  }
  return out;
}

// An ITHC before submitting the RMD for an Accreditation Decision (one within the 12 months
// before the submission).
void Rule7_1_1_1(const RuleContext& ctx, std::vector<Obligation>& out) {
  const auto ithcs = OfKind(ctx.in, "ithc");
  for (const AccreditationEvent& e : ctx.in.accreditation_events) {
    if (e.kind != AccreditationKind::kSubmission) {
      continue;
    }
    const Date day = LondonDate(e.at);
    Obligation o =
        Make("S2.4-7.1.1.1", EventSubject(e), "", e.at, e.at, 0,
             "Complete a CHECK IT Health Check before submitting the RMD on " + HumanDate(day));
    for (const Deliverable* d : ithcs) {
      if (d->performed_on <= day && d->performed_on >= AddYears(day, -1)) {
        SetMet(o, StartOf(d->performed_on), "IT Health Check " + d->title);  // latest wins
      } else if (d->performed_on > day && !o.met_at) {
        SetMet(o, StartOf(d->performed_on), "IT Health Check " + d->title);
        break;
      }
    }
    out.push_back(std::move(o));
  }
}

// An ITHC once every 12 months during the Term: the first within 12 months of the Effective
// Date, then each within 12 months of the previous one. Only ITHCs after the start of a period
// count for it: one before the Term serves 7.1.1.1, and one on the period's first day (the
// Effective Date, or a second report of the same day) would start an identical period. Each
// period is keyed by its first day, so keys are unique.
void Rule7_1_1_3(const RuleContext& ctx, std::vector<Obligation>& out) {
  if (!ctx.in.contract.effective_date) {
    return;
  }
  const auto ithcs = OfKind(ctx.in, "ithc");  // sorted by performed_on
  Date from = *ctx.in.contract.effective_date;
  std::size_t next = 0;
  for (int guard = 0; guard < 200; ++guard) {
    while (next < ithcs.size() && ithcs[next]->performed_on <= from) {
      ++next;
    }
    Obligation o =
        Make("S2.4-7.1.1.3", ContractSubject(ctx.in), FormatDate(from), StartOf(from),
             Calendar::DueBy(AddYears(from, 1)), 0,
             "Complete the annual CHECK IT Health Check due 12 months after " + HumanDate(from));
    const bool more = next < ithcs.size();
    if (more) {
      SetMet(o, StartOf(ithcs[next]->performed_on), "IT Health Check " + ithcs[next]->title);
      from = ithcs[next]->performed_on;
    }
    out.push_back(std::move(o));
    if (!more) {
      break;
    }
  }
}

constexpr std::array<const char*, 12> kMonthNames = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December"};

// A vulnerability scan every calendar month from the Effective Date (the first month starts on
// the Effective Date itself, as the first quarter of 10.1 does).
void Rule7_1_2(const RuleContext& ctx, std::vector<Obligation>& out) {
  if (!ctx.in.contract.effective_date) {
    return;
  }
  const Date effective = *ctx.in.contract.effective_date;
  const auto scans = OfKind(ctx.in, "vulnerability_scan");
  std::size_t next = 0;
  for (Date m = MonthStart(effective); m <= ctx.through; m = AddMonths(m, 1)) {
    const Date end = MonthEnd(m);
    const std::string period = FormatDate(m).substr(0, 7);
    Obligation o = Make("S2.4-7.1.2", ContractSubject(ctx.in), period,
                        StartOf(std::max(m, effective)), Calendar::DueBy(end), 0,
                        "Run the monthly vulnerability scan for " +
                            std::string(kMonthNames[static_cast<unsigned>(m.month()) - 1U]) + " " +
                            std::to_string(static_cast<int>(m.year())));
    while (next < scans.size() && scans[next]->performed_on < m) {
      ++next;
    }
    if (next < scans.size() && scans[next]->performed_on <= end) {
      SetMet(o, StartOf(scans[next]->performed_on), "Scan " + scans[next]->title);
    }
    out.push_back(std::move(o));
  }
}

// When a deliverable reached the Customer: the date it was provided, else the date it was made.
Date ProvidedOn(const Deliverable& d) {
  return d.provided_to_customer_date.value_or(d.performed_on);
}

// The deliverables of `kind` covering `period`, the first one provided to the Customer on or
// after `from` (the date it was provided, else its date), if any.
const Deliverable* FirstFor(const std::vector<const Deliverable*>& items, std::string_view period,
                            Date from) {
  const Deliverable* best = nullptr;
  for (const Deliverable* d : items) {
    if (d->period == period && ProvidedOn(*d) >= from &&
        (best == nullptr || ProvidedOn(*d) < ProvidedOn(*best))) {
      best = d;
    }
  }
  return best;
}

// By 31 March each year: the CEO's letter confirming the year's tests and procedures. Each
// letter counts for the year it covers (its period, "2027" for the year ending 31 March 2027),
// whenever it arrives: a late letter for last year is last year's, met late. The duty is to
// provide the letter, so the date it was provided counts, not the date signed; a letter
// provided before its year began does not count.
void Rule7_13(const RuleContext& ctx, std::vector<Obligation>& out) {
  if (!ctx.in.contract.effective_date) {
    return;
  }
  const Date effective = *ctx.in.contract.effective_date;
  const auto letters = OfKind(ctx.in, "ceo_letter");
  int year = static_cast<int>(effective.year());
  if (effective > Date(chr::year(year), chr::March, chr::day(31))) {
    ++year;
  }
  for (;; ++year) {
    const Date due_day(chr::year(year), chr::March, chr::day(31));
    const Date year_start(chr::year(year - 1), chr::April, chr::day(1));
    const Date start = std::max(effective, year_start);
    if (start > ctx.through) {
      break;
    }
    const std::string period = std::to_string(year);
    Obligation o = Make("S2.4-7.13", ContractSubject(ctx.in), period, StartOf(start),
                        Calendar::DueBy(due_day), 0,
                        "Send the CEO's letter confirming the year's security tests and "
                        "procedures, by 31 March " +
                            period);
    if (const Deliverable* d = FirstFor(letters, period, year_start)) {
      SetMet(o, StartOf(ProvidedOn(*d)), "Letter " + d->title);
    }
    out.push_back(std::move(o));
  }
}

// ---- S2.4-10.1: the Security Incident log at least quarterly ---------------------------------

// Each calendar quarter from the Effective Date (the first from the Effective Date itself) is
// covered by one log, which can only be complete once the quarter has ended: the obligation
// starts the day after the quarter and is due by the end of the next quarter (one log each
// quarter, covering the one before). A log counts for the quarter it covers (its period,
// "2026-Q3"), provided to the Customer after that quarter's last day.
void Rule10_1(const RuleContext& ctx, std::vector<Obligation>& out) {
  if (!ctx.in.contract.effective_date) {
    return;
  }
  const auto logs = OfKind(ctx.in, "incident_log");
  const Date effective = *ctx.in.contract.effective_date;
  const unsigned first_month = (static_cast<unsigned>(effective.month()) - 1U) / 3U * 3U + 1U;
  for (Date q(effective.year(), chr::month(first_month), chr::day(1)); q <= ctx.through;
       q = AddMonths(q, 3)) {
    const Date end = MonthEnd(AddMonths(q, 2));
    const Date after = AddDays(end, 1);
    const int quarter = static_cast<int>((static_cast<unsigned>(q.month()) - 1U) / 3U) + 1;
    const std::string period =
        std::to_string(static_cast<int>(q.year())) + "-Q" + std::to_string(quarter);
    Obligation o =
        Make("S2.4-10.1", ContractSubject(ctx.in), period, StartOf(after),
             Calendar::DueBy(MonthEnd(AddMonths(q, 5))), 0,
             "Provide the Customer with the Security Incident log for Q" + std::to_string(quarter) +
                 " " + std::to_string(static_cast<int>(q.year())) + " (" +
                 HumanDate(std::max(q, effective)) + " to " + HumanDate(end) + ")");
    if (const Deliverable* d = FirstFor(logs, period, after)) {
      SetMet(o, StartOf(ProvidedOn(*d)), "Incident log " + d->title);
    }
    out.push_back(std::move(o));
  }
}

// ---- S2.4-8.5: COTS software in mainstream support ------------------------------------------

// How far ahead of a mainstream support end the obligation is shown: the products register's
// amber RAG window.
constexpr int kSupportLeadDays = 180;

bool IsCotsSoftware(std::string_view product_type) {
  return product_type == "software" || product_type == "firmware";
}

// All COTS software stays in mainstream support throughout the Term "unless otherwise agreed by
// the Customer Relationship Manager in writing". One obligation per software or firmware product
// with a mainstream support end date, keyed by that date (recording an upgrade with its new date
// is a new obligation; a waiver of the old date does not carry over): shown from 180 days before
// the date (not before the Effective Date), due at the end of that day (at the end of the
// Effective Date for a product already out of support when the Term began), met by the written
// exception or by retiring or replacing the product, whichever is first. A product retired
// before the obligation came into view has none.
void Rule8_5(const RuleContext& ctx, std::vector<Obligation>& out) {
  const std::optional<Date> effective = ctx.in.contract.effective_date;
  for (const Product& p : ctx.in.products) {
    if (!IsCotsSoftware(p.product_type) || !p.mainstream_support_end) {
      continue;
    }
    const Date end = *p.mainstream_support_end;
    Date from = AddDays(end, -kSupportLeadDays);
    Date due_day = end;
    if (effective && from < *effective) {
      from = *effective;
    }
    if (effective && due_day < *effective) {
      due_day = *effective;
    }
    if (p.retired_date && *p.retired_date < from) {
      continue;
    }
    Obligation o =
        Make("S2.4-8.5", Subject{"products", p.id, p.label}, FormatDate(end), StartOf(from),
             Calendar::DueBy(due_day), 0,
             Cat({"Keep ", p.label, " in mainstream support (it ends ", HumanDate(end),
                  "): upgrade or replace it, or obtain the Customer Relationship Manager's "
                  "written agreement"}));
    if (p.exception_agreed_date &&
        (!p.retired_date || *p.exception_agreed_date <= *p.retired_date)) {
      SetMet(o, StartOf(*p.exception_agreed_date),
             p.exception_reference.empty()
                 ? std::string("Exception agreed in writing")
                 : "Exception agreed in writing (" + p.exception_reference + ")");
    } else if (p.retired_date) {
      SetMet(o, StartOf(*p.retired_date), "Retired or replaced");
    }
    out.push_back(std::move(o));
  }
}

}  // namespace

const std::vector<Rule>& Rules() {
  static const auto* rules = new std::vector<Rule>{
      {"S2.4-5.5",
       "Resubmit the RMD within 10 Working Days of a non-approval",
       {"accreditation_events"},
       false,
       Rule5_5Resubmit},
      {"S2.4-5.5",
       "The Customer's approval process: 15 Working Days from first submission",
       {"accreditation_events"},
       false,
       Rule5_5CustomerDecision},
      {"S2.4-5.8",
       "Ready for an Accreditation Decision within 20 Working Days of a Rejection Notice",
       {"accreditation_events"},
       false,
       Rule5_8},
      {"S2.4-5.9",
       "A further Rejection Notice is a material Default",
       {"accreditation_events"},
       false,
       Rule5_9},
      {"S2.4-5.11",
       "No processing of Customer Data before an Approval Statement",
       {"accreditation_events", "contract"},
       false,
       Rule5_11},
      {"S2.4-5.12", "The RMD updated annually", {"rmd_versions"}, false, Rule5_12},
      {"S2.4-5.13",
       "Notify a 5.13 event within 2 Working Days of becoming aware",
       {"notifiable_events"},
       false,
       Rule5_13},
      {"S2.4-5.14",
       "RCR updated and provided within 10 Working Days of the notification",
       {"notifiable_events"},
       false,
       Rule5_14},
      {"S2.4-5.15", "RCR changes implemented by their agreed date", {"rcr"}, false, Rule5_15},
      {"S2.4-6.2",
       "Certified within 6 months of the Effective Date",
       {"contract", "parties", "certifications"},
       false,
       Rule6_2Certified},
      {"S2.4-6.2",
       "Certificates renewed before expiry",
       {"contract", "parties", "certifications"},
       false,
       Rule6_2Expiry},
      {"S2.4-6.3",
       "Certificates provided before a party processes Customer Data",
       {"contract", "parties", "certifications"},
       false,
       Rule6_3},
      {"S2.4-6.6",
       "Sanitisation evidence before secure destruction",
       {"contract", "sites", "parties", "certifications"},
       false,
       Rule6_6},
      {"S2.4-6.7",
       "Notice within 2 Working Days of losing certification",
       {"contract", "parties", "certifications"},
       false,
       Rule6_7},
      {"S2.4-7.1.1.1",
       "An IT Health Check before an RMD submission",
       {"accreditation_events", "deliverables"},
       false,
       Rule7_1_1_1},
      {"S2.4-7.1.1.3",
       "An IT Health Check every 12 months",
       {"contract", "deliverables"},
       false,
       Rule7_1_1_3},
      {"S2.4-7.1.2",
       "A vulnerability scan every calendar month",
       {"contract", "deliverables"},
       true,
       Rule7_1_2},
      {"S2.4-7.13",
       "The CEO's letter by 31 March each year",
       {"contract", "deliverables"},
       true,
       Rule7_13},
      {"S2.4-8.5",
       "COTS software kept in mainstream support unless agreed otherwise in writing",
       {"contract", "products"},
       false,
       Rule8_5},
      {"S2.4-10.1",
       "The Security Incident log at least quarterly",
       {"contract", "deliverables"},
       true,
       Rule10_1},
  };
  return *rules;
}

}  // namespace accredit::clocks
