#pragma once
// Face embeddings as the matching protocol sees them: 128 signed integers, quantised so that a
// unit vector has Euclidean norm kQuantNorm (256), and compared by integer inner product
// against an integer threshold — no floating point anywhere a decision is made.
//
// Also here: the synthetic face generator (docs/private-matching.md, "Embedding model"), which is
// integer-only and therefore gives identical embeddings for a seed on every machine, and the
// per-session transform (a signed permutation derived from the session seed).

#include <array>
#include <cstdint>
#include <span>

#include "formica/base/status.h"
#include "formica/mpc/random.h"

namespace formica::mpc {

inline constexpr std::size_t kDim = 128;
inline constexpr std::int32_t kQuantNorm = 256;  // |q| ~ 256 for a unit vector
inline constexpr std::int32_t kQuantMin = -255;  // symmetric, so sign flips stay in range
inline constexpr std::int32_t kQuantMax = 255;

using Embedding = std::array<std::int16_t, kDim>;

// Every coordinate within [kQuantMin, kQuantMax] = [-255, 255]. Sessions refuse anything else.
Status validate(const Embedding& e);

// Exact integer inner product (|result| <= 128 * 255 * 255 < 2^23).
std::int64_t inner_product(const Embedding& a, const Embedding& b);

// The integer threshold for a cosine threshold given in thousandths:
// round(cosine_milli * 256^2 / 1000). cosine_milli in [0, 1000].
std::int32_t threshold_from_cosine_milli(std::uint32_t cosine_milli);

// The decision the protocol computes privately: inner_product(a, b) >= threshold.
bool plaintext_match(const Embedding& a, const Embedding& b, std::int32_t threshold);

// Default decision threshold: cosine 0.40 (between the genuine and impostor populations).
inline constexpr std::uint32_t kDefaultThresholdMilli = 400;

// Quantises a real-valued direction given as integers at any scale: q = round(v * 256 / |v|),
// clamped to [-255, 255]. Fails on the zero vector.
Result<Embedding> quantise(std::span<const std::int64_t, kDim> v);

// ---- Session transform ---------------------------------------------------------------------

// A signed permutation of the coordinates: out[i] = sign[i] * in[perm[i]]. Signed permutations
// are exactly the integer orthogonal matrices, so inner products are preserved bit for bit.
class SessionTransform {
 public:
  // Derived deterministically from the jointly agreed session seed.
  explicit SessionTransform(const Seed& session_seed);
  Embedding apply(const Embedding& in) const;

 private:
  std::array<std::uint8_t, kDim> perm_{};
  std::array<std::int8_t, kDim> sign_{};
};

// ---- Synthetic faces -----------------------------------------------------------------------

// Parameters of the generator (all integers; see docs/private-matching.md).
struct FaceModel {
  // Weight of the direction shared by all faces ("population mean"), in thousandths of a unit
  // vector. Gives impostor pairs a small positive mean cosine, as real face models show.
  std::uint32_t population_milli = 250;
  // Norm of the noise added to the identity direction for the enrolled template (averaged over
  // several enrolment shots, so less noisy), in thousandths.
  std::uint32_t template_noise_milli = 500;
  // Norm of the noise for a street observation: uniform in [min, max] per observation.
  std::uint32_t observation_noise_min_milli = 550;
  std::uint32_t observation_noise_max_milli = 1000;
};

using IdentityVector = std::array<std::int64_t, kDim>;  // a direction at norm 2^20

// Deterministic per (seed, model): the same calls in the same order give the same embeddings.
class FaceGenerator {
 public:
  explicit FaceGenerator(std::uint64_t seed, FaceModel model = {});

  IdentityVector new_identity();
  Embedding enrol(const IdentityVector& id);    // the phone's template
  Embedding observe(const IdentityVector& id);  // one sighting by a sensor
  // A gaussian-like integer with mean 0 and standard deviation ~65536 (Irwin–Hall, 12 terms).
  std::int64_t gaussian();

 private:
  std::uint64_t next();
  IdentityVector random_direction(std::int64_t norm);
  Embedding noisy(const IdentityVector& id, std::uint32_t noise_milli);

  std::uint64_t state_;
  FaceModel model_;
  IdentityVector population_{};
};

}  // namespace formica::mpc
