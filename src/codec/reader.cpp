#include "formica/codec/reader.h"

#include "formica/codec/utf8.h"

namespace formica::codec {

Reader::Reader(ByteView in, const Limits& limits) : in_(in), limits_(limits) {
  if (in_.size() > limits_.max_input) {
    fail_at(0, CodecError::kInputLimit,
            "input of " + std::to_string(in_.size()) + " bytes, over the limit " +
                std::to_string(limits_.max_input));
  }
}

Error Reader::fail_at(std::size_t offset, CodecError kind, std::string detail) {
  if (!failed_) {
    failed_ = true;
    failure_ = Failure{kind, path_.render(), offset, std::move(detail)};
  }
  return failure_.to_error();
}

Status Reader::need(std::size_t n, const char* what) {
  return fail(CodecError::kTruncated, std::string(what) + " needs " + std::to_string(n) + " bytes, " +
                                          std::to_string(remaining()) + " left");
}

Status Reader::u128(U128& v) {
  std::uint64_t hi = 0, lo = 0;
  FORMICA_TRY(get_be(hi));
  FORMICA_TRY(get_be(lo));
  v = make_u128(hi, lo);
  return Status{};
}

Status Reader::boolean(bool& v) {
  if (failed_) return sticky();
  if (remaining() < 1) return need(1, "bool");
  const std::uint8_t b = in_[pos_];
  if (b > 1) return fail(CodecError::kInvalidBool, "bool byte " + std::to_string(b));
  ++pos_;
  v = b == 1;
  return Status{};
}

Status Reader::presence(bool& present) {
  if (failed_) return sticky();
  if (remaining() < 1) return need(1, "presence byte");
  const std::uint8_t b = in_[pos_];
  if (b > 1) return fail(CodecError::kInvalidPresence, "presence byte " + std::to_string(b));
  ++pos_;
  present = b == 1;
  return Status{};
}

Status Reader::uvarint(std::uint64_t& v) {
  if (failed_) return sticky();
  const std::size_t start = pos_;
  std::uint64_t result = 0;
  for (unsigned i = 0;; ++i) {
    if (pos_ >= in_.size()) return fail_at(start, CodecError::kTruncated, "varint cut short");
    const std::uint8_t b = in_[pos_++];
    // The tenth byte may only carry bit 63: anything else is above 2^64-1 (or longer).
    if (i == 9 && b > 1) return fail_at(start, CodecError::kVarintOverflow, "varint above 2^64-1");
    result |= static_cast<std::uint64_t>(b & 0x7f) << (7 * i);
    if ((b & 0x80) == 0) {
      if (b == 0 && i > 0) {
        return fail_at(start, CodecError::kNonCanonicalVarint, "varint with a redundant 0x00 group");
      }
      break;
    }
  }
  v = result;
  return Status{};
}

Status Reader::bytes(Bytes& out) {
  const std::size_t start = pos_;
  std::uint64_t len = 0;
  FORMICA_TRY(uvarint(len));
  if (len > limits_.max_length) {
    return fail_at(start, CodecError::kLengthLimit,
                   "length " + std::to_string(len) + " over the limit " + std::to_string(limits_.max_length));
  }
  if (len > remaining()) return need(static_cast<std::size_t>(len), "byte string");
  out.assign(in_.begin() + static_cast<std::ptrdiff_t>(pos_),
             in_.begin() + static_cast<std::ptrdiff_t>(pos_ + len));
  pos_ += static_cast<std::size_t>(len);
  return Status{};
}

Status Reader::str(std::string& out) {
  const std::size_t start = pos_;
  std::uint64_t len = 0;
  FORMICA_TRY(uvarint(len));
  if (len > limits_.max_length) {
    return fail_at(start, CodecError::kLengthLimit,
                   "length " + std::to_string(len) + " over the limit " + std::to_string(limits_.max_length));
  }
  if (len > remaining()) return need(static_cast<std::size_t>(len), "string");
  const std::string_view text = as_chars(in_.subspan(pos_, static_cast<std::size_t>(len)));
  const std::size_t bad = utf8_error_offset(text);
  if (bad != text.size()) {
    return fail_at(pos_ + bad, CodecError::kInvalidUtf8,
                   "ill-formed UTF-8 at byte " + std::to_string(bad) + " of the string");
  }
  out.assign(text);
  pos_ += text.size();
  return Status{};
}

Status Reader::fixed(std::span<std::uint8_t> out) {
  if (failed_) return sticky();
  if (remaining() < out.size()) return need(out.size(), "fixed-size array");
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = in_[pos_ + i];
  pos_ += out.size();
  return Status{};
}

Status Reader::count(std::size_t& n) {
  const std::size_t start = pos_;
  std::uint64_t c = 0;
  FORMICA_TRY(uvarint(c));
  if (c > limits_.max_count) {
    return fail_at(start, CodecError::kCountLimit,
                   std::to_string(c) + " elements, over the limit " + std::to_string(limits_.max_count));
  }
  // Every encoded value takes at least one byte, so a count above the bytes left is a lie.
  if (c > remaining()) {
    return fail_at(start, CodecError::kTruncated,
                   std::to_string(c) + " elements but only " + std::to_string(remaining()) + " bytes left");
  }
  n = static_cast<std::size_t>(c);
  return Status{};
}

Status Reader::finish() {
  if (failed_) return sticky();
  if (pos_ != in_.size()) {
    return fail(CodecError::kTrailingBytes, std::to_string(remaining()) + " bytes after the value");
  }
  return Status{};
}

Status Reader::enter() {
  if (failed_) return sticky();
  if (depth_ >= limits_.max_depth) {
    return fail(CodecError::kDepthLimit, "nesting deeper than " + std::to_string(limits_.max_depth));
  }
  ++depth_;
  return Status{};
}

}  // namespace formica::codec
