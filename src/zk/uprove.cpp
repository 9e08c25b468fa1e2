// U-Prove V1.1 Rev. 5 issuance and presentation, generic over the group (see uprove.h).
#include "formica/zk/uprove.h"

#include <openssl/evp.h>

#include <algorithm>
#include <cstdlib>
#include <string>

#include "formica/zk/msm.h"

namespace formica::zk::uprove {

// ---------------------------------------------------------------- hashing (§2.2)

struct Hasher::Impl {
  EVP_MD_CTX* ctx = nullptr;
};

Hasher::Hasher(HashId id) : impl_(new Impl) {
  impl_->ctx = EVP_MD_CTX_new();
  if (!impl_->ctx) std::abort();
  const EVP_MD* md = id == HashId::kSha512 ? EVP_sha512() : EVP_sha256();
  if (EVP_DigestInit_ex(impl_->ctx, md, nullptr) != 1) std::abort();
}
Hasher::~Hasher() {
  if (impl_) {
    EVP_MD_CTX_free(impl_->ctx);
    delete impl_;
  }
}
Hasher::Hasher(Hasher&& o) noexcept : impl_(o.impl_) { o.impl_ = nullptr; }
Hasher& Hasher::operator=(Hasher&& o) noexcept {
  std::swap(impl_, o.impl_);
  return *this;
}
Hasher& Hasher::raw(ByteView b) {
  if (!b.empty() && EVP_DigestUpdate(impl_->ctx, b.data(), b.size()) != 1) std::abort();
  return *this;
}
Hasher& Hasher::byte(std::uint8_t b) { return raw(ByteView(&b, 1)); }
Hasher& Hasher::u32(std::uint32_t v) {
  const std::uint8_t be[4] = {static_cast<std::uint8_t>(v >> 24), static_cast<std::uint8_t>(v >> 16),
                              static_cast<std::uint8_t>(v >> 8), static_cast<std::uint8_t>(v)};
  return raw(ByteView(be, 4));
}
Hasher& Hasher::octets(ByteView b) {
  u32(static_cast<std::uint32_t>(b.size()));
  return raw(b);
}
Hasher& Hasher::null() { return u32(0); }
Hasher& Hasher::integer(ByteView be) {
  std::size_t i = 0;
  while (i + 1 < be.size() && be[i] == 0) ++i;
  if (be.empty()) {
    const std::uint8_t z = 0;
    return octets(ByteView(&z, 1));
  }
  return octets(be.subspan(i));
}
Bytes Hasher::digest() {
  Bytes out(EVP_MAX_MD_SIZE);
  unsigned int len = 0;
  if (EVP_DigestFinal_ex(impl_->ctx, out.data(), &len) != 1) std::abort();
  out.resize(len);
  return out;
}

Bytes GroupProfile<P256>::point_bytes(const P256Point& p) {
  if (p.is_identity()) return Bytes{0};
  auto [x, y] = p.affine();
  Bytes out{4};
  base::append(out, x);
  base::append(out, y);
  return out;
}

void GroupProfile<P256>::hash_desc(Hasher& h) {
  static const char* kHex[] = {
      "ffffffff00000001000000000000000000000000ffffffffffffffffffffffff",
      "ffffffff00000001000000000000000000000000fffffffffffffffffffffffc",
      "5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b",
      "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551",
  };
  auto unhex = [](const char* s) {
    Bytes out;
    for (std::size_t i = 0; s[i] && s[i + 1]; i += 2) {
      auto nib = [](char c) { return c <= '9' ? c - '0' : c - 'a' + 10; };
      out.push_back(static_cast<std::uint8_t>(nib(s[i]) * 16 + nib(s[i + 1])));
    }
    return out;
  };
  h.integer(unhex(kHex[0])).integer(unhex(kHex[1])).integer(unhex(kHex[2]));
  h.octets(point_bytes(P256Point::generator()));
  h.integer(unhex(kHex[3]));
  const std::uint8_t one = 1;
  h.integer(ByteView(&one, 1));
}

template <PrimeOrderGroup G>
typename G::Scalar Profile<G>::to_scalar(ByteView digest) {
  Bytes le(digest.rbegin(), digest.rend());
  return G::Scalar::from_uniform_bytes(le);
}

namespace {

template <PrimeOrderGroup G>
typename G::Scalar draw(const RandomScalar<G>& rnd) {
  return rnd ? rnd() : G::Scalar::random();
}

template <PrimeOrderGroup G>
typename G::Scalar draw_nonzero(const RandomScalar<G>& rnd) {
  for (;;) {
    auto s = draw<G>(rnd);
    if (!s.is_zero()) return s;
  }
}

template <PrimeOrderGroup G>
Bytes hash_point(const typename G::Point& p) {
  auto h = Profile<G>::hasher();
  Profile<G>::point(h, p);
  return h.digest();
}

Error fail(std::string why) { return make_error(ErrorCode::kVerificationFailed, std::move(why)); }

// gamma = g0 * prod g_i^x_i * gt^xt, constant-time in the x_i.
template <PrimeOrderGroup G>
Result<typename G::Point> compute_gamma(const IssuerParams<G>& ip,
                                        const std::vector<std::optional<Bytes>>& attrs, ByteView ti) {
  using S = typename G::Scalar;
  if (attrs.size() != ip.n())
    return make_error(ErrorCode::kInvalidArgument, "attribute count does not match the issuer parameters");
  std::vector<S> xs;
  std::vector<typename G::Point> ps;
  xs.push_back(S::from_u64(1));
  ps.push_back(ip.g[0]);
  for (std::size_t i = 1; i <= ip.n(); ++i) {
    FORMICA_ASSIGN_OR_RETURN(S x, compute_xi(ip, i, attrs[i - 1]));
    xs.push_back(x);
    ps.push_back(ip.g[i]);
  }
  xs.push_back(compute_xt(ip, ti));
  ps.push_back(ip.gt);
  return msm_straus_ct<G>(xs, ps);
}

}  // namespace

// ---------------------------------------------------------------- parameters

template <PrimeOrderGroup G>
Status IssuerParams<G>::validate() const {
  if (g.size() != e.size() + 1)
    return make_error(ErrorCode::kMalformed, "issuer parameters: generator count is not n + 1");
  if (g.size() > 256) return make_error(ErrorCode::kTooLarge, "issuer parameters: too many attributes");
  for (const auto& gi : g) {
    if (gi.is_identity())
      return make_error(ErrorCode::kMalformed, "issuer parameters: a generator is the identity");
  }
  if (gt.is_identity()) return make_error(ErrorCode::kMalformed, "issuer parameters: gt is the identity");
  for (auto ei : e) {
    if (ei > 1) return make_error(ErrorCode::kMalformed, "issuer parameters: e_i is neither 0 nor 1");
  }
  return ok_status();
}

template <PrimeOrderGroup G>
Bytes IssuerParams<G>::digest() const {
  auto h = Profile<G>::hasher();
  h.octets(uid_p);
  GroupProfile<G>::hash_desc(h);
  h.u32(static_cast<std::uint32_t>(g.size() + 1));
  for (const auto& gi : g) Profile<G>::point(h, gi);
  Profile<G>::point(h, gt);
  h.u32(static_cast<std::uint32_t>(e.size()));
  for (auto ei : e) h.byte(ei);
  h.octets(spec);
  return h.digest();
}

template <PrimeOrderGroup G>
typename G::Scalar compute_xt(const IssuerParams<G>& ip, ByteView ti) {
  auto h = Profile<G>::hasher();
  h.byte(0x01).octets(ip.digest()).octets(ti);
  return Profile<G>::to_scalar(h.digest());
}

template <PrimeOrderGroup G>
Result<typename G::Scalar> compute_xi(const IssuerParams<G>& ip, std::size_t i,
                                      const std::optional<Bytes>& attr) {
  using S = typename G::Scalar;
  if (i == 0 || i > ip.n()) return make_error(ErrorCode::kInvalidArgument, "attribute index out of range");
  if (ip.e[i - 1] == 1) {
    if (!attr) return S();
    auto h = Profile<G>::hasher();
    h.octets(*attr);
    return Profile<G>::to_scalar(h.digest());
  }
  if (!attr) return make_error(ErrorCode::kInvalidArgument, "an integer attribute cannot be null");
  // An integer below q: strip leading zeros, at most kScalarBytes, then decode canonically.
  std::size_t k = 0;
  while (k < attr->size() && (*attr)[k] == 0) ++k;
  if (attr->size() - k > G::kScalarBytes)
    return make_error(ErrorCode::kInvalidArgument, "integer attribute is not below q");
  Bytes be(G::kScalarBytes, 0);
  std::copy(attr->begin() + static_cast<std::ptrdiff_t>(k), attr->end(),
            be.end() - static_cast<std::ptrdiff_t>(attr->size() - k));
  Bytes enc = be;
  if constexpr (std::is_same_v<G, Ristretto255>) std::reverse(enc.begin(), enc.end());
  auto s = S::decode(enc);
  secure_zero(be);
  secure_zero(enc);
  if (!s.ok()) return make_error(ErrorCode::kInvalidArgument, "integer attribute is not below q");
  return std::move(s).value();
}

// ---------------------------------------------------------------- token

template <PrimeOrderGroup G>
Status verify_token_signature(const IssuerParams<G>& ip, const Token<G>& t) {
  using P = typename G::Point;
  using S = typename G::Scalar;
  if (t.h.is_identity()) return fail("token public key is the identity");
  const S neg_c = -t.sigma_c;
  std::vector<S> s1 = {t.sigma_r, neg_c};
  std::vector<P> p1 = {P::generator(), ip.g[0]};
  std::vector<P> p2 = {t.h, t.sigma_z};
  const P a = msm_vartime<G>(s1, p1);
  const P b = msm_vartime<G>(s1, p2);
  auto h = Profile<G>::hasher();
  Profile<G>::point(h, t.h);
  h.octets(t.pi);
  Profile<G>::point(h, t.sigma_z);
  Profile<G>::point(h, a);
  Profile<G>::point(h, b);
  if (!(Profile<G>::to_scalar(h.digest()) == t.sigma_c))
    return fail("issuer signature on the token does not verify");
  return ok_status();
}

template <PrimeOrderGroup G>
Bytes token_id(const Token<G>& t) {
  auto h = Profile<G>::hasher();
  Profile<G>::point(h, t.h);
  Profile<G>::point(h, t.sigma_z);
  Profile<G>::scalar(h, t.sigma_c);
  Profile<G>::scalar(h, t.sigma_r);
  return h.digest();
}

// ---------------------------------------------------------------- issuance

template <PrimeOrderGroup G>
Result<IssuerSession<G>> IssuerSession<G>::start(const IssuerKey<G>& key,
                                                 const std::vector<std::optional<Bytes>>& attrs, ByteView ti,
                                                 std::size_t count, RandomScalar<G> rnd) {
  using P = typename G::Point;
  FORMICA_TRY(key.params.validate());
  if (count == 0 || count > 1024)
    return make_error(ErrorCode::kInvalidArgument, "token count must be 1..1024");
  FORMICA_ASSIGN_OR_RETURN(P gamma, compute_gamma(key.params, attrs, ti));
  IssuerSession s;
  s.y0_ = key.y0;
  s.first_.sigma_z = gamma * key.y0;
  for (std::size_t i = 0; i < count; ++i) {
    s.w_.push_back(draw<G>(rnd));
    s.first_.sigma_a.push_back(P::mul_base(s.w_.back()));
    s.first_.sigma_b.push_back(gamma * s.w_.back());
  }
  return s;
}

template <PrimeOrderGroup G>
Result<ThirdMessage<G>> IssuerSession<G>::respond(const SecondMessage<G>& m2) {
  if (done_) return make_error(ErrorCode::kFailedPrecondition, "issuance session already answered");
  if (m2.sigma_c.size() != w_.size())
    return make_error(ErrorCode::kMalformed, "second message has the wrong token count");
  done_ = true;
  ThirdMessage<G> m3;
  for (std::size_t i = 0; i < w_.size(); ++i) m3.sigma_r.push_back(m2.sigma_c[i] * y0_ + w_[i]);
  w_.clear();  // Scalars wipe themselves
  y0_ = Scalar();
  return m3;
}

template <PrimeOrderGroup G>
Result<ProverSession<G>> ProverSession<G>::start(const IssuerParams<G>& ip,
                                                 const std::vector<std::optional<Bytes>>& attrs, ByteView ti,
                                                 ByteView pi, RandomScalar<G> rnd) {
  FORMICA_TRY(ip.validate());
  ProverSession s;
  FORMICA_ASSIGN_OR_RETURN(s.gamma_, compute_gamma(ip, attrs, ti));
  s.ip_ = ip;
  s.ti_ = to_bytes(ti);
  s.pi_ = to_bytes(pi);
  s.rnd_ = std::move(rnd);
  return s;
}

template <PrimeOrderGroup G>
Result<SecondMessage<G>> ProverSession<G>::second(const FirstMessage<G>& m1) {
  using P = typename G::Point;
  if (seconded_) return make_error(ErrorCode::kFailedPrecondition, "second message already produced");
  const std::size_t k = m1.sigma_a.size();
  if (k == 0 || k > 1024 || m1.sigma_b.size() != k)
    return make_error(ErrorCode::kMalformed, "first message has a bad token count");
  if (m1.sigma_z.is_identity())
    return make_error(ErrorCode::kMalformed, "first message: sigma_z is the identity");
  seconded_ = true;
  SecondMessage<G> m2;
  for (std::size_t i = 0; i < k; ++i) {
    Scalar alpha = draw_nonzero<G>(rnd_);
    Scalar beta1 = draw<G>(rnd_);
    Scalar beta2 = draw<G>(rnd_);
    Token<G> t;
    t.h = gamma_ * alpha;
    t.ti = ti_;
    t.pi = pi_;
    t.sigma_z = m1.sigma_z * alpha;
    const P t1 = ip_.g[0] * beta1 + P::mul_base(beta2);
    const P t2 = t.h * beta2;
    const P sa = t1 + m1.sigma_a[i];
    const P sb = t.sigma_z * beta1 + t2 + m1.sigma_b[i] * alpha;
    auto h = Profile<G>::hasher();
    Profile<G>::point(h, t.h);
    h.octets(pi_);
    Profile<G>::point(h, t.sigma_z);
    Profile<G>::point(h, sa);
    Profile<G>::point(h, sb);
    t.sigma_c = Profile<G>::to_scalar(h.digest());
    m2.sigma_c.push_back(t.sigma_c + beta1);
    tokens_.push_back(std::move(t));
    alpha_.push_back(alpha);
    beta1_.push_back(beta1);
    beta2_.push_back(beta2);
  }
  return m2;
}

template <PrimeOrderGroup G>
Result<std::vector<IssuedToken<G>>> ProverSession<G>::finish(const ThirdMessage<G>& m3) {
  if (!seconded_ || done_)
    return make_error(ErrorCode::kFailedPrecondition, "issuance is not waiting for the third message");
  if (m3.sigma_r.size() != tokens_.size())
    return make_error(ErrorCode::kMalformed, "third message has the wrong token count");
  done_ = true;
  std::vector<IssuedToken<G>> out;
  for (std::size_t i = 0; i < tokens_.size(); ++i) {
    tokens_[i].sigma_r = m3.sigma_r[i] + beta2_[i];
    FORMICA_TRY(verify_token_signature(ip_, tokens_[i]));
    out.push_back(IssuedToken<G>{tokens_[i], alpha_[i].invert()});
  }
  alpha_.clear();
  beta1_.clear();
  beta2_.clear();
  tokens_.clear();
  return out;
}

// ---------------------------------------------------------------- presentation

namespace {

template <PrimeOrderGroup G>
Status check_request(const IssuerParams<G>& ip, const ProofRequest<G>& req,
                     std::vector<std::size_t>& undisclosed) {
  const std::size_t n = ip.n();
  std::vector<bool> in_d(n + 1, false);
  std::size_t prev = 0;
  for (auto i : req.disclosed) {
    if (i == 0 || i > n || i <= prev)
      return make_error(ErrorCode::kInvalidArgument, "disclosed indices must be ascending in 1..n");
    in_d[i] = true;
    prev = i;
  }
  undisclosed.clear();
  for (std::size_t i = 1; i <= n; ++i)
    if (!in_d[i]) undisclosed.push_back(i);
  prev = 0;
  for (auto i : req.committed) {
    if (i == 0 || i > n || i <= prev || in_d[i])
      return make_error(ErrorCode::kInvalidArgument, "committed indices must be ascending and undisclosed");
    prev = i;
  }
  if (req.pseudonym && (req.pseudonym->index == 0 || req.pseudonym->index > n || in_d[req.pseudonym->index]))
    return make_error(ErrorCode::kInvalidArgument, "pseudonym index must be undisclosed");
  if (req.commit_base.is_identity())
    return make_error(ErrorCode::kInvalidArgument, "commitment base is the identity");
  return ok_status();
}

template <PrimeOrderGroup G>
typename G::Scalar challenge(const IssuerParams<G>& ip, const Token<G>& t, const ProofRequest<G>& req,
                             const Proof<G>& pf, const std::vector<typename G::Scalar>& xd) {
  auto h = Profile<G>::hasher();
  h.octets(token_id(t));
  h.octets(pf.a);
  h.u32(static_cast<std::uint32_t>(req.disclosed.size()));
  for (auto i : req.disclosed) h.u32(static_cast<std::uint32_t>(i));
  h.u32(static_cast<std::uint32_t>(xd.size()));
  for (const auto& x : xd) Profile<G>::scalar(h, x);
  h.u32(static_cast<std::uint32_t>(req.committed.size()));
  for (auto i : req.committed) h.u32(static_cast<std::uint32_t>(i));
  h.u32(static_cast<std::uint32_t>(pf.tilde_c.size()));
  for (const auto& c : pf.tilde_c) Profile<G>::point(h, c);
  h.u32(static_cast<std::uint32_t>(pf.tilde_a.size()));
  for (const auto& a : pf.tilde_a) h.octets(a);
  if (req.pseudonym) {
    h.u32(static_cast<std::uint32_t>(req.pseudonym->index));
    h.octets(pf.ap);
    Profile<G>::point(h, *pf.ps);
  } else {
    h.null().null().null();
  }
  h.octets(req.m);
  const Bytes cp = h.digest();
  auto h2 = Profile<G>::hasher();
  h2.u32(2).octets(cp).octets(req.md);
  (void)ip;
  return Profile<G>::to_scalar(h2.digest());
}

}  // namespace

template <PrimeOrderGroup G>
Result<ProofWithOpenings<G>> prove(const IssuerParams<G>& ip, const IssuedToken<G>& tok,
                                   const std::vector<std::optional<Bytes>>& attrs, const ProofRequest<G>& req,
                                   RandomScalar<G> rnd) {
  using S = typename G::Scalar;
  using P = typename G::Point;
  FORMICA_TRY(ip.validate());
  std::vector<std::size_t> u;
  FORMICA_TRY(check_request(ip, req, u));
  if (attrs.size() != ip.n())
    return make_error(ErrorCode::kInvalidArgument, "attribute count does not match the issuer parameters");
  std::vector<S> x(ip.n() + 1);
  for (std::size_t i = 1; i <= ip.n(); ++i) {
    FORMICA_ASSIGN_OR_RETURN(x[i], compute_xi(ip, i, attrs[i - 1]));
  }
  ProofWithOpenings<G> out;
  Proof<G>& pf = out.proof;
  const S w0 = draw<G>(rnd);
  std::vector<S> w(ip.n() + 1);
  std::vector<S> ks = {w0};
  std::vector<P> ps = {tok.token.h};
  for (auto i : u) {
    w[i] = draw<G>(rnd);
    ks.push_back(w[i]);
    ps.push_back(ip.g[i]);
  }
  pf.a = hash_point<G>(msm_straus_ct<G>(ks, ps));
  if (req.pseudonym) {
    const auto& ps_req = *req.pseudonym;
    pf.ap = hash_point<G>(ps_req.gs * w[ps_req.index]);
    pf.ps = ps_req.gs * x[ps_req.index];
  }
  std::vector<S> tilde_w;
  for (auto i : req.committed) {
    S o = draw<G>(rnd);
    S tw = draw<G>(rnd);
    pf.tilde_c.push_back(P::mul_base(x[i]) + req.commit_base * o);
    pf.tilde_a.push_back(hash_point<G>(P::mul_base(w[i]) + req.commit_base * tw));
    out.tilde_o.push_back(o);
    tilde_w.push_back(tw);
  }
  std::vector<S> xd;
  for (auto i : req.disclosed) {
    pf.disclosed.push_back(attrs[i - 1]);
    xd.push_back(x[i]);
  }
  const S c = challenge(ip, tok.token, req, pf, xd);
  pf.r0 = c * tok.alpha_inv + w0;
  for (auto i : u) pf.r.push_back(w[i] - c * x[i]);
  for (std::size_t j = 0; j < req.committed.size(); ++j)
    pf.tilde_r.push_back(tilde_w[j] - c * out.tilde_o[j]);
  return out;
}

template <PrimeOrderGroup G>
Status verify(const IssuerParams<G>& ip, const Token<G>& t, const ProofRequest<G>& req, const Proof<G>& pf) {
  using S = typename G::Scalar;
  using P = typename G::Point;
  FORMICA_TRY(ip.validate());
  std::vector<std::size_t> u;
  FORMICA_TRY(check_request(ip, req, u));
  if (pf.disclosed.size() != req.disclosed.size() || pf.r.size() != u.size() ||
      pf.tilde_c.size() != req.committed.size() || pf.tilde_a.size() != req.committed.size() ||
      pf.tilde_r.size() != req.committed.size() || pf.ps.has_value() != req.pseudonym.has_value())
    return make_error(ErrorCode::kMalformed, "presentation proof does not match the request's shape");
  FORMICA_TRY(verify_token_signature(ip, t));
  std::vector<S> xd;
  for (std::size_t j = 0; j < req.disclosed.size(); ++j) {
    auto x = compute_xi(ip, req.disclosed[j], pf.disclosed[j]);
    if (!x.ok())
      return make_error(ErrorCode::kMalformed, "disclosed attribute does not encode: " + x.error().message);
    xd.push_back(std::move(x).value());
  }
  const S c = challenge(ip, t, req, pf, xd);
  const S neg_c = -c;
  std::vector<S> ks = {neg_c, neg_c * compute_xt(ip, t.ti), pf.r0};
  std::vector<P> ps = {ip.g[0], ip.gt, t.h};
  for (std::size_t j = 0; j < req.disclosed.size(); ++j) {
    ks.push_back(neg_c * xd[j]);
    ps.push_back(ip.g[req.disclosed[j]]);
  }
  for (std::size_t j = 0; j < u.size(); ++j) {
    ks.push_back(pf.r[j]);
    ps.push_back(ip.g[u[j]]);
  }
  if (hash_point<G>(msm_vartime<G>(ks, ps)) != pf.a) return fail("presentation proof does not verify");
  if (req.pseudonym) {
    std::size_t k = std::find(u.begin(), u.end(), req.pseudonym->index) - u.begin();
    std::vector<S> s2 = {c, pf.r[k]};
    std::vector<P> p2 = {*pf.ps, req.pseudonym->gs};
    if (hash_point<G>(msm_vartime<G>(s2, p2)) != pf.ap) return fail("pseudonym proof does not verify");
  }
  for (std::size_t j = 0; j < req.committed.size(); ++j) {
    std::size_t k = std::find(u.begin(), u.end(), req.committed[j]) - u.begin();
    std::vector<S> s3 = {c, pf.r[k], pf.tilde_r[j]};
    std::vector<P> p3 = {pf.tilde_c[j], P::generator(), req.commit_base};
    if (hash_point<G>(msm_vartime<G>(s3, p3)) != pf.tilde_a[j])
      return fail("attribute commitment proof does not verify");
  }
  return ok_status();
}

// ---------------------------------------------------------------- instantiations

#define FORMICA_UPROVE_INSTANTIATE(G)                                                           \
  template struct Profile<G>;                                                                   \
  template struct IssuerParams<G>;                                                              \
  template G::Scalar compute_xt<G>(const IssuerParams<G>&, ByteView);                           \
  template Result<G::Scalar> compute_xi<G>(const IssuerParams<G>&, std::size_t,                 \
                                           const std::optional<Bytes>&);                        \
  template Status verify_token_signature<G>(const IssuerParams<G>&, const Token<G>&);           \
  template Bytes token_id<G>(const Token<G>&);                                                  \
  template class IssuerSession<G>;                                                              \
  template class ProverSession<G>;                                                              \
  template Result<ProofWithOpenings<G>> prove<G>(const IssuerParams<G>&, const IssuedToken<G>&, \
                                                 const std::vector<std::optional<Bytes>>&,      \
                                                 const ProofRequest<G>&, RandomScalar<G>);      \
  template Status verify<G>(const IssuerParams<G>&, const Token<G>&, const ProofRequest<G>&, const Proof<G>&);

FORMICA_UPROVE_INSTANTIATE(P256)
FORMICA_UPROVE_INSTANTIATE(Ristretto255)

}  // namespace formica::zk::uprove
