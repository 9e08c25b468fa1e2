#include "formica/crypto/batch_verify.h"

#include <atomic>

namespace formica::crypto {
namespace {
// Signatures per chunk: large enough to amortise the queue, small enough to balance 2 cores
// when some schemes (SM2) cost ~7x others (Ed25519).
constexpr std::size_t kGrain = 16;
}  // namespace

std::vector<std::uint8_t> verify_parallel(std::span<const VerifyItem> items, ThreadPool& pool) {
  std::vector<std::uint8_t> verdicts(items.size(), 0);
  pool.parallel_for(items.size(), kGrain, [&](std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i)
      verdicts[i] = verify(*items[i].key, items[i].message, items[i].signature) ? 1 : 0;
  });
  return verdicts;
}

bool verify_all_parallel(std::span<const VerifyItem> items, ThreadPool& pool) {
  std::atomic<bool> all_ok{true};
  pool.parallel_for(items.size(), kGrain, [&](std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end && all_ok.load(std::memory_order_relaxed); ++i)
      if (!verify(*items[i].key, items[i].message, items[i].signature))
        all_ok.store(false, std::memory_order_relaxed);
  });
  return all_ok.load();
}

}  // namespace formica::crypto
