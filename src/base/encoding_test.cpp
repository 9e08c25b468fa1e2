#include "formica/base/encoding.h"

#include <gtest/gtest.h>

#include <random>

namespace formica::base {
namespace {

TEST(Hex, RoundTripAndCase) {
  Bytes b{0x00, 0x01, 0xab, 0xff};
  EXPECT_EQ(to_hex(b), "0001abff");
  EXPECT_EQ(*from_hex("0001ABFF"), b);
  EXPECT_EQ(*from_hex("0x0001abff"), b);
  EXPECT_TRUE(from_hex("").ok());
}

TEST(Hex, RejectsMalformed) {
  EXPECT_EQ(from_hex("abc").code(), ErrorCode::kMalformed);
  EXPECT_EQ(from_hex("zz").code(), ErrorCode::kMalformed);
  EXPECT_EQ(from_hex("0g").code(), ErrorCode::kMalformed);
}

// RFC 4648 §10 test vectors.
TEST(Base64, Rfc4648Vectors) {
  const char* in[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
  const char* out[] = {"", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"};
  for (int i = 0; i < 7; ++i) {
    EXPECT_EQ(to_base64(as_bytes(in[i])), out[i]);
    auto back = from_base64(out[i]);
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(as_chars(*back), in[i]);
  }
}

TEST(Base64, RejectsNonCanonical) {
  EXPECT_FALSE(from_base64("Zh==").ok());   // trailing bits set
  EXPECT_FALSE(from_base64("Zg=").ok());    // bad length
  EXPECT_FALSE(from_base64("Z===").ok());   // too much padding
  EXPECT_FALSE(from_base64("Zm9v!").ok());  // bad char
  EXPECT_FALSE(from_base64url("Z").ok());
}

TEST(Base64, RandomRoundTrips) {
  std::mt19937 rng(1);
  for (int n = 0; n < 200; ++n) {
    Bytes b(n);
    for (auto& x : b) x = static_cast<std::uint8_t>(rng());
    EXPECT_EQ(*from_base64(to_base64(b)), b);
    EXPECT_EQ(*from_base64url(to_base64url(b)), b);
    EXPECT_EQ(*from_hex(to_hex(b)), b);
  }
}

}  // namespace
}  // namespace formica::base
