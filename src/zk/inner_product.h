#pragma once
// The inner-product argument of Bulletproofs (internal to the range proof). Prover side
// follows dalek's shape: the first round applies per-generator factors (y^-i on H) so the
// caller never materialises the scaled generators. Verifier side returns the scalars of the
// single-MSM check (u_j^2, u_j^-2, s_i) instead of checking anything itself.

#include <vector>

#include "formica/base/status.h"
#include "formica/zk/group.h"
#include "formica/zk/transcript.h"

namespace formica::zk::detail {

template <PrimeOrderGroup G>
struct IpaProof {
  std::vector<typename G::Point> L, R;
  typename G::Scalar a, b;
};

// Proves <a, b> = c for P = <a, G'> + <b, H'> + c Q with G'_i = g_factors[i] G_i and
// H'_i = h_factors[i] H_i. All vectors have the same power-of-two length.
template <PrimeOrderGroup G>
IpaProof<G> ipa_prove(Transcript& t, const typename G::Point& q, std::vector<typename G::Scalar> g_factors,
                      std::vector<typename G::Scalar> h_factors, std::vector<typename G::Point> g_vec,
                      std::vector<typename G::Point> h_vec, std::vector<typename G::Scalar> a,
                      std::vector<typename G::Scalar> b);

template <PrimeOrderGroup G>
struct IpaVerificationScalars {
  std::vector<typename G::Scalar> u_sq, u_inv_sq, s;  // s_i for G_i; s_{n-1-i} for H_i
};

// Absorbs L_j, R_j, derives the challenges; fails if a challenge is zero or the round count
// does not match n.
template <PrimeOrderGroup G>
Result<IpaVerificationScalars<G>> ipa_verification_scalars(Transcript& t,
                                                           const std::vector<typename G::Point>& l,
                                                           const std::vector<typename G::Point>& r,
                                                           std::size_t n);

}  // namespace formica::zk::detail
