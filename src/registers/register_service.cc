// RegisterService: the behaviour every register shares, driven by its RegisterDef.
//
// Canonical record (JSON) used internally, in audit before/after and in output:
//   text, long_text, email -> string ("" when unset)      integer, ref -> number or null
//   bool -> true/false                                     date -> "YYYY-MM-DD" or null
//   enum -> string or null                                  tags -> array of strings
//   instant -> "YYYY-MM-DDTHH:MM:SS.mmmZ" (UTC) or null
// plus "id", "created_at", "updated_at"; output adds the derived values.
// Identifiers in SQL come only from the definitions (never from input) and are double-quoted
// (some field names, such as "from", "to" and "references", are SQL keywords).

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <set>
#include <sstream>

#include <openssl/evp.h>
#include <openssl/rand.h>

#include "registers/internal.h"

namespace accredit::registers {
namespace {

using internal::Invalid;

std::string Quote(std::string_view id) {
  return "\"" + std::string(id) + "\"";
}

std::string Dump(const Json& j) {
  return DumpJson(j);
}

bool IsTextType(FieldType t) {
  return t == FieldType::kText || t == FieldType::kLongText || t == FieldType::kEmail;
}

std::size_t MaxLength(const FieldDef& f) {
  if (f.type == FieldType::kLongText && f.max_length == 200) {
    return 10000;
  }
  return f.max_length;
}

Json EmptyValue(const FieldDef& f) {
  switch (f.type) {
    case FieldType::kText:
    case FieldType::kLongText:
    case FieldType::kEmail:
      return "";
    case FieldType::kBool:
      return false;
    case FieldType::kTags:
      return Json::array();
    default:
      return nullptr;
  }
}

bool IsEmpty(const Json& v) {
  return v.is_null() || (v.is_string() && v.get<std::string>().empty()) ||
         (v.is_array() && v.empty());
}

std::string Trim(std::string_view s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) {
    return {};
  }
  const auto e = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(b, e - b + 1));
}

std::string Lower(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  return s;
}

std::string Join(const std::vector<std::string>& parts, std::string_view sep) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) {
      out += sep;
    }
    out += parts[i];
  }
  return out;
}

Status CheckChars(const FieldDef& f, std::string_view text, bool multiline) {
  if (CodePointCount(text) > MaxLength(f)) {
    return Invalid(f.name, "must be at most " + std::to_string(MaxLength(f)) + " characters");
  }
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if ((u < 0x20 && !(multiline && (c == '\n' || c == '\t' || c == '\r'))) || u == 0x7f) {
      return Invalid(f.name, "must not contain control characters");
    }
  }
  return Status::Ok();
}

bool IsEmail(std::string_view s) {
  const auto at = s.find('@');
  return at != std::string_view::npos && at != 0 && at + 1 < s.size() &&
         s.find('@', at + 1) == std::string_view::npos && s.find(' ') == std::string_view::npos &&
         s.find('.', at) != std::string_view::npos;
}

std::string IntegerMessage(const FieldDef& f) {
  if (f.min && f.max) {
    return "must be an integer between " + std::to_string(*f.min) + " and " +
           std::to_string(*f.max);
  }
  if (f.min) {
    return "must be an integer of at least " + std::to_string(*f.min);
  }
  if (f.max) {
    return "must be an integer of at most " + std::to_string(*f.max);
  }
  return "must be an integer";
}

std::optional<std::int64_t> ParseInt(std::string_view s) {
  std::int64_t v = 0;
  const auto* end = s.data() + s.size();
  auto [p, ec] = std::from_chars(s.data(), end, v);
  if (ec != std::errc() || p != end || s.empty()) {
    return std::nullopt;
  }
  return v;
}

// Input value (JSON of any type; strings for every type, as from forms and CSV) -> canonical.
Result<Json> Coerce(const FieldDef& f, const Json& v) {
  if (v.is_null()) {
    return EmptyValue(f);
  }
  // Every text a field receives (forms, JSON, CSV, CLI) is UTF-8 or refused here, naming the
  // field and the byte offset, before anything is stored or audited.
  if (v.is_string()) {
    ACC_RETURN_IF_ERROR(CheckUtf8(v.get_ref<const std::string&>(), f.name));
  } else if (v.is_array()) {
    for (const auto& item : v) {
      if (item.is_string()) {
        ACC_RETURN_IF_ERROR(CheckUtf8(item.get_ref<const std::string&>(), f.name));
      }
    }
  }
  switch (f.type) {
    case FieldType::kText:
    case FieldType::kEmail:
    case FieldType::kLongText: {
      if (!v.is_string()) {
        return Invalid(f.name, "must be text");
      }
      const bool multiline = f.type == FieldType::kLongText;
      std::string s = multiline ? v.get<std::string>() : Trim(v.get<std::string>());
      ACC_RETURN_IF_ERROR(CheckChars(f, s, multiline));
      if (f.type == FieldType::kEmail && !s.empty() && !IsEmail(s)) {
        return Invalid(f.name, "must be an e-mail address such as name@example.com");
      }
      return Json(std::move(s));
    }
    case FieldType::kInteger: {
      std::optional<std::int64_t> n;
      if (v.is_number_integer()) {
        n = v.get<std::int64_t>();
      } else if (v.is_string()) {
        const std::string s = Trim(v.get<std::string>());
        if (s.empty()) {
          return Json(nullptr);
        }
        n = ParseInt(s);
      }
      if (!n || (f.min && *n < *f.min) || (f.max && *n > *f.max)) {
        return Invalid(f.name, IntegerMessage(f));
      }
      return Json(*n);
    }
    case FieldType::kBool: {
      if (v.is_boolean()) {
        return v;
      }
      if (v.is_number_integer() && (v.get<std::int64_t>() == 0 || v.get<std::int64_t>() == 1)) {
        return Json(v.get<std::int64_t>() == 1);
      }
      if (v.is_string()) {
        const std::string s = Lower(Trim(v.get<std::string>()));
        if (s == "true" || s == "yes" || s == "1" || s == "y") {
          return Json(true);
        }
        if (s == "false" || s == "no" || s == "0" || s == "n" || s.empty()) {
          return Json(false);
        }
      }
      return Invalid(f.name, "must be true or false");
    }
    case FieldType::kDate: {
      if (!v.is_string()) {
        return Invalid(f.name, "must be a date YYYY-MM-DD");
      }
      const std::string s = Trim(v.get<std::string>());
      if (s.empty()) {
        return Json(nullptr);
      }
      auto d = ParseDate(s, f.name);
      if (!d || s.size() != 10) {
        return Invalid(f.name, "must be a date YYYY-MM-DD");
      }
      return Json(FormatDate(*d));
    }
    case FieldType::kInstant: {
      if (!v.is_string()) {
        return Invalid(f.name, "not an instant: must be text such as 2026-11-03T10:00:00Z");
      }
      const std::string s = Trim(v.get<std::string>());
      if (s.empty()) {
        return Json(nullptr);
      }
      auto t = ParseInstant(s, f.name);
      if (!t) {
        return Invalid(f.name, "not an instant: " + t.error().message);
      }
      return Json(FormatInstantUtc(*t));
    }
    case FieldType::kEnum: {
      const std::string s = v.is_string() ? Trim(v.get<std::string>()) : std::string("\x01");
      if (s.empty()) {
        return Json(nullptr);
      }
      if (std::find(f.choices.begin(), f.choices.end(), s) == f.choices.end()) {
        return Invalid(f.name, "must be one of " + Join(f.choices, ", "));
      }
      return Json(s);
    }
    case FieldType::kRef: {
      std::optional<std::int64_t> n;
      if (v.is_number_integer()) {
        n = v.get<std::int64_t>();
      } else if (v.is_string()) {
        const std::string s = Trim(v.get<std::string>());
        if (s.empty()) {
          return Json(nullptr);
        }
        n = ParseInt(s);
      }
      if (!n || *n <= 0) {
        return Invalid(f.name, "must be the id of a record in " + f.ref);
      }
      return Json(*n);
    }
    case FieldType::kTags: {
      std::vector<std::string> raw;
      if (v.is_string()) {
        const std::string s = v.get<std::string>();
        std::size_t start = 0;
        while (start <= s.size()) {
          auto semi = s.find(';', start);
          if (semi == std::string::npos) {
            semi = s.size();
          }
          raw.push_back(s.substr(start, semi - start));
          start = semi + 1;
        }
      } else if (v.is_array()) {
        for (const auto& item : v) {
          if (!item.is_string()) {
            return Invalid(f.name, "must be a list of text values");
          }
          raw.push_back(item.get<std::string>());
        }
      } else {
        return Invalid(f.name, "must be a list of text values");
      }
      Json out = Json::array();
      std::set<std::string> seen;
      for (const auto& r : raw) {
        std::string t = Trim(r);
        if (t.empty() || seen.contains(t)) {
          continue;
        }
        ACC_RETURN_IF_ERROR(CheckChars(f, t, false));
        if (t.find(';') != std::string::npos) {
          return Invalid(f.name, "values must not contain ';'");
        }
        seen.insert(t);
        out.push_back(std::move(t));
      }
      if (out.size() > 500) {
        return Invalid(f.name, "must hold at most 500 values");
      }
      return out;
    }
  }
  return Invalid(f.name, "unsupported field type");
}

