// WriteDocx / DocxBytes: package structure, well-formed XML, styles, and (slow) a LibreOffice
// round trip to PDF checked with pdftotext.

#include <regex>
#include <string>

#include <gtest/gtest.h>

#include "docs/docs.h"
#include "docs_testing.h"
#include "testing/testing.h"

namespace accredit::docs {
namespace {

using ::accredit::testing::TempDir;

const char* const kParts[] = {
    "[Content_Types].xml", "_rels/.rels",
    "word/document.xml",   "word/_rels/document.xml.rels",
    "word/styles.xml",     "word/settings.xml",
    "word/numbering.xml",  "word/footer1.xml",
    "docProps/core.xml",   "docProps/app.xml",
};

TEST(DocxWriterTest, PackageHasAllPartsAndWellFormedXml) {
  TempDir dir;
  const std::string path = dir.File("rmd.docx");
  ASSERT_TRUE(WriteDocx(testing::SampleRmd(), path).ok());
  const std::vector<std::string> entries = testing::ZipEntries(path);
  for (const char* part : kParts) {
    EXPECT_NE(std::find(entries.begin(), entries.end(), part), entries.end()) << part;
  }
  EXPECT_EQ(entries.size(), std::size(kParts));
  for (const char* part : kParts) {
    const auto xml = testing::ZipEntry(path, part);
    ASSERT_TRUE(xml.has_value()) << part;
    std::string diagnostics;
    EXPECT_TRUE(testing::XmlWellFormed(*xml, dir.Path(), &diagnostics))
        << part << ": " << diagnostics;
  }
}

TEST(DocxWriterTest, XmllintDetectsMalformedXml) {
  // Guards the check above: a broken part must be reported.
  TempDir dir;
  std::string diagnostics;
  EXPECT_FALSE(testing::XmlWellFormed("<a><b></a>", dir.Path(), &diagnostics));
  EXPECT_FALSE(diagnostics.empty());
}

TEST(DocxWriterTest, StylesFooterAndTitlePage) {
  TempDir dir;
  const std::string path = dir.File("rmd.docx");
  ASSERT_TRUE(WriteDocx(testing::SampleRmd(), path).ok());
  const std::string styles = testing::ZipEntry(path, "word/styles.xml").value_or("");
  for (int level = 1; level <= 3; ++level) {
    const std::string id = "w:styleId=\"Heading" + std::to_string(level) + "\"";
    const std::size_t at = styles.find(id);
    ASSERT_NE(at, std::string::npos) << id;
    const std::size_t end = styles.find("</w:style>", at);
    const std::string style = styles.substr(at, end - at);
    EXPECT_NE(style.find("<w:outlineLvl w:val=\"" + std::to_string(level - 1) + "\"/>"),
              std::string::npos)
        << style;
  }
  for (const char* id : {"Title", "Subtitle", "Normal", "AccreditTable", "Caption"}) {
    EXPECT_NE(styles.find(std::string("w:styleId=\"") + id + "\""), std::string::npos) << id;
  }
  EXPECT_NE(styles.find("<w:tblHeader/>"), std::string::npos);

  const std::string footer = testing::ZipEntry(path, "word/footer1.xml").value_or("");
  EXPECT_NE(footer.find(" PAGE "), std::string::npos);
  EXPECT_NE(footer.find(" NUMPAGES "), std::string::npos);

  const std::string doc = testing::ZipEntry(path, "word/document.xml").value_or("");
  EXPECT_NE(doc.find("<w:footerReference w:type=\"default\" r:id=\"rId4\"/>"), std::string::npos);
  const std::string rels = testing::ZipEntry(path, "word/_rels/document.xml.rels").value_or("");
  EXPECT_NE(rels.find("Id=\"rId4\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
                      "relationships/footer\" Target=\"footer1.xml\""),
            std::string::npos);
  // Title page: title, subtitle, version, date, then a page break before the first heading.
  const std::size_t title = doc.find("<w:pStyle w:val=\"Title\"/>");
  const std::size_t version = doc.find("Version 3");
  const std::size_t date = doc.find("2024-05-01");
  const std::size_t brk = doc.find("<w:br w:type=\"page\"/>");
  const std::size_t h1 = doc.find("<w:pStyle w:val=\"Heading1\"/>");
  ASSERT_NE(title, std::string::npos);
  EXPECT_LT(title, version);
  EXPECT_LT(version, date);
  EXPECT_LT(date, brk);
  EXPECT_LT(brk, h1);
  // Tables: grid widths, header row repeated, highlighted row shaded.
  EXPECT_NE(doc.find("<w:tblGrid><w:gridCol w:w="), std::string::npos);
  EXPECT_NE(doc.find("<w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>"), std::string::npos);
  EXPECT_NE(doc.find("w:fill=\"F8CBAD\""), std::string::npos);
  const std::string core = testing::ZipEntry(path, "docProps/core.xml").value_or("");
  EXPECT_NE(core.find("<dc:title>Risk Management Documentation</dc:title>"), std::string::npos);
}

TEST(DocxWriterTest, EscapesTextAndIsDeterministic) {
  Document doc;
  doc.title = "A & B <C>";
  doc.blocks.push_back(Heading{1, "1 <script>alert(1)</script>", "s1"});
  Table t;
  t.header = {"x"};
  t.rows = {{"a]]>b & \"c\" \x01"}};
  doc.blocks.push_back(t);
  const Result<std::string> a = DocxBytes(doc);
  const Result<std::string> b = DocxBytes(doc);
  ASSERT_TRUE(a.has_value()) << a.error().internal;
  ASSERT_TRUE(b.has_value());
  EXPECT_EQ(*a, *b);
  TempDir dir;
  ASSERT_TRUE(WriteDocx(doc, dir.File("x.docx")).ok());
  const std::string xml = testing::ZipEntry(dir.File("x.docx"), "word/document.xml").value_or("");
  EXPECT_NE(xml.find("1 &lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(xml.find("a]]&gt;b &amp; &quot;c&quot; \xEF\xBF\xBD"), std::string::npos);
  std::string diagnostics;
  EXPECT_TRUE(testing::XmlWellFormed(xml, dir.Path(), &diagnostics)) << diagnostics;
}

TEST(DocxWriterTest, FailedWriteLeavesNoFile) {
  TempDir dir;
  Document bad;  // no title
  const std::string path = dir.File("bad.docx");
  EXPECT_EQ(WriteDocx(bad, path).Code(), ErrorCode::kInvalidArgument);
  EXPECT_FALSE(std::filesystem::exists(path));
  Document ok = testing::SampleRmd();
  EXPECT_EQ(WriteDocx(ok, dir.File("no/such/dir/x.docx")).Code(), ErrorCode::kInternal);
  EXPECT_TRUE(std::filesystem::is_empty(dir.Path()));
}

// Slow (LibreOffice start-up, 5-30 s): the lead labels DocxLibreOfficeTest.* "slow".
TEST(DocxLibreOfficeTest, ConvertsToPdfWithHeadingsInOrderTableAndPageNumbers) {
  TempDir dir;
  const std::filesystem::path docx = dir.Path() / "rmd.docx";
  ASSERT_TRUE(WriteDocx(testing::SampleRmd(), docx).ok());
  std::string diagnostics;
  const auto pdf = testing::ConvertWithLibreOffice(docx, "pdf", "pdf", dir.Path(), &diagnostics);
  ASSERT_TRUE(pdf.has_value()) << diagnostics;
  const std::filesystem::path txt = dir.Path() / "rmd.txt";
  const testing::CommandResult r =
      testing::RunCommand("pdftotext -enc UTF-8 " + testing::ShellQuote(pdf->string()) + " " +
                          testing::ShellQuote(txt.string()));
  ASSERT_EQ(r.exit_code, 0) << "pdftotext (poppler-utils) failed: " << r.output;
  const std::string text = ::accredit::testing::ReadFile(txt);

  EXPECT_NE(text.find("Risk Management Documentation"), std::string::npos);
  std::size_t pos = text.find("Version 3");
  ASSERT_NE(pos, std::string::npos) << text;
  for (const std::string& heading : testing::Annex3Headings()) {
    const std::size_t at = text.find(heading, pos);
    ASSERT_NE(at, std::string::npos) << "missing or out of order: " << heading << "\n" << text;
    pos = at + heading.size();
  }
  // Table cells wrap inside narrow columns: compare with whitespace collapsed.
  const std::string flat = std::regex_replace(text, std::regex("\\s+"), " ");
  EXPECT_NE(flat.find("Ransomware encrypts the operations platform"), std::string::npos) << flat;
  EXPECT_NE(flat.find("Insider exfiltrates customer data"), std::string::npos) << flat;
  EXPECT_NE(flat.find("GAP: No required changes have been recorded."), std::string::npos);
  EXPECT_TRUE(std::regex_search(text, std::regex("Page 1 of [0-9]+"))) << text;
  EXPECT_TRUE(std::regex_search(text, std::regex("Page 2 of [0-9]+"))) << text;
}

}  // namespace
}  // namespace accredit::docs
