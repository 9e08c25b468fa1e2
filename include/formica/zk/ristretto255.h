#pragma once
// ristretto255 (RFC 9496) through libdecaf: the default group of the zk layer. Points stay in
// libdecaf's unpacked extended coordinates, so multi-scalar multiplication never encodes or
// decodes inside its loops. Encodings: scalars 32 bytes little-endian (canonical, < l);
// points the 32-byte ristretto255 encoding (the identity encodes as 32 zero bytes).

#include <decaf/point_255.h>

#include <string_view>

#include "formica/base/bytes.h"
#include "formica/base/status.h"
#include "formica/zk/group.h"

namespace formica::zk {

class RistrettoScalar {
 public:
  RistrettoScalar();  // zero
  ~RistrettoScalar();
  RistrettoScalar(const RistrettoScalar& other);
  RistrettoScalar& operator=(const RistrettoScalar& other);

  static RistrettoScalar from_u64(std::uint64_t v);
  // Canonical 32-byte little-endian encoding below the group order, else kMalformed.
  static Result<RistrettoScalar> decode(ByteView bytes);
  // Any number of bytes read as a little-endian integer, reduced mod l (use >= 48 bytes of
  // uniform input for a uniform scalar).
  static RistrettoScalar from_uniform_bytes(ByteView bytes);
  static RistrettoScalar random();

  ByteArray<32> encode() const;
  ByteArray<32> to_le_bytes() const { return encode(); }

  RistrettoScalar operator+(const RistrettoScalar& o) const;
  RistrettoScalar operator-(const RistrettoScalar& o) const;
  RistrettoScalar operator*(const RistrettoScalar& o) const;
  RistrettoScalar operator-() const;
  RistrettoScalar& operator+=(const RistrettoScalar& o) { return *this = *this + o; }
  RistrettoScalar& operator-=(const RistrettoScalar& o) { return *this = *this - o; }
  RistrettoScalar& operator*=(const RistrettoScalar& o) { return *this = *this * o; }
  // The inverse; zero maps to zero.
  RistrettoScalar invert() const;
  bool operator==(const RistrettoScalar& o) const;  // constant-time
  bool is_zero() const;
  // Constant-time: returns b if pick, else a.
  static RistrettoScalar select(const RistrettoScalar& a, const RistrettoScalar& b, bool pick);

  const decaf_255_scalar_s* raw() const { return s_; }

 private:
  decaf_255_scalar_t s_;
};

class RistrettoPoint {
 public:
  RistrettoPoint();  // identity
  static RistrettoPoint identity();
  static RistrettoPoint generator();
  // Canonical 32-byte ristretto255 encoding (RFC 9496 §4.3.1), else kMalformed.
  static Result<RistrettoPoint> decode(ByteView bytes);
  // RFC 9496 §4.3.4 element derivation from exactly 64 uniform bytes (the one-way map).
  // Precondition: bytes64.size() == 64 (any other length yields the identity).
  static RistrettoPoint from_uniform_bytes(ByteView bytes64);
  // hash_to_ristretto255 (RFC 9380 Appendix B / RFC 9496 §4.3.4): expand_message_xmd with
  // SHA-512 to 64 bytes, then the one-way map. `dst` must be 1..255 bytes.
  static RistrettoPoint hash_to_group(ByteView msg, ByteView dst);
  // Constant-time multiple of the generator, through libdecaf's precomputed table.
  static RistrettoPoint mul_base(const RistrettoScalar& s);

  ByteArray<32> encode() const;

  RistrettoPoint operator+(const RistrettoPoint& o) const;
  RistrettoPoint operator-(const RistrettoPoint& o) const;
  RistrettoPoint operator-() const;
  RistrettoPoint& operator+=(const RistrettoPoint& o);
  RistrettoPoint& operator-=(const RistrettoPoint& o);
  RistrettoPoint dbl() const;
  // Constant-time in the scalar.
  RistrettoPoint operator*(const RistrettoScalar& s) const;
  bool operator==(const RistrettoPoint& o) const;  // constant-time
  bool is_identity() const;
  // Constant-time: returns b if pick, else a.
  static RistrettoPoint select(const RistrettoPoint& a, const RistrettoPoint& b, bool pick);

 private:
  decaf_255_point_t p_;
};

struct Ristretto255 {
  using Scalar = RistrettoScalar;
  using Point = RistrettoPoint;
  static constexpr std::string_view kName = "ristretto255";
  static constexpr std::size_t kScalarBytes = 32;
  static constexpr std::size_t kPointBytes = 32;
};

static_assert(PrimeOrderGroup<Ristretto255>);

}  // namespace formica::zk
