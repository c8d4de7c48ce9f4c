// Fuzzes registers::ParseCsv, the RFC 4180 reader behind every register's CSV import
// (`accredit <register> import FILE`, POST /api/v1/r/{name}/import).
// Invariants: never crashes; errors explain themselves; every parsed record has a line number
// within the input and fields that re-escape and re-parse to themselves.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "registers/registers.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto records = accredit::registers::ParseCsv(text);
  if (!records.ok()) {
    if (records.error().message.empty()) {
      std::abort();
    }
    return 0;
  }
  for (const auto& rec : *records) {
    if (rec.line < 1 || static_cast<std::size_t>(rec.line) > size + 1) {
      std::abort();
    }
    // A leading column keeps the re-parsed first field away from the start of the text, where
    // a UTF-8 byte-order mark is (rightly) dropped.
    std::string row = "x";
    for (const auto& field : rec.fields) {
      row += "," + accredit::registers::CsvEscape(field);
    }
    row += "\n";
    auto again = accredit::registers::ParseCsv(row);
    // The reader turns CRLF inside a quoted field into LF (spreadsheets write CRLF), so
    // compare modulo carriage returns.
    auto no_cr = [](std::string s) {
      s.erase(std::remove(s.begin(), s.end(), '\r'), s.end());
      return s;
    };
    if (!again.ok() || again->size() != 1 || (*again)[0].fields.size() != rec.fields.size() + 1 ||
        !std::equal(
            rec.fields.begin(), rec.fields.end(), (*again)[0].fields.begin() + 1,
            [&](const std::string& a, const std::string& b) { return no_cr(a) == no_cr(b); })) {
      std::abort();
    }
  }
  return 0;
}
