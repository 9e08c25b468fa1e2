// The core driven by hand: voting rules, the commit rule, TC formation, safety after restart,
// idleness, penalties; plus the pacemaker and the safety stores.
#include <gtest/gtest.h>

#include "formica/consensus/core.h"
#include "formica/consensus/pacemaker.h"
#include "formica/storage/mem_kv_store.h"
#include "test_util.h"

namespace formica::consensus {
namespace {

using testing::id_of;
using testing::make_block;
using testing::make_keys;
using testing::make_qc;
using testing::make_set;
using testing::make_tc;

class TestEnv final : public Env {
 public:
  ExecRef last_executed() override { return exec; }
  bool has_pending_payload() override { return pending; }
  Bytes make_payload(const BlockId&, Round) override {
    if (single_batch && made) return {};  // the batch is already in an uncommitted ancestor
    made = true;
    return to_bytes("txs");
  }
  Status check_payload(ByteView p) override {
    if (as_chars(p) == "bad") return make_error(ErrorCode::kMalformed, "bad payload");
    return ok_status();
  }
  ExecCheck check_exec(const ExecRef& e) override {
    if (e.height > exec.height) return ExecCheck::kUnknown;
    return e.height == exec.height && e.header_hash != exec.header_hash ? ExecCheck::kMismatch
                                                                        : ExecCheck::kMatch;
  }
  ExecRef exec{0, crypto::Hash32{}};
  bool pending = false;
  bool single_batch = false;
  bool made = false;
};

template <class T>
std::vector<T> all_of(const std::vector<Action>& actions) {
  std::vector<T> out;
  for (const Action& a : actions) {
    if (const auto* x = std::get_if<T>(&a)) out.push_back(*x);
  }
  return out;
}

template <class M>
std::vector<M> broadcasts(const std::vector<Action>& actions) {
  std::vector<M> out;
  for (const auto& b : all_of<Broadcast>(actions)) {
    if (const auto* m = std::get_if<M>(&b.message)) out.push_back(*m);
  }
  return out;
}

std::vector<PenaltyReason> penalties(const std::vector<Action>& actions) {
  std::vector<PenaltyReason> out;
  for (const auto& p : all_of<Penalise>(actions)) out.push_back(p.reason);
  return out;
}

class ConsensusCore : public ::testing::Test {
 protected:
  ConsensusCore() : ks(make_keys(4)), vs(make_set(ks)) { root = *genesis_root(c, env.exec); }

  std::unique_ptr<Core> make_core(std::uint32_t me, SafetyStore& store) {
    CoreConfig cc;
    cc.chain = c;
    cc.validators = vs;
    cc.my_index = me;
    cc.base_timeout_ms = 1000;
    cc.max_timeout_ms = 8000;
    auto core = Core::create(cc, &ks[me], env, store, root);
    EXPECT_TRUE(core.ok()) << core.error().to_string();
    return std::move(core).value();
  }
  std::vector<Action> vote_from(Core& core, std::uint32_t voter, const Proposal& b, std::uint64_t now = 0) {
    return core.on_message(voter, Message(*make_vote(c, id_of(c, b), b.round, voter, ks[voter])), now);
  }

