#pragma once
// Typed codec failures. Every decoder (binary and JSON) reports the first problem it meets as
// a Failure: a CodecError kind (for code that branches, e.g. to penalise a peer), the field
// path where it happened ("transfers[2].amount"), the byte offset (binary input) and a detail
// for people. Failure::to_error() maps it onto base::Error: limit kinds become
// ErrorCode::kTooLarge, every other kind ErrorCode::kMalformed.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "formica/base/status.h"

namespace formica::codec {

enum class CodecError : std::uint8_t {
  kTruncated = 1,       // the input ends inside a value
  kTrailingBytes,       // bytes left after the top-level value
  kNonCanonicalVarint,  // a length or count varint with a redundant trailing 0x00 group
  kVarintOverflow,      // a varint longer than 10 bytes or above 2^64-1
  kInvalidBool,         // a boolean byte other than 0x00/0x01
  kInvalidPresence,     // an optional's presence byte other than 0x00/0x01
  kInvalidUtf8,         // a string that is not well-formed UTF-8
  kInvalidEnum,         // an enum value the type does not define
  kUnsortedMapKeys,     // map keys (or set elements) not in ascending encoded order
  kDuplicateMapKey,     // two equal map keys (or set elements)
  kInvalidValue,        // a struct's own check (formica_codec_check) refused the value
  kLengthLimit,         // a byte string or string longer than Limits::max_length
  kCountLimit,          // a list, set or map with more than Limits::max_count elements
  kDepthLimit,          // nesting deeper than Limits::max_depth
  kInputLimit,          // the whole input is larger than Limits::max_input
  kJsonSyntax,          // not JSON text (or not UTF-8)
  kJsonType,            // a JSON value of the wrong type for the field
  kJsonMissingField,    // a struct field absent from its JSON object
  kJsonUnknownField,    // a JSON object member that the struct does not declare
  kJsonDuplicateKey,    // the same member twice in one JSON object
  kJsonBadNumber,       // a number or decimal string out of range or not in canonical form
  kJsonBadHex,          // a byte string that is not even-length lowercase hex of the right size
};

// "truncated", "trailing_bytes", ... (stable snake_case names, used in docs/codec.md).
std::string_view codec_error_name(CodecError kind);
// kTooLarge for the four limit kinds, kMalformed otherwise.
ErrorCode codec_error_code(CodecError kind);

struct Failure {
  CodecError kind = CodecError::kTruncated;
  std::string path;        // "" for the top-level value, else e.g. "transfers[2].amount"
  std::size_t offset = 0;  // byte offset in the binary input (0 for JSON)
  std::string detail;      // for people; never parsed

  // code = codec_error_code(kind); message "codec <kind> at <path> (offset N): <detail>".
  Error to_error() const;
};

// The position inside a value while encoding or decoding, kept cheaply (field names are string
// literals; indexes are numbers) and rendered only when a failure is reported.
class FieldPath {
 public:
  void push_field(const char* name) { segs_.push_back(Seg{name, 0}); }
  void push_index(std::size_t index) { segs_.push_back(Seg{nullptr, index}); }
  void pop() { segs_.pop_back(); }
  // Replaces the index of the innermost segment (cheaper than pop + push in loops).
  void set_index(std::size_t index) { segs_.back().index = index; }
  std::string render() const;

 private:
  struct Seg {
    const char* name;  // nullptr for a list index
    std::size_t index;
  };
  std::vector<Seg> segs_;
};

}  // namespace formica::codec
