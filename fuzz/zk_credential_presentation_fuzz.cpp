// fuzz-deps: formica_zk
// Universal ID presentations (zk/credential.h): decode -> encode must give back the input, and
// a decoded presentation runs through the full verifier against a fixed issuer (it must not
// crash; it fails, since the fuzzer cannot forge a token).
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "formica/zk/credential.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace formica::zk::cred;
  const formica::ByteView in(data, size);
  auto p = Presentation::decode(in);
  if (!p.ok()) return 0;
  if (p->encode() != formica::Bytes(in.begin(), in.end())) std::abort();
  static const IssuerSecret issuer =
      make_issuer("fuzz-id",
                  {{"name", AttrType::kString}, {"birth_date", AttrType::kDate}, {"value", AttrType::kInt}})
          .value();
  auto v = verify_presentation(issuer.pub, p->predicates, {}, p->challenge, in);
  if (v.ok()) std::abort();  // no token of this issuer can come out of the fuzzer
  return 0;
}
