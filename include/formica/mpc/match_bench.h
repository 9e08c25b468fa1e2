#pragma once
// The loopback benchmark behind `formica guard match-bench`: one template against N synthetic
// observations, phone and sensor in separate processes (the sensor is forked) talking over TCP
// on 127.0.0.1, so each side's CPU time is measured on its own (getrusage of each process).
//
// Call from a process that has not started other threads (it forks).

#include <cstdint>

#include "formica/base/status.h"
#include "formica/mpc/matching.h"
#include "formica/mpc/messages.h"

namespace formica::mpc {

struct MatchBenchReport {
  std::uint32_t observations = 0;
  std::uint32_t genuine = 0;        // observations of the owner in the synthetic set
  std::uint32_t matches = 0;        // bits set at the phone
  std::uint32_t disagreements = 0;  // bits that differ from the plaintext decision (expected 0)
  double wall_s = 0;                // from the phone's first frame to its last result
  double phone_cpu_s = 0;           // user + system CPU of the phone process during the session
  double sensor_cpu_s = 0;          // the same for the sensor process
  std::uint64_t phone_bytes = 0;    // bytes the phone sent
  std::uint64_t sensor_bytes = 0;   // bytes the sensor sent
};

// Observations: every 10th is the owner, the rest strangers, from FaceGenerator(seed).
Result<MatchBenchReport> run_match_bench(std::uint32_t observations, const MatchParams& params,
                                         std::uint64_t seed);

}  // namespace formica::mpc
