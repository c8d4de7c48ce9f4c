// JSON form of a docs::Workbook, for the frozen Statement of Applicability versions
// (soa_versions.content_json). Internal to the reports module (see internal.h).

#include <array>
#include <exception>
#include <stdexcept>
#include <string>

#include "reports/internal.h"

namespace accredit::reports::internal {
namespace {

constexpr std::array<docs::RowStyle, 3> kRowStyles = {
    docs::RowStyle::kNormal, docs::RowStyle::kWarning, docs::RowStyle::kDanger};

std::string_view CellKindName(docs::CellKind k) {
  switch (k) {
    case docs::CellKind::kNumber:
      return "number";
    case docs::CellKind::kDate:
      return "date";
    case docs::CellKind::kText:
      break;
  }
  return "text";
}

// Throws (Json::exception or std::runtime_error) on a missing key, wrong type or unknown
// enumerator; caught in WorkbookFromJson.
docs::Workbook ParseWorkbook(const Json& j) {
  docs::Workbook book;
  book.title = j.at("title").get<std::string>();
  book.author = j.at("author").get<std::string>();
  book.subject = j.at("subject").get<std::string>();
  book.created = j.at("created").get<std::string>();
  for (const auto& js : j.at("sheets")) {
    docs::Sheet sheet;
    sheet.name = js.at("name").get<std::string>();
    for (const auto& jc : js.at("columns")) {
      sheet.columns.push_back(docs::Column{jc.at("header").get<std::string>(),
                                           jc.at("width").get<double>(),
                                           jc.at("wrap").get<bool>()});
    }
    for (const auto& jr : js.at("rows")) {
      std::vector<docs::Cell> row;
      for (const auto& jcell : jr) {
        const auto kind = jcell.at("kind").get<std::string>();
        if (kind == "number") {
          row.push_back(docs::Cell::Num(jcell.at("number").get<double>()));
        } else if (kind == "date") {
          row.push_back(docs::Cell::IsoDate(jcell.at("text").get<std::string>()));
        } else if (kind == "text") {
          row.push_back(docs::Cell::Str(jcell.at("text").get<std::string>()));
        } else {
          throw std::runtime_error("unknown cell kind");
        }
      }
      sheet.rows.push_back(std::move(row));
    }
    for (const auto& jst : js.at("row_styles")) {
      const auto name = jst.get<std::string>();
      bool known = false;
      for (const auto style : kRowStyles) {
        if (docs::RowStyleName(style) == name) {
          sheet.row_styles.push_back(style);
          known = true;
        }
      }
      if (!known) {
        throw std::runtime_error("unknown row style");
      }
    }
    book.sheets.push_back(std::move(sheet));
  }
  return book;
}

}  // namespace

std::string WorkbookToJson(const docs::Workbook& book) {
  Json sheets = Json::array();
  for (const auto& sheet : book.sheets) {
    Json columns = Json::array();
    for (const auto& c : sheet.columns) {
      columns.push_back({{"header", c.header}, {"width", c.width}, {"wrap", c.wrap}});
    }
    Json rows = Json::array();
    for (const auto& row : sheet.rows) {
      Json cells = Json::array();
      for (const auto& cell : row) {
        Json jc = {{"kind", CellKindName(cell.kind)}};
        if (cell.kind == docs::CellKind::kNumber) {
          jc["number"] = cell.number;
        } else {
          jc["text"] = cell.text;
        }
        cells.push_back(std::move(jc));
      }
      rows.push_back(std::move(cells));
    }
    Json styles = Json::array();
    for (const auto style : sheet.row_styles) {
      styles.push_back(docs::RowStyleName(style));
    }
    sheets.push_back({{"name", sheet.name},
                      {"columns", std::move(columns)},
                      {"rows", std::move(rows)},
                      {"row_styles", std::move(styles)}});
  }
  const Json j = {{"title", book.title},
                  {"author", book.author},
                  {"subject", book.subject},
                  {"created", book.created},
                  {"sheets", std::move(sheets)}};
  return DumpJson(j);
}

Result<docs::Workbook> WorkbookFromJson(std::string_view json) {
  const Json j = Json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) {
    return Err(ErrorCode::kDataLoss, "stored workbook is not valid JSON", "content_json");
  }
  docs::Workbook book;
  try {
    book = ParseWorkbook(j);
  } catch (const std::exception&) {
    return Err(ErrorCode::kDataLoss, "stored workbook JSON has the wrong shape", "content_json");
  }
  if (Status valid = docs::Validate(book); !valid.ok()) {
    return Err(ErrorCode::kDataLoss, "stored workbook is not a valid workbook", "content_json");
  }
  return book;
}

}  // namespace accredit::reports::internal
