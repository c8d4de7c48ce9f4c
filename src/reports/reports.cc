#include "reports/reports.h"

#include <array>
#include <mutex>

#include <openssl/evp.h>

#include "reports/internal.h"

namespace accredit::reports {
namespace {

// "1 Executive Summary" -> "S2.4-A3-1"; "Annex A ..." -> "S2.4-A3-A".
std::string SectionClause(const std::string& heading) {
  if (heading.rfind("Annex ", 0) == 0 && heading.size() > 6) {
    return "S2.4-A3-" + heading.substr(6, 1);
  }
  return "S2.4-A3-" + heading.substr(0, heading.find(' '));
}

// One readiness item per Annex 3 level-1 section: complete when it holds no gap notice.
void AddSectionItems(const docs::Document& doc, ReadinessReport& report) {
  ReadinessItem* current = nullptr;
  std::string sub;
  for (const auto& block : doc.blocks) {
    if (const auto* h = std::get_if<docs::Heading>(&block)) {
      if (h->level == 1) {
        const auto space = h->text.find(' ');
        report.items.push_back(
            ReadinessItem{SectionClause(h->text),
                          h->text.substr(h->text.rfind("Annex ", 0) == 0 ? 8 : space + 1),
                          true,
                          {}});
        current = &report.items.back();
        sub.clear();
      } else if (h->level == 2) {
        sub = h->text;
      }
    } else if (const auto* n = std::get_if<docs::Notice>(&block)) {
      if (current != nullptr && n->kind == docs::NoticeKind::kGap) {
        current->reasons.push_back(sub.empty() ? n->text : sub + ": " + n->text);
      }
    }
  }
}

}  // namespace

std::vector<store::Migration> Reports::Migrations() {
  return {
      {700, "reports: issued RMD versions",
       "CREATE TABLE rmd_versions ("
       " version INTEGER PRIMARY KEY,"
       " issued_at TEXT NOT NULL,"
       " issued_by TEXT NOT NULL,"
       " note TEXT NOT NULL DEFAULT '',"
       " content_json TEXT NOT NULL,"
       " sha256 TEXT NOT NULL);"},
      // The SoA is part of the RMD (S2.4-5.4.3): each issued RMD version freezes it too.
      {701, "reports: issued Statement of Applicability versions",
       "CREATE TABLE soa_versions ("
       " version INTEGER PRIMARY KEY REFERENCES rmd_versions(version),"
       " content_json TEXT NOT NULL,"
       " sha256 TEXT NOT NULL);"},
  };
}

Result<docs::Document> Reports::BuildRmd(const auth::Principal& actor, std::string_view version) {
  const internal::Deps deps{store_, audit_, service_, registers_, catalog_, clock_};
  ACC_ASSIGN_OR_RETURN(auto snapshot, internal::LoadSnapshot(deps, actor));
  docs::Document doc = internal::BuildRmdDocument(snapshot, catalog_);
  doc.version = version.empty() ? std::string("Draft") : std::string(version);
  return doc;
}

Result<RmdVersionInfo> Reports::IssueRmd(const auth::Principal& actor, std::string_view note) {
  ACC_RETURN_IF_ERROR(auth::Authorize(actor, auth::Action::kDocumentIssue));
  if (note.size() > 2000) {
    return Err(ErrorCode::kInvalidArgument, "must be at most 2000 characters", "note");
  }
  // One read of the database for both, inside the write transaction that stores them: the
  // frozen RMD and SoA describe one state of the registers, and nothing can be written between
  // the read and the version it becomes.
  const internal::Deps deps{store_, audit_, service_, registers_, catalog_, clock_};
  ACC_ASSIGN_OR_RETURN(auto conn, store_.Acquire());
  ACC_ASSIGN_OR_RETURN(auto tx, conn->Begin(store::TxMode::kWrite));
  ACC_ASSIGN_OR_RETURN(auto snapshot, internal::LoadSnapshot(deps, *conn, actor));
  docs::Document doc = internal::BuildRmdDocument(snapshot, catalog_);
  ACC_ASSIGN_OR_RETURN(auto last, conn->QueryOne("SELECT COALESCE(MAX(version), 0) FROM "
                                                 "rmd_versions"));
  RmdVersionInfo info;
  info.version = last[0].Int() + 1;
  info.issued_at = FormatInstantUtc(clock_.Now());
  info.issued_by = actor.username;
  info.note = std::string(note);
  doc.version = "Version " + std::to_string(info.version);
  const std::string json = docs::ToJson(doc);
  info.sha256 = Sha256Hex(json);
  ACC_RETURN_IF_ERROR(conn->Execute(
      "INSERT INTO rmd_versions (version, issued_at, issued_by, note, content_json, sha256) "
      "VALUES (?, ?, ?, ?, ?, ?)",
      {info.version, info.issued_at, info.issued_by, info.note, json, info.sha256}));
  // The frozen SoA names the version it belongs to ("Latest issued RMD version" on its About
  // sheet), so it is built as if this version were already issued.
  snapshot.versions.push_back(info);
  const std::string soa_json = internal::WorkbookToJson(internal::BuildSoa(snapshot, catalog_));
  const std::string soa_sha256 = Sha256Hex(soa_json);
  ACC_RETURN_IF_ERROR(
      conn->Execute("INSERT INTO soa_versions (version, content_json, sha256) VALUES (?, ?, ?)",
                    {info.version, soa_json, soa_sha256}));
  registers::Json after = {{"version", info.version},
                           {"note", info.note},
                           {"sha256", info.sha256},
                           {"soa_sha256", soa_sha256},
                           {"issued_at", info.issued_at}};
  audit::Entry entry;
  entry.actor = actor.username;
  entry.action = "rmd.issue";
  entry.entity_type = "rmd";
  entry.entity_id = std::to_string(info.version);
  entry.after_json = DumpJson(after);
  ACC_RETURN_IF_ERROR(audit_.Append(*conn, entry));
  ACC_RETURN_IF_ERROR(tx.Commit());
  return info;
}

Result<std::vector<RmdVersionInfo>> Reports::ListRmdVersions(const auth::Principal& actor) {
  ACC_RETURN_IF_ERROR(auth::Authorize(actor, auth::Action::kDocumentRead));
  ACC_ASSIGN_OR_RETURN(auto conn, store_.Acquire());
  return internal::LoadVersions(*conn);
}

Result<docs::Document> Reports::RmdVersion(const auth::Principal& actor, std::int64_t n) {
  ACC_RETURN_IF_ERROR(auth::Authorize(actor, auth::Action::kDocumentRead));
  ACC_ASSIGN_OR_RETURN(auto conn, store_.Acquire());
  ACC_ASSIGN_OR_RETURN(auto rows, conn->Query("SELECT content_json, sha256 FROM rmd_versions "
                                              "WHERE version = ?",
                                              {n}));
  if (rows.empty()) {
    return Err(ErrorCode::kNotFound, "no RMD version " + std::to_string(n), "version");
  }
  const std::string json = rows[0][0].Text();
  if (Sha256Hex(json) != rows[0][1].Text()) {
    return Err(ErrorCode::kDataLoss,
               "RMD version " + std::to_string(n) + " does not match its SHA-256", "version");
  }
  return docs::DocumentFromJson(json);
}

Result<docs::Workbook> Reports::SoaVersion(const auth::Principal& actor, std::int64_t n) {
  ACC_RETURN_IF_ERROR(auth::Authorize(actor, auth::Action::kDocumentRead));
  ACC_ASSIGN_OR_RETURN(auto conn, store_.Acquire());
  ACC_ASSIGN_OR_RETURN(auto rows, conn->Query("SELECT content_json, sha256 FROM soa_versions "
                                              "WHERE version = ?",
                                              {n}));
  if (rows.empty()) {
    return Err(ErrorCode::kNotFound, "no Statement of Applicability version " + std::to_string(n),
               "version");
  }
  const std::string json = rows[0][0].Text();
  if (Sha256Hex(json) != rows[0][1].Text()) {
    return Err(
        ErrorCode::kDataLoss,
        "Statement of Applicability version " + std::to_string(n) + " does not match its SHA-256",
        "version");
  }
  return internal::WorkbookFromJson(json);
}

Result<std::vector<docs::SectionDiff>> Reports::DiffRmd(const auth::Principal& actor,
                                                        std::int64_t a, std::int64_t b) {
  ACC_ASSIGN_OR_RETURN(auto older, RmdVersion(actor, a));
  ACC_ASSIGN_OR_RETURN(auto newer, RmdVersion(actor, b));
  return docs::DiffDocuments(older, newer);
}

Result<docs::Workbook> Reports::ComplianceMatrix(const auth::Principal& actor) {
  const internal::Deps deps{store_, audit_, service_, registers_, catalog_, clock_};
  ACC_ASSIGN_OR_RETURN(auto snapshot, internal::LoadSnapshot(deps, actor));
  if (computed_) {
    ACC_ASSIGN_OR_RETURN(snapshot.computed, computed_(snapshot.now));
  }
  return internal::BuildMatrix(snapshot, catalog_);
}

Result<docs::Workbook> Reports::StatementOfApplicability(const auth::Principal& actor) {
  const internal::Deps deps{store_, audit_, service_, registers_, catalog_, clock_};
  ACC_ASSIGN_OR_RETURN(auto snapshot, internal::LoadSnapshot(deps, actor));
  return internal::BuildSoa(snapshot, catalog_);
}

Result<ReadinessReport> Reports::CheckReadiness(const auth::Principal& actor) {
  ACC_RETURN_IF_ERROR(auth::Authorize(actor, auth::Action::kDocumentRead));
  // The report is a function of the registers (every change to them appends an audit record,
  // so the audit head identifies their state) and of today's date (RCR due dates, certificate
  // expiry). The dashboard asks on every view, so reuse the last report while both are
  // unchanged. Subcontractors read a scoped view and are never served from the cache.
  const bool cacheable = actor.role != auth::Role::kSubcontractor;
  std::int64_t head = -1;
  const Date today = LondonDate(clock_.Now());
  if (cacheable) {
    ACC_ASSIGN_OR_RETURN(auto conn, store_.Acquire());
    ACC_ASSIGN_OR_RETURN(auto row, conn->QueryOne("SELECT COALESCE(MAX(seq), 0) FROM audit_log"));
    head = row[0].Int();
    MutexLock lock(readiness_mu_);
    if (readiness_cache_ && readiness_cache_->audit_head == head &&
        readiness_cache_->day == today) {
      return readiness_cache_->report;
    }
  }
  const internal::Deps deps{store_, audit_, service_, registers_, catalog_, clock_};
  ACC_ASSIGN_OR_RETURN(auto snapshot, internal::LoadSnapshot(deps, actor));
  ReadinessReport report = internal::BuildReadiness(snapshot, catalog_);
  AddSectionItems(internal::BuildRmdDocument(snapshot, catalog_), report);
  report.complete = true;
  for (auto& item : report.items) {
    item.complete = item.reasons.empty();
    report.complete = report.complete && item.complete;
  }
  if (cacheable) {
    MutexLock lock(readiness_mu_);
    readiness_cache_ = CachedReadiness{head, today, report};
  }
  return report;
}

std::string ToJson(const ReadinessReport& report) {
  registers::Json items = registers::Json::array();
  for (const auto& it : report.items) {
    items.push_back({{"clause_id", it.clause_id},
                     {"title", it.title},
                     {"complete", it.complete},
                     {"reasons", it.reasons}});
  }
  return DumpJson(registers::Json{{"complete", report.complete}, {"items", items}});
}

}  // namespace accredit::reports
