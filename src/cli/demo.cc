// The demo contract: `accredit demo` and cli::LoadDemo.

#include <filesystem>
#include <ostream>

#include "cli/commands.h"

namespace accredit::cli {
namespace {

using registers::Party;
using registers::PartyKind;

Date Ymd(int y, unsigned m, unsigned d) {
  return Date{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}};
}

struct DemoUser {
  const char* username;
  const char* display_name;
  const char* email;
  auth::Role role;
};

constexpr std::string_view kDemoTitle =
    "Highways England — Traffic Management and Technology Services";

// Fictional people; example.com/.test addresses never deliver.
constexpr DemoUser kDemoUsers[] = {
    {"admin", "Alex Morgan", "alex.morgan@northgate-roadside.example", auth::Role::kAdmin},
    {"secman", "Priya Shah", "priya.shah@northgate-roadside.example", auth::Role::kSecurityManager},
    {"engineer", "Tom Hughes", "tom.hughes@northgate-roadside.example", auth::Role::kEngineer},
    {"vetting", "Grace Okafor", "grace.okafor@northgate-roadside.example",
     auth::Role::kVettingOfficer},
    {"subcontractor", "Sam Reid", "sam.reid@stratus-cloud.example", auth::Role::kSubcontractor},
    {"reviewer", "Helen Clarke", "helen.clarke@highways-customer.example",
     auth::Role::kCustomerReviewer},
    {"auditor", "David Evans", "david.evans@audit-partners.example", auth::Role::kAuditor},
};

}  // namespace

Status LoadDemo(App& app, std::string_view password) {
  const auth::Principal op = internal::Operator();
  ACC_ASSIGN_OR_RETURN(const auto existing, app.registers->ListParties(op));
  ACC_ASSIGN_OR_RETURN(const auto contract, app.registers->GetContract(op));
  if (!existing.empty() || !contract.title.empty()) {
    return Err(ErrorCode::kAlreadyExists,
               "the database already holds a contract; load the demo into a new database");
  }
  ACC_RETURN_IF_ERROR(auth::CheckPasswordPolicy(password));

  registers::ContractPatch patch;
  patch.title = std::string(kDemoTitle);
  patch.reference = "HE-TMTS-2026-0417";
  patch.customer_name = "Highways England";
  patch.provider_name = "Northgate Roadside Systems Ltd";
  patch.effective_date = Ymd(2026, 4, 1);
  patch.operational_service_commencement_date = Ymd(2026, 10, 1);
  patch.division = Division::kEnglandAndWales;
  patch.closure_days =
      std::vector<registers::ClosureDay>{{Ymd(2026, 12, 31), "Provider office closure"}};
  ACC_RETURN_IF_ERROR(app.registers->UpdateContract(op, patch));

  const Party parties[] = {
      {0, PartyKind::kCustomer, "Highways England", "", "Piccadilly Gate, Store Street, Manchester",
       "security.assurance@highways-customer.example", true,
       "Customer: strategic road network operator"},
      {0, PartyKind::kProvider, "Northgate Roadside Systems Ltd", "09876543",
       "4 Canal Wharf, Leeds", "security@northgate-roadside.example", true,
       "Provider: traffic management and roadside technology services"},
      {0, PartyKind::kSubcontractor, "Stratus Cloud Hosting Ltd", "11223344",
       "Unit 7, Thames Valley Park, Reading", "compliance@stratus-cloud.example", true,
       "IaaS hosting of the Core Information Management System (UK regions)"},
      {0, PartyKind::kSubcontractor, "Pennine Field Engineering Ltd", "08765432",
       "12 Mill Lane, Huddersfield", "ops@pennine-field.example", false,
       "Installation and maintenance of roadside cabinets, signals and cameras"},
      {0, PartyKind::kSubcontractor, "Sentinel Watch SOC Ltd", "12345678",
       "Cyber House, Cheltenham", "soc@sentinel-watch.example", true,
       "24x7 security operations centre: monitoring, triage and incident response"},
      {0, PartyKind::kSubcontractor, "Lakeside Print and Post Ltd", "07654321",
       "3 Quay Street, Bristol", "accounts@lakeside-print.example", false,
       "Printing and mailing of non-sensitive public notices"},
  };
  std::optional<std::int64_t> first_subcontractor;
  for (const auto& p : parties) {
    ACC_ASSIGN_OR_RETURN(const Party created, app.registers->CreateParty(op, p));
    if (created.kind == PartyKind::kSubcontractor && !first_subcontractor) {
      first_subcontractor = created.id;
    }
  }

  for (const auto& u : kDemoUsers) {
    auth::NewUser user;
    user.username = u.username;
    user.display_name = u.display_name;
    user.email = u.email;
    user.role = u.role;
    if (u.role == auth::Role::kSubcontractor) {
      user.supplier_id = first_subcontractor;
    }
    user.password = std::string(password);
    ACC_RETURN_IF_ERROR(app.accounts->CreateUser(op, user));
  }
  return Status::Ok();
}

namespace internal {

Result<int> RunDemo(const Args& args, const Clock& clock, std::ostream& out) {
  AppOptions options;
  options.db_path = args.db_path;
  options.create_if_missing = true;
  ACC_ASSIGN_OR_RETURN(auto app, OpenApp(clock, options));
  ACC_ASSIGN_OR_RETURN(const std::int64_t users, app->accounts->CountUsers());
  if (users > 0) {
    return Err(ErrorCode::kAlreadyExists,
               "the database already has users; load the demo into a new database");
  }
  ACC_RETURN_IF_ERROR(LoadDemo(*app, args.demo_password));
  std::error_code ec;
  const auto abs = std::filesystem::absolute(args.db_path, ec);
  out << "Database: " << (ec ? args.db_path : abs.string()) << "\n"
      << "Demo contract loaded: " << kDemoTitle << "\n"
      << "Logins (password \"" << args.demo_password << "\"):";
  for (const auto& u : kDemoUsers) {
    out << " " << u.username;
  }
  out << "\n";
  return 0;
}

}  // namespace internal
}  // namespace accredit::cli
