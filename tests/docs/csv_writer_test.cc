// RenderCsv: RFC 4180 golden output and the CSV-injection guard.

#include <limits>
#include <string>

#include <gtest/gtest.h>

#include "docs/docs.h"

namespace accredit::docs {
namespace {

TEST(CsvWriterTest, Rfc4180Golden) {
  Sheet s;
  s.name = "x";
  s.columns = {{"id", 10, false}, {"text", 10, false}, {"n", 10, false}, {"when", 10, false}};
  s.rows = {
      {Cell::Str("1"), Cell::Str("plain"), Cell::Num(5), Cell::IsoDate("2024-05-01")},
      {Cell::Str("2"), Cell::Str("a,b"), Cell::Num(0.1), Cell::IsoDate("2024-12-31")},
      {Cell::Str("3"), Cell::Str("say \"hi\""), Cell::Num(-2.5), Cell::Str("")},
      {Cell::Str("4"), Cell::Str("line1\nline2"), Cell::Num(1e300), Cell::Str("r\r\nn")},
      {Cell::Str("5"), Cell::Str("caf\xC3\xA9 \xE2\x80\x94 ok"), Cell::Num(-0.0),
       Cell::Str(" lead")},
  };
  const Result<std::string> csv = RenderCsv(s);
  ASSERT_TRUE(csv.has_value()) << csv.error().message;
  EXPECT_EQ(*csv,
            "id,text,n,when\r\n"
            "1,plain,5,2024-05-01\r\n"
            "2,\"a,b\",0.1,2024-12-31\r\n"
            "3,\"say \"\"hi\"\"\",-2.5,\r\n"
            "4,\"line1\nline2\",1e+300,\"r\nn\"\r\n"
            "5,caf\xC3\xA9 \xE2\x80\x94 ok,-0, lead\r\n");
  EXPECT_NE(csv->substr(0, 3), "\xEF\xBB\xBF");  // no BOM
}

TEST(CsvWriterTest, InjectionGuardPrefixesFormulaTriggersInTextOnly) {
  Sheet s;
  s.name = "x";
  s.columns = {{"=HEADER()", 10, false}, {"v", 10, false}};
  s.rows = {{Cell::Str("=SUM(A1:A2)"), Cell::Num(-3)},
            {Cell::Str("+1"), Cell::Str("-1")},
            {Cell::Str("@cmd"), Cell::Str("\tx")},
            {Cell::Str("=HYPERLINK(\"http://evil\",\"x\")"), Cell::Str("a=b")},
            {Cell::Str("\rcr"), Cell::Str("safe")}};
  const Result<std::string> csv = RenderCsv(s);
  ASSERT_TRUE(csv.has_value());
  EXPECT_EQ(*csv,
            "'=HEADER(),v\r\n"
            "'=SUM(A1:A2),-3\r\n"
            "'+1,'-1\r\n"
            "'@cmd,'\tx\r\n"
            "\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\",a=b\r\n"
            "\"'\ncr\",safe\r\n");
  EXPECT_EQ(CsvInjectionSafe("-5"), "'-5");
  EXPECT_EQ(CsvInjectionSafe("5-"), "5-");
  EXPECT_EQ(CsvInjectionSafe(""), "");
}

TEST(CsvWriterTest, RejectsRaggedRowsAndBadValues) {
  Sheet s;
  s.name = "x";
  s.columns = {{"a", 10, false}, {"b", 10, false}};
  s.rows = {{Cell::Str("1"), Cell::Str("2")}, {Cell::Str("1")}};
  EXPECT_EQ(RenderCsv(s).error().field, "rows[1]");
  s.rows = {{Cell::Str("1"), Cell::IsoDate("01/05/2024")}};
  EXPECT_EQ(RenderCsv(s).error().field, "rows[0][1]");
  s.rows = {{Cell::Str("1"), Cell::Num(std::numeric_limits<double>::infinity())}};
  EXPECT_EQ(RenderCsv(s).error().field, "rows[0][1]");
  s.rows.clear();
  s.row_styles = {RowStyle::kDanger};
  EXPECT_EQ(RenderCsv(s).error().field, "row_styles");
}

}  // namespace
}  // namespace accredit::docs
