#include "formica/consensus/core.h"

#include <algorithm>
#include <deque>
#include <map>
#include <set>
#include <utility>

#include "formica/consensus/pacemaker.h"

namespace formica::consensus {

std::string_view penalty_reason_name(PenaltyReason r) {
  switch (r) {
    case PenaltyReason::kMalformed: return "malformed";
    case PenaltyReason::kBadSignature: return "bad_signature";
    case PenaltyReason::kUnknownSigner: return "unknown_signer";
    case PenaltyReason::kBadQuorumCert: return "bad_quorum_cert";
    case PenaltyReason::kBadTimeoutCert: return "bad_timeout_cert";
    case PenaltyReason::kWrongLeader: return "wrong_leader";
    case PenaltyReason::kWrongRound: return "wrong_round";
    case PenaltyReason::kEquivocation: return "equivocation";
    case PenaltyReason::kBadPayload: return "bad_payload";
    case PenaltyReason::kBadSyncResponse: return "bad_sync_response";
    case PenaltyReason::kUnsolicited: return "unsolicited";
  }
  return "unknown";
}

namespace {

struct HistEntry {
  Proposal block;
  std::optional<BlockHeaderOnly> child;  // commit proof, for the last block of a commit
  std::optional<QuorumCert> child_qc;
};

struct FetchState {
  std::uint64_t sent_ms = 0;
  std::uint32_t peer = 0;
  std::uint32_t tries = 0;
  Round round = 0;  // round of the QC that names the block
};

}  // namespace

struct Core::Impl {
  Impl(CoreConfig c, const crypto::PrivateKey* s, Env& e, SafetyStore& st, Root r)
      : cfg(std::move(c)),
        signer(s),
        env(e),
        safety(st),
        pm(cfg.base_timeout_ms, cfg.max_timeout_ms),
        root_header(std::move(r.block)),
        root_qc(std::move(r.qc)) {}

  CoreConfig cfg;
  const crypto::PrivateKey* signer;
  Env& env;
  SafetyStore& safety;
  SafetyData sd;
  Pacemaker pm;

  // Committed root.
  BlockHeaderOnly root_header;
  QuorumCert root_qc;
  BlockId root_id{};

  std::map<BlockId, Proposal> tree;  // uncommitted blocks descending from the root
  QuorumCert high_qc;
  std::optional<TimeoutCert> high_tc;

  std::map<std::pair<Round, BlockId>, std::map<std::uint32_t, Bytes>> votes;
  std::set<std::pair<Round, BlockId>> formed_qcs;
  std::map<std::pair<Round, std::uint32_t>, BlockId> vote_of;
  std::map<Round, std::map<std::uint32_t, TimeoutCertEntry>> timeouts;
  std::map<std::pair<Round, std::uint32_t>, BlockId> proposal_of;
  std::set<Round> proposed;
  std::optional<TimeoutMsg> my_last_timeout;
  std::map<Round, BlockId> current_proposal;  // first valid proposal seen per round

  std::map<BlockId, std::vector<std::pair<std::uint32_t, Proposal>>> waiting;  // parent -> children
  std::size_t waiting_count = 0;
  std::map<BlockId, FetchState> fetching;
  std::set<BlockId> fetched;  // requested before (answered, abandoned or stale): late answers are fine
  std::deque<BlockId> fetched_order;
  std::optional<BlockId> pending_vote;
  bool resume_needed = false;
  std::optional<std::uint64_t> sync_sent_ms;

  std::map<BlockId, HistEntry> history;
  std::deque<BlockId> history_order;
  std::uint64_t committed_count = 0;

  std::optional<std::uint64_t> emitted_deadline;
  std::vector<Action> out;

  // ---- helpers ---------------------------------------------------------------------------

  bool is_validator() const { return cfg.my_index.has_value() && signer != nullptr; }
  std::uint32_t me() const { return *cfg.my_index; }
  std::uint32_t n() const { return cfg.validators.size(); }

  void penalise(std::uint32_t peer, PenaltyReason r, std::string detail) {
    out.emplace_back(Penalise{peer, r, std::move(detail)});
  }

  // Exec ref and round of a known block (root or in the tree).
  std::optional<std::pair<Round, ExecRef>> known(const BlockId& id) const {
    if (id == root_id) return std::make_pair(root_header.round, root_header.exec);
    auto it = tree.find(id);
    if (it == tree.end()) return std::nullopt;
    return std::make_pair(it->second.round, it->second.exec);
  }

  Status qc_valid(const QuorumCert& qc) const {
    if (qc == root_qc) return ok_status();
    return verify_qc(cfg.validators, qc, cfg.chain);
  }

  // A non-empty block on the certified chain (the high QC's block and its uncommitted
  // ancestors) still waits for its commit. Uncertified blocks do not count: their transactions
  // are still in the mempools (has_pending_payload) if they matter, and a block that only a
  // Byzantine leader's equivocation produced must not keep one validator busy forever.
  bool has_uncommitted_payload() const {
    BlockId cur = high_qc.block_id;
    while (cur != root_id) {
      auto it = tree.find(cur);
      if (it == tree.end()) return false;
      if (!it->second.payload.empty()) return true;
      cur = it->second.justify.block_id;
    }
    return false;
  }

