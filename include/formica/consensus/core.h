#pragma once
// The consensus core: a pure, deterministic state machine (no sockets, threads or clock reads).
// docs/consensus.md describes the protocol; this header is the contract with the driver (node).
//
// Driving it
//   auto core = Core::create(config, &key, env, safety, root);  // root: genesis_root() or stored
//   apply(core->start(now));
//   on a decoded peer message:   apply(core.on_message(peer_index, msg, now));
//   when the timer fires:        apply(core.on_timer(now));
//   when the mempool gets txs:   apply(core.on_payload_available(now));
// where apply() performs the actions IN ORDER:
//   Broadcast{m}       send m to every other validator (the core handles its own copy itself)
//   SendTo{peer, m}    send m to one validator
//   Commit{...}        execute blocks_in_order (skip empty payloads: no ledger block) before the
//                      next call into the core, so Env::last_executed() reflects it afterwards
//   ScheduleTimer{t}   (re)arm THE single timer at t (replaces any earlier one); call on_timer
//                      when now >= t. t may equal now: "call me back right away" (the core uses
//                      that to resume after the driver executed a Commit).
//   CancelTimer        no timer is needed (idle)
//   Penalise{peer, r}  the peer sent something invalid (for peer scoring; the core already
//                      dropped it)
// The core answers FetchRequest and SyncRequest from memory (uncommitted blocks and the last
// max_committed_history committed ones); a driver with a block store may answer SyncRequest
// itself instead (the response must end with a commit proof, see verify_sync_response).
// The core never throws or aborts on peer input. It is not thread-safe: one caller at a time.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "formica/base/status.h"
#include "formica/consensus/safety.h"
#include "formica/consensus/types.h"
#include "formica/consensus/verify.h"
#include "formica/crypto/signature.h"

