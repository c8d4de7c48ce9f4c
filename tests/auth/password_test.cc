#include <string>

#include <gtest/gtest.h>

#include "auth/auth.h"

namespace accredit::auth {
namespace {

constexpr HashParams kCheap{.t_cost = 1, .m_cost_kib = 1024, .parallelism = 1};

TEST(PasswordTest, HashAndVerify) {
  auto hash = HashPassword("correct horse battery", kCheap);
  ASSERT_TRUE(hash.ok()) << hash.status().ToString();
  EXPECT_EQ(hash->rfind("$argon2id$", 0), 0U) << *hash;
  EXPECT_NE(hash->find("m=1024,t=1,p=1"), std::string::npos) << *hash;
  EXPECT_EQ(hash->find("correct horse"), std::string::npos);
  EXPECT_TRUE(VerifyPassword(*hash, "correct horse battery"));
  EXPECT_FALSE(VerifyPassword(*hash, "correct horse batterY"));
  EXPECT_FALSE(VerifyPassword(*hash, ""));
  EXPECT_FALSE(VerifyPassword("not a hash", "correct horse battery"));
  EXPECT_FALSE(VerifyPassword("", ""));
}

TEST(PasswordTest, SaltIsRandom) {
  auto a = HashPassword("same password here", kCheap);
  auto b = HashPassword("same password here", kCheap);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(*a, *b);
}

TEST(PasswordTest, DefaultParamsAreOwaspMinimum) {
  auto hash = HashPassword("a default-cost password");
  ASSERT_TRUE(hash.ok());
  EXPECT_NE(hash->find("m=19456,t=2,p=1"), std::string::npos) << *hash;
}

TEST(PasswordTest, Policy) {
  EXPECT_TRUE(CheckPasswordPolicy("twelve chars").ok());
  EXPECT_TRUE(CheckPasswordPolicy("ééééééééééé1").ok());  // 12 characters, more bytes
  for (const char* bad : {"", "short", "eleven char", "aaaaaaaaaaaaaaaa"}) {
    Status s = CheckPasswordPolicy(bad);
    EXPECT_EQ(s.Code(), ErrorCode::kInvalidArgument) << bad;
    if (!s.ok()) {
      EXPECT_EQ(s.error().field, "password");
    }
  }
  EXPECT_FALSE(CheckPasswordPolicy(std::string(2000, 'x') + "y").ok());
}

}  // namespace
}  // namespace accredit::auth
