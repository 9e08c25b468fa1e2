#pragma once
// Helpers for the consensus unit tests: deterministic keys, a validator set, signed blocks,
// votes and certificates built by hand.

#include <gtest/gtest.h>

#include <vector>

#include "formica/consensus/core.h"
#include "formica/consensus/verify.h"

namespace formica::consensus::testing {

inline std::vector<crypto::PrivateKey> make_keys(std::uint32_t n,
                                                 crypto::Scheme scheme = crypto::Scheme::kEd25519) {
  std::vector<crypto::PrivateKey> ks;
  for (std::uint32_t i = 0; i < n; ++i) {
    Bytes seed(32, 0x11);
    seed[0] = static_cast<std::uint8_t>(i + 1);
    ks.push_back(std::move(crypto::PrivateKey::from_secret(scheme, seed)).value());
  }
  return ks;
}

inline ValidatorSet make_set(const std::vector<crypto::PrivateKey>& ks) {
  std::vector<Validator> vals;
  for (std::size_t i = 0; i < ks.size(); ++i) {
    auto pk = ks[i].public_key().bytes();
    vals.push_back(
        Validator{"v" + std::to_string(i), "org", ks[i].scheme(), Bytes(pk.begin(), pk.end()), {}});
  }
  return std::move(ValidatorSet::create(std::move(vals))).value();
}

inline QuorumCert make_qc(const ChainParams& c, const std::vector<crypto::PrivateKey>& ks, const BlockId& id,
                          Round round, const std::vector<std::uint32_t>& signers) {
  QuorumCert qc;
  qc.block_id = id;
  qc.round = round;
  for (std::uint32_t s : signers) {
    auto v = make_vote(c, id, round, s, ks[s]);
    qc.signatures.push_back(QcSignature{s, v->signature});
  }
  return qc;
}

inline TimeoutCert make_tc(const ChainParams& c, const std::vector<crypto::PrivateKey>& ks, Round round,
                           Round high_qc_round, const std::vector<std::uint32_t>& signers) {
  TimeoutCert tc;
  tc.round = round;
  for (std::uint32_t s : signers) {
    auto d = timeout_digest(c, round, high_qc_round);
    tc.entries.push_back(TimeoutCertEntry{s, high_qc_round, crypto::sign(ks[s], *d)});
  }
  return tc;
}

inline Proposal make_block(const ChainParams& c, const std::vector<crypto::PrivateKey>& ks, Round round,
                           const QuorumCert& justify, Bytes payload = {}, std::optional<TimeoutCert> tc = {},
                           ExecRef exec = {}) {
  Proposal p;
  p.round = round;
  p.justify = justify;
  p.tc = std::move(tc);
  p.exec = exec;
  p.time_ms = 1000 * round;
  p.proposer = static_cast<std::uint32_t>(round % ks.size());
  p.payload = std::move(payload);
  p.payload_hash = payload_hash(c, p.payload);
  return std::move(sign_proposal(c, std::move(p), ks[round % ks.size()])).value();
}

inline BlockId id_of(const ChainParams& c, const Proposal& p) { return *block_id(c, p); }

}  // namespace formica::consensus::testing
