#pragma once

// The test helper for obligation rules (the extension point of src/clocks/clocks.h): build the
// engine's Inputs in memory in a few lines, evaluate one rule (or all) at any instant with the
// contract calendar, and find obligations by clause and subject.
//
//   ScenarioBuilder s;
//   s.Effective("2026-04-01");
//   auto id = s.NotifiableEvent("architecture_change", "2026-11-03T10:00:00Z");
//   auto obs = s.Evaluate("S2.4-5.13", "2026-11-04T12:00:00Z");
//   const Obligation& o = Find(obs, "S2.4-5.13.1", "notifiable_events", id);
//   EXPECT_EQ(FormatInstantUtc(o.due), "2026-11-05T23:59:59.999Z");

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "clocks/clocks.h"

namespace accredit::clocks::testing {

inline Instant At(std::string_view text) {
  auto t = ParseInstant(text);
  EXPECT_TRUE(t.ok()) << text;
  return t.ok() ? *t : Instant{};
}

inline Date D(std::string_view text) {
  auto d = ParseDate(text);
  EXPECT_TRUE(d.ok()) << text;
  return d.ok() ? *d : Date{};
}

inline std::optional<Date> OptD(std::string_view text) {
  if (text.empty()) {
    return std::nullopt;
  }
  return D(text);
}

inline std::optional<Instant> OptAt(std::string_view text) {
  if (text.empty()) {
    return std::nullopt;
  }
  return At(text);
}

class ScenarioBuilder {
 public:
  ScenarioBuilder() {
    in_.contract.provider_name = "Provider Ltd";
    in_.contract.customer_name = "Highways England";
  }

  Inputs& In() { return in_; }

  Calendar& Cal() { return cal_; }

  Options& Opts() { return options_; }

  ScenarioBuilder& Effective(std::string_view date) {
    in_.contract.effective_date = D(date);
    return *this;
  }

  ScenarioBuilder& ServiceCommencement(std::string_view date) {
    in_.contract.operational_service_commencement_date = D(date);
    return *this;
  }

  // Accreditation events must be added in time order (as the register's validator enforces).
  std::int64_t Accreditation(AccreditationKind kind, std::string_view at,
                             std::optional<std::int64_t> rmd_version = std::nullopt,
                             std::string reference = {}) {
    AccreditationEvent e;
    e.id = NextId();
    e.kind = kind;
    e.at = At(at);
    e.rmd_version = rmd_version;
    e.reference = std::move(reference);
    in_.accreditation_events.push_back(e);
    return e.id;
  }

  std::int64_t NotifiableEvent(std::string kind, std::string_view became_aware_at,
                               std::string_view customer_notified_at = {},
                               std::string_view rcr_provided_at = {},
                               std::string description = "An event") {
    clocks::NotifiableEvent e;
    e.id = NextId();
    e.kind = std::move(kind);
    e.description = std::move(description);
    e.became_aware_at = At(became_aware_at);
    e.customer_notified_at = OptAt(customer_notified_at);
    e.rcr_provided_at = OptAt(rcr_provided_at);
    in_.notifiable_events.push_back(e);
    return e.id;
  }

  std::int64_t Rcr(std::string ref, std::string status, std::string_view date_agreed,
                   std::string_view implementation_due, std::string_view implemented = {}) {
    RcrEntry r;
    r.id = NextId();
    r.ref = std::move(ref);
    r.change = "Change " + r.ref;
    r.status = std::move(status);
    r.date_agreed = OptD(date_agreed);
    r.implementation_due_date = OptD(implementation_due);
    r.implemented_date = OptD(implemented);
    in_.rcr.push_back(r);
    return r.id;
  }

  // kind: provider | subcontractor | customer. Parties must be added in id order (they are).
  std::int64_t Party(std::string kind, std::string name, bool access_to_customer_data = true) {
    PartyInfo p{NextId(), std::move(kind), std::move(name), access_to_customer_data};
    in_.parties.push_back(p);
    return p.id;
  }

  std::int64_t Certificate(std::int64_t party_id, std::string scheme, std::string number,
                           std::string_view issue, std::string_view expiry,
                           std::string_view provided = {}, std::string_view withdrawn = {},
                           std::string_view lapse_notified = {}) {
    Certification c;
    c.id = NextId();
    c.party_id = party_id;
    c.scheme = std::move(scheme);
    c.certificate_number = std::move(number);
    c.issue_date = OptD(issue);
    c.expiry_date = OptD(expiry);
    c.provided_to_customer_date = OptD(provided);
    c.withdrawn_date = OptD(withdrawn);
    c.lapse_notified_date = OptD(lapse_notified);
    in_.certifications.push_back(c);
    return c.id;
  }

  // kind: ithc | vulnerability_scan | ceo_letter | incident_log. Kept sorted by date. `period`:
  // the year ending 31 March a CEO's letter covers ("2027"), the quarter of an incident log
  // ("2026-Q3").
  std::int64_t Deliverable(std::string kind, std::string_view performed_on,
                           std::string_view provided = {}, std::string period = {}) {
    clocks::Deliverable d{NextId(),        kind,           kind + " " + std::string(performed_on),
                          D(performed_on), OptD(provided), std::move(period)};
    in_.deliverables.push_back(d);
    std::stable_sort(in_.deliverables.begin(), in_.deliverables.end(),
                     [](const clocks::Deliverable& a, const clocks::Deliverable& b) {
                       return a.performed_on < b.performed_on;
                     });
    return d.id;
  }

