#include "formica/crypto/signature.h"

#include <sodium.h>

#include <cstdlib>

#include "formica/base/encoding.h"
#include "private_key_impl.h"

namespace formica::crypto {

PrivateKey::Impl::~Impl() {
  secure_zero(secret.data(), secret.size());
  secure_zero(ed25519_sk.data(), ed25519_sk.size());
  if (sm2 != nullptr) detail::sm2_free(sm2);
}

namespace detail {
void random_bytes(std::uint8_t* out, std::size_t size) {
  // sodium_init is idempotent and thread-safe; randombytes_buf reads getrandom(2).
  if (sodium_init() < 0) std::abort();  // no CSPRNG: nothing safe can be done
  randombytes_buf(out, size);
}
}  // namespace detail

std::string_view scheme_name(Scheme scheme) {
  switch (scheme) {
    case Scheme::kEd25519: return "ed25519";
    case Scheme::kSm2: return "sm2";
    case Scheme::kSecp256k1: return "secp256k1";
  }
  return "unknown";
}

Result<Scheme> parse_scheme(std::string_view name) {
  for (Scheme s : kAllSchemes)
    if (scheme_name(s) == name) return s;
  return make_error(ErrorCode::kInvalidArgument,
                    "unknown scheme '" + std::string(name) + "' (ed25519, sm2, secp256k1)");
}

Result<Scheme> scheme_from_id(std::uint8_t id) {
  for (Scheme s : kAllSchemes)
    if (static_cast<std::uint8_t>(s) == id) return s;
  return make_error(ErrorCode::kUnsupported, "unknown scheme id " + std::to_string(id));
}

std::size_t public_key_size(Scheme scheme) {
  return scheme == Scheme::kEd25519 ? kEd25519PublicKeyBytes : kSm2PublicKeyBytes;
}
std::size_t secret_key_size(Scheme /*scheme*/) { return kSecretKeyMaxBytes; }

Result<PublicKey> PublicKey::from_bytes(Scheme scheme, ByteView bytes) {
  if (bytes.size() != public_key_size(scheme))
    return make_error(ErrorCode::kMalformed, std::string(scheme_name(scheme)) + " public key must be " +
                                                 std::to_string(public_key_size(scheme)) + " bytes, got " +
                                                 std::to_string(bytes.size()));
  switch (scheme) {
    case Scheme::kEd25519: FORMICA_TRY(detail::ed25519_check_public(bytes)); break;
    case Scheme::kSm2: FORMICA_TRY(detail::sm2_check_public(bytes)); break;
    case Scheme::kSecp256k1: FORMICA_TRY(detail::secp256k1_check_public(bytes)); break;
  }
  PublicKey key;
  key.scheme_ = scheme;
  key.size_ = static_cast<std::uint8_t>(bytes.size());
  std::copy(bytes.begin(), bytes.end(), key.bytes_.begin());
  return key;
}

std::string PublicKey::to_hex() const { return base::to_hex(bytes()); }

PrivateKey::PrivateKey(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
PrivateKey::~PrivateKey() = default;
PrivateKey::PrivateKey(PrivateKey&&) noexcept = default;
PrivateKey& PrivateKey::operator=(PrivateKey&&) noexcept = default;

Scheme PrivateKey::scheme() const { return impl_->scheme; }
const PublicKey& PrivateKey::public_key() const { return *impl_->public_key; }
ByteView PrivateKey::expose_secret() const {
  return ByteView(impl_->secret.data(), secret_key_size(impl_->scheme));
}

Result<PrivateKey> PrivateKey::from_secret(Scheme scheme, ByteView secret) {
  if (secret.size() != secret_key_size(scheme))
    return make_error(ErrorCode::kMalformed, std::string(scheme_name(scheme)) + " secret key must be " +
                                                 std::to_string(secret_key_size(scheme)) + " bytes");
  auto impl = std::make_unique<Impl>();
  impl->scheme = scheme;
  std::copy(secret.begin(), secret.end(), impl->secret.begin());
  switch (scheme) {
    case Scheme::kEd25519: FORMICA_TRY(detail::ed25519_init_private(*impl)); break;
    case Scheme::kSm2: FORMICA_TRY(detail::sm2_init_private(*impl)); break;
    case Scheme::kSecp256k1: FORMICA_TRY(detail::secp256k1_init_private(*impl)); break;
  }
  return PrivateKey(std::move(impl));
}

PrivateKey PrivateKey::generate(Scheme scheme) {
  // Rejection sampling: a uniformly random 32-byte string is retried until it is a valid
  // scalar (for Ed25519 every seed is valid). The expected number of rounds is ~1.
  std::array<std::uint8_t, kSecretKeyMaxBytes> secret{};
  for (;;) {
    detail::random_bytes(secret.data(), secret.size());
    auto key = from_secret(scheme, secret);
    if (key.ok()) {
      secure_zero(secret.data(), secret.size());
      return std::move(key).value();
    }
  }
}

Bytes sign(const PrivateKey& key, ByteView message) {
  switch (key.scheme()) {
    case Scheme::kEd25519: return detail::ed25519_sign(*key.impl_for_backend(), message);
    case Scheme::kSm2: return detail::sm2_sign(*key.impl_for_backend(), message);
    case Scheme::kSecp256k1: return detail::secp256k1_sign(*key.impl_for_backend(), message);
  }
  std::abort();
}

bool verify(const PublicKey& key, ByteView message, ByteView signature) {
  switch (key.scheme()) {
    case Scheme::kEd25519: return detail::ed25519_verify(key.bytes(), message, signature);
    case Scheme::kSm2: return detail::sm2_verify(key.bytes(), message, signature);
    case Scheme::kSecp256k1: return detail::secp256k1_verify(key.bytes(), message, signature);
  }
  return false;
}

Status check_signature_encoding(Scheme scheme, ByteView signature) {
  switch (scheme) {
    case Scheme::kEd25519:
      if (signature.size() != kEd25519SignatureBytes)
        return make_error(ErrorCode::kMalformed,
                          "ed25519 signature must be 64 bytes, got " + std::to_string(signature.size()));
      return ok_status();
    case Scheme::kSm2: return detail::sm2_check_signature(signature);
    case Scheme::kSecp256k1: return detail::secp256k1_check_signature(signature);
  }
  return make_error(ErrorCode::kUnsupported, "unknown scheme");
}

Result<Bytes> sign_recoverable(const PrivateKey& key, ByteView message) {
  if (key.scheme() != Scheme::kSecp256k1)
    return make_error(ErrorCode::kUnsupported, "public-key recovery is only defined for secp256k1");
  return detail::secp256k1_sign_recoverable(*key.impl_for_backend(), message);
}

Result<PublicKey> recover_public_key(ByteView message, ByteView recoverable_signature) {
  FORMICA_ASSIGN_OR_RETURN(Bytes pub, detail::secp256k1_recover(message, recoverable_signature));
  return PublicKey::from_bytes(Scheme::kSecp256k1, pub);
}

}  // namespace formica::crypto
