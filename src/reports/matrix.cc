// The compliance matrix (S2.4-6.1) and the Statement of Applicability (S2.4-5.4.3) as
// workbooks. Columns: docs/RMD.md.

#include <algorithm>
#include <map>
#include <set>

#include "reports/internal.h"

namespace accredit::reports {

bool IsMatrixRequirement(const catalog::Clause& clause) {
  return clause.kind == catalog::ClauseKind::kObligation ||
         clause.kind == catalog::ClauseKind::kDeadline ||
         clause.kind == catalog::ClauseKind::kProhibition;
}

namespace internal {
namespace {

using docs::Cell;
using docs::Column;
using docs::RowStyle;
using docs::Sheet;

std::string Join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) {
    out += (out.empty() ? "" : ", ") + s;
  }
  return out;
}

std::vector<std::string> ControlRefs(const Snapshot& s, const std::vector<std::int64_t>& ids) {
  std::set<std::string> refs;
  for (std::int64_t id : ids) {
    if (const Json* c = s.Find("controls", id)) {
      refs.insert(Str(*c, "ref"));
    }
  }
  return {refs.begin(), refs.end()};
}

// Evidence titles supporting any of the (register, key) pairs.
std::vector<std::string> EvidenceFor(const Snapshot& s,
                                     const std::vector<std::pair<std::string, std::string>>& keys) {
  std::set<std::string> titles;
  for (const auto& key : keys) {
    auto it = s.evidence_of.find(key);
    if (it == s.evidence_of.end()) {
      continue;
    }
    for (std::int64_t id : it->second) {
      if (const Json* e = s.Find("evidence", id)) {
        std::string t = Str(*e, "title");
        if (!Str(*e, "filename").empty()) {
          t += " (" + Str(*e, "filename") + ")";
        }
        titles.insert(t);
      }
    }
  }
  return {titles.begin(), titles.end()};
}

Sheet AboutSheet(const Snapshot& s, const catalog::Catalog& catalog, const std::string& what,
                 const std::vector<std::string>& catalogue_ids) {
  Sheet about;
  about.name = "About";
  about.columns = {{"Property", 28, false}, {"Value", 100, true}};
  about.rows.push_back({Cell::Str("Document"), Cell::Str(what)});
  about.rows.push_back({Cell::Str("Contract"), Cell::Str(s.contract.title)});
  about.rows.push_back({Cell::Str("As at"), Cell::IsoDate(FormatDate(s.today))});
  about.rows.push_back({Cell::Str("Latest issued RMD version"),
                        Cell::Str(s.versions.empty() ? std::string("none")
                                                     : std::to_string(s.versions.back().version))});
  for (const auto& info : catalog.Catalogues()) {
    if (std::find(catalogue_ids.begin(), catalogue_ids.end(), info.id) != catalogue_ids.end()) {
      about.rows.push_back({Cell::Str("Source: " + info.title), Cell::Str(info.attribution)});
    }
  }
  return about;
}

// What the product computes for one matrix row.
struct Computed {
  std::string state;   // "not met", "open", "met", "nothing due yet"; "" when not computed
  std::string detail;  // counts and the first obligation not met (or the next one due)
};

// The matrix row an obligation's clause belongs to: the clause itself, else its nearest
// ancestor that is a row ("S2.4-5.13.1" -> "S2.4-5.13" when 5.13.1 were not a row).
std::string RowOf(std::string clause, const std::set<std::string>& rows) {
  for (;;) {
    if (rows.contains(clause)) {
      return clause;
    }
    const auto dot = clause.rfind('.');
    if (dot == std::string::npos || dot < clause.find('-')) {
      return {};
    }
    clause.erase(dot);
  }
}

std::map<std::string, Computed> ComputeRows(const ComputedClauses& c,
                                            const std::set<std::string>& rows) {
  struct Tally {
    int not_met = 0, open = 0, met = 0, late = 0;
    const ComputedObligation* first_not_met = nullptr;
    const ComputedObligation* next_open = nullptr;
  };

  std::map<std::string, Tally> tallies;
  for (const std::string& clause : c.clauses) {
    if (std::string row = RowOf(clause, rows); !row.empty()) {
      tallies[row];
    }
  }
  for (const ComputedObligation& o : c.obligations) {
    const std::string row = RowOf(o.clause, rows);
    if (row.empty()) {
      continue;
    }
    Tally& t = tallies[row];
    switch (o.state) {
      case ComputedState::kNotMet:
        ++t.not_met;
        if (t.first_not_met == nullptr || o.due < t.first_not_met->due) {
          t.first_not_met = &o;
        }
        break;
      case ComputedState::kOpen:
        ++t.open;
        if (t.next_open == nullptr || o.due < t.next_open->due) {
          t.next_open = &o;
        }
        break;
      case ComputedState::kMet:
        ++t.met;
        t.late += o.met_late ? 1 : 0;
        break;
    }
  }
  std::map<std::string, Computed> out;
  for (const auto& [row, t] : tallies) {
    Computed& r = out[row];
    const int total = t.not_met + t.open + t.met;
    if (total == 0) {
      r.state = "nothing due yet";
      r.detail = "No obligation of this clause has arisen yet.";
      continue;
    }
    r.state = t.not_met > 0 ? "not met" : t.open > 0 ? "open" : "met";
    r.detail = std::to_string(total) + (total == 1 ? " obligation: " : " obligations: ");
    std::vector<std::string> parts;
    if (t.not_met > 0) {
      parts.push_back(std::to_string(t.not_met) + " not met");
    }
    if (t.open > 0) {
      parts.push_back(std::to_string(t.open) + " open");
    }
    if (t.met > 0) {
      parts.push_back(std::to_string(t.met) + " met" +
                      (t.late > 0 ? " (" + std::to_string(t.late) + " late)" : std::string()));
    }
    r.detail += Join(parts) + ".";
    if (t.first_not_met != nullptr) {
      r.detail += " Not met: " + t.first_not_met->text + ".";
    } else if (t.next_open != nullptr) {
      r.detail += " Next: " + t.next_open->text + ".";
    }
  }
  return out;
}

// Whether a hand-written assessment contradicts the computed state.
bool Contradicts(const std::string& assessment, const std::string& computed) {
  return ((assessment == "met" || assessment == "not applicable") && computed == "not met") ||
         (assessment == "not met" && computed == "met");
}

}  // namespace

