// Encrypted key files: round trip per scheme, and clean typed errors for wrong passwords,
// truncation, corruption and hostile parameters. Tests use libsodium's minimum KDF cost.

#include "formica/crypto/keyfile.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "formica/base/encoding.h"
#include "formica/crypto/address.h"

namespace formica::crypto {
namespace {

const KdfParams kFast = KdfParams::minimum();

std::string make_file(Scheme s, PrivateKey* out = nullptr) {
  PrivateKey key = PrivateKey::generate(s);
  auto text = encrypt_key_file(key, "correct horse", kFast);
  EXPECT_TRUE(text.ok());
  if (out != nullptr) *out = std::move(key);
  return text.ok() ? *text : std::string();
}

TEST(KeyFile, RoundTripEveryScheme) {
  for (Scheme s : kAllSchemes) {
    PrivateKey key = PrivateKey::generate(s);
    auto text = encrypt_key_file(key, "correct horse", kFast);
    ASSERT_TRUE(text.ok());
    auto parsed = parse_key_file(as_bytes(*text));
    ASSERT_TRUE(parsed.ok()) << parsed.error().to_string();
    EXPECT_EQ(parsed->scheme, s);
    EXPECT_EQ(parsed->kdf, kFast);
    EXPECT_EQ(serialize_key_file(*parsed), *text);  // one text per content
    auto back = decrypt_key_file(as_bytes(*text), "correct horse");
    ASSERT_TRUE(back.ok()) << back.error().to_string();
    EXPECT_EQ(back->public_key(), key.public_key());
    EXPECT_TRUE(
        std::equal(key.expose_secret().begin(), key.expose_secret().end(), back->expose_secret().begin()));
    // The file names the public key and address, and never the secret.
    auto doc = nlohmann::json::parse(*text);
    EXPECT_EQ(doc["public_key"], key.public_key().to_hex());
    EXPECT_EQ(doc["address"], Address::of(key.public_key()).to_string());
    EXPECT_EQ(text->find(base::to_hex(key.expose_secret())), std::string::npos);
  }
}

TEST(KeyFile, WrongPasswordIsAVerificationFailure) {
  std::string text = make_file(Scheme::kEd25519);
  EXPECT_EQ(decrypt_key_file(as_bytes(text), "correct hors").code(), ErrorCode::kVerificationFailed);
  EXPECT_EQ(decrypt_key_file(as_bytes(text), "").code(), ErrorCode::kVerificationFailed);
  EXPECT_EQ(encrypt_key_file(PrivateKey::generate(Scheme::kSm2), "", kFast).code(),
            ErrorCode::kInvalidArgument);
}

TEST(KeyFile, EveryTruncationIsMalformed) {
  std::string text = make_file(Scheme::kSecp256k1);
  // Cutting anywhere before the closing brace leaves something that is not a key file.
  std::size_t last_brace = text.rfind('}');
  for (std::size_t n = 0; n < last_brace; n += 7) {
    auto r = decrypt_key_file(as_bytes(std::string_view(text).substr(0, n)), "correct horse");
    ASSERT_FALSE(r.ok()) << n;
    EXPECT_EQ(r.code(), ErrorCode::kMalformed) << n << ": " << r.error().to_string();
  }
}

TEST(KeyFile, CorruptedCiphertextAndBoundFieldsFailToDecrypt) {
  std::string text = make_file(Scheme::kSm2);
  auto doc = nlohmann::json::parse(text);
  auto flip_hex = [](std::string h) {
    h[4] = h[4] == '0' ? '1' : '0';
    return h;
  };
  for (const char* field : {"ciphertext", "nonce"}) {
    auto bad = doc;
    bad["cipher"][field] = flip_hex(bad["cipher"][field]);
    EXPECT_EQ(decrypt_key_file(as_bytes(bad.dump()), "correct horse").code(), ErrorCode::kVerificationFailed)
        << field;
  }
  auto bad_salt = doc;
  bad_salt["kdf"]["salt"] = flip_hex(bad_salt["kdf"]["salt"]);
  EXPECT_EQ(decrypt_key_file(as_bytes(bad_salt.dump()), "correct horse").code(),
            ErrorCode::kVerificationFailed);
  // Raising the KDF cost (bound as associated data) also breaks decryption.
  auto bad_ops = doc;
  bad_ops["kdf"]["opslimit"] = 2;
  EXPECT_EQ(decrypt_key_file(as_bytes(bad_ops.dump()), "correct horse").code(),
            ErrorCode::kVerificationFailed);
  // Swapping in another public key (and its matching address) is caught.
  PrivateKey other = PrivateKey::generate(Scheme::kSm2);
  auto swapped = doc;
  swapped["public_key"] = other.public_key().to_hex();
  swapped["address"] = Address::of(other.public_key()).to_string();
  EXPECT_EQ(decrypt_key_file(as_bytes(swapped.dump()), "correct horse").code(),
            ErrorCode::kVerificationFailed);
}

TEST(KeyFile, MalformedAndUnsupportedFieldsAreTyped) {
  std::string text = make_file(Scheme::kEd25519);
  auto doc = nlohmann::json::parse(text);
  auto code_of = [](const nlohmann::json& j) { return parse_key_file(as_bytes(j.dump())).code(); };
  auto with = [&](auto edit) {
    auto j = doc;
    edit(j);
    return code_of(j);
  };
  EXPECT_EQ(with([](auto& j) { j["version"] = 2; }), ErrorCode::kUnsupported);
  EXPECT_EQ(with([](auto& j) { j["scheme"] = "rsa"; }), ErrorCode::kUnsupported);
  EXPECT_EQ(with([](auto& j) { j["kdf"]["alg"] = "scrypt"; }), ErrorCode::kUnsupported);
  EXPECT_EQ(with([](auto& j) { j["cipher"]["alg"] = "aes-gcm"; }), ErrorCode::kUnsupported);
  EXPECT_EQ(with([](auto& j) { j["kdf"]["memlimit"] = 1ull << 40; }), ErrorCode::kUnsupported);  // DoS guard
  EXPECT_EQ(with([](auto& j) { j["kdf"]["opslimit"] = 1000; }), ErrorCode::kUnsupported);
  EXPECT_EQ(with([](auto& j) { j["kdf"]["opslimit"] = -1; }), ErrorCode::kMalformed);
  EXPECT_EQ(with([](auto& j) { j["kdf"]["salt"] = "00"; }), ErrorCode::kMalformed);
  EXPECT_EQ(with([](auto& j) { j["cipher"]["nonce"] = "zz"; }), ErrorCode::kMalformed);
  EXPECT_EQ(with([](auto& j) { j["format"] = "other"; }), ErrorCode::kMalformed);
  EXPECT_EQ(with([](auto& j) { j["extra"] = 1; }), ErrorCode::kMalformed);
  EXPECT_EQ(with([](auto& j) { j.erase("cipher"); }), ErrorCode::kMalformed);
  EXPECT_EQ(with([](auto& j) { j["address"] = "fm1"; }), ErrorCode::kMalformed);
  EXPECT_EQ(with([](auto& j) { j["scheme"] = "sm2"; }), ErrorCode::kMalformed);  // 32-byte key is not SM2
  EXPECT_EQ(parse_key_file(as_bytes("[]")).code(), ErrorCode::kMalformed);
  EXPECT_EQ(parse_key_file(as_bytes("")).code(), ErrorCode::kMalformed);
  EXPECT_EQ(parse_key_file(Bytes(kKeyFileMaxBytes + 1, ' ')).code(), ErrorCode::kTooLarge);
}

TEST(KeyFile, StandardParametersWork) {
  // The parameters keygen writes (64 MiB, 3 passes): one round trip, to prove they are usable.
  PrivateKey key = PrivateKey::generate(Scheme::kEd25519);
  auto text = encrypt_key_file(key, "pw");
  ASSERT_TRUE(text.ok());
  auto back = decrypt_key_file(as_bytes(*text), "pw");
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->public_key(), key.public_key());
}

}  // namespace
}  // namespace formica::crypto