  bool exec_uncertified() {
    auto k = known(high_qc.block_id);
    if (!k) return true;
    return k->second.height < env.last_executed().height;
  }

  bool has_work() {
    // (A missing high-QC block or ancestor shows up in exec_uncertified(): its block is unknown.)
    return env.has_pending_payload() || has_uncommitted_payload() || exec_uncertified();
  }

  Status persist() {
    sd.preferred_round = std::max(sd.preferred_round, high_qc.round);
    if (!sd.high_qc || sd.high_qc->round < high_qc.round) sd.high_qc = high_qc;
    return safety.store(sd);
  }

  void send_fetch(const BlockId& id, Round round, std::uint32_t peer, std::uint64_t now) {
    if (is_validator() && peer == me()) peer = (peer + 1) % n();
    auto it = fetching.find(id);
    if (it != fetching.end() && now < it->second.sent_ms + cfg.base_timeout_ms) return;
    FetchState& st = fetching[id];
    st.sent_ms = now;
    st.peer = peer;
    st.round = round;
    ++st.tries;
    out.emplace_back(SendTo{peer, FetchRequest{id, cfg.fetch_ancestors}});
  }

  void forget_fetch(const BlockId& id) {
    if (fetching.erase(id) == 0 || fetched.count(id) != 0) return;
    fetched.insert(id);
    fetched_order.push_back(id);
    if (fetched_order.size() > 1024) {
      fetched.erase(fetched_order.front());
      fetched_order.pop_front();
    }
  }

  void send_sync(std::uint32_t peer, std::uint64_t now) {
    if (sync_sent_ms && now < *sync_sent_ms + cfg.base_timeout_ms) return;
    if (is_validator() && peer == me()) return;
    sync_sent_ms = now;
    out.emplace_back(SendTo{peer, SyncRequest{root_id, root_header.round, cfg.sync_max_blocks}});
  }

  // ---- QCs, TCs, rounds and commits --------------------------------------------------------

  void process_qc(const QuorumCert& qc, std::uint32_t from, std::uint64_t now) {
    if (qc.round > high_qc.round) high_qc = qc;
    if (pm.advance(qc.round + 1, true)) on_new_round(now);
    if (qc.round <= root_header.round) return;
    if (tree.count(qc.block_id) != 0) {
      try_commit(qc);
    } else if (qc.round > root_header.round + cfg.sync_window) {
      send_sync(from, now);
    } else {
      send_fetch(qc.block_id, qc.round, from, now);
    }
  }

  void process_tc(const TimeoutCert& tc, std::uint64_t now) {
    if (!high_tc || tc.round > high_tc->round) high_tc = tc;
    if (pm.advance(tc.round + 1, false)) on_new_round(now);
  }

  void on_new_round(std::uint64_t now) {
    if (pending_vote) {
      auto it = tree.find(*pending_vote);
      if (it == tree.end() || it->second.round != pm.round()) pending_vote.reset();
    }
    // Forget per-round state of rounds long gone.
    const Round keep_from = root_header.round;
    timeouts.erase(timeouts.begin(), timeouts.lower_bound(pm.round() > 2 ? pm.round() - 2 : 0));
    proposed.erase(proposed.begin(), proposed.lower_bound(keep_from));
    current_proposal.erase(current_proposal.begin(), current_proposal.lower_bound(keep_from));
    try_propose(now);
  }

  void try_commit(const QuorumCert& qc) {
    auto child_it = tree.find(qc.block_id);
    if (child_it == tree.end()) return;
    const Proposal& child = child_it->second;
    auto parent_it = tree.find(child.justify.block_id);
    if (parent_it == tree.end()) return;  // the parent is the root (already committed) or unknown
    if (child.round != parent_it->second.round + 1) return;
    // Collect the chain from the parent back to the root.
    std::vector<BlockId> chain;
    BlockId cur = parent_it->first;
    while (cur != root_id) {
      auto it = tree.find(cur);
      if (it == tree.end()) return;  // broken link (cannot happen: blocks enter with a known parent)
      chain.push_back(cur);
      cur = it->second.justify.block_id;
    }
    std::reverse(chain.begin(), chain.end());
    Commit c;
    c.commit_qc = qc;
    c.child = header_of(child);
    for (const auto& id : chain) c.blocks_in_order.push_back(tree.at(id));
    const BlockId new_root = chain.back();
    for (std::size_t i = 0; i < chain.size(); ++i) {
      HistEntry h;
      h.block = c.blocks_in_order[i];
      if (i + 1 == chain.size()) {
        h.child = c.child;
        h.child_qc = qc;
      }
      add_history(chain[i], std::move(h));
    }
    set_root(new_root, header_of(c.blocks_in_order.back()), child.justify);
    committed_count += c.blocks_in_order.size();
    out.emplace_back(std::move(c));
    resume_needed = true;
  }

  void add_history(const BlockId& id, HistEntry h) {
    if (cfg.max_committed_history == 0) return;
    history[id] = std::move(h);
    history_order.push_back(id);
    while (history_order.size() > cfg.max_committed_history) {
      history.erase(history_order.front());
      history_order.pop_front();
    }
  }

