#include "formica/zk/ristretto255.h"

#include <openssl/rand.h>

#include <cstdlib>
#include <cstring>

#include "formica/zk/hash_to_curve.h"

namespace formica::zk {

void random_bytes(std::span<std::uint8_t> out) {
  // RAND_priv_bytes draws from the OS entropy source; it fails only if that source is broken.
  if (RAND_priv_bytes(out.data(), static_cast<int>(out.size())) != 1) std::abort();
}

// ---- scalars ----

RistrettoScalar::RistrettoScalar() { std::memcpy(s_, decaf_255_scalar_zero, sizeof(s_)); }
RistrettoScalar::~RistrettoScalar() { decaf_255_scalar_destroy(s_); }
RistrettoScalar::RistrettoScalar(const RistrettoScalar& other) { std::memcpy(s_, other.s_, sizeof(s_)); }
RistrettoScalar& RistrettoScalar::operator=(const RistrettoScalar& other) {
  std::memmove(s_, other.s_, sizeof(s_));
  return *this;
}

RistrettoScalar RistrettoScalar::from_u64(std::uint64_t v) {
  RistrettoScalar r;
  decaf_255_scalar_set_unsigned(r.s_, v);
  return r;
}

Result<RistrettoScalar> RistrettoScalar::decode(ByteView bytes) {
  if (bytes.size() != 32) return make_error(ErrorCode::kMalformed, "ristretto255 scalar: need 32 bytes");
  RistrettoScalar r;
  if (decaf_255_scalar_decode(r.s_, bytes.data()) != DECAF_SUCCESS) {
    return make_error(ErrorCode::kMalformed, "ristretto255 scalar: not below the group order");
  }
  return r;
}

RistrettoScalar RistrettoScalar::from_uniform_bytes(ByteView bytes) {
  RistrettoScalar r;
  decaf_255_scalar_decode_long(r.s_, bytes.data(), bytes.size());
  return r;
}

RistrettoScalar RistrettoScalar::random() {
  ByteArray<64> buf;
  random_bytes(buf);
  RistrettoScalar r = from_uniform_bytes(buf);
  secure_zero(buf.data(), buf.size());
  return r;
}

ByteArray<32> RistrettoScalar::encode() const {
  ByteArray<32> out;
  decaf_255_scalar_encode(out.data(), s_);
  return out;
}

RistrettoScalar RistrettoScalar::operator+(const RistrettoScalar& o) const {
  RistrettoScalar r;
  decaf_255_scalar_add(r.s_, s_, o.s_);
  return r;
}
RistrettoScalar RistrettoScalar::operator-(const RistrettoScalar& o) const {
  RistrettoScalar r;
  decaf_255_scalar_sub(r.s_, s_, o.s_);
  return r;
}
RistrettoScalar RistrettoScalar::operator*(const RistrettoScalar& o) const {
  RistrettoScalar r;
  decaf_255_scalar_mul(r.s_, s_, o.s_);
  return r;
}
RistrettoScalar RistrettoScalar::operator-() const {
  RistrettoScalar r;
  decaf_255_scalar_sub(r.s_, decaf_255_scalar_zero, s_);
  return r;
}
RistrettoScalar RistrettoScalar::invert() const {
  RistrettoScalar r;
  // libdecaf returns failure (and zero) for a zero input, which is the contract we document.
  const decaf_error_t ignored = decaf_255_scalar_invert(r.s_, s_);
  (void)ignored;
  return r;
}
bool RistrettoScalar::operator==(const RistrettoScalar& o) const {
  return decaf_255_scalar_eq(s_, o.s_) == DECAF_TRUE;
}
bool RistrettoScalar::is_zero() const { return decaf_255_scalar_eq(s_, decaf_255_scalar_zero) == DECAF_TRUE; }
RistrettoScalar RistrettoScalar::select(const RistrettoScalar& a, const RistrettoScalar& b, bool pick) {
  RistrettoScalar r;
  decaf_255_scalar_cond_sel(r.s_, a.s_, b.s_, static_cast<decaf_word_t>(pick));
  return r;
}

// ---- points ----

RistrettoPoint::RistrettoPoint() { decaf_255_point_copy(p_, decaf_255_point_identity); }
RistrettoPoint RistrettoPoint::identity() { return RistrettoPoint(); }
RistrettoPoint RistrettoPoint::generator() {
  RistrettoPoint r;
  decaf_255_point_copy(r.p_, decaf_255_point_base);
  return r;
}

Result<RistrettoPoint> RistrettoPoint::decode(ByteView bytes) {
  if (bytes.size() != 32) return make_error(ErrorCode::kMalformed, "ristretto255 point: need 32 bytes");
  RistrettoPoint r;
  if (decaf_255_point_decode(r.p_, bytes.data(), DECAF_TRUE) != DECAF_SUCCESS) {
    return make_error(ErrorCode::kMalformed, "ristretto255 point: not a canonical encoding");
  }
  return r;
}

RistrettoPoint RistrettoPoint::from_uniform_bytes(ByteView bytes64) {
  RistrettoPoint r;
  if (bytes64.size() != 64) return r;  // contract violation; see header
  decaf_255_point_from_hash_uniform(r.p_, bytes64.data());
  return r;
}

RistrettoPoint RistrettoPoint::hash_to_group(ByteView msg, ByteView dst) {
  auto uniform = expand_message_xmd(XmdHash::kSha512, msg, dst, 64);
  if (!uniform.ok()) return RistrettoPoint();  // only an empty DST; callers pass constants
  return from_uniform_bytes(*uniform);
}

RistrettoPoint RistrettoPoint::mul_base(const RistrettoScalar& s) {
  RistrettoPoint r;
  decaf_255_precomputed_scalarmul(r.p_, decaf_255_precomputed_base, s.raw());
  return r;
}

ByteArray<32> RistrettoPoint::encode() const {
  ByteArray<32> out;
  decaf_255_point_encode(out.data(), p_);
  return out;
}

RistrettoPoint RistrettoPoint::operator+(const RistrettoPoint& o) const {
  RistrettoPoint r;
  decaf_255_point_add(r.p_, p_, o.p_);
  return r;
}
RistrettoPoint RistrettoPoint::operator-(const RistrettoPoint& o) const {
  RistrettoPoint r;
  decaf_255_point_sub(r.p_, p_, o.p_);
  return r;
}
RistrettoPoint RistrettoPoint::operator-() const {
  RistrettoPoint r;
  decaf_255_point_negate(r.p_, p_);
  return r;
}
RistrettoPoint& RistrettoPoint::operator+=(const RistrettoPoint& o) {
  decaf_255_point_add(p_, p_, o.p_);
  return *this;
}
RistrettoPoint& RistrettoPoint::operator-=(const RistrettoPoint& o) {
  decaf_255_point_sub(p_, p_, o.p_);
  return *this;
}
RistrettoPoint RistrettoPoint::dbl() const {
  RistrettoPoint r;
  decaf_255_point_double(r.p_, p_);
  return r;
}
RistrettoPoint RistrettoPoint::operator*(const RistrettoScalar& s) const {
  RistrettoPoint r;
  decaf_255_point_scalarmul(r.p_, p_, s.raw());
  return r;
}
bool RistrettoPoint::operator==(const RistrettoPoint& o) const {
  return decaf_255_point_eq(p_, o.p_) == DECAF_TRUE;
}
bool RistrettoPoint::is_identity() const {
  return decaf_255_point_eq(p_, decaf_255_point_identity) == DECAF_TRUE;
}
RistrettoPoint RistrettoPoint::select(const RistrettoPoint& a, const RistrettoPoint& b, bool pick) {
  RistrettoPoint r;
  decaf_255_point_cond_sel(r.p_, a.p_, b.p_, static_cast<decaf_word_t>(pick));
  return r;
}

}  // namespace formica::zk