store::Value ToValue(const FieldDef& f, const Json& v) {
  if (v.is_null()) {
    return {};
  }
  switch (f.type) {
    case FieldType::kBool:
      return v.get<bool>();
    case FieldType::kInteger:
    case FieldType::kRef:
      return v.get<std::int64_t>();
    case FieldType::kTags:
      return Dump(v);
    default:
      return v.get<std::string>();
  }
}

Json FromValue(const FieldDef& f, const store::Value& v) {
  switch (f.type) {
    case FieldType::kText:
    case FieldType::kLongText:
    case FieldType::kEmail:
      return v.Text();
    case FieldType::kBool:
      return v.Int() != 0;
    case FieldType::kInteger:
    case FieldType::kRef:
      if (v.IsNull()) {
        return nullptr;
      }
      return v.Int();
    case FieldType::kDate:
    case FieldType::kEnum:
    case FieldType::kInstant:
      if (v.IsNull()) {
        return nullptr;
      }
      return v.Text();
    case FieldType::kTags: {
      Json parsed = Json::parse(v.Text(), nullptr, /*allow_exceptions=*/false);
      return parsed.is_array() ? parsed : Json::array();
    }
  }
  return nullptr;
}

std::string SelectColumns(const RegisterDef& def) {
  std::string cols = "id";
  for (const auto& f : def.fields) {
    cols += ", " + Quote(f.name);
  }
  return cols + ", created_at, updated_at";
}

Json RowToRecord(const RegisterDef& def, const store::Row& r) {
  Json rec = Json::object();
  rec["id"] = r[0].Int();
  for (std::size_t i = 0; i < def.fields.size(); ++i) {
    rec[def.fields[i].name] = FromValue(def.fields[i], r[i + 1]);
  }
  rec["created_at"] = r[def.fields.size() + 1].Text();
  rec["updated_at"] = r[def.fields.size() + 2].Text();
  return rec;
}

std::optional<std::int64_t> ScopeValue(const RegisterDef& def, const Json& rec) {
  if (def.scope_field.empty()) {
    return std::nullopt;
  }
  return internal::Int(rec, def.scope_field).value_or(0);
}

// Authorises `action` on one record (scoped when the register is supplier-owned).
Status AuthorizeRecord(const auth::Principal& actor, const RegisterDef& def, auth::Action action,
                       const Json& rec) {
  return auth::Authorize(actor, action, auth::Scope{ScopeValue(def, rec)});
}

Status AuthorizeWrite(const auth::Principal& actor, const RegisterDef& def, const Json& rec) {
  ACC_RETURN_IF_ERROR(AuthorizeRecord(actor, def, def.write_action, rec));
  if (def.authorize_write) {
    ACC_RETURN_IF_ERROR(def.authorize_write(actor, rec));
  }
  return Status::Ok();
}

// A record that does not exist: refused for a subcontractor on a scoped register (so ids of
// other suppliers' records reveal nothing), kNotFound otherwise.
Error Missing(const auth::Principal& actor, const RegisterDef& def, auth::Action action,
              std::int64_t id) {
  if (!def.scope_field.empty()) {
    Status s = auth::Authorize(actor, action, auth::Scope{0});
    if (!s.ok()) {
      return s.error();
    }
  }
  return Err(ErrorCode::kNotFound, "no " + def.singular + " with id " + std::to_string(id), "id");
}

Result<std::optional<Json>> LoadRecord(store::Connection& conn, const RegisterDef& def,
                                       std::int64_t id) {
  auto row = conn.QueryOne(
      "SELECT " + SelectColumns(def) + " FROM " + Quote(def.Table()) + " WHERE id = ?", {id});
  if (!row) {
    if (row.error().code == ErrorCode::kNotFound) {
      return std::optional<Json>();
    }
    return row.error();
  }
  return std::optional<Json>(RowToRecord(def, *row));
}

// Fields only (no timestamps): the audit before/after.
std::string AuditJson(const RegisterDef& def, const Json& rec) {
  Json out = Json::object();
  out["id"] = rec.value("id", Json(nullptr));
  for (const auto& f : def.fields) {
    out[f.name] = rec.value(f.name, Json(nullptr));
  }
  return Dump(out);
}

Json Present(const RegisterDef& def, const Json& rec, ReadContext& ctx) {
  Json out = rec;
  for (const auto& d : def.derived) {
    out[d.name] = d.compute ? d.compute(rec, ctx) : Json(nullptr);
  }
  return out;
}

bool IsIgnoredColumn(const RegisterDef& def, std::string_view name) {
  return name == "created_at" || name == "updated_at" || def.Derived(name) != nullptr;
}

Status Validate(store::Connection& conn, const auth::Principal& actor, const RegisterDef& def,
                const Json& rec, ReadContext& ctx) {
  for (const auto& f : def.fields) {
    if (f.required && f.type != FieldType::kBool && IsEmpty(rec.at(f.name))) {
      return Invalid(f.name, "required");
    }
  }
  for (const auto& f : def.fields) {
    const Json& v = rec.at(f.name);
    if (f.type == FieldType::kRef && v.is_number_integer()) {
      const RegisterDef* target = RegisterService::Find(f.ref);
      ACC_CHECK(target != nullptr, "kRef field names an unknown register");  // definitions
      // A reference must name a record the actor may read; one it may not read answers exactly
      // as one that does not exist, so ids outside the actor's scope reveal nothing.
      const std::int64_t ref_id = v.get<std::int64_t>();
      Error missing =
          Invalid(f.name, "no " + target->singular + " with id " + std::to_string(ref_id));
      if (!auth::Authorize(actor, target->read_action).ok()) {
        return missing;
      }
      ACC_ASSIGN_OR_RETURN(std::optional<Json> found, LoadRecord(conn, *target, ref_id));
      if (!found || !AuthorizeRecord(actor, *target, target->read_action, *found).ok()) {
        return missing;
      }
    }
  }
  for (const auto& validator : def.validators) {
    ACC_RETURN_IF_ERROR(validator(rec, ctx));
  }
  for (const auto& f : def.fields) {
    const Json& v = rec.at(f.name);
    if (!f.unique || IsEmpty(v)) {
      continue;
    }
    auto clash = conn.Query(
        "SELECT id FROM " + Quote(def.Table()) + " WHERE " + Quote(f.name) + " = ? AND id <> ?",
        {ToValue(f, v), rec.value("id", Json(0)).get<std::int64_t>()});
    if (!clash) {
      return clash.error();
    }
    if (!clash->empty()) {
      return Err(ErrorCode::kAlreadyExists,
                 "a " + def.singular + " with this " + f.name + " already exists", f.name);
    }
  }
  return Status::Ok();
}

