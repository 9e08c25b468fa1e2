#include "formica/storage/kv_store.h"

#include <gtest/gtest.h>

#include <map>
#include <random>

#include "formica/storage/mem_kv_store.h"
#include "formica/storage/rocksdb_kv_store.h"
#include "test_support.h"

namespace formica::storage {
namespace {

using testing::b;
using testing::Backend;

class KvStoreTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    kv_ = testing::open_store(GetParam(), dir_.path());
    ASSERT_NE(kv_, nullptr);
    state_ = *kv_->column_family("state");
    blocks_ = *kv_->column_family("blocks");
  }
  std::vector<std::pair<Bytes, Bytes>> scan(ColumnFamily cf, const ReadOptions& ro = {}) {
    std::vector<std::pair<Bytes, Bytes>> out;
    auto it = testing::take(kv_->iterator(cf, ro));
    for (it->seek_to_first(); it->valid(); it->next())
      out.emplace_back(to_bytes(it->key()), to_bytes(it->value()));
    EXPECT_TRUE(it->status().ok());
    return out;
  }

  testing::TempDir dir_;
  std::unique_ptr<KvStore> kv_;
  ColumnFamily state_, blocks_;
};

TEST_P(KvStoreTest, PutGetDeleteAndColumnFamiliesAreSeparate) {
  EXPECT_FALSE(kv_->get(state_, b("k"))->has_value());
  ASSERT_TRUE(kv_->put(state_, b("k"), b("v1")).ok());
  ASSERT_TRUE(kv_->put(blocks_, b("k"), b("other")).ok());
  EXPECT_EQ(**kv_->get(state_, b("k")), b("v1"));
  EXPECT_EQ(**kv_->get(blocks_, b("k")), b("other"));
  EXPECT_FALSE(kv_->get(kv_->default_column_family(), b("k"))->has_value());
  ASSERT_TRUE(kv_->put(state_, b("k"), b("")).ok());  // empty values are values
  EXPECT_EQ(**kv_->get(state_, b("k")), Bytes{});
  ASSERT_TRUE(kv_->del(state_, b("k")).ok());
  EXPECT_FALSE(kv_->get(state_, b("k"))->has_value());
  EXPECT_EQ(**kv_->get(blocks_, b("k")), b("other"));
  ASSERT_TRUE(kv_->del(state_, b("never")).ok());  // deleting an absent key is fine
}

