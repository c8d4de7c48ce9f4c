#include "catalog/catalog.h"

#include <array>
#include <set>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>

namespace accredit::catalog {

namespace {

using Json = nlohmann::json;

constexpr std::string_view kClausePrefix = "S2.4-";

constexpr std::array<std::pair<ClauseKind, std::string_view>, 8> kKindNames = {{
    {ClauseKind::kObligation, "obligation"},
    {ClauseKind::kDeadline, "deadline"},
    {ClauseKind::kProhibition, "prohibition"},
    {ClauseKind::kConsequence, "consequence"},
    {ClauseKind::kCustomer, "customer"},
    {ClauseKind::kDefinition, "definition"},
    {ClauseKind::kInformative, "informative"},
    {ClauseKind::kTemplate, "template"},
}};

// One shipped file. The licence notes restate web/catalog/README.md (from
// ../shared/data/catalogues/README.md); the rest of the attribution is read from the file's
// "source" block so it cannot drift from the data.
struct FileDef {
  std::string_view id;
  std::string_view kind;
  std::string_view path;
  std::string_view licence;
};

constexpr std::string_view kIsoLicence =
    "ISO copyright: identifiers and titles only, no control text (the standard must be bought "
    "from ISO); packaging repository AGPL-3.0";
constexpr std::string_view kOglLicence =
    "Open Government Licence v3.0 (NCSC / Crown copyright); identifiers and titles only";

constexpr std::array<FileDef, 8> kFiles = {{
    {kSchedule, "clauses", "catalog/schedule-2.4.json",
     "Schedule 2.4 of a UK government services contract (Customer: Highways England); clause "
     "ids and summaries from the project's clause map, not the schedule's text"},
    {kIso2013, "controls", "catalog/iso27001-2013-annex-a.json", kIsoLicence},
    {kIso2022, "controls", "catalog/iso27001-2022-annex-a.json", kIsoLicence},
    {kIsoMapping, "mapping", "catalog/iso27001-2013-to-2022-mapping.json",
     "ISO copyright: control numbers only (ISO/IEC 27002:2022 Annex B, Table B.1)"},
    {kCloudPrinciples, "controls", "catalog/ncsc-cloud-security-principles.json", kOglLicence},
    {kCyberEssentials, "controls", "catalog/ncsc-cyber-essentials-controls.json", kOglLicence},
    {kCaf32, "controls", "catalog/ncsc-caf-3.2.json", kOglLicence},
    {kCaf40, "controls", "catalog/ncsc-caf-4.0.json", kOglLicence},
}};

constexpr std::size_t kIso2013Count = 114;
constexpr std::size_t kIso2022Count = 93;

Error DataError(std::string_view file, const std::string& detail) {
  return Err(ErrorCode::kDataLoss,
             "the built-in catalogue " + std::string(file) + " is damaged: " + detail,
             std::string(file));
}

// Reads obj[key] as a string. `where` names the entry for the error ("controls[3]").
Result<std::string> Str(std::string_view file, const Json& obj, const char* key,
                        const std::string& where) {
  if (!obj.is_object()) {
    return DataError(file, where + " is not an object");
  }
  auto it = obj.find(key);
  if (it == obj.end() || !it->is_string()) {
    return DataError(file, where + ": missing string \"" + key + "\"");
  }
  return it->get<std::string>();
}

std::string OptStr(const Json& obj, const char* key) {
  if (!obj.is_object()) {
    return {};
  }
  auto it = obj.find(key);
  return it != obj.end() && it->is_string() ? it->get<std::string>() : std::string();
}

Result<const Json*> Arr(std::string_view file, const Json& obj, const char* key) {
  if (!obj.is_object()) {
    return DataError(file, "top level is not an object");
  }
  auto it = obj.find(key);
  if (it == obj.end() || !it->is_array()) {
    return DataError(file, std::string("missing array \"") + key + "\"");
  }
  return &*it;
}

std::string Where(const char* array, std::size_t i) {
  return std::string(array) + "[" + std::to_string(i) + "]";
}

std::string StripPrefix(std::string_view id) {
  if (id.substr(0, kClausePrefix.size()) == kClausePrefix) {
    id.remove_prefix(kClausePrefix.size());
  }
  return std::string(id);
}

// {id -> title} of a grouping array such as "sections" or "themes".
Result<std::map<std::string, std::string>> Groups(const FileDef& def, const Json& doc,
                                                  const char* key) {
  ACC_ASSIGN_OR_RETURN(const Json* arr, Arr(def.path, doc, key));
  std::map<std::string, std::string> out;
  for (std::size_t i = 0; i < arr->size(); ++i) {
    ACC_ASSIGN_OR_RETURN(std::string id, Str(def.path, (*arr)[i], "id", Where(key, i)));
    ACC_ASSIGN_OR_RETURN(std::string title, Str(def.path, (*arr)[i], "title", Where(key, i)));
    out.emplace(std::move(id), std::move(title));
  }
  return out;
}

Status CheckGroup(const FileDef& def, const std::map<std::string, std::string>& groups,
                  const Control& c) {
  if (groups.find(c.group) == groups.end()) {
    return DataError(def.path, "control " + c.id + " names unknown group " + c.group);
  }
  return Status::Ok();
}

}  // namespace

std::string_view ClauseKindName(ClauseKind k) {
  for (const auto& [kind, name] : kKindNames) {
    if (kind == k) {
      return name;
    }
  }
  return "obligation";
}

Result<ClauseKind> ParseClauseKind(std::string_view s) {
  for (const auto& [kind, name] : kKindNames) {
    if (name == s) {
      return kind;
    }
  }
  return Err(ErrorCode::kInvalidArgument, "unknown clause kind \"" + std::string(s) + "\"", "kind");
}

namespace internal {

// Builds a Catalog from the files; every check names the file and the entry.
class Loader {
 public:
  explicit Loader(const AssetLookup& lookup) : lookup_(lookup), out_(new Catalog()) {}

