#include "formica/crypto/hash.h"

#include <cryptopp/keccak.h>
#include <openssl/evp.h>
#include <sodium.h>

#include <cstdlib>
#include <variant>

namespace formica::crypto {
namespace {

const EVP_MD* evp_md(HashAlg alg) { return alg == HashAlg::kSm3 ? EVP_sm3() : EVP_sha256(); }

Hash32 evp_digest(HashAlg alg, ByteView data) {
  Hash32 out{};
  unsigned int len = 0;
  // EVP_Digest only fails on allocation failure; there is no recovery from that here.
  if (EVP_Digest(data.data(), data.size(), out.data(), &len, evp_md(alg), nullptr) != 1 || len != out.size())
    std::abort();
  return out;
}

}  // namespace

Hash32 sha256(ByteView data) { return evp_digest(HashAlg::kSha256, data); }
Hash32 sm3(ByteView data) { return evp_digest(HashAlg::kSm3, data); }

Hash32 keccak256(ByteView data) {
  Hash32 out{};
  CryptoPP::Keccak_256 k;
  k.CalculateDigest(out.data(), data.data(), data.size());
  return out;
}

Hash32 blake2b256(ByteView data) {
  Hash32 out{};
  crypto_generichash_blake2b(out.data(), out.size(), data.data(), data.size(), nullptr, 0);
  return out;
}

Hash32 hash(HashAlg alg, ByteView data) {
  switch (alg) {
    case HashAlg::kSha256: return sha256(data);
    case HashAlg::kSm3: return sm3(data);
    case HashAlg::kKeccak256: return keccak256(data);
    case HashAlg::kBlake2b256: return blake2b256(data);
  }
  std::abort();
}

std::string_view hash_alg_name(HashAlg alg) {
  switch (alg) {
    case HashAlg::kSha256: return "sha256";
    case HashAlg::kSm3: return "sm3";
    case HashAlg::kKeccak256: return "keccak256";
    case HashAlg::kBlake2b256: return "blake2b-256";
  }
  return "unknown";
}

Result<HashAlg> parse_hash_alg(std::string_view name) {
  for (HashAlg a : {HashAlg::kSha256, HashAlg::kSm3, HashAlg::kKeccak256, HashAlg::kBlake2b256})
    if (hash_alg_name(a) == name) return a;
  return make_error(ErrorCode::kInvalidArgument, "unknown hash algorithm '" + std::string(name) +
                                                     "' (sha256, sm3, keccak256, blake2b-256)");
}

struct Hasher::Impl {
  HashAlg alg;
  EVP_MD_CTX* evp = nullptr;
  CryptoPP::Keccak_256 keccak;
  crypto_generichash_blake2b_state blake{};
  ~Impl() {
    if (evp != nullptr) EVP_MD_CTX_free(evp);
  }
};

Hasher::Hasher(HashAlg alg) : impl_(std::make_unique<Impl>()) {
  impl_->alg = alg;
  if (alg == HashAlg::kSha256 || alg == HashAlg::kSm3) {
    impl_->evp = EVP_MD_CTX_new();
    if (impl_->evp == nullptr || EVP_DigestInit_ex(impl_->evp, evp_md(alg), nullptr) != 1) std::abort();
  } else if (alg == HashAlg::kBlake2b256) {
    crypto_generichash_blake2b_init(&impl_->blake, nullptr, 0, kHashBytes);
  }
}
Hasher::~Hasher() = default;
Hasher::Hasher(Hasher&&) noexcept = default;
Hasher& Hasher::operator=(Hasher&&) noexcept = default;

void Hasher::update(ByteView data) {
  switch (impl_->alg) {
    case HashAlg::kSha256:
    case HashAlg::kSm3: EVP_DigestUpdate(impl_->evp, data.data(), data.size()); break;
    case HashAlg::kKeccak256: impl_->keccak.Update(data.data(), data.size()); break;
    case HashAlg::kBlake2b256:
      crypto_generichash_blake2b_update(&impl_->blake, data.data(), data.size());
      break;
  }
}

Hash32 Hasher::finish() {
  Hash32 out{};
  switch (impl_->alg) {
    case HashAlg::kSha256:
    case HashAlg::kSm3: {
      unsigned int len = 0;
      EVP_DigestFinal_ex(impl_->evp, out.data(), &len);
      break;
    }
    case HashAlg::kKeccak256: impl_->keccak.Final(out.data()); break;
    case HashAlg::kBlake2b256: crypto_generichash_blake2b_final(&impl_->blake, out.data(), out.size()); break;
  }
  return out;
}

}  // namespace formica::crypto
