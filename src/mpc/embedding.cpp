#include "formica/mpc/embedding.h"

#include <algorithm>
#include <cstdlib>
#include <string>

namespace formica::mpc {
namespace {

// floor(sqrt(n)) by Newton's method on integers: exact, and the same on every machine.
std::uint64_t isqrt(std::uint64_t n) {
  if (n < 2) return n;
  std::uint64_t x = n;
  std::uint64_t y = (x + 1) / 2;
  while (y < x) {
    x = y;
    y = (x + n / x) / 2;
  }
  return x;
}

// round(a / b) with halves away from zero; b > 0.
std::int64_t round_div(std::int64_t a, std::int64_t b) {
  return a >= 0 ? (2 * a + b) / (2 * b) : -((-2 * a + b) / (2 * b));
}

std::uint64_t norm_of(std::span<const std::int64_t, kDim> v) {
  std::uint64_t sum = 0;
  for (std::int64_t x : v) sum += static_cast<std::uint64_t>(x * x);
  return isqrt(sum);
}

}  // namespace

Status validate(const Embedding& e) {
  for (std::size_t i = 0; i < kDim; ++i) {
    if (e[i] < kQuantMin || e[i] > kQuantMax) {
      return make_error(ErrorCode::kInvalidArgument,
                        "embedding coordinate " + std::to_string(i) + " outside [-255, 255]");
    }
  }
  return ok_status();
}

std::int64_t inner_product(const Embedding& a, const Embedding& b) {
  std::int64_t sum = 0;
  for (std::size_t i = 0; i < kDim; ++i) sum += std::int64_t{a[i]} * b[i];
  return sum;
}

std::int32_t threshold_from_cosine_milli(std::uint32_t cosine_milli) {
  cosine_milli = std::min<std::uint32_t>(cosine_milli, 1000);
  return static_cast<std::int32_t>(round_div(std::int64_t{cosine_milli} * kQuantNorm * kQuantNorm, 1000));
}

bool plaintext_match(const Embedding& a, const Embedding& b, std::int32_t threshold) {
  return inner_product(a, b) >= threshold;
}

Result<Embedding> quantise(std::span<const std::int64_t, kDim> v) {
  for (std::int64_t x : v) {
    if (x > (std::int64_t{1} << 26) || x < -(std::int64_t{1} << 26)) {
      return make_error(ErrorCode::kInvalidArgument, "embedding coordinate too large to quantise");
    }
  }
  const auto n = static_cast<std::int64_t>(norm_of(v));
  if (n == 0) return make_error(ErrorCode::kInvalidArgument, "cannot quantise the zero vector");
  Embedding out;
  for (std::size_t i = 0; i < kDim; ++i) {
    std::int64_t q = round_div(v[i] * kQuantNorm, n);
    out[i] = static_cast<std::int16_t>(std::clamp<std::int64_t>(q, kQuantMin, kQuantMax));
  }
  return out;
}

SessionTransform::SessionTransform(const Seed& session_seed) {
  Prg prg(session_seed);
  for (std::size_t i = 0; i < kDim; ++i) perm_[i] = static_cast<std::uint8_t>(i);
  for (std::size_t i = kDim - 1; i > 0; --i) {  // Fisher–Yates
    std::swap(perm_[i], perm_[prg.uniform(i + 1)]);
  }
  std::uint8_t bits[kDim / 8];
  prg.fill(bits);
  for (std::size_t i = 0; i < kDim; ++i) sign_[i] = ((bits[i / 8] >> (i % 8)) & 1) ? -1 : 1;
}

Embedding SessionTransform::apply(const Embedding& in) const {
  Embedding out;
  for (std::size_t i = 0; i < kDim; ++i) {
    // The range is symmetric, so a validated input stays in range and products are exact.
    out[i] = static_cast<std::int16_t>(sign_[i] * in[perm_[i]]);
  }
  return out;
}

// ---- FaceGenerator --------------------------------------------------------------------------

FaceGenerator::FaceGenerator(std::uint64_t seed, FaceModel model) : state_(seed), model_(model) {
  population_ = random_direction(std::int64_t{1} << 20);
}

std::uint64_t FaceGenerator::next() {  // SplitMix64: tiny, fixed, portable
  std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

std::int64_t FaceGenerator::gaussian() {
  // Sum of 12 uniform 16-bit values minus their mean: variance 12 * (2^32 - 1) / 12 ~ 2^32.
  std::int64_t sum = 0;
  for (int i = 0; i < 3; ++i) {
    std::uint64_t r = next();
    for (int k = 0; k < 4; ++k) sum += static_cast<std::int64_t>((r >> (16 * k)) & 0xffff);
  }
  return sum - 393210;  // 12 * 32767.5
}

IdentityVector FaceGenerator::random_direction(std::int64_t norm) {
  IdentityVector g;
  for (auto& x : g) x = gaussian();
  std::int64_t n = static_cast<std::int64_t>(norm_of(g));
  if (n == 0) n = 1;  // probability ~0; keeps the arithmetic defined
  IdentityVector out;
  for (std::size_t i = 0; i < kDim; ++i) out[i] = round_div(g[i] * norm, n);
  return out;
}

IdentityVector FaceGenerator::new_identity() {
  IdentityVector z = random_direction(std::int64_t{1} << 20);
  IdentityVector mixed;
  for (std::size_t i = 0; i < kDim; ++i) {
    mixed[i] = round_div(population_[i] * model_.population_milli + z[i] * 1000, 1000);
  }
  std::int64_t n = static_cast<std::int64_t>(norm_of(mixed));
  if (n == 0) n = 1;
  for (auto& x : mixed) x = round_div(x << 20, n);
  return mixed;
}

Embedding FaceGenerator::noisy(const IdentityVector& id, std::uint32_t noise_milli) {
  IdentityVector eps = random_direction(round_div(std::int64_t{noise_milli} << 20, 1000));
  IdentityVector v;
  for (std::size_t i = 0; i < kDim; ++i) v[i] = id[i] + eps[i];
  auto q = quantise(v);
  if (!q.ok()) return Embedding{};  // only the zero vector fails; not reachable at these norms
  return *q;
}

Embedding FaceGenerator::enrol(const IdentityVector& id) { return noisy(id, model_.template_noise_milli); }

Embedding FaceGenerator::observe(const IdentityVector& id) {
  std::uint32_t lo = model_.observation_noise_min_milli;
  std::uint32_t hi = std::max(lo, model_.observation_noise_max_milli);
  std::uint32_t sigma = lo + static_cast<std::uint32_t>(next() % (hi - lo + 1));
  return noisy(id, sigma);
}

}  // namespace formica::mpc