  ChainParams c{"formica-test", crypto::HashAlg::kSha256};
  std::vector<crypto::PrivateKey> ks;
  ValidatorSet vs;
  TestEnv env;
  Root root;
  MemSafetyStore safety;
};

TEST_F(ConsensusCore, IdleCoreDoesNothing) {
  auto core = make_core(1, safety);
  auto a = core->start(0);
  EXPECT_TRUE(all_of<Broadcast>(a).empty());
  EXPECT_TRUE(all_of<ScheduleTimer>(a).empty());
  EXPECT_TRUE(all_of<Broadcast>(core->on_timer(5000)).empty());
  EXPECT_EQ(core->round(), 1u);
}

TEST_F(ConsensusCore, LeaderProposesWhenPayloadArrives) {
  auto core = make_core(1, safety);  // leader of round 1
  (void)core->start(0);
  env.pending = true;
  auto a = core->on_payload_available(10);
  auto props = broadcasts<Proposal>(a);
  ASSERT_EQ(props.size(), 1u);
  EXPECT_EQ(props[0].round, 1u);
  EXPECT_EQ(props[0].payload, to_bytes("txs"));
  EXPECT_EQ(broadcasts<Vote>(a).size(), 1u);  // it votes for its own block
  ASSERT_EQ(all_of<ScheduleTimer>(a).size(), 1u);
  EXPECT_EQ(all_of<ScheduleTimer>(a)[0].deadline_ms, 1010u);
  // Only once per round.
  EXPECT_TRUE(broadcasts<Proposal>(core->on_payload_available(20)).empty());
}

TEST_F(ConsensusCore, CommitRuleNeedsConsecutiveRounds) {
  auto core = make_core(0, safety);
  (void)core->start(0);
  const Proposal b1 = make_block(c, ks, 1, root.qc, to_bytes("one"));
  auto a = core->on_message(1, Message(b1), 1);
  ASSERT_EQ(broadcasts<Vote>(a).size(), 1u);
  (void)vote_from(*core, 1, b1);
  a = vote_from(*core, 2, b1);  // with its own vote: a quorum of 3
  EXPECT_EQ(core->round(), 2u);
  EXPECT_TRUE(all_of<Commit>(a).empty());  // b1's parent is the root

  const QuorumCert qc1 = make_qc(c, ks, id_of(c, b1), 1, {0, 1, 2});
  const Proposal b2 = make_block(c, ks, 2, qc1, to_bytes("two"));
  EXPECT_EQ(broadcasts<Vote>(core->on_message(2, Message(b2), 2)).size(), 1u);
  (void)vote_from(*core, 1, b2);
  a = vote_from(*core, 3, b2);
  auto commits = all_of<Commit>(a);
  ASSERT_EQ(commits.size(), 1u);  // QC(b2), b2.round == b1.round + 1: b1 is committed
  ASSERT_EQ(commits[0].blocks_in_order.size(), 1u);
  EXPECT_EQ(commits[0].blocks_in_order[0], b1);
  EXPECT_EQ(commits[0].commit_qc.block_id, id_of(c, b2));
  EXPECT_EQ(commits[0].child, header_of(b2));
  EXPECT_EQ(core->committed_round(), 1u);
  // The core asks to be called back at once (the driver executes the commit first).
  ASSERT_FALSE(all_of<ScheduleTimer>(a).empty());
  EXPECT_EQ(all_of<ScheduleTimer>(a).back().deadline_ms, 0u);

  // Round 3 times out (TC), b4 in round 4 extends b2; QC(b4) commits nothing (4 != 2 + 1).
  const QuorumCert qc2 = make_qc(c, ks, id_of(c, b2), 2, {0, 1, 3});
  const Proposal b4 = make_block(c, ks, 4, qc2, to_bytes("four"), make_tc(c, ks, 3, 2, {1, 2, 3}));
  a = core->on_message(0, Message(b4), 3);
  EXPECT_EQ(core->round(), 4u);
  const QuorumCert qc4 = make_qc(c, ks, id_of(c, b4), 4, {1, 2, 3});
  const Proposal b5 = make_block(c, ks, 5, qc4, to_bytes("five"));
  a = core->on_message(1, Message(b5), 4);
  EXPECT_TRUE(all_of<Commit>(a).empty());
  // QC(b5): b5.round == b4.round + 1, so b2 and b4 are committed, in order.
  a = core->on_message(2, Message(SyncInfo{make_qc(c, ks, id_of(c, b5), 5, {1, 2, 3}), std::nullopt}), 5);
  commits = all_of<Commit>(a);
  ASSERT_EQ(commits.size(), 1u);
  ASSERT_EQ(commits[0].blocks_in_order.size(), 2u);
  EXPECT_EQ(commits[0].blocks_in_order[0], b2);
  EXPECT_EQ(commits[0].blocks_in_order[1], b4);
  EXPECT_EQ(core->committed_block_count(), 3u);
}

TEST_F(ConsensusCore, TimeoutCertificateMovesToNextRoundAndLeaderProposesWithIt) {
  env.pending = true;
  auto core = make_core(2, safety);  // leader of round 2
  auto a = core->start(0);
  ASSERT_FALSE(all_of<ScheduleTimer>(a).empty());  // work: pending payload
  // Round 1's leader is silent: the timer fires and the core broadcasts a timeout.
  a = core->on_timer(1000);
  auto touts = broadcasts<TimeoutMsg>(a);
  ASSERT_EQ(touts.size(), 1u);
  EXPECT_EQ(touts[0].round, 1u);
  EXPECT_EQ(core->status().highest_timeout_round, 1u);
  // Back-off: the next deadline is twice as far.
  EXPECT_EQ(all_of<ScheduleTimer>(a).back().deadline_ms, 3000u);
  // Two more timeouts: a TC for round 1, round 2 starts, and its leader (us) proposes with the TC.
  (void)core->on_message(0, Message(*make_timeout(c, 1, root.qc, std::nullopt, 0, ks[0])), 1001);
  a = core->on_message(3, Message(*make_timeout(c, 1, root.qc, std::nullopt, 3, ks[3])), 1002);
  EXPECT_EQ(core->round(), 2u);
  auto props = broadcasts<Proposal>(a);
  ASSERT_EQ(props.size(), 1u);
  ASSERT_TRUE(props[0].tc.has_value());
  EXPECT_EQ(props[0].tc->round, 1u);
  EXPECT_EQ(props[0].tc->entries.size(), 3u);
  EXPECT_TRUE(verify_tc(vs, *props[0].tc, c).ok());
  EXPECT_EQ(broadcasts<Vote>(a).size(), 1u);
}

TEST_F(ConsensusCore, JoinsTimeoutAfterFPlusOne) {
  auto core = make_core(0, safety);  // no work of its own
  (void)core->start(0);
  (void)core->on_message(1, Message(*make_timeout(c, 1, root.qc, std::nullopt, 1, ks[1])), 5);
  EXPECT_EQ(core->status().highest_timeout_round, 0u);
  auto a = core->on_message(2, Message(*make_timeout(c, 1, root.qc, std::nullopt, 2, ks[2])), 6);
  EXPECT_EQ(broadcasts<TimeoutMsg>(a).size(), 1u);  // f + 1 = 2 others gave up: join
  EXPECT_EQ(core->round(), 2u);                     // and with its own, a TC
}

TEST_F(ConsensusCore, NoSecondVoteAfterRestart) {
  storage::MemKvStore kv;
  KvSafetyStore store(kv, kv.default_column_family());
  const Proposal b1 = make_block(c, ks, 1, root.qc, to_bytes("one"));
  const Proposal b1_other = make_block(c, ks, 1, root.qc, to_bytes("another"));
  {
    auto core = make_core(0, store);
    (void)core->start(0);
    EXPECT_EQ(broadcasts<Vote>(core->on_message(1, Message(b1), 1)).size(), 1u);
    auto loaded = store.load();
    ASSERT_TRUE(loaded.ok() && loaded->has_value());
    EXPECT_EQ((*loaded)->last_voted_round, 1u);
  }
  // Restarted from the same store: neither the same block nor an equivocating one gets a vote.
  auto core = make_core(0, store);
  (void)core->start(10);
  EXPECT_TRUE(broadcasts<Vote>(core->on_message(1, Message(b1), 11)).empty());
  EXPECT_TRUE(broadcasts<Vote>(core->on_message(1, Message(b1_other), 12)).empty());
  EXPECT_EQ(core->status().last_voted_round, 1u);
}

TEST_F(ConsensusCore, NoVoteWhenSafetyDataCannotBePersisted) {
  auto core = make_core(0, safety);
  (void)core->start(0);
  safety.set_fail_writes(true);
  const Proposal b1 = make_block(c, ks, 1, root.qc, to_bytes("one"));
  EXPECT_TRUE(broadcasts<Vote>(core->on_message(1, Message(b1), 1)).empty());
  safety.set_fail_writes(false);
  EXPECT_EQ(core->status().last_voted_round, 0u);
}

TEST_F(ConsensusCore, EquivocatingLeaderGetsOneVoteAndAPenalty) {
  auto core = make_core(0, safety);
  (void)core->start(0);
  const Proposal b1 = make_block(c, ks, 1, root.qc, to_bytes("one"));
  const Proposal b1_other = make_block(c, ks, 1, root.qc, to_bytes("another"));
  EXPECT_EQ(broadcasts<Vote>(core->on_message(1, Message(b1), 1)).size(), 1u);
  auto a = core->on_message(1, Message(b1_other), 2);
  EXPECT_TRUE(broadcasts<Vote>(a).empty());
  EXPECT_EQ(penalties(a), std::vector<PenaltyReason>{PenaltyReason::kEquivocation});
  // A double vote is an equivocation too.
  (void)vote_from(*core, 2, b1);
  a = vote_from(*core, 2, b1_other);
  EXPECT_EQ(penalties(a), std::vector<PenaltyReason>{PenaltyReason::kEquivocation});
}

TEST_F(ConsensusCore, InvalidMessagesArePenalised) {
  auto core = make_core(0, safety);
  (void)core->start(0);
  const Proposal b1 = make_block(c, ks, 1, root.qc, to_bytes("one"));
  Proposal bad_sig = b1;
  bad_sig.signature[3] ^= 1;
  EXPECT_EQ(penalties(core->on_message(1, Message(bad_sig), 1)),
            std::vector<PenaltyReason>{PenaltyReason::kBadSignature});
  Proposal wrong_leader = b1;
  wrong_leader.proposer = 2;  // validly signed by 2, which is not the leader of round 1
  wrong_leader = sign_proposal(c, std::move(wrong_leader), ks[2]).value();
  EXPECT_EQ(penalties(core->on_message(2, Message(wrong_leader), 1)),
            std::vector<PenaltyReason>{PenaltyReason::kWrongLeader});
  Proposal unknown = b1;
  unknown.proposer = 9;
  EXPECT_EQ(penalties(core->on_message(2, Message(unknown), 1)),
            std::vector<PenaltyReason>{PenaltyReason::kUnknownSigner});
  Proposal swapped_payload = b1;
  swapped_payload.payload = to_bytes("evil");
  EXPECT_EQ(penalties(core->on_message(1, Message(swapped_payload), 1)),
            std::vector<PenaltyReason>{PenaltyReason::kMalformed});
  // A justify QC with too few signatures.
  const Proposal weak = make_block(c, ks, 2, make_qc(c, ks, id_of(c, b1), 1, {1, 2}));
  EXPECT_EQ(penalties(core->on_message(2, Message(weak), 1)),
            std::vector<PenaltyReason>{PenaltyReason::kBadQuorumCert});
  // A payload the node refuses.
  const Proposal bad_payload = make_block(c, ks, 1, root.qc, to_bytes("bad"));
  EXPECT_EQ(penalties(core->on_message(1, Message(bad_payload), 1)),
            std::vector<PenaltyReason>{PenaltyReason::kBadPayload});
  // A forged vote and a vote from nobody.
  Vote v = *make_vote(c, id_of(c, b1), 1, 2, ks[3]);
  EXPECT_EQ(penalties(core->on_message(2, Message(v), 1)),
            std::vector<PenaltyReason>{PenaltyReason::kBadSignature});
  v.voter = 11;
  EXPECT_EQ(penalties(core->on_message(2, Message(v), 1)),
            std::vector<PenaltyReason>{PenaltyReason::kUnknownSigner});
  // A timeout with a bad TC.
  TimeoutMsg t = *make_timeout(c, 1, root.qc, make_tc(c, ks, 0, 0, {1, 2, 3}), 1, ks[1]);
  EXPECT_FALSE(penalties(core->on_message(1, Message(t), 1)).empty());
  EXPECT_EQ(core->round(), 1u);
  EXPECT_EQ(core->status().last_voted_round, 0u);
}

TEST_F(ConsensusCore, MissingParentIsFetched) {
  auto core = make_core(0, safety);
  (void)core->start(0);
  const Proposal b1 = make_block(c, ks, 1, root.qc, to_bytes("one"));
  const QuorumCert qc1 = make_qc(c, ks, id_of(c, b1), 1, {1, 2, 3});
  const Proposal b2 = make_block(c, ks, 2, qc1, to_bytes("two"));
  auto a = core->on_message(2, Message(b2), 1);
  auto sends = all_of<SendTo>(a);
  ASSERT_EQ(sends.size(), 1u);
  EXPECT_EQ(sends[0].peer, 2u);
  ASSERT_TRUE(std::holds_alternative<FetchRequest>(sends[0].message));
  EXPECT_EQ(std::get<FetchRequest>(sends[0].message).block_id, id_of(c, b1));
  EXPECT_TRUE(broadcasts<Vote>(a).empty());
  // The response links the chain and the buffered proposal gets its vote.
  a = core->on_message(2, Message(FetchResponse{{b1}}), 2);
  EXPECT_EQ(broadcasts<Vote>(a).size(), 1u);
  EXPECT_NE(core->find_block(id_of(c, b2)), nullptr);
  EXPECT_EQ(core->uncommitted_ancestors(id_of(c, b2)).size(), 2u);
  // An unsolicited response is penalised.
  const Proposal stray = make_block(c, ks, 5, make_qc(c, ks, BlockId{}, 4, {0, 1, 2}));
  EXPECT_EQ(penalties(core->on_message(3, Message(FetchResponse{{stray}}), 3)),
            std::vector<PenaltyReason>{PenaltyReason::kUnsolicited});
}

TEST_F(ConsensusCore, ExecMustMatchBeforeVoting) {
  auto core = make_core(0, safety);
  (void)core->start(0);
  const Proposal ahead = make_block(c, ks, 1, root.qc, to_bytes("one"), {}, ExecRef{1, crypto::Hash32{}});
  EXPECT_TRUE(broadcasts<Vote>(core->on_message(1, Message(ahead), 1)).empty());  // unknown yet
  env.exec = ExecRef{1, crypto::Hash32{}};  // the node executed height 1: the next call votes
  EXPECT_EQ(broadcasts<Vote>(core->on_timer(2)).size(), 1u);
}

TEST_F(ConsensusCore, ExecMismatchNeverVotes) {
  env.exec = ExecRef{1, crypto::Hash32{1}};
  auto core = make_core(0, safety);
  (void)core->start(0);
  const Proposal other = make_block(c, ks, 1, root.qc, to_bytes("one"), {}, ExecRef{1, crypto::Hash32{2}});
  EXPECT_TRUE(broadcasts<Vote>(core->on_message(1, Message(other), 1)).empty());
  EXPECT_TRUE(broadcasts<Vote>(core->on_timer(2)).empty());
  EXPECT_EQ(core->status().last_voted_round, 0u);
}

TEST_F(ConsensusCore, ObserverCommitsButNeverSpeaks) {
  CoreConfig cc;
  cc.chain = c;
  cc.validators = vs;
  auto created = Core::create(cc, nullptr, env, safety, root);
  ASSERT_TRUE(created.ok()) << created.error().to_string();
  auto& core = *created;
  env.pending = true;
  (void)core->start(0);
  const Proposal b1 = make_block(c, ks, 1, root.qc, to_bytes("one"));
  const QuorumCert qc1 = make_qc(c, ks, id_of(c, b1), 1, {0, 1, 2});
  const Proposal b2 = make_block(c, ks, 2, qc1, to_bytes("two"));
  std::vector<Action> a = core->on_message(1, Message(b1), 1);
  for (const auto& more :
       {core->on_message(2, Message(b2), 2), core->on_timer(5000),
        core->on_message(3, Message(SyncInfo{make_qc(c, ks, id_of(c, b2), 2, {1, 2, 3}), {}}), 6)}) {
    a.insert(a.end(), more.begin(), more.end());
  }
  EXPECT_TRUE(all_of<Broadcast>(a).empty());
  auto commits = all_of<Commit>(a);
  ASSERT_EQ(commits.size(), 1u);
  EXPECT_EQ(commits[0].blocks_in_order.at(0), b1);
  EXPECT_EQ(safety.writes(), 0u);
  // A validator index without its key is refused.
  cc.my_index = 0;
  EXPECT_FALSE(Core::create(cc, nullptr, env, safety, root).ok());
  EXPECT_FALSE(Core::create(cc, &ks[1], env, safety, root).ok());
}

TEST(ConsensusSingleValidator, CommitsAloneAndGoesIdle) {
  auto ks = make_keys(1);
  ValidatorSet vs = make_set(ks);
  ChainParams c{"formica-dev", crypto::HashAlg::kSm3};
  TestEnv env;
  env.single_batch = true;
  MemSafetyStore safety;
  CoreConfig cc;
  cc.chain = c;
  cc.validators = vs;
  cc.my_index = 0;
  auto core = std::move(Core::create(cc, &ks[0], env, safety, *genesis_root(c, env.exec))).value();
  std::uint64_t now = 0, committed_payloads = 0, timer_calls = 0;
  std::optional<std::uint64_t> timer;
  auto drive = [&](std::vector<Action> a) {
    while (true) {
      for (const Action& x : a) {
        if (const auto* cm = std::get_if<Commit>(&x)) {
          for (const auto& b : cm->blocks_in_order) {
            if (b.payload.empty()) continue;
            ++committed_payloads;
            env.exec.height += 1;
            env.exec.header_hash[0] = static_cast<std::uint8_t>(env.exec.height);
            env.pending = false;
          }
        } else if (const auto* t = std::get_if<ScheduleTimer>(&x)) {
          timer = t->deadline_ms;
        } else if (std::holds_alternative<CancelTimer>(x)) {
          timer.reset();
        }
      }
      if (!timer || *timer > now || ++timer_calls > 100) return;
      timer.reset();
      a = core->on_timer(now);
    }
  };
  drive(core->start(now));
  EXPECT_EQ(core->round(), 1u);
  env.pending = true;
  drive(core->on_payload_available(++now));
  EXPECT_EQ(committed_payloads, 1u);
  EXPECT_FALSE(timer.has_value());  // idle again
  // The last ledger block is certified: the high QC's block names it.
  const Proposal* top = core->find_block(core->high_qc().block_id);
  ASSERT_NE(top, nullptr);
  EXPECT_EQ(top->exec, env.exec);
  EXPECT_LT(timer_calls, 10u);
}

TEST(ConsensusPacemaker, BackOffAndReset) {
  Pacemaker pm(1000, 5000);
  EXPECT_FALSE(pm.deadline().has_value());
  EXPECT_TRUE(pm.advance(1, true));
  pm.arm(10);
  EXPECT_EQ(*pm.deadline(), 1010u);
  pm.arm(500);  // idempotent
  EXPECT_EQ(*pm.deadline(), 1010u);
  EXPECT_FALSE(pm.expired(1009));
  EXPECT_TRUE(pm.expired(1010));
  pm.on_local_timeout(1010);
  EXPECT_EQ(*pm.deadline(), 3010u);
  pm.on_local_timeout(3010);
  pm.on_local_timeout(7010);
  EXPECT_EQ(pm.current_timeout_ms(), 5000u);  // capped
  EXPECT_TRUE(pm.advance(2, false));          // TC: back-off kept
  EXPECT_FALSE(pm.deadline().has_value());
  EXPECT_EQ(pm.current_timeout_ms(), 5000u);
  EXPECT_TRUE(pm.advance(3, true));  // QC: progress resets it
  EXPECT_EQ(pm.current_timeout_ms(), 1000u);
  EXPECT_FALSE(pm.advance(3, true));
}

TEST(ConsensusSafetyStore, KvRoundTripAndMemFailure) {
  storage::MemKvStore kv;
  KvSafetyStore store(kv, kv.default_column_family());
  auto empty = store.load();
  ASSERT_TRUE(empty.ok());
  EXPECT_FALSE(empty->has_value());
  SafetyData d;
  d.last_voted_round = 7;
  d.preferred_round = 6;
  d.highest_timeout_round = 5;
  d.high_qc = QuorumCert{BlockId{1}, 6, {QcSignature{0, Bytes{1, 2}}}};
  ASSERT_TRUE(store.store(d).ok());
  auto back = store.load();
  ASSERT_TRUE(back.ok() && back->has_value());
  EXPECT_EQ(**back, d);
  MemSafetyStore mem;
  mem.set_fail_writes(true);
  EXPECT_EQ(mem.store(d).code(), ErrorCode::kIo);
}

}  // namespace
}  // namespace formica::consensus
