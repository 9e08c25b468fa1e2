#include "formica/storage/state_tree.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>

#include "reference_tree.h"
#include "test_support.h"
#include "tree_node.h"
#include "tree_update.h"

namespace formica::storage {
namespace {

using testing::b;
using testing::Backend;
using testing::Model;
using testing::ReferenceTree;
using testing::take;

std::vector<StateUpdate> random_batch(std::mt19937_64& rng, std::size_t n, std::size_t key_space) {
  std::map<Bytes, std::optional<Bytes>> ups;  // distinct keys
  while (ups.size() < n) {
    Bytes k = b("k" + std::to_string(rng() % key_space));
    if (rng() % 4 == 0) {
      ups[k] = std::nullopt;
    } else {
      ups[k] = b("v" + std::to_string(rng() % 5));  // small value space: same-value rewrites happen
    }
  }
  std::vector<StateUpdate> out;
  for (auto& [k, v] : ups) out.push_back(StateUpdate{k, v});
  std::shuffle(out.begin(), out.end(), rng);
  return out;
}

void apply_model(Model& m, std::span<const StateUpdate> ups) {
  for (const auto& u : ups) {
    if (u.value) {
      m[u.key] = *u.value;
    } else {
      m.erase(u.key);
    }
  }
}

// Checks everything readable at `version` against `model`: root, values, and proofs equal
// to the reference proofs, verifying, for every model key and some absent ones.
void expect_version_matches(const StateTree& tree, std::uint64_t version, const Model& model,
                            std::size_t key_space) {
  ReferenceTree ref(tree.hash_alg(), model);
  auto root = tree.root_hash(version);
  ASSERT_TRUE(root.ok()) << root.error().to_string();
  ASSERT_EQ(*root, ref.root()) << "version " << version;
  // The batched reader answers exactly like get(key, version), with and without the checks.
  auto reader = tree.reader(version);
  ASSERT_TRUE(reader.ok()) << reader.error().to_string();
  auto trusted = tree.reader(version, /*known_readable=*/true);
  ASSERT_TRUE(trusted.ok()) << trusted.error().to_string();
  for (std::size_t i = 0; i < key_space + 3; ++i) {
    const Bytes key = b("k" + std::to_string(i));
    auto it = model.find(key);
    auto read = tree.get_with_proof(key, version);
    ASSERT_TRUE(read.ok()) << read.error().to_string();
    ASSERT_EQ(read->value.has_value(), it != model.end()) << "version " << version << " key " << i;
    std::optional<ByteView> v;
    if (read->value) {
      ASSERT_EQ(*read->value, it->second);
      v = ByteView(*read->value);
    }
    ASSERT_EQ(read->proof, ref.proof(state_key_hash(tree.hash_alg(), key))) << "version " << version;
    ASSERT_TRUE(verify_state_proof(tree.hash_alg(), *root, key, v, read->proof));
    auto plain = tree.get(key, version);
    ASSERT_TRUE(plain.ok());
    ASSERT_EQ(*plain, read->value);
    auto batched = (*reader)->get(key);
    ASSERT_TRUE(batched.ok()) << batched.error().to_string();
    ASSERT_EQ(*batched, read->value) << "version " << version << " key " << i;
    auto batched2 = (*trusted)->get(key);
    ASSERT_TRUE(batched2.ok());
    ASSERT_EQ(*batched2, read->value);
  }
  auto beyond = tree.reader(UINT64_MAX);
  ASSERT_FALSE(beyond.ok());
  ASSERT_EQ(beyond.code(), ErrorCode::kNotFound);
}

class StateTreeTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    kv_ = testing::open_store(GetParam(), dir_.path());
    ASSERT_NE(kv_, nullptr);
    options_.cf = *kv_->column_family("state");
    tree_ = take(StateTree::open(*kv_, options_));
  }
  Hash32 commit(std::uint64_t v, std::vector<StateUpdate> ups) {
    auto r = tree_->commit(v, ups);
    EXPECT_TRUE(r.ok()) << r.error().to_string();
    return r.ok() ? *r : Hash32{};
  }

  testing::TempDir dir_;
  std::unique_ptr<KvStore> kv_;
  StateTreeOptions options_;
  std::unique_ptr<StateTree> tree_;
};

