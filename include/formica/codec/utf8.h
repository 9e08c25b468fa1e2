#pragma once
// Strict UTF-8 validation (RFC 3629): no overlong forms, no surrogates (U+D800..U+DFFF), no
// code points above U+10FFFF, no truncated sequences. Every string the codec encodes or
// decodes passes this check.

#include <cstddef>
#include <string_view>

namespace formica::codec {

bool is_valid_utf8(std::string_view text);
// The offset of the first byte of the first ill-formed sequence, or text.size() when valid.
std::size_t utf8_error_offset(std::string_view text);

}  // namespace formica::codec
