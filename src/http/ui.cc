// The server-rendered HTML UI. Pages render one Mustache template into the shared layout;
// forms post back with the session's CSRF token and re-render with the error beside the named
// field. Unauthenticated requests are redirected to /login.

#include <sstream>

#include "http/internal.h"

namespace accredit::http::internal {
namespace {

struct NavItem {
  const char* href;
  const char* label;
  std::optional<auth::Action> needs;
};

constexpr NavItem kNav[] = {{"/", "Dashboard", auth::Action::kDashboardRead},
                            {"/obligations", "Obligations", auth::Action::kDashboardRead},
                            {"/contract", "Contract", auth::Action::kContractRead},
                            {"/suppliers", "Suppliers", auth::Action::kSupplierRead},
                            {"/registers", "Registers", std::nullopt},  // any readable register
                            {"/documents", "Documents", auth::Action::kDocumentRead},
                            {"/users", "Users", auth::Action::kUserRead},
                            {"/audit", "Audit log", auth::Action::kAuditRead},
                            {"/calendar", "Calendar", auth::Action::kCalendarRead}};

}  // namespace

std::string UrlEncode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) != 0 || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xf]);
    }
  }
  return out;
}

void RenderInLayout(Context& ctx, const Authn* who, httplib::Response& res,
                    const std::string& title, const std::string& active, const std::string& tmpl,
                    Data data, int status) {
  Data layout;
  layout.set("title", title);
  layout.set("content", ctx.Tmpl().Render(tmpl, data));
  if (who != nullptr) {
    Data user;
    user.set("username", who->principal.username);
    user.set("role", std::string(auth::RoleName(who->principal.role)));
    user.set("csrf_token", who->csrf_token);
    Data nav{Data::type::list};
    for (const auto& item : kNav) {
      if (item.needs && !auth::RoleMay(who->principal.role, *item.needs)) {
        continue;
      }
      if (std::string_view(item.href) == "/obligations" &&
          !AuthorizeObligations(who->principal).ok()) {
        continue;
      }
      if (std::string_view(item.href) == "/registers" &&
          std::none_of(
              registers::RegisterService::Defs().begin(), registers::RegisterService::Defs().end(),
              [&](const registers::RegisterDef& def) { return MayRead(who->principal, def); })) {
        continue;
      }
      Data d;
      d.set("href", item.href);
      d.set("label", item.label);
      d.set("current",
            active == item.href || (std::string_view(item.href) == "/registers" &&
                                    (active.rfind("/r/", 0) == 0 || active == "/evidence")));
      nav.push_back(d);
    }
    user.set("nav", nav);
    layout.set("user", user);
  }
  res.status = status;
  res.set_content(ctx.Tmpl().Render("layout.html", layout), "text/html; charset=utf-8");
}

void RenderError(Context& ctx, const Authn* who, httplib::Response& res, const Error& e) {
  Data d;
  const int status = HttpStatusFor(e.code);
  d.set("title", status == 403 ? "Not allowed" : status == 404 ? "Not found" : "Error");
  d.set("message", e.message);
  RenderInLayout(ctx, who, res, status == 403 ? "Not allowed" : "Error", "", "error.html", d,
                 status);
}

std::string SizeText(std::size_t bytes) {
  return bytes >= 1024 * 1024 ? std::to_string(bytes / (1024 * 1024)) + " MB"
                              : std::to_string((bytes + 1023) / 1024) + " KB";
}

// The HTML 413 of a form: nothing is saved, and every text field the user typed is shown back
// (read-only) so that nothing they wrote is lost.
void RenderTooLarge(Context& ctx, const Authn& who, const httplib::Request& req,
                    httplib::Response& res) {
  Data d;
  std::size_t size = req.body.size();
  Data fields{Data::type::list};
  int index = 0;
  auto keep = [&](const std::string& name, const std::string& value) {
    if (name == "csrf_token" || value.empty()) {
      return;
    }
    Data x;
    x.set("index", std::to_string(++index));
    x.set("name", SanitiseUtf8(name));
    x.set("value", SanitiseUtf8(value));
    fields.push_back(x);
  };
  for (const auto& [name, value] : req.params) {
    keep(name, value);
  }
  for (const auto& [name, part] : req.files) {
    size += part.content.size();
    if (part.filename.empty()) {
      keep(name, part.content);
    }
  }
  d.set("size", SizeText(size));
  d.set("limit", SizeText(ctx.Options().max_body_bytes));
  d.set("fields", fields);
  RenderInLayout(ctx, &who, res, "Form too large", "", "too_large.html", d, 413);
}

