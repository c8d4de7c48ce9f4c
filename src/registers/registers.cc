#include "registers/registers.h"

#include <algorithm>
#include <map>
#include <set>
#include <utility>

#include <nlohmann/json.hpp>

namespace accredit::registers {
namespace {

using Json = nlohmann::json;

constexpr std::size_t kMaxShortText = 200;
constexpr std::size_t kMaxLongText = 2000;

std::string Dump(const Json& j) {
  return DumpJson(j);
}

Json DateOrNull(const std::optional<Date>& d) {
  if (!d) {
    return nullptr;
  }
  return FormatDate(*d);
}

Json ContractJson(const ContractSettings& c) {
  Json closures = Json::array();
  for (const auto& cd : c.closure_days) {
    closures.push_back({{"date", FormatDate(cd.date)}, {"title", cd.title}});
  }
  return Json{{"title", c.title},
              {"reference", c.reference},
              {"customer_name", c.customer_name},
              {"provider_name", c.provider_name},
              {"effective_date", DateOrNull(c.effective_date)},
              {"operational_service_commencement_date",
               DateOrNull(c.operational_service_commencement_date)},
              {"division", std::string(DivisionSlug(c.division))},
              {"closure_days", std::move(closures)}};
}

Json PartyJson(const Party& p) {
  return Json{{"id", p.id},
              {"kind", std::string(PartyKindName(p.kind))},
              {"name", p.name},
              {"company_number", p.company_number},
              {"address", p.address},
              {"contact_email", p.contact_email},
              {"access_to_customer_data", p.access_to_customer_data},
              {"services", p.services}};
}

Error Invalid(std::string field, std::string message) {
  return Err(ErrorCode::kInvalidArgument, std::move(message), std::move(field));
}

// Text fields: bounded length, no control characters other than newline/tab in long text.
Status CheckText(std::string_view field, std::string_view text, std::size_t max,
                 bool multiline = false) {
  if (text.size() > max) {
    return Invalid(std::string(field), "must be at most " + std::to_string(max) + " characters");
  }
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 && !(multiline && (c == '\n' || c == '\t' || c == '\r'))) {
      return Invalid(std::string(field), "must not contain control characters");
    }
    if (u == 0x7f) {
      return Invalid(std::string(field), "must not contain control characters");
    }
  }
  return Status::Ok();
}

Status CheckDate(std::string_view field, const std::optional<Date>& d) {
  if (d && !d->ok()) {
    return Invalid(std::string(field), "must be a date YYYY-MM-DD");
  }
  return Status::Ok();
}

Status ValidateContract(const ContractSettings& c) {
  ACC_RETURN_IF_ERROR(CheckText("title", c.title, kMaxShortText));
  ACC_RETURN_IF_ERROR(CheckText("reference", c.reference, kMaxShortText));
  ACC_RETURN_IF_ERROR(CheckText("customer_name", c.customer_name, kMaxShortText));
  ACC_RETURN_IF_ERROR(CheckText("provider_name", c.provider_name, kMaxShortText));
  ACC_RETURN_IF_ERROR(CheckDate("effective_date", c.effective_date));
  ACC_RETURN_IF_ERROR(
      CheckDate("operational_service_commencement_date", c.operational_service_commencement_date));
  if (c.effective_date && c.operational_service_commencement_date &&
      *c.operational_service_commencement_date < *c.effective_date) {
    return Invalid("operational_service_commencement_date", "must not be before effective_date");
  }
  std::set<Date> seen;
  for (std::size_t i = 0; i < c.closure_days.size(); ++i) {
    const auto& cd = c.closure_days[i];
    const std::string prefix = "closure_days[" + std::to_string(i) + "]";
    if (!cd.date.ok()) {
      return Invalid(prefix + ".date", "must be a date YYYY-MM-DD");
    }
    if (!seen.insert(cd.date).second) {
      return Invalid(prefix + ".date", "duplicate closure day " + FormatDate(cd.date));
    }
    if (cd.title.empty()) {
      return Invalid(prefix + ".title", "required");
    }
    ACC_RETURN_IF_ERROR(CheckText(prefix + ".title", cd.title, kMaxShortText));
  }
  return Status::Ok();
}

