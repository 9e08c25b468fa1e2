#pragma once
// The in-memory twin of RocksDbKvStore: the same KvStore semantics (atomic batches, bytewise
// ordering, column families, iterators and snapshots over point-in-time views), kept in
// ordered maps. Nothing survives the object; sync() has nothing to do. Used by tests, by the
// in-process consensus simulator and as the inner store of FaultInjectionKvStore.
//
// Thread-safety: as KvStore (one internal mutex). Iterators and snapshots share the map
// they were created over (copy-on-write: the next write after one was taken copies the
// affected column family once), so taking them is O(1).

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "formica/storage/kv_store.h"

namespace formica::storage {

class MemKvStore final : public KvStore {
 public:
  // `column_families` are the names besides "default" (duplicates are ignored).
  explicit MemKvStore(std::vector<std::string> column_families = {});
  ~MemKvStore() override;

  Result<ColumnFamily> column_family(std::string_view name) const override;
  Result<std::optional<Bytes>> get(ColumnFamily cf, ByteView key,
                                   const ReadOptions& options = {}) const override;
  Status write(const WriteBatch& batch, WriteOptions options = {}) override;
  Result<std::unique_ptr<KvIterator>> iterator(ColumnFamily cf,
                                               const ReadOptions& options = {}) const override;
  std::shared_ptr<const Snapshot> snapshot() const override;
  Status sync() override { return ok_status(); }

  // Number of keys in a column family (tests).
  std::size_t size(ColumnFamily cf) const;

  struct Table;  // an ordered map; internal

 private:
  std::vector<std::string> names_;
  mutable std::mutex mu_;
  std::vector<std::shared_ptr<Table>> tables_;  // one per column family, copy-on-write
};

}  // namespace formica::storage