void Redirect(httplib::Response& res, const std::string& to) {
  res.status = 303;
  res.set_header("Location", to);
}

httplib::Server::Handler Ui(Context& ctx, PageFn fn, BodyKind kind) {
  return [&ctx, fn = std::move(fn), kind](const httplib::Request& req, httplib::Response& res) {
    auto who = ctx.Authenticate(req);
    if (!who) {
      Redirect(res, "/login");
      return;
    }
    SetLogUser(who->principal.username);
    if (kind == BodyKind::kForm && !BodyWithin(req, ctx.Options().max_body_bytes)) {
      RenderTooLarge(ctx, *who, req, res);
      return;
    }
    if (Status s = Context::CheckCsrf(*who, req); !s.ok()) {
      RenderError(ctx, &*who, res, s.error());
      return;
    }
    if (Status s = CheckRequestUtf8(req); !s.ok()) {
      RenderError(ctx, &*who, res, s.error());
      return;
    }
    // Forms with long text are sent as multipart/form-data (cpp-httplib 0.11 refuses
    // url-encoded bodies over 8 KiB, below our long-text limit): their text parts are the
    // form's parameters, as if url-encoded.
    if (kind == BodyKind::kForm && !req.files.empty()) {
      httplib::Request form = req;
      for (const auto& [name, part] : req.files) {
        if (part.filename.empty()) {
          form.params.emplace(name, part.content);
        }
      }
      fn(*who, form, res);
      return;
    }
    fn(*who, req, res);
  };
}

