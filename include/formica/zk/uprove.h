#pragma once
// U-Prove (Microsoft U-Prove Cryptographic Specification V1.1 Revision 5): blind-signed
// attribute tokens with selective disclosure and committed attributes, generic over a
// prime-order group. Pairing-free, publicly verifiable (the verifier needs the issuer
// parameters only), and each token is shown once: two presentations of two tokens of one
// batch share nothing but the issuer parameters and the token information field TI.
//
// Faithful to the specification's hash formatting (§2.2) so the P-256 test vectors of the
// specification reproduce byte for byte (src/zk/uprove_test.cpp). Two group profiles:
//
//   P256          UIDh = SHA-256, points hashed as SEC1 uncompressed, desc(Gq) = (p,a,b,g,q,1)
//                 (the specification's recommended-parameters group 1.3.6.1.4.1.311.75.1.2.1)
//   Ristretto255  UIDh = SHA-512, points hashed as their 32-byte RFC 9496 encoding,
//                 desc(Gq) = the octet string "ristretto255"; hash -> Zq is the big-endian
//                 digest reduced mod q as the specification says (512 bits: no bias)
//
// Not implemented: Device-protected tokens and the Device pseudonym (the token private key
// already binds a token to the phone that ran issuance), the deprecated subgroup
// construction. Scope pseudonyms are supported only with a caller-supplied scope element
// (to reproduce the vectors); Formica's credentials never use them (they would link).
//
// Secrets (alpha^-1, attribute values x_i, the w/beta/tilde values) only meet constant-time
// code: scalar arithmetic, Point * Scalar, Point::mul_base and msm_straus_ct. Verifiers use
// the variable-time MSM on public values.

#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>
#include <vector>

#include "formica/base/bytes.h"
#include "formica/base/status.h"
#include "formica/zk/group.h"
#include "formica/zk/p256.h"
#include "formica/zk/ristretto255.h"

namespace formica::zk::uprove {

enum class HashId : std::uint8_t { kSha256 = 1, kSha512 = 2 };

// The specification's hash-input formatting (§2.2) over an incremental SHA-2.
class Hasher {
 public:
  explicit Hasher(HashId id);
  ~Hasher();
  Hasher(Hasher&&) noexcept;
  Hasher& operator=(Hasher&&) noexcept;
  Hasher(const Hasher&) = delete;
  Hasher& operator=(const Hasher&) = delete;

  Hasher& byte(std::uint8_t b);  // a byte, as is
  Hasher& u32(std::uint32_t v);  // a length, list length or attribute index: 4 bytes BE
  Hasher& octets(ByteView b);    // u32(len) || b
  Hasher& null();                // the null value: 0x00000000
  Hasher& integer(ByteView be);  // an integer (big-endian bytes) as its minimal octet string
  Hasher& raw(ByteView b);       // unformatted bytes (H_raw)
  Bytes digest();                // the hasher is spent afterwards

