#pragma once
// A Formica node: the chain on RocksDB, the mempool, the block producer and the JSON-RPC
// server, wired together.
//
// Single-validator mode (until consensus lands): the node's own key proposes every block. A
// block is cut when max_block_txs transactions are ready, or interval_ms after the first one
// arrived; an idle chain makes no blocks. A block is committed (fsync'd) before any of its
// receipts is handed out, so an acknowledged transaction survives SIGKILL.
//
// Thread-safety: open/start/stop from one thread; RPC handlers run on the server's threads.

#include <memory>

#include "formica/base/status.h"
#include "formica/ledger/chain.h"
#include "formica/ledger/mempool.h"
#include "formica/node/config.h"

namespace formica::node {

class Node {
 public:
  static Result<std::unique_ptr<Node>> open(const NodeConfig& config);
  ~Node();

  // Starts the RPC server and the block producer.
  Status start();
  // Stops both (idempotent). Committed blocks are already durable.
  void stop();

  std::uint16_t rpc_port() const;
  const ledger::Chain& chain() const;
  const ledger::Mempool& mempool() const;

  struct Impl;

 private:
  explicit Node(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace formica::node
