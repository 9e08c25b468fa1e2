#include "sim.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <queue>
#include <tuple>

#include "formica/crypto/hash.h"

namespace formica::consensus::sim {
namespace {

constexpr std::uint64_t kFakeTxBit = 1ull << 63;

const std::vector<crypto::PrivateKey>& keys(std::uint32_t n, bool mixed) {
  static std::map<std::pair<std::uint32_t, bool>, std::vector<crypto::PrivateKey>> cache;
  auto it = cache.find({n, mixed});
  if (it != cache.end()) return it->second;
  std::vector<crypto::PrivateKey> ks;
  for (std::uint32_t i = 0; i < n; ++i) {
    Bytes seed(32, 0);
    seed[0] = static_cast<std::uint8_t>(i + 1);
    seed[31] = 0x5a;
    const crypto::Scheme scheme =
        mixed ? crypto::kAllSchemes[i % crypto::kAllSchemes.size()] : crypto::Scheme::kEd25519;
    ks.push_back(std::move(crypto::PrivateKey::from_secret(scheme, seed)).value());
  }
  return cache.emplace(std::make_pair(n, mixed), std::move(ks)).first->second;
}

Bytes encode_txs(const std::vector<std::uint64_t>& txs) {
  Bytes b;
  for (std::uint64_t t : txs) {
    for (int i = 7; i >= 0; --i) b.push_back(static_cast<std::uint8_t>(t >> (8 * i)));
  }
  return b;
}

std::vector<std::uint64_t> decode_txs(ByteView b) {
  std::vector<std::uint64_t> out;
  for (std::size_t i = 0; i + 8 <= b.size(); i += 8) {
    std::uint64_t t = 0;
    for (std::size_t k = 0; k < 8; ++k) t = (t << 8) | b[i + k];
    out.push_back(t);
  }
  return out;
}

class ToyEnv final : public Env {
 public:
  explicit ToyEnv(crypto::HashAlg alg) : alg_(alg) {
    ledger.push_back(ExecRef{0, crypto::hash(alg, as_bytes("formica-sim-genesis"))});
  }
  ExecRef last_executed() override { return ledger.back(); }
  bool has_pending_payload() override { return !pending.empty(); }
  Bytes make_payload(const BlockId& parent, Round) override {
    std::set<std::uint64_t> exclude;
    if (core != nullptr) {
      for (const Proposal* p : core->uncommitted_ancestors(parent)) {
        for (std::uint64_t t : decode_txs(p->payload)) exclude.insert(t);
      }
    }
    std::vector<std::uint64_t> txs;
    for (std::uint64_t t : pending) {
      if (exclude.count(t) == 0) txs.push_back(t);
      if (txs.size() >= 16) break;
    }
    return encode_txs(txs);
  }
  Status check_payload(ByteView payload) override {
    if (payload.size() % 8 != 0 || payload.size() > 8 * 64) {
      return make_error(ErrorCode::kMalformed, "toy payload: not a list of at most 64 tx ids");
    }
    return ok_status();
  }
  ExecCheck check_exec(const ExecRef& e) override {
    if (e.height >= ledger.size()) return ExecCheck::kUnknown;
    return ledger[e.height] == e ? ExecCheck::kMatch : ExecCheck::kMismatch;
  }
  void add_tx(std::uint64_t t) {
    if (committed.count(t) == 0) pending.insert(t);
  }
  void apply(const Commit& c) {
    for (const Proposal& p : c.blocks_in_order) {
      if (p.payload.empty()) continue;
      Bytes data(ledger.back().header_hash.begin(), ledger.back().header_hash.end());
      base::append(data, p.payload);
      ledger.push_back(ExecRef{ledger.size(), crypto::hash(alg_, data)});
      for (std::uint64_t t : decode_txs(p.payload)) {
        committed.insert(t);
        pending.erase(t);
      }
    }
  }

  std::vector<ExecRef> ledger;
  std::set<std::uint64_t> pending;
  std::set<std::uint64_t> committed;
  Core* core = nullptr;

