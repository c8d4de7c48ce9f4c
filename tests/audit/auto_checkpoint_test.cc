// Automatic checkpoints (every N records, periodic), their two copies (audit_checkpoints and the
// append-only file) and plain verification against the newest one (issue 6, "Audit tail").

#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "audit/audit.h"
#include "audit_test_util.h"

namespace accredit::audit {
namespace {

using testing::AuditFixture;

class AutoCheckpointTest : public AuditFixture {
 protected:
  void SetUp() override {
    AuditFixture::SetUp();
    auto key = CheckpointKey::LoadOrCreate(dir_.File("audit.db.audit-key.pem"));
    ASSERT_TRUE(key.ok()) << key.status().ToString();
    key_ = std::move(key).value();
    UseEvery(5);
  }

  // A log that checkpoints every `n` records into the database and FilePath().
  void UseEvery(std::int64_t n) {
    CheckpointOptions options;
    options.key = key_.get();
    options.file_path = FilePath();
    options.every_records = n;
    options.on_error = [this](const Error& e) {
      errors_.push_back(e.message);
    };
    auto_log_ = std::make_unique<AuditLog>(clock_, std::move(options));
  }

  std::string FilePath() const { return dir_.File("audit.db.audit-checkpoints.jsonl"); }

  void Append(int n) {
    for (int i = 1; i <= n; ++i) {
      auto seq = auto_log_->AppendStandalone(*store_, MakeEntry(i));
      ASSERT_TRUE(seq.ok()) << seq.status().ToString();
      clock_.Advance(std::chrono::seconds(1));
    }
  }

  std::vector<std::int64_t> StoredSizes() {
    auto conn = store_->Acquire();
    EXPECT_TRUE(conn.ok());
    std::vector<std::int64_t> sizes;
    auto rows = (*conn)->Query("SELECT size FROM audit_checkpoints ORDER BY id");
    EXPECT_TRUE(rows.ok());
    if (rows.ok()) {
      for (const auto& r : *rows) {
        sizes.push_back(r[0].Int());
      }
    }
    return sizes;
  }

  std::vector<std::int64_t> FileSizes() {
    std::vector<std::int64_t> sizes;
    for (const Checkpoint& cp : ReadCheckpointFile(FilePath()).checkpoints) {
      sizes.push_back(cp.size);
    }
    return sizes;
  }

  VerifyReport VerifyNewestOrDie() {
    auto conn = store_->Acquire();
    EXPECT_TRUE(conn.ok());
    auto report = auto_log_->VerifyNewest(**conn);
    EXPECT_TRUE(report.ok()) << report.status().ToString();
    return report.ok() ? *report : VerifyReport{.ok = false, .reason = "verify errored"};
  }

