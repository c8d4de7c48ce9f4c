#include "store/store.h"

#include <atomic>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "testing/testing.h"

namespace accredit::store {
namespace {

using accredit::testing::TempDir;

std::unique_ptr<Store> OpenOrDie(const std::string& path, int pool_size = 4) {
  auto store = Store::OpenSqlite({.path = path, .pool_size = pool_size});
  EXPECT_TRUE(store.ok()) << store.status().ToString();
  return std::move(store).value();
}

TEST(ValueTest, ConvertsLeniently) {
  const Value null_value;
  EXPECT_TRUE(null_value.IsNull());
  EXPECT_EQ(null_value.Int(), 0);
  EXPECT_EQ(null_value.Text(), "");
  EXPECT_EQ(null_value.OptText(), std::nullopt);
  EXPECT_EQ(null_value.OptInt(), std::nullopt);

  const Value i(42);
  EXPECT_TRUE(i.IsInt());
  EXPECT_EQ(i.Int(), 42);
  EXPECT_EQ(i.Text(), "42");
  EXPECT_DOUBLE_EQ(i.Real(), 42.0);
  EXPECT_EQ(i.OptInt(), 42);

  const Value big(std::int64_t{1} << 40);
  EXPECT_EQ(big.Int(), std::int64_t{1} << 40);

  const Value t("17");
  EXPECT_TRUE(t.IsText());
  EXPECT_EQ(t.Int(), 17);
  EXPECT_EQ(t.Bytes(), "17");
  EXPECT_EQ(t.OptText(), "17");

  EXPECT_EQ(Value(true).Int(), 1);
  EXPECT_EQ(Value(false).Int(), 0);
  EXPECT_DOUBLE_EQ(Value(2.5).Real(), 2.5);
  EXPECT_EQ(Value(2.9).Int(), 2);

  const Value b(Blob{std::string("\0\x01", 2)});
  EXPECT_TRUE(b.IsBlob());
  EXPECT_EQ(b.Bytes(), std::string("\0\x01", 2));

  EXPECT_TRUE(Value(std::optional<std::string>()).IsNull());
  EXPECT_EQ(Value(std::optional<std::string>("x")).Text(), "x");
  EXPECT_TRUE(Value(nullptr).IsNull());
  EXPECT_EQ(Value(std::string_view("sv")).Text(), "sv");
}

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = OpenOrDie(dir_.File("test.db"));
    auto conn = store_->Acquire();
    ASSERT_TRUE(conn.ok());
    ASSERT_TRUE(
        (*conn)
            ->ExecuteScript("CREATE TABLE parent (id INTEGER PRIMARY KEY, name TEXT UNIQUE);"
                            "CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER "
                            "NOT NULL REFERENCES parent(id), data BLOB);")
            .ok());
  }

  std::int64_t CountParents() {
    auto conn = store_->Acquire();
    EXPECT_TRUE(conn.ok());
    auto row = (*conn)->QueryOne("SELECT COUNT(*) FROM parent");
    EXPECT_TRUE(row.ok());
    return row.ok() ? (*row)[0].Int() : -1;
  }

  TempDir dir_;
  std::unique_ptr<Store> store_;
};

