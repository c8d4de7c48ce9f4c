// The generic register commands (issue 3, points 1, 7 and 9): accredit::cli::Main run in-process
// over real SQLite databases in a TempDir, stdout/stderr captured through temporary files.

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli/cli.h"
#include "cli/cli_runner.h"
#include "testing/testing.h"

namespace accredit::cli {
namespace {

using Json = nlohmann::json;

class RegistersCliTest : public ::testing::Test {
 protected:
  CliRun Run(std::vector<std::string> args) {
    args.insert(args.begin(), {"--db", Db()});
    return RunCli(std::move(args), dir_);
  }

  // Runs a listing with --json and returns the array (empty, with a test failure, otherwise).
  Json List(const std::string& noun, std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {noun, "list", "--json", "--limit", "500"};
    args.insert(args.end(), extra.begin(), extra.end());
    const CliRun run = Run(args);
    EXPECT_EQ(run.code, 0) << noun << ": " << run.err;
    Json j = Json::parse(run.out, nullptr, false);
    EXPECT_TRUE(j.is_array()) << run.out;
    return j.is_array() ? j : Json::array();
  }

  std::string Db() const { return dir_.File("acc.db"); }

  std::string WriteFile(const std::string& name, const std::string& text) {
    const std::string path = dir_.File(name);
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }

  void InitDb() {
    const std::string pw = WriteFile("pw.txt", "correct-horse-battery\n");
    const CliRun init = Run({"init", "--admin-password-file", pw});
    ASSERT_EQ(init.code, 0) << init.err;
  }

