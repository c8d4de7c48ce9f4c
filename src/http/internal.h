#pragma once

// Internal to the http module: the per-server context shared by the API and UI handlers, the
// strict JSON request decoder, pagination, cookies and the Mustache template cache.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <initializer_list>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "catalog/catalog.h"
#include "clocks/clocks.h"
#include "docs/docs.h"
#include "http/document_cache.h"
#include "http/http.h"
#include "reports/reports.h"

#include <kainjow/mustache.hpp>

namespace accredit::http::internal {

inline constexpr std::string_view kSessionCookie = "accredit_session";
inline constexpr std::string_view kLoginCsrfCookie = "accredit_login_csrf";

// ---- JSON requests and responses ---------------------------------------------------------

enum class JsonType {
  kString,
  kInteger,
  kBoolean,
  kNullableString,
  kNullableInteger,
  kArray,
  kNullableBoolean,
  kNullableArray,
};
std::string_view JsonTypeName(JsonType t);

struct FieldSpec {
  std::string_view name;
  JsonType type = JsonType::kString;
  bool required = false;
};

// Parses `body` as a JSON object whose members are all in `fields`, of the declared types, with
// every required member present. Errors (kInvalidArgument): malformed JSON ("malformed JSON at
// byte N", field "body"), not an object (field "body"), unknown member (field = its name), wrong
// type (field = its name, message names the expected type), missing required member.
Result<nlohmann::json> DecodeJsonObject(std::string_view body, std::span<const FieldSpec> fields);

// {"error": {"code", "message", "field"}} with the status from HttpStatusFor.
void WriteError(httplib::Response& res, const Error& error);
// The same body with an explicit status (413 for oversized bodies and files, which the one
// code mapping gives as 429).
void WriteError(httplib::Response& res, const Error& error, int status);
void WriteJson(httplib::Response& res, const nlohmann::json& body, int status = 200);

// ---- Query parameters ------------------------------------------------------------------

struct Page {
  int limit = 50;
  std::int64_t offset = 0;
};

// ?limit (1..500, default 50) & offset (>= 0, default 0). Errors name the parameter.
Result<Page> ParsePage(const httplib::Request& req);
Result<std::int64_t> ParseInt(std::string_view text, std::string_view field);
// The parameter's value, or nullopt when absent or empty.
std::optional<std::string> Param(const httplib::Request& req, const std::string& name);

// ---- Cookies and secrets -----------------------------------------------------------------

std::optional<std::string> Cookie(const httplib::Request& req, std::string_view name);
std::string RandomToken(std::size_t bytes = 32);  // hex
bool ConstantTimeEquals(std::string_view a, std::string_view b);

// ---- Templates -----------------------------------------------------------------------------

using Data = kainjow::mustache::data;

// Templates parsed once at start-up. Rendering is serialised per template because kainjow's
// render() is not const. Thread-safe.
class Templates {
 public:
  // Parses every templates/*.html asset. Errors: kInternal naming the template.
  static Result<std::unique_ptr<Templates>> Load();
  // Renders `name` ("users.html"). REQUIRES: the template exists (programmer error otherwise).
  std::string Render(const std::string& name, const Data& data) const;

 private:
  // kainjow's render() mutates the template object, so one parsed instance serves one render
  // at a time. Each template keeps a pool of parsed instances: a render takes a free one (or
  // parses another from `source` when all are busy) and returns it afterwards, so concurrent
  // requests never queue behind one lock. The pool grows to the peak concurrency.
  struct Entry {
    std::string source;
    Mutex mu;
    std::vector<std::unique_ptr<kainjow::mustache::mustache>> free ACC_GUARDED_BY(mu);
  };

  std::map<std::string, std::unique_ptr<Entry>> entries_;
};

// ---- The request context --------------------------------------------------------------------

// Who made the request and how.
struct Authn {
  auth::Principal principal;
  bool via_cookie = false;
  std::string session_token;  // cookie-authenticated only
  std::string csrf_token;     // cookie-authenticated only
};

// Shared by every handler. Thread-safe.
class Context {
 public:
  // `scratch_base`: the directory under which private scratch directories are made (the system
  // temporary directory, resolved once at start-up so no handler reads the environment).
  Context(Services services, ServerOptions options, std::unique_ptr<Templates> templates,
          std::filesystem::path scratch_base);

