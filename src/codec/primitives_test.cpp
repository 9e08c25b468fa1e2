// Primitive forms: UTF-8 validation, U128 decimal text, varints, fixed-width integers.
#include <gtest/gtest.h>

#include <string>

#include "formica/base/encoding.h"
#include "formica/codec/reader.h"
#include "formica/codec/u128.h"
#include "formica/codec/utf8.h"
#include "formica/codec/writer.h"

namespace formica::codec {
namespace {

Bytes hex(std::string_view h) { return base::from_hex(h).value(); }

TEST(Utf8, AcceptsWellFormed) {
  EXPECT_TRUE(is_valid_utf8(""));
  EXPECT_TRUE(is_valid_utf8("plain ascii\x7f"));
  EXPECT_TRUE(is_valid_utf8("\xc2\x80"));                  // U+0080
  EXPECT_TRUE(is_valid_utf8("\xe0\xa0\x80"));              // U+0800
  EXPECT_TRUE(is_valid_utf8("\xed\x9f\xbf"));              // U+D7FF
  EXPECT_TRUE(is_valid_utf8("\xee\x80\x80"));              // U+E000
  EXPECT_TRUE(is_valid_utf8("\xf0\x90\x80\x80"));          // U+10000
  EXPECT_TRUE(is_valid_utf8("\xf4\x8f\xbf\xbf"));          // U+10FFFF
  EXPECT_TRUE(is_valid_utf8("\xe4\xb8\xad\xe6\x96\x87"));  // 中文
  EXPECT_TRUE(is_valid_utf8(std::string("a\0b", 3)));
}

TEST(Utf8, RefusesIllFormed) {
  EXPECT_EQ(utf8_error_offset("ab\x80"), 2u);            // lone continuation
  EXPECT_EQ(utf8_error_offset("\xc0\xaf"), 0u);          // overlong '/'
  EXPECT_EQ(utf8_error_offset("\xc1\xbf"), 0u);          // overlong
  EXPECT_EQ(utf8_error_offset("\xe0\x9f\xbf"), 0u);      // overlong 3-byte
  EXPECT_EQ(utf8_error_offset("\xf0\x8f\xbf\xbf"), 0u);  // overlong 4-byte
  EXPECT_EQ(utf8_error_offset("x\xed\xa0\x80"), 1u);     // surrogate U+D800
  EXPECT_EQ(utf8_error_offset("\xed\xbf\xbf"), 0u);      // surrogate U+DFFF
  EXPECT_EQ(utf8_error_offset("\xf4\x90\x80\x80"), 0u);  // above U+10FFFF
  EXPECT_EQ(utf8_error_offset("\xf5\x80\x80\x80"), 0u);
  EXPECT_EQ(utf8_error_offset("\xff"), 0u);
  EXPECT_EQ(utf8_error_offset("ok\xe4\xb8"), 2u);    // truncated
  EXPECT_EQ(utf8_error_offset("\xe4\x41\xad"), 0u);  // bad continuation
}

TEST(U128, DecimalRoundTripAndStrictness) {
  EXPECT_EQ(u128_to_decimal(0), "0");
  EXPECT_EQ(u128_to_decimal(kU128Max), "340282366920938463463374607431768211455");
  EXPECT_EQ(u128_to_decimal(make_u128(1, 0)), "18446744073709551616");
  EXPECT_EQ(u128_from_decimal("340282366920938463463374607431768211455"), kU128Max);
  EXPECT_EQ(u128_from_decimal("18446744073709551616"), make_u128(1, 0));
  EXPECT_EQ(u128_from_decimal("0"), U128{0});
  for (const char* bad :
       {"", "00", "01", "-1", "+1", " 1", "1 ", "1.0", "1e3", "0x10",
        "340282366920938463463374607431768211456", "9999999999999999999999999999999999999999"}) {
    EXPECT_FALSE(u128_from_decimal(bad).has_value()) << bad;
  }
}

TEST(Varint, MinimalForms) {
  struct Case {
    std::uint64_t value;
    const char* hex;
  };
  for (const Case& c :
       {Case{0, "00"}, Case{1, "01"}, Case{127, "7f"}, Case{128, "8001"}, Case{300, "ac02"},
        Case{16383, "ff7f"}, Case{16384, "808001"}, Case{~std::uint64_t{0}, "ffffffffffffffffff01"}}) {
    Writer w;
    w.uvarint(c.value);
    EXPECT_EQ(base::to_hex(w.data()), c.hex);
    Bytes in = hex(c.hex);
    Reader r(in);
    std::uint64_t v = 0;
    ASSERT_TRUE(r.uvarint(v).ok()) << c.hex;
    EXPECT_EQ(v, c.value);
    EXPECT_TRUE(r.finish().ok());
  }
}

CodecError varint_error(std::string_view h) {
  Bytes in = hex(h);
  Reader r(in);
  std::uint64_t v = 0;
  EXPECT_FALSE(r.uvarint(v).ok()) << h;
  return r.failure().kind;
}

TEST(Varint, RefusesNonCanonicalAndOverflow) {
  EXPECT_EQ(varint_error("8000"), CodecError::kNonCanonicalVarint);  // 0 in two bytes
  EXPECT_EQ(varint_error("8100"), CodecError::kNonCanonicalVarint);  // 1 in two bytes
  EXPECT_EQ(varint_error("ff8000"), CodecError::kNonCanonicalVarint);
  EXPECT_EQ(varint_error("ffffffffffffffffff02"), CodecError::kVarintOverflow);  // 2^64
  EXPECT_EQ(varint_error("ffffffffffffffffff81"), CodecError::kVarintOverflow);  // 11 bytes
  EXPECT_EQ(varint_error("80808080808080808080"), CodecError::kVarintOverflow);
  EXPECT_EQ(varint_error(""), CodecError::kTruncated);
  EXPECT_EQ(varint_error("80"), CodecError::kTruncated);
  EXPECT_EQ(varint_error("ffff"), CodecError::kTruncated);
}

TEST(Integers, FixedWidthBigEndian) {
  Writer w;
  w.u8(0xab).u16(0x0102).u32(0x03040506).u64(0x0708090a0b0c0d0e).u128(make_u128(1, 2));
  w.i8(-1).i16(-2).i32(-3).i64(std::numeric_limits<std::int64_t>::min()).boolean(true).boolean(false);
  EXPECT_EQ(base::to_hex(w.data()),
            "ab0102030405060708090a0b0c0d0e"
            "0000000000000001"
            "0000000000000002"
            "ff"
            "fffe"
            "fffffffd"
            "8000000000000000"
            "0100");
  Bytes in = to_bytes(w.data());
  Reader r(in);
  std::uint8_t a = 0;
  std::uint16_t b = 0;
  std::uint32_t c = 0;
  std::uint64_t d = 0;
  U128 e = 0;
  std::int8_t f = 0;
  std::int16_t g = 0;
  std::int32_t h = 0;
  std::int64_t i = 0;
  bool t = false, u = true;
  ASSERT_TRUE(r.u8(a).ok() && r.u16(b).ok() && r.u32(c).ok() && r.u64(d).ok() && r.u128(e).ok());
  ASSERT_TRUE(r.i8(f).ok() && r.i16(g).ok() && r.i32(h).ok() && r.i64(i).ok());
  ASSERT_TRUE(r.boolean(t).ok() && r.boolean(u).ok() && r.finish().ok());
  EXPECT_EQ(a, 0xab);
  EXPECT_EQ(b, 0x0102);
  EXPECT_EQ(c, 0x03040506u);
  EXPECT_EQ(d, 0x0708090a0b0c0d0eu);
  EXPECT_TRUE(e == make_u128(1, 2));
  EXPECT_EQ(f, -1);
  EXPECT_EQ(g, -2);
  EXPECT_EQ(h, -3);
  EXPECT_EQ(i, std::numeric_limits<std::int64_t>::min());
  EXPECT_TRUE(t);
  EXPECT_FALSE(u);
}

TEST(Reader, BoolPresenceAndTrailing) {
  Bytes two = hex("02");
  bool v = false;
  Reader r1(two);
  EXPECT_FALSE(r1.boolean(v).ok());
  EXPECT_EQ(r1.failure().kind, CodecError::kInvalidBool);
  Reader r2(two);
  EXPECT_FALSE(r2.presence(v).ok());
  EXPECT_EQ(r2.failure().kind, CodecError::kInvalidPresence);
  Bytes extra = hex("0100");
  Reader r3(extra);
  ASSERT_TRUE(r3.boolean(v).ok());
  Status st = r3.finish();
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(r3.failure().kind, CodecError::kTrailingBytes);
  EXPECT_EQ(r3.failure().offset, 1u);
  EXPECT_EQ(st.code(), ErrorCode::kMalformed);
}

TEST(Reader, FailureIsSticky) {
  Bytes in = hex("0201");
  Reader r(in);
  bool v = false;
  EXPECT_FALSE(r.boolean(v).ok());
  std::uint8_t x = 0;
  EXPECT_FALSE(r.u8(x).ok());  // does not resume after bad input
  EXPECT_EQ(r.failure().kind, CodecError::kInvalidBool);
}

TEST(Reader, StringsAndBytes) {
  Writer w;
  w.str("héllo").bytes(hex("00ff")).str("");
  EXPECT_EQ(base::to_hex(w.data()), "0668c3a96c6c6f0200ff00");
  Bytes in = to_bytes(w.data());
  Reader r(in);
  std::string s, empty;
  Bytes b;
  ASSERT_TRUE(r.str(s).ok() && r.bytes(b).ok() && r.str(empty).ok() && r.finish().ok());
  EXPECT_EQ(s, "héllo");
  EXPECT_EQ(b, hex("00ff"));
  EXPECT_EQ(empty, "");

  Bytes bad = hex("0261ff");
  Reader r2(bad);
  EXPECT_FALSE(r2.str(s).ok());
  EXPECT_EQ(r2.failure().kind, CodecError::kInvalidUtf8);
  EXPECT_EQ(r2.failure().offset, 2u);  // the offending byte

  Bytes cut = hex("0561");
  Reader r3(cut);
  EXPECT_FALSE(r3.bytes(b).ok());
  EXPECT_EQ(r3.failure().kind, CodecError::kTruncated);
}

TEST(Limits, LengthCountDepthAndInput) {
  Limits lim;
  lim.max_length = 3;
  lim.max_count = 2;
  lim.max_input = 8;
  Bytes four = hex("0461626364");
  Reader r(four, lim);
  std::string s;
  EXPECT_FALSE(r.str(s).ok());
  EXPECT_EQ(r.failure().kind, CodecError::kLengthLimit);
  EXPECT_EQ(r.failure().to_error().code, ErrorCode::kTooLarge);

  Bytes count3 = hex("03010101");
  Reader r2(count3, lim);
  std::size_t n = 0;
  EXPECT_FALSE(r2.count(n).ok());
  EXPECT_EQ(r2.failure().kind, CodecError::kCountLimit);

  Bytes big(9, 0);
  Reader r3(big, lim);
  bool v = false;
  EXPECT_FALSE(r3.boolean(v).ok());
  EXPECT_EQ(r3.failure().kind, CodecError::kInputLimit);

  // A count above the bytes left is refused before anything is allocated.
  Bytes lie = hex("ffffffff0f");
  Reader r4(lie);
  EXPECT_FALSE(r4.count(n).ok());
  EXPECT_EQ(r4.failure().kind, CodecError::kCountLimit);
  Limits wide;
  wide.max_count = ~std::size_t{0};
  Reader r5(lie, wide);
  EXPECT_FALSE(r5.count(n).ok());
  EXPECT_EQ(r5.failure().kind, CodecError::kTruncated);

  Writer w(lim);
  w.str("abcd");
  EXPECT_FALSE(w.ok());
  EXPECT_EQ(w.failure().kind, CodecError::kLengthLimit);
  Writer w2;
  w2.str("\xff");
  auto res = std::move(w2).finish();
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.code(), ErrorCode::kMalformed);
}

}  // namespace
}  // namespace formica::codec
