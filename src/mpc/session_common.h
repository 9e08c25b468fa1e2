#pragma once
// Internals shared by the phone and sensor sessions (not a public header).

#include <sodium.h>

#include <algorithm>
#include <cstdint>
#include <thread>
#include <vector>

#include "formica/mpc/messages.h"
#include "formica/mpc/random.h"

namespace formica::mpc::detail {

// Hash tags: each hash use is domain-separated.
inline constexpr std::uint8_t kTagTemplateSeed = 0x54;  // 'T': PRG seeds of the template OTs
inline constexpr std::uint8_t kTagCompareLabel = 0x43;  // 'C': labels of the comparison OTs
inline constexpr std::uint64_t kTemplateExtension = 0;  // IKNP extension index of the template
inline std::uint64_t compare_extension(std::uint32_t batch) { return 1 + std::uint64_t{batch}; }
// ChaCha nonce of a batch's share masks (distinct per batch; keys are per template OT).
inline std::uint64_t share_nonce(std::uint32_t batch) { return batch; }

// The session seed both parties derive from the two nonces: fixes the session transform.
inline Seed session_seed(const Seed& phone_nonce, const Seed& sensor_nonce) {
  static constexpr char kDomain[] = "formica/mpc/match/v1/session";
  crypto_generichash_state st;
  crypto_generichash_init(&st, nullptr, 0, kSeedBytes);
  crypto_generichash_update(&st, reinterpret_cast<const std::uint8_t*>(kDomain), sizeof(kDomain));
  crypto_generichash_update(&st, phone_nonce.data(), phone_nonce.size());
  crypto_generichash_update(&st, sensor_nonce.data(), sensor_nonce.size());
  Seed out;
  crypto_generichash_final(&st, out.data(), out.size());
  return out;
}

inline std::uint32_t batch_count(std::uint32_t observations, std::uint32_t batch_size) {
  return (observations + batch_size - 1) / batch_size;
}
inline std::uint32_t batch_len(std::uint32_t observations, std::uint32_t batch_size, std::uint32_t batch) {
  return std::min(batch_size, observations - batch * batch_size);
}

inline std::uint32_t load_u32(const std::uint8_t* p) {
  return std::uint32_t{p[0]} | (std::uint32_t{p[1]} << 8) | (std::uint32_t{p[2]} << 16) |
         (std::uint32_t{p[3]} << 24);
}

// Runs fn(worker, begin, end) over [0, n) split across up to `threads` threads (the calling one
// included); worker < threads numbers the pieces.
template <typename Fn>
void parallel_for(std::size_t n, unsigned threads, Fn fn) {
  threads = std::max(1u, std::min<unsigned>(threads, static_cast<unsigned>(n == 0 ? 1 : n)));
  if (threads == 1) {
    fn(0u, std::size_t{0}, n);
    return;
  }
  std::vector<std::thread> pool;
  const std::size_t chunk = (n + threads - 1) / threads;
  for (unsigned t = 1; t < threads; ++t) {
    const std::size_t b = std::min(n, t * chunk), e = std::min(n, b + chunk);
    pool.emplace_back([&fn, t, b, e] { fn(t, b, e); });
  }
  fn(0u, std::size_t{0}, std::min(n, chunk));
  for (auto& th : pool) th.join();
}

}  // namespace formica::mpc::detail
