#pragma once
// The JSON mapping used by RPC (docs/codec.md §JSON), driven by the same field declarations as
// the binary encoding:
//
//   FORMICA_ASSIGN_OR_RETURN(std::string text, codec::to_json_text(tx));
//   FORMICA_ASSIGN_OR_RETURN(Transaction tx, codec::from_json_text<Transaction>(text));
//
//   bool                      true / false
//   uint8..32, int8..32, enum JSON integer
//   uint64, int64, U128       decimal string ("0", "18446744073709551615", "-5"), no leading zeros
//   std::string               JSON string
//   Bytes, std::array<u8, N>  lowercase hex string without 0x ("" for empty bytes)
//   std::vector               array
//   std::set                  array, in canonical (binary) order
//   std::optional             null when absent (the member is still required)
//   std::map                  object when the key's JSON form is a string, else [[key, value], ...]
//                             in canonical (binary) order
//   struct                    object keyed by field name (transparent structs: their field's form)
//
// Decoding is as strict as the binary decoder: wrong types, missing or unknown members,
// duplicate members, non-canonical numbers or hex and over-limit values are typed failures.
// A decoded value re-encodes to the same binary encoding and the same compact JSON text.

#include <algorithm>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "formica/base/bytes.h"
#include "formica/base/status.h"
#include "formica/codec/binary.h"
#include "formica/codec/error.h"
#include "formica/codec/fields.h"
#include "formica/codec/limits.h"

namespace formica::codec {

using Json = nlohmann::json;

// Bookkeeping shared by the JSON writer and reader: limits, depth, path and the first failure.
class JsonState {
 public:
  explicit JsonState(const Limits& limits) : limits_(limits) {}
  bool ok() const { return !failed_; }
  const Failure& failure() const { return failure_; }
  Error fail(CodecError kind, std::string detail);
  Status status() const;
  Status enter();
  void leave() { --depth_; }
  FieldPath& path() { return path_; }
  const Limits& limits() const { return limits_; }