namespace {

// Places a service error next to its form field (err_<field>) or at the top of the form.
void AddFormError(Data& d, const Error& e, std::initializer_list<std::string_view> fields) {
  for (auto f : fields) {
    if (e.field == f) {
      d.set("err_" + std::string(f), e.message);
      d.set("error", "Please correct the highlighted field.");
      return;
    }
  }
  d.set("error", e.message);
}

std::string OptDateText(const std::optional<Date>& d) {
  return d ? FormatDate(*d) : "";
}

Data ContractData(const registers::ContractSettings& c) {
  Data d;
  d.set("title", c.title);
  if (!c.reference.empty()) {
    d.set("reference", c.reference);
  }
  d.set("customer_name", c.customer_name);
  d.set("provider_name", c.provider_name);
  d.set("effective_date", c.effective_date ? FormatDate(*c.effective_date) : "not set");
  d.set("oscd", c.operational_service_commencement_date
                    ? FormatDate(*c.operational_service_commencement_date)
                    : "not set");
  d.set("division", std::string(DivisionSlug(c.division)));
  Data days{Data::type::list};
  for (const auto& cd : c.closure_days) {
    Data x;
    x.set("date", FormatDate(cd.date));
    x.set("title", cd.title);
    days.push_back(x);
  }
  d.set("closure_days", days);
  return d;
}

// ---- login / logout --------------------------------------------------------------------

void RenderLogin(Context& ctx, httplib::Response& res, const std::string& error,
                 const std::string& username, int status) {
  const std::string token = RandomToken(16);
  res.set_header("Set-Cookie", ctx.CookieHeader(kLoginCsrfCookie, token));
  Data d;
  d.set("login_csrf", token);
  d.set("username_value", username);
  if (!error.empty()) {
    d.set("error", error);
  }
  RenderInLayout(ctx, nullptr, res, "Sign in", "", "login.html", d, status);
}

void LoginPost(Context& ctx, const httplib::Request& req, httplib::Response& res) {
  if (Status s = CheckRequestUtf8(req); !s.ok()) {
    RenderLogin(ctx, res, s.error().message, "", 400);
    return;
  }
  const std::string username = req.get_param_value("username");
  auto cookie = Cookie(req, kLoginCsrfCookie);
  if (!cookie || !ConstantTimeEquals(*cookie, req.get_param_value("csrf_token"))) {
    RenderLogin(ctx, res, "Your sign-in form expired. Please try again.", username, 403);
    return;
  }
  auto session =
      ctx.Svc().accounts.Login(username, req.get_param_value("password"), req.remote_addr);
  if (!session) {
    const bool throttled = session.error().code == ErrorCode::kResourceExhausted;
    RenderLogin(
        ctx, res,
        throttled ? "Too many failed attempts. Try again later." : "Invalid username or password.",
        username, throttled ? 429 : 401);
    return;
  }
  SetLogUser(session->principal.username);
  res.set_header("Set-Cookie", ctx.CookieHeader(kSessionCookie, session->token));
  res.set_header("Set-Cookie", ctx.CookieHeader(kLoginCsrfCookie, "", 0));
  Redirect(res, "/");
}

// ---- dashboard -------------------------------------------------------------------------------

void Dashboard(Context& ctx, const Authn& who, httplib::Response& res) {
  Data d;
  auto contract = ctx.Svc().registers.GetContract(who.principal);
  if (contract) {
    d.set("contract", ContractData(*contract));
  } else {
    d.set("contract_error", contract.error().message);
  }
  const Date today = LondonDate(ctx.Svc().clock.Now());
  d.set("today", FormatDate(today));
  auto cal = ctx.ContractCalendar();
  if (cal) {
    const Calendar& c = **cal;
    d.set("working_day", c.IsWorkingDay(today));
    std::string next = "none found";
    const int year = static_cast<int>(today.year());
    for (int y = year; y <= year + 1 && next == "none found"; ++y) {
      for (const auto& h : c.Holidays(y)) {
        if (std::chrono::sys_days(h.date) >= std::chrono::sys_days(today)) {
          next = FormatDate(h.date) + " — " + h.title;
          break;
        }
      }
    }
    d.set("next_holiday", next);
  } else {
    d.set("working_day", false);
    d.set("next_holiday", "calendar unavailable");
  }
  // Readiness for accreditation (S2.4-5.4, 5.5): only for roles that may read the documents.
  if (auth::RoleMay(who.principal.role, auth::Action::kDocumentRead)) {
    auto readiness = ctx.Svc().reports.CheckReadiness(who.principal);
    if (readiness) {
      Data r;
      const auto complete =
          std::count_if(readiness->items.begin(), readiness->items.end(),
                        [](const reports::ReadinessItem& i) { return i.complete; });
      r.set("complete_count", std::to_string(complete));
      r.set("total", std::to_string(readiness->items.size()));
      r.set("all_complete", readiness->complete);
      Data open{Data::type::list};
      for (const auto& item : readiness->items) {
        if (!item.complete && open.list_value().size() < 5) {
          Data x;
          x.set("clause_id", item.clause_id);
          x.set("title", item.title);
          open.push_back(x);
        }
      }
      r.set("incomplete", open);
      const auto more = static_cast<std::int64_t>(readiness->items.size()) - complete - 5;
      if (more > 0) {
        r.set("more", std::to_string(more));
      } else {
        r.set("more", false);
      }
      d.set("readiness", r);
    }
  }
  AddDashboardObligations(ctx, who, d);  // clocks_ui.cc
  RenderInLayout(ctx, &who, res, "Dashboard", "/", "dashboard.html", d);
}

// ---- users -----------------------------------------------------------------------------------

void UsersPage(Context& ctx, const Authn& who, httplib::Response& res, Data d, int status) {
  auto users = ctx.Svc().accounts.ListUsers(who.principal);
  if (!users) {
    RenderError(ctx, &who, res, users.error());
    return;
  }
  Data list{Data::type::list};
  for (const auto& u : *users) {
    Data x;
    x.set("username", u.username);
    x.set("display_name", u.display_name);
    x.set("role", std::string(auth::RoleName(u.role)));
    x.set("disabled", u.disabled);
    x.set("last_login", u.last_login_at ? FormatHumanLondon(*u.last_login_at) : "never");
    list.push_back(x);
  }
  d.set("users", list);
  const bool can_create = auth::RoleMay(who.principal.role, auth::Action::kUserCreate);
  d.set("can_create", can_create);
  if (can_create) {
    d.set("csrf_token", who.csrf_token);
    std::string selected_role;
    if (d.get("v_role") != nullptr && d.get("v_role")->is_string()) {
      selected_role = d.get("v_role")->string_value();
    }
    Data roles{Data::type::list};
    for (auth::Role r : auth::kAllRoles) {
      Data x;
      x.set("name", std::string(auth::RoleName(r)));
      x.set("selected", auth::RoleName(r) == selected_role);
      roles.push_back(x);
    }
    d.set("roles", roles);
    Data suppliers{Data::type::list};
    auto parties =
        ctx.Svc().registers.ListParties(who.principal, registers::PartyKind::kSubcontractor);
    if (parties) {
      for (const auto& p : *parties) {
        Data x;
        x.set("id", std::to_string(p.id));
        x.set("name", p.name);
        x.set("selected", false);
        suppliers.push_back(x);
      }
    }
    d.set("suppliers", suppliers);
  }
  RenderInLayout(ctx, &who, res, "Users", "/users", "users.html", std::move(d), status);
}

void UsersPost(Context& ctx, const Authn& who, const httplib::Request& req,
               httplib::Response& res) {
  auth::NewUser nu;
  nu.username = req.get_param_value("username");
  nu.display_name = req.get_param_value("display_name");
  nu.email = req.get_param_value("email");
  nu.password = req.get_param_value("password");
  Data d;
  d.set("v_username", nu.username);
  d.set("v_display_name", nu.display_name);
  d.set("v_email", nu.email);
  d.set("v_role", req.get_param_value("role"));
  auto fail = [&](const Error& e) {
    if (e.code == ErrorCode::kPermissionDenied) {
      RenderError(ctx, &who, res, e);
      return;
    }
    AddFormError(d, e, {"username", "display_name", "email", "role", "supplier_id", "password"});
    UsersPage(ctx, who, res, d, HttpStatusFor(e.code));
  };
  auto role = auth::ParseRole(req.get_param_value("role"));
  if (!role) {
    fail(Err(ErrorCode::kInvalidArgument, "choose a role", "role"));
    return;
  }
  nu.role = *role;
  if (auto s = Param(req, "supplier_id")) {
    auto id = ParseInt(*s, "supplier_id");
    if (!id) {
      fail(id.error());
      return;
    }
    nu.supplier_id = *id;
  }
  auto created = ctx.Svc().accounts.CreateUser(who.principal, nu);
  if (!created) {
    fail(created.error());
    return;
  }
  Redirect(res, "/users");
}

// ---- audit -------------------------------------------------------------------------------------

void AuditPage(Context& ctx, const Authn& who, const httplib::Request& req,
               httplib::Response& res) {
  if (Status s = auth::Authorize(who.principal, auth::Action::kAuditRead); !s.ok()) {
    RenderError(ctx, &who, res, s.error());
    return;
  }
  Data d;
  audit::Filter f;
  f.entity_type = Param(req, "entity_type");
  f.actor = Param(req, "actor");
  std::string query;  // filter part of links, "&k=v..."
  auto keep = [&](const char* k, const std::optional<std::string>& v) {
    if (v) {
      d.set(std::string("f_") + k, *v);
      query += std::string("&") + k + "=" + UrlEncode(*v);
    }
  };
  keep("entity_type", f.entity_type);
  keep("actor", f.actor);
  std::string export_query = query;
  for (const char* k : {"from", "to"}) {
    auto v = Param(req, k);
    if (!v) {
      continue;
    }
    auto date = ParseDate(*v, k);
    if (!date) {
      d.set(std::string("err_") + k, date.error().message);
      continue;
    }
    keep(k, v);
    if (std::string_view(k) == "from") {
      f.from = LondonStartOfDay(*date);
    } else {
      f.to = LondonStartOfDay(std::chrono::sys_days(*date) + std::chrono::days(1));
    }
    export_query += std::string("&") + k + "=" +
                    UrlEncode(FormatInstantUtc(std::string_view(k) == "from" ? *f.from : *f.to));
  }
  Page page;
  page.limit = 50;
  if (auto v = Param(req, "offset")) {
    auto off = ParseInt(*v, "offset");
    page.offset = off && *off > 0 ? *off : 0;
  }
  f.limit = page.limit;
  f.offset = page.offset;
  auto conn = ctx.Svc().store.Acquire();
  if (!conn) {
    RenderError(ctx, &who, res, conn.error());
    return;
  }
  auto total = ctx.Svc().audit.Count(**conn, f);
  auto records = ctx.Svc().audit.List(**conn, f);
  if (!total || !records) {
    RenderError(ctx, &who, res, total ? records.error() : total.error());
    return;
  }
  Data list{Data::type::list};
  for (const auto& r : *records) {
    Data x;
    x.set("seq", std::to_string(r.seq));
    x.set("at", FormatInstantUtc(r.at));
    x.set("actor", r.entry.actor);
    x.set("action", r.entry.action);
    x.set("entity_type", r.entry.entity_type);
    x.set("entity_id", r.entry.entity_id);
    x.set("after", r.entry.after_json);
    list.push_back(x);
  }
  d.set("records", list);
  d.set("total", std::to_string(*total));
  d.set("first", std::to_string(records->empty() ? 0 : page.offset + 1));
  d.set("last", std::to_string(page.offset + static_cast<std::int64_t>(records->size())));
  d.set("export_query", export_query);
  if (page.offset > 0) {
    d.set("prev",
          "offset=" + std::to_string(std::max<std::int64_t>(0, page.offset - page.limit)) + query);
  }
  if (page.offset + page.limit < *total) {
    d.set("next", "offset=" + std::to_string(page.offset + page.limit) + query);
  }
  RenderInLayout(ctx, &who, res, "Audit log", "/audit", "audit.html", d);
}

// ---- calendar -----------------------------------------------------------------------------------

void CalendarPage(Context& ctx, const Authn& who, const httplib::Request& req,
                  httplib::Response& res) {
  if (Status s = auth::Authorize(who.principal, auth::Action::kCalendarRead); !s.ok()) {
    RenderError(ctx, &who, res, s.error());
    return;
  }
  auto cal_or = ctx.ContractCalendar();
  if (!cal_or) {
    RenderError(ctx, &who, res, cal_or.error());
    return;
  }
  const Calendar& cal = **cal_or;
  Data d;
  int year = static_cast<int>(LondonDate(ctx.Svc().clock.Now()).year());
  if (auto v = Param(req, "year")) {
    auto y = ParseInt(*v, "year");
    if (y && *y >= 1871 && *y <= 9999) {
      year = static_cast<int>(*y);
    }
  }
  d.set("year", std::to_string(year));
  d.set("division", std::string(DivisionSlug(cal.GetDivision())));
  Data hols{Data::type::list};
  for (const auto& h : cal.Holidays(year)) {
    Data x;
    x.set("date", FormatDate(h.date));
    x.set("title", h.title);
    hols.push_back(x);
  }
  d.set("holidays", hols);

  auto from_text = Param(req, "from");
  auto add_text = Param(req, "add");
  auto to_text = Param(req, "to");
  d.set("v_from", from_text.value_or(""));
  d.set("v_add", add_text.value_or(""));
  d.set("v_to", to_text.value_or(""));
  if (from_text) {
    auto from = ParseDate(*from_text, "from");
    if (!from) {
      d.set("err_from", from.error().message);
    } else if (add_text) {
      auto n = ParseInt(*add_text, "add");
      if (!n || *n < 0 || *n > 10000) {
        d.set("err_add", "enter a whole number from 0 to 10000");
      } else {
        const Date r = cal.AddWorkingDays(*from, static_cast<int>(*n));
        d.set("result", std::to_string(*n) + " Working Days after " + FormatDate(*from) + " is " +
                            FormatDate(r) + ".");
      }
    } else if (to_text) {
      auto to = ParseDate(*to_text, "to");
      if (!to) {
        d.set("err_to", to.error().message);
      } else {
        d.set("result", "There are " + std::to_string(cal.WorkingDaysBetween(*from, *to)) +
                            " Working Days after " + FormatDate(*from) + " up to and including " +
                            FormatDate(*to) + ".");
      }
    } else {
      d.set("err_add", "enter a number of Working Days to add, or a date to count to");
    }
  }
  RenderInLayout(ctx, &who, res, "Calendar", "/calendar", "calendar.html", d);
}

// ---- contract -----------------------------------------------------------------------------------

struct FormField {
  const char* name;
  const char* label;
  const char* type;
};

constexpr FormField kContractForm[] = {
    {"title", "Title", "text"},
    {"reference", "Reference", "text"},
    {"customer_name", "Customer", "text"},
    {"provider_name", "Provider", "text"},
    {"effective_date", "Effective Date", "date"},
    {"operational_service_commencement_date", "Operational Service Commencement Date", "date"}};

void ContractPage(Context& ctx, const Authn& who, httplib::Response& res,
                  const httplib::Request* posted, const Error* error) {
  auto c = ctx.Svc().registers.GetContract(who.principal);
  if (!c) {
    RenderError(ctx, &who, res, c.error());
    return;
  }
  Data d;
  d.set("contract", ContractData(*c));
  const bool can_edit = auth::RoleMay(who.principal.role, auth::Action::kContractUpdate);
  d.set("can_edit", can_edit);
  if (can_edit) {
    d.set("csrf_token", who.csrf_token);
    const std::map<std::string, std::string> current = {
        {"title", c->title},
        {"reference", c->reference},
        {"customer_name", c->customer_name},
        {"provider_name", c->provider_name},
        {"effective_date", OptDateText(c->effective_date)},
        {"operational_service_commencement_date",
         OptDateText(c->operational_service_commencement_date)}};
    Data fields{Data::type::list};
    for (const auto& f : kContractForm) {
      Data x;
      x.set("name", f.name);
      x.set("label", f.label);
      x.set("type", f.type);
      x.set("value", posted != nullptr ? posted->get_param_value(f.name) : current.at(f.name));
      if (error != nullptr && error->field == f.name) {
        x.set("err", error->message);
      }
      fields.push_back(x);
    }
    d.set("fields", fields);
    const std::string division = posted != nullptr ? posted->get_param_value("division")
                                                   : std::string(DivisionSlug(c->division));
    Data divs{Data::type::list};
    for (Division v :
         {Division::kEnglandAndWales, Division::kScotland, Division::kNorthernIreland}) {
      Data x;
      x.set("slug", std::string(DivisionSlug(v)));
      x.set("selected", DivisionSlug(v) == division);
      divs.push_back(x);
    }
    d.set("divisions", divs);
    std::string closures;
    if (posted != nullptr) {
      closures = posted->get_param_value("closure_days");
    } else {
      for (const auto& cd : c->closure_days) {
        closures += FormatDate(cd.date) + " " + cd.title + "\n";
      }
    }
    d.set("v_closure_days", closures);
    if (error != nullptr) {
      const bool in_list = std::any_of(std::begin(kContractForm), std::end(kContractForm),
                                       [&](const FormField& f) { return error->field == f.name; });
      if (error->field == "division" || error->field.rfind("closure_days", 0) == 0) {
        d.set(error->field == "division" ? "err_division" : "err_closure_days", error->message);
        d.set("error", "Please correct the highlighted field.");
      } else if (in_list) {
        d.set("error", "Please correct the highlighted field.");
      } else {
        d.set("error", error->message);
      }
    }
  }
  RenderInLayout(ctx, &who, res, "Contract", "/contract", "contract.html", d,
                 error != nullptr ? HttpStatusFor(error->code) : 200);
}

Result<registers::ContractPatch> ContractPatchFromForm(const httplib::Request& req) {
  registers::ContractPatch p;
  p.title = req.get_param_value("title");
  p.reference = req.get_param_value("reference");
  p.customer_name = req.get_param_value("customer_name");
  p.provider_name = req.get_param_value("provider_name");
  for (auto [name, slot] : {std::pair{"effective_date", &p.effective_date},
                            std::pair{"operational_service_commencement_date",
                                      &p.operational_service_commencement_date}}) {
    const std::string v = req.get_param_value(name);
    if (v.empty()) {
      *slot = std::optional<Date>();
    } else {
      ACC_ASSIGN_OR_RETURN(Date dt, ParseDate(v, name));
      *slot = std::optional<Date>(dt);
    }
  }
  auto division = ParseDivision(req.get_param_value("division"));
  if (!division) {
    return Err(ErrorCode::kInvalidArgument, "choose a calendar division", "division");
  }
  p.division = *division;
  std::vector<registers::ClosureDay> days;
  std::istringstream lines(req.get_param_value("closure_days"));
  std::string line;
  int n = 0;
  while (std::getline(lines, line)) {
    ++n;
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) {
      line.pop_back();
    }
    if (line.empty()) {
      continue;
    }
    const std::string date_text = line.substr(0, line.find(' '));
    auto dt = ParseDate(date_text, "closure_days");
    if (!dt) {
      return Err(ErrorCode::kInvalidArgument,
                 "line " + std::to_string(n) + ": " + dt.error().message, "closure_days");
    }
    std::string title = line.size() > date_text.size() ? line.substr(date_text.size() + 1) : "";
    days.push_back({*dt, title.empty() ? "Closure day" : title});
  }
  p.closure_days = std::move(days);
  return p;
}

