#pragma once

// The generic register framework (issue 3). Every register the schedule names (sites,
// certifications, assets, products, risks, controls, the Required Changes Register, ...) is
// described once, as data (a RegisterDef: its fields, types, choices, references, clause and
// cross-field rules), and one service (RegisterService) gives every register the same behaviour:
// authorised, validated (errors name the field, or the CSV line and column), audited CRUD in one
// transaction per action; filtered, sorted, paginated lists; CSV import (all or nothing) and
// export; many-to-many links between records; and derived values (risk level, RAG status,
// "above appetite", "site outside UK/EU") computed on read. The HTTP API, the web UI and the CLI
// are generic over RegisterDef, so adding a register is a definition plus a migration.
//
// Included by registers/registers.h (the module's public header); do not include directly from
// other modules.

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "audit/audit.h"
#include "auth/auth.h"
#include "core/core.h"
#include "store/store.h"

namespace accredit::registers {

using Json = nlohmann::json;
class ReadContext;
class Registers;

enum class FieldType {
  kText,      // one line, max_length
  kLongText,  // multi-line
  kInteger,   // min/max
  kBool,      // CSV/form: true/false, yes/no, 1/0
  kDate,      // YYYY-MM-DD
  kEnum,      // one of `choices`
  kRef,       // id of a record in register `ref` (stored as INTEGER, checked to exist)
  kTags,      // list of strings (JSON array; CSV/form: ';'-separated), e.g. hostnames, IPs
  kEmail,
  kInstant,  // an instant in time: input ISO 8601 with offset or Z, or Europe/London wall-clock
             // without offset (core ParseInstant); stored and output as canonical UTC text
             // "2026-11-03T10:00:00.000Z" (FormatInstantUtc), so text order is time order
};
std::string_view FieldTypeName(FieldType t);  // "text", "long_text", ...

struct FieldDef {
  std::string name{};   // column name, JSON key, CSV header, form field: snake_case
  std::string label{};  // UI label
  FieldType type = FieldType::kText;
  bool required = false;
  std::vector<std::string> choices{};  // kEnum (stored values; shown as is)
  std::string ref{};                   // kRef: the referenced register's name, e.g. "parties"
  std::string help{};                  // hint under the input (cite the clause)
  bool in_list = false;                // shown as a column on list pages and in CLI tables
  bool filterable = false;             // offered as a list filter (exact match; text: contains)
  std::optional<std::int64_t> min{};   // kInteger bounds
  std::optional<std::int64_t> max{};
  std::size_t max_length = 200;  // kText/kEmail; kLongText defaults to 10000
  // Additions (issue 3 implementation):
  bool unique = false;          // no two records share a non-empty value (checked, error names it)
  bool read_only = false;       // set only by the service (evidence file metadata); input refused
  std::string default_value{};  // applied on create when the input omits the field (as input text)
};

// Values computed on read, never stored (e.g. "level", "rag", "above_appetite",
// "outside_uk_eu"). `compute` gets the stored record and a read context.
struct DerivedDef {
  std::string name{};
  std::string label{};
  bool in_list = false;
  std::function<Json(const Json& record, ReadContext& ctx)> compute{};
  std::string help{};  // how it is computed (docs/REGISTERS.md, UI hint)
};

// Cross-field and cross-record rules, run inside the write transaction before the write.
// Returns an error naming the field ("expiry_date: must not be before issue_date").
using Validator = std::function<Status(const Json& record, ReadContext& ctx)>;

struct RegisterDef {
  std::string name;      // plural slug: URL segment and table name: "risks"
  std::string singular;  // CLI noun and audit entity type: "risk"
  std::string title;     // "Risks"
  std::string clause;    // the clause it serves: "S2.4-5.4.2"
  std::string description;
  std::string label_field;  // the field shown as the record's name in links: "title"
  std::vector<FieldDef> fields;
  std::vector<DerivedDef> derived;
  std::vector<Validator> validators;
  // Subcontractor scoping: the kRef field naming the owning party (e.g. "party_id"). Empty
  // means the register is not supplier-owned: subcontractors may not see it at all.
  std::string scope_field;
  auth::Action read_action = auth::Action::kRegisterRead;
  auth::Action write_action = auth::Action::kRegisterWrite;
  // Additions (issue 3 implementation):
  // The SQL table when it differs from `name` ("suppliers" lives in the existing "parties").
  std::string table;
  // An extra write rule beyond write_action, run on the record before and after the change
  // (e.g. only contract.update may create or edit the Customer and Provider parties).
  std::function<Status(const auth::Principal& actor, const Json& record)> authorize_write;
  // False for registers whose records are not created through Create/ImportCsv (evidence:
  // CreateEvidence uploads the file).
  bool generic_create = true;
  // A dated record (e.g. the accreditation workflow's events): records are only ever added.
  // Update, Delete and CSV rows with an id are refused (kFailedPrecondition, see CheckMutable).
  bool append_only = false;

