#pragma once
// Ledger vocabulary: account addresses as they appear inside encoded structures, amounts,
// and the hashes that link blocks, transactions and receipts.

#include <cstdint>
#include <string>

#include "formica/base/bytes.h"
#include "formica/codec/u128.h"
#include "formica/crypto/address.h"
#include "formica/crypto/hash.h"

namespace formica::ledger {

// The 21-byte binary address (scheme id || 20-byte hash, formica/crypto/address.h). Encoded
// structures hold the bytes; crypto::Address gives the checked text form "fm1…".
using AddressBytes = ByteArray<crypto::kAddressBytes>;
using Hash = crypto::Hash32;
using Amount = codec::U128;

inline AddressBytes address_bytes(const crypto::Address& a) { return a.to_bytes(); }
// "fm1…" for a valid address, else the hex of the bytes (for messages only).
std::string address_text(const AddressBytes& a);

}  // namespace formica::ledger
