#pragma once
// Test helpers for the storage layer: unique temporary directories and both KvStore backends.

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <memory>
#include <string>

#include "formica/storage/mem_kv_store.h"
#include "formica/storage/rocksdb_kv_store.h"

namespace formica::storage::testing {

// A fresh directory, unique per process and per instance, removed on destruction.
class TempDir {
 public:
  TempDir() {
    static std::atomic<int> counter{0};
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string name = info != nullptr ? std::string(info->test_suite_name()) + "." + info->name() : "x";
    for (char& c : name) {
      if (c == '/') c = '_';
    }
    path_ = std::filesystem::temp_directory_path() /
            ("formica-storage-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + "-" + name);
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::string path() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

enum class Backend { kMem, kRocksDb };
inline std::string backend_name(const ::testing::TestParamInfo<Backend>& info) {
  return info.param == Backend::kMem ? "Mem" : "RocksDb";
}

inline std::unique_ptr<KvStore> open_store(Backend b, const std::string& dir,
                                           std::vector<std::string> cfs = {"state", "blocks"}) {
  if (b == Backend::kMem) return std::make_unique<MemKvStore>(std::move(cfs));
  RocksDbOptions o;
  o.path = dir + "/db";
  o.column_families = std::move(cfs);
  o.block_cache_bytes = 8u << 20;
  auto r = RocksDbKvStore::open(o);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().to_string());
  return r.ok() ? std::unique_ptr<KvStore>(std::move(r).value()) : nullptr;
}

inline Bytes b(std::string_view s) { return to_bytes(s); }

// The value of a Result that must be ok (fails the test otherwise; T must be default-constructible
// for the failure path).
template <typename T>
T take(Result<T> r) {
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().to_string());
  if (!r.ok()) return T{};
  return std::move(r).value();
}

}  // namespace formica::storage::testing
