#pragma once
// Account addresses, tagged with the signature scheme so that addresses of different schemes
// can never collide (docs/crypto.md, "Addresses").
//
//   binary  21 bytes: scheme id (1 byte) || account hash (20 bytes)
//   hash    first 20 bytes of BLAKE2b-256("formica/address/v1" || scheme id || public key)
//   text    "fm" || scheme id as one decimal digit || hex(account hash) || hex(checksum)
//           checksum = first 4 bytes of SHA-256("formica/address-checksum/v1" || binary)
//           e.g. "fm1" + 40 + 8 lowercase hex digits = 51 characters
//
// Two keys of different schemes give different addresses even if the hashes collided,
// because the scheme id is part of the address; within one scheme a collision needs a
// 160-bit hash collision (~2^80 work, and only between two keys the attacker controls).

#include <array>
#include <compare>
#include <string>
#include <string_view>

#include "formica/base/bytes.h"
#include "formica/base/status.h"
#include "formica/crypto/signature.h"

namespace formica::crypto {

inline constexpr std::size_t kAddressHashBytes = 20;
inline constexpr std::size_t kAddressBytes = 1 + kAddressHashBytes;
inline constexpr std::size_t kAddressTextLength = 3 + 2 * kAddressHashBytes + 8;

class Address {
 public:
  static Address of(const PublicKey& key);
  // The 21-byte binary form (scheme id || hash). kMalformed / kUnsupported on bad input.
  static Result<Address> from_bytes(ByteView bytes);
  // The text form; strict: lowercase only, right length, known scheme, checksum must match.
  static Result<Address> parse(std::string_view text);

  Scheme scheme() const { return scheme_; }
  const ByteArray<kAddressHashBytes>& hash() const { return hash_; }
  ByteArray<kAddressBytes> to_bytes() const;
  std::string to_string() const;

  friend auto operator<=>(const Address&, const Address&) = default;
  friend bool operator==(const Address&, const Address&) = default;

 private:
  Address(Scheme scheme, const ByteArray<kAddressHashBytes>& hash) : scheme_(scheme), hash_(hash) {}
  Scheme scheme_;
  ByteArray<kAddressHashBytes> hash_;
};

}  // namespace formica::crypto
