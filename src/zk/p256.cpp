// P-256 through OpenSSL's EC_POINT/BIGNUM API, plus RFC 9380's simple SWU map for P-256
// (OpenSSL 3.0 has no hash-to-curve), written with BIGNUM field arithmetic.
#include "formica/zk/p256.h"

#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/obj_mac.h>

#include <algorithm>
#include <cstdlib>

#include "formica/zk/hash_to_curve.h"

namespace formica::zk {
namespace {

void check(int ok) {
  // OpenSSL fails here only on allocation failure or a broken invariant, never on input.
  if (ok != 1) std::abort();
}

struct BnFree {
  void operator()(BIGNUM* b) const { BN_clear_free(b); }
};
struct CtxFree {
  void operator()(BN_CTX* c) const { BN_CTX_free(c); }
};
using Bn = std::unique_ptr<BIGNUM, BnFree>;
using Ctx = std::unique_ptr<BN_CTX, CtxFree>;

Bn bn() {
  Bn b(BN_new());
  if (!b) std::abort();
  return b;
}
Ctx ctx() {
  Ctx c(BN_CTX_new());
  if (!c) std::abort();
  return c;
}
Bn bn_from_be(ByteView be) {
  Bn b(BN_bin2bn(be.data(), static_cast<int>(be.size()), nullptr));
  if (!b) std::abort();
  return b;
}
ByteArray<32> bn_to_be32(const BIGNUM* b) {
  ByteArray<32> out{};
  check(BN_bn2binpad(b, out.data(), 32) == 32 ? 1 : 0);
  return out;
}

const EC_GROUP* curve() {
  static const EC_GROUP* g = EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1);
  if (!g) std::abort();
  return g;
}
const BIGNUM* order() { return EC_GROUP_get0_order(curve()); }

struct FieldParams {
  Bn p, a, b, z;
};
const FieldParams& field() {
  static const FieldParams f = [] {
    FieldParams r{bn(), bn(), bn(), bn()};
    check(EC_GROUP_get_curve(curve(), r.p.get(), r.a.get(), r.b.get(), nullptr));
    check(BN_set_word(r.z.get(), 10));
    check(BN_sub(r.z.get(), r.p.get(), r.z.get()));  // Z = -10 (RFC 9380 §8.2)
    return r;
  }();
  return f;
}

}  // namespace

// ---- scalars ----

P256Scalar::P256Scalar() = default;
P256Scalar::~P256Scalar() { secure_zero(be_.data(), be_.size()); }

P256Scalar P256Scalar::from_u64(std::uint64_t v) {
  P256Scalar r;
  for (int i = 0; i < 8; ++i) r.be_[31 - i] = static_cast<std::uint8_t>(v >> (8 * i));
  return r;
}

Result<P256Scalar> P256Scalar::decode(ByteView bytes) {
  if (bytes.size() != 32) return make_error(ErrorCode::kMalformed, "P-256 scalar: need 32 bytes");
  Bn v = bn_from_be(bytes);
  if (BN_cmp(v.get(), order()) >= 0) return make_error(ErrorCode::kMalformed, "P-256 scalar: not below n");
  P256Scalar r;
  std::copy(bytes.begin(), bytes.end(), r.be_.begin());
  return r;
}

P256Scalar P256Scalar::from_uniform_bytes(ByteView bytes) {
  Bytes be(bytes.rbegin(), bytes.rend());
  Bn v = bn_from_be(be);
  secure_zero(be);
  Ctx c = ctx();
  check(BN_nnmod(v.get(), v.get(), order(), c.get()));
  P256Scalar r;
  r.be_ = bn_to_be32(v.get());
  return r;
}

P256Scalar P256Scalar::random() {
  ByteArray<48> buf;
  random_bytes(buf);
  P256Scalar r = from_uniform_bytes(buf);
  secure_zero(buf.data(), buf.size());
  return r;
}

ByteArray<32> P256Scalar::to_le_bytes() const {
  ByteArray<32> out;
  std::reverse_copy(be_.begin(), be_.end(), out.begin());
  return out;
}

