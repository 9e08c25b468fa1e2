#include "formica/storage/mem_kv_store.h"

#include <algorithm>
#include <cstring>
#include <map>

namespace formica::storage {
namespace {

// Bytewise order, the same as RocksDB's default comparator; transparent so that lookups
// take a ByteView without copying.
struct BytesLess {
  using is_transparent = void;
  static bool less(ByteView a, ByteView b) {
    const std::size_t n = std::min(a.size(), b.size());
    const int c = n == 0 ? 0 : std::memcmp(a.data(), b.data(), n);
    return c < 0 || (c == 0 && a.size() < b.size());
  }
  bool operator()(const Bytes& a, const Bytes& b) const { return less(a, b); }
  bool operator()(const Bytes& a, ByteView b) const { return less(a, b); }
  bool operator()(ByteView a, const Bytes& b) const { return less(a, b); }
};

}  // namespace

struct MemKvStore::Table {
  std::map<Bytes, Bytes, BytesLess> map;
};

namespace {

using Table = MemKvStore::Table;

class MemSnapshot final : public Snapshot {
 public:
  explicit MemSnapshot(std::vector<std::shared_ptr<const Table>> t) : tables(std::move(t)) {}
  std::vector<std::shared_ptr<const Table>> tables;
};

class MemIterator final : public KvIterator {
 public:
  MemIterator(std::shared_ptr<const Table> table, Bytes lower, Bytes upper)
      : table_(std::move(table)), lower_(std::move(lower)), upper_(std::move(upper)) {}

  void seek_to_first() override {
    it_ = lower_.empty() ? map().begin() : map().lower_bound(ByteView(lower_));
    check_upper();
  }
  void seek_to_last() override {
    it_ = upper_.empty() ? map().end() : map().lower_bound(ByteView(upper_));
    step_back();
  }
  void seek(ByteView target) override {
    if (!lower_.empty() && BytesLess::less(target, lower_)) target = lower_;
    it_ = map().lower_bound(target);
    check_upper();
  }
  void seek_for_prev(ByteView target) override {
    if (!upper_.empty() && !BytesLess::less(target, upper_)) {
      it_ = map().lower_bound(ByteView(upper_));
    } else {
      it_ = map().upper_bound(target);
    }
    step_back();
  }
  void next() override {
    ++it_;
    check_upper();
  }
  void prev() override { step_back(); }
  bool valid() const override { return valid_; }
  ByteView key() const override { return it_->first; }
  ByteView value() const override { return it_->second; }
  Status status() const override { return ok_status(); }

 private:
  const std::map<Bytes, Bytes, BytesLess>& map() const { return table_->map; }
  void check_upper() {
    valid_ = it_ != map().end() && (upper_.empty() || BytesLess::less(it_->first, upper_));
  }
  // Moves to the entry before it_ (it_ may be end()), honouring the lower bound.
  void step_back() {
    if (it_ == map().begin()) {
      valid_ = false;
      return;
    }
    --it_;
    valid_ = lower_.empty() || !BytesLess::less(it_->first, lower_);
  }

  std::shared_ptr<const Table> table_;
  Bytes lower_, upper_;
  std::map<Bytes, Bytes, BytesLess>::const_iterator it_;
  bool valid_ = false;
};

}  // namespace

MemKvStore::MemKvStore(std::vector<std::string> column_families) {
  names_.emplace_back(kDefaultColumnFamily);
  for (auto& n : column_families) {
    if (std::find(names_.begin(), names_.end(), n) == names_.end()) names_.push_back(std::move(n));
  }
  for (std::size_t i = 0; i < names_.size(); ++i) tables_.push_back(std::make_shared<Table>());
}

MemKvStore::~MemKvStore() = default;

Result<ColumnFamily> MemKvStore::column_family(std::string_view name) const {
  for (std::size_t i = 0; i < names_.size(); ++i) {
    if (names_[i] == name) return ColumnFamily{static_cast<std::uint32_t>(i)};
  }
  return make_error(ErrorCode::kInvalidArgument, "unknown column family: " + std::string(name));
}

Result<std::optional<Bytes>> MemKvStore::get(ColumnFamily cf, ByteView key,
                                             const ReadOptions& options) const {
  if (cf.id >= names_.size()) return make_error(ErrorCode::kInvalidArgument, "unknown column family id");
  std::shared_ptr<const Table> table;
  if (options.snapshot != nullptr) {
    table = static_cast<const MemSnapshot*>(options.snapshot)->tables[cf.id];
  } else {
    std::lock_guard lock(mu_);
    table = tables_[cf.id];
    // Look up under the lock: writers mutate unshared tables in place.
    auto it = table->map.find(key);
    if (it == table->map.end()) return std::optional<Bytes>{};
    return std::optional<Bytes>{it->second};
  }
  auto it = table->map.find(key);
  if (it == table->map.end()) return std::optional<Bytes>{};
  return std::optional<Bytes>{it->second};
}

Status MemKvStore::write(const WriteBatch& batch, WriteOptions /*options*/) {
  for (const auto& op : batch.ops()) {
    if (op.cf.id >= names_.size()) return make_error(ErrorCode::kInvalidArgument, "unknown column family id");
  }
  std::lock_guard lock(mu_);
  try {
    // Copy-on-write: a table shared with an iterator or snapshot (use count above the two
    // references held here) is copied before it changes. Unshared tables change in place,
    // under the lock; only an allocation failure midway could leave a batch half-applied.
    std::vector<std::shared_ptr<Table>> next = tables_;
    std::vector<bool> copied(next.size(), false);
    for (const auto& op : batch.ops()) {
      auto& t = next[op.cf.id];
      if (!copied[op.cf.id] && t.use_count() > 2) t = std::make_shared<Table>(*t);
      copied[op.cf.id] = true;
    }
    for (const auto& op : batch.ops()) {
      auto& m = next[op.cf.id]->map;
      if (op.type == WriteBatch::OpType::kPut) {
        m.insert_or_assign(op.key, op.value);
      } else {
        auto it = m.find(ByteView(op.key));
        if (it != m.end()) m.erase(it);
      }
    }
    tables_ = std::move(next);
  } catch (const std::bad_alloc&) {
    return make_error(ErrorCode::kIo, "out of memory applying a write batch");
  }
  return ok_status();
}

Result<std::unique_ptr<KvIterator>> MemKvStore::iterator(ColumnFamily cf, const ReadOptions& options) const {
  if (cf.id >= names_.size()) return make_error(ErrorCode::kInvalidArgument, "unknown column family id");
  std::shared_ptr<const Table> table;
  if (options.snapshot != nullptr) {
    table = static_cast<const MemSnapshot*>(options.snapshot)->tables[cf.id];
  } else {
    std::lock_guard lock(mu_);
    table = tables_[cf.id];
  }
  return std::unique_ptr<KvIterator>(
      std::make_unique<MemIterator>(std::move(table), options.lower_bound, options.upper_bound));
}

std::shared_ptr<const Snapshot> MemKvStore::snapshot() const {
  std::lock_guard lock(mu_);
  return std::make_shared<MemSnapshot>(
      std::vector<std::shared_ptr<const Table>>(tables_.begin(), tables_.end()));
}

std::size_t MemKvStore::size(ColumnFamily cf) const {
  std::lock_guard lock(mu_);
  return cf.id < tables_.size() ? tables_[cf.id]->map.size() : 0;
}

}  // namespace formica::storage
