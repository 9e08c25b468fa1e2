#pragma once
// Types and random generators shared by the codec tests: one struct that uses every kind the
// codec supports, nested structs, maps with order-preserving and re-sorted keys, and a
// recursive type for depth limits.

#include <compare>
#include <cstdint>
#include <map>
#include <optional>
#include <ostream>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "formica/codec/binary.h"
#include "formica/codec/json.h"

namespace formica::codec {
// Readable failure kinds in GoogleTest messages.
inline std::ostream& operator<<(std::ostream& os, CodecError kind) { return os << codec_error_name(kind); }
}  // namespace formica::codec

namespace formica::codec::testing {

enum class Kind : std::uint8_t { kTransfer = 1, kMint = 2, kBurn = 3 };
inline bool formica_codec_enum_valid(Kind k) { return k >= Kind::kTransfer && k <= Kind::kBurn; }

struct Address {
  ByteArray<20> raw{};
  FORMICA_CODEC_TRANSPARENT(raw)
  auto operator<=>(const Address&) const = default;
};

struct Transfer {
  Address to;
  U128 amount = 0;
  std::optional<std::string> memo;
  FORMICA_CODEC_FIELDS(to, amount, memo)
  bool operator==(const Transfer&) const = default;
};

struct Sample {
  bool flag = false;
  std::uint8_t small = 0;
  std::uint16_t port = 0;
  std::uint32_t count = 0;
  std::uint64_t nonce = 0;
  U128 amount = 0;
  std::int8_t i8 = 0;
  std::int16_t i16 = 0;
  std::int32_t i32 = 0;
  std::int64_t i64 = 0;
  std::string text;
  Bytes blob;
  ByteArray<4> tag{};
  Kind kind = Kind::kTransfer;
  std::optional<std::uint64_t> maybe;
  std::vector<Transfer> transfers;
  std::map<std::string, U128> balances;
  std::map<std::uint64_t, Bytes> by_height;
  std::map<Address, std::uint32_t> by_address;
  std::map<std::int32_t, bool> signed_keys;
  std::set<std::string> labels;
  std::vector<std::vector<std::uint32_t>> matrix;
  std::optional<Transfer> nested;
  FORMICA_CODEC_FIELDS(flag, small, port, count, nonce, amount, i8, i16, i32, i64, text, blob, tag, kind,
                       maybe, transfers, balances, by_height, by_address, signed_keys, labels, matrix, nested)
  bool operator==(const Sample&) const = default;
};

// Recursive: nesting is bounded only by Limits::max_depth.
struct Tree {
  std::uint8_t v = 0;
  std::vector<Tree> children;
  FORMICA_CODEC_FIELDS(v, children)
  bool operator==(const Tree&) const = default;
};

// A struct with its own rule: low <= high.
struct Range {
  std::uint32_t low = 0;
  std::uint32_t high = 0;
  FORMICA_CODEC_FIELDS(low, high)
  Status formica_codec_check() const {
    if (low > high) return make_error(ErrorCode::kMalformed, "low above high");
    return Status{};
  }
  bool operator==(const Range&) const = default;
};

class Gen {
 public:
  explicit Gen(std::uint64_t seed) : rng_(seed) {}

  std::uint64_t below(std::uint64_t n) {
    return std::uniform_int_distribution<std::uint64_t>(0, n - 1)(rng_);
  }
  std::uint64_t u64() {
    // Edges half of the time: 0, 1, 2^k - 1, 2^k, max.
    switch (below(6)) {
      case 0: return 0;
      case 1: return ~std::uint64_t{0};
      case 2: return (std::uint64_t{1} << below(64)) - below(2);
      default: return rng_();
    }
  }
  U128 u128() {
    switch (below(6)) {
      case 0: return 0;
      case 1: return kU128Max;
      case 2: return make_u128(1, 0);
      case 3: return (U128{1} << below(128)) - below(2);
      default: return make_u128(rng_(), rng_());
    }
  }
  std::string text(std::size_t max_chars = 12) {
    static const char* const kPieces[] = {"a", "Z", "0", " ", "_", "é", "中", "𝄞", "\x7f", "ü", "€"};
    std::string s;
    const std::size_t n = below(max_chars + 1);
    for (std::size_t i = 0; i < n; ++i) s += kPieces[below(std::size(kPieces))];
    return s;
  }
  Bytes bytes(std::size_t max_len = 40) {
    Bytes b(below(max_len + 1));
    for (auto& x : b) x = static_cast<std::uint8_t>(rng_());
    return b;
  }
  template <std::size_t N>
  ByteArray<N> array() {
    ByteArray<N> a{};
    for (auto& x : a) x = static_cast<std::uint8_t>(below(4) == 0 ? 0 : rng_());
    return a;
  }
  Transfer transfer() {
    Transfer t;
    t.to.raw = array<20>();
    t.amount = u128();
    if (below(2)) t.memo = text();
    return t;
  }
  Sample sample() {
    Sample s;
    s.flag = below(2) == 1;
    s.small = static_cast<std::uint8_t>(u64());
    s.port = static_cast<std::uint16_t>(u64());
    s.count = static_cast<std::uint32_t>(u64());
    s.nonce = u64();
    s.amount = u128();
    s.i8 = static_cast<std::int8_t>(u64());
    s.i16 = static_cast<std::int16_t>(u64());
    s.i32 = static_cast<std::int32_t>(u64());
    s.i64 = static_cast<std::int64_t>(u64());
    s.text = text(30);
    s.blob = bytes();
    s.tag = array<4>();
    s.kind = static_cast<Kind>(1 + below(3));
    if (below(2)) s.maybe = u64();
    for (std::size_t i = below(4); i > 0; --i) s.transfers.push_back(transfer());
    for (std::size_t i = below(5); i > 0; --i) s.balances[text(4)] = u128();
    for (std::size_t i = below(4); i > 0; --i) s.by_height[u64()] = bytes(8);
    for (std::size_t i = below(3); i > 0; --i)
      s.by_address[Address{array<20>()}] = static_cast<std::uint32_t>(u64());
    for (std::size_t i = below(5); i > 0; --i)
      s.signed_keys[static_cast<std::int32_t>(u64())] = below(2) == 1;
    for (std::size_t i = below(4); i > 0; --i) s.labels.insert(text(3));
    for (std::size_t i = below(3); i > 0; --i) {
      std::vector<std::uint32_t> row;
      for (std::size_t k = below(4); k > 0; --k) row.push_back(static_cast<std::uint32_t>(u64()));
      s.matrix.push_back(row);
    }
    if (below(2)) s.nested = transfer();
    return s;
  }
  Tree tree(int depth) {
    Tree t;
    t.v = static_cast<std::uint8_t>(rng_());
    if (depth > 0) {
      for (std::size_t i = below(3); i > 0; --i) t.children.push_back(tree(depth - 1));
    }
    return t;
  }

 private:
  std::mt19937_64 rng_;
};

}  // namespace formica::codec::testing
