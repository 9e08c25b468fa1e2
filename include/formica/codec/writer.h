#pragma once
// Writer: appends the canonical binary encoding of values (docs/codec.md) to a buffer.
//
//   codec::Writer w;
//   w.u64(nonce).bytes(payload).str(memo).value(transfers);
//   FORMICA_ASSIGN_OR_RETURN(Bytes out, std::move(w).finish());
//
// Calls chain; the first problem (a string that is not UTF-8, a length, count or depth over
// the Limits) is remembered, later calls do nothing, and finish() returns it. So a value that
// a decoder would refuse is never encoded, and so never signed.
// Not thread-safe; one Writer per encoding.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>

#include "formica/base/bytes.h"
#include "formica/base/status.h"
#include "formica/codec/error.h"
#include "formica/codec/limits.h"
#include "formica/codec/u128.h"

namespace formica::codec {

class Writer {
 public:
  explicit Writer(const Limits& limits = {}) : limits_(limits) {}

  // Fixed-width big-endian integers (two's complement for the signed ones).
  Writer& u8(std::uint8_t v) { return put_be(v); }
  Writer& u16(std::uint16_t v) { return put_be(v); }
  Writer& u32(std::uint32_t v) { return put_be(v); }
  Writer& u64(std::uint64_t v) { return put_be(v); }
  Writer& u128(U128 v) { return put_be(u128_high(v)).put_be(u128_low(v)); }
  Writer& i8(std::int8_t v) { return put_be(static_cast<std::uint8_t>(v)); }
  Writer& i16(std::int16_t v) { return put_be(static_cast<std::uint16_t>(v)); }
  Writer& i32(std::int32_t v) { return put_be(static_cast<std::uint32_t>(v)); }
  Writer& i64(std::int64_t v) { return put_be(static_cast<std::uint64_t>(v)); }
  Writer& boolean(bool v) { return put_be(static_cast<std::uint8_t>(v ? 1 : 0)); }
  // Minimal unsigned LEB128 (the form used for lengths and counts).
  Writer& uvarint(std::uint64_t v);
  // Length-prefixed byte string / UTF-8 string (uvarint length, then the bytes).
  Writer& bytes(ByteView b);
  Writer& str(std::string_view s);
  // Raw bytes of a fixed-size array: no length prefix.
  Writer& fixed(ByteView b);
  // Element count of a list, set or map (uvarint), checked against Limits::max_count.
  Writer& count(std::size_t n);
  // Presence byte of an optional: 0x00 absent, 0x01 present.
  Writer& presence(bool present) { return boolean(present); }
  // Any value the codec knows (formica/codec/binary.h defines it).
  template <class T>
  Writer& value(const T& v);

  bool ok() const { return !failed_; }
  const Failure& failure() const { return failure_; }
  Status status() const;
  ByteView data() const { return out_; }
  std::size_t size() const { return out_.size(); }
  // The encoding, or the first failure.
  Result<Bytes> finish() &&;

  // For the codec's templates: failure reporting, depth and path bookkeeping, raw buffer.
  void fail(CodecError kind, std::string detail);
  bool enter();  // false (and a kDepthLimit failure) when over Limits::max_depth
  void leave() { --depth_; }
  FieldPath& path() { return path_; }
  Bytes& buffer() { return out_; }
  const Limits& limits() const { return limits_; }

 private:
  template <class T>
  Writer& put_be(T v) {
    static_assert(std::is_unsigned_v<T>);
    if (failed_) return *this;
    for (int shift = 8 * (static_cast<int>(sizeof(T)) - 1); shift >= 0; shift -= 8) {
      out_.push_back(static_cast<std::uint8_t>(v >> shift));
    }
    return *this;
  }

  Bytes out_;
  Limits limits_;
  FieldPath path_;
  Failure failure_;
  bool failed_ = false;
  std::size_t depth_ = 0;
};

}  // namespace formica::codec