TEST_P(StateTreeTest, SmallTreesFollowTheSpec) {
  EXPECT_FALSE(take(tree_->latest_version()).has_value());
  EXPECT_EQ(tree_->root_hash(0).code(), ErrorCode::kNotFound);
  EXPECT_EQ(commit(0, {}), kEmptySubtreeHash);  // genesis with no state
  const auto alg = HashAlg::kSha256;
  const Hash32 one = commit(1, {{b("alice"), b("100")}});
  EXPECT_EQ(one, state_leaf_hash(alg, state_key_hash(alg, b("alice")), state_value_hash(alg, b("100"))));
  const Hash32 two = commit(2, {{b("bob"), b("50")}});
  EXPECT_EQ(two, ReferenceTree(alg, Model{{b("alice"), b("100")}, {b("bob"), b("50")}}).root());
  EXPECT_EQ(commit(3, {{b("bob"), std::nullopt}}), one) << "deleting returns to the earlier root";
  EXPECT_EQ(commit(4, {{b("alice"), std::nullopt}, {b("ghost"), std::nullopt}}), kEmptySubtreeHash);
  EXPECT_EQ(commit(5, {}), kEmptySubtreeHash);
  EXPECT_EQ(*tree_->root_hash(2), two);
  EXPECT_EQ(**tree_->get(b("bob"), 2), b("50"));
  EXPECT_FALSE(tree_->get(b("bob"), 3)->has_value());
  EXPECT_EQ(**tree_->latest_version(), 5u);
  EXPECT_EQ(**tree_->oldest_version(), 0u);
}

