#include "replica.h"

#include <algorithm>
#include <chrono>

#include "formica/base/encoding.h"
#include "formica/base/log.h"
#include "formica/codec/binary.h"
#include "formica/crypto/address.h"
#include "formica/ledger/accounts.h"

namespace formica::node {
namespace {

constexpr std::size_t kMaxPayloadTxs = 100'000;
constexpr std::size_t kRecentHeaders = 1024;
constexpr std::uint32_t kMaxSyncBlocks = 64;
constexpr std::size_t kMaxSyncBytes = 8u << 20;

// Sized up front: GCC 12 warns falsely (-Warray-bounds) on a one-byte vector grown by insert.
Bytes round_key(char tag, std::uint64_t round) {
  Bytes k(9);
  k[0] = static_cast<std::uint8_t>(tag);
  for (int i = 0; i < 8; ++i)
    k[static_cast<std::size_t>(8 - i)] = static_cast<std::uint8_t>(round >> (8 * i));
  return k;
}

Bytes id_key(char tag, const consensus::BlockId& id) {
  Bytes k(1 + id.size());
  k[0] = static_cast<std::uint8_t>(tag);
  std::copy(id.begin(), id.end(), k.begin() + 1);
  return k;
}

std::uint64_t read_be8(ByteView b) {
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < 8 && i < b.size(); ++i) v = (v << 8) | b[i];
  return v;
}

const Bytes& root_key() {
  static const Bytes k{'r', 'o', 'o', 't'};
  return k;
}

codec::Limits payload_limits() {
  codec::Limits l;
  l.max_input = 16u << 20;
  l.max_count = kMaxPayloadTxs;
  return l;
}

net::PenaltyReason to_net_reason(consensus::PenaltyReason r) {
  switch (r) {
    case consensus::PenaltyReason::kBadSignature:
    case consensus::PenaltyReason::kBadQuorumCert:
    case consensus::PenaltyReason::kBadTimeoutCert: return net::PenaltyReason::kBadSignature;
    case consensus::PenaltyReason::kMalformed:
    case consensus::PenaltyReason::kBadPayload:
    case consensus::PenaltyReason::kBadSyncResponse: return net::PenaltyReason::kInvalidMessage;
    default: return net::PenaltyReason::kProtocolViolation;
  }
}

}  // namespace

std::uint64_t Replica::now_ms() {
  return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                        std::chrono::system_clock::now().time_since_epoch())
                                        .count());
}

