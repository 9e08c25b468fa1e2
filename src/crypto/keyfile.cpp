#include "formica/crypto/keyfile.h"

#include <sodium.h>

#include <cstdlib>
#include <nlohmann/json.hpp>

#include "formica/base/encoding.h"
#include "formica/crypto/address.h"
#include "private_key_impl.h"

namespace formica::crypto {
namespace {

using nlohmann::json;

constexpr std::string_view kFormat = "formica-key";
constexpr std::string_view kKdfAlg = "argon2id13";
constexpr std::string_view kCipherAlg = "xchacha20poly1305-ietf";
constexpr std::string_view kAadDomain = "formica/keyfile/v1";

static_assert(kKeyFileSaltBytes == crypto_pwhash_SALTBYTES);
static_assert(kKeyFileNonceBytes == crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);

Error malformed(const std::string& why) { return make_error(ErrorCode::kMalformed, "key file: " + why); }

void put_u64(Bytes& out, std::uint64_t v) {
  for (int i = 7; i >= 0; --i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}

// Everything public in the file, bound to the ciphertext as associated data.
Bytes associated_data(const KeyFile& f) {
  Bytes ad = to_bytes(kAadDomain);
  ad.push_back(static_cast<std::uint8_t>(f.version));
  ad.push_back(static_cast<std::uint8_t>(f.scheme));
  put_u64(ad, f.kdf.opslimit);
  put_u64(ad, f.kdf.memlimit);
  base::append(ad, f.salt);
  base::append(ad, f.public_key);
  return ad;
}

Status check_kdf(const KdfParams& kdf) {
  if (kdf.opslimit < crypto_pwhash_OPSLIMIT_MIN || kdf.memlimit < crypto_pwhash_MEMLIMIT_MIN)
    return make_error(ErrorCode::kUnsupported, "key file: KDF parameters below libsodium's minimum");
  if (kdf.opslimit > kMaxKdfOpslimit || kdf.memlimit > kMaxKdfMemlimit)
    return make_error(ErrorCode::kUnsupported, "key file: KDF parameters over the accepted limits");
  return ok_status();
}

// Derives the 32-byte AEAD key into `out` (caller zeroes it).
Status derive(std::string_view password, const KeyFile& f, std::uint8_t* out) {
  if (sodium_init() < 0) std::abort();
  if (crypto_pwhash(out, crypto_aead_xchacha20poly1305_ietf_KEYBYTES, password.data(), password.size(),
                    f.salt.data(), f.kdf.opslimit, static_cast<std::size_t>(f.kdf.memlimit),
                    crypto_pwhash_ALG_ARGON2ID13) != 0)
    return make_error(ErrorCode::kInternal, "key file: out of memory in the password KDF");
  return ok_status();
}

Result<Bytes> hex_field(const json& obj, const char* name, std::size_t size) {
  auto it = obj.find(name);
  if (it == obj.end() || !it->is_string())
    return malformed(std::string("missing string field '") + name + "'");
  auto bytes = base::from_hex(it->get_ref<const std::string&>());
  if (!bytes.ok()) return malformed(std::string("field '") + name + "' is not hex");
  if (bytes->size() != size) return malformed(std::string("field '") + name + "' has the wrong length");
  return bytes;
}

Result<std::uint64_t> uint_field(const json& obj, const char* name) {
  auto it = obj.find(name);
  if (it == obj.end() || !it->is_number_unsigned())
    return malformed(std::string("missing integer field '") + name + "'");
  return it->get<std::uint64_t>();
}

Result<std::string> string_field(const json& obj, const char* name) {
  auto it = obj.find(name);
  if (it == obj.end() || !it->is_string())
    return malformed(std::string("missing string field '") + name + "'");
  return it->get<std::string>();
}

Status only_keys(const json& obj, std::initializer_list<std::string_view> keys, const char* where) {
  for (auto it = obj.begin(); it != obj.end(); ++it)
    if (std::find(keys.begin(), keys.end(), it.key()) == keys.end())
      return malformed(std::string("unknown field '") + it.key() + "' in " + where);
  return ok_status();
}

}  // namespace

KdfParams KdfParams::standard() { return KdfParams{3, 64ull << 20}; }
KdfParams KdfParams::minimum() { return KdfParams{crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN}; }

Result<KeyFile> parse_key_file(ByteView text) {
  if (text.size() > kKeyFileMaxBytes) return make_error(ErrorCode::kTooLarge, "key file: over 64 KiB");
  // Non-throwing parse: nlohmann returns a discarded value instead of throwing.
  json doc = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) return malformed("not a JSON object (truncated?)");
  FORMICA_TRY(
      only_keys(doc, {"format", "version", "scheme", "public_key", "address", "kdf", "cipher"}, "key file"));
  FORMICA_ASSIGN_OR_RETURN(std::string format, string_field(doc, "format"));
  if (format != kFormat) return malformed("not a formica key file");
  FORMICA_ASSIGN_OR_RETURN(std::uint64_t version, uint_field(doc, "version"));
  if (version != kKeyFileVersion)
    return make_error(ErrorCode::kUnsupported,
                      "key file: version " + std::to_string(version) + " not supported");
  KeyFile f;
  f.version = static_cast<int>(version);
  FORMICA_ASSIGN_OR_RETURN(std::string scheme_text, string_field(doc, "scheme"));
  auto scheme = parse_scheme(scheme_text);
  if (!scheme.ok()) return make_error(ErrorCode::kUnsupported, "key file: " + scheme.error().message);
  f.scheme = *scheme;
  FORMICA_ASSIGN_OR_RETURN(f.public_key, hex_field(doc, "public_key", public_key_size(f.scheme)));
  auto pub = PublicKey::from_bytes(f.scheme, f.public_key);
  if (!pub.ok()) return malformed(pub.error().message);
  FORMICA_ASSIGN_OR_RETURN(std::string address, string_field(doc, "address"));
  if (address != Address::of(*pub).to_string()) return malformed("address does not match the public key");

