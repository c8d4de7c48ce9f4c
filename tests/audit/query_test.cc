#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "audit/audit.h"
#include "audit_test_util.h"

namespace accredit::audit {
namespace {

using testing::AuditFixture;

class AuditQueryTest : public AuditFixture {
 protected:
  void SetUp() override {
    AuditFixture::SetUp();
    // 1 alice user.create user/1, 2 bob login session/s1, 3 alice user.update user/1,
    // 4 carol contract.update contract/c1 (with awkward characters), one minute apart.
    const std::vector<Entry> entries = {
        {.actor = "alice",
         .action = "user.create",
         .entity_type = "user",
         .entity_id = "1",
         .after_json = R"({"name":"Dave"})"},
        {.actor = "bob", .action = "login", .entity_type = "session", .entity_id = "s1"},
        {.actor = "alice",
         .action = "user.update",
         .entity_type = "user",
         .entity_id = "1",
         .before_json = R"({"name":"Dave"})",
         .after_json = R"({"name":"David"})"},
        {.actor = "carol",
         .action = "contract.update",
         .entity_type = "contract",
         .entity_id = "c,1",
         .before_json = R"({"note":"say \"hi\""})",
         .after_json = "{\"note\":\"line1\\nline2\"}"},
    };
    for (const Entry& e : entries) {
      auto seq = log_.AppendStandalone(*store_, e);
      ASSERT_TRUE(seq.ok()) << seq.status().ToString();
      clock_.Advance(std::chrono::minutes(1));
    }
    auto conn = store_->Acquire();
    ASSERT_TRUE(conn.ok());
    conn_ = std::move(*conn);
  }

  std::vector<std::int64_t> Seqs(const Filter& f) {
    auto rows = log_.List(*conn_, f);
    EXPECT_TRUE(rows.ok()) << rows.status().ToString();
    std::vector<std::int64_t> out;
    if (rows.ok()) {
      for (const auto& r : *rows) {
        out.push_back(r.seq);
      }
    }
    return out;
  }

  std::int64_t CountOf(const Filter& f) {
    auto n = log_.Count(*conn_, f);
    EXPECT_TRUE(n.ok());
    return n.ok() ? *n : -1;
  }

  std::string HashOf(std::int64_t seq) {
    auto rows = log_.List(*conn_, {.limit = 1, .offset = 4 - seq});
    return rows.ok() && !rows->empty() ? (*rows)[0].hash_hex : "";
  }

  store::ConnectionLease conn_;
};

TEST_F(AuditQueryTest, ListAndCountFilter) {
  using V = std::vector<std::int64_t>;
  EXPECT_EQ(Seqs({}), (V{4, 3, 2, 1}));
  EXPECT_EQ(Seqs({.newest_first = false}), (V{1, 2, 3, 4}));
  EXPECT_EQ(Seqs({.actor = "alice"}), (V{3, 1}));
  EXPECT_EQ(Seqs({.entity_type = "user", .entity_id = "1"}), (V{3, 1}));
  EXPECT_EQ(Seqs({.entity_type = "user", .entity_id = "2"}), V{});
  EXPECT_EQ(Seqs({.action = "login"}), V{2});
  EXPECT_EQ(Seqs({.entity_id = "c,1"}), V{4});
  const Instant t0 = testing::T0();
  EXPECT_EQ(Seqs({.from = t0 + std::chrono::minutes(1)}), (V{4, 3, 2}));
  EXPECT_EQ(Seqs({.from = t0 + std::chrono::minutes(1), .to = t0 + std::chrono::minutes(3)}),
            (V{3, 2}));
  EXPECT_EQ(Seqs({.to = t0 + std::chrono::milliseconds(1)}), V{1});
  EXPECT_EQ(Seqs({.limit = 2}), (V{4, 3}));
  EXPECT_EQ(Seqs({.limit = 2, .offset = 2}), (V{2, 1}));
  EXPECT_EQ(Seqs({.limit = 2, .offset = 10}), V{});
  // SQL metacharacters are data, not SQL.
  EXPECT_EQ(Seqs({.actor = "alice' OR '1'='1"}), V{});

  EXPECT_EQ(CountOf({}), 4);
  EXPECT_EQ(CountOf({.actor = "alice"}), 2);
  EXPECT_EQ(CountOf({.actor = "alice", .limit = 1}), 2) << "count ignores paging";
  EXPECT_EQ(CountOf({.entity_type = "contract", .from = t0}), 1);

  EXPECT_EQ(log_.List(*conn_, {.limit = 0}).error().field, "limit");
  EXPECT_EQ(log_.List(*conn_, {.offset = -1}).error().field, "offset");

  auto rows = log_.List(*conn_, {.action = "user.update"});
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 1U);
  const Record& r = (*rows)[0];
  EXPECT_EQ(r.at, t0 + std::chrono::minutes(2));
  EXPECT_EQ(r.entry.before_json, R"({"name":"Dave"})");
  EXPECT_EQ(r.entry.after_json, R"({"name":"David"})");
  EXPECT_EQ(r.hash_hex.size(), 64U);
  EXPECT_EQ(r.prev_hash_hex, HashOf(2));
}

