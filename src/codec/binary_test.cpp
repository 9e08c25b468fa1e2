// The canonical binary encoding: round trips of random values of every kind, the one form of
// maps and sets, and the rejection of every non-canonical or hostile input with its kind.
#include "formica/codec/binary.h"

#include <gtest/gtest.h>

#include "formica/base/encoding.h"
#include "test_types.h"

namespace formica::codec {
namespace {

using testing::Gen;
using testing::Range;
using testing::Sample;
using testing::Transfer;
using testing::Tree;

Bytes hex(std::string_view h) { return base::from_hex(h).value(); }

struct Named {
  std::string name;
  FORMICA_CODEC_FIELDS(name)
};
struct Flags {
  bool a = false;
  bool b = false;
  FORMICA_CODEC_FIELDS(a, b)
};
struct StrMap {
  std::map<std::string, std::uint8_t> m;
  FORMICA_CODEC_FIELDS(m)
};
struct IntSet {
  std::set<std::uint16_t> s;
  FORMICA_CODEC_FIELDS(s)
};
struct SignedMap {
  std::map<std::int32_t, bool> m;
  FORMICA_CODEC_FIELDS(m)
};

template <class T>
CodecError decode_error(ByteView in, const Limits& limits = {}, std::string* path = nullptr) {
  Failure f;
  auto r = decode<T>(in, limits, &f);
  EXPECT_FALSE(r.ok()) << base::to_hex(in);
  if (r.ok()) return CodecError::kTruncated;
  EXPECT_EQ(r.code(), codec_error_code(f.kind));
  if (path != nullptr) *path = f.path;
  return f.kind;
}

TEST(Binary, RandomSamplesRoundTrip) {
  Gen gen(20261125);
  for (int i = 0; i < 400; ++i) {
    const Sample s = gen.sample();
    auto bytes = encode(s);
    ASSERT_TRUE(bytes.ok()) << bytes.error().to_string();
    auto back = decode<Sample>(*bytes);
    ASSERT_TRUE(back.ok()) << back.error().to_string();
    EXPECT_TRUE(*back == s) << "sample " << i;
    auto again = encode(*back);
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(*again, *bytes) << "sample " << i;
  }
}

TEST(Binary, RandomTreesRoundTrip) {
  Gen gen(7);
  for (int i = 0; i < 100; ++i) {
    const Tree t = gen.tree(6);
    auto bytes = encode(t);
    ASSERT_TRUE(bytes.ok());
    auto back = decode<Tree>(*bytes);
    ASSERT_TRUE(back.ok()) << back.error().to_string();
    EXPECT_TRUE(*back == t);
  }
}

// Whatever decodes after a mutation must re-encode to exactly the mutated bytes: a second
// encoding of the same value would be accepted otherwise.
TEST(Binary, MutatedInputsDecodeOnlyInCanonicalForm) {
  Gen gen(99);
  int decoded = 0;
  for (int i = 0; i < 300; ++i) {
    Bytes bytes = encode(gen.sample()).value();
    for (int m = 0; m < 20; ++m) {
      Bytes mutated = bytes;
      const std::size_t at = gen.below(mutated.size());
      switch (gen.below(3)) {
        case 0: mutated[at] = static_cast<std::uint8_t>(gen.below(256)); break;
        case 1: mutated[at] ^= static_cast<std::uint8_t>(1u << gen.below(8)); break;
        default: mutated.erase(mutated.begin() + static_cast<std::ptrdiff_t>(at)); break;
      }
      auto r = decode<Sample>(mutated);
      if (!r.ok()) {
        EXPECT_TRUE(r.code() == ErrorCode::kMalformed || r.code() == ErrorCode::kTooLarge);
        continue;
      }
      ++decoded;
      EXPECT_EQ(encode(*r).value(), mutated);
    }
  }
  EXPECT_GT(decoded, 0);  // the property was exercised on accepted inputs too
}

TEST(Binary, EveryStrictPrefixIsTruncated) {
  Gen gen(3);
  for (int i = 0; i < 20; ++i) {
    const Bytes bytes = encode(gen.sample()).value();
    for (std::size_t n = 0; n < bytes.size(); ++n) {
      EXPECT_EQ(decode_error<Sample>(ByteView(bytes).first(n)), CodecError::kTruncated) << "prefix " << n;
    }
  }
}

TEST(Binary, TrailingBytesRefused) {
  Bytes bytes = encode(Gen(4).sample()).value();
  bytes.push_back(0);
  EXPECT_EQ(decode_error<Sample>(bytes), CodecError::kTrailingBytes);
}

TEST(Binary, MapKeysSortedByEncodedBytes) {
  // "b" (01 62) sorts before "aa" (02 61 61): length first, then bytes.
  StrMap m;
  m.m = {{"aa", 2}, {"b", 1}};
  EXPECT_EQ(base::to_hex(encode(m).value()), "0201620102616102");
  auto back = decode<StrMap>(hex("0201620102616102"));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->m, m.m);
  // Two's complement keys: 1 (00000001) before -1 (ffffffff).
  SignedMap sm;
  sm.m = {{-1, true}, {1, false}};
  EXPECT_EQ(base::to_hex(encode(sm).value()), "020000000100ffffffff01");
}

TEST(Binary, UnsortedOrDuplicateKeysRefused) {
  std::string path;
  EXPECT_EQ(decode_error<StrMap>(hex("0202616102016201"), {}, &path), CodecError::kUnsortedMapKeys);
  EXPECT_EQ(path, "m[1]");
  EXPECT_EQ(decode_error<StrMap>(hex("02016201016202")), CodecError::kDuplicateMapKey);
  EXPECT_EQ(decode_error<IntSet>(hex("0200020001")), CodecError::kUnsortedMapKeys);
  EXPECT_EQ(decode_error<IntSet>(hex("0200010001")), CodecError::kDuplicateMapKey);
  EXPECT_TRUE(decode<IntSet>(hex("0200010002")).ok());
  EXPECT_EQ(decode_error<SignedMap>(hex("02ffffffff010000000100")), CodecError::kUnsortedMapKeys);
}

TEST(Binary, NonCanonicalFormsRefusedWithPath) {
  std::string path;
  EXPECT_EQ(decode_error<Flags>(hex("0102"), {}, &path), CodecError::kInvalidBool);
  EXPECT_EQ(path, "b");
  EXPECT_EQ(decode_error<Named>(hex("810061"), {}, &path), CodecError::kNonCanonicalVarint);
  EXPECT_EQ(path, "name");
  EXPECT_EQ(decode_error<Named>(hex("02c3"), {}, &path), CodecError::kTruncated);
  EXPECT_EQ(decode_error<Named>(hex("02c328"), {}, &path), CodecError::kInvalidUtf8);
  EXPECT_EQ(decode_error<Named>(hex("03eda080"), {}, &path), CodecError::kInvalidUtf8);  // surrogate
  EXPECT_EQ(decode_error<Named>(hex("ffffffffffffffffffff01")), CodecError::kVarintOverflow);

  // An optional's presence byte, an enum value, a nested path.
  Sample s = Gen(5).sample();
  s.transfers.assign(2, Transfer{});
  s.transfers[1].memo = "x";
  Bytes bytes = encode(s).value();
  Writer prefix;
  prefix.value(s.flag).value(s.small).value(s.port).value(s.count).value(s.nonce).value(s.amount);
  prefix.value(s.i8).value(s.i16).value(s.i32).value(s.i64).value(s.text).value(s.blob).value(s.tag);
  const std::size_t kind_at = prefix.size();
  Bytes bad_kind = bytes;
  bad_kind[kind_at] = 9;
  EXPECT_EQ(decode_error<Sample>(bad_kind, {}, &path), CodecError::kInvalidEnum);
  EXPECT_EQ(path, "kind");
  Bytes bad_maybe = bytes;
  bad_maybe[kind_at + 1] = 2;
  EXPECT_EQ(decode_error<Sample>(bad_maybe, {}, &path), CodecError::kInvalidPresence);
  EXPECT_EQ(path, "maybe");
  // transfers[1].memo presence byte: after the count and two transfers of 20+16 bytes + memo.
  prefix.value(s.kind).value(s.maybe);
  const std::size_t memo1_at = prefix.size() + 1 + (20 + 16 + 1) + (20 + 16);
  ASSERT_EQ(bytes[memo1_at], 1);
  Bytes bad_memo = bytes;
  bad_memo[memo1_at] = 7;
  EXPECT_EQ(decode_error<Sample>(bad_memo, {}, &path), CodecError::kInvalidPresence);
  EXPECT_EQ(path, "transfers[1].memo");
}

TEST(Binary, LimitsOnBothSides) {
  Limits lim;
  lim.max_length = 4;
  lim.max_count = 3;
  Named long_name{"abcde"};
  auto enc = encode(long_name, lim);
  ASSERT_FALSE(enc.ok());
  EXPECT_EQ(enc.code(), ErrorCode::kTooLarge);
  std::string path;
  EXPECT_EQ(decode_error<Named>(encode(long_name).value(), lim, &path), CodecError::kLengthLimit);
  EXPECT_EQ(path, "name");
  IntSet big;
  big.s = {1, 2, 3, 4};
  EXPECT_FALSE(encode(big, lim).ok());
  EXPECT_EQ(decode_error<IntSet>(encode(big).value(), lim), CodecError::kCountLimit);
}

TEST(Binary, DepthLimitOnBothSides) {
  Tree deep;
  Tree* cur = &deep;
  for (int i = 0; i < 40; ++i) {
    cur->children.emplace_back();
    cur = &cur->children.back();
  }
  auto enc = encode(deep);
  ASSERT_FALSE(enc.ok());
  EXPECT_EQ(enc.code(), ErrorCode::kTooLarge);
  Limits wide;
  wide.max_depth = 100;
  Bytes bytes = encode(deep, wide).value();
  EXPECT_EQ(decode_error<Tree>(bytes), CodecError::kDepthLimit);
  EXPECT_TRUE(decode<Tree>(bytes, wide).ok());
  // A hostile input nested a million levels fails fast without exhausting the stack.
  Bytes hostile;
  for (int i = 0; i < 1000000; ++i) hostile.insert(hostile.end(), {0x00, 0x01});
  hostile.insert(hostile.end(), {0x00, 0x00});
  EXPECT_EQ(decode_error<Tree>(hostile), CodecError::kDepthLimit);
}

TEST(Binary, StructCheckRunsOnBothSides) {
  Range ok{1, 2};
  EXPECT_EQ(base::to_hex(encode(ok).value()), "0000000100000002");
  auto bad = encode(Range{3, 2});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.code(), ErrorCode::kMalformed);
  EXPECT_EQ(decode_error<Range>(hex("0000000300000002")), CodecError::kInvalidValue);
}

TEST(Binary, UnencodableValuesRefused) {
  Named bad_utf8{"\xc3"};
  auto r = encode(bad_utf8);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("invalid_utf8 at name"), std::string::npos) << r.error().message;
  Sample s;
  s.kind = static_cast<testing::Kind>(0);
  EXPECT_FALSE(encode(s).ok());
}

}  // namespace
}  // namespace formica::codec
