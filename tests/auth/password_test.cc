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
  EXPECT_TRUE(CheckPasswordPolicy("correct horse battery staple").ok());
  EXPECT_TRUE(CheckPasswordPolicy("accredit-demo-2026").ok());
  EXPECT_TRUE(CheckPasswordPolicy("Grüße aus Köln am Rhein").ok());  // UTF-8, counted in chars
  for (const char* bad : {"", "short", "eleven char", "aaaaaaaaaaaaaaaa"}) {
    Status s = CheckPasswordPolicy(bad);
    EXPECT_EQ(s.Code(), ErrorCode::kInvalidArgument) << bad;
    if (!s.ok()) {
      EXPECT_EQ(s.error().field, "password");
    }
  }
  EXPECT_FALSE(CheckPasswordPolicy(std::string(2000, 'x') + "y").ok());
}

TEST(PasswordTest, RefusesCommonPasswordsAndRepeatsCountedInCodePoints) {
  // Seen: all three were accepted.
  struct Case {
    const char* password;
    const char* reason;
  };

  for (const Case& c : {Case{"Password1234",
                             "is a dictionary word or common password with "
                             "digits or symbols added"},
                        Case{"passwordpassword",
                             "is a dictionary word or common password "
                             "repeated"},
                        Case{"éééééééééééé", "must not be one character repeated"},
                        Case{"qwertyuiop12",
                             "is a dictionary word or common password with "
                             "digits or symbols added"},
                        Case{"123456789012",
                             "is too simple or systematic (a sequence or a "
                             "keyboard pattern, or too few different "
                             "characters)"}}) {
    Status s = CheckPasswordPolicy(c.password);
    ASSERT_FALSE(s.ok()) << c.password;
    EXPECT_EQ(s.error().field, "password") << c.password;
    EXPECT_EQ(s.error().message, c.reason) << c.password;
  }
  // Eleven code points in 22 bytes are too short; the byte count does not help.
  EXPECT_EQ(CheckPasswordPolicy("ééééééééééa").error().message,
            "must be at least 12 characters long");
}

TEST(PasswordTest, RefusesTheUserNameAndInvalidUtf8) {
  Status s = CheckPasswordPolicy("frankfurter-2026-frank", "frank");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().message, "must not contain the user name");
  Status bad = CheckPasswordPolicy("correct horse \xff battery staple");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().field, "password");
  EXPECT_NE(bad.error().message.find("offset 14"), std::string::npos) << bad.error().message;
}

}  // namespace
}  // namespace accredit::auth