TEST_P(KvStoreTest, UnknownColumnFamilyIsAnErrorNotACrash) {
  EXPECT_EQ(kv_->column_family("nope").code(), ErrorCode::kInvalidArgument);
  ColumnFamily bogus{99};
  EXPECT_EQ(kv_->get(bogus, b("k")).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(kv_->iterator(bogus).code(), ErrorCode::kInvalidArgument);
  WriteBatch batch;
  batch.put(state_, b("a"), b("1"));
  batch.put(bogus, b("k"), b("v"));
  EXPECT_EQ(kv_->write(batch).code(), ErrorCode::kInvalidArgument);
  EXPECT_FALSE(kv_->get(state_, b("a"))->has_value()) << "a rejected batch applies nothing";
}

TEST_P(KvStoreTest, BatchAppliesInOrderAcrossColumnFamilies) {
  ASSERT_TRUE(kv_->put(state_, b("gone"), b("x")).ok());
  WriteBatch batch;
  batch.put(state_, b("a"), b("1"));
  batch.put(state_, b("a"), b("2"));
  batch.del(state_, b("gone"));
  batch.put(blocks_, b("h"), b("block"));
  batch.put(state_, b("c"), b("3"));
  batch.del(state_, b("c"));
  EXPECT_EQ(batch.count(), 6u);
  ASSERT_TRUE(kv_->write(batch, WriteOptions{.sync = true}).ok());
  EXPECT_EQ(**kv_->get(state_, b("a")), b("2"));
  EXPECT_FALSE(kv_->get(state_, b("gone"))->has_value());
  EXPECT_FALSE(kv_->get(state_, b("c"))->has_value());
  EXPECT_EQ(**kv_->get(blocks_, b("h")), b("block"));
  ASSERT_TRUE(kv_->sync().ok());
}

TEST_P(KvStoreTest, IterationIsBytewiseWithBoundsAndBothDirections) {
  const std::vector<Bytes> keys = {Bytes{},           Bytes{0x00},      Bytes{0x01}, Bytes{0x01, 0x00},
                                   Bytes{0x01, 0xff}, Bytes{0x02},      Bytes{0x7f}, Bytes{0x80},
                                   Bytes{0xff},       Bytes{0xff, 0xff}};
  WriteBatch batch;
  for (auto it = keys.rbegin(); it != keys.rend(); ++it)
    batch.put(state_, *it, Bytes{static_cast<std::uint8_t>(it->size())});
  ASSERT_TRUE(kv_->write(batch).ok());
  auto all = scan(state_);
  ASSERT_EQ(all.size(), keys.size());
  for (std::size_t i = 0; i < keys.size(); ++i) EXPECT_EQ(all[i].first, keys[i]) << i;

  // Prefix scan of 0x01.
  auto p = scan(state_, prefix_read_options(Bytes{0x01}));
  ASSERT_EQ(p.size(), 3u);
  EXPECT_EQ(p[0].first, (Bytes{0x01}));
  EXPECT_EQ(p[2].first, (Bytes{0x01, 0xff}));
  // Prefix 0xff has no upper bound (unbounded above).
  EXPECT_EQ(prefix_upper_bound(Bytes{0xff}), Bytes{});
  EXPECT_EQ(prefix_upper_bound(Bytes{0x01, 0xff}), (Bytes{0x02}));
  EXPECT_EQ(scan(state_, prefix_read_options(Bytes{0xff})).size(), 2u);

  ReadOptions ro;
  ro.lower_bound = Bytes{0x01, 0x00};
  ro.upper_bound = Bytes{0x7f};
  auto it = testing::take(kv_->iterator(state_, ro));
  it->seek_to_last();
  ASSERT_TRUE(it->valid());
  EXPECT_EQ(to_bytes(it->key()), (Bytes{0x02}));
  it->prev();
  it->prev();
  ASSERT_TRUE(it->valid());
  EXPECT_EQ(to_bytes(it->key()), (Bytes{0x01, 0x00}));
  it->prev();
  EXPECT_FALSE(it->valid()) << "prev stops at the lower bound";
  it->seek(Bytes{0x00});  // below the lower bound: clamped
  ASSERT_TRUE(it->valid());
  EXPECT_EQ(to_bytes(it->key()), (Bytes{0x01, 0x00}));
  it->seek(Bytes{0x01, 0x80});
  ASSERT_TRUE(it->valid());
  EXPECT_EQ(to_bytes(it->key()), (Bytes{0x01, 0xff}));
  it->seek_for_prev(Bytes{0x01, 0x80});
  ASSERT_TRUE(it->valid());
  EXPECT_EQ(to_bytes(it->key()), (Bytes{0x01, 0x00}));
  it->seek_for_prev(Bytes{0xff});  // above the upper bound: clamped
  ASSERT_TRUE(it->valid());
  EXPECT_EQ(to_bytes(it->key()), (Bytes{0x02}));
  it->next();
  EXPECT_FALSE(it->valid()) << "next stops before the upper bound";
  it->seek(Bytes{0x7f});
  EXPECT_FALSE(it->valid());
  it->seek_for_prev(Bytes{0x01});
  EXPECT_FALSE(it->valid());
  EXPECT_TRUE(it->status().ok());
}

TEST_P(KvStoreTest, SnapshotsAndIteratorsSeeAPointInTime) {
  ASSERT_TRUE(kv_->put(state_, b("a"), b("old")).ok());
  ASSERT_TRUE(kv_->put(state_, b("b"), b("old")).ok());
  auto snap = kv_->snapshot();
  auto it = testing::take(kv_->iterator(state_));
  WriteBatch batch;
  batch.put(state_, b("a"), b("new"));
  batch.del(state_, b("b"));
  batch.put(state_, b("c"), b("new"));
  ASSERT_TRUE(kv_->write(batch).ok());

  ReadOptions at;
  at.snapshot = snap.get();
  EXPECT_EQ(**kv_->get(state_, b("a"), at), b("old"));
  EXPECT_EQ(**kv_->get(state_, b("b"), at), b("old"));
  EXPECT_FALSE(kv_->get(state_, b("c"), at)->has_value());
  EXPECT_EQ(scan(state_, at).size(), 2u);
  std::vector<Bytes> seen;
  for (it->seek_to_first(); it->valid(); it->next()) seen.push_back(to_bytes(it->value()));
  EXPECT_EQ(seen, (std::vector<Bytes>{b("old"), b("old")}));
  EXPECT_EQ(**kv_->get(state_, b("a")), b("new"));
  EXPECT_EQ(scan(state_).size(), 2u);
}

// Random batches against a std::map model: point reads, full scans and random seeks agree.
TEST_P(KvStoreTest, RandomOperationsMatchAnOrderedMapModel) {
  std::mt19937_64 rng(7);
  std::map<Bytes, Bytes> model;
  auto random_key = [&] {
    Bytes k(1 + rng() % 3);
    for (auto& c : k) c = static_cast<std::uint8_t>(rng() % 4 == 0 ? 0xff : rng() % 6);
    return k;
  };
  for (int round = 0; round < 60; ++round) {
    WriteBatch batch;
    for (int i = 0; i < 10; ++i) {
      Bytes k = random_key();
      if (rng() % 3 == 0) {
        batch.del(state_, k);
        model.erase(k);
      } else {
        Bytes v(rng() % 5, static_cast<std::uint8_t>(round));
        batch.put(state_, k, v);
        model[k] = v;
      }
    }
    ASSERT_TRUE(kv_->write(batch, WriteOptions{.sync = round % 10 == 0}).ok());
    auto all = scan(state_);
    ASSERT_TRUE(all == (std::vector<std::pair<Bytes, Bytes>>(model.begin(), model.end())))
        << "round " << round;
    for (int q = 0; q < 10; ++q) {
      Bytes k = random_key();
      auto got = *kv_->get(state_, k);
      auto m = model.find(k);
      ASSERT_EQ(got.has_value(), m != model.end());
      if (got) {
        EXPECT_EQ(*got, m->second);
      }
      auto it = testing::take(kv_->iterator(state_));
      it->seek(k);
      auto lb = model.lower_bound(k);
      ASSERT_EQ(it->valid(), lb != model.end());
      if (it->valid()) {
        EXPECT_EQ(to_bytes(it->key()), lb->first);
      }
      it->seek_for_prev(k);
      auto ub = model.upper_bound(k);
      ASSERT_EQ(it->valid(), ub != model.begin());
      if (it->valid()) {
        EXPECT_EQ(to_bytes(it->key()), std::prev(ub)->first);
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, KvStoreTest, ::testing::Values(Backend::kMem, Backend::kRocksDb),
                         testing::backend_name);

TEST(RocksDbKvStore, DataAndColumnFamiliesSurviveReopen) {
  testing::TempDir dir;
  {
    auto kv = testing::open_store(Backend::kRocksDb, dir.path(), {"state", "extra"});
    ASSERT_NE(kv, nullptr);
    ASSERT_TRUE(kv->put(*kv->column_family("extra"), b("k"), b("v"), WriteOptions{.sync = true}).ok());
    ASSERT_TRUE(kv->put(*kv->column_family("state"), b("unsynced"), b("w")).ok());
  }
  // Reopened without naming "extra": column families on disk are opened anyway.
  auto kv = testing::open_store(Backend::kRocksDb, dir.path(), {"state"});
  ASSERT_NE(kv, nullptr);
  auto extra = kv->column_family("extra");
  ASSERT_TRUE(extra.ok());
  EXPECT_EQ(**kv->get(*extra, b("k")), b("v"));
  // A clean close keeps unsynced writes (they are in the WAL, which the OS has).
  EXPECT_EQ(**kv->get(*kv->column_family("state"), b("unsynced")), b("w"));
  auto* rocks = dynamic_cast<RocksDbKvStore*>(kv.get());
  ASSERT_NE(rocks, nullptr);
  EXPECT_TRUE(rocks->flush().ok());
}

TEST(RocksDbKvStore, OpenFailureIsAnError) {
  testing::TempDir dir;
  auto first = testing::open_store(Backend::kRocksDb, dir.path());
  ASSERT_NE(first, nullptr);
  RocksDbOptions o;
  o.path = dir.path() + "/db";
  auto second = RocksDbKvStore::open(o);  // the directory is locked by `first`
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.code(), ErrorCode::kIo);
  RocksDbOptions bad;
  bad.path = "/proc/formica-cannot-create-this";
  EXPECT_EQ(RocksDbKvStore::open(bad).code(), ErrorCode::kIo);
}

}  // namespace
}  // namespace formica::storage
