#include "formica/storage/state_tree.h"

#include <algorithm>
#include <numeric>
#include <vector>

#include "tree_node.h"
#include "tree_update.h"

namespace formica::storage {

using namespace tree;  // NOLINT(build/namespaces): this file implements the tree

namespace {

constexpr std::string_view kLatest = "latest";
constexpr std::string_view kOldest = "oldest";
constexpr std::string_view kFirst = "first";
constexpr std::string_view kAlg = "alg";
constexpr std::size_t kPruneChunk = 4096;

Bytes u64_bytes(std::uint64_t v) {
  Bytes out;
  put_u64(out, v);
  return out;
}

struct VersionedRecord {
  std::uint64_t version;
  ValueRecord record;
};

// The newest value record for key_hash at or below `version`, using an iterator over the
// whole value index (one iterator serves a whole batch of lookups).
Result<std::optional<VersionedRecord>> find_value_with(KvIterator& it, const Hash32& key_hash,
                                                       std::uint64_t version) {
  it.seek_for_prev(value_key(key_hash, version));
  if (!it.valid()) {
    FORMICA_TRY(it.status());
    return std::optional<VersionedRecord>{};
  }
  const ByteView k = it.key();
  if (k.size() != 1 + 32 + 8) return make_error(ErrorCode::kInternal, "state tree: bad value key");
  if (!std::equal(key_hash.begin(), key_hash.end(), k.begin() + 1)) return std::optional<VersionedRecord>{};
  VersionedRecord r;
  r.version = get_u64(k.subspan(33));
  FORMICA_ASSIGN_OR_RETURN(r.record, decode_value_record(it.value()));
  return std::optional<VersionedRecord>{std::move(r)};
}

Result<std::unique_ptr<KvIterator>> value_iterator(const KvStore& kv, ColumnFamily cf) {
  return kv.iterator(cf, prefix_read_options(Bytes{kValuePrefix}));
}

Result<std::optional<VersionedRecord>> find_value(const KvStore& kv, ColumnFamily cf, const Hash32& key_hash,
                                                  std::uint64_t version) {
  Bytes prefix{kValuePrefix};
  base::append(prefix, key_hash);
  FORMICA_ASSIGN_OR_RETURN(auto it, kv.iterator(cf, prefix_read_options(prefix)));
  return find_value_with(*it, key_hash, version);
}

}  // namespace

Result<std::unique_ptr<StateTree>> StateTree::open(KvStore& kv, const StateTreeOptions& options) {
  FORMICA_ASSIGN_OR_RETURN(auto alg, kv.get(options.cf, meta_key(kAlg)));
  if (alg && (alg->size() != 1 || (*alg)[0] != static_cast<std::uint8_t>(options.hash_alg))) {
    return make_error(ErrorCode::kInvalidArgument, "state tree: stored with another hash algorithm");
  }
  return std::unique_ptr<StateTree>(new StateTree(kv, options));
}

Result<std::optional<std::uint64_t>> StateTree::read_meta_u64(std::string_view name) const {
  FORMICA_ASSIGN_OR_RETURN(auto v, kv_.get(options_.cf, meta_key(name)));
  if (!v) return std::optional<std::uint64_t>{};
  if (v->size() != 8) return make_error(ErrorCode::kInternal, "state tree: bad metadata");
  return std::optional<std::uint64_t>{get_u64(*v)};
}

Result<std::optional<std::uint64_t>> StateTree::latest_version() const { return read_meta_u64(kLatest); }
Result<std::optional<std::uint64_t>> StateTree::oldest_version() const { return read_meta_u64(kOldest); }

Status StateTree::check_readable(std::uint64_t version) const {
  FORMICA_ASSIGN_OR_RETURN(auto latest, read_meta_u64(kLatest));
  FORMICA_ASSIGN_OR_RETURN(auto first, read_meta_u64(kFirst));
  FORMICA_ASSIGN_OR_RETURN(auto oldest, read_meta_u64(kOldest));
  if (!latest || !first || !oldest || version > *latest || version < *first) {
    return make_error(ErrorCode::kNotFound,
                      "state tree: version " + std::to_string(version) + " not committed");
  }
  if (version < *oldest) {
    return make_error(ErrorCode::kFailedPrecondition, "state tree: version " + std::to_string(version) +
                                                          " is pruned (oldest is " + std::to_string(*oldest) +
                                                          ")");
  }
  return ok_status();
}

Result<Hash32> StateTree::root_hash(std::uint64_t version) const {
  FORMICA_TRY(check_readable(version));
  FORMICA_ASSIGN_OR_RETURN(auto bytes, kv_.get(options_.cf, root_key(version)));
  if (!bytes) return make_error(ErrorCode::kInternal, "state tree: missing root");
  FORMICA_ASSIGN_OR_RETURN(ChildRef root, decode_child_ref(*bytes));
  return root.hash;
}

namespace {

Result<std::optional<Bytes>> read_value(const KvStore& kv, ColumnFamily cf, const Hash32& kh, ByteView key,
                                        std::uint64_t version) {
  FORMICA_ASSIGN_OR_RETURN(auto found, find_value(kv, cf, kh, version));
  if (!found || !found->record.value) return std::optional<Bytes>{};
  if (!std::equal(found->record.key.begin(), found->record.key.end(), key.begin(), key.end())) {
    return make_error(ErrorCode::kInternal, "state tree: key hash collision in the value index");
  }
  return std::move(found->record.value);
}

}  // namespace

Result<std::optional<Bytes>> StateTree::get(ByteView key, std::uint64_t version) const {
  FORMICA_TRY(check_readable(version));
  return read_value(kv_, options_.cf, state_key_hash(options_.hash_alg, key), key, version);
}

Result<std::unique_ptr<StateTree::VersionReader>> StateTree::reader(std::uint64_t version,
                                                                    bool known_readable) const {
  // Without pruning a committed version stays readable for ever; with it, a concurrent prune
  // may move the horizon past `version`, so the check is kept.
  if (!known_readable || options_.keep_versions != 0) FORMICA_TRY(check_readable(version));
  FORMICA_ASSIGN_OR_RETURN(auto it, value_iterator(kv_, options_.cf));
  return std::unique_ptr<VersionReader>(new VersionReader(*this, version, std::move(it)));
}

Result<std::optional<Bytes>> StateTree::VersionReader::get(ByteView key) {
  const Hash32 kh = state_key_hash(tree_.options_.hash_alg, key);
  FORMICA_ASSIGN_OR_RETURN(auto found, find_value_with(*values_, kh, version_));
  if (!found || !found->record.value) return std::optional<Bytes>{};
  if (!std::equal(found->record.key.begin(), found->record.key.end(), key.begin(), key.end())) {
    return make_error(ErrorCode::kInternal, "state tree: key hash collision in the value index");
  }
  return std::move(found->record.value);
}

Result<StateRead> StateTree::get_with_proof(ByteView key, std::uint64_t version) const {
  FORMICA_TRY(check_readable(version));
  const Hash32 kh = state_key_hash(options_.hash_alg, key);
  FORMICA_ASSIGN_OR_RETURN(auto root_bytes, kv_.get(options_.cf, root_key(version)));
  if (!root_bytes) return make_error(ErrorCode::kInternal, "state tree: missing root");
  FORMICA_ASSIGN_OR_RETURN(ChildRef cur, decode_child_ref(*root_bytes));
  StateRead out;
  Hash32 path{};
  std::size_t depth = 0;
  while (cur.kind != Kind::kEmpty) {
    FORMICA_ASSIGN_OR_RETURN(Node node, load_node(kv_, options_.cf, cur, depth, path));
    if (node.kind == Kind::kLeaf) {
      out.proof.leaf = StateProof::Leaf{node.leaf.key_hash, node.leaf.value_hash};
      break;
    }
    if (depth >= kMaxProofDepth) return make_error(ErrorCode::kInternal, "state tree: too deep");
    const bool bit = key_bit(kh, depth);
    out.proof.siblings.push_back(bit ? node.internal.left.hash : node.internal.right.hash);
    cur = bit ? node.internal.right : node.internal.left;
    path = child_path(path, depth, bit);
    ++depth;
  }
  FORMICA_ASSIGN_OR_RETURN(out.value, read_value(kv_, options_.cf, kh, key, version));
  const bool included = out.proof.leaf && out.proof.leaf->key_hash == kh;
  if (included != out.value.has_value() ||
      (included && out.proof.leaf->value_hash != state_value_hash(options_.hash_alg, *out.value))) {
    return make_error(ErrorCode::kInternal, "state tree: value index disagrees with the tree");
  }
  return out;
}

Result<Hash32> StateTree::stage(std::uint64_t version, std::span<const StateUpdate> updates,
                                WriteBatch& batch) const {
  const HashAlg alg = options_.hash_alg;
  const ColumnFamily cf = options_.cf;
  FORMICA_ASSIGN_OR_RETURN(auto latest, read_meta_u64(kLatest));
  ChildRef root;
  if (latest) {
    if (*latest == UINT64_MAX || version != *latest + 1) {
      return make_error(ErrorCode::kInvalidArgument, "state tree: version " + std::to_string(version) +
                                                         " does not follow " + std::to_string(*latest));
    }
    FORMICA_ASSIGN_OR_RETURN(auto root_bytes, kv_.get(cf, root_key(*latest)));
    if (!root_bytes) return make_error(ErrorCode::kInternal, "state tree: missing root");
    FORMICA_ASSIGN_OR_RETURN(root, decode_child_ref(*root_bytes));
  }

  // Key hashes, sorted; a key twice in one version is a caller error.
  std::vector<Hash32> hashes(updates.size());
  std::vector<std::size_t> order(updates.size());
  for (std::size_t i = 0; i < updates.size(); ++i) hashes[i] = state_key_hash(alg, updates[i].key);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return hashes[a] < hashes[b]; });
  std::vector<KeyUpdate> key_updates;
  key_updates.reserve(updates.size());
  std::unique_ptr<KvIterator> values;
  if (latest && !updates.empty()) {
    FORMICA_ASSIGN_OR_RETURN(values, value_iterator(kv_, cf));
  }
  for (std::size_t j = 0; j < order.size(); ++j) {
    const std::size_t i = order[j];
    if (j > 0 && hashes[order[j - 1]] == hashes[i]) {
      return make_error(ErrorCode::kInvalidArgument, "state tree: a key is updated twice in one version");
    }
    const StateUpdate& u = updates[i];
    // The value index: a new record only when the visible value changes.
    std::optional<VersionedRecord> prev;
    if (latest) {
      FORMICA_ASSIGN_OR_RETURN(prev, find_value_with(*values, hashes[i], *latest));
    }
    const bool had_value = prev && prev->record.value;
    if (!u.value && !had_value) continue;  // deleting an absent key changes nothing
    if (u.value && had_value && *prev->record.value == *u.value) continue;
    std::optional<ByteView> new_value;
    if (u.value) new_value = ByteView(*u.value);
    batch.put(cf, value_key(hashes[i], version), encode_value_record(u.key, new_value));
    if (prev) batch.put(cf, stale_value_key(version, hashes[i], prev->version), {});
    // A tombstone is only needed while older records exist, which are stale since `version`.
    if (!u.value) batch.put(cf, stale_value_key(version, hashes[i], version), {});
    std::optional<Hash32> vh;
    if (u.value) vh = state_value_hash(alg, *u.value);
    key_updates.push_back(KeyUpdate{hashes[i], vh});
  }

  FORMICA_ASSIGN_OR_RETURN(ChildRef new_root, apply_updates(kv_, cf, alg, version, root, key_updates, batch));
  batch.put(cf, root_key(version), encode_child_ref(new_root));
  batch.put(cf, meta_key(kLatest), u64_bytes(version));
  if (!latest) {
    batch.put(cf, meta_key(kFirst), u64_bytes(version));
    batch.put(cf, meta_key(kOldest), u64_bytes(version));
    batch.put(cf, meta_key(kAlg), Bytes{static_cast<std::uint8_t>(alg)});
  }
  return new_root.hash;
}