  Result<std::unique_ptr<Catalog>> Run() {
    for (const FileDef& def : kFiles) {
      ACC_ASSIGN_OR_RETURN(Json doc, Read(def.path));
      ACC_RETURN_IF_ERROR(LoadOne(def, doc));
    }
    return std::move(out_);
  }

 private:
  Status LoadOne(const FileDef& def, const Json& doc) {
    if (def.id == kSchedule) {
      return LoadSchedule(def, doc);
    }
    if (def.id == kIso2013) {
      return LoadIso2013(def, doc);
    }
    if (def.id == kIso2022) {
      return LoadIso2022(def, doc);
    }
    if (def.id == kIsoMapping) {
      return LoadMapping(def, doc);
    }
    if (def.id == kCloudPrinciples) {
      return LoadCloudPrinciples(def, doc);
    }
    if (def.id == kCyberEssentials) {
      return LoadCyberEssentials(def, doc);
    }
    return LoadCaf(def, doc);
  }

  Result<Json> Read(std::string_view path) {
    std::optional<std::string_view> text = lookup_(path);
    if (!text) {
      return DataError(path, "file is missing from the binary");
    }
    Json doc = Json::parse(text->begin(), text->end(), nullptr, /*allow_exceptions=*/false);
    if (doc.is_discarded() || !doc.is_object()) {
      return DataError(path, "not a JSON object");
    }
    return doc;
  }

  // Records the data set and its attribution from the file's "source" block.
  void AddInfo(const FileDef& def, const Json& doc, std::size_t count) {
    CatalogueInfo info;
    info.id = std::string(def.id);
    info.kind = std::string(def.kind);
    info.title = OptStr(doc, "catalogue");
    info.count = count;
    info.licence = std::string(def.licence);
    const Json empty = Json::object();
    const Json& source = doc.contains("source") ? doc["source"] : empty;
    const Json& origin = source.contains("cross_check") ? source["cross_check"] : source;
    info.source_repository = OptStr(origin, "repository");
    info.source_path = OptStr(origin, "path");
    info.source_commit = OptStr(origin, "commit");
    std::string line;
    if (def.id == kIsoMapping) {
      line =
          "ISO/IEC 27002:2022 Annex B, Table B.1 (as reproduced publicly); cross-checked "
          "against ";
    }
    line += info.source_repository + " " + info.source_path;
    if (!info.source_commit.empty()) {
      line += " @ " + info.source_commit.substr(0, 8);
    }
    std::string sha = OptStr(source, "sha256");
    if (!sha.empty()) {
      line += " (sha256 " + sha.substr(0, 12) + ")";
    }
    std::string generator = OptStr(source, "generator");
    if (!generator.empty()) {
      line += ", generated by " + generator;
    }
    info.attribution = line + "; " + info.licence;
    out_->infos_.push_back(std::move(info));
  }

