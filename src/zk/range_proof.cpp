// Bulletproofs range proofs: prover, verifier (one MSM), batch verifier, strict codec.
#include <string>

#include "formica/zk/bulletproofs.h"
#include "formica/zk/msm.h"
#include "formica/zk/transcript.h"
#include "inner_product.h"
#include "range_proof_internal.h"

namespace formica::zk {
namespace {

constexpr std::string_view kProtocol = "FORMICA-V01-bulletproofs-range-proof";

bool power_of_two(std::size_t v) { return v != 0 && (v & (v - 1)) == 0; }
bool valid_bits(std::size_t n) { return n == 8 || n == 16 || n == 32 || n == 64; }

Status check_shape(std::size_t n_bits, std::size_t m, std::size_t capacity) {
  if (!valid_bits(n_bits))
    return make_error(ErrorCode::kInvalidArgument, "range proof: n must be 8, 16, 32 or 64");
  if (!power_of_two(m) || m > kMaxAggregation) {
    return make_error(ErrorCode::kInvalidArgument, "range proof: value count must be a power of two <= 64");
  }
  if (n_bits * m > capacity)
    return make_error(ErrorCode::kInvalidArgument, "range proof: generators too few");
  return ok_status();
}

template <PrimeOrderGroup G>
Transcript start_transcript(ByteView context, std::size_t n_bits,
                            std::span<const typename G::Point> commitments) {
  Transcript t(kProtocol, context);
  t.append("group", as_bytes(G::kName));
  t.append_u64("n", n_bits);
  t.append_u64("m", commitments.size());
  for (const auto& v : commitments) t.append_point("V", v);
  return t;
}

template <typename S>
std::vector<S> powers(const S& base, std::size_t count) {
  std::vector<S> out;
  out.reserve(count);
  S acc = S::from_u64(1);
  for (std::size_t i = 0; i < count; ++i) {
    out.push_back(acc);
    acc *= base;
  }
  return out;
}

}  // namespace

template <PrimeOrderGroup G>
BulletproofGens<G>::BulletproofGens(std::size_t capacity) {
  std::string dst = "FORMICA-V01-bulletproofs-generators-";
  dst += G::kName;
  for (std::size_t i = 0; i < capacity; ++i) {
    std::uint8_t msg[5] = {'G', static_cast<std::uint8_t>(i), static_cast<std::uint8_t>(i >> 8),
                           static_cast<std::uint8_t>(i >> 16), static_cast<std::uint8_t>(i >> 24)};
    g_.push_back(Point::hash_to_group(ByteView(msg, 5), as_bytes(dst)));
    msg[0] = 'H';
    h_.push_back(Point::hash_to_group(ByteView(msg, 5), as_bytes(dst)));
  }
}

// ---- codec ----

template <PrimeOrderGroup G>
Bytes RangeProof<G>::serialize() const {
  Bytes out;
  for (const Point* p : {&A, &S, &T1, &T2}) base::append(out, p->encode());
  for (const Scalar* s : {&t_x, &t_x_blinding, &e_blinding}) base::append(out, s->encode());
  for (std::size_t j = 0; j < L.size() && j < R.size(); ++j) {
    base::append(out, L[j].encode());
    base::append(out, R[j].encode());
  }
  base::append(out, a.encode());
  base::append(out, b.encode());
  return out;
}

template <PrimeOrderGroup G>
Result<RangeProof<G>> RangeProof<G>::deserialize(ByteView bytes) {
  constexpr std::size_t pb = G::kPointBytes, sb = G::kScalarBytes;
  constexpr std::size_t fixed = 4 * pb + 5 * sb;
  if (bytes.size() < fixed || (bytes.size() - fixed) % (2 * pb) != 0 ||
      (bytes.size() - fixed) / (2 * pb) > 12) {
    return make_error(ErrorCode::kMalformed, "range proof: bad length");
  }
  const std::size_t rounds = (bytes.size() - fixed) / (2 * pb);
  std::size_t off = 0;
  auto point = [&](Point& out) -> Status {
    FORMICA_ASSIGN_OR_RETURN(out, Point::decode(bytes.subspan(off, pb)));
    off += pb;
    return ok_status();
  };
  auto scalar = [&](Scalar& out) -> Status {
    FORMICA_ASSIGN_OR_RETURN(out, Scalar::decode(bytes.subspan(off, sb)));
    off += sb;
    return ok_status();
  };
  RangeProof p;
  FORMICA_TRY(point(p.A));
  FORMICA_TRY(point(p.S));
  FORMICA_TRY(point(p.T1));
  FORMICA_TRY(point(p.T2));
  FORMICA_TRY(scalar(p.t_x));
  FORMICA_TRY(scalar(p.t_x_blinding));
  FORMICA_TRY(scalar(p.e_blinding));
  p.L.resize(rounds);
  p.R.resize(rounds);
  for (std::size_t j = 0; j < rounds; ++j) {
    FORMICA_TRY(point(p.L[j]));
    FORMICA_TRY(point(p.R[j]));
  }
  FORMICA_TRY(scalar(p.a));
  FORMICA_TRY(scalar(p.b));
  return p;
}

// ---- prover ----

namespace detail {

template <PrimeOrderGroup G>
Result<RangeProofWithCommitments<G>> prove_range_unchecked(
    const PedersenGens<G>& pc, const BulletproofGens<G>& bp, ByteView context,
    std::span<const typename G::Scalar> values, std::span<const typename G::Scalar> blindings,
    const std::vector<typename G::Scalar>& a_l, std::size_t n, const std::vector<std::uint8_t>* bits) {
  using S = typename G::Scalar;
  using P = typename G::Point;
  const std::size_t m = values.size();
  FORMICA_TRY(check_shape(n, m, bp.capacity()));
  const std::size_t nm = n * m;
  if (blindings.size() != m || a_l.size() != nm || (bits != nullptr && bits->size() != nm)) {
    return make_error(ErrorCode::kInvalidArgument, "range proof: sizes do not match");
  }
  RangeProofWithCommitments<G> out;
  for (std::size_t j = 0; j < m; ++j) out.commitments.push_back(pc.commit(values[j], blindings[j]));
  Transcript t = start_transcript<G>(context, n, out.commitments);
  RangeProof<G>& proof = out.proof;
  const S one = S::from_u64(1);
  std::span<const P> gs(bp.g().data(), nm), hs(bp.h().data(), nm);

  // A = alpha B~ + <a_L, G> + <a_R, H>, with a_R = a_L - 1. With true bits this is, per bit,
  // G_i or -H_i chosen in constant time; otherwise (test hook) a constant-time MSM.
  const S alpha = S::random();
  if (bits != nullptr) {
    P acc = pc.mul_blinding(alpha);
    for (std::size_t i = 0; i < nm; ++i) acc += P::select(-hs[i], gs[i], (*bits)[i] != 0);
    proof.A = acc;
  } else {
    std::vector<S> sc;
    std::vector<P> pts(gs.begin(), gs.end());
    pts.insert(pts.end(), hs.begin(), hs.end());
    sc.reserve(2 * nm);
    for (const auto& v : a_l) sc.push_back(v);
    for (const auto& v : a_l) sc.push_back(v - one);
    proof.A = pc.mul_blinding(alpha) + msm_straus_ct<G>(sc, pts);
  }
  // S = rho B~ + <s_L, G> + <s_R, H>.
  std::vector<S> s_l(nm), s_r(nm);
  for (auto& v : s_l) v = S::random();
  for (auto& v : s_r) v = S::random();
  const S rho = S::random();
  {
    std::vector<S> sc(s_l);
    sc.insert(sc.end(), s_r.begin(), s_r.end());
    std::vector<P> pts(gs.begin(), gs.end());
    pts.insert(pts.end(), hs.begin(), hs.end());
    proof.S = pc.mul_blinding(rho) + msm_straus_ct<G>(sc, pts);
  }
  t.append_point("A", proof.A);
  t.append_point("S", proof.S);
  const S y = t.template challenge<G>("y");
  const S z = t.template challenge<G>("z");
  const S zz = z * z;

  const auto y_pow = powers(y, nm);
  const auto two_pow = powers(S::from_u64(2), n);
  const auto z_pow = powers(z, m + 2);  // z^0 .. z^(m+1)
  std::vector<S> l0(nm), r0(nm), r1(nm);
  for (std::size_t i = 0; i < nm; ++i) {
    l0[i] = a_l[i] - z;
    r0[i] = y_pow[i] * (a_l[i] - one + z) + z_pow[2 + i / n] * two_pow[i % n];
    r1[i] = y_pow[i] * s_r[i];
  }
  S t1, t2;
  for (std::size_t i = 0; i < nm; ++i) {
    t1 += l0[i] * r1[i] + s_l[i] * r0[i];
    t2 += s_l[i] * r1[i];
  }
  const S tau1 = S::random(), tau2 = S::random();
  proof.T1 = P::mul_base(t1) + pc.mul_blinding(tau1);
  proof.T2 = P::mul_base(t2) + pc.mul_blinding(tau2);
  t.append_point("T1", proof.T1);
  t.append_point("T2", proof.T2);
  const S x = t.template challenge<G>("x");

  proof.t_x_blinding = tau2 * x * x + tau1 * x;
  for (std::size_t j = 0; j < m; ++j) proof.t_x_blinding += z_pow[2 + j] * blindings[j];
  proof.e_blinding = alpha + rho * x;
  std::vector<S> l(nm), r(nm);
  proof.t_x = S();
  for (std::size_t i = 0; i < nm; ++i) {
    l[i] = l0[i] + s_l[i] * x;
    r[i] = r0[i] + r1[i] * x;
    proof.t_x += l[i] * r[i];
  }
  t.append_scalar("t_x", proof.t_x);
  t.append_scalar("t_x_blinding", proof.t_x_blinding);
  t.append_scalar("e_blinding", proof.e_blinding);
  const S w = t.template challenge<G>("w");
  const P q = P::mul_base(w);

  std::vector<S> g_factors(nm, one);
  const auto h_factors = powers(y.invert(), nm);
  auto ipa = ipa_prove<G>(t, q, std::move(g_factors), h_factors, std::vector<P>(gs.begin(), gs.end()),
                          std::vector<P>(hs.begin(), hs.end()), std::move(l), std::move(r));
  proof.L = std::move(ipa.L);
  proof.R = std::move(ipa.R);
  proof.a = ipa.a;
  proof.b = ipa.b;
  return out;
}

}  // namespace detail

template <PrimeOrderGroup G>
Result<RangeProofWithCommitments<G>> prove_range(const PedersenGens<G>& pc, const BulletproofGens<G>& bp,
                                                 ByteView context, std::span<const std::uint64_t> values,
                                                 std::span<const typename G::Scalar> blindings,
                                                 std::size_t n_bits) {
  using S = typename G::Scalar;
  FORMICA_TRY(check_shape(n_bits, values.size(), bp.capacity()));
  for (std::uint64_t v : values) {
    if (n_bits < 64 && (v >> n_bits) != 0) {
      return make_error(ErrorCode::kInvalidArgument, "range proof: value out of range");
    }
  }
  std::vector<S> vs, a_l;
  std::vector<std::uint8_t> bits;
  const S zero, one = S::from_u64(1);
  for (std::uint64_t v : values) {
    vs.push_back(S::from_u64(v));
    for (std::size_t i = 0; i < n_bits; ++i) {
      bits.push_back(static_cast<std::uint8_t>((v >> i) & 1));
      a_l.push_back(S::select(zero, one, bits.back() != 0));
    }
  }
  auto out = detail::prove_range_unchecked<G>(pc, bp, context, vs, blindings, a_l, n_bits, &bits);
  secure_zero(bits.data(), bits.size());
  return out;
}

// ---- verifier ----

namespace {

// The terms of one proof's verification equation, scaled by `weight`, added to an MSM whose
// generator coefficients (G_i, H_i, B, B~) are shared across a batch.
template <PrimeOrderGroup G>
struct CheckAccumulator {
  std::vector<typename G::Scalar> scalars;
  std::vector<typename G::Point> points;
  std::vector<typename G::Scalar> g, h;
  typename G::Scalar b, b_blinding;
};

template <PrimeOrderGroup G>
Status add_proof_terms(const BulletproofGens<G>& bp, ByteView context,
                       std::span<const typename G::Point> commitments, const RangeProof<G>& proof,
                       std::size_t n, const typename G::Scalar& weight, CheckAccumulator<G>& acc) {
  using S = typename G::Scalar;
  const std::size_t m = commitments.size();
  if (auto st = check_shape(n, m, bp.capacity()); !st.ok()) {
    return make_error(ErrorCode::kVerificationFailed, st.error().message);
  }
  const std::size_t nm = n * m;
  Transcript t = start_transcript<G>(context, n, commitments);
  t.append_point("A", proof.A);
  t.append_point("S", proof.S);
  const S y = t.template challenge<G>("y");
  const S z = t.template challenge<G>("z");
  t.append_point("T1", proof.T1);
  t.append_point("T2", proof.T2);
  const S x = t.template challenge<G>("x");
  t.append_scalar("t_x", proof.t_x);
  t.append_scalar("t_x_blinding", proof.t_x_blinding);
  t.append_scalar("e_blinding", proof.e_blinding);
  const S w = t.template challenge<G>("w");
  FORMICA_ASSIGN_OR_RETURN(auto ipa, detail::ipa_verification_scalars<G>(t, proof.L, proof.R, nm));
  // Weight of the polynomial check against the inner-product check; derived after the whole
  // proof is absorbed, so the prover cannot choose messages as a function of it.
  const S c = t.template challenge<G>("c");

  const S zz = z * z;
  const auto z_pow = powers(z, m + 3);
  const auto two_pow = powers(S::from_u64(2), n);
  const S y_inv = y.invert();
  const auto y_pow = powers(y, nm);
  S sum_y;
  for (const auto& v : y_pow) sum_y += v;
  const S two_n_minus_1 = n == 64 ? S::from_u64(~std::uint64_t{0}) : S::from_u64((std::uint64_t{1} << n) - 1);
  S delta = (z - zz) * sum_y;
  for (std::size_t j = 0; j < m; ++j) delta -= z_pow[3 + j] * two_n_minus_1;

  const S wx = weight * x;
  acc.scalars.push_back(weight);
  acc.points.push_back(proof.A);
  acc.scalars.push_back(wx);
  acc.points.push_back(proof.S);
  acc.scalars.push_back(c * wx);
  acc.points.push_back(proof.T1);
  acc.scalars.push_back(c * wx * x);
  acc.points.push_back(proof.T2);
  for (std::size_t j = 0; j < proof.L.size(); ++j) {
    acc.scalars.push_back(weight * ipa.u_sq[j]);
    acc.points.push_back(proof.L[j]);
    acc.scalars.push_back(weight * ipa.u_inv_sq[j]);
    acc.points.push_back(proof.R[j]);
  }
  const S wczz = weight * c * zz;
  for (std::size_t j = 0; j < m; ++j) {
    acc.scalars.push_back(wczz * z_pow[j]);
    acc.points.push_back(commitments[j]);
  }
  const S ab = proof.a * proof.b;
  acc.b += weight * (w * (proof.t_x - ab) + c * (delta - proof.t_x));
  acc.b_blinding -= weight * (proof.e_blinding + c * proof.t_x_blinding);
  S y_inv_i = S::from_u64(1);
  const S wz = weight * z;
  for (std::size_t i = 0; i < nm; ++i) {
    acc.g[i] -= wz + weight * proof.a * ipa.s[i];
    const S z_and_2 = z_pow[i / n] * two_pow[i % n];
    acc.h[i] += wz + weight * y_inv_i * (zz * z_and_2 - proof.b * ipa.s[nm - 1 - i]);
    y_inv_i *= y_inv;
  }
  return ok_status();
}

template <PrimeOrderGroup G>
bool finish(const PedersenGens<G>& pc, const BulletproofGens<G>& bp, CheckAccumulator<G>& acc,
            std::size_t nm_max) {
  for (std::size_t i = 0; i < nm_max; ++i) {
    acc.scalars.push_back(acc.g[i]);
    acc.points.push_back(bp.g()[i]);
    acc.scalars.push_back(acc.h[i]);
    acc.points.push_back(bp.h()[i]);
  }
  acc.scalars.push_back(acc.b);
  acc.points.push_back(pc.base());
  acc.scalars.push_back(acc.b_blinding);
  acc.points.push_back(pc.blinding());
  return msm_vartime<G>(acc.scalars, acc.points).is_identity();
}

}  // namespace

template <PrimeOrderGroup G>
Status verify_range(const PedersenGens<G>& pc, const BulletproofGens<G>& bp, ByteView context,
                    std::span<const typename G::Point> commitments, const RangeProof<G>& proof,
                    std::size_t n_bits) {
  const std::size_t nm = std::min(n_bits * commitments.size(), bp.capacity());
  CheckAccumulator<G> acc;
  acc.g.resize(nm);
  acc.h.resize(nm);
  FORMICA_TRY(add_proof_terms<G>(bp, context, commitments, proof, n_bits, G::Scalar::from_u64(1), acc));
  if (!finish<G>(pc, bp, acc, nm))
    return make_error(ErrorCode::kVerificationFailed, "range proof does not verify");
  return ok_status();
}

template <PrimeOrderGroup G>
Status verify_range_batch(const PedersenGens<G>& pc, const BulletproofGens<G>& bp,
                          std::span<const RangeProofItem<G>> items) {
  using S = typename G::Scalar;
  // Weights: 128-bit scalars from a sponge that absorbs every proof of the batch.
  Transcript weights_t("FORMICA-V01-bulletproofs-batch-weights", {});
  std::size_t nm_max = 0;
  for (const auto& it : items) {
    if (it.proof == nullptr) return make_error(ErrorCode::kInvalidArgument, "range batch: null proof");
    weights_t.append("context", it.context);
    weights_t.append_u64("n", it.n_bits);
    for (const auto& v : it.commitments) weights_t.append_point("V", v);
    weights_t.append("proof", it.proof->serialize());
    nm_max = std::max(nm_max, std::min(it.n_bits * it.commitments.size(), bp.capacity()));
  }
  CheckAccumulator<G> acc;
  acc.g.resize(nm_max);
  acc.h.resize(nm_max);
  for (const auto& it : items) {
    const auto bytes = weights_t.challenge_bytes("weight");
    const S weight = S::from_uniform_bytes(ByteView(bytes).first(16));
    FORMICA_TRY(add_proof_terms<G>(bp, it.context, it.commitments, *it.proof, it.n_bits, weight, acc));
  }
  if (!finish<G>(pc, bp, acc, nm_max))
    return make_error(ErrorCode::kVerificationFailed, "range batch does not verify");
  return ok_status();
}

#define FORMICA_RANGE_INSTANTIATE(G)                                                               \
  template class BulletproofGens<G>;                                                               \
  template struct RangeProof<G>;                                                                   \
  template Result<RangeProofWithCommitments<G>> prove_range<G>(                                    \
      const PedersenGens<G>&, const BulletproofGens<G>&, ByteView, std::span<const std::uint64_t>, \
      std::span<const G::Scalar>, std::size_t);                                                    \
  template Status verify_range<G>(const PedersenGens<G>&, const BulletproofGens<G>&, ByteView,     \
                                  std::span<const G::Point>, const RangeProof<G>&, std::size_t);   \
  template Status verify_range_batch<G>(const PedersenGens<G>&, const BulletproofGens<G>&,         \
                                        std::span<const RangeProofItem<G>>);                       \
  template Result<RangeProofWithCommitments<G>> detail::prove_range_unchecked<G>(                  \
      const PedersenGens<G>&, const BulletproofGens<G>&, ByteView, std::span<const G::Scalar>,     \
      std::span<const G::Scalar>, const std::vector<G::Scalar>&, std::size_t,                      \
      const std::vector<std::uint8_t>*);

FORMICA_RANGE_INSTANTIATE(Ristretto255)
FORMICA_RANGE_INSTANTIATE(P256)

}  // namespace formica::zk
