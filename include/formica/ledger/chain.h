#pragma once
// The chain on disk: blocks, the authenticated state tree, receipts and indexes, committed
// atomically per block.
//
// One block = one KvStore write batch holding the state tree's new version, the block, its
// receipts, the transaction index, the event index and the new head — written with sync, so
// when commit returns the block survives a crash (SIGKILL or power loss) and a receipt that
// was handed out can never disappear.
//
// Column families: "chain" (blocks, receipts, indexes, head) and "state" (the tree).
// Keys in "chain": "B"+height8 -> Block; "H"+hash -> height8; "T"+tx_id -> height8+index4;
// "R"+height8+index4 -> Receipt; "E"+event_key+0x00+height8+index4+n2 -> (empty);
// "G" -> genesis hash; "N" -> head height8. Integers big-endian.
//
// Thread-safety: commit-side calls (apply_genesis_if_empty, execute, commit) are serialised by
// the caller (the block producer / consensus). Reads may run concurrently with them.

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "formica/ledger/block.h"
#include "formica/ledger/executor.h"
#include "formica/ledger/genesis.h"
#include "formica/storage/kv_store.h"
#include "formica/storage/state_tree.h"

namespace formica::ledger {

inline constexpr std::string_view kChainColumnFamily = "chain";
inline constexpr std::string_view kStateColumnFamily = "state";

// A state reader over one version of the state tree. A committed version never changes, so
// every answer (including "absent") is memoised, and the reads share one value-index cursor
// (StateTree::VersionReader). Not thread-safe: one reader per block execution or request.
class TreeStateReader final : public StateReader {
 public:
  // `head`: the version is the chain's head (committed, never pruned): no readability checks.
  TreeStateReader(const storage::StateTree& tree, std::uint64_t version, bool head = false)
      : tree_(tree), version_(version), head_(head) {}
  Result<std::optional<Bytes>> get(ByteView key) const override;

 private:
  const storage::StateTree& tree_;
  std::uint64_t version_;
  bool head_;
  mutable std::unique_ptr<storage::StateTree::VersionReader> reader_;
  mutable std::map<Bytes, std::optional<Bytes>> cache_;
};

// A block executed but not yet committed: its header (with roots), receipts and state writes.
struct ExecutedBlock {
  Block block;
  Hash hash{};
  std::vector<Hash> tx_ids;
  std::vector<Receipt> receipts;
  std::vector<storage::StateUpdate> updates;
  storage::WriteBatch staged;  // the state tree's records for this version, reused by commit
};

struct TxLocation {
  std::uint64_t height = 0;
  std::uint32_t index = 0;
};

struct EventRecord {
  std::uint64_t height = 0;
  std::uint32_t index = 0;  // transaction index in the block
  Hash tx_id{};
  Event event;
};

struct ChainOptions {
  std::uint64_t keep_versions = 0;  // state versions kept (0: all, an archive node)
};

class Chain {
 public:
  // Opens the chain in `kv` (which must have the "chain" and "state" column families). On an
  // empty store, writes the genesis block (height 0); on a non-empty one, checks that the
  // stored genesis hash matches `genesis` (kFailedPrecondition otherwise).
  static Result<std::unique_ptr<Chain>> open(storage::KvStore& kv, const Genesis& genesis,
                                             const Executor& executor, const ChainOptions& options = {});

  crypto::HashAlg hash_alg() const { return genesis_.rules.hash_alg; }
  const Genesis& genesis() const { return genesis_; }
  const Hash& genesis_hash() const { return genesis_hash_; }
  const Executor& executor() const { return executor_; }

  // The last committed block.
  BlockHeader head() const;
  Hash head_hash() const;
  std::uint64_t height() const { return head().height; }

  // Executes `txs` (already stateless-checked, with their ids) on top of the head, as block
  // head+1. Commits nothing.
  Result<ExecutedBlock> execute(std::vector<Transaction> txs, std::vector<Hash> ids,
                                const AddressBytes& proposer, std::uint64_t round,
                                std::uint64_t time_ms) const;
  // Writes an executed block atomically and durably; it must extend the current head. `extra`
  // (e.g. the consensus records that go with this block) lands in the same atomic batch.
  Status commit(const ExecutedBlock& block, const storage::WriteBatch* extra = nullptr);

  // Reads.
  Result<std::optional<Block>> block(std::uint64_t height) const;
  Result<std::optional<std::uint64_t>> height_of(const Hash& block_hash) const;
  Result<std::optional<TxLocation>> find_tx(const Hash& tx_id) const;
  Result<std::optional<Receipt>> receipt(std::uint64_t height, std::uint32_t index) const;
  // Events whose attribute "<module>.<attr>=<value>" equals `key`, from `from_height` on.
  Result<std::vector<EventRecord>> events(std::string_view key, std::uint64_t from_height,
                                          std::size_t limit) const;

  // State at a height (kFailedPrecondition below the pruning horizon).
  Result<std::optional<Bytes>> state_get(ByteView key, std::uint64_t height) const;
  Result<storage::StateRead> state_get_with_proof(ByteView key, std::uint64_t height) const;
  // A reader of the state at the head, valid until the next commit.
  std::unique_ptr<StateReader> head_state() const;
  std::unique_ptr<StateReader> state_at(std::uint64_t height) const;

 private:
  Chain(storage::KvStore& kv, Genesis genesis, const Executor& executor);
  Status write_block(const ExecutedBlock& block, bool genesis, const storage::WriteBatch* extra);

  storage::KvStore& kv_;
  Genesis genesis_;
  const Executor& executor_;
  storage::ColumnFamily chain_cf_{};
  std::unique_ptr<storage::StateTree> tree_;
  Hash genesis_hash_{};
  mutable std::mutex head_mu_;
  BlockHeader head_;
  Hash head_hash_{};
};

}  // namespace formica::ledger
