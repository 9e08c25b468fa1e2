#pragma once
// 128-bit unsigned integers (amounts). GCC and clang provide unsigned __int128 on every
// 64-bit target Formica builds for; __extension__ keeps -Wpedantic quiet about it.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace formica::codec {

__extension__ typedef unsigned __int128 U128;

inline constexpr U128 kU128Max = ~U128{0};

constexpr U128 make_u128(std::uint64_t high, std::uint64_t low) { return (U128{high} << 64) | low; }
constexpr std::uint64_t u128_high(U128 v) { return static_cast<std::uint64_t>(v >> 64); }
constexpr std::uint64_t u128_low(U128 v) { return static_cast<std::uint64_t>(v); }

// Decimal text: "0", "340282366920938463463374607431768211455".
std::string u128_to_decimal(U128 value);
// Strict: digits only, no sign, no leading zero (except "0" itself), no spaces, at most
// 2^128-1. std::nullopt otherwise.
std::optional<U128> u128_from_decimal(std::string_view text);

}  // namespace formica::codec
