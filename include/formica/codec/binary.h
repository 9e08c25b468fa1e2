#pragma once
// The canonical binary encoding of whole values (docs/codec.md is the specification):
//
//   FORMICA_ASSIGN_OR_RETURN(Bytes wire, codec::encode(tx));
//   FORMICA_ASSIGN_OR_RETURN(Transaction back, codec::decode<Transaction>(wire));
//
// Supported types: bool; uint8..uint64 and int8..int64 (fixed-width big-endian); U128;
// std::string (UTF-8); Bytes; std::array<uint8_t, N> (N > 0, raw); std::vector<T>;
// std::optional<T> (T not itself optional); std::map<K, V> and std::set<K> (entries sorted by
// the bytes of their encoded keys); enums with formica_codec_enum_valid; structs declared with
// FORMICA_CODEC_FIELDS / FORMICA_CODEC_TRANSPARENT (formica/codec/fields.h).
// Every value encodes to at least one byte. There is exactly one encoding per value: decode
// accepts a byte string only if encode would produce exactly it.

#include <algorithm>
#include <cstring>
#include <utility>
#include <vector>

#include "formica/base/bytes.h"
#include "formica/base/status.h"
#include "formica/codec/error.h"
#include "formica/codec/fields.h"
#include "formica/codec/limits.h"
#include "formica/codec/reader.h"
#include "formica/codec/writer.h"