// Applies the input's keys to `rec`. Read-only fields are refused unless unchanged; "id",
// timestamps and derived names are ignored (so an exported row can be imported again).
Status ApplyInput(const RegisterDef& def, const Json& input, Json& rec) {
  if (!input.is_object()) {
    return Invalid("", "must be a JSON object of field values");
  }
  for (const auto& [key, value] : input.items()) {
    if (key == "id" || IsIgnoredColumn(def, key)) {
      continue;
    }
    const FieldDef* f = def.Field(key);
    if (f == nullptr) {
      return Invalid(key, "unknown field");
    }
    ACC_ASSIGN_OR_RETURN(Json v, Coerce(*f, value));
    if (f->read_only) {
      if (v != rec.at(key)) {
        return Invalid(key, "read-only field");
      }
      continue;
    }
    rec[key] = std::move(v);
  }
  return Status::Ok();
}

bool IsSha256Hex(std::string_view s) {
  return s.size() == 64 && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

std::optional<std::string> ReadWholeFile(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) {
    return std::nullopt;
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Writes bytes to a fresh temporary file (0600) beside `path` and renames it into place.
Status WriteFileAtomically(const std::filesystem::path& path, std::string_view bytes) {
  const auto tmp = path.string() + ".tmp-" + RandomHex(8);
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    return Err(ErrorCode::kUnavailable, "cannot store the evidence file", "file",
               "open " + tmp + " failed");
  }
  std::size_t done = 0;
  bool ok = true;
  while (done < bytes.size()) {
    const auto n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n <= 0) {
      ok = false;
      break;
    }
    done += static_cast<std::size_t>(n);
  }
  ok = ok && ::fsync(fd) == 0;
  ok = (::close(fd) == 0) && ok;
  if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0) {
    ::unlink(tmp.c_str());
    return Err(ErrorCode::kUnavailable, "cannot store the evidence file", "file",
               "write/rename " + tmp + " failed");
  }
  return Status::Ok();
}

bool IsMediaType(std::string_view s) {
  if (s.empty() || s.size() > 100 || s.find('/') == std::string_view::npos) {
    return false;
  }
  return std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 ||
           std::string_view("!#$&^_.+-/;= ").find(c) != std::string_view::npos;
  });
}

// CSV cells that a spreadsheet would run as a formula are prefixed with an apostrophe; import
// strips that apostrophe again.
std::string GuardFormula(std::string s) {
  if (!s.empty() && std::string_view("=+-@\t\r").find(s[0]) != std::string_view::npos) {
    return "'" + s;
  }
  return s;
}

std::string UnguardFormula(std::string s) {
  if (s.size() >= 2 && s[0] == '\'' &&
      std::string_view("=+-@\t\r").find(s[1]) != std::string_view::npos) {
    return s.substr(1);
  }
  return s;
}

std::string CsvCell(const Json& v, bool text) {
  if (v.is_null()) {
    return "";
  }
  if (v.is_boolean()) {
    return v.get<bool>() ? "true" : "false";
  }
  if (v.is_array()) {
    std::vector<std::string> parts;
    for (const auto& t : v) {
      parts.push_back(t.is_string() ? t.get<std::string>() : Dump(t));
    }
    return CsvEscape(GuardFormula(Join(parts, ";")));
  }
  if (v.is_string()) {
    return CsvEscape(text ? GuardFormula(v.get<std::string>()) : v.get<std::string>());
  }
  return CsvEscape(Dump(v));
}

Error AtLine(int line, const Error& e) {
  Error out = e;
  out.field = "line " + std::to_string(line) + (e.field.empty() ? "" : ": " + e.field);
  return out;
}

const std::set<std::string>& KnownCatalogs() {
  static const std::set<std::string> kCatalogs = {"iso27001-2013", "iso27001-2022", "schedule-2.4",
                                                  "ncsc-cloud", "cyber-essentials"};
  return kCatalogs;
}

Json LinkJson(const Link& l) {
  return Json{{"id", l.id},
              {"from_register", l.from_register},
              {"from_id", l.from_id},
              {"relation", l.relation},
              {"to_register", l.to_register},
              {"to_key", l.to_key}};
}

Link LinkFromRow(const store::Row& r) {
  return Link{r[0].Int(), r[1].Text(), r[2].Int(), r[3].Text(), r[4].Text(), r[5].Text()};
}

constexpr std::string_view kLinkColumns =
    "id, from_register, from_id, relation, to_register, to_key";

