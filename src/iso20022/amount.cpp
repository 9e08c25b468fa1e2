#include "formica/iso20022/amount.h"

#include "formica/iso20022/currency.h"

namespace formica::iso20022 {
namespace {

std::int64_t pow10(int n) {
  std::int64_t p = 1;
  while (n-- > 0) p *= 10;
  return p;
}

}  // namespace

std::string Decimal::to_string() const {
  std::string digits = std::to_string(units);
  if (scale == 0) return digits;
  if (digits.size() <= static_cast<std::size_t>(scale))
    digits.insert(0, static_cast<std::size_t>(scale) + 1 - digits.size(), '0');
  digits.insert(digits.size() - static_cast<std::size_t>(scale), ".");
  return digits;
}

bool operator==(const Decimal& a, const Decimal& b) {
  // Rescaling to the larger scale could pass 2^63; compare normalised forms instead.
  auto norm = [](Decimal d) {
    while (d.scale > 0 && d.units % 10 == 0) {
      d.units /= 10;
      --d.scale;
    }
    return d;
  };
  Decimal x = norm(a), y = norm(b);
  return x.units == y.units && x.scale == y.scale;
}

Result<Decimal> parse_amount(std::string_view text) {
  if (text.empty()) return make_error(ErrorCode::kMalformed, "empty amount");
  std::size_t dot = text.find('.');
  std::string_view integer = text.substr(0, dot);
  std::string_view fraction = dot == std::string_view::npos ? std::string_view() : text.substr(dot + 1);
  if (integer.empty() || (dot != std::string_view::npos && fraction.empty()))
    return make_error(ErrorCode::kMalformed, "amount '" + std::string(text) + "' is not a decimal number");
  for (std::string_view part : {integer, fraction})
    for (char c : part)
      if (c < '0' || c > '9')
        return make_error(ErrorCode::kMalformed,
                          "amount '" + std::string(text) + "' is not a decimal number");
  std::size_t lead = integer.find_first_not_of('0');
  std::size_t int_digits = lead == std::string_view::npos ? 0 : integer.size() - lead;
  std::size_t trail = fraction.find_last_not_of('0');
  std::size_t frac_significant = trail == std::string_view::npos ? 0 : trail + 1;
  if (fraction.size() > static_cast<std::size_t>(kMaxFractionDigits))
    return make_error(ErrorCode::kTooLarge,
                      "amount '" + std::string(text) + "' has more than 5 fraction digits");
  if (int_digits + frac_significant > static_cast<std::size_t>(kMaxTotalDigits))
    return make_error(ErrorCode::kTooLarge, "amount '" + std::string(text) + "' has more than 18 digits");
  Decimal d;
  d.written_fraction_digits = static_cast<int>(fraction.size());
  // Keep written trailing zeros while they fit in 18 digits, so "1000.00" keeps scale 2.
  std::size_t keep = fraction.size();
  if (int_digits + keep > static_cast<std::size_t>(kMaxTotalDigits)) keep = frac_significant;
  d.scale = static_cast<int>(keep);
  for (char c : integer.substr(lead == std::string_view::npos ? integer.size() : lead))
    d.units = d.units * 10 + (c - '0');
  for (char c : fraction.substr(0, keep)) d.units = d.units * 10 + (c - '0');
  return d;
}

Result<Money> to_money(const Decimal& amount, std::string_view currency) {
  auto info = find_currency(currency);
  if (!info || info->kind != CurrencyKind::kCurrency)
    return make_error(ErrorCode::kUnsupported,
                      "'" + std::string(currency) + "' is not a settlement currency");
  Decimal d = amount;
  while (d.scale > info->minor_units && d.units % 10 == 0) {
    d.units /= 10;
    --d.scale;
  }
  if (d.scale > info->minor_units)
    return make_error(ErrorCode::kInvalidArgument, "amount " + amount.to_string() +
                                                       " has more decimals than " + std::string(currency) +
                                                       " allows (" + std::to_string(info->minor_units) + ")");
  // units < 10^18 and the factor is at most 10^4: the product can pass 2^63, so check.
  std::int64_t factor = pow10(info->minor_units - d.scale);
  if (d.units > INT64_MAX / factor) return make_error(ErrorCode::kTooLarge, "amount out of range");
  return Money{std::string(currency), d.units * factor, info->minor_units};
}

std::string format_money(const Money& money) {
  Decimal d;
  d.units = money.minor_units;
  d.scale = money.exponent;
  return d.to_string();
}

}  // namespace formica::iso20022
