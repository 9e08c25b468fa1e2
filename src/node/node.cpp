#include "formica/node/node.h"

#include <chrono>
#include <fstream>
#include <sstream>

#include "formica/apps/bank.h"
#include "formica/base/encoding.h"
#include "formica/base/log.h"
#include "formica/crypto/keyfile.h"
#include "formica/ledger/accounts.h"
#include "formica/storage/rocksdb_kv_store.h"
#include "node_impl.h"

namespace formica::node {
namespace {

Result<std::string> read_text(const std::filesystem::path& p, std::size_t max = 16u << 20) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return make_error(ErrorCode::kMalformed, p.string() + ": cannot open");
  std::stringstream ss;
  ss << in.rdbuf();
  std::string s = ss.str();
  if (s.size() > max) return make_error(ErrorCode::kTooLarge, p.string() + ": too large");
  return s;
}

}  // namespace

Result<codec::Json> receipt_json(const ledger::Receipt& r) {
  codec::Json j = {{"tx_id", base::to_hex(r.tx_id)},
                   {"height", r.height},
                   {"index", r.index},
                   {"status", r.status == ledger::TxStatus::kOk ? "ok" : "rejected"},
                   {"error", r.error}};
  j["events"] = codec::Json::array();
  for (const auto& e : r.events) {
    codec::Json ev = {{"module", e.module}, {"kind", e.kind}, {"attributes", codec::Json::object()}};
    for (const auto& [k, v] : e.attributes) ev["attributes"][k] = v;
    j["events"].push_back(ev);
  }
  return j;
}

Result<codec::Json> header_json(const ledger::BlockHeader& h, const ledger::Hash& hash) {
  return codec::Json{{"height", h.height},
                     {"hash", base::to_hex(hash)},
                     {"parent_hash", base::to_hex(h.parent_hash)},
                     {"state_root", base::to_hex(h.state_root)},
                     {"tx_root", base::to_hex(h.tx_root)},
                     {"receipts_root", base::to_hex(h.receipts_root)},
                     {"tx_count", h.tx_count},
                     {"round", h.round},
                     {"time_ms", h.time_ms},
                     {"proposer", ledger::address_text(h.proposer)},
                     {"chain_id", h.chain_id},
                     {"qc", nullptr}};
}

std::uint64_t Node::Impl::next_nonce(const ledger::AddressBytes& a) const {
  auto state = chain->head_state();
  auto acct = ledger::Accounts::get_account(*state, a);
  if (!acct.ok() || !acct->has_value()) return 0;
  return (*acct)->nonce;
}

Result<ledger::Hash> Node::Impl::admit(const ledger::Transaction& tx, const Result<ledger::Hash>& checked,
                                       std::size_t wire) {
  if (!checked.ok()) return checked.error();
  auto state = chain->head_state();
  FORMICA_ASSIGN_OR_RETURN(auto acct, ledger::Accounts::get_account(*state, tx.body.sender));
  if (!acct) return make_error(ErrorCode::kPermissionDenied, "unknown sender: not a registered account");
  if (tx.body.expiry_height <= chain->height())
    return make_error(ErrorCode::kFailedPrecondition,
                      "transaction expired at height " + std::to_string(tx.body.expiry_height));
  FORMICA_TRY(mempool.add(tx, *checked, wire, acct->nonce));
  { std::lock_guard lock(mu); }
  wake.notify_one();
  return *checked;
}

void Node::Impl::wait_for(const ledger::Hash& id, std::function<void(Result<codec::Json>)> done) {
  {
    std::lock_guard lock(waiters_mu);
    auto loc = chain->find_tx(id);
    if (!loc.ok()) {
      done(loc.error());
      return;
    }
    if (!loc->has_value()) {
      waiters[id].push_back(std::move(done));
      return;
    }
  }
  auto loc = *chain->find_tx(id);
  auto r = chain->receipt(loc->height, loc->index);
  if (!r.ok() || !r->has_value()) {
    done(make_error(ErrorCode::kInternal, "receipt missing for a committed transaction"));
    return;
  }
  done(receipt_json(**r));
}

void Node::Impl::notify_committed(const ledger::ExecutedBlock& block) {
  std::vector<std::pair<std::function<void(Result<codec::Json>)>, Result<codec::Json>>> ready;
  {
    std::lock_guard lock(waiters_mu);
    for (const auto& r : block.receipts) {
      auto it = waiters.find(r.tx_id);
      if (it == waiters.end()) continue;
      for (auto& cb : it->second) ready.emplace_back(std::move(cb), receipt_json(r));
      waiters.erase(it);
    }
  }
  for (auto& [cb, j] : ready) cb(std::move(j));
  if (server) {
    auto h = header_json(block.block.header, block.hash);
    if (h.ok()) server->publish("new_blocks", *h);
    for (const auto& r : block.receipts) {
      auto rj = receipt_json(r);
      if (!rj.ok()) continue;
      for (std::size_t n = 0; n < r.events.size(); ++n)
        for (const auto& [attr, value] : r.events[n].attributes)
          server->publish(
              "events:" + r.events[n].module + "." + attr + "=" + value,
              codec::Json{
                  {"height", r.height}, {"tx_id", base::to_hex(r.tx_id)}, {"event", (*rj)["events"][n]}});
    }
  }
}

