// Technical registers: sites, IMS assets, products, information assets and flows, the Personal
// Data Processing Statement (S2.4-3.2, 8.5, 11.1.1; A3-4.3, 4.4, 4.6, 4.7, 8, 12). Written by
// admin, security_manager and engineer (register.write).

#include <chrono>

#include "registers/internal.h"

namespace accredit::registers::internal {
namespace {

using FT = FieldType;

const std::vector<std::string> kClassifications = {"OFFICIAL", "OFFICIAL-SENSITIVE", "SECRET"};

RegisterDef Sites() {
  RegisterDef d;
  d.name = "sites";
  d.singular = "site";
  d.title = "Sites";
  d.clause = "S2.4-11.1.1";
  d.description =
      "Locations where Customer Data is processed, stored or destroyed, with their ISO/IEC "
      "27001 scope. A site outside the UK/EU is flagged unless the Customer's consent is "
      "recorded (S2.4-11.1.1, 6.5.2; A3-4.6).";
  d.label_field = "name";
  d.fields = {
      {.name = "name",
       .label = "Name",
       .type = FT::kText,
       .required = true,
       .in_list = true,
       .filterable = true,
       .unique = true},
      {.name = "address", .label = "Address", .type = FT::kLongText, .max_length = 2000},
      {.name = "country",
       .label = "Country",
       .type = FT::kText,
       .required = true,
       .help = "ISO 3166-1 alpha-2 code in capitals, e.g. GB, IE, DE (S2.4-11.1.1).",
       .in_list = true,
       .filterable = true,
       .max_length = 2},
      {.name = "in_iso27001_scope",
       .label = "In ISO/IEC 27001 scope",
       .type = FT::kBool,
       .help = "The site is within the scope of an ISO/IEC 27001 certificate (S2.4-6.5.2).",
       .in_list = true,
       .filterable = true},
      {.name = "iso_certification_id",
       .label = "ISO/IEC 27001 certificate",
       .type = FT::kRef,
       .ref = "certifications",
       .help = "The certificate whose scope covers the site."},
      {.name = "used_for_processing",
       .label = "Used for processing",
       .type = FT::kBool,
       .help = "Customer Data is processed or stored here (S2.4-11.1.1).",
       .in_list = true,
       .filterable = true},
      {.name = "used_for_destruction",
       .label = "Used for destruction",
       .type = FT::kBool,
       .help = "Customer Data or media are destroyed here (S2.4-6.5.3).",
       .filterable = true},
      {.name = "destruction_party_id",
       .label = "Destroyed by",
       .type = FT::kRef,
       .ref = "suppliers",
       .help = "Required when used for destruction: the Provider or sub-contractor that "
               "securely destroys Customer Data here. Only its own NCSC CAS (Sanitisation) "
               "certificate, valid and provided to the Customer, is the evidence S2.4-6.6 asks "
               "for before any destruction."},
      {.name = "consent_reference",
       .label = "Consent reference",
       .type = FT::kText,
       .help = "The Customer's written consent to processing outside the UK/EU "
               "(S2.4-11.1.1)."},
      {.name = "consent_date", .label = "Consent date", .type = FT::kDate},
  };
  d.validators.push_back([](const Json& r, ReadContext& ctx) -> Status {
    if (!IsCountryCode(Str(r, "country"))) {
      return Invalid("country", "must be an ISO 3166-1 alpha-2 country code such as GB");
    }
    const auto party = Int(r, "destruction_party_id");
    if (Bool(r, "used_for_destruction") && !party) {
      return Invalid("destruction_party_id",
                     "required for a site used for destruction: the party that destroys "
                     "Customer Data there (S2.4-6.6)");
    }
    if (party) {
      ACC_ASSIGN_OR_RETURN(auto rows,
                           ctx.Conn().Query("SELECT kind FROM parties WHERE id = ?", {*party}));
      if (!rows.empty() && rows[0][0].Text() == "customer") {
        return Invalid("destruction_party_id", "must be the Provider or a sub-contractor");
      }
    }
    return Status::Ok();
  });
  d.derived.push_back(DerivedDef{
      .name = "outside_uk_eu",
      .label = "Outside UK/EU without consent",
      .in_list = true,
      .compute = [](const Json& r, ReadContext&) -> Json {
        const bool consent = !Str(r, "consent_reference").empty() || DateOf(r, "consent_date");
        return !IsUkOrEuEea(Str(r, "country")) && !consent;
      },
      .help = "true when the country is neither GB nor an EU/EEA member and no consent "
              "(reference or date) is recorded (S2.4-11.1.1)."});
  return d;
}

Status CheckTags(const Json& r, std::string_view field, bool (*ok)(std::string_view),
                 std::string_view what) {
  const Json& tags = r.contains(field) ? r.at(std::string(field)) : Json();
  if (!tags.is_array()) {
    return Status::Ok();
  }
  for (const auto& t : tags) {
    if (t.is_string() && !ok(t.get<std::string>())) {
      return Invalid(std::string(field), t.get<std::string>() + " is not " + std::string(what));
    }
  }
  return Status::Ok();
}

RegisterDef Assets() {
  RegisterDef d;
  d.name = "assets";
  d.singular = "asset";
  d.title = "IMS assets";
  d.clause = "S2.4-3.2";
  d.description =
      "Assets of the Information Management System, Core or Wider, with the Customer's boundary "
      "decision, environment and network identities that scanner imports match (S2.4-3.2; "
      "A3-4.4, A3-4.7).";
  d.label_field = "name";
  d.fields = {
      {.name = "name",
       .label = "Name",
       .type = FT::kText,
       .required = true,
       .in_list = true,
       .filterable = true,
       .unique = true},
      {.name = "ims_part",
       .label = "IMS part",
       .type = FT::kEnum,
       .required = true,
       .choices = {"core", "wider"},
       .help = "Core IMS or Wider IMS (S2.4-3.2).",
       .in_list = true,
       .filterable = true},
      {.name = "boundary_decision",
       .label = "Boundary decision",
       .type = FT::kLongText,
       .help = "The Customer's decision record placing the asset in the Core or Wider IMS "
               "(S2.4-3.2)."},
      {.name = "asset_type",
       .label = "Type",
       .type = FT::kEnum,
       .required = true,
       .choices = {"server", "network_device", "endpoint", "cloud_service", "application",
                   "database", "other"},
       .in_list = true,
       .filterable = true},
      {.name = "owner", .label = "Owner", .type = FT::kText, .in_list = true, .filterable = true},
      {.name = "environment",
       .label = "Environment",
       .type = FT::kEnum,
       .required = true,
       .choices = {"live", "test", "dev"},
       .help = "A3-4.7: test and development systems are described separately.",
       .in_list = true,
       .filterable = true,
       .default_value = "live"},
      {.name = "test_holds_live_data",
       .label = "Test holds live data",
       .type = FT::kBool,
       .help = "A3-4.7: a test or development system holding live data.",
       .filterable = true},
      {.name = "internet_facing",
       .label = "Internet-facing",
       .type = FT::kBool,
       .in_list = true,
       .filterable = true},
      {.name = "classification",
       .label = "Classification",
       .type = FT::kEnum,
       .required = true,
       .choices = kClassifications,
       .help = "Government Security Classification of the data held (S2.4-A1-1: SECRET only "
               "with the Customer's prior notice).",
       .in_list = true,
       .filterable = true,
       .default_value = "OFFICIAL"},
      {.name = "classification_notice_date",
       .label = "SECRET notice date",
       .type = FT::kDate,
       .help = "Required for SECRET: the date of the Customer's prior notice (S2.4-A1-1)."},
      {.name = "hostnames",
       .label = "Host names",
       .type = FT::kTags,
       .help = "';'-separated host names, matched by scanner imports.",
       .filterable = true},
      {.name = "ip_addresses",
       .label = "IP addresses",
       .type = FT::kTags,
       .help = "';'-separated IPv4/IPv6 addresses.",
       .filterable = true},
      {.name = "mac_addresses",
       .label = "MAC addresses",
       .type = FT::kTags,
       .help = "';'-separated MAC addresses (aa:bb:cc:dd:ee:ff).",
       .filterable = true},
      {.name = "site_id", .label = "Site", .type = FT::kRef, .ref = "sites", .filterable = true},
      {.name = "party_id",
       .label = "Operated by",
       .type = FT::kRef,
       .ref = "suppliers",
       .help = "The party operating the asset, when not the Provider.",
       .filterable = true},
  };
  d.validators.push_back([](const Json& r, ReadContext&) -> Status {
    if (Bool(r, "test_holds_live_data") && Str(r, "environment") == "live") {
      return Invalid("test_holds_live_data", "applies only to test or dev environments");
    }
    if (Str(r, "classification") == "SECRET" && !DateOf(r, "classification_notice_date")) {
      return Invalid("classification_notice_date",
                     "required for SECRET (the Customer's prior notice, S2.4-A1-1)");
    }
    ACC_RETURN_IF_ERROR(CheckTags(r, "hostnames", IsHostname, "a host name"));
    ACC_RETURN_IF_ERROR(CheckTags(r, "ip_addresses", IsIpAddress, "an IPv4 or IPv6 address"));
    ACC_RETURN_IF_ERROR(CheckTags(r, "mac_addresses", IsMacAddress, "a MAC address"));
    return Status::Ok();
  });
  return d;
}

RegisterDef Products() {
  RegisterDef d;
  d.name = "products";
  d.singular = "product";
  d.title = "Products and support dates";
  d.clause = "S2.4-8.5";
  d.description =
      "Major hardware and software with versions and mainstream/extended support end dates; "
      "RAG status from the dates. Linked to assets with the relation runs_on (S2.4-8.5; A3-8).";
  d.label_field = "name";
  d.fields = {
      {.name = "vendor",
       .label = "Vendor",
       .type = FT::kText,
       .required = true,
       .in_list = true,
       .filterable = true},
      {.name = "name",
       .label = "Name",
       .type = FT::kText,
       .required = true,
       .in_list = true,
       .filterable = true},
      {.name = "version",
       .label = "Version",
       .type = FT::kText,
       .in_list = true,
       .filterable = true},
      {.name = "product_type",
       .label = "Type",
       .type = FT::kEnum,
       .required = true,
       .choices = {"hardware", "software", "firmware", "service"},
       .in_list = true,
       .filterable = true},
      {.name = "mainstream_support_end",
       .label = "Mainstream support ends",
       .type = FT::kDate,
       .help = "S2.4-8.5: COTS software stays in mainstream support.",
       .in_list = true,
       .filterable = true},
      {.name = "extended_support_end", .label = "Extended support ends", .type = FT::kDate},
      {.name = "support_exception_agreed_date",
       .label = "Support exception agreed on",
       .type = FT::kDate,
       .help = "S2.4-8.5: the date the Customer Relationship Manager agreed in writing that it "
               "may stay in use without mainstream support."},
      {.name = "support_exception_reference",
       .label = "Support exception reference",
       .type = FT::kText,
       .help = "The written agreement (letter, e-mail or minute reference)."},
      {.name = "retired_date",
       .label = "Retired or replaced on",
       .type = FT::kDate,
       .help = "The day it was removed from the Services or replaced (S2.4-8.5 then no longer "
               "applies to it).",
       .filterable = true},
      {.name = "notes", .label = "Notes", .type = FT::kLongText},
  };
  d.validators.push_back([](const Json& r, ReadContext&) -> Status {
    const auto mainstream = DateOf(r, "mainstream_support_end");
    const auto extended = DateOf(r, "extended_support_end");
    if (mainstream && extended && *extended < *mainstream) {
      return Invalid("extended_support_end", "must not be before mainstream_support_end");
    }
    const bool agreed = DateOf(r, "support_exception_agreed_date").has_value();
    const bool reference = !Str(r, "support_exception_reference").empty();
    if (agreed && !reference) {
      return Invalid("support_exception_reference",
                     "is required with the support exception date: name the written agreement");
    }
    if (reference && !agreed) {
      return Invalid("support_exception_agreed_date",
                     "is required with the support exception reference");
    }
    return Status::Ok();
  });
  d.derived.push_back(DerivedDef{
      .name = "rag",
      .label = "RAG",
      .in_list = true,
      .compute = [](const Json& r, ReadContext& ctx) -> Json {
        const auto end = DateOf(r, "mainstream_support_end");
        if (!end) {
          return "grey";
        }
        const auto today = std::chrono::sys_days(ctx.Today());
        const auto end_day = std::chrono::sys_days(*end);
        if (today > end_day) {
          return "red";
        }
        if (end_day - today <= std::chrono::days(180)) {
          return "amber";
        }
        return "green";
      },
      .help = "red after mainstream_support_end; amber within 180 days of it; green otherwise; "
              "grey without a date (S2.4-8.5, A3-8)."});
  return d;
}

RegisterDef InformationAssets() {
  RegisterDef d;
  d.name = "information_assets";
  d.singular = "information_asset";
  d.title = "Information assets";
  d.clause = "S2.4-A3-4.3";
  d.description = "Types and volumes of data held, personal data fields and owners (A3-4.3).";
  d.label_field = "name";
  d.fields = {
      {.name = "name",
       .label = "Name",
       .type = FT::kText,
       .required = true,
       .in_list = true,
       .filterable = true,
       .unique = true},
      {.name = "description", .label = "Description", .type = FT::kLongText},
      {.name = "data_types",
       .label = "Data types",
       .type = FT::kTags,
       .in_list = true,
       .filterable = true},
      {.name = "volume", .label = "Volume", .type = FT::kText, .help = "e.g. \"40,000 records\"."},
      {.name = "personal_data",
       .label = "Personal data",
       .type = FT::kBool,
       .in_list = true,
       .filterable = true},
      {.name = "personal_data_fields",
       .label = "Personal data fields",
       .type = FT::kTags,
       .help = "A3-4.3: the personal data fields held."},
      {.name = "classification",
       .label = "Classification",
       .type = FT::kEnum,
       .choices = kClassifications,
       .in_list = true,
       .filterable = true},
      {.name = "owner",
       .label = "Information Asset Owner",
       .type = FT::kText,
       .help = "The IAO (A3-4.8).",
       .in_list = true,
       .filterable = true},
  };
  d.validators.push_back([](const Json& r, ReadContext&) -> Status {
    if (!Bool(r, "personal_data") && r.contains("personal_data_fields") &&
        r["personal_data_fields"].is_array() && !r["personal_data_fields"].empty()) {
      return Invalid("personal_data", "must be true when personal_data_fields are listed");
    }
    return Status::Ok();
  });
  return d;
}

RegisterDef DataFlows() {
  RegisterDef d;
  d.name = "data_flows";
  d.singular = "data_flow";
  d.title = "Data flows";
  d.clause = "S2.4-A3-4.3";
  d.description =
      "Flows of information between systems and parties, with transport and encryption "
      "(A3-4.3; S2.4-A1-3.2: encrypted when crossing a public network).";
  d.label_field = "name";
  d.fields = {
      {.name = "name",
       .label = "Name",
       .type = FT::kText,
       .required = true,
       .in_list = true,
       .filterable = true},
      {.name = "from",
       .label = "From",
       .type = FT::kText,
       .required = true,
       .in_list = true,
       .filterable = true},
      {.name = "to",
       .label = "To",
       .type = FT::kText,
       .required = true,
       .in_list = true,
       .filterable = true},
      {.name = "information_asset_id",
       .label = "Information asset",
       .type = FT::kRef,
       .ref = "information_assets",
       .filterable = true},
      {.name = "transport",
       .label = "Transport",
       .type = FT::kText,
       .help = "e.g. HTTPS, SFTP, IPsec VPN."},
      {.name = "encryption",
       .label = "Encryption",
       .type = FT::kText,
       .help = "Protocol and product, e.g. TLS 1.2+."},
      {.name = "crosses_public_network",
       .label = "Crosses a public network",
       .type = FT::kBool,
       .help = "S2.4-A1-3.2: data crossing a public network must be encrypted.",
       .in_list = true,
       .filterable = true},
  };
  d.validators.push_back([](const Json& r, ReadContext&) -> Status {
    if (Bool(r, "crosses_public_network") && Str(r, "encryption").empty()) {
      return Invalid("encryption", "required when the flow crosses a public network (A1-3.2)");
    }
    return Status::Ok();
  });
  return d;
}

RegisterDef Pdps() {
  RegisterDef d;
  d.name = "pdps";
  d.singular = "pdps_entry";
  d.title = "Personal Data Processing Statement";
  d.clause = "S2.4-5.4.8";
  d.description =
      "The content of the Personal Data Processing Statement: one row per processing activity "
      "(S2.4-5.4.8; A3-12).";
  d.label_field = "processing_activity";
  d.fields = {
      {.name = "processing_activity",
       .label = "Processing activity",
       .type = FT::kText,
       .required = true,
       .in_list = true,
       .filterable = true},
      {.name = "data_subjects",
       .label = "Data subjects",
       .type = FT::kTags,
       .in_list = true,
       .filterable = true},
      {.name = "data_types",
       .label = "Types of personal data",
       .type = FT::kTags,
       .in_list = true,
       .filterable = true},
      {.name = "nature", .label = "Nature of the processing", .type = FT::kLongText},
      {.name = "purpose", .label = "Purpose", .type = FT::kLongText, .required = true},
      {.name = "locations", .label = "Locations", .type = FT::kTags, .filterable = true},
      {.name = "retention", .label = "Retention", .type = FT::kText},
      {.name = "protective_measures", .label = "Protective measures", .type = FT::kLongText},
      {.name = "lawful_basis", .label = "Lawful basis", .type = FT::kText},
  };
  return d;
}

}  // namespace

std::vector<RegisterDef> TechnicalDefs() {
  return {Sites(), Assets(), Products(), InformationAssets(), DataFlows(), Pdps()};
}

}  // namespace accredit::registers::internal