Status ValidateParty(const Party& p) {
  if (p.name.empty()) {
    return Invalid("name", "required");
  }
  ACC_RETURN_IF_ERROR(CheckText("name", p.name, kMaxShortText));
  ACC_RETURN_IF_ERROR(CheckText("company_number", p.company_number, 32));
  for (char c : p.company_number) {
    const bool ok = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    if (!ok) {
      return Invalid("company_number", "must contain only letters and digits");
    }
  }
  ACC_RETURN_IF_ERROR(CheckText("address", p.address, kMaxLongText, /*multiline=*/true));
  ACC_RETURN_IF_ERROR(CheckText("contact_email", p.contact_email, 254));
  if (!p.contact_email.empty()) {
    const auto at = p.contact_email.find('@');
    if (at == std::string::npos || at == 0 || at + 1 >= p.contact_email.size() ||
        p.contact_email.find('@', at + 1) != std::string::npos ||
        p.contact_email.find(' ') != std::string::npos) {
      return Invalid("contact_email", "must be an e-mail address such as name@example.com");
    }
  }
  ACC_RETURN_IF_ERROR(CheckText("services", p.services, kMaxLongText, /*multiline=*/true));
  return Status::Ok();
}

Result<std::optional<Date>> OptDate(const store::Value& v, std::string_view field) {
  if (v.IsNull()) {
    return std::optional<Date>();
  }
  auto d = ParseDate(v.Text(), field);
  if (!d) {
    return Err(ErrorCode::kDataLoss, "stored contract is corrupt", std::string(field),
               d.error().internal);
  }
  return std::optional<Date>(*d);
}

Result<ContractSettings> ReadContract(store::Connection& conn) {
  ACC_ASSIGN_OR_RETURN(
      auto row, conn.QueryOne("SELECT title, reference, customer_name, provider_name, "
                              "effective_date, operational_service_commencement_date, division "
                              "FROM contract WHERE id = 1"));
  ContractSettings c;
  c.title = row[0].Text();
  c.reference = row[1].Text();
  c.customer_name = row[2].Text();
  c.provider_name = row[3].Text();
  ACC_ASSIGN_OR_RETURN(c.effective_date, OptDate(row[4], "effective_date"));
  ACC_ASSIGN_OR_RETURN(c.operational_service_commencement_date,
                       OptDate(row[5], "operational_service_commencement_date"));
  auto division = ParseDivision(row[6].Text());
  if (!division) {
    return Err(ErrorCode::kDataLoss, "stored contract is corrupt", "division");
  }
  c.division = *division;
  ACC_ASSIGN_OR_RETURN(auto closures,
                       conn.Query("SELECT date, title FROM contract_closure_days ORDER BY date"));
  for (const auto& r : closures) {
    auto d = ParseDate(r[0].Text(), "closure_days.date");
    if (!d) {
      return Err(ErrorCode::kDataLoss, "stored closure day is corrupt", "closure_days");
    }
    c.closure_days.push_back(ClosureDay{*d, r[1].Text()});
  }
  return c;
}

constexpr std::string_view kPartyColumns =
    "id, kind, name, company_number, address, contact_email, access_to_customer_data, services";

Result<Party> PartyFromRow(const store::Row& r) {
  Party p;
  p.id = r[0].Int();
  auto kind = ParsePartyKind(r[1].Text());
  if (!kind) {
    return Err(ErrorCode::kDataLoss, "stored party is corrupt", "kind");
  }
  p.kind = *kind;
  p.name = r[2].Text();
  p.company_number = r[3].Text();
  p.address = r[4].Text();
  p.contact_email = r[5].Text();
  p.access_to_customer_data = r[6].Int() != 0;
  p.services = r[7].Text();
  return p;
}

