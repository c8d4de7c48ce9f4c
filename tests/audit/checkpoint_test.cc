#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "audit/audit.h"
#include "audit_test_util.h"

namespace accredit::audit {
namespace {

using testing::AuditFixture;
using testing::DocumentedHash;
using testing::ToHex;

class CheckpointTest : public AuditFixture {
 protected:
  void SetUp() override {
    AuditFixture::SetUp();
    auto key = CheckpointKey::LoadOrCreate(dir_.File("checkpoint.key"));
    ASSERT_TRUE(key.ok()) << key.status().ToString();
    key_ = std::move(key).value();
  }

  Checkpoint MakeOrDie() {
    auto conn = store_->Acquire();
    EXPECT_TRUE(conn.ok());
    auto cp = log_.MakeCheckpoint(**conn, *key_);
    EXPECT_TRUE(cp.ok()) << cp.status().ToString();
    return cp.ok() ? *cp : Checkpoint{};
  }

  std::unique_ptr<CheckpointKey> key_;
};

TEST_F(CheckpointTest, KeyFileIsPrivateAndReloads) {
  struct stat st {};

  ASSERT_EQ(::stat(dir_.File("checkpoint.key").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777U, 0600U);
  EXPECT_EQ(key_->KeyId().size(), 16U);
  EXPECT_NE(key_->PublicKeyPem().find("BEGIN PUBLIC KEY"), std::string::npos);
  const std::string pem = accredit::testing::ReadFile(dir_.File("checkpoint.key"));
  EXPECT_NE(pem.find("BEGIN PRIVATE KEY"), std::string::npos);

  auto again = CheckpointKey::LoadOrCreate(dir_.File("checkpoint.key"));
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ((*again)->KeyId(), key_->KeyId());
  EXPECT_EQ(accredit::testing::ReadFile(dir_.File("checkpoint.key")), pem) << "not regenerated";

  auto sig = key_->Sign("hello");
  ASSERT_TRUE(sig.ok());
  EXPECT_TRUE((*again)->Verify("hello", *sig));
  EXPECT_FALSE((*again)->Verify("hellO", *sig));
  EXPECT_FALSE((*again)->Verify("hello", "not base64!"));

  auto other = CheckpointKey::LoadOrCreate(dir_.File("other.key"));
  ASSERT_TRUE(other.ok());
  EXPECT_NE((*other)->KeyId(), key_->KeyId());
  EXPECT_FALSE((*other)->Verify("hello", *sig));
}

TEST_F(CheckpointTest, KeyFileReadableByOthersIsRefused) {
  ASSERT_EQ(::chmod(dir_.File("checkpoint.key").c_str(), 0644), 0);
  auto key = CheckpointKey::LoadOrCreate(dir_.File("checkpoint.key"));
  ASSERT_FALSE(key.ok());
  EXPECT_EQ(key.error().code, ErrorCode::kPermissionDenied);
}

TEST_F(CheckpointTest, GarbageKeyFileIsDataLoss) {
  {
    std::ofstream out(dir_.File("junk.key"));
    out << "-----BEGIN PRIVATE KEY-----\nnope\n-----END PRIVATE KEY-----\n";
  }
  ASSERT_EQ(::chmod(dir_.File("junk.key").c_str(), 0600), 0);
  auto key = CheckpointKey::LoadOrCreate(dir_.File("junk.key"));
  ASSERT_FALSE(key.ok());
  EXPECT_EQ(key.error().code, ErrorCode::kDataLoss);
  EXPECT_EQ(key.error().message.find(dir_.Path().string()), std::string::npos);
}

TEST_F(CheckpointTest, CheckpointOfIntactLogVerifies) {
  AppendN(10);
  const Checkpoint cp = MakeOrDie();
  EXPECT_EQ(cp.size, 10);
  EXPECT_EQ(cp.key_id, key_->KeyId());
  EXPECT_EQ(cp.issued_at, clock_.Now());
  EXPECT_EQ(cp.ToText(), "accredit-audit-checkpoint/1\n10\n" + cp.head_hash_hex + "\n" +
                             FormatInstantUtc(cp.issued_at) + "\n" + cp.key_id + "\n");
  {
    auto conn = store_->Acquire();
    ASSERT_TRUE(conn.ok());
    auto rows = log_.List(**conn, {.limit = 1});
    ASSERT_TRUE(rows.ok());
    EXPECT_EQ(cp.head_hash_hex, (*rows)[0].hash_hex);
  }
  VerifyReport report = VerifyOrDie(&cp, key_.get());
  EXPECT_TRUE(report.ok) << report.reason;

  // The log growing after the checkpoint is fine.
  AppendN(5);
  report = VerifyOrDie(&cp, key_.get());
  EXPECT_TRUE(report.ok) << report.reason;
  EXPECT_EQ(report.records, 15);
}

TEST_F(CheckpointTest, EmptyLogCheckpoint) {
  const Checkpoint cp = MakeOrDie();
  EXPECT_EQ(cp.size, 0);
  EXPECT_EQ(cp.head_hash_hex, std::string(64, '0'));
  EXPECT_TRUE(VerifyOrDie(&cp, key_.get()).ok);
}

TEST_F(CheckpointTest, TruncationIsCaughtOnlyWithTheCheckpoint) {
  AppendN(10);
  const Checkpoint cp = MakeOrDie();
  // Export and re-import through the file format, as `audit checkpoint` / `verify --checkpoint`.
  auto exported = Checkpoint::FromJson(cp.ToJson());
  ASSERT_TRUE(exported.ok()) << exported.status().ToString();

  Sqlite3Shell("DELETE FROM audit_log WHERE seq > 7;");
  VerifyReport plain = VerifyOrDie();
  EXPECT_TRUE(plain.ok) << "the chain itself is intact: " << plain.reason;
  EXPECT_EQ(plain.records, 7);

  const VerifyReport report = VerifyOrDie(&*exported, key_.get());
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.reason, "log truncated: checkpoint has 10 records, log has 7");
  EXPECT_EQ(report.first_bad, 8);
}

TEST_F(CheckpointTest, RewriteWithARecomputedChainIsCaught) {
  AppendN(10);
  const Checkpoint cp = MakeOrDie();
  // The attacker edits record 4 and recomputes every later hash from the documented format.
  std::string script;
  {
    auto conn = store_->Acquire();
    ASSERT_TRUE(conn.ok());
    auto rows = log_.List(**conn, {.newest_first = false});
    ASSERT_TRUE(rows.ok());
    std::string prev(32, '\0');
    for (Record r : *rows) {
      if (r.seq == 4) {
        r.entry.after_json = R"({"n":"forged"})";
      }
      const std::string h = DocumentedHash(prev, r.seq, FormatInstantUtc(r.at), r.entry);
      script += "UPDATE audit_log SET after_json = '" + r.entry.after_json + "', prev_hash = X'" +
                ToHex(prev) + "', hash = X'" + ToHex(h) + "' WHERE seq = " + std::to_string(r.seq) +
                ";\n";
      prev = h;
    }
  }
  Sqlite3Shell(script);
  EXPECT_TRUE(VerifyOrDie().ok) << "a consistent rewrite passes the plain chain check";
  const VerifyReport report = VerifyOrDie(&cp, key_.get());
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.first_bad, 10);
  EXPECT_NE(report.reason.find("does not match the checkpoint's head hash"), std::string::npos)
      << report.reason;
}

TEST_F(CheckpointTest, TamperedCheckpointIsRejected) {
  AppendN(10);
  const Checkpoint cp = MakeOrDie();
  Sqlite3Shell("DELETE FROM audit_log WHERE seq > 7;");

  // Lowering the size to hide the truncation breaks the signature.
  Checkpoint smaller = cp;
  smaller.size = 7;
  VerifyReport report = VerifyOrDie(&smaller, key_.get());
  EXPECT_FALSE(report.ok);
  EXPECT_FALSE(report.first_bad.has_value());
  EXPECT_NE(report.reason.find("signature does not verify"), std::string::npos) << report.reason;

  Checkpoint bad_sig = cp;
  bad_sig.signature_b64[5] = bad_sig.signature_b64[5] == 'A' ? 'B' : 'A';
  report = VerifyOrDie(&bad_sig, key_.get());
  EXPECT_FALSE(report.ok);
  EXPECT_NE(report.reason.find("signature does not verify"), std::string::npos) << report.reason;

  Checkpoint later = cp;
  later.issued_at += std::chrono::hours(1);
  EXPECT_FALSE(VerifyOrDie(&later, key_.get()).ok);

  // A checkpoint signed by another key (the attacker's) is refused, naming both keys.
  auto attacker = CheckpointKey::LoadOrCreate(dir_.File("attacker.key"));
  ASSERT_TRUE(attacker.ok());
  Checkpoint forged = smaller;
  forged.key_id = (*attacker)->KeyId();
  auto sig = (*attacker)->Sign(forged.ToText());
  ASSERT_TRUE(sig.ok());
  forged.signature_b64 = *sig;
  report = VerifyOrDie(&forged, key_.get());
  EXPECT_FALSE(report.ok);
  EXPECT_NE(report.reason.find(key_->KeyId()), std::string::npos) << report.reason;

  // Without a key a checkpoint cannot be checked at all.
  auto conn = store_->Acquire();
  ASSERT_TRUE(conn.ok());
  EXPECT_EQ(log_.Verify(**conn, &cp, nullptr).error().code, ErrorCode::kFailedPrecondition);
}

TEST_F(CheckpointTest, RefusesToSignABrokenLog) {
  AppendN(4);
  Sqlite3Shell("UPDATE audit_log SET actor = 'eve' WHERE seq = 2;");
  auto conn = store_->Acquire();
  ASSERT_TRUE(conn.ok());
  auto cp = log_.MakeCheckpoint(**conn, *key_);
  ASSERT_FALSE(cp.ok());
  EXPECT_EQ(cp.error().code, ErrorCode::kDataLoss);
  EXPECT_NE(cp.error().message.find("record 2"), std::string::npos);
}

TEST_F(CheckpointTest, StoredCheckpointsRoundTrip) {
  AppendN(3);
  const Checkpoint first = MakeOrDie();
  AppendN(2);
  const Checkpoint second = MakeOrDie();
  auto conn = store_->Acquire();
  ASSERT_TRUE(conn.ok());
  EXPECT_EQ(log_.StoreCheckpoint(**conn, first).Code(), ErrorCode::kFailedPrecondition);
  {
    auto tx = (*conn)->Begin();
    ASSERT_TRUE(tx.ok());
    ASSERT_TRUE(log_.StoreCheckpoint(**conn, first).ok());
    ASSERT_TRUE(log_.StoreCheckpoint(**conn, second).ok());
    ASSERT_TRUE(tx->Commit().ok());
  }
  auto stored = log_.ListCheckpoints(**conn);
  ASSERT_TRUE(stored.ok()) << stored.status().ToString();
  ASSERT_EQ(stored->size(), 2U);
  EXPECT_EQ((*stored)[0].ToJson(), second.ToJson());
  EXPECT_EQ((*stored)[1].ToJson(), first.ToJson());
}

TEST_F(CheckpointTest, JsonRoundTrip) {
  AppendN(2);
  const Checkpoint cp = MakeOrDie();
  const std::string json = cp.ToJson();
  EXPECT_NE(json.find(R"("format": "accredit-audit-checkpoint/1")"), std::string::npos) << json;
  auto back = Checkpoint::FromJson(json);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->size, cp.size);
  EXPECT_EQ(back->head_hash_hex, cp.head_hash_hex);
  EXPECT_EQ(back->issued_at, cp.issued_at);
  EXPECT_EQ(back->key_id, cp.key_id);
  EXPECT_EQ(back->signature_b64, cp.signature_b64);
  EXPECT_EQ(back->ToJson(), json);
  EXPECT_TRUE(VerifyOrDie(&*back, key_.get()).ok);
}

