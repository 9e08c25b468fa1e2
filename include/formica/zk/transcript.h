#pragma once
// A labelled Fiat–Shamir transcript for multi-round proofs (Bulletproofs), built on the
// draft-irtf-cfrg-fiat-shamir-03 duplex sponge. Domain separation: the session id is
// DeriveSessionID(protocol) and the caller's context (application, chain id, purpose) is
// absorbed first, so a proof made in one context never verifies in another. Every message is
// absorbed as LE32(len(label)) || label || LE32(len(data)) || data (prefix-free); a challenge
// absorbs its label, then squeezes 48 bytes reduced mod the group order.

#include <cstdint>
#include <string_view>

#include "formica/base/bytes.h"
#include "formica/zk/duplex_sponge.h"
#include "formica/zk/group.h"

namespace formica::zk {

class Transcript {
 public:
  Transcript(std::string_view protocol, ByteView context);

  void append(std::string_view label, ByteView data);
  void append_u64(std::string_view label, std::uint64_t v);
  template <typename P>
  void append_point(std::string_view label, const P& p) {
    append(label, p.encode());
  }
  template <typename S>
  void append_scalar(std::string_view label, const S& s) {
    append(label, s.encode());
  }
  // 48 bytes of challenge material (squeezed after absorbing the label).
  ByteArray<48> challenge_bytes(std::string_view label);
  template <PrimeOrderGroup G>
  typename G::Scalar challenge(std::string_view label) {
    return G::Scalar::from_uniform_bytes(challenge_bytes(label));
  }

 private:
  void absorb_len_prefixed(ByteView data);
  DuplexSponge sponge_;
};

}  // namespace formica::zk