 private:
  struct Impl;
  Impl* impl_;
};

// Per-group formatting and hash choice.
template <PrimeOrderGroup G>
struct GroupProfile;

template <>
struct GroupProfile<P256> {
  static constexpr HashId kHash = HashId::kSha256;
  static constexpr std::string_view kUidH = "SHA-256";
  static Bytes point_bytes(const P256Point& p);  // SEC1 uncompressed 04||x||y (identity: 00)
  static void hash_desc(Hasher& h);              // (p, a, b, g, q, 1)
  static Bytes scalar_be(const P256Scalar& s) {
    auto e = s.encode();
    return Bytes(e.begin(), e.end());
  }
};

template <>
struct GroupProfile<Ristretto255> {
  static constexpr HashId kHash = HashId::kSha512;
  static constexpr std::string_view kUidH = "SHA-512";
  static Bytes point_bytes(const RistrettoPoint& p) {
    auto e = p.encode();
    return Bytes(e.begin(), e.end());
  }
  static void hash_desc(Hasher& h) { h.octets(as_bytes("ristretto255")); }
  static Bytes scalar_be(const RistrettoScalar& s) {
    auto e = s.encode();
    return Bytes(e.rbegin(), e.rend());
  }
};

template <PrimeOrderGroup G>
struct Profile {
  using Scalar = typename G::Scalar;
  using Point = typename G::Point;
  static Hasher hasher() { return Hasher(GroupProfile<G>::kHash); }
  static void point(Hasher& h, const Point& p) { h.octets(GroupProfile<G>::point_bytes(p)); }
  static void scalar(Hasher& h, const Scalar& s) {
    Bytes be = GroupProfile<G>::scalar_be(s);
    h.integer(be);
    secure_zero(be);
  }
  // H(...) -> Zq: the digest as a big-endian integer mod q.
  static Scalar to_scalar(ByteView digest);
};

// Source of protocol randomness; the default draws from the OS CSPRNG. Tests inject the
// specification's vector values through it.
template <PrimeOrderGroup G>
using RandomScalar = std::function<typename G::Scalar()>;

template <PrimeOrderGroup G>
struct IssuerParams {
  using Point = typename G::Point;
  Bytes uid_p;                  // UIDp
  std::vector<Point> g;         // g0 (= g^y0, the issuer key), g1 … gn
  Point gt;                     // gt
  std::vector<std::uint8_t> e;  // e1 … en: 1 = hashed attribute, 0 = integer attribute
  Bytes spec;                   // S

  std::size_t n() const { return e.size(); }
  // Figure 1: every generator a non-identity group element; n matches; e_i in {0, 1}.
  Status validate() const;
  // P = H(UIDp, desc(Gq), <g0 … gn, gt>, <e1 … en>, S)
  Bytes digest() const;
};

// Issuer key generation: y0 random, g0 = g^y0; g1 … gn, gt supplied (hashed to the group
// or the recommended ones).
template <PrimeOrderGroup G>
struct IssuerKey {
  IssuerParams<G> params;
  typename G::Scalar y0;
};

template <PrimeOrderGroup G>
typename G::Scalar compute_xt(const IssuerParams<G>& ip, ByteView ti);
// Figure 3. `attr` absent = the null value. i is 1-based.
template <PrimeOrderGroup G>
Result<typename G::Scalar> compute_xi(const IssuerParams<G>& ip, std::size_t i,
                                      const std::optional<Bytes>& attr);

template <PrimeOrderGroup G>
struct Token {
  using Scalar = typename G::Scalar;
  using Point = typename G::Point;
  Point h;
  Bytes ti, pi;
  Point sigma_z;            // sigma_z'
  Scalar sigma_c, sigma_r;  // sigma_c', sigma_r'
};

template <PrimeOrderGroup G>
Status verify_token_signature(const IssuerParams<G>& ip, const Token<G>& t);
template <PrimeOrderGroup G>
Bytes token_id(const Token<G>& t);  // UID_T

// ---- Issuance (Figure 7), k tokens in parallel with shared gamma and sigma_z ----

template <PrimeOrderGroup G>
struct FirstMessage {  // issuer -> prover
  typename G::Point sigma_z;
  std::vector<typename G::Point> sigma_a, sigma_b;
};
template <PrimeOrderGroup G>
struct SecondMessage {  // prover -> issuer
  std::vector<typename G::Scalar> sigma_c;
};
template <PrimeOrderGroup G>
struct ThirdMessage {  // issuer -> prover
  std::vector<typename G::Scalar> sigma_r;
};

template <PrimeOrderGroup G>
struct IssuedToken {
  Token<G> token;
  typename G::Scalar alpha_inv;  // the token private key
};

template <PrimeOrderGroup G>
class IssuerSession {
 public:
  using Scalar = typename G::Scalar;
  // Refuses attributes that do not encode (Figure 3) or a zero count.
  static Result<IssuerSession> start(const IssuerKey<G>& key, const std::vector<std::optional<Bytes>>& attrs,
                                     ByteView ti, std::size_t count, RandomScalar<G> rnd = {});
  const FirstMessage<G>& first() const { return first_; }
  // sigma_r = sigma_c * y0 + w; the w values are wiped and the session cannot answer again.
  Result<ThirdMessage<G>> respond(const SecondMessage<G>& m2);

