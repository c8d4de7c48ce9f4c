#pragma once

// reports: the documents Schedule 2.4 asks for, generated from the registers. The Risk
// Management Documentation (RMD) in the Annex 3 layout (S2.4-5.3, 5.4, Annex 3), the compliance
// matrix (S2.4-6.1), the ISO/IEC 27001:2013 Statement of Applicability (S2.4-5.4.3), issued
// (frozen, numbered) RMD versions with a section-by-section comparison, and the readiness check
// of S2.4-5.4 / 5.5 (non-compliance with 5.4 is a reasonable ground for the Customer to refuse
// approval). Generators are pure functions of the registers, the audit log, the catalogues and
// the injected Clock; they build docs::Document / docs::Workbook models that the docs writers
// render (HTML, DOCX, Markdown, XLSX, CSV). See docs/RMD.md.

#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "audit/audit.h"
#include "auth/auth.h"
#include "catalog/catalog.h"
#include "core/core.h"
#include "docs/docs.h"
#include "registers/registers.h"
#include "store/store.h"

namespace accredit::reports {

// The Annex 3 section headings at level 1, in order, exactly as the RMD prints them
// ("1 Executive Summary" ... "12 Personal Data Processing Statement", then "Annex A ..." to
// "Annex D ...").
const std::vector<std::string>& Annex3Headings();

// An issued RMD version (row of rmd_versions).
struct RmdVersionInfo {
  std::int64_t version = 0;
  std::string issued_at;  // ISO 8601 UTC
  std::string issued_by;
  std::string note;
  std::string sha256;  // hex SHA-256 of the stored JSON
};

// One item of the readiness check: an S2.4-5.4.x clause or an Annex 3 section.
struct ReadinessItem {
  std::string clause_id;  // "S2.4-5.4.1" ... "S2.4-5.4.8", "S2.4-A3-1" ... "S2.4-A3-12"
  std::string title;
  bool complete = true;
  std::vector<std::string> reasons;  // empty when complete; e.g. "risk R7 has no control"
};

struct ReadinessReport {
  bool complete = true;  // every item complete
  std::vector<ReadinessItem> items;
};

// What the product's obligation engine computes, for the compliance matrix (S2.4-6.1): the
// clocks module sits above this one, so the composition root (cli::OpenApp) supplies it.
enum class ComputedState {
  kOpen,    // not yet due (or due and not yet overdue)
  kMet,     // met on time, met late or waived
  kNotMet,  // overdue, or a precondition not met, or met earlier and now lapsed
};

// One obligation of the Provider (the Customer's own targets are left out).
struct ComputedObligation {
  std::string clause;  // "S2.4-5.13.1"
  ComputedState state = ComputedState::kOpen;
  bool met_late = false;
  Instant due{};
  std::string text;  // the obligation's sentence, as the dashboard shows it
};

struct ComputedClauses {
  std::vector<std::string> clauses;  // every clause a rule computes, e.g. "S2.4-8.5"
  std::vector<ComputedObligation> obligations;
};

// The obligations at `now`. Errors: those of the engine (the matrix then fails with them).
using ComputedSource = std::function<Result<ComputedClauses>(Instant now)>;

// Which Schedule 2.4 clause kinds the compliance matrix lists: obligations, deadlines and
// prohibitions (duties of the Provider). Consequences, Customer acts, definitions, informative
// clauses and Annex 3 template sections are not requirements the Provider can meet.
bool IsMatrixRequirement(const catalog::Clause& clause);

// The generators over one database. Thread-safe: every call reads through its own connection;
// the only shared state is the last readiness report, guarded by a mutex.
class Reports {
 public:
  // `computed`, when set, gives the compliance matrix the state the product computes for each
  // clause it has a rule for; it must stay callable while this object lives.
  Reports(store::Store& store, const audit::AuditLog& audit, registers::RegisterService& service,
          registers::Registers& registers, const catalog::Catalog& catalog, const Clock& clock,
          ComputedSource computed = {})
      : store_(store),
        audit_(audit),
        service_(service),
        registers_(registers),
        catalog_(catalog),
        clock_(clock),
        computed_(std::move(computed)) {}