  Status AddControl(const FileDef& def, Control c) {
    auto& index = out_->control_index_[std::string(def.id)];
    auto& list = out_->controls_[std::string(def.id)];
    if (c.id.empty() || c.title.empty()) {
      return DataError(def.path, "control with an empty id or title");
    }
    if (!index.emplace(c.id, list.size()).second) {
      return DataError(def.path, "duplicate control id " + c.id);
    }
    c.catalogue = std::string(def.id);
    list.push_back(std::move(c));
    return Status::Ok();
  }

  Status LoadSchedule(const FileDef& def, const Json& doc) {
    ACC_ASSIGN_OR_RETURN(const Json* arr, Arr(def.path, doc, "clauses"));
    for (std::size_t i = 0; i < arr->size(); ++i) {
      const Json& j = (*arr)[i];
      const std::string where = Where("clauses", i);
      Clause c;
      ACC_ASSIGN_OR_RETURN(c.id, Str(def.path, j, "id", where));
      ACC_ASSIGN_OR_RETURN(c.parent, Str(def.path, j, "parent", where));
      ACC_ASSIGN_OR_RETURN(c.title, Str(def.path, j, "title", where));
      ACC_ASSIGN_OR_RETURN(std::string kind, Str(def.path, j, "kind", where));
      ACC_ASSIGN_OR_RETURN(c.deadline, Str(def.path, j, "deadline", where));
      ACC_ASSIGN_OR_RETURN(c.consequence, Str(def.path, j, "consequence", where));
      auto parsed = ParseClauseKind(kind);
      if (!parsed) {
        std::string detail = where;
        detail += ": unknown kind " + kind;
        return DataError(def.path, detail);
      }
      c.kind = *parsed;
      if (c.id.substr(0, kClausePrefix.size()) != kClausePrefix || c.title.empty()) {
        return DataError(def.path, where + ": bad id or empty title");
      }
      if (c.kind == ClauseKind::kDeadline && c.deadline.empty()) {
        return DataError(def.path, c.id + " is a deadline clause without a deadline");
      }
      // Parents precede children in the file, so a parent must already be indexed.
      if (!c.parent.empty() && out_->clause_index_.find(c.parent) == out_->clause_index_.end()) {
        return DataError(def.path, c.id + " names unknown or later parent " + c.parent);
      }
      if (!out_->clause_index_.emplace(c.id, out_->clauses_.size()).second) {
        return DataError(def.path, "duplicate clause id " + c.id);
      }
      out_->clauses_.push_back(std::move(c));
    }
    AddInfo(def, doc, out_->clauses_.size());
    return Status::Ok();
  }

  Status LoadIso2013(const FileDef& def, const Json& doc) {
    ACC_ASSIGN_OR_RETURN(auto sections, Groups(def, doc, "sections"));
    ACC_ASSIGN_OR_RETURN(auto objectives, Groups(def, doc, "objectives"));
    ACC_ASSIGN_OR_RETURN(const Json* arr, Arr(def.path, doc, "controls"));
    for (std::size_t i = 0; i < arr->size(); ++i) {
      const Json& j = (*arr)[i];
      const std::string where = Where("controls", i);
      Control c;
      ACC_ASSIGN_OR_RETURN(c.id, Str(def.path, j, "id", where));
      ACC_ASSIGN_OR_RETURN(c.title, Str(def.path, j, "title", where));
      ACC_ASSIGN_OR_RETURN(c.group, Str(def.path, j, "section", where));
      ACC_ASSIGN_OR_RETURN(c.parent, Str(def.path, j, "objective", where));
      ACC_RETURN_IF_ERROR(CheckGroup(def, sections, c));
      if (objectives.find(c.parent) == objectives.end()) {
        return DataError(def.path, "control " + c.id + " names unknown objective " + c.parent);
      }
      c.group_title = sections[c.group];
      ACC_RETURN_IF_ERROR(AddControl(def, std::move(c)));
    }
    if (out_->controls_[std::string(def.id)].size() != kIso2013Count) {
      return DataError(def.path, "expected 114 controls");
    }
    AddInfo(def, doc, kIso2013Count);
    return Status::Ok();
  }

