// Reference registers of the RMD: references (A3-3), key roles (A3-4.8), approved end-user
// device types (S2.4-A1-2.1), audit-record retention periods (S2.4-A1-6.1.4), and the evidence
// files every other record can link to.

#include "registers/internal.h"

namespace accredit::registers::internal {
namespace {

using FT = FieldType;

RegisterDef References() {
  RegisterDef d;
  d.name = "references";
  d.singular = "reference";
  d.title = "References, links and dependencies";
  d.clause = "S2.4-A3-3";
  d.description = "Documents the RMD refers to: id, title, reference and date (A3-3).";
  d.label_field = "title";
  d.fields = {
      {.name = "ref_id",
       .label = "ID",
       .type = FT::kText,
       .required = true,
       .in_list = true,
       .filterable = true,
       .max_length = 40,
       .unique = true},
      {.name = "title",
       .label = "Title",
       .type = FT::kText,
       .required = true,
       .in_list = true,
       .filterable = true},
      {.name = "reference",
       .label = "Reference",
       .type = FT::kText,
       .help = "Document number, URL or location.",
       .in_list = true},
      {.name = "date", .label = "Date", .type = FT::kDate, .in_list = true},
  };
  return d;
}

RegisterDef KeyRoles() {
  RegisterDef d;
  d.name = "key_roles";
  d.singular = "key_role";
  d.title = "Key roles and responsibilities";
  d.clause = "S2.4-A3-4.8";
  d.description = "The SIRO, IAOs, Security Manager, Accreditor and other key roles (A3-4.8).";
  d.label_field = "name";
  d.fields = {
      {.name = "role",
       .label = "Role",
       .type = FT::kEnum,
       .required = true,
       .choices = {"SIRO", "IAO", "Security Manager", "Accreditor", "other"},
       .in_list = true,
       .filterable = true},
      {.name = "name",
       .label = "Name",
       .type = FT::kText,
       .required = true,
       .in_list = true,
       .filterable = true},
      {.name = "organisation",
       .label = "Organisation",
       .type = FT::kText,
       .in_list = true,
       .filterable = true},
      {.name = "email", .label = "E-mail", .type = FT::kEmail, .max_length = 254},
  };
  return d;
}

RegisterDef DeviceTypes() {
  RegisterDef d;
  d.name = "device_types";
  d.singular = "device_type";
  d.title = "Approved end-user device types";
  d.clause = "S2.4-A1-2.1";
  d.description =
      "End-user device types approved to access Customer Data, with their assured encryption "
      "product (S2.4-A1-2.1).";
  d.label_field = "name";
  d.fields = {
      {.name = "name",
       .label = "Device type",
       .type = FT::kText,
       .required = true,
       .in_list = true,
       .filterable = true,
       .unique = true},
      {.name = "description", .label = "Description", .type = FT::kLongText},
      {.name = "approved",
       .label = "Approved",
       .type = FT::kBool,
       .in_list = true,
       .filterable = true},
      {.name = "assured_encryption_product",
       .label = "Assured encryption product",
       .type = FT::kText,
       .help = "S2.4-A1-2.1: the encryption product protecting the device.",
       .in_list = true},
  };
  return d;
}

RegisterDef RetentionPeriods() {
  RegisterDef d;
  d.name = "retention_periods";
  d.singular = "retention_period";
  d.title = "Audit-record retention periods";
  d.clause = "S2.4-A1-6.1.4";
  d.description = "Agreed retention periods of audit records, recorded in the RMD (A1-6.1.4).";
  d.label_field = "record_type";
  d.fields = {
      {.name = "record_type",
       .label = "Record type",
       .type = FT::kText,
       .required = true,
       .in_list = true,
       .filterable = true,
       .unique = true},
      {.name = "retention",
       .label = "Retention",
       .type = FT::kText,
       .required = true,
       .help = "e.g. \"12 months\".",
       .in_list = true},
      {.name = "agreed_with", .label = "Agreed with", .type = FT::kText, .in_list = true},
      {.name = "agreed_date", .label = "Agreed date", .type = FT::kDate},
  };
  return d;
}

}  // namespace

RegisterDef EvidenceDef() {
  RegisterDef d;
  d.name = "evidence";
  d.singular = "evidence";
  d.title = "Evidence files";
  d.clause = "S2.4-5.4.7";
  d.description =
      "Uploaded files (certificates, reports, screenshots) stored content-addressed by SHA-256 "
      "outside the database; linkable to any record with the relation supports.";
  d.label_field = "title";
  d.generic_create = false;
  d.fields = {
      {.name = "title",
       .label = "Title",
       .type = FT::kText,
       .required = true,
       .in_list = true,
       .filterable = true},
      {.name = "description", .label = "Description", .type = FT::kLongText},
      {.name = "filename",
       .label = "File name",
       .type = FT::kText,
       .in_list = true,
       .filterable = true,
       .read_only = true},
      {.name = "content_type", .label = "Content type", .type = FT::kText, .read_only = true},
      {.name = "size",
       .label = "Size (bytes)",
       .type = FT::kInteger,
       .in_list = true,
       .read_only = true},
      {.name = "sha256",
       .label = "SHA-256",
       .type = FT::kText,
       .filterable = true,
       .max_length = 64,
       .read_only = true},
  };
  return d;
}

std::vector<RegisterDef> ReferenceDefs() {
  return {References(), KeyRoles(), DeviceTypes(), RetentionPeriods()};
}

}  // namespace accredit::registers::internal
