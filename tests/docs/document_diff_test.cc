// DiffDocuments: added, removed, changed and unchanged sections; unified hunks.

#include <string>

#include <gtest/gtest.h>

#include "docs/docs.h"
#include "docs_testing.h"

namespace accredit::docs {
namespace {

const SectionDiff* Find(const std::vector<SectionDiff>& diffs, const std::string& heading) {
  for (const SectionDiff& d : diffs) {
    if (d.heading == heading) {
      return &d;
    }
  }
  return nullptr;
}

TEST(DocumentDiffTest, IdenticalDocumentsAreAllUnchanged) {
  const Document a = testing::SampleRmd();
  const std::vector<SectionDiff> diffs = DiffDocuments(a, a);
  // 12 level-1 sections + 2 level-2 sections (4.1, 5.5).
  ASSERT_EQ(diffs.size(), 14u);
  for (const SectionDiff& d : diffs) {
    EXPECT_EQ(d.status, DiffStatus::kUnchanged) << d.heading;
    EXPECT_TRUE(d.lines.empty());
  }
  EXPECT_EQ(diffs.front().heading, "1 Executive Summary");
  EXPECT_EQ(diffs.back().heading, "12 Personal Data Processing Statement");
}

TEST(DocumentDiffTest, DetectsChangedAddedRemovedSections) {
  const Document a = testing::SampleRmd();
  Document b = a;
  b.version = "Version 4";
  // Change a risk row in 5.5 (blocks: find the table).
  for (Block& block : b.blocks) {
    if (auto* t = std::get_if<Table>(&block)) {
      t->rows[1][5] = "Medium";
      t->row_styles[1] = RowStyle::kNormal;
    }
  }
  // Remove section 9 (heading + its paragraph), add a new level-2 section after 11.
  for (std::size_t i = 0; i < b.blocks.size(); ++i) {
    const auto* h = std::get_if<Heading>(&b.blocks[i]);
    if (h != nullptr && h->text == "9 Incident Management Process") {
      b.blocks.erase(b.blocks.begin() + static_cast<std::ptrdiff_t>(i),
                     b.blocks.begin() + static_cast<std::ptrdiff_t>(i) + 2);
      break;
    }
  }
  for (std::size_t i = 0; i < b.blocks.size(); ++i) {
    const auto* h = std::get_if<Heading>(&b.blocks[i]);
    if (h != nullptr && h->text == "12 Personal Data Processing Statement") {
      b.blocks.insert(b.blocks.begin() + static_cast<std::ptrdiff_t>(i),
                      {Heading{2, "11.1 Pending changes", "a3-11-1"}, Text("RC-1 pending.")});
      break;
    }
  }
  const std::vector<SectionDiff> diffs = DiffDocuments(a, b);

  ASSERT_FALSE(diffs.empty());
  EXPECT_EQ(diffs[0].heading, "(document properties)");
  EXPECT_EQ(diffs[0].status, DiffStatus::kChanged);
  EXPECT_NE(std::find(diffs[0].lines.begin(), diffs[0].lines.end(), "-Version: Version 3"),
            diffs[0].lines.end());
  EXPECT_NE(std::find(diffs[0].lines.begin(), diffs[0].lines.end(), "+Version: Version 4"),
            diffs[0].lines.end());

  const SectionDiff* risk = Find(diffs, "5.5 Risk Assessment Table");
  ASSERT_NE(risk, nullptr);
  EXPECT_EQ(risk->status, DiffStatus::kChanged);
  ASSERT_FALSE(risk->lines.empty());
  EXPECT_EQ(risk->lines[0].rfind("@@ -", 0), 0u) << risk->lines[0];
  EXPECT_NE(std::find(risk->lines.begin(), risk->lines.end(),
                      "-| R2 | Insider exfiltrates customer data | Very high | Broad admin rights "
                      "| C2 | High | [danger]"),
            risk->lines.end());
  EXPECT_NE(std::find(risk->lines.begin(), risk->lines.end(),
                      "+| R2 | Insider exfiltrates customer data | Very high | Broad admin rights "
                      "| C2 | Medium |"),
            risk->lines.end());
  EXPECT_NE(std::find(risk->lines.begin(), risk->lines.end(),
                      " | R1 | Ransomware encrypts the operations platform | High | Unpatched edge "
                      "devices | C1, C4 | Medium |"),
            risk->lines.end());

  const SectionDiff* removed = Find(diffs, "9 Incident Management Process");
  ASSERT_NE(removed, nullptr);
  EXPECT_EQ(removed->status, DiffStatus::kRemoved);
  EXPECT_EQ(removed->lines, (std::vector<std::string>{"-# 9 Incident Management Process",
                                                      "-Content for section 9."}));

  const SectionDiff* added = Find(diffs, "11.1 Pending changes");
  ASSERT_NE(added, nullptr);
  EXPECT_EQ(added->status, DiffStatus::kAdded);
  EXPECT_EQ(added->anchor, "a3-11-1");
  EXPECT_EQ(added->lines, (std::vector<std::string>{"+## 11.1 Pending changes", "+RC-1 pending."}));

  const SectionDiff* same = Find(diffs, "1 Executive Summary");
  ASSERT_NE(same, nullptr);
  EXPECT_EQ(same->status, DiffStatus::kUnchanged);
  EXPECT_TRUE(same->lines.empty());

  // Document order: 8, 9 (removed), 10, 11, 11.1 (added), 12.
  std::vector<std::string> order;
  for (const SectionDiff& d : diffs) {
    order.push_back(d.heading);
  }
  const auto pos = [&](const std::string& h) {
    return std::find(order.begin(), order.end(), h) - order.begin();
  };
  EXPECT_LT(pos("8 Major Hardware and Software and End of Support Dates"),
            pos("9 Incident Management Process"));
  EXPECT_LT(pos("9 Incident Management Process"),
            pos("10 Security Requirements for User Organisations"));
  EXPECT_LT(pos("11 Required Changes Register"), pos("11.1 Pending changes"));
  EXPECT_LT(pos("11.1 Pending changes"), pos("12 Personal Data Processing Statement"));
}

TEST(DocumentDiffTest, HeadingRenameWithSameAnchorIsAChange) {
  Document a;
  a.title = "T";
  a.blocks = {Heading{1, "1 Summary", "s1"}, Text("x")};
  Document b = a;
  std::get<Heading>(b.blocks[0]).text = "1 Executive Summary";
  const auto diffs = DiffDocuments(a, b);
  ASSERT_EQ(diffs.size(), 1u);
  EXPECT_EQ(diffs[0].status, DiffStatus::kChanged);
  EXPECT_EQ(diffs[0].lines, (std::vector<std::string>{"@@ -1,2 +1,2 @@", "-# 1 Summary",
                                                      "+# 1 Executive Summary", " x"}));
}

TEST(DocumentDiffTest, HunksKeepThreeLinesOfContext) {
  Document a;
  a.title = "T";
  BulletList list;
  for (int i = 1; i <= 20; ++i) {
    list.items.push_back("item " + std::to_string(i));
  }
  a.blocks = {Heading{1, "S", ""}, list};
  Document b = a;
  std::get<BulletList>(b.blocks[1]).items[9] = "item ten";
  const auto diffs = DiffDocuments(a, b);
  ASSERT_EQ(diffs.size(), 1u);
  EXPECT_EQ(diffs[0].lines, (std::vector<std::string>{"@@ -8,7 +8,7 @@", " - item 7", " - item 8",
                                                      " - item 9", "-- item 10", "+- item ten",
                                                      " - item 11", " - item 12", " - item 13"}));
}

}  // namespace
}  // namespace accredit::docs
