#include "audit/audit.h"

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "audit_test_util.h"

namespace accredit::audit {
namespace {

using testing::AuditFixture;
using testing::DocumentedHash;
using testing::ToHex;

using AuditLogTest = AuditFixture;

TEST_F(AuditLogTest, AppendRequiresATransaction) {
  auto conn = store_->Acquire();
  ASSERT_TRUE(conn.ok());
  auto seq = log_.Append(**conn, MakeEntry(1));
  ASSERT_FALSE(seq.ok());
  EXPECT_EQ(seq.error().code, ErrorCode::kFailedPrecondition);
}

TEST_F(AuditLogTest, RolledBackAppendLeavesNoRecord) {
  auto conn = store_->Acquire();
  ASSERT_TRUE(conn.ok());
  {
    auto tx = (*conn)->Begin();
    ASSERT_TRUE(tx.ok());
    auto seq = log_.Append(**conn, MakeEntry(1));
    ASSERT_TRUE(seq.ok()) << seq.status().ToString();
    EXPECT_EQ(*seq, 1);
  }  // not committed
  auto count = log_.Count(**conn, {});
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(*count, 0);

  auto tx = (*conn)->Begin();
  ASSERT_TRUE(tx.ok());
  auto seq = log_.Append(**conn, MakeEntry(2));
  ASSERT_TRUE(seq.ok());
  EXPECT_EQ(*seq, 1) << "the rolled-back record's seq is reused";
  ASSERT_TRUE(tx->Commit().ok());
  count = log_.Count(**conn, {});
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(*count, 1);
  const VerifyReport report = VerifyOrDie();
  EXPECT_TRUE(report.ok) << report.reason;
  EXPECT_EQ(report.records, 1);
}

TEST_F(AuditLogTest, AppendRejectsBadEntries) {
  auto conn = store_->Acquire();
  ASSERT_TRUE(conn.ok());
  auto tx = (*conn)->Begin();
  ASSERT_TRUE(tx.ok());
  Entry e = MakeEntry(1);
  e.after_json = "{not json";
  EXPECT_EQ(log_.Append(**conn, e).error().field, "after_json");
  e = MakeEntry(1);
  e.actor.clear();
  EXPECT_EQ(log_.Append(**conn, e).error().field, "actor");
}

TEST_F(AuditLogTest, ChainFollowsTheDocumentedFormat) {
  AppendN(3);
  auto conn = store_->Acquire();
  ASSERT_TRUE(conn.ok());
  auto rows = log_.List(**conn, {.newest_first = false});
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 3U);
  std::string prev(32, '\0');
  for (const Record& r : *rows) {
    EXPECT_EQ(r.prev_hash_hex, ToHex(prev));
    const std::string h = DocumentedHash(prev, r.seq, FormatInstantUtc(r.at), r.entry);
    EXPECT_EQ(r.hash_hex, ToHex(h)) << "record " << r.seq;
    prev = h;
  }
  EXPECT_EQ((*rows)[0].at, testing::T0());
  EXPECT_EQ((*rows)[2].entry.after_json, R"({"n":3})");
  const VerifyReport report = VerifyOrDie();
  EXPECT_TRUE(report.ok);
  EXPECT_EQ(report.records, 3);
  EXPECT_FALSE(report.first_bad.has_value());
}

TEST_F(AuditLogTest, EmptyLogVerifies) {
  const VerifyReport report = VerifyOrDie();
  EXPECT_TRUE(report.ok);
  EXPECT_EQ(report.records, 0);
}

TEST_F(AuditLogTest, ConcurrentAppendersProduceOneChain) {
  constexpr int kThreads = 4;
  constexpr int kEach = 25;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        if (!log_.AppendStandalone(*store_, MakeEntry(t * 100 + i)).ok()) {
          ++failures;
        }
      }
    });
  }
  for (auto& th : threads) {
    th.join();
  }
  EXPECT_EQ(failures.load(), 0);
  const VerifyReport report = VerifyOrDie();
  EXPECT_TRUE(report.ok) << report.reason;
  EXPECT_EQ(report.records, kThreads * kEach);
}