  void set_root(const BlockId& id, BlockHeaderOnly header, QuorumCert qc) {
    root_id = id;
    root_header = std::move(header);
    root_qc = std::move(qc);
    if (root_qc.round > high_qc.round) high_qc = root_qc;
    // Keep only blocks that descend from the new root (in round order, parents first).
    std::vector<std::pair<Round, BlockId>> order;
    for (const auto& [bid, b] : tree) order.emplace_back(b.round, bid);
    std::sort(order.begin(), order.end());
    std::set<BlockId> keep{root_id};
    std::map<BlockId, Proposal> kept;
    for (const auto& [r, bid] : order) {
      Proposal& b = tree.at(bid);
      if (bid != root_id && r > root_header.round && keep.count(b.justify.block_id) != 0) {
        keep.insert(bid);
        kept.emplace(bid, std::move(b));
      }
    }
    tree = std::move(kept);
    // Drop buffered proposals and fetches that can no longer matter.
    for (auto it = waiting.begin(); it != waiting.end();) {
      auto& v = it->second;
      const std::size_t before = v.size();
      v.erase(std::remove_if(v.begin(), v.end(),
                             [&](const auto& e) { return e.second.round <= root_header.round; }),
              v.end());
      waiting_count -= before - v.size();
      it = v.empty() ? waiting.erase(it) : std::next(it);
    }
    std::vector<BlockId> stale;
    for (const auto& [fid, st] : fetching) {
      if (fid == root_id || history.count(fid) != 0 || st.round <= root_header.round) stale.push_back(fid);
    }
    for (const auto& fid : stale) forget_fetch(fid);
    const Round r0 = root_header.round;
    votes.erase(votes.begin(), votes.lower_bound({r0, BlockId{}}));
    formed_qcs.erase(formed_qcs.begin(), formed_qcs.lower_bound({r0, BlockId{}}));
    vote_of.erase(vote_of.begin(), vote_of.lower_bound({r0, 0}));
    proposal_of.erase(proposal_of.begin(), proposal_of.lower_bound({r0, 0}));
    if (pending_vote && tree.count(*pending_vote) == 0) pending_vote.reset();
  }

  // ---- leader election (reputation) -------------------------------------------------------

  struct HeaderRef {
    Round round = 0;
    std::uint32_t proposer = 0;
    const QuorumCert* justify = nullptr;
  };
  // A block's round, proposer and justify: uncommitted (tree), the committed root, or history.
  std::optional<HeaderRef> header_ref(const BlockId& id) const {
    if (auto it = tree.find(id); it != tree.end()) {
      return HeaderRef{it->second.round, it->second.proposer, &it->second.justify};
    }
    if (id == root_id) return HeaderRef{root_header.round, root_header.proposer, &root_header.justify};
    if (auto h = history.find(id); h != history.end()) {
      return HeaderRef{h->second.block.round, h->second.block.proposer, &h->second.block.justify};
    }
    return std::nullopt;
  }

  // The leader of round `r` for a block that extends `parent` (the block its justify QC
  // certifies). A pure function of the chain ending at `parent`, so every validator that holds
  // those blocks computes the same leader:
  //   - walk back `leader_window` blocks from `parent` (parent included); a validator is active
  //     if it proposed one of them or signed one of their justify QCs;
  //   - leader = active[mix(parent id, r) mod |active|] (active in index order);
  //   - fewer than `leader_window` blocks since genesis: round-robin r mod n.
  // nullopt: this validator lacks part of the window (restarted or synced past it); it then
  // accepts any validator's proposal and proposes itself on the round-robin rule.
  std::optional<std::uint32_t> elected_leader(Round r, const BlockId& parent) const {
    if (cfg.leader_window == 0) return cfg.validators.leader(r);
    std::vector<bool> active(n(), false);
    BlockId cur = parent;
    std::uint32_t seen = 0;
    while (seen < cfg.leader_window) {
      auto h = header_ref(cur);
      if (!h) return std::nullopt;
      if (h->round == 0) break;  // the genesis block
      if (h->proposer < n()) active[h->proposer] = true;
      for (const auto& sig : h->justify->signatures) {
        if (sig.signer < n()) active[sig.signer] = true;
      }
      ++seen;
      if (h->justify->round == 0) break;  // its parent is the genesis block
      cur = h->justify->block_id;
    }
    if (seen < cfg.leader_window) return cfg.validators.leader(r);
    std::vector<std::uint32_t> cands;
    for (std::uint32_t i = 0; i < n(); ++i) {
      if (active[i]) cands.push_back(i);
    }
    if (cands.empty()) return cfg.validators.leader(r);
    std::uint64_t x = r * 0x9e3779b97f4a7c15ull;
    for (std::size_t i = 0; i < 8; ++i) x ^= static_cast<std::uint64_t>(parent[i]) << (8 * i);
    x ^= x >> 30;  // splitmix64 finaliser
    x *= 0xbf58476d1ce4e5b9ull;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebull;
    x ^= x >> 31;
    return cands[x % cands.size()];
  }