namespace formica::codec {
namespace detail {

template <class T>
void write_value(Writer& w, const T& v);
template <class T>
Status read_value(Reader& r, T& v);

inline int compare_bytes(ByteView a, ByteView b) {
  const std::size_t n = std::min(a.size(), b.size());
  const int c = n == 0 ? 0 : std::memcmp(a.data(), b.data(), n);
  if (c != 0) return c;
  return a.size() < b.size() ? -1 : (a.size() > b.size() ? 1 : 0);
}

struct WriteVisitor {
  Writer& w;
  template <class F>
  Status field(const char* name, const F& f) {
    w.path().push_field(name);
    write_value(w, f);
    w.path().pop();
    return w.status();
  }
};

struct ReadVisitor {
  Reader& r;
  template <class F>
  Status field(const char* name, F& f) {
    r.path().push_field(name);
    FORMICA_TRY(read_value(r, f));
    r.path().pop();
    return Status{};
  }
};

// Writes the entries of a std::map or std::set in canonical order: each entry is written in
// std::less order, then, unless that order is already canonical, the entries are re-sorted by
// the bytes of their encoded keys.
template <class K, class C, class WriteEntry>
void write_sorted(Writer& w, const C& container, WriteEntry write_entry) {
  if (!w.enter()) return;
  w.count(container.size());
  Bytes& buf = w.buffer();
  const std::size_t base = buf.size();
  struct Entry {
    std::size_t key_begin, key_end, end;
  };
  std::vector<Entry> entries;
  if constexpr (!kOrderPreserving<K>) entries.reserve(container.size());
  w.path().push_index(0);
  std::size_t i = 0;
  for (const auto& item : container) {
    if (!w.ok()) break;
    w.path().set_index(i++);
    const std::size_t key_begin = buf.size();
    const std::size_t key_end = write_entry(item);
    if constexpr (!kOrderPreserving<K>) entries.push_back(Entry{key_begin, key_end, buf.size()});
  }
  w.path().pop();
  if constexpr (!kOrderPreserving<K>) {
    if (!w.ok()) return;
    auto key = [&buf](const Entry& e) { return ByteView(buf).subspan(e.key_begin, e.key_end - e.key_begin); };
    std::sort(entries.begin(), entries.end(),
              [&](const Entry& a, const Entry& b) { return compare_bytes(key(a), key(b)) < 0; });
    for (std::size_t k = 1; k < entries.size(); ++k) {
      if (compare_bytes(key(entries[k - 1]), key(entries[k])) == 0) {
        w.fail(CodecError::kDuplicateMapKey, "two keys with the same encoding");
        return;
      }
    }
    Bytes tail;
    tail.reserve(buf.size() - base);
    for (const Entry& e : entries) tail.insert(tail.end(), buf.begin() + e.key_begin, buf.begin() + e.end);
    buf.resize(base);
    buf.insert(buf.end(), tail.begin(), tail.end());
  }
  w.leave();
}

// Reads the entries of a std::map or std::set, refusing keys that are not in strictly
// ascending encoded order. read_entry(key_begin) reads one entry and returns its key's end.
template <class ReadEntry>
Status read_sorted(Reader& r, ReadEntry read_entry) {
  FORMICA_TRY(r.enter());
  std::size_t n = 0;
  FORMICA_TRY(r.count(n));
  std::size_t prev_begin = 0, prev_end = 0;
  r.path().push_index(0);
  for (std::size_t i = 0; i < n; ++i) {
    r.path().set_index(i);
    const std::size_t key_begin = r.offset();
    std::size_t key_end = 0;
    FORMICA_ASSIGN_OR_RETURN(key_end, read_entry(key_begin));
    if (i > 0) {
      const int c = compare_bytes(r.slice(prev_begin, prev_end), r.slice(key_begin, key_end));
      if (c == 0) return r.fail_at(key_begin, CodecError::kDuplicateMapKey, "key equal to the previous one");
      if (c > 0)
        return r.fail_at(key_begin, CodecError::kUnsortedMapKeys, "key sorts before the previous one");
    }
    prev_begin = key_begin;
    prev_end = key_end;
  }
  r.path().pop();
  r.leave();
  return Status{};
}

template <class T>
void write_value(Writer& w, const T& v) {
  if constexpr (std::is_same_v<T, bool>) {
    w.boolean(v);
  } else if constexpr (std::is_same_v<T, U128>) {
    w.u128(v);
  } else if constexpr (std::is_enum_v<T>) {
    static_assert(ValidatedEnum<T>, "declare bool formica_codec_enum_valid(E) next to the enum");
    if (!formica_codec_enum_valid(v)) {
      w.fail(CodecError::kInvalidEnum, "enum value not defined by its type");
      return;
    }
    write_value(w, static_cast<std::underlying_type_t<T>>(v));
  } else if constexpr (kIsCodecInt<T>) {
    using U = std::make_unsigned_t<T>;
    const U u = static_cast<U>(v);
    if constexpr (sizeof(T) == 1) w.u8(static_cast<std::uint8_t>(u));
    if constexpr (sizeof(T) == 2) w.u16(static_cast<std::uint16_t>(u));
    if constexpr (sizeof(T) == 4) w.u32(static_cast<std::uint32_t>(u));
    if constexpr (sizeof(T) == 8) w.u64(static_cast<std::uint64_t>(u));
  } else if constexpr (std::is_same_v<T, std::string>) {
    w.str(v);
  } else if constexpr (std::is_same_v<T, Bytes>) {
    w.bytes(v);
  } else if constexpr (IsByteArray<T>::value) {
    static_assert(std::tuple_size_v<T> > 0, "fixed-size byte arrays must not be empty");
    w.fixed(v);
  } else if constexpr (IsVector<T>::value) {
    static_assert(!std::is_same_v<typename T::value_type, bool>,
                  "use std::vector<uint8_t> over vector<bool>");
    if (!w.enter()) return;
    w.count(v.size());
    w.path().push_index(0);
    for (std::size_t i = 0; i < v.size() && w.ok(); ++i) {
      w.path().set_index(i);
      write_value(w, v[i]);
    }
    w.path().pop();
    w.leave();
  } else if constexpr (IsOptional<T>::value) {
    static_assert(!IsOptional<typename T::value_type>::value, "optional<optional<T>> has no single form");
    w.presence(v.has_value());
    if (v.has_value()) write_value(w, *v);
  } else if constexpr (IsMap<T>::value) {
    using K = typename T::key_type;
    write_sorted<K>(w, v, [&w](const auto& kv) {
      write_value(w, kv.first);
      const std::size_t key_end = w.size();
      write_value(w, kv.second);
      return key_end;
    });
  } else if constexpr (IsSet<T>::value) {
    using K = typename T::key_type;
    write_sorted<K>(w, v, [&w](const K& k) {
      write_value(w, k);
      return w.size();
    });
  } else if constexpr (CodecStruct<T>) {
    check_struct<T>();
    if constexpr (CheckedStruct<T>) {
      Status st = v.formica_codec_check();
      if (!st.ok()) {
        w.fail(CodecError::kInvalidValue, st.error().message);
        return;
      }
    }
    if (!w.enter()) return;
    WriteVisitor visitor{w};
    (void)T::formica_codec_fields(v, visitor);  // failures are kept in the writer
    w.leave();
  } else {
    static_assert(kAlwaysFalse<T>, "type not supported by formica::codec (see binary.h)");
  }
}

template <class T>
Status read_value(Reader& r, T& v) {
  if constexpr (std::is_same_v<T, bool>) {
    return r.boolean(v);
  } else if constexpr (std::is_same_v<T, U128>) {
    return r.u128(v);
  } else if constexpr (std::is_enum_v<T>) {
    static_assert(ValidatedEnum<T>, "declare bool formica_codec_enum_valid(E) next to the enum");
    const std::size_t start = r.offset();
    std::underlying_type_t<T> raw{};
    FORMICA_TRY(read_value(r, raw));
    const T e = static_cast<T>(raw);
    if (!formica_codec_enum_valid(e)) {
      return r.fail_at(start, CodecError::kInvalidEnum, "enum value " + std::to_string(raw) + " not defined");
    }
    v = e;
    return Status{};
  } else if constexpr (kIsCodecInt<T>) {
    using U = std::make_unsigned_t<T>;
    U u = 0;
    if constexpr (sizeof(T) == 1) FORMICA_TRY(r.u8(u));
    if constexpr (sizeof(T) == 2) FORMICA_TRY(r.u16(u));
    if constexpr (sizeof(T) == 4) FORMICA_TRY(r.u32(u));
    if constexpr (sizeof(T) == 8) {
      std::uint64_t x = 0;
      FORMICA_TRY(r.u64(x));
      u = static_cast<U>(x);
    }
    v = static_cast<T>(u);
    return Status{};
  } else if constexpr (std::is_same_v<T, std::string>) {
    return r.str(v);
  } else if constexpr (std::is_same_v<T, Bytes>) {
    return r.bytes(v);
  } else if constexpr (IsByteArray<T>::value) {
    static_assert(std::tuple_size_v<T> > 0, "fixed-size byte arrays must not be empty");
    return r.fixed(v);
  } else if constexpr (IsVector<T>::value) {
    static_assert(!std::is_same_v<typename T::value_type, bool>,
                  "use std::vector<uint8_t> over vector<bool>");
    FORMICA_TRY(r.enter());
    std::size_t n = 0;
    FORMICA_TRY(r.count(n));
    v.clear();
    v.reserve(std::min<std::size_t>(n, 1024));  // grow with the data, not with a claimed count
    r.path().push_index(0);
    for (std::size_t i = 0; i < n; ++i) {
      r.path().set_index(i);
      v.emplace_back();
      FORMICA_TRY(read_value(r, v.back()));
    }
    r.path().pop();
    r.leave();
    return Status{};
  } else if constexpr (IsOptional<T>::value) {
    static_assert(!IsOptional<typename T::value_type>::value, "optional<optional<T>> has no single form");
    bool present = false;
    FORMICA_TRY(r.presence(present));
    if (!present) {
      v.reset();
      return Status{};
    }
    v.emplace();
    return read_value(r, *v);
  } else if constexpr (IsMap<T>::value) {
    using K = typename T::key_type;
    v.clear();
    return read_sorted(r, [&](std::size_t key_begin) -> Result<std::size_t> {
      K key{};
      FORMICA_TRY(read_value(r, key));
      const std::size_t key_end = r.offset();
      auto [it, inserted] = v.try_emplace(std::move(key));
      if (!inserted) return r.fail_at(key_begin, CodecError::kDuplicateMapKey, "key decoded twice");
      FORMICA_TRY(read_value(r, it->second));
      return key_end;
    });
  } else if constexpr (IsSet<T>::value) {
    using K = typename T::key_type;
    v.clear();
    return read_sorted(r, [&](std::size_t key_begin) -> Result<std::size_t> {
      K key{};
      FORMICA_TRY(read_value(r, key));
      if (!v.insert(std::move(key)).second) {
        return r.fail_at(key_begin, CodecError::kDuplicateMapKey, "element decoded twice");
      }
      return r.offset();
    });
  } else if constexpr (CodecStruct<T>) {
    check_struct<T>();
    const std::size_t start = r.offset();
    FORMICA_TRY(r.enter());
    ReadVisitor visitor{r};
    FORMICA_TRY(T::formica_codec_fields(v, visitor));
    r.leave();
    if constexpr (CheckedStruct<T>) {
      Status st = v.formica_codec_check();
      if (!st.ok()) return r.fail_at(start, CodecError::kInvalidValue, st.error().message);
    }
    return Status{};
  } else {
    static_assert(kAlwaysFalse<T>, "type not supported by formica::codec (see binary.h)");
    return Status{};
  }
}

}  // namespace detail

template <class T>
Writer& Writer::value(const T& v) {
  detail::write_value(*this, v);
  return *this;
}

template <class T>
Status Reader::value(T& v) {
  return detail::read_value(*this, v);
}

// The canonical encoding of `value`, or the failure that makes it unencodable (a string that
// is not UTF-8, a limit, a struct check or an undefined enum value).
template <class T>
Result<Bytes> encode(const T& value, const Limits& limits = {}) {
  Writer w(limits);
  w.value(value);
  return std::move(w).finish();
}

// Decodes exactly one value that fills `in`. On failure, *failure (when given) receives the
// typed reason, field path and offset; the returned Error carries the same in its message.
template <class T>
Result<T> decode(ByteView in, const Limits& limits = {}, Failure* failure = nullptr) {
  Reader r(in, limits);
  T value{};
  Status st = r.value(value);
  if (st.ok()) st = r.finish();
  if (!st.ok()) {
    if (failure != nullptr) *failure = r.failure();
    return st.take_error();
  }
  return value;
}

}  // namespace formica::codec
