#pragma once
// Hashes, signing and verification of consensus objects. Every signature is over
//   codec::hash_of(alg, "formica/consensus/<kind>/v1", data)
// where data starts with the chain id, so a signature never counts on another network:
//   block    id = hash_of("formica/consensus/block/v1", {chain_id, header fields})
//   proposal signature over hash_of("formica/consensus/proposal/v1", {chain_id, block_id})
//   vote     signature over hash_of("formica/consensus/vote/v1", {chain_id, block_id, round})
//   timeout  signature over hash_of("formica/consensus/timeout/v1", {chain_id, round, high_qc_round})
//   payload  payload_hash = hash_of("formica/consensus/payload/v1", payload bytes)
// Each validator signs in its own scheme (crypto::sign / crypto::verify).
// All functions are pure and never abort on bad input: failures are kVerificationFailed
// (bad signature, too few or unknown signers, broken link) or kMalformed.

#include <string>

#include "formica/base/status.h"
#include "formica/consensus/types.h"
#include "formica/crypto/hash.h"
#include "formica/crypto/signature.h"

namespace formica::consensus {

// What every verification needs to know about the network.
struct ChainParams {
  std::string chain_id;
  crypto::HashAlg alg = crypto::HashAlg::kSha256;
};

Result<BlockId> block_id(const ChainParams& c, const BlockHeaderOnly& h);
Result<BlockId> block_id(const ChainParams& c, const Proposal& p);
crypto::Hash32 payload_hash(const ChainParams& c, ByteView payload);

Result<crypto::Hash32> proposal_digest(const ChainParams& c, const BlockId& id);
Result<crypto::Hash32> vote_digest(const ChainParams& c, const BlockId& id, Round round);
Result<crypto::Hash32> timeout_digest(const ChainParams& c, Round round, Round high_qc_round);

// Signing helpers (fill in the signature field; the caller fills the rest).
Result<Proposal> sign_proposal(const ChainParams& c, Proposal p, const crypto::PrivateKey& key);
Result<Vote> make_vote(const ChainParams& c, const BlockId& id, Round round, std::uint32_t voter,
                       const crypto::PrivateKey& key);
Result<TimeoutMsg> make_timeout(const ChainParams& c, Round round, QuorumCert high_qc,
                                std::optional<TimeoutCert> last_tc, std::uint32_t sender,
                                const crypto::PrivateKey& key);

// A QC with >= quorum signatures from distinct known signers, each valid over
// (chain_id, block_id, round). Refuses an empty QC (the genesis/root QC is trusted by the
// caller, not verified).
Status verify_qc(const ValidatorSet& vs, const QuorumCert& qc, const std::string& chain_id,
                 crypto::HashAlg alg);
Status verify_qc(const ValidatorSet& vs, const QuorumCert& qc, const ChainParams& c);
Status verify_tc(const ValidatorSet& vs, const TimeoutCert& tc, const ChainParams& c);
// Proposer index known and the signature valid over the block id (computed here; `id` out).
Status verify_proposal_signature(const ValidatorSet& vs, const Proposal& p, const ChainParams& c,
                                 BlockId* id = nullptr);
Status verify_header_signature(const ValidatorSet& vs, const BlockHeaderOnly& h, const ChainParams& c,
                               BlockId* id = nullptr);
Status verify_vote(const ValidatorSet& vs, const Vote& v, const ChainParams& c);
Status verify_timeout(const ValidatorSet& vs, const TimeoutMsg& t, const ChainParams& c);

// Checks a SyncResponse against the committed block the requester already trusts
// (`known_id`, e.g. its root): blocks[0].justify certifies known_id, each next block's justify
// certifies the previous one (ids recomputed, rounds increasing), every block's signature,
// payload hash and justify QC (except a justify over known_id equal to `known_qc`, which is
// trusted), and the commit proof: commit_child.round == last.round + 1, commit_child.justify
// certifies the last block, and commit_qc (valid) certifies the child. An empty `blocks` is OK
// (nothing to apply). Returns the ids of the blocks, in order.
Result<std::vector<BlockId>> verify_sync_response(const ValidatorSet& vs, const ChainParams& c,
                                                  const BlockId& known_id, const SyncResponse& r,
                                                  const QuorumCert* known_qc = nullptr);

// The last committed block and the QC that certifies it: where a Core starts.
struct Root {
  BlockHeaderOnly block;
  QuorumCert qc;  // qc.block_id == id(block); empty for the genesis root (round 0)
};

// The genesis root: a round-0 block with an empty justify, exec = the ledger's genesis block,
// and an empty QC over it. Every validator computes the same one.
Result<Root> genesis_root(const ChainParams& c, const ExecRef& genesis_exec);

}  // namespace formica::consensus