 private:
  Scalar y0_;
  std::vector<Scalar> w_;
  FirstMessage<G> first_;
  bool done_ = false;
};

template <PrimeOrderGroup G>
class ProverSession {
 public:
  using Scalar = typename G::Scalar;
  static Result<ProverSession> start(const IssuerParams<G>& ip,
                                     const std::vector<std::optional<Bytes>>& attrs, ByteView ti, ByteView pi,
                                     RandomScalar<G> rnd = {});
  // Checks the first message's elements, then blinds: one sigma_c per token.
  Result<SecondMessage<G>> second(const FirstMessage<G>& m1);
  // Unblinds and verifies every token signature (batch identity of §2.5, then per token).
  Result<std::vector<IssuedToken<G>>> finish(const ThirdMessage<G>& m3);

  // Intermediate values, exposed for the specification vectors.
  const typename G::Point& gamma() const { return gamma_; }
  const std::vector<Token<G>>& pending() const { return tokens_; }

 private:
  IssuerParams<G> ip_;
  typename G::Point gamma_;
  Bytes ti_, pi_;
  RandomScalar<G> rnd_;
  std::vector<Scalar> alpha_, beta1_, beta2_;
  std::vector<Token<G>> tokens_;
  bool seconded_ = false, done_ = false;
};

// ---- Presentation (Figures 8 and 9) ----

template <PrimeOrderGroup G>
struct Pseudonym {        // scope-exclusive pseudonym with a caller-computed scope element gs
  std::size_t index = 0;  // p, in U
  typename G::Point gs;
};

template <PrimeOrderGroup G>
struct Proof {
  using Scalar = typename G::Scalar;
  using Point = typename G::Point;
  std::vector<std::optional<Bytes>> disclosed;  // A_i for i in D, in D's order
  Bytes a;
  Bytes ap;  // empty when no pseudonym
  std::optional<Point> ps;
  Scalar r0;
  std::vector<Scalar> r;  // for i in U, ascending
  std::vector<Point> tilde_c;
  std::vector<Bytes> tilde_a;
  std::vector<Scalar> tilde_r;  // for i in C, ascending
};

template <PrimeOrderGroup G>
struct ProofRequest {
  std::vector<std::size_t> disclosed;  // D, ascending, 1-based
  std::vector<std::size_t> committed;  // C ⊂ U, ascending
  Bytes m, md;
  // The commitments' blinding base: g1 in the specification; any generator with unknown
  // discrete log to g (Formica uses the Pedersen blinding generator, for Bulletproofs).
  typename G::Point commit_base;
  std::optional<Pseudonym<G>> pseudonym;
};

template <PrimeOrderGroup G>
struct ProofWithOpenings {
  Proof<G> proof;
  std::vector<typename G::Scalar> tilde_o;  // commitment openings, for i in C (secret)
};

template <PrimeOrderGroup G>
Result<ProofWithOpenings<G>> prove(const IssuerParams<G>& ip, const IssuedToken<G>& tok,
                                   const std::vector<std::optional<Bytes>>& attrs, const ProofRequest<G>& req,
                                   RandomScalar<G> rnd = {});

// Ok iff the token signature and the proof verify; the reasons are distinct messages.
template <PrimeOrderGroup G>
Status verify(const IssuerParams<G>& ip, const Token<G>& t, const ProofRequest<G>& req,
              const Proof<G>& proof);

}  // namespace formica::zk::uprove