 private:
  Limits limits_;
  FieldPath path_;
  Failure failure_;
  bool failed_ = false;
  std::size_t depth_ = 0;
};

// Parses JSON text strictly: at most Limits::max_input bytes, UTF-8, no duplicate member in
// any object (kJsonDuplicateKey), nesting bounded. Never throws.
Result<Json> parse_json(std::string_view text, const Limits& limits = {}, Failure* failure = nullptr);

namespace detail {

// Non-template helpers (json.cpp).
Status json_string_out(JsonState& s, std::string_view text, Json& out);
Status json_bytes_out(JsonState& s, ByteView bytes, Json& out);
Status json_string_in(JsonState& s, const Json& j, std::string& out);
Status json_bytes_in(JsonState& s, const Json& j, Bytes& out);
Status json_fixed_in(JsonState& s, const Json& j, std::uint8_t* out, std::size_t size);
Status json_u64_in(JsonState& s, const Json& j, std::uint64_t& out);
Status json_i64_in(JsonState& s, const Json& j, std::int64_t& out);
Status json_u128_in(JsonState& s, const Json& j, U128& out);
// A JSON integer within [lo, hi] (small integer types and enums).
Status json_small_int_in(JsonState& s, const Json& j, std::int64_t lo, std::uint64_t hi, std::int64_t& out);
Status json_type_error(JsonState& s, const Json& j, const char* expected);
Status json_count(JsonState& s, std::size_t n);

template <class T>
Status to_json_value(JsonState& s, const T& v, Json& out);
template <class T>
Status from_json_value(JsonState& s, const Json& j, T& v);

// Types whose JSON form is a string; a std::map keyed by one of them maps to a JSON object.
template <class T>
constexpr bool json_is_string() {
  if constexpr (std::is_same_v<T, std::string> || std::is_same_v<T, Bytes> || std::is_same_v<T, U128> ||
                IsByteArray<T>::value) {
    return true;
  } else if constexpr (kIsCodecInt<T>) {
    return sizeof(T) == 8;
  } else if constexpr (CodecStruct<T>) {
    if constexpr (T::formica_codec_transparent) {
      using Inner = std::remove_cvref_t<decltype(T::formica_codec_inner(std::declval<T&>()))>;
      return json_is_string<Inner>();
    } else {
      return false;
    }
  } else {
    return false;
  }
}

struct JsonWriteVisitor {
  JsonState& s;
  Json& obj;
  template <class F>
  Status field(const char* name, const F& f) {
    s.path().push_field(name);
    Json value;
    FORMICA_TRY(to_json_value(s, f, value));
    s.path().pop();
    obj[name] = std::move(value);
    return Status{};
  }
};

struct JsonTransparentWriteVisitor {
  JsonState& s;
  Json& out;
  template <class F>
  Status field(const char*, const F& f) {
    return to_json_value(s, f, out);
  }
};

struct JsonReadVisitor {
  JsonState& s;
  const Json& obj;
  template <class F>
  Status field(const char* name, F& f) {
    auto it = obj.find(name);
    if (it == obj.end())
      return s.fail(CodecError::kJsonMissingField, std::string("missing member \"") + name + "\"");
    s.path().push_field(name);
    FORMICA_TRY(from_json_value(s, *it, f));
    s.path().pop();
    return Status{};
  }
};

struct JsonTransparentReadVisitor {
  JsonState& s;
  const Json& j;
  template <class F>
  Status field(const char*, F& f) {
    return from_json_value(s, j, f);
  }
};

// The elements of a std::set or the entries of a std::map in canonical order (ascending
// encoded key bytes), as the binary encoding has them.
template <class C, class KeyOf>
Result<std::vector<const typename C::value_type*>> canonical_order(JsonState& s, const C& c, KeyOf key_of) {
  using K = typename C::key_type;
  std::vector<const typename C::value_type*> out;
  out.reserve(c.size());
  if constexpr (kOrderPreserving<K>) {
    for (const auto& e : c) out.push_back(&e);
  } else {
    std::vector<std::pair<Bytes, const typename C::value_type*>> keyed;
    keyed.reserve(c.size());
    for (const auto& e : c) {
      Writer w(s.limits());
      w.value(key_of(e));
      if (!w.ok()) return s.fail(w.failure().kind, w.failure().detail);
      keyed.emplace_back(to_bytes(w.data()), &e);
    }
    std::sort(keyed.begin(), keyed.end(),
              [](const auto& a, const auto& b) { return compare_bytes(a.first, b.first) < 0; });
    for (const auto& k : keyed) out.push_back(k.second);
  }
  return out;
}

template <class T>
Status to_json_value(JsonState& s, const T& v, Json& out) {
  if constexpr (std::is_same_v<T, bool>) {
    out = v;
  } else if constexpr (std::is_same_v<T, U128>) {
    out = u128_to_decimal(v);
  } else if constexpr (std::is_enum_v<T>) {
    static_assert(ValidatedEnum<T>, "declare bool formica_codec_enum_valid(E) next to the enum");
    if (!formica_codec_enum_valid(v))
      return s.fail(CodecError::kInvalidEnum, "enum value not defined by its type");
    return to_json_value(s, static_cast<std::underlying_type_t<T>>(v), out);
  } else if constexpr (kIsCodecInt<T>) {
    if constexpr (sizeof(T) == 8) {
      out = std::to_string(v);
    } else if constexpr (std::is_unsigned_v<T>) {
      out = static_cast<std::uint64_t>(v);
    } else {
      out = static_cast<std::int64_t>(v);
    }
  } else if constexpr (std::is_same_v<T, std::string>) {
    return json_string_out(s, v, out);
  } else if constexpr (std::is_same_v<T, Bytes>) {
    return json_bytes_out(s, v, out);
  } else if constexpr (IsByteArray<T>::value) {
    static_assert(std::tuple_size_v<T> > 0, "fixed-size byte arrays must not be empty");
    return json_bytes_out(s, v, out);
  } else if constexpr (IsVector<T>::value || IsSet<T>::value) {
    FORMICA_TRY(s.enter());
    FORMICA_TRY(json_count(s, v.size()));
    std::vector<const typename T::value_type*> items;
    if constexpr (IsSet<T>::value) {
      FORMICA_ASSIGN_OR_RETURN(items, canonical_order(
                                          s, v, [](const auto& k) -> const auto& { return k; }));
    } else {
      items.reserve(v.size());
      for (const auto& e : v) items.push_back(&e);
    }
    out = Json::array();
    s.path().push_index(0);
    std::size_t i = 0;
    for (const auto* e : items) {
      s.path().set_index(i++);
      Json item;
      FORMICA_TRY(to_json_value(s, *e, item));
      out.push_back(std::move(item));
    }
    s.path().pop();
    s.leave();
  } else if constexpr (IsOptional<T>::value) {
    if (!v.has_value()) {
      out = nullptr;
      return Status{};
    }
    return to_json_value(s, *v, out);
  } else if constexpr (IsMap<T>::value) {
    using K = typename T::key_type;
    FORMICA_TRY(s.enter());
    FORMICA_TRY(json_count(s, v.size()));
    out = json_is_string<K>() ? Json::object() : Json::array();
    std::vector<const typename T::value_type*> entries;
    FORMICA_ASSIGN_OR_RETURN(entries, canonical_order(
                                          s, v, [](const auto& kv) -> const auto& { return kv.first; }));
    s.path().push_index(0);
    std::size_t i = 0;
    for (const auto* entry : entries) {
      const auto& [key, value] = *entry;
      s.path().set_index(i++);
      Json jk, jv;
      FORMICA_TRY(to_json_value(s, key, jk));
      FORMICA_TRY(to_json_value(s, value, jv));
      if constexpr (json_is_string<K>()) {
        out[jk.template get_ref<const std::string&>()] = std::move(jv);
      } else {
        out.push_back(Json::array({std::move(jk), std::move(jv)}));
      }
    }
    s.path().pop();
    s.leave();
  } else if constexpr (CodecStruct<T>) {
    check_struct<T>();
    if constexpr (CheckedStruct<T>) {
      Status st = v.formica_codec_check();
      if (!st.ok()) return s.fail(CodecError::kInvalidValue, st.error().message);
    }
    FORMICA_TRY(s.enter());
    if constexpr (T::formica_codec_transparent) {
      JsonTransparentWriteVisitor visitor{s, out};
      FORMICA_TRY(T::formica_codec_fields(v, visitor));
    } else {
      out = Json::object();
      JsonWriteVisitor visitor{s, out};
      FORMICA_TRY(T::formica_codec_fields(v, visitor));
    }
    s.leave();
  } else {
    static_assert(kAlwaysFalse<T>, "type not supported by formica::codec (see binary.h)");
  }
  return Status{};
}

template <class T>
Status from_json_value(JsonState& s, const Json& j, T& v) {
  if constexpr (std::is_same_v<T, bool>) {
    if (!j.is_boolean()) return json_type_error(s, j, "a boolean");
    v = j.get<bool>();
  } else if constexpr (std::is_same_v<T, U128>) {
    return json_u128_in(s, j, v);
  } else if constexpr (std::is_enum_v<T>) {
    static_assert(ValidatedEnum<T>, "declare bool formica_codec_enum_valid(E) next to the enum");
    std::underlying_type_t<T> raw{};
    FORMICA_TRY(from_json_value(s, j, raw));
    const T e = static_cast<T>(raw);
    if (!formica_codec_enum_valid(e)) {
      return s.fail(CodecError::kInvalidEnum, "enum value " + std::to_string(raw) + " not defined");
    }
    v = e;
  } else if constexpr (kIsCodecInt<T>) {
    if constexpr (sizeof(T) == 8 && std::is_unsigned_v<T>) {
      std::uint64_t x = 0;
      FORMICA_TRY(json_u64_in(s, j, x));
      v = static_cast<T>(x);
    } else if constexpr (sizeof(T) == 8) {
      std::int64_t x = 0;
      FORMICA_TRY(json_i64_in(s, j, x));
      v = static_cast<T>(x);
    } else {
      std::int64_t x = 0;
      FORMICA_TRY(json_small_int_in(s, j, static_cast<std::int64_t>(std::numeric_limits<T>::min()),
                                    static_cast<std::uint64_t>(std::numeric_limits<T>::max()), x));
      v = static_cast<T>(x);
    }
  } else if constexpr (std::is_same_v<T, std::string>) {
    return json_string_in(s, j, v);
  } else if constexpr (std::is_same_v<T, Bytes>) {
    return json_bytes_in(s, j, v);
  } else if constexpr (IsByteArray<T>::value) {
    static_assert(std::tuple_size_v<T> > 0, "fixed-size byte arrays must not be empty");
    return json_fixed_in(s, j, v.data(), v.size());
  } else if constexpr (IsVector<T>::value || IsSet<T>::value) {
    if (!j.is_array()) return json_type_error(s, j, "an array");
    FORMICA_TRY(s.enter());
    FORMICA_TRY(json_count(s, j.size()));
    v.clear();
    if constexpr (IsVector<T>::value) v.reserve(j.size());
    s.path().push_index(0);
    for (std::size_t i = 0; i < j.size(); ++i) {
      s.path().set_index(i);
      if constexpr (IsVector<T>::value) {
        v.emplace_back();
        FORMICA_TRY(from_json_value(s, j[i], v.back()));
      } else {
        typename T::key_type k{};
        FORMICA_TRY(from_json_value(s, j[i], k));
        if (!v.insert(std::move(k)).second) return s.fail(CodecError::kDuplicateMapKey, "set element twice");
      }
    }
    s.path().pop();
    s.leave();
  } else if constexpr (IsOptional<T>::value) {
    if (j.is_null()) {
      v.reset();
      return Status{};
    }
    v.emplace();
    return from_json_value(s, j, *v);
  } else if constexpr (IsMap<T>::value) {
    using K = typename T::key_type;
    constexpr bool as_object = json_is_string<K>();
    if (as_object ? !j.is_object() : !j.is_array()) {
      return json_type_error(s, j, as_object ? "an object" : "an array of [key, value] pairs");
    }
    FORMICA_TRY(s.enter());
    FORMICA_TRY(json_count(s, j.size()));
    v.clear();
    s.path().push_index(0);
    std::size_t i = 0;
    for (auto it = j.begin(); it != j.end(); ++it) {
      s.path().set_index(i++);
      K key{};
      const Json* value = nullptr;
      if constexpr (as_object) {
        FORMICA_TRY(from_json_value(s, Json(it.key()), key));
        value = &it.value();
      } else {
        if (!it->is_array() || it->size() != 2) return json_type_error(s, *it, "a [key, value] pair");
        FORMICA_TRY(from_json_value(s, (*it)[0], key));
        value = &(*it)[1];
      }
      auto [pos, inserted] = v.try_emplace(std::move(key));
      if (!inserted) return s.fail(CodecError::kDuplicateMapKey, "map key twice");
      FORMICA_TRY(from_json_value(s, *value, pos->second));
    }
    s.path().pop();
    s.leave();
  } else if constexpr (CodecStruct<T>) {
    check_struct<T>();
    FORMICA_TRY(s.enter());
    if constexpr (T::formica_codec_transparent) {
      JsonTransparentReadVisitor visitor{s, j};
      FORMICA_TRY(T::formica_codec_fields(v, visitor));
    } else {
      if (!j.is_object()) return json_type_error(s, j, "an object");
      JsonReadVisitor visitor{s, j};
      FORMICA_TRY(T::formica_codec_fields(v, visitor));
      if (j.size() != std::size(T::formica_codec_field_names)) {
        for (auto it = j.begin(); it != j.end(); ++it) {
          bool known = false;
          for (std::string_view n : T::formica_codec_field_names) known = known || n == it.key();
          if (!known) return s.fail(CodecError::kJsonUnknownField, "unknown member \"" + it.key() + "\"");
        }
      }
    }
    s.leave();
    if constexpr (CheckedStruct<T>) {
      Status st = v.formica_codec_check();
      if (!st.ok()) return s.fail(CodecError::kInvalidValue, st.error().message);
    }
  } else {
    static_assert(kAlwaysFalse<T>, "type not supported by formica::codec (see binary.h)");
  }
  return Status{};
}

}  // namespace detail

// The JSON value of `value`, or why it cannot be represented (same rules as encode()).
template <class T>
Result<Json> to_json(const T& value, const Limits& limits = {}) {
  JsonState s(limits);
  Json out;
  FORMICA_TRY(detail::to_json_value(s, value, out));
  return out;
}

// Compact JSON text (no spaces; object members sorted by name), the form RPC responses use.
template <class T>
Result<std::string> to_json_text(const T& value, const Limits& limits = {}) {
  FORMICA_ASSIGN_OR_RETURN(Json j, to_json(value, limits));
  return j.dump();
}

template <class T>
Result<T> from_json(const Json& j, const Limits& limits = {}, Failure* failure = nullptr) {
  JsonState s(limits);
  T value{};
  Status st = detail::from_json_value(s, j, value);
  if (!st.ok()) {
    if (failure != nullptr) *failure = s.failure();
    return st.take_error();
  }
  return value;
}

template <class T>
Result<T> from_json_text(std::string_view text, const Limits& limits = {}, Failure* failure = nullptr) {
  FORMICA_ASSIGN_OR_RETURN(Json j, parse_json(text, limits, failure));
  return from_json<T>(j, limits, failure);
}

}  // namespace formica::codec