 private:
  crypto::HashAlg alg_;
};

struct Node {
  explicit Node(crypto::HashAlg alg) : env(alg) {}
  std::uint32_t index = 0;
  bool byz = false;
  bool down = false;
  ToyEnv env;
  MemSafetyStore safety;
  std::unique_ptr<Core> core;
  std::uint64_t timer_gen = 0;
  Root root;
  std::uint64_t commits = 0;
  std::uint64_t window_commits = 0;
  bool crashed = false;
};

enum class EvType : std::uint8_t { kDeliver, kTimer, kTx, kDown, kUp };

struct Event {
  std::uint64_t time = 0;
  std::uint64_t seq = 0;
  EvType type = EvType::kDeliver;
  std::uint32_t node = 0;
  std::uint32_t from = 0;
  std::uint64_t arg = 0;  // timer generation, tx id, down duration
  std::shared_ptr<const Bytes> bytes;
};
struct Later {
  bool operator()(const Event& a, const Event& b) const {
    return std::tie(a.time, a.seq) > std::tie(b.time, b.seq);
  }
};

class Sim {
 public:
  explicit Sim(const SimConfig& cfg) : cfg_(cfg), rng_(cfg.seed) {}

  SimResult run() {
    std::vector<Validator> vals;
    const auto& ks = keys(cfg_.n, cfg_.mixed_schemes);
    for (std::uint32_t i = 0; i < cfg_.n; ++i) {
      const auto pk = ks[i].public_key().bytes();
      vals.push_back(Validator{"v" + std::to_string(i),
                               "org" + std::to_string(i % 2),
                               ks[i].scheme(),
                               Bytes(pk.begin(), pk.end()),
                               {}});
    }
    vs_ = std::move(ValidatorSet::create(vals)).value();
    chain_ = ChainParams{"formica-sim", cfg_.alg};
    for (std::uint32_t i = 0; i < cfg_.n; ++i) {
      auto node = std::make_unique<Node>(cfg_.alg);
      node->index = i;
      node->byz = i >= cfg_.n - cfg_.byzantine;
      node->root = std::move(genesis_root(chain_, node->env.last_executed())).value();
      nodes_.push_back(std::move(node));
    }
    for (std::uint32_t i : cfg_.crashed) {
      if (i < cfg_.n) nodes_[i]->crashed = true;
    }
    for (std::uint32_t i = 0; i < cfg_.n; ++i) {
      if (nodes_[i]->crashed) {
        nodes_[i]->down = true;
      } else {
        boot(i);
      }
    }
    // Workload.
    const std::uint64_t spread = std::max<std::uint64_t>(cfg_.heal_ms, 1000);
    for (std::uint32_t i = 0; i < cfg_.txs; ++i) issue_tx(1 + i, rnd(spread));
    for (std::uint32_t i = 0; i < cfg_.final_txs; ++i) issue_tx(100000 + i, cfg_.heal_ms + 500 + 10 * i);
    for (const Restart& r : cfg_.restarts) {
      push(Event{r.at_ms, 0, EvType::kDown, r.node, 0, r.down_ms, nullptr});
    }
    const std::uint64_t live_deadline = cfg_.heal_ms + cfg_.liveness_bound_ms;
    std::optional<std::uint64_t> done_at;
    while (!queue_.empty()) {
      Event ev = queue_.top();
      queue_.pop();
      now_ = ev.time;
      ++result_.events;
      if (!done_at && now_ > live_deadline) {
        fail_liveness("not every honest validator committed every transaction by heal + bound");
        break;
      }
      if (done_at && now_ > *done_at + settle_ms() + cfg_.idle_window_ms) break;
      dispatch(ev);
      if (!result_.safety_ok || !result_.no_double_vote) break;
      if (!done_at && now_ >= cfg_.heal_ms + 500 && all_done()) done_at = now_;
    }
    if (!done_at && all_done()) done_at = now_;
    if (!done_at && result_.liveness_ok && result_.safety_ok && result_.no_double_vote) {
      fail_liveness("the run ended before every transaction was committed");
    }
    if (done_at && last_send_ms_ > *done_at + settle_ms()) {
      result_.idle_ok = false;
      note("messages still sent " + std::to_string(last_send_ms_ - *done_at) + " ms after all work was done");
    }
    if (trace_) {
      for (const auto& n : nodes_) {
        if (!n->core) continue;
        CoreStatus st = n->core->status();
        std::fprintf(
            stderr,
            "node %u byz=%d round=%llu hqc=%llu committed_round=%llu pending=%zu timer=%lld height=%zu\n",
            n->index, n->byz ? 1 : 0, static_cast<unsigned long long>(st.round),
            static_cast<unsigned long long>(st.high_qc_round),
            static_cast<unsigned long long>(st.committed_round), st.pending_blocks,
            st.timer_deadline_ms ? static_cast<long long>(*st.timer_deadline_ms) : -1LL,
            n->env.ledger.size());
      }
    }
    for (const auto& n : nodes_) result_.max_committed = std::max(result_.max_committed, n->commits);
    bool first = true;
    for (const auto& n : nodes_) {
      if (n->byz || n->crashed) continue;
      result_.window_commits =
          first ? n->window_commits : std::min(result_.window_commits, n->window_commits);
      first = false;
    }
    result_.end_ms = now_;
    return result_;
  }

