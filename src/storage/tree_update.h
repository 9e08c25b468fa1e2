#pragma once
// Computes one version of the state tree from the previous one (internal to storage).
// See tree_update.cpp for the algorithm.

#include <cstdint>
#include <optional>
#include <span>

#include "formica/storage/kv_store.h"
#include "tree_node.h"

namespace formica::storage::tree {

struct KeyUpdate {
  Hash32 key_hash;
  std::optional<Hash32> value_hash;  // nullopt: delete
};

// Applies `updates` (sorted by key_hash, distinct) to the tree whose root is `root`,
// appending new nodes and stale-node records for `version` to `batch`. Returns the new root.
Result<ChildRef> apply_updates(const KvStore& kv, ColumnFamily cf, HashAlg alg, std::uint64_t version,
                               const ChildRef& root, std::span<const KeyUpdate> updates, WriteBatch& batch);

// Reads the node that `ref` (not kEmpty) points to at position (depth, path).
Result<Node> load_node(const KvStore& kv, ColumnFamily cf, const ChildRef& ref, std::size_t depth,
                       const Hash32& path);

}  // namespace formica::storage::tree
