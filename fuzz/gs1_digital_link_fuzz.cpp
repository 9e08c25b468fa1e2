// fuzz-deps: formica_gs1
// GS1 Digital Link parser. Oracles: a parsed link's canonical URI parses back to the same keys
// and data attributes (round trip); its EPC URI, when one exists, parses back to keys that
// agree with the link's; canonical hash-normalisation never throws.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "formica/gs1/digital_link.h"
#include "formica/gs1/event_hash.h"
#include "formica/gs1/identifiers.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view uri(reinterpret_cast<const char*>(data), size);
  (void)formica::gs1::canonical_digital_link(uri);
  auto dl = formica::gs1::parse_digital_link(uri);
  if (!dl.ok()) return 0;
  auto again = formica::gs1::parse_digital_link(formica::gs1::canonical_uri(*dl));
  if (!again.ok()) std::abort();
  if (!(again->id == dl->id) || !(again->attributes == dl->attributes)) std::abort();
  auto epc = formica::gs1::to_epc_uri(dl->id, 7);
  if (!epc.ok()) return 0;
  auto parsed = formica::gs1::parse_epc_uri(*epc);
  if (!parsed.ok()) std::abort();
  for (const auto& k : parsed->id.keys) {
    const std::string* v = dl->id.find(k.ai);
    if (v == nullptr || *v != k.value) std::abort();
  }
  return 0;
}
