// ECDSA on secp256k1 through libsecp256k1: SHA-256 of the message, RFC 6979 nonces, low-S
// signatures only (secp256k1_ecdsa_verify refuses high-S), 64-byte r || s.

#include <secp256k1.h>
#include <secp256k1_recovery.h>

#include <cstdlib>

#include "formica/crypto/hash.h"
#include "private_key_impl.h"

namespace formica::crypto::detail {
namespace {

// One context for the process. After creation and randomisation it is only read, which
// libsecp256k1 documents as safe from many threads.
const secp256k1_context* context() {
  static const secp256k1_context* ctx = [] {
    secp256k1_context* c = secp256k1_context_create(SECP256K1_CONTEXT_SIGN | SECP256K1_CONTEXT_VERIFY);
    if (c == nullptr) std::abort();
    std::array<std::uint8_t, 32> seed{};
    random_bytes(seed.data(), seed.size());
    // Blinding against side channels while signing; it cannot fail with a 32-byte seed.
    if (secp256k1_context_randomize(c, seed.data()) != 1) std::abort();
    return c;
  }();
  return ctx;
}

bool parse_public(ByteView pub, secp256k1_pubkey* out) {
  // Only the uncompressed 04 || x || y form: libsecp256k1 would also take compressed and the
  // "hybrid" 06/07 forms, which would give one key several encodings.
  if (pub.size() != kSecp256k1PublicKeyBytes || pub[0] != 0x04) return false;
  return secp256k1_ec_pubkey_parse(context(), out, pub.data(), pub.size()) == 1;
}

Bytes serialize_public(const secp256k1_pubkey& key) {
  Bytes out(kSecp256k1PublicKeyBytes);
  std::size_t len = out.size();
  secp256k1_ec_pubkey_serialize(context(), out.data(), &len, &key, SECP256K1_EC_UNCOMPRESSED);
  return out;
}

}  // namespace

Status secp256k1_check_public(ByteView pub) {
  secp256k1_pubkey key;
  if (!parse_public(pub, &key))
    return make_error(ErrorCode::kMalformed,
                      "secp256k1 public key is not an uncompressed point on the curve");
  return ok_status();
}

Status secp256k1_init_private(PrivateKey::Impl& impl) {
  if (secp256k1_ec_seckey_verify(context(), impl.secret.data()) != 1)
    return make_error(ErrorCode::kMalformed, "secp256k1 secret key is not a scalar in [1, n-1]");
  secp256k1_pubkey key;
  if (secp256k1_ec_pubkey_create(context(), &key, impl.secret.data()) != 1)
    return make_error(ErrorCode::kInternal, "secp256k1 public key derivation failed");
  FORMICA_ASSIGN_OR_RETURN(auto pub, PublicKey::from_bytes(Scheme::kSecp256k1, serialize_public(key)));
  impl.public_key = pub;
  return ok_status();
}

Bytes secp256k1_sign_recoverable(const PrivateKey::Impl& impl, ByteView message) {
  Hash32 digest = sha256(message);
  secp256k1_ecdsa_recoverable_signature sig;
  // The default nonce function is RFC 6979; signing produces low-S signatures.
  if (secp256k1_ecdsa_sign_recoverable(context(), &sig, digest.data(), impl.secret.data(), nullptr,
                                       nullptr) != 1)
    std::abort();  // only for an invalid secret, which init_private excluded
  Bytes out(kSecp256k1RecoverableSignatureBytes);
  int recid = 0;
  secp256k1_ecdsa_recoverable_signature_serialize_compact(context(), out.data(), &recid, &sig);
  out[64] = static_cast<std::uint8_t>(recid);
  return out;
}

Bytes secp256k1_sign(const PrivateKey::Impl& impl, ByteView message) {
  Bytes out = secp256k1_sign_recoverable(impl, message);
  out.resize(kSecp256k1SignatureBytes);
  return out;
}

Status secp256k1_check_signature(ByteView sig) {
  if (sig.size() != kSecp256k1SignatureBytes)
    return make_error(ErrorCode::kMalformed,
                      "secp256k1 signature must be 64 bytes (r || s), got " + std::to_string(sig.size()));
  secp256k1_ecdsa_signature parsed;
  if (secp256k1_ecdsa_signature_parse_compact(context(), &parsed, sig.data()) != 1)
    return make_error(ErrorCode::kMalformed, "secp256k1 signature r or s is not below the group order");
  return ok_status();
}

bool secp256k1_verify(ByteView pub, ByteView message, ByteView sig) {
  secp256k1_pubkey key;
  secp256k1_ecdsa_signature parsed;
  if (sig.size() != kSecp256k1SignatureBytes || !parse_public(pub, &key)) return false;
  if (secp256k1_ecdsa_signature_parse_compact(context(), &parsed, sig.data()) != 1) return false;
  Hash32 digest = sha256(message);
  // Returns 0 for a high-S signature: low-S is the rule, no normalisation here.
  return secp256k1_ecdsa_verify(context(), &parsed, digest.data(), &key) == 1;
}

Result<Bytes> secp256k1_recover(ByteView message, ByteView sig65) {
  if (sig65.size() != kSecp256k1RecoverableSignatureBytes || sig65[64] > 3)
    return make_error(ErrorCode::kMalformed,
                      "recoverable signature must be 65 bytes r || s || v with v in 0..3");
  secp256k1_ecdsa_recoverable_signature sig;
  if (secp256k1_ecdsa_recoverable_signature_parse_compact(context(), &sig, sig65.data(), sig65[64]) != 1)
    return make_error(ErrorCode::kMalformed, "secp256k1 signature r or s is not below the group order");
  Hash32 digest = sha256(message);
  secp256k1_pubkey key;
  if (secp256k1_ecdsa_recover(context(), &key, &sig, digest.data()) != 1)
    return make_error(ErrorCode::kVerificationFailed, "no public key recovers from this signature");
  Bytes pub = serialize_public(key);
  // secp256k1_ecdsa_recover accepts high-S; the recovered key must also pass the normal rule.
  if (!secp256k1_verify(pub, message, sig65.first(kSecp256k1SignatureBytes)))
    return make_error(ErrorCode::kVerificationFailed, "signature is not low-S or does not verify");
  return pub;
}

}  // namespace formica::crypto::detail
