// The readiness check of S2.4-5.4.1 to 5.4.8 (S2.4-5.5: non-compliance with 5.4 is a reasonable
// ground for the Customer to refuse approval). Rules: docs/RMD.md.

#include <algorithm>
#include <set>

#include "reports/internal.h"

namespace accredit::reports::internal {
namespace {

std::string SchemeTitle(std::string_view scheme) {
  return scheme == "iso27001" ? "ISO/IEC 27001" : "Cyber Essentials Plus";
}

}  // namespace

ReadinessReport BuildReadiness(const Snapshot& s, const catalog::Catalog& catalog) {
  ReadinessReport report;
  auto item = [&report](std::string id, std::string title) -> ReadinessItem& {
    report.items.push_back(ReadinessItem{std::move(id), std::move(title), true, {}});
    return report.items.back();
  };
  const std::string today = FormatDate(s.today);

  {
    ReadinessItem& it = item("S2.4-5.4.1", "Accreditation Plan");
    const auto& plan = s.Of("accreditation_plan");
    if (plan.empty()) {
      it.reasons.emplace_back("no Accreditation Plan dates");
    } else {
      std::set<std::string> kinds;
      for (const auto& p : plan) {
        kinds.insert(Str(p, "kind"));
      }
      if (!kinds.contains("rmd_iteration")) {
        it.reasons.emplace_back("the Accreditation Plan has no RMD iteration dates");
      }
      if (!kinds.contains("approval_needed_by")) {
        it.reasons.emplace_back(
            "the Accreditation Plan has no date by which an Approval Statement is needed");
      }
    }
  }
  {
    ReadinessItem& it = item("S2.4-5.4.2", "Risks identified, documented and mitigated");
    if (s.Of("risks").empty()) {
      it.reasons.emplace_back("no risks recorded");
    }
    for (const auto& r : s.Of("risks")) {
      if (Str(r, "status") == "closed") {
        continue;
      }
      const std::string ref = Str(r, "ref");
      if (ControlRefsOfRisk(s, Int(r, "id").value_or(0)).empty()) {
        it.reasons.push_back("risk " + ref + " has no control");
      }
      if (Str(r, "owner").empty()) {
        it.reasons.push_back("risk " + ref + " has no owner");
      }
      if (Str(r, "residual_score").empty()) {
        it.reasons.push_back("risk " + ref + " has no residual assessment");
      }
      if (Bool(r, "above_appetite") && Str(r, "treatment").empty()) {
        it.reasons.push_back("risk " + ref + " is above appetite and has no treatment");
      }
    }
  }
  {
    ReadinessItem& it = item("S2.4-5.4.3", "ISO/IEC 27001:2013 Statement of Applicability");
    std::set<std::string> entered;
    for (const auto& e : s.Of("soa")) {
      entered.insert(Str(e, "control_id"));
    }
    std::size_t missing = 0;
    for (const auto& c : catalog.Controls(catalog::kIso2013)) {
      missing += entered.contains(c.id) ? 0 : 1;
    }
    if (missing > 0) {
      it.reasons.push_back(std::to_string(missing) + " Annex A controls have no SoA entry");
    }
  }
  {
    ReadinessItem& it = item("S2.4-5.4.4", "Sub-contractor and third-party risk process");
    bool process = false;
    for (const auto& r : s.Of("references")) {
      std::string text = Str(r, "title") + " " + Str(r, "reference");
      std::transform(text.begin(), text.end(), text.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      for (std::string_view w :
           {"sub-contractor", "subcontractor", "supplier", "third-party", "third party"}) {
        process = process || text.find(w) != std::string::npos;
      }
    }
    if (!process) {
      it.reasons.emplace_back(
          "no sub-contractor/third-party risk process in the references register");
    }
  }
  {
    ReadinessItem& it = item("S2.4-5.4.5", "Proposed controls");
    if (s.Of("controls").empty()) {
      it.reasons.emplace_back("no controls recorded");
    }
    for (const auto& c : s.Of("controls")) {
      if (!s.risks_of_control.contains(Int(c, "id").value_or(0))) {
        it.reasons.push_back("control " + Str(c, "ref") + " mitigates no risk");
      }
    }
  }
  {
    ReadinessItem& it = item("S2.4-5.4.6", "Required Changes Register");
    for (const auto& r : s.Of("rcr")) {
      const std::string status = Str(r, "status");
      const std::string due = Str(r, "implementation_due_date");
      if (!due.empty() && due < today && (status == "proposed" || status == "agreed")) {
        it.reasons.push_back("RCR entry " + Str(r, "ref") +
                             " is past its implementation due date (" + due + ")");
      }
    }
  }
  {
    ReadinessItem& it = item("S2.4-5.4.7",
                             "Evidence of the Certification Requirements (Provider and "
                             "sub-contractors)");
    bool provider = false;
    for (const auto& p : s.Of("suppliers")) {
      const std::string kind = Str(p, "kind");
      if (kind == "provider") {
        provider = true;
      } else if (kind != "subcontractor" || !Bool(p, "access_to_customer_data")) {
        continue;
      }
      const std::string who = (kind == "provider" ? "provider " : "supplier ") + Str(p, "name");
      const std::int64_t id = Int(p, "id").value_or(0);
      for (std::string_view scheme : {"iso27001", "cyber_essentials_plus"}) {
        std::vector<std::string> lapsed;
        std::vector<const Json*> certs;
        for (const auto& c : s.Of("certifications")) {
          if (Int(c, "party_id").value_or(-1) == id && Str(c, "scheme") == scheme) {
            certs.push_back(&c);
          }
        }
        if (certs.empty()) {
          it.reasons.push_back(who + " has no " + SchemeTitle(scheme) + " certificate");
          continue;
        }
        // A certificate counts as the clocks count it (docs/CLOCKS.md): from its issue day,
        // until it expires or is withdrawn. Evidence of it is the certificate file: an
        // evidence record that exists, not just dates.
        std::vector<const Json*> counting;
        for (const Json* c : certs) {
          const std::string number = Str(*c, "certificate_number");
          const std::string status = Str(*c, "status");
          const std::string issued = Str(*c, "issue_date");
          std::string why;
          if (status == "withdrawn") {
            why = "was withdrawn on " + Str(*c, "withdrawn_date");
          } else if (status == "expired") {
            why = "expired on " + Str(*c, "expiry_date");
          } else if (issued.empty()) {
            why = "has no issue date";
          } else if (issued > today) {
            why = "is not issued until " + issued;
          }
          if (why.empty()) {
            counting.push_back(c);
          } else {
            lapsed.push_back(who + ": " + SchemeTitle(scheme) + " certificate " + number + " " +
                             why);
          }
        }
        if (counting.empty()) {
          it.reasons.insert(it.reasons.end(), lapsed.begin(), lapsed.end());
        } else {
          std::vector<std::string> no_file;
          bool filed = false;
          for (const Json* c : counting) {
            const auto evidence = Int(*c, "evidence_id");
            if (evidence && s.Find("evidence", *evidence) != nullptr) {
              filed = true;
            } else {
              no_file.push_back(who + ": " + SchemeTitle(scheme) + " certificate " +
                                Str(*c, "certificate_number") +
                                (evidence ? " names a certificate file that no longer exists"
                                          : " has no certificate file (upload it as evidence)"));
            }
          }
          if (!filed) {
            it.reasons.insert(it.reasons.end(), no_file.begin(), no_file.end());
          }
        }
        if (scheme == "iso27001") {
          for (const Json* c : counting) {
            if (!Bool(*c, "ukas_accredited")) {
              it.reasons.push_back(who + ": ISO/IEC 27001 certificate " +
                                   Str(*c, "certificate_number") +
                                   " is not from a UKAS-accredited body");
            }
          }
        }
      }
    }
    if (!provider) {
      it.reasons.insert(it.reasons.begin(), "no Provider party recorded");
    }
  }
  {
    ReadinessItem& it = item("S2.4-5.4.8", "Personal Data Processing Statement");
    if (s.Of("pdps").empty()) {
      it.reasons.emplace_back("no Personal Data Processing Statement entries");
    }
  }
  for (auto& it : report.items) {
    it.complete = it.reasons.empty();
    report.complete = report.complete && it.complete;
  }
  return report;
}

}  // namespace accredit::reports::internal
