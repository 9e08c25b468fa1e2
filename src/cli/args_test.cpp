#include "args.h"

#include <gtest/gtest.h>

namespace formica::cli {
namespace {

const std::vector<OptionSpec> kSpec = {{"out"}, {"json", false}, {"predicate", true, true}};

TEST(Args, ParsesOptionsFlagsAndPositionals) {
  auto a = Args::parse({"file.txt", "--out", "x", "--json", "--predicate=a", "--predicate", "b"}, kSpec);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->positional(), std::vector<std::string>{"file.txt"});
  EXPECT_EQ(a->get("out"), "x");
  EXPECT_TRUE(a->has("json"));
  EXPECT_EQ(a->get_all("predicate"), (std::vector<std::string>{"a", "b"}));
}

TEST(Args, RefusesUnknownRepeatedAndMissing) {
  EXPECT_FALSE(Args::parse({"--nope"}, kSpec).ok());
  EXPECT_FALSE(Args::parse({"--out", "a", "--out", "b"}, kSpec).ok());
  EXPECT_FALSE(Args::parse({"--out"}, kSpec).ok());
  EXPECT_FALSE(Args::parse({"--json=1"}, kSpec).ok());
}

TEST(Args, DoubleDashEndsOptions) {
  auto a = Args::parse({"--", "--out"}, kSpec);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->positional(), std::vector<std::string>{"--out"});
}

TEST(Args, ParsesUnsignedIntegers) {
  EXPECT_EQ(*parse_u64("42"), 42u);
  EXPECT_FALSE(parse_u64("-1").ok());
  EXPECT_FALSE(parse_u64("4x").ok());
  EXPECT_FALSE(parse_u64("").ok());
  EXPECT_FALSE(parse_u64("99999999999999999999999").ok());
}

TEST(ExitCodes, FollowTheContract) {
  EXPECT_EQ(exit_code_for(make_error(ErrorCode::kVerificationFailed, "")), kExitCheckFailed);
  EXPECT_EQ(exit_code_for(make_error(ErrorCode::kMalformed, "")), kExitUsage);
  EXPECT_EQ(exit_code_for(make_error(ErrorCode::kUnavailable, "")), kExitUnreachable);
}

}  // namespace
}  // namespace formica::cli
