#include "core/crypto.h"

#include <set>
#include <string>

#include <gtest/gtest.h>

namespace accredit {
namespace {

TEST(CryptoTest, HexEncodeIsLowerCaseTwoDigitsPerByte) {
  EXPECT_EQ(HexEncode(std::string("\x00\x01\xab\xff", 4)), "0001abff");
  EXPECT_EQ(HexEncode(""), "");
}

TEST(CryptoTest, Sha256MatchesTheFips180Vector) {
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Sha256("abc").size(), 32U);
}

TEST(CryptoTest, RandomHexHasTheAskedLengthAndDiffers) {
  std::set<std::string> seen;
  for (int i = 0; i < 16; ++i) {
    const std::string r = RandomHex(16);
    EXPECT_EQ(r.size(), 32U);
    seen.insert(r);
  }
  EXPECT_EQ(seen.size(), 16U);
}

}  // namespace
}  // namespace accredit
