#pragma once
// Verification of many signatures in parallel on a thread pool. "Batch" here means parallel:
// every signature is checked with exactly the same function as one-by-one verification
// (crypto::verify), never with a combined batch equation, so the acceptance rule cannot differ.

#include <cstdint>
#include <span>
#include <vector>

#include "formica/base/bytes.h"
#include "formica/crypto/signature.h"
#include "formica/crypto/thread_pool.h"

namespace formica::crypto {

struct VerifyItem {
  const PublicKey* key;  // not null
  ByteView message;
  ByteView signature;
};

// verdicts[i] == 1 iff verify(*items[i].key, items[i].message, items[i].signature).
// The spans and keys must stay alive until the call returns.
std::vector<std::uint8_t> verify_parallel(std::span<const VerifyItem> items,
                                          ThreadPool& pool = ThreadPool::shared());

// True iff every item verifies (true for an empty batch).
// Stops handing out new work once one signature fails.
[[nodiscard]] bool verify_all_parallel(std::span<const VerifyItem> items,
                                       ThreadPool& pool = ThreadPool::shared());

}  // namespace formica::crypto
