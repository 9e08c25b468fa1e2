#include "formica/storage/rocksdb_kv_store.h"

#include <rocksdb/cache.h>
#include <rocksdb/db.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/options.h>
#include <rocksdb/table.h>
#include <rocksdb/write_batch.h>

#include <algorithm>
#include <exception>
#include <filesystem>

namespace formica::storage {
namespace {

rocksdb::Slice slice(ByteView b) { return {reinterpret_cast<const char*>(b.data()), b.size()}; }
ByteView view(const rocksdb::Slice& s) { return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()}; }

Error io_error(std::string_view what, const rocksdb::Status& s) {
  return make_error(ErrorCode::kIo, std::string(what) + ": " + s.ToString());
}

class RocksSnapshot final : public Snapshot {
 public:
  RocksSnapshot(rocksdb::DB* db, const rocksdb::Snapshot* snap) : db_(db), snap_(snap) {}
  ~RocksSnapshot() override { db_->ReleaseSnapshot(snap_); }
  RocksSnapshot(const RocksSnapshot&) = delete;
  RocksSnapshot& operator=(const RocksSnapshot&) = delete;
  const rocksdb::Snapshot* get() const { return snap_; }

 private:
  rocksdb::DB* db_;
  const rocksdb::Snapshot* snap_;
};

class RocksIterator final : public KvIterator {
 public:
  // The bounds' storage must outlive the rocksdb iterator, hence the order of members.
  RocksIterator(Bytes lower, Bytes upper) : lower_(std::move(lower)), upper_(std::move(upper)) {
    lower_slice_ = slice(lower_);
    upper_slice_ = slice(upper_);
  }
  void init(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* cf, const rocksdb::Snapshot* snap) {
    rocksdb::ReadOptions ro;
    ro.snapshot = snap;
    if (!lower_.empty()) ro.iterate_lower_bound = &lower_slice_;
    if (!upper_.empty()) ro.iterate_upper_bound = &upper_slice_;
    it_.reset(db->NewIterator(ro, cf));
  }

  void seek_to_first() override { it_->SeekToFirst(); }
  void seek_to_last() override { it_->SeekToLast(); }
  void seek(ByteView target) override { it_->Seek(slice(target)); }
  void seek_for_prev(ByteView target) override { it_->SeekForPrev(slice(target)); }
  void next() override { it_->Next(); }
  void prev() override { it_->Prev(); }
  bool valid() const override { return it_->Valid(); }
  ByteView key() const override { return view(it_->key()); }
  ByteView value() const override { return view(it_->value()); }
  Status status() const override {
    auto s = it_->status();
    if (!s.ok()) return io_error("rocksdb iterator", s);
    return ok_status();
  }

 private:
  Bytes lower_, upper_;
  rocksdb::Slice lower_slice_, upper_slice_;
  std::unique_ptr<rocksdb::Iterator> it_;
};

}  // namespace

struct RocksDbKvStore::Impl {
  std::vector<std::string> names;
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  std::unique_ptr<rocksdb::DB> db;

  ~Impl() {
    if (db) {
      for (auto* h : handles) db->DestroyColumnFamilyHandle(h);
      db->Close().PermitUncheckedError();
    }
  }
  rocksdb::ColumnFamilyHandle* handle(ColumnFamily cf) const {
    return cf.id < handles.size() ? handles[cf.id] : nullptr;
  }
};

RocksDbKvStore::RocksDbKvStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
RocksDbKvStore::~RocksDbKvStore() = default;

Result<std::unique_ptr<RocksDbKvStore>> RocksDbKvStore::open(const RocksDbOptions& options) try {
  std::error_code ec;
  std::filesystem::create_directories(options.path, ec);
  if (ec) return make_error(ErrorCode::kIo, "create " + options.path + ": " + ec.message());

  rocksdb::Options db_options;
  db_options.create_if_missing = true;
  db_options.create_missing_column_families = true;
  db_options.paranoid_checks = true;
  db_options.max_background_jobs = 2;

  rocksdb::BlockBasedTableOptions table;
  table.block_cache = rocksdb::NewLRUCache(options.block_cache_bytes);
  if (options.bloom_filters) table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  rocksdb::ColumnFamilyOptions cf_options(db_options);
  cf_options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));

  std::vector<std::string> names{std::string(kDefaultColumnFamily)};
  for (const auto& n : options.column_families) {
    if (std::find(names.begin(), names.end(), n) == names.end()) names.push_back(n);
  }
  std::vector<std::string> existing;
  if (rocksdb::DB::ListColumnFamilies(db_options, options.path, &existing).ok()) {
    for (const auto& n : existing) {
      if (std::find(names.begin(), names.end(), n) == names.end()) names.push_back(n);
    }
  }
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (const auto& n : names) descriptors.emplace_back(n, cf_options);

  auto impl = std::make_unique<Impl>();
  impl->names = names;
  rocksdb::DB* raw = nullptr;
  auto s = rocksdb::DB::Open(rocksdb::DBOptions(db_options), options.path, descriptors, &impl->handles, &raw);
  if (!s.ok()) return io_error("open " + options.path, s);
  impl->db.reset(raw);
  return std::unique_ptr<RocksDbKvStore>(new RocksDbKvStore(std::move(impl)));
} catch (const std::exception& e) {
  return make_error(ErrorCode::kIo, std::string("rocksdb open: ") + e.what());
}