  std::unique_ptr<CheckpointKey> key_;
  std::unique_ptr<AuditLog> auto_log_;
  std::vector<std::string> errors_;
};

TEST_F(AutoCheckpointTest, EveryNRecordsGoesToTheTableAndTheFile) {
  Append(12);
  EXPECT_EQ(StoredSizes(), (std::vector<std::int64_t>{5, 10}));
  EXPECT_EQ(FileSizes(), (std::vector<std::int64_t>{5, 10}));
  EXPECT_TRUE(errors_.empty());

  struct stat st {};

  ASSERT_EQ(::stat(FilePath().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  // One compact JSON object per line, each a valid signed checkpoint.
  const std::string text = accredit::testing::ReadFile(FilePath());
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 2);
  for (const Checkpoint& cp : ReadCheckpointFile(FilePath()).checkpoints) {
    EXPECT_TRUE(key_->Verify(cp.ToText(), cp.signature_b64));
  }

  const VerifyReport report = VerifyNewestOrDie();
  EXPECT_TRUE(report.ok) << report.reason;
  EXPECT_EQ(report.records, 12);
  ASSERT_TRUE(report.checkpoint.has_value());
  EXPECT_EQ(report.checkpoint->size, 10);
  EXPECT_EQ(report.checkpoint_source, CheckpointSource::kDatabase);
}

TEST_F(AutoCheckpointTest, ARolledBackRecordLeavesNoCheckpointAnywhere) {
  Append(4);
  {
    auto conn = store_->Acquire();
    ASSERT_TRUE(conn.ok());
    auto tx = (*conn)->Begin(store::TxMode::kWrite);
    ASSERT_TRUE(tx.ok());
    auto seq = auto_log_->Append(**conn, MakeEntry(5));
    ASSERT_TRUE(seq.ok()) << seq.status().ToString();
    EXPECT_EQ(*seq, 5);
    tx->Rollback();
  }
  EXPECT_TRUE(StoredSizes().empty());
  EXPECT_TRUE(FileSizes().empty());
  EXPECT_FALSE(std::filesystem::exists(FilePath()));
  EXPECT_TRUE(VerifyNewestOrDie().ok);
}

TEST_F(AutoCheckpointTest, DeletingTheLastRecordsFailsNamingTheCheckpoint) {
  Append(12);  // checkpoints of 5 and 10 records
  EXPECT_TRUE(VerifyNewestOrDie().ok);
  Sqlite3Shell("DELETE FROM audit_log WHERE seq > 7;");  // the last 5 records

  const VerifyReport report = VerifyNewestOrDie();
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.reason, "log truncated: checkpoint has 10 records, log has 7");
  EXPECT_EQ(report.first_bad, 8);
  ASSERT_TRUE(report.checkpoint.has_value());
  EXPECT_EQ(report.checkpoint->size, 10);
  EXPECT_EQ(report.checkpoint_source, CheckpointSource::kDatabase);
  EXPECT_EQ(DescribeCheckpoint(*report.checkpoint, report.checkpoint_source),
            "checkpoint of 10 records issued at 2026-04-03T10:00:09.000Z (database)");

  // The attacker also deletes the database copies: the file copy still catches it.
  Sqlite3Shell("DELETE FROM audit_checkpoints;");
  const VerifyReport from_file = VerifyNewestOrDie();
  EXPECT_FALSE(from_file.ok);
  EXPECT_EQ(from_file.reason, "log truncated: checkpoint has 10 records, log has 7");
  ASSERT_TRUE(from_file.checkpoint.has_value());
  EXPECT_EQ(from_file.checkpoint->size, 10);
  EXPECT_EQ(from_file.checkpoint_source, CheckpointSource::kFile);

  // And no new checkpoint legitimises the truncated log.
  auto taken = auto_log_->TakeCheckpoint(*store_);
  EXPECT_EQ(taken.status().Code(), ErrorCode::kDataLoss);
  EXPECT_NE(taken.status().error().message.find("checkpoint of 10 records"), std::string::npos)
      << taken.status().error().message;
  EXPECT_EQ(FileSizes(), (std::vector<std::int64_t>{5, 10}));
}

TEST_F(AutoCheckpointTest, AnAutomaticCheckpointIsNotTakenOverATruncatedLog) {
  Append(10);
  Sqlite3Shell("DELETE FROM audit_log WHERE seq > 6; DELETE FROM audit_checkpoints;");
  // Records 7..10 again: the 10th would be checkpointed, but the log no longer verifies against
  // the file's checkpoint of 10 records (its record 10 is a different one).
  Append(4);
  EXPECT_TRUE(StoredSizes().empty());
  EXPECT_EQ(FileSizes(), (std::vector<std::int64_t>{5, 10}));
  ASSERT_EQ(errors_.size(), 1u);
  EXPECT_NE(errors_[0].find("automatic checkpoint at record 10 not taken"), std::string::npos)
      << errors_[0];
  EXPECT_FALSE(VerifyNewestOrDie().ok);
}

TEST_F(AutoCheckpointTest, SigningChecksOnlyTheTailYetVerifyStillSeesOlderTampering) {
  // Taking a checkpoint checks the records since the newest one (its cost is the records since
  // the last checkpoint, not the whole log); a record altered before that checkpoint is still
  // caught by `audit verify`, which checks the whole chain.
  Append(5);
  Sqlite3Shell("UPDATE audit_log SET actor = 'mallory' WHERE seq = 2;");
  Append(5);
  EXPECT_EQ(StoredSizes(), (std::vector<std::int64_t>{5, 10}));
  EXPECT_TRUE(errors_.empty());
  const VerifyReport report = VerifyNewestOrDie();
  EXPECT_FALSE(report.ok);
  ASSERT_TRUE(report.first_bad.has_value());
  EXPECT_EQ(*report.first_bad, 2);
  // A record of the tail altered before the next checkpoint is refused at signing.
  Append(3);
  Sqlite3Shell("UPDATE audit_log SET actor = 'mallory' WHERE seq = 12;");
  Append(2);
  EXPECT_EQ(StoredSizes(), (std::vector<std::int64_t>{5, 10}));
  ASSERT_EQ(errors_.size(), 1u);
  EXPECT_NE(errors_[0].find("record 12"), std::string::npos) << errors_[0];
}

TEST_F(AutoCheckpointTest, NoCheckpointAnywhereChecksTheChainOnly) {
  UseEvery(0);
  Append(3);
  const VerifyReport report = VerifyNewestOrDie();
  EXPECT_TRUE(report.ok);
  EXPECT_EQ(report.records, 3);
  EXPECT_FALSE(report.checkpoint.has_value());
  EXPECT_TRUE(report.notes.empty());

  // An unreadable file (here: a directory in its place) is noted, not an error.
  std::filesystem::create_directory(FilePath());
  const VerifyReport unreadable = VerifyNewestOrDie();
  EXPECT_TRUE(unreadable.ok);
  EXPECT_FALSE(unreadable.checkpoint.has_value());
  ASSERT_EQ(unreadable.notes.size(), 1u);
  EXPECT_EQ(unreadable.notes[0], "the checkpoint file cannot be read (skipped)");
}

TEST_F(AutoCheckpointTest, MalformedFileLinesAreNotedAndSkipped) {
  Append(10);
  Sqlite3Shell("DELETE FROM audit_checkpoints;");
  {
    std::ofstream out(FilePath(), std::ios::app);
    out << "{not json\n"
        << R"({"format":"accredit-audit-checkpoint/1"})"
        << "\n";
  }
  Sqlite3Shell("DELETE FROM audit_log WHERE seq > 8;");
  const VerifyReport report = VerifyNewestOrDie();
  EXPECT_FALSE(report.ok);
  ASSERT_TRUE(report.checkpoint.has_value());
  EXPECT_EQ(report.checkpoint->size, 10);
  EXPECT_EQ(report.checkpoint_source, CheckpointSource::kFile);
  ASSERT_EQ(report.notes.size(), 2u);
  EXPECT_EQ(report.notes[0].rfind("checkpoint file line 3 skipped: ", 0), 0u) << report.notes[0];
  EXPECT_EQ(report.notes[1].rfind("checkpoint file line 4 skipped: ", 0), 0u) << report.notes[1];
}

TEST_F(AutoCheckpointTest, CheckpointsThatDoNotVerifyAreIgnoredWithANote) {
  Append(5);  // a good checkpoint of 5 records
  auto attacker = CheckpointKey::LoadOrCreate(dir_.File("attacker.key"));
  ASSERT_TRUE(attacker.ok());
  Checkpoint forged;
  {
    auto conn = store_->Acquire();
    ASSERT_TRUE(conn.ok());
    auto cp = auto_log_->MakeCheckpoint(**conn, **attacker);
    ASSERT_TRUE(cp.ok());
    forged = *cp;
  }
  forged.size = 50;
  auto sig = (*attacker)->Sign(forged.ToText());
  ASSERT_TRUE(sig.ok());
  forged.signature_b64 = *sig;
  ASSERT_TRUE(AppendCheckpointFile(FilePath(), forged).ok());
  Checkpoint altered = ReadCheckpointFile(FilePath()).checkpoints.front();
  altered.size = 40;  // signed by our key, but no longer what was signed
  ASSERT_TRUE(AppendCheckpointFile(FilePath(), altered).ok());

  const VerifyReport report = VerifyNewestOrDie();
  EXPECT_TRUE(report.ok) << report.reason;
  ASSERT_TRUE(report.checkpoint.has_value());
  EXPECT_EQ(report.checkpoint->size, 5);
  ASSERT_EQ(report.notes.size(), 2u);
  EXPECT_NE(report.notes[0].find("checkpoint of 50 records"), std::string::npos);
  EXPECT_NE(report.notes[0].find("not by this server's key"), std::string::npos);
  EXPECT_NE(report.notes[1].find("checkpoint of 40 records"), std::string::npos);
  EXPECT_NE(report.notes[1].find("signature does not verify"), std::string::npos);
}

TEST_F(AutoCheckpointTest, PeriodicCheckpointFollowsTheClock) {
  UseEvery(0);
  const auto interval = std::chrono::minutes(15);
  auto due = auto_log_->TakeCheckpointIfDue(*store_, interval);
  ASSERT_TRUE(due.ok()) << due.status().ToString();
  EXPECT_FALSE(due->has_value()) << "an empty log needs no checkpoint";

  Append(3);
  due = auto_log_->TakeCheckpointIfDue(*store_, interval);
  ASSERT_TRUE(due.ok()) << due.status().ToString();
  ASSERT_TRUE(due->has_value()) << "the first checkpoint is due at once";
  EXPECT_EQ((*due)->size, 3);

  clock_.Advance(std::chrono::minutes(20));
  due = auto_log_->TakeCheckpointIfDue(*store_, interval);
  ASSERT_TRUE(due.ok());
  EXPECT_FALSE(due->has_value()) << "nothing new since the last checkpoint";

  Append(1);
  clock_.Set(clock_.Now() + std::chrono::minutes(1));
  // The newest checkpoint is 21 minutes old and the log has grown: due.
  due = auto_log_->TakeCheckpointIfDue(*store_, interval);
  ASSERT_TRUE(due.ok());
  ASSERT_TRUE(due->has_value());
  EXPECT_EQ((*due)->size, 4);

  Append(1);
  clock_.Advance(std::chrono::minutes(14));
  due = auto_log_->TakeCheckpointIfDue(*store_, interval);
  ASSERT_TRUE(due.ok());
  EXPECT_FALSE(due->has_value()) << "only 14 minutes since the last checkpoint";
  clock_.Advance(std::chrono::minutes(1));
  due = auto_log_->TakeCheckpointIfDue(*store_, interval);
  ASSERT_TRUE(due.ok());
  ASSERT_TRUE(due->has_value());
  EXPECT_EQ((*due)->size, 5);

  EXPECT_EQ(StoredSizes(), (std::vector<std::int64_t>{3, 4, 5}));
  EXPECT_EQ(FileSizes(), (std::vector<std::int64_t>{3, 4, 5}));
}

TEST_F(AutoCheckpointTest, TakeCheckpointNeedsAKey) {
  AuditLog keyless(clock_);
  EXPECT_EQ(keyless.TakeCheckpoint(*store_).status().Code(), ErrorCode::kFailedPrecondition);
}

TEST_F(AutoCheckpointTest, FileLineIsTheCompactJson) {
  Append(5);
  const auto contents = ReadCheckpointFile(FilePath());
  ASSERT_EQ(contents.checkpoints.size(), 1u);
  EXPECT_EQ(accredit::testing::ReadFile(FilePath()), contents.checkpoints[0].ToJsonLine());
  EXPECT_EQ(contents.checkpoints[0].ToJsonLine().find('\n'),
            contents.checkpoints[0].ToJsonLine().size() - 1);
}

}  // namespace
}  // namespace accredit::audit