docs::Workbook BuildMatrix(const Snapshot& s, const catalog::Catalog& catalog) {
  std::map<std::string, const Json*> rows_by_clause;
  for (const auto& r : s.Of("compliance")) {
    rows_by_clause[Str(r, "clause_id")] = &r;
  }
  Sheet sheet;
  sheet.name = "Compliance matrix";
  sheet.columns = {
      {"Clause", 14, false},         {"Requirement", 50, true}, {"Kind", 12, false},
      {"Time limit", 14, true},      {"Status", 14, false},     {"Computed state", 14, false},
      {"Computed detail", 50, true}, {"Response", 50, true},    {"Implementing controls", 24, true},
      {"Evidence", 36, true},        {"Owner", 18, false},      {"Last reviewed", 14, false}};
  std::map<std::string, int> counts;
  std::map<std::string, int> computed_counts;
  int differs = 0;
  std::map<std::string, Computed> computed;
  if (s.computed) {
    std::set<std::string> row_ids;
    for (const auto& clause : catalog.Clauses()) {
      if (IsMatrixRequirement(clause)) {
        row_ids.insert(clause.id);
      }
    }
    computed = ComputeRows(*s.computed, row_ids);
  }
  for (const auto& clause : catalog.Clauses()) {
    if (!IsMatrixRequirement(clause)) {
      continue;
    }
    const Json* row = rows_by_clause.contains(clause.id) ? rows_by_clause[clause.id] : nullptr;
    std::vector<std::int64_t> control_ids;
    if (auto it = s.controls_of_clause.find(clause.id); it != s.controls_of_clause.end()) {
      control_ids = it->second;
    }
    std::vector<std::pair<std::string, std::string>> evidence_keys = {
        {"catalog:schedule-2.4", clause.id}};
    for (std::int64_t id : control_ids) {
      evidence_keys.emplace_back("controls", std::to_string(id));
    }
    if (row != nullptr) {
      evidence_keys.emplace_back("compliance", std::to_string(Int(*row, "id").value_or(0)));
    }
    const std::string status =
        row != nullptr ? Human(Str(*row, "status")) : std::string("not assessed");
    counts[status] += 1;
    Computed c;
    if (auto it = computed.find(clause.id); it != computed.end()) {
      c = it->second;
      computed_counts[c.state] += 1;
    }
    const bool contradicts = Contradicts(status, c.state);
    if (contradicts) {
      ++differs;
      c.detail = "Differs from the assessment (" + status + "). " + c.detail;
    }
    sheet.rows.push_back(
        {Cell::Str(clause.id), Cell::Str(clause.title),
         Cell::Str(std::string(catalog::ClauseKindName(clause.kind))), Cell::Str(clause.deadline),
         Cell::Str(row != nullptr ? status : "GAP: not assessed"),
         Cell::Str(c.state.empty() ? std::string("not computed") : c.state), Cell::Str(c.detail),
         Cell::Str(row != nullptr ? Str(*row, "response") : std::string()),
         Cell::Str(Join(ControlRefs(s, control_ids))),
         Cell::Str(Join(EvidenceFor(s, evidence_keys))),
         Cell::Str(row != nullptr ? Str(*row, "owner") : std::string()),
         row != nullptr && !Str(*row, "last_reviewed").empty()
             ? Cell::IsoDate(Str(*row, "last_reviewed"))
             : Cell::Str("")});
    sheet.row_styles.push_back(contradicts || status == "not met" || c.state == "not met"
                                   ? RowStyle::kDanger
                               : row == nullptr || status == "partly met" ? RowStyle::kWarning
                                                                          : RowStyle::kNormal);
  }
  Sheet summary;
  summary.name = "Summary";
  summary.columns = {{"Status", 20, false}, {"Requirements", 14, false}};
  int total = 0;
  for (const char* status : {"met", "partly met", "not met", "not applicable", "not assessed"}) {
    summary.rows.push_back({Cell::Str(status), Cell::Num(counts[status])});
    summary.row_styles.push_back(std::string(status) == "not assessed" && counts[status] > 0
                                     ? RowStyle::kWarning
                                     : RowStyle::kNormal);
    total += counts[status];
  }
  summary.rows.push_back({Cell::Str("total"), Cell::Num(total)});
  summary.row_styles.push_back(RowStyle::kNormal);
  if (s.computed) {
    for (const char* state : {"not met", "open", "met", "nothing due yet"}) {
      summary.rows.push_back(
          {Cell::Str(std::string("computed: ") + state), Cell::Num(computed_counts[state])});
      summary.row_styles.push_back(std::string(state) == "not met" && computed_counts[state] > 0
                                       ? RowStyle::kDanger
                                       : RowStyle::kNormal);
    }
    summary.rows.push_back(
        {Cell::Str("assessment differs from the computed state"), Cell::Num(differs)});
    summary.row_styles.push_back(differs > 0 ? RowStyle::kDanger : RowStyle::kNormal);
  }

  docs::Workbook book;
  book.title = "Compliance matrix (S2.4-6.1)";
  book.subject = s.contract.title + " \u2014 as at " + FormatDate(s.today);
  book.author = s.contract.provider_name;
  book.created = FormatInstantUtc(s.now);
  book.sheets.push_back(std::move(sheet));
  book.sheets.push_back(std::move(summary));
  book.sheets.push_back(
      AboutSheet(s, catalog, "Compliance matrix (S2.4-6.1)", {std::string(catalog::kSchedule)}));
  return book;
}

