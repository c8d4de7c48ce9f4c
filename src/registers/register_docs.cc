// docs/REGISTERS.md, generated from the register definitions (tests keep the file current).

#include <sstream>

#include "registers/registers.h"

namespace accredit::registers {
namespace {

std::string Cell(std::string s) {
  std::string out;
  for (char c : s) {
    if (c == '|') {
      out += "\\|";
    } else if (c == '\n') {
      out += ' ';
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string TypeText(const FieldDef& f) {
  std::string t(FieldTypeName(f.type));
  if (f.type == FieldType::kRef) {
    t += " → `" + f.ref + "`";
  }
  if (f.type == FieldType::kInteger && f.min && f.max) {
    t += " " + std::to_string(*f.min) + "–" + std::to_string(*f.max);
  }
  return t;
}

std::string Choices(const FieldDef& f) {
  std::string out;
  for (std::size_t i = 0; i < f.choices.size(); ++i) {
    out += (i > 0 ? ", " : "") + std::string("`") + f.choices[i] + "`";
  }
  return out;
}

std::string ActionText(auth::Action a) {
  return "`" + std::string(auth::ActionName(a)) + "`";
}

}  // namespace

std::string RegistersMarkdown() {
  std::ostringstream md;
  md << "# Registers\n\n"
     << "<!-- Generated from src/registers/defs_*.cc by RegistersMarkdown(); do not edit by hand. "
        "Regenerate: ACC_UPDATE_DOCS=1 build-*/tests/accredit_registers_tests "
        "--gtest_filter='RegisterDocsTest.*' -->\n\n"
     << "Every register is one `RegisterDef` (fields, types, choices, references, clause, rules) "
        "served by `registers::RegisterService`: authorised, validated and audited create / "
        "update / delete, filtered and paginated lists, CSV import (all or nothing) and export, "
        "links between records, and derived values computed on read.\n\n"
     << "## Conventions\n\n"
     << "* **CSV import**: the first row names the columns, in any order, using the field names "
        "below; RFC 4180 quoting (commas, quotes and newlines inside quoted fields; CRLF or LF). "
        "An `id` column is optional: a row with an id updates that record, a row without creates "
        "one. Columns `created_at`, `updated_at` and the derived values are ignored, so an "
        "export can be imported again. The whole file is one transaction: on any error nothing "
        "is stored and the error names the line (the physical line where the record starts; the "
        "header is line 1) and the column, e.g. `line 7: inherent_likelihood: must be an integer "
        "between 1 and 5`.\n"
     << "* **Values**: `bool` accepts true/false, yes/no, 1/0 (empty = false); `date` is "
        "YYYY-MM-DD; `instant` is an ISO 8601 time with `Z` or an offset "
        "(`2026-11-03T10:00:00Z`, `2026-11-03T10:00+00:00`) or a Europe/London wall-clock time "
        "without one (`2026-11-03 10:00`, `2026-11-03T10:00`; see docs/CLOCKS.md), stored, "
        "exported and returned as UTC `2026-11-03T10:00:00.000Z` (web forms show and take London "
        "time); `tags` are `;`-separated in CSV and forms (a JSON array in the API); `ref` "
        "is the id of a record in the named register; empty cells leave the field unset.\n"
     << "* **Append-only** registers keep a dated record: records are added, never changed or "
        "deleted (update, delete and CSV rows with an `id` are refused with "
        "`failed_precondition`).\n"
     << "* **Export** writes `id`, every field, then the derived values. Text cells starting "
        "with `=`, `+`, `-` or `@` get a leading `'` so spreadsheets do not run them as "
        "formulas; import removes it again.\n"
     << "* **Lists** filter exactly on enum, ref, bool, integer and date fields; text fields "
        "match by case-insensitive substring; a tags filter matches one whole element. `q` "
        "searches every text, enum and tags field.\n"
     << "* **Links** (`AddLink`): ";
  bool first = true;
  for (const auto& rel : RegisterService::Relations()) {
    md << (first ? "" : "; ") << "`" << rel.name << "` " << rel.from << " → " << rel.to;
    first = false;
  }
  md << ". Catalogue keys are ids such as `A.12.6.1` (ISO/IEC 27001 Annex A) or `S2.4-5.4.3`.\n"
     << "* **Risk levels**: score = likelihood × impact on the 5×5 scale; the level is the "
        "`risk_levels` band holding the score (default very_low 1–3, low 4–7, medium 8–14, high "
        "15–19, very_high 20–25; editable by `risk.write`).\n\n"
     << "| register | title | clause | read | write |\n| --- | --- | --- | --- | --- |\n";
  for (const auto& d : RegisterService::Defs()) {
    md << "| [`" << d.name << "`](#" << d.name << ") | " << Cell(d.title) << " | " << d.clause
       << " | " << ActionText(d.read_action) << (d.scope_field.empty() ? "" : " (scoped)") << " | "
       << ActionText(d.write_action) << " |\n";
  }
  for (const auto& d : RegisterService::Defs()) {
    md << "\n## " << d.name << "\n\n"
       << "**" << Cell(d.title) << "** — " << d.clause << ". " << Cell(d.description) << "\n\n"
       << "CLI noun and audit entity: `" << d.singular << "`. Table: `" << d.Table() << "`. "
       << "Read: " << ActionText(d.read_action) << "; write: " << ActionText(d.write_action);
    if (!d.scope_field.empty()) {
      md << "; a subcontractor sees and writes only records whose `" << d.scope_field
         << "` is its own party";
    }
    if (d.append_only) {
      md << ". **Append-only**: records cannot be changed or deleted";
    }
    md << ".\n\n| field | type | required | choices / notes |\n| --- | --- | --- | --- |\n";
    for (const auto& f : d.fields) {
      std::string notes = Choices(f);
      auto add = [&notes](const std::string& s) {
        if (!s.empty()) {
          notes += (notes.empty() ? "" : ". ") + s;
        }
      };
      add(f.unique ? "unique" : "");
      add(f.read_only ? "read-only (set on upload)" : "");
      add(f.default_value.empty() ? "" : "default `" + f.default_value + "`");
      add(f.help);
      md << "| `" << f.name << "` | " << TypeText(f) << " | " << (f.required ? "yes" : "") << " | "
         << Cell(notes) << " |\n";
    }
    if (!d.derived.empty()) {
      md << "\nDerived (computed on read, exported, never imported):\n\n";
      for (const auto& x : d.derived) {
        md << "* `" << x.name << "`: " << x.help << "\n";
      }
    }
    md << "\nCSV columns: `";
    for (std::size_t i = 0; i < d.fields.size(); ++i) {
      md << (i > 0 ? "," : "") << d.fields[i].name;
    }
    md << "`";
    if (!d.generic_create) {
      md << " (import updates existing records only: rows need `id`; records are created by "
            "uploading a file)";
    }
    md << "\n";
  }
  return md.str();
}

}  // namespace accredit::registers
