#include "tree_update.h"

#include <algorithm>
#include <vector>

// The update is a recursive merge of the sorted updates into the old tree, position by
// position (a position is a depth and the first `depth` bits of a path):
// - An old subtree no update reaches is reused as is (its nodes keep their old versions).
// - A changed position gets a new node written under the new version, and the old node
//   there is recorded stale since the new version (it is still part of older versions).
// - Leaves float: a subtree with exactly one leaf is that leaf, stored at the subtree's top.
//   So a leaf's position is only known once its parent knows its sibling; the recursion
//   returns leaves unplaced (`Sub::placed == false`) and the parent writes them.
// The result is canonical: the root hash depends only on the final set of leaves.

namespace formica::storage::tree {

Result<Node> load_node(const KvStore& kv, ColumnFamily cf, const ChildRef& ref, std::size_t depth,
                       const Hash32& path) {
  FORMICA_ASSIGN_OR_RETURN(auto bytes, kv.get(cf, node_key(ref.version, depth, path)));
  if (!bytes) return make_error(ErrorCode::kInternal, "state tree: missing node (pruned or corrupt)");
  FORMICA_ASSIGN_OR_RETURN(Node node, decode_node(*bytes));
  if (node.kind != ref.kind) return make_error(ErrorCode::kInternal, "state tree: node kind mismatch");
  return node;
}

namespace {

// The new content of one position.
struct Sub {
  Kind kind = Kind::kEmpty;
  Hash32 hash = kEmptySubtreeHash;
  bool placed = false;        // a node for it exists (or is in the batch) at this position
  std::uint64_t version = 0;  // its version, when placed
  bool leaf_loaded = false;   // key_hash/value_hash are known (always for unplaced leaves)
  Hash32 key_hash{}, value_hash{};

  ChildRef ref() const { return ChildRef{kind, version, hash}; }
};

Sub from_ref(const ChildRef& ref) {
  Sub s;
  s.kind = ref.kind;
  s.hash = ref.hash;
  s.placed = ref.kind != Kind::kEmpty;
  s.version = ref.version;
  return s;
}

class Updater {
 public:
  Updater(const KvStore& kv, ColumnFamily cf, HashAlg alg, std::uint64_t version, WriteBatch& batch)
      : kv_(kv), cf_(cf), alg_(alg), version_(version), batch_(batch) {}

  // The new content of position (depth, path), whose old content is `cur`; `ups` is not empty
  // and every key in it lies under the position.
  Result<Sub> update(const ChildRef& cur, std::size_t depth, const Hash32& path,
                     std::span<const KeyUpdate> ups) {
    Sub result;
    if (cur.kind == Kind::kEmpty) {
      std::vector<KeyUpdate> puts;
      puts.reserve(ups.size());
      for (const auto& u : ups) {
        if (u.value_hash) puts.push_back(u);
      }
      return build(depth, path, puts);
    }
    FORMICA_ASSIGN_OR_RETURN(Node node, load_node(kv_, cf_, cur, depth, path));
    if (cur.kind == Kind::kLeaf) {
      // Merge the old leaf into the updates unless one of them replaces or deletes it.
      std::vector<KeyUpdate> merged;
      merged.reserve(ups.size() + 1);
      bool inserted = false;
      for (const auto& u : ups) {
        if (!inserted && !(u.key_hash < node.leaf.key_hash)) {
          if (u.key_hash != node.leaf.key_hash)
            merged.push_back(KeyUpdate{node.leaf.key_hash, node.leaf.value_hash});
          inserted = true;
        }
        if (u.value_hash) merged.push_back(u);
      }
      if (!inserted) merged.push_back(KeyUpdate{node.leaf.key_hash, node.leaf.value_hash});
      if (merged.size() == 1 && merged[0].key_hash == node.leaf.key_hash &&
          merged[0].value_hash == node.leaf.value_hash) {
        Sub same = from_ref(cur);
        same.leaf_loaded = true;
        same.key_hash = node.leaf.key_hash;
        same.value_hash = node.leaf.value_hash;
        return same;
      }
      FORMICA_ASSIGN_OR_RETURN(result, build(depth, path, merged));
    } else {
      const auto split = std::partition_point(
          ups.begin(), ups.end(), [&](const KeyUpdate& u) { return !key_bit(u.key_hash, depth); });
      const auto left_ups = ups.subspan(0, static_cast<std::size_t>(split - ups.begin()));
      const auto right_ups = ups.subspan(left_ups.size());
      Sub left = from_ref(node.internal.left);
      Sub right = from_ref(node.internal.right);
      if (!left_ups.empty()) {
        FORMICA_ASSIGN_OR_RETURN(
            left, update(node.internal.left, depth + 1, child_path(path, depth, false), left_ups));
      }
      if (!right_ups.empty()) {
        FORMICA_ASSIGN_OR_RETURN(
            right, update(node.internal.right, depth + 1, child_path(path, depth, true), right_ups));
      }
      if (left.placed && left.ref() == node.internal.left && right.placed &&
          right.ref() == node.internal.right) {
        return from_ref(cur);  // nothing changed below
      }
      FORMICA_ASSIGN_OR_RETURN(result, join(depth, path, std::move(left), std::move(right)));
    }
    mark_stale(cur.version, depth, path);
    return result;
  }

