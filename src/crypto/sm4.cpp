// SM4-GCM through Crypto++ (GCM<SM4>). OpenSSL 3.0, Debian 12's version, has the SM4 block
// cipher but no SM4-GCM (that arrived in OpenSSL 3.2), and GHASH is not something to hand-roll;
// Crypto++ is already a dependency of this layer (Keccak-256). The result is checked against
// RFC 8998's vector and every Wycheproof SM4-GCM vector (sm4_test.cpp).

#include "formica/crypto/sm4.h"

#include <cryptopp/gcm.h>
#include <cryptopp/sm4.h>

#include "private_key_impl.h"

namespace formica::crypto::sm4 {
namespace {

constexpr std::size_t kMaxInput = std::size_t{1} << 30;

Status check_inputs(ByteView key, ByteView iv, std::size_t data, std::size_t aad) {
  if (key.size() != kKeyBytes) return make_error(ErrorCode::kInvalidArgument, "sm4 key must be 16 bytes");
  // 96-bit IVs only (RFC 8998, NIST SP 800-38D's recommendation). With other lengths J0 is a
  // hash of the IV and its low 32-bit counter can wrap; Crypto++ 8.7 then carries into the
  // upper 96 bits instead of wrapping (inc32), which Wycheproof's CounterWrap vectors expose.
  if (iv.size() != kNonceBytes) return make_error(ErrorCode::kInvalidArgument, "sm4-gcm iv must be 12 bytes");
  if (data > kMaxInput || aad > kMaxInput)
    return make_error(ErrorCode::kTooLarge, "sm4-gcm input over 1 GiB");
  return ok_status();
}

}  // namespace

Result<Bytes> gcm_encrypt(ByteView key, ByteView iv, ByteView plaintext, ByteView aad) {
  FORMICA_TRY(check_inputs(key, iv, plaintext.size(), aad.size()));
  Bytes out(plaintext.size() + kTagBytes);
  try {  // Crypto++ reports misuse by exception; none may cross this boundary
    CryptoPP::GCM<CryptoPP::SM4>::Encryption enc;
    enc.SetKeyWithIV(key.data(), key.size(), iv.data(), iv.size());
    enc.EncryptAndAuthenticate(out.data(), out.data() + plaintext.size(), kTagBytes, iv.data(),
                               static_cast<int>(iv.size()), aad.data(), aad.size(), plaintext.data(),
                               plaintext.size());
  } catch (const CryptoPP::Exception& e) {
    return make_error(ErrorCode::kInternal, std::string("sm4-gcm: ") + e.what());
  }
  return out;
}

Result<Bytes> gcm_decrypt(ByteView key, ByteView iv, ByteView ciphertext_and_tag, ByteView aad) {
  FORMICA_TRY(check_inputs(key, iv, ciphertext_and_tag.size(), aad.size()));
  if (ciphertext_and_tag.size() < kTagBytes)
    return make_error(ErrorCode::kMalformed, "sm4-gcm input shorter than its tag");
  std::size_t ct_len = ciphertext_and_tag.size() - kTagBytes;
  Bytes out(ct_len);
  bool ok = false;
  try {
    CryptoPP::GCM<CryptoPP::SM4>::Decryption dec;
    dec.SetKeyWithIV(key.data(), key.size(), iv.data(), iv.size());
    // Compares the tag in constant time (Crypto++ VerifyBufsEqual).
    ok = dec.DecryptAndVerify(out.data(), ciphertext_and_tag.data() + ct_len, kTagBytes, iv.data(),
                              static_cast<int>(iv.size()), aad.data(), aad.size(), ciphertext_and_tag.data(),
                              ct_len);
  } catch (const CryptoPP::Exception& e) {
    return make_error(ErrorCode::kInternal, std::string("sm4-gcm: ") + e.what());
  }
  if (!ok) {
    secure_zero(out);  // no unauthenticated plaintext leaves this function
    return make_error(ErrorCode::kVerificationFailed, "sm4-gcm authentication failed");
  }
  return out;
}

Result<Bytes> seal(ByteView key, ByteView plaintext, ByteView aad) {
  Bytes nonce(kNonceBytes);
  detail::random_bytes(nonce.data(), nonce.size());
  FORMICA_ASSIGN_OR_RETURN(Bytes body, gcm_encrypt(key, nonce, plaintext, aad));
  base::append(nonce, body);
  return nonce;
}

Result<Bytes> open(ByteView key, ByteView sealed, ByteView aad) {
  if (sealed.size() < kNonceBytes + kTagBytes)
    return make_error(ErrorCode::kMalformed, "sealed data shorter than nonce and tag");
  return gcm_decrypt(key, sealed.first(kNonceBytes), sealed.subspan(kNonceBytes), aad);
}

}  // namespace formica::crypto::sm4