namespace formica::consensus {

enum class ExecCheck : std::uint8_t {
  kMatch = 1,  // I executed that height and my header hash is the same
  kMismatch,   // I executed that height and my header hash differs (do not vote)
  kUnknown,    // I have not executed that height yet (do not vote now; keep the block)
};

// What the core needs from the node. Called synchronously from inside the core's methods.
class Env {
 public:
  virtual ~Env() = default;
  // The last ledger block this node executed (genesis block: height 0).
  virtual ExecRef last_executed() = 0;
  // Whether the mempool holds transactions not yet in an uncommitted ancestor.
  virtual bool has_pending_payload() = 0;
  // Leader only: the payload for a block extending `parent` in `round`. The driver excludes
  // transactions already in uncommitted ancestors (Core::uncommitted_ancestors(parent)).
  // An empty payload is allowed.
  virtual Bytes make_payload(const BlockId& parent, Round round) = 0;
  // Stateless validity of a proposed payload (decodes, signatures, size). Error = do not vote.
  virtual Status check_payload(ByteView payload) = 0;
  // Compares a proposal's exec reference with this node's own execution.
  virtual ExecCheck check_exec(const ExecRef& exec) = 0;
};

struct CoreConfig {
  ChainParams chain;  // chain_id and hash alg (sha256 or sm3)
  ValidatorSet validators;
  std::optional<std::uint32_t> my_index;  // nullopt: observer (never votes or proposes)
  std::uint64_t base_timeout_ms = 1000;
  std::uint64_t max_timeout_ms = 60000;
  Round sync_window = 32;                      // QC more than this many rounds above root -> SyncRequest
  std::uint32_t sync_max_blocks = 64;          // blocks per SyncResponse
  std::uint32_t fetch_ancestors = 16;          // ancestors asked for with a FetchRequest
  std::uint32_t max_committed_history = 1024;  // committed blocks kept to serve SyncRequests
  std::uint32_t max_buffered_proposals = 256;  // proposals waiting for a missing parent
  Round max_future_rounds = 1000;              // messages further ahead than this are ignored
  // Leader reputation (docs/consensus.md): the leader of round r is drawn, seeded by the id of
  // the block the proposal extends, from the validators active (proposer or QC signer) in the
  // last `leader_window` blocks of that block's ancestry. 0: plain round-robin (r mod n).
  std::uint32_t leader_window = 10;
  MessageLimits limits;
};

enum class PenaltyReason : std::uint8_t {
  kMalformed = 1,    // structurally invalid (fields out of range, payload hash mismatch, ...)
  kBadSignature,     // a signature that does not verify
  kUnknownSigner,    // signer/proposer/sender index not in the validator set
  kBadQuorumCert,    // QC with too few, duplicate, unknown or bad signatures
  kBadTimeoutCert,   // TC likewise, or not matching the proposal's rounds
  kWrongLeader,      // proposal from a validator that is not leader(round)
  kWrongRound,       // rounds inconsistent (round <= justify.round, QC round != parent's, ...)
  kEquivocation,     // two different proposals, votes or timeouts for one round
  kBadPayload,       // Env::check_payload refused it
  kBadSyncResponse,  // verify_sync_response failed
  kUnsolicited,      // a response nobody asked for that does not help
};
std::string_view penalty_reason_name(PenaltyReason r);

struct Broadcast {
  Message message;
};
struct SendTo {
  std::uint32_t peer = 0;
  Message message;
};
struct Commit {
  std::vector<Proposal> blocks_in_order;  // oldest first; the last one is the newly committed tip
  QuorumCert commit_qc;                   // QC over `child` (completes the 2-chain)
  BlockHeaderOnly child;                  // child.justify certifies the last block; round = last + 1
};
struct ScheduleTimer {
  std::uint64_t deadline_ms = 0;
};
struct CancelTimer {};
// `peer` is the validator at fault: the sender of an invalid message, or for an equivocation the
// signer of the two conflicting messages (which may have been relayed by an honest peer).
struct Penalise {
  std::uint32_t peer = 0;
  PenaltyReason reason = PenaltyReason::kMalformed;
  std::string detail;  // for logs
};
using Action = std::variant<Broadcast, SendTo, Commit, ScheduleTimer, CancelTimer, Penalise>;

struct CoreStatus {
  Round round = 0;
  Round high_qc_round = 0;
  Round last_voted_round = 0;
  Round highest_timeout_round = 0;
  Round committed_round = 0;  // round of the last committed block
  BlockId committed_id{};
  std::uint64_t committed_blocks = 0;  // blocks committed by this core since it started
  std::size_t pending_blocks = 0;      // uncommitted blocks in the tree
  std::uint32_t consecutive_timeouts = 0;
  std::optional<std::uint64_t> timer_deadline_ms;
};

class Core {
 public:
  // `signer` must be the private key of validators[my_index] (nullptr for an observer); it and
  // `env`, `safety` must outlive the core. Loads SafetyData from `safety` (so a restarted
  // validator never votes twice in a round).
  static Result<std::unique_ptr<Core>> create(CoreConfig config, const crypto::PrivateKey* signer, Env& env,
                                              SafetyStore& safety, Root root);
  ~Core();
  Core(const Core&) = delete;
  Core& operator=(const Core&) = delete;

  std::vector<Action> start(std::uint64_t now_ms);
  // `from` is the validator index of the peer that sent `m` (the driver authenticated it).
  std::vector<Action> on_message(std::uint32_t from, const Message& m, std::uint64_t now_ms);
  // Safe to call at any time; does what is due at now_ms.
  std::vector<Action> on_timer(std::uint64_t now_ms);
  std::vector<Action> on_payload_available(std::uint64_t now_ms);

  // Introspection.
  CoreStatus status() const;
  Round round() const;
  const QuorumCert& high_qc() const;
  Round committed_round() const;
  std::uint64_t committed_block_count() const;
  const BlockId& committed_id() const;
  // Uncommitted blocks from `tip` back to (excluding) the committed root, newest first; empty if
  // `tip` is unknown or is the root. Pointers valid until the next call that mutates the core.
  std::vector<const Proposal*> uncommitted_ancestors(const BlockId& tip) const;
  // A block known to the core (uncommitted, or committed and still in history).
  const Proposal* find_block(const BlockId& id) const;
  const CoreConfig& config() const;

  struct Impl;

 private:
  explicit Core(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace formica::consensus
