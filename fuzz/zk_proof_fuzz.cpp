// fuzz-deps: formica_zk
// Round-trip oracles for the proof decoders: Bulletproofs range proofs (both groups) and
// sigma-protocol instances (LinearRelation); decode -> encode must give back the input.
// A decoded range proof is also run through the verifier (it must not crash; it may fail).
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "formica/zk/bulletproofs.h"
#include "formica/zk/linear_relation.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace formica::zk;
  const formica::ByteView in(data, size);
  if (auto p = RangeProof<Ristretto255>::deserialize(in); p.ok()) {
    if (p->serialize() != formica::Bytes(in.begin(), in.end())) std::abort();
    if (p->L.size() == 3) {  // n = 8, m = 1: cheap enough to verify every time
      static const PedersenGens<Ristretto255> pc;
      static const BulletproofGens<Ristretto255> bp(8);
      const RistrettoPoint v[1] = {p->A};
      (void)verify_range<Ristretto255>(pc, bp, formica::as_bytes("fuzz"), v, *p, 8);
    }
  }
  if (auto p = RangeProof<P256>::deserialize(in); p.ok()) {
    if (p->serialize() != formica::Bytes(in.begin(), in.end())) std::abort();
  }
  if (auto r = LinearRelation<P256>::deserialize(in); r.ok()) {
    if (r->serialize() != formica::Bytes(in.begin(), in.end())) std::abort();
    (void)r->validate();
  }
  if (auto r = LinearRelation<Ristretto255>::deserialize(in); r.ok()) {
    if (r->serialize() != formica::Bytes(in.begin(), in.end())) std::abort();
    (void)r->validate();
  }
  return 0;
}
