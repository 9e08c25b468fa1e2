#pragma once
// Bulletproofs range proofs (Bünz, Bootle, Boneh, Poelstra, Wuille, Maxwell 2018), in the
// protocol shape of dalek's implementation: a proof that each of m Pedersen-committed values
// lies in [0, 2^n), n in {8, 16, 32, 64}, m a power of two up to kMaxAggregation, with the
// logarithmic inner-product argument. Verification is one multi-scalar multiplication (the
// inner-product check and the polynomial check folded together with a random weight), and
// batch verification folds many proofs into one MSM.
//
// Hand-written: no Debian package implements Bulletproofs. The transcript binds the
// caller's `context`, n, m and every commitment; a proof verifies only in the context it was
// made for. The prover is constant-time in the values and blindings up to the inner-product
// rounds, which (as in dalek) use variable-time MSMs on blinded vectors.

#include <cstdint>
#include <span>
#include <vector>

#include "formica/base/bytes.h"
#include "formica/base/status.h"
#include "formica/zk/group.h"
#include "formica/zk/p256.h"
#include "formica/zk/pedersen.h"
#include "formica/zk/ristretto255.h"

namespace formica::zk {

inline constexpr std::size_t kMaxAggregation = 64;
inline constexpr std::size_t kMaxRangeBits = 64;

// The vector generators G_i, H_i, hashed to the group (index-labelled, so a larger set
// extends a smaller one). Immutable once built; share one instance across threads.
template <PrimeOrderGroup G>
class BulletproofGens {
 public:
  using Point = typename G::Point;
  // capacity = the largest n * m to be proven or verified.
  explicit BulletproofGens(std::size_t capacity);
  std::size_t capacity() const { return g_.size(); }
  const std::vector<Point>& g() const { return g_; }
  const std::vector<Point>& h() const { return h_; }

 private:
  std::vector<Point> g_, h_;
};

template <PrimeOrderGroup G>
struct RangeProof {
  using Scalar = typename G::Scalar;
  using Point = typename G::Point;
  Point A, S, T1, T2;
  Scalar t_x, t_x_blinding, e_blinding;
  std::vector<Point> L, R;  // inner-product rounds, log2(n * m) each
  Scalar a, b;

  // A S T1 T2 t_x t_x_blinding e_blinding (L_0 R_0) ... (L_k R_k) a b, fixed-width encodings.
  Bytes serialize() const;
  // Strict: exact length for some round count k <= 12, canonical scalars and points.
  static Result<RangeProof> deserialize(ByteView bytes);
};

template <PrimeOrderGroup G>
struct RangeProofWithCommitments {
  RangeProof<G> proof;
  std::vector<typename G::Point> commitments;
};

// Proves values[j] in [0, 2^n_bits) for the commitments values[j] * B + blindings[j] * B~.
// Refuses (kInvalidArgument) a value out of range, a bad n_bits, a count that is not a power
// of two up to kMaxAggregation, mismatched sizes, or n_bits * m above the generators' capacity.
template <PrimeOrderGroup G>
Result<RangeProofWithCommitments<G>> prove_range(const PedersenGens<G>& pc, const BulletproofGens<G>& bp,
                                                 ByteView context, std::span<const std::uint64_t> values,
                                                 std::span<const typename G::Scalar> blindings,
                                                 std::size_t n_bits);

// Ok iff the proof shows every commitment opens to a value in [0, 2^n_bits).
template <PrimeOrderGroup G>
Status verify_range(const PedersenGens<G>& pc, const BulletproofGens<G>& bp, ByteView context,
                    std::span<const typename G::Point> commitments, const RangeProof<G>& proof,
                    std::size_t n_bits);

template <PrimeOrderGroup G>
struct RangeProofItem {
  ByteView context;
  std::span<const typename G::Point> commitments;
  const RangeProof<G>* proof;
  std::size_t n_bits;
};

// All proofs in one MSM, each weighted by a 128-bit scalar derived from every proof in the
// batch. Ok iff (with overwhelming probability) every proof verifies; an empty batch is ok.
template <PrimeOrderGroup G>
Status verify_range_batch(const PedersenGens<G>& pc, const BulletproofGens<G>& bp,
                          std::span<const RangeProofItem<G>> items);

}  // namespace formica::zk
