// fuzz-deps: formica_crypto formica_base
// Public-key and signature decoding for every scheme, and secp256k1 recovery. Input layout:
// byte 0 picks the scheme, then the public key (its scheme's size), then one length byte for the
// signature, then the signature, then the message. Oracles: nothing aborts on hostile bytes; a
// signature that verifies is well-formed; a key recovered from a signature verifies it.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "formica/crypto/signature.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace formica::crypto;
  if (size < 2) return 0;
  formica::ByteView in(data, size);
  Scheme scheme = kAllSchemes[in[0] % kAllSchemes.size()];
  in = in.subspan(1);
  std::size_t pk_len = public_key_size(scheme);
  if (in.size() < pk_len + 1) return 0;
  auto key = PublicKey::from_bytes(scheme, in.first(pk_len));
  in = in.subspan(pk_len);
  std::size_t sig_len = in[0];
  in = in.subspan(1);
  if (in.size() < sig_len) return 0;
  formica::ByteView sig = in.first(sig_len);
  formica::ByteView msg = in.subspan(sig_len);
  bool well_formed = check_signature_encoding(scheme, sig).ok();
  if (key.ok()) {
    if (key->bytes().size() != pk_len) std::abort();
    if (verify(*key, msg, sig) && !well_formed) std::abort();
  }
  if (sig.size() == kSecp256k1RecoverableSignatureBytes) {
    if (auto pub = recover_public_key(msg, sig); pub.ok()) {
      if (!verify(*pub, msg, sig.first(kSecp256k1SignatureBytes))) std::abort();
    }
  }
  return 0;
}