Result<ColumnFamily> RocksDbKvStore::column_family(std::string_view name) const {
  for (std::size_t i = 0; i < impl_->names.size(); ++i) {
    if (impl_->names[i] == name) return ColumnFamily{static_cast<std::uint32_t>(i)};
  }
  return make_error(ErrorCode::kInvalidArgument, "unknown column family: " + std::string(name));
}

Result<std::optional<Bytes>> RocksDbKvStore::get(ColumnFamily cf, ByteView key,
                                                 const ReadOptions& options) const try {
  auto* h = impl_->handle(cf);
  if (h == nullptr) return make_error(ErrorCode::kInvalidArgument, "unknown column family id");
  rocksdb::ReadOptions ro;
  if (options.snapshot != nullptr) ro.snapshot = static_cast<const RocksSnapshot*>(options.snapshot)->get();
  rocksdb::PinnableSlice value;
  auto s = impl_->db->Get(ro, h, slice(key), &value);
  if (s.IsNotFound()) return std::optional<Bytes>{};
  if (!s.ok()) return io_error("rocksdb get", s);
  auto v = view(value);
  return std::optional<Bytes>{Bytes(v.begin(), v.end())};
} catch (const std::exception& e) {
  return make_error(ErrorCode::kIo, std::string("rocksdb get: ") + e.what());
}

Status RocksDbKvStore::write(const WriteBatch& batch, WriteOptions options) try {
  rocksdb::WriteBatch wb(batch.byte_size() + 16 * batch.count() + 16);
  for (const auto& op : batch.ops()) {
    auto* h = impl_->handle(op.cf);
    if (h == nullptr) return make_error(ErrorCode::kInvalidArgument, "unknown column family id");
    auto s = op.type == WriteBatch::OpType::kPut ? wb.Put(h, slice(op.key), slice(op.value))
                                                 : wb.Delete(h, slice(op.key));
    if (!s.ok()) return io_error("rocksdb batch", s);
  }
  rocksdb::WriteOptions wo;
  wo.sync = options.sync;
  auto s = impl_->db->Write(wo, &wb);
  if (!s.ok()) return io_error("rocksdb write", s);
  return ok_status();
} catch (const std::exception& e) {
  return make_error(ErrorCode::kIo, std::string("rocksdb write: ") + e.what());
}

Result<std::unique_ptr<KvIterator>> RocksDbKvStore::iterator(ColumnFamily cf,
                                                             const ReadOptions& options) const try {
  auto* h = impl_->handle(cf);
  if (h == nullptr) return make_error(ErrorCode::kInvalidArgument, "unknown column family id");
  auto it = std::make_unique<RocksIterator>(options.lower_bound, options.upper_bound);
  it->init(
      impl_->db.get(), h,
      options.snapshot != nullptr ? static_cast<const RocksSnapshot*>(options.snapshot)->get() : nullptr);
  return std::unique_ptr<KvIterator>(std::move(it));
} catch (const std::exception& e) {
  return make_error(ErrorCode::kIo, std::string("rocksdb iterator: ") + e.what());
}

std::shared_ptr<const Snapshot> RocksDbKvStore::snapshot() const {
  return std::make_shared<RocksSnapshot>(impl_->db.get(), impl_->db->GetSnapshot());
}

Status RocksDbKvStore::sync() try {
  auto s = impl_->db->SyncWAL();
  if (!s.ok()) return io_error("rocksdb sync", s);
  return ok_status();
} catch (const std::exception& e) {
  return make_error(ErrorCode::kIo, std::string("rocksdb sync: ") + e.what());
}

Status RocksDbKvStore::flush() try {
  rocksdb::FlushOptions fo;
  fo.wait = true;
  auto s = impl_->db->Flush(fo, impl_->handles);
  if (!s.ok()) return io_error("rocksdb flush", s);
  return ok_status();
} catch (const std::exception& e) {
  return make_error(ErrorCode::kIo, std::string("rocksdb flush: ") + e.what());
}

}  // namespace formica::storage
