// SM2 signatures (GB/T 32918) through OpenSSL 3.0's EVP interface: SM3 over Z || M, where Z
// binds the signer's public key and the distinguishing ID. OpenSSL 3.0 uses an EMPTY ID unless
// one is set, so every sign and verify here sets the default ID "1234567812345678" explicitly
// with EVP_PKEY_CTX_set1_id. Keys are built with the SM2 key type (not plain EC on the SM2
// curve), which is what selects the SM2 signature algorithm in OpenSSL 3.0.

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/param_build.h>

#include <cstdlib>
#include <cstring>
#include <memory>

#include "private_key_impl.h"

namespace formica::crypto::detail {
namespace {

struct Free {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
  void operator()(EVP_PKEY_CTX* p) const { EVP_PKEY_CTX_free(p); }
  void operator()(EVP_MD_CTX* p) const { EVP_MD_CTX_free(p); }
  void operator()(BIGNUM* p) const { BN_clear_free(p); }
  void operator()(BN_CTX* p) const { BN_CTX_free(p); }
  void operator()(EC_POINT* p) const { EC_POINT_free(p); }
  void operator()(OSSL_PARAM_BLD* p) const { OSSL_PARAM_BLD_free(p); }
  void operator()(OSSL_PARAM* p) const { OSSL_PARAM_free(p); }
  void operator()(ECDSA_SIG* p) const { ECDSA_SIG_free(p); }
};
template <typename T>
using Ptr = std::unique_ptr<T, Free>;

// The SM2 group; created once, then only read (EC_GROUP is safe to share for reading).
const EC_GROUP* group() {
  static const EC_GROUP* g = [] {
    EC_GROUP* grp = EC_GROUP_new_by_curve_name(NID_sm2);
    if (grp == nullptr) std::abort();  // OpenSSL built without SM2: Formica cannot run
    return grp;
  }();
  return g;
}

// Builds an SM2 EVP_PKEY from the uncompressed public point and, optionally, the secret scalar.
// OpenSSL decodes the point with EC_POINT_oct2point, which refuses points off the curve.
Ptr<EVP_PKEY> make_key(ByteView pub, const BIGNUM* secret) {
  Ptr<OSSL_PARAM_BLD> bld(OSSL_PARAM_BLD_new());
  if (!bld) return nullptr;
  if (OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, "SM2", 0) != 1 ||
      OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, pub.data(), pub.size()) != 1)
    return nullptr;
  if (secret != nullptr && OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_PRIV_KEY, secret) != 1)
    return nullptr;
  Ptr<OSSL_PARAM> params(OSSL_PARAM_BLD_to_param(bld.get()));
  Ptr<EVP_PKEY_CTX> ctx(EVP_PKEY_CTX_new_from_name(nullptr, "SM2", nullptr));
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1) return nullptr;
  EVP_PKEY* key = nullptr;
  if (EVP_PKEY_fromdata(ctx.get(), &key, secret != nullptr ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY,
                        params.get()) != 1)
    return nullptr;
  return Ptr<EVP_PKEY>(key);
}

bool point_on_curve(ByteView pub) {
  if (pub.size() != kSm2PublicKeyBytes || pub[0] != 0x04) return false;
  Ptr<EC_POINT> p(EC_POINT_new(group()));
  // oct2point checks that the point satisfies the curve equation; the SM2 curve has
  // cofactor 1, so every such point (other than infinity, not encodable here) is in the group.
  return p && EC_POINT_oct2point(group(), p.get(), pub.data(), pub.size(), nullptr) == 1;
}

bool set_default_id(EVP_PKEY_CTX* pctx) {
  return EVP_PKEY_CTX_set1_id(pctx, kSm2DefaultId.data(), kSm2DefaultId.size()) == 1;
}

}  // namespace

void sm2_free(EVP_PKEY* key) { EVP_PKEY_free(key); }

Status sm2_check_public(ByteView pub) {
  if (!point_on_curve(pub))
    return make_error(ErrorCode::kMalformed, "sm2 public key is not an uncompressed point on the curve");
  return ok_status();
}