  const FieldDef* Field(std::string_view field_name) const;
  const DerivedDef* Derived(std::string_view derived_name) const;

  const std::string& Table() const { return table.empty() ? name : table; }

  // Ok, or for an append_only register the kFailedPrecondition refusal of any change or
  // deletion ("accreditation_events are a dated record and cannot be changed or deleted; ...").
  Status CheckMutable() const;
};

// Looks up a catalogue entry: (catalogue, id) -> exists. Catalogue names are the part after
// "catalog:" ("iso27001-2013", "iso27001-2022", "schedule-2.4", ...). Supplied by the
// composition root once the catalog module is wired; without it, ids are checked by format only.
using CatalogLookup = std::function<bool(std::string_view catalog, std::string_view id)>;

class ReadContext;

// Whether an obligation with this key exists (obligation_waivers.obligation_key must name one).
// The obligation engine sits above this module, so the composition root (cli::OpenApp)
// supplies it; it reads through the context's connection, inside the write transaction.
// Without it, keys are checked by format only.
using ObligationLookup = std::function<Result<bool>(ReadContext& ctx, std::string_view key)>;

// Read access for derived values and validators: the caller's connection (inside its
// transaction when writing), the clock and the contract calendar.
class ReadContext {
 public:
  ReadContext(store::Connection& conn, const Clock& clock, const Calendar& calendar,
              const CatalogLookup* catalog = nullptr, const ObligationLookup* obligations = nullptr)
      : conn_(conn),
        clock_(clock),
        calendar_(calendar),
        catalog_(catalog),
        obligations_(obligations) {}

  store::Connection& Conn() { return conn_; }

  Instant Now() const { return clock_.Now(); }

  Date Today() const { return LondonDate(clock_.Now()); }

  const Calendar& GetCalendar() const { return calendar_; }

  // The catalogue lookup, or nullptr when none is wired (check ids by format only).
  const CatalogLookup* Catalog() const { return catalog_; }

  // The obligation lookup, or nullptr when none is wired (check keys by format only).
  const ObligationLookup* Obligations() const { return obligations_; }

  // Per-context memo for derived values that read other tables (risk levels, appetites), so a
  // list page does not repeat the same lookup per row. Valid for this context only.
  std::map<std::string, Json>& Cache() { return cache_; }

 private:
  store::Connection& conn_;
  const Clock& clock_;
  const Calendar& calendar_;
  const CatalogLookup* catalog_;
  const ObligationLookup* obligations_;
  std::map<std::string, Json> cache_;
};

struct ListQuery {
  std::map<std::string, std::string> filters;  // field -> value (exact; text fields: contains)
  std::string q;                               // free text over text fields
  std::string sort;                            // field name, "-field" for descending; default id
  int limit = 50;                              // 1..500
  std::int64_t offset = 0;
};

struct ListResult {
  std::vector<Json> items;  // each: {"id": n, <fields>..., <derived>...}
  std::int64_t total = 0;
};

// A link between two records (many-to-many), e.g. control 4 "mitigates" risk 7, control 4
// "implements" iso27001-2013 "A.12.6.1", evidence 3 "supports" control 4. Catalogue entries are
// referenced by register name "catalog:<catalogue>" and their id string.
struct Link {
  std::int64_t id = 0;
  std::string from_register;
  std::int64_t from_id = 0;
  std::string relation;  // "mitigates", "implements", "addresses", "supports", "runs_on", ...
  std::string to_register;
  std::string to_key;  // record id as decimal text, or a catalogue id such as "A.12.6.1"
};

struct ImportReport {
  int created = 0;
  int updated = 0;  // rows whose "id" column matched an existing record
};

// The registers of issue 3 over one store. Thread-safe.
class RegisterService {
 public:
  struct Options {
    std::string evidence_dir;  // "<db>.evidence" beside the database
    std::size_t max_evidence_bytes = 25 * 1024 * 1024;
    CatalogLookup catalog_lookup;        // optional: see CatalogLookup
    ObligationLookup obligation_lookup;  // optional: see ObligationLookup
  };

  RegisterService(store::Store& store, const audit::AuditLog& audit, const Clock& clock,
                  Registers& registers, Options options);

