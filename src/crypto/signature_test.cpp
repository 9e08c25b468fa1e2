// The scheme-independent contract of signature.h, checked for every scheme.

#include "formica/crypto/signature.h"

#include <gtest/gtest.h>

#include "formica/base/encoding.h"
#include "formica/crypto/hash.h"
#include "test_vectors.h"

namespace formica::crypto {
namespace {

using testing::unhex;

class EveryScheme : public ::testing::TestWithParam<Scheme> {};

TEST_P(EveryScheme, SignVerifyRoundTrip) {
  PrivateKey key = PrivateKey::generate(GetParam());
  EXPECT_EQ(key.scheme(), GetParam());
  EXPECT_EQ(key.public_key().bytes().size(), public_key_size(GetParam()));
  Bytes msg = to_bytes("pay 10 CNY to org1");
  Bytes sig = sign(key, msg);
  EXPECT_TRUE(check_signature_encoding(GetParam(), sig).ok());
  EXPECT_TRUE(verify(key.public_key(), msg, sig));
  EXPECT_TRUE(verify(key.public_key(), {}, sign(key, {})));  // empty message

  Bytes other_msg = msg;
  other_msg.back() ^= 1;
  EXPECT_FALSE(verify(key.public_key(), other_msg, sig));
  PrivateKey other = PrivateKey::generate(GetParam());
  EXPECT_FALSE(verify(other.public_key(), msg, sig));
  // Every single-bit flip of the signature is refused (or makes it malformed).
  for (std::size_t i = 0; i < sig.size(); ++i) {
    Bytes bad = sig;
    bad[i] ^= static_cast<std::uint8_t>(1u << (i % 8));
    EXPECT_FALSE(verify(key.public_key(), msg, bad)) << "byte " << i;
  }
  // Truncated and extended signatures are refused.
  EXPECT_FALSE(verify(key.public_key(), msg, ByteView(sig).first(sig.size() - 1)));
  Bytes longer = sig;
  longer.push_back(0);
  EXPECT_FALSE(verify(key.public_key(), msg, longer));
  EXPECT_FALSE(verify(key.public_key(), msg, {}));
}

TEST_P(EveryScheme, SecretRoundTripDerivesTheSamePublicKey) {
  PrivateKey key = PrivateKey::generate(GetParam());
  auto again = PrivateKey::from_secret(GetParam(), key.expose_secret());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->public_key(), key.public_key());
  Bytes sig = sign(*again, as_bytes("m"));
  EXPECT_TRUE(verify(key.public_key(), as_bytes("m"), sig));
  // A moved-from key's secret is gone; the moved-to key signs.
  PrivateKey moved = std::move(key);
  EXPECT_TRUE(verify(moved.public_key(), as_bytes("x"), sign(moved, as_bytes("x"))));
}

TEST_P(EveryScheme, MalformedInputsAreErrorsNotCrashes) {
  Scheme s = GetParam();
  EXPECT_EQ(PublicKey::from_bytes(s, {}).code(), ErrorCode::kMalformed);
  EXPECT_EQ(PublicKey::from_bytes(s, Bytes(public_key_size(s) + 1, 4)).code(), ErrorCode::kMalformed);
  EXPECT_EQ(PrivateKey::from_secret(s, Bytes(31, 1)).code(), ErrorCode::kMalformed);
  EXPECT_FALSE(check_signature_encoding(s, {}).ok());
  EXPECT_FALSE(check_signature_encoding(s, Bytes(200, 0x30)).ok());
  PrivateKey key = PrivateKey::generate(s);
  EXPECT_FALSE(verify(key.public_key(), as_bytes("m"), Bytes(64, 0)));
  EXPECT_FALSE(verify(key.public_key(), as_bytes("m"), Bytes(64, 0xff)));
}

INSTANTIATE_TEST_SUITE_P(Signature, EveryScheme,
                         ::testing::Values(Scheme::kEd25519, Scheme::kSm2, Scheme::kSecp256k1),
                         [](const ::testing::TestParamInfo<Scheme>& p) {
                           return std::string(scheme_name(p.param));
                         });

TEST(Signature, SchemeNamesAndIdsAreStable) {
  EXPECT_EQ(static_cast<int>(Scheme::kEd25519), 1);
  EXPECT_EQ(static_cast<int>(Scheme::kSm2), 2);
  EXPECT_EQ(static_cast<int>(Scheme::kSecp256k1), 3);
  for (Scheme s : kAllSchemes) {
    EXPECT_EQ(*parse_scheme(scheme_name(s)), s);
    EXPECT_EQ(*scheme_from_id(static_cast<std::uint8_t>(s)), s);
  }
  EXPECT_EQ(parse_scheme("ED25519").code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(scheme_from_id(0).code(), ErrorCode::kUnsupported);
  EXPECT_EQ(scheme_from_id(4).code(), ErrorCode::kUnsupported);
}

TEST(Signature, ScalarRangesAreEnforced) {
  Bytes zero(32, 0);
  for (Scheme s : {Scheme::kSm2, Scheme::kSecp256k1}) EXPECT_FALSE(PrivateKey::from_secret(s, zero).ok());
  EXPECT_TRUE(PrivateKey::from_secret(Scheme::kEd25519, zero).ok());  // any seed is a key
  // secp256k1: n is refused, n - 1 accepted.
  Bytes n = unhex("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141");
  EXPECT_FALSE(PrivateKey::from_secret(Scheme::kSecp256k1, n).ok());
  n.back() -= 1;
  EXPECT_TRUE(PrivateKey::from_secret(Scheme::kSecp256k1, n).ok());
  // SM2: d must be in [1, n-2]; n - 1 is refused because signing inverts 1 + d.
  Bytes sm2_n = unhex("fffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123");
  sm2_n.back() -= 1;
  EXPECT_FALSE(PrivateKey::from_secret(Scheme::kSm2, sm2_n).ok());
  sm2_n.back() -= 1;
  EXPECT_TRUE(PrivateKey::from_secret(Scheme::kSm2, sm2_n).ok());
}

TEST(Signature, UncompressedPointsOnTheCurveOnly) {
  for (Scheme s : {Scheme::kSm2, Scheme::kSecp256k1}) {
    PrivateKey key = PrivateKey::generate(s);
    Bytes pub = to_bytes(key.public_key().bytes());
    ASSERT_TRUE(pub.size() == 65 && pub[0] == 0x04);
    Bytes off = pub;
    off.back() ^= 1;  // y no longer matches x
    EXPECT_EQ(PublicKey::from_bytes(s, off).code(), ErrorCode::kMalformed) << scheme_name(s);
    Bytes hybrid = pub;
    hybrid[0] = static_cast<std::uint8_t>(0x06 | (pub.back() & 1));  // SEC1 "hybrid" form
    EXPECT_EQ(PublicKey::from_bytes(s, hybrid).code(), ErrorCode::kMalformed) << scheme_name(s);
    EXPECT_EQ(PublicKey::from_bytes(s, Bytes(65, 0)).code(), ErrorCode::kMalformed);
  }
}

TEST(Secp256k1, SignaturesAreDeterministicLowSAndHighSIsRefused) {
  PrivateKey key = PrivateKey::generate(Scheme::kSecp256k1);
  Bytes msg = to_bytes("low-s");
  Bytes sig = sign(key, msg);
  EXPECT_EQ(sig, sign(key, msg));  // RFC 6979
  // s' = n - s verifies under plain ECDSA but is refused by the low-S rule.
  Bytes n = unhex("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141");
  Bytes high = sig;
  int borrow = 0;
  for (int i = 31; i >= 0; --i) {
    int d = n[i] - sig[32 + i] - borrow;
    borrow = d < 0;
    high[32 + i] = static_cast<std::uint8_t>(d + (borrow ? 256 : 0));
  }
  EXPECT_TRUE(verify(key.public_key(), msg, sig));
  EXPECT_TRUE(check_signature_encoding(Scheme::kSecp256k1, high).ok());  // well-formed ...
  EXPECT_FALSE(verify(key.public_key(), msg, high));                     // ... but refused
}

TEST(Secp256k1, PublicKeyRecovery) {
  PrivateKey key = PrivateKey::generate(Scheme::kSecp256k1);
  Bytes msg = to_bytes("recover me");
  auto rsig = sign_recoverable(key, msg);
  ASSERT_TRUE(rsig.ok());
  ASSERT_EQ(rsig->size(), kSecp256k1RecoverableSignatureBytes);
  EXPECT_EQ(Bytes(rsig->begin(), rsig->begin() + 64), sign(key, msg));
  auto pub = recover_public_key(msg, *rsig);
  ASSERT_TRUE(pub.ok()) << pub.error().to_string();
  EXPECT_EQ(*pub, key.public_key());
  // Another message recovers another key (or none), never this one.
  auto other = recover_public_key(as_bytes("other"), *rsig);
  EXPECT_TRUE(!other.ok() || !(*other == key.public_key()));
  Bytes bad_v = *rsig;
  bad_v[64] = 4;
  EXPECT_EQ(recover_public_key(msg, bad_v).code(), ErrorCode::kMalformed);
  EXPECT_EQ(recover_public_key(msg, Bytes(64, 1)).code(), ErrorCode::kMalformed);
  EXPECT_EQ(sign_recoverable(PrivateKey::generate(Scheme::kEd25519), msg).code(), ErrorCode::kUnsupported);
}

TEST(Secp256k1, KnownKeyDerivation) {
  // d = 1 gives the generator G.
  Bytes one(32, 0);
  one.back() = 1;
  auto key = PrivateKey::from_secret(Scheme::kSecp256k1, one);
  ASSERT_TRUE(key.ok());
  EXPECT_EQ(key->public_key().to_hex(),
            "0479be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798"
            "483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8");
}

}  // namespace
}  // namespace formica::crypto
