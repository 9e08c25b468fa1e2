// expand_message_xmd (RFC 9380 §5.3.1, with the §5.3.3 rule for DSTs over 255 bytes).
// Hand-written because OpenSSL 3.0 has no hash-to-curve; the hash itself is OpenSSL's.
#include "formica/zk/hash_to_curve.h"

#include <openssl/evp.h>

#include <cstdlib>
#include <memory>
#include <string_view>

namespace formica::zk {
namespace {

struct MdCtxFree {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};

Bytes digest(const EVP_MD* md, std::initializer_list<ByteView> parts) {
  std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
  Bytes out(static_cast<std::size_t>(EVP_MD_get_size(md)));
  unsigned int len = 0;
  bool ok = ctx && EVP_DigestInit_ex(ctx.get(), md, nullptr) == 1;
  for (ByteView p : parts) ok = ok && EVP_DigestUpdate(ctx.get(), p.data(), p.size()) == 1;
  ok = ok && EVP_DigestFinal_ex(ctx.get(), out.data(), &len) == 1;
  if (!ok) std::abort();  // OpenSSL's built-in SHA-2 cannot fail short of memory exhaustion
  return out;
}

}  // namespace

Result<Bytes> expand_message_xmd(XmdHash hash, ByteView msg, ByteView dst, std::size_t len_in_bytes) {
  const EVP_MD* md = hash == XmdHash::kSha256 ? EVP_sha256() : EVP_sha512();
  const std::size_t b_in_bytes = hash == XmdHash::kSha256 ? 32 : 64;
  const std::size_t s_in_bytes = hash == XmdHash::kSha256 ? 64 : 128;
  if (dst.empty()) return make_error(ErrorCode::kInvalidArgument, "expand_message_xmd: empty DST");
  Bytes dst_prime;
  if (dst.size() > 255) {
    dst_prime = digest(md, {as_bytes(std::string_view("H2C-OVERSIZE-DST-")), dst});
  } else {
    dst_prime.assign(dst.begin(), dst.end());
  }
  dst_prime.push_back(static_cast<std::uint8_t>(dst_prime.size()));
  const std::size_t ell = (len_in_bytes + b_in_bytes - 1) / b_in_bytes;
  if (ell > 255 || len_in_bytes > 65535 || len_in_bytes == 0) {
    return make_error(ErrorCode::kInvalidArgument, "expand_message_xmd: bad output length");
  }
  const Bytes z_pad(s_in_bytes, 0);
  const std::uint8_t l_i_b_str[2] = {static_cast<std::uint8_t>(len_in_bytes >> 8),
                                     static_cast<std::uint8_t>(len_in_bytes & 0xff)};
  const std::uint8_t zero = 0;
  Bytes b0 = digest(md, {z_pad, msg, ByteView(l_i_b_str, 2), ByteView(&zero, 1), dst_prime});
  std::uint8_t counter = 1;
  Bytes bi = digest(md, {b0, ByteView(&counter, 1), dst_prime});
  Bytes out = bi;
  for (std::size_t i = 2; i <= ell; ++i) {
    Bytes x(b_in_bytes);
    for (std::size_t j = 0; j < b_in_bytes; ++j) x[j] = b0[j] ^ bi[j];
    counter = static_cast<std::uint8_t>(i);
    bi = digest(md, {x, ByteView(&counter, 1), dst_prime});
    base::append(out, bi);
  }
  out.resize(len_in_bytes);
  return out;
}

}  // namespace formica::zk
