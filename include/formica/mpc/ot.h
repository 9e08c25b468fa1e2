#pragma once
// Oblivious transfer for the matching protocol, semi-honest:
//  - 128 base OTs on ristretto255 (libdecaf): the "simplest OT" of Chou and Orlandi
//    (LATINCRYPT 2015), used only to seed
//  - the IKNP OT extension (Ishai, Kilian, Nissim, Petrank, CRYPTO 2003), which turns them into
//    any number of OTs at the cost of a PRG and a hash each.
// No Debian package provides OT, so these are written here, small and tested (ot_test.cpp).
//
// Roles: the phone is the base-OT *sender* and the extension *receiver* (its template bits and
// its comparison shares are the choices); the sensor is the base-OT receiver with random
// choices s and the extension sender. Correlation-robust hash: BLAKE2b (libsodium) with a
// domain tag, the extension index and the OT index.
//
// Thread-safety: objects are used by one thread at a time; all functions are pure otherwise.

#include <array>
#include <cstdint>
#include <vector>

#include "formica/base/bytes.h"
#include "formica/base/status.h"
#include "formica/mpc/random.h"

namespace formica::mpc {

// 128 bits, the unit of OT extension and garbled labels.
struct Block {
  std::uint64_t lo = 0;
  std::uint64_t hi = 0;

  friend Block operator^(Block a, Block b) { return {a.lo ^ b.lo, a.hi ^ b.hi}; }
  Block& operator^=(Block b) {
    lo ^= b.lo;
    hi ^= b.hi;
    return *this;
  }
  friend bool operator==(Block a, Block b) = default;
  bool lsb() const { return (lo & 1) != 0; }
  void store(std::uint8_t* out) const;
  static Block load(const std::uint8_t* in);
  static Block random(Prg& prg);
};
inline constexpr std::size_t kBlockBytes = 16;

// H(tag, a, b, x) -> 128 bits. Tags separate uses (OT rows, seeds, garbling).
Block hash_block(std::uint8_t tag, std::uint64_t a, std::uint64_t b, Block x);
// H(tag, a, b, x) -> a 32-byte PRG seed.
Seed hash_seed(std::uint8_t tag, std::uint64_t a, std::uint64_t b, Block x);

inline constexpr std::size_t kBaseOts = 128;
inline constexpr std::size_t kPointBytes = 32;

// ---- Base OT (Chou–Orlandi), phone side: sender of 128 random seed pairs ----------------------
class BaseOtSender {
 public:
  explicit BaseOtSender(Prg& prg);  // draws a, computes A = a*G
  ~BaseOtSender();
  BaseOtSender(const BaseOtSender&) = delete;
  BaseOtSender& operator=(const BaseOtSender&) = delete;

  const ByteArray<kPointBytes>& public_point() const { return a_point_; }
  // Consumes the receiver's 128 points B_i (32 bytes each). Fails (kMalformed) on a wrong
  // length, a non-canonical encoding or the identity; on success returns (k0_i, k1_i).
  Result<std::vector<std::array<Seed, 2>>> finish(ByteView receiver_points) const;

 private:
  ByteArray<64> a_scalar_bytes_{};  // wide random, reduced mod the group order on use
  ByteArray<kPointBytes> a_point_{};
};

// ---- Base OT, sensor side: receiver with random choice bits s ------------------------------
struct BaseOtReceiverOutput {
  Bytes points;            // 128 * 32 bytes to send
  Block choices;           // s, bit i = choice of OT i
  std::vector<Seed> keys;  // k_{s_i}
};
// Fails (kMalformed) when the sender's point is not a canonical non-identity element.
Result<BaseOtReceiverOutput> base_ot_receive(ByteView sender_point, Prg& prg);

// ---- IKNP extension -------------------------------------------------------------------------

// Phone side. `extend` takes m choice bits (bit j of byte j/8) and returns the matrix u to
// send (128 columns of ceil(m/128)*16 bytes) and fills t (one Block per OT).
class OtExtReceiver {
 public:
  explicit OtExtReceiver(std::vector<std::array<Seed, 2>> base_keys);
  ~OtExtReceiver();
  Bytes extend(std::uint64_t ext_id, const std::vector<std::uint8_t>& choice_bits, std::size_t m,
               std::vector<Block>& t) const;

 private:
  std::vector<std::array<Seed, 2>> keys_;
};

// Sensor side. `extend` reads u and returns q (one Block per OT) with q_j = t_j ^ (r_j * s):
// the receiver's OT j yields hash(t_j); the sender's two values are hash(q_j), hash(q_j ^ s).
class OtExtSender {
 public:
  OtExtSender(Block s, std::vector<Seed> keys);
  ~OtExtSender();
  Result<std::vector<Block>> extend(std::uint64_t ext_id, ByteView u, std::size_t m) const;
  Block s() const { return s_; }

 private:
  Block s_;
  std::vector<Seed> keys_;
};

// Bytes of the matrix u for m OTs.
std::size_t ot_matrix_bytes(std::size_t m);

}  // namespace formica::mpc