namespace {
template <typename Op>
P256Scalar scalar_op(const ByteArray<32>& a, const ByteArray<32>& b, Op op) {
  Bn x = bn_from_be(a), y = bn_from_be(b), r = bn();
  Ctx c = ctx();
  check(op(r.get(), x.get(), y.get(), order(), c.get()));
  return *P256Scalar::decode(bn_to_be32(r.get()));
}
}  // namespace

P256Scalar P256Scalar::operator+(const P256Scalar& o) const { return scalar_op(be_, o.be_, BN_mod_add); }
P256Scalar P256Scalar::operator-(const P256Scalar& o) const { return scalar_op(be_, o.be_, BN_mod_sub); }
P256Scalar P256Scalar::operator*(const P256Scalar& o) const { return scalar_op(be_, o.be_, BN_mod_mul); }
P256Scalar P256Scalar::operator-() const { return P256Scalar() - *this; }
P256Scalar P256Scalar::invert() const {
  if (is_zero()) return P256Scalar();
  Bn x = bn_from_be(be_);
  Ctx c = ctx();
  BN_set_flags(x.get(), BN_FLG_CONSTTIME);
  Bn r(BN_mod_inverse(nullptr, x.get(), order(), c.get()));
  if (!r) std::abort();
  P256Scalar out;
  out.be_ = bn_to_be32(r.get());
  return out;
}
bool P256Scalar::operator==(const P256Scalar& o) const {
  return CRYPTO_memcmp(be_.data(), o.be_.data(), be_.size()) == 0;
}
bool P256Scalar::is_zero() const { return *this == P256Scalar(); }
P256Scalar P256Scalar::select(const P256Scalar& a, const P256Scalar& b, bool pick) {
  const std::uint8_t mask = static_cast<std::uint8_t>(-static_cast<int>(pick));
  P256Scalar r;
  for (std::size_t i = 0; i < 32; ++i)
    r.be_[i] = static_cast<std::uint8_t>(a.be_[i] ^ (mask & (a.be_[i] ^ b.be_[i])));
  return r;
}

// ---- points ----

void P256Point::Free::operator()(ec_point_st* p) const { EC_POINT_clear_free(p); }

P256Point::P256Point() : p_(EC_POINT_new(curve())) {
  if (!p_) std::abort();
  check(EC_POINT_set_to_infinity(curve(), p_.get()));
}
P256Point::~P256Point() = default;
P256Point::P256Point(const P256Point& other) : p_(EC_POINT_dup(other.p_.get(), curve())) {
  if (!p_) std::abort();
}
P256Point& P256Point::operator=(const P256Point& other) {
  if (this != &other) check(EC_POINT_copy(p_.get(), other.p_.get()));
  return *this;
}
P256Point::P256Point(P256Point&& other) noexcept : P256Point() { std::swap(p_, other.p_); }
P256Point& P256Point::operator=(P256Point&& other) noexcept {
  std::swap(p_, other.p_);
  return *this;
}

P256Point P256Point::generator() {
  P256Point r;
  check(EC_POINT_copy(r.p_.get(), EC_GROUP_get0_generator(curve())));
  return r;
}

Result<P256Point> P256Point::decode(ByteView bytes) {
  if (bytes.size() != 33) return make_error(ErrorCode::kMalformed, "P-256 point: need 33 bytes");
  if (std::all_of(bytes.begin(), bytes.end(), [](std::uint8_t b) { return b == 0; })) return P256Point();
  if (bytes[0] != 0x02 && bytes[0] != 0x03) {
    return make_error(ErrorCode::kMalformed, "P-256 point: only compressed encodings are accepted");
  }
  Bn x = bn_from_be(bytes.subspan(1));
  if (BN_cmp(x.get(), field().p.get()) >= 0) return make_error(ErrorCode::kMalformed, "P-256 point: x >= p");
  P256Point r;
  Ctx c = ctx();
  // Checks that x^3 + ax + b is a square (the point is on the curve); the cofactor is 1.
  if (EC_POINT_oct2point(curve(), r.p_.get(), bytes.data(), bytes.size(), c.get()) != 1 ||
      EC_POINT_is_on_curve(curve(), r.p_.get(), c.get()) != 1) {
    return make_error(ErrorCode::kMalformed, "P-256 point: not on the curve");
  }
  return r;
}

