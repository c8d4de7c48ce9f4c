// RenderHtml: escaping, heading order, notices, title page, validation.

#include <string>

#include <gtest/gtest.h>

#include "docs/docs.h"
#include "docs_testing.h"

namespace accredit::docs {
namespace {

TEST(HtmlWriterTest, EscapesTextInCellsHeadingsAndTitle) {
  Document doc;
  doc.title = "Title <b>&</b>";
  Table t;
  t.header = {"Name", "Value"};
  t.rows = {{"<script>alert('x')</script>", "a & b \"q\""}};
  doc.blocks.push_back(Heading{1, "1 <Intro>", ""});
  doc.blocks.push_back(t);
  const Result<std::string> html = RenderHtml(doc);
  ASSERT_TRUE(html.has_value()) << html.error().message;
  EXPECT_EQ(html->find("<script>"), std::string::npos);
  EXPECT_NE(html->find("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(html->find("a &amp; b &quot;q&quot;"), std::string::npos);
  EXPECT_NE(html->find("<h1>1 &lt;Intro&gt;</h1>"), std::string::npos);
  EXPECT_NE(html->find("<title>Title &lt;b&gt;&amp;&lt;/b&gt;</title>"), std::string::npos);
}

TEST(HtmlWriterTest, HeadingsAppearInOrderWithAnchors) {
  const Document doc = testing::SampleRmd();
  const Result<std::string> html = RenderHtml(doc);
  ASSERT_TRUE(html.has_value());
  std::size_t pos = 0;
  for (std::size_t i = 0; i < testing::Annex3Headings().size(); ++i) {
    const std::string tag =
        "<h1 id=\"a3-" + std::to_string(i + 1) + "\">" + testing::Annex3Headings()[i] + "</h1>";
    const std::size_t at = html->find(tag, pos);
    ASSERT_NE(at, std::string::npos) << tag;
    pos = at + tag.size();
  }
  EXPECT_NE(html->find("<h2 id=\"a3-5-5\">5.5 Risk Assessment Table</h2>"), std::string::npos);
}

TEST(HtmlWriterTest, GapNoticeTitlePageTableAndPrintCss) {
  const Result<std::string> html = RenderHtml(testing::SampleRmd());
  ASSERT_TRUE(html.has_value());
  EXPECT_NE(html->find("<div class=\"notice notice-gap\" role=\"note\"><strong>GAP:</strong> "
                       "No required changes have been recorded.</div>"),
            std::string::npos);
  EXPECT_EQ(html->rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_NE(html->find("<meta charset=\"utf-8\">"), std::string::npos);
  EXPECT_NE(html->find("<h1 class=\"doc-title\">Risk Management Documentation</h1>"),
            std::string::npos);
  EXPECT_NE(html->find("<dd class=\"doc-version\">Version 3</dd>"), std::string::npos);
  EXPECT_NE(html->find("<dd class=\"doc-date\">2024-05-01</dd>"), std::string::npos);
  EXPECT_NE(html->find("@page"), std::string::npos);
  EXPECT_NE(html->find("thead { display: table-header-group; }"), std::string::npos);
  EXPECT_NE(html->find("<caption>Risk assessment</caption>"), std::string::npos);
  EXPECT_NE(html->find("<tr class=\"row-danger\"><td>R2</td>"), std::string::npos);
  EXPECT_NE(html->find("<th scope=\"col\">Risk ID</th>"), std::string::npos);
  EXPECT_NE(html->find("<div class=\"page-break\"></div>"), std::string::npos);
  EXPECT_NE(html->find("<strong>how risks are managed</strong>"), std::string::npos);
  EXPECT_NE(html->find("<em> for the IMS.</em>"), std::string::npos);
  EXPECT_NE(html->find("<li>Core IMS: operations platform</li>"), std::string::npos);
}

TEST(HtmlWriterTest, InvalidUtf8AndControlCharactersAreReplaced) {
  Document doc;
  doc.title = "T";
  doc.blocks.push_back(Text(std::string("bad \xC3\x28 and \x01 end")));
  const Result<std::string> html = RenderHtml(doc);
  ASSERT_TRUE(html.has_value());
  EXPECT_NE(html->find("bad \xEF\xBF\xBD( and \xEF\xBF\xBD end"), std::string::npos);
}

TEST(HtmlWriterTest, RejectsInvalidDocumentsNamingTheField) {
  Document doc;
  doc.title = "T";
  Table t;
  t.header = {"a", "b"};
  t.rows = {{"1", "2"}, {"only one"}};
  doc.blocks.push_back(Heading{1, "h", ""});
  doc.blocks.push_back(t);
  Result<std::string> html = RenderHtml(doc);
  ASSERT_FALSE(html.has_value());
  EXPECT_EQ(html.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(html.error().field, "blocks[1].rows[1]");

  doc.blocks = {Heading{4, "too deep", ""}};
  html = RenderHtml(doc);
  ASSERT_FALSE(html.has_value());
  EXPECT_EQ(html.error().field, "blocks[0].level");

  doc.blocks = {Heading{1, "h", "bad anchor\"><script>"}};
  html = RenderHtml(doc);
  ASSERT_FALSE(html.has_value());
  EXPECT_EQ(html.error().field, "blocks[0].anchor");

  doc.title.clear();
  doc.blocks.clear();
  EXPECT_EQ(RenderHtml(doc).error().field, "title");
}

}  // namespace
}  // namespace accredit::docs
