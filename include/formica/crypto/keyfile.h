#pragma once
// Encrypted key files: password -> Argon2id (libsodium crypto_pwhash, memory-hard) -> 256-bit
// key -> XChaCha20-Poly1305 over the secret key. The file is JSON (docs/crypto.md, "Key
// files"); everything in it that is not secret — version, scheme, KDF parameters, salt, public
// key — is bound as associated data, so changing any of it makes decryption fail.
//
// Errors: kMalformed (not a key file, truncated, bad field), kUnsupported (unknown version,
// algorithm or scheme; KDF parameters over the limits below), kVerificationFailed (wrong
// password or corrupted ciphertext — indistinguishable by design).

#include <cstdint>
#include <string>
#include <string_view>

#include "formica/base/bytes.h"
#include "formica/base/status.h"
#include "formica/crypto/signature.h"

namespace formica::crypto {

struct KdfParams {
  std::uint64_t opslimit = 0;  // Argon2id passes
  std::uint64_t memlimit = 0;  // bytes

  // What keygen writes: 3 passes over 64 MiB (between libsodium's INTERACTIVE and MODERATE;
  // about 0.2 s on one core here).
  static KdfParams standard();
  // libsodium's minimum (1 pass, 8 KiB): for tests only; offers little protection.
  static KdfParams minimum();
  friend bool operator==(const KdfParams&, const KdfParams&) = default;
};

// Limits a reader accepts, so that a hostile file cannot make us allocate or spin unboundedly.
inline constexpr std::uint64_t kMaxKdfOpslimit = 16;
inline constexpr std::uint64_t kMaxKdfMemlimit = 1ull << 30;

inline constexpr int kKeyFileVersion = 1;
inline constexpr std::size_t kKeyFileSaltBytes = 16;
inline constexpr std::size_t kKeyFileNonceBytes = 24;
inline constexpr std::size_t kKeyFileMaxBytes = 64 * 1024;

// The parsed (still encrypted) content of a key file.
struct KeyFile {
  int version = kKeyFileVersion;
  Scheme scheme = Scheme::kEd25519;
  Bytes public_key;
  KdfParams kdf;
  Bytes salt;
  Bytes nonce;
  Bytes ciphertext;  // secret key || Poly1305 tag
  friend bool operator==(const KeyFile&, const KeyFile&) = default;
};

Result<KeyFile> parse_key_file(ByteView text);
std::string serialize_key_file(const KeyFile& file);  // JSON text, ends with '\n'

// Encrypts `key` under `password` (must not be empty) with a fresh random salt and nonce.
Result<std::string> encrypt_key_file(const PrivateKey& key, std::string_view password,
                                     const KdfParams& kdf = KdfParams::standard());
// Parses and decrypts; the derived key and the decrypted secret are zeroed before returning.
Result<PrivateKey> decrypt_key_file(ByteView text, std::string_view password);

}  // namespace formica::crypto
