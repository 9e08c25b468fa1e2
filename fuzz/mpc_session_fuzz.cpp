// fuzz-deps: formica_mpc
// A whole matching session (in memory, seeded) in which one frame — chosen by the first input
// byte — is replaced by the rest of the input. Either side must end with a typed error or finish
// with one bit per observation; never crash, hang or return another shape.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "formica/mpc/matching.h"

using namespace formica;
using namespace formica::mpc;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1 || size > (1u << 16)) return 0;
  static const auto fixture = [] {
    FaceGenerator gen(5);
    auto owner = gen.new_identity();
    std::pair<Embedding, std::vector<Embedding>> f{gen.enrol(owner), {}};
    for (int k = 0; k < 3; ++k) f.second.push_back(gen.observe(k ? gen.new_identity() : owner));
    return f;
  }();
  MatchParams params;
  params.batch_size = 2;  // two batches: 9 frames
  Seed s1{}, s2{};
  s2[0] = 1;
  auto phone = PhoneSession::create(fixture.first, params, Prg(s1));
  auto sensor = SensorSession::create(fixture.second, params, Prg(s2));
  if (!phone.ok() || !sensor.ok()) std::abort();
  const std::size_t target = data[0] % 9;
  const Bytes replacement(data + 1, data + size);
  auto r = run_in_memory(*phone, *sensor, nullptr, [&](bool, std::size_t index, Bytes& frame) {
    if (index == target) frame = replacement;
  });
  if (r.ok() && r->size() != fixture.second.size()) std::abort();
  if (!r.ok() && r.code() == ErrorCode::kInternal) std::abort();
  return 0;
}
