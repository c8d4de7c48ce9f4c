// The generated documents over the REST API (issue 3): the RMD (HTML, Markdown, DOCX), issued
// RMD versions and their comparison, the readiness check, the compliance matrix and the
// Statement of Applicability (XLSX, CSV, JSON), and the built-in catalogues. Also the shared
// rendering helpers the document pages use (formats, content types, the private scratch
// directory for XLSX).

#include <stdlib.h>  // mkdtemp

#include <algorithm>
#include <cstdio>
#include <system_error>
#include <utility>

#include "http/internal.h"

namespace accredit::http::internal {

// Rejects query parameters other than `allowed` (strict API decoding).
Status OnlyParams(const httplib::Request& req, std::initializer_list<std::string_view> allowed) {
  for (const auto& [key, value] : req.params) {
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      return Err(ErrorCode::kInvalidArgument, "unknown parameter \"" + key + "\"", key);
    }
  }
  return Status::Ok();
}

using nlohmann::json;

namespace {

constexpr const char* kDocxType =
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
constexpr const char* kXlsxType =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

// A private directory (mode 0700, unpredictable name from mkdtemp) removed with everything in it
// when the object goes. Move-only.
class ScratchDir {
 public:
  static Result<ScratchDir> Create(const std::filesystem::path& base) {
    std::string tmpl = (base / "accredit-scratch-XXXXXX").string();
    if (mkdtemp(tmpl.data()) == nullptr) {
      return Err(ErrorCode::kInternal, "cannot create a scratch directory", "", tmpl);
    }
    return ScratchDir(std::filesystem::path(tmpl));
  }

  ScratchDir(ScratchDir&& other) noexcept : path_(std::exchange(other.path_, {})) {}

  ScratchDir& operator=(ScratchDir&&) = delete;
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  ~ScratchDir() {
    if (!path_.empty()) {
      std::error_code ec;  // best effort; never throws
      std::filesystem::remove_all(path_, ec);
    }
  }

  const std::filesystem::path& Path() const { return path_; }

 private:
  explicit ScratchDir(std::filesystem::path path) : path_(std::move(path)) {}

  std::filesystem::path path_;
};

}  // namespace

Result<DocFormat> ParseDocFormat(std::string_view text, std::string_view field) {
  if (text == "html") {
    return DocFormat::kHtml;
  }
  if (text == "md" || text == "markdown") {
    return DocFormat::kMarkdown;
  }
  if (text == "docx") {
    return DocFormat::kDocx;
  }
  return Err(ErrorCode::kInvalidArgument, "format must be html, md or docx", std::string(field));
}

Result<SheetFormat> ParseSheetFormat(std::string_view text, std::string_view field) {
  if (text == "xlsx") {
    return SheetFormat::kXlsx;
  }
  if (text == "csv") {
    return SheetFormat::kCsv;
  }
  return Err(ErrorCode::kInvalidArgument, "format must be xlsx or csv", std::string(field));
}

Result<Download> RenderDocument(const docs::Document& doc, DocFormat format,
                                std::string_view basename) {
  Download d;
  switch (format) {
    case DocFormat::kHtml: {
      ACC_ASSIGN_OR_RETURN(d.body, docs::RenderHtml(doc));
      d.content_type = "text/html; charset=utf-8";
      d.filename = std::string(basename) + ".html";
      break;
    }
    case DocFormat::kMarkdown: {
      ACC_ASSIGN_OR_RETURN(d.body, docs::RenderMarkdown(doc));
      d.content_type = "text/markdown; charset=utf-8";
      d.filename = std::string(basename) + ".md";
      break;
    }
    case DocFormat::kDocx: {
      ACC_ASSIGN_OR_RETURN(d.body, docs::DocxBytes(doc));
      d.content_type = kDocxType;
      d.filename = std::string(basename) + ".docx";
      break;
    }
  }
  return d;
}

Result<Download> RenderWorkbook(Context& ctx, const docs::Workbook& book, SheetFormat format,
                                std::size_t csv_sheet, std::string_view basename) {
  Download d;
  if (format == SheetFormat::kCsv) {
    if (csv_sheet >= book.sheets.size()) {
      return Err(ErrorCode::kInvalidArgument, "no such sheet", "sheet");
    }
    ACC_ASSIGN_OR_RETURN(d.body, docs::RenderCsv(book.sheets[csv_sheet]));
    d.content_type = "text/csv; charset=utf-8";
    d.filename = std::string(basename) + ".csv";
    return d;
  }
  // libxlsxwriter writes files only: a private directory per request, removed on return.
  ACC_ASSIGN_OR_RETURN(ScratchDir scratch, ScratchDir::Create(ctx.ScratchBase()));
  ACC_ASSIGN_OR_RETURN(d.body, docs::XlsxBytes(book, scratch.Path()));
  d.content_type = kXlsxType;
  d.filename = std::string(basename) + ".xlsx";
  return d;
}

