#pragma once
// The key-value interface every persistent part of a node is built on (state tree, block
// store, consensus safety store). Two implementations have identical semantics:
// RocksDbKvStore (rocksdb_kv_store.h) and MemKvStore (mem_kv_store.h); FaultInjectionKvStore
// (fault_injection_kv_store.h) wraps either to simulate crashes.
//
// Model
// - A store holds named column families, each an independent ordered map from byte strings
//   to byte strings, ordered bytewise (unsigned lexicographic, shorter prefix first). The
//   families are fixed when the store is opened; "default" always exists.
// - A WriteBatch is applied atomically: after a crash either all of it or none of it is
//   visible, across every column family it touches.
// - Durability: write(batch, {.sync = true}) returns only after the batch AND every batch
//   acknowledged before it are durable (survive a power loss). A batch written with
//   sync = false is visible to readers at once and survives a process crash (RocksDB: it is
//   in the write-ahead log) but may be lost on power loss; if it is lost, so is every batch
//   written after it (the surviving writes are always a prefix of the acknowledged ones).
//   sync() makes everything written so far durable.
// - Reads see every batch whose write() has returned. An iterator or a snapshot sees a
//   consistent point-in-time view taken when it was created.
//
// Thread-safety: every KvStore method may be called concurrently from any thread. A
// KvIterator and a WriteBatch are single-threaded objects. Iterators and snapshots must be
// destroyed before the store that made them.
// Errors: I/O and library failures are kIo; an unknown column family is kInvalidArgument.
// No exception escapes.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "formica/base/bytes.h"
#include "formica/base/status.h"

namespace formica::storage {

// A handle to a column family of one store, obtained from KvStore::column_family(). Cheap to
// copy; only meaningful for the store that issued it.
struct ColumnFamily {
  std::uint32_t id = 0;  // 0 is "default"
  friend bool operator==(ColumnFamily, ColumnFamily) = default;
};

inline constexpr std::string_view kDefaultColumnFamily = "default";

// An ordered list of puts and deletes, applied atomically by KvStore::write(). Later
// operations on the same key win. Owns copies of its keys and values.
class WriteBatch {
 public:
  enum class OpType : std::uint8_t { kPut = 1, kDelete = 2 };
  struct Op {
    OpType type;
    ColumnFamily cf;
    Bytes key;
    Bytes value;  // empty for kDelete
  };

  void put(ColumnFamily cf, ByteView key, ByteView value);
  void del(ColumnFamily cf, ByteView key);
  void append(const WriteBatch& other);
  void clear() {
    ops_.clear();
    byte_size_ = 0;
  }

  const std::vector<Op>& ops() const { return ops_; }
  std::size_t count() const { return ops_.size(); }
  bool empty() const { return ops_.empty(); }
  std::size_t byte_size() const { return byte_size_; }  // sum of key and value sizes

 private:
  std::vector<Op> ops_;
  std::size_t byte_size_ = 0;
};

struct WriteOptions {
  bool sync = false;  // see "Durability" above
};

// A point-in-time read view. Opaque; created by KvStore::snapshot().
class Snapshot {
 public:
  virtual ~Snapshot() = default;
};

struct ReadOptions {
  const Snapshot* snapshot = nullptr;  // nullptr: the latest state; else from this store
  // Iterator bounds (ignored by get): keys in [lower_bound, upper_bound). Empty = unbounded.
  Bytes lower_bound;
  Bytes upper_bound;
};

// A cursor over one column family, within ReadOptions' bounds, over a consistent view.
// key()/value() are valid until the next move; precondition for them, next() and prev():
// valid(). When a move hits an I/O error, valid() becomes false and status() says why.
class KvIterator {
 public:
  virtual ~KvIterator() = default;
  virtual void seek_to_first() = 0;
  virtual void seek_to_last() = 0;
  virtual void seek(ByteView target) = 0;           // first key >= target
  virtual void seek_for_prev(ByteView target) = 0;  // last key <= target
  virtual void next() = 0;
  virtual void prev() = 0;
  virtual bool valid() const = 0;
  virtual ByteView key() const = 0;
  virtual ByteView value() const = 0;
  virtual Status status() const = 0;
};

class KvStore {
 public:
  virtual ~KvStore() = default;

  // The handle of a column family named when the store was opened.
  virtual Result<ColumnFamily> column_family(std::string_view name) const = 0;
  ColumnFamily default_column_family() const { return ColumnFamily{0}; }

  // nullopt when the key is absent.
  virtual Result<std::optional<Bytes>> get(ColumnFamily cf, ByteView key,
                                           const ReadOptions& options = {}) const = 0;
  virtual Status write(const WriteBatch& batch, WriteOptions options = {}) = 0;
  virtual Result<std::unique_ptr<KvIterator>> iterator(ColumnFamily cf,
                                                       const ReadOptions& options = {}) const = 0;
  virtual std::shared_ptr<const Snapshot> snapshot() const = 0;
  // Makes every write acknowledged so far durable.
  virtual Status sync() = 0;

  // Convenience: a one-operation batch.
  Status put(ColumnFamily cf, ByteView key, ByteView value, WriteOptions options = {});
  Status del(ColumnFamily cf, ByteView key, WriteOptions options = {});
};

// The smallest byte string greater than every string starting with `prefix` (an exclusive
// upper bound for a prefix scan); empty (unbounded) when prefix is empty or all 0xff.
Bytes prefix_upper_bound(ByteView prefix);
// ReadOptions bounded to keys starting with `prefix`.
ReadOptions prefix_read_options(ByteView prefix, const Snapshot* snapshot = nullptr);

}  // namespace formica::storage