  // ---- proposing and voting ----------------------------------------------------------------

  void try_propose(std::uint64_t now) {
    if (!is_validator() || resume_needed) return;
    const Round r = pm.round();
    if (proposed.count(r) != 0) return;
    if (r <= sd.last_voted_round || r <= sd.highest_timeout_round) return;
    std::optional<TimeoutCert> tc;
    if (high_qc.round + 1 != r) {
      if (!high_tc || high_tc->round + 1 != r) return;
      tc = high_tc;
    }
    auto parent = known(high_qc.block_id);
    if (!parent) {
      if (cfg.validators.leader(r) == me()) {
        send_fetch(high_qc.block_id, high_qc.round, cfg.validators.leader(high_qc.round), now);
      }
      return;
    }
    if (elected_leader(r, high_qc.block_id).value_or(cfg.validators.leader(r)) != me()) return;
    const bool pending = env.has_pending_payload();
    if (!pending && !has_uncommitted_payload() && parent->second.height >= env.last_executed().height) return;
    const ExecRef exec = env.last_executed();
    if (exec.height < parent->second.height) {  // behind the parent's execution: catch up first
      if (auto it = tree.find(high_qc.block_id); it != tree.end()) send_sync(it->second.proposer, now);
      return;
    }
    Proposal p;
    p.round = r;
    p.justify = high_qc;
    p.tc = tc;
    p.exec = exec;
    p.time_ms = now;
    p.proposer = me();
    if (pending) p.payload = env.make_payload(high_qc.block_id, r);
    p.payload_hash = payload_hash(cfg.chain, p.payload);
    auto signed_p = sign_proposal(cfg.chain, std::move(p), *signer);
    if (!signed_p.ok()) return;
    proposed.insert(r);
    out.emplace_back(Broadcast{Message(*signed_p)});
    handle_proposal(me(), *signed_p, now, false);
  }

  void try_vote(BlockId id, std::uint64_t now) {
    if (!is_validator()) return;
    auto it = tree.find(id);
    if (it == tree.end()) return;
    const Proposal& b = it->second;
    if (b.round != pm.round() || b.round <= sd.last_voted_round || b.round <= sd.highest_timeout_round)
      return;
    auto cur = current_proposal.find(b.round);
    if (cur != current_proposal.end() && cur->second != id) return;  // equivocating leader: first one only
    const bool safe = b.round == b.justify.round + 1 ||
                      (b.tc && b.tc->round + 1 == b.round && b.justify.round >= b.tc->max_high_qc_round());
    if (!safe) return;
    switch (env.check_exec(b.exec)) {
      case ExecCheck::kMatch: break;
      case ExecCheck::kUnknown:
        pending_vote = id;
        // The proposer executed a commit this node has not seen (e.g. through a QC on a block
        // that the chain then abandoned): fetch the committed range with its proof.
        if (!resume_needed) send_sync(b.proposer, now);
        return;
      case ExecCheck::kMismatch: return;
    }
    pending_vote.reset();
    SafetyData before = sd;
    sd.last_voted_round = b.round;
    if (!persist().ok()) {
      sd = before;  // not durable: do not vote
      return;
    }
    auto v = make_vote(cfg.chain, id, b.round, me(), *signer);
    if (!v.ok()) return;
    out.emplace_back(Broadcast{Message(*v)});
    handle_vote(me(), *v, now);
  }

  void local_timeout(std::uint64_t now) {
    const Round r = pm.round();
    if (is_validator()) {
      if (sd.highest_timeout_round < r) {
        SafetyData before = sd;
        sd.highest_timeout_round = r;
        if (!persist().ok()) {
          sd = before;
          pm.on_local_timeout(now);
          return;
        }
        auto t = make_timeout(cfg.chain, r, high_qc, high_tc, me(), *signer);
        if (t.ok()) {
          my_last_timeout = *t;
          out.emplace_back(Broadcast{Message(*t)});
          pm.on_local_timeout(now);
          handle_timeout(me(), *t, now);
          return;
        }
      } else if (my_last_timeout && my_last_timeout->round == r) {
        out.emplace_back(Broadcast{Message(*my_last_timeout)});  // retransmit
      }
    }
    pm.on_local_timeout(now);
  }

  // ---- message handlers --------------------------------------------------------------------

