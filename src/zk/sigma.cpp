// Sigma protocols: the NARG prover and verifiers of draft-irtf-cfrg-sigma-protocols-03 and an
// OR composition. Hand-written: no Debian library implements sigma protocols.
#include "formica/zk/sigma.h"

#include "formica/zk/duplex_sponge.h"
#include "formica/zk/msm.h"

namespace formica::zk {
namespace {

template <PrimeOrderGroup G>
typename G::Scalar derive_challenge(ByteView tag, ByteView instance_bytes, ByteView commitment_bytes) {
  DuplexSponge sponge(DuplexSponge::derive_session_id(tag));
  sponge.absorb(instance_bytes);
  sponge.absorb(commitment_bytes);
  ByteArray<G::kScalarBytes + 16> buf;
  sponge.squeeze(buf);
  return G::Scalar::from_uniform_bytes(buf);
}

template <PrimeOrderGroup G>
Bytes encode_points(std::span<const typename G::Point> points) {
  Bytes out;
  for (const auto& p : points) base::append(out, p.encode());
  return out;
}

template <PrimeOrderGroup G>
Result<std::vector<typename G::Scalar>> decode_scalars(ByteView bytes, std::size_t n) {
  std::vector<typename G::Scalar> out;
  for (std::size_t i = 0; i < n; ++i) {
    FORMICA_ASSIGN_OR_RETURN(auto s, G::Scalar::decode(bytes.subspan(i * G::kScalarBytes, G::kScalarBytes)));
    out.push_back(s);
  }
  return out;
}

Error rejected(const char* why) { return make_error(ErrorCode::kVerificationFailed, why); }

// Checks the instance and that the witness satisfies it: the prover refuses false statements.
template <PrimeOrderGroup G>
Status check_statement(const LinearRelation<G>& instance, std::span<const typename G::Scalar> witness) {
  if (auto st = instance.validate(); !st.ok())
    return make_error(ErrorCode::kInvalidArgument, st.error().message);
  if (witness.size() != instance.num_scalars()) {
    return make_error(ErrorCode::kInvalidArgument, "witness length does not match the instance");
  }
  const auto got = instance.map(witness);
  const auto want = instance.image();
  for (std::size_t i = 0; i < got.size(); ++i) {
    if (!(got[i] == want[i]))
      return make_error(ErrorCode::kInvalidArgument, "witness does not satisfy the instance");
  }
  return ok_status();
}

template <PrimeOrderGroup G>
std::vector<typename G::Scalar> draw_nonces(std::size_t n, const NonceSource<G>& source) {
  std::vector<typename G::Scalar> out;
  for (std::size_t i = 0; i < n; ++i) out.push_back(source ? source() : G::Scalar::random());
  return out;
}

// (commitment, challenge, response) of an honest prover.
template <PrimeOrderGroup G>
Result<std::pair<std::vector<typename G::Point>, std::vector<typename G::Scalar>>> prove_core(
    ByteView tag, const LinearRelation<G>& instance, std::span<const typename G::Scalar> witness,
    const NonceSource<G>& source, typename G::Scalar& challenge) {
  FORMICA_TRY(check_statement<G>(instance, witness));
  auto nonces = draw_nonces<G>(instance.num_scalars(), source);
  auto commitment = instance.map_secret(nonces);
  for (const auto& c : commitment) {
    if (c.is_identity()) return make_error(ErrorCode::kInternal, "identity commitment (bad nonce source)");
  }
  challenge = derive_challenge<G>(tag, instance.serialize(), encode_points<G>(commitment));
  std::vector<typename G::Scalar> response;
  for (std::size_t i = 0; i < nonces.size(); ++i) response.push_back(nonces[i] + witness[i] * challenge);
  return std::make_pair(std::move(commitment), std::move(response));
}

}  // namespace

template <PrimeOrderGroup G>
Result<Bytes> prove_batchable(ByteView tag, const LinearRelation<G>& instance,
                              std::span<const typename G::Scalar> witness, const NonceSource<G>& nonces) {
  typename G::Scalar c;
  FORMICA_ASSIGN_OR_RETURN(auto t, prove_core<G>(tag, instance, witness, nonces, c));
  Bytes out = encode_points<G>(t.first);
  for (const auto& s : t.second) base::append(out, s.encode());
  return out;
}

template <PrimeOrderGroup G>
Result<Bytes> prove_compact(ByteView tag, const LinearRelation<G>& instance,
                            std::span<const typename G::Scalar> witness, const NonceSource<G>& nonces) {
  typename G::Scalar c;
  FORMICA_ASSIGN_OR_RETURN(auto t, prove_core<G>(tag, instance, witness, nonces, c));
  Bytes out;
  base::append(out, c.encode());
  for (const auto& s : t.second) base::append(out, s.encode());
  return out;
}

namespace {

struct Parsed {};

template <PrimeOrderGroup G>
Result<std::pair<std::vector<typename G::Point>, std::vector<typename G::Scalar>>> parse_batchable(
    const LinearRelation<G>& instance, ByteView narg) {
  const std::size_t ne = instance.equations().size(), ns = instance.num_scalars();
  if (narg.size() != ne * G::kPointBytes + ns * G::kScalarBytes) return rejected("NARG string length");
  std::vector<typename G::Point> commitment;
  for (std::size_t i = 0; i < ne; ++i) {
    auto p = G::Point::decode(narg.subspan(i * G::kPointBytes, G::kPointBytes));
    if (!p.ok() || p->is_identity()) return rejected("commitment element");
    commitment.push_back(*p);
  }
  auto response = decode_scalars<G>(narg.subspan(ne * G::kPointBytes), ns);
  if (!response.ok()) return rejected("response scalar");
  return std::make_pair(std::move(commitment), std::move(*response));
}

// Appends, for equation eq of `instance`, the terms of
//   weight * (commitment + challenge * image - map(response))
// to one MSM.
template <PrimeOrderGroup G>
void add_check_terms(const LinearRelation<G>& instance, const std::vector<typename G::Point>& commitment,
                     const typename G::Scalar& challenge, std::span<const typename G::Scalar> response,
                     const std::vector<typename G::Scalar>& weights, std::vector<typename G::Scalar>& s,
                     std::vector<typename G::Point>& p) {
  const auto& els = instance.elements();
  for (std::size_t i = 0; i < instance.equations().size(); ++i) {
    const auto& eq = instance.equations()[i];
    const auto& w = weights[i];
    s.push_back(w);
    p.push_back(commitment[i]);
    const auto wc = w * challenge;
    for (const auto& t : eq.image) {
      s.push_back(wc * t.coeff);
      p.push_back(els[t.element]);
    }
    for (const auto& t : eq.terms) {
      s.push_back(-(w * t.coeff * response[t.scalar]));
      p.push_back(els[t.element]);
    }
  }
}

}  // namespace

template <PrimeOrderGroup G>
Status verify_batchable(ByteView tag, const LinearRelation<G>& instance, ByteView narg) {
  FORMICA_TRY(instance.validate());
  FORMICA_ASSIGN_OR_RETURN(auto t, parse_batchable<G>(instance, narg));
  const auto c = derive_challenge<G>(tag, instance.serialize(), narg.first(t.first.size() * G::kPointBytes));
  // One MSM per equation (weight 1), as §6 suggests.
  const auto& els = instance.elements();
  for (std::size_t i = 0; i < instance.equations().size(); ++i) {
    std::vector<typename G::Scalar> s;
    std::vector<typename G::Point> p;
    const auto& eq = instance.equations()[i];
    for (const auto& term : eq.image) {
      s.push_back(c * term.coeff);
      p.push_back(els[term.element]);
    }
    for (const auto& term : eq.terms) {
      s.push_back(-(term.coeff * t.second[term.scalar]));
      p.push_back(els[term.element]);
    }
    if (!(msm_vartime<G>(s, p) + t.first[i]).is_identity()) return rejected("verification equation");
  }
  return ok_status();
}

template <PrimeOrderGroup G>
Status verify_compact(ByteView tag, const LinearRelation<G>& instance, ByteView narg) {
  FORMICA_TRY(instance.validate());
  const std::size_t ns = instance.num_scalars();
  if (narg.size() != G::kScalarBytes * (ns + 1)) return rejected("NARG string length");
  auto c = G::Scalar::decode(narg.first(G::kScalarBytes));
  if (!c.ok()) return rejected("challenge scalar");
  auto response = decode_scalars<G>(narg.subspan(G::kScalarBytes), ns);
  if (!response.ok()) return rejected("response scalar");
  auto commitment = instance.map(*response);
  const auto image = instance.image();
  for (std::size_t i = 0; i < commitment.size(); ++i) {
    commitment[i] -= image[i] * *c;
    if (commitment[i].is_identity()) return rejected("identity commitment");
  }
  const auto expected = derive_challenge<G>(tag, instance.serialize(), encode_points<G>(commitment));
  if (!(expected == *c)) return rejected("challenge mismatch");
  return ok_status();
}

template <PrimeOrderGroup G>
Status verify_batch(std::span<const BatchItem<G>> items) {
  constexpr std::string_view kBatchTag = "irtf-cfrg-sigma-protocols/batch-verify";
  DuplexSponge sponge(DuplexSponge::derive_session_id(as_bytes(kBatchTag)));
  std::vector<std::pair<std::vector<typename G::Point>, std::vector<typename G::Scalar>>> parsed;
  std::vector<typename G::Scalar> challenges;
  std::size_t total_equations = 0;
  for (const auto& item : items) {
    if (item.instance == nullptr) return make_error(ErrorCode::kInvalidArgument, "null instance");
    FORMICA_TRY(item.instance->validate());
    FORMICA_ASSIGN_OR_RETURN(auto t, parse_batchable<G>(*item.instance, item.narg));
    const Bytes inst = item.instance->serialize();
    challenges.push_back(
        derive_challenge<G>(item.tag, inst, item.narg.first(t.first.size() * G::kPointBytes)));
    sponge.absorb(DuplexSponge::derive_session_id(item.tag));
    sponge.absorb(inst);
    sponge.absorb(item.narg);
    total_equations += t.first.size();
    parsed.push_back(std::move(t));
  }
  Bytes randomness = sponge.squeeze(16 * total_equations);
  std::vector<typename G::Scalar> s;
  std::vector<typename G::Point> p;
  std::size_t k = 0;
  for (std::size_t i = 0; i < items.size(); ++i) {
    std::vector<typename G::Scalar> weights;
    for (std::size_t j = 0; j < parsed[i].first.size(); ++j, ++k) {
      weights.push_back(G::Scalar::from_uniform_bytes(ByteView(randomness).subspan(16 * k, 16)));
    }
    add_check_terms<G>(*items[i].instance, parsed[i].first, challenges[i], parsed[i].second, weights, s, p);
  }
  if (!msm_vartime<G>(s, p).is_identity()) return rejected("batch verification equation");
  return ok_status();
}

// ---- OR composition ----

namespace {

template <PrimeOrderGroup G>
Bytes or_instance_bytes(std::span<const LinearRelation<G>> branches) {
  Bytes out;
  const auto n = branches.size();
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<std::uint8_t>(n >> (8 * i)));
  for (const auto& b : branches) base::append(out, b.serialize());
  return out;
}

}  // namespace

