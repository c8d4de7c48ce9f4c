#include "core/status.h"

#include <array>
#include <memory>
#include <string>
#include <utility>

#include <gtest/gtest.h>

namespace accredit {
namespace {

TEST(StatusTest, DefaultIsOk) {
  const Status s;
  EXPECT_TRUE(s.ok());
  EXPECT_TRUE(static_cast<bool>(s));
  EXPECT_EQ(s.Code(), ErrorCode::kOk);
  EXPECT_EQ(s.ToString(), "ok");
  EXPECT_TRUE(Status::Ok().ok());
}

TEST(StatusTest, CarriesError) {
  const Status s = Err(ErrorCode::kNotFound, "no such contract", "contract_id", "id=42");
  EXPECT_FALSE(s.ok());
  EXPECT_FALSE(static_cast<bool>(s));
  EXPECT_EQ(s.Code(), ErrorCode::kNotFound);
  EXPECT_EQ(s.error().message, "no such contract");
  EXPECT_EQ(s.error().field, "contract_id");
  EXPECT_EQ(s.error().internal, "id=42");
  EXPECT_EQ(s.ToString(), "not_found: contract_id: no such contract");
}

TEST(StatusTest, ToStringWithoutField) {
  const Status s = Err(ErrorCode::kInternal, "boom");
  EXPECT_EQ(s.ToString(), "internal: boom");
}

TEST(StatusTest, CodeMappings) {
  struct Case {
    const char* name;
    int http;
    ErrorCode code;
  };

  const auto cases = std::to_array<Case>({
      {"ok", 200, ErrorCode::kOk},
      {"invalid_argument", 400, ErrorCode::kInvalidArgument},
      {"not_found", 404, ErrorCode::kNotFound},
      {"already_exists", 409, ErrorCode::kAlreadyExists},
      {"permission_denied", 403, ErrorCode::kPermissionDenied},
      {"unauthenticated", 401, ErrorCode::kUnauthenticated},
      {"unavailable", 503, ErrorCode::kUnavailable},
      {"internal", 500, ErrorCode::kInternal},
  });
  for (const Case& c : cases) {
    EXPECT_EQ(ErrorCodeName(c.code), c.name);
    EXPECT_EQ(HttpStatusFor(c.code), c.http) << c.name;
  }
  EXPECT_EQ(ExitCodeFor(ErrorCode::kOk), 0);
  EXPECT_NE(ExitCodeFor(ErrorCode::kInvalidArgument), 0);
}

TEST(ResultTest, HoldsValue) {
  Result<int> r = 7;
  ASSERT_TRUE(r.has_value());
  EXPECT_TRUE(r.ok());
  EXPECT_TRUE(static_cast<bool>(r));
  EXPECT_EQ(r.value(), 7);
  EXPECT_EQ(*r, 7);
  EXPECT_EQ(r.value_or(3), 7);
  EXPECT_TRUE(r.status().ok());
}

TEST(ResultTest, HoldsError) {
  const Result<std::string> r = Err(ErrorCode::kInvalidArgument, "bad", "name");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(r.error().field, "name");
  EXPECT_EQ(r.value_or("fallback"), "fallback");
  EXPECT_EQ(r.status().Code(), ErrorCode::kInvalidArgument);
}

TEST(ResultTest, FromFailedStatus) {
  const Status s = Err(ErrorCode::kDataLoss, "truncated");
  const Result<int> r = s;
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kDataLoss);
  EXPECT_EQ(r.error().message, "truncated");
}

TEST(ResultTest, MoveOnlyValue) {
  Result<std::unique_ptr<int>> r = std::make_unique<int>(5);
  ASSERT_TRUE(r.has_value());
  std::unique_ptr<int> p = std::move(r).value();
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(*p, 5);
}

TEST(ResultTest, ArrowOperator) {
  Result<std::string> r = std::string("abc");
  EXPECT_EQ(r->size(), 3U);
}

// Helpers exercising the two propagation macros.
Result<int> ParsePositive(int v) {
  if (v <= 0) {
    return Err(ErrorCode::kInvalidArgument, "must be positive", "v");
  }
  return v;
}

Status CheckPositive(int v) {
  if (v <= 0) {
    return Err(ErrorCode::kInvalidArgument, "must be positive", "v");
  }
  return Status::Ok();
}

Status ReturnIfErrorStatus(int v, int& calls_after) {
  ACC_RETURN_IF_ERROR(CheckPositive(v));
  ++calls_after;
  return Status::Ok();
}

Status ReturnIfErrorResult(int v, int& calls_after) {
  ACC_RETURN_IF_ERROR(ParsePositive(v));
  ++calls_after;
  return Status::Ok();
}

Result<int> AssignOrReturn(int a, int b) {
  ACC_ASSIGN_OR_RETURN(const int x, ParsePositive(a));
  ACC_ASSIGN_OR_RETURN(const int y, ParsePositive(b));  // two uses in one scope
  return x + y;
}

Result<std::unique_ptr<int>> MakeBox(int v) {
  ACC_ASSIGN_OR_RETURN(int x, ParsePositive(v));
  return std::make_unique<int>(x);
}

Status AssignExisting(int v, std::unique_ptr<int>& out) {
  ACC_ASSIGN_OR_RETURN(out, MakeBox(v));
  return Status::Ok();
}

TEST(StatusMacrosTest, ReturnIfError) {
  int calls_after = 0;
  EXPECT_TRUE(ReturnIfErrorStatus(1, calls_after).ok());
  EXPECT_EQ(calls_after, 1);
  const Status s = ReturnIfErrorStatus(-1, calls_after);
  EXPECT_EQ(s.Code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(calls_after, 1);

  EXPECT_TRUE(ReturnIfErrorResult(2, calls_after).ok());
  EXPECT_EQ(calls_after, 2);
  EXPECT_FALSE(ReturnIfErrorResult(0, calls_after).ok());
  EXPECT_EQ(calls_after, 2);
}

TEST(StatusMacrosTest, AssignOrReturn) {
  const Result<int> ok = AssignOrReturn(2, 3);
  ASSERT_TRUE(ok.has_value());
  EXPECT_EQ(*ok, 5);

  const Result<int> first_bad = AssignOrReturn(-2, 3);
  ASSERT_FALSE(first_bad.has_value());
  EXPECT_EQ(first_bad.error().field, "v");

  EXPECT_FALSE(AssignOrReturn(2, -3).has_value());
}

TEST(StatusMacrosTest, AssignOrReturnMovesIntoExistingVariable) {
  std::unique_ptr<int> out;
  ASSERT_TRUE(AssignExisting(9, out).ok());
  ASSERT_NE(out, nullptr);
  EXPECT_EQ(*out, 9);

  std::unique_ptr<int> untouched;
  EXPECT_FALSE(AssignExisting(-9, untouched).ok());
  EXPECT_EQ(untouched, nullptr);
}

}  // namespace
}  // namespace accredit