// ---- suppliers ----------------------------------------------------------------------------------

constexpr FormField kSupplierForm[] = {{"name", "Name", "text"},
                                       {"company_number", "Company number", "text"},
                                       {"address", "Address", "text"},
                                       {"contact_email", "Contact email", "email"},
                                       {"services", "Services provided", "text"}};

void SuppliersPage(Context& ctx, const Authn& who, httplib::Response& res,
                   const httplib::Request* posted, const Error* error) {
  auto parties =
      ctx.Svc().registers.ListParties(who.principal, registers::PartyKind::kSubcontractor);
  if (!parties) {
    RenderError(ctx, &who, res, parties.error());
    return;
  }
  Data d;
  Data list{Data::type::list};
  for (const auto& p : *parties) {
    Data x;
    x.set("name", p.name);
    x.set("company_number", p.company_number);
    x.set("contact_email", p.contact_email);
    x.set("access", p.access_to_customer_data);
    x.set("services", p.services);
    list.push_back(x);
  }
  d.set("suppliers", list);
  const bool can_create = auth::RoleMay(who.principal.role, auth::Action::kSupplierWrite);
  d.set("can_create", can_create);
  if (can_create) {
    d.set("csrf_token", who.csrf_token);
    Data fields{Data::type::list};
    bool field_error = false;
    for (const auto& f : kSupplierForm) {
      Data x;
      x.set("name", f.name);
      x.set("label", f.label);
      x.set("type", f.type);
      x.set("value", posted != nullptr ? posted->get_param_value(f.name) : "");
      if (error != nullptr && error->field == f.name) {
        x.set("err", error->message);
        field_error = true;
      }
      fields.push_back(x);
    }
    d.set("fields", fields);
    d.set("v_access", posted != nullptr && posted->has_param("access_to_customer_data"));
    if (error != nullptr) {
      d.set("error", field_error ? "Please correct the highlighted field." : error->message);
    }
  }
  RenderInLayout(ctx, &who, res, "Suppliers", "/suppliers", "suppliers.html", d,
                 error != nullptr ? HttpStatusFor(error->code) : 200);
}

}  // namespace

