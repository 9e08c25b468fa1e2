// Crash simulation at the KvStore interface (after leveldb's db/fault_injection_test.cc):
// whatever was acknowledged by a synced write survives a simulated power loss; unsynced
// writes may be lost, only as a suffix and only as whole batches.
#include "formica/storage/fault_injection_kv_store.h"

#include <gtest/gtest.h>

#include <map>
#include <random>

#include "test_support.h"

namespace formica::storage {
namespace {

using testing::b;
using testing::Backend;
using Model = std::map<Bytes, Bytes>;

Model contents(const KvStore& kv, ColumnFamily cf) {
  Model out;
  auto it = testing::take(kv.iterator(cf));
  for (it->seek_to_first(); it->valid(); it->next()) out.emplace(to_bytes(it->key()), to_bytes(it->value()));
  EXPECT_TRUE(it->status().ok());
  return out;
}

void apply_batch(Model& m, const WriteBatch& batch) {
  for (const auto& op : batch.ops()) {
    if (op.type == WriteBatch::OpType::kPut) {
      m[op.key] = op.value;
    } else {
      m.erase(op.key);
    }
  }
}

class FaultInjectionTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override { reopen(); }
  void reopen() {
    fault_.reset();
    inner_.reset();
    inner_ = testing::open_store(GetParam(), dir_.path());
    ASSERT_NE(inner_, nullptr);
    fault_ = std::make_unique<FaultInjectionKvStore>(*inner_);
    cf_ = *fault_->column_family("state");
  }
  // After a crash the RocksDB store is closed and reopened from disk; the in-memory store
  // has no disk, so the crashed object itself is the recovered state.
  void crash_and_recover(std::size_t keep_unsynced = 0) {
    ASSERT_TRUE(fault_->crash(keep_unsynced).ok());
    if (GetParam() == Backend::kRocksDb) reopen();
  }

  testing::TempDir dir_;
  std::unique_ptr<KvStore> inner_;
  std::unique_ptr<FaultInjectionKvStore> fault_;
  ColumnFamily cf_;
};

TEST_P(FaultInjectionTest, SyncedWritesSurviveUnsyncedOnesAreLost) {
  ASSERT_TRUE(fault_->put(cf_, b("acked"), b("1"), WriteOptions{.sync = true}).ok());
  ASSERT_TRUE(fault_->put(cf_, b("lost"), b("2")).ok());
  ASSERT_TRUE(fault_->put(cf_, b("acked"), b("overwritten")).ok());
  ASSERT_TRUE(fault_->del(cf_, b("acked")).ok());
  EXPECT_EQ(fault_->unsynced_batches(), 3u);
  EXPECT_FALSE(fault_->get(cf_, b("acked"))->has_value());  // visible before the crash
  crash_and_recover();
  EXPECT_EQ(contents(*fault_, cf_), (Model{{b("acked"), b("1")}}));
}

TEST_P(FaultInjectionTest, ASyncedWriteMakesEarlierUnsyncedWritesDurable) {
  ASSERT_TRUE(fault_->put(cf_, b("a"), b("1")).ok());
  ASSERT_TRUE(fault_->put(cf_, b("b"), b("2"), WriteOptions{.sync = true}).ok());
  ASSERT_TRUE(fault_->put(cf_, b("c"), b("3")).ok());
  ASSERT_TRUE(fault_->sync().ok());
  ASSERT_TRUE(fault_->put(cf_, b("d"), b("4")).ok());
  EXPECT_EQ(fault_->unsynced_batches(), 1u);
  crash_and_recover();
  EXPECT_EQ(contents(*fault_, cf_), (Model{{b("a"), b("1")}, {b("b"), b("2")}, {b("c"), b("3")}}));
}

TEST_P(FaultInjectionTest, FailedWritesChangeNothing) {
  ASSERT_TRUE(fault_->put(cf_, b("a"), b("1")).ok());
  fault_->set_fail_writes(true);
  EXPECT_EQ(fault_->put(cf_, b("a"), b("2")).code(), ErrorCode::kIo);
  EXPECT_EQ(fault_->sync().code(), ErrorCode::kIo);
  fault_->set_fail_writes(false);
  EXPECT_EQ(**fault_->get(cf_, b("a")), b("1"));
}

// Random workload, random crash points: after every crash the store equals the model state
// at some batch boundary no earlier than the last acknowledged sync and no later than the
// last acknowledged write.
TEST_P(FaultInjectionTest, RandomCrashesNeverLoseAcknowledgedSyncedBatches) {
  std::mt19937_64 rng(11);
  std::vector<Model> history{Model{}};  // model after each batch since the last durable point
  for (int step = 0; step < 12; ++step) {
    const int batches = 1 + static_cast<int>(rng() % 8);
    for (int i = 0; i < batches; ++i) {
      WriteBatch batch;
      for (int j = 0; j < 4; ++j) {
        Bytes k{static_cast<std::uint8_t>(rng() % 16)};
        if (rng() % 4 == 0) {
          batch.del(cf_, k);
        } else {
          batch.put(cf_, k, Bytes{static_cast<std::uint8_t>(step), static_cast<std::uint8_t>(i)});
        }
      }
      const bool sync = rng() % 4 == 0;
      ASSERT_TRUE(fault_->write(batch, WriteOptions{.sync = sync}).ok());
      Model next = history.back();
      apply_batch(next, batch);
      if (sync) history.clear();
      history.push_back(std::move(next));
    }
    // history[0] is durable; history[k] is the state with k unsynced batches kept.
    ASSERT_EQ(fault_->unsynced_batches(), history.size() - 1);
    const std::size_t keep = rng() % history.size();
    crash_and_recover(keep);
    ASSERT_EQ(contents(*fault_, cf_), history[keep]) << "step " << step << " keep " << keep;
    history = {history[keep]};
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, FaultInjectionTest, ::testing::Values(Backend::kMem, Backend::kRocksDb),
                         testing::backend_name);

}  // namespace
}  // namespace formica::storage
