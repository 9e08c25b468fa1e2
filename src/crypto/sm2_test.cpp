// SM2 (GB/T 32918) checks: OpenSSL's SM2 vectors, the distinguishing ID computed independently
// here, refusal of OpenSSL 3.0's empty-ID signatures, and a cross-check against Botan 2 in
// both directions (Botan signs -> Formica verifies; Formica signs -> Botan verifies).

#include <gtest/gtest.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <botan/auto_rng.h>
#include <botan/bigint.h>
#include <botan/ec_group.h>
#include <botan/pubkey.h>
#include <botan/sm2.h>

#include "formica/crypto/hash.h"
#include "formica/crypto/signature.h"
#include "private_key_impl.h"
#include "test_vectors.h"

namespace formica::crypto {
namespace {

using testing::parse_evp_stanzas;
using testing::read_vector_file;
using testing::unhex;

// Recommended curve parameters (GB/T 32918.5), for computing Z by hand.
const char* kA = "fffffffeffffffffffffffffffffffffffffffff00000000fffffffffffffffc";
const char* kB = "28e9fa9e9d9f5e344d5a9e4bcf6509a7f39789f515ab8f92ddbcbd414d940e93";
const char* kGx = "32c4ae2c1f1981195f9904466a39c9948fe30bbff2660be1715a4589334c74c7";
const char* kGy = "bc3736a2f4f6779c59bdcee36b692153d0a9877cc62a474002df32e52139f0a0";

// Z = SM3(ENTL || ID || a || b || xG || yG || xA || yA), ENTL = bit length of ID (2 bytes).
Hash32 compute_z(std::string_view id, ByteView pub65) {
  Bytes in;
  std::size_t bits = id.size() * 8;
  in.push_back(static_cast<std::uint8_t>(bits >> 8));
  in.push_back(static_cast<std::uint8_t>(bits));
  base::append(in, as_bytes(id));
  for (const char* h : {kA, kB, kGx, kGy}) base::append(in, unhex(h));
  base::append(in, pub65.subspan(1));
  return sm3(in);
}

Hash32 digest_e(std::string_view id, ByteView pub65, ByteView msg) {
  Hash32 z = compute_z(id, pub65);
  return sm3(base::concat(z, msg));
}

struct PemKey {
  Bytes secret;
  Bytes pub;
};

PemKey load_pem(const std::string& pem) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  EVP_PKEY* pkey = PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  PemKey out;
  if (pkey == nullptr) return out;
  BIGNUM* d = nullptr;
  if (EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_PRIV_KEY, &d) == 1) {
    out.secret.resize(32);
    BN_bn2binpad(d, out.secret.data(), 32);
    BN_clear_free(d);
  }
  out.pub.resize(65);
  std::size_t len = 0;
  if (EVP_PKEY_get_octet_string_param(pkey, OSSL_PKEY_PARAM_PUB_KEY, out.pub.data(), out.pub.size(), &len) !=
      1)
    out.pub.clear();
  EVP_PKEY_free(pkey);
  return out;
}

TEST(Sm2, OpenSslVectorsKeyAndSignatures) {
  auto stanzas = parse_evp_stanzas(read_vector_file("evppkey_sm2.txt"));
  PemKey key;
  int verified = 0;
  for (const auto& s : stanzas) {
    if (s.count("PrivateKey") && s.at("PrivateKey") == "SM2_key1") key = load_pem(s.at("PEM"));
    if (!s.count("Verify") || s.at("Ctrl") != "digest:SM3") continue;
    ASSERT_EQ(key.pub.size(), 65u);
    Bytes e = unhex(s.at("Input"));
    Bytes sig = unhex(s.at("Output"));
    EXPECT_TRUE(check_signature_encoding(Scheme::kSm2, sig).ok());
    EXPECT_TRUE(detail::sm2_verify_digest(key.pub, e, sig));
    e[5] ^= 0x10;
    EXPECT_FALSE(detail::sm2_verify_digest(key.pub, e, sig));
    ++verified;
  }
  EXPECT_EQ(verified, 2);
  // Our derivation of the public key from the standard key's scalar matches the file's.
  auto ours = PrivateKey::from_secret(Scheme::kSm2, key.secret);
  ASSERT_TRUE(ours.ok());
  EXPECT_EQ(to_bytes(ours->public_key().bytes()), key.pub);
}

TEST(Sm2, SignsOverZWithTheDefaultIdComputedIndependently) {
  PrivateKey key = PrivateKey::generate(Scheme::kSm2);
  Bytes msg = to_bytes("message digest");
  Bytes sig = sign(key, msg);
  ByteView pub = key.public_key().bytes();
  EXPECT_TRUE(detail::sm2_verify_digest(pub, digest_e("1234567812345678", pub, msg), sig));
  EXPECT_FALSE(detail::sm2_verify_digest(pub, digest_e("", pub, msg), sig));
  EXPECT_FALSE(detail::sm2_verify_digest(pub, digest_e("1234567812345679", pub, msg), sig));
}

