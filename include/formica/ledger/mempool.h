#pragma once
// The mempool: stateless-checked transactions waiting for a block.
//
// - Deduplicated by transaction id (adding a known id is a no-op that succeeds).
// - Per sender, transactions are kept by nonce; a block takes, for each sender, only the run
//   of consecutive nonces starting at the account's next nonce, so a block never carries a
//   transaction that must fail for its nonce. A second transaction with a sender's pending
//   nonce is refused (no replacement).
// - Bounded: at most max_txs transactions and max_bytes of encoded transactions; beyond that
//   new transactions are refused with kUnavailable ("mempool full"), never silently dropped.
// - Deterministic selection: senders are served in order of their oldest pending transaction.
//
// Thread-safety: every method may be called from any thread.

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <vector>

#include "formica/ledger/transaction.h"

namespace formica::ledger {

struct MempoolOptions {
  std::size_t max_txs = 200'000;
  std::size_t max_bytes = 256u << 20;
  std::size_t max_per_sender = 10'000;
};

class Mempool {
 public:
  explicit Mempool(MempoolOptions options = {}) : options_(options) {}

  // Adds a transaction that passed check_stateless with id `id`; `wire_size` is its encoded
  // size. `next_nonce` is the sender's next nonce in the committed state: older nonces are
  // refused (kFailedPrecondition, "nonce already used").
  Status add(Transaction tx, const Hash& id, std::size_t wire_size, std::uint64_t next_nonce);

  // Up to `max` transactions ready for the next block. `next_nonce(sender)` gives each sender's
  // next nonce in the committed state. Does not remove them.
  std::vector<std::pair<Transaction, Hash>> ready(
      std::size_t max, const std::function<std::uint64_t(const AddressBytes&)>& next_nonce) const;

  // Drops committed transactions and every pending one whose nonce is now used or that expired.
  void remove_committed(const std::vector<Hash>& ids, std::uint64_t height,
                        const std::function<std::uint64_t(const AddressBytes&)>& next_nonce);

  bool contains(const Hash& id) const;
  std::size_t size() const;
  std::size_t bytes() const;

 private:
  struct Entry {
    Transaction tx;
    Hash id;
    std::size_t size;
    std::uint64_t seq;  // arrival order
  };
  void erase_locked(const AddressBytes& sender, std::uint64_t nonce);

  MempoolOptions options_;
  mutable std::mutex mu_;
  std::map<AddressBytes, std::map<std::uint64_t, Entry>> by_sender_;
  std::map<Hash, std::pair<AddressBytes, std::uint64_t>> by_id_;
  std::size_t bytes_ = 0;
  std::uint64_t seq_ = 0;
};

}  // namespace formica::ledger
