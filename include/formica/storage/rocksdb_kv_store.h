#pragma once
// KvStore on RocksDB: one column family per name, the write-ahead log always on, bytewise
// ordering. write(batch, {.sync = true}) returns after the WAL is fsync'd, so the batch and
// every earlier one survive power loss; sync = false writes reach the OS at once (they
// survive a process crash, e.g. SIGKILL) and are made durable by the next synced write or
// sync(). Every RocksDB status or exception becomes an Error (kIo) at this boundary.
//
// Thread-safety: as KvStore. The directory is locked by RocksDB: one process opens it.

#include <memory>
#include <string>
#include <vector>

#include "formica/storage/kv_store.h"

namespace formica::storage {

struct RocksDbOptions {
  std::string path;                          // directory; created if missing
  std::vector<std::string> column_families;  // besides "default"; created if missing
  std::size_t block_cache_bytes = 64u << 20;
  bool bloom_filters = true;  // 10 bits/key, whole-key: speeds up point gets of absent keys
  // Column families present on disk but not named above are opened too (RocksDB requires
  // it) and reachable by name.
};

class RocksDbKvStore final : public KvStore {
 public:
  static Result<std::unique_ptr<RocksDbKvStore>> open(const RocksDbOptions& options);
  ~RocksDbKvStore() override;  // closes the database; pending writes are already in the WAL

  Result<ColumnFamily> column_family(std::string_view name) const override;
  Result<std::optional<Bytes>> get(ColumnFamily cf, ByteView key,
                                   const ReadOptions& options = {}) const override;
  Status write(const WriteBatch& batch, WriteOptions options = {}) override;
  Result<std::unique_ptr<KvIterator>> iterator(ColumnFamily cf,
                                               const ReadOptions& options = {}) const override;
  std::shared_ptr<const Snapshot> snapshot() const override;
  Status sync() override;

  // Writes memtables to SST files (tests of on-disk state; benchmarks).
  Status flush();

  struct Impl;

 private:
  explicit RocksDbKvStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace formica::storage