TEST_P(StateTreeTest, RejectsBadVersionsAndDuplicateKeys) {
  commit(10, {{b("a"), b("1")}});
  WriteBatch batch;
  EXPECT_EQ(tree_->stage(12, {}, batch).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(tree_->stage(10, {}, batch).code(), ErrorCode::kInvalidArgument);
  std::vector<StateUpdate> dup{{b("x"), b("1")}, {b("y"), b("2")}, {b("x"), std::nullopt}};
  EXPECT_EQ(tree_->stage(11, dup, batch).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(tree_->root_hash(9).code(), ErrorCode::kNotFound);
  EXPECT_EQ(tree_->get(b("a"), 11).code(), ErrorCode::kNotFound);
  EXPECT_TRUE(tree_->get(b("a"), 10).ok());
  // Reopening with another hash function is refused.
  StateTreeOptions sm3 = options_;
  sm3.hash_alg = HashAlg::kSm3;
  EXPECT_EQ(StateTree::open(*kv_, sm3).code(), ErrorCode::kInvalidArgument);
}

// The core property test: a random history of inserts, updates and deletes, checked against
// a std::map model and the reference recomputation at every version, then every past
// version re-read at the end.
TEST_P(StateTreeTest, RandomHistoryMatchesTheModelAtEveryVersion) {
  std::mt19937_64 rng(2024);
  const std::size_t key_space = 120;
  std::vector<Model> models;
  Model model;
  for (std::uint64_t v = 0; v < 30; ++v) {
    auto ups = random_batch(rng, 1 + rng() % 25, key_space);
    apply_model(model, ups);
    models.push_back(model);
    const Hash32 root = commit(v, ups);
    ASSERT_EQ(root, ReferenceTree(HashAlg::kSha256, model).root()) << "version " << v;
  }
  for (std::uint64_t v = 0; v < models.size(); v += 3)
    expect_version_matches(*tree_, v, models[v], key_space);
  expect_version_matches(*tree_, models.size() - 1, models.back(), key_space);
}

// Every node stored is reachable from a retained root and vice versa; every value record
// is needed by a retained version. Proves pruning neither leaks nor over-deletes.
void expect_exact_storage(const KvStore& kv, ColumnFamily cf, const StateTree& tree) {
  const std::uint64_t oldest = **tree.oldest_version();
  const std::uint64_t latest = **tree.latest_version();
  std::set<Bytes> reachable;
  std::function<void(const tree::ChildRef&, std::size_t, const Hash32&)> walk =
      [&](const tree::ChildRef& ref, std::size_t depth, const Hash32& path) {
        if (ref.kind == tree::Kind::kEmpty) return;
        if (!reachable.insert(tree::node_key(ref.version, depth, path)).second) return;
        auto node = take(tree::load_node(kv, cf, ref, depth, path));
        if (node.kind == tree::Kind::kInternal) {
          walk(node.internal.left, depth + 1, tree::child_path(path, depth, false));
          walk(node.internal.right, depth + 1, tree::child_path(path, depth, true));
        }
      };
  for (std::uint64_t v = oldest; v <= latest; ++v) {
    auto bytes = take(kv.get(cf, tree::root_key(v)));
    ASSERT_TRUE(bytes.has_value());
    walk(take(tree::decode_child_ref(*bytes)), 0, Hash32{});
  }
  std::set<Bytes> stored;
  auto it = take(kv.iterator(cf, prefix_read_options(Bytes{tree::kNodePrefix})));
  for (it->seek_to_first(); it->valid(); it->next()) stored.insert(to_bytes(it->key()));
  EXPECT_EQ(stored, reachable);
  // Root refs exist exactly for [oldest, latest].
  std::size_t roots = 0;
  auto rit = take(kv.iterator(cf, prefix_read_options(Bytes{tree::kRootPrefix})));
  for (rit->seek_to_first(); rit->valid(); rit->next()) {
    const auto v = tree::get_u64(rit->key().subspan(1));
    EXPECT_TRUE(v >= oldest && v <= latest) << v;
    ++roots;
  }
  EXPECT_EQ(roots, latest - oldest + 1);
  // Value records: per key hash, the records at versions > oldest, plus the newest one at
  // or below oldest unless that one is a tombstone.
  std::map<Hash32, std::vector<std::pair<std::uint64_t, bool>>> records;  // version, is_put
  auto vit = take(kv.iterator(cf, prefix_read_options(Bytes{tree::kValuePrefix})));
  for (vit->seek_to_first(); vit->valid(); vit->next()) {
    Hash32 kh;
    std::copy_n(vit->key().begin() + 1, 32, kh.begin());
    records[kh].emplace_back(tree::get_u64(vit->key().subspan(33)), vit->value()[0] == 1);
  }
  for (const auto& [kh, recs] : records) {
    std::size_t at_or_below = 0;
    for (const auto& [v, is_put] : recs) {
      if (v <= oldest) {
        ++at_or_below;
        EXPECT_TRUE(is_put) << "a tombstone at or below the horizon should be pruned";
      }
    }
    EXPECT_LE(at_or_below, 1u) << "superseded value records should be pruned";
  }
}

TEST_P(StateTreeTest, PruningKeepsTheLastNVersionsExactly) {
  options_.keep_versions = 4;
  tree_ = take(StateTree::open(*kv_, options_));
  std::mt19937_64 rng(99);
  const std::size_t key_space = 60;
  std::vector<Model> models;
  Model model;
  for (std::uint64_t v = 1; v <= 25; ++v) {
    auto ups = random_batch(rng, 1 + rng() % 15, key_space);
    apply_model(model, ups);
    models.push_back(model);  // models[v - 1]
    commit(v, ups);
    const std::uint64_t oldest = v >= 4 ? v - 3 : 1;
    ASSERT_EQ(**tree_->oldest_version(), oldest);
    if (oldest > 1) {
      EXPECT_EQ(tree_->root_hash(oldest - 1).code(), ErrorCode::kFailedPrecondition);
      EXPECT_EQ(tree_->get(b("k1"), oldest - 1).code(), ErrorCode::kFailedPrecondition);
      EXPECT_EQ(tree_->get_with_proof(b("k1"), 1).code(), ErrorCode::kFailedPrecondition);
    }
    EXPECT_EQ(tree_->root_hash(0).code(), ErrorCode::kNotFound) << "never committed";
    for (std::uint64_t r = oldest; r <= v; ++r) expect_version_matches(*tree_, r, models[r - 1], key_space);
    expect_exact_storage(*kv_, options_.cf, *tree_);
  }
  // Explicit pruning further, and a no-op below the horizon.
  ASSERT_TRUE(tree_->prune_before(25).ok());
  ASSERT_TRUE(tree_->prune_before(3).ok());
  EXPECT_EQ(**tree_->oldest_version(), 25u);
  expect_version_matches(*tree_, 25, models.back(), key_space);
  expect_exact_storage(*kv_, options_.cf, *tree_);
  EXPECT_EQ(tree_->prune_before(26).code(), ErrorCode::kInvalidArgument);
}

TEST_P(StateTreeTest, ArchiveTreeStoresOnlyReachableNodes) {
  std::mt19937_64 rng(5);
  for (std::uint64_t v = 0; v < 15; ++v) commit(v, random_batch(rng, 1 + rng() % 20, 50));
  expect_exact_storage(*kv_, options_.cf, *tree_);
}

INSTANTIATE_TEST_SUITE_P(Backends, StateTreeTest, ::testing::Values(Backend::kMem, Backend::kRocksDb),
                         testing::backend_name);

// The same history on both backends gives identical roots; the order of updates within a
// batch, and how a final key set was reached, do not change the root.
TEST(StateTree, RootsAreIndependentOfBackendOrderAndHistory) {
  testing::TempDir dir;
  auto mem = testing::open_store(Backend::kMem, dir.path());
  auto rocks = testing::open_store(Backend::kRocksDb, dir.path());
  auto mem_sorted = testing::open_store(Backend::kMem, dir.path());
  StateTreeOptions o;
  o.cf = *mem->column_family("state");
  auto t1 = take(StateTree::open(*mem, o));
  auto t2 = take(StateTree::open(*rocks, o));
  auto t3 = take(StateTree::open(*mem_sorted, o));
  std::mt19937_64 rng(77);
  Model model;
  for (std::uint64_t v = 0; v < 20; ++v) {
    auto ups = random_batch(rng, 1 + rng() % 40, 200);
    apply_model(model, ups);
    auto reversed = ups;
    std::reverse(reversed.begin(), reversed.end());
    const Hash32 r1 = take(t1->commit(v, ups));
    EXPECT_EQ(take(t2->commit(v, reversed)), r1);
    std::sort(ups.begin(), ups.end(),
              [](const StateUpdate& a, const StateUpdate& c) { return a.key < c.key; });
    EXPECT_EQ(take(t3->commit(v, ups)), r1);
  }
  // One batch with the whole final state into a fresh tree gives the same root.
  auto fresh = testing::open_store(Backend::kMem, dir.path());
  auto t4 = take(StateTree::open(*fresh, o));
  std::vector<StateUpdate> all;
  for (const auto& [k, v] : model) all.push_back(StateUpdate{k, v});
  EXPECT_EQ(take(t4->commit(0, all)), *t1->root_hash(19));
}

TEST(StateTree, Sm3TreesFollowTheSameRulesWithAnotherHash) {
  testing::TempDir dir;
  auto kv = testing::open_store(Backend::kMem, dir.path());
  StateTreeOptions o;
  o.cf = *kv->column_family("state");
  o.hash_alg = HashAlg::kSm3;
  auto tree = take(StateTree::open(*kv, o));
  std::mt19937_64 rng(3);
  Model model;
  for (std::uint64_t v = 0; v < 8; ++v) {
    auto ups = random_batch(rng, 1 + rng() % 20, 40);
    apply_model(model, ups);
    EXPECT_EQ(take(tree->commit(v, ups)), ReferenceTree(HashAlg::kSm3, model).root());
  }
  expect_version_matches(*tree, 7, model, 40);
  EXPECT_NE(*tree->root_hash(7), ReferenceTree(HashAlg::kSha256, model).root());
}

// A staged version lands together with the caller's own records in one batch.
TEST(StateTree, StageSharesTheCallersAtomicBatch) {
  testing::TempDir dir;
  auto kv = testing::open_store(Backend::kMem, dir.path());
  StateTreeOptions o;
  o.cf = *kv->column_family("state");
  auto tree = take(StateTree::open(*kv, o));
  WriteBatch batch;
  const Hash32 root = take(tree->stage(1, std::vector<StateUpdate>{{b("a"), b("1")}}, batch));
  EXPECT_FALSE(take(tree->latest_version()).has_value()) << "stage writes nothing";
  batch.put(*kv->column_family("blocks"), b("block-1"), root);
  ASSERT_TRUE(kv->write(batch, WriteOptions{.sync = true}).ok());
  EXPECT_EQ(**tree->latest_version(), 1u);
  EXPECT_EQ(*tree->root_hash(1), root);
}

}  // namespace
}  // namespace formica::storage
