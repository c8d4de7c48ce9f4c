#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "store/store.h"
#include "testing/testing.h"

namespace accredit::store {
namespace {

using accredit::testing::TempDir;

class MigrateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = Store::OpenSqlite({.path = dir_.File("m.db")});
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
  }

  bool TableExists(const std::string& name) {
    auto conn = store_->Acquire();
    EXPECT_TRUE(conn.ok());
    auto rows =
        (*conn)->Query("SELECT name FROM sqlite_master WHERE type = 'table' AND name = ?", {name});
    EXPECT_TRUE(rows.ok());
    return rows.ok() && !rows->empty();
  }

  TempDir dir_;
  std::unique_ptr<Store> store_;
};

TEST_F(MigrateTest, AppliesOnceInVersionOrderAndRecords) {
  // Listed out of order: 2 depends on 1, so applying in list order would fail.
  const std::vector<Migration> migrations = {
      {2, "b",
       "CREATE TABLE b (id INTEGER PRIMARY KEY, a_id INTEGER REFERENCES a(id));"
       "INSERT INTO a (id) VALUES (1); INSERT INTO b (a_id) VALUES (1);"},
      {1, "a", "CREATE TABLE a (id INTEGER PRIMARY KEY)"},
  };
  auto applied = store_->Migrate(migrations);
  ASSERT_TRUE(applied.ok()) << applied.status().ToString();
  EXPECT_EQ(*applied, 2);
  EXPECT_TRUE(TableExists("a"));
  EXPECT_TRUE(TableExists("b"));

  auto versions = store_->AppliedMigrations();
  ASSERT_TRUE(versions.ok());
  EXPECT_EQ(*versions, (std::vector<int>{1, 2}));
  {
    auto conn = store_->Acquire();
    ASSERT_TRUE(conn.ok());
    auto rows =
        (*conn)->Query("SELECT version, name, applied_at FROM schema_migrations ORDER BY version");
    ASSERT_TRUE(rows.ok());
    ASSERT_EQ(rows->size(), 2U);
    EXPECT_EQ((*rows)[0][1].Text(), "a");
    EXPECT_TRUE(ParseInstant((*rows)[0][2].Text()).ok());
  }

  auto again = store_->Migrate(migrations);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, 0);

  // A later migration on top applies just that one.
  auto more = migrations;
  more.push_back({3, "c", "CREATE TABLE c (id INTEGER)"});
  auto third = store_->Migrate(more);
  ASSERT_TRUE(third.ok());
  EXPECT_EQ(*third, 1);
  EXPECT_TRUE(TableExists("c"));
}

TEST_F(MigrateTest, FailingMigrationLeavesNothingHalfApplied) {
  const std::vector<Migration> migrations = {
      {10, "good", "CREATE TABLE good (id INTEGER)"},
      {11, "bad", "CREATE TABLE half (id INTEGER); CREATE TABLE broken (;"},
      {12, "after", "CREATE TABLE after_bad (id INTEGER)"},
  };
  auto applied = store_->Migrate(migrations);
  ASSERT_FALSE(applied.ok());
  EXPECT_NE(applied.error().internal.find("migration 11"), std::string::npos)
      << applied.error().internal;
  EXPECT_TRUE(TableExists("good"));        // its own transaction committed
  EXPECT_FALSE(TableExists("half"));       // rolled back with the failing statement
  EXPECT_FALSE(TableExists("after_bad"));  // never reached
  auto versions = store_->AppliedMigrations();
  ASSERT_TRUE(versions.ok());
  EXPECT_EQ(*versions, (std::vector<int>{10}));

  // Fixing the migration lets it apply next time.
  auto fixed = migrations;
  fixed[1].sql = "CREATE TABLE half (id INTEGER)";
  auto retry = store_->Migrate(fixed);
  ASSERT_TRUE(retry.ok()) << retry.status().ToString();
  EXPECT_EQ(*retry, 2);
  EXPECT_TRUE(TableExists("half"));
}

TEST_F(MigrateTest, DuplicateVersionsAreRejected) {
  const std::vector<Migration> migrations = {
      {5, "x", "CREATE TABLE x (id INTEGER)"},
      {5, "y", "CREATE TABLE y (id INTEGER)"},
  };
  EXPECT_FALSE(store_->Migrate(migrations).ok());
  EXPECT_FALSE(TableExists("x"));
}

}  // namespace
}  // namespace accredit::store
