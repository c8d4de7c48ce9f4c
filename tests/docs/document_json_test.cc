// ToJson / DocumentFromJson: exact round trip and strict parsing.

#include <string>

#include <gtest/gtest.h>

#include "docs/docs.h"
#include "docs_testing.h"

namespace accredit::docs {
namespace {

TEST(DocumentJsonTest, RoundTripReproducesEveryRendering) {
  Document doc = testing::SampleRmd();
  doc.blocks.push_back(Notice{NoticeKind::kWarning, "Line one\nline two"});
  doc.blocks.push_back(Notice{NoticeKind::kInfo, "info"});
  const std::string json = ToJson(doc);
  const Result<Document> back = DocumentFromJson(json);
  ASSERT_TRUE(back.has_value()) << back.error().field << ": " << back.error().message;
  EXPECT_EQ(ToJson(*back), json);
  EXPECT_EQ(RenderHtml(*back).value_or(""), RenderHtml(doc).value_or("x"));
  EXPECT_EQ(RenderMarkdown(*back).value_or(""), RenderMarkdown(doc).value_or("x"));
  EXPECT_EQ(DocxBytes(*back).value_or(""), DocxBytes(doc).value_or("x"));
  for (const SectionDiff& d : DiffDocuments(doc, *back)) {
    EXPECT_EQ(d.status, DiffStatus::kUnchanged) << d.heading;
  }
  EXPECT_EQ(back->title, doc.title);
  EXPECT_EQ(back->blocks.size(), doc.blocks.size());
  const Table* table_ptr = nullptr;
  for (const Block& b : back->blocks) {
    if (table_ptr == nullptr) {
      table_ptr = std::get_if<Table>(&b);
    }
  }
  ASSERT_NE(table_ptr, nullptr);
  const Table& table = *table_ptr;
  EXPECT_EQ(table.column_widths_hint, (std::vector<double>{1, 4, 1.5, 3, 1.5, 1.5}));
  EXPECT_EQ(table.row_styles[1], RowStyle::kDanger);
}

TEST(DocumentJsonTest, RejectsMalformedInputNamingThePath) {
  struct Case {
    std::string json;
    std::string field;
  };

  const std::string head = R"({"format":"accredit.document","format_version":1,"title":"T",)";
  const Case cases[] = {
      {"not json", "document"},
      {"[]", "document"},
      {R"({"format":"other","format_version":1,"title":"T","blocks":[]})", "format"},
      {R"({"format":"accredit.document","format_version":2,"title":"T","blocks":[]})",
       "format_version"},
      {head + R"("blocks":[],"extra":1})", "extra"},
      {head + R"("blocks":[{"type":"heading","level":7,"text":"x"}]})", "blocks[0].level"},
      {head + R"("blocks":[{"type":"heading","level":1}]})", "blocks[0].text"},
      {head + R"("blocks":[{"type":"picture"}]})", "blocks[0].type"},
      {head + R"("blocks":[{"type":"table","header":["a"],"rows":[["1",2]]}]})",
       "blocks[0].rows[0][1]"},
      {head + R"("blocks":[{"type":"table","header":["a"],"rows":[["1","2"]]}]})",
       "blocks[0].rows[0]"},
      {head + R"("blocks":[{"type":"notice","kind":"loud","text":"x"}]})", "blocks[0].kind"},
      {head + R"("blocks":[{"type":"paragraph","runs":[{"text":"x","bold":"yes"}]}]})",
       "blocks[0].runs[0].bold"},
      {head + R"("blocks":[{"type":"page_break","x":1}]})", "blocks[0].x"},
  };
  for (const Case& c : cases) {
    const Result<Document> r = DocumentFromJson(c.json);
    ASSERT_FALSE(r.has_value()) << c.json;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(r.error().field, c.field) << c.json;
  }
}

TEST(DocumentJsonTest, InvalidUtf8IsReplacedNotThrown) {
  Document doc;
  doc.title = std::string("bad \xFF title");
  const std::string json = ToJson(doc);
  const Result<Document> back = DocumentFromJson(json);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->title, "bad \xEF\xBF\xBD title");
}

}  // namespace
}  // namespace accredit::docs
