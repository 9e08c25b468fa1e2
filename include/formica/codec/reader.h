#pragma once
// Reader: decodes the canonical binary encoding (docs/codec.md) and refuses every other form.
//
//   codec::Reader r(input);
//   FORMICA_TRY(r.u64(nonce));
//   FORMICA_TRY(r.bytes(payload));
//   FORMICA_TRY(r.finish());  // refuses trailing bytes
//
// Each call returns Status. The first failure is kept (failure(): kind, field path, offset)
// and every later call returns it again, so a Reader never resumes after bad input.
// The Reader never reads outside its input, never allocates more than the input can justify
// (every encoded value takes at least one byte, so a count is first checked against the bytes
// left) and never recurses deeper than Limits::max_depth. Not thread-safe.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <type_traits>

#include "formica/base/bytes.h"
#include "formica/base/status.h"
#include "formica/codec/error.h"
#include "formica/codec/limits.h"
#include "formica/codec/u128.h"

namespace formica::codec {

class Reader {
 public:
  // The input must outlive the Reader. An input over Limits::max_input fails every call.
  explicit Reader(ByteView in, const Limits& limits = {});

  Status u8(std::uint8_t& v) { return get_be(v); }
  Status u16(std::uint16_t& v) { return get_be(v); }
  Status u32(std::uint32_t& v) { return get_be(v); }
  Status u64(std::uint64_t& v) { return get_be(v); }
  Status u128(U128& v);
  Status i8(std::int8_t& v) { return get_signed(v); }
  Status i16(std::int16_t& v) { return get_signed(v); }
  Status i32(std::int32_t& v) { return get_signed(v); }
  Status i64(std::int64_t& v) { return get_signed(v); }
  Status boolean(bool& v);                    // 0x00 or 0x01 only (kInvalidBool)
  Status uvarint(std::uint64_t& v);           // minimal LEB128 only
  Status bytes(Bytes& out);                   // length-prefixed, <= Limits::max_length
  Status str(std::string& out);               // length-prefixed, well-formed UTF-8
  Status fixed(std::span<std::uint8_t> out);  // exactly out.size() raw bytes
  Status count(std::size_t& n);               // <= Limits::max_count and <= bytes left
  Status presence(bool& present);             // 0x00 or 0x01 only (kInvalidPresence)
  // Any value the codec knows (formica/codec/binary.h defines it).
  template <class T>
  Status value(T& v);
  // Succeeds only when every input byte was consumed (kTrailingBytes otherwise).
  Status finish();

  std::size_t offset() const { return pos_; }
  std::size_t remaining() const { return in_.size() - pos_; }
  bool failed() const { return failed_; }
  const Failure& failure() const { return failure_; }

  // For the codec's templates.
  Error fail(CodecError kind, std::string detail) { return fail_at(pos_, kind, std::move(detail)); }
  Error fail_at(std::size_t offset, CodecError kind, std::string detail);
  Status enter();  // kDepthLimit when over Limits::max_depth
  void leave() { --depth_; }
  FieldPath& path() { return path_; }
  ByteView slice(std::size_t begin, std::size_t end) const { return in_.subspan(begin, end - begin); }
  const Limits& limits() const { return limits_; }

 private:
  Status sticky() const { return failure_.to_error(); }
  Status need(std::size_t n, const char* what);

  template <class T>
  Status get_be(T& v) {
    static_assert(std::is_unsigned_v<T>);
    if (failed_) return sticky();
    if (remaining() < sizeof(T)) return need(sizeof(T), "integer");
    T x = 0;
    for (std::size_t i = 0; i < sizeof(T); ++i) x = static_cast<T>((x << 8) | in_[pos_ + i]);
    pos_ += sizeof(T);
    v = x;
    return Status{};
  }
  template <class S>
  Status get_signed(S& v) {
    std::make_unsigned_t<S> u = 0;
    FORMICA_TRY(get_be(u));
    v = static_cast<S>(u);  // two's complement (guaranteed since C++20)
    return Status{};
  }

  ByteView in_;
  std::size_t pos_ = 0;
  Limits limits_;
  FieldPath path_;
  Failure failure_;
  bool failed_ = false;
  std::size_t depth_ = 0;
};

}  // namespace formica::codec
