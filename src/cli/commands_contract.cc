// `accredit contract show|set` and `accredit supplier list|add`.

#include <iomanip>
#include <ostream>

#include <nlohmann/json.hpp>

#include "cli/commands.h"

namespace accredit::cli::internal {
namespace {

std::string Pretty(std::string_view compact_json) {
  auto j = nlohmann::json::parse(compact_json, nullptr, false);
  if (j.is_discarded()) {
    return std::string(compact_json) + "\n";
  }
  return DumpJson(j, 2) + "\n";
}

void PrintContract(const registers::ContractSettings& c, bool json, std::ostream& out) {
  if (json) {
    out << Pretty(registers::ToJson(c));
    return;
  }
  auto date = [](const std::optional<Date>& d) {
    return d ? FormatDate(*d) : "(not set)";
  };
  out << "Title:                                " << c.title << "\n"
      << "Reference:                            " << c.reference << "\n"
      << "Customer:                             " << c.customer_name << "\n"
      << "Provider:                             " << c.provider_name << "\n"
      << "Effective Date:                       " << date(c.effective_date) << "\n"
      << "Operational Service Commencement Date: " << date(c.operational_service_commencement_date)
      << "\n"
      << "Calendar division:                    " << DivisionSlug(c.division) << "\n"
      << "Closure days:                         "
      << (c.closure_days.empty() ? "(none)" : std::to_string(c.closure_days.size())) << "\n";
  for (const auto& cd : c.closure_days) {
    out << "  " << FormatDate(cd.date) << "\t" << cd.title << "\n";
  }
}

// "" clears the date; anything else must be YYYY-MM-DD.
Result<std::optional<Date>> OptionalDate(const std::string& text, std::string_view field) {
  if (text.empty()) {
    return std::optional<Date>();
  }
  ACC_ASSIGN_OR_RETURN(const Date d, ParseDate(text, field));
  return std::optional<Date>(d);
}

}  // namespace

Result<int> RunContractShow(const Args& args, App& app, std::ostream& out) {
  ACC_ASSIGN_OR_RETURN(const auto contract, app.registers->GetContract(Operator()));
  PrintContract(contract, args.json, out);
  return 0;
}

Result<int> RunContractSet(const Args& args, App& app, std::ostream& out) {
  // Every option is parsed before anything is written, so a bad one changes nothing.
  registers::ContractPatch patch;
  patch.title = args.title;
  patch.reference = args.reference;
  patch.customer_name = args.customer_name;
  patch.provider_name = args.provider_name;
  if (args.effective_date) {
    ACC_ASSIGN_OR_RETURN(patch.effective_date,
                         OptionalDate(*args.effective_date, "effective_date"));
  }
  if (args.osc_date) {
    ACC_ASSIGN_OR_RETURN(patch.operational_service_commencement_date,
                         OptionalDate(*args.osc_date, "operational_service_commencement_date"));
  }
  if (args.contract_division) {
    auto division = ParseDivision(*args.contract_division);
    if (!division) {
      return Err(ErrorCode::kInvalidArgument,
                 "must be england-and-wales, scotland or northern-ireland", "division");
    }
    patch.division = *division;
  }
  std::vector<registers::ClosureDay> added;
  for (const auto& spec : args.add_closure_days) {
    const auto colon = spec.find(':');
    const std::string date_text = spec.substr(0, colon);
    const std::string title = colon == std::string::npos ? "" : spec.substr(colon + 1);
    ACC_ASSIGN_OR_RETURN(const Date d, ParseDate(date_text, "add-closure-day"));
    if (title.empty()) {
      return Err(ErrorCode::kInvalidArgument, "must be DATE:TITLE, e.g. 2026-12-31:Office closed",
                 "add-closure-day");
    }
    added.push_back(registers::ClosureDay{d, title});
  }
  if (args.clear_closure_days || !added.empty()) {
    std::vector<registers::ClosureDay> days;
    if (!args.clear_closure_days) {
      ACC_ASSIGN_OR_RETURN(const auto current, app.registers->GetContract(Operator()));
      days = current.closure_days;
    }
    days.insert(days.end(), added.begin(), added.end());
    patch.closure_days = std::move(days);
  }
  if (!patch.title && !patch.reference && !patch.customer_name && !patch.provider_name &&
      !patch.effective_date && !patch.operational_service_commencement_date && !patch.division &&
      !patch.closure_days) {
    return Err(ErrorCode::kInvalidArgument,
               "nothing to change: give at least one option (see "
               "`accredit contract set --help`)");
  }
  ACC_ASSIGN_OR_RETURN(const auto updated, app.registers->UpdateContract(Operator(), patch));
  PrintContract(updated, args.json, out);
  return 0;
}

Result<int> RunSupplierList(const Args& args, App& app, std::ostream& out) {
  std::optional<registers::PartyKind> kind;
  if (!args.all_parties) {
    kind = registers::PartyKind::kSubcontractor;
  }
  ACC_ASSIGN_OR_RETURN(const auto parties, app.registers->ListParties(Operator(), kind));
  if (args.json) {
    nlohmann::json arr = nlohmann::json::array();
    for (const auto& p : parties) {
      arr.push_back(nlohmann::json::parse(registers::ToJson(p), nullptr, false));
    }
    out << DumpJson(arr, 2) << "\n";
    return 0;
  }
  out << std::left << std::setw(6) << "ID" << std::setw(15) << "KIND" << std::setw(14)
      << "CUSTOMER DATA"
      << "NAME\n";
  for (const auto& p : parties) {
    out << std::left << std::setw(6) << p.id << std::setw(15) << registers::PartyKindName(p.kind)
        << std::setw(14) << (p.access_to_customer_data ? "yes" : "no") << p.name << "\n";
  }
  return 0;
}

Result<int> RunSupplierAdd(const Args& args, App& app, std::ostream& out) {
  registers::Party party;
  party.kind = registers::PartyKind::kSubcontractor;
  party.name = args.name;
  party.access_to_customer_data = args.access_to_customer_data;
  party.services = args.services;
  party.contact_email = args.email;
  party.company_number = args.company_number;
  party.address = args.address;
  ACC_ASSIGN_OR_RETURN(const auto created, app.registers->CreateParty(Operator(), party));
  if (args.json) {
    out << Pretty(registers::ToJson(created));
  } else {
    out << "Created supplier " << created.id << ": " << created.name << "\n";
  }
  return 0;
}

}  // namespace accredit::cli::internal