  auto kdf = doc.find("kdf");
  if (kdf == doc.end() || !kdf->is_object()) return malformed("missing object 'kdf'");
  FORMICA_TRY(only_keys(*kdf, {"alg", "opslimit", "memlimit", "salt"}, "kdf"));
  FORMICA_ASSIGN_OR_RETURN(std::string kdf_alg, string_field(*kdf, "alg"));
  if (kdf_alg != kKdfAlg)
    return make_error(ErrorCode::kUnsupported, "key file: unknown KDF '" + kdf_alg + "'");
  FORMICA_ASSIGN_OR_RETURN(f.kdf.opslimit, uint_field(*kdf, "opslimit"));
  FORMICA_ASSIGN_OR_RETURN(f.kdf.memlimit, uint_field(*kdf, "memlimit"));
  FORMICA_TRY(check_kdf(f.kdf));
  FORMICA_ASSIGN_OR_RETURN(f.salt, hex_field(*kdf, "salt", kKeyFileSaltBytes));

  auto cipher = doc.find("cipher");
  if (cipher == doc.end() || !cipher->is_object()) return malformed("missing object 'cipher'");
  FORMICA_TRY(only_keys(*cipher, {"alg", "nonce", "ciphertext"}, "cipher"));
  FORMICA_ASSIGN_OR_RETURN(std::string cipher_alg, string_field(*cipher, "alg"));
  if (cipher_alg != kCipherAlg)
    return make_error(ErrorCode::kUnsupported, "key file: unknown cipher '" + cipher_alg + "'");
  FORMICA_ASSIGN_OR_RETURN(f.nonce, hex_field(*cipher, "nonce", kKeyFileNonceBytes));
  FORMICA_ASSIGN_OR_RETURN(f.ciphertext,
                           hex_field(*cipher, "ciphertext",
                                     secret_key_size(f.scheme) + crypto_aead_xchacha20poly1305_ietf_ABYTES));
  return f;
}

std::string serialize_key_file(const KeyFile& f) {
  std::string address;
  if (auto pub = PublicKey::from_bytes(f.scheme, f.public_key); pub.ok())
    address = Address::of(*pub).to_string();
  json doc = {
      {"format", kFormat},
      {"version", f.version},
      {"scheme", scheme_name(f.scheme)},
      {"public_key", base::to_hex(f.public_key)},
      {"address", address},
      {"kdf",
       {{"alg", kKdfAlg},
        {"opslimit", f.kdf.opslimit},
        {"memlimit", f.kdf.memlimit},
        {"salt", base::to_hex(f.salt)}}},
      {"cipher",
       {{"alg", kCipherAlg}, {"nonce", base::to_hex(f.nonce)}, {"ciphertext", base::to_hex(f.ciphertext)}}},
  };
  return doc.dump(2) + "\n";
}

Result<std::string> encrypt_key_file(const PrivateKey& key, std::string_view password, const KdfParams& kdf) {
  if (password.empty()) return make_error(ErrorCode::kInvalidArgument, "key file: empty password");
  FORMICA_TRY(check_kdf(kdf));
  KeyFile f;
  f.scheme = key.scheme();
  f.public_key = to_bytes(key.public_key().bytes());
  f.kdf = kdf;
  f.salt.resize(kKeyFileSaltBytes);
  f.nonce.resize(kKeyFileNonceBytes);
  detail::random_bytes(f.salt.data(), f.salt.size());
  detail::random_bytes(f.nonce.data(), f.nonce.size());
  std::array<std::uint8_t, crypto_aead_xchacha20poly1305_ietf_KEYBYTES> k{};
  Status st = derive(password, f, k.data());
  if (!st.ok()) return st.take_error();
  Bytes ad = associated_data(f);
  ByteView secret = key.expose_secret();
  f.ciphertext.resize(secret.size() + crypto_aead_xchacha20poly1305_ietf_ABYTES);
  unsigned long long len = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(f.ciphertext.data(), &len, secret.data(), secret.size(),
                                             ad.data(), ad.size(), nullptr, f.nonce.data(), k.data());
  sodium_memzero(k.data(), k.size());
  return serialize_key_file(f);
}

Result<PrivateKey> decrypt_key_file(ByteView text, std::string_view password) {
  FORMICA_ASSIGN_OR_RETURN(KeyFile f, parse_key_file(text));
  std::array<std::uint8_t, crypto_aead_xchacha20poly1305_ietf_KEYBYTES> k{};
  std::array<std::uint8_t, kSecretKeyMaxBytes> secret{};
  Status st = derive(password, f, k.data());
  if (!st.ok()) return st.take_error();
  Bytes ad = associated_data(f);
  unsigned long long len = 0;
  int rc = crypto_aead_xchacha20poly1305_ietf_decrypt(secret.data(), &len, nullptr, f.ciphertext.data(),
                                                      f.ciphertext.size(), ad.data(), ad.size(),
                                                      f.nonce.data(), k.data());
  sodium_memzero(k.data(), k.size());
  if (rc != 0 || len != secret_key_size(f.scheme)) {
    sodium_memzero(secret.data(), secret.size());
    return make_error(ErrorCode::kVerificationFailed, "key file: wrong password or corrupted file");
  }
  auto key = PrivateKey::from_secret(f.scheme, ByteView(secret.data(), len));
  sodium_memzero(secret.data(), secret.size());
  if (!key.ok())
    return make_error(ErrorCode::kVerificationFailed, "key file: decrypted secret is not a valid key");
  if (!(key->public_key().bytes().size() == f.public_key.size() &&
        std::equal(f.public_key.begin(), f.public_key.end(), key->public_key().bytes().begin())))
    return make_error(ErrorCode::kVerificationFailed, "key file: secret does not match the public key");
  return key;
}

}  // namespace formica::crypto
