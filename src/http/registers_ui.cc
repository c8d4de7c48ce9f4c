// The register pages, generated from registers::RegisterDef: an index grouped by area, list
// pages (filters, free text, sortable columns, pagination, CSV export and import), create and
// edit forms (inputs chosen by field type, errors beside the named field, values kept), detail
// pages (derived values as badges, links to and from other records, evidence attachments),
// delete with confirmation, and the evidence upload form. Everything works without JavaScript
// and shows write controls only to roles that may write.

#include <algorithm>
#include <cctype>
#include <regex>
#include <set>

#include "http/internal.h"

namespace accredit::http::internal {
namespace {

using nlohmann::json;
using registers::DerivedDef;
using registers::FieldDef;
using registers::FieldType;
using registers::RegisterDef;
using registers::RegisterService;

constexpr const char* kName = R"(([a-z][a-z0-9_]*))";

std::string RRoute(const std::string& suffix) {
  return std::string("/r/") + kName + suffix;
}

// ---- areas -------------------------------------------------------------------------------------

struct Area {
  const char* slug;
  const char* title;
};

constexpr Area kAreas[] = {{"system", "System"},     {"suppliers", "Suppliers"},
                           {"risk", "Risk"},         {"accreditation", "Accreditation"},
                           {"evidence", "Evidence"}, {"other", "Other registers"}};

bool Has(std::string_view name, std::string_view part) {
  return name.find(part) != std::string_view::npos;
}

// The navigation area of a register, from its name (the definitions carry no area).
const Area& AreaOf(std::string_view name) {
  if (Has(name, "evidence")) {
    return kAreas[4];
  }
  if (Has(name, "supplier") || Has(name, "certif") || Has(name, "flow_down") ||
      Has(name, "flowdown") || Has(name, "exception")) {
    return kAreas[1];
  }
  if (Has(name, "risk") || Has(name, "control") || Has(name, "compliance") || Has(name, "matrix") ||
      Has(name, "soa") || Has(name, "applicab")) {
    return kAreas[2];
  }
  if (Has(name, "accredit") || Has(name, "required_change") || Has(name, "rcr") ||
      Has(name, "notifiable") || Has(name, "deliverable") || Has(name, "waiver") ||
      Has(name, "reference") || Has(name, "role") || Has(name, "retention") || Has(name, "pdps") ||
      Has(name, "personal") || Has(name, "processing")) {
    return kAreas[3];
  }
  if (Has(name, "site") || Has(name, "asset") || Has(name, "product") || Has(name, "flow") ||
      Has(name, "device")) {
    return kAreas[0];
  }
  return kAreas[5];
}

// ---- values
// --------------------------------------------------------------------------------------

// Sets `key` to `value`, or to false when empty, so that {{#key}} sections render only for
// non-empty values and never pick up a same-named key from an enclosing context.
void SetOpt(Data& d, const std::string& key, const std::string& value) {
  if (value.empty()) {
    d.set(key, false);
  } else {
    d.set(key, value);
  }
}

struct Cell {
  std::string text;
  std::string href;
  std::string badge;  // "red", "amber", "green", "grey"
  bool muted = false;
};

Data CellData(const Cell& c) {
  Data d;
  d.set("text", c.text);
  SetOpt(d, "href", c.href);
  SetOpt(d, "badge", c.badge);
  d.set("muted", c.muted);
  return d;
}

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::string ScalarText(const json& v) {
  if (v.is_string()) {
    return v.get<std::string>();
  }
  if (v.is_boolean()) {
    return v.get<bool>() ? "Yes" : "No";
  }
  if (v.is_array()) {
    std::string out;
    for (const auto& item : v) {
      out += (out.empty() ? "" : "; ") + ScalarText(item);
    }
    return out;
  }
  if (v.is_null()) {
    return "";
  }
  return DumpJson(v);
}

std::string BadgeFor(std::string_view lowered) {
  // Whole-word prefixes of derived values: RAG, risk levels, certificate and support states.
  static constexpr std::string_view kRed[] = {
      "red",      "expired",     "above",     "overdue",      "not met",
      "outside",  "rejected",    "missing",   "very high",    "high",
      "critical", "unsupported", "withdrawn", "not_approved", "terminated"};
  static constexpr std::string_view kAmber[] = {"amber",  "expiring", "partly",
                                                "due",    "pending",  "extended",
                                                "medium", "moderate", "awaiting"};
  static constexpr std::string_view kGreen[] = {
      "green",      "valid", "met",      "ok",        "within", "accepted", "current",
      "mainstream", "low",   "very low", "supported", "inside", "approved"};
  for (auto w : kRed) {
    if (lowered.rfind(w, 0) == 0) {
      return "red";
    }
  }
  for (auto w : kAmber) {
    if (lowered.rfind(w, 0) == 0) {
      return "amber";
    }
  }
  for (auto w : kGreen) {
    if (lowered.rfind(w, 0) == 0) {
      return "green";
    }
  }
  return "";
}

Cell DerivedCell(const DerivedDef& d, const json& v) {
  Cell c;
  if (v.is_null()) {
    c.text = "—";
    c.muted = true;
  } else if (v.is_boolean()) {
    // A flag ("above appetite", "outside UK/EU", "expired"): raised is a red badge.
    if (v.get<bool>()) {
      c.text = d.label;
      c.badge = "red";
    } else {
      c.text = "No";
      c.muted = true;
    }
  } else if (v.is_string()) {
    c.text = v.get<std::string>();
    c.badge = BadgeFor(Lower(c.text));
    if (!c.text.empty() && c.badge.empty() == false) {
      c.text[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(c.text[0])));
    }
  } else {
    c.text = ScalarText(v);
  }
  return c;
}

using Labels = std::map<std::string, std::map<std::int64_t, std::string>>;  // register -> labels

Cell FieldCell(const FieldDef& f, const json& record, const Labels& labels) {
  Cell c;
  if (!record.contains(f.name) || record[f.name].is_null() ||
      (record[f.name].is_string() && record[f.name].get<std::string>().empty())) {
    c.text = "—";
    c.muted = true;
    return c;
  }
  const json& v = record[f.name];
  if (f.type == FieldType::kRef && v.is_number_integer()) {
    const std::int64_t id = v.get<std::int64_t>();
    c.text = "#" + std::to_string(id);
    if (auto reg = labels.find(f.ref); reg != labels.end()) {
      if (auto it = reg->second.find(id); it != reg->second.end()) {
        c.text = it->second;
      }
    }
    if (RegisterService::Find(f.ref) != nullptr) {
      c.href = "/r/" + f.ref + "/" + std::to_string(id);
    }
    return c;
  }
  if (f.type == FieldType::kInstant && v.is_string()) {  // stored UTC, shown in London time
    auto t = ParseInstant(v.get<std::string>(), f.name);
    c.text = t ? FormatHumanLondon(*t) : v.get<std::string>();
    return c;
  }
  c.text = ScalarText(v);
  return c;
}

// The labels of every reference on the page, one query per referenced register.
Labels RefLabels(Context& ctx, const Authn& who, const RegisterDef& def,
                 const std::vector<json>& records) {
  std::map<std::string, std::set<std::int64_t>> wanted;
  for (const auto& f : def.fields) {
    if (f.type != FieldType::kRef) {
      continue;
    }
    for (const auto& r : records) {
      if (r.contains(f.name) && r[f.name].is_number_integer()) {
        wanted[f.ref].insert(r[f.name].get<std::int64_t>());
      }
    }
  }
  Labels out;
  for (const auto& [reg, ids] : wanted) {
    out[reg] = LoadLabels(ctx, who, reg, ids);
  }
  return out;
}

// (id, label) choices for a reference field, scoped by the services to what `who` may see.
std::vector<std::pair<std::int64_t, std::string>> RefChoices(Context& ctx, const Authn& who,
                                                             const std::string& ref) {
  std::vector<std::pair<std::int64_t, std::string>> out;
  if (ref == "parties" && RegisterService::Find(ref) == nullptr) {
    auto parties = ctx.Svc().registers.ListParties(who.principal);
    if (parties) {
      for (const auto& p : *parties) {
        out.emplace_back(p.id, p.name + " (" + std::string(registers::PartyKindName(p.kind)) + ")");
      }
    }
    return out;
  }
  const RegisterDef* target = RegisterService::Find(ref);
  if (target == nullptr) {
    return out;
  }
  auto choices = ctx.Svc().register_service.RefChoices(who.principal, *target);
  if (choices) {
    out = std::move(*choices);
  }
  return out;
}

// ---- page data ---------------------------------------------------------------------------------

Data Breadcrumb(const RegisterDef& def) {
  Data d;
  d.set("area", AreaOf(def.name).title);
  d.set("reg", def.name);
  d.set("reg_title", def.title);
  return d;
}

Data BaseData(const Authn& who, const RegisterDef& def) {
  Data d;
  d.set("reg", def.name);
  d.set("reg_title", def.title);
  d.set("singular", def.singular);
  SetOpt(d, "clause", def.clause);
  SetOpt(d, "description", def.description);
  d.set("crumb", Breadcrumb(def));
  d.set("csrf_token", who.csrf_token);
  d.set("can_write", MayWrite(who.principal, def));
  d.set("can_edit", MayWrite(who.principal, def) && !def.append_only);
  d.set("can_import", MayWrite(who.principal, def) && def.generic_create);
  d.set("can_create",
        MayWrite(who.principal, def) && (def.generic_create || def.name == "evidence"));
  d.set("is_evidence", def.name == "evidence");
  return d;
}

std::string QueryString(const registers::ListQuery& q, bool with_sort) {
  std::string out;
  auto add = [&](const std::string& k, const std::string& v) {
    out += (out.empty() ? "?" : "&") + UrlEncode(k) + "=" + UrlEncode(v);
  };
  if (!q.q.empty()) {
    add("q", q.q);
  }
  for (const auto& [k, v] : q.filters) {
    add(k, v);
  }
  if (with_sort && !q.sort.empty()) {
    add("sort", q.sort);
  }
  return out;
}

std::string WithParam(const std::string& base_query, const std::string& kv) {
  return base_query.empty() ? "?" + kv : base_query + "&" + kv;
}

void ListPage(Context& ctx, const Authn& who, const httplib::Request& req, httplib::Response& res,
              const RegisterDef& def, const std::string& notice, const Error* import_error) {
  auto query_or = ListQueryFromRequest(def, req, QueryMode::kLenient);
  registers::ListQuery query = query_or ? *query_or : registers::ListQuery{};
  auto list = ctx.Svc().register_service.List(who.principal, def, query);
  if (!list) {
    RenderError(ctx, &who, res, list.error());
    return;
  }
  Data d = BaseData(who, def);
  SetOpt(d, "notice", notice);
  if (import_error != nullptr) {
    d.set("import_error", import_error->message);
  } else {
    d.set("import_error", false);
  }
  d.set("q", query.q);
  SetOpt(d, "sort", query.sort);

  // Filters: selects for enums, booleans and references; text, date and number inputs else.
  Data filters{Data::type::list};
  for (const auto& f : def.fields) {
    if (!f.filterable) {
      continue;
    }
    Data x;
    x.set("name", f.name);
    x.set("label", f.label);
    const std::string current = query.filters.count(f.name) ? query.filters.at(f.name) : "";
    x.set("value", current);
    const bool is_select =
        f.type == FieldType::kEnum || f.type == FieldType::kBool || f.type == FieldType::kRef;
    x.set("is_select", is_select);
    x.set("input_type", f.type == FieldType::kDate      ? "date"
                        : f.type == FieldType::kInteger ? "number"
                                                        : "text");
    Data options{Data::type::list};
    auto option = [&](const std::string& value, const std::string& label) {
      Data o;
      o.set("value", value);
      o.set("label", label);
      o.set("selected", value == current);
      options.push_back(o);
    };
    if (f.type == FieldType::kEnum) {
      for (const auto& c : f.choices) {
        option(c, c);
      }
    } else if (f.type == FieldType::kBool) {
      option("true", "Yes");
      option("false", "No");
    } else if (f.type == FieldType::kRef) {
      for (const auto& [id, label] : RefChoices(ctx, who, f.ref)) {
        option(std::to_string(id), label);
      }
    }
    x.set("options", options);
    filters.push_back(x);
  }
  d.set("filters", filters);

  // Columns: in_list fields, then in_list derived values. Headers link to ?sort=field / -field.
  const std::string filter_query = QueryString(query, false);
  auto sort_link = [&](const std::string& field, Data& x) {
    std::string next = field;
    std::string arrow;
    std::string aria;
    if (query.sort == field) {
      next = "-" + field;
      arrow = "▲";
      aria = "ascending";
    } else if (query.sort == "-" + field) {
      arrow = "▼";
      aria = "descending";
    }
    x.set("sort_href", "/r/" + def.name + WithParam(filter_query, "sort=" + UrlEncode(next)));
    SetOpt(x, "arrow", arrow);
    SetOpt(x, "aria_sort", aria);
  };
  Data columns{Data::type::list};
  {
    Data x;
    x.set("label", "#");
    sort_link("id", x);
    columns.push_back(x);
  }
  std::vector<const FieldDef*> field_cols;
  for (const auto& f : def.fields) {
    if (f.in_list) {
      field_cols.push_back(&f);
      Data x;
      x.set("label", f.label);
      sort_link(f.name, x);
      columns.push_back(x);
    }
  }
  std::vector<const DerivedDef*> derived_cols;
  for (const auto& dd : def.derived) {
    if (dd.in_list) {
      derived_cols.push_back(&dd);
      Data x;
      x.set("label", dd.label);
      x.set("sort_href", false);
      x.set("arrow", false);
      x.set("aria_sort", false);
      columns.push_back(x);
    }
  }
  d.set("columns", columns);
  d.set("colspan", std::to_string(1 + field_cols.size() + derived_cols.size()));

  const Labels labels = RefLabels(ctx, who, def, list->items);
  Data rows{Data::type::list};
  for (const auto& r : list->items) {
    const std::string id = std::to_string(r.value("id", std::int64_t{0}));
    Data row;
    row.set("id", id);
    row.set("href", "/r/" + def.name + "/" + id);
    Data cells{Data::type::list};
    for (const FieldDef* f : field_cols) {
      cells.push_back(CellData(FieldCell(*f, r, labels)));
    }
    for (const DerivedDef* dd : derived_cols) {
      cells.push_back(
          CellData(DerivedCell(*dd, r.contains(dd->name) ? r[dd->name] : json(nullptr))));
    }
    row.set("cells", cells);
    rows.push_back(row);
  }
  d.set("rows", rows);
  d.set("has_rows", !list->items.empty());

  const std::int64_t shown = static_cast<std::int64_t>(list->items.size());
  d.set("total", std::to_string(list->total));
  d.set("first", std::to_string(shown == 0 ? 0 : query.offset + 1));
  d.set("last", std::to_string(query.offset + shown));
  const std::string sorted_query = QueryString(query, true);
  SetOpt(d, "prev",
         query.offset > 0
             ? "/r/" + def.name +
                   WithParam(sorted_query, "offset=" + std::to_string(std::max<std::int64_t>(
                                                           0, query.offset - query.limit)))
             : "");
  SetOpt(d, "next",
         query.offset + shown < list->total
             ? "/r/" + def.name +
                   WithParam(sorted_query, "offset=" + std::to_string(query.offset + query.limit))
             : "");
  d.set("export_href", "/api/v1/r/" + def.name + "/export.csv" + sorted_query);
  d.set("new_href", def.name == "evidence" ? "/evidence/new" : "/r/" + def.name + "/new");
  RenderInLayout(ctx, &who, res, def.title, "/r/" + def.name, "register_list.html", d,
                 import_error != nullptr ? HttpStatusFor(import_error->code) : 200);
}

// ---- forms -------------------------------------------------------------------------------------

// A stored instant as the value of an <input type="datetime-local">: Europe/London wall-clock
// time "YYYY-MM-DDTHH:MM", with seconds and milliseconds only when set. A time in the autumn
// fold that would read back as the other instant keeps its offset instead (a text input).
std::string InstantFormValue(const std::string& stored) {
  auto t = ParseInstant(stored);
  if (!t) {
    return stored;
  }
  const std::string london = FormatInstantLondon(*t);  // "2026-04-08T23:59:59.999+01:00"
  std::string local = london.substr(0, 23);
  if (local.substr(19) == ".000") {
    local.resize(19);
    if (local.substr(16) == ":00") {
      local.resize(16);
    }
  }
  auto back = ParseInstant(local);
  if (!back || *back != *t) {
    return london;
  }
  return local;
}

// Is `value` a valid datetime-local value (YYYY-MM-DDTHH:MM[:SS[.mmm]]) or empty?
bool IsLocalDateTime(const std::string& value) {
  static const std::regex kRe(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?)");
  return value.empty() || std::regex_match(value, kRe);
}

std::string FormValue(const FieldDef& f, const json& v) {
  if (v.is_null()) {
    return "";
  }
  if (f.type == FieldType::kBool) {
    return v.is_boolean() && v.get<bool>() ? "true" : "";
  }
  if (f.type == FieldType::kInstant && v.is_string()) {
    return InstantFormValue(v.get<std::string>());
  }
  return ScalarText(v);
}

// `values`: field -> text to show. `error`: the failure to place, if any.
void FormPage(Context& ctx, const Authn& who, httplib::Response& res, const RegisterDef& def,
              const std::string& heading, const std::string& action,
              const std::map<std::string, std::string>& values, const Error* error,
              const std::string& cancel_href) {
  Data d = BaseData(who, def);
  d.set("heading", heading);
  d.set("action", action);
  d.set("cancel_href", cancel_href);
  bool placed = false;
  Data fields{Data::type::list};
  for (const auto& f : def.fields) {
    if (f.read_only) {
      continue;
    }
    Data x;
    x.set("name", f.name);
    x.set("label", f.label);
    x.set("required", f.required);
    const std::string value = values.count(f.name) ? values.at(f.name) : "";
    x.set("value", value);
    std::string hint = f.help;
    if (f.type == FieldType::kTags) {
      hint += std::string(hint.empty() ? "" : " ") + "Separate with ;";
    }
    if (f.type == FieldType::kDate) {
      hint += std::string(hint.empty() ? "" : " ") + "YYYY-MM-DD.";
    }
    const bool is_local_time = f.type == FieldType::kInstant && IsLocalDateTime(value);
    if (f.type == FieldType::kInstant) {
      hint += std::string(hint.empty() ? "" : " ") +
              (is_local_time ? "London time."
                             : "An ISO 8601 time with offset (2026-11-03T10:00:00Z), or London "
                               "time (2026-11-03 10:00).");
    }
    SetOpt(x, "hint", hint);
    std::string err;
    if (error != nullptr && error->field == f.name) {
      err = error->message;
      placed = true;
    }
    SetOpt(x, "err", err);
    std::string described;
    if (!hint.empty()) {
      described = f.name + "-hint";
    }
    if (!err.empty()) {
      described += (described.empty() ? "" : " ") + f.name + "-error";
    }
    SetOpt(x, "describedby", described);
    const bool is_bool = f.type == FieldType::kBool;
    const bool is_textarea = f.type == FieldType::kLongText;
    const bool is_select = f.type == FieldType::kEnum || f.type == FieldType::kRef;
    x.set("is_bool", is_bool);
    x.set("is_textarea", is_textarea);
    x.set("is_select", is_select);
    x.set("is_input", !is_bool && !is_textarea && !is_select);
    x.set("checked", is_bool && (value == "true" || value == "on" || value == "1"));
    x.set("input_type", f.type == FieldType::kDate      ? "date"
                        : f.type == FieldType::kInteger ? "number"
                        : f.type == FieldType::kEmail   ? "email"
                        : is_local_time                 ? "datetime-local"
                                                        : "text");
    // datetime-local steps in minutes unless told otherwise; a value with seconds or
    // milliseconds would otherwise fail the browser's own validation.
    std::string step;
    if (is_local_time && value.size() > 16) {
      step = value.size() > 19 ? "0.001" : "1";
    }
    SetOpt(x, "step", step);
    SetOpt(x, "min", f.min ? std::to_string(*f.min) : "");
    SetOpt(x, "max", f.max ? std::to_string(*f.max) : "");
    SetOpt(x, "maxlength",
           f.type == FieldType::kText || f.type == FieldType::kEmail || is_textarea
               ? std::to_string(is_textarea && f.max_length == 200 ? 10000 : f.max_length)
               : "");
    Data options{Data::type::list};
    auto option = [&](const std::string& v, const std::string& label) {
      Data o;
      o.set("value", v);
      o.set("label", label);
      o.set("selected", v == value);
      options.push_back(o);
    };
    if (f.type == FieldType::kEnum) {
      for (const auto& c : f.choices) {
        option(c, c);
      }
    } else if (f.type == FieldType::kRef) {
      for (const auto& [id, label] : RefChoices(ctx, who, f.ref)) {
        option(std::to_string(id), label);
      }
    }
    x.set("options", options);
    fields.push_back(x);
  }
  d.set("fields", fields);
  if (error != nullptr) {
    d.set("error",
          placed ? "There is a problem: " + error->field + ": " + error->message : error->message);
    SetOpt(d, "error_field", placed ? error->field : "");
  } else {
    d.set("error", false);
    d.set("error_field", false);
  }
  RenderInLayout(ctx, &who, res, heading, "/r/" + def.name, "register_form.html", d,
                 error != nullptr ? HttpStatusFor(error->code) : 200);
}

enum class FormMode { kCreate, kEdit };

// Field values from a posted form, as the service accepts them (strings; booleans from the
// checkbox's presence). Create: empty inputs are omitted. Edit: empty inputs clear the field.
json RecordFromForm(const RegisterDef& def, const httplib::Request& req, FormMode mode) {
  json out = json::object();
  for (const auto& f : def.fields) {
    if (f.read_only) {
      continue;
    }
    if (f.type == FieldType::kBool) {
      out[f.name] = req.has_param(f.name);
      continue;
    }
    std::string v = req.get_param_value(f.name);
    while (!v.empty() && std::isspace(static_cast<unsigned char>(v.back())) != 0) {
      v.pop_back();
    }
    const std::size_t start = v.find_first_not_of(" \t\r\n");
    v = start == std::string::npos ? "" : v.substr(start);
    if (v.empty()) {
      if (mode == FormMode::kEdit) {
        out[f.name] = nullptr;
      }
      continue;
    }
    out[f.name] = v;
  }
  return out;
}

std::map<std::string, std::string> PostedValues(const RegisterDef& def,
                                                const httplib::Request& req) {
  std::map<std::string, std::string> out;
  for (const auto& f : def.fields) {
    out[f.name] = f.type == FieldType::kBool ? (req.has_param(f.name) ? "true" : "")
                                             : req.get_param_value(f.name);
  }
  return out;
}

std::map<std::string, std::string> RecordValues(const RegisterDef& def, const json& record) {
  std::map<std::string, std::string> out;
  for (const auto& f : def.fields) {
    out[f.name] = record.contains(f.name) ? FormValue(f, record[f.name]) : "";
  }
  return out;
}

// ---- detail ------------------------------------------------------------------------------------

struct CatalogChoice {
  const char* reg;
  const char* label;
};

constexpr CatalogChoice kCatalogs[] = {
    {"catalog:iso27001-2013", "ISO/IEC 27001:2013 Annex A control (e.g. A.12.6.1)"},
    {"catalog:iso27001-2022", "ISO/IEC 27001:2022 Annex A control (e.g. 8.8)"},
    {"catalog:schedule-2.4", "Schedule 2.4 clause (e.g. S2.4-5.4.3)"}};

struct LinkFormState {
  const Error* error = nullptr;
  std::string relation;
  std::string to_register;
  std::string to_key;
};

void DetailPage(Context& ctx, const Authn& who, httplib::Response& res, const RegisterDef& def,
                std::int64_t id, const LinkFormState& link_form) {
  auto record = ctx.Svc().register_service.Get(who.principal, def, id);
  if (!record) {
    RenderError(ctx, &who, res, record.error());
    return;
  }
  const json& r = *record;
  Data d = BaseData(who, def);
  const std::string label = RecordLabel(def, r);
  d.set("id", std::to_string(id));
  d.set("heading", label);
  d.set("kicker", def.singular + " " + std::to_string(id));

  const Labels labels = RefLabels(ctx, who, def, {r});
  Data fields{Data::type::list};
  for (const auto& f : def.fields) {
    Data x;
    x.set("label", f.label);
    x.set("cell", CellData(FieldCell(f, r, labels)));
    x.set("long", f.type == FieldType::kLongText);
    fields.push_back(x);
  }
  d.set("fields", fields);
  Data derived{Data::type::list};
  for (const auto& dd : def.derived) {
    Data x;
    x.set("label", dd.label);
    x.set("cell", CellData(DerivedCell(dd, r.contains(dd.name) ? r[dd.name] : json(nullptr))));
    derived.push_back(x);
  }
  d.set("derived", derived);
  d.set("has_derived", !def.derived.empty());

  // Links, both directions; labels of linked records batch-loaded per register.
  auto links = ctx.Svc().register_service.LinksOf(who.principal, def.name, std::to_string(id));
  std::vector<registers::Link> all = links ? *links : std::vector<registers::Link>{};
  std::map<std::string, std::set<std::int64_t>> wanted;

  struct Other {
    std::string reg;
    std::string key;
    bool outgoing;
  };

  auto other_of = [&](const registers::Link& l) {
    const bool outgoing = l.from_register == def.name && l.from_id == id;
    return outgoing ? Other{l.to_register, l.to_key, true}
                    : Other{l.from_register, std::to_string(l.from_id), false};
  };
  for (const auto& l : all) {
    Other o = other_of(l);
    auto n = ParseInt(o.key, "key");
    if (n && RegisterService::Find(o.reg) != nullptr) {
      wanted[o.reg].insert(*n);
    }
  }
  Labels link_labels;
  for (const auto& [reg, ids] : wanted) {
    link_labels[reg] = LoadLabels(ctx, who, reg, ids);
  }
  const bool can_write = MayWrite(who.principal, def);
  Data link_rows{Data::type::list};
  Data evidence_rows{Data::type::list};
  for (const auto& l : all) {
    Other o = other_of(l);
    Data x;
    x.set("link_id", std::to_string(l.id));
    x.set("relation", l.relation);
    x.set("direction", o.outgoing ? "→" : "←");
    x.set("direction_text", o.outgoing ? "this record" : "linked from");
    const RegisterDef* other_def = RegisterService::Find(o.reg);
    std::string text = o.reg + " " + o.key;
    std::string href;
    if (other_def != nullptr) {
      text = other_def->singular + " " + o.key;
      auto n = ParseInt(o.key, "key");
      if (n) {
        href = "/r/" + other_def->name + "/" + o.key;
        if (auto it = link_labels[o.reg].find(*n); it != link_labels[o.reg].end()) {
          text = other_def->singular + " " + o.key + ": " + it->second;
        }
      }
    } else if (o.reg.rfind("catalog:", 0) == 0) {
      text = o.reg.substr(8) + " " + o.key;
    }
    x.set("other", text);
    SetOpt(x, "other_href", href);
    x.set("can_remove", can_write);
    link_rows.push_back(x);
    if (o.reg == "evidence" && other_def != nullptr) {
      Data e;
      e.set("text", text);
      e.set("href", href);
      e.set("download", "/api/v1/evidence/" + o.key + "/file");
      evidence_rows.push_back(e);
    }
  }
  d.set("links", link_rows);
  d.set("has_links", !all.empty());
  d.set("evidence", evidence_rows);
  if (def.name == "evidence") {
    d.set("download", "/api/v1/evidence/" + std::to_string(id) + "/file");
  } else {
    d.set("download", false);
  }
  d.set("return_to", "/r/" + def.name + "/" + std::to_string(id));

  // The add-link form: any register or catalogue as the target.
  Data targets{Data::type::list};
  auto target = [&](const std::string& value, const std::string& text) {
    Data t;
    t.set("value", value);
    t.set("label", text);
    t.set("selected", value == link_form.to_register);
    targets.push_back(t);
  };
  for (const auto& other : RegisterService::Defs()) {
    if (MayRead(who.principal, other)) {
      target(other.name, other.title);
    }
  }
  for (const auto& c : kCatalogs) {
    target(c.reg, c.label);
  }
  d.set("targets", targets);
  Data relations{Data::type::list};
  std::set<std::string> seen;
  for (const auto& rel : RegisterService::Relations()) {
    if ((rel.from == def.name || rel.from == "*") && seen.insert(rel.name).second) {
      Data t;
      t.set("value", rel.name);
      relations.push_back(t);
    }
  }
  d.set("relations", relations);
  d.set("v_relation", link_form.relation);
  d.set("v_to_key", link_form.to_key);
  std::string err_relation, err_to_register, err_to_key, link_error;
  if (link_form.error != nullptr) {
    const Error& e = *link_form.error;
    if (e.field == "relation") {
      err_relation = e.message;
    } else if (e.field == "to_register") {
      err_to_register = e.message;
    } else if (e.field == "to_key") {
      err_to_key = e.message;
    }
    link_error = e.message;
  }
  SetOpt(d, "err_relation", err_relation);
  SetOpt(d, "err_to_register", err_to_register);
  SetOpt(d, "err_to_key", err_to_key);
  SetOpt(d, "link_error", link_error);
  RenderInLayout(ctx, &who, res, def.singular + " " + std::to_string(id) + " · " + def.title,
                 "/r/" + def.name, "register_detail.html", d,
                 link_form.error != nullptr ? HttpStatusFor(link_form.error->code) : 200);
}

// ---- handlers ----------------------------------------------------------------------------------

// Resolves the register in the first capture, or renders 404.
const RegisterDef* DefOr404(Context& ctx, const Authn& who, const httplib::Request& req,
                            httplib::Response& res) {
  auto def = FindRegister(req.matches[1].str());
  if (!def) {
    RenderError(ctx, &who, res, def.error());
    return nullptr;
  }
  return *def;
}

std::optional<std::int64_t> IdOr404(Context& ctx, const Authn& who, const httplib::Request& req,
                                    httplib::Response& res, std::size_t index) {
  auto id = ParseInt(req.matches[index].str(), "id");
  if (!id) {
    RenderError(ctx, &who, res, Err(ErrorCode::kNotFound, "no such record"));
    return std::nullopt;
  }
  return *id;
}

// A record route "/r/{name}/{id}...": the register and the id, or a 404 page already rendered.
struct RecordRef {
  const RegisterDef* def;
  std::int64_t id;
};

std::optional<RecordRef> RecordOr404(Context& ctx, const Authn& who, const httplib::Request& req,
                                     httplib::Response& res) {
  const RegisterDef* def = DefOr404(ctx, who, req, res);
  if (def == nullptr) {
    return std::nullopt;
  }
  auto id = IdOr404(ctx, who, req, res, 2);
  if (!id) {
    return std::nullopt;
  }
  return RecordRef{def, *id};
}

// The record behind a write form (edit, delete): refused with an error page unless the user may
// write the register and read the record.
std::optional<json> RecordForWrite(Context& ctx, const Authn& who, httplib::Response& res,
                                   const RecordRef& ref) {
  if (Status s = auth::Authorize(who.principal, ref.def->write_action); !s.ok()) {
    RenderError(ctx, &who, res, s.error());
    return std::nullopt;
  }
  if (Status s = ref.def->CheckMutable(); !s.ok()) {  // append-only: no edit or delete form
    RenderError(ctx, &who, res, s.error());
    return std::nullopt;
  }
  auto record = ctx.Svc().register_service.Get(who.principal, *ref.def, ref.id);
  if (!record) {
    RenderError(ctx, &who, res, record.error());
    return std::nullopt;
  }
  return std::move(*record);
}

bool DeniedPage(Context& ctx, const Authn& who, httplib::Response& res, const Error& e) {
  if (e.code == ErrorCode::kPermissionDenied || e.code == ErrorCode::kNotFound) {
    RenderError(ctx, &who, res, e);
    return true;
  }
  return false;
}

void IndexPage(Context& ctx, const Authn& who, httplib::Response& res) {
  Data groups{Data::type::list};
  for (const auto& area : kAreas) {
    Data items{Data::type::list};
    for (const auto& def : RegisterService::Defs()) {
      if (&AreaOf(def.name) != &area || !MayRead(who.principal, def)) {
        continue;
      }
      Data x;
      x.set("name", def.name);
      x.set("title", def.title);
      SetOpt(x, "clause", def.clause);
      SetOpt(x, "description", def.description);
      items.push_back(x);
    }
    if (items.is_empty_list()) {
      continue;
    }
    Data g;
    g.set("slug", area.slug);
    g.set("title", area.title);
    g.set("items", items);
    groups.push_back(g);
  }
  if (groups.is_empty_list()) {
    RenderError(ctx, &who, res,
                Err(ErrorCode::kPermissionDenied, "your role may not read any register"));
    return;
  }
  Data d;
  d.set("groups", groups);
  const RegisterDef* evidence = RegisterService::Find("evidence");
  d.set("can_upload", evidence != nullptr && MayWrite(who.principal, *evidence));
  RenderInLayout(ctx, &who, res, "Registers", "/registers", "registers.html", d);
}

void EvidenceForm(Context& ctx, const Authn& who, httplib::Response& res,
                  const std::map<std::string, std::string>& values, const Error* error) {
  const RegisterDef* def = RegisterService::Find("evidence");
  if (def == nullptr) {
    RenderError(ctx, &who, res, Err(ErrorCode::kNotFound, "no evidence register"));
    return;
  }
  Data d = BaseData(who, *def);
  auto v = [&](const char* k) {
    return values.count(k) ? values.at(k) : std::string();
  };
  d.set("v_title", v("title"));
  d.set("v_description", v("description"));
  d.set("v_link_register", v("link_register"));
  d.set("v_link_id", v("link_id"));
  d.set("max_mib", std::to_string(ctx.Options().max_upload_bytes >> 20));
  std::string err_file, err_title, err_description, err;
  if (error != nullptr) {
    if (error->field == "file") {
      err_file = error->message;
    } else if (error->field == "title") {
      err_title = error->message;
    } else if (error->field == "description") {
      err_description = error->message;
    }
    err = error->message;
  }
  SetOpt(d, "err_file", err_file);
  SetOpt(d, "err_title", err_title);
  SetOpt(d, "err_description", err_description);
  SetOpt(d, "error", err);
  int status = 200;
  if (error != nullptr) {
    status = error->code == ErrorCode::kResourceExhausted ? 413 : HttpStatusFor(error->code);
  }
  RenderInLayout(ctx, &who, res, "Upload evidence", "/evidence", "evidence_new.html", d, status);
}

std::string PartText(const httplib::Request& req, const char* name) {
  return req.has_file(name) ? req.get_file_value(name).content : req.get_param_value(name);
}

}  // namespace

