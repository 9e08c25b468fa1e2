#pragma once
// Randomness for the matching protocol. Every random choice a session makes (nonces, OT scalars,
// garbling offsets, labels) comes from one Prg, so a seeded Prg makes a whole session — every
// byte of its transcript — reproducible (the simulator's requirement), while production seeds
// it from the operating system. The stream is ChaCha20 (libsodium) keyed by the seed.
//
// Thread-safety: a Prg is not shared between threads.

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "formica/base/bytes.h"

namespace formica::mpc {

inline constexpr std::size_t kSeedBytes = 32;
using Seed = ByteArray<kSeedBytes>;

class Prg {
 public:
  explicit Prg(const Seed& seed);
  // Seeded from the operating system's CSPRNG (libsodium randombytes).
  static Prg from_os();
  ~Prg();
  Prg(const Prg&) = delete;
  Prg& operator=(const Prg&) = delete;
  Prg(Prg&& other) noexcept;
  Prg& operator=(Prg&& other) noexcept;

  void fill(std::span<std::uint8_t> out);
  std::uint64_t next_u64();
  // Uniform in [0, bound) without modulo bias; bound > 0.
  std::uint64_t uniform(std::uint64_t bound);

 private:
  void refill();

  Seed key_{};
  std::uint64_t counter_ = 0;  // ChaCha20 nonce: one 64-bit block index per refill
  std::array<std::uint8_t, 512> buffer_{};
  std::size_t used_ = 512;
};

// Fills `out` with the ChaCha20 keystream for (key, nonce). Deterministic; used to expand OT
// seeds into long pseudorandom strings.
void chacha_expand(const Seed& key, std::uint64_t nonce, std::span<std::uint8_t> out);

}  // namespace formica::mpc
