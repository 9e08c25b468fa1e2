#pragma once
// Signature schemes behind one small interface, so that a network picks its schemes in genesis.
// Shaped like libsodium's crypto_sign.h: sizes are constants, verification results must be
// checked, secrets are zeroed when they die.
//
//   Ed25519    libsodium; RFC 8032 over the message; strict verification (canonical S,
//              small-order and non-canonical keys and R refused) — crypto_sign_verify_detached.
//   SM2        OpenSSL 3; GB/T 32918 over SM3(Z || M) with the default distinguishing ID
//              "1234567812345678" set explicitly; DER signature.
//   secp256k1  libsecp256k1; ECDSA over SHA-256(M), RFC 6979 nonces, low-S only (high-S is
//              refused), 64-byte r || s; public-key recovery from the 65-byte r || s || v form.
//
// Public keys: Ed25519 32 bytes; SM2 and secp256k1 SEC1 uncompressed 65 bytes (04 || x || y).
// Every function is thread-safe. Bad input never aborts: it yields an error or `false`.

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "formica/base/bytes.h"
#include "formica/base/status.h"

namespace formica::crypto {

// The numeric ids are stable: they are written into key files, addresses and transactions.
enum class Scheme : std::uint8_t { kEd25519 = 1, kSm2 = 2, kSecp256k1 = 3 };

inline constexpr std::array<Scheme, 3> kAllSchemes = {Scheme::kEd25519, Scheme::kSm2, Scheme::kSecp256k1};

inline constexpr std::size_t kEd25519PublicKeyBytes = 32;
inline constexpr std::size_t kEd25519SecretKeyBytes = 32;  // the RFC 8032 seed
inline constexpr std::size_t kEd25519SignatureBytes = 64;
inline constexpr std::size_t kSm2PublicKeyBytes = 65;
inline constexpr std::size_t kSm2SecretKeyBytes = 32;
inline constexpr std::size_t kSm2SignatureMaxBytes = 72;  // DER SEQUENCE of two INTEGERs <= 33 bytes
inline constexpr std::size_t kSecp256k1PublicKeyBytes = 65;
inline constexpr std::size_t kSecp256k1SecretKeyBytes = 32;
inline constexpr std::size_t kSecp256k1SignatureBytes = 64;             // r || s
inline constexpr std::size_t kSecp256k1RecoverableSignatureBytes = 65;  // r || s || v (v in 0..3)
inline constexpr std::size_t kSecretKeyMaxBytes = 32;
inline constexpr std::size_t kPublicKeyMaxBytes = 65;
inline constexpr std::size_t kSignatureMaxBytes = 72;

// The SM2 distinguishing ID used for every SM2 signature in Formica (GB/T 32918 default).
inline constexpr std::string_view kSm2DefaultId = "1234567812345678";

// "ed25519", "sm2", "secp256k1"
std::string_view scheme_name(Scheme scheme);
Result<Scheme> parse_scheme(std::string_view name);
Result<Scheme> scheme_from_id(std::uint8_t id);
std::size_t public_key_size(Scheme scheme);
std::size_t secret_key_size(Scheme scheme);

// A public key whose encoding has been checked: right length and prefix, and for SM2 and
// secp256k1 a point on the curve. (An Ed25519 key is any 32 bytes; small-order and
// non-canonical points are refused by verify, as libsodium's strict rule says.)
class PublicKey {
 public:
  static Result<PublicKey> from_bytes(Scheme scheme, ByteView bytes);

  Scheme scheme() const { return scheme_; }
  ByteView bytes() const { return ByteView(bytes_.data(), size_); }
  std::string to_hex() const;

  friend bool operator==(const PublicKey& a, const PublicKey& b) {
    return a.scheme_ == b.scheme_ && a.size_ == b.size_ && a.bytes_ == b.bytes_;
  }

 private:
  PublicKey() = default;
  Scheme scheme_ = Scheme::kEd25519;
  std::uint8_t size_ = 0;
  std::array<std::uint8_t, kPublicKeyMaxBytes> bytes_{};
};

// A private key. Move-only; the secret lives on the heap and is zeroed on destruction. It has
// no operator<< and no to_string, so it cannot end up in a log by accident.
class PrivateKey {
 public:
  // A fresh key from the operating system's CSPRNG (libsodium randombytes / OpenSSL RAND).
  static PrivateKey generate(Scheme scheme);
  // From the secret encoding (Ed25519: 32-byte seed; SM2, secp256k1: 32-byte big-endian
  // scalar, 1 <= d < n for secp256k1, 1 <= d < n - 1 for SM2). The public key is derived.
  static Result<PrivateKey> from_secret(Scheme scheme, ByteView secret);

  ~PrivateKey();
  PrivateKey(PrivateKey&&) noexcept;
  PrivateKey& operator=(PrivateKey&&) noexcept;
  PrivateKey(const PrivateKey&) = delete;
  PrivateKey& operator=(const PrivateKey&) = delete;

  Scheme scheme() const;
  const PublicKey& public_key() const;
  // The secret encoding, for writing an encrypted key file. Do not log or copy it.
  ByteView expose_secret() const;

  struct Impl;  // defined in src/crypto; holds the secret and per-scheme library handles
  const Impl* impl_for_backend() const { return impl_.get(); }  // for src/crypto only

 private:
  explicit PrivateKey(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Signs `message` (see the table at the top for what is signed). Never fails for a valid key.
Bytes sign(const PrivateKey& key, ByteView message);

// True only for a signature that the scheme's rule accepts. Malformed signatures are false.
[[nodiscard]] bool verify(const PublicKey& key, ByteView message, ByteView signature);

// Whether `signature` is well-formed for `scheme` (length; strict DER for SM2; r and s in range
// for secp256k1). kMalformed otherwise. Lets a caller tell "malformed" from "invalid".
[[nodiscard]] Status check_signature_encoding(Scheme scheme, ByteView signature);

// secp256k1 only: a 65-byte r || s || v signature (v the recovery id) and recovery of the
// public key from it. Recovery refuses high-S and anything verify would refuse.
Result<Bytes> sign_recoverable(const PrivateKey& key, ByteView message);
Result<PublicKey> recover_public_key(ByteView message, ByteView recoverable_signature);

}  // namespace formica::crypto
