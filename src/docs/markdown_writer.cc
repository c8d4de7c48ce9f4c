// RenderMarkdown: GitHub-flavoured Markdown.

#include <cctype>
#include <string>
#include <variant>

#include "docs/docs.h"
#include "docs/internal.h"

namespace accredit::docs {
namespace {

template <class... Ts>
struct Overloaded : Ts... {
  using Ts::operator()...;
};
template <class... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;

// Escapes inline Markdown and HTML so `text` (one line, no "\n") renders literally.
std::string EscapeInline(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 8);
  for (const char c : text) {
    switch (c) {
      case '\\':
      case '`':
      case '*':
      case '_':
      case '[':
      case ']':
      case '|':
      case '~':
        out.push_back('\\');
        out.push_back(c);
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '&':
        out += "&amp;";
        break;
      case '\t':
        out.push_back(' ');
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

// Escapes a line that starts a block so it is not read as a heading, list, quote or rule.
std::string EscapeLineStart(std::string line) {
  std::size_t i = 0;
  while (i < line.size() && line[i] == ' ') {
    ++i;
  }
  if (i >= line.size()) {
    return line;
  }
  const char c = line[i];
  if (c == '#' || c == '-' || c == '+' || c == '=') {
    line.insert(i, "\\");
    return line;
  }
  // "1." or "1)" ordered-list markers.
  std::size_t j = i;
  while (j < line.size() && std::isdigit(static_cast<unsigned char>(line[j])) != 0) {
    ++j;
  }
  if (j > i && j < line.size() && (line[j] == '.' || line[j] == ')')) {
    line.insert(j, "\\");
  }
  return line;
}

// Splits cleaned text on "\n".
std::vector<std::string> Lines(std::string_view text) {
  const std::string clean = internal::CleanText(text);
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (true) {
    const std::size_t nl = clean.find('\n', start);
    lines.push_back(clean.substr(start, nl == std::string::npos ? nl : nl - start));
    if (nl == std::string::npos) {
      return lines;
    }
    start = nl + 1;
  }
}

// One-line text (headings, list items, cells): line breaks become `sep`.
std::string Inline(std::string_view text, std::string_view sep) {
  std::string out;
  const std::vector<std::string> lines = Lines(text);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (i > 0) {
      out += sep;
    }
    out += EscapeInline(lines[i]);
  }
  return out;
}

// Emphasis markers must hug non-space text: "** a **" is not bold in GFM.
std::string Emphasise(const Run& r) {
  const std::string text = Inline(r.text, "\\\n");
  if (!r.bold && !r.italic) {
    return text;
  }
  const std::size_t first = text.find_first_not_of(' ');
  if (first == std::string::npos) {
    return text;
  }
  const std::size_t last = text.find_last_not_of(' ');
  const std::string mark = r.bold && r.italic ? "***" : r.bold ? "**" : "*";
  return text.substr(0, first) + mark + text.substr(first, last - first + 1) + mark +
         text.substr(last + 1);
}

void RenderTable(const Table& t, std::string& out) {
  if (!t.caption.empty()) {
    out += "**" + Inline(t.caption, " ") + "**\n\n";
  }
  auto row_line = [&](const std::vector<std::string>& cells, std::string_view flag) {
    std::string line = "|";
    for (std::size_t c = 0; c < cells.size(); ++c) {
      line += " " + std::string(c == 0 ? flag : "") + Inline(cells[c], "<br>") + " |";
    }
    return line + "\n";
  };
  out += row_line(t.header, "");
  out += "|";
  for (std::size_t c = 0; c < t.header.size(); ++c) {
    out += " --- |";
  }
  out += "\n";
  for (std::size_t r = 0; r < t.rows.size(); ++r) {
    const RowStyle s = r < t.row_styles.size() ? t.row_styles[r] : RowStyle::kNormal;
    // Markdown has no cell colours: highlighted rows are flagged in their first cell.
    const std::string_view flag = s == RowStyle::kDanger    ? "\u26D4 "
                                  : s == RowStyle::kWarning ? "\u26A0 "
                                                            : "";
    out += row_line(t.rows[r], flag);
  }
  out += "\n";
}

}  // namespace

Result<std::string> RenderMarkdown(const Document& doc) {
  ACC_RETURN_IF_ERROR(Validate(doc));
  std::string out;
  out += "# " + Inline(doc.title, " ") + "\n\n";
  if (!doc.subtitle.empty()) {
    out += "*" + Inline(doc.subtitle, " ") + "*\n\n";
  }
  if (!doc.version.empty()) {
    out += "- **Version:** " + Inline(doc.version, " ") + "\n";
  }
  if (!doc.date.empty()) {
    out += "- **Date:** " + Inline(doc.date, " ") + "\n";
  }
  if (!doc.version.empty() || !doc.date.empty()) {
    out += "\n";
  }
  for (const Block& block : doc.blocks) {
    std::visit(Overloaded{
                   [&](const Heading& h) {
                     out += std::string(static_cast<std::size_t>(h.level) + 1, '#') + " " +
                            Inline(h.text, " ");
                     if (!h.anchor.empty()) {
                       out += " <a id=\"" + h.anchor + "\"></a>";  // anchor is [A-Za-z0-9_-]*
                     }
                     out += "\n\n";
                   },
                   [&](const Paragraph& p) {
                     std::string text;
                     for (const Run& r : p.runs) {
                       text += Emphasise(r);
                     }
                     // Escape block markers at the start of every output line.
                     std::string escaped;
                     std::size_t start = 0;
                     while (true) {
                       const std::size_t nl = text.find('\n', start);
                       escaped += EscapeLineStart(
                           text.substr(start, nl == std::string::npos ? nl : nl - start));
                       if (nl == std::string::npos) {
                         break;
                       }
                       escaped += "\n";
                       start = nl + 1;
                     }
                     out += escaped + "\n\n";
                   },
                   [&](const BulletList& l) {
                     for (const std::string& item : l.items) {
                       out += "- " + Inline(item, "<br>") + "\n";
                     }
                     out += "\n";
                   },
                   [&](const Table& t) { RenderTable(t, out); },
                   [&](const Notice& n) {
                     out += "> **" + std::string(NoticeKindLabel(n.kind)) + ":** " +
                            Inline(n.text, "<br>") + "\n\n";
                   },
                   [&](const PageBreak&) { out += "---\n\n"; },
               },
               block);
  }
  return out;
}

}  // namespace accredit::docs
