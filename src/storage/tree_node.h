#pragma once
// Storage layout of the state tree (internal to the storage layer; docs/storage.md "Node
// storage"). Every record lives in the tree's column family under a one-byte prefix:
//
//   'n' version:u64be depth:u16be path[ceil(depth/8)]    -> node (leaf or internal)
//   'r' version:u64be                                    -> child ref of the root
//   's' stale_since:u64be <node key without 'n'>          -> ""  (node unused from that version)
//   'v' key_hash[32] version:u64be                       -> value record (put or tombstone)
//   'w' stale_since:u64be key_hash[32] version:u64be     -> ""  (value record unused from then)
//   'm' name                                             -> metadata ("latest", "oldest", "alg")
//
// path holds the first `depth` bits of the key hash, later bits zero. All integers are
// big-endian so that keys sort by version.

#include <cstdint>
#include <optional>

#include "formica/base/bytes.h"
#include "formica/base/status.h"
#include "formica/storage/state_proof.h"

namespace formica::storage::tree {

enum class Kind : std::uint8_t { kEmpty = 0, kLeaf = 1, kInternal = 2 };

// A parent's reference to a child node: enough to compute the child's node key (with the
// child's position) and its hash without reading it.
struct ChildRef {
  Kind kind = Kind::kEmpty;
  std::uint64_t version = 0;
  Hash32 hash = kEmptySubtreeHash;
  friend bool operator==(const ChildRef&, const ChildRef&) = default;
};

struct LeafNode {
  Hash32 key_hash;
  Hash32 value_hash;
};
struct InternalNode {
  ChildRef left, right;
};
struct Node {
  Kind kind = Kind::kEmpty;  // kLeaf or kInternal
  LeafNode leaf{};
  InternalNode internal{};
};

inline constexpr std::uint8_t kNodePrefix = 'n';
inline constexpr std::uint8_t kRootPrefix = 'r';
inline constexpr std::uint8_t kStaleNodePrefix = 's';
inline constexpr std::uint8_t kValuePrefix = 'v';
inline constexpr std::uint8_t kStaleValuePrefix = 'w';
inline constexpr std::uint8_t kMetaPrefix = 'm';

void put_u64(Bytes& out, std::uint64_t v);
std::uint64_t get_u64(ByteView in);  // precondition: in.size() >= 8

// version || depth || path (no prefix byte).
Bytes node_id(std::uint64_t version, std::size_t depth, const Hash32& path);
Bytes node_key(std::uint64_t version, std::size_t depth, const Hash32& path);
Bytes root_key(std::uint64_t version);
Bytes stale_node_key(std::uint64_t stale_since, ByteView node_id);
Bytes value_key(const Hash32& key_hash, std::uint64_t version);
Bytes stale_value_key(std::uint64_t stale_since, const Hash32& key_hash, std::uint64_t version);
Bytes meta_key(std::string_view name);

Bytes encode_child_ref(const ChildRef& ref);
Result<ChildRef> decode_child_ref(ByteView in);
Bytes encode_node(const Node& node);
Result<Node> decode_node(ByteView in);

// Value records: 0x01 key_len:u32be key value | 0x00 key_len:u32be key (tombstone).
struct ValueRecord {
  Bytes key;
  std::optional<Bytes> value;
};
Bytes encode_value_record(ByteView key, const std::optional<ByteView>& value);
Result<ValueRecord> decode_value_record(ByteView in);

// `path` with bit `depth` set to `bit` (bits after it stay zero).
Hash32 child_path(const Hash32& path, std::size_t depth, bool bit);

}  // namespace formica::storage::tree
