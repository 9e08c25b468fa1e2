#pragma once
// The deterministic executor: runs a block's transactions in order against the state.
//
// For each transaction (already stateless-checked): the sender must be registered, its nonce
// must equal the account's next nonce and the block height must not exceed expiry_height;
// otherwise the receipt says why and nothing changes. Then the nonce advances and the module
// runs in its own overlay: on success its writes and events are kept, on failure they are
// dropped and the receipt carries the error. Same block, same state -> same writes and
// receipts on every node.

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "formica/ledger/accounts.h"
#include "formica/ledger/event.h"
#include "formica/ledger/genesis.h"
#include "formica/ledger/module.h"
#include "formica/ledger/transaction.h"

namespace formica::ledger {

// A module that also seeds state from genesis.
class GenesisModule {
 public:
  virtual ~GenesisModule() = default;
  virtual Status init_genesis(Overlay& state, const Genesis& genesis) = 0;
};

class Executor {
 public:
  explicit Executor(ChainRules rules);

  // Registers a module (its name must be unique). `genesis_init` may be null.
  void add_module(std::shared_ptr<Module> module, std::shared_ptr<GenesisModule> genesis_init = nullptr);
  const Module* module(std::string_view name) const;
  const ChainRules& rules() const { return rules_; }

  // Writes the genesis state (orgs, accounts, then each module's init) into `state`.
  Status apply_genesis(Overlay& state, const Genesis& genesis) const;

  // Executes `txs` at `height`; `ids` are their transaction ids. Writes land in `state`.
  std::vector<Receipt> execute_block(Overlay& state, std::uint64_t height,
                                     const std::vector<Transaction>& txs, const std::vector<Hash>& ids) const;

  // One transaction, for the executor and tests.
  Receipt execute_tx(Overlay& state, std::uint64_t height, std::uint32_t index, const Transaction& tx,
                     const Hash& id) const;

 private:
  ChainRules rules_;
  std::vector<std::shared_ptr<Module>> modules_;  // registration order
  std::vector<std::shared_ptr<GenesisModule>> genesis_modules_;
  std::map<std::string, std::size_t, std::less<>> by_name_;
};

}  // namespace formica::ledger