void RegisterUi(httplib::Server& svr, Context& ctx) {
  svr.Get("/login", [&ctx](const httplib::Request& req, httplib::Response& res) {
    if (Cookie(req, kSessionCookie) && ctx.Authenticate(req)) {
      Redirect(res, "/");
      return;
    }
    RenderLogin(ctx, res, "", "", 200);
  });
  svr.Post("/login", [&ctx](const httplib::Request& req, httplib::Response& res) {
    LoginPost(ctx, req, res);
  });
  svr.Post("/logout",
           Ui(ctx, [&ctx](const Authn& who, const httplib::Request&, httplib::Response& res) {
             if (who.via_cookie) {
               (void)ctx.Svc().accounts.Logout(who.session_token);  // best effort; cookie cleared
             }
             res.set_header("Set-Cookie", ctx.CookieHeader(kSessionCookie, "", 0));
             Redirect(res, "/login");
           }));
  svr.Get("/", Ui(ctx, [&ctx](const Authn& who, const httplib::Request&, httplib::Response& res) {
            Dashboard(ctx, who, res);
          }));
  svr.Get("/users",
          Ui(ctx, [&ctx](const Authn& who, const httplib::Request&, httplib::Response& res) {
            UsersPage(ctx, who, res, Data(), 200);
          }));
  svr.Post("/users", Ui(ctx, [&ctx](const Authn& who, const httplib::Request& req,
                                    httplib::Response& res) { UsersPost(ctx, who, req, res); }));
  svr.Get("/audit", Ui(ctx, [&ctx](const Authn& who, const httplib::Request& req,
                                   httplib::Response& res) { AuditPage(ctx, who, req, res); }));
  svr.Get("/calendar",
          Ui(ctx, [&ctx](const Authn& who, const httplib::Request& req, httplib::Response& res) {
            CalendarPage(ctx, who, req, res);
          }));
  svr.Get("/contract",
          Ui(ctx, [&ctx](const Authn& who, const httplib::Request&, httplib::Response& res) {
            ContractPage(ctx, who, res, nullptr, nullptr);
          }));
  svr.Post("/contract",
           Ui(ctx, [&ctx](const Authn& who, const httplib::Request& req, httplib::Response& res) {
             auto patch = ContractPatchFromForm(req);
             Result<registers::ContractSettings> updated =
                 patch ? ctx.Svc().registers.UpdateContract(who.principal, *patch)
                       : Result<registers::ContractSettings>(patch.error());
             if (!updated) {
               if (updated.error().code == ErrorCode::kPermissionDenied) {
                 RenderError(ctx, &who, res, updated.error());
                 return;
               }
               ContractPage(ctx, who, res, &req, &updated.error());
               return;
             }
             ctx.InvalidateCalendar();
             Redirect(res, "/contract");
           }));
  svr.Get("/suppliers",
          Ui(ctx, [&ctx](const Authn& who, const httplib::Request&, httplib::Response& res) {
            SuppliersPage(ctx, who, res, nullptr, nullptr);
          }));
  svr.Post("/suppliers",
           Ui(ctx, [&ctx](const Authn& who, const httplib::Request& req, httplib::Response& res) {
             registers::Party p;
             p.kind = registers::PartyKind::kSubcontractor;
             p.name = req.get_param_value("name");
             p.company_number = req.get_param_value("company_number");
             p.address = req.get_param_value("address");
             p.contact_email = req.get_param_value("contact_email");
             p.services = req.get_param_value("services");
             p.access_to_customer_data = req.has_param("access_to_customer_data");
             auto created = ctx.Svc().registers.CreateParty(who.principal, p);
             if (!created) {
               if (created.error().code == ErrorCode::kPermissionDenied) {
                 RenderError(ctx, &who, res, created.error());
                 return;
               }
               SuppliersPage(ctx, who, res, &req, &created.error());
               return;
             }
             Redirect(res, "/suppliers");
           }));
}

}  // namespace accredit::http::internal