ByteArray<33> P256Point::encode() const {
  ByteArray<33> out{};
  if (is_identity()) return out;
  Ctx c = ctx();
  check(EC_POINT_point2oct(curve(), p_.get(), POINT_CONVERSION_COMPRESSED, out.data(), out.size(), c.get()) ==
                33
            ? 1
            : 0);
  return out;
}

std::pair<ByteArray<32>, ByteArray<32>> P256Point::affine() const {
  if (is_identity()) return {};
  Bn x = bn(), y = bn();
  Ctx c = ctx();
  check(EC_POINT_get_affine_coordinates(curve(), p_.get(), x.get(), y.get(), c.get()));
  return {bn_to_be32(x.get()), bn_to_be32(y.get())};
}

P256Point P256Point::operator+(const P256Point& o) const {
  P256Point r;
  Ctx c = ctx();
  check(EC_POINT_add(curve(), r.p_.get(), p_.get(), o.p_.get(), c.get()));
  return r;
}
P256Point P256Point::operator-(const P256Point& o) const { return *this + (-o); }
P256Point P256Point::operator-() const {
  P256Point r(*this);
  Ctx c = ctx();
  check(EC_POINT_invert(curve(), r.p_.get(), c.get()));
  return r;
}
P256Point P256Point::dbl() const {
  P256Point r;
  Ctx c = ctx();
  check(EC_POINT_dbl(curve(), r.p_.get(), p_.get(), c.get()));
  return r;
}
P256Point P256Point::operator*(const P256Scalar& s) const {
  P256Point r;
  Ctx c = ctx();
  ByteArray<32> be = s.encode();
  Bn k = bn_from_be(be);
  secure_zero(be.data(), be.size());
  BN_set_flags(k.get(), BN_FLG_CONSTTIME);
  check(EC_POINT_mul(curve(), r.p_.get(), nullptr, p_.get(), k.get(), c.get()));
  return r;
}
P256Point P256Point::mul_base(const P256Scalar& s) {
  P256Point r;
  Ctx c = ctx();
  ByteArray<32> be = s.encode();
  Bn k = bn_from_be(be);
  secure_zero(be.data(), be.size());
  BN_set_flags(k.get(), BN_FLG_CONSTTIME);
  check(EC_POINT_mul(curve(), r.p_.get(), k.get(), nullptr, nullptr, c.get()));
  return r;
}
bool P256Point::operator==(const P256Point& o) const {
  Ctx c = ctx();
  return EC_POINT_cmp(curve(), p_.get(), o.p_.get(), c.get()) == 0;
}
bool P256Point::is_identity() const { return EC_POINT_is_at_infinity(curve(), p_.get()) == 1; }

// ---- RFC 9380 §6.6.2 simplified SWU for P-256 (straight-line form of §F.2 not needed:
// hash-to-curve inputs here are public) ----

namespace {

// x^e mod p
Bn fexp(const BIGNUM* x, const BIGNUM* e, BN_CTX* c) {
  Bn r = bn();
  check(BN_mod_exp(r.get(), x, e, field().p.get(), c));
  return r;
}

bool is_square(const BIGNUM* x, BN_CTX* c) {
  Bn e = bn();
  check(BN_sub(e.get(), field().p.get(), BN_value_one()));
  check(BN_rshift1(e.get(), e.get()));
  Bn r = fexp(x, e.get(), c);
  return BN_is_zero(r.get()) || BN_is_one(r.get());
}

// p = 3 mod 4: sqrt(x) = x^((p+1)/4)
Bn fsqrt(const BIGNUM* x, BN_CTX* c) {
  Bn e = bn();
  check(BN_add(e.get(), field().p.get(), BN_value_one()));
  check(BN_rshift(e.get(), e.get(), 2));
  return fexp(x, e.get(), c);
}

}  // namespace