TEST_F(StoreTest, ExecuteQueryAndForEach) {
  auto conn = store_->Acquire();
  ASSERT_TRUE(conn.ok());
  Connection& c = **conn;
  EXPECT_EQ(c.Dialect(), "sqlite");
  auto changed = c.Execute("INSERT INTO parent (name) VALUES (?), (?)", {"a", "b"});
  ASSERT_TRUE(changed.ok()) << changed.status().ToString();
  EXPECT_EQ(*changed, 2);

  auto returned = c.QueryOne("INSERT INTO parent (name) VALUES (?) RETURNING id", {"c"});
  ASSERT_TRUE(returned.ok()) << returned.status().ToString();
  EXPECT_EQ((*returned)[0].Int(), 3);

  ASSERT_TRUE(c.Execute("INSERT INTO child (parent_id, data) VALUES (?, ?)",
                        {1, Blob{std::string("\0\xff", 2)}})
                  .ok());
  auto rows = c.Query("SELECT id, name FROM parent ORDER BY id");
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 3U);
  EXPECT_EQ((*rows)[1][1].Text(), "b");
  EXPECT_TRUE((*rows)[0][0].IsInt());

  auto blob = c.QueryOne("SELECT data, NULL, 1.5 FROM child");
  ASSERT_TRUE(blob.ok());
  EXPECT_TRUE((*blob)[0].IsBlob());
  EXPECT_EQ((*blob)[0].Bytes(), std::string("\0\xff", 2));
  EXPECT_TRUE((*blob)[1].IsNull());
  EXPECT_TRUE((*blob)[2].IsReal());

  std::vector<std::string> names;
  Status s = c.ForEach("SELECT name FROM parent WHERE id >= ? ORDER BY id", {2},
                       [&](const RowView& row) -> Status {
                         EXPECT_EQ(row.ColumnCount(), 1);
                         names.emplace_back(row.Text(0));
                         return Status::Ok();
                       });
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(names, (std::vector<std::string>{"b", "c"}));

  // ForEach stops early with the callback's error.
  int seen = 0;
  s = c.ForEach("SELECT name FROM parent", {}, [&](const RowView&) -> Status {
    ++seen;
    return Err(ErrorCode::kInvalidArgument, "stop");
  });
  EXPECT_EQ(s.Code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(seen, 1);
  // The statement was reset and can run again.
  auto again = c.Query("SELECT name FROM parent");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->size(), 3U);

  EXPECT_EQ(c.QueryOne("SELECT id FROM parent WHERE name = ?", {"zzz"}).error().code,
            ErrorCode::kNotFound);
  EXPECT_FALSE(c.Execute("SELEKT 1").ok());
  // Wrong parameter count is an error, not a crash.
  EXPECT_FALSE(c.Execute("INSERT INTO parent (name) VALUES (?)").ok());
}

TEST_F(StoreTest, TransactionRollsBackUnlessCommitted) {
  {
    auto conn = store_->Acquire();
    ASSERT_TRUE(conn.ok());
    auto tx = (*conn)->Begin();
    ASSERT_TRUE(tx.ok());
    EXPECT_TRUE((*conn)->InTransaction());
    ASSERT_TRUE((*conn)->Execute("INSERT INTO parent (name) VALUES ('x')").ok());
  }  // tx destroyed without Commit
  EXPECT_EQ(CountParents(), 0);
  {
    auto conn = store_->Acquire();
    ASSERT_TRUE(conn.ok());
    auto tx = (*conn)->Begin();
    ASSERT_TRUE(tx.ok());
    ASSERT_TRUE((*conn)->Execute("INSERT INTO parent (name) VALUES ('y')").ok());
    tx->Rollback();
    EXPECT_FALSE(tx->Active());
    EXPECT_FALSE((*conn)->InTransaction());
  }
  EXPECT_EQ(CountParents(), 0);
  {
    auto conn = store_->Acquire();
    ASSERT_TRUE(conn.ok());
    auto tx = (*conn)->Begin();
    ASSERT_TRUE(tx.ok());
    ASSERT_TRUE((*conn)->Execute("INSERT INTO parent (name) VALUES ('z')").ok());
    ASSERT_TRUE(tx->Commit().ok());
    EXPECT_FALSE((*conn)->InTransaction());
    EXPECT_EQ(tx->Commit().Code(), ErrorCode::kFailedPrecondition);
  }
  EXPECT_EQ(CountParents(), 1);
  // Committed data survives reopening the database.
  store_.reset();
  store_ = OpenOrDie(dir_.File("test.db"));
  EXPECT_EQ(CountParents(), 1);
}

TEST_F(StoreTest, BeginTwiceFails) {
  auto conn = store_->Acquire();
  ASSERT_TRUE(conn.ok());
  auto tx = (*conn)->Begin();
  ASSERT_TRUE(tx.ok());
  auto second = (*conn)->Begin(TxMode::kRead);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_TRUE((*conn)->InTransaction());  // the first is still open
}

