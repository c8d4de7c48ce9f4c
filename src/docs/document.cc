// The document and spreadsheet models: names, validation, canonical text.

#include <cctype>
#include <cmath>
#include <set>
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

std::string Idx(std::string_view base, std::size_t i) {
  return std::string(base) + "[" + std::to_string(i) + "]";
}

Error Invalid(std::string message, std::string field) {
  return Err(ErrorCode::kInvalidArgument, std::move(message), std::move(field));
}

bool ValidAnchor(std::string_view a) {
  for (const char c : a) {
    const auto u = static_cast<unsigned char>(c);
    if (!(std::isalnum(u) != 0 || c == '-' || c == '_')) {
      return false;
    }
  }
  return true;
}

Status ValidateTable(const Table& t, const std::string& f) {
  if (t.header.empty()) {
    return Invalid("a table needs at least one column", f + ".header");
  }
  for (std::size_t r = 0; r < t.rows.size(); ++r) {
    if (t.rows[r].size() != t.header.size()) {
      return Invalid("row has " + std::to_string(t.rows[r].size()) + " cells but the table has " +
                         std::to_string(t.header.size()) + " columns",
                     Idx(f + ".rows", r));
    }
  }
  if (!t.column_widths_hint.empty()) {
    if (t.column_widths_hint.size() != t.header.size()) {
      return Invalid("column_widths_hint must have one entry per column",
                     f + ".column_widths_hint");
    }
    for (std::size_t c = 0; c < t.column_widths_hint.size(); ++c) {
      const double w = t.column_widths_hint[c];
      if (!std::isfinite(w) || w <= 0) {
        return Invalid("column width must be a positive number", Idx(f + ".column_widths_hint", c));
      }
    }
  }
  if (!t.row_styles.empty() && t.row_styles.size() != t.rows.size()) {
    return Invalid("row_styles must be empty or have one entry per row", f + ".row_styles");
  }
  return Status::Ok();
}

std::string OneLine(std::string_view s) {
  std::string out = internal::CleanText(s);
  for (char& c : out) {
    if (c == '\n' || c == '\t') {
      c = ' ';
    }
  }
  return out;
}

}  // namespace

Paragraph Text(std::string text) {
  Paragraph p;
  p.runs.push_back(Run{std::move(text), false, false});
  return p;
}

std::string_view RowStyleName(RowStyle s) {
  switch (s) {
    case RowStyle::kNormal:
      return "normal";
    case RowStyle::kWarning:
      return "warning";
    case RowStyle::kDanger:
      return "danger";
  }
  return "normal";
}

std::string_view NoticeKindName(NoticeKind k) {
  switch (k) {
    case NoticeKind::kGap:
      return "gap";
    case NoticeKind::kWarning:
      return "warning";
    case NoticeKind::kInfo:
      return "info";
  }
  return "info";
}

std::string_view NoticeKindLabel(NoticeKind k) {
  switch (k) {
    case NoticeKind::kGap:
      return "GAP";
    case NoticeKind::kWarning:
      return "WARNING";
    case NoticeKind::kInfo:
      return "NOTE";
  }
  return "NOTE";
}

std::string_view DiffStatusName(DiffStatus s) {
  switch (s) {
    case DiffStatus::kUnchanged:
      return "unchanged";
    case DiffStatus::kAdded:
      return "added";
    case DiffStatus::kRemoved:
      return "removed";
    case DiffStatus::kChanged:
      return "changed";
  }
  return "unchanged";
}

Status Validate(const Document& doc) {
  if (doc.title.empty()) {
    return Invalid("a document needs a title", "title");
  }
  for (std::size_t i = 0; i < doc.blocks.size(); ++i) {
    const std::string f = Idx("blocks", i);
    Status s = std::visit(
        Overloaded{
            [&](const Heading& h) -> Status {
              if (h.level < 1 || h.level > 3) {
                return Invalid("heading level must be 1, 2 or 3", f + ".level");
              }
              if (!ValidAnchor(h.anchor)) {
                return Invalid("anchor may hold only letters, digits, '-' and '_'", f + ".anchor");
              }
              return Status::Ok();
            },
            [&](const Table& t) -> Status { return ValidateTable(t, f); },
            [](const auto&) -> Status { return Status::Ok(); },
        },
        doc.blocks[i]);
    ACC_RETURN_IF_ERROR(s);
  }
  return Status::Ok();
}

