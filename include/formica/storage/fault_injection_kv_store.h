#pragma once
// Crash simulation at the KvStore interface (the idea of leveldb's fault_injection_test, one
// level up: RocksDB 7.8 ships no public fault-injection file system).
//
// FaultInjectionKvStore forwards to an inner store and remembers, for every batch written
// without sync since the last sync point, how to undo it (the keys' previous values).
// crash() simulates power loss under the KvStore durability contract (kv_store.h): every
// batch acknowledged by a synced write or sync() stays; the unsynced tail is lost except for
// an optional prefix of it (a WAL keeps a prefix of whole batches: a batch is atomic, so a
// torn batch disappears entirely). It can also make writes fail, to test error paths.
//
// It tests code built on KvStore against the contract; it does not test RocksDB's own file
// handling (the RocksDB store is exercised by the same crash tests as the inner store, and
// reopened from disk afterwards).
//
// Thread-safety: as KvStore; writes are serialised by an internal mutex. The inner store must
// outlive this object and must not be written to directly while it is wrapped.

#include <cstddef>
#include <mutex>
#include <vector>

#include "formica/storage/kv_store.h"

namespace formica::storage {

class FaultInjectionKvStore final : public KvStore {
 public:
  explicit FaultInjectionKvStore(KvStore& inner) : inner_(inner) {}

  Result<ColumnFamily> column_family(std::string_view name) const override {
    return inner_.column_family(name);
  }
  Result<std::optional<Bytes>> get(ColumnFamily cf, ByteView key,
                                   const ReadOptions& options = {}) const override {
    return inner_.get(cf, key, options);
  }
  Status write(const WriteBatch& batch, WriteOptions options = {}) override;
  Result<std::unique_ptr<KvIterator>> iterator(ColumnFamily cf,
                                               const ReadOptions& options = {}) const override {
    return inner_.iterator(cf, options);
  }
  std::shared_ptr<const Snapshot> snapshot() const override { return inner_.snapshot(); }
  Status sync() override;

  // Simulated power loss: undoes the unsynced batches after the first `keep_unsynced` of
  // them (newest first), then makes the survivors durable. Afterwards the store holds exactly
  // what a recovering database would, and can be used (or the inner store reopened) at once.
  // Snapshots and iterators taken before the crash must be gone.
  Status crash(std::size_t keep_unsynced = 0);

  // Batches acknowledged without sync since the last sync point.
  std::size_t unsynced_batches() const;

  // While set, write() and sync() fail with kIo and change nothing.
  void set_fail_writes(bool fail);

 private:
  struct Undo {
    ColumnFamily cf;
    Bytes key;
    std::optional<Bytes> previous;
  };
  KvStore& inner_;
  mutable std::mutex mu_;
  std::vector<std::vector<Undo>> unsynced_;  // per batch, oldest first
  bool fail_writes_ = false;
};

}  // namespace formica::storage
