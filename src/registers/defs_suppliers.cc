// Supplier-owned registers: the parties ("suppliers"), their certifications and flow-down
// exceptions (S2.4-6.2 to 6.5). A subcontractor sees only records of its own party
// (scope_field), through the supplier.read / supplier.write actions.

#include <chrono>

#include "registers/internal.h"

namespace accredit::registers::internal {
namespace {

using FT = FieldType;

// Only contract.update (admin) may create or change the Customer and Provider parties; the
// sub-contractors are supplier records (the rule of Registers::CreateParty/UpdateParty).
Status AuthorizePartyKind(const auth::Principal& actor, const Json& record) {
  if (Str(record, "kind") == "subcontractor") {
    return Status::Ok();
  }
  return auth::Authorize(actor, auth::Action::kContractUpdate);
}

RegisterDef Suppliers() {
  RegisterDef d;
  d.name = "suppliers";
  d.singular = "supplier";
  d.title = "Suppliers and parties";
  d.clause = "S2.4-6.2";
  d.description =
      "The parties to the contract: the Customer, the Provider and its sub-contractors, with "
      "their access to Customer Data, services and code-of-connection status (S2.4-6.2, 6.5).";
  d.label_field = "name";
  d.table = "parties";
  d.scope_field = "id";  // a subcontractor sees only its own party
  d.read_action = auth::Action::kSupplierRead;
  d.write_action = auth::Action::kSupplierWrite;
  d.authorize_write = AuthorizePartyKind;
  d.fields = {
      {.name = "kind",
       .label = "Kind",
       .type = FT::kEnum,
       .required = true,
       .choices = {"customer", "provider", "subcontractor"},
       .help = "The Customer, the Provider, or a sub-contractor (S2.4-6.2).",
       .in_list = true,
       .filterable = true,
       .default_value = "subcontractor"},
      {.name = "name",
       .label = "Name",
       .type = FT::kText,
       .required = true,
       .help = "Legal name of the party.",
       .in_list = true,
       .filterable = true,
       .unique = true},
      {.name = "company_number",
       .label = "Company number",
       .type = FT::kText,
       .help = "Companies House number, letters and digits.",
       .max_length = 32},
      {.name = "address", .label = "Address", .type = FT::kLongText, .max_length = 2000},
      {.name = "contact_email", .label = "Contact e-mail", .type = FT::kEmail, .max_length = 254},
      {.name = "access_to_customer_data",
       .label = "Access to Customer Data",
       .type = FT::kBool,
       .help = "S2.4-6.2: sub-contractors with access to Customer Data must hold the "
               "Certification Requirements.",
       .in_list = true,
       .filterable = true},
      {.name = "services", .label = "Services provided", .type = FT::kLongText, .max_length = 2000},
      {.name = "code_of_connection_status",
       .label = "Code of connection",
       .type = FT::kEnum,
       .required = true,
       .choices = {"not_required", "pending", "compliant", "failed"},
       .help = "Status of the party's code of connection to the Customer's systems.",
       .in_list = true,
       .filterable = true,
       .default_value = "not_required"},
      {.name = "notes", .label = "Notes", .type = FT::kLongText},
  };
  d.validators.push_back([](const Json& r, ReadContext&) -> Status {
    for (char c : Str(r, "company_number")) {
      const bool ok = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
      if (!ok) {
        return Invalid("company_number", "must contain only letters and digits");
      }
    }
    return Status::Ok();
  });
  return d;
}

RegisterDef Certifications() {
  RegisterDef d;
  d.name = "certifications";
  d.singular = "certification";
  d.title = "Certifications";
  d.clause = "S2.4-6.2";
  d.description =
      "Certificates held by the Provider and each sub-contractor: ISO/IEC 27001 (with "
      "certification body and UKAS accreditation), Cyber Essentials Plus and NCSC CAS "
      "sanitisation (S2.4-6.2, 6.3, 6.5.3; A3 Annex A). Evidence for S2.4-5.4.7.";
  d.label_field = "certificate_number";
  d.scope_field = "party_id";
  d.read_action = auth::Action::kSupplierRead;
  d.write_action = auth::Action::kSupplierWrite;
  d.fields = {
      {.name = "party_id",
       .label = "Party",
       .type = FT::kRef,
       .required = true,
       .ref = "suppliers",
       .help = "The party holding the certificate (the Provider or a sub-contractor).",
       .in_list = true,
       .filterable = true},
      {.name = "scheme",
       .label = "Scheme",
       .type = FT::kEnum,
       .required = true,
       .choices = {"iso27001", "cyber_essentials_plus", "ncsc_cas_sanitisation", "other"},
       .help = "S2.4-6.2 (ISO/IEC 27001, Cyber Essentials Plus), 6.5.3 (NCSC CAS sanitisation).",
       .in_list = true,
       .filterable = true},
      {.name = "certificate_number",
       .label = "Certificate number",
       .type = FT::kText,
       .required = true,
       .in_list = true,
       .filterable = true},
      {.name = "certification_body",
       .label = "Certification body",
       .type = FT::kText,
       .help = "S2.4-6.3: ISO/IEC 27001 certificates from a UKAS-accredited body.",
       .filterable = true},
      {.name = "ukas_accredited",
       .label = "UKAS accredited",
       .type = FT::kBool,
       .help = "S2.4-6.3: the certification body is UKAS accredited.",
       .filterable = true},
      {.name = "scope", .label = "Scope", .type = FT::kLongText},
      {.name = "issue_date", .label = "Issue date", .type = FT::kDate},
      {.name = "expiry_date",
       .label = "Expiry date",
       .type = FT::kDate,
       .in_list = true,
       .filterable = true},
      {.name = "evidence_id",
       .label = "Certificate file",
       .type = FT::kRef,
       .ref = "evidence",
       .help = "The uploaded certificate (evidence register)."},
      {.name = "provided_to_customer_date",
       .label = "Provided to the Customer",
       .type = FT::kDate,
       .help = "S2.4-6.2: date a copy was provided to the Customer."},
      {.name = "withdrawn_date",
       .label = "Withdrawn",
       .type = FT::kDate,
       .help = "The certificate was withdrawn or suspended before its expiry (S2.4-6.7).",
       .filterable = true},
      {.name = "lapse_notified_date",
       .label = "Lapse notified",
       .type = FT::kDate,
       .help = "S2.4-6.7: date the Customer was told that the party no longer complies."},
  };
  d.validators.push_back([](const Json& r, ReadContext&) -> Status {
    const auto issue = DateOf(r, "issue_date");
    const auto expiry = DateOf(r, "expiry_date");
    if (issue && expiry && *expiry <= *issue) {
      return Invalid("expiry_date", "must be after issue_date");
    }
    const auto withdrawn = DateOf(r, "withdrawn_date");
    if (issue && withdrawn && *withdrawn < *issue) {
      return Invalid("withdrawn_date", "must not be before issue_date");
    }
    return Status::Ok();
  });
  d.derived.push_back(DerivedDef{
      .name = "status",
      .label = "Status",
      .in_list = true,
      .compute = [](const Json& r, ReadContext& ctx) -> Json {
        const auto today = std::chrono::sys_days(ctx.Today());
        const auto withdrawn = DateOf(r, "withdrawn_date");
        if (withdrawn && std::chrono::sys_days(*withdrawn) <= today) {
          return "withdrawn";
        }
        const auto expiry = DateOf(r, "expiry_date");
        if (!expiry) {
          return "unknown";
        }
        const auto end = std::chrono::sys_days(*expiry);
        if (today > end) {
          return "expired";
        }
        if (end - today <= std::chrono::days(60)) {
          return "expiring";
        }
        return "valid";
      },
      .help = "withdrawn from withdrawn_date on; expired after expiry_date; expiring within 60 "
              "days of it; valid otherwise; unknown without an expiry date."});
  return d;
}

RegisterDef FlowdownExceptions() {
  RegisterDef d;
  d.name = "flowdown_exceptions";
  d.singular = "flowdown_exception";
  d.title = "Flow-down exceptions";
  d.clause = "S2.4-6.4";
  d.description =
      "Requirements of Schedule 2.4 not flowed down to a sub-contractor, with the Customer's "
      "agreement record (S2.4-6.4).";
  d.label_field = "requirement";
  d.scope_field = "party_id";
  d.read_action = auth::Action::kSupplierRead;
  // The exception is agreed between Provider and Customer: the sub-contractor reads it only.
  d.write_action = auth::Action::kRiskWrite;
  d.fields = {
      {.name = "party_id",
       .label = "Sub-contractor",
       .type = FT::kRef,
       .required = true,
       .ref = "suppliers",
       .in_list = true,
       .filterable = true},
      {.name = "requirement",
       .label = "Requirement",
       .type = FT::kLongText,
       .required = true,
       .help = "The requirement not flowed down, citing its clause.",
       .in_list = true},
      {.name = "agreed_with",
       .label = "Agreed with",
       .type = FT::kText,
       .help = "Who at the Customer agreed the exception (S2.4-6.4).",
       .in_list = true},
      {.name = "agreement_reference", .label = "Agreement reference", .type = FT::kText},
      {.name = "agreed_date",
       .label = "Agreed date",
       .type = FT::kDate,
       .in_list = true,
       .filterable = true},
  };
  return d;
}

}  // namespace

std::vector<RegisterDef> SupplierDefs() {
  return {Suppliers(), Certifications(), FlowdownExceptions()};
}

}  // namespace accredit::registers::internal