Result<Hash32> StateTree::commit(std::uint64_t version, std::span<const StateUpdate> updates,
                                 WriteOptions options) {
  WriteBatch batch;
  FORMICA_ASSIGN_OR_RETURN(Hash32 root, stage(version, updates, batch));
  FORMICA_TRY(kv_.write(batch, options));
  // Pruning never needs its own fsync: its writes follow the commit, so under the KvStore
  // contract (survivors are a prefix) losing them only leaves garbage for the next prune().
  FORMICA_TRY(prune(WriteOptions{.sync = false}));
  return root;
}

Status StateTree::prune(WriteOptions options) {
  if (options_.keep_versions == 0) return ok_status();
  FORMICA_ASSIGN_OR_RETURN(auto latest, read_meta_u64(kLatest));
  if (!latest || *latest < options_.keep_versions) return ok_status();
  return prune_before(*latest - options_.keep_versions + 1, options);
}

Status StateTree::prune_before(std::uint64_t target, WriteOptions options) {
  const ColumnFamily cf = options_.cf;
  FORMICA_ASSIGN_OR_RETURN(auto latest, read_meta_u64(kLatest));
  FORMICA_ASSIGN_OR_RETURN(auto oldest, read_meta_u64(kOldest));
  if (!latest || !oldest) return ok_status();
  if (target > *latest)
    return make_error(ErrorCode::kInvalidArgument, "state tree: cannot prune the latest version");
  // The horizon moves first, so that no reader is ever sent to a half-deleted version; the
  // deletions follow in chunks and are idempotent: a crash midway leaves garbage below the
  // horizon, which the next call (for any target) removes.
  if (target > *oldest) {
    WriteBatch batch;
    batch.put(cf, meta_key(kOldest), u64_bytes(target));
    FORMICA_TRY(kv_.write(batch, options));
  } else {
    target = *oldest;
  }

  // Records stale since a version <= target are used by no version >= target; root refs
  // below target are unused. Keys are collected first so no iterator is open across a write.
  auto drain = [&](std::uint8_t prefix, std::size_t id_at, auto&& target_of) -> Status {
    Bytes lower{prefix};
    Bytes upper{prefix};
    put_u64(upper, id_at == 0 ? target : target + 1);
    while (true) {
      WriteBatch batch;
      {
        ReadOptions ro;
        ro.lower_bound = lower;
        ro.upper_bound = upper;
        FORMICA_ASSIGN_OR_RETURN(auto it, kv_.iterator(cf, ro));
        for (it->seek_to_first(); it->valid() && batch.count() < kPruneChunk; it->next()) {
          if (id_at != 0) batch.del(cf, target_of(it->key().subspan(id_at)));
          batch.del(cf, it->key());
        }
        FORMICA_TRY(it->status());
      }
      if (batch.empty()) return ok_status();
      FORMICA_TRY(kv_.write(batch, options));
    }
  };
  auto with_prefix = [](std::uint8_t prefix) {
    return [prefix](ByteView rest) {
      Bytes k{prefix};
      base::append(k, rest);
      return k;
    };
  };
  FORMICA_TRY(drain(kStaleNodePrefix, 9, with_prefix(kNodePrefix)));    // 's' since:u64 | node id
  FORMICA_TRY(drain(kStaleValuePrefix, 9, with_prefix(kValuePrefix)));  // 'w' since:u64 | kh version
  return drain(kRootPrefix, 0, with_prefix(kRootPrefix));               // 'r' version < target
}

}  // namespace formica::storage
