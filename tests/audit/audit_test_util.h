#pragma once

// Shared setup for the audit tests: a migrated SQLite store in a temp dir, a fake clock, and
// helpers that tamper with the database the way an attacker with write access would (through
// the sqlite3 shell, or by recomputing the chain from the documented format).

#include <array>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>
#include <string_view>

#include <gtest/gtest.h>
#include <openssl/evp.h>

#include "audit/audit.h"
#include "testing/testing.h"

namespace accredit::audit::testing {

inline Instant T0() {
  auto t = ParseInstant("2026-04-03T10:00:00Z");
  return t.ok() ? *t : Instant{};
}

inline std::string ToHex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (char c : bytes) {
    const auto b = static_cast<unsigned char>(c);
    out.push_back(kDigits[b >> 4U]);
    out.push_back(kDigits[b & 0xfU]);
  }
  return out;
}

// The record hash exactly as docs/AUDIT.md specifies it, written independently of audit.cc:
// SHA-256(prev || u64be(seq) || for each field: u64be(len) || bytes).
inline std::string DocumentedHash(std::string_view prev, std::int64_t seq, std::string_view at,
                                  const Entry& e) {
  std::string buf(prev);
  auto u64 = [&](std::uint64_t v) {
    for (int i = 7; i >= 0; --i) {
      buf.push_back(static_cast<char>((v >> (8U * static_cast<unsigned>(i))) & 0xffU));
    }
  };
  u64(static_cast<std::uint64_t>(seq));
  for (std::string_view f : {at, std::string_view(e.actor), std::string_view(e.action),
                             std::string_view(e.entity_type), std::string_view(e.entity_id),
                             std::string_view(e.before_json), std::string_view(e.after_json)}) {
    u64(f.size());
    buf.append(f);
  }
  std::array<unsigned char, 32> out{};
  unsigned int len = 0;
  EVP_Digest(buf.data(), buf.size(), out.data(), &len, EVP_sha256(), nullptr);
  return {reinterpret_cast<const char*>(out.data()), len};
}

class AuditFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = store::Store::OpenSqlite({.path = DbPath()});
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
    auto applied = store_->Migrate(AuditLog::Migrations());
    ASSERT_TRUE(applied.ok()) << applied.status().ToString();
  }

  std::string DbPath() const { return dir_.File("audit.db"); }

  static Entry MakeEntry(int i) {
    return Entry{.actor = i % 2 == 0 ? "alice" : "bob",
                 .action = "user.update",
                 .entity_type = "user",
                 .entity_id = std::to_string(i),
                 .before_json = R"({"n":)" + std::to_string(i - 1) + "}",
                 .after_json = R"({"n":)" + std::to_string(i) + "}"};
  }

  // Appends records 1..n, one transaction each, one second apart.
  void AppendN(int n) {
    for (int i = 1; i <= n; ++i) {
      auto seq = log_.AppendStandalone(*store_, MakeEntry(i));
      ASSERT_TRUE(seq.ok()) << seq.status().ToString();
      clock_.Advance(std::chrono::seconds(1));
    }
  }

  VerifyReport VerifyOrDie(const Checkpoint* cp = nullptr, const CheckpointKey* key = nullptr) {
    auto conn = store_->Acquire();
    EXPECT_TRUE(conn.ok());
    auto report = log_.Verify(**conn, cp, key);
    EXPECT_TRUE(report.ok()) << report.status().ToString();
    return report.ok() ? *report : VerifyReport{.ok = false, .reason = "verify errored"};
  }

  // Runs SQL through the real sqlite3 shell against the database file, as an attacker would.
  void Sqlite3Shell(const std::string& sql) {
    const std::string script = dir_.File("tamper.sql");
    {
      std::ofstream out(script);
      out << sql << "\n";
    }
    const std::string cmd = "sqlite3 -bail '" + DbPath() + "' < '" + script + "'";
    ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;  // NOLINT(concurrency-mt-unsafe)
  }

  accredit::testing::TempDir dir_;
  FakeClock clock_{T0()};
  AuditLog log_{clock_};
  std::unique_ptr<store::Store> store_;
};

}  // namespace accredit::audit::testing
