// SM4-GCM against RFC 8998's vector (OpenSSL's evp test file) and every Wycheproof SM4-GCM
// vector, plus the seal/open contract.

#include "formica/crypto/sm4.h"

#include <gtest/gtest.h>

#include "test_vectors.h"

namespace formica::crypto {
namespace {

using testing::parse_evp_stanzas;
using testing::read_json;
using testing::read_vector_file;
using testing::unhex;

TEST(Sm4, Rfc8998GcmVectorFromOpenSsl) {
  int n = 0;
  for (const auto& s : parse_evp_stanzas(read_vector_file("evpciph_sm4.txt"))) {
    if (!s.count("Cipher") || s.at("Cipher") != "SM4-GCM") continue;
    Bytes key = unhex(s.at("Key")), iv = unhex(s.at("IV")), aad = unhex(s.at("AAD"));
    Bytes expect = base::concat(unhex(s.at("Ciphertext")), unhex(s.at("Tag")));
    auto ct = sm4::gcm_encrypt(key, iv, unhex(s.at("Plaintext")), aad);
    ASSERT_TRUE(ct.ok());
    EXPECT_EQ(*ct, expect);
    auto pt = sm4::gcm_decrypt(key, iv, expect, aad);
    ASSERT_TRUE(pt.ok());
    EXPECT_EQ(*pt, unhex(s.at("Plaintext")));
    ++n;
  }
  EXPECT_EQ(n, 1);
}

// Formica's SM4-GCM takes 96-bit IVs only (sm4.h). Every Wycheproof vector with a 96-bit IV
// gives its verdict; every vector with another IV length is refused as kInvalidArgument, for
// encryption and decryption alike (among them the two ZeroLengthIv vectors, which are invalid).
TEST(Sm4, WycheproofGcmEveryVectorGivesItsVerdict) {
  auto doc = read_json("wycheproof_sm4_gcm_test.json");
  int count = 0, iv96 = 0;
  for (const auto& group : doc["testGroups"]) {
    ASSERT_EQ(group["tagSize"].get<int>(), 128);
    for (const auto& t : group["tests"]) {
      std::string result = t["result"];
      ASSERT_NE(result, "acceptable");
      Bytes key = unhex(t["key"]), iv = unhex(t["iv"]), aad = unhex(t["aad"]), msg = unhex(t["msg"]);
      Bytes sealed = base::concat(unhex(t["ct"]), unhex(t["tag"]));
      auto pt = sm4::gcm_decrypt(key, iv, sealed, aad);
      auto ct = sm4::gcm_encrypt(key, iv, msg, aad);
      ++count;
      if (iv.size() != sm4::kNonceBytes) {
        EXPECT_EQ(pt.code(), ErrorCode::kInvalidArgument) << "tcId " << t["tcId"];
        EXPECT_EQ(ct.code(), ErrorCode::kInvalidArgument) << "tcId " << t["tcId"];
        continue;
      }
      ++iv96;
      if (result == "valid") {
        ASSERT_TRUE(pt.ok()) << "tcId " << t["tcId"];
        EXPECT_EQ(*pt, msg) << "tcId " << t["tcId"];
        ASSERT_TRUE(ct.ok());
        EXPECT_EQ(*ct, sealed) << "tcId " << t["tcId"];
      } else {
        EXPECT_EQ(pt.code(), ErrorCode::kVerificationFailed) << "tcId " << t["tcId"] << " " << t["comment"];
      }
    }
  }
  EXPECT_EQ(count, doc["numberOfTests"].get<int>());
  EXPECT_EQ(iv96, 65);
}

TEST(Sm4, SealOpen) {
  Bytes key(sm4::kKeyBytes, 7);
  Bytes msg = to_bytes("state snapshot");
  auto sealed = sm4::seal(key, msg, as_bytes("block 42"));
  ASSERT_TRUE(sealed.ok());
  EXPECT_EQ(sealed->size(), msg.size() + sm4::kNonceBytes + sm4::kTagBytes);
  EXPECT_NE(*sealed, *sm4::seal(key, msg, as_bytes("block 42")));  // fresh nonce each time
  auto opened = sm4::open(key, *sealed, as_bytes("block 42"));
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(*opened, msg);
  EXPECT_EQ(sm4::open(key, *sealed, as_bytes("block 43")).code(), ErrorCode::kVerificationFailed);
  Bytes tampered = *sealed;
  tampered[sm4::kNonceBytes] ^= 1;
  EXPECT_EQ(sm4::open(key, tampered, as_bytes("block 42")).code(), ErrorCode::kVerificationFailed);
  Bytes other_key(sm4::kKeyBytes, 8);
  EXPECT_EQ(sm4::open(other_key, *sealed, as_bytes("block 42")).code(), ErrorCode::kVerificationFailed);
  EXPECT_EQ(sm4::open(key, ByteView(*sealed).first(27)).code(), ErrorCode::kMalformed);
  EXPECT_EQ(sm4::seal(Bytes(15, 0), msg).code(), ErrorCode::kInvalidArgument);
  EXPECT_TRUE(sm4::open(key, *sm4::seal(key, {})).ok());  // empty plaintext
}

}  // namespace
}  // namespace formica::crypto
