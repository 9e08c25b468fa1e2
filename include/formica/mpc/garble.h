#pragma once
// The secure comparison: a garbled circuit (Yao) with free XOR (Kolesnikov–Schneider, ICALP
// 2008) and half-gates (Zahur–Rosulek–Evans, EUROCRYPT 2015), for one fixed circuit — the
// carry out of a 31-bit addition, which with two XORs gives the sign of a value held as two
// additive shares mod 2^32 (one AND gate per bit, the comparator of Kolesnikov–Sadeghi–Schneider,
// CANS 2009). No Debian package offers garbled circuits; this is ~100 lines, tested against the
// plaintext circuit in garble_test.cpp.
//
// The sensor garbles, the phone evaluates. The phone's input labels come from correlated OT
// (ot.h); the output decoding bit is sent to the phone only, so only the phone learns the bit.

#include <array>
#include <cstdint>

#include "formica/mpc/ot.h"

namespace formica::mpc {

inline constexpr std::size_t kShareBits = 32;                // shares live in Z_{2^32}
inline constexpr std::size_t kCompareBits = kShareBits - 1;  // carry chain over the low 31 bits
inline constexpr std::size_t kAndGates = kCompareBits;

struct GarbledComparison {
  std::array<Block, kCompareBits> garbler_labels;  // active labels of the sensor's 31 bits
  std::array<Block, 2 * kAndGates> tables;         // two half-gate ciphertexts per AND
  std::uint8_t decode = 0;                         // XOR with the output label's lsb
};
inline constexpr std::size_t kGarbledBytes = (kCompareBits + 2 * kAndGates) * kBlockBytes + 1;

// Garbles the comparison for one observation.
//   eval_zero:  the zero labels of the phone's 31 input wires (bits 0..30 of its share)
//   garbler_share: the sensor's share; delta: the global offset (lsb 1)
//   random: 31 fresh zero labels for the sensor's input wires
//   tweak: unique per comparison in the session (the observation index)
// The phone, evaluating with its active labels, obtains  match = lsb(out) ^ decode ^ p31,
// where p31 is bit 31 of its own share; match = 1 iff (phone_share + garbler_share) mod 2^32,
// read as a signed 32-bit value, is >= 0.
GarbledComparison garble_comparison(const std::array<Block, kCompareBits>& eval_zero,
                                    std::uint32_t garbler_share, Block delta,
                                    const std::array<Block, kCompareBits>& random, std::uint64_t tweak);

bool evaluate_comparison(const std::array<Block, kCompareBits>& eval_labels, std::uint32_t eval_share,
                         const GarbledComparison& gc, std::uint64_t tweak);

}  // namespace formica::mpc
