#pragma once
// Domain-separated hashing of encoded values: what Formica signs and links by hash.
//
//   FORMICA_ASSIGN_OR_RETURN(crypto::Hash32 id, codec::hash_of("formica/tx/v1", tx));
//
// hash_of(alg, domain, value) = alg( uvarint(len(domain)) || domain || encode(value) ), that is
// the domain tag encoded as a codec string followed by the value's canonical encoding. The
// length prefix makes the tag prefix-free, so two (domain, value) pairs never hash the same
// bytes. Tags are short ASCII constants, one per kind of object and version
// ("formica/<object>/v<N>", characters a-z 0-9 / . _ -); an ill-formed tag is a usage error.

#include <string_view>

#include "formica/base/status.h"
#include "formica/codec/binary.h"
#include "formica/crypto/hash.h"

namespace formica::codec {

// kInvalidArgument unless 1..64 characters of a-z 0-9 / . _ -
Status check_domain_tag(std::string_view domain);

template <class T>
Result<crypto::Hash32> hash_of(crypto::HashAlg alg, std::string_view domain, const T& value,
                               const Limits& limits = {}) {
  FORMICA_TRY(check_domain_tag(domain));
  Writer w(limits);
  w.str(domain).value(value);
  FORMICA_ASSIGN_OR_RETURN(Bytes bytes, std::move(w).finish());
  return crypto::hash(alg, bytes);
}

// SHA-256, the default hash of a network (an SM3 network passes HashAlg::kSm3).
template <class T>
Result<crypto::Hash32> hash_of(std::string_view domain, const T& value, const Limits& limits = {}) {
  return hash_of(crypto::HashAlg::kSha256, domain, value, limits);
}

}  // namespace formica::codec
