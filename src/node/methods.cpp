// The node's JSON-RPC methods (docs/rpc.md lists them with examples). Every feature is an RPC
// method first; the CLI and the web console only call these.

#include <chrono>

#include "formica/base/encoding.h"
#include "formica/codec/binary.h"
#include "formica/codec/json.h"
#include "formica/storage/state_proof.h"
#include "node_impl.h"

namespace formica::node {
namespace {

using codec::Json;

Error invalid(const std::string& what) { return make_error(ErrorCode::kInvalidArgument, what); }

Result<std::string> str_param(const Json& p, const char* key) {
  if (!p.is_object() || !p.contains(key) || !p[key].is_string())
    return invalid(std::string("params.") + key + " must be a string");
  return p[key].get<std::string>();
}

Result<ledger::Hash> hash_param(const Json& p, const char* key) {
  FORMICA_ASSIGN_OR_RETURN(std::string text, str_param(p, key));
  auto bytes = base::from_hex(text);
  if (!bytes.ok() || bytes->size() != 32)
    return invalid(std::string("params.") + key + " must be 32 bytes of hex");
  ledger::Hash h{};
  std::copy(bytes->begin(), bytes->end(), h.begin());
  return h;
}

bool wants_wait(const Json& p) {
  return p.is_object() && p.contains("wait") && p["wait"].is_boolean() && p["wait"];
}

// "latest", a number, or a decimal string; absent = latest.
Result<std::uint64_t> height_param(const Json& p, const ledger::Chain& chain, const char* key = "height") {
  if (!p.is_object() || !p.contains(key) || p[key].is_null()) return chain.height();
  const Json& h = p[key];
  if (h.is_string() && h.get<std::string>() == "latest") return chain.height();
  if (h.is_number_unsigned()) return h.get<std::uint64_t>();
  if (h.is_string()) {
    auto v = codec::u128_from_decimal(h.get<std::string>());
    if (v && *v <= UINT64_MAX) return static_cast<std::uint64_t>(*v);
  }
  return invalid(std::string("params.") + key + " must be \"latest\" or a height");
}

}  // namespace

codec::Json Node::Impl::consensus_status_json() const {
  auto st = replica->status();
  codec::Json peers = codec::Json::array();
  for (const auto& p : st.peers) {
    codec::Json pj = {{"index", p.index},
                      {"name", p.name},
                      {"connected", p.connected},
                      {"frames_in", p.frames_in},
                      {"frames_out", p.frames_out},
                      {"dropped_frames", p.dropped_frames},
                      {"penalty_score", p.penalty_score},
                      {"banned", p.banned}};
    if (p.has_penalty) pj["last_penalty"] = std::string(net::penalty_reason_name(p.last_penalty));
    peers.push_back(pj);
  }
  return {{"validators", st.validators},
          {"index", st.my_index ? codec::Json(*st.my_index) : codec::Json(nullptr)},
          {"round", st.core.round},
          {"high_qc_round", st.core.high_qc_round},
          {"committed_round", st.core.committed_round},
          {"last_voted_round", st.core.last_voted_round},
          {"pending_blocks", st.core.pending_blocks},
          {"consecutive_timeouts", st.core.consecutive_timeouts},
          {"certified_height", st.certified_height},
          {"peers", peers}};
}

void Node::Impl::register_methods() {
  auto& m = server->methods();
  (void)m.add("status", [this](const Json&) -> Result<Json> {
    auto head = chain->head();
    Json cstatus = consensus_status_json();
    std::size_t connected_peers = 0;
    for (const auto& p : cstatus["peers"]) connected_peers += p["connected"].get<bool>() ? 1 : 0;
    return Json{{"chain_id", genesis.rules.chain_id},
                {"node", config.name},
                {"org", config.org},
                {"height", head.height},
                {"hash", base::to_hex(chain->head_hash())},
                {"state_root", base::to_hex(head.state_root)},
                {"genesis_hash", base::to_hex(chain->genesis_hash())},
                {"hash_alg", crypto::hash_alg_name(genesis.rules.hash_alg)},
                {"round", cstatus["round"]},
                {"peers", connected_peers},
                {"validators", cstatus["validators"]},
                {"mempool_size", mempool.size()},
                {"proposer", ledger::address_text(proposer)},
                {"consensus", cstatus}};
  });

  // get_certificate {"height"} -> the light-client certificate of the nearest certified header
  // at or above `height`: a consensus block whose exec names that header, and the QC over it.
  (void)m.add("get_certificate", [this](const Json& p) -> Result<Json> {
    FORMICA_ASSIGN_OR_RETURN(std::uint64_t h, height_param(p, *chain));
    FORMICA_ASSIGN_OR_RETURN(auto cert, replica->certificate_at_or_above(h));
    if (!cert)
      return make_error(ErrorCode::kNotFound, "no certified header at or above " + std::to_string(h));
    FORMICA_ASSIGN_OR_RETURN(Bytes block_bytes, codec::encode(cert->second.block));
    FORMICA_ASSIGN_OR_RETURN(Bytes qc_bytes, codec::encode(cert->second.qc));
    FORMICA_ASSIGN_OR_RETURN(consensus::BlockId id,
                             consensus::block_id(replica->params(), cert->second.block));
    return Json{{"height", cert->first},
                {"header_hash", base::to_hex(cert->second.block.exec.header_hash)},
                {"block_id", base::to_hex(id)},
                {"round", cert->second.block.round},
                {"signers", cert->second.qc.signatures.size()},
                {"block_encoded", base::to_hex(block_bytes)},
                {"qc_encoded", base::to_hex(qc_bytes)}};
  });

  // get_validators -> the validator set from genesis (what a light client trusts)
  (void)m.add("get_validators", [this](const Json&) -> Result<Json> {
    Json vals = Json::array();
    const auto& vs = replica->validators();
    for (std::uint32_t i = 0; i < vs.size(); ++i) {
      const auto& v = vs.at(i);
      vals.push_back({{"index", i},
                      {"name", v.name},
                      {"org", v.org},
                      {"scheme", crypto::scheme_name(v.scheme)},
                      {"public_key", base::to_hex(v.public_key)},
                      {"address", ledger::address_text(v.address)}});
    }
    return Json{{"chain_id", genesis.rules.chain_id},
                {"hash_alg", crypto::hash_alg_name(genesis.rules.hash_alg)},
                {"quorum", vs.quorum()},
                {"validators", vals}};
  });

  // submit_tx {"tx": hex, "wait": bool} -> {"tx_id", "receipt"|null}
  (void)m.add_async("submit_tx", [this](const Json& p, rpc::Reply reply) {
    auto hex = str_param(p, "tx");
    if (!hex.ok()) return reply(hex.error());
    auto wire = base::from_hex(*hex);
    if (!wire.ok()) return reply(invalid("params.tx: " + wire.error().message));
    auto tx = ledger::decode_transaction(*wire);
    if (!tx.ok()) return reply(make_error(ErrorCode::kMalformed, "transaction: " + tx.error().message));
    auto id = admit(*tx, ledger::check_stateless(*tx, genesis.rules), wire->size());
    if (!id.ok()) return reply(id.error());
    std::string id_hex = base::to_hex(*id);
    if (!wants_wait(p)) return reply(Json{{"tx_id", id_hex}, {"receipt", nullptr}});
    wait_for(*id, [reply, id_hex](Result<Json> r) {
      if (!r.ok()) return reply(r.error());
      reply(Json{{"tx_id", id_hex}, {"receipt", *r}});
    });
  });

  // submit_batch {"txs": [hex], "wait": bool} -> {"results": [{"tx_id"} | {"error"}], "receipts"?}
  (void)m.add_async("submit_batch", [this](const Json& p, rpc::Reply reply) {
    if (!p.is_object() || !p.contains("txs") || !p["txs"].is_array())
      return reply(invalid("params.txs must be an array of hex transactions"));
    const Json& arr = p["txs"];
    std::vector<ledger::Transaction> txs;
    std::vector<std::size_t> sizes;
    std::vector<std::optional<Error>> early(arr.size());
    std::vector<std::size_t> slot;
    for (std::size_t i = 0; i < arr.size(); ++i) {
      if (!arr[i].is_string()) {
        early[i] = invalid("not a hex string");
        continue;
      }
      auto wire = base::from_hex(arr[i].get<std::string>());
      if (!wire.ok()) {
        early[i] = wire.error();
        continue;
      }
      auto tx = ledger::decode_transaction(*wire);
      if (!tx.ok()) {
        early[i] = tx.error();
        continue;
      }
      txs.push_back(std::move(*tx));
      sizes.push_back(wire->size());
      slot.push_back(i);
    }
    auto checked = ledger::check_stateless_batch(txs, genesis.rules);
    Json results = Json::array();
    for (std::size_t i = 0; i < arr.size(); ++i) results.push_back(Json::object());
    auto pending = std::make_shared<std::vector<ledger::Hash>>();
    for (std::size_t k = 0; k < txs.size(); ++k) {
      auto id = admit(txs[k], checked[k], sizes[k]);
      if (id.ok()) {
        results[slot[k]] = Json{{"tx_id", base::to_hex(*id)}};
        pending->push_back(*id);
      } else {
        results[slot[k]] = Json{{"error", id.error().to_string()}};
      }
    }
    for (std::size_t i = 0; i < arr.size(); ++i)
      if (early[i]) results[i] = Json{{"error", early[i]->to_string()}};
    if (!wants_wait(p) || pending->empty()) return reply(Json{{"results", results}});
    // Reply once every admitted transaction has its receipt.
    struct Gather {
      std::mutex mu;
      std::size_t left;
      Json receipts = Json::object();
      Json results;
    };
    auto g = std::make_shared<Gather>();
    g->left = pending->size();
    g->results = std::move(results);
    for (const auto& id : *pending) {
      std::string id_hex = base::to_hex(id);
      wait_for(id, [g, reply, id_hex](Result<Json> r) {
        std::lock_guard lock(g->mu);
        g->receipts[id_hex] = r.ok() ? *r : Json{{"error", r.error().to_string()}};
        if (--g->left == 0) reply(Json{{"results", g->results}, {"receipts", g->receipts}});
      });
    }
  });

  // get_tx {"tx_id"} -> {"tx", "height", "index", "receipt"}
  (void)m.add("get_tx", [this](const Json& p) -> Result<Json> {
    FORMICA_ASSIGN_OR_RETURN(ledger::Hash id, hash_param(p, "tx_id"));
    FORMICA_ASSIGN_OR_RETURN(auto loc, chain->find_tx(id));
    if (!loc) {
      if (mempool.contains(id)) return Json{{"tx_id", base::to_hex(id)}, {"status", "pending"}};
      return make_error(ErrorCode::kNotFound, "no transaction " + base::to_hex(id));
    }
    FORMICA_ASSIGN_OR_RETURN(auto block, chain->block(loc->height));
    FORMICA_ASSIGN_OR_RETURN(auto receipt, chain->receipt(loc->height, loc->index));
    if (!block || !receipt || loc->index >= block->txs.size())
      return make_error(ErrorCode::kInternal, "index points at a missing block");
    FORMICA_ASSIGN_OR_RETURN(Json txj, codec::to_json(block->txs[loc->index]));
    FORMICA_ASSIGN_OR_RETURN(Json rj, receipt_json(*receipt));
    txj["body"]["sender_address"] = ledger::address_text(block->txs[loc->index].body.sender);
    return Json{{"tx_id", base::to_hex(id)},
                {"status", "committed"},
                {"height", loc->height},
                {"index", loc->index},
                {"tx", txj},
                {"receipt", rj}};
  });

  // get_block {"height": "latest"|n, "full": bool}
  (void)m.add("get_block", [this](const Json& p) -> Result<Json> {
    FORMICA_ASSIGN_OR_RETURN(std::uint64_t h, height_param(p, *chain));
    FORMICA_ASSIGN_OR_RETURN(auto block, chain->block(h));
    if (!block) return make_error(ErrorCode::kNotFound, "no block at height " + std::to_string(h));
    FORMICA_ASSIGN_OR_RETURN(ledger::Hash hash, ledger::header_hash(block->header, chain->hash_alg()));
    FORMICA_ASSIGN_OR_RETURN(Json out, header_json(block->header, hash));
    Json ids = Json::array();
    for (const auto& tx : block->txs) {
      FORMICA_ASSIGN_OR_RETURN(ledger::Hash id, ledger::tx_id(tx.body, chain->hash_alg()));
      ids.push_back(base::to_hex(id));
    }
    out["tx_ids"] = ids;
    if (p.is_object() && p.contains("receipts") && p["receipts"].is_boolean() && p["receipts"]) {
      Json receipts = Json::array();
      for (std::uint32_t i = 0; i < block->txs.size(); ++i) {
        FORMICA_ASSIGN_OR_RETURN(auto r, chain->receipt(h, i));
        if (!r) return make_error(ErrorCode::kInternal, "missing receipt");
        FORMICA_ASSIGN_OR_RETURN(Json rj, receipt_json(*r));
        receipts.push_back(rj);
      }
      out["receipts"] = receipts;
    }
    FORMICA_ASSIGN_OR_RETURN(Bytes header_bytes, codec::encode(block->header));
    out["header_encoded"] = base::to_hex(header_bytes);
    return out;
  });

  // get_state {"key": hex, "height"?} -> value and its proof against the header's state root
  (void)m.add("get_state", [this](const Json& p) -> Result<Json> {
    FORMICA_ASSIGN_OR_RETURN(std::string key_hex, str_param(p, "key"));
    FORMICA_ASSIGN_OR_RETURN(Bytes key, base::from_hex(key_hex));
    FORMICA_ASSIGN_OR_RETURN(std::uint64_t h, height_param(p, *chain));
    FORMICA_ASSIGN_OR_RETURN(auto block, chain->block(h));
    if (!block) return make_error(ErrorCode::kNotFound, "no block at height " + std::to_string(h));
    FORMICA_ASSIGN_OR_RETURN(auto read, chain->state_get_with_proof(key, h));
    FORMICA_ASSIGN_OR_RETURN(ledger::Hash hash, ledger::header_hash(block->header, chain->hash_alg()));
    FORMICA_ASSIGN_OR_RETURN(Json header, header_json(block->header, hash));
    FORMICA_ASSIGN_OR_RETURN(Bytes header_bytes, codec::encode(block->header));
    return Json{{"key", key_hex},
                {"height", h},
                {"value", read.value ? Json(base::to_hex(*read.value)) : Json(nullptr)},
                {"proof", base::to_hex(storage::encode_state_proof(read.proof))},
                {"hash_alg", crypto::hash_alg_name(chain->hash_alg())},
                {"header", header},
                {"header_encoded", base::to_hex(header_bytes)}};
  });

  // query {"module", "path", "params", "height"?}
  (void)m.add("query", [this](const Json& p) -> Result<Json> {
    FORMICA_ASSIGN_OR_RETURN(std::string module, str_param(p, "module"));
    FORMICA_ASSIGN_OR_RETURN(std::string path, str_param(p, "path"));
    FORMICA_ASSIGN_OR_RETURN(std::uint64_t h, height_param(p, *chain));
    const ledger::Module* mod = executor->module(module);
    if (mod == nullptr) return make_error(ErrorCode::kNotFound, "no module '" + module + "'");
    auto state = chain->state_at(h);
    Json params = p.contains("params") ? p["params"] : Json::object();
    FORMICA_ASSIGN_OR_RETURN(Json result, mod->query(*state, path, params));
    return Json{{"height", h}, {"result", result}};
  });

  // events {"key": "bank.to=fm1…", "from_height"?, "limit"?}
  (void)m.add("events", [this](const Json& p) -> Result<Json> {
    FORMICA_ASSIGN_OR_RETURN(std::string key, str_param(p, "key"));
    std::uint64_t from = 0;
    if (p.contains("from_height")) {
      FORMICA_ASSIGN_OR_RETURN(from, height_param(p, *chain, "from_height"));
    }
    std::size_t limit = 100;
    if (p.contains("limit")) {
      if (!p["limit"].is_number_unsigned() || p["limit"].get<std::uint64_t>() > 1000)
        return invalid("params.limit must be 1..1000");
      limit = p["limit"].get<std::size_t>();
    }
    FORMICA_ASSIGN_OR_RETURN(auto recs, chain->events(key, from, limit));
    Json out = Json::array();
    for (const auto& r : recs) {
      Json attrs = Json::object();
      for (const auto& [k, v] : r.event.attributes) attrs[k] = v;
      out.push_back(Json{{"height", r.height},
                         {"index", r.index},
                         {"tx_id", base::to_hex(r.tx_id)},
                         {"module", r.event.module},
                         {"kind", r.event.kind},
                         {"attributes", attrs}});
    }
    return Json{{"events", out}};
  });

  // genesis {} -> the genesis document
  (void)m.add("genesis", [this](const Json&) -> Result<Json> { return codec::parse_json(genesis.raw_json); });
}

}  // namespace formica::node
