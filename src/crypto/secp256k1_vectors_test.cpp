// ECDSA secp256k1 against Wycheproof's Bitcoin file (ecdsa_secp256k1_sha256_bitcoin_test.json):
// low-S enforced, so high-S signatures that the generic files call "valid" are "invalid" here.
// Every signature in that file is ASN.1 DER. Formica's wire form is the 64-byte r || s, so each
// vector is converted: a signature that is not strict DER (BER length forms, extra zeros,
// trailing bytes, out-of-range integers) has no r || s form and must come out invalid; a
// strict DER one is converted with libsecp256k1 and checked with crypto::verify.

#include <gtest/gtest.h>
#include <secp256k1.h>

#include "formica/crypto/signature.h"
#include "test_vectors.h"

namespace formica::crypto {
namespace {

using testing::read_json;
using testing::unhex;

// Strict DER -> r || s, or nullopt. Strictness: libsecp256k1 parses, re-serialising gives back
// exactly the input.
std::optional<Bytes> der_to_compact(const secp256k1_context* ctx, const Bytes& der) {
  secp256k1_ecdsa_signature sig;
  if (der.empty() || secp256k1_ecdsa_signature_parse_der(ctx, &sig, der.data(), der.size()) != 1)
    return std::nullopt;
  std::array<std::uint8_t, 80> again{};
  std::size_t len = again.size();
  if (secp256k1_ecdsa_signature_serialize_der(ctx, again.data(), &len, &sig) != 1 || len != der.size() ||
      !std::equal(der.begin(), der.end(), again.begin()))
    return std::nullopt;
  Bytes compact(64);
  secp256k1_ecdsa_signature_serialize_compact(ctx, compact.data(), &sig);
  return compact;
}

TEST(Secp256k1Vectors, WycheproofBitcoinEveryVectorGivesItsVerdict) {
  secp256k1_context* ctx = secp256k1_context_create(SECP256K1_CONTEXT_VERIFY);
  auto doc = read_json("wycheproof_ecdsa_secp256k1_sha256_bitcoin_test.json");
  int count = 0, valid = 0, not_der = 0;
  for (const auto& group : doc["testGroups"]) {
    ASSERT_EQ(group["type"], "EcdsaBitcoinVerify");
    ASSERT_EQ(group["sha"], "SHA-256");
    auto key = PublicKey::from_bytes(Scheme::kSecp256k1,
                                     unhex(group["publicKey"]["uncompressed"].get<std::string>()));
    ASSERT_TRUE(key.ok()) << "every group key in this file is a valid point";
    for (const auto& t : group["tests"]) {
      std::string result = t["result"];
      ASSERT_NE(result, "acceptable");
      auto compact = der_to_compact(ctx, unhex(t["sig"].get<std::string>()));
      bool ok = false;
      if (!compact) {
        ++not_der;
      } else {
        ok = verify(*key, unhex(t["msg"].get<std::string>()), *compact);
        // The 64-byte form is well-formed whenever DER parsing succeeded with r, s < n.
        if (ok) {
          EXPECT_TRUE(check_signature_encoding(Scheme::kSecp256k1, *compact).ok());
        }
      }
      EXPECT_EQ(ok, result == "valid") << "tcId " << t["tcId"] << " " << t["comment"];
      valid += ok;
      ++count;
    }
  }
  secp256k1_context_destroy(ctx);
  EXPECT_EQ(count, doc["numberOfTests"].get<int>());
  EXPECT_GT(valid, 100);
  EXPECT_GT(not_der, 50);
}

}  // namespace
}  // namespace formica::crypto
