// fuzz-deps: formica_mpc
// Decoders of the private-matching messages. Oracle: a frame that parses and decodes must
// re-encode to exactly the same bytes (one encoding per message); anything else must be a
// typed error, never a crash.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "formica/mpc/messages.h"

using namespace formica;
using namespace formica::mpc;

namespace {

template <typename Decoded>
void check(const Decoded& decoded, ByteView frame) {
  if (!decoded.ok()) return;
  const Bytes again = encode(*decoded);
  if (again.size() != frame.size() || !std::equal(again.begin(), again.end(), frame.begin())) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const ByteView frame(data, size);
  auto parsed = parse_frame(frame);
  if (!parsed.ok()) return 0;
  switch (parsed->type) {
    case MsgType::kHello: check(decode_hello(parsed->payload), frame); break;
    case MsgType::kHelloReply: check(decode_hello_reply(parsed->payload), frame); break;
    case MsgType::kTemplateOt: check(decode_template_ot(parsed->payload), frame); break;
    case MsgType::kShareBatch: check(decode_share_batch(parsed->payload), frame); break;
    case MsgType::kChoices: check(decode_choices(parsed->payload), frame); break;
    case MsgType::kGarbled: check(decode_garbled(parsed->payload), frame); break;
  }
  return 0;
}
