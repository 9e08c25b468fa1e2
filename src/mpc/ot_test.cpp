#include "formica/mpc/ot.h"

#include <gtest/gtest.h>

namespace formica::mpc {
namespace {

Seed seed_of(std::uint8_t v) {
  Seed s{};
  s[0] = v;
  return s;
}

bool bit_of(Block b, std::size_t i) { return ((i < 64 ? b.lo >> i : b.hi >> (i - 64)) & 1) != 0; }

TEST(BaseOt, ReceiverGetsExactlyTheChosenKey) {
  Prg p(seed_of(1)), q(seed_of(2));
  BaseOtSender sender(p);
  auto recv = base_ot_receive(sender.public_point(), q);
  ASSERT_TRUE(recv.ok());
  auto keys = sender.finish(recv->points);
  ASSERT_TRUE(keys.ok());
  std::size_t ones = 0;
  for (std::size_t i = 0; i < kBaseOts; ++i) {
    const bool c = bit_of(recv->choices, i);
    ones += c;
    EXPECT_EQ(recv->keys[i], (*keys)[i][c ? 1 : 0]);
    EXPECT_NE(recv->keys[i], (*keys)[i][c ? 0 : 1]);
  }
  EXPECT_GT(ones, 30u);
  EXPECT_LT(ones, 98u);
}

TEST(BaseOt, RejectsInvalidGroupElements) {
  Prg p(seed_of(3)), q(seed_of(4));
  BaseOtSender sender(p);
  Bytes bad(32, 0xff);  // not a canonical ristretto255 encoding
  EXPECT_EQ(base_ot_receive(bad, q).code(), ErrorCode::kMalformed);
  Bytes identity(32, 0);
  EXPECT_EQ(base_ot_receive(identity, q).code(), ErrorCode::kMalformed);
  EXPECT_EQ(base_ot_receive(Bytes(31, 1), q).code(), ErrorCode::kMalformed);
  auto recv = base_ot_receive(sender.public_point(), q);
  ASSERT_TRUE(recv.ok());
  Bytes points = recv->points;
  points[5 * 32] ^= 0x80;  // high bit set: non-canonical
  EXPECT_EQ(sender.finish(points).code(), ErrorCode::kMalformed);
  points = recv->points;
  std::fill(points.begin() + 64, points.begin() + 96, 0);  // identity
  EXPECT_EQ(sender.finish(points).code(), ErrorCode::kMalformed);
  EXPECT_EQ(sender.finish(ByteView(recv->points).first(100)).code(), ErrorCode::kMalformed);
}

TEST(OtExtension, ReceiverLearnsOneOfTwoHashes) {
  Prg p(seed_of(5)), q(seed_of(6)), r(seed_of(7));
  BaseOtSender base_sender(p);
  auto base_recv = base_ot_receive(base_sender.public_point(), q);
  ASSERT_TRUE(base_recv.ok());
  auto base_keys = base_sender.finish(base_recv->points);
  ASSERT_TRUE(base_keys.ok());
  OtExtReceiver receiver(*base_keys);
  OtExtSender sender(base_recv->choices, base_recv->keys);
  for (std::size_t m : {1u, 7u, 128u, 1000u, 1152u}) {
    std::vector<std::uint8_t> choices((m + 7) / 8);
    r.fill(choices);
    std::vector<Block> t;
    Bytes u = receiver.extend(9, choices, m, t);
    ASSERT_EQ(u.size(), ot_matrix_bytes(m));
    ASSERT_EQ(t.size(), m);
    auto qrows = sender.extend(9, u, m);
    ASSERT_TRUE(qrows.ok());
    for (std::size_t j = 0; j < m; ++j) {
      const bool c = (choices[j / 8] >> (j % 8)) & 1;
      const Block h0 = hash_block(1, 9, j, (*qrows)[j]);
      const Block h1 = hash_block(1, 9, j, (*qrows)[j] ^ sender.s());
      const Block mine = hash_block(1, 9, j, t[j]);
      EXPECT_EQ(mine, c ? h1 : h0) << "m " << m << " j " << j;
      EXPECT_NE(mine, c ? h0 : h1);
    }
  }
  EXPECT_EQ(sender.extend(9, Bytes(10), 1000).code(), ErrorCode::kMalformed);
}

}  // namespace
}  // namespace formica::mpc