// --- tampering through the sqlite3 shell (issue 2: "Changing one audit row with the sqlite3
// shell makes `accredit audit verify` fail and name that row") ---

TEST_F(AuditLogTest, ShellUpdateOfOneRowIsNamed) {
  AppendN(10);
  ASSERT_TRUE(VerifyOrDie().ok);
  Sqlite3Shell(R"(UPDATE audit_log SET after_json = '{"n":999}' WHERE seq = 7;)");
  const VerifyReport report = VerifyOrDie();
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.first_bad, 7);
  EXPECT_EQ(report.reason, "record 7: stored hash does not match its contents (modified)");
  EXPECT_EQ(report.records, 6);
}

TEST_F(AuditLogTest, EachFieldIsCovered) {
  AppendN(3);
  for (const char* column :
       {"at", "actor", "action", "entity_type", "entity_id", "before_json", "after_json"}) {
    SCOPED_TRACE(column);
    Sqlite3Shell("UPDATE audit_log SET " + std::string(column) + " = " + column +
                 " || 'x' WHERE seq = 2;");
    VerifyReport report = VerifyOrDie();
    EXPECT_FALSE(report.ok);
    EXPECT_EQ(report.first_bad, 2);
    Sqlite3Shell("UPDATE audit_log SET " + std::string(column) + " = substr(" + column +
                 ", 1, length(" + column + ") - 1) WHERE seq = 2;");
    report = VerifyOrDie();
    EXPECT_TRUE(report.ok) << report.reason;
  }
  Sqlite3Shell("UPDATE audit_log SET hash = randomblob(32) WHERE seq = 3;");
  EXPECT_EQ(VerifyOrDie().first_bad, 3);
}

TEST_F(AuditLogTest, FieldBoundariesAreUnambiguous) {
  // Moving a character from one field to the next must change the hash.
  AppendN(2);
  Sqlite3Shell(
      "UPDATE audit_log SET action = action || substr(entity_type, 1, 1), entity_type = "
      "substr(entity_type, 2) WHERE seq = 1;");
  const VerifyReport report = VerifyOrDie();
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.first_bad, 1);
}

TEST_F(AuditLogTest, DeletedMiddleRowIsNamed) {
  AppendN(10);
  Sqlite3Shell("DELETE FROM audit_log WHERE seq = 5;");
  const VerifyReport report = VerifyOrDie();
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.first_bad, 5);
  EXPECT_EQ(report.reason,
            "record 5 is missing: the log jumps from record 4 to record 6 (deleted)");
}

TEST_F(AuditLogTest, DeletedAndRenumberedRowIsCaught) {
  AppendN(10);
  Sqlite3Shell(
      "DELETE FROM audit_log WHERE seq = 5;"
      "UPDATE audit_log SET seq = -seq WHERE seq > 5;"
      "UPDATE audit_log SET seq = -seq - 1 WHERE seq < 0;");
  const VerifyReport report = VerifyOrDie();
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.first_bad, 5);
  EXPECT_NE(report.reason.find("does not chain to record 4"), std::string::npos) << report.reason;
}

TEST_F(AuditLogTest, DeletedFirstRowIsNamed) {
  AppendN(3);
  Sqlite3Shell("DELETE FROM audit_log WHERE seq = 1;");
  const VerifyReport report = VerifyOrDie();
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.first_bad, 1);
}

TEST_F(AuditLogTest, ForgedRowWithRandomHashIsNamed) {
  AppendN(5);
  Sqlite3Shell(
      "INSERT INTO audit_log VALUES (6, '2026-04-03T10:00:06.000Z', 'mallory', 'user.create', "
      "'user', '66', 'null', '{}', (SELECT hash FROM audit_log WHERE seq = 5), randomblob(32));");
  const VerifyReport report = VerifyOrDie();
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.first_bad, 6);
}