namespace {

// map_to_curve_simple_swu(u) -> affine (x, y), RFC 9380 §6.6.2.
std::pair<Bn, Bn> sswu(const BIGNUM* u, BN_CTX* c) {
  const FieldParams& f = field();
  const BIGNUM* p = f.p.get();
  Bn u2 = bn(), tv1 = bn(), t = bn(), x1 = bn(), gx1 = bn(), x2 = bn(), gx2 = bn();
  check(BN_mod_sqr(u2.get(), u, p, c));
  // tv1 = inv0(Z^2 u^4 + Z u^2)
  Bn zu2 = bn();
  check(BN_mod_mul(zu2.get(), f.z.get(), u2.get(), p, c));
  check(BN_mod_sqr(t.get(), zu2.get(), p, c));
  check(BN_mod_add(t.get(), t.get(), zu2.get(), p, c));
  if (BN_is_zero(t.get())) {
    BN_zero(tv1.get());
  } else {
    if (!BN_mod_inverse(tv1.get(), t.get(), p, c)) std::abort();
  }
  // x1 = (-B / A) (1 + tv1); if tv1 == 0, x1 = B / (Z A)
  Bn inv = bn();
  if (BN_is_zero(tv1.get())) {
    check(BN_mod_mul(t.get(), f.z.get(), f.a.get(), p, c));
    if (!BN_mod_inverse(inv.get(), t.get(), p, c)) std::abort();
    check(BN_mod_mul(x1.get(), f.b.get(), inv.get(), p, c));
  } else {
    if (!BN_mod_inverse(inv.get(), f.a.get(), p, c)) std::abort();
    check(BN_mod_mul(t.get(), f.b.get(), inv.get(), p, c));
    check(BN_mod_sub(t.get(), p, t.get(), p, c));  // -B/A  (p - t, t in [0,p))
    check(BN_mod_add(x1.get(), tv1.get(), BN_value_one(), p, c));
    check(BN_mod_mul(x1.get(), x1.get(), t.get(), p, c));
  }
  auto g = [&](BIGNUM* out, const BIGNUM* x) {  // x^3 + A x + B
    Bn s = bn();
    check(BN_mod_sqr(s.get(), x, p, c));
    check(BN_mod_mul(s.get(), s.get(), x, p, c));
    Bn ax = bn();
    check(BN_mod_mul(ax.get(), f.a.get(), x, p, c));
    check(BN_mod_add(s.get(), s.get(), ax.get(), p, c));
    check(BN_mod_add(out, s.get(), f.b.get(), p, c));
  };
  g(gx1.get(), x1.get());
  check(BN_mod_mul(x2.get(), zu2.get(), x1.get(), p, c));
  g(gx2.get(), x2.get());
  Bn x = bn(), y;
  if (is_square(gx1.get(), c)) {
    check(BN_copy(x.get(), x1.get()) ? 1 : 0);
    y = fsqrt(gx1.get(), c);
  } else {
    check(BN_copy(x.get(), x2.get()) ? 1 : 0);
    y = fsqrt(gx2.get(), c);
  }
  if (BN_is_odd(u) != BN_is_odd(y.get())) {
    if (!BN_is_zero(y.get())) check(BN_sub(y.get(), p, y.get()));
  }
  return {std::move(x), std::move(y)};
}

}  // namespace

P256Point P256Point::hash_to_group(ByteView msg, ByteView dst) { return h2c(msg, dst, 2); }
P256Point P256Point::encode_to_group(ByteView msg, ByteView dst) { return h2c(msg, dst, 1); }

P256Point P256Point::from_affine_unchecked(const void* x, const void* y) {
  P256Point r;
  Ctx c = ctx();
  check(EC_POINT_set_affine_coordinates(curve(), r.p_.get(), static_cast<const BIGNUM*>(x),
                                        static_cast<const BIGNUM*>(y), c.get()));
  return r;
}

// hash_to_field (L = 48, big-endian OS2IP) then map each u and add (cofactor 1).
P256Point P256Point::h2c(ByteView msg, ByteView dst, int count) {
  auto uniform = expand_message_xmd(XmdHash::kSha256, msg, dst, 48 * static_cast<std::size_t>(count));
  if (!uniform.ok()) return P256Point();  // only for an empty DST; callers pass constants
  Ctx c = ctx();
  P256Point acc;
  for (int i = 0; i < count; ++i) {
    Bn u = bn_from_be(ByteView(*uniform).subspan(48 * static_cast<std::size_t>(i), 48));
    check(BN_nnmod(u.get(), u.get(), field().p.get(), c.get()));
    auto [x, y] = sswu(u.get(), c.get());
    acc = acc + from_affine_unchecked(x.get(), y.get());
  }
  return acc;
}

}  // namespace formica::zk
