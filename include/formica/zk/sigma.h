#pragma once
// Non-interactive sigma protocols (draft-irtf-cfrg-sigma-protocols-03 §4) over the duplex
// sponge of draft-irtf-cfrg-fiat-shamir-03: batchable NARG strings (commitment || response)
// and compact ones (challenge || response), batch verification with one MSM, and an OR
// composition (Cramer–Damgård–Schoenmakers) over any number of linear relations.
//
// The `tag` names the application context, the flavor (DSFS / CMPT) and the ciphersuite, as
// the draft requires: a proof made under one tag fails under any other. Suggested form:
// "FORMICA-<app>-V01-<flavor>-with-<suite>". Provers validate the instance and check the
// witness before proving (kInvalidArgument otherwise). Nonces come from the OS CSPRNG unless a
// NonceSource is passed (test vectors only: a reused or predictable nonce reveals the witness).

#include <functional>
#include <span>

#include "formica/base/bytes.h"
#include "formica/base/status.h"
#include "formica/zk/linear_relation.h"

namespace formica::zk {

template <PrimeOrderGroup G>
using NonceSource = std::function<typename G::Scalar()>;

template <PrimeOrderGroup G>
Result<Bytes> prove_batchable(ByteView tag, const LinearRelation<G>& instance,
                              std::span<const typename G::Scalar> witness, const NonceSource<G>& nonces = {});
template <PrimeOrderGroup G>
Status verify_batchable(ByteView tag, const LinearRelation<G>& instance, ByteView narg);

template <PrimeOrderGroup G>
Result<Bytes> prove_compact(ByteView tag, const LinearRelation<G>& instance,
                            std::span<const typename G::Scalar> witness, const NonceSource<G>& nonces = {});
template <PrimeOrderGroup G>
Status verify_compact(ByteView tag, const LinearRelation<G>& instance, ByteView narg);

// Batch verification of batchable NARG strings (§4.6), batching randomness derived with the
// duplex sponge as the draft recommends. Accepts an empty batch. On failure it does not say
// which proof failed; verify individually to find out.
template <PrimeOrderGroup G>
struct BatchItem {
  ByteView tag;
  const LinearRelation<G>* instance;
  ByteView narg;
};
template <PrimeOrderGroup G>
Status verify_batch(std::span<const BatchItem<G>> items);

// OR composition: proves knowledge of a witness for ONE of `branches` without revealing
// which. `witnesses[j]` must have branches[j].num_scalars() entries for every j; only
// witnesses[known] needs to be valid (the others are ignored; pass zeros). All branches run
// the same code path, the real one chosen by constant-time selection. Proof: n challenges
// then every branch's responses (scalars).
template <PrimeOrderGroup G>
Result<Bytes> prove_or(ByteView tag, std::span<const LinearRelation<G>> branches,
                       std::span<const std::vector<typename G::Scalar>> witnesses, std::size_t known);
template <PrimeOrderGroup G>
Status verify_or(ByteView tag, std::span<const LinearRelation<G>> branches, ByteView proof);

}  // namespace formica::zk
