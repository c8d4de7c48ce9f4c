// RenderHtml: standalone, print-friendly HTML5.

#include <string>
#include <variant>

#include "docs/docs.h"
#include "docs/internal.h"

namespace accredit::docs {
namespace {

using internal::HtmlEscape;

template <class... Ts>
struct Overloaded : Ts... {
  using Ts::operator()...;
};
template <class... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;

constexpr std::string_view kCss = R"css(
@page { size: A4; margin: 20mm 18mm 22mm 18mm;
  @bottom-center { content: "Page " counter(page) " of " counter(pages); font-size: 9pt; } }
html { font-family: "Liberation Sans", Arial, Helvetica, sans-serif; font-size: 10.5pt;
  line-height: 1.4; color: #111; }
body { margin: 0 auto; max-width: 60em; padding: 1em; }
.title-page { min-height: 60vh; padding-top: 20vh; break-after: page; page-break-after: always; }
.title-page h1.doc-title { font-size: 26pt; margin: 0 0 .3em 0; }
.title-page .doc-subtitle { font-size: 15pt; color: #333; margin: 0 0 2em 0; }
.title-page dl { display: grid; grid-template-columns: max-content auto; gap: .2em 1em; }
.title-page dt { font-weight: bold; }
.title-page dd { margin: 0; }
h1, h2, h3 { break-after: avoid; page-break-after: avoid; color: #1f3864; }
h1 { font-size: 17pt; border-bottom: 1px solid #1f3864; margin-top: 1.6em; }
h2 { font-size: 13.5pt; margin-top: 1.3em; }
h3 { font-size: 11.5pt; margin-top: 1.1em; }
table { border-collapse: collapse; width: 100%; margin: .6em 0 1em 0; table-layout: fixed; }
caption { caption-side: top; text-align: left; font-weight: bold; padding-bottom: .3em; }
th, td { border: 1px solid #555; padding: .25em .4em; vertical-align: top; text-align: left;
  overflow-wrap: anywhere; white-space: pre-wrap; }
thead { display: table-header-group; }
thead th { background: #d9e2f3; }
tr { break-inside: avoid; page-break-inside: avoid; }
tr.row-warning td { background: #fff2cc; }
tr.row-danger td { background: #f8cbad; }
.notice { border: 1px solid #888; border-left-width: 6px; padding: .4em .6em; margin: .6em 0;
  break-inside: avoid; page-break-inside: avoid; }
.notice-gap { border-color: #c00000; background: #fde9e7; }
.notice-warning { border-color: #bf8f00; background: #fff2cc; }
.notice-info { border-color: #2f5597; background: #deebf7; }
.page-break { break-after: page; page-break-after: always; height: 0; }
@media print { body { max-width: none; padding: 0; } a { color: inherit; text-decoration: none; } }
)css";

// Text with line breaks: escaped, "\n" -> <br>.
std::string WithBreaks(std::string_view text) {
  const std::string esc = HtmlEscape(text);
  std::string out;
  out.reserve(esc.size());
  for (const char c : esc) {
    if (c == '\n') {
      out += "<br>";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

void RenderTable(const Table& t, std::string& out) {
  out += "<table>\n";
  if (!t.caption.empty()) {
    out += "<caption>" + HtmlEscape(t.caption) + "</caption>\n";
  }
  if (!t.column_widths_hint.empty()) {
    double total = 0;
    for (const double w : t.column_widths_hint) {
      total += w;
    }
    out += "<colgroup>";
    for (const double w : t.column_widths_hint) {
      out += "<col style=\"width:" +
             internal::FormatNumber(
                 static_cast<double>(static_cast<int>(w / total * 1000.0 + 0.5)) / 10.0) +
             "%\">";
    }
    out += "</colgroup>\n";
  }
  out += "<thead><tr>";
  for (const std::string& h : t.header) {
    out += "<th scope=\"col\">" + WithBreaks(h) + "</th>";
  }
  out += "</tr></thead>\n<tbody>\n";
  for (std::size_t r = 0; r < t.rows.size(); ++r) {
    const RowStyle style = r < t.row_styles.size() ? t.row_styles[r] : RowStyle::kNormal;
    if (style == RowStyle::kNormal) {
      out += "<tr>";
    } else {
      out += "<tr class=\"row-" + std::string(RowStyleName(style)) + "\">";
    }
    for (const std::string& cell : t.rows[r]) {
      out += "<td>" + WithBreaks(cell) + "</td>";
    }
    out += "</tr>\n";
  }
  out += "</tbody>\n</table>\n";
}

}  // namespace

Result<std::string> RenderHtml(const Document& doc) {
  ACC_RETURN_IF_ERROR(Validate(doc));
  std::string out;
  out.reserve(4096 + doc.blocks.size() * 128);
  out += "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n";
  out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  out += "<title>" + HtmlEscape(doc.title) + "</title>\n<style>";
  out += kCss;
  out += "</style>\n</head>\n<body>\n";

  out +=
      "<header class=\"title-page\">\n<h1 class=\"doc-title\">" + WithBreaks(doc.title) + "</h1>\n";
  if (!doc.subtitle.empty()) {
    out += "<p class=\"doc-subtitle\">" + WithBreaks(doc.subtitle) + "</p>\n";
  }
  if (!doc.version.empty() || !doc.date.empty()) {
    out += "<dl>\n";
    if (!doc.version.empty()) {
      out += "<dt>Version</dt><dd class=\"doc-version\">" + HtmlEscape(doc.version) + "</dd>\n";
    }
    if (!doc.date.empty()) {
      out += "<dt>Date</dt><dd class=\"doc-date\">" + HtmlEscape(doc.date) + "</dd>\n";
    }
    out += "</dl>\n";
  }
  out += "</header>\n<main>\n";

  for (const Block& block : doc.blocks) {
    std::visit(Overloaded{
                   [&](const Heading& h) {
                     const std::string tag = "h" + std::to_string(h.level);
                     out += "<" + tag;
                     if (!h.anchor.empty()) {
                       out += " id=\"" + HtmlEscape(h.anchor) + "\"";
                     }
                     out += ">" + HtmlEscape(h.text) + "</" + tag + ">\n";
                   },
                   [&](const Paragraph& p) {
                     out += "<p>";
                     for (const Run& r : p.runs) {
                       std::string text = WithBreaks(r.text);
                       if (r.italic) {
                         text = "<em>" + text + "</em>";
                       }
                       if (r.bold) {
                         text = "<strong>" + text + "</strong>";
                       }
                       out += text;
                     }
                     out += "</p>\n";
                   },
                   [&](const BulletList& l) {
                     out += "<ul>\n";
                     for (const std::string& item : l.items) {
                       out += "<li>" + WithBreaks(item) + "</li>\n";
                     }
                     out += "</ul>\n";
                   },
                   [&](const Table& t) { RenderTable(t, out); },
                   [&](const Notice& n) {
                     out += "<div class=\"notice notice-" + std::string(NoticeKindName(n.kind)) +
                            "\" role=\"note\"><strong>" + std::string(NoticeKindLabel(n.kind)) +
                            ":</strong> " + WithBreaks(n.text) + "</div>\n";
                   },
                   [&](const PageBreak&) { out += "<div class=\"page-break\"></div>\n"; },
               },
               block);
  }
  out += "</main>\n</body>\n</html>\n";
  return out;
}

}  // namespace accredit::docs