Result<Party> ReadParty(store::Connection& conn, std::int64_t id) {
  auto row =
      conn.QueryOne("SELECT " + std::string(kPartyColumns) + " FROM parties WHERE id = ?", {id});
  if (!row) {
    if (row.error().code == ErrorCode::kNotFound) {
      return Err(ErrorCode::kNotFound, "no such party", "id");
    }
    return row.error();
  }
  return PartyFromRow(*row);
}

// Writes to the parties table report a duplicate name on the field the user typed.
Error NameClash(const Error& e) {
  if (e.code == ErrorCode::kAlreadyExists) {
    return Err(ErrorCode::kAlreadyExists, "a party with this name already exists", "name",
               e.internal);
  }
  return e;
}

// Who may write a party of this kind: sub-contractors are supplier records (scoped to their own
// id); the Customer and Provider are part of the contract settings.
Status AuthorizePartyWrite(const auth::Principal& actor, PartyKind kind, std::int64_t id) {
  if (kind == PartyKind::kSubcontractor) {
    // id 0 (a party not yet created) matches no supplier, so a subcontractor cannot create one.
    return auth::Authorize(actor, auth::Action::kSupplierWrite, auth::Scope{id});
  }
  return auth::Authorize(actor, auth::Action::kContractUpdate);
}

}  // namespace

std::string_view PartyKindName(PartyKind k) {
  switch (k) {
    case PartyKind::kCustomer:
      return "customer";
    case PartyKind::kProvider:
      return "provider";
    case PartyKind::kSubcontractor:
      return "subcontractor";
  }
  return "subcontractor";
}

Result<PartyKind> ParsePartyKind(std::string_view s) {
  if (s == "customer") {
    return PartyKind::kCustomer;
  }
  if (s == "provider") {
    return PartyKind::kProvider;
  }
  if (s == "subcontractor") {
    return PartyKind::kSubcontractor;
  }
  return Err(ErrorCode::kInvalidArgument, "must be one of customer, provider, subcontractor",
             "kind");
}

std::string ToJson(const ContractSettings& c) {
  return Dump(ContractJson(c));
}

std::string ToJson(const Party& p) {
  return Dump(PartyJson(p));
}

std::vector<store::Migration> Registers::Migrations() {
  return {
      {300, "registers: contract settings",
       "CREATE TABLE contract ("
       " id INTEGER PRIMARY KEY CHECK (id = 1),"
       " title TEXT NOT NULL DEFAULT '',"
       " reference TEXT NOT NULL DEFAULT '',"
       " customer_name TEXT NOT NULL DEFAULT '',"
       " provider_name TEXT NOT NULL DEFAULT '',"
       " effective_date TEXT,"
       " operational_service_commencement_date TEXT,"
       " division TEXT NOT NULL DEFAULT 'england-and-wales',"
       " updated_at TEXT);"
       "INSERT INTO contract (id) VALUES (1);"},
      {301, "registers: contract closure days",
       "CREATE TABLE contract_closure_days ("
       " date TEXT PRIMARY KEY,"
       " title TEXT NOT NULL);"},
      {302, "registers: imported bank holidays",
       "CREATE TABLE calendar_imported_holidays ("
       " division TEXT NOT NULL,"
       " year INTEGER NOT NULL,"
       " date TEXT NOT NULL,"
       " title TEXT NOT NULL);"
       "CREATE INDEX calendar_imported_holidays_by_year"
       " ON calendar_imported_holidays (division, year);"},
      {303, "registers: parties",
       "CREATE TABLE parties ("
       " id INTEGER PRIMARY KEY,"
       " kind TEXT NOT NULL CHECK (kind IN ('customer', 'provider', 'subcontractor')),"
       " name TEXT NOT NULL UNIQUE,"
       " company_number TEXT NOT NULL DEFAULT '',"
       " address TEXT NOT NULL DEFAULT '',"
       " contact_email TEXT NOT NULL DEFAULT '',"
       " access_to_customer_data INTEGER NOT NULL DEFAULT 0,"
       " services TEXT NOT NULL DEFAULT '',"
       " created_at TEXT NOT NULL,"
       " updated_at TEXT NOT NULL);"
       "CREATE INDEX parties_by_kind ON parties (kind);"},
  };
}

