// zk kernels on the default group (ristretto255): MSM, Bulletproofs prove/verify/batch.
#include <benchmark/benchmark.h>

#include <vector>

#include "formica/zk/bulletproofs.h"
#include "formica/zk/msm.h"
#include "formica/zk/ristretto255.h"

namespace {

using formica::ByteView;
using formica::zk::BulletproofGens;
using formica::zk::PedersenGens;
using formica::zk::Ristretto255;
using S = formica::zk::RistrettoScalar;
using P = formica::zk::RistrettoPoint;

struct Setup {
  PedersenGens<Ristretto255> pc;
  BulletproofGens<Ristretto255> bp{64 * 16};
};
const Setup& setup() {
  static const Setup s;
  return s;
}
const ByteView kCtx = formica::as_bytes("FORMICA-BENCH");

void BM_PointAdd(benchmark::State& state) {
  P a = P::mul_base(S::random()), b = P::mul_base(S::random());
  for (auto _ : state) {
    a += b;
    benchmark::DoNotOptimize(a);
  }
}
BENCHMARK(BM_PointAdd);

void BM_ScalarMulCt(benchmark::State& state) {
  P a = P::mul_base(S::random());
  S s = S::random();
  for (auto _ : state) benchmark::DoNotOptimize(a * s);
}
BENCHMARK(BM_ScalarMulCt);

void msm_inputs(std::size_t n, std::vector<S>& s, std::vector<P>& p) {
  for (std::size_t i = 0; i < n; ++i) {
    s.push_back(S::random());
    p.push_back(P::mul_base(S::random()));
  }
}

void BM_MsmVartime(benchmark::State& state) {
  std::vector<S> s;
  std::vector<P> p;
  msm_inputs(static_cast<std::size_t>(state.range(0)), s, p);
  for (auto _ : state) benchmark::DoNotOptimize(formica::zk::msm_vartime<Ristretto255>(s, p));
  state.counters["per_point_us"] =
      benchmark::Counter(static_cast<double>(state.range(0)),
                         benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_MsmVartime)->RangeMultiplier(4)->Range(64, 4096)->Unit(benchmark::kMillisecond);

void BM_MsmStraus(benchmark::State& state) {
  std::vector<S> s;
  std::vector<P> p;
  msm_inputs(static_cast<std::size_t>(state.range(0)), s, p);
  for (auto _ : state) benchmark::DoNotOptimize(formica::zk::msm_straus_vartime<Ristretto255>(s, p));
}
BENCHMARK(BM_MsmStraus)->RangeMultiplier(4)->Range(64, 1024)->Unit(benchmark::kMillisecond);

void BM_MsmPippenger(benchmark::State& state) {
  std::vector<S> s;
  std::vector<P> p;
  msm_inputs(static_cast<std::size_t>(state.range(0)), s, p);
  for (auto _ : state) benchmark::DoNotOptimize(formica::zk::msm_pippenger<Ristretto255>(s, p));
}
BENCHMARK(BM_MsmPippenger)->RangeMultiplier(4)->Range(64, 4096)->Unit(benchmark::kMillisecond);

void BM_MsmConstantTime(benchmark::State& state) {
  std::vector<S> s;
  std::vector<P> p;
  msm_inputs(static_cast<std::size_t>(state.range(0)), s, p);
  for (auto _ : state) benchmark::DoNotOptimize(formica::zk::msm_straus_ct<Ristretto255>(s, p));
}
BENCHMARK(BM_MsmConstantTime)->RangeMultiplier(4)->Range(64, 256)->Unit(benchmark::kMillisecond);

std::vector<std::uint64_t> values(std::size_t m) {
  std::vector<std::uint64_t> v;
  for (std::size_t i = 0; i < m; ++i) v.push_back(0x1234567890abcdefULL * (i + 1));
  return v;
}
std::vector<S> blindings(std::size_t m) {
  std::vector<S> b;
  for (std::size_t i = 0; i < m; ++i) b.push_back(S::random());
  return b;
}

void BM_RangeProve(benchmark::State& state) {
  const auto m = static_cast<std::size_t>(state.range(0));
  auto v = values(m);
  auto b = blindings(m);
  for (auto _ : state) {
    auto r = formica::zk::prove_range<Ristretto255>(setup().pc, setup().bp, kCtx, v, b, 64);
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_RangeProve)->Arg(1)->Arg(2)->Arg(4)->Arg(8)->Arg(16)->Unit(benchmark::kMillisecond);

void BM_RangeVerify(benchmark::State& state) {
  const auto m = static_cast<std::size_t>(state.range(0));
  auto v = values(m);
  auto b = blindings(m);
  auto r = formica::zk::prove_range<Ristretto255>(setup().pc, setup().bp, kCtx, v, b, 64);
  for (auto _ : state) {
    auto st =
        formica::zk::verify_range<Ristretto255>(setup().pc, setup().bp, kCtx, r->commitments, r->proof, 64);
    if (!st.ok()) state.SkipWithError("verify failed");
  }
}
BENCHMARK(BM_RangeVerify)->Arg(1)->Arg(2)->Arg(4)->Arg(8)->Arg(16)->Unit(benchmark::kMillisecond);

// 64 single 64-bit proofs verified in one MSM; the time is per batch (divide by 64).
void BM_RangeVerifyBatch64(benchmark::State& state) {
  std::vector<formica::zk::RangeProofWithCommitments<Ristretto255>> proofs;
  for (int i = 0; i < 64; ++i) {
    auto v = values(1);
    auto b = blindings(1);
    proofs.push_back(*formica::zk::prove_range<Ristretto255>(setup().pc, setup().bp, kCtx, v, b, 64));
  }
  std::vector<formica::zk::RangeProofItem<Ristretto255>> items;
  for (auto& p : proofs) items.push_back({kCtx, p.commitments, &p.proof, 64});
  for (auto _ : state) {
    auto st = formica::zk::verify_range_batch<Ristretto255>(setup().pc, setup().bp, items);
    if (!st.ok()) state.SkipWithError("batch verify failed");
  }
  state.counters["per_proof_ms"] =
      benchmark::Counter(64, benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_RangeVerifyBatch64)->Unit(benchmark::kMillisecond);

}  // namespace
