#pragma once
// ISO 4217 currency codes with their minor units (List One, 2025), embedded so that a
// validator never depends on files or the network at run time.

#include <optional>
#include <string_view>

namespace formica::iso20022 {

enum class CurrencyKind {
  kCurrency,     // a currency or fund code with a defined number of minor units
  kCommodity,    // XAU, XAG, XPD, XPT: precious metals, refused by CBPR+
  kNonCurrency,  // XBA..XBD bond units, XDR, XSU, XUA, XTS (testing), XXX (no currency)
};

struct CurrencyInfo {
  std::string_view code;  // alphabetic code, e.g. "EUR"
  int minor_units;        // decimals (0 JPY, 2 EUR, 3 KWD, 4 CLF); -1 when ISO says N.A.
  CurrencyKind kind;
};

// The table entry for an alphabetic code, or nullopt when ISO 4217 does not list it.
std::optional<CurrencyInfo> find_currency(std::string_view code);

// True when the code may denominate an interbank settlement amount in CBPR+: listed by
// ISO 4217, a real currency (not a commodity, not a unit of account or test code).
bool is_settlement_currency(std::string_view code);

}  // namespace formica::iso20022
