// Parallel verification gives exactly the one-by-one verdicts; the thread pool covers every
// index once, also when nested.

#include "formica/crypto/batch_verify.h"

#include <gtest/gtest.h>

#include <atomic>

namespace formica::crypto {
namespace {

TEST(ThreadPool, ParallelForCoversEveryIndexOnce) {
  ThreadPool pool(3);
  for (std::size_t n : {0u, 1u, 7u, 1000u}) {
    std::vector<std::atomic<int>> hits(n);
    pool.parallel_for(n, 5, [&](std::size_t b, std::size_t e) {
      for (std::size_t i = b; i < e; ++i) hits[i].fetch_add(1);
    });
    for (std::size_t i = 0; i < n; ++i) EXPECT_EQ(hits[i].load(), 1) << i;
  }
}

TEST(ThreadPool, NestedAndConcurrentCallsFinish) {
  ThreadPool pool(2);
  std::atomic<int> total{0};
  pool.parallel_for(8, 1, [&](std::size_t, std::size_t) {
    pool.parallel_for(10, 2, [&](std::size_t b, std::size_t e) { total.fetch_add(static_cast<int>(e - b)); });
  });
  EXPECT_EQ(total.load(), 80);
  std::atomic<int> from_threads{0};
  std::vector<std::thread> callers;
  for (int t = 0; t < 4; ++t)
    callers.emplace_back([&] {
      pool.parallel_for(
          100, 3, [&](std::size_t b, std::size_t e) { from_threads.fetch_add(static_cast<int>(e - b)); });
    });
  for (auto& c : callers) c.join();
  EXPECT_EQ(from_threads.load(), 400);
  ThreadPool inline_only(1);
  EXPECT_EQ(ThreadPool(1).concurrency(), 2u);
}

TEST(BatchVerify, SameVerdictsAsOneByOne) {
  // A mixed batch: all schemes, with some signatures broken in different ways.
  std::vector<PrivateKey> keys;
  for (int i = 0; i < 6; ++i) keys.push_back(PrivateKey::generate(kAllSchemes[i % 3]));
  std::vector<Bytes> msgs, sigs;
  std::vector<const PublicKey*> pubs;
  for (int i = 0; i < 90; ++i) {
    const PrivateKey& k = keys[i % keys.size()];
    msgs.push_back(to_bytes("tx " + std::to_string(i)));
    sigs.push_back(sign(k, msgs.back()));
    pubs.push_back(&k.public_key());
    if (i % 7 == 3) sigs.back()[sigs.back().size() / 2] ^= 0x40;               // tampered
    if (i % 11 == 5) pubs.back() = &keys[(i + 3) % keys.size()].public_key();  // wrong key (same scheme)
    if (i % 13 == 6) sigs.back().clear();                                      // malformed
  }
  std::vector<VerifyItem> items;
  std::vector<std::uint8_t> expected;
  for (std::size_t i = 0; i < msgs.size(); ++i) {
    items.push_back({pubs[i], msgs[i], sigs[i]});
    expected.push_back(verify(*pubs[i], msgs[i], sigs[i]) ? 1 : 0);
  }
  int valid = 0;
  for (auto v : expected) valid += v;
  EXPECT_GT(valid, 50);
  EXPECT_LT(valid, 90);
  ThreadPool pool(2);
  EXPECT_EQ(verify_parallel(items, pool), expected);
  EXPECT_EQ(verify_parallel(items), expected);  // the shared pool
  EXPECT_FALSE(verify_all_parallel(items, pool));
  std::vector<VerifyItem> good;
  for (std::size_t i = 0; i < items.size(); ++i)
    if (expected[i]) good.push_back(items[i]);
  EXPECT_TRUE(verify_all_parallel(good, pool));
  EXPECT_TRUE(verify_all_parallel({}, pool));
  EXPECT_TRUE(verify_parallel({}, pool).empty());
}

}  // namespace
}  // namespace formica::crypto
