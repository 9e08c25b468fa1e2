#pragma once
// P-256 (secp256r1) through OpenSSL 3: the group of U-Prove's published vectors and of the
// CFRG sigma-protocol vectors. Encodings follow SEC1 as the sigma draft pins them: scalars
// 32 bytes big-endian (canonical, < n); points 33-byte compressed only. P-256 has no SEC1
// encoding of the identity in 33 bytes: we encode it as 33 zero bytes, and decode accepts
// that one string as the identity (protocols that must reject the identity check for it).
//
// Slower than ristretto255 (every operation goes through OpenSSL's BIGNUM/EC_POINT API); it
// is here for interoperability, not as the default. Scalar arithmetic uses BIGNUM, which is
// not guaranteed constant-time; point multiplication by a secret scalar uses OpenSSL's
// constant-time path (BN_FLG_CONSTTIME, ladder / nistz256).

#include <array>
#include <memory>
#include <string_view>

#include "formica/base/bytes.h"
#include "formica/base/status.h"
#include "formica/zk/group.h"

struct ec_point_st;

namespace formica::zk {

class P256Scalar {
 public:
  P256Scalar();  // zero
  ~P256Scalar();
  P256Scalar(const P256Scalar& other) = default;
  P256Scalar& operator=(const P256Scalar& other) = default;

  static P256Scalar from_u64(std::uint64_t v);
  // Canonical 32-byte big-endian encoding below n, else kMalformed.
  static Result<P256Scalar> decode(ByteView bytes);
  // Bytes read as a little-endian integer (the CFRG DecodeField convention), reduced mod n.
  static P256Scalar from_uniform_bytes(ByteView bytes);
  static P256Scalar random();

  ByteArray<32> encode() const { return be_; }
  ByteArray<32> to_le_bytes() const;

  P256Scalar operator+(const P256Scalar& o) const;
  P256Scalar operator-(const P256Scalar& o) const;
  P256Scalar operator*(const P256Scalar& o) const;
  P256Scalar operator-() const;
  P256Scalar& operator+=(const P256Scalar& o) { return *this = *this + o; }
  P256Scalar& operator-=(const P256Scalar& o) { return *this = *this - o; }
  P256Scalar& operator*=(const P256Scalar& o) { return *this = *this * o; }
  P256Scalar invert() const;                   // zero maps to zero
  bool operator==(const P256Scalar& o) const;  // constant-time
  bool is_zero() const;
  static P256Scalar select(const P256Scalar& a, const P256Scalar& b, bool pick);

 private:
  ByteArray<32> be_{};
};

class P256Point {
 public:
  P256Point();  // identity
  ~P256Point();
  P256Point(const P256Point& other);
  P256Point& operator=(const P256Point& other);
  P256Point(P256Point&& other) noexcept;
  P256Point& operator=(P256Point&& other) noexcept;

  static P256Point identity() { return P256Point(); }
  static P256Point generator();
  // 33-byte compressed SEC1 encoding of a point on the curve (x < p), or 33 zero bytes for
  // the identity; anything else (uncompressed, hybrid, off-curve, x >= p) is kMalformed.
  static Result<P256Point> decode(ByteView bytes);
  // RFC 9380 hash_to_curve with suite P256_XMD:SHA-256_SSWU_RO_ (variable-time: for public
  // inputs such as generator derivation).
  static P256Point hash_to_group(ByteView msg, ByteView dst);
  // encode_to_curve, suite P256_XMD:SHA-256_SSWU_NU_.
  static P256Point encode_to_group(ByteView msg, ByteView dst);
  static P256Point mul_base(const P256Scalar& s);

  ByteArray<33> encode() const;
  // Affine coordinates, big-endian (for tests against RFC 9380); identity gives zeros.
  std::pair<ByteArray<32>, ByteArray<32>> affine() const;

  P256Point operator+(const P256Point& o) const;
  P256Point operator-(const P256Point& o) const;
  P256Point operator-() const;
  P256Point& operator+=(const P256Point& o) { return *this = *this + o; }
  P256Point& operator-=(const P256Point& o) { return *this = *this - o; }
  P256Point dbl() const;
  P256Point operator*(const P256Scalar& s) const;  // constant-time in s
  bool operator==(const P256Point& o) const;
  bool is_identity() const;
  // Not constant-time for P-256 (OpenSSL exposes no point cmov); used by our MSM only.
  static P256Point select(const P256Point& a, const P256Point& b, bool pick) { return pick ? b : a; }

 private:
  // (x, y) are BIGNUM* of a point known to be on the curve (hash-to-curve output).
  static P256Point from_affine_unchecked(const void* x, const void* y);
  static P256Point h2c(ByteView msg, ByteView dst, int count);
  struct Free {
    void operator()(ec_point_st* p) const;
  };
  std::unique_ptr<ec_point_st, Free> p_;
};

struct P256 {
  using Scalar = P256Scalar;
  using Point = P256Point;
  static constexpr std::string_view kName = "P-256";
  static constexpr std::size_t kScalarBytes = 32;
  static constexpr std::size_t kPointBytes = 33;
};

static_assert(PrimeOrderGroup<P256>);

}  // namespace formica::zk
