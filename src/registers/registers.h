#pragma once

// registers: the domain records of the contract and their rules. In this foundation: the
// contract settings (parties, Effective Date, Operational Service Commencement Date, calendar
// division, extra closure days, imported bank holidays) and the parties (Customer, Provider,
// sub-contractors). Issue 3 adds sites, assets, products, risks, controls, the RCR, etc.
// Every mutation is authorised (auth::Authorize), validated (errors name the field) and audited
// in the same transaction.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "audit/audit.h"
#include "auth/auth.h"
#include "core/core.h"
#include "store/store.h"

namespace accredit::registers {

enum class PartyKind { kCustomer, kProvider, kSubcontractor };
std::string_view PartyKindName(PartyKind k);  // "customer", "provider", "subcontractor"
Result<PartyKind> ParsePartyKind(std::string_view s);

// A party to the contract. Sub-contractors are "suppliers" in the UI and API.
struct Party {
  std::int64_t id = 0;
  PartyKind kind = PartyKind::kSubcontractor;
  std::string name;
  std::string company_number;  // may be empty
  std::string address;
  std::string contact_email;
  bool access_to_customer_data = false;  // S2.4-6.2 applies when true
  std::string services;
};

struct ClosureDay {
  Date date;
  std::string title;
};

struct ContractSettings {
  std::string title;          // "Highways England — Network Operations Services"
  std::string reference;      // contract reference
  std::string customer_name;  // "Highways England"
  std::string provider_name;
  std::optional<Date> effective_date;                         // S2.4-6.2 clock base
  std::optional<Date> operational_service_commencement_date;  // S2.4-5.3
  Division division = Division::kEnglandAndWales;
  std::vector<ClosureDay> closure_days;
};

// A partial update: only set fields change. JSON/form field names are the member names.
struct ContractPatch {
  std::optional<std::string> title;
  std::optional<std::string> reference;
  std::optional<std::string> customer_name;
  std::optional<std::string> provider_name;
  std::optional<std::optional<Date>> effective_date;
  std::optional<std::optional<Date>> operational_service_commencement_date;
  std::optional<Division> division;
  std::optional<std::vector<ClosureDay>> closure_days;
};

// Thread-safe.
class Registers {
 public:
  Registers(store::Store& store, const audit::AuditLog& audit, const Clock& clock)
      : store_(store), audit_(audit), clock_(clock) {}

  // Schema (migration versions 300-399).
  static std::vector<store::Migration> Migrations();

  Result<ContractSettings> GetContract(const auth::Principal& actor);
  // The same, read on the caller's connection (inside its transaction, so that several reads
  // see one state of the database). REQUIRES: conn.InTransaction().
  Result<ContractSettings> GetContract(store::Connection& conn, const auth::Principal& actor);
  Result<ContractSettings> UpdateContract(const auth::Principal& actor, const ContractPatch& patch);

  // The working-day calendar of this contract: its division, imported bank-holiday years and
  // closure days. No authorisation (read by the engine).
  Result<Calendar> LoadCalendar();
  // The same, read on the caller's connection. REQUIRES: conn.InTransaction().
  static Result<Calendar> LoadCalendar(store::Connection& conn);
  // Stores the GOV.UK JSON's years for the contract's division (all or nothing; audited as
  // "calendar.import"). Each year in the file replaces that year's earlier import. Returns the
  // number of holidays stored. Errors: kPermissionDenied, kInvalidArgument naming the JSON path.
  Result<int> ImportBankHolidays(const auth::Principal& actor, std::string_view govuk_json);

  Result<Party> CreateParty(const auth::Principal& actor, const Party& party);
  Result<Party> GetParty(const auth::Principal& actor, std::int64_t id);  // scoped
  Result<std::vector<Party>> ListParties(const auth::Principal& actor,
                                         std::optional<PartyKind> kind = std::nullopt);  // scoped
  Result<Party> UpdateParty(const auth::Principal& actor, const Party& party);

 private:
  store::Store& store_;
  const audit::AuditLog& audit_;
  const Clock& clock_;
};

// JSON encoding of the records (for API, CLI --json and audit before/after).
std::string ToJson(const ContractSettings& c);
std::string ToJson(const Party& p);

}  // namespace accredit::registers

// The generic register framework of issue 3 (RegisterDef, RegisterService).
#include "registers/record.h"  // IWYU pragma: export
