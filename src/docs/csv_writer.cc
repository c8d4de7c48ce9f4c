// RenderCsv: RFC 4180 with a CSV-injection guard.

#include <string>

#include "docs/docs.h"
#include "docs/internal.h"

namespace accredit::docs {
namespace {

// RFC 4180 field: quoted when it holds a comma, quote, CR or LF; quotes doubled.
void AppendField(std::string_view field, std::string& out) {
  if (field.find_first_of(",\"\r\n") == std::string_view::npos) {
    out += field;
    return;
  }
  out.push_back('"');
  for (const char c : field) {
    if (c == '"') {
      out += "\"\"";
    } else {
      out.push_back(c);
    }
  }
  out.push_back('"');
}

}  // namespace

std::string CsvInjectionSafe(std::string_view text) {
  // OWASP "CSV Injection": a leading = + - @ TAB or CR makes Excel, LibreOffice and Sheets treat
  // the field as a formula. A leading apostrophe makes them show it as text.
  if (!text.empty()) {
    const char c = text.front();
    if (c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r') {
      return "'" + std::string(text);
    }
  }
  return std::string(text);
}

Result<std::string> RenderCsv(const Sheet& sheet) {
  ACC_RETURN_IF_ERROR(ValidateSheet(sheet));
  std::string out;
  // Guard the raw text (so a leading CR is seen), then clean it (valid UTF-8; CR LF -> LF).
  auto text_field = [](std::string_view raw) {
    return internal::CleanText(CsvInjectionSafe(raw));
  };
  for (std::size_t c = 0; c < sheet.columns.size(); ++c) {
    if (c > 0) {
      out.push_back(',');
    }
    AppendField(text_field(sheet.columns[c].header), out);
  }
  out += "\r\n";
  for (const auto& row : sheet.rows) {
    for (std::size_t c = 0; c < row.size(); ++c) {
      if (c > 0) {
        out.push_back(',');
      }
      const Cell& cell = row[c];
      switch (cell.kind) {
        case CellKind::kNumber:
          out += internal::FormatNumber(cell.number);
          break;
        case CellKind::kDate:
          out += cell.text;  // validated YYYY-MM-DD
          break;
        case CellKind::kText:
          AppendField(text_field(cell.text), out);
          break;
      }
    }
    out += "\r\n";
  }
  return out;
}

}  // namespace accredit::docs