 private:
  std::uint64_t settle_ms() const { return 4 * cfg_.max_timeout_ms; }
  std::uint64_t rnd(std::uint64_t m) { return m == 0 ? 0 : rng_() % m; }
  void push(Event e) {
    e.seq = seq_++;
    queue_.push(std::move(e));
  }
  void note(const std::string& s) {
    if (result_.failure.empty()) result_.failure = s;
  }
  void fail_liveness(const std::string& s) {
    result_.liveness_ok = false;
    note(s);
  }

  void issue_tx(std::uint64_t tx, std::uint64_t at) {
    all_txs_.insert(tx);
    for (std::uint32_t i = 0; i < cfg_.n; ++i) push(Event{at + rnd(200), 0, EvType::kTx, i, 0, tx, nullptr});
  }

  bool all_done() const {
    for (const auto& n : nodes_) {
      if (n->byz || n->crashed) continue;
      if (n->down) return false;
      for (std::uint64_t t : all_txs_) {
        if (n->env.committed.count(t) == 0) return false;
      }
    }
    return true;
  }

  void boot(std::uint32_t i) {
    Node& n = *nodes_[i];
    CoreConfig cc;
    cc.chain = chain_;
    cc.validators = vs_;
    cc.my_index = i;
    cc.base_timeout_ms = cfg_.base_timeout_ms;
    cc.max_timeout_ms = cfg_.max_timeout_ms;
    cc.leader_window = cfg_.leader_window;
    auto core = Core::create(cc, &keys(cfg_.n, cfg_.mixed_schemes)[i], n.env, n.safety, n.root);
    if (!core.ok()) {
      result_.safety_ok = false;
      note("core creation failed: " + core.error().message);
      return;
    }
    n.core = std::move(core).value();
    n.env.core = n.core.get();
    n.down = false;
    apply(i, n.core->start(now_));
  }

  void dispatch(const Event& ev) {
    Node& n = *nodes_[ev.node];
    switch (ev.type) {
      case EvType::kTx:
        n.env.add_tx(ev.arg);
        if (!n.down && n.core) apply(ev.node, n.core->on_payload_available(now_));
        break;
      case EvType::kTimer:
        if (!n.down && n.core && ev.arg == n.timer_gen) apply(ev.node, n.core->on_timer(now_));
        break;
      case EvType::kDeliver: {
        if (n.down || !n.core) break;
        auto m = decode_message(*ev.bytes);
        if (!m.ok()) break;  // garbage from a Byzantine peer
        apply(ev.node, n.core->on_message(ev.from, *m, now_));
        break;
      }
      case EvType::kDown:
        if (n.crashed) break;
        n.down = true;
        n.core.reset();
        n.env.core = nullptr;
        ++n.timer_gen;
        push(Event{now_ + ev.arg, 0, EvType::kUp, ev.node, 0, 0, nullptr});
        break;
      case EvType::kUp: boot(ev.node); break;
    }
  }

  bool partitioned(std::uint32_t a, std::uint32_t b) const {
    for (const Partition& p : cfg_.partitions) {
      if (now_ < p.start_ms || now_ >= p.end_ms) continue;
      const bool ina = std::find(p.group.begin(), p.group.end(), a) != p.group.end();
      const bool inb = std::find(p.group.begin(), p.group.end(), b) != p.group.end();
      if (ina != inb) return true;
    }
    return false;
  }

