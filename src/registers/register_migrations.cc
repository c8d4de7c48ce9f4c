// Hand-written migrations (versions 310-399) for the tables of the generic registers. One table
// per register, named after it; columns follow docs/REGISTERS.md: text as TEXT NOT NULL DEFAULT
// '', integers and references as INTEGER (NULL when unset), booleans as INTEGER 0/1, dates
// (YYYY-MM-DD), instants (UTC "2026-11-03T10:00:00.000Z") and choices as TEXT (NULL when
// unset), tags as JSON array text. A test checks
// that every field of every definition has its column. Never edit a released migration: append.

#include "registers/internal.h"

namespace accredit::registers::internal {
namespace {

std::string Table(const std::string& name, const std::string& columns) {
  return "CREATE TABLE \"" + name + "\" (id INTEGER PRIMARY KEY, " + columns +
         " created_at TEXT NOT NULL, updated_at TEXT NOT NULL);";
}

}  // namespace

std::vector<store::Migration> DefMigrations() {
  return {
      {310, "registers: supplier code of connection and notes",
       "ALTER TABLE parties ADD COLUMN code_of_connection_status TEXT NOT NULL "
       "DEFAULT 'not_required';"
       "ALTER TABLE parties ADD COLUMN notes TEXT NOT NULL DEFAULT '';"},
      {311, "registers: evidence",
       Table("evidence",
             "title TEXT NOT NULL DEFAULT '', description TEXT NOT NULL DEFAULT '', "
             "filename TEXT NOT NULL DEFAULT '', content_type TEXT NOT NULL DEFAULT '', "
             "size INTEGER, sha256 TEXT NOT NULL DEFAULT '',") +
           "CREATE INDEX evidence_by_sha256 ON evidence (sha256);"},
      {312, "registers: certifications",
       Table("certifications",
             "party_id INTEGER NOT NULL REFERENCES parties(id), scheme TEXT, "
             "certificate_number TEXT NOT NULL DEFAULT '', "
             "certification_body TEXT NOT NULL DEFAULT '', "
             "ukas_accredited INTEGER NOT NULL DEFAULT 0, scope TEXT NOT NULL DEFAULT '', "
             "issue_date TEXT, expiry_date TEXT, evidence_id INTEGER REFERENCES evidence(id), "
             "provided_to_customer_date TEXT,") +
           "CREATE INDEX certifications_by_party ON certifications (party_id);"},
      {313, "registers: flow-down exceptions",
       Table("flowdown_exceptions",
             "party_id INTEGER NOT NULL REFERENCES parties(id), "
             "requirement TEXT NOT NULL DEFAULT '', agreed_with TEXT NOT NULL DEFAULT '', "
             "agreement_reference TEXT NOT NULL DEFAULT '', agreed_date TEXT,") +
           "CREATE INDEX flowdown_exceptions_by_party ON flowdown_exceptions (party_id);"},
      {314, "registers: sites",
       Table("sites",
             "name TEXT NOT NULL UNIQUE, address TEXT NOT NULL DEFAULT '', "
             "country TEXT NOT NULL DEFAULT '', in_iso27001_scope INTEGER NOT NULL DEFAULT 0, "
             "iso_certification_id INTEGER REFERENCES certifications(id), "
             "used_for_processing INTEGER NOT NULL DEFAULT 0, "
             "used_for_destruction INTEGER NOT NULL DEFAULT 0, "
             "consent_reference TEXT NOT NULL DEFAULT '', consent_date TEXT,")},
      {315, "registers: assets",
       Table("assets",
             "name TEXT NOT NULL UNIQUE, ims_part TEXT, boundary_decision TEXT NOT NULL "
             "DEFAULT '', asset_type TEXT, owner TEXT NOT NULL DEFAULT '', environment TEXT, "
             "test_holds_live_data INTEGER NOT NULL DEFAULT 0, "
             "internet_facing INTEGER NOT NULL DEFAULT 0, classification TEXT, "
             "classification_notice_date TEXT, hostnames TEXT NOT NULL DEFAULT '[]', "
             "ip_addresses TEXT NOT NULL DEFAULT '[]', mac_addresses TEXT NOT NULL DEFAULT '[]', "
             "site_id INTEGER REFERENCES sites(id), party_id INTEGER REFERENCES parties(id),") +
           "CREATE INDEX assets_by_site ON assets (site_id);"
           "CREATE INDEX assets_by_party ON assets (party_id);"},
      {316, "registers: products",
       Table("products",
             "vendor TEXT NOT NULL DEFAULT '', name TEXT NOT NULL DEFAULT '', "
             "version TEXT NOT NULL DEFAULT '', product_type TEXT, mainstream_support_end TEXT, "
             "extended_support_end TEXT, notes TEXT NOT NULL DEFAULT '',")},
      {317, "registers: information assets",
       Table("information_assets",
             "name TEXT NOT NULL UNIQUE, description TEXT NOT NULL DEFAULT '', "
             "data_types TEXT NOT NULL DEFAULT '[]', volume TEXT NOT NULL DEFAULT '', "
             "personal_data INTEGER NOT NULL DEFAULT 0, "
             "personal_data_fields TEXT NOT NULL DEFAULT '[]', classification TEXT, "
             "owner TEXT NOT NULL DEFAULT '',")},
      {318, "registers: data flows",
       Table("data_flows",
             "name TEXT NOT NULL DEFAULT '', \"from\" TEXT NOT NULL DEFAULT '', "
             "\"to\" TEXT NOT NULL DEFAULT '', "
             "information_asset_id INTEGER REFERENCES information_assets(id), "
             "transport TEXT NOT NULL DEFAULT '', encryption TEXT NOT NULL DEFAULT '', "
             "crosses_public_network INTEGER NOT NULL DEFAULT 0,")},
      {319, "registers: personal data processing statement",
       Table("pdps",
             "processing_activity TEXT NOT NULL DEFAULT '', "
             "data_subjects TEXT NOT NULL DEFAULT '[]', data_types TEXT NOT NULL DEFAULT '[]', "
             "nature TEXT NOT NULL DEFAULT '', purpose TEXT NOT NULL DEFAULT '', "
             "locations TEXT NOT NULL DEFAULT '[]', retention TEXT NOT NULL DEFAULT '', "
             "protective_measures TEXT NOT NULL DEFAULT '', "
             "lawful_basis TEXT NOT NULL DEFAULT '',")},
      {320, "registers: risk appetite",
       Table("risk_appetite",
             "category TEXT NOT NULL UNIQUE, appetite_level INTEGER, "
             "statement TEXT NOT NULL DEFAULT '',")},
      {321, "registers: risk levels (default 5x5 bands)",
       Table("risk_levels", "name TEXT NOT NULL UNIQUE, min_score INTEGER, max_score INTEGER,") +
           "INSERT INTO risk_levels (name, min_score, max_score, created_at, updated_at) VALUES "
           "('very_low', 1, 3, '1970-01-01T00:00:00.000Z', '1970-01-01T00:00:00.000Z'), "
           "('low', 4, 7, '1970-01-01T00:00:00.000Z', '1970-01-01T00:00:00.000Z'), "
           "('medium', 8, 14, '1970-01-01T00:00:00.000Z', '1970-01-01T00:00:00.000Z'), "
           "('high', 15, 19, '1970-01-01T00:00:00.000Z', '1970-01-01T00:00:00.000Z'), "
           "('very_high', 20, 25, '1970-01-01T00:00:00.000Z', '1970-01-01T00:00:00.000Z');"},
      {322, "registers: risks",
       Table("risks",
             "ref TEXT NOT NULL UNIQUE, title TEXT NOT NULL DEFAULT '', "
             "description TEXT NOT NULL DEFAULT '', category TEXT NOT NULL DEFAULT '', "
             "threat TEXT NOT NULL DEFAULT '', vulnerability TEXT NOT NULL DEFAULT '', "
             "inherent_likelihood INTEGER, inherent_impact INTEGER, "
             "residual_likelihood INTEGER, residual_impact INTEGER, "
             "owner TEXT NOT NULL DEFAULT '', treatment TEXT, review_date TEXT, "
             "customer_acceptance_reference TEXT NOT NULL DEFAULT '', "
             "customer_acceptance_date TEXT, status TEXT,")},
      {323, "registers: controls",
       Table("controls",
             "ref TEXT NOT NULL UNIQUE, title TEXT NOT NULL DEFAULT '', "
             "description TEXT NOT NULL DEFAULT '', implementation_status TEXT, "
             "assurance_status TEXT, owner TEXT NOT NULL DEFAULT '', "
             "evidence_notes TEXT NOT NULL DEFAULT '',")},
      {324, "registers: required changes register",
       Table("rcr",
             "ref TEXT NOT NULL UNIQUE, rmd_section TEXT NOT NULL DEFAULT '', "
             "change TEXT NOT NULL DEFAULT '', agreed_with TEXT NOT NULL DEFAULT '', "
             "date_agreed TEXT, implementation_due_date TEXT, "
             "documentation_update TEXT NOT NULL DEFAULT '', status TEXT, "
             "triggering_event TEXT NOT NULL DEFAULT '', implemented_date TEXT,")},
      {325, "registers: accreditation plan",
       Table("accreditation_plan",
             "milestone TEXT NOT NULL DEFAULT '', kind TEXT, planned_date TEXT, "
             "owner TEXT NOT NULL DEFAULT '', notes TEXT NOT NULL DEFAULT '',")},
      {326, "registers: compliance matrix",
       Table("compliance",
             "clause_id TEXT NOT NULL UNIQUE, status TEXT, response TEXT NOT NULL DEFAULT '', "
             "owner TEXT NOT NULL DEFAULT '', last_reviewed TEXT,")},
      {327, "registers: statement of applicability",
       Table("soa",
             "control_id TEXT NOT NULL UNIQUE, applicable INTEGER NOT NULL DEFAULT 0, "
             "justification TEXT NOT NULL DEFAULT '', implementation_status TEXT,")},
      {328, "registers: references",
       Table("references",
             "ref_id TEXT NOT NULL UNIQUE, title TEXT NOT NULL DEFAULT '', "
             "reference TEXT NOT NULL DEFAULT '', \"date\" TEXT,")},
      {329, "registers: key roles",
       Table("key_roles",
             "role TEXT, name TEXT NOT NULL DEFAULT '', organisation TEXT NOT NULL DEFAULT '', "
             "email TEXT NOT NULL DEFAULT '',")},
      {330, "registers: approved end-user device types",
       Table("device_types",
             "name TEXT NOT NULL UNIQUE, description TEXT NOT NULL DEFAULT '', "
             "approved INTEGER NOT NULL DEFAULT 0, "
             "assured_encryption_product TEXT NOT NULL DEFAULT '',")},
      {331, "registers: audit-record retention periods",
       Table("retention_periods",
             "record_type TEXT NOT NULL UNIQUE, retention TEXT NOT NULL DEFAULT '', "
             "agreed_with TEXT NOT NULL DEFAULT '', agreed_date TEXT,")},
      {332, "registers: links between records",
       "CREATE TABLE links ("
       " id INTEGER PRIMARY KEY,"
       " from_register TEXT NOT NULL,"
       " from_id INTEGER NOT NULL,"
       " relation TEXT NOT NULL,"
       " to_register TEXT NOT NULL,"
       " to_key TEXT NOT NULL,"
       " created_at TEXT NOT NULL,"
       " UNIQUE (from_register, from_id, relation, to_register, to_key));"
       "CREATE INDEX links_by_to ON links (to_register, to_key);"},
      // Issue 4: the registers the obligation engine (src/clocks) reads by plain SQL.
      {333, "registers: accreditation workflow events",
       Table("accreditation_events",
             "kind TEXT, \"at\" TEXT, rmd_version INTEGER, reasons TEXT NOT NULL DEFAULT '', "
             "reference TEXT NOT NULL DEFAULT '', notes TEXT NOT NULL DEFAULT '',") +
           "CREATE INDEX accreditation_events_by_at ON accreditation_events (\"at\", id);"},
      {334, "registers: notifiable events",
       Table("notifiable_events",
             "kind TEXT, description TEXT NOT NULL DEFAULT '', became_aware_at TEXT, "
             "customer_notified_at TEXT, notified_to TEXT NOT NULL DEFAULT '', "
             "notification_reference TEXT NOT NULL DEFAULT '', rcr_provided_at TEXT, "
             "rcr_approved_at TEXT,") +
           "CREATE INDEX notifiable_events_by_aware ON notifiable_events (became_aware_at);"},
      {335, "registers: security deliverables",
       Table("deliverables",
             "kind TEXT, title TEXT NOT NULL DEFAULT '', performed_on TEXT, "
             "provided_to_customer_date TEXT, performed_by TEXT NOT NULL DEFAULT '', "
             "reference TEXT NOT NULL DEFAULT '', scope TEXT NOT NULL DEFAULT '', "
             "evidence_id INTEGER REFERENCES evidence(id),") +
           "CREATE INDEX deliverables_by_kind ON deliverables (kind, performed_on);"},
      {336, "registers: obligation waivers",
       Table("obligation_waivers",
             "obligation_key TEXT NOT NULL DEFAULT '', reason TEXT NOT NULL DEFAULT '', "
             "agreed_with TEXT NOT NULL DEFAULT '', agreed_date TEXT, "
             "reference TEXT NOT NULL DEFAULT '',") +
           "CREATE INDEX obligation_waivers_by_key ON obligation_waivers (obligation_key);"},
      {337, "registers: certificate withdrawal and lapse notice (S2.4-6.7)",
       "ALTER TABLE certifications ADD COLUMN withdrawn_date TEXT;"
       "ALTER TABLE certifications ADD COLUMN lapse_notified_date TEXT;"},
      // The period a CEO's letter or an incident log covers. Existing records get the period
      // their date suggests, to be corrected by hand where it is wrong: a letter, the year
      // ending on the first 31 March on or after its date; a log, the quarter before the one
      // it is dated in.
      {338,
       "registers: the period a deliverable covers (S2.4-7.13, 10.1); who destroys "
       "Customer Data at a site (6.6)",
       "ALTER TABLE deliverables ADD COLUMN period TEXT NOT NULL DEFAULT '';"
       "UPDATE deliverables SET period = CAST(CAST(substr(performed_on, 1, 4) AS INTEGER) + "
       "(substr(performed_on, 6, 5) > '03-31') AS TEXT) "
       "WHERE kind = 'ceo_letter' AND length(performed_on) = 10;"
       "UPDATE deliverables SET period = CASE "
       "WHEN (CAST(substr(performed_on, 6, 2) AS INTEGER) + 2) / 3 = 1 "
       "THEN CAST(CAST(substr(performed_on, 1, 4) AS INTEGER) - 1 AS TEXT) || '-Q4' "
       "ELSE substr(performed_on, 1, 4) || '-Q' || "
       "((CAST(substr(performed_on, 6, 2) AS INTEGER) + 2) / 3 - 1) END "
       "WHERE kind = 'incident_log' AND length(performed_on) = 10;"
       "ALTER TABLE sites ADD COLUMN destruction_party_id INTEGER REFERENCES parties(id);"},
      {339, "registers: support exceptions and retirement of products (S2.4-8.5)",
       "ALTER TABLE products ADD COLUMN support_exception_agreed_date TEXT;"
       "ALTER TABLE products ADD COLUMN support_exception_reference TEXT NOT NULL DEFAULT '';"
       "ALTER TABLE products ADD COLUMN retired_date TEXT;"},
      // A risk's category becomes a reference to a row of the Statement of Information Risk
      // Appetite (S2.4-4.1). Existing free text is matched ignoring case and surrounding spaces
      // (an exact match first, else the oldest row); a category with no row gets one, with no
      // appetite level (the Customer's level is never invented: the RMD shows it as a gap
      // until it is recorded) and a statement saying where it came from. Appetite categories
      // that differ only in case are kept, the later ones renamed "<category> (duplicate <id>)",
      // so that the new unique index holds; risks pointing at them keep their appetite. The
      // old text column stays in the table, unused, so nothing is lost.
      {340, "registers: risk categories refer to the risk appetite (S2.4-4.1)",
       "ALTER TABLE risks ADD COLUMN category_id INTEGER REFERENCES risk_appetite(id);"
       "UPDATE risks SET category_id = (SELECT a.id FROM risk_appetite a "
       "WHERE a.category = TRIM(risks.category) ORDER BY a.id LIMIT 1) "
       "WHERE TRIM(category) <> '';"
       "UPDATE risks SET category_id = (SELECT a.id FROM risk_appetite a "
       "WHERE LOWER(TRIM(a.category)) = LOWER(TRIM(risks.category)) ORDER BY a.id LIMIT 1) "
       "WHERE category_id IS NULL AND TRIM(category) <> '';"
       "INSERT INTO risk_appetite (category, appetite_level, statement, created_at, updated_at) "
       "SELECT TRIM(r.category), NULL, 'Added when risk categories became references "
       "(migration 340): the category of risk ' || r.ref || '; record the Customer''s "
       "appetite.', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now') "
       "FROM risks r WHERE r.category_id IS NULL AND TRIM(r.category) <> '' AND r.id = "
       "(SELECT MIN(r2.id) FROM risks r2 WHERE r2.category_id IS NULL "
       "AND LOWER(TRIM(r2.category)) = LOWER(TRIM(r.category)));"
       "UPDATE risks SET category_id = (SELECT a.id FROM risk_appetite a "
       "WHERE LOWER(TRIM(a.category)) = LOWER(TRIM(risks.category)) ORDER BY a.id LIMIT 1) "
       "WHERE category_id IS NULL AND TRIM(category) <> '';"
       "UPDATE risk_appetite SET category = category || ' (duplicate ' || id || ')' "
       "WHERE EXISTS (SELECT 1 FROM risk_appetite b WHERE LOWER(TRIM(b.category)) = "
       "LOWER(TRIM(risk_appetite.category)) AND b.id < risk_appetite.id);"
       "CREATE UNIQUE INDEX risk_appetite_by_category_nocase ON risk_appetite "
       "(LOWER(TRIM(category)));"
       "CREATE INDEX risks_by_category ON risks (category_id);"},
  };
}

}  // namespace accredit::registers::internal
