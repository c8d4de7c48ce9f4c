// RenderMarkdown: GitHub tables, escaping, notices.

#include <string>

#include <gtest/gtest.h>

#include "docs/docs.h"
#include "docs_testing.h"

namespace accredit::docs {
namespace {

TEST(MarkdownWriterTest, RendersGithubTable) {
  Document doc;
  doc.title = "Matrix";
  Table t;
  t.caption = "Controls";
  t.header = {"ID", "Title"};
  t.rows = {{"C1", "Patching"}, {"C2", "Backups"}};
  doc.blocks.push_back(t);
  const Result<std::string> md = RenderMarkdown(doc);
  ASSERT_TRUE(md.has_value()) << md.error().message;
  EXPECT_EQ(*md,
            "# Matrix\n\n"
            "**Controls**\n\n"
            "| ID | Title |\n"
            "| --- | --- |\n"
            "| C1 | Patching |\n"
            "| C2 | Backups |\n\n");
}

TEST(MarkdownWriterTest, EscapesPipesNewlinesAndMarkup) {
  Document doc;
  doc.title = "T";
  Table t;
  t.header = {"a|b", "c"};
  t.rows = {{"x | y", "line1\nline2"}, {"<script>", "*not bold* [link](http://x)"}};
  doc.blocks.push_back(t);
  const Result<std::string> md = RenderMarkdown(doc);
  ASSERT_TRUE(md.has_value());
  EXPECT_NE(md->find("| a\\|b | c |\n"), std::string::npos) << *md;
  EXPECT_NE(md->find("| x \\| y | line1<br>line2 |\n"), std::string::npos) << *md;
  EXPECT_NE(md->find("| &lt;script&gt; | \\*not bold\\* \\[link\\](http://x) |\n"),
            std::string::npos)
      << *md;
  // The escaped row still has exactly columns+1 unescaped pipes.
  const std::string line = "| x \\| y | line1<br>line2 |";
  int pipes = 0;
  for (std::size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '|' && (i == 0 || line[i - 1] != '\\')) {
      ++pipes;
    }
  }
  EXPECT_EQ(pipes, 3);
}

TEST(MarkdownWriterTest, HeadingsShiftedNoticesAndEmphasis) {
  const Result<std::string> md = RenderMarkdown(testing::SampleRmd());
  ASSERT_TRUE(md.has_value());
  EXPECT_EQ(md->rfind("# Risk Management Documentation\n", 0), 0u);
  EXPECT_NE(md->find("- **Version:** Version 3\n"), std::string::npos);
  EXPECT_NE(md->find("\n## 1 Executive Summary <a id=\"a3-1\"></a>\n"), std::string::npos);
  EXPECT_NE(md->find("\n### 4.1 Background <a id=\"a3-4-1\"></a>\n"), std::string::npos);
  EXPECT_NE(md->find("> **GAP:** No required changes have been recorded.\n"), std::string::npos);
  EXPECT_NE(md->find("This document describes **how risks are managed** *for the IMS.*"),
            std::string::npos)
      << *md;
  EXPECT_NE(md->find("| \u26D4 R2 |"), std::string::npos);  // danger row flagged
  std::size_t pos = 0;
  for (const std::string& h : testing::Annex3Headings()) {
    const std::size_t at = md->find("## " + h, pos);
    ASSERT_NE(at, std::string::npos) << h;
    pos = at;
  }
}

TEST(MarkdownWriterTest, ParagraphLinesThatLookLikeBlocksAreEscaped) {
  Document doc;
  doc.title = "T";
  doc.blocks.push_back(Text("# not a heading\n1. not a list\n- not a bullet"));
  const Result<std::string> md = RenderMarkdown(doc);
  ASSERT_TRUE(md.has_value());
  EXPECT_NE(md->find("\\# not a heading\\\n1\\. not a list\\\n\\- not a bullet\n"),
            std::string::npos)
      << *md;
}

}  // namespace
}  // namespace accredit::docs
