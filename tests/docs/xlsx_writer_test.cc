// WriteXlsx: worksheet XML (frozen header, autofilter, widths, shared strings), and (slow) a
// LibreOffice conversion back to CSV.

#include <regex>
#include <string>

#include <gtest/gtest.h>

#include "docs/docs.h"
#include "docs_testing.h"
#include "testing/testing.h"

namespace accredit::docs {
namespace {

using ::accredit::testing::TempDir;

Workbook SampleWorkbook() {
  Workbook book;
  book.title = "Compliance matrix";
  book.author = "accredit";
  book.created = "2024-05-01T09:00:00Z";
  Sheet matrix;
  matrix.name = "Matrix";
  matrix.columns = {{"Clause", 12, false},
                    {"Requirement", 60, true},
                    {"Status", 14, false},
                    {"Last reviewed", 14, false},
                    {"Score", 8, false}};
  matrix.rows = {
      {Cell::Str("S2.4-5.4.3"), Cell::Str("Statement of Applicability, kept up to date"),
       Cell::Str("met"), Cell::IsoDate("2024-04-30"), Cell::Num(3)},
      {Cell::Str("S2.4-6.1"), Cell::Str("Compliance matrix, with \"quotes\", commas"),
       Cell::Str("not met"), Cell::IsoDate("2024-01-15"), Cell::Num(0.5)},
  };
  matrix.row_styles = {RowStyle::kNormal, RowStyle::kDanger};
  Sheet soa;
  soa.name = "SoA 2013";
  soa.columns = {{"Control", 10, false}, {"Applicable", 12, false}};
  soa.rows = {{Cell::Str("A.5.1.1"), Cell::Str("yes")},
              {Cell::Str("A.5.1.2"), Cell::Str("no")},
              {Cell::Str("A.6.1.1"), Cell::Str("yes")}};
  book.sheets = {matrix, soa};
  return book;
}

TEST(XlsxWriterTest, SheetsHaveFrozenHeaderAutofilterAndWidths) {
  TempDir dir;
  const std::string path = dir.File("matrix.xlsx");
  const Status s = WriteXlsx(SampleWorkbook(), path);
  ASSERT_TRUE(s.ok()) << s.ToString();
  const std::string sheet1 = testing::ZipEntry(path, "xl/worksheets/sheet1.xml").value_or("");
  const std::string sheet2 = testing::ZipEntry(path, "xl/worksheets/sheet2.xml").value_or("");
  ASSERT_FALSE(sheet1.empty());
  ASSERT_FALSE(sheet2.empty());
  const std::regex frozen("<pane [^>]*ySplit=\"1\"[^>]*state=\"frozen\"/>");
  EXPECT_TRUE(std::regex_search(sheet1, frozen)) << sheet1;
  EXPECT_TRUE(std::regex_search(sheet2, frozen));
  EXPECT_NE(sheet1.find("<autoFilter ref=\"A1:E3\"/>"), std::string::npos) << sheet1;
  EXPECT_NE(sheet2.find("<autoFilter ref=\"A1:B4\"/>"), std::string::npos) << sheet2;
  EXPECT_TRUE(
      std::regex_search(sheet1, std::regex("<col min=\"2\" max=\"2\" width=\"60\\.[0-9]+\"")))
      << sheet1;
  const std::string workbook = testing::ZipEntry(path, "xl/workbook.xml").value_or("");
  EXPECT_NE(workbook.find("name=\"Matrix\""), std::string::npos);
  EXPECT_NE(workbook.find("name=\"SoA 2013\""), std::string::npos);
  const std::string strings = testing::ZipEntry(path, "xl/sharedStrings.xml").value_or("");
  EXPECT_NE(strings.find("<t>Compliance matrix, with \"quotes\", commas</t>"), std::string::npos)
      << strings;
  const std::string styles = testing::ZipEntry(path, "xl/styles.xml").value_or("");
  EXPECT_NE(styles.find("wrapText=\"1\""), std::string::npos);
  EXPECT_NE(styles.find("FFF8CBAD"), std::string::npos);  // danger fill
  EXPECT_NE(styles.find("formatCode=\"yyyy-mm-dd\""), std::string::npos);
  const std::string core = testing::ZipEntry(path, "docProps/core.xml").value_or("");
  EXPECT_NE(core.find("2024-05-01T09:00:00Z"), std::string::npos) << core;
  EXPECT_NE(core.find("<dc:title>Compliance matrix</dc:title>"), std::string::npos) << core;
}

TEST(XlsxWriterTest, FormulaLikeTextIsStoredAsString) {
  Workbook book;
  Sheet s;
  s.name = "S";
  s.columns = {{"x", 10, false}};
  s.rows = {{Cell::Str("=1+1")}};
  book.sheets = {s};
  TempDir dir;
  ASSERT_TRUE(WriteXlsx(book, dir.File("f.xlsx")).ok());
  const std::string sheet =
      testing::ZipEntry(dir.File("f.xlsx"), "xl/worksheets/sheet1.xml").value_or("");
  EXPECT_EQ(sheet.find("<f>"), std::string::npos) << sheet;
}

TEST(XlsxWriterTest, ValidationNamesSheetRowAndColumn) {
  Workbook book = SampleWorkbook();
  book.sheets[1].rows[2][1] = Cell::IsoDate("2024-13-01");
  TempDir dir;
  const std::string path = dir.File("bad.xlsx");
  Status s = WriteXlsx(book, path);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().field, "sheets[1].rows[2][1]");
  EXPECT_FALSE(std::filesystem::exists(path));
  EXPECT_TRUE(std::filesystem::is_empty(dir.Path()));