  std::int64_t RmdVersion(std::int64_t version, std::string_view issued_at) {
    in_.rmd_versions.push_back(clocks::RmdVersion{version, At(issued_at)});
    return version;
  }

  // `destroyed_by`: the party that destroys Customer Data there (S2.4-6.6), if any.
  std::int64_t Site(std::string name, bool used_for_destruction,
                    std::optional<std::int64_t> destroyed_by = std::nullopt) {
    clocks::Site s{NextId(), std::move(name), used_for_destruction, destroyed_by};
    in_.sites.push_back(s);
    return s.id;
  }

  // A product of the A3-8 list (S2.4-8.5): type "software", "firmware", "hardware" or
  // "service"; dates "" when unset.
  std::int64_t Product(std::string label, std::string type, std::string_view mainstream_end,
                       std::string_view exception_agreed = {}, std::string_view retired = {}) {
    clocks::Product p;
    p.id = NextId();
    p.label = std::move(label);
    p.product_type = std::move(type);
    p.mainstream_support_end = OptD(mainstream_end);
    p.exception_agreed_date = OptD(exception_agreed);
    p.exception_reference = exception_agreed.empty() ? "" : "CRM letter " + p.label;
    p.retired_date = OptD(retired);
    in_.products.push_back(std::move(p));
    return in_.products.back().id;
  }

  // Waivers of one key are kept in (agreed date, id) order, as LoadTable does.
  std::int64_t Waive(std::string obligation_key, std::string_view agreed = {}) {
    Waiver w{NextId(), obligation_key, "Customer", OptD(agreed)};
    auto& list = in_.waivers[obligation_key];
    list.push_back(w);
    std::stable_sort(list.begin(), list.end(), [](const Waiver& a, const Waiver& b) {
      return a.agreed_date.value_or(Date{}) < b.agreed_date.value_or(Date{});
    });
    return w.id;
  }

  // Every obligation of the rules serving `rule_clause` (a Rule::clause such as "S2.4-5.13";
  // empty = all rules), evaluated at `now` with states applied.
  std::vector<Obligation> Evaluate(std::string_view rule_clause, std::string_view now) const {
    return Evaluate(rule_clause, At(now));
  }

  std::vector<Obligation> Evaluate(std::string_view rule_clause, Instant now) const {
    std::vector<Obligation> out;
    const RuleContext ctx{
        in_, cal_,
        Date(std::chrono::sys_days(LondonDate(now)) + std::chrono::days(options_.lookahead_days))};
    for (const Rule& rule : Rules()) {
      if (rule_clause.empty() || rule.clause == rule_clause) {
        rule.generate(ctx, out);
      }
    }
    ApplyStates(out, in_, cal_, now, options_);
    return out;
  }

 private:
  std::int64_t NextId() { return ++last_id_; }

  Inputs in_;
  Calendar cal_;
  Options options_;
  std::int64_t last_id_ = 0;
};

// The obligations with this clause and subject (any period).
inline std::vector<const Obligation*> FindAll(const std::vector<Obligation>& obs,
                                              std::string_view clause, std::string_view reg,
                                              std::int64_t id) {
  std::vector<const Obligation*> out;
  for (const Obligation& o : obs) {
    if (o.clause == clause && o.subject.reg == reg && o.subject.id == id) {
      out.push_back(&o);
    }
  }
  return out;
}

// The one obligation by key; fails the test when missing.
inline const Obligation& FindKey(const std::vector<Obligation>& obs, std::string_view key) {
  for (const Obligation& o : obs) {
    if (o.key == key) {
      return o;
    }
  }
  ADD_FAILURE() << "no obligation with key " << key;
  static const Obligation kNone;
  return kNone;
}

inline bool HasKey(const std::vector<Obligation>& obs, std::string_view key) {
  for (const Obligation& o : obs) {
    if (o.key == key) {
      return true;
    }
  }
  return false;
}

// A copy of the one obligation with `key` evaluated at `now` (Evaluate returns a temporary, so
// keep a copy rather than a reference into it).
inline Obligation Get(const ScenarioBuilder& s, std::string_view rule, std::string_view now,
                      const std::string& key) {
  return FindKey(s.Evaluate(rule, now), key);
}

inline State StateAt(const ScenarioBuilder& s, std::string_view rule, std::string_view now,
                     const std::string& key) {
  return FindKey(s.Evaluate(rule, now), key).state;
}

// "<prefix><id>[/<suffix>]", e.g. Key("S2.4-6.2/suppliers/", 3, "iso27001").
inline std::string Key(const std::string& prefix, std::int64_t id, const std::string& suffix = {}) {
  return prefix + std::to_string(id) + (suffix.empty() ? "" : "/" + suffix);
}

}  // namespace accredit::clocks::testing
