#include <gtest/gtest.h>

#include "formica/zk/bulletproofs.h"
#include "range_proof_internal.h"

namespace formica::zk {
namespace {

using S = RistrettoScalar;
using P = RistrettoPoint;

struct Fixture {
  PedersenGens<Ristretto255> pc;
  BulletproofGens<Ristretto255> bp{64 * 16};
};
const Fixture& fx() {
  static const Fixture f;
  return f;
}

const ByteView kCtx = as_bytes("FORMICA-TEST-chain-7-range");

RangeProofWithCommitments<Ristretto255> prove_ok(std::vector<std::uint64_t> values, std::size_t n) {
  std::vector<S> blinds;
  for (std::size_t i = 0; i < values.size(); ++i) blinds.push_back(S::random());
  auto r = prove_range<Ristretto255>(fx().pc, fx().bp, kCtx, values, blinds, n);
  EXPECT_TRUE(r.ok()) << r.error().to_string();
  // The commitments open to the values with the given blindings.
  for (std::size_t i = 0; i < values.size(); ++i) {
    EXPECT_TRUE(r->commitments[i] == fx().pc.commit(S::from_u64(values[i]), blinds[i]));
  }
  return std::move(r).value();
}

TEST(RangeProof, SingleAndAggregatedVerify) {
  for (std::size_t n : {8, 16, 32, 64}) {
    const std::uint64_t max = n == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << n) - 1;
    for (std::uint64_t v : {std::uint64_t{0}, std::uint64_t{1}, max, max / 3}) {
      auto r = prove_ok({v}, n);
      EXPECT_TRUE(verify_range<Ristretto255>(fx().pc, fx().bp, kCtx, r.commitments, r.proof, n).ok())
          << n << " " << v;
    }
  }
  for (std::size_t m : {2, 4, 8, 16}) {
    std::vector<std::uint64_t> values;
    for (std::size_t j = 0; j < m; ++j) values.push_back(j * 0x0123456789abcdefULL + (j == 1 ? ~0ULL : 0));
    auto r = prove_ok(values, 64);
    EXPECT_EQ(r.proof.L.size(), 6 + static_cast<std::size_t>(__builtin_ctzll(m)));
    EXPECT_TRUE(verify_range<Ristretto255>(fx().pc, fx().bp, kCtx, r.commitments, r.proof, 64).ok()) << m;
    // Claiming a smaller range for the same proof fails.
    EXPECT_FALSE(verify_range<Ristretto255>(fx().pc, fx().bp, kCtx, r.commitments, r.proof, 32).ok()) << m;
  }
}

TEST(RangeProof, ProverRefusesBadInput) {
  const auto& f = fx();
  std::vector<S> one_blind{S::random()};
  auto prove = [&](std::vector<std::uint64_t> v, std::vector<S> b, std::size_t n) {
    return prove_range<Ristretto255>(f.pc, f.bp, kCtx, v, b, n).code();
  };
  EXPECT_EQ(prove({256}, one_blind, 8), ErrorCode::kInvalidArgument);  // out of range
  EXPECT_EQ(prove({1ULL << 32}, one_blind, 32), ErrorCode::kInvalidArgument);
  EXPECT_EQ(prove({1}, one_blind, 7), ErrorCode::kInvalidArgument);              // bad n
  EXPECT_EQ(prove({1, 2, 3}, {S(), S(), S()}, 8), ErrorCode::kInvalidArgument);  // m not a power of 2
  EXPECT_EQ(prove({}, {}, 8), ErrorCode::kInvalidArgument);
  EXPECT_EQ(prove({1, 2}, one_blind, 8), ErrorCode::kInvalidArgument);  // blinding count
  BulletproofGens<Ristretto255> small(32);
  std::vector<std::uint64_t> v{1};
  EXPECT_EQ(prove_range<Ristretto255>(f.pc, small, kCtx, v, one_blind, 64).code(),
            ErrorCode::kInvalidArgument);
}

// Bypassing the prover's range check: a forged proof for a value outside [0, 2^n) fails.
TEST(RangeProof, ForgedOutOfRangeProofsFail) {
  const auto& f = fx();
  const std::size_t n = 8;
  auto bits_of = [](std::uint64_t v) {
    std::vector<S> out;
    for (std::size_t i = 0; i < n; ++i) out.push_back(S::from_u64((v >> i) & 1));
    return out;
  };
  std::vector<S> blind{S::random()};
  auto check = [&](S value, std::vector<S> a_l) {
    std::vector<S> values{value};
    auto r = detail::prove_range_unchecked<Ristretto255>(f.pc, f.bp, kCtx, values, blind, a_l, n);
    EXPECT_TRUE(r.ok());
    return verify_range<Ristretto255>(f.pc, f.bp, kCtx, r->commitments, r->proof, n).ok();
  };
  // The hook itself is sound for honest input (so the failures below mean something).
  EXPECT_TRUE(check(S::from_u64(77), bits_of(77)));
  EXPECT_FALSE(check(S::from_u64(256), bits_of(0)));   // 2^n, low bits
  EXPECT_FALSE(check(S::from_u64(300), bits_of(44)));  // 300 mod 256
  EXPECT_FALSE(check(-S::from_u64(1), bits_of(255)));  // -1 = l - 1
  EXPECT_FALSE(check(S::from_u64(1000), bits_of(255)));
  // Non-binary "bits" that do sum to the value: 4 = 2 * 2^1.
  std::vector<S> non_binary = bits_of(0);
  non_binary[1] = S::from_u64(2);
  EXPECT_FALSE(check(S::from_u64(4), non_binary));
  // 256 = 128 * 2 as a "bit" of weight 2^7.
  std::vector<S> big_digit = bits_of(0);
  big_digit[7] = S::from_u64(2);
  EXPECT_FALSE(check(S::from_u64(256), big_digit));
}

TEST(RangeProof, EveryTamperedByteFails) {
  auto r = prove_ok({123456789}, 64);
  const Bytes bytes = r.proof.serialize();
  ASSERT_EQ(bytes.size(), (9 + 2 * 6) * 32u);
  auto round = RangeProof<Ristretto255>::deserialize(bytes);
  ASSERT_TRUE(round.ok());
  EXPECT_EQ(round->serialize(), bytes);
  ASSERT_TRUE(verify_range<Ristretto255>(fx().pc, fx().bp, kCtx, r.commitments, *round, 64).ok());
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    // One bit per byte, walking through all eight bit positions along the proof.
    const auto flip = static_cast<std::uint8_t>(1u << (i % 8));
    Bytes t = bytes;
    t[i] ^= flip;
    auto p = RangeProof<Ristretto255>::deserialize(t);
    if (!p.ok()) continue;  // rejected by the strict decoder
    EXPECT_FALSE(verify_range<Ristretto255>(fx().pc, fx().bp, kCtx, r.commitments, *p, 64).ok())
        << "byte " << i << " flip " << int(flip);
  }
  Bytes longer = bytes;
  longer.push_back(0);
  EXPECT_FALSE(RangeProof<Ristretto255>::deserialize(longer).ok());
  EXPECT_FALSE(RangeProof<Ristretto255>::deserialize(ByteView(bytes).first(bytes.size() - 1)).ok());
  EXPECT_FALSE(RangeProof<Ristretto255>::deserialize(Bytes{}).ok());
}