  // `from_fetch`: the block came in a FetchResponse (a QC or a child names it), so it is linked
  // whoever proposed it; the leader rule applies to blocks offered as proposals.
  void handle_proposal(std::uint32_t from, const Proposal& p, std::uint64_t now, bool solicited,
                       bool from_fetch = false) {
    if (p.proposer >= n()) return penalise(from, PenaltyReason::kUnknownSigner, "proposal: unknown proposer");
    if (p.round <= p.justify.round)
      return penalise(from, PenaltyReason::kWrongRound, "proposal: round <= justify");
    if (p.tc && p.tc->round + 1 != p.round) {
      return penalise(from, PenaltyReason::kBadTimeoutCert, "proposal: TC not of the previous round");
    }
    if (p.round != p.justify.round + 1 && !p.tc) {
      return penalise(from, PenaltyReason::kWrongRound, "proposal: neither QC nor TC of the previous round");
    }
    if (payload_hash(cfg.chain, p.payload) != p.payload_hash) {
      return penalise(from, PenaltyReason::kMalformed, "proposal: payload hash mismatch");
    }
    BlockId id{};
    if (!verify_proposal_signature(cfg.validators, p, cfg.chain, &id).ok()) {
      return penalise(from, PenaltyReason::kBadSignature, "proposal: bad signature");
    }
    if (tree.count(id) != 0 || id == root_id) return;  // duplicate
    if (p.round <= root_header.round) return;          // stale
    auto prev = proposal_of.find({p.round, p.proposer});
    const bool equivocation = prev != proposal_of.end() && prev->second != id;
    if (equivocation) {
      penalise(p.proposer, PenaltyReason::kEquivocation, "proposal: second block for one round");
      if (!solicited) return;
    }
    if (auto st = qc_valid(p.justify); !st.ok()) {
      return penalise(from, PenaltyReason::kBadQuorumCert, "proposal justify: " + st.error().message);
    }
    if (p.tc) {
      if (auto st = verify_tc(cfg.validators, *p.tc, cfg.chain); !st.ok()) {
        return penalise(from, PenaltyReason::kBadTimeoutCert, "proposal TC: " + st.error().message);
      }
    }
    process_qc(p.justify, from, now);
    if (p.tc) process_tc(*p.tc, now);
    if (p.round <= root_header.round) return;
    const BlockId& parent_id = p.justify.block_id;
    auto parent = known(parent_id);
    if (!parent) {
      if (waiting_count < cfg.max_buffered_proposals) {
        auto& w = waiting[parent_id];
        const bool dup = std::any_of(w.begin(), w.end(), [&](const auto& e) { return e.second == p; });
        if (!dup) {
          w.emplace_back(from, p);
          ++waiting_count;
        }
      }
      if (p.justify.round > root_header.round + cfg.sync_window) {
        send_sync(from, now);
      } else {
        send_fetch(parent_id, p.justify.round, from, now);
      }
      return;
    }
    if (parent->first != p.justify.round) {
      return penalise(from, PenaltyReason::kWrongRound, "proposal: justify round differs from the parent's");
    }
    if (p.exec.height < parent->second.height) {
      return penalise(from, PenaltyReason::kMalformed, "proposal: exec height below the parent's");
    }
    if (!from_fetch) {
      const auto leader = elected_leader(p.round, parent_id);
      if (leader && p.proposer != *leader) {
        // The round-robin leader may be an honest validator whose history lags: drop quietly.
        if (p.proposer == cfg.validators.leader(p.round)) return;
        return penalise(from, PenaltyReason::kWrongLeader, "proposal: not the round's leader");
      }
    }
    if (auto st = env.check_payload(p.payload); !st.ok()) {
      return penalise(from, PenaltyReason::kBadPayload, "proposal payload: " + st.error().message);
    }
    proposal_of.emplace(std::make_pair(p.round, p.proposer), id);
    current_proposal.emplace(p.round, id);
    tree.emplace(id, p);
    forget_fetch(id);
    if (high_qc.block_id == id) try_commit(high_qc);
    if (p.round == pm.round()) try_vote(id, now);
    // Children that were waiting for this block.
    auto w = waiting.find(id);
    if (w != waiting.end()) {
      auto children = std::move(w->second);
      waiting.erase(w);
      waiting_count -= children.size();
      for (auto& [peer, child] : children) handle_proposal(peer, child, now, true);
    }
  }

  void handle_vote(std::uint32_t from, const Vote& v, std::uint64_t now) {
    if (v.voter >= n()) return penalise(from, PenaltyReason::kUnknownSigner, "vote: unknown voter");
    if (v.round <= high_qc.round || v.round <= root_header.round) return;  // stale
    if (v.round > pm.round() + cfg.max_future_rounds) return;
    auto prev = vote_of.find({v.round, v.voter});
    if (prev != vote_of.end()) {
      if (prev->second != v.block_id) {
        if (verify_vote(cfg.validators, v, cfg.chain).ok()) {
          penalise(v.voter, PenaltyReason::kEquivocation, "vote: two blocks in one round");
        }
      }
      return;
    }
    if (!verify_vote(cfg.validators, v, cfg.chain).ok()) {
      return penalise(from, PenaltyReason::kBadSignature, "vote: bad signature");
    }
    vote_of.emplace(std::make_pair(v.round, v.voter), v.block_id);
    const auto key = std::make_pair(v.round, v.block_id);
    auto& sigs = votes[key];
    sigs.emplace(v.voter, v.signature);
    if (sigs.size() >= cfg.validators.quorum() && formed_qcs.count(key) == 0) {
      formed_qcs.insert(key);
      QuorumCert qc;
      qc.block_id = v.block_id;
      qc.round = v.round;
      for (const auto& [signer_index, sig] : sigs) qc.signatures.push_back(QcSignature{signer_index, sig});
      process_qc(qc, cfg.validators.leader(v.round), now);
    }
  }