  testing::TempDir dir_;
};

TEST_F(RegistersCliTest, RiskAddThenListShowsTheDerivedLevel) {
  InitDb();
  const CliRun add = Run({"risk", "add", "--set", "ref=R1", "--set",
                          "title=Ransomware on device management servers", "--set",
                          "inherent_likelihood=4", "--set", "inherent_impact=5", "--set",
                          "residual_likelihood=2", "--set", "residual_impact=3", "--json"});
  ASSERT_EQ(add.code, 0) << add.err;
  const Json created = Json::parse(add.out, nullptr, false);
  ASSERT_TRUE(created.is_object()) << add.out;

  const Json risks = List("risk");
  ASSERT_EQ(risks.size(), 1u);
  EXPECT_EQ(risks[0]["ref"], "R1");
  EXPECT_EQ(risks[0]["inherent_score"], 20);
  EXPECT_EQ(risks[0]["inherent_level"], "very_high");  // default band 20-25
  EXPECT_EQ(risks[0]["residual_level"], "low");        // 6: band 4-7

  // The table names the derived level too.
  const CliRun table = Run({"risk", "list"});
  ASSERT_EQ(table.code, 0) << table.err;
  EXPECT_NE(table.out.find("INHERENT LEVEL"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("very_high"), std::string::npos) << table.out;

  // A bad value names the field and writes nothing.
  const CliRun bad = Run({"risk", "add", "--set", "ref=R2", "--set", "title=x", "--set",
                          "inherent_likelihood=9", "--set", "inherent_impact=1"});
  EXPECT_EQ(bad.code, 2);
  EXPECT_EQ(bad.err.rfind("accredit: error: inherent_likelihood: ", 0), 0u) << bad.err;
  const CliRun unknown = Run({"risk", "add", "--set", "ref=R3", "--set", "colour=red"});
  EXPECT_EQ(unknown.code, 2);
  EXPECT_NE(unknown.err.find("colour"), std::string::npos) << unknown.err;
  EXPECT_EQ(List("risk").size(), 1u);

  // edit, show with links, filters.
  const std::string id = std::to_string(created["id"].get<std::int64_t>());
  ASSERT_EQ(Run({"risk", "edit", id, "--set", "owner=Priya Shah"}).code, 0);
  ASSERT_EQ(Run({"control", "add", "--set", "ref=C1", "--set", "title=EDR"}).code, 0);
  const CliRun link = Run({"link", "add", "control", "1", "mitigates", "risk", id});
  ASSERT_EQ(link.code, 0) << link.err;
  const CliRun show = Run({"risk", "show", id, "--json"});
  ASSERT_EQ(show.code, 0) << show.err;
  const Json shown = Json::parse(show.out, nullptr, false);
  ASSERT_TRUE(shown.is_object()) << show.out;
  EXPECT_EQ(shown["owner"], "Priya Shah");
  ASSERT_EQ(shown["links"].size(), 1u);
  EXPECT_EQ(shown["links"][0]["relation"], "mitigates");
  EXPECT_EQ(List("risk", {"--filter", "owner=Priya"}).size(), 1u);
  EXPECT_EQ(List("risk", {"--filter", "owner=Nobody"}).size(), 0u);
  EXPECT_EQ(Run({"risk", "show", "99"}).code, 3);
}

TEST_F(RegistersCliTest, AssetImportIsAllOrNothingAndNamesLineAndColumn) {
  InitDb();
  std::string good = "name,ims_part,asset_type,environment,classification,ip_addresses,hostnames\n";
  for (int i = 1; i <= 8; ++i) {
    good += "Server " + std::to_string(i) + ",core,server,live,OFFICIAL,192.0.2." +
            std::to_string(i) + ",srv" + std::to_string(i) + ";srv" + std::to_string(i) +
            ".example\n";
  }
  const CliRun imported = Run({"asset", "import", WriteFile("good.csv", good)});
  ASSERT_EQ(imported.code, 0) << imported.err;
  EXPECT_NE(imported.out.find("Imported 8"), std::string::npos) << imported.out;
  Json assets = List("asset");
  ASSERT_EQ(assets.size(), 8u);
  EXPECT_EQ(assets[0]["hostnames"], Json::array({"srv1", "srv1.example"}));

  // Line 7 (the header is line 1) holds a bad IP address: nothing of the file is written.
  std::string bad = "name,ims_part,asset_type,environment,classification,ip_addresses\n";
  for (int i = 1; i <= 6; ++i) {
    const std::string ip = i == 6 ? "192.0.2.300" : "198.51.100." + std::to_string(i);
    bad += "New " + std::to_string(i) + ",wider,endpoint,test,OFFICIAL," + ip + "\n";
  }
  const CliRun rejected = Run({"asset", "import", WriteFile("bad.csv", bad)});
  EXPECT_EQ(rejected.code, 2);
  EXPECT_EQ(rejected.err.rfind("accredit: error: line 7: ip_addresses: ", 0), 0u) << rejected.err;
  EXPECT_EQ(List("asset"), assets);

  // A bad enum value names its column too.
  std::string bad_enum = "name,ims_part,asset_type,environment,classification\n";
  bad_enum += "Odd,core,server,staging,OFFICIAL\n";
  const CliRun enum_err = Run({"asset", "import", WriteFile("enum.csv", bad_enum)});
  EXPECT_EQ(enum_err.code, 2);
  EXPECT_EQ(enum_err.err.rfind("accredit: error: line 2: environment: ", 0), 0u) << enum_err.err;

  // export -> import round trip updates in place.
  const std::string exported = dir_.File("assets.csv");
  ASSERT_EQ(Run({"asset", "export", "--out", exported}).code, 0);
  const CliRun again = Run({"asset", "import", exported});
  ASSERT_EQ(again.code, 0) << again.err;
  EXPECT_NE(again.out.find("0 created, 8 updated"), std::string::npos) << again.out;
  EXPECT_EQ(List("asset").size(), 8u);
}

TEST_F(RegistersCliTest, EvidenceUploadAndTheSupplierRegisterNoun) {
  InitDb();
  const CliRun up = Run({"evidence", "upload", WriteFile("cert.pdf", "%PDF-1.4 demo"), "--title",
                         "ISO 27001 certificate", "--json"});
  ASSERT_EQ(up.code, 0) << up.err;
  const Json evidence = List("evidence");
  ASSERT_EQ(evidence.size(), 1u);
  EXPECT_EQ(evidence[0]["filename"], "cert.pdf");
  EXPECT_EQ(evidence[0]["sha256"].get<std::string>().size(), 64u);

  // "supplier" is a hand-written noun, so the suppliers register answers to "suppliers".
  const CliRun add =
      Run({"suppliers", "add", "--set", "name=Acme Ltd", "--set", "access_to_customer_data=yes"});
  ASSERT_EQ(add.code, 0) << add.err;
  const CliRun old_list = Run({"supplier", "list", "--json"});
  ASSERT_EQ(old_list.code, 0) << old_list.err;
  EXPECT_NE(old_list.out.find("Acme Ltd"), std::string::npos);
  EXPECT_EQ(List("suppliers").size(), 1u);
}

TEST_F(RegistersCliTest, DemoReadsLikeARealRmd) {
  const CliRun demo = Run({"demo"});
  ASSERT_EQ(demo.code, 0) << demo.err;

  const Json risks = List("risk");
  EXPECT_GE(risks.size(), 15u);
  int above = 0;
  for (const auto& r : risks) {
    above += r["above_appetite"] == true ? 1 : 0;
  }
  EXPECT_EQ(above, 2);
  EXPECT_GE(List("control").size(), 30u);
  EXPECT_GE(List("asset").size(), 40u);
  EXPECT_EQ(List("asset", {"--filter", "internet_facing=true"}).empty(), false);
  EXPECT_EQ(List("site").size(), 3u);
  EXPECT_GE(List("required_change").size(), 3u);
  EXPECT_GE(List("suppliers", {"--filter", "kind=subcontractor"}).size(), 5u);

  const Json certs = List("certification");
  std::map<std::string, int> status;
  for (const auto& c : certs) {
    ++status[c["status"].get<std::string>()];
  }
  EXPECT_EQ(status["expired"], 1);
  EXPECT_EQ(List("certification", {"--filter", "scheme=ncsc_cas_sanitisation"}).size(), 1u);

  std::map<std::string, int> rag;
  for (const auto& p : List("product")) {
    ++rag[p["rag"].get<std::string>()];
  }
  EXPECT_GE(rag["red"], 1);
  EXPECT_GE(rag["amber"], 1);

  // Controls link to risks, Annex A and Schedule 2.4 clauses.
  const CliRun links = Run({"link", "list", "control", "1", "--json"});
  ASSERT_EQ(links.code, 0) << links.err;
  const Json l = Json::parse(links.out, nullptr, false);
  std::map<std::string, int> relations;
  for (const auto& link : l) {
    ++relations[link["relation"].get<std::string>()];
  }
  EXPECT_GE(relations["mitigates"], 1);
  EXPECT_GE(relations["implements"], 1);
  EXPECT_GE(relations["addresses"], 1);
}

TEST_F(RegistersCliTest, CsvDocIsUpToDate) {
  const CliRun md = Run({"registers", "describe", "--markdown"});
  ASSERT_EQ(md.code, 0) << md.err;
  EXPECT_EQ(md.out, testing::ReadFile(testing::SourceDir() / "docs" / "REGISTERS.md"))
      << "docs/REGISTERS.md is out of date: run `accredit registers describe --markdown > "
         "docs/REGISTERS.md`";
}

}  // namespace
}  // namespace accredit::cli