void Node::Impl::produce_loop() {
  auto nonce_fn = [this](const ledger::AddressBytes& a) { return next_nonce(a); };
  while (true) {
    {
      std::unique_lock lock(mu);
      wake.wait(lock, [&] { return stopping || mempool.size() > 0; });
      if (stopping) return;
      // Let the block fill for a moment, unless it is already full.
      if (mempool.size() < config.max_block_txs && config.block_interval_ms > 0)
        wake.wait_for(lock, std::chrono::milliseconds(config.block_interval_ms),
                      [&] { return stopping || mempool.size() >= config.max_block_txs; });
      if (stopping) return;
    }
    auto ready = mempool.ready(config.max_block_txs, nonce_fn);
    if (ready.empty()) {
      // Everything pending waits for a missing nonce; drop what expired and wait for more.
      mempool.remove_committed({}, chain->height(), nonce_fn);
      std::unique_lock lock(mu);
      wake.wait_for(lock, std::chrono::milliseconds(100));
      continue;
    }
    std::vector<ledger::Transaction> txs;
    std::vector<ledger::Hash> ids;
    txs.reserve(ready.size());
    ids.reserve(ready.size());
    for (auto& [tx, id] : ready) {
      txs.push_back(std::move(tx));
      ids.push_back(id);
    }
    auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::system_clock::now().time_since_epoch())
                   .count();
    auto eb = chain->execute(std::move(txs), ids, proposer, 0, static_cast<std::uint64_t>(now));
    if (!eb.ok()) {
      base::log::error("execute failed: {}", eb.error().to_string());
      std::unique_lock lock(mu);
      wake.wait_for(lock, std::chrono::milliseconds(500));
      continue;
    }
    if (auto s = chain->commit(*eb); !s.ok()) {
      base::log::error("commit failed: {}", s.error().to_string());
      std::unique_lock lock(mu);
      wake.wait_for(lock, std::chrono::milliseconds(500));
      continue;
    }
    mempool.remove_committed(ids, eb->block.header.height, nonce_fn);
    base::log::debug("block {} committed with {} transactions", eb->block.header.height, ids.size());
    notify_committed(*eb);
  }
}

Node::Node(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Node::~Node() { stop(); }

Result<std::unique_ptr<Node>> Node::open(const NodeConfig& config) {
  auto impl = std::make_unique<Impl>();
  impl->config = config;
  FORMICA_ASSIGN_OR_RETURN(std::string genesis_text, read_text(config.genesis));
  FORMICA_ASSIGN_OR_RETURN(impl->genesis, ledger::parse_genesis(genesis_text));
  // The validator key.
  FORMICA_ASSIGN_OR_RETURN(std::string key_text, read_text(config.key, 64 * 1024));
  std::string password;
  if (!config.key_password_file.empty()) {
    FORMICA_ASSIGN_OR_RETURN(password, read_text(config.key_password_file, 4096));
    while (!password.empty() && (password.back() == '\n' || password.back() == '\r')) password.pop_back();
  }
  auto key = crypto::decrypt_key_file(as_bytes(key_text), password);
  secure_zero(password.data(), password.size());
  if (!key.ok()) return make_error(key.code(), config.key.string() + ": " + key.error().message);
  impl->validator_key = std::make_unique<crypto::PrivateKey>(std::move(key).value());
  impl->proposer = crypto::Address::of(impl->validator_key->public_key()).to_bytes();

  storage::RocksDbOptions ropt;
  ropt.path = config.data_dir.string();
  ropt.column_families = {std::string(ledger::kChainColumnFamily), std::string(ledger::kStateColumnFamily)};
  FORMICA_ASSIGN_OR_RETURN(auto kv, storage::RocksDbKvStore::open(ropt));
  impl->kv = std::move(kv);
  impl->executor = std::make_unique<ledger::Executor>(impl->genesis.rules);
  auto bank = std::make_shared<apps::Bank>();
  impl->executor->add_module(bank, bank);
  ledger::ChainOptions copt;
  copt.keep_versions = config.keep_versions;
  FORMICA_ASSIGN_OR_RETURN(impl->chain, ledger::Chain::open(*impl->kv, impl->genesis, *impl->executor, copt));

  rpc::ServerOptions sopt;
  sopt.address = config.rpc_address;
  sopt.port = config.rpc_port;
  sopt.static_dir = config.static_dir;
  sopt.max_body_bytes = 32u << 20;  // batches of signed transactions
  impl->server = std::make_unique<rpc::Server>(sopt);
  impl->register_methods();
  return std::unique_ptr<Node>(new Node(std::move(impl)));
}

Status Node::start() {
  FORMICA_TRY(impl_->server->start());
  impl_->producer = std::thread([this] { impl_->produce_loop(); });
  base::log::info("node {} serving JSON-RPC on {}:{} at height {}", impl_->config.name,
                  impl_->config.rpc_address, impl_->server->port(), impl_->chain->height());
  return ok_status();
}

void Node::stop() {
  if (!impl_) return;
  {
    std::lock_guard lock(impl_->mu);
    impl_->stopping = true;
  }
  impl_->wake.notify_all();
  if (impl_->producer.joinable()) impl_->producer.join();
  if (impl_->server) impl_->server->stop();
}

std::uint16_t Node::rpc_port() const { return impl_->server->port(); }
const ledger::Chain& Node::chain() const { return *impl_->chain; }
const ledger::Mempool& Node::mempool() const { return impl_->mempool; }

}  // namespace formica::node
