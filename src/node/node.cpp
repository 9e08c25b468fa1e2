#include "formica/node/node.h"

#include <fstream>
#include <sstream>

#include "formica/apps/bank.h"
#include "formica/apps/id.h"
#include "formica/apps/trace.h"
#include "formica/base/encoding.h"
#include "formica/base/log.h"
#include "formica/crypto/keyfile.h"
#include "formica/ledger/accounts.h"
#include "formica/node/trace_routes.h"
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
  FORMICA_TRY(admit_checked(tx, *checked, wire));
  replica->tx_admitted(tx);
  return *checked;
}

Status Node::Impl::admit_checked(const ledger::Transaction& tx, const ledger::Hash& id, std::size_t wire) {
  auto state = chain->head_state();
  FORMICA_ASSIGN_OR_RETURN(auto acct, ledger::Accounts::get_account(*state, tx.body.sender));
  if (!acct) return make_error(ErrorCode::kPermissionDenied, "unknown sender: not a registered account");
  if (tx.body.expiry_height <= chain->height())
    return make_error(ErrorCode::kFailedPrecondition,
                      "transaction expired at height " + std::to_string(tx.body.expiry_height));
  return mempool.add(tx, id, wire, acct->nonce);
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
  ropt.column_families = {std::string(ledger::kChainColumnFamily), std::string(ledger::kStateColumnFamily),
                          std::string(kConsensusColumnFamily)};
  FORMICA_ASSIGN_OR_RETURN(auto kv, storage::RocksDbKvStore::open(ropt));
  impl->kv = std::move(kv);
  impl->executor = std::make_unique<ledger::Executor>(impl->genesis.rules);
  auto bank = std::make_shared<apps::Bank>();
  impl->executor->add_module(bank, bank);
  impl->executor->add_module(std::make_shared<apps::Id>());
  impl->executor->add_module(std::make_shared<apps::Trace>(impl->genesis.rules.hash_alg));
  ledger::ChainOptions copt;
  copt.keep_versions = config.keep_versions;
  FORMICA_ASSIGN_OR_RETURN(impl->chain, ledger::Chain::open(*impl->kv, impl->genesis, *impl->executor, copt));

  ReplicaOptions ro;
  ro.name = config.name;
  ro.org = config.org;
  ro.max_block_txs = config.max_block_txs;
  ro.p2p_address = config.p2p_address;
  ro.p2p_port = config.p2p_port;
  for (const auto& p : config.peers) ro.peer_endpoints[p.name] = {p.host, p.port};
  if (impl->genesis.validators.size() > 1) {
    if (config.tls_cert.empty())
      return make_error(ErrorCode::kInvalidArgument,
                        "genesis has several validators: the config needs \"p2p\"");
    FORMICA_ASSIGN_OR_RETURN(ro.tls_cert_pem, read_text(config.tls_cert, 1u << 20));
    FORMICA_ASSIGN_OR_RETURN(ro.tls_key_pem, read_text(config.tls_key, 1u << 20));
  }
  Impl* raw = impl.get();
  ReplicaHooks hooks;
  hooks.committed = [raw](const ledger::ExecutedBlock& b) { raw->notify_committed(b); };
  hooks.admit = [raw](const ledger::Transaction& tx, const ledger::Hash& id, std::size_t wire) {
    return raw->admit_checked(tx, id, wire);
  };
  auto replica = Replica::create(std::move(ro), impl->genesis, *impl->chain, impl->mempool, *impl->kv,
                                 *impl->validator_key, std::move(hooks));
  secure_zero(ro.tls_key_pem.data(), ro.tls_key_pem.size());
  if (!replica.ok()) return replica.error();
  impl->replica = std::move(*replica);

  rpc::ServerOptions sopt;
  sopt.address = config.rpc_address;
  sopt.port = config.rpc_port;
  sopt.static_dir = config.static_dir;
  sopt.max_body_bytes = 32u << 20;  // batches of signed transactions
  impl->server = std::make_unique<rpc::Server>(sopt);
  impl->register_methods();
  FORMICA_TRY(install_trace_routes(*impl->server, *impl->chain));
  return std::unique_ptr<Node>(new Node(std::move(impl)));
}

Status Node::start() {
  FORMICA_TRY(impl_->server->start());
  if (auto s = impl_->replica->start(); !s.ok()) {
    impl_->server->stop();
    return s;
  }
  base::log::info("node {} serving JSON-RPC on {}:{} at height {}", impl_->config.name,
                  impl_->config.rpc_address, impl_->server->port(), impl_->chain->height());
  return ok_status();
}

void Node::stop() {
  if (!impl_) return;
  if (impl_->replica) impl_->replica->stop();
  if (impl_->server) impl_->server->stop();
}

std::uint16_t Node::rpc_port() const { return impl_->server->port(); }
const ledger::Chain& Node::chain() const { return *impl_->chain; }
const ledger::Mempool& Node::mempool() const { return impl_->mempool; }

}  // namespace formica::node
