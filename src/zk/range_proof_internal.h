#pragma once
// Test hook: the range-proof prover core with explicit values and bit vector, bypassing the
// range checks of prove_range. `bits`, when given, must be a_l as 0/1 bytes (faster A). Only tests include
// this (to show that a forged proof for a value out of range does not verify); it is not part of the public
// API.

#include <span>
#include <vector>

#include "formica/zk/bulletproofs.h"

namespace formica::zk::detail {

template <PrimeOrderGroup G>
Result<RangeProofWithCommitments<G>> prove_range_unchecked(const PedersenGens<G>& pc,
                                                           const BulletproofGens<G>& bp, ByteView context,
                                                           std::span<const typename G::Scalar> values,
                                                           std::span<const typename G::Scalar> blindings,
                                                           const std::vector<typename G::Scalar>& a_l,
                                                           std::size_t n_bits,
                                                           const std::vector<std::uint8_t>* bits = nullptr);

}  // namespace formica::zk::detail