  void handle_timeout(std::uint32_t from, const TimeoutMsg& t, std::uint64_t now) {
    if (t.sender >= n()) return penalise(from, PenaltyReason::kUnknownSigner, "timeout: unknown sender");
    if (t.round > pm.round() + cfg.max_future_rounds) return;
    if (auto st = verify_timeout(cfg.validators, t, cfg.chain); !st.ok()) {
      return penalise(from, PenaltyReason::kBadSignature, "timeout: " + st.error().message);
    }
    if (t.round < pm.round()) {
      // The sender lags: help it catch up with what proves our round.
      if (t.sender == from && (!is_validator() || from != me())) {
        out.emplace_back(SendTo{from, Message(SyncInfo{high_qc, high_tc})});
      }
      if (t.round < pm.round() - 1) return;
    }
    if (t.high_qc.round > high_qc.round) {
      if (auto st = qc_valid(t.high_qc); !st.ok()) {
        return penalise(from, PenaltyReason::kBadQuorumCert, "timeout high_qc: " + st.error().message);
      }
    }
    if (t.last_tc && (!high_tc || t.last_tc->round > high_tc->round)) {
      if (auto st = verify_tc(cfg.validators, *t.last_tc, cfg.chain); !st.ok()) {
        return penalise(from, PenaltyReason::kBadTimeoutCert, "timeout last_tc: " + st.error().message);
      }
    }
    if (t.high_qc.round > high_qc.round) process_qc(t.high_qc, from, now);
    if (t.last_tc && (!high_tc || t.last_tc->round > high_tc->round)) process_tc(*t.last_tc, now);
    if (t.round <= root_header.round) return;
    auto& entries = timeouts[t.round];
    auto prev = entries.find(t.sender);
    if (prev != entries.end()) {
      if (prev->second.high_qc_round != t.high_qc.round) {
        penalise(t.sender, PenaltyReason::kEquivocation, "timeout: two timeouts for one round");
      }
      return;
    }
    entries.emplace(t.sender, TimeoutCertEntry{t.sender, t.high_qc.round, t.signature});
    if (entries.size() >= cfg.validators.quorum() && (!high_tc || high_tc->round < t.round)) {
      TimeoutCert tc;
      tc.round = t.round;
      for (const auto& [s, e] : entries) tc.entries.push_back(e);
      process_tc(tc, now);
      return;
    }
    // Bracha-style: f+1 timeouts for our round mean an honest validator gave up on it; join.
    if (t.round == pm.round() && entries.size() >= cfg.validators.f() + 1 && is_validator() &&
        sd.highest_timeout_round < t.round) {
      local_timeout(now);
    }
  }

  void handle_sync_info(std::uint32_t from, const SyncInfo& si, std::uint64_t now) {
    const bool new_qc = si.high_qc.round > high_qc.round;
    const bool new_tc = si.high_tc && (!high_tc || si.high_tc->round > high_tc->round);
    if (!new_qc && !new_tc) return;
    if (new_qc) {
      if (auto st = qc_valid(si.high_qc); !st.ok()) {
        return penalise(from, PenaltyReason::kBadQuorumCert, "sync info: " + st.error().message);
      }
    }
    if (new_tc) {
      if (auto st = verify_tc(cfg.validators, *si.high_tc, cfg.chain); !st.ok()) {
        return penalise(from, PenaltyReason::kBadTimeoutCert, "sync info: " + st.error().message);
      }
    }
    if (new_qc) process_qc(si.high_qc, from, now);
    if (new_tc) process_tc(*si.high_tc, now);
  }

  void handle_fetch_request(std::uint32_t from, const FetchRequest& rq) {
    FetchResponse resp;
    BlockId cur = rq.block_id;
    const std::uint32_t max = std::min<std::uint32_t>(rq.ancestors, cfg.fetch_ancestors) + 1;
    while (resp.blocks.size() < max) {
      if (auto it = tree.find(cur); it != tree.end()) {
        resp.blocks.push_back(it->second);
        cur = it->second.justify.block_id;
      } else if (auto h = history.find(cur); h != history.end()) {
        resp.blocks.push_back(h->second.block);
        cur = h->second.block.justify.block_id;
      } else {
        break;
      }
    }
    if (!resp.blocks.empty()) out.emplace_back(SendTo{from, Message(std::move(resp))});
  }

  void handle_fetch_response(std::uint32_t from, const FetchResponse& r, std::uint64_t now) {
    if (r.blocks.empty()) return;
    BlockId first{};
    if (!block_id(cfg.chain, r.blocks[0]).ok()) return;
    first = *block_id(cfg.chain, r.blocks[0]);
    if (fetching.count(first) == 0) {
      if (tree.count(first) == 0 && history.count(first) == 0 && first != root_id &&
          fetched.count(first) == 0) {
        penalise(from, PenaltyReason::kUnsolicited, "fetch response nobody asked for");
      }
      return;
    }
    // Oldest first, so parents enter before children; each must be the parent of the next.
    std::vector<const Proposal*> chain{&r.blocks[0]};
    for (std::size_t i = 1; i < r.blocks.size(); ++i) {
      auto id = block_id(cfg.chain, r.blocks[i]);
      if (!id.ok() || *id != chain.back()->justify.block_id) break;
      chain.push_back(&r.blocks[i]);
    }
    for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
      handle_proposal(from, **it, now, true, true);
    }
  }

