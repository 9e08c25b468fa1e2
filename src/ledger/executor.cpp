#include "formica/ledger/executor.h"

#include <cassert>

namespace formica::ledger {

Executor::Executor(ChainRules rules) : rules_(std::move(rules)) {
  // The accounts module is always present: it owns registration, roles and nonces.
  add_module(std::make_shared<Accounts>());
}

void Executor::add_module(std::shared_ptr<Module> module, std::shared_ptr<GenesisModule> genesis_init) {
  assert(module && by_name_.count(module->name()) == 0);
  by_name_.emplace(std::string(module->name()), modules_.size());
  modules_.push_back(std::move(module));
  if (genesis_init) genesis_modules_.push_back(std::move(genesis_init));
}

const Module* Executor::module(std::string_view name) const {
  auto it = by_name_.find(name);
  return it == by_name_.end() ? nullptr : modules_[it->second].get();
}

Status Executor::apply_genesis(Overlay& state, const Genesis& genesis) const {
  for (const auto& [name, display] : genesis.orgs)
    FORMICA_TRY(Accounts::put_org(state, OrgRecord{name, display}));
  for (const auto& a : genesis.accounts) {
    AccountRecord rec;
    rec.org = a.org;
    rec.roles.insert(a.roles.begin(), a.roles.end());
    FORMICA_TRY(Accounts::put_account(state, a.address, rec));
  }
  for (const auto& m : genesis_modules_) FORMICA_TRY(m->init_genesis(state, genesis));
  return ok_status();
}

Receipt Executor::execute_tx(Overlay& state, std::uint64_t height, std::uint32_t index, const Transaction& tx,
                             const Hash& id) const {
  Receipt r;
  r.tx_id = id;
  r.height = height;
  r.index = index;
  auto refuse = [&](const Error& e) {
    r.status = TxStatus::kRejected;
    r.error = e.to_string();
    r.events.clear();
    return r;
  };
  const TxBody& b = tx.body;
  auto acct = Accounts::get_account(state, b.sender);
  if (!acct.ok()) return refuse(acct.error());
  if (!acct->has_value())
    return refuse(make_error(ErrorCode::kPermissionDenied, "unknown sender: not registered"));
  if (b.nonce != (*acct)->nonce)
    return refuse(make_error(
        ErrorCode::kFailedPrecondition,
        "nonce " + std::to_string(b.nonce) + " is not the expected " + std::to_string((*acct)->nonce)));
  if (height > b.expiry_height)
    return refuse(
        make_error(ErrorCode::kFailedPrecondition, "expired at height " + std::to_string(b.expiry_height)));

  // From here on the transaction is included: its nonce is used whatever the module says.
  AccountRecord next = **acct;
  next.nonce += 1;
  if (auto s = Accounts::put_account(state, b.sender, next); !s.ok()) return refuse(s.error());

  auto it = by_name_.find(b.module);
  if (it == by_name_.end())
    return refuse(make_error(ErrorCode::kUnsupported, "no module '" + b.module + "'"));
  Overlay tx_state(state);
  TxContext ctx{tx_state, height, b.sender, id, r.events};
  Status s = modules_[it->second]->execute(ctx, b.kind, b.payload);
  if (!s.ok()) return refuse(s.error());
  tx_state.merge_into(state);
  r.status = TxStatus::kOk;
  return r;
}

std::vector<Receipt> Executor::execute_block(Overlay& state, std::uint64_t height,
                                             const std::vector<Transaction>& txs,
                                             const std::vector<Hash>& ids) const {
  assert(txs.size() == ids.size());
  std::vector<Receipt> receipts;
  receipts.reserve(txs.size());
  for (std::size_t i = 0; i < txs.size(); ++i)
    receipts.push_back(execute_tx(state, height, static_cast<std::uint32_t>(i), txs[i], ids[i]));
  return receipts;
}

}  // namespace formica::ledger