  // Tables of every register (migration versions 310-399).
  static std::vector<store::Migration> Migrations();
  // Every register definition, in menu order.
  static const std::vector<RegisterDef>& Defs();
  static const RegisterDef* Find(std::string_view name);  // by name or singular

  // The relations AddLink accepts, e.g. {"mitigates", "controls", "risks"}; "*" = any register,
  // "catalog:*" = any catalogue.
  struct Relation {
    std::string name;
    std::string from;
    std::string to;
  };

  static const std::vector<Relation>& Relations();

  Result<ListResult> List(const auth::Principal& actor, const RegisterDef& def,
                          const ListQuery& query);
  // The same, read on the caller's connection, so that a caller reading several registers in
  // one read transaction sees one state of the database. REQUIRES: conn.InTransaction().
  Result<ListResult> List(store::Connection& conn, const auth::Principal& actor,
                          const RegisterDef& def, const ListQuery& query);
  Result<Json> Get(const auth::Principal& actor, const RegisterDef& def, std::int64_t id);
  // `input` holds field values (JSON types per FieldType; strings accepted for every type, as
  // from forms and CSV). Unknown fields, wrong types and rule failures are kInvalidArgument
  // naming the field. Audited "<singular>.create" / ".update" / ".delete".
  Result<Json> Create(const auth::Principal& actor, const RegisterDef& def, const Json& input);
  Result<Json> Update(const auth::Principal& actor, const RegisterDef& def, std::int64_t id,
                      const Json& patch);
  Status Delete(const auth::Principal& actor, const RegisterDef& def, std::int64_t id);

  // CSV with a header row of field names (any order; "id" optional: present and matching →
  // update). All or nothing in one transaction; an error names "line N: <field>".
  Result<ImportReport> ImportCsv(const auth::Principal& actor, const RegisterDef& def,
                                 std::string_view csv);
  Status ExportCsv(const auth::Principal& actor, const RegisterDef& def, const ListQuery& query,
                   std::ostream& out);

  Result<Link> AddLink(const auth::Principal& actor, const Link& link);
  Status RemoveLink(const auth::Principal& actor, std::int64_t link_id);
  // Links from or to the record.
  Result<std::vector<Link>> LinksOf(const auth::Principal& actor, std::string_view reg,
                                    std::string_view key);

  // Evidence files (register "evidence"): the bytes are stored content-addressed by SHA-256 under
  // evidence_dir (outside the database), the record holds title, filename, content type, size
  // and hash. Size limit: max_evidence_bytes (kResourceExhausted naming "file").
  Result<Json> CreateEvidence(const auth::Principal& actor, const Json& fields,
                              std::string_view filename, std::string_view content_type,
                              std::string_view bytes);
  // The record and the file's bytes (re-hashed on read: kDataLoss if the file was altered).
  Result<std::pair<Json, std::string>> ReadEvidenceFile(const auth::Principal& actor,
                                                        std::int64_t id);

  // (id, label) of every record of `def` the actor may read, ordered by label: the choices of
  // a kRef field's drop-down. Errors as List.
  Result<std::vector<std::pair<std::int64_t, std::string>>> RefChoices(const auth::Principal& actor,
                                                                       const RegisterDef& def);

  // The labels of records `ids` of register `reg` (a register name, or "parties") that the
  // actor may read; ids it may not read, or that do not exist, are simply absent, so a page
  // shows "#17" for both and reveals nothing of a record outside the actor's scope.
  Result<std::map<std::int64_t, std::string>> Labels(const auth::Principal& actor,
                                                     std::string_view reg,
                                                     const std::set<std::int64_t>& ids);

 private:
  store::Store& store_;
  const audit::AuditLog& audit_;
  const Clock& clock_;
  Registers& registers_;
  Options options_;
};

// The Markdown reference of every register (docs/REGISTERS.md is this text; a test keeps it
// up to date): clause, fields with type, required and choices, derived values, CSV columns.
std::string RegistersMarkdown();

// RFC 4180 CSV, as ImportCsv reads it: records of fields, each with the physical line number
// (1-based) where it starts. Quoted fields may hold commas, "" and newlines; CRLF or LF line
// ends; a UTF-8 byte-order mark is skipped. Errors: kInvalidArgument naming "line N".
struct CsvRecord {
  int line = 0;
  std::vector<std::string> fields;
};

Result<std::vector<CsvRecord>> ParseCsv(std::string_view text);
// One CSV field, quoted when it needs to be.
std::string CsvEscape(std::string_view field);

}  // namespace accredit::registers
