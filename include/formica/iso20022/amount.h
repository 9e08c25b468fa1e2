#pragma once
// Exact decimal amounts as ISO 20022 writes them (xs:decimal restricted to 18 total digits and
// 5 fraction digits), and their conversion to integer minor units of a currency. No floating
// point anywhere: an amount is an integer count of 10^-scale units.

#include <cstdint>
#include <string>
#include <string_view>

#include "formica/base/status.h"

namespace formica::iso20022 {

inline constexpr int kMaxTotalDigits = 18;    // ActiveCurrencyAndAmount totalDigits
inline constexpr int kMaxFractionDigits = 5;  // ActiveCurrencyAndAmount fractionDigits

struct Decimal {
  std::int64_t units = 0;           // value * 10^scale; never negative for amounts
  int scale = 0;                    // 0..5; trailing zeros beyond 18 digits are dropped
  int written_fraction_digits = 0;  // digits after '.' as written ("1.50" -> 2)

  // Canonical text: no leading zeros, fraction digits as written ("1000.00", "12000000").
  std::string to_string() const;
  friend bool operator==(const Decimal& a, const Decimal& b);  // same value (scale-independent)
};

// Parses the lexical form of an amount: digits, optionally '.' and digits; no sign, no
// exponent, no spaces. Errors: kMalformed (not a plain non-negative decimal), kTooLarge
// (more than 18 total digits or 5 fraction digits).
Result<Decimal> parse_amount(std::string_view text);

// An amount in integer minor units of its currency: EUR "1000.5" -> 100050 with exponent 2.
struct Money {
  std::string currency;
  std::int64_t minor_units = 0;
  int exponent = 2;  // the currency's minor units (ISO 4217)
  friend bool operator==(const Money&, const Money&) = default;
};

// Errors: kUnsupported (currency unknown or not a settlement currency), kInvalidArgument
// (more fraction digits than the currency has, e.g. "1.5" JPY).
Result<Money> to_money(const Decimal& amount, std::string_view currency);
// The XML amount text for money: exactly `exponent` fraction digits ("1000.50", "500").
std::string format_money(const Money& money);

}  // namespace formica::iso20022