  // Places a leaf returned unplaced for the root position.
  void place_root(Sub& root) { place_leaf(root, 0, Hash32{}); }

 private:
  // A fresh subtree at (depth, path) holding exactly `puts` (sorted, distinct, all puts).
  Result<Sub> build(std::size_t depth, const Hash32& path, std::span<const KeyUpdate> puts) {
    if (puts.empty()) return Sub{};
    if (puts.size() == 1) return unplaced_leaf(puts[0].key_hash, *puts[0].value_hash);
    if (depth >= kMaxProofDepth) return make_error(ErrorCode::kInternal, "state tree: duplicate key hash");
    const auto split = std::partition_point(puts.begin(), puts.end(),
                                            [&](const KeyUpdate& u) { return !key_bit(u.key_hash, depth); });
    const auto n_left = static_cast<std::size_t>(split - puts.begin());
    FORMICA_ASSIGN_OR_RETURN(Sub left,
                             build(depth + 1, child_path(path, depth, false), puts.subspan(0, n_left)));
    FORMICA_ASSIGN_OR_RETURN(Sub right,
                             build(depth + 1, child_path(path, depth, true), puts.subspan(n_left)));
    return join(depth, path, std::move(left), std::move(right));
  }

  // The content of (depth, path) given its two children's new content.
  Result<Sub> join(std::size_t depth, const Hash32& path, Sub left, Sub right) {
    const bool left_empty = left.kind == Kind::kEmpty;
    const bool right_empty = right.kind == Kind::kEmpty;
    if (left_empty && right_empty) return Sub{};
    // A lone leaf floats up: it moves from its child position to this one.
    if ((left_empty && right.kind == Kind::kLeaf) || (right_empty && left.kind == Kind::kLeaf)) {
      const bool bit = left_empty;
      Sub leaf = left_empty ? std::move(right) : std::move(left);
      const Hash32 at = child_path(path, depth, bit);
      if (leaf.placed) {
        if (!leaf.leaf_loaded) {
          FORMICA_ASSIGN_OR_RETURN(Node node, load_node(kv_, cf_, leaf.ref(), depth + 1, at));
          leaf.key_hash = node.leaf.key_hash;
          leaf.value_hash = node.leaf.value_hash;
        }
        mark_stale(leaf.version, depth + 1, at);
      }
      return unplaced_leaf(leaf.key_hash, leaf.value_hash);
    }
    place_leaf(left, depth + 1, child_path(path, depth, false));
    place_leaf(right, depth + 1, child_path(path, depth, true));
    Node node;
    node.kind = Kind::kInternal;
    node.internal.left = left.ref();
    node.internal.right = right.ref();
    batch_.put(cf_, node_key(version_, depth, path), encode_node(node));
    Sub s;
    s.kind = Kind::kInternal;
    s.hash = state_internal_hash(alg_, left.hash, right.hash);
    s.placed = true;
    s.version = version_;
    return s;
  }

  Sub unplaced_leaf(const Hash32& key_hash, const Hash32& value_hash) const {
    Sub s;
    s.kind = Kind::kLeaf;
    s.key_hash = key_hash;
    s.value_hash = value_hash;
    s.leaf_loaded = true;
    s.hash = state_leaf_hash(alg_, key_hash, value_hash);
    return s;
  }

  void place_leaf(Sub& s, std::size_t depth, const Hash32& path) {
    if (s.kind != Kind::kLeaf || s.placed) return;
    Node node;
    node.kind = Kind::kLeaf;
    node.leaf = LeafNode{s.key_hash, s.value_hash};
    batch_.put(cf_, node_key(version_, depth, path), encode_node(node));
    s.placed = true;
    s.version = version_;
  }

  void mark_stale(std::uint64_t node_version, std::size_t depth, const Hash32& path) {
    batch_.put(cf_, stale_node_key(version_, node_id(node_version, depth, path)), {});
  }

  const KvStore& kv_;
  ColumnFamily cf_;
  HashAlg alg_;
  std::uint64_t version_;
  WriteBatch& batch_;
};

}  // namespace

Result<ChildRef> apply_updates(const KvStore& kv, ColumnFamily cf, HashAlg alg, std::uint64_t version,
                               const ChildRef& root, std::span<const KeyUpdate> updates, WriteBatch& batch) {
  if (updates.empty()) return root;
  Updater u(kv, cf, alg, version, batch);
  FORMICA_ASSIGN_OR_RETURN(Sub s, u.update(root, 0, Hash32{}, updates));
  u.place_root(s);
  return s.ref();
}

}  // namespace formica::storage::tree
