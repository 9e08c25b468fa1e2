// Crypto kernels on 256-byte messages: sign, verify and parallel verify per scheme, and each
// hash. These are the per-transaction cost floor for everything above (docs/perf/crypto.md).

#include <benchmark/benchmark.h>

#include <vector>

#include "formica/crypto/batch_verify.h"
#include "formica/crypto/hash.h"
#include "formica/crypto/signature.h"
#include "formica/crypto/sm4.h"

namespace {

using formica::Bytes;
using namespace formica::crypto;

Bytes message(std::size_t i = 0) {
  Bytes m(256);
  for (std::size_t j = 0; j < m.size(); ++j) m[j] = static_cast<std::uint8_t>(j * 31 + i);
  return m;
}

void BM_Sign(benchmark::State& state, Scheme scheme) {
  PrivateKey key = PrivateKey::generate(scheme);
  Bytes msg = message();
  for (auto _ : state) benchmark::DoNotOptimize(sign(key, msg));
  state.SetItemsProcessed(state.iterations());
}

void BM_Verify(benchmark::State& state, Scheme scheme) {
  PrivateKey key = PrivateKey::generate(scheme);
  Bytes msg = message();
  Bytes sig = sign(key, msg);
  for (auto _ : state) {
    bool ok = verify(key.public_key(), msg, sig);
    if (!ok) state.SkipWithError("signature did not verify");
    benchmark::DoNotOptimize(ok);
  }
  state.SetItemsProcessed(state.iterations());
}

// 1024 distinct (key, message, signature) triples per iteration, on the shared pool (all cores).
void BM_VerifyParallel(benchmark::State& state, Scheme scheme) {
  constexpr std::size_t kBatch = 1024;
  std::vector<PrivateKey> keys;
  for (int i = 0; i < 16; ++i) keys.push_back(PrivateKey::generate(scheme));
  std::vector<Bytes> msgs, sigs;
  std::vector<VerifyItem> items;
  msgs.reserve(kBatch);
  sigs.reserve(kBatch);
  for (std::size_t i = 0; i < kBatch; ++i) {
    msgs.push_back(message(i));
    sigs.push_back(sign(keys[i % keys.size()], msgs.back()));
  }
  for (std::size_t i = 0; i < kBatch; ++i)
    items.push_back({&keys[i % keys.size()].public_key(), msgs[i], sigs[i]});
  for (auto _ : state) {
    bool ok = verify_all_parallel(items);
    if (!ok) state.SkipWithError("batch did not verify");
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kBatch));
  state.counters["threads"] = static_cast<double>(ThreadPool::shared().concurrency());
}

void BM_Hash(benchmark::State& state, HashAlg alg) {
  Bytes msg = message();
  for (auto _ : state) benchmark::DoNotOptimize(hash(alg, msg));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * msg.size()));
  state.SetItemsProcessed(state.iterations());
}

void BM_Sm4GcmSeal(benchmark::State& state) {
  Bytes key(sm4::kKeyBytes, 1);
  Bytes msg = message();
  for (auto _ : state) benchmark::DoNotOptimize(sm4::seal(key, msg));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * msg.size()));
}

BENCHMARK_CAPTURE(BM_Sign, ed25519, Scheme::kEd25519);
BENCHMARK_CAPTURE(BM_Sign, sm2, Scheme::kSm2);
BENCHMARK_CAPTURE(BM_Sign, secp256k1, Scheme::kSecp256k1);
BENCHMARK_CAPTURE(BM_Verify, ed25519, Scheme::kEd25519);
BENCHMARK_CAPTURE(BM_Verify, sm2, Scheme::kSm2);
BENCHMARK_CAPTURE(BM_Verify, secp256k1, Scheme::kSecp256k1);
BENCHMARK_CAPTURE(BM_VerifyParallel, ed25519, Scheme::kEd25519)->UseRealTime();
BENCHMARK_CAPTURE(BM_VerifyParallel, sm2, Scheme::kSm2)->UseRealTime();
BENCHMARK_CAPTURE(BM_VerifyParallel, secp256k1, Scheme::kSecp256k1)->UseRealTime();
BENCHMARK_CAPTURE(BM_Hash, sha256, HashAlg::kSha256);
BENCHMARK_CAPTURE(BM_Hash, sm3, HashAlg::kSm3);
BENCHMARK_CAPTURE(BM_Hash, keccak256, HashAlg::kKeccak256);
BENCHMARK_CAPTURE(BM_Hash, blake2b_256, HashAlg::kBlake2b256);
BENCHMARK(BM_Sm4GcmSeal);

}  // namespace