TEST(Sm2, EmptyIdSignaturesFromPlainOpenSslAreRefused) {
  // What OpenSSL 3.0 does when no ID is set: Z over an empty ID. Formica must not accept it.
  PrivateKey key = PrivateKey::generate(Scheme::kSm2);
  Bytes msg = to_bytes("no id");
  EVP_MD_CTX* md = EVP_MD_CTX_new();
  ASSERT_EQ(EVP_DigestSignInit_ex(md, nullptr, "SM3", nullptr, nullptr, key.impl_for_backend()->sm2, nullptr),
            1);
  Bytes sig(72);
  std::size_t len = sig.size();
  ASSERT_EQ(EVP_DigestSign(md, sig.data(), &len, msg.data(), msg.size()), 1);
  EVP_MD_CTX_free(md);
  sig.resize(len);
  EXPECT_TRUE(
      detail::sm2_verify_digest(key.public_key().bytes(), digest_e("", key.public_key().bytes(), msg), sig));
  EXPECT_FALSE(verify(key.public_key(), msg, sig));
}

TEST(Sm2, NonDerSignaturesAreMalformed) {
  PrivateKey key = PrivateKey::generate(Scheme::kSm2);
  Bytes sig = sign(key, as_bytes("m"));
  Bytes ber = sig;  // long-form length: BER, not DER
  ber.insert(ber.begin() + 1, 0x81);
  EXPECT_EQ(check_signature_encoding(Scheme::kSm2, ber).code(), ErrorCode::kMalformed);
  EXPECT_FALSE(verify(key.public_key(), as_bytes("m"), ber));
  Bytes trailing = sig;
  trailing.push_back(0);
  EXPECT_EQ(check_signature_encoding(Scheme::kSm2, trailing).code(), ErrorCode::kMalformed);
  EXPECT_EQ(check_signature_encoding(Scheme::kSm2, Bytes(64, 1)).code(), ErrorCode::kMalformed);
}

// --- Botan 2 cross-check ---------------------------------------------------------------------

const char* kBotanParams = "1234567812345678,SM3";  // Botan's default ID, stated explicitly

TEST(Sm2, BotanSignsFormicaVerifies) {
  Botan::AutoSeeded_RNG rng;
  Botan::EC_Group group("sm2p256v1");
  for (int i = 0; i < 8; ++i) {
    Botan::SM2_PrivateKey bkey(rng, group);
    std::vector<std::uint8_t> pub = bkey.public_point().encode(Botan::PointGFp::UNCOMPRESSED);
    auto key = PublicKey::from_bytes(Scheme::kSm2, pub);
    ASSERT_TRUE(key.ok());
    Botan::PK_Signer signer(bkey, rng, kBotanParams, Botan::DER_SEQUENCE);
    std::string msg = "botan message " + std::to_string(i);
    auto sig = signer.sign_message(reinterpret_cast<const std::uint8_t*>(msg.data()), msg.size(), rng);
    EXPECT_TRUE(verify(*key, as_bytes(msg), Bytes(sig.begin(), sig.end()))) << i;
    EXPECT_FALSE(verify(*key, as_bytes(msg + "!"), Bytes(sig.begin(), sig.end())));
    // Same secret on our side derives the same public key.
    Botan::secure_vector<std::uint8_t> secret =
        Botan::BigInt::encode_1363(bkey.private_value(), 32);  // zeroed
    auto ours = PrivateKey::from_secret(Scheme::kSm2, secret);
    ASSERT_TRUE(ours.ok());
    EXPECT_EQ(ours->public_key(), *key);
  }
}

TEST(Sm2, FormicaSignsBotanVerifies) {
  Botan::AutoSeeded_RNG rng;
  Botan::EC_Group group("sm2p256v1");
  for (int i = 0; i < 8; ++i) {
    PrivateKey key = PrivateKey::generate(Scheme::kSm2);
    ByteView pub = key.public_key().bytes();
    Botan::SM2_PublicKey bpub(group, group.OS2ECP(pub.data(), pub.size()));
    Botan::PK_Verifier verifier(bpub, kBotanParams, Botan::DER_SEQUENCE);
    std::string msg = "formica message " + std::to_string(i);
    Bytes sig = sign(key, as_bytes(msg));
    EXPECT_TRUE(verifier.verify_message(reinterpret_cast<const std::uint8_t*>(msg.data()), msg.size(),
                                        sig.data(), sig.size()))
        << i;
    Botan::PK_Verifier other_id(bpub, "1234567812345679,SM3", Botan::DER_SEQUENCE);
    EXPECT_FALSE(other_id.verify_message(reinterpret_cast<const std::uint8_t*>(msg.data()), msg.size(),
                                         sig.data(), sig.size()));
  }
}

}  // namespace
}  // namespace formica::crypto