template <PrimeOrderGroup G>
Result<Bytes> prove_or(ByteView tag, std::span<const LinearRelation<G>> branches,
                       std::span<const std::vector<typename G::Scalar>> witnesses, std::size_t known) {
  using S = typename G::Scalar;
  using P = typename G::Point;
  const std::size_t n = branches.size();
  if (n == 0 || witnesses.size() != n || known >= n) {
    return make_error(ErrorCode::kInvalidArgument, "OR proof: branch/witness count or index");
  }
  for (std::size_t j = 0; j < n; ++j) {
    if (auto st = branches[j].validate(); !st.ok())
      return make_error(ErrorCode::kInvalidArgument, st.error().message);
    if (witnesses[j].size() != branches[j].num_scalars()) {
      return make_error(ErrorCode::kInvalidArgument, "OR proof: witness length");
    }
  }
  FORMICA_TRY(check_statement<G>(branches[known], witnesses[known]));
  // Every branch computes both a real and a simulated transcript; `known` selects, in
  // constant time, which one is kept.
  std::vector<std::vector<S>> nonces(n), sim_responses(n);
  std::vector<S> sim_challenges(n);
  Bytes commitments;
  for (std::size_t j = 0; j < n; ++j) {
    const std::size_t ns = branches[j].num_scalars();
    nonces[j] = draw_nonces<G>(ns, {});
    sim_responses[j] = draw_nonces<G>(ns, {});
    sim_challenges[j] = S::random();
    const auto real = branches[j].map_secret(nonces[j]);
    auto sim = branches[j].map_secret(sim_responses[j]);
    const auto image = branches[j].image();
    const bool is_real = j == known;
    for (std::size_t i = 0; i < sim.size(); ++i) {
      sim[i] -= image[i] * sim_challenges[j];
      base::append(commitments, P::select(sim[i], real[i], is_real).encode());
    }
  }
  const S c = derive_challenge<G>(tag, or_instance_bytes<G>(branches), commitments);
  S others;
  for (std::size_t j = 0; j < n; ++j) others += S::select(sim_challenges[j], S(), j == known);
  const S real_challenge = c - others;
  Bytes out;
  for (std::size_t j = 0; j < n; ++j)
    base::append(out, S::select(sim_challenges[j], real_challenge, j == known).encode());
  for (std::size_t j = 0; j < n; ++j) {
    for (std::size_t i = 0; i < nonces[j].size(); ++i) {
      const S real = nonces[j][i] + witnesses[j][i] * real_challenge;
      base::append(out, S::select(sim_responses[j][i], real, j == known).encode());
    }
  }
  return out;
}