TEST_F(AuditLogTest, ForgedRowInsertedWithValidHashIsCaughtAtTheNextRecord) {
  // The attacker knows the format, shifts records 3.. up and inserts a correctly hashed record 3.
  AppendN(6);
  std::string hash2;
  {
    auto conn = store_->Acquire();
    ASSERT_TRUE(conn.ok());
    auto row = (*conn)->QueryOne("SELECT hash FROM audit_log WHERE seq = 2");
    ASSERT_TRUE(row.ok());
    hash2 = (*row)[0].Bytes();
  }
  const Entry forged{
      .actor = "mallory", .action = "user.create", .entity_type = "user", .entity_id = "66"};
  const std::string at = "2026-04-03T10:00:01.500Z";
  const std::string forged_hash = DocumentedHash(hash2, 3, at, forged);
  Sqlite3Shell(
      "UPDATE audit_log SET seq = -seq WHERE seq >= 3;"
      "UPDATE audit_log SET seq = -seq + 1 WHERE seq < 0;"
      "INSERT INTO audit_log VALUES (3, '" +
      at +
      "', 'mallory', 'user.create', 'user', '66', "
      "'null', 'null', X'" +
      ToHex(hash2) + "', X'" + ToHex(forged_hash) + "');");
  const VerifyReport report = VerifyOrDie();
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.first_bad, 4);
  EXPECT_EQ(report.reason,
            "record 4: holds the record that followed record 2, not record 3 (reordered or "
            "inserted)");
}

TEST_F(AuditLogTest, SwappedRowsAreReportedAsReordered) {
  AppendN(8);
  Sqlite3Shell(
      "UPDATE audit_log SET seq = -3 WHERE seq = 3;"
      "UPDATE audit_log SET seq = 3 WHERE seq = 6;"
      "UPDATE audit_log SET seq = 6 WHERE seq = -3;");
  const VerifyReport report = VerifyOrDie();
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.first_bad, 3);
  EXPECT_EQ(report.reason,
            "record 3: holds the record that followed record 5, not record 2 (reordered or "
            "inserted)");
}

TEST_F(AuditLogTest, SwappedContentsKeepingHashesAreCaught) {
  AppendN(8);
  Sqlite3Shell(
      "CREATE TEMP TABLE t AS SELECT * FROM audit_log WHERE seq IN (2, 4);"
      "UPDATE audit_log SET after_json = (SELECT after_json FROM t WHERE seq = 4), entity_id = "
      "(SELECT entity_id FROM t WHERE seq = 4) WHERE seq = 2;"
      "UPDATE audit_log SET after_json = (SELECT after_json FROM t WHERE seq = 2), entity_id = "
      "(SELECT entity_id FROM t WHERE seq = 2) WHERE seq = 4;");
  const VerifyReport report = VerifyOrDie();
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.first_bad, 2);
}

TEST_F(AuditLogTest, TamperWithSqliteCApiIsCaught) {
  AppendN(4);
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open(DbPath().c_str(), &raw), SQLITE_OK);
  std::unique_ptr<sqlite3, decltype(&sqlite3_close)> db(raw, &sqlite3_close);
  ASSERT_EQ(sqlite3_exec(db.get(), "UPDATE audit_log SET actor = 'carol' WHERE seq = 2", nullptr,
                         nullptr, nullptr),
            SQLITE_OK);
  const VerifyReport report = VerifyOrDie();
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.first_bad, 2);
}

TEST_F(AuditLogTest, AppendAfterTruncatedHashIsRefused) {
  AppendN(2);
  Sqlite3Shell("UPDATE audit_log SET hash = X'00' WHERE seq = 2;");
  auto seq = log_.AppendStandalone(*store_, MakeEntry(3));
  ASSERT_FALSE(seq.ok());
  EXPECT_EQ(seq.error().code, ErrorCode::kDataLoss);
}

}  // namespace
}  // namespace accredit::audit
