#include "formica/mpc/garble.h"

namespace formica::mpc {
namespace {

constexpr std::uint8_t kGateTag = 0x47;  // 'G'

Block hash_gate(Block label, std::uint64_t tweak, std::uint64_t gate) {
  return hash_block(kGateTag, tweak, gate, label);
}

// b if bit else 0, without a branch.
Block select(bool bit, Block b) {
  const std::uint64_t m = 0 - static_cast<std::uint64_t>(bit);
  return {b.lo & m, b.hi & m};
}

}  // namespace

GarbledComparison garble_comparison(const std::array<Block, kCompareBits>& eval_zero,
                                    std::uint32_t garbler_share, Block delta,
                                    const std::array<Block, kCompareBits>& random, std::uint64_t tweak) {
  GarbledComparison gc;
  std::size_t table = 0;
  // Half-gates AND on zero labels a0, b0; gate index g gives two hash tweaks 2g, 2g+1.
  auto garble_and = [&](Block a0, Block b0, std::uint64_t g) {
    const bool pa = a0.lsb();
    const bool pb = b0.lsb();
    const Block a1 = a0 ^ delta;
    const Block b1 = b0 ^ delta;
    const Block ha0 = hash_gate(a0, tweak, 2 * g), ha1 = hash_gate(a1, tweak, 2 * g);
    const Block hb0 = hash_gate(b0, tweak, 2 * g + 1), hb1 = hash_gate(b1, tweak, 2 * g + 1);
    const Block tg = ha0 ^ ha1 ^ select(pb, delta);
    const Block wg0 = ha0 ^ select(pa, tg);
    const Block te = hb0 ^ hb1 ^ a0;
    const Block we0 = hb0 ^ select(pb, te ^ a0);
    gc.tables[table++] = tg;
    gc.tables[table++] = te;
    return wg0 ^ we0;
  };
  for (std::size_t i = 0; i < kCompareBits; ++i) {
    const bool bit = ((garbler_share >> i) & 1) != 0;
    gc.garbler_labels[i] = random[i] ^ select(bit, delta);
  }
  // carry_1 = a_0 AND b_0; carry_{i+1} = carry_i ^ ((a_i ^ carry_i) AND (b_i ^ carry_i)).
  Block carry = garble_and(eval_zero[0], random[0], 0);
  for (std::size_t i = 1; i < kCompareBits; ++i) {
    const Block t = garble_and(eval_zero[i] ^ carry, random[i] ^ carry, i);
    carry = carry ^ t;
  }
  // match = NOT msb = 1 ^ p31 ^ s31 ^ carry. The phone adds p31; the sensor folds in 1 ^ s31.
  const bool s31 = ((garbler_share >> 31) & 1) != 0;
  gc.decode = static_cast<std::uint8_t>(carry.lsb() ^ s31 ^ 1);
  return gc;
}

bool evaluate_comparison(const std::array<Block, kCompareBits>& eval_labels, std::uint32_t eval_share,
                         const GarbledComparison& gc, std::uint64_t tweak) {
  std::size_t table = 0;
  auto eval_and = [&](Block wa, Block wb, std::uint64_t g) {
    const Block tg = gc.tables[table++];
    const Block te = gc.tables[table++];
    const Block wg = hash_gate(wa, tweak, 2 * g) ^ select(wa.lsb(), tg);
    const Block we = hash_gate(wb, tweak, 2 * g + 1) ^ select(wb.lsb(), te ^ wa);
    return wg ^ we;
  };
  Block carry = eval_and(eval_labels[0], gc.garbler_labels[0], 0);
  for (std::size_t i = 1; i < kCompareBits; ++i) {
    const Block t = eval_and(eval_labels[i] ^ carry, gc.garbler_labels[i] ^ carry, i);
    carry = carry ^ t;
  }
  const bool p31 = ((eval_share >> 31) & 1) != 0;
  return (carry.lsb() ^ (gc.decode & 1) ^ p31) != 0;
}

}  // namespace formica::mpc