template <PrimeOrderGroup G>
Status verify_or(ByteView tag, std::span<const LinearRelation<G>> branches, ByteView proof) {
  using S = typename G::Scalar;
  const std::size_t n = branches.size();
  if (n == 0) return rejected("OR proof: no branch");
  std::size_t total_scalars = 0;
  for (const auto& b : branches) {
    FORMICA_TRY(b.validate());
    total_scalars += b.num_scalars();
  }
  if (proof.size() != G::kScalarBytes * (n + total_scalars)) return rejected("OR proof length");
  auto challenges = decode_scalars<G>(proof, n);
  if (!challenges.ok()) return rejected("OR proof: challenge scalar");
  std::size_t offset = n * G::kScalarBytes;
  Bytes commitments;
  S sum;
  for (std::size_t j = 0; j < n; ++j) {
    const std::size_t ns = branches[j].num_scalars();
    auto response = decode_scalars<G>(proof.subspan(offset), ns);
    if (!response.ok()) return rejected("OR proof: response scalar");
    offset += ns * G::kScalarBytes;
    auto commitment = branches[j].map(*response);
    const auto image = branches[j].image();
    for (std::size_t i = 0; i < commitment.size(); ++i) {
      commitment[i] -= image[i] * (*challenges)[j];
      if (commitment[i].is_identity()) return rejected("OR proof: identity commitment");
      base::append(commitments, commitment[i].encode());
    }
    sum += (*challenges)[j];
  }
  if (!(derive_challenge<G>(tag, or_instance_bytes<G>(branches), commitments) == sum)) {
    return rejected("OR proof: challenges do not sum to the Fiat-Shamir challenge");
  }
  return ok_status();
}

#define FORMICA_SIGMA_INSTANTIATE(G)                                                                        \
  template Result<Bytes> prove_batchable<G>(ByteView, const LinearRelation<G>&, std::span<const G::Scalar>, \
                                            const NonceSource<G>&);                                         \
  template Status verify_batchable<G>(ByteView, const LinearRelation<G>&, ByteView);                        \
  template Result<Bytes> prove_compact<G>(ByteView, const LinearRelation<G>&, std::span<const G::Scalar>,   \
                                          const NonceSource<G>&);                                           \
  template Status verify_compact<G>(ByteView, const LinearRelation<G>&, ByteView);                          \
  template Status verify_batch<G>(std::span<const BatchItem<G>>);                                           \
  template Result<Bytes> prove_or<G>(ByteView, std::span<const LinearRelation<G>>,                          \
                                     std::span<const std::vector<G::Scalar>>, std::size_t);                 \
  template Status verify_or<G>(ByteView, std::span<const LinearRelation<G>>, ByteView);

FORMICA_SIGMA_INSTANTIATE(Ristretto255)
FORMICA_SIGMA_INSTANTIATE(P256)

}  // namespace formica::zk