void SendDocument(httplib::Response& res, const Download& d, Disposition disposition) {
  if (disposition == Disposition::kAttachment) {
    res.set_header("Content-Disposition", AttachmentDisposition(d.filename));
  }
  if (d.content_type.rfind("text/html", 0) == 0) {
    res.set_header("Content-Security-Policy", kDocumentCsp);
  }
  res.status = 200;
  res.set_content(d.body, d.content_type);
}

namespace {

json VersionJson(const reports::RmdVersionInfo& v) {
  return {{"version", v.version},
          {"issued_at", v.issued_at},
          {"issued_by", v.issued_by},
          {"note", v.note},
          {"sha256", v.sha256}};
}

json DiffJson(const std::vector<docs::SectionDiff>& diffs) {
  json sections = json::array();
  int changed = 0;
  for (const auto& s : diffs) {
    if (s.status != docs::DiffStatus::kUnchanged) {
      ++changed;
    }
    sections.push_back({{"heading", s.heading},
                        {"anchor", s.anchor},
                        {"status", std::string(docs::DiffStatusName(s.status))},
                        {"lines", s.lines}});
  }
  return {{"sections", std::move(sections)}, {"changed", changed}};
}

json WorkbookJson(const docs::Workbook& book) {
  json sheets = json::array();
  for (const auto& sheet : book.sheets) {
    json columns = json::array();
    for (const auto& c : sheet.columns) {
      columns.push_back(c.header);
    }
    json rows = json::array();
    for (std::size_t r = 0; r < sheet.rows.size(); ++r) {
      json cells = json::array();
      for (const auto& cell : sheet.rows[r]) {
        if (cell.kind == docs::CellKind::kNumber) {
          cells.push_back(cell.number);
        } else {
          cells.push_back(cell.text);
        }
      }
      const docs::RowStyle style =
          r < sheet.row_styles.size() ? sheet.row_styles[r] : docs::RowStyle::kNormal;
      rows.push_back(
          {{"cells", std::move(cells)}, {"style", std::string(docs::RowStyleName(style))}});
    }
    sheets.push_back(
        {{"name", sheet.name}, {"columns", std::move(columns)}, {"rows", std::move(rows)}});
  }
  return {{"title", book.title}, {"sheets", std::move(sheets)}};
}

Result<std::int64_t> RequiredInt(const httplib::Request& req, const std::string& name) {
  auto v = Param(req, name);
  if (!v) {
    return Err(ErrorCode::kInvalidArgument, name + " is required", name);
  }
  return ParseInt(*v, name);
}

// ?format= for sheets: xlsx (default), csv or json; ?sheet= picks the CSV sheet by index.
Status SendWorkbook(Context& ctx, const httplib::Request& req, httplib::Response& res,
                    const docs::Workbook& book, std::string_view basename,
                    std::size_t default_sheet) {
  const std::string format = Param(req, "format").value_or("xlsx");
  if (format == "json") {
    WriteJson(res, WorkbookJson(book));
    return Status::Ok();
  }
  ACC_ASSIGN_OR_RETURN(SheetFormat f, ParseSheetFormat(format, "format"));
  std::size_t sheet = default_sheet;
  if (auto v = Param(req, "sheet")) {
    ACC_ASSIGN_OR_RETURN(std::int64_t n, ParseInt(*v, "sheet"));
    if (n < 0 || static_cast<std::size_t>(n) >= book.sheets.size()) {
      return Err(ErrorCode::kInvalidArgument,
                 "sheet must be between 0 and " + std::to_string(book.sheets.size() - 1), "sheet");
    }
    sheet = static_cast<std::size_t>(n);
  }
  ACC_ASSIGN_OR_RETURN(Download d, RenderWorkbook(ctx, book, f, sheet, basename));
  SendDocument(res, d, Disposition::kAttachment);
  return Status::Ok();
}

json ClauseJson(const catalog::Clause& c) {
  return {{"id", c.id},
          {"parent", c.parent.empty() ? json(nullptr) : json(c.parent)},
          {"title", c.title},
          {"kind", std::string(catalog::ClauseKindName(c.kind))},
          {"deadline", c.deadline},
          {"consequence", c.consequence}};
}

json ControlJson(const catalog::Control& c) {
  json out = {{"id", c.id}, {"title", c.title}};
  auto opt = [&out](const char* key, const std::string& v) {
    out[key] = v.empty() ? json(nullptr) : json(v);
  };
  opt("group", c.group);
  opt("group_title", c.group_title);
  opt("parent", c.parent);
  opt("annex_ref", c.annex_ref);
  if (c.catalogue == catalog::kIso2022) {
    out["new_in_2022"] = c.new_in_2022;
  }
  return out;
}

json CatalogueJson(const catalog::CatalogueInfo& info) {
  return {{"id", info.id},
          {"kind", info.kind},
          {"title", info.title},
          {"count", info.count},
          {"source_repository", info.source_repository},
          {"source_path", info.source_path},
          {"source_commit", info.source_commit},
          {"licence", info.licence},
          {"attribution", info.attribution}};
}

const catalog::CatalogueInfo* FindCatalogue(const catalog::Catalog& cat, std::string_view id) {
  for (const auto& info : cat.Catalogues()) {
    if (info.id == id) {
      return &info;
    }
  }
  return nullptr;
}

constexpr FieldSpec kIssueFields[] = {{"note", JsonType::kString, false}};

}  // namespace

