#pragma once

// Internal to the reports module: the snapshot of every register the generators read (loaded
// once per document, links indexed in memory so no generator queries per record), and small
// helpers shared by the generators. Not part of the public header.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "reports/reports.h"

namespace accredit::reports::internal {

using Json = registers::Json;

// Every register the documents read, as at one instant.
struct Snapshot {
  Instant now;
  Date today;
  registers::ContractSettings contract;
  // Register name -> records as RegisterService presents them (fields plus derived values),
  // ordered by id.
  std::map<std::string, std::vector<Json>, std::less<>> records;
  // Register name -> record id -> index into records[name].
  std::map<std::string, std::map<std::int64_t, std::size_t>, std::less<>> index;
  std::vector<registers::Link> links;
  // Link maps (built once from `links`).
  std::map<std::int64_t, std::vector<std::int64_t>> controls_of_risk;  // mitigates
  std::map<std::int64_t, std::vector<std::int64_t>> risks_of_control;
  std::map<std::string, std::vector<std::int64_t>, std::less<>> controls_of_annex_a;  // 2013 id
  std::map<std::string, std::vector<std::int64_t>, std::less<>> controls_of_clause;   // S2.4 id
  // (register, key) -> evidence ids supporting it.
  std::map<std::pair<std::string, std::string>, std::vector<std::int64_t>> evidence_of;
  // Audit records for the Change History, oldest first (logins excluded).
  std::vector<audit::Record> history;
  // Issued RMD versions, oldest first.
  std::vector<RmdVersionInfo> versions;
  // What the product computes (the compliance matrix only; nullopt when no source is wired).
  std::optional<ComputedClauses> computed;

  const std::vector<Json>& Of(std::string_view reg) const;
  const Json* Find(std::string_view reg, std::int64_t id) const;
};

struct Deps {
  store::Store& store;
  const audit::AuditLog& audit;
  registers::RegisterService& service;
  registers::Registers& registers;
  const catalog::Catalog& catalog;
  const Clock& clock;
};

// Loads every register once (paged through RegisterService::List, so authorisation and derived
// values are the registers module's), the links in one query, and the Change History, all in
// one read transaction on one connection: one state of the database (SQLite WAL gives a read
// transaction a snapshot), however many writers commit meanwhile.
Result<Snapshot> LoadSnapshot(const Deps& deps, const auth::Principal& actor);
// The same on the caller's connection, inside its transaction (IssueRmd reads and writes in one
// write transaction). REQUIRES: conn.InTransaction().
Result<Snapshot> LoadSnapshot(const Deps& deps, store::Connection& conn,
                              const auth::Principal& actor);

// Issued versions, oldest first (no authorisation).
Result<std::vector<RmdVersionInfo>> LoadVersions(store::Connection& conn);

// Accessors over a presented record: "" / nullopt / false when unset.
std::string Str(const Json& r, std::string_view field);
std::optional<std::int64_t> Int(const Json& r, std::string_view field);
bool Bool(const Json& r, std::string_view field);
std::string Tags(const Json& r, std::string_view field);  // "a; b"
std::string YesNo(bool b);
// "treat" -> "treat", "partly_met" -> "partly met".
std::string Human(std::string_view value);
// "" -> "—" for table cells.
std::string Cell(std::string s);

// The generators.
docs::Document BuildRmdDocument(const Snapshot& s, const catalog::Catalog& catalog);
ReadinessReport BuildReadiness(const Snapshot& s, const catalog::Catalog& catalog);
docs::Workbook BuildMatrix(const Snapshot& s, const catalog::Catalog& catalog);
docs::Workbook BuildSoa(const Snapshot& s, const catalog::Catalog& catalog);

// JSON form of a workbook (every property, sheet, column, cell kind and row style), for the
// frozen SoA versions. WorkbookFromJson(WorkbookToJson(b)) == b; kDataLoss (field
// "content_json") when the text is not such JSON or not a valid workbook.
std::string WorkbookToJson(const docs::Workbook& book);
Result<docs::Workbook> WorkbookFromJson(std::string_view json);

// Refs of the controls linked to risk `risk_id` ("C1, C4"), in control-ref order.
std::vector<std::string> ControlRefsOfRisk(const Snapshot& s, std::int64_t risk_id);

}  // namespace accredit::reports::internal
