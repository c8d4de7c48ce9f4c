// The document pages (issue 3): /documents (generate, download, issued versions, issue form,
// compare form, readiness panel, compliance matrix and SoA), the RMD inside the layout and as a
// standalone print view, downloads of every format, issued versions, the section-by-section
// comparison, the readiness check and the matrix / SoA tables. The reports service authorises
// every call; the pages only hide controls a role cannot use.

#include <algorithm>

#include "http/internal.h"

namespace accredit::http::internal {
namespace {

// Sets `key` to `value`, or to false when empty, so {{#key}} renders only for a value.
void SetOpt(Data& d, const std::string& key, const std::string& value) {
  if (value.empty()) {
    d.set(key, false);
  } else {
    d.set(key, value);
  }
}

void ReplaceAll(std::string& s, std::string_view from, std::string_view to) {
  for (std::size_t pos = s.find(from); pos != std::string::npos;
       pos = s.find(from, pos + to.size())) {
    s.replace(pos, from.size(), to);
  }
}

// The body of a standalone document (docs::RenderHtml) for use inside the layout: the part
// between <body> and </body>, headings shifted one level down (the page has its own h1), and
// column-width style attributes dropped (the page CSP allows no inline styles). The writer
// escapes all text, so the result is safe to embed unescaped.
std::string EmbeddableHtml(const std::string& html) {
  constexpr std::string_view kOpen = "<body>";
  constexpr std::string_view kClose = "</body>";
  const std::size_t start = html.find(kOpen);
  const std::size_t end = html.rfind(kClose);
  if (start == std::string::npos || end == std::string::npos || end < start) {
    return "";
  }
  std::string body = html.substr(start + kOpen.size(), end - start - kOpen.size());
  constexpr std::pair<char, char> kShift[] = {{'3', '4'}, {'2', '3'}, {'1', '2'}};
  for (const auto& [from, to] : kShift) {
    ReplaceAll(body, std::string("<h") + from, std::string("<h") + to);
    ReplaceAll(body, std::string("</h") + from + ">", std::string("</h") + to + ">");
  }
  for (std::size_t pos = body.find("<colgroup>"); pos != std::string::npos;
       pos = body.find("<colgroup>", pos)) {
    const std::size_t close = body.find("</colgroup>", pos);
    if (close == std::string::npos) {
      break;
    }
    body.erase(pos, close + std::string_view("</colgroup>").size() - pos);
  }
  ReplaceAll(body, "<main>", "<div class=\"doc-main\">");
  ReplaceAll(body, "</main>", "</div>");
  return body;
}

// Renders a service error as a page; kInvalidArgument on a download becomes 400 with the message.
void Fail(Context& ctx, const Authn& who, httplib::Response& res, const Error& e) {
  RenderError(ctx, &who, res, e);
}

Data VersionData(const reports::RmdVersionInfo& v) {
  Data x;
  const std::string n = std::to_string(v.version);
  x.set("version", n);
  x.set("issued_at", v.issued_at);
  x.set("issued_by", v.issued_by);
  SetOpt(x, "note", v.note);
  x.set("sha256", v.sha256);
  x.set("sha_prefix", v.sha256.substr(0, 12));
  return x;
}

Data ReadinessData(Context& ctx, const reports::ReadinessReport& report) {
  Data items{Data::type::list};
  int complete = 0;
  for (const auto& it : report.items) {
    Data x;
    x.set("clause_id", it.clause_id);
    x.set("title", it.title);
    x.set("complete", it.complete);
    Data reasons{Data::type::list};
    for (const auto& r : it.reasons) {
      reasons.push_back(Data(r));
    }
    x.set("reasons", reasons);
    x.set("has_reasons", !it.reasons.empty());
    items.push_back(x);
    complete += it.complete ? 1 : 0;
  }
  Data d;
  d.set("items", items);
  d.set("complete_count", std::to_string(complete));
  d.set("total", std::to_string(report.items.size()));
  d.set("all_complete", report.complete);
  d.set("items_html", ctx.Tmpl().Render("readiness_items.html", d));
  return d;
}

// ---- /documents -----------------------------------------------------------------------------

struct IssueFormState {
  std::string note;
  const Error* error = nullptr;
};

void Overview(Context& ctx, const Authn& who, const httplib::Request& req, httplib::Response& res,
              const IssueFormState& form) {
  auto versions = ctx.Svc().reports.ListRmdVersions(who.principal);
  if (!versions) {
    Fail(ctx, who, res, versions.error());
    return;
  }
  Data d;
  d.set("csrf_token", who.csrf_token);
  d.set("can_issue", auth::RoleMay(who.principal.role, auth::Action::kDocumentIssue));
  Data list{Data::type::list};
  // Newest first on the page.
  for (auto it = versions->rbegin(); it != versions->rend(); ++it) {
    list.push_back(VersionData(*it));
  }
  d.set("versions", list);
  d.set("has_versions", !versions->empty());
  d.set("can_compare", versions->size() >= 2);
  if (versions->size() >= 2) {
    const std::int64_t b = versions->back().version;
    const std::int64_t a = (*versions)[versions->size() - 2].version;
    Data opts_a{Data::type::list};
    Data opts_b{Data::type::list};
    for (const auto& v : *versions) {
      Data x;
      x.set("value", std::to_string(v.version));
      x.set("selected", v.version == a);
      opts_a.push_back(x);
      Data y;
      y.set("value", std::to_string(v.version));
      y.set("selected", v.version == b);
      opts_b.push_back(y);
    }
    d.set("options_a", opts_a);
    d.set("options_b", opts_b);
  }
  SetOpt(d, "issued", Param(req, "issued").value_or(""));
  d.set("v_note", form.note);
  SetOpt(d, "err_note", form.error != nullptr ? form.error->message : "");

  auto readiness = ctx.Svc().reports.CheckReadiness(who.principal);
  if (readiness) {
    d.set("readiness", ReadinessData(ctx, *readiness));
  } else {
    d.set("readiness_error", readiness.error().message);
  }
  RenderInLayout(ctx, &who, res, "Documents", "/documents", "documents.html", d,
                 form.error != nullptr ? HttpStatusFor(form.error->code) : 200);
}

// ---- the RMD ----------------------------------------------------------------------------------

void RmdPage(Context& ctx, const Authn& who, httplib::Response& res,
             std::optional<std::int64_t> version) {
  Result<docs::Document> doc = version ? ctx.Svc().reports.RmdVersion(who.principal, *version)
                                       : ctx.Svc().reports.BuildRmd(who.principal);
  if (!doc) {
    Fail(ctx, who, res, doc.error());
    return;
  }
  auto html = docs::RenderHtml(*doc);
  if (!html) {
    Fail(ctx, who, res, html.error());
    return;
  }
  Data d;
  const std::string base =
      version ? "/documents/rmd/versions/" + std::to_string(*version) : "/documents/rmd";
  d.set("base", base);
  d.set("heading", version ? "Risk Management Documentation, version " + std::to_string(*version)
                           : "Risk Management Documentation (current draft)");
  d.set("is_draft", !version.has_value());
  d.set("rmd_html", EmbeddableHtml(*html));
  Data toc{Data::type::list};
  for (const auto& block : doc->blocks) {
    if (const auto* h = std::get_if<docs::Heading>(&block); h != nullptr && h->level == 1) {
      Data x;
      x.set("text", h->text);
      x.set("anchor", h->anchor);
      toc.push_back(x);
    }
  }
  d.set("toc", toc);
  RenderInLayout(ctx, &who, res, version ? "RMD version " + std::to_string(*version) : "RMD",
                 "/documents", "rmd_view.html", d);
}

void RmdDownload(Context& ctx, const Authn& who, httplib::Response& res,
                 std::optional<std::int64_t> version, DocFormat format, Disposition disposition) {
  auto d = CachedRmd(ctx, who, version, format);
  if (!d) {
    Fail(ctx, who, res, d.error());
    return;
  }
  SendDocument(res, **d, disposition);
}

// The format of a download route's extension. The route patterns admit only docx, md and html.
DocFormat FormatFromExt(const std::string& ext) {
  auto f = ParseDocFormat(ext, "format");
  ACC_CHECK(f.ok(), "download route admitted an unknown extension");
  return *f;
}

// ---- comparison -----------------------------------------------------------------------------

std::string_view StatusBadge(docs::DiffStatus s) {
  switch (s) {
    case docs::DiffStatus::kAdded:
      return "green";
    case docs::DiffStatus::kRemoved:
      return "red";
    case docs::DiffStatus::kChanged:
      return "amber";
    case docs::DiffStatus::kUnchanged:
      return "";
  }
  return "";
}

void DiffPage(Context& ctx, const Authn& who, const httplib::Request& req, httplib::Response& res) {
  auto a_text = Param(req, "a");
  auto b_text = Param(req, "b");
  if (!a_text || !b_text) {
    Fail(ctx, who, res,
         Err(ErrorCode::kInvalidArgument, "choose two versions to compare", !a_text ? "a" : "b"));
    return;
  }
  auto a = ParseInt(*a_text, "a");
  auto b = ParseInt(*b_text, "b");
  if (!a || !b) {
    Fail(ctx, who, res, a ? b.error() : a.error());
    return;
  }
  auto diffs = ctx.Svc().reports.DiffRmd(who.principal, *a, *b);
  if (!diffs) {
    Fail(ctx, who, res, diffs.error());
    return;
  }
  Data sections{Data::type::list};
  int changed = 0;
  int index = 0;
  for (const auto& s : *diffs) {
    ++index;
    Data x;
    x.set("heading", s.heading.empty() ? std::string("(before the first heading)") : s.heading);
    x.set("status", std::string(docs::DiffStatusName(s.status)));
    SetOpt(x, "badge", std::string(StatusBadge(s.status)));
    x.set("id", "section-" + std::to_string(index));
    const bool differs = s.status != docs::DiffStatus::kUnchanged;
    x.set("differs", differs);
    changed += differs ? 1 : 0;
    Data lines{Data::type::list};
    for (const auto& line : s.lines) {
      Data l;
      const char kind = line.empty() ? ' ' : line.front();
      const std::string text = line.empty() ? "" : line.substr(1);
      const bool hunk = line.rfind("@@", 0) == 0;
      l.set("hunk", hunk);
      l.set("del", !hunk && kind == '-');
      l.set("ins", !hunk && kind == '+');
      l.set("ctx", !hunk && kind != '-' && kind != '+');
      l.set("text", hunk ? line : text);
      lines.push_back(l);
    }
    x.set("lines", lines);
    sections.push_back(x);
  }
  Data d;
  d.set("a", std::to_string(*a));
  d.set("b", std::to_string(*b));
  d.set("sections", sections);
  d.set("changed", std::to_string(changed));
  d.set("total", std::to_string(diffs->size()));
  RenderInLayout(ctx, &who, res,
                 "Compare RMD versions " + std::to_string(*a) + " and " + std::to_string(*b),
                 "/documents", "rmd_diff.html", d);
}

// ---- matrix, SoA, readiness --------------------------------------------------------------------

void SheetPage(Context& ctx, const Authn& who, httplib::Response& res, const docs::Workbook& book,
               const std::string& title, const std::string& base, const std::string& clause) {
  Data sheets{Data::type::list};
  int index = 0;
  for (const auto& sheet : book.sheets) {
    Data s;
    s.set("name", sheet.name);
    s.set("id", "sheet-" + std::to_string(index));
    s.set("csv", base + ".csv?sheet=" + std::to_string(index));
    ++index;
    Data header{Data::type::list};
    for (const auto& c : sheet.columns) {
      header.push_back(Data(c.header));
    }
    s.set("header", header);
    Data rows{Data::type::list};
    int gaps = 0;
    for (std::size_t r = 0; r < sheet.rows.size(); ++r) {
      const docs::RowStyle style =
          r < sheet.row_styles.size() ? sheet.row_styles[r] : docs::RowStyle::kNormal;
      Data row;
      row.set("style", std::string(docs::RowStyleName(style)));
      row.set("flag", style != docs::RowStyle::kNormal);
      row.set("flag_text", "Gap");
      row.set("flag_badge", style == docs::RowStyle::kDanger ? "red" : "amber");
      gaps += style != docs::RowStyle::kNormal ? 1 : 0;
      Data cells{Data::type::list};
      for (const auto& cell : sheet.rows[r]) {
        std::string text = cell.text;
        if (cell.kind == docs::CellKind::kNumber) {
          const double n = cell.number;
          text = n == static_cast<double>(static_cast<long long>(n))
                     ? std::to_string(static_cast<long long>(n))
                     : std::to_string(n);
        }
        cells.push_back(Data(text));
      }
      row.set("cells", cells);
      rows.push_back(row);
    }
    s.set("rows", rows);
    s.set("row_count", std::to_string(sheet.rows.size()));
    s.set("gap_count", std::to_string(gaps));
    sheets.push_back(s);
  }
  Data d;
  d.set("heading", title);
  d.set("clause", clause);
  d.set("base", base);
  d.set("sheets", sheets);
  RenderInLayout(ctx, &who, res, title, "/documents", "document_sheets.html", d);
}

void SheetDownload(Context& ctx, const Authn& who, const httplib::Request& req,
                   httplib::Response& res, const Result<docs::Workbook>& book,
                   const std::string& format, const std::string& basename) {
  if (!book) {
    Fail(ctx, who, res, book.error());
    return;
  }
  auto f = ParseSheetFormat(format, "format");
  std::size_t sheet = 0;
  if (auto v = Param(req, "sheet")) {
    auto n = ParseInt(*v, "sheet");
    if (!n || *n < 0 || static_cast<std::size_t>(*n) >= book->sheets.size()) {
      Fail(ctx, who, res, Err(ErrorCode::kNotFound, "no such sheet", "sheet"));
      return;
    }
    sheet = static_cast<std::size_t>(*n);
  }
  Result<Download> d =
      f ? RenderWorkbook(ctx, *book, *f, sheet, basename) : Result<Download>(f.error());
  if (!d) {
    Fail(ctx, who, res, d.error());
    return;
  }
  SendDocument(res, *d, Disposition::kAttachment);
}

void ReadinessPage(Context& ctx, const Authn& who, httplib::Response& res) {
  auto report = ctx.Svc().reports.CheckReadiness(who.principal);
  if (!report) {
    Fail(ctx, who, res, report.error());
    return;
  }
  RenderInLayout(ctx, &who, res, "Readiness for accreditation", "/documents", "readiness.html",
                 ReadinessData(ctx, *report));
}

std::optional<std::int64_t> VersionOf(Context& ctx, const Authn& who, const httplib::Request& req,
                                      httplib::Response& res) {
  auto n = ParseInt(req.matches[1].str(), "version");
  if (!n) {
    Fail(ctx, who, res, Err(ErrorCode::kNotFound, "no such RMD version", "version"));
    return std::nullopt;
  }
  return *n;
}

}  // namespace

void RegisterDocumentsUi(httplib::Server& svr, Context& ctx) {
  svr.Get("/documents",
          Ui(ctx, [&ctx](const Authn& who, const httplib::Request& req, httplib::Response& res) {
            Overview(ctx, who, req, res, {});
          }));

  svr.Get("/documents/rmd",
          Ui(ctx, [&ctx](const Authn& who, const httplib::Request&, httplib::Response& res) {
            RmdPage(ctx, who, res, std::nullopt);
          }));
  svr.Get("/documents/rmd/print",
          Ui(ctx, [&ctx](const Authn& who, const httplib::Request&, httplib::Response& res) {
            RmdDownload(ctx, who, res, std::nullopt, DocFormat::kHtml, Disposition::kInline);
          }));
  svr.Get(R"(/documents/rmd\.(docx|md|html))",
          Ui(ctx, [&ctx](const Authn& who, const httplib::Request& req, httplib::Response& res) {
            RmdDownload(ctx, who, res, std::nullopt, FormatFromExt(req.matches[1].str()),
                        Disposition::kAttachment);
          }));

  svr.Get(R"(/documents/rmd/versions/(\d+))",
          Ui(ctx, [&ctx](const Authn& who, const httplib::Request& req, httplib::Response& res) {
            if (auto n = VersionOf(ctx, who, req, res)) {
              RmdPage(ctx, who, res, *n);
            }
          }));
  svr.Get(R"(/documents/rmd/versions/(\d+)/print)",
          Ui(ctx, [&ctx](const Authn& who, const httplib::Request& req, httplib::Response& res) {
            if (auto n = VersionOf(ctx, who, req, res)) {
              RmdDownload(ctx, who, res, *n, DocFormat::kHtml, Disposition::kInline);
            }
          }));
  svr.Get(R"(/documents/rmd/versions/(\d+)\.(docx|md|html))",
          Ui(ctx, [&ctx](const Authn& who, const httplib::Request& req, httplib::Response& res) {
            if (auto n = VersionOf(ctx, who, req, res)) {
              RmdDownload(ctx, who, res, *n, FormatFromExt(req.matches[2].str()),
                          Disposition::kAttachment);
            }
          }));

  svr.Post("/documents/rmd/issue",
           Ui(ctx, [&ctx](const Authn& who, const httplib::Request& req, httplib::Response& res) {
             const std::string note = req.get_param_value("note");
             auto issued = ctx.Svc().reports.IssueRmd(who.principal, note);
             if (!issued) {
               if (issued.error().code == ErrorCode::kPermissionDenied) {
                 Fail(ctx, who, res, issued.error());
                 return;
               }
               Overview(ctx, who, req, res, IssueFormState{note, &issued.error()});
               return;
             }
             Redirect(res, "/documents?issued=" + std::to_string(issued->version) + "#versions");
           }));

  svr.Get("/documents/rmd/diff",
          Ui(ctx, [&ctx](const Authn& who, const httplib::Request& req, httplib::Response& res) {
            DiffPage(ctx, who, req, res);
          }));

  svr.Get("/documents/readiness",
          Ui(ctx, [&ctx](const Authn& who, const httplib::Request&, httplib::Response& res) {
            ReadinessPage(ctx, who, res);
          }));

  svr.Get("/documents/matrix",
          Ui(ctx, [&ctx](const Authn& who, const httplib::Request&, httplib::Response& res) {
            auto book = ctx.Svc().reports.ComplianceMatrix(who.principal);
            if (!book) {
              Fail(ctx, who, res, book.error());
              return;
            }
            SheetPage(ctx, who, res, *book, "Compliance matrix", "/documents/matrix", "S2.4-6.1");
          }));
  svr.Get(R"(/documents/matrix\.(xlsx|csv))",
          Ui(ctx, [&ctx](const Authn& who, const httplib::Request& req, httplib::Response& res) {
            SheetDownload(ctx, who, req, res, ctx.Svc().reports.ComplianceMatrix(who.principal),
                          req.matches[1].str(), "compliance-matrix");
          }));
  svr.Get("/documents/soa",
          Ui(ctx, [&ctx](const Authn& who, const httplib::Request&, httplib::Response& res) {
            auto book = ctx.Svc().reports.StatementOfApplicability(who.principal);
            if (!book) {
              Fail(ctx, who, res, book.error());
              return;
            }
            SheetPage(ctx, who, res, *book, "Statement of Applicability", "/documents/soa",
                      "S2.4-5.4.3");
          }));
  svr.Get(R"(/documents/soa\.(xlsx|csv))",
          Ui(ctx, [&ctx](const Authn& who, const httplib::Request& req, httplib::Response& res) {
            SheetDownload(ctx, who, req, res,
                          ctx.Svc().reports.StatementOfApplicability(who.principal),
                          req.matches[1].str(), "statement-of-applicability");
          }));
}

}  // namespace accredit::http::internal