  void send_bytes(std::uint32_t from, std::uint32_t to, std::shared_ptr<const Bytes> bytes) {
    ++result_.messages;
    if (!bytes->empty() && (*bytes)[0] >= 1 && (*bytes)[0] <= 8) {
      ++result_.by_kind[(*bytes)[0]];
    } else {
      ++result_.by_kind[0];
    }
    if (trace_ && !bytes->empty()) {
      std::fprintf(stderr, "t=%llu %u->%u kind=%u size=%zu\n", static_cast<unsigned long long>(now_), from,
                   to, (*bytes)[0], bytes->size());
    }
    last_send_ms_ = now_;
    if (partitioned(from, to)) return;
    const bool lossy = now_ < cfg_.heal_ms;
    if (lossy && rnd(1000) < cfg_.drop_permille) return;
    const std::uint64_t max_delay =
        lossy ? cfg_.max_delay_ms : std::min<std::uint64_t>(cfg_.max_delay_ms, 100);
    const std::uint64_t min_delay = std::min(cfg_.min_delay_ms, max_delay);
    const std::uint64_t d = min_delay + rnd(max_delay - min_delay + 1);
    push(Event{now_ + d, 0, EvType::kDeliver, to, from, 0, bytes});
    if (lossy && rnd(1000) < cfg_.dup_permille) {
      push(Event{now_ + min_delay + rnd(max_delay - min_delay + 1), 0, EvType::kDeliver, to, from, 0, bytes});
    }
  }

  void send(std::uint32_t from, std::uint32_t to, const Message& m) {
    auto b = encode_message(m);
    if (!b.ok()) {
      result_.safety_ok = false;
      note("encode_message failed: " + b.error().message);
      return;
    }
    send_bytes(from, to, std::make_shared<const Bytes>(std::move(b).value()));
  }

  void check_vote(std::uint32_t from, const Message& m) {
    if (nodes_[from]->byz || !std::holds_alternative<Vote>(m)) return;
    const Vote& v = std::get<Vote>(m);
    auto [it, inserted] = votes_sent_.emplace(std::make_pair(from, v.round), v.block_id);
    if (!inserted && it->second != v.block_id) {
      result_.no_double_vote = false;
      note("honest validator " + std::to_string(from) + " voted twice in round " + std::to_string(v.round));
    }
  }

  // A Byzantine validator's version of a broadcast: equivocation, double votes, garbage.
  void byz_broadcast(std::uint32_t from, const Message& m) {
    const auto& key = keys(cfg_.n, cfg_.mixed_schemes)[from];
    std::optional<Message> other;
    if (const auto* p = std::get_if<Proposal>(&m)) {
      Proposal q = *p;
      auto txs = decode_txs(q.payload);
      txs.push_back(kFakeTxBit | rnd(1u << 30));
      q.payload = encode_txs(txs);
      q.payload_hash = payload_hash(chain_, q.payload);
      auto s = sign_proposal(chain_, std::move(q), key);
      if (s.ok()) other = Message(std::move(s).value());
    } else if (const auto* v = std::get_if<Vote>(&m)) {
      BlockId fake{};
      for (auto& b : fake) b = static_cast<std::uint8_t>(rng_());
      auto s = make_vote(chain_, fake, v->round, from, key);
      if (s.ok()) other = Message(std::move(s).value());
    }
    for (std::uint32_t to = 0; to < cfg_.n; ++to) {
      if (to == from) continue;
      const bool second = other && (to % 2 == 1);
      send(from, to, second ? *other : m);
    }
    if (rnd(4) == 0) {
      // Garbage: random bytes, or a valid message with one byte flipped.
      auto b = encode_message(m);
      Bytes g = b.ok() ? std::move(b).value() : Bytes{};
      if (!g.empty() && rnd(2) == 0) {
        g[rnd(g.size())] ^= static_cast<std::uint8_t>(1 + rnd(255));
      } else {
        g.resize(rnd(64));
        for (auto& x : g) x = static_cast<std::uint8_t>(rng_());
      }
      std::uint32_t to = static_cast<std::uint32_t>(rnd(cfg_.n));
      if (to != from) send_bytes(from, to, std::make_shared<const Bytes>(std::move(g)));
    }
  }