TEST_F(StoreTest, ConstraintErrorsMapToCodes) {
  auto conn = store_->Acquire();
  ASSERT_TRUE(conn.ok());
  ASSERT_TRUE((*conn)->Execute("INSERT INTO parent (id, name) VALUES (1, 'a')").ok());
  auto dup = (*conn)->Execute("INSERT INTO parent (name) VALUES ('a')");
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(dup.error().message.find("INSERT"), std::string::npos) << "no SQL in the message";
  auto dup_pk = (*conn)->Execute("INSERT INTO parent (id, name) VALUES (1, 'b')");
  ASSERT_FALSE(dup_pk.ok());
  EXPECT_EQ(dup_pk.error().code, ErrorCode::kAlreadyExists);

  auto orphan = (*conn)->Execute("INSERT INTO child (parent_id) VALUES (99)");
  ASSERT_FALSE(orphan.ok()) << "foreign keys must be enforced";
  EXPECT_EQ(orphan.error().code, ErrorCode::kFailedPrecondition);
  auto not_null = (*conn)->Execute("INSERT INTO child (parent_id) VALUES (NULL)");
  ASSERT_FALSE(not_null.ok());
  EXPECT_EQ(not_null.error().code, ErrorCode::kFailedPrecondition);
}

TEST_F(StoreTest, EveryConnectionIsInWalModeWithForeignKeys) {
  std::vector<ConnectionLease> leases;
  for (int i = 0; i < 4; ++i) {
    auto conn = store_->Acquire();
    ASSERT_TRUE(conn.ok());
    auto mode = (*conn)->QueryOne("PRAGMA journal_mode");
    ASSERT_TRUE(mode.ok());
    EXPECT_EQ((*mode)[0].Text(), "wal");
    auto fk = (*conn)->QueryOne("PRAGMA foreign_keys");
    ASSERT_TRUE(fk.ok());
    EXPECT_EQ((*fk)[0].Int(), 1);
    leases.push_back(std::move(*conn));
  }
  EXPECT_EQ(store_->Describe(), "sqlite:" + dir_.File("test.db"));
}

TEST_F(StoreTest, ConcurrentWritersAllSucceed) {
  constexpr int kThreads = 4;
  constexpr int kPerThread = 50;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  threads.reserve(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      auto conn = store_->Acquire();
      if (!conn.ok()) {
        ++failures;
        return;
      }
      for (int i = 0; i < kPerThread; ++i) {
        auto tx = (*conn)->Begin(TxMode::kWrite);
        if (!tx.ok()) {
          ++failures;
          continue;
        }
        // Read-then-write inside the transaction: only safe if writers are serialised.
        auto n = (*conn)->QueryOne("SELECT COUNT(*) FROM parent");
        if (!n.ok() ||
            !(*conn)
                 ->Execute("INSERT INTO parent (id, name) VALUES (?, ?)",
                           {(*n)[0].Int() + 1, std::to_string(t) + "-" + std::to_string(i)})
                 .ok() ||
            !tx->Commit().ok()) {
          ++failures;
        }
      }
    });
  }
  for (auto& th : threads) {
    th.join();
  }
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(CountParents(), kThreads * kPerThread);
}

TEST(StoreOpenTest, NonDatabaseFileIsDataLoss) {
  TempDir dir;
  {
    std::ofstream out(dir.File("junk.db"), std::ios::binary);
    out << std::string(8192, 'x');
  }
  auto store = Store::OpenSqlite({.path = dir.File("junk.db")});
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.error().code, ErrorCode::kDataLoss);
  EXPECT_EQ(store.error().message.find(dir.Path().string()), std::string::npos)
      << "no paths in the external message";
}

TEST(StoreOpenTest, MissingFileWithoutCreateIsNotFound) {
  TempDir dir;
  auto store = Store::OpenSqlite({.path = dir.File("missing.db"), .create_if_missing = false});
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.error().code, ErrorCode::kNotFound);
  EXPECT_FALSE(std::filesystem::exists(dir.File("missing.db")));
}

TEST(StoreOpenTest, RejectsMemoryAndEmptyPaths) {
  EXPECT_EQ(Store::OpenSqlite({.path = ":memory:"}).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(Store::OpenSqlite({.path = ""}).error().code, ErrorCode::kInvalidArgument);
  TempDir dir;
  EXPECT_EQ(Store::OpenSqlite({.path = dir.File("x.db"), .pool_size = 0}).error().code,
            ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace accredit::store
