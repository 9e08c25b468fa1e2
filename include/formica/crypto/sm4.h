#pragma once
// SM4-GCM (GB/T 32907 block cipher in Galois/Counter Mode, RFC 8998) for encryption at rest
// with the national algorithms; through Crypto++, because OpenSSL 3.0 has no SM4-GCM (sm4.cpp).
//
// seal()/open() are the API to use: a fresh random 96-bit nonce per message, stored in front
// of the ciphertext (nonce || ciphertext || tag). Do not encrypt more than 2^32 messages under
// one key (random-nonce collision bound). The explicit-IV functions exist for standard test
// vectors and interoperability.

#include "formica/base/bytes.h"
#include "formica/base/status.h"

namespace formica::crypto::sm4 {

inline constexpr std::size_t kKeyBytes = 16;
inline constexpr std::size_t kNonceBytes = 12;
inline constexpr std::size_t kTagBytes = 16;

// nonce || ciphertext || tag, with a random nonce. kInvalidArgument for a wrong key size.
Result<Bytes> seal(ByteView key, ByteView plaintext, ByteView aad = {});
// kMalformed when shorter than nonce + tag; kVerificationFailed when the tag does not match
// (wrong key, wrong aad, or tampered data) — nothing of the plaintext is returned then.
Result<Bytes> open(ByteView key, ByteView sealed, ByteView aad = {});

// GCM with an explicit 12-byte IV (other lengths: kInvalidArgument, see sm4.cpp) and a 16-byte
// tag. encrypt returns ciphertext || tag; decrypt takes ciphertext || tag. Never reuse an IV
// under one key.
Result<Bytes> gcm_encrypt(ByteView key, ByteView iv, ByteView plaintext, ByteView aad);
Result<Bytes> gcm_decrypt(ByteView key, ByteView iv, ByteView ciphertext_and_tag, ByteView aad);

}  // namespace formica::crypto::sm4
