#include "catalog/catalog.h"

#include <cstdlib>
#include <filesystem>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "testing/testing.h"

namespace accredit::catalog {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

const Catalog& Embedded() {
  static const std::unique_ptr<Catalog> kCatalog = [] {
    auto loaded = Catalog::Load();
    if (!loaded) {
      ADD_FAILURE() << loaded.error().message;
      std::abort();
    }
    return std::move(loaded).value();
  }();
  return *kCatalog;
}

TEST(CatalogTest, LoadsEmbeddedData) {
  auto loaded = Catalog::Load();
  ASSERT_TRUE(loaded) << loaded.error().message;
  EXPECT_GT((*loaded)->Clauses().size(), 200u);
}

TEST(CatalogTest, IsoCounts) {
  const Catalog& cat = Embedded();
  EXPECT_EQ(cat.Controls(kIso2013).size(), 114u);
  EXPECT_EQ(cat.Controls(kIso2022).size(), 93u);
  std::map<std::string, int> by_theme;
  for (const Control& c : cat.Controls(kIso2022)) {
    ++by_theme[c.group];
  }
  EXPECT_EQ(by_theme, (std::map<std::string, int>{{"5", 37}, {"6", 8}, {"7", 14}, {"8", 34}}));
  EXPECT_THAT(cat.Controls("no-such-catalogue"), IsEmpty());
}

TEST(CatalogTest, IdFormats) {
  const Catalog& cat = Embedded();
  const Control* old_vm = cat.FindControl(kIso2013, "A.12.6.1");
  ASSERT_NE(old_vm, nullptr);
  EXPECT_EQ(old_vm->title, "Management of technical vulnerabilities");
  EXPECT_EQ(old_vm->group, "A.12");
  EXPECT_EQ(old_vm->group_title, "Operations security");
  EXPECT_EQ(old_vm->parent, "A.12.6");
  EXPECT_EQ(old_vm->catalogue, kIso2013);

  const Control* new_vm = cat.FindControl(kIso2022, "8.8");
  ASSERT_NE(new_vm, nullptr);
  EXPECT_EQ(new_vm->title, "Management of technical vulnerabilities");
  EXPECT_EQ(new_vm->annex_ref, "A.8.8");
  EXPECT_EQ(new_vm->group, "8");
  EXPECT_EQ(new_vm->group_title, "Technological controls");
  EXPECT_FALSE(new_vm->new_in_2022);

  EXPECT_EQ(cat.FindControl(kIso2022, "A.8.8"), nullptr);  // annex_ref is not the id
  EXPECT_EQ(cat.FindControl(kIso2013, "8.8"), nullptr);
  EXPECT_EQ(cat.FindControl("nope", "8.8"), nullptr);
}

TEST(CatalogTest, Every2013ControlMapsTo2022) {
  const Catalog& cat = Embedded();
  for (const Control& c : cat.Controls(kIso2013)) {
    std::vector<std::string> to = cat.Map2013To2022(c.id);
    EXPECT_FALSE(to.empty()) << c.id;
    for (const std::string& id : to) {
      EXPECT_NE(cat.FindControl(kIso2022, id), nullptr) << c.id << " -> " << id;
      EXPECT_THAT(cat.Map2022To2013(id), Contains(c.id)) << "reverse of " << c.id << " -> " << id;
    }
  }
}

TEST(CatalogTest, A18_2_3MapsToTwoControls) {
  const Catalog& cat = Embedded();
  EXPECT_THAT(cat.Map2013To2022("A.18.2.3"), UnorderedElementsAre("5.36", "8.8"));
  EXPECT_THAT(cat.Map2022To2013("8.8"), UnorderedElementsAre("A.12.6.1", "A.18.2.3"));
  EXPECT_THAT(cat.Map2013To2022("A.12.6.1"), ElementsAre("8.8"));
  EXPECT_THAT(cat.Map2013To2022("nope"), IsEmpty());
  // Exactly one 2013 control maps to two 2022 controls.
  int doubles = 0;
  for (const Control& c : cat.Controls(kIso2013)) {
    doubles += cat.Map2013To2022(c.id).size() > 1 ? 1 : 0;
  }
  EXPECT_EQ(doubles, 1);
}

TEST(CatalogTest, ElevenControlsNewIn2022) {
  const Catalog& cat = Embedded();
  std::set<std::string> flagged;
  std::set<std::string> unmapped;
  for (const Control& c : cat.Controls(kIso2022)) {
    if (c.new_in_2022) {
      flagged.insert(c.id);
    }
    if (cat.Map2022To2013(c.id).empty()) {
      unmapped.insert(c.id);
    }
  }
  EXPECT_EQ(flagged.size(), 11u);
  EXPECT_EQ(flagged, unmapped);
  EXPECT_EQ(flagged, (std::set<std::string>{"5.7", "5.23", "5.30", "7.4", "8.9", "8.10", "8.11",
                                            "8.12", "8.16", "8.23", "8.28"}));
}

TEST(CatalogTest, NcscCatalogues) {
  const Catalog& cat = Embedded();
  int principles = 0;
  for (const Control& c : cat.Controls(kCloudPrinciples)) {
    principles += c.parent.empty() ? 1 : 0;
  }
  EXPECT_EQ(principles, 14);
  EXPECT_EQ(cat.Controls(kCloudPrinciples).size(), 29u);  // 14 principles + 15 sub-principles
  const Control* sub = cat.FindControl(kCloudPrinciples, "2.3");
  ASSERT_NE(sub, nullptr);
  EXPECT_EQ(sub->parent, "2");
  EXPECT_EQ(sub->group_title, "Asset protection and resilience");

  ASSERT_EQ(cat.Controls(kCyberEssentials).size(), 5u);
  EXPECT_EQ(cat.Controls(kCyberEssentials)[0].id, "CE1");
  EXPECT_EQ(cat.Controls(kCyberEssentials)[0].title, "Firewalls");

  EXPECT_EQ(cat.Controls(kCaf32).size(), 39u);
  EXPECT_EQ(cat.Controls(kCaf40).size(), 41u);
  const Control* outcome = cat.FindControl(kCaf32, "A1.a");
  ASSERT_NE(outcome, nullptr);
  EXPECT_EQ(outcome->group, "A1");
  EXPECT_EQ(outcome->group_title, "Governance");
}

TEST(CatalogTest, EveryCatalogueIsAttributed) {
  const Catalog& cat = Embedded();
  std::map<std::string, CatalogueInfo> infos;
  for (const CatalogueInfo& info : cat.Catalogues()) {
    EXPECT_FALSE(info.title.empty()) << info.id;
    EXPECT_FALSE(info.licence.empty()) << info.id;
    EXPECT_FALSE(info.source_path.empty()) << info.id;
    EXPECT_THAT(info.attribution, HasSubstr(info.licence)) << info.id;
    infos.emplace(info.id, info);
  }
  ASSERT_EQ(infos.size(), 8u);
  EXPECT_EQ(cat.Catalogues().front().id, kSchedule);
  EXPECT_EQ(infos[std::string(kSchedule)].count, cat.Clauses().size());
  EXPECT_EQ(infos[std::string(kIso2013)].count, 114u);
  EXPECT_EQ(infos[std::string(kIso2022)].count, 93u);
  EXPECT_EQ(infos[std::string(kIsoMapping)].count, 115u);
  EXPECT_EQ(infos[std::string(kCyberEssentials)].count, 5u);
  for (std::string_view id : {kIso2013, kIso2022, kCyberEssentials, kCaf32}) {
    const CatalogueInfo& info = infos[std::string(id)];
    EXPECT_EQ(info.source_repository, "intuitem/ciso-assistant-community") << id;
    EXPECT_EQ(info.source_commit, "f990d7b1b9a9f56e391acbc247c9076262a11412") << id;
    EXPECT_THAT(info.attribution, HasSubstr("@ f990d7b1")) << id;
  }
  EXPECT_THAT(infos[std::string(kIso2013)].licence, HasSubstr("ISO copyright"));
  EXPECT_THAT(infos[std::string(kCloudPrinciples)].licence,
              HasSubstr("Open Government Licence v3.0"));
  EXPECT_EQ(infos[std::string(kCloudPrinciples)].source_repository,
            "gavinmorrison/ncsc-cloud-security-principles");
  EXPECT_THAT(infos[std::string(kSchedule)].attribution, HasSubstr("scripts/gen-clauses.py"));
}

TEST(CatalogTest, NamedClausesExist) {
  const Catalog& cat = Embedded();
  std::vector<std::string> ids;
  for (int i = 1; i <= 8; ++i) {
    ids.push_back("S2.4-5.4." + std::to_string(i));
    ids.push_back("S2.4-5.13." + std::to_string(i));
  }
  for (int i = 1; i <= 9; ++i) {
    ids.push_back("S2.4-8.6." + std::to_string(i));
    ids.push_back("S2.4-A1-" + std::to_string(i));
  }
  for (int i = 1; i <= 12; ++i) {
    ids.push_back("S2.4-A3-" + std::to_string(i));
  }
  for (const char* id :
       {"S2.4-2.1",     "S2.4-5.15.1",  "S2.4-5.15.2",   "S2.4-6.2.1",   "S2.4-6.2.2",
        "S2.4-7.1.1.1", "S2.4-7.1.1.2", "S2.4-7.1.1.3",  "S2.4-8.3.1",   "S2.4-8.3.2",
        "S2.4-8.3.3",   "S2.4-10.3.2",  "S2.4-11.1.5",   "S2.4-A1-4.6",  "S2.4-A1-5.5",
        "S2.4-A1-7.2",  "S2.4-A3-4.7",  "S2.4-A3-5.5",   "S2.4-A3-A",    "S2.4-A3-B",
        "S2.4-A3-C",    "S2.4-A3-D",    "S2.4-A1-6.1.4", "S2.4-10.3.1.4"}) {
    ids.emplace_back(id);
  }
  for (const std::string& id : ids) {
    const Clause* c = cat.FindClause(id);
    ASSERT_NE(c, nullptr) << id;
    EXPECT_EQ(c->id, id);
    EXPECT_FALSE(c->title.empty()) << id;
  }
  EXPECT_EQ(cat.FindClause("5.13"), cat.FindClause("S2.4-5.13"));
  EXPECT_EQ(cat.FindClause("S2.4-99.1"), nullptr);
  EXPECT_EQ(cat.FindClause(""), nullptr);
}

// Scans the real clause map for every paragraph number under each heading, independently of
// scripts/gen-clauses.py, and checks each is a clause.
TEST(CatalogTest, EveryClauseInClauseMapExists) {
  const std::filesystem::path path = accredit::testing::SharedDir() / "seed" / "CLAUSES.md";
  // The clause map is part of the test data: missing data fails the test, never skips it.
  ASSERT_TRUE(std::filesystem::exists(path)) << "missing test data: " << path;
  std::istringstream in(accredit::testing::ReadFile(path));
  const std::regex body_heading(R"(^## (\d+) )");
  const std::regex annex_heading(R"(^## Annex (\d+) )");
  const std::regex dotted(R"(\b(\d+(?:\.\d+)+)\b)");
  const std::regex a1_bullet(R"(^- A1-(\d+) )");
  const std::regex a3_section(R"(A3-(\d+) )");
  const std::regex a3_sub(R"([:,] (\d+\.\d+) )");
  const std::regex a3_annex(R"(\bAnnex ([A-D]) )");
  std::string section;
  std::set<std::string> ids;
  std::string line;
  std::smatch m;
  while (std::getline(in, line)) {
    if (std::regex_search(line, m, body_heading)) {
      section = m[1];
      ids.insert("S2.4-" + section);
      continue;
    }
    if (std::regex_search(line, m, annex_heading)) {
      section = "A" + m[1].str();
      ids.insert("S2.4-" + section);
      continue;
    }
    if (line.rfind('#', 0) == 0) {
      section.clear();
      continue;
    }
    if (section.empty() || section == "1") {
      continue;  // preamble and the definitions paragraph (its numbers are cross-references)
    }
    if (section == "A1") {
      if (!std::regex_search(line, m, a1_bullet)) {
        continue;
      }
      const std::string k = m[1];
      ids.insert("S2.4-A1-" + k);
      for (auto it = std::sregex_iterator(line.begin(), line.end(), dotted);
           it != std::sregex_iterator(); ++it) {
        if ((*it)[1].str().rfind(k + ".", 0) == 0) {
          ids.insert("S2.4-A1-" + (*it)[1].str());
        }
      }
    } else if (section == "A3") {
      // Split the paragraph at each "A3-k " and read "k.m" sub-sections inside each part.
      std::vector<std::pair<std::size_t, std::string>> starts;
      for (auto it = std::sregex_iterator(line.begin(), line.end(), a3_section);
           it != std::sregex_iterator(); ++it) {
        starts.emplace_back(static_cast<std::size_t>(it->position(0)), (*it)[1].str());
        ids.insert("S2.4-A3-" + (*it)[1].str());
      }
      for (std::size_t i = 0; i < starts.size(); ++i) {
        const std::size_t end = i + 1 < starts.size() ? starts[i + 1].first : line.size();
        const std::string part = line.substr(starts[i].first, end - starts[i].first);
        for (auto it = std::sregex_iterator(part.begin(), part.end(), a3_sub);
             it != std::sregex_iterator(); ++it) {
          if ((*it)[1].str().rfind(starts[i].second + ".", 0) == 0) {
            ids.insert("S2.4-A3-" + (*it)[1].str());
          }
        }
      }
      for (auto it = std::sregex_iterator(line.begin(), line.end(), a3_annex);
           it != std::sregex_iterator(); ++it) {
        ids.insert("S2.4-A3-" + (*it)[1].str());
      }
    } else if (line.rfind("- ", 0) == 0 && section[0] != 'A') {
      for (auto it = std::sregex_iterator(line.begin(), line.end(), dotted);
           it != std::sregex_iterator(); ++it) {
        if ((*it)[1].str().rfind(section + ".", 0) == 0) {
          ids.insert("S2.4-" + (*it)[1].str());
        }
      }
    }
  }
  // The scan must have found the whole map, not an empty set that passes trivially.
  EXPECT_GE(ids.size(), 200u);
  EXPECT_TRUE(ids.count("S2.4-7.1.1.3"));
  EXPECT_TRUE(ids.count("S2.4-A3-5.7"));
  const Catalog& cat = Embedded();
  for (const std::string& id : ids) {
    EXPECT_NE(cat.FindClause(id), nullptr) << id << " is cited in CLAUSES.md but not catalogued";
  }
}

TEST(CatalogTest, DeadlinesRecorded) {
  const Catalog& cat = Embedded();

  struct Case {
    const char* id;
    std::vector<const char*> parts;
  };

  const std::vector<Case> cases = {
      {"S2.4-5.5", {"10 WD", "15 WD"}}, {"S2.4-5.13", {"2 WD"}},        {"S2.4-5.13.4", {"2 WD"}},
      {"S2.4-5.14", {"10 WD"}},         {"S2.4-8.3.1", {"7 days"}},     {"S2.4-8.3.2", {"30 days"}},
      {"S2.4-8.3.3", {"60 days"}},      {"S2.4-8.6.6", {"5 WD"}},       {"S2.4-10.1", {"24 hours"}},
      {"S2.4-10.3.2", {"2 WD"}},        {"S2.4-7.13", {"by 31 March"}}, {"S2.4-A1-4.6", {"1 WD"}},
      {"S2.4-7.1.1.3", {"12 months"}},  {"S2.4-7.1.2", {"monthly"}},    {"S2.4-5.8", {"20 WD"}},
      {"S2.4-6.7", {"2 WD"}},
  };
  for (const Case& c : cases) {
    const Clause* clause = cat.FindClause(c.id);
    ASSERT_NE(clause, nullptr) << c.id;
    EXPECT_EQ(clause->kind, ClauseKind::kDeadline) << c.id;
    for (const char* part : c.parts) {
      EXPECT_THAT(clause->deadline, HasSubstr(part)) << c.id;
    }
  }
  EXPECT_THAT(cat.FindClause("S2.4-8.3.1")->consequence, HasSubstr("material Default"));
  EXPECT_EQ(cat.FindClause("S2.4-8.8")->kind, ClauseKind::kConsequence);
  EXPECT_EQ(cat.FindClause("S2.4-5.11")->kind, ClauseKind::kProhibition);
  EXPECT_EQ(cat.FindClause("S2.4-5.7.1")->kind, ClauseKind::kCustomer);
  EXPECT_EQ(cat.FindClause("S2.4-1")->kind, ClauseKind::kDefinition);
  EXPECT_EQ(cat.FindClause("S2.4-A3-11")->kind, ClauseKind::kTemplate);
  for (const Clause& c : cat.Clauses()) {
    if (c.kind == ClauseKind::kDeadline) {
      EXPECT_FALSE(c.deadline.empty()) << c.id;
    }
  }
}

TEST(CatalogTest, ParentsChainToTopLevel) {
  const Catalog& cat = Embedded();
  std::set<std::string> tops;
  for (const Clause& c : cat.Clauses()) {
    const Clause* at = &c;
    int depth = 0;
    while (!at->parent.empty() && depth < 8) {
      const Clause* parent = cat.FindClause(at->parent);
      ASSERT_NE(parent, nullptr) << c.id << " -> " << at->parent;
      ASSERT_LT(parent - cat.Clauses().data(), at - cat.Clauses().data())
          << "parent after child: " << at->id;
      // A child id extends its parent's id.
      EXPECT_EQ(at->id.rfind(parent->id, 0), 0u) << at->id << " under " << parent->id;
      at = parent;
      ++depth;
    }
    ASSERT_LT(depth, 8) << c.id;
    tops.insert(at->id);
  }
  EXPECT_EQ(tops, (std::set<std::string>{"S2.4-1", "S2.4-2", "S2.4-3", "S2.4-4", "S2.4-5", "S2.4-6",
                                         "S2.4-7", "S2.4-8", "S2.4-9", "S2.4-10", "S2.4-11",
                                         "S2.4-A1", "S2.4-A2", "S2.4-A3"}));
  std::vector<std::string> children;
  for (const Clause* c : cat.Children("S2.4-8.3")) {
    children.push_back(c->id);
  }
  EXPECT_THAT(children, ElementsAre("S2.4-8.3.1", "S2.4-8.3.2", "S2.4-8.3.3"));
  EXPECT_EQ(cat.FindClause("S2.4-11.1.1")->parent, "S2.4-11.1");
  EXPECT_EQ(cat.FindClause("S2.4-A1-5.1.1")->parent, "S2.4-A1-5.1");
}

TEST(CatalogTest, ClauseKindNamesRoundTrip) {
  for (ClauseKind k : {ClauseKind::kObligation, ClauseKind::kDeadline, ClauseKind::kProhibition,
                       ClauseKind::kConsequence, ClauseKind::kCustomer, ClauseKind::kDefinition,
                       ClauseKind::kInformative, ClauseKind::kTemplate}) {
    auto parsed = ParseClauseKind(ClauseKindName(k));
    ASSERT_TRUE(parsed);
    EXPECT_EQ(*parsed, k);
  }
  auto bad = ParseClauseKind("duty");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
}

// Serves the embedded files, with some replaced or removed.
AssetLookup Patched(std::map<std::string, std::optional<std::string>> patches) {
  return [patches = std::move(patches)](std::string_view path) -> std::optional<std::string_view> {
    auto it = patches.find(std::string(path));
    if (it == patches.end()) {
      return assets::Find(path);
    }
    if (!it->second) {
      return std::nullopt;
    }
    return std::string_view{*it->second};
  };
}

std::string EmbeddedText(std::string_view path) {
  return std::string(*assets::Find(path));
}

std::string Replace(std::string text, const std::string& from, const std::string& to) {
  auto pos = text.find(from);
  EXPECT_NE(pos, std::string::npos) << from;
  if (pos != std::string::npos) {
    text.replace(pos, from.size(), to);
  }
  return text;
}

TEST(CatalogTest, DamagedDataIsRejected) {
  struct Case {
    std::string name;
    std::string path;
    std::optional<std::string> text;
    std::string expect;  // in the message
  };

  const std::string iso13 = "catalog/iso27001-2013-annex-a.json";
  const std::string iso22 = "catalog/iso27001-2022-annex-a.json";
  const std::string map = "catalog/iso27001-2013-to-2022-mapping.json";
  const std::string sched = "catalog/schedule-2.4.json";
  const std::vector<Case> cases = {
      {"missing file", iso22, std::nullopt, "missing"},
      {"not json", sched, std::string(R"({"clauses": [)"), "not a JSON object"},
      {"unknown parent", sched,
       Replace(EmbeddedText(sched), R"("parent": "S2.4-5.4")", R"("parent": "S2.4-99")"),
       "unknown or later parent S2.4-99"},
      {"bad kind", sched,
       Replace(EmbeddedText(sched), R"("kind": "prohibition")", R"("kind": "x")"),
       "unknown kind x"},
      {"deadline without limit", sched,
       Replace(EmbeddedText(sched), R"("deadline": "1 WD")", R"("deadline": "")"),
       "S2.4-A1-4.6 is a deadline clause without a deadline"},
      {"duplicate control", iso13,
       Replace(EmbeddedText(iso13), R"("id": "A.5.1.2")", R"("id": "A.5.1.1")"),
       "duplicate control id A.5.1.1"},
      {"missing title", iso22,
       Replace(EmbeddedText(iso22), R"("title": "Threat intelligence")",
               R"("name": "Threat intelligence")"),
       R"(missing string "title")"},
      {"mapping to unknown control", map,
       Replace(EmbeddedText(map),
               "\"ids_2022\": [\n        \"5.36\"",  // NOLINT(modernize-raw-string-literal)
               "\"ids_2022\": [\n        \"9.9\""),
       "unknown target control"},
  };
  for (const Case& c : cases) {
    auto loaded = Catalog::LoadWith(Patched({{c.path, c.text}}));
    ASSERT_FALSE(loaded) << c.name;
    EXPECT_EQ(loaded.error().code, ErrorCode::kDataLoss) << c.name;
    EXPECT_EQ(loaded.error().field, c.path) << c.name;
    EXPECT_THAT(loaded.error().message, HasSubstr(c.expect)) << c.name;
  }
}

// The checked-in schedule-2.4.json (and the copy compiled into this binary) is what
// scripts/gen-clauses.py produces from the current CLAUSES.md.
TEST(CatalogTest, GeneratedScheduleIsCurrent) {
  const std::filesystem::path root = accredit::testing::SourceDir();
  const std::filesystem::path input = accredit::testing::SharedDir() / "seed" / "CLAUSES.md";
  // NOLINTNEXTLINE(cert-env33-c,concurrency-mt-unsafe): a test running one fixed command
  const bool have_python = std::system("command -v python3 >/dev/null 2>&1") == 0;
  ASSERT_TRUE(have_python) << "python3 is missing (scripts/install-deps.sh --test installs it)";
  ASSERT_TRUE(std::filesystem::exists(input)) << "missing test data: " << input;
  accredit::testing::TempDir tmp;
  const std::string out = tmp.File("schedule-2.4.json");
  const std::string cmd = "python3 '" + (root / "scripts" / "gen-clauses.py").string() +
                          "' --input '" + input.string() + "' --output '" + out + "'";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;  // NOLINT(cert-env33-c,concurrency-mt-unsafe)
  const std::string fresh = accredit::testing::ReadFile(out);
  ASSERT_FALSE(fresh.empty());
  EXPECT_TRUE(fresh == accredit::testing::ReadFile(root / "web" / "catalog" / "schedule-2.4.json"))
      << "web/catalog/schedule-2.4.json is stale: run python3 scripts/gen-clauses.py";
  EXPECT_TRUE(fresh == EmbeddedText("catalog/schedule-2.4.json"))
      << "the binary embeds an older schedule-2.4.json: rebuild";
}

}  // namespace
}  // namespace accredit::catalog
