#pragma once
// Consensus wire types (Jolteon / DiemBFT-v4 style 2-chain HotStuff; docs/consensus.md).
//
// Every type is encoded with the canonical codec (FORMICA_CODEC_FIELDS). A message on the wire
// is one tag byte (MessageKind) followed by the encoded struct; encode_message/decode_message
// do that with size limits and typed errors. Nothing here verifies signatures: verify.h does.
//
// Vocabulary
// - A block is a Proposal. Its id (block_id(), verify.h) is a domain-separated hash over every
//   field except `payload` and `signature` (payload_hash stands in), plus the chain id, so a
//   light client can check an id from the header alone (BlockHeaderOnly).
// - A block's parent is the block its `justify` QC certifies (justify.block_id).
// - A QuorumCert holds 2f+1 vote signatures over (chain_id, block_id, round), sorted by signer
//   index, each signer at most once. The root QC of a fresh chain is empty (round 0).

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "formica/base/bytes.h"
#include "formica/base/status.h"
#include "formica/codec/error.h"
#include "formica/codec/fields.h"
#include "formica/crypto/hash.h"
#include "formica/crypto/signature.h"
#include "formica/ledger/types.h"

namespace formica::consensus {

using BlockId = crypto::Hash32;
using Round = std::uint64_t;

// The last ledger block the proposer had executed when it proposed: (height, header hash).
// A QC over a block whose exec names header h certifies h (honest validators vote only when
// exec matches their own deterministic execution).
struct ExecRef {
  std::uint64_t height = 0;
  crypto::Hash32 header_hash{};
  FORMICA_CODEC_FIELDS(height, header_hash)
  friend bool operator==(const ExecRef&, const ExecRef&) = default;
};

struct QcSignature {
  std::uint32_t signer = 0;  // index in the ValidatorSet
  Bytes signature;
  FORMICA_CODEC_FIELDS(signer, signature)
  friend bool operator==(const QcSignature&, const QcSignature&) = default;
};

struct QuorumCert {
  BlockId block_id{};
  Round round = 0;
  std::vector<QcSignature> signatures;  // strictly ascending signer (checked by the codec)
  FORMICA_CODEC_FIELDS(block_id, round, signatures)
  Status formica_codec_check() const;
  friend bool operator==(const QuorumCert&, const QuorumCert&) = default;
};

struct TimeoutCertEntry {
  std::uint32_t signer = 0;
  Round high_qc_round = 0;
  Bytes signature;  // over (chain_id, round, high_qc_round)
  FORMICA_CODEC_FIELDS(signer, high_qc_round, signature)
  friend bool operator==(const TimeoutCertEntry&, const TimeoutCertEntry&) = default;
};

struct TimeoutCert {
  Round round = 0;
  std::vector<TimeoutCertEntry> entries;  // strictly ascending signer (checked by the codec)
  FORMICA_CODEC_FIELDS(round, entries)
  Status formica_codec_check() const;
  Round max_high_qc_round() const;
  friend bool operator==(const TimeoutCert&, const TimeoutCert&) = default;
};

// A block. `payload` is opaque to consensus (the node puts encoded transactions there).
struct Proposal {
  Round round = 0;
  QuorumCert justify;             // certifies the parent
  std::optional<TimeoutCert> tc;  // TC of round - 1 when the previous round timed out
  ExecRef exec;                   // last ledger block the proposer had executed
  std::uint64_t time_ms = 0;      // proposer's clock; informational only
  std::uint32_t proposer = 0;     // index in the ValidatorSet; must be leader(round)
  crypto::Hash32 payload_hash{};  // hash_of(alg, "formica/consensus/payload/v1", payload)
  Bytes payload;
  Bytes signature;  // proposer's signature over the block id
  FORMICA_CODEC_FIELDS(round, justify, tc, exec, time_ms, proposer, payload_hash, payload, signature)
  friend bool operator==(const Proposal&, const Proposal&) = default;
};

// A block without its payload: enough to compute and check the block id and the signature.
struct BlockHeaderOnly {
  Round round = 0;
  QuorumCert justify;
  std::optional<TimeoutCert> tc;
  ExecRef exec;
  std::uint64_t time_ms = 0;
  std::uint32_t proposer = 0;
  crypto::Hash32 payload_hash{};
  Bytes signature;
  FORMICA_CODEC_FIELDS(round, justify, tc, exec, time_ms, proposer, payload_hash, signature)
  friend bool operator==(const BlockHeaderOnly&, const BlockHeaderOnly&) = default;
};

BlockHeaderOnly header_of(const Proposal& p);

struct Vote {
  BlockId block_id{};
  Round round = 0;
  std::uint32_t voter = 0;
  Bytes signature;  // over (chain_id, block_id, round)
  FORMICA_CODEC_FIELDS(block_id, round, voter, signature)
  friend bool operator==(const Vote&, const Vote&) = default;
};

struct TimeoutMsg {
  Round round = 0;
  QuorumCert high_qc;
  std::optional<TimeoutCert> last_tc;  // sender's highest TC (helps laggards; not signed)
  std::uint32_t sender = 0;
  Bytes signature;  // over (chain_id, round, high_qc.round)
  FORMICA_CODEC_FIELDS(round, high_qc, last_tc, sender, signature)
  friend bool operator==(const TimeoutMsg&, const TimeoutMsg&) = default;
};

// Asks for an uncommitted (or recently committed) block and up to `ancestors` of its ancestors.
struct FetchRequest {
  BlockId block_id{};
  std::uint32_t ancestors = 0;
  FORMICA_CODEC_FIELDS(block_id, ancestors)
};
// blocks[0] is the requested block, then its parent, grandparent, ... (possibly empty).
struct FetchResponse {
  std::vector<Proposal> blocks;
  FORMICA_CODEC_FIELDS(blocks)
};

// Asks for committed blocks after the requester's committed block `after` (its root).
struct SyncRequest {
  BlockId after{};
  Round after_round = 0;
  std::uint32_t max = 0;
  FORMICA_CODEC_FIELDS(after, after_round, max)
};
// Committed blocks in order, blocks[0].justify certifying the requested `after` block, then a
// commit proof for the last one: its child (round = last.round + 1, child.justify certifying
// last) and the QC over the child. Empty `blocks` means "nothing newer / cannot serve".
struct SyncResponse {
  BlockId after{};
  std::vector<Proposal> blocks;
  std::optional<BlockHeaderOnly> commit_child;
  std::optional<QuorumCert> commit_qc;
  FORMICA_CODEC_FIELDS(after, blocks, commit_child, commit_qc)
};

// What proves a round: the highest QC and TC the sender knows. Sent to a peer whose timeout
// shows it lags behind (it has no signature of its own: the QC and TC carry theirs).
struct SyncInfo {
  QuorumCert high_qc;
  std::optional<TimeoutCert> high_tc;
  FORMICA_CODEC_FIELDS(high_qc, high_tc)
};

// The tag byte of a message on the wire. Stable numbers.
enum class MessageKind : std::uint8_t {
  kProposal = 1,
  kVote = 2,
  kTimeout = 3,
  kFetchRequest = 4,
  kFetchResponse = 5,
  kSyncRequest = 6,
  kSyncResponse = 7,
  kSyncInfo = 8,
};
bool formica_codec_enum_valid(MessageKind k);
std::string_view message_kind_name(MessageKind k);

// The alternatives are in MessageKind order (index + 1 = tag).
using Message = std::variant<Proposal, Vote, TimeoutMsg, FetchRequest, FetchResponse, SyncRequest,
                             SyncResponse, SyncInfo>;
MessageKind kind_of(const Message& m);

struct MessageLimits {
  std::size_t max_message_bytes = 16u << 20;  // whole message, tag included
  std::size_t max_payload_bytes = 8u << 20;   // one byte string (a block payload)
  std::size_t max_count = 4096;               // elements of one list (signatures, blocks)
};

// Tag byte + canonical encoding. kInvalidArgument for an unencodable value, kTooLarge over limits.
Result<Bytes> encode_message(const Message& m, const MessageLimits& limits = {});
// Strict: unknown tag -> kUnsupported; non-canonical, truncated or trailing bytes -> kMalformed;
// over a limit -> kTooLarge. `failure` (when given) receives the codec's typed reason.
Result<Message> decode_message(ByteView wire, const MessageLimits& limits = {},
                               codec::Failure* failure = nullptr);

// ---- Validator set -------------------------------------------------------------------------

struct Validator {
  std::string name;
  std::string org;
  crypto::Scheme scheme = crypto::Scheme::kEd25519;
  Bytes public_key;
  ledger::AddressBytes address{};
};

// The ordered validators; leader(r) = validators[r % n]; quorum = floor(2n/3) + 1 (2f+1 for
// n = 3f+1). Public keys are parsed once at creation.
class ValidatorSet {
 public:
  // kInvalidArgument when empty, a key does not parse, or two validators share a key or name.
  static Result<ValidatorSet> create(std::vector<Validator> validators);

  std::uint32_t size() const { return static_cast<std::uint32_t>(validators_.size()); }
  std::uint32_t f() const { return (size() - 1) / 3; }
  std::uint32_t quorum() const { return size() * 2 / 3 + 1; }
  std::uint32_t leader(Round r) const { return static_cast<std::uint32_t>(r % size()); }
  const Validator& at(std::uint32_t i) const { return validators_.at(i); }
  const crypto::PublicKey& key(std::uint32_t i) const { return keys_.at(i); }
  std::optional<std::uint32_t> index_of(const crypto::PublicKey& key) const;
  const std::vector<Validator>& validators() const { return validators_; }

  // crypto::verify with validator `signer`'s key, remembering successes (exact (signer,
  // message, signature) triples, bounded) in a cache shared by copies of this set, so a vote
  // seen again inside a QC, a TC or a relayed block is not verified twice. Thread-safe.
  bool verify(std::uint32_t signer, ByteView message, ByteView signature) const;

  struct SigCache;

 private:
  std::vector<Validator> validators_;
  std::vector<crypto::PublicKey> keys_;
  std::shared_ptr<SigCache> cache_;
};

}  // namespace formica::consensus
