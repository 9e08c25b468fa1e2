#pragma once
// Hex and base64 text encodings. Decoders are strict: they reject anything that is not the
// one canonical form (odd length, non-hex digits, bad padding, non-zero trailing bits).

#include <string>
#include <string_view>

#include "formica/base/bytes.h"
#include "formica/base/status.h"

namespace formica::base {

std::string to_hex(ByteView data);              // lowercase
Result<Bytes> from_hex(std::string_view text);  // accepts upper or lower case, optional "0x"

std::string to_base64(ByteView data);                 // RFC 4648 §4, padded
std::string to_base64url(ByteView data);              // RFC 4648 §5, unpadded
Result<Bytes> from_base64(std::string_view text);     // padded, canonical
Result<Bytes> from_base64url(std::string_view text);  // unpadded, canonical

}  // namespace formica::base
