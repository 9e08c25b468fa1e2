#include "formica/zk/transcript.h"

namespace formica::zk {

Transcript::Transcript(std::string_view protocol, ByteView context)
    : sponge_(DuplexSponge::derive_session_id(as_bytes(protocol))) {
  absorb_len_prefixed(context);
}

void Transcript::absorb_len_prefixed(ByteView data) {
  const std::uint64_t n = data.size();
  const std::uint8_t len[4] = {static_cast<std::uint8_t>(n), static_cast<std::uint8_t>(n >> 8),
                               static_cast<std::uint8_t>(n >> 16), static_cast<std::uint8_t>(n >> 24)};
  sponge_.absorb(ByteView(len, 4));
  sponge_.absorb(data);
}

void Transcript::append(std::string_view label, ByteView data) {
  absorb_len_prefixed(as_bytes(label));
  absorb_len_prefixed(data);
}

void Transcript::append_u64(std::string_view label, std::uint64_t v) {
  std::uint8_t le[8];
  for (int i = 0; i < 8; ++i) le[i] = static_cast<std::uint8_t>(v >> (8 * i));
  append(label, ByteView(le, 8));
}

ByteArray<48> Transcript::challenge_bytes(std::string_view label) {
  absorb_len_prefixed(as_bytes(label));
  ByteArray<48> out;
  sponge_.squeeze(out);
  return out;
}

}  // namespace formica::zk
