// The JSON REST API under /api/v1. Every handler authenticates (bearer token or session
// cookie + CSRF), decodes strictly, calls one service method and writes JSON; every error goes
// out in the one shape {"error": {"code", "message", "field"}}.

#include <sstream>

#include "http/internal.h"

namespace accredit::http::internal {

httplib::Server::Handler Api(Context& ctx, ApiFn fn, BodyKind kind) {
  return [&ctx, fn = std::move(fn), kind](const httplib::Request& req, httplib::Response& res) {
    auto who = ctx.Authenticate(req);
    if (!who) {
      WriteError(res, who.error());
      return;
    }
    SetLogUser(who->principal.username);
    if (kind == BodyKind::kForm && !BodyWithin(req, ctx.Options().max_body_bytes)) {
      WriteError(res, TooLarge("body"), 413);
      return;
    }
    if (Status s = Context::CheckCsrf(*who, req); !s.ok()) {
      WriteError(res, s.error());
      return;
    }
    if (Status s = CheckRequestUtf8(req); !s.ok()) {
      WriteError(res, s.error());
      return;
    }
    if (Status s = fn(*who, req, res); !s.ok()) {
      if (s.Code() == ErrorCode::kInternal && !s.error().internal.empty()) {
        std::fprintf(stderr, "accredit: %s %s: %s\n", req.method.c_str(), req.path.c_str(),
                     s.error().internal.c_str());
      }
      const bool too_large = s.Code() == ErrorCode::kResourceExhausted &&
                             (s.error().field == "file" || s.error().field == "body");
      WriteError(res, s.error(), too_large ? 413 : HttpStatusFor(s.Code()));
    }
  };
}

namespace {

using nlohmann::json;

Result<std::int64_t> PathId(const httplib::Request& req) {
  return ParseInt(req.matches[1].str(), "id");
}

template <typename T>
json PageJson(const std::vector<T>& all, const Page& page, const std::function<json(const T&)>& f) {
  json items = json::array();
  const auto total = static_cast<std::int64_t>(all.size());
  for (std::int64_t i = page.offset; i < total && i < page.offset + page.limit; ++i) {
    items.push_back(f(all[static_cast<std::size_t>(i)]));
  }
  return {{"items", std::move(items)},
          {"total", total},
          {"limit", page.limit},
          {"offset", page.offset}};
}

json TokenJson(const auth::ApiToken& t) {
  auto opt = [](const std::optional<Instant>& i) {
    return i ? json(FormatInstantUtc(*i)) : json(nullptr);
  };
  return {{"id", t.id},
          {"user_id", t.user_id},
          {"name", t.name},
          {"prefix", t.prefix},
          {"created_at", FormatInstantUtc(t.created_at)},
          {"expires_at", opt(t.expires_at)},
          {"revoked_at", opt(t.revoked_at)},
          {"last_used_at", opt(t.last_used_at)}};
}

json RecordJson(const audit::Record& r) {
  auto parsed = [](const std::string& text) {
    json j = json::parse(text, nullptr, false);
    return j.is_discarded() ? json(text) : j;
  };
  return {{"seq", r.seq},
          {"at", FormatInstantUtc(r.at)},
          {"actor", r.entry.actor},
          {"action", r.entry.action},
          {"entity_type", r.entry.entity_type},
          {"entity_id", r.entry.entity_id},
          {"before", parsed(r.entry.before_json)},
          {"after", parsed(r.entry.after_json)},
          {"hash", r.hash_hex}};
}

json RawJson(const std::string& text) {
  json j = json::parse(text, nullptr, false);
  return j.is_discarded() ? json(nullptr) : j;
}

}  // namespace

// Shared with the UI: the audit filter from query parameters.
Result<audit::Filter> AuditFilterFromQuery(const httplib::Request& req) {
  audit::Filter f;
  f.entity_type = Param(req, "entity_type");
  f.entity_id = Param(req, "entity_id");
  f.actor = Param(req, "actor");
  f.action = Param(req, "action");
  if (auto v = Param(req, "from")) {
    ACC_ASSIGN_OR_RETURN(f.from, ParseInstant(*v, "from"));
  }
  if (auto v = Param(req, "to")) {
    ACC_ASSIGN_OR_RETURN(f.to, ParseInstant(*v, "to"));
  }
  return f;
}

namespace {

constexpr FieldSpec kNewUserFields[] = {{"username", JsonType::kString, true},
                                        {"display_name", JsonType::kString, false},
                                        {"email", JsonType::kString, false},
                                        {"role", JsonType::kString, true},
                                        {"supplier_id", JsonType::kNullableInteger, false},
                                        {"password", JsonType::kString, true}};
constexpr FieldSpec kDisableFields[] = {{"reason", JsonType::kString, false}};
constexpr FieldSpec kTokenFields[] = {{"name", JsonType::kString, true},
                                      {"expires_at", JsonType::kNullableString, false}};
constexpr FieldSpec kContractFields[] = {
    {"title", JsonType::kString, false},
    {"reference", JsonType::kString, false},
    {"customer_name", JsonType::kString, false},
    {"provider_name", JsonType::kString, false},
    {"effective_date", JsonType::kNullableString, false},
    {"operational_service_commencement_date", JsonType::kNullableString, false},
    {"division", JsonType::kString, false},
    {"closure_days", JsonType::kArray, false}};
constexpr FieldSpec kSupplierFields[] = {{"name", JsonType::kString, false},
                                         {"company_number", JsonType::kString, false},
                                         {"address", JsonType::kString, false},
                                         {"contact_email", JsonType::kString, false},
                                         {"access_to_customer_data", JsonType::kBoolean, false},
                                         {"services", JsonType::kString, false}};

Result<std::optional<Date>> OptDate(const json& v, std::string_view field) {
  if (v.is_null()) {
    return std::optional<Date>();
  }
  ACC_ASSIGN_OR_RETURN(Date d, ParseDate(v.get<std::string>(), field));
  return std::optional<Date>(d);
}

}  // namespace

Result<registers::ContractPatch> ContractPatchFromJson(const json& body) {
  registers::ContractPatch p;
  if (body.contains("title")) {
    p.title = body["title"].get<std::string>();
  }
  if (body.contains("reference")) {
    p.reference = body["reference"].get<std::string>();
  }
  if (body.contains("customer_name")) {
    p.customer_name = body["customer_name"].get<std::string>();
  }
  if (body.contains("provider_name")) {
    p.provider_name = body["provider_name"].get<std::string>();
  }
  if (body.contains("effective_date")) {
    ACC_ASSIGN_OR_RETURN(p.effective_date, OptDate(body["effective_date"], "effective_date"));
  }
  if (body.contains("operational_service_commencement_date")) {
    ACC_ASSIGN_OR_RETURN(p.operational_service_commencement_date,
                         OptDate(body["operational_service_commencement_date"],
                                 "operational_service_commencement_date"));
  }
  if (body.contains("division")) {
    auto d = ParseDivision(body["division"].get<std::string>());
    if (!d) {
      return Err(ErrorCode::kInvalidArgument,
                 "must be one of england-and-wales, scotland, northern-ireland", "division");
    }
    p.division = *d;
  }
  if (body.contains("closure_days")) {
    std::vector<registers::ClosureDay> days;
    std::size_t i = 0;
    for (const auto& item : body["closure_days"]) {
      const std::string where = "closure_days[" + std::to_string(i++) + "]";
      if (!item.is_object()) {
        return Err(ErrorCode::kInvalidArgument, "must be an object {\"date\", \"title\"}", where);
      }
      for (const auto& [k, v] : item.items()) {
        if (k != "date" && k != "title") {
          return Err(ErrorCode::kInvalidArgument, "unknown field \"" + k + "\"", where + "." + k);
        }
        if (!v.is_string()) {
          return Err(ErrorCode::kInvalidArgument, "must be of type string", where + "." + k);
        }
      }
      if (!item.contains("date")) {
        return Err(ErrorCode::kInvalidArgument, "missing required field \"date\"", where + ".date");
      }
      ACC_ASSIGN_OR_RETURN(Date d, ParseDate(item["date"].get<std::string>(), where + ".date"));
      days.push_back({d, item.value("title", std::string("Closure day"))});
    }
    p.closure_days = std::move(days);
  }
  return p;
}

namespace {

void ApplySupplierFields(const json& body, registers::Party& p) {
  if (body.contains("name")) {
    p.name = body["name"].get<std::string>();
  }
  if (body.contains("company_number")) {
    p.company_number = body["company_number"].get<std::string>();
  }
  if (body.contains("address")) {
    p.address = body["address"].get<std::string>();
  }
  if (body.contains("contact_email")) {
    p.contact_email = body["contact_email"].get<std::string>();
  }
  if (body.contains("access_to_customer_data")) {
    p.access_to_customer_data = body["access_to_customer_data"].get<bool>();
  }
  if (body.contains("services")) {
    p.services = body["services"].get<std::string>();
  }
}

Result<registers::Party> GetSupplier(Context& ctx, const auth::Principal& who, std::int64_t id) {
  ACC_ASSIGN_OR_RETURN(registers::Party p, ctx.Svc().registers.GetParty(who, id));
  if (p.kind != registers::PartyKind::kSubcontractor) {
    return Err(ErrorCode::kNotFound, "no such supplier", "id");
  }
  return p;
}

}  // namespace

void RegisterApi(httplib::Server& svr, Context& ctx) {
  svr.Get("/api/v1/openapi.json", [](const httplib::Request&, httplib::Response& res) {
    auto doc = assets::Find("openapi.json");
    res.set_content(std::string(doc.value_or("{}")), "application/json");
  });

  svr.Get("/api/v1/me",
          Api(ctx, [](const Authn& who, const httplib::Request&, httplib::Response& res) {
            const auto& p = who.principal;
            WriteJson(res, {{"id", p.user_id},
                            {"username", p.username},
                            {"role", auth::RoleName(p.role)},
                            {"supplier_id", p.supplier_id ? json(*p.supplier_id) : json(nullptr)},
                            {"auth", who.via_cookie ? "session" : "token"}});
            return Status::Ok();
          }));

  // ---- users
  svr.Get(
      "/api/v1/users",
      Api(ctx,
          [&ctx](const Authn& who, const httplib::Request& req, httplib::Response& res) -> Status {
            ACC_ASSIGN_OR_RETURN(Page page, ParsePage(req));
            ACC_ASSIGN_OR_RETURN(auto users, ctx.Svc().accounts.ListUsers(who.principal));
            WriteJson(res, PageJson<auth::User>(users, page, UserJson));
            return Status::Ok();
          }));
  svr.Post(
      "/api/v1/users",
      Api(ctx,
          [&ctx](const Authn& who, const httplib::Request& req, httplib::Response& res) -> Status {
            ACC_RETURN_IF_ERROR(auth::Authorize(who.principal, auth::Action::kUserCreate));
            ACC_ASSIGN_OR_RETURN(json body, DecodeJsonObject(req.body, kNewUserFields));
            auth::NewUser nu;
            nu.username = body["username"].get<std::string>();
            nu.display_name = body.value("display_name", std::string());
            nu.email = body.value("email", std::string());
            nu.password = body["password"].get<std::string>();
            auto role = auth::ParseRole(body["role"].get<std::string>());
            if (!role) {
              return Err(ErrorCode::kInvalidArgument, "unknown role", "role");
            }
            nu.role = *role;
            if (body.contains("supplier_id") && !body["supplier_id"].is_null()) {
              nu.supplier_id = body["supplier_id"].get<std::int64_t>();
            }
            ACC_ASSIGN_OR_RETURN(auth::User u, ctx.Svc().accounts.CreateUser(who.principal, nu));
            WriteJson(res, UserJson(u), 201);
            return Status::Ok();
          }));
  svr.Get(
      R"(/api/v1/users/(\d+))",
      Api(ctx,
          [&ctx](const Authn& who, const httplib::Request& req, httplib::Response& res) -> Status {
            ACC_ASSIGN_OR_RETURN(std::int64_t id, PathId(req));
            ACC_ASSIGN_OR_RETURN(auth::User u, ctx.Svc().accounts.GetUser(who.principal, id));
            WriteJson(res, UserJson(u));
            return Status::Ok();
          }));
  svr.Post(
      R"(/api/v1/users/(\d+)/disable)",
      Api(ctx,
          [&ctx](const Authn& who, const httplib::Request& req, httplib::Response& res) -> Status {
            ACC_ASSIGN_OR_RETURN(std::int64_t id, PathId(req));
            std::string reason = "disabled by " + who.principal.username;
            if (!req.body.empty()) {
              ACC_ASSIGN_OR_RETURN(json body, DecodeJsonObject(req.body, kDisableFields));
              reason = body.value("reason", reason);
            }
            ACC_RETURN_IF_ERROR(ctx.Svc().accounts.DisableUser(who.principal, id, reason));
            ACC_ASSIGN_OR_RETURN(auth::User u, ctx.Svc().accounts.GetUser(who.principal, id));
            WriteJson(res, UserJson(u));
            return Status::Ok();
          }));
  svr.Post(
      R"(/api/v1/users/(\d+)/enable)",
      Api(ctx,
          [&ctx](const Authn& who, const httplib::Request& req, httplib::Response& res) -> Status {
            ACC_ASSIGN_OR_RETURN(std::int64_t id, PathId(req));
            ACC_RETURN_IF_ERROR(ctx.Svc().accounts.EnableUser(who.principal, id));
            ACC_ASSIGN_OR_RETURN(auth::User u, ctx.Svc().accounts.GetUser(who.principal, id));
            WriteJson(res, UserJson(u));
            return Status::Ok();
          }));

  // ---- tokens
  svr.Get(
      "/api/v1/tokens",
      Api(ctx,
          [&ctx](const Authn& who, const httplib::Request& req, httplib::Response& res) -> Status {
            ACC_ASSIGN_OR_RETURN(Page page, ParsePage(req));
            ACC_ASSIGN_OR_RETURN(auto tokens, ctx.Svc().accounts.ListApiTokens(who.principal));
            WriteJson(res, PageJson<auth::ApiToken>(tokens, page, TokenJson));
            return Status::Ok();
          }));
  svr.Post(
      "/api/v1/tokens",
      Api(ctx,
          [&ctx](const Authn& who, const httplib::Request& req, httplib::Response& res) -> Status {
            ACC_ASSIGN_OR_RETURN(json body, DecodeJsonObject(req.body, kTokenFields));
            std::optional<Instant> expires;
            if (body.contains("expires_at") && !body["expires_at"].is_null()) {
              ACC_ASSIGN_OR_RETURN(
                  expires, ParseInstant(body["expires_at"].get<std::string>(), "expires_at"));
            }
            ACC_ASSIGN_OR_RETURN(auto created,
                                 ctx.Svc().accounts.CreateApiToken(
                                     who.principal, body["name"].get<std::string>(), expires));
            WriteJson(res, {{"token", TokenJson(created.first)}, {"secret", created.second}}, 201);
            return Status::Ok();
          }));
  svr.Delete(
      R"(/api/v1/tokens/(\d+))",
      Api(ctx,
          [&ctx](const Authn& who, const httplib::Request& req, httplib::Response& res) -> Status {
            ACC_ASSIGN_OR_RETURN(std::int64_t id, PathId(req));
            ACC_RETURN_IF_ERROR(ctx.Svc().accounts.RevokeApiToken(who.principal, id));
            res.status = 204;
            return Status::Ok();
          }));

  // ---- audit
  svr.Get(
      "/api/v1/audit",
      Api(ctx,
          [&ctx](const Authn& who, const httplib::Request& req, httplib::Response& res) -> Status {
            ACC_RETURN_IF_ERROR(auth::Authorize(who.principal, auth::Action::kAuditRead));
            ACC_ASSIGN_OR_RETURN(Page page, ParsePage(req));
            ACC_ASSIGN_OR_RETURN(audit::Filter f, AuditFilterFromQuery(req));
            f.limit = page.limit;
            f.offset = page.offset;
            ACC_ASSIGN_OR_RETURN(auto conn, ctx.Svc().store.Acquire());
            ACC_ASSIGN_OR_RETURN(std::int64_t total, ctx.Svc().audit.Count(*conn, f));
            ACC_ASSIGN_OR_RETURN(auto records, ctx.Svc().audit.List(*conn, f));
            json items = json::array();
            for (const auto& r : records) {
              items.push_back(RecordJson(r));
            }
            WriteJson(res, {{"items", std::move(items)},
                            {"total", total},
                            {"limit", page.limit},
                            {"offset", page.offset}});
            return Status::Ok();
          }));
  svr.Get(
      "/api/v1/audit/export",
      Api(ctx,
          [&ctx](const Authn& who, const httplib::Request& req, httplib::Response& res) -> Status {
            ACC_RETURN_IF_ERROR(auth::Authorize(who.principal, auth::Action::kAuditExport));
            const std::string format = Param(req, "format").value_or("json");
            if (format != "csv" && format != "json") {
              return Err(ErrorCode::kInvalidArgument, "format must be csv or json", "format");
            }
            ACC_ASSIGN_OR_RETURN(audit::Filter f, AuditFilterFromQuery(req));
            ACC_ASSIGN_OR_RETURN(auto conn, ctx.Svc().store.Acquire());
            std::ostringstream out;
            if (format == "csv") {
              ACC_RETURN_IF_ERROR(ctx.Svc().audit.ExportCsv(*conn, f, out));
              res.set_content(out.str(), "text/csv; charset=utf-8");
            } else {
              ACC_RETURN_IF_ERROR(ctx.Svc().audit.ExportJson(*conn, f, out));
              res.set_content(out.str(), "application/json");
            }
            res.set_header("Content-Disposition", "attachment; filename=\"audit." + format + "\"");
            return Status::Ok();
          }));
  svr.Get(
      "/api/v1/audit/verify",
      Api(ctx, [&ctx](const Authn& who, const httplib::Request&, httplib::Response& res) -> Status {
        ACC_RETURN_IF_ERROR(auth::Authorize(who.principal, auth::Action::kAuditVerify));
        ACC_ASSIGN_OR_RETURN(auto conn, ctx.Svc().store.Acquire());
        // Against the newest checkpoint of audit_checkpoints and the checkpoint file.
        ACC_ASSIGN_OR_RETURN(audit::VerifyReport r, ctx.Svc().audit.VerifyNewest(*conn));
        json checkpoint = nullptr;
        if (r.checkpoint) {
          checkpoint = {{"size", r.checkpoint->size},
                        {"issued_at", FormatInstantUtc(r.checkpoint->issued_at)},
                        {"head_hash", r.checkpoint->head_hash_hex},
                        {"source", audit::CheckpointSourceName(r.checkpoint_source)}};
        }
        WriteJson(res, {{"ok", r.ok},
                        {"records", r.records},
                        {"first_bad", r.first_bad ? json(*r.first_bad) : json(nullptr)},
                        {"reason", r.reason},
                        {"checkpoint", checkpoint},
                        {"notes", r.notes}});
        return Status::Ok();
      }));

  // ---- contract
  svr.Get(
      "/api/v1/contract",
      Api(ctx, [&ctx](const Authn& who, const httplib::Request&, httplib::Response& res) -> Status {
        ACC_ASSIGN_OR_RETURN(auto c, ctx.Svc().registers.GetContract(who.principal));
        WriteJson(res, RawJson(registers::ToJson(c)));
        return Status::Ok();
      }));
  svr.Patch(
      "/api/v1/contract",
      Api(ctx,
          [&ctx](const Authn& who, const httplib::Request& req, httplib::Response& res) -> Status {
            ACC_RETURN_IF_ERROR(auth::Authorize(who.principal, auth::Action::kContractUpdate));
            ACC_ASSIGN_OR_RETURN(json body, DecodeJsonObject(req.body, kContractFields));
            ACC_ASSIGN_OR_RETURN(auto patch, ContractPatchFromJson(body));
            ACC_ASSIGN_OR_RETURN(auto c, ctx.Svc().registers.UpdateContract(who.principal, patch));
            ctx.InvalidateCalendar();
            WriteJson(res, RawJson(registers::ToJson(c)));
            return Status::Ok();
          }));

  // ---- calendar
  svr.Get(
      "/api/v1/calendar/holidays",
      Api(ctx,
          [&ctx](const Authn& who, const httplib::Request& req, httplib::Response& res) -> Status {
            ACC_RETURN_IF_ERROR(auth::Authorize(who.principal, auth::Action::kCalendarRead));
            ACC_ASSIGN_OR_RETURN(auto cal, ctx.ContractCalendar());
            int year = static_cast<int>(LondonDate(ctx.Svc().clock.Now()).year());
            if (auto v = Param(req, "year")) {
              ACC_ASSIGN_OR_RETURN(std::int64_t y, ParseInt(*v, "year"));
              if (y < 1871 || y > 9999) {
                return Err(ErrorCode::kInvalidArgument, "year must be between 1871 and 9999",
                           "year");
              }
              year = static_cast<int>(y);
            }
            std::vector<Holiday> days;
            Division division = cal->GetDivision();
            if (auto v = Param(req, "division")) {
              auto d = ParseDivision(*v);
              if (!d) {
                return Err(ErrorCode::kInvalidArgument,
                           "must be one of england-and-wales, scotland, northern-ireland",
                           "division");
              }
              division = *d;
            }
            days =
                division == cal->GetDivision() ? cal->Holidays(year) : RuleHolidays(division, year);
            json items = json::array();
            for (const auto& h : days) {
              items.push_back({{"date", FormatDate(h.date)}, {"title", h.title}});
            }
            WriteJson(res, {{"year", year},
                            {"division", DivisionSlug(division)},
                            {"items", std::move(items)}});
            return Status::Ok();
          }));
  svr.Get(
      "/api/v1/calendar/working-days",
      Api(ctx,
          [&ctx](const Authn& who, const httplib::Request& req, httplib::Response& res) -> Status {
            ACC_RETURN_IF_ERROR(auth::Authorize(who.principal, auth::Action::kCalendarRead));
            ACC_ASSIGN_OR_RETURN(auto cal, ctx.ContractCalendar());
            auto from_text = Param(req, "from");
            if (!from_text) {
              return Err(ErrorCode::kInvalidArgument, "from is required", "from");
            }
            ACC_ASSIGN_OR_RETURN(Date from, ParseDate(*from_text, "from"));
            json out = {{"from", FormatDate(from)},
                        {"from_is_working_day", cal->IsWorkingDay(from)}};
            if (auto add = Param(req, "add")) {
              ACC_ASSIGN_OR_RETURN(std::int64_t n, ParseInt(*add, "add"));
              if (n < 0 || n > 10000) {
                return Err(ErrorCode::kInvalidArgument, "add must be between 0 and 10000", "add");
              }
              out["add"] = n;
              out["result"] = FormatDate(cal->AddWorkingDays(from, static_cast<int>(n)));
            } else if (auto to_text = Param(req, "to")) {
              ACC_ASSIGN_OR_RETURN(Date to, ParseDate(*to_text, "to"));
              out["to"] = FormatDate(to);
              out["working_days"] = cal->WorkingDaysBetween(from, to);
            } else {
              return Err(ErrorCode::kInvalidArgument, "give add=N or to=DATE", "add");
            }
            WriteJson(res, out);
            return Status::Ok();
          }));

  // ---- suppliers (sub-contractors), scoped for subcontractor users by registers
  svr.Get(
      "/api/v1/suppliers",
      Api(ctx,
          [&ctx](const Authn& who, const httplib::Request& req, httplib::Response& res) -> Status {
            ACC_ASSIGN_OR_RETURN(Page page, ParsePage(req));
            ACC_ASSIGN_OR_RETURN(auto parties,
                                 ctx.Svc().registers.ListParties(
                                     who.principal, registers::PartyKind::kSubcontractor));
            WriteJson(res, PageJson<registers::Party>(parties, page, [](const registers::Party& p) {
                        return RawJson(registers::ToJson(p));
                      }));
            return Status::Ok();
          }));
  svr.Post(
      "/api/v1/suppliers",
      Api(ctx,
          [&ctx](const Authn& who, const httplib::Request& req, httplib::Response& res) -> Status {
            ACC_RETURN_IF_ERROR(auth::Authorize(who.principal, auth::Action::kSupplierWrite));
            ACC_ASSIGN_OR_RETURN(json body, DecodeJsonObject(req.body, kSupplierFields));
            if (!body.contains("name")) {
              return Err(ErrorCode::kInvalidArgument, "missing required field \"name\"", "name");
            }
            registers::Party p;
            p.kind = registers::PartyKind::kSubcontractor;
            ApplySupplierFields(body, p);
            ACC_ASSIGN_OR_RETURN(auto created, ctx.Svc().registers.CreateParty(who.principal, p));
            WriteJson(res, RawJson(registers::ToJson(created)), 201);
            return Status::Ok();
          }));
  svr.Get(
      R"(/api/v1/suppliers/(\d+))",
      Api(ctx,
          [&ctx](const Authn& who, const httplib::Request& req, httplib::Response& res) -> Status {
            ACC_ASSIGN_OR_RETURN(std::int64_t id, PathId(req));
            ACC_ASSIGN_OR_RETURN(auto p, GetSupplier(ctx, who.principal, id));
            WriteJson(res, RawJson(registers::ToJson(p)));
            return Status::Ok();
          }));
  svr.Patch(
      R"(/api/v1/suppliers/(\d+))",
      Api(ctx,
          [&ctx](const Authn& who, const httplib::Request& req, httplib::Response& res) -> Status {
            ACC_ASSIGN_OR_RETURN(std::int64_t id, PathId(req));
            ACC_ASSIGN_OR_RETURN(json body, DecodeJsonObject(req.body, kSupplierFields));
            ACC_ASSIGN_OR_RETURN(auto p, GetSupplier(ctx, who.principal, id));
            ApplySupplierFields(body, p);
            ACC_ASSIGN_OR_RETURN(auto updated, ctx.Svc().registers.UpdateParty(who.principal, p));
            WriteJson(res, RawJson(registers::ToJson(updated)));
            return Status::Ok();
          }));
}

}  // namespace accredit::http::internal