Result<std::shared_ptr<const Download>> CachedRmd(Context& ctx, const Authn& who,
                                                  std::optional<std::int64_t> version,
                                                  DocFormat format) {
  ACC_RETURN_IF_ERROR(auth::Authorize(who.principal, auth::Action::kDocumentRead));
  const auth::Principal& p = who.principal;
  // Who asks (role and supplier) is part of the key, so a cached build is never served to a
  // reader it was not built for.
  std::string key = "rmd/" + std::to_string(static_cast<int>(format)) + "/" +
                    std::string(auth::RoleName(p.role)) + "/" +
                    std::to_string(p.supplier_id.value_or(0)) + "/";
  if (version) {
    key += "v" + std::to_string(*version);  // an issued version never changes
  } else {
    // The draft reads the registers as they are now: every change appends to the audit log,
    // so its head names the data's state; the London date covers values derived from today.
    ACC_ASSIGN_OR_RETURN(auto conn, ctx.Svc().store.Acquire());
    audit::Filter newest;
    newest.limit = 1;
    ACC_ASSIGN_OR_RETURN(auto head, ctx.Svc().audit.List(*conn, newest));
    key += head.empty() ? "empty" : std::to_string(head[0].seq) + ":" + head[0].hash_hex;
    key += "/" + FormatDate(LondonDate(ctx.Svc().clock.Now()));
  }
  return ctx.Documents().Get(key, [&]() -> Result<Download> {
    // One line per build (builds are rare: one per state of the data), for the operator.
    std::fprintf(stderr, "accredit: documents: building the RMD %s as %s\n",
                 version ? ("version " + std::to_string(*version)).c_str() : "draft",
                 format == DocFormat::kDocx   ? "DOCX"
                 : format == DocFormat::kHtml ? "HTML"
                                              : "Markdown");
    ACC_ASSIGN_OR_RETURN(docs::Document doc, version ? ctx.Svc().reports.RmdVersion(p, *version)
                                                     : ctx.Svc().reports.BuildRmd(p));
    return RenderDocument(doc, format, version ? "rmd-v" + std::to_string(*version) : "rmd-draft");
  });
}

