// The state tree under simulated power loss (FaultInjectionKvStore): versions committed with
// sync survive with their roots and proofs; an unsynced version is lost whole (a torn batch
// never leaves half a version) and the previous version stays intact and extendable.
#include <gtest/gtest.h>

#include <random>

#include "formica/storage/fault_injection_kv_store.h"
#include "formica/storage/state_tree.h"
#include "reference_tree.h"
#include "test_support.h"

namespace formica::storage {
namespace {

using testing::b;
using testing::Backend;
using testing::Model;
using testing::ReferenceTree;
using testing::take;

class StateTreeCrashTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override { reopen(); }
  void reopen() {
    tree_.reset();
    fault_.reset();
    inner_.reset();
    inner_ = testing::open_store(GetParam(), dir_.path());
    ASSERT_NE(inner_, nullptr);
    fault_ = std::make_unique<FaultInjectionKvStore>(*inner_);
    options_.cf = *fault_->column_family("state");
    tree_ = take(StateTree::open(*fault_, options_));
  }
  // Power loss, then recovery: RocksDB is reopened from its directory; the in-memory store
  // is its own recovered state. The tree object is always rebuilt.
  void crash(std::size_t keep_unsynced = 0) {
    tree_.reset();
    ASSERT_TRUE(fault_->crash(keep_unsynced).ok());
    if (GetParam() == Backend::kRocksDb) {
      reopen();
    } else {
      tree_ = take(StateTree::open(*fault_, options_));
    }
  }
  void expect_intact(std::uint64_t version, const Model& model) {
    ReferenceTree ref(HashAlg::kSha256, model);
    auto root = tree_->root_hash(version);
    ASSERT_TRUE(root.ok()) << root.error().to_string();
    ASSERT_EQ(*root, ref.root()) << "version " << version;
    for (int i = 0; i < 40; ++i) {
      const Bytes key = b("k" + std::to_string(i));
      auto read = take(tree_->get_with_proof(key, version));
      auto it = model.find(key);
      ASSERT_EQ(read.value.has_value(), it != model.end());
      std::optional<ByteView> v;
      if (read.value) {
        ASSERT_EQ(*read.value, it->second);
        v = ByteView(*read.value);
      }
      ASSERT_TRUE(verify_state_proof(HashAlg::kSha256, *root, key, v, read.proof));
    }
  }
  std::vector<StateUpdate> batch(std::mt19937_64& rng, Model& model) {
    std::map<Bytes, std::optional<Bytes>> ups;
    const std::size_t n = 1 + rng() % 12;
    while (ups.size() < n) {
      Bytes k = b("k" + std::to_string(rng() % 40));
      ups[k] = rng() % 4 == 0 ? std::nullopt : std::optional<Bytes>(b("v" + std::to_string(rng())));
    }
    std::vector<StateUpdate> out;
    for (auto& [k, v] : ups) {
      out.push_back(StateUpdate{k, v});
      if (v) {
        model[k] = *v;
      } else {
        model.erase(k);
      }
    }
    return out;
  }

