#pragma once
// The prime-order group interface every zk protocol is written against. A group is a type
// with nested Scalar and Point types; ristretto255 (libdecaf, the fast default) and P-256
// (OpenSSL) satisfy it. Protocols are templates over `PrimeOrderGroup G`, so a consumer picks
// the group once (Universal ID uses Ristretto255; the CFRG sigma vectors use P256).
//
// Contracts shared by both groups:
// - Scalar::decode / Point::decode accept only canonical encodings (a scalar below the group
//   order; a point in its one canonical form); anything else is ErrorCode::kMalformed.
// - Point operator*(Scalar) and Point::mul_base are constant-time in the scalar; MSM in msm.h
//   offers both a constant-time and a faster variable-time algorithm.
// - Scalars wipe their limbs when destroyed; never log them.
// - All functions are thread-safe (no mutable shared state).

#include <concepts>
#include <cstddef>
#include <string_view>

#include "formica/base/bytes.h"
#include "formica/base/status.h"

namespace formica::zk {

template <typename G>
concept PrimeOrderGroup = requires(const typename G::Scalar& s, const typename G::Point& p, ByteView b) {
  { G::kName } -> std::convertible_to<std::string_view>;
  { G::kScalarBytes } -> std::convertible_to<std::size_t>;
  { G::kPointBytes } -> std::convertible_to<std::size_t>;
  { G::Scalar::decode(b) } -> std::same_as<Result<typename G::Scalar>>;
  { G::Scalar::from_uniform_bytes(b) } -> std::same_as<typename G::Scalar>;
  { G::Scalar::random() } -> std::same_as<typename G::Scalar>;
  { G::Scalar::from_u64(1) } -> std::same_as<typename G::Scalar>;
  { s + s } -> std::same_as<typename G::Scalar>;
  { s - s } -> std::same_as<typename G::Scalar>;
  { s* s } -> std::same_as<typename G::Scalar>;
  { -s } -> std::same_as<typename G::Scalar>;
  { s.invert() } -> std::same_as<typename G::Scalar>;
  { s.is_zero() } -> std::same_as<bool>;
  { s.to_le_bytes() } -> std::same_as<ByteArray<32>>;
  { G::Point::decode(b) } -> std::same_as<Result<typename G::Point>>;
  { G::Point::identity() } -> std::same_as<typename G::Point>;
  { G::Point::generator() } -> std::same_as<typename G::Point>;
  { G::Point::mul_base(s) } -> std::same_as<typename G::Point>;
  { G::Point::hash_to_group(b, b) } -> std::same_as<typename G::Point>;
  { p + p } -> std::same_as<typename G::Point>;
  { p - p } -> std::same_as<typename G::Point>;
  { -p } -> std::same_as<typename G::Point>;
  { p.dbl() } -> std::same_as<typename G::Point>;
  { p* s } -> std::same_as<typename G::Point>;
  { p == p } -> std::same_as<bool>;
  { p.is_identity() } -> std::same_as<bool>;
  { G::Point::select(p, p, true) } -> std::same_as<typename G::Point>;
};

// Fills `out` from the operating system's CSPRNG (OpenSSL RAND_priv_bytes). Aborts only if
// the OS entropy source is broken, which no input can cause.
void random_bytes(std::span<std::uint8_t> out);

}  // namespace formica::zk