Result<ContractSettings> Registers::GetContract(const auth::Principal& actor) {
  ACC_RETURN_IF_ERROR(auth::Authorize(actor, auth::Action::kContractRead));
  ACC_ASSIGN_OR_RETURN(auto conn, store_.Acquire());
  ACC_ASSIGN_OR_RETURN(auto tx, conn->Begin(store::TxMode::kRead));
  ACC_ASSIGN_OR_RETURN(auto contract, GetContract(*conn, actor));
  ACC_RETURN_IF_ERROR(tx.Commit());
  return contract;
}

Result<ContractSettings> Registers::GetContract(store::Connection& conn,
                                                const auth::Principal& actor) {
  ACC_RETURN_IF_ERROR(auth::Authorize(actor, auth::Action::kContractRead));
  return ReadContract(conn);
}

Result<ContractSettings> Registers::UpdateContract(const auth::Principal& actor,
                                                   const ContractPatch& patch) {
  ACC_RETURN_IF_ERROR(auth::Authorize(actor, auth::Action::kContractUpdate));
  ACC_ASSIGN_OR_RETURN(auto conn, store_.Acquire());
  ACC_ASSIGN_OR_RETURN(auto tx, conn->Begin(store::TxMode::kWrite));
  ACC_ASSIGN_OR_RETURN(const ContractSettings before, ReadContract(*conn));
  ContractSettings after = before;
  if (patch.title) {
    after.title = *patch.title;
  }
  if (patch.reference) {
    after.reference = *patch.reference;
  }
  if (patch.customer_name) {
    after.customer_name = *patch.customer_name;
  }
  if (patch.provider_name) {
    after.provider_name = *patch.provider_name;
  }
  if (patch.effective_date) {
    after.effective_date = *patch.effective_date;
  }
  if (patch.operational_service_commencement_date) {
    after.operational_service_commencement_date = *patch.operational_service_commencement_date;
  }
  if (patch.division) {
    after.division = *patch.division;
  }
  if (patch.closure_days) {
    after.closure_days = *patch.closure_days;
    std::sort(after.closure_days.begin(), after.closure_days.end(),
              [](const ClosureDay& a, const ClosureDay& b) { return a.date < b.date; });
  }
  ACC_RETURN_IF_ERROR(ValidateContract(after));

  const std::string now = FormatInstantUtc(clock_.Now());
  auto opt_date = [](const std::optional<Date>& d) -> store::Value {
    if (!d) {
      return {};
    }
    return FormatDate(*d);
  };
  ACC_RETURN_IF_ERROR(conn->Execute(
      "UPDATE contract SET title = ?, reference = ?, customer_name = ?, provider_name = ?, "
      "effective_date = ?, operational_service_commencement_date = ?, division = ?, "
      "updated_at = ? WHERE id = 1",
      {after.title, after.reference, after.customer_name, after.provider_name,
       opt_date(after.effective_date), opt_date(after.operational_service_commencement_date),
       DivisionSlug(after.division), now}));
  if (patch.closure_days) {
    ACC_RETURN_IF_ERROR(conn->Execute("DELETE FROM contract_closure_days"));
    for (const auto& cd : after.closure_days) {
      ACC_RETURN_IF_ERROR(
          conn->Execute("INSERT INTO contract_closure_days (date, title) VALUES (?, ?)",
                        {FormatDate(cd.date), cd.title}));
    }
  }
  ACC_RETURN_IF_ERROR(
      audit_.Append(*conn, audit::Entry{actor.username, "contract.update", "contract", "1",
                                        ToJson(before), ToJson(after)}));
  ACC_RETURN_IF_ERROR(tx.Commit());
  return after;
}