  Services& Svc() { return services_; }

  const ServerOptions& Options() const { return options_; }

  const Templates& Tmpl() const { return *templates_; }

  bool Tls() const { return options_.tls_cert_pem.has_value(); }

  const std::filesystem::path& ScratchBase() const { return scratch_base_; }

  // Bearer API token or session cookie. kUnauthenticated when neither is valid.
  Result<Authn> Authenticate(const httplib::Request& req);
  // For cookie-authenticated state-changing requests: the session's CSRF token must be in the
  // "X-CSRF-Token" header or the "csrf_token" form field. kPermissionDenied otherwise.
  static Status CheckCsrf(const Authn& who, const httplib::Request& req);

  // The contract's calendar, cached briefly (it changes only when the contract does).
  Result<std::shared_ptr<const Calendar>> ContractCalendar();
  void InvalidateCalendar();

  std::string CookieHeader(std::string_view name, std::string_view value,
                           std::optional<int> max_age = std::nullopt) const;

  // Generated documents: bounded concurrent builds, single flight, a few kept (issue 8).
  DocumentCache& Documents() { return documents_; }

 private:
  DocumentCache documents_{2, 8};
  Services services_;
  ServerOptions options_;
  std::unique_ptr<Templates> templates_;
  std::filesystem::path scratch_base_;
  Mutex calendar_mu_;
  // shared_ptr: readers keep the calendar alive while the cache is replaced.
  std::shared_ptr<const Calendar> calendar_ ACC_GUARDED_BY(calendar_mu_);
  std::chrono::steady_clock::time_point calendar_loaded_ ACC_GUARDED_BY(calendar_mu_);
};

// Records the acting user for the access log line of the current request (thread-local: one
// request is handled entirely on one pool thread).
void SetLogUser(std::string_view username);

// Registers the JSON API (/api/v1/...) and the HTML UI routes.
void RegisterApi(httplib::Server& svr, Context& ctx);
void RegisterUi(httplib::Server& svr, Context& ctx);
// The generic register API (/api/v1/registers, /api/v1/r/..., links, evidence) and pages
// (/registers, /r/..., /evidence/new), generic over registers::RegisterService::Defs().
void RegisterRegisterApi(httplib::Server& svr, Context& ctx);
void RegisterRegisterUi(httplib::Server& svr, Context& ctx);

// ---- Generic registers (registers_api.cc) ------------------------------------------------

// Whether the register is offered to `who` at all (its read action, and for subcontractors only
// supplier-scoped registers) and whether write controls are (its write action). The service
// decides every request; these only shape what is shown.
bool MayRead(const auth::Principal& who, const registers::RegisterDef& def);
bool MayWrite(const auth::Principal& who, const registers::RegisterDef& def);
// The register named `name` (its plural slug). kNotFound naming "register" otherwise.
Result<const registers::RegisterDef*> FindRegister(std::string_view name);
// List parameters: filterable fields as `field=value`, q, sort, limit, offset. kStrict (API):
// unknown parameters and bad values are kInvalidArgument naming the parameter; kLenient (pages):
// they are ignored and the page size is the default.
enum class QueryMode { kStrict, kLenient };
Result<registers::ListQuery> ListQueryFromRequest(const registers::RegisterDef& def,
                                                  const httplib::Request& req, QueryMode mode);
// Labels (the register's label_field, a party's name) of the records `ids` of register `reg`
// that `who` may read (RegisterService::Labels). Missing and unreadable ids are absent from the
// map; errors yield an empty map.
std::map<std::int64_t, std::string> LoadLabels(Context& ctx, const Authn& who, std::string_view reg,
                                               const std::set<std::int64_t>& ids);
std::string RecordLabel(const registers::RegisterDef& def, const nlohmann::json& record);
nlohmann::json LinkJson(const registers::Link& link);
// The Content-Type an evidence file is served with: the declared type when it is one of
// application/pdf, image/png, image/jpeg, text/plain; application/octet-stream otherwise.
std::string SafeContentType(std::string_view declared);
// `attachment; filename="<ascii>"; filename*=UTF-8''<percent-encoded>`.
std::string AttachmentDisposition(std::string_view filename);
// Creates an evidence record from a multipart/form-data request: part "file" plus text parts
// (title, description, ...) as record fields.
Result<nlohmann::json> CreateEvidenceFromMultipart(Context& ctx, const Authn& who,
                                                   const httplib::Request& req);

// Whether the request's body fits `limit` (requests are admitted up to the larger upload
// limit; JSON and form handlers enforce the smaller one themselves).
bool BodyWithin(const httplib::Request& req, std::size_t limit);
// The request's text at the edge: every query and form parameter (name and value), every
// multipart part name and file name, and every text part must be UTF-8. kInvalidArgument naming
// the parameter and the byte offset otherwise. JSON bodies are checked by DecodeJsonObject.
Status CheckRequestUtf8(const httplib::Request& req);
// The request body too large for its route: 413, field `field` ("body", or "file" for uploads).
Error TooLarge(std::string_view field);

// ---- Generated documents (documents_api.cc, documents_ui.cc) -----------------------------

// The RMD, its issued versions and comparison, the compliance matrix, the Statement of
// Applicability, the readiness check and the catalogues, as API endpoints and pages. The
// reports service authorises every call (document.read / document.issue).
void RegisterDocumentsApi(httplib::Server& svr, Context& ctx);
// Obligations and the processing gate (issue 4): /api/v1/obligations, /api/v1/gate.
void RegisterClocksApi(httplib::Server& svr, Context& ctx);
// Rejects query parameters other than `allowed` (strict API decoding): kInvalidArgument naming
// the parameter.
Status OnlyParams(const httplib::Request& req, std::initializer_list<std::string_view> allowed);
// state, overdue, open, customer, due_within, clause from the query (shared by API and pages).
Result<clocks::Filter> ObligationFilterFromQuery(const httplib::Request& req);
// Obligations and the processing gate are contract-wide: every role with dashboard.read may
// read them except the subcontractor, whose view is scoped to its own supplier (S2.4-A1-5.2).
// kPermissionDenied otherwise. Used by the API, the pages and the dashboard (clocks_ui.cc).
Status AuthorizeObligations(const auth::Principal& who);

// Which obligations `who` may see: those about a record of a register (or the contract, a
// document, a supplier) that the role may read, so that obligations never carry register
// content to a role that may not read it (the vetting officer, say). One set look-up per
// obligation, none at all for roles that read everything.
class ObligationScope {
 public:
  explicit ObligationScope(const auth::Principal& who);