TEST(RangeProof, BoundToContextAndCommitments) {
  auto r = prove_ok({5, 6}, 32);
  const auto& f = fx();
  EXPECT_TRUE(verify_range<Ristretto255>(f.pc, f.bp, kCtx, r.commitments, r.proof, 32).ok());
  EXPECT_FALSE(verify_range<Ristretto255>(f.pc, f.bp, as_bytes("FORMICA-TEST-chain-8-range"), r.commitments,
                                          r.proof, 32)
                   .ok());
  std::vector<P> swapped{r.commitments[1], r.commitments[0]};
  EXPECT_FALSE(verify_range<Ristretto255>(f.pc, f.bp, kCtx, swapped, r.proof, 32).ok());
  std::vector<P> other{r.commitments[0] + P::generator(), r.commitments[1]};
  EXPECT_FALSE(verify_range<Ristretto255>(f.pc, f.bp, kCtx, other, r.proof, 32).ok());
  std::vector<P> fewer{r.commitments[0]};
  EXPECT_FALSE(verify_range<Ristretto255>(f.pc, f.bp, kCtx, fewer, r.proof, 32).ok());
}

TEST(RangeProof, BatchVerification) {
  std::vector<RangeProofWithCommitments<Ristretto255>> proofs;
  std::vector<std::size_t> bits;
  for (int i = 0; i < 6; ++i) {
    const std::size_t n = i % 2 ? 64 : 16;
    std::vector<std::uint64_t> v(i % 3 == 0 ? 2 : 1, static_cast<std::uint64_t>(1000 + i));
    proofs.push_back(prove_ok(v, n));
    bits.push_back(n);
  }
  auto items = [&] {
    std::vector<RangeProofItem<Ristretto255>> out;
    for (std::size_t i = 0; i < proofs.size(); ++i)
      out.push_back({kCtx, proofs[i].commitments, &proofs[i].proof, bits[i]});
    return out;
  };
  EXPECT_TRUE(verify_range_batch<Ristretto255>(fx().pc, fx().bp, items()).ok());
  EXPECT_TRUE(verify_range_batch<Ristretto255>(fx().pc, fx().bp, {}).ok());
  proofs[4].proof.t_x += S::from_u64(1);
  EXPECT_FALSE(verify_range_batch<Ristretto255>(fx().pc, fx().bp, items()).ok());
  proofs[4].proof.t_x -= S::from_u64(1);
  proofs[2].commitments[0] += P::generator();
  EXPECT_FALSE(verify_range_batch<Ristretto255>(fx().pc, fx().bp, items()).ok());
}

TEST(RangeProof, WorksOnP256Too) {
  PedersenGens<P256> pc;
  BulletproofGens<P256> bp(16);
  std::vector<std::uint64_t> v{200, 7};
  std::vector<P256Scalar> b{P256Scalar::random(), P256Scalar::random()};
  auto r = prove_range<P256>(pc, bp, kCtx, v, b, 8);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(verify_range<P256>(pc, bp, kCtx, r->commitments, r->proof, 8).ok());
  auto bytes = r->proof.serialize();
  auto back = RangeProof<P256>::deserialize(bytes);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->serialize(), bytes);
  bytes[40] ^= 1;
  auto t = RangeProof<P256>::deserialize(bytes);
  EXPECT_TRUE(!t.ok() || !verify_range<P256>(pc, bp, kCtx, r->commitments, *t, 8).ok());
}

}  // namespace
}  // namespace formica::zk
