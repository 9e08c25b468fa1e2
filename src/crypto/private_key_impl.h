#pragma once
// Internal: what a PrivateKey holds, shared by the per-scheme backends (ed25519.cpp, sm2.cpp,
// secp256k1.cpp). Not a public header.

#include <array>
#include <optional>

#include "formica/crypto/signature.h"

typedef struct evp_pkey_st EVP_PKEY;  // NOLINT: OpenSSL's forward declaration

namespace formica::crypto {

struct PrivateKey::Impl {
  Scheme scheme = Scheme::kEd25519;
  std::array<std::uint8_t, kSecretKeyMaxBytes> secret{};  // seed (Ed25519) or scalar
  std::array<std::uint8_t, 64> ed25519_sk{};              // libsodium's expanded seed || pk
  EVP_PKEY* sm2 = nullptr;                                // SM2 key pair, for signing
  std::optional<PublicKey> public_key;

  Impl() = default;
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;
  ~Impl();
};

namespace detail {

// Each backend: checks a public key encoding, fills an Impl from impl.secret (checking the
// scalar range and deriving the public key), signs, verifies, and checks signature encodings.
Status ed25519_check_public(ByteView pub);
Status ed25519_init_private(PrivateKey::Impl& impl);
Bytes ed25519_sign(const PrivateKey::Impl& impl, ByteView message);
bool ed25519_verify(ByteView pub, ByteView message, ByteView sig);

Status sm2_check_public(ByteView pub);
Status sm2_init_private(PrivateKey::Impl& impl);
Bytes sm2_sign(const PrivateKey::Impl& impl, ByteView message);
bool sm2_verify(ByteView pub, ByteView message, ByteView sig);
Status sm2_check_signature(ByteView sig);
void sm2_free(EVP_PKEY* key);
// Verifies a DER signature over an already computed digest e = SM3(Z || M); used by the tests
// that replay OpenSSL's SM2 vectors (which give e, not M).
bool sm2_verify_digest(ByteView pub, ByteView digest, ByteView sig);

Status secp256k1_check_public(ByteView pub);
Status secp256k1_init_private(PrivateKey::Impl& impl);
Bytes secp256k1_sign(const PrivateKey::Impl& impl, ByteView message);
Bytes secp256k1_sign_recoverable(const PrivateKey::Impl& impl, ByteView message);
bool secp256k1_verify(ByteView pub, ByteView message, ByteView sig);
Status secp256k1_check_signature(ByteView sig);
Result<Bytes> secp256k1_recover(ByteView message, ByteView sig65);

// Fills `out` from the operating system's CSPRNG.
void random_bytes(std::uint8_t* out, std::size_t size);

}  // namespace detail
}  // namespace formica::crypto
