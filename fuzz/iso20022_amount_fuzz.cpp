// fuzz-deps: formica_iso20022
// Amounts round-trip exactly: parse -> to_string -> parse gives the same value, and a value
// that converts to minor units formats back to the same value (no floating point anywhere).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "formica/iso20022/amount.h"

using namespace formica::iso20022;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 3) return 0;
  std::string_view currency(reinterpret_cast<const char*>(data), 3);
  std::string_view text(reinterpret_cast<const char*>(data) + 3, size - 3);
  auto d = parse_amount(text);
  if (!d.ok()) return 0;
  auto back = parse_amount(d->to_string());
  if (!back.ok() || !(*back == *d)) std::abort();
  auto money = to_money(*d, currency);
  if (!money.ok()) return 0;
  auto again = parse_amount(format_money(*money));
  if (!again.ok() || !(*again == *d)) std::abort();
  return 0;
}
