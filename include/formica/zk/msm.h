#pragma once
// Multi-scalar multiplication: sum_i scalars[i] * points[i]. Hand-written because neither
// libdecaf nor OpenSSL 3.0 offers a general MSM (libdecaf stops at two points).
//
// - msm_naive:           one scalar multiplication per term (the reference for tests).
// - msm_straus_ct:       interleaved fixed-window (signed radix 16) with table lookups by
//                        constant-time selection and no data-dependent branches: for SECRET
//                        scalars (prover side).
// - msm_straus_vartime:  interleaved width-5 NAF, for public scalars and small sizes.
// - msm_pippenger:       bucket method with signed digits, for public scalars, large sizes.
// - msm_vartime:         picks Straus or Pippenger by size (verifier default).
// - FixedBaseTable:      precomputed multiples of one fixed point; constant-time mul.
//
// Preconditions: scalars.size() == points.size() (checked; a mismatch returns the identity
// only through the assert in debug builds, callers own the sizes). Thread-safe: no state.

#include <algorithm>
#include <array>
#include <cassert>
#include <cstdint>
#include <span>
#include <vector>

#include "formica/zk/group.h"

namespace formica::zk {
namespace msm_detail {

// Signed radix-16 digits in [-8, 8) of a little-endian 256-bit scalar, 65 digits (the last
// absorbs the carry of scalars >= 2^255, as P-256's may be). Constant-time.
inline std::array<std::int8_t, 65> radix16(const ByteArray<32>& le) {
  std::array<std::int8_t, 65> d{};
  for (int i = 0; i < 32; ++i) {
    d[2 * i] = static_cast<std::int8_t>(le[i] & 15);
    d[2 * i + 1] = static_cast<std::int8_t>((le[i] >> 4) & 15);
  }
  for (int i = 0; i < 64; ++i) {
    const std::int8_t carry = static_cast<std::int8_t>((d[i] + 8) >> 4);
    d[i] = static_cast<std::int8_t>(d[i] - (carry << 4));
    d[i + 1] = static_cast<std::int8_t>(d[i + 1] + carry);
  }
  return d;
}

// Width-w NAF of a little-endian 256-bit scalar: 257 digits, each zero or odd in
// (-2^(w-1), 2^(w-1)). Variable-time.
inline std::array<std::int8_t, 258> wnaf(const ByteArray<32>& le, int w) {
  std::array<std::uint64_t, 5> k{};
  for (int i = 0; i < 32; ++i) k[i / 8] |= static_cast<std::uint64_t>(le[i]) << (8 * (i % 8));
  std::array<std::int8_t, 258> naf{};
  const std::int64_t width = std::int64_t{1} << w;
  for (int i = 0; i < 258; ++i) {
    if (k[0] & 1) {
      std::int64_t d = static_cast<std::int64_t>(k[0] & static_cast<std::uint64_t>(width - 1));
      if (d >= width / 2) d -= width;
      naf[i] = static_cast<std::int8_t>(d);
      // k -= d
      if (d > 0) {
        std::uint64_t borrow = static_cast<std::uint64_t>(d);
        for (auto& limb : k) {
          const std::uint64_t before = limb;
          limb -= borrow;
          borrow = before < borrow ? 1 : 0;
          if (!borrow) break;
        }
      } else {
        std::uint64_t carry = static_cast<std::uint64_t>(-d);
        for (auto& limb : k) {
          limb += carry;
          carry = limb < carry ? 1 : 0;
          if (!carry) break;
        }
      }
    }
    for (int j = 0; j < 4; ++j) k[j] = (k[j] >> 1) | (k[j + 1] << 63);
    k[4] >>= 1;
  }
  return naf;
}

// Signed digits in radix 2^c, |d| <= 2^(c-1); returns ceil(257 / c) + 1 digits. Variable-time.
inline std::vector<std::int32_t> signed_digits(const ByteArray<32>& le, int c) {
  const int count = (257 + c - 1) / c + 1;
  std::vector<std::int32_t> d(static_cast<std::size_t>(count), 0);
  auto bit = [&](int i) -> std::int32_t { return i < 256 ? (le[i / 8] >> (i % 8)) & 1 : 0; };
  std::int32_t carry = 0;
  const std::int32_t radix = 1 << c;
  for (int w = 0; w < count; ++w) {
    std::int32_t v = carry;
    for (int b = 0; b < c; ++b) v += bit(w * c + b) << b;
    carry = (v + radix / 2) >> c;  // digit in [-2^(c-1), 2^(c-1))
    d[static_cast<std::size_t>(w)] = v - (carry << c);
  }
  return d;
}

}  // namespace msm_detail

template <PrimeOrderGroup G>
typename G::Point msm_naive(std::span<const typename G::Scalar> scalars,
                            std::span<const typename G::Point> points) {
  assert(scalars.size() == points.size());
  typename G::Point acc;
  for (std::size_t i = 0; i < std::min(scalars.size(), points.size()); ++i) acc += points[i] * scalars[i];
  return acc;
}

// Constant-time in the scalars (and in which table entries are used): every term costs the
// same table scan, conditional negation and addition regardless of its digits.
template <PrimeOrderGroup G>
typename G::Point msm_straus_ct(std::span<const typename G::Scalar> scalars,
                                std::span<const typename G::Point> points) {
  using P = typename G::Point;
  assert(scalars.size() == points.size());
  const std::size_t n = std::min(scalars.size(), points.size());
  std::vector<std::array<P, 8>> tables(n);  // tables[i][j] = (j + 1) * points[i]
  std::vector<std::array<std::int8_t, 65>> digits(n);
  for (std::size_t i = 0; i < n; ++i) {
    tables[i][0] = points[i];
    for (int j = 1; j < 8; ++j) tables[i][j] = tables[i][j - 1] + points[i];
    ByteArray<32> le = scalars[i].to_le_bytes();
    digits[i] = msm_detail::radix16(le);
    secure_zero(le.data(), le.size());
  }
  P acc;
  for (int pos = 64; pos >= 0; --pos) {
    if (pos != 64) acc = acc.dbl().dbl().dbl().dbl();
    for (std::size_t i = 0; i < n; ++i) {
      const std::int8_t d = digits[i][pos];
      const std::uint8_t neg = static_cast<std::uint8_t>(static_cast<std::uint8_t>(d) >> 7);
      const std::uint8_t mag = static_cast<std::uint8_t>((d ^ -static_cast<std::int8_t>(neg)) + neg);
      P t;  // identity when mag == 0
      for (std::uint8_t j = 1; j <= 8; ++j) t = P::select(t, tables[i][j - 1], mag == j);
      t = P::select(t, -t, neg != 0);
      acc += t;
    }
  }
  for (auto& d : digits) secure_zero(d.data(), d.size());
  return acc;
}

template <PrimeOrderGroup G>
typename G::Point msm_straus_vartime(std::span<const typename G::Scalar> scalars,
                                     std::span<const typename G::Point> points) {
  using P = typename G::Point;
  assert(scalars.size() == points.size());
  const std::size_t n = std::min(scalars.size(), points.size());
  constexpr int kW = 5;
  std::vector<std::array<P, 8>> tables(n);  // odd multiples 1P, 3P, ..., 15P
  std::vector<std::array<std::int8_t, 258>> nafs(n);
  int top = -1;
  for (std::size_t i = 0; i < n; ++i) {
    nafs[i] = msm_detail::wnaf(scalars[i].to_le_bytes(), kW);
    int hi = 257;
    while (hi >= 0 && nafs[i][hi] == 0) --hi;
    if (hi < 0) continue;  // zero scalar: no table needed
    top = std::max(top, hi);
    const P twice = points[i].dbl();
    tables[i][0] = points[i];
    for (int j = 1; j < 8; ++j) tables[i][j] = tables[i][j - 1] + twice;
  }
  P acc;
  for (int pos = top; pos >= 0; --pos) {
    acc = acc.dbl();
    for (std::size_t i = 0; i < n; ++i) {
      const int d = nafs[i][pos];
      if (d > 0) acc += tables[i][d / 2];
      if (d < 0) acc -= tables[i][(-d) / 2];
    }
  }
  return acc;
}

template <PrimeOrderGroup G>
typename G::Point msm_pippenger(std::span<const typename G::Scalar> scalars,
                                std::span<const typename G::Point> points) {
  using P = typename G::Point;
  assert(scalars.size() == points.size());
  const std::size_t n = std::min(scalars.size(), points.size());
  if (n == 0) return P();
  const int c = n < 500 ? 6 : n < 800 ? 7 : n < 3000 ? 8 : 9;
  std::vector<std::vector<std::int32_t>> digits(n);
  for (std::size_t i = 0; i < n; ++i) digits[i] = msm_detail::signed_digits(scalars[i].to_le_bytes(), c);
  const int windows = static_cast<int>(digits[0].size());
  const std::size_t buckets_count = std::size_t{1} << (c - 1);
  std::vector<P> buckets(buckets_count);
  std::vector<char> used(buckets_count);
  P result;
  for (int w = windows - 1; w >= 0; --w) {
    for (int k = 0; k < c; ++k) result = result.dbl();
    std::fill(used.begin(), used.end(), 0);
    for (std::size_t i = 0; i < n; ++i) {
      const std::int32_t d = digits[i][static_cast<std::size_t>(w)];
      if (d == 0) continue;
      const std::size_t b = static_cast<std::size_t>(d > 0 ? d : -d) - 1;
      if (!used[b]) {
        buckets[b] = d > 0 ? points[i] : -points[i];
        used[b] = 1;
      } else if (d > 0) {
        buckets[b] += points[i];
      } else {
        buckets[b] -= points[i];
      }
    }
    // sum_b (b + 1) * bucket[b] by running sums from the top.
    P running, window_sum;
    bool any = false;
    for (std::size_t b = buckets_count; b-- > 0;) {
      if (used[b]) {
        running = any ? running + buckets[b] : buckets[b];
        any = true;
      }
      if (any) window_sum += running;
    }
    result += window_sum;
  }
  return result;
}

// Variable-time MSM for public scalars (verifiers): Straus below ~190 terms, else Pippenger.
template <PrimeOrderGroup G>
typename G::Point msm_vartime(std::span<const typename G::Scalar> scalars,
                              std::span<const typename G::Point> points) {
  if (scalars.size() < 190) return msm_straus_vartime<G>(scalars, points);
  return msm_pippenger<G>(scalars, points);
}

// Multiples of one fixed point: table[i][j] = (j + 1) * 16^i * P for i < 65, j < 8, so a
// multiplication is 65 constant-time lookups and additions, no doublings.
template <PrimeOrderGroup G>
class FixedBaseTable {
 public:
  using P = typename G::Point;
  explicit FixedBaseTable(const P& base) : table_(65) {
    P row = base;
    for (auto& entry : table_) {
      entry[0] = row;
      for (int j = 1; j < 8; ++j) entry[j] = entry[j - 1] + row;
      row = entry[7].dbl();  // 16 * previous row
    }
  }
  const P& base() const { return table_[0][0]; }

  // Constant-time in s.
  P mul(const typename G::Scalar& s) const {
    ByteArray<32> le = s.to_le_bytes();
    auto digits = msm_detail::radix16(le);
    secure_zero(le.data(), le.size());
    P acc;
    for (std::size_t pos = 0; pos < 65; ++pos) {
      const std::int8_t d = digits[pos];
      const std::uint8_t neg = static_cast<std::uint8_t>(static_cast<std::uint8_t>(d) >> 7);
      const std::uint8_t mag = static_cast<std::uint8_t>((d ^ -static_cast<std::int8_t>(neg)) + neg);
      P t;
      for (std::uint8_t j = 1; j <= 8; ++j) t = P::select(t, table_[pos][j - 1], mag == j);
      t = P::select(t, -t, neg != 0);
      acc += t;
    }
    secure_zero(digits.data(), digits.size());
    return acc;
  }

 private:
  std::vector<std::array<P, 8>> table_;
};

}  // namespace formica::zk
