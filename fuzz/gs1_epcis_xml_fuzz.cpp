// fuzz-deps: formica_gs1
// EPCIS XML reader (2.0 and 1.2). Oracles: reading is deterministic (two reads give equal trees and
// verdicts); every valid event's pre-hash starts with its event type and hashing it is
// deterministic; the reader never throws, aborts or reads out of bounds.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "formica/gs1/epcis.h"
#include "formica/gs1/event_hash.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  if (text.empty() || text[0] != '<') return 0;  // the JSON target covers '{'
  formica::gs1::ParseLimits limits;
  limits.max_bytes = 1 << 20;
  auto a = formica::gs1::parse_epcis(text, limits);
  auto b = formica::gs1::parse_epcis(text, limits);
  if (a.ok() != b.ok()) std::abort();
  if (!a.ok()) return 0;
  if (a->events.size() != b->events.size()) std::abort();
  for (std::size_t i = 0; i < a->events.size(); ++i) {
    const auto& e = a->events[i];
    if (!(e.tree == b->events[i].tree) || e.error != b->events[i].error) std::abort();
    if (!e.event) continue;
    std::string pre = formica::gs1::event_prehash(e.tree, a->ignored_fields);
    if (pre.rfind("eventType=" + e.tree.name, 0) != 0) std::abort();
    if (formica::gs1::event_hash_id(pre) !=
        formica::gs1::event_hash_id(formica::gs1::event_prehash(e.tree, a->ignored_fields)))
      std::abort();
  }
  return 0;
}