TEST(CheckpointJsonTest, ErrorsNameTheField) {
  const std::string sig(86, 'A');  // 64 zero bytes in base64 is 86 chars + "=="
  const std::string good_sig = sig + "==";
  auto doc = [&](const std::string& size, const std::string& head, const std::string& at,
                 const std::string& key_id, const std::string& signature) {
    return R"({"format":"accredit-audit-checkpoint/1","size":)" + size + R"(,"head_hash":)" + head +
           R"(,"issued_at":)" + at + R"(,"key_id":)" + key_id + R"(,"signature":)" + signature +
           "}";
  };
  const std::string h = "\"" + std::string(64, 'a') + "\"";
  const std::string at = "\"2026-04-03T10:00:00.000Z\"";
  const std::string kid = "\"0123456789abcdef\"";
  const std::string s = "\"" + good_sig + "\"";
  ASSERT_TRUE(Checkpoint::FromJson(doc("3", h, at, kid, s)).ok())
      << Checkpoint::FromJson(doc("3", h, at, kid, s)).status().ToString();

  const std::vector<std::pair<std::string, std::string>> cases = {
      {"{", "checkpoint"},
      {"[]", "checkpoint"},
      {"", "checkpoint"},
      {doc("-1", h, at, kid, s), "size"},
      {doc("1.5", h, at, kid, s), "size"},
      {doc("\"3\"", h, at, kid, s), "size"},
      {doc("18446744073709551615", h, at, kid, s), "size"},
      {doc("3", "\"abc\"", at, kid, s), "head_hash"},
      {doc("3", "\"" + std::string(64, 'A') + "\"", at, kid, s), "head_hash"},
      {doc("3", "7", at, kid, s), "head_hash"},
      {doc("3", h, "\"yesterday\"", kid, s), "issued_at"},
      {doc("3", h, "\"2026-04-03T11:00:00+01:00\"", kid, s), "issued_at"},
      {doc("3", h, at, "\"xyz\"", s), "key_id"},
      {doc("3", h, at, kid, "\"!!!!\""), "signature"},
      {doc("3", h, at, kid, "\"" + sig + "\""), "signature"},
      {doc("3", h, at, kid, "\"AAAA\""), "signature"},
      {doc("3", h, at, kid, "null"), "signature"},
      {R"({"format":"other/1","size":1})", "format"},
      {R"({"format":"accredit-audit-checkpoint/1"})", "size"},
      {R"({"format":"accredit-audit-checkpoint/1","size":1,"extra":true})", "extra"},
  };
  for (const auto& [text, field] : cases) {
    SCOPED_TRACE(text);
    auto cp = Checkpoint::FromJson(text);
    ASSERT_FALSE(cp.ok());
    EXPECT_EQ(cp.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(cp.error().field, field);
    EXPECT_NE(cp.error().message.find(field), std::string::npos) << cp.error().message;
  }
}

}  // namespace
}  // namespace accredit::audit

namespace accredit::audit {
namespace {

TEST(CheckpointJsonTest, FuzzSeedParses) {
  const std::string seed = accredit::testing::ReadFile(accredit::testing::SourceDir() /
                                                       "fuzz/corpus/checkpoint/seed1.json");
  ASSERT_FALSE(seed.empty());
  auto cp = Checkpoint::FromJson(seed);
  ASSERT_TRUE(cp.ok()) << cp.status().ToString();
  EXPECT_EQ(cp->size, 10);
}

}  // namespace
}  // namespace accredit::audit
