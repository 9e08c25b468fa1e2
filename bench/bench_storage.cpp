// Storage kernels on RocksDB: state tree commits (updates/s for 1k and 10k keys per version),
// proof generation and verification, point reads. Figures: docs/perf/storage.md.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <random>
#include <string>

#include "formica/storage/rocksdb_kv_store.h"
#include "formica/storage/state_proof.h"
#include "formica/storage/state_tree.h"

namespace {

using namespace formica;           // NOLINT(build/namespaces)
using namespace formica::storage;  // NOLINT(build/namespaces)

constexpr std::size_t kInitialKeys = 100'000;

// A RocksDB-backed tree in a fresh directory, prepopulated with kInitialKeys keys
// (versions 1..10), removed on destruction. One instance is shared by every benchmark (the
// prepopulation is the slow part); commits keep growing it, see the keys_at_end counter.
class BenchTree {
 public:
  BenchTree() {
    static int counter = 0;
    dir_ = std::filesystem::temp_directory_path() /
           ("formica-bench-storage-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::filesystem::remove_all(dir_);
    RocksDbOptions o;
    o.path = dir_.string();
    o.column_families = {"state"};
    kv_ = std::move(RocksDbKvStore::open(o)).value();
    StateTreeOptions t;
    t.cf = *kv_->column_family("state");
    tree_ = std::move(StateTree::open(*kv_, t)).value();
    for (std::size_t v = 1; v <= 10; ++v) {
      std::vector<StateUpdate> ups;
      for (std::size_t i = 0; i < kInitialKeys / 10; ++i)
        ups.push_back(StateUpdate{key(next_key_++), value()});
      if (!tree_->commit(version_++, ups).ok()) std::abort();
    }
  }
  ~BenchTree() {
    tree_.reset();
    kv_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  static Bytes key(std::uint64_t i) { return to_bytes("account/" + std::to_string(i)); }
  Bytes value() {
    Bytes v(32);
    for (auto& c : v) c = static_cast<std::uint8_t>(rng_());
    return v;
  }
  // n updates: half overwrite existing keys, half insert new ones.
  std::vector<StateUpdate> updates(std::size_t n) {
    std::map<Bytes, Bytes> ups;
    while (ups.size() < n / 2) ups.emplace(key(rng_() % next_key_), value());
    while (ups.size() < n) ups.emplace(key(next_key_++), value());
    std::vector<StateUpdate> out;
    for (auto& [k, v] : ups) out.push_back(StateUpdate{k, v});
    return out;
  }

  std::mt19937_64 rng_{42};
  std::uint64_t next_key_ = 0;
  std::uint64_t version_ = 1;
  std::filesystem::path dir_;
  std::unique_ptr<RocksDbKvStore> kv_;
  std::unique_ptr<StateTree> tree_;
};

BenchTree& shared_tree() {
  static BenchTree* tree = new BenchTree();  // lives until exit; the directory is removed at exit
  static const int registered = std::atexit([] { delete tree; });
  (void)registered;
  return *tree;
}

// Arguments: keys per version, sync (1: the WAL is fsync'd per version, as a node does).
void BM_StateTreeCommit(benchmark::State& state) {
  BenchTree& t = shared_tree();
  const auto n = static_cast<std::size_t>(state.range(0));
  const WriteOptions wo{.sync = state.range(1) != 0};
  for (auto _ : state) {
    state.PauseTiming();
    auto ups = t.updates(n);
    state.ResumeTiming();
    auto root = t.tree_->commit(t.version_++, ups, wo);
    if (!root.ok()) state.SkipWithError(root.error().message.c_str());
    benchmark::DoNotOptimize(root);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
  state.counters["keys_at_end"] = static_cast<double>(t.next_key_);
}
BENCHMARK(BM_StateTreeCommit)
    ->Args({1000, 0})
    ->Args({1000, 1})
    ->Args({10000, 0})
    ->Args({10000, 1})
    ->Unit(benchmark::kMillisecond)
    ->Iterations(5)
    ->Repetitions(3)
    ->ReportAggregatesOnly(true);

void BM_StateProofGenerate(benchmark::State& state) {
  BenchTree& t = shared_tree();
  const std::uint64_t v = t.version_ - 1;
  std::mt19937_64 rng(1);
  for (auto _ : state) {
    auto r = t.tree_->get_with_proof(BenchTree::key(rng() % t.next_key_), v);
    if (!r.ok()) state.SkipWithError(r.error().message.c_str());
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_StateProofGenerate)->Repetitions(3)->ReportAggregatesOnly(true);

void BM_StateGet(benchmark::State& state) {
  BenchTree& t = shared_tree();
  const std::uint64_t v = t.version_ - 1;
  std::mt19937_64 rng(2);
  for (auto _ : state) {
    auto r = t.tree_->get(BenchTree::key(rng() % t.next_key_), v);
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_StateGet)->Repetitions(3)->ReportAggregatesOnly(true);

// Verification of encoded proofs (decode + verify), as a light client does it.
void BM_StateProofVerify(benchmark::State& state) {
  BenchTree& t = shared_tree();
  const std::uint64_t v = t.version_ - 1;
  const Hash32 root = *t.tree_->root_hash(v);
  struct Item {
    Bytes key, value, proof;
  };
  std::vector<Item> items;
  for (std::uint64_t i = 0; i < 1000; ++i) {
    const Bytes k = BenchTree::key(i * 97 % t.next_key_);
    auto r = std::move(t.tree_->get_with_proof(k, v)).value();
    items.push_back(Item{k, *r.value, encode_state_proof(r.proof)});
  }
  std::size_t i = 0;
  std::size_t proof_bytes = 0;
  for (const auto& it : items) proof_bytes += it.proof.size();
  for (auto _ : state) {
    const Item& it = items[i++ % items.size()];
    auto p = decode_state_proof(it.proof);
    const bool ok = p.ok() && verify_state_proof(HashAlg::kSha256, root, it.key, ByteView(it.value), *p);
    if (!ok) state.SkipWithError("proof failed");
    benchmark::DoNotOptimize(ok);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
  state.counters["avg_proof_bytes"] = static_cast<double>(proof_bytes) / static_cast<double>(items.size());
}
BENCHMARK(BM_StateProofVerify)->Repetitions(3)->ReportAggregatesOnly(true);

}  // namespace