void RegisterDocumentsApi(httplib::Server& svr, Context& ctx) {
  // ---- the current RMD
  auto current_rmd = [&ctx](const Authn& who, const httplib::Request& req, httplib::Response& res,
                            std::optional<DocFormat> fixed) -> Status {
    ACC_RETURN_IF_ERROR(OnlyParams(req, {"format"}));
    DocFormat f = DocFormat::kHtml;
    if (fixed) {
      f = *fixed;
    } else if (auto v = Param(req, "format")) {
      ACC_ASSIGN_OR_RETURN(f, ParseDocFormat(*v, "format"));
    }
    ACC_ASSIGN_OR_RETURN(auto d, CachedRmd(ctx, who, std::nullopt, f));
    SendDocument(res, *d, f == DocFormat::kDocx ? Disposition::kAttachment : Disposition::kInline);
    return Status::Ok();
  };
  svr.Get("/api/v1/rmd", Api(ctx, [current_rmd](const Authn& who, const httplib::Request& req,
                                                httplib::Response& res) {
            return current_rmd(who, req, res, std::nullopt);
          }));
  svr.Get("/api/v1/rmd.docx", Api(ctx, [current_rmd](const Authn& who, const httplib::Request& req,
                                                     httplib::Response& res) {
            return current_rmd(who, req, res, DocFormat::kDocx);
          }));

  // ---- issued versions
  svr.Get(
      "/api/v1/rmd/versions",
      Api(ctx,
          [&ctx](const Authn& who, const httplib::Request& req, httplib::Response& res) -> Status {
            ACC_RETURN_IF_ERROR(OnlyParams(req, {"limit", "offset"}));
            ACC_ASSIGN_OR_RETURN(Page page, ParsePage(req));
            ACC_ASSIGN_OR_RETURN(auto versions, ctx.Svc().reports.ListRmdVersions(who.principal));
            json items = json::array();
            const auto total = static_cast<std::int64_t>(versions.size());
            for (std::int64_t i = page.offset; i < total && i < page.offset + page.limit; ++i) {
              items.push_back(VersionJson(versions[static_cast<std::size_t>(i)]));
            }
            WriteJson(res, {{"items", std::move(items)},
                            {"total", total},
                            {"limit", page.limit},
                            {"offset", page.offset}});
            return Status::Ok();
          }));
  svr.Post(
      "/api/v1/rmd/versions",
      Api(ctx,
          [&ctx](const Authn& who, const httplib::Request& req, httplib::Response& res) -> Status {
            ACC_RETURN_IF_ERROR(auth::Authorize(who.principal, auth::Action::kDocumentIssue));
            std::string note;
            if (!req.body.empty()) {
              ACC_ASSIGN_OR_RETURN(json body, DecodeJsonObject(req.body, kIssueFields));
              note = body.value("note", std::string());
            }
            ACC_ASSIGN_OR_RETURN(auto v, ctx.Svc().reports.IssueRmd(who.principal, note));
            res.set_header("Location", "/api/v1/rmd/versions/" + std::to_string(v.version));
            WriteJson(res, VersionJson(v), 201);
            return Status::Ok();
          }));
  svr.Get(
      R"(/api/v1/rmd/versions/(\d+))",
      Api(ctx,
          [&ctx](const Authn& who, const httplib::Request& req, httplib::Response& res) -> Status {
            ACC_RETURN_IF_ERROR(OnlyParams(req, {"format"}));
            ACC_ASSIGN_OR_RETURN(std::int64_t n, ParseInt(req.matches[1].str(), "version"));
            auto format = Param(req, "format");
            if (!format || *format == "json") {
              ACC_ASSIGN_OR_RETURN(auto versions, ctx.Svc().reports.ListRmdVersions(who.principal));
              for (const auto& v : versions) {
                if (v.version == n) {
                  WriteJson(res, VersionJson(v));
                  return Status::Ok();
                }
              }
              return Err(ErrorCode::kNotFound, "no such RMD version", "version");
            }
            ACC_ASSIGN_OR_RETURN(DocFormat f, ParseDocFormat(*format, "format"));
            ACC_ASSIGN_OR_RETURN(docs::Document doc,
                                 ctx.Svc().reports.RmdVersion(who.principal, n));
            ACC_ASSIGN_OR_RETURN(Download d, RenderDocument(doc, f, "rmd-v" + std::to_string(n)));
            SendDocument(res, d,
                         f == DocFormat::kDocx ? Disposition::kAttachment : Disposition::kInline);
            return Status::Ok();
          }));
  svr.Get(
      "/api/v1/rmd/diff",
      Api(ctx,
          [&ctx](const Authn& who, const httplib::Request& req, httplib::Response& res) -> Status {
            ACC_RETURN_IF_ERROR(OnlyParams(req, {"a", "b"}));
            ACC_ASSIGN_OR_RETURN(std::int64_t a, RequiredInt(req, "a"));
            ACC_ASSIGN_OR_RETURN(std::int64_t b, RequiredInt(req, "b"));
            ACC_ASSIGN_OR_RETURN(auto diffs, ctx.Svc().reports.DiffRmd(who.principal, a, b));
            json out = DiffJson(diffs);
            out["a"] = a;
            out["b"] = b;
            WriteJson(res, out);
            return Status::Ok();
          }));

  // ---- readiness, matrix, SoA
  svr.Get(
      "/api/v1/readiness",
      Api(ctx,
          [&ctx](const Authn& who, const httplib::Request& req, httplib::Response& res) -> Status {
            ACC_RETURN_IF_ERROR(OnlyParams(req, {}));
            ACC_ASSIGN_OR_RETURN(auto report, ctx.Svc().reports.CheckReadiness(who.principal));
            res.set_content(reports::ToJson(report), "application/json");
            return Status::Ok();
          }));
  svr.Get(
      "/api/v1/matrix",
      Api(ctx,
          [&ctx](const Authn& who, const httplib::Request& req, httplib::Response& res) -> Status {
            ACC_RETURN_IF_ERROR(OnlyParams(req, {"format", "sheet"}));
            ACC_ASSIGN_OR_RETURN(auto book, ctx.Svc().reports.ComplianceMatrix(who.principal));
            return SendWorkbook(ctx, req, res, book, "compliance-matrix", 0);
          }));
  svr.Get(
      "/api/v1/soa",
      Api(ctx,
          [&ctx](const Authn& who, const httplib::Request& req, httplib::Response& res) -> Status {
            ACC_RETURN_IF_ERROR(OnlyParams(req, {"format", "sheet"}));
            ACC_ASSIGN_OR_RETURN(auto book,
                                 ctx.Svc().reports.StatementOfApplicability(who.principal));
            return SendWorkbook(ctx, req, res, book, "statement-of-applicability", 0);
          }));

  // ---- catalogues: reference data, open to every authenticated user
  svr.Get(
      "/api/v1/catalog",
      Api(ctx, [&ctx](const Authn&, const httplib::Request& req, httplib::Response& res) -> Status {
        ACC_RETURN_IF_ERROR(OnlyParams(req, {}));
        json items = json::array();
        for (const auto& info : ctx.Svc().catalog.Catalogues()) {
          items.push_back(CatalogueJson(info));
        }
        WriteJson(res, {{"items", std::move(items)}});
        return Status::Ok();
      }));
  svr.Get(
      "/api/v1/catalog/clauses",
      Api(ctx, [&ctx](const Authn&, const httplib::Request& req, httplib::Response& res) -> Status {
        ACC_RETURN_IF_ERROR(OnlyParams(req, {"kind"}));
        std::optional<catalog::ClauseKind> kind;
        if (auto v = Param(req, "kind")) {
          auto k = catalog::ParseClauseKind(*v);
          if (!k) {
            return Err(ErrorCode::kInvalidArgument, k.error().message, "kind");
          }
          kind = *k;
        }
        const catalog::Catalog& cat = ctx.Svc().catalog;
        json items = json::array();
        for (const auto& c : cat.Clauses()) {
          if (!kind || c.kind == *kind) {
            items.push_back(ClauseJson(c));
          }
        }
        const catalog::CatalogueInfo* info = FindCatalogue(cat, catalog::kSchedule);
        WriteJson(res, {{"catalogue", catalog::kSchedule},
                        {"attribution", info != nullptr ? info->attribution : ""},
                        {"total", items.size()},
                        {"items", std::move(items)}});
        return Status::Ok();
      }));
  svr.Get(
      R"(/api/v1/catalog/([a-z0-9.\-]+)/controls)",
      Api(ctx, [&ctx](const Authn&, const httplib::Request& req, httplib::Response& res) -> Status {
        ACC_RETURN_IF_ERROR(OnlyParams(req, {}));
        const catalog::Catalog& cat = ctx.Svc().catalog;
        const std::string id = req.matches[1].str();
        const catalog::CatalogueInfo* info = FindCatalogue(cat, id);
        if (info == nullptr || info->kind != "controls") {
          return Err(ErrorCode::kNotFound, "no such control catalogue \"" + id + "\"", "catalogue");
        }
        json items = json::array();
        for (const auto& c : cat.Controls(id)) {
          items.push_back(ControlJson(c));
        }
        WriteJson(res, {{"catalogue", info->id},
                        {"title", info->title},
                        {"attribution", info->attribution},
                        {"licence", info->licence},
                        {"total", items.size()},
                        {"items", std::move(items)}});
        return Status::Ok();
      }));
}

}  // namespace accredit::http::internal