  void apply(std::uint32_t i, std::vector<Action> actions) {
    Node& n = *nodes_[i];
    for (Action& a : actions) {
      if (auto* b = std::get_if<Broadcast>(&a)) {
        check_vote(i, b->message);
        if (n.byz) {
          byz_broadcast(i, b->message);
        } else {
          auto bytes = encode_message(b->message);
          if (!bytes.ok()) {
            result_.safety_ok = false;
            note("encode_message failed: " + bytes.error().message);
            continue;
          }
          auto shared = std::make_shared<const Bytes>(std::move(bytes).value());
          for (std::uint32_t to = 0; to < cfg_.n; ++to) {
            if (to != i) send_bytes(i, to, shared);
          }
        }
      } else if (auto* s = std::get_if<SendTo>(&a)) {
        check_vote(i, s->message);
        if (s->peer != i && s->peer < cfg_.n) send(i, s->peer, s->message);
      } else if (auto* c = std::get_if<Commit>(&a)) {
        on_commit(i, *c);
      } else if (auto* t = std::get_if<ScheduleTimer>(&a)) {
        ++n.timer_gen;
        push(Event{std::max(t->deadline_ms, now_), 0, EvType::kTimer, i, 0, n.timer_gen, nullptr});
      } else if (std::holds_alternative<CancelTimer>(a)) {
        ++n.timer_gen;
      } else if (const auto* pen = std::get_if<Penalise>(&a)) {
        ++result_.penalties;
        if (!n.byz && pen->peer < cfg_.n && !nodes_[pen->peer]->byz && result_.honest_never_penalised) {
          result_.honest_never_penalised = false;
          note("honest validator " + std::to_string(i) + " penalised honest " + std::to_string(pen->peer) +
               ": " + std::string(penalty_reason_name(pen->reason)) + " (" + pen->detail + ")");
        }
        if (trace_ || (!nodes_[pen->peer < cfg_.n ? pen->peer : 0]->byz &&
                       std::getenv("FORMICA_SIM_TRACE_PENALTIES"))) {
          std::fprintf(stderr, "t=%llu node %u penalises %u: %s (%s)\n",
                       static_cast<unsigned long long>(now_), i, pen->peer,
                       std::string(penalty_reason_name(pen->reason)).c_str(), pen->detail.c_str());
        }
      }
    }
  }

  void on_commit(std::uint32_t i, const Commit& c) {
    Node& n = *nodes_[i];
    if (trace_) {
      std::fprintf(stderr, "t=%llu node %u commits %zu blocks up to round %llu\n",
                   static_cast<unsigned long long>(now_), i, c.blocks_in_order.size(),
                   static_cast<unsigned long long>(c.blocks_in_order.back().round));
    }
    n.env.apply(c);
    if (now_ >= cfg_.window_from_ms && now_ < cfg_.window_to_ms) n.window_commits += c.blocks_in_order.size();
    for (const Proposal& p : c.blocks_in_order) {
      auto id = block_id(chain_, p);
      if (!id.ok()) continue;
      const std::uint64_t pos = n.commits++;
      if (n.byz) continue;
      if (pos < canonical_.size()) {
        if (canonical_[pos] != *id) {
          result_.safety_ok = false;
          note("validator " + std::to_string(i) + " committed a different block at position " +
               std::to_string(pos));
        }
      } else {
        canonical_.push_back(*id);
      }
    }
    n.root.block = header_of(c.blocks_in_order.back());
    n.root.qc = c.child.justify;
  }

  SimConfig cfg_;
  std::mt19937_64 rng_;
  ValidatorSet vs_;
  ChainParams chain_;
  std::vector<std::unique_ptr<Node>> nodes_;
  std::priority_queue<Event, std::vector<Event>, Later> queue_;
  std::uint64_t seq_ = 0;
  std::uint64_t now_ = 0;
  std::uint64_t last_send_ms_ = 0;
  std::set<std::uint64_t> all_txs_;
  std::vector<BlockId> canonical_;
  std::map<std::pair<std::uint32_t, Round>, BlockId> votes_sent_;
  SimResult result_;
  bool trace_ = std::getenv("FORMICA_SIM_TRACE") != nullptr;
};

}  // namespace

SimResult run(const SimConfig& cfg) { return Sim(cfg).run(); }

}  // namespace formica::consensus::sim
