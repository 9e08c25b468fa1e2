#include "formica/ledger/mempool.h"

#include <gtest/gtest.h>

namespace formica::ledger {
namespace {

Transaction tx_from(std::uint8_t sender, std::uint64_t nonce, std::uint64_t expiry = 100) {
  Transaction t;
  t.body.sender.fill(sender);
  t.body.nonce = nonce;
  t.body.expiry_height = expiry;
  return t;
}
Hash id_of(std::uint8_t sender, std::uint64_t nonce) {
  Hash h{};
  h[0] = sender;
  h[1] = static_cast<std::uint8_t>(nonce);
  return h;
}

TEST(Mempool, OrdersBySenderNonceAndRefusesGapsInBlocks) {
  Mempool m;
  std::map<AddressBytes, std::uint64_t> next;
  auto nn = [&](const AddressBytes& a) { return next[a]; };
  ASSERT_TRUE(m.add(tx_from(1, 1), id_of(1, 1), 10, 0).ok());
  ASSERT_TRUE(m.add(tx_from(1, 0), id_of(1, 0), 10, 0).ok());
  ASSERT_TRUE(m.add(tx_from(1, 3), id_of(1, 3), 10, 0).ok());  // gap at 2
  ASSERT_TRUE(m.add(tx_from(2, 0), id_of(2, 0), 10, 0).ok());
  EXPECT_TRUE(m.add(tx_from(2, 0), id_of(2, 0), 10, 0).ok());  // duplicate: no-op
  EXPECT_EQ(m.size(), 4u);
  auto r = m.ready(10, nn);
  ASSERT_EQ(r.size(), 3u);  // 1:0, 2:0, 1:1 (round robin); 1:3 waits for 1:2
  EXPECT_EQ(r[0].second, id_of(1, 0));
  EXPECT_EQ(r[1].second, id_of(2, 0));
  EXPECT_EQ(r[2].second, id_of(1, 1));
  // Same nonce, different transaction: refused.
  EXPECT_EQ(m.add(tx_from(1, 1, 99), id_of(9, 9), 10, 0).code(), ErrorCode::kAlreadyExists);
  // Already-used nonces are refused.
  EXPECT_EQ(m.add(tx_from(3, 0), id_of(3, 0), 10, 1).code(), ErrorCode::kFailedPrecondition);
}

TEST(Mempool, RemovesCommittedStaleAndExpired) {
  Mempool m;
  std::map<AddressBytes, std::uint64_t> next;
  auto nn = [&](const AddressBytes& a) { return next[a]; };
  ASSERT_TRUE(m.add(tx_from(1, 0), id_of(1, 0), 10, 0).ok());
  ASSERT_TRUE(m.add(tx_from(1, 1), id_of(1, 1), 10, 0).ok());
  ASSERT_TRUE(m.add(tx_from(2, 0, 5), id_of(2, 0), 10, 0).ok());
  AddressBytes a1;
  a1.fill(1);
  next[a1] = 2;  // block included 1:0 and, elsewhere, 1:1
  m.remove_committed({id_of(1, 0)}, 5, nn);
  EXPECT_EQ(m.size(), 0u);  // 1:1 stale, 2:0 expired at 5
  EXPECT_EQ(m.bytes(), 0u);
}

TEST(Mempool, IsBounded) {
  Mempool m(MempoolOptions{3, 1000, 10});
  for (std::uint8_t i = 0; i < 3; ++i) ASSERT_TRUE(m.add(tx_from(i, 0), id_of(i, 0), 10, 0).ok());
  EXPECT_EQ(m.add(tx_from(9, 0), id_of(9, 0), 10, 0).code(), ErrorCode::kUnavailable);
  Mempool b(MempoolOptions{100, 25, 10});
  ASSERT_TRUE(b.add(tx_from(1, 0), id_of(1, 0), 20, 0).ok());
  EXPECT_EQ(b.add(tx_from(2, 0), id_of(2, 0), 20, 0).code(), ErrorCode::kUnavailable);
}

}  // namespace
}  // namespace formica::ledger
