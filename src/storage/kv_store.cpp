#include "formica/storage/kv_store.h"

namespace formica::storage {

void WriteBatch::put(ColumnFamily cf, ByteView key, ByteView value) {
  ops_.push_back(Op{OpType::kPut, cf, to_bytes(key), to_bytes(value)});
  byte_size_ += key.size() + value.size();
}

void WriteBatch::del(ColumnFamily cf, ByteView key) {
  ops_.push_back(Op{OpType::kDelete, cf, to_bytes(key), {}});
  byte_size_ += key.size();
}

void WriteBatch::append(const WriteBatch& other) {
  ops_.insert(ops_.end(), other.ops_.begin(), other.ops_.end());
  byte_size_ += other.byte_size_;
}

Status KvStore::put(ColumnFamily cf, ByteView key, ByteView value, WriteOptions options) {
  WriteBatch b;
  b.put(cf, key, value);
  return write(b, options);
}

Status KvStore::del(ColumnFamily cf, ByteView key, WriteOptions options) {
  WriteBatch b;
  b.del(cf, key);
  return write(b, options);
}

Bytes prefix_upper_bound(ByteView prefix) {
  Bytes out = to_bytes(prefix);
  while (!out.empty()) {
    if (out.back() != 0xff) {
      ++out.back();
      return out;
    }
    out.pop_back();
  }
  return out;
}

ReadOptions prefix_read_options(ByteView prefix, const Snapshot* snapshot) {
  ReadOptions o;
  o.snapshot = snapshot;
  o.lower_bound = to_bytes(prefix);
  o.upper_bound = prefix_upper_bound(prefix);
  return o;
}

}  // namespace formica::storage
