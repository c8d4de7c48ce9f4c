// Slow tests (LibreOffice): the generated DOCX and XLSX files open in a real office suite.
// Named *Slow so ctest can label them.

#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>
#include <regex>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "reports/reports_fixture.h"

namespace accredit::reports {
namespace {

using testing_support::ReportsTest;

std::string Quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  }
  return out + "'";
}

// Runs a shell command; returns its exit status and output.
std::pair<int, std::string> RunShell(const std::string& cmd) {
  std::string output;
  FILE* pipe = popen((cmd + " 2>&1").c_str(), "r");
  if (pipe == nullptr) {
    return {-1, "popen failed"};
  }
  std::array<char, 4096> buf{};
  while (fgets(buf.data(), static_cast<int>(buf.size()), pipe) != nullptr) {
    output += buf.data();
  }
  return {pclose(pipe), output};
}

// Converts `input` with headless LibreOffice into `scratch`/out; returns the produced path.
std::filesystem::path Convert(const std::filesystem::path& input, const std::string& to,
                              const std::string& ext, const std::filesystem::path& scratch) {
  const auto home = scratch / "home";
  const auto outdir = scratch / "out";
  std::filesystem::create_directories(home);
  std::filesystem::create_directories(outdir);
  const auto [code, output] = RunShell(
      "HOME=" + Quote(home.string()) + " timeout 300 soffice -env:UserInstallation=file://" +
      home.string() + "/lo-profile --headless --norestore --nolockcheck --convert-to " + Quote(to) +
      " --outdir " + Quote(outdir.string()) + " " + Quote(input.string()));
  const auto produced = outdir / (input.stem().string() + "." + ext);
  EXPECT_EQ(code, 0) << output;
  EXPECT_TRUE(std::filesystem::exists(produced)) << output;
  return produced;
}

std::string Collapse(const std::string& text) {
  return std::regex_replace(text, std::regex("\\s+"), " ");
}

TEST_F(ReportsTest, DocxConvertsWithLibreOfficeAndHoldsEveryHeadingInOrderSlow) {
  ImportFixtures();
  auto doc = reports_->BuildRmd(admin_);
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  const auto docx = dir_.Path() / "rmd.docx";
  ASSERT_TRUE(docs::WriteDocx(*doc, docx).ok());
  const auto pdf = Convert(docx, "pdf", "pdf", dir_.Path() / "lo");
  const auto txt = dir_.Path() / "rmd.txt";
  const auto [code, output] =
      RunShell("pdftotext -enc UTF-8 " + Quote(pdf.string()) + " " + Quote(txt.string()));
  ASSERT_EQ(code, 0) << output;
  const std::string text = Collapse(testing::ReadFile(txt));
  std::size_t pos = 0;
  for (const auto& heading : Annex3Headings()) {
    const std::size_t found = text.find(heading, pos);
    ASSERT_NE(found, std::string::npos) << "missing or out of order: " << heading;
    pos = found + heading.size();
  }
  for (const auto& ref : FixtureColumn("risks.csv", "ref")) {
    EXPECT_NE(text.find(ref), std::string::npos) << ref;
  }
}

TEST_F(ReportsTest, MatrixAndSoaXlsxConvertWithLibreOfficeSlow) {
  ImportFixtures();

  struct Case {
    std::string name;
    Result<docs::Workbook> book;
    std::string header;
  };

  std::vector<Case> cases;
  cases.push_back({"matrix", reports_->ComplianceMatrix(admin_),
                   "Clause,Requirement,Kind,Time limit,Status,Computed state,Computed detail,"
                   "Response,Implementing controls,Evidence,Owner,Last reviewed"});
  cases.push_back({"soa", reports_->StatementOfApplicability(admin_),
                   "Control,Title,Section,Applicable,Justification,Implementation status,"
                   "Implementing controls,2022 controls"});
  for (auto& c : cases) {
    ASSERT_TRUE(c.book.ok()) << c.book.status().ToString();
    const auto xlsx = dir_.Path() / (c.name + ".xlsx");
    ASSERT_TRUE(docs::WriteXlsx(*c.book, xlsx).ok());
    const auto csv = Convert(xlsx, "csv:Text - txt - csv (StarCalc):44,34,76,1", "csv",
                             dir_.Path() / ("lo-" + c.name));
    const std::string text = testing::ReadFile(csv);
    std::string header = text.substr(0, text.find_first_of("\r\n"));
    header.erase(std::remove(header.begin(), header.end(), '"'), header.end());
    EXPECT_EQ(header, c.header) << c.name;
    std::size_t lines = 0;
    for (char ch : text) {
      lines += ch == '\n' ? 1 : 0;
    }
    EXPECT_GE(lines, c.book->sheets[0].rows.size()) << c.name;
  }
}

}  // namespace
}  // namespace accredit::reports
