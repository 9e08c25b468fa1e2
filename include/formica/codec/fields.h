#pragma once
// Declaring a struct's fields once, for the binary encoding and the JSON mapping alike:
//
//   struct Transfer {
//     std::string to;
//     codec::U128 amount = 0;
//     std::optional<std::string> memo;
//     FORMICA_CODEC_FIELDS(to, amount, memo)
//   };
//
// The binary encoding is the fields' encodings concatenated in this order; the JSON mapping is
// an object whose keys are the field names (so members are named in snake_case, checked at
// compile time). At least one field. The macro goes after the members it names.
//
//   struct Address {
//     Bytes raw;
//     FORMICA_CODEC_TRANSPARENT(raw)
//   };
//
// declares a one-field wrapper that is encoded exactly as its field, in binary and in JSON
// (here a hex string, not {"raw": ...}).
//
// Optional hooks a struct may declare:
//   Status formica_codec_check() const;   // refuse values the type forbids (kInvalidValue);
//                                         // run after decoding and before encoding.
// Enums are encoded as their underlying integer and need, found by argument-dependent lookup:
//   bool formica_codec_enum_valid(MyEnum e);  // false for values the enum does not define

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "formica/base/bytes.h"
#include "formica/base/status.h"
#include "formica/codec/u128.h"

// Preprocessor "for each" over up to 256 arguments (C++20 __VA_OPT__ recursion).
#define FORMICA_CODEC_PARENS ()
#define FORMICA_CODEC_EXPAND(...) \
  FORMICA_CODEC_EXPAND3(FORMICA_CODEC_EXPAND3(FORMICA_CODEC_EXPAND3(FORMICA_CODEC_EXPAND3(__VA_ARGS__))))
#define FORMICA_CODEC_EXPAND3(...) \
  FORMICA_CODEC_EXPAND2(FORMICA_CODEC_EXPAND2(FORMICA_CODEC_EXPAND2(FORMICA_CODEC_EXPAND2(__VA_ARGS__))))
#define FORMICA_CODEC_EXPAND2(...) \
  FORMICA_CODEC_EXPAND1(FORMICA_CODEC_EXPAND1(FORMICA_CODEC_EXPAND1(FORMICA_CODEC_EXPAND1(__VA_ARGS__))))
#define FORMICA_CODEC_EXPAND1(...) __VA_ARGS__
#define FORMICA_CODEC_FOR_EACH(macro, ...) \
  __VA_OPT__(FORMICA_CODEC_EXPAND(FORMICA_CODEC_FOR_EACH_HELPER(macro, __VA_ARGS__)))
#define FORMICA_CODEC_FOR_EACH_HELPER(macro, a1, ...) \
  macro(a1) __VA_OPT__(FORMICA_CODEC_FOR_EACH_AGAIN FORMICA_CODEC_PARENS(macro, __VA_ARGS__))
#define FORMICA_CODEC_FOR_EACH_AGAIN() FORMICA_CODEC_FOR_EACH_HELPER

#define FORMICA_CODEC_NAME_(f) std::string_view(#f),
#define FORMICA_CODEC_VISIT_(f) FORMICA_TRY(formica_visitor.field(#f, formica_self.f));

#define FORMICA_CODEC_DECLARE_(transparent, ...)                                   \
  using formica_codec_struct_tag = void;                                           \
  static constexpr bool formica_codec_transparent = transparent;                   \
  static constexpr std::string_view formica_codec_field_names[] = {                \
      FORMICA_CODEC_FOR_EACH(FORMICA_CODEC_NAME_, __VA_ARGS__)};                   \
  template <class FormicaSelf, class FormicaVisitor>                               \
  static ::formica::Status formica_codec_fields(FormicaSelf& formica_self,         \
                                                FormicaVisitor& formica_visitor) { \
    FORMICA_CODEC_FOR_EACH(FORMICA_CODEC_VISIT_, __VA_ARGS__)                      \
    return ::formica::Status{};                                                    \
  }

#define FORMICA_CODEC_FIELDS(...) FORMICA_CODEC_DECLARE_(false, __VA_ARGS__)
#define FORMICA_CODEC_TRANSPARENT(field)                        \
  FORMICA_CODEC_DECLARE_(true, field)                           \
  template <class FormicaSelf>                                  \
  static auto& formica_codec_inner(FormicaSelf& formica_self) { \
    return formica_self.field;                                  \
  }

namespace formica::codec::detail {

template <class>
inline constexpr bool kAlwaysFalse = false;

template <class T>
struct IsVector : std::false_type {};
template <class T, class A>
struct IsVector<std::vector<T, A>> : std::true_type {};

template <class T>
struct IsOptional : std::false_type {};
template <class T>
struct IsOptional<std::optional<T>> : std::true_type {};

template <class T>
struct IsMap : std::false_type {};
template <class K, class V, class A>
struct IsMap<std::map<K, V, std::less<K>, A>> : std::true_type {};

template <class T>
struct IsSet : std::false_type {};
template <class K, class A>
struct IsSet<std::set<K, std::less<K>, A>> : std::true_type {};

template <class T>
struct IsByteArray : std::false_type {};
template <std::size_t N>
struct IsByteArray<std::array<std::uint8_t, N>> : std::true_type {};

template <class T>
concept CodecStruct = requires {
  typename T::formica_codec_struct_tag;
};
template <class T>
concept CheckedStruct = requires(const T& t) {
  { t.formica_codec_check() } -> std::same_as<Status>;
};
template <class T>
concept ValidatedEnum = std::is_enum_v<T> && requires(T e) {
  { formica_codec_enum_valid(e) } -> std::same_as<bool>;
};

// Integer types the codec encodes as fixed-width big-endian (not bool, not character types:
// `char` has no fixed signedness, so it is refused rather than guessed).
template <class T>
inline constexpr bool kIsCodecInt =
    std::is_integral_v<T> && !std::is_same_v<T, bool> && !std::is_same_v<T, char> &&
    !std::is_same_v<T, wchar_t> && !std::is_same_v<T, char8_t> && !std::is_same_v<T, char16_t> &&
    !std::is_same_v<T, char32_t> && sizeof(T) <= 8;

// Types whose canonical encodings sort in the same order as std::less: a std::map or std::set
// of them is already in canonical order.
template <class T>
inline constexpr bool kOrderPreserving = std::is_same_v<T, bool> || std::is_same_v<T, U128> ||
                                         IsByteArray<T>::value || (kIsCodecInt<T> && std::is_unsigned_v<T>);

constexpr bool is_snake_case(std::string_view name) {
  if (name.empty() || name.front() < 'a' || name.front() > 'z') return false;
  for (char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

template <class T>
constexpr bool fields_are_snake_case() {
  for (std::string_view n : T::formica_codec_field_names) {
    if (!is_snake_case(n)) return false;
  }
  return true;
}

template <class T>
constexpr void check_struct() {
  static_assert(fields_are_snake_case<T>(), "codec field names must be snake_case (they are JSON keys)");
  static_assert(!T::formica_codec_transparent || std::size(T::formica_codec_field_names) == 1);
}

}  // namespace formica::codec::detail