  testing::TempDir dir_;
  std::unique_ptr<KvStore> inner_;
  std::unique_ptr<FaultInjectionKvStore> fault_;
  StateTreeOptions options_;
  std::unique_ptr<StateTree> tree_;
};

TEST_P(StateTreeCrashTest, SyncedVersionsSurviveAndTheUnsyncedOneIsLostWhole) {
  std::mt19937_64 rng(1);
  std::vector<Model> models;
  Model model;
  for (std::uint64_t v = 1; v <= 5; ++v) {
    auto ups = batch(rng, model);
    models.push_back(model);
    ASSERT_TRUE(tree_->commit(v, ups, WriteOptions{.sync = true}).ok());
  }
  Model lost = model;
  auto ups = batch(rng, lost);
  ASSERT_TRUE(tree_->commit(6, ups, WriteOptions{.sync = false}).ok());
  ASSERT_EQ(**tree_->latest_version(), 6u);
  crash();
  ASSERT_EQ(**tree_->latest_version(), 5u);
  EXPECT_EQ(tree_->root_hash(6).code(), ErrorCode::kNotFound);
  for (std::uint64_t v = 1; v <= 5; ++v) expect_intact(v, models[v - 1]);
  // The chain continues from version 5, with a different version 6 this time.
  Model again = models.back();
  auto other = batch(rng, again);
  ASSERT_TRUE(tree_->commit(6, other, WriteOptions{.sync = true}).ok());
  crash();
  expect_intact(6, again);
  expect_intact(5, models.back());
}

TEST_P(StateTreeCrashTest, AKeptPrefixOfUnsyncedVersionsIsConsistent) {
  std::mt19937_64 rng(2);
  Model model;
  ASSERT_TRUE(tree_->commit(1, batch(rng, model), WriteOptions{.sync = true}).ok());
  std::vector<Model> models{model};
  for (std::uint64_t v = 2; v <= 4; ++v) {
    auto ups = batch(rng, model);
    models.push_back(model);
    ASSERT_TRUE(tree_->commit(v, ups).ok());
  }
  crash(/*keep_unsynced=*/2);
  ASSERT_EQ(**tree_->latest_version(), 3u);
  for (std::uint64_t v = 1; v <= 3; ++v) expect_intact(v, models[v - 1]);
}

TEST_P(StateTreeCrashTest, AFailedWriteLeavesThePreviousVersion) {
  std::mt19937_64 rng(3);
  Model model;
  ASSERT_TRUE(tree_->commit(1, batch(rng, model), WriteOptions{.sync = true}).ok());
  Model attempted = model;
  auto ups = batch(rng, attempted);
  fault_->set_fail_writes(true);
  EXPECT_EQ(tree_->commit(2, ups, WriteOptions{.sync = true}).code(), ErrorCode::kIo);
  fault_->set_fail_writes(false);
  ASSERT_EQ(**tree_->latest_version(), 1u);
  expect_intact(1, model);
  ASSERT_TRUE(tree_->commit(2, ups, WriteOptions{.sync = true}).ok());
  expect_intact(2, attempted);
}

// Random commits with random sync flags and crashes at random points, with pruning on: after
// every recovery the latest version is one the model predicts, and every retained version
// is intact.
TEST_P(StateTreeCrashTest, RandomCrashesWithPruning) {
  options_.keep_versions = 3;
  tree_ = take(StateTree::open(*fault_, options_));
  std::mt19937_64 rng(4);
  std::map<std::uint64_t, Model> committed;  // version -> model, for versions that may exist
  Model model;
  std::uint64_t durable = 0;  // last version known durable (0: none)
  std::uint64_t next = 1;
  for (int round = 0; round < 8; ++round) {
    const int commits = 1 + static_cast<int>(rng() % 4);
    std::vector<std::uint64_t> unsynced_versions;
    for (int i = 0; i < commits; ++i) {
      auto ups = batch(rng, model);
      const bool sync = rng() % 3 == 0;
      ASSERT_TRUE(tree_->commit(next, ups, WriteOptions{.sync = sync}).ok());
      committed[next] = model;
      if (sync) {
        durable = next;
        unsynced_versions.clear();
      } else {
        unsynced_versions.push_back(next);
      }
      ++next;
    }
    const std::size_t pending = fault_->unsynced_batches();
    crash(rng() % (pending + 1));
    auto latest = take(tree_->latest_version());
    ASSERT_TRUE(latest.has_value() || durable == 0);
    if (!latest) {
      next = 1;
      model.clear();
      continue;
    }
    ASSERT_GE(*latest, durable) << "an acknowledged synced version was lost";
    ASSERT_LT(*latest, next);
    const std::uint64_t oldest = **tree_->oldest_version();
    for (std::uint64_t v = oldest; v <= *latest; ++v) expect_intact(v, committed[v]);
    ASSERT_TRUE(tree_->prune().ok());  // finishes a pruning pass the crash may have cut short
    model = committed[*latest];
    next = *latest + 1;
    durable = *latest;
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, StateTreeCrashTest, ::testing::Values(Backend::kMem, Backend::kRocksDb),
                         testing::backend_name);

}  // namespace
}  // namespace formica::storage
