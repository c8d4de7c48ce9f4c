// The generic register API: one set of routes over registers::RegisterService::Defs(), so a new
// register needs a definition and a migration but no HTTP code. Also the shared helpers the
// register pages use (list queries from parameters, batched reference labels).

#include <algorithm>
#include <set>
#include <sstream>

#include "http/internal.h"

namespace accredit::http::internal {

using nlohmann::json;
using registers::FieldType;
using registers::RegisterDef;
using registers::RegisterService;

bool MayRead(const auth::Principal& who, const RegisterDef& def) {
  if (!auth::RoleMay(who.role, def.read_action)) {
    return false;
  }
  return who.role != auth::Role::kSubcontractor || !def.scope_field.empty();
}

bool MayWrite(const auth::Principal& who, const RegisterDef& def) {
  return MayRead(who, def) && auth::RoleMay(who.role, def.write_action);
}

Result<const RegisterDef*> FindRegister(std::string_view name) {
  const RegisterDef* def = RegisterService::Find(name);
  if (def == nullptr || def->name != name) {
    return Err(ErrorCode::kNotFound, "no such register \"" + std::string(name) + "\"", "register");
  }
  return def;
}

Result<registers::ListQuery> ListQueryFromRequest(const RegisterDef& def,
                                                  const httplib::Request& req, QueryMode mode) {
  registers::ListQuery q;
  for (const auto& [key, value] : req.params) {
    if (key == "limit" || key == "offset" || key == "csrf_token") {
      continue;
    }
    if (key == "q") {
      q.q = value;
      continue;
    }
    if (key == "sort") {
      q.sort = value;
      if (!value.empty()) {
        const std::string_view field =
            value.front() == '-' ? std::string_view(value).substr(1) : std::string_view(value);
        if (field != "id" && def.Field(field) == nullptr) {
          if (mode == QueryMode::kStrict) {
            return Err(ErrorCode::kInvalidArgument, "cannot sort by \"" + std::string(field) + "\"",
                       "sort");
          }
          q.sort.clear();
        }
      }
      continue;
    }
    const registers::FieldDef* f = def.Field(key);
    if (f == nullptr || !f->filterable) {
      if (mode == QueryMode::kStrict) {
        return Err(ErrorCode::kInvalidArgument,
                   "unknown filter \"" + key +
                       "\" (filterable fields are listed by "
                       "GET /api/v1/registers)",
                   key);
      }
      continue;
    }
    if (!value.empty()) {
      q.filters[key] = value;
    }
  }
  if (mode == QueryMode::kStrict) {
    ACC_ASSIGN_OR_RETURN(Page page, ParsePage(req));
    q.limit = page.limit;
    q.offset = page.offset;
  } else {
    if (auto v = Param(req, "offset")) {
      auto off = ParseInt(*v, "offset");
      q.offset = off && *off > 0 ? *off : 0;
    }
  }
  return q;
}

std::map<std::int64_t, std::string> LoadLabels(Context& ctx, const Authn& who, std::string_view reg,
                                               const std::set<std::int64_t>& ids) {
  // Labels are presentation only: on any error the page falls back to ids.
  return ctx.Svc()
      .register_service.Labels(who.principal, reg, ids)
      .value_or(std::map<std::int64_t, std::string>());
}

std::string RecordLabel(const RegisterDef& def, const json& record) {
  if (!def.label_field.empty() && record.contains(def.label_field)) {
    const json& v = record[def.label_field];
    if (v.is_string() && !v.get<std::string>().empty()) {
      return v.get<std::string>();
    }
    if (v.is_number_integer()) {
      return std::to_string(v.get<std::int64_t>());
    }
  }
  return def.singular + " " + std::to_string(record.value("id", std::int64_t{0}));
}

json LinkJson(const registers::Link& l) {
  return {{"id", l.id},
          {"from_register", l.from_register},
          {"from_id", l.from_id},
          {"relation", l.relation},
          {"to_register", l.to_register},
          {"to_key", l.to_key}};
}

std::string SafeContentType(std::string_view declared) {
  std::string base(declared.substr(0, declared.find(';')));
  while (!base.empty() && base.back() == ' ') {
    base.pop_back();
  }
  std::transform(base.begin(), base.end(), base.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  static const std::set<std::string> kAllowed = {"application/pdf", "image/png", "image/jpeg",
                                                 "text/plain"};
  return kAllowed.count(base) != 0 ? base : "application/octet-stream";
}

std::string AttachmentDisposition(std::string_view filename) {
  // An ASCII fallback (quotes, backslashes, controls and non-ASCII replaced) plus RFC 5987.
  std::string ascii;
  for (unsigned char c : filename) {
    ascii.push_back(
        c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '/' ? '_' : static_cast<char>(c));
  }
  if (ascii.empty()) {
    ascii = "evidence";
  }
  return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + UrlEncode(filename);
}

namespace {

JsonType JsonTypeFor(FieldType t) {
  switch (t) {
    case FieldType::kInteger:
    case FieldType::kRef:
      return JsonType::kNullableInteger;
    case FieldType::kBool:
      return JsonType::kNullableBoolean;
    case FieldType::kTags:
      return JsonType::kNullableArray;
    case FieldType::kText:
    case FieldType::kLongText:
    case FieldType::kDate:
    case FieldType::kEnum:
    case FieldType::kEmail:
    case FieldType::kInstant:
      return JsonType::kNullableString;
  }
  return JsonType::kNullableString;
}

enum class Decode { kCreate, kPatch };

Result<json> DecodeRecord(const RegisterDef& def, std::string_view body, Decode mode) {
  std::vector<FieldSpec> specs;
  specs.reserve(def.fields.size());
  for (const auto& f : def.fields) {
    specs.push_back({f.name, JsonTypeFor(f.type),
                     mode == Decode::kCreate && f.required && f.default_value.empty()});
  }
  ACC_ASSIGN_OR_RETURN(json doc, DecodeJsonObject(body, specs));
  for (const auto& f : def.fields) {
    if (f.read_only && doc.contains(f.name)) {
      return Err(ErrorCode::kInvalidArgument,
                 "field \"" + f.name + "\" is set by the server and cannot be given", f.name);
    }
  }
  if (mode == Decode::kCreate) {
    for (const auto& f : def.fields) {
      if (f.required && doc.contains(f.name) && doc[f.name].is_null()) {
        return Err(ErrorCode::kInvalidArgument, "\"" + f.name + "\" is required", f.name);
      }
    }
  }
  if (mode == Decode::kPatch && doc.empty()) {
    return Err(ErrorCode::kInvalidArgument, "give at least one field to change", "body");
  }
  return doc;
}

json FieldJson(const registers::FieldDef& f) {
  json j = {{"name", f.name},
            {"label", f.label},
            {"type", std::string(registers::FieldTypeName(f.type))},
            {"required", f.required},
            {"help", f.help},
            {"in_list", f.in_list},
            {"filterable", f.filterable},
            {"unique", f.unique},
            {"read_only", f.read_only}};
  if (!f.default_value.empty()) {
    j["default"] = f.default_value;
  }
  if (f.type == FieldType::kEnum) {
    j["choices"] = f.choices;
  }
  if (f.type == FieldType::kRef) {
    j["ref"] = f.ref;
  }
  if (f.type == FieldType::kInteger) {
    j["min"] = f.min ? json(*f.min) : json(nullptr);
    j["max"] = f.max ? json(*f.max) : json(nullptr);
  }
  if (f.type == FieldType::kText || f.type == FieldType::kEmail || f.type == FieldType::kLongText) {
    j["max_length"] = f.max_length;
  }
  return j;
}

json DefJson(const auth::Principal& who, const RegisterDef& def) {
  json fields = json::array();
  for (const auto& f : def.fields) {
    fields.push_back(FieldJson(f));
  }
  json derived = json::array();
  for (const auto& d : def.derived) {
    derived.push_back(
        {{"name", d.name}, {"label", d.label}, {"in_list", d.in_list}, {"help", d.help}});
  }
  return {{"name", def.name},
          {"singular", def.singular},
          {"title", def.title},
          {"clause", def.clause},
          {"description", def.description},
          {"label_field", def.label_field},
          {"scope_field", def.scope_field.empty() ? json(nullptr) : json(def.scope_field)},
          {"read_action", std::string(auth::ActionName(def.read_action))},
          {"write_action", std::string(auth::ActionName(def.write_action))},
          {"may_write", MayWrite(who, def)},
          {"generic_create", def.generic_create},
          {"append_only", def.append_only},
          {"fields", std::move(fields)},
          {"derived", std::move(derived)}};
}

Result<std::int64_t> MatchId(const httplib::Request& req, std::size_t index) {
  return ParseInt(req.matches[index].str(), "id");
}

constexpr FieldSpec kLinkFields[] = {{"from_register", JsonType::kString, true},
                                     {"from_id", JsonType::kInteger, true},
                                     {"relation", JsonType::kString, true},
                                     {"to_register", JsonType::kString, true},
                                     {"to_key", JsonType::kString, true}};

constexpr const char* kName = R"(([a-z][a-z0-9_]*))";

std::string Route(const std::string& suffix) {
  return std::string("/api/v1/r/") + kName + suffix;
}

}  // namespace

void RegisterRegisterApi(httplib::Server& svr, Context& ctx) {
  svr.Get("/api/v1/relations",
          Api(ctx, [](const Authn&, const httplib::Request&, httplib::Response& res) {
            json items = json::array();
            for (const auto& r : RegisterService::Relations()) {
              items.push_back({{"name", r.name}, {"from", r.from}, {"to", r.to}});
            }
            WriteJson(res, {{"items", std::move(items)}});
            return Status::Ok();
          }));
  svr.Get("/api/v1/registers",
          Api(ctx, [](const Authn& who, const httplib::Request&, httplib::Response& res) {
            json items = json::array();
            for (const auto& def : RegisterService::Defs()) {
              if (MayRead(who.principal, def)) {
                items.push_back(DefJson(who.principal, def));
              }
            }
            WriteJson(res, {{"items", std::move(items)}});
            return Status::Ok();
          }));

  svr.Get(
      Route(""),
      Api(ctx,
          [&ctx](const Authn& who, const httplib::Request& req, httplib::Response& res) -> Status {
            ACC_ASSIGN_OR_RETURN(const RegisterDef* def, FindRegister(req.matches[1].str()));
            ACC_ASSIGN_OR_RETURN(auto query, ListQueryFromRequest(*def, req, QueryMode::kStrict));
            ACC_ASSIGN_OR_RETURN(auto list,
                                 ctx.Svc().register_service.List(who.principal, *def, query));
            WriteJson(res, {{"items", list.items},
                            {"total", list.total},
                            {"limit", query.limit},
                            {"offset", query.offset}});
            return Status::Ok();
          }));

  svr.Post(
      Route(""),
      Api(ctx,
          [&ctx](const Authn& who, const httplib::Request& req, httplib::Response& res) -> Status {
            ACC_ASSIGN_OR_RETURN(const RegisterDef* def, FindRegister(req.matches[1].str()));
            ACC_RETURN_IF_ERROR(auth::Authorize(who.principal, def->write_action));
            ACC_ASSIGN_OR_RETURN(json body, DecodeRecord(*def, req.body, Decode::kCreate));
            ACC_ASSIGN_OR_RETURN(json created,
                                 ctx.Svc().register_service.Create(who.principal, *def, body));
            res.set_header("Location", "/api/v1/r/" + def->name + "/" +
                                           std::to_string(created.value("id", std::int64_t{0})));
            WriteJson(res, created, 201);
            return Status::Ok();
          }));

  svr.Get(
      Route("/export\\.csv"),
      Api(ctx,
          [&ctx](const Authn& who, const httplib::Request& req, httplib::Response& res) -> Status {
            ACC_ASSIGN_OR_RETURN(const RegisterDef* def, FindRegister(req.matches[1].str()));
            ACC_ASSIGN_OR_RETURN(auto query, ListQueryFromRequest(*def, req, QueryMode::kStrict));
            std::ostringstream out;
            ACC_RETURN_IF_ERROR(
                ctx.Svc().register_service.ExportCsv(who.principal, *def, query, out));
            res.set_content(out.str(), "text/csv; charset=utf-8");
            res.set_header("Content-Disposition", "attachment; filename=\"" + def->name + ".csv\"");
            return Status::Ok();
          }));

  svr.Post(
      Route("/import"),
      Api(
          ctx,
          [&ctx](const Authn& who, const httplib::Request& req, httplib::Response& res) -> Status {
            ACC_ASSIGN_OR_RETURN(const RegisterDef* def, FindRegister(req.matches[1].str()));
            ACC_RETURN_IF_ERROR(auth::Authorize(who.principal, def->write_action));
            std::string_view csv = req.body;
            if (req.has_file("file")) {
              csv = req.get_file_value("file").content;
            }
            if (csv.empty()) {
              return Err(ErrorCode::kInvalidArgument,
                         "send the CSV as a text/csv body (or a multipart part \"file\")", "body");
            }
            ACC_ASSIGN_OR_RETURN(auto report,
                                 ctx.Svc().register_service.ImportCsv(who.principal, *def, csv));
            WriteJson(res, {{"created", report.created}, {"updated", report.updated}});
            return Status::Ok();
          },
          BodyKind::kUpload));

  svr.Get(
      Route("/(\\d+)"),
      Api(ctx,
          [&ctx](const Authn& who, const httplib::Request& req, httplib::Response& res) -> Status {
            ACC_ASSIGN_OR_RETURN(const RegisterDef* def, FindRegister(req.matches[1].str()));
            ACC_ASSIGN_OR_RETURN(std::int64_t id, MatchId(req, 2));
            ACC_ASSIGN_OR_RETURN(json record,
                                 ctx.Svc().register_service.Get(who.principal, *def, id));
            WriteJson(res, record);
            return Status::Ok();
          }));

  svr.Patch(
      Route("/(\\d+)"),
      Api(ctx,
          [&ctx](const Authn& who, const httplib::Request& req, httplib::Response& res) -> Status {
            ACC_ASSIGN_OR_RETURN(const RegisterDef* def, FindRegister(req.matches[1].str()));
            ACC_ASSIGN_OR_RETURN(std::int64_t id, MatchId(req, 2));
            ACC_RETURN_IF_ERROR(auth::Authorize(who.principal, def->write_action));
            ACC_ASSIGN_OR_RETURN(json patch, DecodeRecord(*def, req.body, Decode::kPatch));
            ACC_ASSIGN_OR_RETURN(json updated,
                                 ctx.Svc().register_service.Update(who.principal, *def, id, patch));
            WriteJson(res, updated);
            return Status::Ok();
          }));

  svr.Delete(
      Route("/(\\d+)"),
      Api(ctx,
          [&ctx](const Authn& who, const httplib::Request& req, httplib::Response& res) -> Status {
            ACC_ASSIGN_OR_RETURN(const RegisterDef* def, FindRegister(req.matches[1].str()));
            ACC_ASSIGN_OR_RETURN(std::int64_t id, MatchId(req, 2));
            ACC_RETURN_IF_ERROR(ctx.Svc().register_service.Delete(who.principal, *def, id));
            res.status = 204;
            return Status::Ok();
          }));

  svr.Get(
      Route("/(\\d+)/links"),
      Api(ctx,
          [&ctx](const Authn& who, const httplib::Request& req, httplib::Response& res) -> Status {
            ACC_ASSIGN_OR_RETURN(const RegisterDef* def, FindRegister(req.matches[1].str()));
            ACC_ASSIGN_OR_RETURN(std::int64_t id, MatchId(req, 2));
            // The record must be visible to the caller before its links are.
            ACC_RETURN_IF_ERROR(ctx.Svc().register_service.Get(who.principal, *def, id).status());
            ACC_ASSIGN_OR_RETURN(auto links, ctx.Svc().register_service.LinksOf(
                                                 who.principal, def->name, std::to_string(id)));
            json items = json::array();
            for (const auto& l : links) {
              items.push_back(LinkJson(l));
            }
            WriteJson(res, {{"items", std::move(items)}});
            return Status::Ok();
          }));

  svr.Post(
      "/api/v1/links",
      Api(ctx,
          [&ctx](const Authn& who, const httplib::Request& req, httplib::Response& res) -> Status {
            ACC_ASSIGN_OR_RETURN(json body, DecodeJsonObject(req.body, kLinkFields));
            registers::Link link;
            link.from_register = body["from_register"].get<std::string>();
            link.from_id = body["from_id"].get<std::int64_t>();
            link.relation = body["relation"].get<std::string>();
            link.to_register = body["to_register"].get<std::string>();
            link.to_key = body["to_key"].get<std::string>();
            ACC_ASSIGN_OR_RETURN(auto created,
                                 ctx.Svc().register_service.AddLink(who.principal, link));
            WriteJson(res, LinkJson(created), 201);
            return Status::Ok();
          }));

  svr.Delete(
      R"(/api/v1/links/(\d+))",
      Api(ctx,
          [&ctx](const Authn& who, const httplib::Request& req, httplib::Response& res) -> Status {
            ACC_ASSIGN_OR_RETURN(std::int64_t id, MatchId(req, 1));
            ACC_RETURN_IF_ERROR(ctx.Svc().register_service.RemoveLink(who.principal, id));
            res.status = 204;
            return Status::Ok();
          }));

  svr.Post(
      "/api/v1/evidence",
      Api(
          ctx,
          [&ctx](const Authn& who, const httplib::Request& req, httplib::Response& res) -> Status {
            ACC_ASSIGN_OR_RETURN(json created, CreateEvidenceFromMultipart(ctx, who, req));
            res.set_header("Location", "/api/v1/r/evidence/" +
                                           std::to_string(created.value("id", std::int64_t{0})));
            WriteJson(res, created, 201);
            return Status::Ok();
          },
          BodyKind::kUpload));

  svr.Get(
      R"(/api/v1/evidence/(\d+)/file)",
      Api(ctx,
          [&ctx](const Authn& who, const httplib::Request& req, httplib::Response& res) -> Status {
            ACC_ASSIGN_OR_RETURN(std::int64_t id, MatchId(req, 1));
            ACC_ASSIGN_OR_RETURN(auto file,
                                 ctx.Svc().register_service.ReadEvidenceFile(who.principal, id));
            const json& record = file.first;
            std::string filename = "evidence-" + std::to_string(id);
            if (record.contains("filename") && record["filename"].is_string() &&
                !record["filename"].get<std::string>().empty()) {
              filename = record["filename"].get<std::string>();
            }
            const std::string declared =
                record.contains("content_type") && record["content_type"].is_string()
                    ? record["content_type"].get<std::string>()
                    : "";
            res.set_content(std::move(file.second), SafeContentType(declared).c_str());
            res.set_header("Content-Disposition", AttachmentDisposition(filename));
            res.set_header("Content-Security-Policy", "sandbox; default-src 'none'");
            return Status::Ok();
          }));
}

Result<json> CreateEvidenceFromMultipart(Context& ctx, const Authn& who,
                                         const httplib::Request& req) {
  if (!req.is_multipart_form_data()) {
    return Err(ErrorCode::kInvalidArgument, "send multipart/form-data with a part \"file\"",
               "body");
  }
  if (!req.has_file("file") || req.get_file_value("file").filename.empty()) {
    return Err(ErrorCode::kInvalidArgument, "choose a file to upload", "file");
  }
  const httplib::MultipartFormData& file = req.get_file_value("file");
  json fields = json::object();
  for (const auto& [name, part] : req.files) {
    if (name == "file" || name == "csrf_token" || name == "link_register" || name == "link_id") {
      continue;
    }
    if (!part.filename.empty()) {
      return Err(ErrorCode::kInvalidArgument, "only the part \"file\" may be a file", name);
    }
    if (!part.content.empty()) {
      fields[name] = part.content;
    }
  }
  return ctx.Svc().register_service.CreateEvidence(who.principal, fields, file.filename,
                                                   file.content_type, file.content);
}

}  // namespace accredit::http::internal
