#include "formica/iso20022/currency.h"

#include <algorithm>
#include <iterator>

namespace formica::iso20022 {
namespace {

// Sorted by code (binary search). Source: ISO 4217 List One (SIX Group, as maintained for
// 2025), cross-checked against Debian's iso-codes 4.15 list; withdrawn codes (HRK, CUC, SLL,
// ZWL) removed and new ones (XCG, ZWG) added.
constexpr CurrencyInfo kCurrencies[] = {
    {"AED", 2, CurrencyKind::kCurrency},     {"AFN", 2, CurrencyKind::kCurrency},
    {"ALL", 2, CurrencyKind::kCurrency},     {"AMD", 2, CurrencyKind::kCurrency},
    {"ANG", 2, CurrencyKind::kCurrency},     {"AOA", 2, CurrencyKind::kCurrency},
    {"ARS", 2, CurrencyKind::kCurrency},     {"AUD", 2, CurrencyKind::kCurrency},
    {"AWG", 2, CurrencyKind::kCurrency},     {"AZN", 2, CurrencyKind::kCurrency},
    {"BAM", 2, CurrencyKind::kCurrency},     {"BBD", 2, CurrencyKind::kCurrency},
    {"BDT", 2, CurrencyKind::kCurrency},     {"BGN", 2, CurrencyKind::kCurrency},
    {"BHD", 3, CurrencyKind::kCurrency},     {"BIF", 0, CurrencyKind::kCurrency},
    {"BMD", 2, CurrencyKind::kCurrency},     {"BND", 2, CurrencyKind::kCurrency},
    {"BOB", 2, CurrencyKind::kCurrency},     {"BOV", 2, CurrencyKind::kCurrency},
    {"BRL", 2, CurrencyKind::kCurrency},     {"BSD", 2, CurrencyKind::kCurrency},
    {"BTN", 2, CurrencyKind::kCurrency},     {"BWP", 2, CurrencyKind::kCurrency},
    {"BYN", 2, CurrencyKind::kCurrency},     {"BZD", 2, CurrencyKind::kCurrency},
    {"CAD", 2, CurrencyKind::kCurrency},     {"CDF", 2, CurrencyKind::kCurrency},
    {"CHE", 2, CurrencyKind::kCurrency},     {"CHF", 2, CurrencyKind::kCurrency},
    {"CHW", 2, CurrencyKind::kCurrency},     {"CLF", 4, CurrencyKind::kCurrency},
    {"CLP", 0, CurrencyKind::kCurrency},     {"CNY", 2, CurrencyKind::kCurrency},
    {"COP", 2, CurrencyKind::kCurrency},     {"COU", 2, CurrencyKind::kCurrency},
    {"CRC", 2, CurrencyKind::kCurrency},     {"CUP", 2, CurrencyKind::kCurrency},
    {"CVE", 2, CurrencyKind::kCurrency},     {"CZK", 2, CurrencyKind::kCurrency},
    {"DJF", 0, CurrencyKind::kCurrency},     {"DKK", 2, CurrencyKind::kCurrency},
    {"DOP", 2, CurrencyKind::kCurrency},     {"DZD", 2, CurrencyKind::kCurrency},
    {"EGP", 2, CurrencyKind::kCurrency},     {"ERN", 2, CurrencyKind::kCurrency},
    {"ETB", 2, CurrencyKind::kCurrency},     {"EUR", 2, CurrencyKind::kCurrency},
    {"FJD", 2, CurrencyKind::kCurrency},     {"FKP", 2, CurrencyKind::kCurrency},
    {"GBP", 2, CurrencyKind::kCurrency},     {"GEL", 2, CurrencyKind::kCurrency},
    {"GHS", 2, CurrencyKind::kCurrency},     {"GIP", 2, CurrencyKind::kCurrency},
    {"GMD", 2, CurrencyKind::kCurrency},     {"GNF", 0, CurrencyKind::kCurrency},
    {"GTQ", 2, CurrencyKind::kCurrency},     {"GYD", 2, CurrencyKind::kCurrency},
    {"HKD", 2, CurrencyKind::kCurrency},     {"HNL", 2, CurrencyKind::kCurrency},
    {"HTG", 2, CurrencyKind::kCurrency},     {"HUF", 2, CurrencyKind::kCurrency},
    {"IDR", 2, CurrencyKind::kCurrency},     {"ILS", 2, CurrencyKind::kCurrency},
    {"INR", 2, CurrencyKind::kCurrency},     {"IQD", 3, CurrencyKind::kCurrency},
    {"IRR", 2, CurrencyKind::kCurrency},     {"ISK", 0, CurrencyKind::kCurrency},
    {"JMD", 2, CurrencyKind::kCurrency},     {"JOD", 3, CurrencyKind::kCurrency},
    {"JPY", 0, CurrencyKind::kCurrency},     {"KES", 2, CurrencyKind::kCurrency},
    {"KGS", 2, CurrencyKind::kCurrency},     {"KHR", 2, CurrencyKind::kCurrency},
    {"KMF", 0, CurrencyKind::kCurrency},     {"KPW", 2, CurrencyKind::kCurrency},
    {"KRW", 0, CurrencyKind::kCurrency},     {"KWD", 3, CurrencyKind::kCurrency},
    {"KYD", 2, CurrencyKind::kCurrency},     {"KZT", 2, CurrencyKind::kCurrency},
    {"LAK", 2, CurrencyKind::kCurrency},     {"LBP", 2, CurrencyKind::kCurrency},
    {"LKR", 2, CurrencyKind::kCurrency},     {"LRD", 2, CurrencyKind::kCurrency},
    {"LSL", 2, CurrencyKind::kCurrency},     {"LYD", 3, CurrencyKind::kCurrency},
    {"MAD", 2, CurrencyKind::kCurrency},     {"MDL", 2, CurrencyKind::kCurrency},
    {"MGA", 2, CurrencyKind::kCurrency},     {"MKD", 2, CurrencyKind::kCurrency},
    {"MMK", 2, CurrencyKind::kCurrency},     {"MNT", 2, CurrencyKind::kCurrency},
    {"MOP", 2, CurrencyKind::kCurrency},     {"MRU", 2, CurrencyKind::kCurrency},
    {"MUR", 2, CurrencyKind::kCurrency},     {"MVR", 2, CurrencyKind::kCurrency},
    {"MWK", 2, CurrencyKind::kCurrency},     {"MXN", 2, CurrencyKind::kCurrency},
    {"MXV", 2, CurrencyKind::kCurrency},     {"MYR", 2, CurrencyKind::kCurrency},
    {"MZN", 2, CurrencyKind::kCurrency},     {"NAD", 2, CurrencyKind::kCurrency},
    {"NGN", 2, CurrencyKind::kCurrency},     {"NIO", 2, CurrencyKind::kCurrency},
    {"NOK", 2, CurrencyKind::kCurrency},     {"NPR", 2, CurrencyKind::kCurrency},
    {"NZD", 2, CurrencyKind::kCurrency},     {"OMR", 3, CurrencyKind::kCurrency},
    {"PAB", 2, CurrencyKind::kCurrency},     {"PEN", 2, CurrencyKind::kCurrency},
    {"PGK", 2, CurrencyKind::kCurrency},     {"PHP", 2, CurrencyKind::kCurrency},
    {"PKR", 2, CurrencyKind::kCurrency},     {"PLN", 2, CurrencyKind::kCurrency},
    {"PYG", 0, CurrencyKind::kCurrency},     {"QAR", 2, CurrencyKind::kCurrency},
    {"RON", 2, CurrencyKind::kCurrency},     {"RSD", 2, CurrencyKind::kCurrency},
    {"RUB", 2, CurrencyKind::kCurrency},     {"RWF", 0, CurrencyKind::kCurrency},
    {"SAR", 2, CurrencyKind::kCurrency},     {"SBD", 2, CurrencyKind::kCurrency},
    {"SCR", 2, CurrencyKind::kCurrency},     {"SDG", 2, CurrencyKind::kCurrency},
    {"SEK", 2, CurrencyKind::kCurrency},     {"SGD", 2, CurrencyKind::kCurrency},
    {"SHP", 2, CurrencyKind::kCurrency},     {"SLE", 2, CurrencyKind::kCurrency},
    {"SOS", 2, CurrencyKind::kCurrency},     {"SRD", 2, CurrencyKind::kCurrency},
    {"SSP", 2, CurrencyKind::kCurrency},     {"STN", 2, CurrencyKind::kCurrency},
    {"SVC", 2, CurrencyKind::kCurrency},     {"SYP", 2, CurrencyKind::kCurrency},
    {"SZL", 2, CurrencyKind::kCurrency},     {"THB", 2, CurrencyKind::kCurrency},
    {"TJS", 2, CurrencyKind::kCurrency},     {"TMT", 2, CurrencyKind::kCurrency},
    {"TND", 3, CurrencyKind::kCurrency},     {"TOP", 2, CurrencyKind::kCurrency},
    {"TRY", 2, CurrencyKind::kCurrency},     {"TTD", 2, CurrencyKind::kCurrency},
    {"TWD", 2, CurrencyKind::kCurrency},     {"TZS", 2, CurrencyKind::kCurrency},
    {"UAH", 2, CurrencyKind::kCurrency},     {"UGX", 0, CurrencyKind::kCurrency},
    {"USD", 2, CurrencyKind::kCurrency},     {"USN", 2, CurrencyKind::kCurrency},
    {"UYI", 0, CurrencyKind::kCurrency},     {"UYU", 2, CurrencyKind::kCurrency},
    {"UYW", 4, CurrencyKind::kCurrency},     {"UZS", 2, CurrencyKind::kCurrency},
    {"VED", 2, CurrencyKind::kCurrency},     {"VES", 2, CurrencyKind::kCurrency},
    {"VND", 0, CurrencyKind::kCurrency},     {"VUV", 0, CurrencyKind::kCurrency},
    {"WST", 2, CurrencyKind::kCurrency},     {"XAF", 0, CurrencyKind::kCurrency},
    {"XAG", -1, CurrencyKind::kCommodity},   {"XAU", -1, CurrencyKind::kCommodity},
    {"XBA", -1, CurrencyKind::kNonCurrency}, {"XBB", -1, CurrencyKind::kNonCurrency},
    {"XBC", -1, CurrencyKind::kNonCurrency}, {"XBD", -1, CurrencyKind::kNonCurrency},
    {"XCD", 2, CurrencyKind::kCurrency},     {"XCG", 2, CurrencyKind::kCurrency},
    {"XDR", -1, CurrencyKind::kNonCurrency}, {"XOF", 0, CurrencyKind::kCurrency},
    {"XPD", -1, CurrencyKind::kCommodity},   {"XPF", 0, CurrencyKind::kCurrency},
    {"XPT", -1, CurrencyKind::kCommodity},   {"XSU", -1, CurrencyKind::kNonCurrency},
    {"XTS", -1, CurrencyKind::kNonCurrency}, {"XUA", -1, CurrencyKind::kNonCurrency},
    {"XXX", -1, CurrencyKind::kNonCurrency}, {"YER", 2, CurrencyKind::kCurrency},
    {"ZAR", 2, CurrencyKind::kCurrency},     {"ZMW", 2, CurrencyKind::kCurrency},
    {"ZWG", 2, CurrencyKind::kCurrency},
};

}  // namespace

std::optional<CurrencyInfo> find_currency(std::string_view code) {
  auto it = std::lower_bound(std::begin(kCurrencies), std::end(kCurrencies), code,
                             [](const CurrencyInfo& c, std::string_view k) { return c.code < k; });
  if (it == std::end(kCurrencies) || it->code != code) return std::nullopt;
  return *it;
}

bool is_settlement_currency(std::string_view code) {
  auto c = find_currency(code);
  return c.has_value() && c->kind == CurrencyKind::kCurrency;
}

}  // namespace formica::iso20022
