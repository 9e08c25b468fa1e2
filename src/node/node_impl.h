#pragma once
// Internals of Node shared by node.cpp (lifecycle, block producer) and methods.cpp (RPC).

#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include "formica/crypto/signature.h"
#include "formica/ledger/chain.h"
#include "formica/ledger/executor.h"
#include "formica/ledger/mempool.h"
#include "formica/node/config.h"
#include "formica/node/node.h"
#include "formica/rpc/server.h"
#include "formica/storage/kv_store.h"
#include "replica.h"

namespace formica::node {

struct Node::Impl {
  NodeConfig config;
  ledger::Genesis genesis;
  std::unique_ptr<storage::KvStore> kv;
  std::unique_ptr<ledger::Executor> executor;
  std::unique_ptr<ledger::Chain> chain;
  ledger::Mempool mempool;
  std::unique_ptr<crypto::PrivateKey> validator_key;
  ledger::AddressBytes proposer{};
  std::unique_ptr<rpc::Server> server;

  // Consensus (one validator or many) and the validator-to-validator links.
  std::unique_ptr<Replica> replica;

  // Callers waiting for a receipt: tx id -> callbacks (run with the receipt's JSON).
  std::mutex waiters_mu;
  std::map<ledger::Hash, std::vector<std::function<void(Result<codec::Json>)>>> waiters;

  std::uint64_t next_nonce(const ledger::AddressBytes& a) const;
  // Checks, then adds to the mempool and gossips it. On success returns the transaction id.
  Result<ledger::Hash> admit(const ledger::Transaction& tx, const Result<ledger::Hash>& checked,
                             std::size_t wire);
  // The stateful part of admit (no gossip): for transactions gossiped by other validators.
  Status admit_checked(const ledger::Transaction& tx, const ledger::Hash& id, std::size_t wire);
  // Registers `done` to run with the receipt when `id` is committed (at once if it already is).
  void wait_for(const ledger::Hash& id, std::function<void(Result<codec::Json>)> done);
  void notify_committed(const ledger::ExecutedBlock& block);
  void register_methods();
  codec::Json consensus_status_json() const;
};

// JSON views shared by RPC methods and events.
Result<codec::Json> receipt_json(const ledger::Receipt& r);
Result<codec::Json> header_json(const ledger::BlockHeader& h, const ledger::Hash& hash);

}  // namespace formica::node