TEST_F(AuditQueryTest, CsvExportQuotesPerRfc4180) {
  std::ostringstream out;
  ASSERT_TRUE(log_.ExportCsv(*conn_, {.newest_first = false}, out).ok());
  const std::string expected =
      "seq,at,actor,action,entity_type,entity_id,before,after,hash\r\n"
      "1,2026-04-03T10:00:00.000Z,alice,user.create,user,1,null,\"{\"\"name\"\":\"\"Dave\"\"}\"," +
      HashOf(1) +
      "\r\n"
      "2,2026-04-03T10:01:00.000Z,bob,login,session,s1,null,null," +
      HashOf(2) +
      "\r\n"
      "3,2026-04-03T10:02:00.000Z,alice,user.update,user,1,\"{\"\"name\"\":\"\"Dave\"\"}\","
      "\"{\"\"name\"\":\"\"David\"\"}\"," +
      HashOf(3) +
      "\r\n"
      "4,2026-04-03T10:03:00.000Z,carol,contract.update,contract,\"c,1\","
      "\"{\"\"note\"\":\"\"say \\\"\"hi\\\"\"\"\"}\",\"{\"\"note\"\":\"\"line1\\nline2\"\"}\"," +
      HashOf(4) + "\r\n";
  EXPECT_EQ(out.str(), expected);

  // A raw newline inside a field is quoted too.
  auto seq = log_.AppendStandalone(
      *store_, {.actor = "x", .action = "a", .entity_type = "t", .entity_id = "multi\nline"});
  ASSERT_TRUE(seq.ok());
  std::ostringstream one;
  ASSERT_TRUE(log_.ExportCsv(*conn_, {.entity_type = "t"}, one).ok());
  EXPECT_NE(one.str().find(",\"multi\nline\","), std::string::npos) << one.str();
}

TEST_F(AuditQueryTest, JsonExportIsAnArrayOfObjects) {
  std::ostringstream out;
  ASSERT_TRUE(log_.ExportJson(*conn_, {.actor = "alice"}, out).ok());
  const std::string expected =
      "[\n"
      R"({"seq":3,"at":"2026-04-03T10:02:00.000Z","actor":"alice","action":"user.update",)"
      R"("entity_type":"user","entity_id":"1","before":{"name":"Dave"},"after":{"name":"David"},)"
      R"("prev_hash":")" +
      HashOf(2) + R"(","hash":")" + HashOf(3) +
      "\"},\n"
      R"({"seq":1,"at":"2026-04-03T10:00:00.000Z","actor":"alice","action":"user.create",)"
      R"("entity_type":"user","entity_id":"1","before":null,"after":{"name":"Dave"},)"
      R"("prev_hash":")" +
      std::string(64, '0') + R"(","hash":")" + HashOf(1) + "\"}\n]\n";
  EXPECT_EQ(out.str(), expected);

  std::ostringstream all;
  ASSERT_TRUE(log_.ExportJson(*conn_, {}, all).ok());
  const auto parsed = nlohmann::json::parse(all.str(), nullptr, false);
  ASSERT_TRUE(parsed.is_array());
  ASSERT_EQ(parsed.size(), 4U);
  EXPECT_EQ(parsed[0]["after"]["note"], "line1\nline2");
  EXPECT_EQ(parsed[0]["entity_id"], "c,1");

  std::ostringstream none;
  ASSERT_TRUE(log_.ExportJson(*conn_, {.actor = "nobody"}, none).ok());
  EXPECT_EQ(none.str(), "[]\n");
}

TEST_F(AuditQueryTest, JsonExportSurvivesTamperedJson) {
  Sqlite3Shell("UPDATE audit_log SET after_json = '{broken' WHERE seq = 2;");
  std::ostringstream out;
  ASSERT_TRUE(log_.ExportJson(*conn_, {}, out).ok());
  const auto parsed = nlohmann::json::parse(out.str(), nullptr, false);
  ASSERT_FALSE(parsed.is_discarded()) << out.str();
  EXPECT_EQ(parsed[2]["after"], "{broken");
}

}  // namespace
}  // namespace accredit::audit