Status sm2_init_private(PrivateKey::Impl& impl) {
  Ptr<BIGNUM> d(BN_secure_new());
  Ptr<BN_CTX> bn(BN_CTX_secure_new());
  Ptr<BIGNUM> limit(BN_new());
  if (!d || !bn || !limit || BN_bin2bn(impl.secret.data(), kSm2SecretKeyBytes, d.get()) == nullptr)
    return make_error(ErrorCode::kInternal, "out of memory");
  // GB/T 32918 requires d in [1, n-2] (signing inverts 1 + d).
  if (BN_copy(limit.get(), EC_GROUP_get0_order(group())) == nullptr || BN_sub_word(limit.get(), 1) != 1)
    return make_error(ErrorCode::kInternal, "bignum failure");
  if (BN_is_zero(d.get()) || BN_cmp(d.get(), limit.get()) >= 0)
    return make_error(ErrorCode::kMalformed, "sm2 secret key is not a scalar in [1, n-2]");
  Ptr<EC_POINT> p(EC_POINT_new(group()));
  Bytes pub(kSm2PublicKeyBytes);
  if (!p || EC_POINT_mul(group(), p.get(), d.get(), nullptr, nullptr, bn.get()) != 1 ||
      EC_POINT_point2oct(group(), p.get(), POINT_CONVERSION_UNCOMPRESSED, pub.data(), pub.size(), bn.get()) !=
          pub.size())
    return make_error(ErrorCode::kInternal, "sm2 public key derivation failed");
  Ptr<EVP_PKEY> key = make_key(pub, d.get());
  if (!key) return make_error(ErrorCode::kInternal, "sm2 key construction failed");
  FORMICA_ASSIGN_OR_RETURN(auto public_key, PublicKey::from_bytes(Scheme::kSm2, pub));
  impl.public_key = public_key;
  impl.sm2 = key.release();
  return ok_status();
}

Bytes sm2_sign(const PrivateKey::Impl& impl, ByteView message) {
  Ptr<EVP_MD_CTX> md(EVP_MD_CTX_new());
  EVP_PKEY_CTX* pctx = nullptr;  // owned by md
  Bytes sig(kSm2SignatureMaxBytes);
  std::size_t len = sig.size();
  // The ID must be set after init and before the first update (OpenSSL computes Z lazily).
  if (!md || EVP_DigestSignInit_ex(md.get(), &pctx, "SM3", nullptr, nullptr, impl.sm2, nullptr) != 1 ||
      !set_default_id(pctx) ||
      EVP_DigestSign(md.get(), sig.data(), &len, message.data(), message.size()) != 1)
    std::abort();  // a valid key cannot fail to sign except on allocation failure
  sig.resize(len);
  return sig;
}

Status sm2_check_signature(ByteView sig) {
  if (sig.empty() || sig.size() > kSm2SignatureMaxBytes)
    return make_error(ErrorCode::kMalformed, "sm2 signature must be a DER SEQUENCE of at most 72 bytes");
  const unsigned char* p = sig.data();
  Ptr<ECDSA_SIG> parsed(d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(sig.size())));
  if (!parsed || p != sig.data() + sig.size())
    return make_error(ErrorCode::kMalformed, "sm2 signature is not DER");
  // Strict DER: the one encoding of (r, s). BER variants would make signatures malleable.
  unsigned char* der = nullptr;
  int der_len = i2d_ECDSA_SIG(parsed.get(), &der);
  bool same = der_len == static_cast<int>(sig.size()) && std::memcmp(der, sig.data(), sig.size()) == 0;
  OPENSSL_free(der);
  if (!same) return make_error(ErrorCode::kMalformed, "sm2 signature is not strict DER");
  return ok_status();
}

bool sm2_verify(ByteView pub, ByteView message, ByteView sig) {
  if (!sm2_check_signature(sig).ok() || !point_on_curve(pub)) return false;
  Ptr<EVP_PKEY> key = make_key(pub, nullptr);
  Ptr<EVP_MD_CTX> md(EVP_MD_CTX_new());
  EVP_PKEY_CTX* pctx = nullptr;  // owned by md
  if (!key || !md ||
      EVP_DigestVerifyInit_ex(md.get(), &pctx, "SM3", nullptr, nullptr, key.get(), nullptr) != 1 ||
      !set_default_id(pctx))
    return false;
  return EVP_DigestVerify(md.get(), sig.data(), sig.size(), message.data(), message.size()) == 1;
}

bool sm2_verify_digest(ByteView pub, ByteView digest, ByteView sig) {
  if (!sm2_check_signature(sig).ok() || !point_on_curve(pub)) return false;
  Ptr<EVP_PKEY> key = make_key(pub, nullptr);
  if (!key) return false;
  Ptr<EVP_PKEY_CTX> ctx(EVP_PKEY_CTX_new(key.get(), nullptr));
  if (!ctx || EVP_PKEY_verify_init(ctx.get()) != 1 ||
      EVP_PKEY_CTX_set_signature_md(ctx.get(), EVP_sm3()) != 1)
    return false;
  return EVP_PKEY_verify(ctx.get(), sig.data(), sig.size(), digest.data(), digest.size()) == 1;
}

}  // namespace formica::crypto::detail
