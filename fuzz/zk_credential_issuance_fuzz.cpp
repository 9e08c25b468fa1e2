// fuzz-deps: formica_zk
// Universal ID issuance messages, wallets and keys (zk/credential.h): every decoder is strict,
// so whatever decodes must encode back to the same bytes.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "formica/zk/credential.h"

namespace {
template <class T>
void round_trip(formica::ByteView in) {
  auto r = T::decode(in);
  if (r.ok() && r->encode() != formica::Bytes(in.begin(), in.end())) std::abort();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace formica::zk::cred;
  const formica::ByteView in(data, size);
  round_trip<IssuanceRequest>(in);
  round_trip<IssuanceOffer>(in);
  round_trip<Wallet>(in);
  round_trip<IssuerPublic>(in);
  round_trip<TokenInfo>(in);
  if (auto m = decode_second(in); m.ok() && encode_second(*m) != formica::Bytes(in.begin(), in.end()))
    std::abort();
  if (auto m = decode_third(in); m.ok() && encode_third(*m) != formica::Bytes(in.begin(), in.end()))
    std::abort();
  return 0;
}