Status ValidateSheet(const Sheet& sheet) {
  const std::string& n = sheet.name;
  if (n.empty() || n.size() > 31) {
    return Invalid("sheet name must be 1 to 31 characters", "name");
  }
  if (n.find_first_of("[]:*?/\\") != std::string::npos) {
    return Invalid("sheet name may not contain [ ] : * ? / \\", "name");
  }
  if (n.front() == '\'' || n.back() == '\'') {
    return Invalid("sheet name may not start or end with an apostrophe", "name");
  }
  if (sheet.columns.empty()) {
    return Invalid("a sheet needs at least one column", "columns");
  }
  if (sheet.columns.size() > 16384) {
    return Invalid("a sheet has at most 16384 columns", "columns");
  }
  if (sheet.rows.size() >= 1048576) {
    return Invalid("a sheet has at most 1048575 data rows", "rows");
  }
  for (std::size_t c = 0; c < sheet.columns.size(); ++c) {
    const double w = sheet.columns[c].width;
    if (!std::isfinite(w) || w < 1 || w > 255) {
      return Invalid("column width must be between 1 and 255", Idx("columns", c) + ".width");
    }
  }
  for (std::size_t r = 0; r < sheet.rows.size(); ++r) {
    const auto& row = sheet.rows[r];
    if (row.size() != sheet.columns.size()) {
      return Invalid("row has " + std::to_string(row.size()) + " cells but the sheet has " +
                         std::to_string(sheet.columns.size()) + " columns",
                     Idx("rows", r));
    }
    for (std::size_t c = 0; c < row.size(); ++c) {
      const Cell& cell = row[c];
      if (cell.kind == CellKind::kNumber && !std::isfinite(cell.number)) {
        return Invalid("number must be finite", Idx(Idx("rows", r), c));
      }
      if (cell.kind == CellKind::kDate) {
        auto d = ParseDate(cell.text);
        if (!d.has_value()) {
          return Invalid("date must be YYYY-MM-DD", Idx(Idx("rows", r), c));
        }
      }
      if (cell.text.size() > 32767) {
        return Invalid("cell text is longer than 32767 bytes", Idx(Idx("rows", r), c));
      }
    }
  }
  if (!sheet.row_styles.empty() && sheet.row_styles.size() != sheet.rows.size()) {
    return Invalid("row_styles must be empty or have one entry per row", "row_styles");
  }
  return Status::Ok();
}

Status Validate(const Workbook& book) {
  if (book.sheets.empty()) {
    return Invalid("a workbook needs at least one sheet", "sheets");
  }
  std::set<std::string> names;
  for (std::size_t i = 0; i < book.sheets.size(); ++i) {
    Status s = ValidateSheet(book.sheets[i]);
    if (!s.ok()) {
      Error e = s.error();
      e.field = Idx("sheets", i) + "." + e.field;
      return e;
    }
    std::string lower = book.sheets[i].name;
    for (char& c : lower) {
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    if (!names.insert(lower).second) {
      return Invalid("sheet names must be unique", Idx("sheets", i) + ".name");
    }
  }
  if (!book.created.empty()) {
    auto t = ParseInstant(book.created, "created");
    if (!t.has_value()) {
      return Invalid("created must be an ISO 8601 UTC instant", "created");
    }
  }
  return Status::Ok();
}

std::vector<std::string> SectionText(const std::vector<Block>& blocks) {
  std::vector<std::string> lines;
  auto add_multiline = [&](const std::string& prefix, std::string_view text) {
    const std::string clean = internal::CleanText(text);
    std::size_t start = 0;
    while (true) {
      const std::size_t nl = clean.find('\n', start);
      lines.push_back(prefix + clean.substr(start, nl == std::string::npos ? nl : nl - start));
      if (nl == std::string::npos) {
        break;
      }
      start = nl + 1;
    }
  };
  for (const Block& block : blocks) {
    std::visit(
        Overloaded{
            [&](const Heading& h) {
              lines.push_back(std::string(static_cast<std::size_t>(h.level), '#') + " " +
                              OneLine(h.text));
            },
            [&](const Paragraph& p) {
              std::string text;
              for (const Run& r : p.runs) {
                const char* mark = r.bold && r.italic ? "***" : r.bold ? "**" : r.italic ? "*" : "";
                text += mark + r.text + mark;
              }
              add_multiline("", text);
            },
            [&](const BulletList& l) {
              for (const std::string& item : l.items) {
                lines.push_back("- " + OneLine(item));
              }
            },
            [&](const Table& t) {
              if (!t.caption.empty()) {
                lines.push_back("Table: " + OneLine(t.caption));
              }
              auto row_line = [](const std::vector<std::string>& cells) {
                std::string line = "|";
                for (const std::string& c : cells) {
                  line += " " + OneLine(c) + " |";
                }
                return line;
              };
              lines.push_back(row_line(t.header));
              for (std::size_t r = 0; r < t.rows.size(); ++r) {
                std::string line = row_line(t.rows[r]);
                if (r < t.row_styles.size() && t.row_styles[r] != RowStyle::kNormal) {
                  line += " [" + std::string(RowStyleName(t.row_styles[r])) + "]";
                }
                lines.push_back(std::move(line));
              }
            },
            [&](const Notice& n) {
              add_multiline("[" + std::string(NoticeKindLabel(n.kind)) + "] ", n.text);
            },
            [&](const PageBreak&) { lines.emplace_back("[page break]"); },
        },
        block);
  }
  return lines;
}

}  // namespace accredit::docs