  void handle_sync_request(std::uint32_t from, const SyncRequest& rq) {
    SyncResponse resp;
    resp.after = rq.after;
    // Find the position after `rq.after` in the history.
    std::size_t start = history_order.size();
    for (std::size_t i = 0; i < history_order.size(); ++i) {
      if (history.at(history_order[i]).block.justify.block_id == rq.after) {
        start = i;
        break;
      }
    }
    const std::size_t max = std::max<std::uint32_t>(1, std::min(rq.max, cfg.sync_max_blocks));
    std::size_t end = start;  // exclusive; must end on an entry with a commit proof
    std::size_t last_proof = start;
    for (std::size_t i = start; i < history_order.size(); ++i) {
      const HistEntry& h = history.at(history_order[i]);
      if (h.child) {
        last_proof = i + 1;
        if (i + 1 - start >= max) break;
      }
    }
    end = last_proof;
    if (end > start) {
      for (std::size_t i = start; i < end; ++i) resp.blocks.push_back(history.at(history_order[i]).block);
      const HistEntry& last = history.at(history_order[end - 1]);
      resp.commit_child = last.child;
      resp.commit_qc = last.child_qc;
    }
    out.emplace_back(SendTo{from, Message(std::move(resp))});
  }

  void handle_sync_response(std::uint32_t from, const SyncResponse& r, std::uint64_t now) {
    if (r.after != root_id || r.blocks.empty()) return;
    auto ids = verify_sync_response(cfg.validators, cfg.chain, root_id, r, &root_qc);
    if (!ids.ok()) return penalise(from, PenaltyReason::kBadSyncResponse, ids.error().message);
    sync_sent_ms.reset();
    Commit c;
    c.blocks_in_order = r.blocks;
    c.commit_qc = *r.commit_qc;
    c.child = *r.commit_child;
    for (std::size_t i = 0; i < r.blocks.size(); ++i) {
      HistEntry h;
      h.block = r.blocks[i];
      if (i + 1 == r.blocks.size()) {
        h.child = c.child;
        h.child_qc = c.commit_qc;
      }
      add_history((*ids)[i], std::move(h));
    }
    set_root(ids->back(), header_of(r.blocks.back()), r.commit_child->justify);
    committed_count += r.blocks.size();
    out.emplace_back(std::move(c));
    resume_needed = true;
    process_qc(r.commit_child->justify, from, now);
    process_qc(*r.commit_qc, from, now);
    if (r.blocks.size() >= cfg.sync_max_blocks) send_sync(from, now);
  }

  // ---- entry points ------------------------------------------------------------------------

  void begin(std::uint64_t now) {
    out.clear();
    // A vote that waited for execution, and a proposal that waited for the driver to execute
    // a Commit, are retried on every input (check_exec is cheap).
    if (pending_vote) try_vote(*pending_vote, now);
    if (resume_needed) {
      resume_needed = false;
      if (pending_vote) try_vote(*pending_vote, now);
      try_propose(now);
    }
  }

  std::vector<Action> finish(std::uint64_t now) {
    std::optional<std::uint64_t> want;
    if (resume_needed) {
      want = now;
    } else if (has_work()) {
      pm.arm(now);
      want = pm.deadline();
    } else {
      pm.disarm();
    }
    if (want != emitted_deadline) {
      if (want) {
        out.emplace_back(ScheduleTimer{*want});
      } else {
        out.emplace_back(CancelTimer{});
      }
      emitted_deadline = want;
    }
    return std::move(out);
  }

  void retry_fetches(std::uint64_t now) {
    std::vector<BlockId> ids;
    for (const auto& [id, st] : fetching) {
      if (now >= st.sent_ms + cfg.base_timeout_ms) ids.push_back(id);
    }
    for (const auto& id : ids) {
      FetchState st = fetching[id];
      std::uint32_t peer = (st.peer + 1) % n();
      if (is_validator() && peer == me()) peer = (peer + 1) % n();
      fetching[id].sent_ms = 0;
      send_fetch(id, st.round, peer, now);
      if (fetching[id].tries > 8) forget_fetch(id);
    }
  }
};

