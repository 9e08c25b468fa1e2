#pragma once
// RFC 9380 building blocks that no installed library provides: expand_message_xmd (§5.3.1)
// and hash_to_field for the P-256 base field. The curve maps live with their groups
// (P256Point::hash_to_group, RistrettoPoint::hash_to_group).

#include <cstdint>

#include "formica/base/bytes.h"
#include "formica/base/status.h"

namespace formica::zk {

enum class XmdHash : std::uint8_t { kSha256, kSha512 };

// expand_message_xmd(msg, DST, len_in_bytes). Fails (kInvalidArgument) when the DST is empty
// or longer than 255 bytes, or len_in_bytes exceeds 255 * b_in_bytes or 65535.
Result<Bytes> expand_message_xmd(XmdHash hash, ByteView msg, ByteView dst, std::size_t len_in_bytes);

}  // namespace formica::zk
