#include "inner_product.h"

#include "formica/zk/msm.h"
#include "formica/zk/p256.h"
#include "formica/zk/ristretto255.h"

namespace formica::zk::detail {

template <PrimeOrderGroup G>
IpaProof<G> ipa_prove(Transcript& t, const typename G::Point& q, std::vector<typename G::Scalar> g_factors,
                      std::vector<typename G::Scalar> h_factors, std::vector<typename G::Point> g_vec,
                      std::vector<typename G::Point> h_vec, std::vector<typename G::Scalar> a,
                      std::vector<typename G::Scalar> b) {
  using S = typename G::Scalar;
  using P = typename G::Point;
  IpaProof<G> proof;
  std::size_t n = a.size();
  bool first = true;
  while (n > 1) {
    n /= 2;
    S c_l, c_r;
    for (std::size_t i = 0; i < n; ++i) {
      c_l += a[i] * b[n + i];
      c_r += a[n + i] * b[i];
    }
    // L = <a_lo, G_hi> + <b_hi, H_lo> + c_l Q;  R = <a_hi, G_lo> + <b_lo, H_hi> + c_r Q.
    std::vector<S> ls, rs;
    std::vector<P> lp, rp;
    ls.reserve(2 * n + 1);
    rs.reserve(2 * n + 1);
    for (std::size_t i = 0; i < n; ++i) {
      ls.push_back(first ? a[i] * g_factors[n + i] : a[i]);
      lp.push_back(g_vec[n + i]);
      rs.push_back(first ? a[n + i] * g_factors[i] : a[n + i]);
      rp.push_back(g_vec[i]);
    }
    for (std::size_t i = 0; i < n; ++i) {
      ls.push_back(first ? b[n + i] * h_factors[i] : b[n + i]);
      lp.push_back(h_vec[i]);
      rs.push_back(first ? b[i] * h_factors[n + i] : b[i]);
      rp.push_back(h_vec[n + i]);
    }
    ls.push_back(c_l);
    lp.push_back(q);
    rs.push_back(c_r);
    rp.push_back(q);
    // Variable-time, as in dalek: a and b are blinded by the prover's random s_L, s_R.
    const P l = msm_vartime<G>(ls, lp), r = msm_vartime<G>(rs, rp);
    t.append_point("L", l);
    t.append_point("R", r);
    proof.L.push_back(l);
    proof.R.push_back(r);
    const S u = t.challenge<G>("u");
    const S u_inv = u.invert();
    for (std::size_t i = 0; i < n; ++i) {
      a[i] = a[i] * u + u_inv * a[n + i];
      b[i] = b[i] * u_inv + u * b[n + i];
      const S gl = first ? u_inv * g_factors[i] : u_inv, gr = first ? u * g_factors[n + i] : u;
      const S hl = first ? u * h_factors[i] : u, hr = first ? u_inv * h_factors[n + i] : u_inv;
      const S gs[2] = {gl, gr}, hs[2] = {hl, hr};
      const P gp[2] = {g_vec[i], g_vec[n + i]}, hp[2] = {h_vec[i], h_vec[n + i]};
      g_vec[i] = msm_straus_vartime<G>(gs, gp);
      h_vec[i] = msm_straus_vartime<G>(hs, hp);
    }
    a.resize(n);
    b.resize(n);
    g_vec.resize(n);
    h_vec.resize(n);
    first = false;
  }
  proof.a = a[0];
  proof.b = b[0];
  return proof;
}

template <PrimeOrderGroup G>
Result<IpaVerificationScalars<G>> ipa_verification_scalars(Transcript& t,
                                                           const std::vector<typename G::Point>& l,
                                                           const std::vector<typename G::Point>& r,
                                                           std::size_t n) {
  using S = typename G::Scalar;
  const std::size_t lg_n = l.size();
  if (lg_n >= 32 || r.size() != lg_n || (std::size_t{1} << lg_n) != n) {
    return make_error(ErrorCode::kVerificationFailed, "inner-product proof: wrong number of rounds");
  }
  IpaVerificationScalars<G> out;
  std::vector<S> u(lg_n), u_inv(lg_n);
  S all_inv = S::from_u64(1);
  for (std::size_t j = 0; j < lg_n; ++j) {
    t.append_point("L", l[j]);
    t.append_point("R", r[j]);
    u[j] = t.challenge<G>("u");
    if (u[j].is_zero())
      return make_error(ErrorCode::kVerificationFailed, "inner-product proof: zero challenge");
    u_inv[j] = u[j].invert();
    all_inv *= u_inv[j];
    out.u_sq.push_back(u[j] * u[j]);
    out.u_inv_sq.push_back(u_inv[j] * u_inv[j]);
  }
  out.s.resize(n);
  out.s[0] = all_inv;
  for (std::size_t i = 1; i < n; ++i) {
    std::size_t lg_i = 0;
    while ((std::size_t{2} << lg_i) <= i) ++lg_i;
    const std::size_t k = std::size_t{1} << lg_i;
    out.s[i] = out.s[i - k] * out.u_sq[lg_n - 1 - lg_i];
  }
  return out;
}

#define FORMICA_IPA_INSTANTIATE(G)                                                                        \
  template IpaProof<G> ipa_prove<G>(Transcript&, const G::Point&, std::vector<G::Scalar>,                 \
                                    std::vector<G::Scalar>, std::vector<G::Point>, std::vector<G::Point>, \
                                    std::vector<G::Scalar>, std::vector<G::Scalar>);                      \
  template Result<IpaVerificationScalars<G>> ipa_verification_scalars<G>(                                 \
      Transcript&, const std::vector<G::Point>&, const std::vector<G::Point>&, std::size_t);

FORMICA_IPA_INSTANTIATE(Ristretto255)
FORMICA_IPA_INSTANTIATE(P256)

}  // namespace formica::zk::detail
