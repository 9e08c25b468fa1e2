// Ed25519 through libsodium. Verification is crypto_sign_verify_detached, libsodium's strict
// rule: S must be canonical (< L), A and R must not have small order, A must be canonically
// encoded. This is the one acceptance rule everywhere in Formica (consensus rule).

#include <sodium.h>

#include <cstdlib>

#include "private_key_impl.h"

namespace formica::crypto::detail {
namespace {
void init_sodium() {
  if (sodium_init() < 0) std::abort();  // only fails without a CSPRNG
}
}  // namespace

Status ed25519_check_public(ByteView pub) {
  // Any 32 bytes are a well-formed encoding; whether they are an acceptable point is decided
  // by verify (so that one rule, libsodium's, decides).
  if (pub.size() != crypto_sign_PUBLICKEYBYTES)
    return make_error(ErrorCode::kMalformed, "ed25519 public key must be 32 bytes");
  return ok_status();
}

Status ed25519_init_private(PrivateKey::Impl& impl) {
  init_sodium();
  static_assert(crypto_sign_SEEDBYTES == kEd25519SecretKeyBytes);
  static_assert(crypto_sign_SECRETKEYBYTES == 64);
  std::array<std::uint8_t, crypto_sign_PUBLICKEYBYTES> pk{};
  if (crypto_sign_seed_keypair(pk.data(), impl.ed25519_sk.data(), impl.secret.data()) != 0)
    return make_error(ErrorCode::kInternal, "ed25519 key derivation failed");
  FORMICA_ASSIGN_OR_RETURN(auto pub, PublicKey::from_bytes(Scheme::kEd25519, pk));
  impl.public_key = pub;
  return ok_status();
}

Bytes ed25519_sign(const PrivateKey::Impl& impl, ByteView message) {
  Bytes sig(crypto_sign_BYTES);
  crypto_sign_detached(sig.data(), nullptr, message.data(), message.size(), impl.ed25519_sk.data());
  return sig;
}

bool ed25519_verify(ByteView pub, ByteView message, ByteView sig) {
  if (pub.size() != crypto_sign_PUBLICKEYBYTES || sig.size() != crypto_sign_BYTES) return false;
  init_sodium();
  return crypto_sign_verify_detached(sig.data(), message.data(), message.size(), pub.data()) == 0;
}

}  // namespace formica::crypto::detail
