// Loading the registers once per document (internal.h).

#include <algorithm>

#include "reports/internal.h"

namespace accredit::reports::internal {
namespace {

// Every register a document reads.
constexpr std::string_view kRegisters[] = {
    "suppliers",
    "certifications",
    "flowdown_exceptions",
    "sites",
    "assets",
    "products",
    "information_assets",
    "data_flows",
    "pdps",
    "risk_appetite",
    "risks",
    "controls",
    "rcr",
    "accreditation_plan",
    "compliance",
    "soa",
    "references",
    "key_roles",
    "device_types",
    "retention_periods",
    "evidence",
};

constexpr int kPage = 500;             // RegisterService::List's maximum
constexpr int kHistoryRecords = 2000;  // newest audit records summarised in Change History

bool IsSessionEvent(const audit::Record& r) {
  const std::string& a = r.entry.action;
  return a.rfind("login", 0) == 0 || a.rfind("logout", 0) == 0 || a.rfind("session", 0) == 0 ||
         a.rfind("token", 0) == 0 || r.entry.entity_type == "session";
}

}  // namespace

const std::vector<Json>& Snapshot::Of(std::string_view reg) const {
  static const std::vector<Json> kEmpty;
  auto it = records.find(reg);
  return it == records.end() ? kEmpty : it->second;
}

const Json* Snapshot::Find(std::string_view reg, std::int64_t id) const {
  auto it = index.find(reg);
  if (it == index.end()) {
    return nullptr;
  }
  auto jt = it->second.find(id);
  return jt == it->second.end() ? nullptr : &records.find(reg)->second[jt->second];
}

Result<std::vector<RmdVersionInfo>> LoadVersions(store::Connection& conn) {
  ACC_ASSIGN_OR_RETURN(auto rows, conn.Query("SELECT version, issued_at, issued_by, note, sha256 "
                                             "FROM rmd_versions ORDER BY version"));
  std::vector<RmdVersionInfo> out;
  out.reserve(rows.size());
  for (const auto& r : rows) {
    out.push_back(RmdVersionInfo{r[0].Int(), r[1].Text(), r[2].Text(), r[3].Text(), r[4].Text()});
  }
  return out;
}

Result<Snapshot> LoadSnapshot(const Deps& deps, const auth::Principal& actor) {
  ACC_RETURN_IF_ERROR(auth::Authorize(actor, auth::Action::kDocumentRead));
  ACC_ASSIGN_OR_RETURN(auto conn, deps.store.Acquire());
  ACC_ASSIGN_OR_RETURN(auto tx, conn->Begin(store::TxMode::kRead));
  ACC_ASSIGN_OR_RETURN(Snapshot s, LoadSnapshot(deps, *conn, actor));
  ACC_RETURN_IF_ERROR(tx.Commit());
  return s;
}

Result<Snapshot> LoadSnapshot(const Deps& deps, store::Connection& conn,
                              const auth::Principal& actor) {
  ACC_RETURN_IF_ERROR(auth::Authorize(actor, auth::Action::kDocumentRead));
  Snapshot s;
  s.now = deps.clock.Now();
  s.today = LondonDate(s.now);
  ACC_ASSIGN_OR_RETURN(s.contract, deps.registers.GetContract(conn, actor));
  for (std::string_view name : kRegisters) {
    const registers::RegisterDef* def = registers::RegisterService::Find(name);
    if (def == nullptr) {
      continue;  // a register not (yet) defined reads as empty
    }
    auto& out = s.records[std::string(name)];
    registers::ListQuery q;
    q.limit = kPage;
    for (;;) {
      ACC_ASSIGN_OR_RETURN(auto page, deps.service.List(conn, actor, *def, q));
      const std::size_t got = page.items.size();
      for (auto& item : page.items) {
        out.push_back(std::move(item));
      }
      q.offset += static_cast<std::int64_t>(got);
      if (got < static_cast<std::size_t>(kPage) || q.offset >= page.total) {
        break;
      }
    }
    auto& idx = s.index[std::string(name)];
    for (std::size_t i = 0; i < out.size(); ++i) {
      idx[out[i].value("id", std::int64_t{0})] = i;
    }
  }

  // One query for every link: the link maps are built in memory (no query per record).
  ACC_ASSIGN_OR_RETURN(auto rows, conn.Query("SELECT id, from_register, from_id, relation, "
                                             "to_register, to_key FROM links ORDER BY id"));
  s.links.reserve(rows.size());
  for (const auto& r : rows) {
    registers::Link l;
    l.id = r[0].Int();
    l.from_register = r[1].Text();
    l.from_id = r[2].Int();
    l.relation = r[3].Text();
    l.to_register = r[4].Text();
    l.to_key = r[5].Text();
    if (l.relation == "mitigates" && l.from_register == "controls" && l.to_register == "risks") {
      const std::int64_t risk = store::Value(l.to_key).Int();
      if (s.Find("controls", l.from_id) != nullptr && s.Find("risks", risk) != nullptr) {
        s.controls_of_risk[risk].push_back(l.from_id);
        s.risks_of_control[l.from_id].push_back(risk);
      }
    } else if (l.relation == "implements" && l.from_register == "controls" &&
               l.to_register == "catalog:iso27001-2013") {
      s.controls_of_annex_a[l.to_key].push_back(l.from_id);
    } else if (l.relation == "addresses" && l.from_register == "controls" &&
               l.to_register == "catalog:schedule-2.4") {
      s.controls_of_clause[l.to_key].push_back(l.from_id);
    } else if (l.relation == "supports" && l.from_register == "evidence") {
      s.evidence_of[{l.to_register, l.to_key}].push_back(l.from_id);
    }
    s.links.push_back(std::move(l));
  }
  ACC_ASSIGN_OR_RETURN(s.versions, LoadVersions(conn));
  audit::Filter filter;
  filter.limit = kHistoryRecords;
  filter.newest_first = true;
  ACC_ASSIGN_OR_RETURN(auto history, deps.audit.List(conn, filter));
  std::reverse(history.begin(), history.end());
  for (auto& r : history) {
    if (!IsSessionEvent(r)) {
      s.history.push_back(std::move(r));
    }
  }
  return s;
}

std::string Str(const Json& r, std::string_view field) {
  auto it = r.find(std::string(field));
  if (it == r.end() || it->is_null()) {
    return {};
  }
  if (it->is_string()) {
    return it->get<std::string>();
  }
  if (it->is_boolean()) {
    return it->get<bool>() ? "true" : "false";
  }
  return DumpJson(*it);
}

std::optional<std::int64_t> Int(const Json& r, std::string_view field) {
  auto it = r.find(std::string(field));
  if (it == r.end() || !it->is_number_integer()) {
    return std::nullopt;
  }
  return it->get<std::int64_t>();
}

bool Bool(const Json& r, std::string_view field) {
  auto it = r.find(std::string(field));
  return it != r.end() && it->is_boolean() && it->get<bool>();
}

std::string Tags(const Json& r, std::string_view field) {
  auto it = r.find(std::string(field));
  if (it == r.end() || !it->is_array()) {
    return Str(r, field);
  }
  std::string out;
  for (const auto& t : *it) {
    if (!out.empty()) {
      out += "; ";
    }
    out += t.is_string() ? t.get<std::string>() : DumpJson(t);
  }
  return out;
}

std::string YesNo(bool b) {
  return b ? "Yes" : "No";
}

std::string Human(std::string_view value) {
  std::string out(value);
  std::replace(out.begin(), out.end(), '_', ' ');
  return out;
}

std::string Cell(std::string s) {
  return s.empty() ? std::string("\u2014") : s;
}

std::vector<std::string> ControlRefsOfRisk(const Snapshot& s, std::int64_t risk_id) {
  std::vector<std::string> refs;
  auto it = s.controls_of_risk.find(risk_id);
  if (it == s.controls_of_risk.end()) {
    return refs;
  }
  for (std::int64_t c : it->second) {
    if (const Json* control = s.Find("controls", c)) {
      refs.push_back(Str(*control, "ref"));
    }
  }
  std::sort(refs.begin(), refs.end());
  refs.erase(std::unique(refs.begin(), refs.end()), refs.end());
  return refs;
}

}  // namespace accredit::reports::internal
