#include "tree_node.h"

#include <algorithm>

namespace formica::storage::tree {
namespace {

Error corrupt(const char* what) {
  return make_error(ErrorCode::kInternal, std::string("corrupt state tree: ") + what);
}

}  // namespace

void put_u64(Bytes& out, std::uint64_t v) {
  for (int i = 7; i >= 0; --i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}

std::uint64_t get_u64(ByteView in) {
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < 8; ++i) v = (v << 8) | in[i];
  return v;
}

Bytes node_id(std::uint64_t version, std::size_t depth, const Hash32& path) {
  Bytes out;
  out.reserve(8 + 2 + 32);
  put_u64(out, version);
  out.push_back(static_cast<std::uint8_t>(depth >> 8));
  out.push_back(static_cast<std::uint8_t>(depth & 0xff));
  const std::size_t nbytes = (depth + 7) / 8;
  out.insert(out.end(), path.begin(), path.begin() + static_cast<std::ptrdiff_t>(nbytes));
  if (depth % 8 != 0) out.back() &= static_cast<std::uint8_t>(0xff << (8 - depth % 8));
  return out;
}

Bytes node_key(std::uint64_t version, std::size_t depth, const Hash32& path) {
  Bytes out{kNodePrefix};
  base::append(out, node_id(version, depth, path));
  return out;
}

Bytes root_key(std::uint64_t version) {
  Bytes out{kRootPrefix};
  put_u64(out, version);
  return out;
}

Bytes stale_node_key(std::uint64_t stale_since, ByteView id) {
  Bytes out{kStaleNodePrefix};
  put_u64(out, stale_since);
  base::append(out, id);
  return out;
}

Bytes value_key(const Hash32& key_hash, std::uint64_t version) {
  Bytes out{kValuePrefix};
  base::append(out, key_hash);
  put_u64(out, version);
  return out;
}

Bytes stale_value_key(std::uint64_t stale_since, const Hash32& key_hash, std::uint64_t version) {
  Bytes out{kStaleValuePrefix};
  put_u64(out, stale_since);
  base::append(out, key_hash);
  put_u64(out, version);
  return out;
}

Bytes meta_key(std::string_view name) {
  Bytes out{kMetaPrefix};
  base::append(out, as_bytes(name));
  return out;
}

Bytes encode_child_ref(const ChildRef& ref) {
  Bytes out;
  out.reserve(41);
  out.push_back(static_cast<std::uint8_t>(ref.kind));
  put_u64(out, ref.version);
  base::append(out, ref.hash);
  return out;
}

Result<ChildRef> decode_child_ref(ByteView in) {
  if (in.size() != 41) return corrupt("child ref size");
  if (in[0] > 2) return corrupt("child kind");
  ChildRef ref;
  ref.kind = static_cast<Kind>(in[0]);
  ref.version = get_u64(in.subspan(1));
  std::copy_n(in.begin() + 9, 32, ref.hash.begin());
  return ref;
}

Bytes encode_node(const Node& node) {
  Bytes out{static_cast<std::uint8_t>(node.kind)};
  if (node.kind == Kind::kLeaf) {
    base::append(out, node.leaf.key_hash);
    base::append(out, node.leaf.value_hash);
  } else {
    base::append(out, encode_child_ref(node.internal.left));
    base::append(out, encode_child_ref(node.internal.right));
  }
  return out;
}

Result<Node> decode_node(ByteView in) {
  if (in.empty()) return corrupt("empty node");
  Node node;
  if (in[0] == static_cast<std::uint8_t>(Kind::kLeaf) && in.size() == 65) {
    node.kind = Kind::kLeaf;
    std::copy_n(in.begin() + 1, 32, node.leaf.key_hash.begin());
    std::copy_n(in.begin() + 33, 32, node.leaf.value_hash.begin());
    return node;
  }
  if (in[0] == static_cast<std::uint8_t>(Kind::kInternal) && in.size() == 83) {
    node.kind = Kind::kInternal;
    FORMICA_ASSIGN_OR_RETURN(node.internal.left, decode_child_ref(in.subspan(1, 41)));
    FORMICA_ASSIGN_OR_RETURN(node.internal.right, decode_child_ref(in.subspan(42, 41)));
    return node;
  }
  return corrupt("node kind or size");
}

Bytes encode_value_record(ByteView key, const std::optional<ByteView>& value) {
  Bytes out;
  out.reserve(5 + key.size() + (value ? value->size() : 0));
  out.push_back(value ? 0x01 : 0x00);
  const auto n = static_cast<std::uint32_t>(key.size());
  for (int i = 3; i >= 0; --i) out.push_back(static_cast<std::uint8_t>(n >> (8 * i)));
  base::append(out, key);
  if (value) base::append(out, *value);
  return out;
}

Result<ValueRecord> decode_value_record(ByteView in) {
  if (in.size() < 5 || in[0] > 1) return corrupt("value record header");
  std::size_t n = 0;
  for (std::size_t i = 1; i < 5; ++i) n = (n << 8) | in[i];
  if (in.size() - 5 < n) return corrupt("value record key");
  ValueRecord r;
  r.key = to_bytes(in.subspan(5, n));
  if (in[0] == 1) {
    r.value = to_bytes(in.subspan(5 + n));
  } else if (in.size() != 5 + n) {
    return corrupt("tombstone with a value");
  }
  return r;
}

Hash32 child_path(const Hash32& path, std::size_t depth, bool bit) {
  Hash32 out = path;
  const auto mask = static_cast<std::uint8_t>(0x80 >> (depth % 8));
  if (bit) {
    out[depth / 8] |= mask;
  } else {
    out[depth / 8] &= static_cast<std::uint8_t>(~mask);
  }
  return out;
}

}  // namespace formica::storage::tree
