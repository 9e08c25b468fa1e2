#pragma once
// Deterministic simulation of N consensus cores in one process (tests only).
//
// A virtual clock, a seeded PRNG (std::mt19937_64, raw output with modulo; nothing else is
// random), a scripted network that drops, delays, duplicates, reorders and partitions (then
// heals), and Byzantine validators that equivocate (two proposals per round, each to half of
// the peers), double-vote and send garbage bytes. Every message crosses the network encoded
// (encode_message/decode_message). The same seed gives the same run, event for event.
//
// Each validator's Env is a toy deterministic ledger: executing a non-empty block appends
// header_hash = H(prev_hash || payload); payloads are lists of 8-byte transaction ids that
// reach every validator (simulated gossip) at random times.

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "formica/consensus/core.h"

namespace formica::consensus::sim {

struct Partition {
  std::uint64_t start_ms = 0;
  std::uint64_t end_ms = 0;
  std::vector<std::uint32_t> group;  // these validators vs. the rest
};

struct Restart {
  std::uint64_t at_ms = 0;
  std::uint32_t node = 0;
  std::uint64_t down_ms = 0;  // offline for this long (messages to it are lost)
};

struct SimConfig {
  std::uint64_t seed = 1;
  std::uint32_t n = 4;
  std::uint32_t byzantine = 0;  // the last `byzantine` validators misbehave
  crypto::HashAlg alg = crypto::HashAlg::kSha256;
  bool mixed_schemes = false;  // validators use Ed25519, SM2 and secp256k1 in turn (else all Ed25519)
  std::uint64_t base_timeout_ms = 1000;
  std::uint64_t max_timeout_ms = 8000;
  // Network before heal_ms (after it: no drops, no duplicates, delay <= 100 ms).
  std::uint32_t drop_permille = 0;
  std::uint32_t dup_permille = 0;
  std::uint64_t min_delay_ms = 1;
  std::uint64_t max_delay_ms = 100;
  std::vector<Partition> partitions;
  std::vector<Restart> restarts;
  std::uint64_t heal_ms = 0;
  // Workload: `txs` transactions at random times in [0, heal_ms), then `final_txs` after heal.
  std::uint32_t txs = 10;
  std::uint32_t final_txs = 2;
  std::vector<std::uint32_t> crashed;  // these validators never start (crashed for the whole run)
  std::uint32_t leader_window = 10;    // CoreConfig::leader_window (0: round-robin leaders)
  // Throughput: blocks each live honest validator commits in [window_from_ms, window_to_ms).
  std::uint64_t window_from_ms = 0;
  std::uint64_t window_to_ms = 0;
  std::uint64_t liveness_bound_ms = 60000;  // after heal, every honest node commits the final txs
  std::uint64_t idle_window_ms = 30000;     // then no message for this long
};

struct SimResult {
  bool safety_ok = true;
  bool liveness_ok = true;
  bool idle_ok = true;
  bool no_double_vote = true;
  bool honest_never_penalised = true;  // an honest validator never penalises another honest one
  std::string failure;                 // first problem found, for people
  std::uint64_t messages = 0;
  std::uint64_t events = 0;
  std::uint64_t max_committed = 0;
  std::uint64_t end_ms = 0;
  std::uint64_t penalties = 0;
  std::uint64_t window_commits = 0;  // min over live honest validators (see SimConfig::window_*)
  std::uint64_t by_kind[9] = {};     // messages sent, by tag byte (MessageKind); [0]: garbage
  bool ok() const { return safety_ok && liveness_ok && idle_ok && no_double_vote && honest_never_penalised; }
};

SimResult run(const SimConfig& cfg);

}  // namespace formica::consensus::sim