void RegisterRegisterUi(httplib::Server& svr, Context& ctx) {
  svr.Get("/registers", Ui(ctx, [&ctx](const Authn& who, const httplib::Request&,
                                       httplib::Response& res) { IndexPage(ctx, who, res); }));

  svr.Get(RRoute(""),
          Ui(ctx, [&ctx](const Authn& who, const httplib::Request& req, httplib::Response& res) {
            if (const RegisterDef* def = DefOr404(ctx, who, req, res)) {
              ListPage(ctx, who, req, res, *def, "", nullptr);
            }
          }));

  svr.Post(RRoute("/import"),
           Ui(
               ctx,
               [&ctx](const Authn& who, const httplib::Request& req, httplib::Response& res) {
                 const RegisterDef* def = DefOr404(ctx, who, req, res);
                 if (def == nullptr) {
                   return;
                 }
                 const std::string csv = PartText(req, "file");
                 auto report =
                     csv.empty()
                         ? Result<registers::ImportReport>(Err(
                               ErrorCode::kInvalidArgument, "choose a CSV file to import", "file"))
                         : ctx.Svc().register_service.ImportCsv(who.principal, *def, csv);
                 if (!report) {
                   if (report.error().code == ErrorCode::kPermissionDenied) {
                     RenderError(ctx, &who, res, report.error());
                     return;
                   }
                   ListPage(ctx, who, req, res, *def, "", &report.error());
                   return;
                 }
                 ListPage(ctx, who, req, res, *def,
                          "Imported: " + std::to_string(report->created) + " created, " +
                              std::to_string(report->updated) + " updated.",
                          nullptr);
               },
               BodyKind::kUpload));

  svr.Get(RRoute("/new"),
          Ui(ctx, [&ctx](const Authn& who, const httplib::Request& req, httplib::Response& res) {
            const RegisterDef* def = DefOr404(ctx, who, req, res);
            if (def == nullptr) {
              return;
            }
            if (def->name == "evidence") {
              Redirect(res, "/evidence/new");
              return;
            }
            if (Status s = auth::Authorize(who.principal, def->write_action); !s.ok()) {
              RenderError(ctx, &who, res, s.error());
              return;
            }
            std::map<std::string, std::string> values;
            for (const auto& f : def->fields) {  // defaults, or ?field=value (e.g. party_id)
              values[f.name] =
                  req.has_param(f.name) ? req.get_param_value(f.name) : f.default_value;
            }
            FormPage(ctx, who, res, *def, "New " + def->singular, "/r/" + def->name, values,
                     nullptr, "/r/" + def->name);
          }));

  svr.Post(RRoute(""),
           Ui(ctx, [&ctx](const Authn& who, const httplib::Request& req, httplib::Response& res) {
             const RegisterDef* def = DefOr404(ctx, who, req, res);
             if (def == nullptr) {
               return;
             }
             auto created = ctx.Svc().register_service.Create(
                 who.principal, *def, RecordFromForm(*def, req, FormMode::kCreate));
             if (!created) {
               if (created.error().code == ErrorCode::kPermissionDenied) {
                 RenderError(ctx, &who, res, created.error());
                 return;
               }
               FormPage(ctx, who, res, *def, "New " + def->singular, "/r/" + def->name,
                        PostedValues(*def, req), &created.error(), "/r/" + def->name);
               return;
             }
             Redirect(res, "/r/" + def->name + "/" +
                               std::to_string(created->value("id", std::int64_t{0})));
           }));

  svr.Get(RRoute("/(\\d+)"),
          Ui(ctx, [&ctx](const Authn& who, const httplib::Request& req, httplib::Response& res) {
            const RegisterDef* def = DefOr404(ctx, who, req, res);
            if (def == nullptr) {
              return;
            }
            if (auto id = IdOr404(ctx, who, req, res, 2)) {
              DetailPage(ctx, who, res, *def, *id, {});
            }
          }));

  svr.Get(RRoute("/(\\d+)/edit"),
          Ui(ctx, [&ctx](const Authn& who, const httplib::Request& req, httplib::Response& res) {
            auto ref = RecordOr404(ctx, who, req, res);
            if (!ref) {
              return;
            }
            auto record = RecordForWrite(ctx, who, res, *ref);
            if (!record) {
              return;
            }
            const RegisterDef* def = ref->def;
            const std::string self = "/r/" + def->name + "/" + std::to_string(ref->id);
            FormPage(ctx, who, res, *def, "Edit " + def->singular + " " + std::to_string(ref->id),
                     self, RecordValues(*def, *record), nullptr, self);
          }));

  svr.Post(RRoute("/(\\d+)"),
           Ui(ctx, [&ctx](const Authn& who, const httplib::Request& req, httplib::Response& res) {
             auto ref = RecordOr404(ctx, who, req, res);
             if (!ref) {
               return;
             }
             const RegisterDef* def = ref->def;
             const std::string self = "/r/" + def->name + "/" + std::to_string(ref->id);
             auto updated = ctx.Svc().register_service.Update(
                 who.principal, *def, ref->id, RecordFromForm(*def, req, FormMode::kEdit));
             if (!updated) {
               if (DeniedPage(ctx, who, res, updated.error())) {
                 return;
               }
               if (def->append_only && updated.error().field.empty()) {  // never editable
                 RenderError(ctx, &who, res, updated.error());
                 return;
               }
               FormPage(ctx, who, res, *def,
                        "Edit " + def->singular + " " + std::to_string(ref->id), self,
                        PostedValues(*def, req), &updated.error(), self);
               return;
             }
             Redirect(res, self);
           }));

  svr.Get(RRoute("/(\\d+)/delete"),
          Ui(ctx, [&ctx](const Authn& who, const httplib::Request& req, httplib::Response& res) {
            auto ref = RecordOr404(ctx, who, req, res);
            if (!ref) {
              return;
            }
            auto record = RecordForWrite(ctx, who, res, *ref);
            if (!record) {
              return;
            }
            const RegisterDef* def = ref->def;
            Data d = BaseData(who, *def);
            d.set("id", std::to_string(ref->id));
            d.set("label", RecordLabel(*def, *record));
            RenderInLayout(ctx, &who, res, "Delete " + def->singular, "/r/" + def->name,
                           "register_delete.html", d);
          }));

  svr.Post(RRoute("/(\\d+)/delete"),
           Ui(ctx, [&ctx](const Authn& who, const httplib::Request& req, httplib::Response& res) {
             auto ref = RecordOr404(ctx, who, req, res);
             if (!ref) {
               return;
             }
             const RegisterDef* def = ref->def;
             if (Status s = ctx.Svc().register_service.Delete(who.principal, *def, ref->id);
                 !s.ok()) {
               RenderError(ctx, &who, res, s.error());
               return;
             }
             Redirect(res, "/r/" + def->name);
           }));

  svr.Post(RRoute("/(\\d+)/links"),
           Ui(ctx, [&ctx](const Authn& who, const httplib::Request& req, httplib::Response& res) {
             auto ref = RecordOr404(ctx, who, req, res);
             if (!ref) {
               return;
             }
             const RegisterDef* def = ref->def;
             registers::Link link;
             link.from_register = def->name;
             link.from_id = ref->id;
             link.relation = req.get_param_value("relation");
             link.to_register = req.get_param_value("to_register");
             link.to_key = req.get_param_value("to_key");
             auto created = ctx.Svc().register_service.AddLink(who.principal, link);
             if (!created) {
               if (created.error().code == ErrorCode::kPermissionDenied) {
                 RenderError(ctx, &who, res, created.error());
                 return;
               }
               LinkFormState state{&created.error(), link.relation, link.to_register, link.to_key};
               DetailPage(ctx, who, res, *def, ref->id, state);
               return;
             }
             Redirect(res, "/r/" + def->name + "/" + std::to_string(ref->id));
           }));

  svr.Post(R"(/links/(\d+)/delete)",
           Ui(ctx, [&ctx](const Authn& who, const httplib::Request& req, httplib::Response& res) {
             auto id = IdOr404(ctx, who, req, res, 1);
             if (!id) {
               return;
             }
             if (Status s = ctx.Svc().register_service.RemoveLink(who.principal, *id); !s.ok()) {
               RenderError(ctx, &who, res, s.error());
               return;
             }
             // Only back to a register page of this site (no open redirect).
             std::string back = req.get_param_value("return_to");
             const bool local = back.rfind("/r/", 0) == 0 &&
                                back.find_first_of(":\\\r\n") == std::string::npos &&
                                back.find("//") == std::string::npos;
             Redirect(res, local ? back : "/registers");
           }));

  svr.Get("/evidence/new",
          Ui(ctx, [&ctx](const Authn& who, const httplib::Request& req, httplib::Response& res) {
            const RegisterDef* def = RegisterService::Find("evidence");
            if (def != nullptr) {
              if (Status s = auth::Authorize(who.principal, def->write_action); !s.ok()) {
                RenderError(ctx, &who, res, s.error());
                return;
              }
            }
            EvidenceForm(ctx, who, res,
                         {{"link_register", req.get_param_value("register")},
                          {"link_id", req.get_param_value("id")}},
                         nullptr);
          }));

  svr.Post("/evidence",
           Ui(
               ctx,
               [&ctx](const Authn& who, const httplib::Request& req, httplib::Response& res) {
                 std::map<std::string, std::string> values = {
                     {"title", PartText(req, "title")},
                     {"description", PartText(req, "description")},
                     {"link_register", PartText(req, "link_register")},
                     {"link_id", PartText(req, "link_id")}};
                 auto created = CreateEvidenceFromMultipart(ctx, who, req);
                 if (!created) {
                   if (created.error().code == ErrorCode::kPermissionDenied) {
                     RenderError(ctx, &who, res, created.error());
                     return;
                   }
                   EvidenceForm(ctx, who, res, values, &created.error());
                   return;
                 }
                 const std::int64_t id = created->value("id", std::int64_t{0});
                 // Attach to the record the upload started from, if any.
                 const std::string& reg = values["link_register"];
                 auto target_id = ParseInt(values["link_id"], "link_id");
                 if (!reg.empty() && target_id && RegisterService::Find(reg) != nullptr) {
                   registers::Link link;
                   link.from_register = "evidence";
                   link.from_id = id;
                   link.relation = "supports";
                   link.to_register = reg;
                   link.to_key = std::to_string(*target_id);
                   if (ctx.Svc().register_service.AddLink(who.principal, link)) {
                     Redirect(res, "/r/" + reg + "/" + std::to_string(*target_id));
                     return;
                   }
                 }
                 Redirect(res, "/r/evidence/" + std::to_string(id));
               },
               BodyKind::kUpload));
}

}  // namespace accredit::http::internal
