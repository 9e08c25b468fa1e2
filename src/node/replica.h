#pragma once
// The replica: drives the consensus core for this node (docs/consensus.md, "Driving it").
//
// One thread owns the core. Peer messages (from the transport's thread), "the mempool has
// transactions" signals (from RPC threads) and the pacemaker's timer are queued to it; it feeds
// them to the core and carries out the core's actions in order: sends through the transport,
// executes committed blocks into the ledger (with the consensus records in the same atomic
// batch), arms the timer. Transactions admitted over RPC are gossiped to the other validators
// in batches; gossiped ones are checked (signatures in parallel) before they enter the mempool.
//
// Records in the "consensus" column family (integers big-endian):
//   "consensus/safety/v1"  SafetyData (consensus::KvSafetyStore, written with sync)
//   "root"                 the last committed block and its QC (where the core restarts)
//   "K"+round8             a committed block (for peers that sync)
//   "I"+block_id           round8 of a committed block
//   "P"+round8             the commit proof {child header, QC} of a commit point
//   "U"+round8+block_id    a block not yet committed (restored into the core on restart)
//   "C"+height8            a light-client certificate for ledger header `height`: a block whose
//                          exec names that header, and the QC over that block

#include <atomic>
#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <vector>

#include "formica/codec/fields.h"
#include "formica/consensus/core.h"
#include "formica/ledger/chain.h"
#include "formica/ledger/mempool.h"
#include "formica/net/transport.h"

namespace formica::node {

// What a block's payload holds: the transactions, in block order.
struct Payload {
  std::vector<ledger::Transaction> txs;
  FORMICA_CODEC_FIELDS(txs)
};

// The light-client certificate of a ledger header: `block` names the header in its exec
// reference and `qc` (2f+1 validators) certifies `block`.
struct HeaderCertificate {
  consensus::BlockHeaderOnly block;
  consensus::QuorumCert qc;
  FORMICA_CODEC_FIELDS(block, qc)
};

struct CommitProof {
  consensus::BlockHeaderOnly child;
  consensus::QuorumCert qc;
  FORMICA_CODEC_FIELDS(child, qc)
};

struct StoredRoot {
  consensus::BlockHeaderOnly block;
  consensus::QuorumCert qc;
  FORMICA_CODEC_FIELDS(block, qc)
};

inline constexpr std::uint8_t kConsensusChannel = 1;
inline constexpr std::uint8_t kTxGossipChannel = 2;
inline constexpr std::string_view kConsensusColumnFamily = "consensus";

struct ReplicaHooks {
  // Called on the replica thread after each ledger block is durably committed.
  std::function<void(const ledger::ExecutedBlock&)> committed;
  // Admits a gossiped transaction (already stateless-checked) into the mempool.
  std::function<Status(const ledger::Transaction&, const ledger::Hash&, std::size_t)> admit;
};

struct ReplicaOptions {
  std::string name;
  std::string org;
  std::size_t max_block_txs = 5000;
  std::string p2p_address = "127.0.0.1";
  std::uint16_t p2p_port = 0;
  std::string tls_cert_pem;
  std::string tls_key_pem;
  std::map<std::string, std::pair<std::string, std::uint16_t>> peer_endpoints;  // name -> host, port
};

class Replica : private consensus::Env {
 public:
  static Result<std::unique_ptr<Replica>> create(ReplicaOptions options, const ledger::Genesis& genesis,
                                                 ledger::Chain& chain, ledger::Mempool& mempool,
                                                 storage::KvStore& kv, const crypto::PrivateKey& key,
                                                 ReplicaHooks hooks);
  ~Replica() override;
  Status start();
  void stop();

  // From RPC threads: a transaction entered the mempool (gossip it; maybe propose).
  void tx_admitted(const ledger::Transaction& tx);

  // Status for RPC (any thread).
  struct Status_ {
    consensus::CoreStatus core;
    std::uint32_t validators = 0;
    std::optional<std::uint32_t> my_index;
    std::vector<net::PeerStatus> peers;
    std::uint64_t certified_height = 0;
  };
  Status_ status() const;
  const consensus::ValidatorSet& validators() const { return vset_; }
  const consensus::ChainParams& params() const { return params_; }
  // The certificate of the nearest certified ledger header at or above `height`.
  Result<std::optional<std::pair<std::uint64_t, HeaderCertificate>>> certificate_at_or_above(
      std::uint64_t height) const;

 private:
  Replica() = default;

  // consensus::Env
  consensus::ExecRef last_executed() override;
  bool has_pending_payload() override;
  Bytes make_payload(const consensus::BlockId& parent, consensus::Round round) override;
  Status check_payload(ByteView payload) override;
  consensus::ExecCheck check_exec(const consensus::ExecRef& exec) override;

  void loop();
  void apply(std::vector<consensus::Action> actions);
  void commit(const consensus::Commit& c);
  void record_certificate();
  void persist_pending(const consensus::Proposal& p);
  void drop_pending_upto(consensus::Round round, storage::WriteBatch& batch);
  void replay_pending();
  void flush_gossip();
  void regossip(std::optional<std::uint32_t> peer);
  void on_gossip(std::uint32_t peer, const Bytes& bytes);
  Status serve_sync(std::uint32_t peer, const consensus::SyncRequest& req);
  const std::vector<std::pair<ledger::AddressBytes, std::uint64_t>>& payload_nonces(
      const consensus::Proposal& p);
  static std::uint64_t now_ms();

  ReplicaOptions options_;
  consensus::ChainParams params_;
  consensus::ValidatorSet vset_;
  std::optional<std::uint32_t> my_index_;
  ledger::Chain* chain_ = nullptr;
  ledger::Mempool* mempool_ = nullptr;
  storage::KvStore* kv_ = nullptr;
  storage::ColumnFamily cf_{};
  const crypto::PrivateKey* key_ = nullptr;
  ReplicaHooks hooks_;
  ledger::ChainRules rules_;
  std::unique_ptr<consensus::KvSafetyStore> safety_;
  std::unique_ptr<consensus::Core> core_;
  std::unique_ptr<net::Transport> transport_;

  // Queue to the replica thread.
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::pair<std::uint32_t, Bytes>> inbox_;
  bool payload_signal_ = false;
  bool stopping_ = false;
  std::vector<ledger::Transaction> gossip_out_;
  std::vector<std::uint32_t> peers_up_;
  std::thread thread_;

  // Replica-thread state.
  std::optional<std::uint64_t> deadline_;
  std::map<consensus::BlockId, std::vector<std::pair<ledger::AddressBytes, std::uint64_t>>> nonce_cache_;
  std::map<std::uint64_t, ledger::Hash> recent_headers_;      // height -> header hash
  std::map<consensus::BlockId, consensus::Round> persisted_;  // uncommitted blocks on disk
  std::uint64_t last_progress_ms_ = 0;
  std::uint64_t last_regossip_ms_ = 0;
  std::atomic<std::uint64_t> certified_height_{0};

  mutable std::mutex status_mu_;
  consensus::CoreStatus last_status_;
};

}  // namespace formica::node