Result<Calendar> Registers::LoadCalendar() {
  ACC_ASSIGN_OR_RETURN(auto conn, store_.Acquire());
  ACC_ASSIGN_OR_RETURN(auto tx, conn->Begin(store::TxMode::kRead));
  ACC_ASSIGN_OR_RETURN(Calendar calendar, LoadCalendar(*conn));
  ACC_RETURN_IF_ERROR(tx.Commit());
  return calendar;
}

Result<Calendar> Registers::LoadCalendar(store::Connection& conn) {
  ACC_ASSIGN_OR_RETURN(const ContractSettings contract, ReadContract(conn));
  ACC_ASSIGN_OR_RETURN(auto rows, conn.Query("SELECT year, date, title FROM "
                                             "calendar_imported_holidays WHERE division = ? "
                                             "ORDER BY year, date",
                                             {DivisionSlug(contract.division)}));
  std::map<int, std::vector<Holiday>> by_year;
  for (const auto& r : rows) {
    auto d = ParseDate(r[1].Text(), "calendar_imported_holidays.date");
    if (!d) {
      return Err(ErrorCode::kDataLoss, "stored bank holiday is corrupt", "date");
    }
    by_year[static_cast<int>(r[0].Int())].push_back(Holiday{*d, r[2].Text()});
  }
  Calendar calendar(contract.division);
  for (auto& [year, events] : by_year) {
    calendar.SetImportedYear(year, std::move(events));
  }
  for (const auto& cd : contract.closure_days) {
    calendar.AddClosureDay(cd.date, cd.title);
  }
  return calendar;
}

Result<int> Registers::ImportBankHolidays(const auth::Principal& actor,
                                          std::string_view govuk_json) {
  ACC_RETURN_IF_ERROR(auth::Authorize(actor, auth::Action::kCalendarUpdate));
  ACC_ASSIGN_OR_RETURN(auto conn, store_.Acquire());
  ACC_ASSIGN_OR_RETURN(auto tx, conn->Begin(store::TxMode::kWrite));
  ACC_ASSIGN_OR_RETURN(const ContractSettings contract, ReadContract(*conn));
  Calendar parsed(contract.division);
  ACC_RETURN_IF_ERROR(parsed.ImportGovUkJson(govuk_json));

  const std::string slug(DivisionSlug(contract.division));
  Json years = Json::array();
  int stored = 0;
  for (const auto& [year, events] : parsed.Imported()) {
    years.push_back(year);
    ACC_RETURN_IF_ERROR(conn->Execute(
        "DELETE FROM calendar_imported_holidays WHERE division = ? AND year = ?", {slug, year}));
    for (const auto& h : events) {
      ACC_RETURN_IF_ERROR(
          conn->Execute("INSERT INTO calendar_imported_holidays (division, year, date, title) "
                        "VALUES (?, ?, ?, ?)",
                        {slug, year, FormatDate(h.date), h.title}));
      ++stored;
    }
  }
  const Json after{{"division", slug}, {"years", years}, {"holidays", stored}};
  ACC_RETURN_IF_ERROR(audit_.Append(*conn, audit::Entry{actor.username, "calendar.import",
                                                        "calendar", slug, "null", Dump(after)}));
  ACC_RETURN_IF_ERROR(tx.Commit());
  return stored;
}