  // Schema (migration versions 700-799): the rmd_versions table (700) and the soa_versions
  // table (701, the Statement of Applicability frozen with each RMD version).
  static std::vector<store::Migration> Migrations();

  // The RMD as at clock.Now(), in Annex 3 order, with gap notices where a register is empty.
  // `version` is the label on the title page ("Draft" when empty).
  // Errors: kPermissionDenied (document.read and the registers' read actions), store errors.
  Result<docs::Document> BuildRmd(const auth::Principal& actor, std::string_view version = {});

  // Freezes the current RMD as the next numbered version (1, 2, ...): its JSON form, issuer,
  // note and SHA-256, and with it the current Statement of Applicability (the SoA is part of the
  // RMD, S2.4-5.4.3) as soa_versions row `version`; one transaction, audited "rmd.issue"
  // (after_json also carries "soa_sha256"). Authorised document.issue.
  Result<RmdVersionInfo> IssueRmd(const auth::Principal& actor, std::string_view note);
  // Issued versions, oldest first. Authorised document.read.
  Result<std::vector<RmdVersionInfo>> ListRmdVersions(const auth::Principal& actor);
  // The frozen document of version `n`, exactly as issued. kNotFound (field "version") when no
  // such version; kDataLoss when the stored JSON no longer matches its SHA-256.
  Result<docs::Document> RmdVersion(const auth::Principal& actor, std::int64_t n);
  // Section-by-section comparison of issued versions a (older) and b (newer).
  Result<std::vector<docs::SectionDiff>> DiffRmd(const auth::Principal& actor, std::int64_t a,
                                                 std::int64_t b);

  // The compliance matrix (S2.4-6.1): sheet "Compliance matrix" (one row per requirement, see
  // IsMatrixRequirement; rows without a compliance record are "not assessed" gaps, highlighted;
  // where a rule computes the clause, its computed state beside the hand-written assessment,
  // red when they disagree) and sheet "Summary" (count per status). Errors also those of the
  // computed source.
  Result<docs::Workbook> ComplianceMatrix(const auth::Principal& actor);

  // The Statement of Applicability (S2.4-5.4.3): sheet "Statement of Applicability" (the 114
  // ISO/IEC 27001:2013 Annex A controls) and sheet "2022 view" (the 93 2022 controls with their
  // 2013 sources and derived applicability).
  Result<docs::Workbook> StatementOfApplicability(const auth::Principal& actor);

  // The Statement of Applicability frozen with RMD version `n`, re-rendered exactly as issued.
  // Authorised document.read. kNotFound (field "version") when no such version; kDataLoss when
  // the stored JSON no longer matches its SHA-256 (or is not a valid workbook).
  Result<docs::Workbook> SoaVersion(const auth::Principal& actor, std::int64_t n);

  // The readiness check of S2.4-5.4.1 to 5.4.8 and each Annex 3 section.
  Result<ReadinessReport> CheckReadiness(const auth::Principal& actor);

 private:
  store::Store& store_;
  const audit::AuditLog& audit_;
  registers::RegisterService& service_;
  registers::Registers& registers_;
  const catalog::Catalog& catalog_;
  const Clock& clock_;
  ComputedSource computed_;

  struct CachedReadiness {
    std::int64_t audit_head = 0;
    Date day;
    ReadinessReport report;
  };

  Mutex readiness_mu_;
  std::optional<CachedReadiness> readiness_cache_ ACC_GUARDED_BY(readiness_mu_);
};

// JSON form of a readiness report: {"complete":bool,"items":[{"clause_id",...}]}.
std::string ToJson(const ReadinessReport& report);

}  // namespace accredit::reports
