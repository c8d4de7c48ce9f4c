// The strict JSON request decoder (http/internal.h). Regression cases found by
// fuzz/json_body_fuzz.cc are added here (STYLE rule 24).

#include <array>
#include <string>

#include <gtest/gtest.h>

#include "http/internal.h"

namespace accredit::http::internal {
namespace {

constexpr std::array<FieldSpec, 2> kFields = {{
    {"username", JsonType::kString, true},
    {"supplier_id", JsonType::kNullableInteger, false},
}};

TEST(JsonDecoderTest, EmptyMemberNameIsRefusedNamingTheBody) {
  // Fuzzer find: {"": ...} was refused with an empty `field`.
  auto r = DecodeJsonObject(R"({"username":"a","":"x"})", kFields);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().field, "body");
  EXPECT_NE(r.error().message.find("unknown field"), std::string::npos);
}

TEST(JsonDecoderTest, NamesUnknownWrongTypeMissingAndMalformed) {
  auto unknown = DecodeJsonObject(R"({"username":"a","colour":1})", kFields);
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().field, "colour");
  auto wrong = DecodeJsonObject(R"({"username":"a","supplier_id":"x"})", kFields);
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().field, "supplier_id");
  auto missing = DecodeJsonObject(R"({"supplier_id":null})", kFields);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().field, "username");
  auto malformed = DecodeJsonObject(R"({"username":)", kFields);
  ASSERT_FALSE(malformed.ok());
  EXPECT_EQ(malformed.error().field, "body");
  EXPECT_NE(malformed.error().message.find("byte"), std::string::npos);
  auto ok = DecodeJsonObject(R"({"username":"a","supplier_id":null})", kFields);
  EXPECT_TRUE(ok.ok());
}

}  // namespace
}  // namespace accredit::http::internal