// May the actor read the record `key` of register `reg` (a catalogue or a register)?
bool CanReadEnd(store::Connection& conn, const auth::Principal& actor, const std::string& reg,
                const std::string& key) {
  if (reg.rfind("catalog:", 0) == 0) {
    return auth::Authorize(actor, auth::Action::kRegisterRead).ok();
  }
  const RegisterDef* def = RegisterService::Find(reg);
  if (def == nullptr || !auth::Authorize(actor, def->read_action).ok()) {
    return false;
  }
  if (def->scope_field.empty() || actor.role != auth::Role::kSubcontractor) {
    return true;
  }
  const auto id = ParseInt(key);
  if (!id) {
    return false;
  }
  auto rec = LoadRecord(conn, *def, *id);
  return rec && rec->has_value() && AuthorizeRecord(actor, *def, def->read_action, **rec).ok();
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Definitions

std::string_view FieldTypeName(FieldType t) {
  switch (t) {
    case FieldType::kText:
      return "text";
    case FieldType::kLongText:
      return "long_text";
    case FieldType::kInteger:
      return "integer";
    case FieldType::kBool:
      return "bool";
    case FieldType::kDate:
      return "date";
    case FieldType::kEnum:
      return "enum";
    case FieldType::kRef:
      return "ref";
    case FieldType::kTags:
      return "tags";
    case FieldType::kEmail:
      return "email";
    case FieldType::kInstant:
      return "instant";
  }
  return "text";
}

Status RegisterDef::CheckMutable() const {
  if (!append_only) {
    return Status::Ok();
  }
  std::string noun = singular;
  std::replace(noun.begin(), noun.end(), '_', ' ');
  return Err(ErrorCode::kFailedPrecondition,
             name + " are a dated record and cannot be changed or deleted; record a new " + noun);
}

const FieldDef* RegisterDef::Field(std::string_view field_name) const {
  for (const auto& f : fields) {
    if (f.name == field_name) {
      return &f;
    }
  }
  return nullptr;
}

const DerivedDef* RegisterDef::Derived(std::string_view derived_name) const {
  for (const auto& d : derived) {
    if (d.name == derived_name) {
      return &d;
    }
  }
  return nullptr;
}

const std::vector<RegisterDef>& RegisterService::Defs() {
  static const std::vector<RegisterDef> kDefs = [] {
    std::vector<RegisterDef> all;
    auto add = [&all](std::vector<RegisterDef> defs) {
      for (auto& d : defs) {
        all.push_back(std::move(d));
      }
    };
    auto technical = internal::TechnicalDefs();
    all.push_back(technical.front());  // sites first
    add(internal::SupplierDefs());
    technical.erase(technical.begin());
    add(std::move(technical));
    // The contract-clock registers (issue 4) follow the RCR and the Accreditation Plan.
    auto risk = internal::RiskDefs();
    auto plan = std::find_if(risk.begin(), risk.end(),
                             [](const RegisterDef& d) { return d.name == "accreditation_plan"; });
    ACC_CHECK(plan != risk.end(), "the accreditation plan is defined");
    auto clocks = internal::ClockDefs();
    risk.insert(plan + 1, std::make_move_iterator(clocks.begin()),
                std::make_move_iterator(clocks.end()));
    add(std::move(risk));
    add(internal::ReferenceDefs());
    all.push_back(internal::EvidenceDef());
    return all;
  }();
  return kDefs;
}

const RegisterDef* RegisterService::Find(std::string_view name) {
  if (name == "parties" || name == "party") {
    name = "suppliers";
  }
  for (const auto& d : Defs()) {
    if (d.name == name || d.singular == name) {
      return &d;
    }
  }
  return nullptr;
}

const std::vector<RegisterService::Relation>& RegisterService::Relations() {
  static const std::vector<Relation> kRelations = {
      {"mitigates", "controls", "risks"},
      {"implements", "controls", "catalog:iso27001-2013"},
      {"implements", "controls", "catalog:iso27001-2022"},
      {"implements", "controls", "catalog:ncsc-cloud"},
      {"implements", "controls", "catalog:cyber-essentials"},
      {"addresses", "controls", "catalog:schedule-2.4"},
      {"supports", "evidence", "*"},
      {"supports", "evidence", "catalog:*"},
      {"runs_on", "products", "assets"},
      {"requires", "notifiable_events", "rcr"},
      {"relates_to", "*", "*"},
  };
  return kRelations;
}

std::vector<store::Migration> RegisterService::Migrations() {
  return internal::DefMigrations();
}

RegisterService::RegisterService(store::Store& store, const audit::AuditLog& audit,
                                 const Clock& clock, Registers& registers, Options options)
    : store_(store),
      audit_(audit),
      clock_(clock),
      registers_(registers),
      options_(std::move(options)) {}

// ---------------------------------------------------------------------------------------------
// Internal operations on an open connection (shared by the single-record calls and import).

namespace {

struct Ops {
  store::Connection& conn;
  ReadContext& ctx;
  const audit::AuditLog& audit;
  const Clock& clock;
  const auth::Principal& actor;
  const RegisterDef& def;

  // `trusted`: canonical values set by the service itself (evidence file metadata).
  Result<Json> Create(const Json& input, const Json& trusted = Json::object()) {
    Json rec = Json::object();
    for (const auto& f : def.fields) {
      rec[f.name] = EmptyValue(f);
      if (!f.default_value.empty()) {
        ACC_ASSIGN_OR_RETURN(rec[f.name], Coerce(f, Json(f.default_value)));
      }
    }
    ACC_RETURN_IF_ERROR(ApplyInput(def, input, rec));
    for (const auto& [key, value] : trusted.items()) {
      rec[key] = value;
    }
    ACC_RETURN_IF_ERROR(AuthorizeWrite(actor, def, rec));
    ACC_RETURN_IF_ERROR(Validate(conn, actor, def, rec, ctx));
    const std::string now = FormatInstantUtc(clock.Now());
    std::string cols;
    std::string marks;
    store::Params params;
    for (const auto& f : def.fields) {
      cols += Quote(f.name) + ", ";
      marks += "?, ";
      params.push_back(ToValue(f, rec.at(f.name)));
    }
    params.emplace_back(now);
    params.emplace_back(now);
    ACC_ASSIGN_OR_RETURN(auto row, conn.QueryOne("INSERT INTO " + Quote(def.Table()) + " (" + cols +
                                                     "created_at, updated_at) VALUES (" + marks +
                                                     "?, ?) RETURNING id",
                                                 params));
    rec["id"] = row[0].Int();
    rec["created_at"] = now;
    rec["updated_at"] = now;
    ACC_RETURN_IF_ERROR(audit.Append(
        conn,
        audit::Entry{actor.username, def.singular + ".create", def.singular,
                     std::to_string(rec["id"].get<std::int64_t>()), "null", AuditJson(def, rec)}));
    return rec;
  }

  Result<Json> Update(std::int64_t id, const Json& patch) {
    ACC_ASSIGN_OR_RETURN(auto before, LoadRecord(conn, def, id));
    if (!before) {
      return Missing(actor, def, def.write_action, id);
    }
    ACC_RETURN_IF_ERROR(AuthorizeWrite(actor, def, *before));
    if (patch.is_object() && patch.contains("id") && !patch["id"].is_null()) {
      const Json& pid = patch["id"];
      const bool same = (pid.is_number_integer() && pid.get<std::int64_t>() == id) ||
                        (pid.is_string() && ParseInt(Trim(pid.get<std::string>())) == id);
      if (!same) {
        return Invalid("id", "does not match the record being updated");
      }
    }
    Json after = *before;
    ACC_RETURN_IF_ERROR(ApplyInput(def, patch, after));
    ACC_RETURN_IF_ERROR(AuthorizeWrite(actor, def, after));
    ACC_RETURN_IF_ERROR(Validate(conn, actor, def, after, ctx));
    const std::string now = FormatInstantUtc(clock.Now());
    std::string sets;
    store::Params params;
    for (const auto& f : def.fields) {
      sets += Quote(f.name) + " = ?, ";
      params.push_back(ToValue(f, after.at(f.name)));
    }
    params.emplace_back(now);
    params.emplace_back(id);
    ACC_RETURN_IF_ERROR(conn.Execute(
        "UPDATE " + Quote(def.Table()) + " SET " + sets + "updated_at = ? WHERE id = ?", params));
    after["updated_at"] = now;
    ACC_RETURN_IF_ERROR(audit.Append(
        conn, audit::Entry{actor.username, def.singular + ".update", def.singular,
                           std::to_string(id), AuditJson(def, *before), AuditJson(def, after)}));
    return after;
  }
};

}  // namespace

// ---------------------------------------------------------------------------------------------
// Public operations

Result<ListResult> RegisterService::List(const auth::Principal& actor, const RegisterDef& def,
                                         const ListQuery& query) {
  ACC_RETURN_IF_ERROR(auth::Authorize(actor, def.read_action));
  ACC_ASSIGN_OR_RETURN(auto conn, store_.Acquire());
  ACC_ASSIGN_OR_RETURN(auto tx, conn->Begin(store::TxMode::kRead));
  ACC_ASSIGN_OR_RETURN(ListResult result, List(*conn, actor, def, query));
  ACC_RETURN_IF_ERROR(tx.Commit());
  return result;
}

Result<ListResult> RegisterService::List(store::Connection& conn, const auth::Principal& actor,
                                         const RegisterDef& def, const ListQuery& query) {
  ACC_RETURN_IF_ERROR(auth::Authorize(actor, def.read_action));
  if (query.limit < 1 || query.limit > 500) {
    return Invalid("limit", "must be between 1 and 500");
  }
  if (query.offset < 0) {
    return Invalid("offset", "must not be negative");
  }
  std::vector<std::string> where;
  store::Params params;
  if (!def.scope_field.empty() && actor.role == auth::Role::kSubcontractor) {
    if (actor.supplier_id) {
      where.push_back(Quote(def.scope_field) + " = ?");
      params.emplace_back(*actor.supplier_id);
    } else {
      where.emplace_back("1 = 0");
    }
  }
  auto like = [](const std::string& s) {
    std::string out;
    for (char c : Lower(s)) {
      if (c == '%' || c == '_' || c == '\\') {
        out.push_back('\\');
      }
      out.push_back(c);
    }
    return out;
  };
  for (const auto& [key, value] : query.filters) {
    if (key == "id") {
      const auto id = ParseInt(Trim(value));
      if (!id) {
        return Invalid("id", "must be a record id");
      }
      where.emplace_back("id = ?");
      params.emplace_back(*id);
      continue;
    }
    const FieldDef* f = def.Field(key);
    if (f == nullptr) {
      return Invalid(key, "unknown field");
    }
    if (IsTextType(f->type)) {
      where.push_back("LOWER(" + Quote(f->name) + ") LIKE ? ESCAPE '\\'");
      params.emplace_back("%" + like(Trim(value)) + "%");
      continue;
    }
    if (f->type == FieldType::kTags) {
      // Exact match of one element of the stored JSON array.
      where.push_back("LOWER(" + Quote(f->name) + ") LIKE ? ESCAPE '\\'");
      params.emplace_back("%" + like(Dump(Json(Trim(value)))) + "%");
      continue;
    }
    ACC_ASSIGN_OR_RETURN(Json v, Coerce(*f, Json(value)));
    if (v.is_null()) {
      where.push_back(Quote(f->name) + " IS NULL");
    } else {
      where.push_back(Quote(f->name) + " = ?");
      params.push_back(ToValue(*f, v));
    }
  }
  const std::string q = Trim(query.q);
  if (!q.empty()) {
    std::vector<std::string> any;
    for (const auto& f : def.fields) {
      if (IsTextType(f.type) || f.type == FieldType::kTags || f.type == FieldType::kEnum) {
        any.push_back("LOWER(" + Quote(f.name) + ") LIKE ? ESCAPE '\\'");
        params.emplace_back("%" + like(q) + "%");
      }
    }
    where.push_back(any.empty() ? std::string("1 = 0") : "(" + Join(any, " OR ") + ")");
  }
  std::string order = "id ASC";
  if (!query.sort.empty()) {
    std::string name = query.sort;
    std::string dir = "ASC";
    if (name[0] == '-') {
      name.erase(0, 1);
      dir = "DESC";
    }
    if (name != "id" && name != "created_at" && name != "updated_at" && !def.Field(name)) {
      return Invalid("sort", "unknown field " + name);
    }
    order = Quote(name) + " " + dir + ", id " + dir;
  }
  const std::string where_sql = where.empty() ? "" : " WHERE " + Join(where, " AND ");

  Calendar calendar;
  if (!def.derived.empty()) {
    ACC_ASSIGN_OR_RETURN(calendar, Registers::LoadCalendar(conn));
  }
  ListResult result;
  ACC_ASSIGN_OR_RETURN(
      auto count, conn.QueryOne("SELECT COUNT(*) FROM " + Quote(def.Table()) + where_sql, params));
  result.total = count[0].Int();
  store::Params page = params;
  page.emplace_back(static_cast<std::int64_t>(query.limit));
  page.emplace_back(query.offset);
  ACC_ASSIGN_OR_RETURN(auto rows,
                       conn.Query("SELECT " + SelectColumns(def) + " FROM " + Quote(def.Table()) +
                                      where_sql + " ORDER BY " + order + " LIMIT ? OFFSET ?",
                                  page));
  const CatalogLookup* lookup = options_.catalog_lookup ? &options_.catalog_lookup : nullptr;
  ReadContext ctx(conn, clock_, calendar, lookup);
  for (const auto& r : rows) {
    result.items.push_back(Present(def, RowToRecord(def, r), ctx));
  }
  return result;
}

Result<Json> RegisterService::Get(const auth::Principal& actor, const RegisterDef& def,
                                  std::int64_t id) {
  ACC_RETURN_IF_ERROR(auth::Authorize(actor, def.read_action));
  Calendar calendar;
  if (!def.derived.empty()) {
    ACC_ASSIGN_OR_RETURN(calendar, registers_.LoadCalendar());
  }
  ACC_ASSIGN_OR_RETURN(auto conn, store_.Acquire());
  ACC_ASSIGN_OR_RETURN(auto tx, conn->Begin(store::TxMode::kRead));
  ACC_ASSIGN_OR_RETURN(auto rec, LoadRecord(*conn, def, id));
  if (!rec) {
    return Missing(actor, def, def.read_action, id);
  }
  ACC_RETURN_IF_ERROR(AuthorizeRecord(actor, def, def.read_action, *rec));
  const CatalogLookup* lookup = options_.catalog_lookup ? &options_.catalog_lookup : nullptr;
  ReadContext ctx(*conn, clock_, calendar, lookup);
  Json out = Present(def, *rec, ctx);
  ACC_RETURN_IF_ERROR(tx.Commit());
  return out;
}

Result<Json> RegisterService::Create(const auth::Principal& actor, const RegisterDef& def,
                                     const Json& input) {
  ACC_RETURN_IF_ERROR(auth::Authorize(actor, def.write_action));
  if (!def.generic_create) {
    return Invalid("file", "a " + def.singular + " record is created by uploading its file");
  }
  ACC_ASSIGN_OR_RETURN(Calendar calendar, registers_.LoadCalendar());
  ACC_ASSIGN_OR_RETURN(auto conn, store_.Acquire());
  ACC_ASSIGN_OR_RETURN(auto tx, conn->Begin(store::TxMode::kWrite));
  const CatalogLookup* lookup = options_.catalog_lookup ? &options_.catalog_lookup : nullptr;
  ReadContext ctx(*conn, clock_, calendar, lookup,
                  options_.obligation_lookup ? &options_.obligation_lookup : nullptr);
  Ops ops{*conn, ctx, audit_, clock_, actor, def};
  ACC_ASSIGN_OR_RETURN(Json rec, ops.Create(input));
  Json out = Present(def, rec, ctx);
  ACC_RETURN_IF_ERROR(tx.Commit());
  return out;
}

Result<Json> RegisterService::Update(const auth::Principal& actor, const RegisterDef& def,
                                     std::int64_t id, const Json& patch) {
  ACC_RETURN_IF_ERROR(auth::Authorize(actor, def.write_action));
  ACC_RETURN_IF_ERROR(def.CheckMutable());
  ACC_ASSIGN_OR_RETURN(Calendar calendar, registers_.LoadCalendar());
  ACC_ASSIGN_OR_RETURN(auto conn, store_.Acquire());
  ACC_ASSIGN_OR_RETURN(auto tx, conn->Begin(store::TxMode::kWrite));
  const CatalogLookup* lookup = options_.catalog_lookup ? &options_.catalog_lookup : nullptr;
  ReadContext ctx(*conn, clock_, calendar, lookup,
                  options_.obligation_lookup ? &options_.obligation_lookup : nullptr);
  Ops ops{*conn, ctx, audit_, clock_, actor, def};
  ACC_ASSIGN_OR_RETURN(Json rec, ops.Update(id, patch));
  Json out = Present(def, rec, ctx);
  ACC_RETURN_IF_ERROR(tx.Commit());
  return out;
}

Status RegisterService::Delete(const auth::Principal& actor, const RegisterDef& def,
                               std::int64_t id) {
  ACC_RETURN_IF_ERROR(auth::Authorize(actor, def.write_action));
  ACC_RETURN_IF_ERROR(def.CheckMutable());
  ACC_ASSIGN_OR_RETURN(auto conn, store_.Acquire());
  ACC_ASSIGN_OR_RETURN(auto tx, conn->Begin(store::TxMode::kWrite));
  ACC_ASSIGN_OR_RETURN(auto before, LoadRecord(*conn, def, id));
  if (!before) {
    return Missing(actor, def, def.write_action, id);
  }
  ACC_RETURN_IF_ERROR(AuthorizeWrite(actor, def, *before));
  ACC_RETURN_IF_ERROR(
      conn->Execute("DELETE FROM links WHERE (from_register = ? AND from_id = ?) OR "
                    "(to_register = ? AND to_key = ?)",
                    {def.name, id, def.name, std::to_string(id)}));
  auto deleted = conn->Execute("DELETE FROM " + Quote(def.Table()) + " WHERE id = ?", {id});
  if (!deleted) {
    if (deleted.error().code == ErrorCode::kFailedPrecondition) {
      return Err(ErrorCode::kFailedPrecondition,
                 "this " + def.singular + " is still referenced by other records", "id",
                 deleted.error().internal);
    }
    return deleted.error();
  }
  ACC_RETURN_IF_ERROR(
      audit_.Append(*conn, audit::Entry{actor.username, def.singular + ".delete", def.singular,
                                        std::to_string(id), AuditJson(def, *before), "null"}));
  return tx.Commit();
}

Result<ImportReport> RegisterService::ImportCsv(const auth::Principal& actor,
                                                const RegisterDef& def, std::string_view csv) {
  ACC_RETURN_IF_ERROR(auth::Authorize(actor, def.write_action));
  ACC_ASSIGN_OR_RETURN(auto records, ParseCsv(csv));
  if (records.empty()) {
    return Invalid("line 1", "the file is empty: expected a header row of field names");
  }
  const CsvRecord& header = records.front();
  std::vector<std::string> columns;
  std::set<std::string> seen;
  for (const auto& raw : header.fields) {
    std::string name = Trim(raw);
    if (name != "id" && !IsIgnoredColumn(def, name) && def.Field(name) == nullptr) {
      return Invalid("line " + std::to_string(header.line) + ": " + name, "unknown column");
    }
    if (!seen.insert(name).second) {
      return Invalid("line " + std::to_string(header.line) + ": " + name, "duplicate column");
    }
    columns.push_back(std::move(name));
  }
  ACC_ASSIGN_OR_RETURN(Calendar calendar, registers_.LoadCalendar());
  ACC_ASSIGN_OR_RETURN(auto conn, store_.Acquire());
  ACC_ASSIGN_OR_RETURN(auto tx, conn->Begin(store::TxMode::kWrite));
  const CatalogLookup* lookup = options_.catalog_lookup ? &options_.catalog_lookup : nullptr;
  ReadContext ctx(*conn, clock_, calendar, lookup,
                  options_.obligation_lookup ? &options_.obligation_lookup : nullptr);
  Ops ops{*conn, ctx, audit_, clock_, actor, def};
  ImportReport report;
  for (std::size_t r = 1; r < records.size(); ++r) {
    const CsvRecord& rec = records[r];
    if (rec.fields.size() != columns.size()) {
      return Invalid("line " + std::to_string(rec.line),
                     "has " + std::to_string(rec.fields.size()) + " fields; the header has " +
                         std::to_string(columns.size()));
    }
    Json input = Json::object();
    std::optional<std::int64_t> id;
    for (std::size_t c = 0; c < columns.size(); ++c) {
      const std::string& name = columns[c];
      if (name == "id") {
        const std::string v = Trim(rec.fields[c]);
        if (!v.empty()) {
          id = ParseInt(v);
          if (!id) {
            return AtLine(rec.line, Invalid("id", "must be a record id"));
          }
        }
        continue;
      }
      if (IsIgnoredColumn(def, name)) {
        continue;
      }
      const FieldDef* f = def.Field(name);
      input[name] = (IsTextType(f->type) || f->type == FieldType::kTags)
                        ? UnguardFormula(rec.fields[c])
                        : rec.fields[c];
    }
    Result<Json> done = Json();
    if (id) {
      if (Status s = def.CheckMutable(); !s.ok()) {
        return AtLine(rec.line, Err(s.Code(), s.error().message, "id"));
      }
      ACC_ASSIGN_OR_RETURN(auto existing, LoadRecord(*conn, def, *id));
      // Another supplier's record answers as a missing one (no existence oracle).
      if (!existing || !AuthorizeRecord(actor, def, def.read_action, *existing).ok()) {
        return AtLine(rec.line,
                      Invalid("id", "no " + def.singular + " with id " + std::to_string(*id)));
      }
      done = ops.Update(*id, input);
      ++report.updated;
    } else {
      if (!def.generic_create) {
        return AtLine(rec.line, Invalid("id", "required: " + def.singular +
                                                  " records are created by uploading their file"));
      }
      done = ops.Create(input);
      ++report.created;
    }
    if (!done) {
      return AtLine(rec.line, done.error());
    }
  }
  ACC_RETURN_IF_ERROR(tx.Commit());
  return report;
}

Status RegisterService::ExportCsv(const auth::Principal& actor, const RegisterDef& def,
                                  const ListQuery& query, std::ostream& out) {
  std::vector<std::string> head{"id"};
  for (const auto& f : def.fields) {
    head.push_back(f.name);
  }
  for (const auto& d : def.derived) {
    head.push_back(d.name);
  }
  ListQuery page = query;
  page.limit = 500;
  page.offset = 0;
  std::string text = Join(head, ",") + "\r\n";
  while (true) {
    ACC_ASSIGN_OR_RETURN(ListResult chunk, List(actor, def, page));
    for (const auto& item : chunk.items) {
      std::vector<std::string> cells{CsvCell(item.value("id", Json(nullptr)), false)};
      for (const auto& f : def.fields) {
        cells.push_back(CsvCell(item.value(f.name, Json(nullptr)), IsTextType(f.type)));
      }
      for (const auto& d : def.derived) {
        cells.push_back(CsvCell(item.value(d.name, Json(nullptr)), true));
      }
      text += Join(cells, ",") + "\r\n";
    }
    page.offset += static_cast<std::int64_t>(chunk.items.size());
    if (chunk.items.empty() || page.offset >= chunk.total) {
      break;
    }
  }
  out << text;
  if (!out) {
    return Err(ErrorCode::kUnavailable, "cannot write the CSV output");
  }
  return Status::Ok();
}

Result<std::vector<std::pair<std::int64_t, std::string>>> RegisterService::RefChoices(
    const auth::Principal& actor, const RegisterDef& def) {
  ACC_RETURN_IF_ERROR(auth::Authorize(actor, def.read_action));
  std::string sql = "SELECT id, " + Quote(def.label_field) + " FROM " + Quote(def.Table());
  store::Params params;
  if (!def.scope_field.empty() && actor.role == auth::Role::kSubcontractor) {
    sql += " WHERE " + Quote(def.scope_field) + " = ?";
    params.emplace_back(actor.supplier_id.value_or(0));
  }
  sql += " ORDER BY " + Quote(def.label_field) + ", id";
  ACC_ASSIGN_OR_RETURN(auto conn, store_.Acquire());
  ACC_ASSIGN_OR_RETURN(auto rows, conn->Query(sql, params));
  std::vector<std::pair<std::int64_t, std::string>> out;
  for (const auto& r : rows) {
    out.emplace_back(r[0].Int(), r[1].Text());
  }
  return out;
}

Result<std::map<std::int64_t, std::string>> RegisterService::Labels(
    const auth::Principal& actor, std::string_view reg, const std::set<std::int64_t>& ids) {
  std::map<std::int64_t, std::string> out;
  if (ids.empty()) {
    return out;
  }
  std::string table;
  std::string label;
  std::string scope;  // the column a subcontractor's reads are confined by
  if (const RegisterDef* def = Find(reg); def != nullptr) {
    if (!auth::Authorize(actor, def->read_action).ok()) {
      return out;
    }
    table = def->Table();
    label = def->label_field.empty() ? "id" : def->label_field;
    scope = def->scope_field;
  } else if (reg == "parties") {
    if (!auth::Authorize(actor, auth::Action::kSupplierRead).ok()) {
      return out;
    }
    table = "parties";
    label = "name";
    scope = "id";  // a subcontractor reads its own party only
  } else {
    return out;
  }
  std::string where;
  store::Params scope_params;
  if (!scope.empty() && actor.role == auth::Role::kSubcontractor) {
    where = " AND " + Quote(scope) + " = ?";
    scope_params.emplace_back(actor.supplier_id.value_or(0));
  }
  ACC_ASSIGN_OR_RETURN(auto conn, store_.Acquire());
  ACC_ASSIGN_OR_RETURN(auto tx, conn->Begin(store::TxMode::kRead));
  // One query per chunk of ids (no N+1), under SQLite's parameter cap.
  const std::vector<std::int64_t> all(ids.begin(), ids.end());
  constexpr std::size_t kChunk = 500;
  for (std::size_t i = 0; i < all.size(); i += kChunk) {
    std::string sql = "SELECT id, " + Quote(label) + " FROM " + Quote(table) + " WHERE id IN (";
    store::Params params;
    for (std::size_t j = i; j < all.size() && j < i + kChunk; ++j) {
      sql += j == i ? "?" : ",?";
      params.emplace_back(all[j]);
    }
    sql += ")" + where;
    params.insert(params.end(), scope_params.begin(), scope_params.end());
    ACC_ASSIGN_OR_RETURN(auto rows, conn->Query(sql, params));
    for (const auto& row : rows) {
      out[row[0].Int()] = row[1].Text();
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Links

Result<Link> RegisterService::AddLink(const auth::Principal& actor, const Link& link) {
  const RegisterDef* from = Find(link.from_register);
  if (from == nullptr) {
    return Invalid("from_register", "unknown register " + link.from_register);
  }
  const bool to_catalog = link.to_register.rfind("catalog:", 0) == 0;
  const RegisterDef* to = to_catalog ? nullptr : Find(link.to_register);
  if (!to_catalog && to == nullptr) {
    return Invalid("to_register", "unknown register " + link.to_register);
  }
  const std::string to_name = to_catalog ? link.to_register : to->name;
  bool known_relation = false;
  bool allowed = false;
  for (const auto& rel : Relations()) {
    if (rel.name != link.relation) {
      continue;
    }
    known_relation = true;
    const bool from_ok = rel.from == "*" || rel.from == from->name;
    const bool to_ok = (rel.to == "*" && !to_catalog) || (rel.to == "catalog:*" && to_catalog) ||
                       rel.to == to_name;
    allowed = allowed || (from_ok && to_ok);
  }
  if (!known_relation) {
    std::set<std::string> names;
    for (const auto& rel : Relations()) {
      names.insert(rel.name);
    }
    return Invalid(
        "relation",
        "must be one of " + Join(std::vector<std::string>(names.begin(), names.end()), ", "));
  }
  if (!allowed) {
    return Invalid("relation", link.relation + " does not link " + from->name + " to " + to_name);
  }
  ACC_RETURN_IF_ERROR(auth::Authorize(actor, from->write_action));
  ACC_ASSIGN_OR_RETURN(auto conn, store_.Acquire());
  ACC_ASSIGN_OR_RETURN(auto tx, conn->Begin(store::TxMode::kWrite));
  ACC_ASSIGN_OR_RETURN(auto from_rec, LoadRecord(*conn, *from, link.from_id));
  if (!from_rec) {
    Error e = Missing(actor, *from, from->write_action, link.from_id);
    if (e.code == ErrorCode::kNotFound) {
      e.field = "from_id";
    }
    return e;
  }
  ACC_RETURN_IF_ERROR(AuthorizeWrite(actor, *from, *from_rec));
  std::string to_key = Trim(link.to_key);
  if (to_catalog) {
    const std::string catalog = to_name.substr(8);
    if (!KnownCatalogs().contains(catalog)) {
      return Invalid("to_register", "unknown catalogue " + catalog);
    }
    bool format_ok = !to_key.empty() && to_key.size() <= 40 &&
                     std::all_of(to_key.begin(), to_key.end(), [](char c) {
                       return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '.' ||
                              c == '-' || c == '_';
                     });
    if (catalog.rfind("iso27001-", 0) == 0) {
      format_ok = internal::IsAnnexAControlId(to_key);
    } else if (catalog == "schedule-2.4") {
      format_ok = internal::IsScheduleClauseId(to_key);
    }
    if (!format_ok) {
      return Invalid("to_key", "not an id of the " + catalog + " catalogue");
    }
    if (options_.catalog_lookup && !options_.catalog_lookup(catalog, to_key)) {
      return Invalid("to_key", "no entry " + to_key + " in the " + catalog + " catalogue");
    }
  } else {
    const auto to_id = ParseInt(to_key);
    if (!to_id || *to_id <= 0) {
      return Invalid("to_key", "must be a record id");
    }
    ACC_ASSIGN_OR_RETURN(auto to_rec, LoadRecord(*conn, *to, *to_id));
    if (!to_rec) {
      return Invalid("to_key", "no " + to->singular + " with id " + to_key);
    }
    ACC_RETURN_IF_ERROR(AuthorizeRecord(actor, *to, to->read_action, *to_rec));
    to_key = std::to_string(*to_id);
  }
  Link out{0, from->name, link.from_id, link.relation, to_name, to_key};
  auto row = conn->QueryOne(
      "INSERT INTO links (from_register, from_id, relation, to_register, to_key, created_at) "
      "VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
      {out.from_register, out.from_id, out.relation, out.to_register, out.to_key,
       FormatInstantUtc(clock_.Now())});
  if (!row) {
    if (row.error().code == ErrorCode::kAlreadyExists) {
      return Err(ErrorCode::kAlreadyExists, "this link already exists", "relation");
    }
    return row.error();
  }
  out.id = (*row)[0].Int();
  ACC_RETURN_IF_ERROR(
      audit_.Append(*conn, audit::Entry{actor.username, "link.create", "link",
                                        std::to_string(out.id), "null", Dump(LinkJson(out))}));
  ACC_RETURN_IF_ERROR(tx.Commit());
  return out;
}

Status RegisterService::RemoveLink(const auth::Principal& actor, std::int64_t link_id) {
  ACC_ASSIGN_OR_RETURN(auto conn, store_.Acquire());
  ACC_ASSIGN_OR_RETURN(auto tx, conn->Begin(store::TxMode::kWrite));
  auto row =
      conn->QueryOne("SELECT " + std::string(kLinkColumns) + " FROM links WHERE id = ?", {link_id});
  if (!row) {
    if (row.error().code == ErrorCode::kNotFound) {
      return Err(ErrorCode::kNotFound, "no link with id " + std::to_string(link_id), "id");
    }
    return row.error();
  }
  const Link link = LinkFromRow(*row);
  const RegisterDef* from = Find(link.from_register);
  if (from == nullptr) {
    return Err(ErrorCode::kDataLoss, "stored link is corrupt", "from_register");
  }
  ACC_RETURN_IF_ERROR(auth::Authorize(actor, from->write_action));
  ACC_ASSIGN_OR_RETURN(auto from_rec, LoadRecord(*conn, *from, link.from_id));
  if (from_rec) {
    ACC_RETURN_IF_ERROR(AuthorizeWrite(actor, *from, *from_rec));
  }
  ACC_RETURN_IF_ERROR(conn->Execute("DELETE FROM links WHERE id = ?", {link_id}));
  ACC_RETURN_IF_ERROR(
      audit_.Append(*conn, audit::Entry{actor.username, "link.delete", "link",
                                        std::to_string(link_id), Dump(LinkJson(link)), "null"}));
  return tx.Commit();
}

Result<std::vector<Link>> RegisterService::LinksOf(const auth::Principal& actor,
                                                   std::string_view reg, std::string_view key) {
  std::string reg_name(reg);
  std::optional<std::int64_t> id;
  ACC_ASSIGN_OR_RETURN(auto conn, store_.Acquire());
  ACC_ASSIGN_OR_RETURN(auto tx, conn->Begin(store::TxMode::kRead));
  if (reg_name.rfind("catalog:", 0) == 0) {
    ACC_RETURN_IF_ERROR(auth::Authorize(actor, auth::Action::kRegisterRead));
  } else {
    const RegisterDef* def = Find(reg_name);
    if (def == nullptr) {
      return Invalid("register", "unknown register " + reg_name);
    }
    reg_name = def->name;
    ACC_RETURN_IF_ERROR(auth::Authorize(actor, def->read_action));
    id = ParseInt(key);
    if (!id) {
      return Invalid("id", "must be a record id");
    }
    ACC_ASSIGN_OR_RETURN(auto rec, LoadRecord(*conn, *def, *id));
    if (!rec) {
      return Missing(actor, *def, def->read_action, *id);
    }
    ACC_RETURN_IF_ERROR(AuthorizeRecord(actor, *def, def->read_action, *rec));
  }
  ACC_ASSIGN_OR_RETURN(auto rows,
                       conn->Query("SELECT " + std::string(kLinkColumns) +
                                       " FROM links WHERE (from_register = ? AND from_id = ?) OR "
                                       "(to_register = ? AND to_key = ?) ORDER BY id",
                                   {reg_name, id.value_or(-1), reg_name,
                                    id ? std::to_string(*id) : std::string(key)}));
  std::vector<Link> out;
  for (const auto& r : rows) {
    Link l = LinkFromRow(r);
    const bool outgoing = l.from_register == reg_name && id && l.from_id == *id;
    const bool visible = outgoing
                             ? CanReadEnd(*conn, actor, l.to_register, l.to_key)
                             : CanReadEnd(*conn, actor, l.from_register, std::to_string(l.from_id));
    if (visible) {
      out.push_back(std::move(l));
    }
  }
  ACC_RETURN_IF_ERROR(tx.Commit());
  return out;
}

// ---------------------------------------------------------------------------------------------
// Evidence

Result<Json> RegisterService::CreateEvidence(const auth::Principal& actor, const Json& fields,
                                             std::string_view filename,
                                             std::string_view content_type,
                                             std::string_view bytes) {
  const RegisterDef* def = Find("evidence");
  ACC_CHECK(def != nullptr, "the evidence register is defined");
  ACC_RETURN_IF_ERROR(auth::Authorize(actor, def->write_action));
  if (options_.evidence_dir.empty()) {
    return Err(ErrorCode::kFailedPrecondition, "evidence storage is not configured");
  }
  if (bytes.size() > options_.max_evidence_bytes) {
    return Err(ErrorCode::kResourceExhausted,
               "the file is larger than the limit of " +
                   std::to_string(options_.max_evidence_bytes) + " bytes",
               "file");
  }
  std::string name(filename);
  if (const auto slash = name.find_last_of("/\\"); slash != std::string::npos) {
    name = name.substr(slash + 1);
  }
  name = Trim(name);
  if (name.empty() || name == "." || name == "..") {
    return Invalid("filename", "required");
  }
  std::string type = Trim(content_type);
  if (type.empty()) {
    type = "application/octet-stream";
  }
  if (!IsMediaType(type)) {
    return Invalid("content_type", "must be a media type such as application/pdf");
  }
  const std::string sha = Sha256Hex(bytes);
  const std::filesystem::path dir = std::filesystem::path(options_.evidence_dir) / sha.substr(0, 2);
  const std::filesystem::path path = dir / sha;
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    return Err(ErrorCode::kUnavailable, "cannot store the evidence file", "file",
               "mkdir " + dir.string() + ": " + ec.message());
  }
  std::filesystem::permissions(options_.evidence_dir, std::filesystem::perms::owner_all,
                               std::filesystem::perm_options::replace, ec);
  std::filesystem::permissions(dir, std::filesystem::perms::owner_all,
                               std::filesystem::perm_options::replace, ec);
  const auto existing = ReadWholeFile(path);
  if (!existing || Sha256Hex(*existing) != sha) {
    ACC_RETURN_IF_ERROR(WriteFileAtomically(path, bytes));
  }

  const FieldDef* fname = def->Field("filename");
  ACC_RETURN_IF_ERROR(CheckChars(*fname, name, false));
  ACC_ASSIGN_OR_RETURN(Calendar calendar, registers_.LoadCalendar());
  ACC_ASSIGN_OR_RETURN(auto conn, store_.Acquire());
  ACC_ASSIGN_OR_RETURN(auto tx, conn->Begin(store::TxMode::kWrite));
  const CatalogLookup* lookup = options_.catalog_lookup ? &options_.catalog_lookup : nullptr;
  ReadContext ctx(*conn, clock_, calendar, lookup);
  Ops ops{*conn, ctx, audit_, clock_, actor, *def};
  const Json trusted{{"filename", name},
                     {"content_type", type},
                     {"size", static_cast<std::int64_t>(bytes.size())},
                     {"sha256", sha}};
  ACC_ASSIGN_OR_RETURN(Json rec, ops.Create(fields.is_null() ? Json::object() : fields, trusted));
  Json out = Present(*def, rec, ctx);
  ACC_RETURN_IF_ERROR(tx.Commit());
  return out;
}

Result<std::pair<Json, std::string>> RegisterService::ReadEvidenceFile(const auth::Principal& actor,
                                                                       std::int64_t id) {
  const RegisterDef* def = Find("evidence");
  ACC_CHECK(def != nullptr, "the evidence register is defined");
  ACC_ASSIGN_OR_RETURN(Json rec, Get(actor, *def, id));
  const std::string sha = internal::Str(rec, "sha256");
  if (!IsSha256Hex(sha) || options_.evidence_dir.empty()) {
    return Err(ErrorCode::kDataLoss, "the evidence record has no valid file hash", "sha256");
  }
  const auto path = std::filesystem::path(options_.evidence_dir) / sha.substr(0, 2) / sha;
  auto bytes = ReadWholeFile(path);
  if (!bytes) {
    return Err(ErrorCode::kDataLoss, "the evidence file is missing", "file",
               "cannot read " + path.string());
  }
  if (Sha256Hex(*bytes) != sha) {
    return Err(ErrorCode::kDataLoss,
               "the evidence file does not match its SHA-256: it was altered or is corrupt", "file",
               "hash mismatch at " + path.string());
  }
  return std::make_pair(std::move(rec), std::move(*bytes));
}

}  // namespace accredit::registers
