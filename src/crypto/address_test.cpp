#include "formica/crypto/address.h"

#include <gtest/gtest.h>

#include <set>

#include "test_vectors.h"

namespace formica::crypto {
namespace {

TEST(Address, TextRoundTripAndFormat) {
  for (Scheme s : kAllSchemes) {
    PrivateKey key = PrivateKey::generate(s);
    Address a = Address::of(key.public_key());
    EXPECT_EQ(a.scheme(), s);
    std::string text = a.to_string();
    EXPECT_EQ(text.size(), kAddressTextLength);
    EXPECT_EQ(text.substr(0, 3), "fm" + std::to_string(static_cast<int>(s)));
    auto back = Address::parse(text);
    ASSERT_TRUE(back.ok()) << back.error().to_string();
    EXPECT_EQ(*back, a);
    auto bin = Address::from_bytes(a.to_bytes());
    ASSERT_TRUE(bin.ok());
    EXPECT_EQ(*bin, a);
  }
}

TEST(Address, PinnedValue) {
  // Format stability: the address of a fixed Ed25519 key (RFC 8032 TEST 1) must not change.
  auto key = PublicKey::from_bytes(
      Scheme::kEd25519, testing::unhex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"));
  ASSERT_TRUE(key.ok());
  EXPECT_EQ(Address::of(*key).to_string(), "fm1cba12ded2d4ee23c53117c71660b5b1e899429bb60fca6d0");
}

TEST(Address, SameBytesDifferentSchemesNeverCollide) {
  // SM2 and secp256k1 keys are both 65-byte points; even the same bytes (were they valid on
  // both curves) give different addresses, because the scheme is hashed and carried.
  PrivateKey k = PrivateKey::generate(Scheme::kSecp256k1);
  Address a = Address::of(k.public_key());
  auto bytes = a.to_bytes();
  bytes[0] = static_cast<std::uint8_t>(Scheme::kSm2);
  auto b = Address::from_bytes(bytes);
  ASSERT_TRUE(b.ok());
  EXPECT_NE(*b, a);
  EXPECT_NE(b->to_string(), a.to_string());
  std::set<Address> seen;
  for (int i = 0; i < 30; ++i)
    seen.insert(Address::of(PrivateKey::generate(kAllSchemes[i % 3]).public_key()));
  EXPECT_EQ(seen.size(), 30u);
}

TEST(Address, ParserRejectsMistakes) {
  std::string good = Address::of(PrivateKey::generate(Scheme::kEd25519).public_key()).to_string();
  EXPECT_TRUE(Address::parse(good).ok());
  // Every single-character change is caught (format, case, or checksum).
  for (std::size_t i = 0; i < good.size(); ++i) {
    std::string bad = good;
    bad[i] = bad[i] == '1' ? '2' : '1';
    EXPECT_FALSE(Address::parse(bad).ok()) << i;
  }
  std::string upper = good;
  upper[10] = static_cast<char>(std::toupper(upper[10]));
  if (upper != good) {
    EXPECT_FALSE(Address::parse(upper).ok());
  }
  EXPECT_FALSE(Address::parse("").ok());
  EXPECT_FALSE(Address::parse(good.substr(1)).ok());
  EXPECT_FALSE(Address::parse(good + "0").ok());
  std::string unknown = good;
  unknown[2] = '9';
  EXPECT_FALSE(Address::parse(unknown).ok());
  EXPECT_EQ(Address::from_bytes(Bytes(20, 1)).code(), ErrorCode::kMalformed);
  Bytes zero_scheme(21, 0);
  EXPECT_EQ(Address::from_bytes(zero_scheme).code(), ErrorCode::kUnsupported);
}

}  // namespace
}  // namespace formica::crypto