docs::Workbook BuildSoa(const Snapshot& s, const catalog::Catalog& catalog) {
  std::map<std::string, const Json*, std::less<>> entries;
  for (const auto& e : s.Of("soa")) {
    entries[Str(e, "control_id")] = &e;
  }
  // Controls linked directly to 2022 ids.
  std::map<std::string, std::vector<std::int64_t>> controls_2022;
  for (const auto& l : s.links) {
    if (l.relation == "implements" && l.from_register == "controls" &&
        l.to_register == "catalog:iso27001-2022") {
      controls_2022[l.to_key].push_back(l.from_id);
    }
  }
  auto linked = [&s](std::string_view id) {
    std::vector<std::int64_t> ids;
    if (auto it = s.controls_of_annex_a.find(id); it != s.controls_of_annex_a.end()) {
      ids = it->second;
    }
    return ids;
  };

  Sheet soa;
  soa.name = "Statement of Applicability";
  soa.columns = {{"Control", 10, false},
                 {"Title", 40, true},
                 {"Section", 36, true},
                 {"Applicable", 12, false},
                 {"Justification", 50, true},
                 {"Implementation status", 16, false},
                 {"Implementing controls", 24, true},
                 {"2022 controls", 16, true}};
  for (const auto& c : catalog.Controls(catalog::kIso2013)) {
    auto it = entries.find(c.id);
    const Json* e = it == entries.end() ? nullptr : it->second;
    soa.rows.push_back(
        {Cell::Str(c.id), Cell::Str(c.title), Cell::Str(c.group + " " + c.group_title),
         Cell::Str(e == nullptr ? "GAP: no SoA entry" : YesNo(Bool(*e, "applicable"))),
         Cell::Str(e == nullptr ? std::string() : Str(*e, "justification")),
         Cell::Str(e == nullptr ? std::string() : Human(Str(*e, "implementation_status"))),
         Cell::Str(Join(ControlRefs(s, linked(c.id)))),
         Cell::Str(Join(catalog.Map2013To2022(c.id)))});
    soa.row_styles.push_back(e == nullptr ? RowStyle::kWarning : RowStyle::kNormal);
  }

  Sheet view;
  view.name = "2022 view";
  view.columns = {{"2022 control", 12, false}, {"Title", 40, true},
                  {"Theme", 20, true},         {"2013 sources", 20, true},
                  {"Applicability", 22, true}, {"Implementing controls", 24, true}};
  for (const auto& c : catalog.Controls(catalog::kIso2022)) {
    const auto sources = catalog.Map2022To2013(c.id);
    std::vector<std::int64_t> ids = controls_2022[c.id];
    bool any_applicable = false;
    bool all_entered = !sources.empty();
    for (const auto& src : sources) {
      auto it = entries.find(src);
      if (it == entries.end()) {
        all_entered = false;
      } else if (Bool(*it->second, "applicable")) {
        any_applicable = true;
      }
      const auto more = linked(src);
      ids.insert(ids.end(), more.begin(), more.end());
    }
    std::string applicability;
    RowStyle style = RowStyle::kNormal;
    if (sources.empty()) {
      applicability = "GAP: new in 2022, not assessed";
      style = RowStyle::kWarning;
    } else if (any_applicable) {
      applicability = "applicable";
    } else if (all_entered) {
      applicability = "not applicable";
    } else {
      applicability = "GAP: not assessed";
      style = RowStyle::kWarning;
    }
    view.rows.push_back({Cell::Str(c.id), Cell::Str(c.title),
                         Cell::Str(c.group + " " + c.group_title), Cell::Str(Join(sources)),
                         Cell::Str(applicability), Cell::Str(Join(ControlRefs(s, ids)))});
    view.row_styles.push_back(style);
  }

  docs::Workbook book;
  book.title = "Statement of Applicability (S2.4-5.4.3)";
  book.subject = s.contract.title + " \u2014 as at " + FormatDate(s.today);
  book.author = s.contract.provider_name;
  book.created = FormatInstantUtc(s.now);
  book.sheets.push_back(std::move(soa));
  book.sheets.push_back(std::move(view));
  book.sheets.push_back(
      AboutSheet(s, catalog, "Statement of Applicability (S2.4-5.4.3), ISO/IEC 27001:2013 Annex A",
                 {std::string(catalog::kIso2013), std::string(catalog::kIso2022),
                  std::string(catalog::kIsoMapping)}));
  return book;
}

}  // namespace internal
}  // namespace accredit::reports
