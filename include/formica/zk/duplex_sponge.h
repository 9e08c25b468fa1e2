#pragma once
// The XOF duplex sponge of draft-irtf-cfrg-fiat-shamir-03 §3.2 over SHAKE128 (libdecaf's
// Keccak; OpenSSL 3.0 cannot squeeze incrementally). Every squeeze is the SHAKE128 output of
// session_id || zeros(136) || everything absorbed so far; consecutive squeezes with no
// absorb in between continue one output stream. Not thread-safe (one sponge per proof).

#include <decaf/shake.h>

#include <span>

#include "formica/base/bytes.h"

namespace formica::zk {

class DuplexSponge {
 public:
  static constexpr std::size_t kRate = 168;  // SHAKE128

  explicit DuplexSponge(const ByteArray<32>& session_id);
  ~DuplexSponge();
  DuplexSponge(const DuplexSponge&);
  DuplexSponge& operator=(const DuplexSponge&);

  void absorb(ByteView data);
  void squeeze(std::span<std::uint8_t> out);
  Bytes squeeze(std::size_t n);

  // DeriveSessionID(tag) (fiat-shamir-03 §4.1): Init("irtf-cfrg-fiat-shamir/session-id"),
  // absorb the tag, squeeze 32 bytes.
  static ByteArray<32> derive_session_id(ByteView tag);

 private:
  decaf_keccak_sponge_s ctx_;
  decaf_keccak_sponge_s reader_;
  bool has_reader_ = false;
};

// The SHAKE128 sponge of draft-irtf-cfrg-fiat-shamir-02 (the revision the ARC PoC pins):
// Init absorbs a 64-byte IV padded with 104 zero bytes to the rate, and every squeeze returns
// the start of the output stream of a copy of the state (a second squeeze with no absorb in
// between repeats the first). Kept only for interoperability with draft-02 proofs.
class Draft02Sponge {
 public:
  explicit Draft02Sponge(const ByteArray<64>& iv);
  ~Draft02Sponge();
  Draft02Sponge(const Draft02Sponge&) = default;
  Draft02Sponge& operator=(const Draft02Sponge&) = default;

  void absorb(ByteView data);
  Bytes squeeze(std::size_t n) const;

 private:
  decaf_keccak_sponge_s ctx_;
};

}  // namespace formica::zk
