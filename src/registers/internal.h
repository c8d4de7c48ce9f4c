#pragma once

// Internal to the registers module: the register definitions (defs_*.cc), their migrations and
// the small helpers the definitions share. Not part of the module's public header.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "registers/registers.h"

namespace accredit::registers::internal {

// The definitions, by family, in menu order.
std::vector<RegisterDef> SupplierDefs();   // suppliers, certifications, flowdown_exceptions
std::vector<RegisterDef> TechnicalDefs();  // sites, assets, products, information assets, ...
std::vector<RegisterDef> RiskDefs();       // risk appetite and levels, risks, controls, RCR, ...
std::vector<RegisterDef> ReferenceDefs();  // references, key roles, device types, retention
// Issue 4: accreditation events, notifiable events, deliverables, obligation waivers
// (defs_clocks.cc); listed after the Accreditation Plan.
std::vector<RegisterDef> ClockDefs();
RegisterDef EvidenceDef();

// Migrations 310-399 for the tables of every definition above.
std::vector<store::Migration> DefMigrations();

// An error about one field: kInvalidArgument, field = `field`.
Error Invalid(std::string field, std::string message);

// Accessors over a canonical record (see register_service.cc): "" / nullopt when unset.
std::string Str(const Json& record, std::string_view field);
std::optional<std::int64_t> Int(const Json& record, std::string_view field);
std::optional<Date> DateOf(const Json& record, std::string_view field);
std::optional<Instant> InstantOf(const Json& record, std::string_view field);
bool Bool(const Json& record, std::string_view field);

// Format checks shared by definitions and the link code.
bool IsCountryCode(std::string_view code);       // ISO 3166-1 alpha-2, upper case
bool IsUkOrEuEea(std::string_view code);         // GB or an EU/EEA member state
bool IsIpAddress(std::string_view text);         // IPv4 or IPv6 literal
bool IsMacAddress(std::string_view text);        // aa:bb:cc:dd:ee:ff, aa-bb-..., aabb.ccdd.eeff
bool IsHostname(std::string_view text);          // RFC 1123 host name
bool IsScheduleClauseId(std::string_view text);  // "S2.4-5.4.3", "S2.4-A3-11", ...
bool IsAnnexAControlId(std::string_view text);   // ISO 27001 Annex A: "A.12.6.1" / "A.5.23"

// The risk level name for a score from the risk_levels register (memoised in ctx), or null.
Json RiskLevelFor(std::int64_t score, ReadContext& ctx);

}  // namespace accredit::registers::internal
