#include "formica/codec/writer.h"

#include "formica/codec/utf8.h"

namespace formica::codec {

Writer& Writer::uvarint(std::uint64_t v) {
  if (failed_) return *this;
  while (v >= 0x80) {
    out_.push_back(static_cast<std::uint8_t>(v | 0x80));
    v >>= 7;
  }
  out_.push_back(static_cast<std::uint8_t>(v));
  return *this;
}

Writer& Writer::bytes(ByteView b) {
  if (failed_) return *this;
  if (b.size() > limits_.max_length) {
    fail(CodecError::kLengthLimit,
         "length " + std::to_string(b.size()) + " over the limit " + std::to_string(limits_.max_length));
    return *this;
  }
  uvarint(b.size());
  out_.insert(out_.end(), b.begin(), b.end());
  return *this;
}

Writer& Writer::str(std::string_view s) {
  if (failed_) return *this;
  const std::size_t bad = utf8_error_offset(s);
  if (bad != s.size()) {
    fail(CodecError::kInvalidUtf8, "ill-formed UTF-8 at byte " + std::to_string(bad) + " of the string");
    return *this;
  }
  return bytes(as_bytes(s));
}

Writer& Writer::fixed(ByteView b) {
  if (failed_) return *this;
  out_.insert(out_.end(), b.begin(), b.end());
  return *this;
}

Writer& Writer::count(std::size_t n) {
  if (failed_) return *this;
  if (n > limits_.max_count) {
    fail(CodecError::kCountLimit,
         std::to_string(n) + " elements, over the limit " + std::to_string(limits_.max_count));
    return *this;
  }
  return uvarint(n);
}

Status Writer::status() const {
  if (failed_) return failure_.to_error();
  return Status{};
}

Result<Bytes> Writer::finish() && {
  if (failed_) return failure_.to_error();
  if (out_.size() > limits_.max_input) {
    Failure f{CodecError::kInputLimit, "", out_.size(),
              "encoding of " + std::to_string(out_.size()) + " bytes, over the limit " +
                  std::to_string(limits_.max_input)};
    return f.to_error();
  }
  return std::move(out_);
}

void Writer::fail(CodecError kind, std::string detail) {
  if (failed_) return;
  failed_ = true;
  failure_ = Failure{kind, path_.render(), out_.size(), std::move(detail)};
}

bool Writer::enter() {
  if (failed_) return false;
  if (depth_ >= limits_.max_depth) {
    fail(CodecError::kDepthLimit, "nesting deeper than " + std::to_string(limits_.max_depth));
    return false;
  }
  ++depth_;
  return true;
}

}  // namespace formica::codec