  book = SampleWorkbook();
  book.sheets[1].name = "matrix";  // duplicate, case-insensitively
  EXPECT_EQ(WriteXlsx(book, path).error().field, "sheets[1].name");
  book.sheets[1].name = "a/b";
  EXPECT_EQ(WriteXlsx(book, path).error().field, "sheets[1].name");
  book = SampleWorkbook();
  book.sheets[0].rows[0].pop_back();
  EXPECT_EQ(WriteXlsx(book, path).error().field, "sheets[0].rows[0]");
  book = SampleWorkbook();
  book.sheets.clear();
  EXPECT_EQ(WriteXlsx(book, path).error().field, "sheets");
}

TEST(XlsxWriterTest, XlsxBytesMatchesFileAndCleansScratch) {
  TempDir dir;
  const Result<std::string> bytes = XlsxBytes(SampleWorkbook(), dir.Path());
  ASSERT_TRUE(bytes.has_value()) << bytes.error().internal;
  EXPECT_EQ(bytes->substr(0, 2), "PK");
  EXPECT_TRUE(std::filesystem::is_empty(dir.Path()));
}

// Slow (LibreOffice start-up): the lead labels XlsxLibreOfficeTest.* "slow".
TEST(XlsxLibreOfficeTest, ConvertsToCsvWithHeaderAndRows) {
  TempDir dir;
  const std::filesystem::path xlsx = dir.Path() / "matrix.xlsx";
  ASSERT_TRUE(WriteXlsx(SampleWorkbook(), xlsx).ok());
  std::string diagnostics;
  // Filter options: comma, double quote, UTF-8 (76), from line 1, ..., sheet -1 = every sheet
  // to its own file "<name>-<sheet>.csv" (LibreOffice >= 7.2).
  const auto csv = testing::ConvertWithLibreOffice(
      xlsx, "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1", "csv",
      dir.Path(), &diagnostics);
  const std::filesystem::path out = dir.Path() / "out";
  const std::filesystem::path matrix_csv = out / "matrix-Matrix.csv";
  const std::filesystem::path soa_csv = out / "matrix-SoA 2013.csv";
  ASSERT_TRUE(std::filesystem::exists(matrix_csv)) << diagnostics;
  ASSERT_TRUE(std::filesystem::exists(soa_csv)) << diagnostics;
  const std::string m = ::accredit::testing::ReadFile(matrix_csv);
  EXPECT_EQ(m,
            "Clause,Requirement,Status,Last reviewed,Score\n"
            "S2.4-5.4.3,\"Statement of Applicability, kept up to date\",met,2024-04-30,3\n"
            "S2.4-6.1,\"Compliance matrix, with \"\"quotes\"\", commas\",not met,2024-01-15,0.5\n");
  const std::string soa = ::accredit::testing::ReadFile(soa_csv);
  EXPECT_EQ(soa, "Control,Applicable\nA.5.1.1,yes\nA.5.1.2,no\nA.6.1.1,yes\n");
}

}  // namespace
}  // namespace accredit::docs
