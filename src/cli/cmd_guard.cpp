// `formica guard ...` (../shared/CLI.md, Return to owner). Built so far: `match-bench`, the
// private-matching benchmark over loopback TCP (issue 12). The other guard verbs come with the
// return-to-owner application (issue 13).
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>

#include "args.h"
#include "commands.h"
#include "formica/mpc/match_bench.h"

namespace formica::cli {
namespace {

constexpr std::string_view kBenchWhat = "guard match-bench";
constexpr std::string_view kBenchUsage =
    "usage: formica guard match-bench --observations N [--batch B] [--threads T] [--seed S] [--json]";

Result<std::uint64_t> option_u64(const Args& args, std::string_view name, std::uint64_t fallback,
                                 std::uint64_t lo, std::uint64_t hi) {
  auto text = args.get(name);
  if (!text) return fallback;
  auto v = parse_u64(*text);
  if (!v.ok() || *v < lo || *v > hi) {
    return make_error(ErrorCode::kInvalidArgument, "--" + std::string(name) + " must be an integer in [" +
                                                       std::to_string(lo) + ", " + std::to_string(hi) + "]");
  }
  return *v;
}

int match_bench(const Words& words) {
  auto args = Args::parse(words, {{"observations"}, {"batch"}, {"threads"}, {"seed"}, {"json", false}});
  if (!args) return fail(kExitUsage, kBenchWhat, args.error().message);
  if (!args->positional().empty() || !args->has("observations"))
    return fail(kExitUsage, kBenchWhat, kBenchUsage);
  auto n = option_u64(*args, "observations", 0, 1, mpc::kMaxObservations);
  auto batch = option_u64(*args, "batch", mpc::MatchParams{}.batch_size, 1, mpc::kMaxBatch);
  auto threads = option_u64(*args, "threads", mpc::MatchParams{}.threads, 1, 64);
  auto seed = option_u64(*args, "seed", 1, 0, UINT64_MAX);
  for (const auto* r : {&n, &batch, &threads, &seed}) {
    if (!r->ok()) return fail(kExitUsage, kBenchWhat, r->error().message);
  }
  mpc::MatchParams params;
  params.batch_size = static_cast<std::uint32_t>(*batch);
  params.threads = static_cast<unsigned>(*threads);
  auto report = mpc::run_match_bench(static_cast<std::uint32_t>(*n), params, *seed);
  if (!report) return fail(kBenchWhat, report.error());
  const auto& r = *report;
  const double per_s = r.wall_s > 0 ? r.observations / r.wall_s : 0.0;
  const double bytes_per = static_cast<double>(r.phone_bytes + r.sensor_bytes) / r.observations;
  if (args->has("json")) {
    nlohmann::json j = {
        {"comparisons_per_s", per_s},     {"bytes_per_comparison", bytes_per}, {"phone_cpu_s", r.phone_cpu_s},
        {"sensor_cpu_s", r.sensor_cpu_s}, {"observations", r.observations},    {"wall_s", r.wall_s},
        {"phone_bytes", r.phone_bytes},   {"sensor_bytes", r.sensor_bytes},    {"matches", r.matches},
        {"genuine", r.genuine},           {"disagreements", r.disagreements},  {"batch", params.batch_size},
        {"threads", params.threads}};
    std::cout << j.dump() << "\n";
  } else {
    std::printf(
        "comparisons_per_s=%.1f bytes_per_comparison=%.0f phone_cpu_s=%.3f sensor_cpu_s=%.3f wall_s=%.3f "
        "observations=%u matches=%u genuine=%u disagreements=%u\n",
        per_s, bytes_per, r.phone_cpu_s, r.sensor_cpu_s, r.wall_s, r.observations, r.matches, r.genuine,
        r.disagreements);
  }
  if (r.disagreements != 0)
    return fail(kExitCheckFailed, kBenchWhat, "private bits differ from the plaintext decision");
  return kExitOk;
}

}  // namespace

int cmd_guard(const Words& words) {
  if (words.empty() || words[0] == "--help") return fail(kExitUsage, "guard", kBenchUsage);
  if (words[0] == "match-bench") return match_bench(Words(words.begin() + 1, words.end()));
  return fail(kExitUsage, "guard " + words[0], "not built yet (issue 13)");
}

}  // namespace formica::cli
