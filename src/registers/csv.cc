// RFC 4180 CSV reading and writing for register import and export.

#include <algorithm>
#include <string>

#include "registers/registers.h"

namespace accredit::registers {
namespace {

Error CsvError(int line, std::string message) {
  return Err(ErrorCode::kInvalidArgument, std::move(message), "line " + std::to_string(line));
}

}  // namespace

Result<std::vector<CsvRecord>> ParseCsv(std::string_view text) {
  std::size_t bom = 0;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") {
    text.remove_prefix(3);
    bom = 3;
  }
  // The file is UTF-8 or refused whole, naming the line, column and byte offset of the first
  // bad byte, before any record is read.
  if (auto bad = InvalidUtf8Offset(text)) {
    const std::string_view before = text.substr(0, *bad);
    const auto line_no = 1 + std::count(before.begin(), before.end(), '\n');
    const auto line_start = before.rfind('\n');
    const std::size_t column =
        1 + CodePointCount(line_start == std::string_view::npos ? before
                                                                : before.substr(line_start + 1));
    return Err(ErrorCode::kInvalidArgument,
               "is not UTF-8 text: invalid byte at column " + std::to_string(column) +
                   " (byte offset " + std::to_string(bom + *bad) + " of the file)",
               "line " + std::to_string(line_no));
  }
  std::vector<CsvRecord> out;
  CsvRecord record{1, {}};
  std::string field;
  int line = 1;
  bool field_quoted = false;  // the current field was a quoted field (now closed)
  bool record_blank = true;   // nothing at all read for the current record
  std::size_t i = 0;
  const std::size_t n = text.size();

  auto end_record = [&]() {
    record.fields.push_back(std::move(field));
    field.clear();
    if (!record_blank) {  // a blank line is no record
      out.push_back(std::move(record));
    }
    record = CsvRecord{};
    field_quoted = false;
    record_blank = true;
  };

  while (i < n) {
    const char c = text[i];
    if (c == '"') {
      if (!field.empty() || field_quoted) {
        return CsvError(line, "unexpected quote inside an unquoted field");
      }
      const int start_line = line;
      record_blank = false;
      ++i;
      bool closed = false;
      while (i < n) {
        const char q = text[i];
        if (q == '"') {
          if (i + 1 < n && text[i + 1] == '"') {
            field.push_back('"');
            i += 2;
            continue;
          }
          ++i;
          closed = true;
          break;
        }
        if (q == '\r' && i + 1 < n && text[i + 1] == '\n') {
          ++i;
          continue;  // CRLF inside a quoted field is kept as LF
        }
        if (q == '\n') {
          ++line;
        }
        field.push_back(q);
        ++i;
      }
      if (!closed) {
        return CsvError(start_line, "unterminated quoted field");
      }
      field_quoted = true;
      // After the closing quote: a separator, a line end or the end of the text.
      if (i < n && text[i] != ',' && text[i] != '\n' && text[i] != '\r') {
        return CsvError(line, "unexpected character after a closing quote");
      }
      continue;
    }
    if (c == ',') {
      record.fields.push_back(std::move(field));
      field.clear();
      field_quoted = false;
      record_blank = false;
      ++i;
      continue;
    }
    if (c == '\r' || c == '\n') {
      i += (c == '\r' && i + 1 < n && text[i + 1] == '\n') ? 2 : 1;
      end_record();
      ++line;
      record.line = line;
      continue;
    }
    if (field_quoted) {
      return CsvError(line, "unexpected character after a closing quote");
    }
    field.push_back(c);
    record_blank = false;
    ++i;
  }
  if (!record_blank) {
    end_record();
  }
  return out;
}

std::string CsvEscape(std::string_view field) {
  if (field.find_first_of(",\"\r\n") == std::string_view::npos) {
    return std::string(field);
  }
  std::string out = "\"";
  for (char c : field) {
    if (c == '"') {
      out += "\"\"";
    } else {
      out.push_back(c);
    }
  }
  out += '"';
  return out;
}

}  // namespace accredit::registers
