#include "formica/iso20022/amount.h"

#include <gtest/gtest.h>

namespace formica::iso20022 {
namespace {

TEST(Amount, ParsesExactDecimals) {
  auto a = parse_amount("1000.50");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->units, 100050);
  EXPECT_EQ(a->scale, 2);
  EXPECT_EQ(a->written_fraction_digits, 2);
  EXPECT_EQ(a->to_string(), "1000.50");
  EXPECT_EQ(parse_amount("0.5")->to_string(), "0.5");
  EXPECT_EQ(parse_amount("12000000")->to_string(), "12000000");
  EXPECT_EQ(parse_amount("007")->units, 7);
  EXPECT_TRUE(*parse_amount("1000.0") == *parse_amount("1000.00000"));
  EXPECT_FALSE(*parse_amount("1000.01") == *parse_amount("1000.1"));
}

TEST(Amount, RefusesWhatTheSchemaRefuses) {
  for (const char* bad : {"", ".5", "5.", "-1", "+1", "1e3", "1,00", " 1", "1.2.3", "0x10"})
    EXPECT_EQ(parse_amount(bad).code(), ErrorCode::kMalformed) << bad;
  EXPECT_EQ(parse_amount("1234567890123456789").code(), ErrorCode::kTooLarge);  // 19 digits
  EXPECT_EQ(parse_amount("1.123456").code(), ErrorCode::kTooLarge);             // 6 decimals
  // 18 significant digits with trailing zeros fits and keeps its value exactly.
  auto big = parse_amount("999999999999999999.00000");
  ASSERT_TRUE(big.ok());
  EXPECT_EQ(big->units, 999999999999999999);
  EXPECT_EQ(big->written_fraction_digits, 5);
}

TEST(Money, MinorUnitsPerCurrency) {
  auto eur = to_money(*parse_amount("1000.5"), "EUR");
  ASSERT_TRUE(eur.ok());
  EXPECT_EQ(eur->minor_units, 100050);
  EXPECT_EQ(format_money(*eur), "1000.50");
  auto jpy = to_money(*parse_amount("1000"), "JPY");
  EXPECT_EQ(jpy->minor_units, 1000);
  EXPECT_EQ(format_money(*jpy), "1000");
  EXPECT_EQ(to_money(*parse_amount("1000.00"), "JPY")->minor_units, 1000);  // zeros carry no value
  EXPECT_EQ(to_money(*parse_amount("1.5"), "JPY").code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(to_money(*parse_amount("1.0005"), "KWD").code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(to_money(*parse_amount("1"), "XAU").code(), ErrorCode::kUnsupported);
  EXPECT_EQ(format_money(*to_money(*parse_amount("0.001"), "BHD")), "0.001");
  EXPECT_EQ(to_money(*parse_amount("999999999999999999"), "CLF").code(), ErrorCode::kTooLarge);
}

}  // namespace
}  // namespace formica::iso20022