Result<Party> Registers::CreateParty(const auth::Principal& actor, const Party& party) {
  ACC_RETURN_IF_ERROR(AuthorizePartyWrite(actor, party.kind, 0));
  ACC_RETURN_IF_ERROR(ValidateParty(party));
  ACC_ASSIGN_OR_RETURN(auto conn, store_.Acquire());
  ACC_ASSIGN_OR_RETURN(auto tx, conn->Begin(store::TxMode::kWrite));
  const std::string now = FormatInstantUtc(clock_.Now());
  auto row = conn->QueryOne(
      "INSERT INTO parties (kind, name, company_number, address, contact_email, "
      "access_to_customer_data, services, created_at, updated_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
      {PartyKindName(party.kind), party.name, party.company_number, party.address,
       party.contact_email, party.access_to_customer_data, party.services, now, now});
  if (!row) {
    return NameClash(row.error());
  }
  Party created = party;
  created.id = (*row)[0].Int();
  ACC_RETURN_IF_ERROR(
      audit_.Append(*conn, audit::Entry{actor.username, "party.create", "party",
                                        std::to_string(created.id), "null", ToJson(created)}));
  ACC_RETURN_IF_ERROR(tx.Commit());
  return created;
}

Result<Party> Registers::GetParty(const auth::Principal& actor, std::int64_t id) {
  // Authorised before the lookup, so a subcontractor learns nothing about other ids.
  ACC_RETURN_IF_ERROR(auth::Authorize(actor, auth::Action::kSupplierRead, auth::Scope{id}));
  ACC_ASSIGN_OR_RETURN(auto conn, store_.Acquire());
  return ReadParty(*conn, id);
}

Result<std::vector<Party>> Registers::ListParties(const auth::Principal& actor,
                                                  std::optional<PartyKind> kind) {
  ACC_RETURN_IF_ERROR(auth::Authorize(actor, auth::Action::kSupplierRead));
  ACC_ASSIGN_OR_RETURN(auto conn, store_.Acquire());
  std::string sql = "SELECT " + std::string(kPartyColumns) + " FROM parties";
  store::Params params;
  if (kind) {
    sql += " WHERE kind = ?";
    params.emplace_back(PartyKindName(*kind));
  }
  sql += " ORDER BY id";
  ACC_ASSIGN_OR_RETURN(auto rows, conn->Query(sql, params));
  std::vector<Party> out;
  for (const auto& r : rows) {
    ACC_ASSIGN_OR_RETURN(Party p, PartyFromRow(r));
    if (auth::Authorize(actor, auth::Action::kSupplierRead, auth::Scope{p.id}).ok()) {
      out.push_back(std::move(p));
    }
  }
  return out;
}

Result<Party> Registers::UpdateParty(const auth::Principal& actor, const Party& party) {
  ACC_RETURN_IF_ERROR(auth::Authorize(actor, auth::Action::kSupplierRead, auth::Scope{party.id}));
  ACC_RETURN_IF_ERROR(ValidateParty(party));
  ACC_ASSIGN_OR_RETURN(auto conn, store_.Acquire());
  ACC_ASSIGN_OR_RETURN(auto tx, conn->Begin(store::TxMode::kWrite));
  ACC_ASSIGN_OR_RETURN(const Party before, ReadParty(*conn, party.id));
  // Both the old and the new kind must be writable: a subcontractor cannot turn its own record
  // into the Customer.
  ACC_RETURN_IF_ERROR(AuthorizePartyWrite(actor, before.kind, party.id));
  ACC_RETURN_IF_ERROR(AuthorizePartyWrite(actor, party.kind, party.id));
  auto changed = conn->Execute(
      "UPDATE parties SET kind = ?, name = ?, company_number = ?, address = ?, "
      "contact_email = ?, access_to_customer_data = ?, services = ?, updated_at = ? "
      "WHERE id = ?",
      {PartyKindName(party.kind), party.name, party.company_number, party.address,
       party.contact_email, party.access_to_customer_data, party.services,
       FormatInstantUtc(clock_.Now()), party.id});
  if (!changed) {
    return NameClash(changed.error());
  }
  ACC_RETURN_IF_ERROR(
      audit_.Append(*conn, audit::Entry{actor.username, "party.update", "party",
                                        std::to_string(party.id), ToJson(before), ToJson(party)}));
  ACC_RETURN_IF_ERROR(tx.Commit());
  return party;
}

}  // namespace accredit::registers