  Status LoadIso2022(const FileDef& def, const Json& doc) {
    ACC_ASSIGN_OR_RETURN(auto themes, Groups(def, doc, "themes"));
    ACC_ASSIGN_OR_RETURN(const Json* arr, Arr(def.path, doc, "controls"));
    for (std::size_t i = 0; i < arr->size(); ++i) {
      const Json& j = (*arr)[i];
      const std::string where = Where("controls", i);
      Control c;
      ACC_ASSIGN_OR_RETURN(c.id, Str(def.path, j, "id", where));
      ACC_ASSIGN_OR_RETURN(c.title, Str(def.path, j, "title", where));
      ACC_ASSIGN_OR_RETURN(c.group, Str(def.path, j, "theme", where));
      ACC_ASSIGN_OR_RETURN(c.annex_ref, Str(def.path, j, "annex_ref", where));
      auto flag = j.find("new_in_2022");
      if (flag == j.end() || !flag->is_boolean()) {
        return DataError(def.path, where + ": missing boolean \"new_in_2022\"");
      }
      c.new_in_2022 = flag->get<bool>();
      ACC_RETURN_IF_ERROR(CheckGroup(def, themes, c));
      c.group_title = themes[c.group];
      ACC_RETURN_IF_ERROR(AddControl(def, std::move(c)));
    }
    if (out_->controls_[std::string(def.id)].size() != kIso2022Count) {
      return DataError(def.path, "expected 93 controls");
    }
    AddInfo(def, doc, kIso2022Count);
    return Status::Ok();
  }

  // Reads one direction of the correspondence into `into`, checking both ids exist.
  Status MapDirection(const FileDef& def, const Json& doc, const char* key, const char* from_key,
                      const char* to_key, std::string_view from_cat, std::string_view to_cat,
                      std::map<std::string, std::vector<std::string>, std::less<>>& into,
                      std::set<std::pair<std::string, std::string>>& pairs, bool forward) {
    ACC_ASSIGN_OR_RETURN(const Json* arr, Arr(def.path, doc, key));
    for (std::size_t i = 0; i < arr->size(); ++i) {
      const Json& j = (*arr)[i];
      const std::string where = Where(key, i);
      ACC_ASSIGN_OR_RETURN(std::string from, Str(def.path, j, from_key, where));
      if (out_->FindControl(from_cat, from) == nullptr) {
        std::string detail = where;
        detail += ": unknown control " + from;
        return DataError(def.path, detail);
      }
      auto to = j.find(to_key);
      if (to == j.end() || !to->is_array()) {
        return DataError(def.path, where + ": missing array \"" + to_key + "\"");
      }
      std::vector<std::string>& targets = into[from];
      for (const Json& t : *to) {
        if (!t.is_string() || out_->FindControl(to_cat, t.get<std::string>()) == nullptr) {
          return DataError(def.path, where + ": unknown target control");
        }
        targets.push_back(t.get<std::string>());
        pairs.emplace(forward ? from : t.get<std::string>(), forward ? t.get<std::string>() : from);
      }
    }
    return Status::Ok();
  }

  Status LoadMapping(const FileDef& def, const Json& doc) {
    std::set<std::pair<std::string, std::string>> forward;
    std::set<std::pair<std::string, std::string>> backward;
    ACC_RETURN_IF_ERROR(MapDirection(def, doc, "map_2013_to_2022", "id_2013", "ids_2022", kIso2013,
                                     kIso2022, out_->map_2013_to_2022_, forward, true));
    ACC_RETURN_IF_ERROR(MapDirection(def, doc, "map_2022_to_2013", "id_2022", "ids_2013", kIso2022,
                                     kIso2013, out_->map_2022_to_2013_, backward, false));
    if (forward != backward) {
      return DataError(def.path, "the two directions of the mapping disagree");
    }
    AddInfo(def, doc, forward.size());
    return Status::Ok();
  }

  Status LoadCloudPrinciples(const FileDef& def, const Json& doc) {
    ACC_ASSIGN_OR_RETURN(const Json* arr, Arr(def.path, doc, "principles"));
    for (std::size_t i = 0; i < arr->size(); ++i) {
      const Json& j = (*arr)[i];
      const std::string where = Where("principles", i);
      Control p;
      ACC_ASSIGN_OR_RETURN(p.id, Str(def.path, j, "id", where));
      ACC_ASSIGN_OR_RETURN(p.title, Str(def.path, j, "title", where));
      p.group = p.id;
      p.group_title = p.title;
      const std::string principle_id = p.id;
      const std::string principle_title = p.title;
      ACC_RETURN_IF_ERROR(AddControl(def, std::move(p)));
      auto subs = j.find("sub_principles");
      if (subs == j.end() || !subs->is_array()) {
        continue;
      }
      for (std::size_t k = 0; k < subs->size(); ++k) {
        const std::string sub_where = where + "." + Where("sub_principles", k);
        Control s;
        ACC_ASSIGN_OR_RETURN(s.id, Str(def.path, (*subs)[k], "id", sub_where));
        ACC_ASSIGN_OR_RETURN(s.title, Str(def.path, (*subs)[k], "title", sub_where));
        s.group = principle_id;
        s.group_title = principle_title;
        s.parent = principle_id;
        ACC_RETURN_IF_ERROR(AddControl(def, std::move(s)));
      }
    }
    AddInfo(def, doc, out_->controls_[std::string(def.id)].size());
    return Status::Ok();
  }

