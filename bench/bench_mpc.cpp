// Kernels of private matching (issue 12). The end-to-end figure over loopback TCP with separate
// phone and sensor processes is `formica guard match-bench` (docs/perf/mpc.md).
#include <benchmark/benchmark.h>

#include "formica/mpc/garble.h"
#include "formica/mpc/matching.h"
#include "formica/mpc/ot.h"

namespace {

using namespace formica;
using namespace formica::mpc;

Seed seed_of(std::uint8_t v) {
  Seed s{};
  s[0] = v;
  return s;
}

void BM_BaseOt128(benchmark::State& state) {
  Prg p(seed_of(1)), q(seed_of(2));
  for (auto _ : state) {
    BaseOtSender sender(p);
    auto recv = base_ot_receive(sender.public_point(), q);
    auto keys = sender.finish(recv->points);
    benchmark::DoNotOptimize(keys);
  }
}
BENCHMARK(BM_BaseOt128)->Unit(benchmark::kMillisecond);

void BM_OtExtension(benchmark::State& state) {
  const auto m = static_cast<std::size_t>(state.range(0));
  Prg p(seed_of(1)), q(seed_of(2));
  BaseOtSender base_sender(p);
  auto recv = base_ot_receive(base_sender.public_point(), q);
  OtExtReceiver receiver(*base_sender.finish(recv->points));
  OtExtSender sender(recv->choices, recv->keys);
  std::vector<std::uint8_t> choices((m + 7) / 8, 0x5a);
  std::vector<Block> t;
  std::uint64_t ext = 0;
  for (auto _ : state) {
    Bytes u = receiver.extend(++ext, choices, m, t);
    auto rows = sender.extend(ext, u, m);
    benchmark::DoNotOptimize(rows);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * m));
}
BENCHMARK(BM_OtExtension)->Arg(1152)->Arg(256 * 31)->Unit(benchmark::kMillisecond);

void BM_GarbleComparison(benchmark::State& state) {
  Prg prg(seed_of(3));
  Block delta = Block::random(prg);
  delta.lo |= 1;
  std::array<Block, kCompareBits> zero, random;
  for (auto& b : zero) b = Block::random(prg);
  for (auto& b : random) b = Block::random(prg);
  std::uint64_t tweak = 0;
  for (auto _ : state) benchmark::DoNotOptimize(garble_comparison(zero, 12345, delta, random, ++tweak));
}
BENCHMARK(BM_GarbleComparison);

void BM_EvaluateComparison(benchmark::State& state) {
  Prg prg(seed_of(4));
  Block delta = Block::random(prg);
  delta.lo |= 1;
  std::array<Block, kCompareBits> zero, random;
  for (auto& b : zero) b = Block::random(prg);
  for (auto& b : random) b = Block::random(prg);
  auto gc = garble_comparison(zero, 12345, delta, random, 1);
  for (auto _ : state) benchmark::DoNotOptimize(evaluate_comparison(zero, 0, gc, 1));
}
BENCHMARK(BM_EvaluateComparison);

// Both parties in this thread, frames in memory: the protocol's CPU cost without a network.
void BM_SessionInMemory(benchmark::State& state) {
  const auto n = static_cast<std::uint32_t>(state.range(0));
  FaceGenerator gen(1);
  auto owner = gen.new_identity();
  Embedding tmpl = gen.enrol(owner);
  std::vector<Embedding> obs;
  for (std::uint32_t k = 0; k < n; ++k)
    obs.push_back(k % 10 ? gen.observe(gen.new_identity()) : gen.observe(owner));
  MatchParams params;
  params.threads = static_cast<unsigned>(state.range(1));
  std::size_t bytes = 0;
  for (auto _ : state) {
    auto phone = PhoneSession::create(tmpl, params, Prg::from_os());
    auto sensor = SensorSession::create(obs, params, Prg::from_os());
    Transcript t;
    auto bits = run_in_memory(*phone, *sensor, &t);
    if (!bits.ok()) state.SkipWithError("session failed");
    bytes = 0;
    for (const auto& e : t.entries) bytes += e.frame.size();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * n));
  state.counters["bytes_per_comparison"] = static_cast<double>(bytes) / n;
}
BENCHMARK(BM_SessionInMemory)->Args({1000, 1})->Args({1000, 2})->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
