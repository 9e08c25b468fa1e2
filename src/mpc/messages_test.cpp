#include "formica/mpc/messages.h"

#include <gtest/gtest.h>

namespace formica::mpc {
namespace {

Seed seed_of(std::uint8_t v) {
  Seed s{};
  s[0] = v;
  return s;
}

template <typename M, typename Decode>
void expect_round_trip(const M& m, Decode decode, MsgType type) {
  Bytes frame = encode(m);
  auto f = parse_frame(frame);
  ASSERT_TRUE(f.ok()) << f.error().to_string();
  EXPECT_EQ(f->type, type);
  auto back = decode(f->payload);
  ASSERT_TRUE(back.ok()) << back.error().to_string();
  EXPECT_TRUE(*back == m);
  EXPECT_EQ(encode(*back), frame);
  // Every truncation and a one-byte extension are refused.
  for (std::size_t cut = 0; cut < frame.size(); cut += 1 + frame.size() / 64) {
    ByteView shorter(frame.data(), cut);
    auto pf = parse_frame(shorter);
    EXPECT_FALSE(pf.ok()) << "cut " << cut;
    if (cut >= 6) {
      EXPECT_FALSE(decode(ByteView(frame).subspan(6, cut - 6)).ok()) << "payload cut " << cut;
    }
  }
  Bytes longer = frame;
  longer.push_back(0);
  EXPECT_FALSE(parse_frame(longer).ok());
  EXPECT_FALSE(decode(ByteView(longer).subspan(6)).ok());
}

TEST(Messages, RoundTripAndRefuseTruncation) {
  Prg prg(seed_of(1));
  Hello h;
  h.threshold = 26214;
  prg.fill(h.nonce);
  prg.fill(h.ot_point);
  expect_round_trip(h, decode_hello, MsgType::kHello);

  HelloReply r;
  r.observations = 1000;
  r.batch_size = 256;
  prg.fill(r.nonce);
  r.ot_points.resize(kBaseOts * kPointBytes);
  prg.fill(r.ot_points);
  expect_round_trip(r, decode_hello_reply, MsgType::kHelloReply);

  TemplateOt t{Bytes(ot_matrix_bytes(kTemplateOts), 7)};
  expect_round_trip(t, decode_template_ot, MsgType::kTemplateOt);

  ShareBatch s;
  s.batch = 3;
  s.count = 2;
  for (std::size_t i = 0; i < 2 * kTemplateOts; ++i)
    s.corrections.push_back(static_cast<std::uint32_t>(i * 977));
  expect_round_trip(s, decode_share_batch, MsgType::kShareBatch);

  Choices c;
  c.batch = 1;
  c.count = 5;
  c.matrix.resize(ot_matrix_bytes(5 * kCompareBits), 3);
  expect_round_trip(c, decode_choices, MsgType::kChoices);

  GarbledBatch g;
  g.batch = 2;
  g.ot_corrections.resize(2);
  g.circuits.resize(2);
  for (auto& oc : g.ot_corrections) {
    for (auto& b : oc) b = Block::random(prg);
  }
  for (auto& gc : g.circuits) {
    for (auto& b : gc.tables) b = Block::random(prg);
    for (auto& b : gc.garbler_labels) b = Block::random(prg);
  }
  g.circuits[1].decode = 1;
  expect_round_trip(g, decode_garbled, MsgType::kGarbled);
}

TEST(Messages, RefuseBadHeadersAndFields) {
  Hello h;
  Bytes frame = encode(h);
  Bytes v = frame;
  v[4] = 2;
  EXPECT_EQ(parse_frame(v).code(), ErrorCode::kUnsupported);
  v = frame;
  v[5] = 0;
  EXPECT_EQ(parse_frame(v).code(), ErrorCode::kMalformed);
  v[5] = 7;
  EXPECT_EQ(parse_frame(v).code(), ErrorCode::kMalformed);
  const std::uint8_t huge[4] = {0xff, 0xff, 0xff, 0x7f};
  EXPECT_EQ(frame_body_length(huge).code(), ErrorCode::kTooLarge);
  const std::uint8_t tiny[4] = {1, 0, 0, 0};
  EXPECT_EQ(frame_body_length(tiny).code(), ErrorCode::kMalformed);

  HelloReply r;
  r.observations = 10;
  r.batch_size = 0;  // invalid
  r.ot_points.resize(kBaseOts * kPointBytes);
  EXPECT_FALSE(decode_hello_reply(ByteView(encode(r)).subspan(6)).ok());
  r.batch_size = kMaxBatch + 1;
  EXPECT_EQ(decode_hello_reply(ByteView(encode(r)).subspan(6)).code(), ErrorCode::kTooLarge);
  r.batch_size = 4;
  r.observations = 0;
  EXPECT_EQ(decode_hello_reply(ByteView(encode(r)).subspan(6)).code(), ErrorCode::kMalformed);

  GarbledBatch g;
  g.ot_corrections.resize(1);
  g.circuits.resize(1);
  g.circuits[0].decode = 2;  // not a bit
  EXPECT_EQ(decode_garbled(ByteView(encode(g)).subspan(6)).code(), ErrorCode::kMalformed);

  ShareBatch s;
  s.count = 2;
  s.corrections.resize(kTemplateOts);  // one observation's worth for a count of two
  EXPECT_EQ(decode_share_batch(ByteView(encode(s)).subspan(6)).code(), ErrorCode::kMalformed);
}

}  // namespace
}  // namespace formica::mpc