Result<std::unique_ptr<Core>> Core::create(CoreConfig config, const crypto::PrivateKey* signer, Env& env,
                                           SafetyStore& safety, Root root) {
  if (config.my_index) {
    if (*config.my_index >= config.validators.size()) {
      return make_error(ErrorCode::kInvalidArgument, "my_index outside the validator set");
    }
    if (signer == nullptr || !(signer->public_key() == config.validators.key(*config.my_index))) {
      return make_error(ErrorCode::kInvalidArgument, "signer is not the key of validators[my_index]");
    }
  }
  if (config.validators.size() == 0) return make_error(ErrorCode::kInvalidArgument, "empty validator set");
  FORMICA_ASSIGN_OR_RETURN(BlockId rid, block_id(config.chain, root.block));
  if (rid != root.qc.block_id || root.qc.round != root.block.round) {
    return make_error(ErrorCode::kInvalidArgument, "root QC does not certify the root block");
  }
  if (!root.qc.signatures.empty() || root.qc.round != 0) {
    FORMICA_TRY(verify_qc(config.validators, root.qc, config.chain));
  }
  FORMICA_ASSIGN_OR_RETURN(std::optional<SafetyData> stored, safety.load());
  auto impl = std::make_unique<Impl>(std::move(config), signer, env, safety, std::move(root));
  impl->root_id = rid;
  impl->high_qc = impl->root_qc;
  if (stored) {
    impl->sd = *stored;
    if (stored->high_qc && stored->high_qc->round > impl->high_qc.round) impl->high_qc = *stored->high_qc;
  }
  Round start = impl->high_qc.round + 1;
  impl->pm.advance(start, true);
  return std::unique_ptr<Core>(new Core(std::move(impl)));
}

Core::Core(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Core::~Core() = default;

std::vector<Action> Core::start(std::uint64_t now_ms) {
  Impl& s = *impl_;
  s.begin(now_ms);
  if (!s.known(s.high_qc.block_id)) {
    s.send_fetch(s.high_qc.block_id, s.high_qc.round, s.cfg.validators.leader(s.high_qc.round), now_ms);
  }
  s.try_propose(now_ms);
  return s.finish(now_ms);
}

std::vector<Action> Core::on_message(std::uint32_t from, const Message& m, std::uint64_t now_ms) {
  Impl& s = *impl_;
  s.begin(now_ms);
  std::visit(
      [&](const auto& msg) {
        using T = std::decay_t<decltype(msg)>;
        if constexpr (std::is_same_v<T, Proposal>) {
          s.handle_proposal(from, msg, now_ms, false);
        } else if constexpr (std::is_same_v<T, Vote>) {
          s.handle_vote(from, msg, now_ms);
        } else if constexpr (std::is_same_v<T, TimeoutMsg>) {
          s.handle_timeout(from, msg, now_ms);
        } else if constexpr (std::is_same_v<T, FetchRequest>) {
          s.handle_fetch_request(from, msg);
        } else if constexpr (std::is_same_v<T, FetchResponse>) {
          s.handle_fetch_response(from, msg, now_ms);
        } else if constexpr (std::is_same_v<T, SyncRequest>) {
          s.handle_sync_request(from, msg);
        } else if constexpr (std::is_same_v<T, SyncResponse>) {
          s.handle_sync_response(from, msg, now_ms);
        } else if constexpr (std::is_same_v<T, SyncInfo>) {
          s.handle_sync_info(from, msg, now_ms);
        }
      },
      m);
  return s.finish(now_ms);
}

std::vector<Action> Core::on_timer(std::uint64_t now_ms) {
  Impl& s = *impl_;
  s.begin(now_ms);
  if (s.pm.expired(now_ms)) {
    s.retry_fetches(now_ms);
    s.local_timeout(now_ms);
  }
  s.emitted_deadline.reset();  // the driver's timer fired: any deadline must be re-announced
  return s.finish(now_ms);
}

std::vector<Action> Core::on_payload_available(std::uint64_t now_ms) {
  Impl& s = *impl_;
  s.begin(now_ms);
  s.try_propose(now_ms);
  return s.finish(now_ms);
}

CoreStatus Core::status() const {
  const Impl& s = *impl_;
  CoreStatus st;
  st.round = s.pm.round();
  st.high_qc_round = s.high_qc.round;
  st.last_voted_round = s.sd.last_voted_round;
  st.highest_timeout_round = s.sd.highest_timeout_round;
  st.committed_round = s.root_header.round;
  st.committed_id = s.root_id;
  st.committed_blocks = s.committed_count;
  st.pending_blocks = s.tree.size();
  st.consecutive_timeouts = s.pm.consecutive_timeouts();
  st.timer_deadline_ms = s.emitted_deadline;
  return st;
}

Round Core::round() const { return impl_->pm.round(); }
const QuorumCert& Core::high_qc() const { return impl_->high_qc; }
Round Core::committed_round() const { return impl_->root_header.round; }
std::uint64_t Core::committed_block_count() const { return impl_->committed_count; }
const BlockId& Core::committed_id() const { return impl_->root_id; }
const CoreConfig& Core::config() const { return impl_->cfg; }

std::vector<const Proposal*> Core::uncommitted_ancestors(const BlockId& tip) const {
  std::vector<const Proposal*> outv;
  BlockId cur = tip;
  while (cur != impl_->root_id) {
    auto it = impl_->tree.find(cur);
    if (it == impl_->tree.end()) break;
    outv.push_back(&it->second);
    cur = it->second.justify.block_id;
  }
  return outv;
}

const Proposal* Core::find_block(const BlockId& id) const {
  if (auto it = impl_->tree.find(id); it != impl_->tree.end()) return &it->second;
  if (auto h = impl_->history.find(id); h != impl_->history.end()) return &h->second.block;
  return nullptr;
}

}  // namespace formica::consensus
