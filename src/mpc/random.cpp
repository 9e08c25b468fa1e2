#include "formica/mpc/random.h"

#include <sodium.h>

#include <algorithm>
#include <cstring>
#include <utility>

namespace formica::mpc {

Prg::Prg(const Seed& seed) : key_(seed) {}

Prg Prg::from_os() {
  Seed seed;
  randombytes_buf(seed.data(), seed.size());
  Prg prg(seed);
  secure_zero(seed.data(), seed.size());
  return prg;
}

Prg::~Prg() {
  secure_zero(key_.data(), key_.size());
  secure_zero(buffer_.data(), buffer_.size());
}

Prg::Prg(Prg&& other) noexcept
    : key_(other.key_), counter_(other.counter_), buffer_(other.buffer_), used_(other.used_) {
  secure_zero(other.key_.data(), other.key_.size());
  other.used_ = other.buffer_.size();
}

Prg& Prg::operator=(Prg&& other) noexcept {
  if (this != &other) {
    key_ = other.key_;
    counter_ = other.counter_;
    buffer_ = other.buffer_;
    used_ = other.used_;
    secure_zero(other.key_.data(), other.key_.size());
    other.used_ = other.buffer_.size();
  }
  return *this;
}

void Prg::refill() {
  chacha_expand(key_, counter_++, buffer_);
  used_ = 0;
}

void Prg::fill(std::span<std::uint8_t> out) {
  std::size_t done = 0;
  while (done < out.size()) {
    if (used_ == buffer_.size()) refill();
    std::size_t n = std::min(out.size() - done, buffer_.size() - used_);
    std::memcpy(out.data() + done, buffer_.data() + used_, n);
    secure_zero(buffer_.data() + used_, n);
    used_ += n;
    done += n;
  }
}

std::uint64_t Prg::next_u64() {
  std::uint8_t b[8];
  fill(b);
  std::uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | b[i];
  return v;
}

std::uint64_t Prg::uniform(std::uint64_t bound) {
  // Rejection sampling: accept values below the largest multiple of bound.
  const std::uint64_t limit = UINT64_MAX - (UINT64_MAX % bound);
  for (;;) {
    std::uint64_t v = next_u64();
    if (v < limit) return v % bound;
  }
}

void chacha_expand(const Seed& key, std::uint64_t nonce, std::span<std::uint8_t> out) {
  static_assert(crypto_stream_chacha20_KEYBYTES == kSeedBytes);
  std::uint8_t n[crypto_stream_chacha20_NONCEBYTES] = {};
  for (std::size_t i = 0; i < sizeof(n); ++i) n[i] = static_cast<std::uint8_t>(nonce >> (8 * i));
  crypto_stream_chacha20(out.data(), out.size(), n, key.data());
}

}  // namespace formica::mpc
