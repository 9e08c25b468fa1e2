#include "formica/codec/error.h"

namespace formica::codec {

std::string_view codec_error_name(CodecError kind) {
  switch (kind) {
    case CodecError::kTruncated: return "truncated";
    case CodecError::kTrailingBytes: return "trailing_bytes";
    case CodecError::kNonCanonicalVarint: return "non_canonical_varint";
    case CodecError::kVarintOverflow: return "varint_overflow";
    case CodecError::kInvalidBool: return "invalid_bool";
    case CodecError::kInvalidPresence: return "invalid_presence";
    case CodecError::kInvalidUtf8: return "invalid_utf8";
    case CodecError::kInvalidEnum: return "invalid_enum";
    case CodecError::kUnsortedMapKeys: return "unsorted_map_keys";
    case CodecError::kDuplicateMapKey: return "duplicate_map_key";
    case CodecError::kInvalidValue: return "invalid_value";
    case CodecError::kLengthLimit: return "length_limit";
    case CodecError::kCountLimit: return "count_limit";
    case CodecError::kDepthLimit: return "depth_limit";
    case CodecError::kInputLimit: return "input_limit";
    case CodecError::kJsonSyntax: return "json_syntax";
    case CodecError::kJsonType: return "json_type";
    case CodecError::kJsonMissingField: return "json_missing_field";
    case CodecError::kJsonUnknownField: return "json_unknown_field";
    case CodecError::kJsonDuplicateKey: return "json_duplicate_key";
    case CodecError::kJsonBadNumber: return "json_bad_number";
    case CodecError::kJsonBadHex: return "json_bad_hex";
  }
  return "unknown";
}

ErrorCode codec_error_code(CodecError kind) {
  switch (kind) {
    case CodecError::kLengthLimit:
    case CodecError::kCountLimit:
    case CodecError::kDepthLimit:
    case CodecError::kInputLimit: return ErrorCode::kTooLarge;
    default: return ErrorCode::kMalformed;
  }
}

Error Failure::to_error() const {
  std::string msg = "codec ";
  msg += codec_error_name(kind);
  msg += " at ";
  msg += path.empty() ? std::string("<top>") : path;
  msg += " (offset ";
  msg += std::to_string(offset);
  msg += ")";
  if (!detail.empty()) {
    msg += ": ";
    msg += detail;
  }
  return make_error(codec_error_code(kind), std::move(msg));
}

std::string FieldPath::render() const {
  std::string out;
  for (const Seg& s : segs_) {
    if (s.name != nullptr) {
      if (!out.empty()) out += '.';
      out += s.name;
    } else {
      out += '[';
      out += std::to_string(s.index);
      out += ']';
    }
  }
  return out;
}

}  // namespace formica::codec