Result<std::unique_ptr<Replica>> Replica::create(ReplicaOptions options, const ledger::Genesis& genesis,
                                                 ledger::Chain& chain, ledger::Mempool& mempool,
                                                 storage::KvStore& kv, const crypto::PrivateKey& key,
                                                 ReplicaHooks hooks) {
  std::unique_ptr<Replica> r(new Replica());
  r->options_ = std::move(options);
  r->params_ = consensus::ChainParams{genesis.rules.chain_id, genesis.rules.hash_alg};
  r->rules_ = genesis.rules;
  r->chain_ = &chain;
  r->mempool_ = &mempool;
  r->kv_ = &kv;
  r->key_ = &key;
  r->hooks_ = std::move(hooks);

  std::vector<consensus::Validator> vals;
  for (const auto& v : genesis.validators) vals.push_back({v.name, v.org, v.scheme, v.public_key, v.address});
  if (vals.empty()) {
    // A development chain whose genesis names no validator: this node alone validates it.
    const auto pub = key.public_key();
    vals.push_back({r->options_.name, r->options_.org, pub.scheme(),
                    Bytes(pub.bytes().begin(), pub.bytes().end()), crypto::Address::of(pub).to_bytes()});
  }
  FORMICA_ASSIGN_OR_RETURN(r->vset_, consensus::ValidatorSet::create(std::move(vals)));
  r->my_index_ = r->vset_.index_of(key.public_key());
  if (!r->my_index_ && r->vset_.size() > 1)
    return make_error(ErrorCode::kFailedPrecondition,
                      "this node's key is not one of genesis' validators (observer nodes are not built yet)");
  FORMICA_ASSIGN_OR_RETURN(r->cf_, kv.column_family(kConsensusColumnFamily));
  r->safety_ = std::make_unique<consensus::KvSafetyStore>(kv, r->cf_);

  // Where the core starts: the stored root, or the genesis root.
  consensus::Root root;
  FORMICA_ASSIGN_OR_RETURN(auto stored, kv.get(r->cf_, root_key()));
  if (stored) {
    FORMICA_ASSIGN_OR_RETURN(StoredRoot sr, codec::decode<StoredRoot>(*stored));
    root.block = std::move(sr.block);
    root.qc = std::move(sr.qc);
  } else {
    FORMICA_ASSIGN_OR_RETURN(auto b0, chain.block(0));
    if (!b0) return make_error(ErrorCode::kInternal, "the chain has no genesis block");
    FORMICA_ASSIGN_OR_RETURN(ledger::Hash h0, ledger::header_hash(b0->header, chain.hash_alg()));
    FORMICA_ASSIGN_OR_RETURN(root, consensus::genesis_root(r->params_, consensus::ExecRef{0, h0}));
  }
  // The last certified ledger height.
  {
    storage::ReadOptions ro;
    ro.lower_bound = Bytes(1, 'C');
    ro.upper_bound = Bytes(1, 'D');
    FORMICA_ASSIGN_OR_RETURN(auto it, kv.iterator(r->cf_, ro));
    it->seek_to_last();
    if (it->valid()) r->certified_height_ = read_be8(it->key().subspan(1));
  }

  consensus::CoreConfig cc;
  cc.chain = r->params_;
  cc.validators = r->vset_;
  cc.my_index = r->my_index_;
  if (genesis.consensus_timeout_ms > 0) cc.base_timeout_ms = genesis.consensus_timeout_ms;
  // Back-off stops at 10 s so a validator that was cut off for long tries again soon after.
  cc.max_timeout_ms = std::max<std::uint64_t>(cc.base_timeout_ms, 10'000);
  FORMICA_ASSIGN_OR_RETURN(r->core_, consensus::Core::create(std::move(cc), r->my_index_ ? &key : nullptr, *r,
                                                             *r->safety_, std::move(root)));

  if (r->vset_.size() > 1) {
    net::TransportOptions to;
    to.listen_address = r->options_.p2p_address;
    to.listen_port = r->options_.p2p_port;
    to.my_index = *r->my_index_;
    to.my_name = r->vset_.at(*r->my_index_).name;
    for (std::uint32_t i = 0; i < r->vset_.size(); ++i) {
      if (i == *r->my_index_) continue;
      const auto& v = r->vset_.at(i);
      auto ep = r->options_.peer_endpoints.find(v.name);
      if (ep == r->options_.peer_endpoints.end())
        return make_error(ErrorCode::kInvalidArgument,
                          "config p2p.peers has no endpoint for validator " + v.name);
      to.peers.push_back({i, v.name, v.org, ep->second.first, ep->second.second});
    }
    to.ca_roots_pem = genesis.ca_roots;
    to.cert_pem = r->options_.tls_cert_pem;
    to.key_pem = r->options_.tls_key_pem;
    const auto& gh = chain.genesis_hash();
    to.network_tag = Bytes(gh.begin(), gh.end());
    Replica* self = r.get();
    net::TransportHandlers th;
    th.on_message = [self](std::uint32_t peer, std::uint8_t channel, Bytes payload) {
      if (channel == kTxGossipChannel) {
        self->on_gossip(peer, payload);
        return;
      }
      if (channel != kConsensusChannel) {
        self->transport_->penalise(peer, net::PenaltyReason::kProtocolViolation, "unknown channel");
        return;
      }
      {
        std::lock_guard lock(self->mu_);
        if (self->inbox_.size() > 100'000) return;  // the replica is far behind: shed load
        self->inbox_.emplace_back(peer, std::move(payload));
      }
      self->cv_.notify_one();
    };
    th.on_peer_up = [self](std::uint32_t peer) {
      base::log::info("p2p: validator {} connected", peer);
      {
        std::lock_guard lock(self->mu_);
        self->peers_up_.push_back(peer);
      }
      self->cv_.notify_one();
    };
    th.on_peer_down = [](std::uint32_t peer) { base::log::info("p2p: validator {} disconnected", peer); };
    FORMICA_ASSIGN_OR_RETURN(r->transport_, net::Transport::create(std::move(to), std::move(th)));
  }
  secure_zero(r->options_.tls_key_pem.data(), r->options_.tls_key_pem.size());
  r->options_.tls_key_pem.clear();
  r->last_status_ = r->core_->status();
  return r;
}

Replica::~Replica() { stop(); }

Status Replica::start() {
  if (transport_) FORMICA_TRY(transport_->start());
  thread_ = std::thread([this] { loop(); });
  return ok_status();
}

void Replica::stop() {
  {
    std::lock_guard lock(mu_);
    if (stopping_ && !thread_.joinable() && !transport_) return;
    stopping_ = true;
  }
  cv_.notify_all();
  if (transport_) transport_->stop();  // no handler runs after this
  if (thread_.joinable()) thread_.join();
}

void Replica::tx_admitted(const ledger::Transaction& tx) {
  {
    std::lock_guard lock(mu_);
    if (transport_) gossip_out_.push_back(tx);
    payload_signal_ = true;
  }
  cv_.notify_one();
}

void Replica::on_gossip(std::uint32_t peer, const Bytes& bytes) {
  auto p = codec::decode<Payload>(bytes, payload_limits());
  if (!p.ok()) {
    transport_->penalise(peer, net::PenaltyReason::kInvalidMessage, "tx gossip: " + p.error().message);
    return;
  }
  // Transactions already in our mempool were verified when they entered it: not again.
  auto checked = ledger::check_stateless_batch(
      p->txs, rules_, [&](const ledger::Hash& id) { return mempool_->contains(id); });
  bool any = false;
  for (std::size_t i = 0; i < p->txs.size(); ++i) {
    if (!checked[i].ok()) {
      transport_->penalise(peer, net::PenaltyReason::kBadSignature,
                           "tx gossip: " + checked[i].error().message);
      return;
    }
    if (mempool_->contains(*checked[i])) continue;
    any = hooks_.admit(p->txs[i], *checked[i], 0).ok() || any;
  }
  if (any) {
    {
      std::lock_guard lock(mu_);
      payload_signal_ = true;
    }
    cv_.notify_one();
  }
}

void Replica::flush_gossip() {
  std::vector<ledger::Transaction> out;
  {
    std::lock_guard lock(mu_);
    out.swap(gossip_out_);
  }
  if (out.empty() || !transport_) return;
  // Batches of at most a few thousand transactions per frame.
  for (std::size_t i = 0; i < out.size(); i += 4096) {
    Payload p;
    const std::size_t end = std::min(out.size(), i + 4096);
    p.txs.assign(std::make_move_iterator(out.begin() + static_cast<std::ptrdiff_t>(i)),
                 std::make_move_iterator(out.begin() + static_cast<std::ptrdiff_t>(end)));
    auto bytes = codec::encode(p);
    if (bytes.ok()) transport_->broadcast(kTxGossipChannel, *bytes);
  }
}

void Replica::loop() {
  apply(core_->start(now_ms()));
  replay_pending();
  for (;;) {
    std::deque<std::pair<std::uint32_t, Bytes>> inbox;
    std::vector<std::uint32_t> peers_up;
    bool payload = false;
    {
      std::unique_lock lock(mu_);
      auto ready = [&] {
        return stopping_ || !inbox_.empty() || payload_signal_ || !gossip_out_.empty() || !peers_up_.empty();
      };
      // With transactions waiting, wake at least every second to re-gossip them if stuck.
      std::optional<std::uint64_t> wake = deadline_;
      if (transport_ && mempool_->size() > 0) wake = std::min(wake.value_or(UINT64_MAX), now_ms() + 1000);
      if (wake) {
        const auto now = now_ms();
        if (*wake > now) cv_.wait_for(lock, std::chrono::milliseconds(*wake - now), ready);
      } else {
        cv_.wait(lock, ready);
      }
      if (stopping_) return;
      inbox.swap(inbox_);
      peers_up.swap(peers_up_);
      payload = payload_signal_;
      payload_signal_ = false;
    }
    flush_gossip();
    // A (re)connected validator learns where we are: if it was cut off, our highest QC tells
    // it how far behind it is, and it syncs.
    for (auto peer : peers_up) {
      auto bytes = consensus::encode_message(consensus::SyncInfo{core_->high_qc(), std::nullopt},
                                             core_->config().limits);
      if (bytes.ok() && transport_) transport_->send(peer, kConsensusChannel, std::move(*bytes));
      // Frames to a peer that was down are dropped: give it what is waiting here.
      regossip(peer);
    }
    // Transactions waiting while nothing commits may never have reached the leader (dropped
    // on a link that was down): offer them again, at most every two seconds.
    if (transport_ && mempool_->size() > 0 && now_ms() >= last_progress_ms_ + 2000 &&
        now_ms() >= last_regossip_ms_ + 2000) {
      last_regossip_ms_ = now_ms();
      regossip(std::nullopt);
    }
    for (auto& [peer, bytes] : inbox) {
      codec::Failure why{};
      auto msg = consensus::decode_message(bytes, core_->config().limits, &why);
      if (!msg.ok()) {
        if (transport_)
          transport_->penalise(peer, net::PenaltyReason::kInvalidMessage,
                               "consensus: " + msg.error().message);
        continue;
      }
      if (const auto* prop = std::get_if<consensus::Proposal>(&*msg)) persist_pending(*prop);
      if (const auto* req = std::get_if<consensus::SyncRequest>(&*msg)) {
        // Committed blocks are served from disk: a peer may be thousands of blocks behind.
        if (auto s = serve_sync(peer, *req); !s.ok()) base::log::warn("sync: {}", s.error().to_string());
        continue;
      }
      apply(core_->on_message(peer, *msg, now_ms()));
    }
    if (payload) apply(core_->on_payload_available(now_ms()));
    if (deadline_ && now_ms() >= *deadline_) {
      deadline_.reset();
      apply(core_->on_timer(now_ms()));
    }
    record_certificate();
    std::lock_guard lock(status_mu_);
    last_status_ = core_->status();
  }
}

void Replica::apply(std::vector<consensus::Action> actions) {
  // The certified chain above the committed root, on disk before any of these actions (a
  // vote among them) leaves this node.
  for (const auto* b : core_->uncommitted_ancestors(core_->high_qc().block_id)) persist_pending(*b);
  for (auto& a : actions) {
    std::visit(
        [&](auto& act) {
          using T = std::decay_t<decltype(act)>;
          if constexpr (std::is_same_v<T, consensus::Broadcast>) {
            if (const auto* prop = std::get_if<consensus::Proposal>(&act.message)) persist_pending(*prop);
            if (!transport_) return;
            auto bytes = consensus::encode_message(act.message, core_->config().limits);
            if (bytes.ok()) transport_->broadcast(kConsensusChannel, *bytes);
          } else if constexpr (std::is_same_v<T, consensus::SendTo>) {
            if (!transport_) return;
            auto bytes = consensus::encode_message(act.message, core_->config().limits);
            if (bytes.ok()) transport_->send(act.peer, kConsensusChannel, std::move(*bytes));
          } else if constexpr (std::is_same_v<T, consensus::Commit>) {
            commit(act);
          } else if constexpr (std::is_same_v<T, consensus::ScheduleTimer>) {
            deadline_ = act.deadline_ms;
          } else if constexpr (std::is_same_v<T, consensus::CancelTimer>) {
            deadline_.reset();
          } else if constexpr (std::is_same_v<T, consensus::Penalise>) {
            base::log::info("consensus: validator {} penalised ({}): {}", act.peer,
                            consensus::penalty_reason_name(act.reason), act.detail);
            if (transport_) transport_->penalise(act.peer, to_net_reason(act.reason), act.detail);
          }
        },
        a);
  }
}

void Replica::commit(const consensus::Commit& c) {
  for (std::size_t i = 0; i < c.blocks_in_order.size(); ++i) {
    const consensus::Proposal& blk = c.blocks_in_order[i];
    const bool last = i + 1 == c.blocks_in_order.size();
    auto id = consensus::block_id(params_, blk);
    if (!id.ok()) {
      base::log::error("commit: cannot hash block of round {}: {}", blk.round, id.error().to_string());
      return;
    }
    StoredRoot root{consensus::header_of(blk), last ? c.child.justify : c.blocks_in_order[i + 1].justify};
    storage::WriteBatch extra;
    auto enc_root = codec::encode(root);
    auto enc_blk = codec::encode(blk);
    if (!enc_root.ok() || !enc_blk.ok()) {
      base::log::error("commit: cannot encode block of round {}", blk.round);
      return;
    }
    extra.put(cf_, root_key(), *enc_root);
    extra.put(cf_, round_key('K', blk.round), *enc_blk);
    Bytes r8 = round_key('K', blk.round);
    extra.put(cf_, id_key('I', *id), ByteView(r8).subspan(1));
    if (last) {
      auto proof = codec::encode(CommitProof{c.child, c.commit_qc});
      if (proof.ok()) extra.put(cf_, round_key('P', blk.round), *proof);
      drop_pending_upto(blk.round, extra);
    }
    nonce_cache_.erase(*id);

    std::vector<ledger::Transaction> txs;
    std::vector<ledger::Hash> ids;
    if (!blk.payload.empty()) {
      auto p = codec::decode<Payload>(blk.payload, payload_limits());
      if (!p.ok()) {
        // 2f+1 validators checked it, so this cannot happen with an honest quorum; every node
        // decodes the same bytes the same way, so skipping it keeps them in agreement.
        base::log::error("commit: undecodable payload in round {}: {}", blk.round, p.error().to_string());
      } else {
        std::set<ledger::Hash> seen;
        for (auto& tx : p->txs) {
          auto tid = ledger::tx_id(tx.body, chain_->hash_alg());
          if (!tid.ok()) continue;
          // A transaction already on chain (or twice in this block) is skipped, the same way on
          // every node: its receipt must stay the one it first got.
          auto loc = chain_->find_tx(*tid);
          if (!loc.ok() || loc->has_value() || !seen.insert(*tid).second) continue;
          txs.push_back(std::move(tx));
          ids.push_back(*tid);
        }
      }
    }
    if (txs.empty()) {
      // An empty block makes no ledger block; its consensus records still land.
      if (auto s = kv_->write(extra, storage::WriteOptions{.sync = false}); !s.ok())
        base::log::error("commit: {}", s.error().to_string());
      continue;
    }
    const auto proposer = vset_.at(blk.proposer).address;
    auto eb = chain_->execute(std::move(txs), ids, proposer, blk.round, blk.time_ms);
    if (!eb.ok()) {
      base::log::error("commit: executing round {} failed: {}", blk.round, eb.error().to_string());
      std::abort();  // local storage failure: never continue with a ledger that diverged
    }
    if (auto s = chain_->commit(*eb, &extra); !s.ok()) {
      base::log::error("commit: writing block {} failed: {}", eb->block.header.height, s.error().to_string());
      std::abort();
    }
    recent_headers_[eb->block.header.height] = eb->hash;
    while (recent_headers_.size() > kRecentHeaders) recent_headers_.erase(recent_headers_.begin());
    auto state = chain_->head_state();
    mempool_->remove_committed(ids, eb->block.header.height,
                               [&](const ledger::AddressBytes& a) -> std::uint64_t {
                                 auto acct = ledger::Accounts::get_account(*state, a);
                                 return acct.ok() && acct->has_value() ? (*acct)->nonce : 0;
                               });
    if (hooks_.committed) hooks_.committed(*eb);
    last_progress_ms_ = now_ms();
  }
}

void Replica::regossip(std::optional<std::uint32_t> peer) {
  auto state = chain_->head_state();
  auto ready = mempool_->ready(4096, [&](const ledger::AddressBytes& a) -> std::uint64_t {
    auto acct = ledger::Accounts::get_account(*state, a);
    return acct.ok() && acct->has_value() ? (*acct)->nonce : 0;
  });
  if (ready.empty()) return;
  Payload p;
  for (auto& [tx, id] : ready) p.txs.push_back(std::move(tx));
  auto bytes = codec::encode(p, payload_limits());
  if (!bytes.ok()) return;
  if (peer) {
    transport_->send(*peer, kTxGossipChannel, std::move(*bytes));
  } else {
    transport_->broadcast(kTxGossipChannel, *bytes);
  }
}

// Blocks not yet committed are kept on disk: a validator restarted after voting must still
// know the block its highest QC certifies, or it could never extend it (a network of one has
// no peer to fetch it from). Written before the core sees the block, so before any vote for it
// leaves (the vote's synced safety write flushes the log up to here).
void Replica::persist_pending(const consensus::Proposal& p) {
  if (p.round <= core_->committed_round()) return;
  auto id = consensus::block_id(params_, p);
  if (!id.ok() || persisted_.count(*id) != 0) return;
  auto bytes = codec::encode(p);
  if (!bytes.ok()) return;
  persisted_.emplace(*id, p.round);
  Bytes key = round_key('U', p.round);
  key.insert(key.end(), id->begin(), id->end());
  storage::WriteBatch b;
  b.put(cf_, key, *bytes);
  if (auto s = kv_->write(b); !s.ok())
    base::log::warn("consensus: cannot keep block: {}", s.error().to_string());
}

void Replica::drop_pending_upto(consensus::Round round, storage::WriteBatch& batch) {
  for (auto it = persisted_.begin(); it != persisted_.end();)
    it = it->second <= round ? persisted_.erase(it) : std::next(it);
  storage::ReadOptions ro;
  ro.lower_bound = Bytes(1, 'U');
  ro.upper_bound = round_key('U', round + 1);
  auto it = kv_->iterator(cf_, ro);
  if (!it.ok()) return;
  for ((*it)->seek_to_first(); (*it)->valid(); (*it)->next()) {
    Bytes k((*it)->key().begin(), (*it)->key().end());
    batch.del(cf_, k);
  }
}

void Replica::replay_pending() {
  storage::ReadOptions ro;
  ro.lower_bound = Bytes(1, 'U');
  ro.upper_bound = Bytes(1, 'V');
  auto it = kv_->iterator(cf_, ro);
  if (!it.ok()) return;
  std::vector<consensus::Proposal> blocks;
  for ((*it)->seek_to_first(); (*it)->valid(); (*it)->next()) {
    auto p = codec::decode<consensus::Proposal>((*it)->value());
    if (p.ok() && p->round > core_->committed_round()) blocks.push_back(std::move(*p));
  }
  // In round order, so each block's parent is known when it arrives.
  for (auto& p : blocks) apply(core_->on_message(p.proposer, consensus::Message(p), now_ms()));
  if (!blocks.empty()) base::log::info("consensus: {} uncommitted blocks restored", blocks.size());
}

void Replica::record_certificate() {
  const auto& qc = core_->high_qc();
  if (qc.signatures.empty()) return;
  const consensus::Proposal* blk = core_->find_block(qc.block_id);
  if (blk == nullptr || blk->exec.height <= certified_height_) return;
  if (check_exec(blk->exec) != consensus::ExecCheck::kMatch) return;
  auto bytes = codec::encode(HeaderCertificate{consensus::header_of(*blk), qc});
  if (!bytes.ok()) return;
  storage::WriteBatch b;
  b.put(cf_, round_key('C', blk->exec.height), *bytes);
  if (kv_->write(b).ok()) certified_height_ = blk->exec.height;
}

Result<std::optional<std::pair<std::uint64_t, HeaderCertificate>>> Replica::certificate_at_or_above(
    std::uint64_t height) const {
  storage::ReadOptions ro;
  ro.lower_bound = round_key('C', height);
  ro.upper_bound = Bytes(1, 'D');
  FORMICA_ASSIGN_OR_RETURN(auto it, kv_->iterator(cf_, ro));
  it->seek(round_key('C', height));
  if (!it->valid()) return std::optional<std::pair<std::uint64_t, HeaderCertificate>>{};
  FORMICA_ASSIGN_OR_RETURN(HeaderCertificate cert, codec::decode<HeaderCertificate>(it->value()));
  return std::optional<std::pair<std::uint64_t, HeaderCertificate>>{
      std::pair<std::uint64_t, HeaderCertificate>{read_be8(it->key().subspan(1)), std::move(cert)}};
}

Status Replica::serve_sync(std::uint32_t peer, const consensus::SyncRequest& req) {
  consensus::SyncResponse resp;
  resp.after = req.after;
  // Where the requester is: a committed block we know, or the genesis root.
  std::uint64_t from_round = 0;
  FORMICA_ASSIGN_OR_RETURN(auto r8, kv_->get(cf_, id_key('I', req.after)));
  if (r8) {
    from_round = read_be8(*r8) + 1;
  } else {
    FORMICA_ASSIGN_OR_RETURN(auto b0, chain_->block(0));
    if (!b0) return make_error(ErrorCode::kInternal, "no genesis block");
    FORMICA_ASSIGN_OR_RETURN(ledger::Hash h0, ledger::header_hash(b0->header, chain_->hash_alg()));
    FORMICA_ASSIGN_OR_RETURN(consensus::Root g, consensus::genesis_root(params_, consensus::ExecRef{0, h0}));
    FORMICA_ASSIGN_OR_RETURN(consensus::BlockId gid, consensus::block_id(params_, g.block));
    if (gid != req.after) {
      if (transport_) {
        FORMICA_ASSIGN_OR_RETURN(Bytes bytes, consensus::encode_message(resp, core_->config().limits));
        transport_->send(peer, kConsensusChannel, std::move(bytes));
      }
      return ok_status();
    }
    from_round = 1;
  }
  const std::uint32_t max = std::clamp<std::uint32_t>(req.max, 1, kMaxSyncBlocks);
  storage::ReadOptions ro;
  ro.lower_bound = round_key('K', from_round);
  ro.upper_bound = Bytes(1, 'L');
  FORMICA_ASSIGN_OR_RETURN(auto it, kv_->iterator(cf_, ro));
  std::vector<consensus::Proposal> blocks;
  std::size_t bytes_total = 0;
  std::size_t cut = 0;  // blocks[0, cut) end at a commit point
  std::optional<CommitProof> cut_proof;
  for (it->seek(round_key('K', from_round)); it->valid(); it->next()) {
    FORMICA_ASSIGN_OR_RETURN(consensus::Proposal p, codec::decode<consensus::Proposal>(it->value()));
    bytes_total += it->value().size();
    const std::uint64_t round = p.round;
    blocks.push_back(std::move(p));
    FORMICA_ASSIGN_OR_RETURN(auto proof, kv_->get(cf_, round_key('P', round)));
    if (proof) {
      FORMICA_ASSIGN_OR_RETURN(CommitProof cp, codec::decode<CommitProof>(*proof));
      cut = blocks.size();
      cut_proof = std::move(cp);
      if (blocks.size() >= max || bytes_total >= kMaxSyncBytes) break;
    }
    if (blocks.size() >= 4 * kMaxSyncBlocks) break;
  }
  if (cut_proof) {
    blocks.resize(cut);
    resp.blocks = std::move(blocks);
    resp.commit_child = std::move(cut_proof->child);
    resp.commit_qc = std::move(cut_proof->qc);
  }
  if (transport_) {
    FORMICA_ASSIGN_OR_RETURN(Bytes bytes, consensus::encode_message(resp, core_->config().limits));
    transport_->send(peer, kConsensusChannel, std::move(bytes));
  }
  return ok_status();
}

const std::vector<std::pair<ledger::AddressBytes, std::uint64_t>>& Replica::payload_nonces(
    const consensus::Proposal& p) {
  auto id = consensus::block_id(params_, p);
  static const std::vector<std::pair<ledger::AddressBytes, std::uint64_t>> kNone;
  if (!id.ok()) return kNone;
  auto it = nonce_cache_.find(*id);
  if (it != nonce_cache_.end()) return it->second;
  std::vector<std::pair<ledger::AddressBytes, std::uint64_t>> out;
  if (!p.payload.empty()) {
    auto decoded = codec::decode<Payload>(p.payload, payload_limits());
    if (decoded.ok())
      for (const auto& tx : decoded->txs) out.emplace_back(tx.body.sender, tx.body.nonce);
  }
  return nonce_cache_.emplace(*id, std::move(out)).first->second;
}

consensus::ExecRef Replica::last_executed() { return {chain_->height(), chain_->head_hash()}; }

bool Replica::has_pending_payload() {
  const std::size_t pending = mempool_->size();
  if (pending == 0) return false;
  std::size_t in_flight = 0;
  for (const auto* b : core_->uncommitted_ancestors(core_->high_qc().block_id))
    in_flight += payload_nonces(*b).size();
  return pending > in_flight;
}

Bytes Replica::make_payload(const consensus::BlockId& parent, consensus::Round) {
  // Nonces already taken by uncommitted ancestors: this block continues after them.
  std::map<ledger::AddressBytes, std::uint64_t> next;
  for (const auto* b : core_->uncommitted_ancestors(parent))
    for (const auto& [sender, nonce] : payload_nonces(*b)) {
      auto& n = next[sender];
      n = std::max(n, nonce + 1);
    }
  auto state = chain_->head_state();
  auto nonce_fn = [&](const ledger::AddressBytes& a) -> std::uint64_t {
    auto acct = ledger::Accounts::get_account(*state, a);
    std::uint64_t committed = acct.ok() && acct->has_value() ? (*acct)->nonce : 0;
    auto it = next.find(a);
    return it == next.end() ? committed : std::max(committed, it->second);
  };
  auto ready = mempool_->ready(options_.max_block_txs, nonce_fn);
  if (ready.empty()) return {};
  Payload p;
  p.txs.reserve(ready.size());
  for (auto& [tx, id] : ready) p.txs.push_back(std::move(tx));
  auto bytes = codec::encode(p, payload_limits());
  if (!bytes.ok()) return {};
  return std::move(*bytes);
}

Status Replica::check_payload(ByteView payload) {
  if (payload.empty()) return ok_status();
  FORMICA_ASSIGN_OR_RETURN(Payload p, codec::decode<Payload>(payload, payload_limits()));
  if (p.txs.empty()) return make_error(ErrorCode::kMalformed, "a payload holds at least one transaction");
  // Signatures already verified when the transaction entered our mempool are not checked again.
  std::vector<ledger::Transaction> unseen;
  for (const auto& tx : p.txs) {
    auto id = ledger::tx_id(tx.body, chain_->hash_alg());
    if (!id.ok()) return id.error();
    if (!mempool_->contains(*id)) unseen.push_back(tx);
  }
  auto checked = ledger::check_stateless_batch(unseen, rules_);
  for (const auto& c : checked)
    if (!c.ok()) return c.error();
  return ok_status();
}

consensus::ExecCheck Replica::check_exec(const consensus::ExecRef& exec) {
  if (exec.height > chain_->height()) return consensus::ExecCheck::kUnknown;
  auto it = recent_headers_.find(exec.height);
  ledger::Hash mine{};
  if (it != recent_headers_.end()) {
    mine = it->second;
  } else {
    auto b = chain_->block(exec.height);
    if (!b.ok() || !b->has_value()) return consensus::ExecCheck::kUnknown;
    auto h = ledger::header_hash((*b)->header, chain_->hash_alg());
    if (!h.ok()) return consensus::ExecCheck::kUnknown;
    mine = *h;
    recent_headers_[exec.height] = mine;
  }
  return mine == exec.header_hash ? consensus::ExecCheck::kMatch : consensus::ExecCheck::kMismatch;
}

Replica::Status_ Replica::status() const {
  Status_ s;
  {
    std::lock_guard lock(status_mu_);
    s.core = last_status_;
  }
  s.validators = vset_.size();
  s.my_index = my_index_;
  if (transport_) s.peers = transport_->peers();
  s.certified_height = certified_height_;
  return s;
}

}  // namespace formica::node
