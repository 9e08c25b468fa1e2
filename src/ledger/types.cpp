#include "formica/ledger/types.h"

#include "formica/base/encoding.h"

namespace formica::ledger {

std::string address_text(const AddressBytes& a) {
  auto parsed = crypto::Address::from_bytes(a);
  return parsed.ok() ? parsed->to_string() : base::to_hex(a);
}

}  // namespace formica::ledger
