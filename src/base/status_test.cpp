#include "formica/base/status.h"

#include <gtest/gtest.h>

#include <memory>

namespace formica {
namespace {

Result<int> parse_positive(int v) {
  if (v <= 0) return make_error(ErrorCode::kInvalidArgument, "not positive");
  return v;
}

Result<int> doubled(int v) {
  FORMICA_ASSIGN_OR_RETURN(int x, parse_positive(v));
  return 2 * x;
}

Status check(int v) {
  FORMICA_TRY(parse_positive(v));
  return ok_status();
}

TEST(Result, CarriesValueOrTypedError) {
  auto good = doubled(21);
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(*good, 42);
  auto bad = doubled(-1);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(bad.error().to_string(), "invalid argument: not positive");
}

TEST(Result, StatusPropagates) {
  EXPECT_TRUE(check(1).ok());
  auto s = check(0);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), ErrorCode::kInvalidArgument);
}

TEST(Result, HoldsMoveOnlyValues) {
  Result<std::unique_ptr<int>> r(std::make_unique<int>(7));
  ASSERT_TRUE(r.ok());
  auto p = std::move(r).value();
  EXPECT_EQ(*p, 7);
}

TEST(Result, EveryCodeHasAName) {
  for (int c = 1; c <= static_cast<int>(ErrorCode::kInternal); ++c)
    EXPECT_NE(base::error_code_name(static_cast<ErrorCode>(c)), "unknown error");
}

}  // namespace
}  // namespace formica