  bool All() const { return all_; }

  bool operator()(const clocks::Obligation& o) const { return Sees(o.subject); }

  bool Sees(const clocks::Subject& s) const { return all_ || readable_.contains(s.reg); }

  // The gate as this reader may see it: the answer is contract-wide, reasons about records the
  // reader may not read are left out (`hidden` counts them).
  clocks::Gate Visible(const clocks::Gate& gate, std::int64_t& hidden) const;

 private:
  bool all_ = true;
  std::set<std::string, std::less<>> readable_;
};

// The obligations part of the dashboard (gate, counts, overdue and due-soon lists, per-clause
// table, timeline, the customer reviewer's "Awaiting your decision") added to `d`; nothing but
// `obligations_hidden` for a role that may not read obligations.
void AddDashboardObligations(Context& ctx, const Authn& who, Data& d);
// The obligations page: /obligations (filters, evaluation at any instant, paginated table).
void RegisterClocksUi(httplib::Server& svr, Context& ctx);
// The per-user iCalendar feed /calendar/<token>.ics, its page /calendar-feed and
// /api/v1/me/calendar-feed (calendar_feed.cc).
void RegisterCalendarFeed(httplib::Server& svr, Context& ctx);
// The request path as the access log may show it: feed tokens replaced by "<redacted>".
std::string RedactSecretPath(const std::string& path);
void RegisterDocumentsUi(httplib::Server& svr, Context& ctx);

// A generated file ready to send.
struct Download {
  std::string body;
  std::string content_type;
  std::string filename;  // ASCII, e.g. "rmd-v3.docx"
};

enum class DocFormat { kHtml, kMarkdown, kDocx };
enum class SheetFormat { kXlsx, kCsv };
// "html", "md" (or "markdown"), "docx"; kInvalidArgument naming `field` otherwise.
Result<DocFormat> ParseDocFormat(std::string_view text, std::string_view field);
// "xlsx", "csv"; kInvalidArgument naming `field` otherwise.
Result<SheetFormat> ParseSheetFormat(std::string_view text, std::string_view field);
// Renders a document as `basename`.<ext> with its Content-Type.
Result<Download> RenderDocument(const docs::Document& doc, DocFormat format,
                                std::string_view basename);
// Renders a workbook (XLSX: the whole workbook through a private scratch directory that is
// removed again; CSV: sheet `csv_sheet`) as `basename`.<ext>.
Result<Download> RenderWorkbook(Context& ctx, const docs::Workbook& book, SheetFormat format,
                                std::size_t csv_sheet, std::string_view basename);
// Sends `d`: kAttachment sets Content-Disposition attachment (a download), kInline sends the raw
// content. Standalone HTML gets kDocumentCsp, which lets its embedded print styles apply and
// forbids everything else (no scripts, no network).
enum class Disposition { kAttachment, kInline };
void SendDocument(httplib::Response& res, const Download& d, Disposition disposition);
// The RMD (the current draft, or the issued `version`) as `format`, through the context's
// document cache: authorised (document.read) first, then built at most once per state of the
// data (issued versions are immutable: once). Errors: the reports module's.
Result<std::shared_ptr<const Download>> CachedRmd(Context& ctx, const Authn& who,
                                                  std::optional<std::int64_t> version,
                                                  DocFormat format);
// The CSP for standalone document HTML (styles inline, nothing else).
inline constexpr const char* kDocumentCsp =
    "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; "
    "form-action 'none'";

// ---- Shared API helpers (api.cc) -----------------------------------------------------------

using ApiFn = std::function<Status(const Authn&, const httplib::Request&, httplib::Response&)>;
enum class BodyKind { kForm, kUpload };  // kForm bodies: at most ServerOptions::max_body_bytes

// Authenticates (bearer or cookie), checks CSRF on writes and the body limit for `kind`, runs
// `fn` and writes any error it returns in the one error shape.
httplib::Server::Handler Api(Context& ctx, ApiFn fn, BodyKind kind = BodyKind::kForm);

// ---- Shared UI helpers (ui.cc) ------------------------------------------------------------

using PageFn = std::function<void(const Authn&, const httplib::Request&, httplib::Response&)>;

// Authenticates (redirect to /login otherwise), checks CSRF on writes and enforces the form
// body limit (ServerOptions::max_body_bytes) for kForm routes.
httplib::Server::Handler Ui(Context& ctx, PageFn fn, BodyKind kind = BodyKind::kForm);
// Renders `tmpl` with `data` inside layout.html (navigation for `who`, if any).
void RenderInLayout(Context& ctx, const Authn* who, httplib::Response& res,
                    const std::string& title, const std::string& active, const std::string& tmpl,
                    Data data, int status = 200);
void RenderError(Context& ctx, const Authn* who, httplib::Response& res, const Error& e);
void Redirect(httplib::Response& res, const std::string& to);
std::string UrlEncode(std::string_view s);

// Shared by API and UI handlers.
nlohmann::json UserJson(const auth::User& u);
// entity_type, entity_id, actor, action, from, to (ISO instants or dates) from the query.
Result<audit::Filter> AuditFilterFromQuery(const httplib::Request& req);
// A decoded PATCH /api/v1/contract body (DecodeJsonObject already checked member types).
Result<registers::ContractPatch> ContractPatchFromJson(const nlohmann::json& body);

}  // namespace accredit::http::internal