  Status LoadCyberEssentials(const FileDef& def, const Json& doc) {
    ACC_ASSIGN_OR_RETURN(const Json* arr, Arr(def.path, doc, "controls"));
    for (std::size_t i = 0; i < arr->size(); ++i) {
      Control c;
      ACC_ASSIGN_OR_RETURN(c.id, Str(def.path, (*arr)[i], "id", Where("controls", i)));
      ACC_ASSIGN_OR_RETURN(c.title, Str(def.path, (*arr)[i], "title", Where("controls", i)));
      ACC_RETURN_IF_ERROR(AddControl(def, std::move(c)));
    }
    AddInfo(def, doc, out_->controls_[std::string(def.id)].size());
    return Status::Ok();
  }

  Status LoadCaf(const FileDef& def, const Json& doc) {
    ACC_ASSIGN_OR_RETURN(auto principles, Groups(def, doc, "principles"));
    ACC_ASSIGN_OR_RETURN(const Json* arr, Arr(def.path, doc, "contributing_outcomes"));
    for (std::size_t i = 0; i < arr->size(); ++i) {
      const Json& j = (*arr)[i];
      const std::string where = Where("contributing_outcomes", i);
      Control c;
      ACC_ASSIGN_OR_RETURN(c.id, Str(def.path, j, "id", where));
      ACC_ASSIGN_OR_RETURN(c.title, Str(def.path, j, "title", where));
      ACC_ASSIGN_OR_RETURN(c.group, Str(def.path, j, "principle", where));
      ACC_RETURN_IF_ERROR(CheckGroup(def, principles, c));
      c.group_title = principles[c.group];
      ACC_RETURN_IF_ERROR(AddControl(def, std::move(c)));
    }
    AddInfo(def, doc, out_->controls_[std::string(def.id)].size());
    return Status::Ok();
  }

  const AssetLookup& lookup_;
  std::unique_ptr<Catalog> out_;
};

}  // namespace internal

Result<std::unique_ptr<Catalog>> Catalog::Load() {
  return LoadWith([](std::string_view path) { return assets::Find(path); });
}

Result<std::unique_ptr<Catalog>> Catalog::LoadWith(const AssetLookup& lookup) {
  internal::Loader loader(lookup);
  return loader.Run();
}

const Clause* Catalog::FindClause(std::string_view id) const {
  std::string full = std::string(kClausePrefix) + StripPrefix(id);
  auto it = clause_index_.find(full);
  return it == clause_index_.end() ? nullptr : &clauses_[it->second];
}

std::vector<const Clause*> Catalog::Children(std::string_view id) const {
  std::vector<const Clause*> out;
  const Clause* parent = FindClause(id);
  if (parent == nullptr) {
    return out;
  }
  for (const Clause& c : clauses_) {
    if (c.parent == parent->id) {
      out.push_back(&c);
    }
  }
  return out;
}

const std::vector<Control>& Catalog::Controls(std::string_view catalogue) const {
  static const std::vector<Control> kEmpty;
  auto it = controls_.find(catalogue);
  return it == controls_.end() ? kEmpty : it->second;
}

const Control* Catalog::FindControl(std::string_view catalogue, std::string_view id) const {
  auto cat = control_index_.find(catalogue);
  if (cat == control_index_.end()) {
    return nullptr;
  }
  auto it = cat->second.find(id);
  if (it == cat->second.end()) {
    return nullptr;
  }
  return &controls_.find(catalogue)->second[it->second];
}

std::vector<std::string> Catalog::Map2013To2022(std::string_view id_2013) const {
  auto it = map_2013_to_2022_.find(id_2013);
  return it == map_2013_to_2022_.end() ? std::vector<std::string>() : it->second;
}

std::vector<std::string> Catalog::Map2022To2013(std::string_view id_2022) const {
  auto it = map_2022_to_2013_.find(id_2022);
  return it == map_2022_to_2013_.end() ? std::vector<std::string>() : it->second;
}

}  // namespace accredit::catalog
