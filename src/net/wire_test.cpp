#include "wire.h"

#include <gtest/gtest.h>

namespace formica::net::wire {
namespace {

TEST(NetWire, FrameHeaderIsBigEndianLengthPlusChannel) {
  const Bytes f = encode_frame(7, Bytes{1, 2, 3});
  EXPECT_EQ(f, (Bytes{0, 0, 0, 4, 7, 1, 2, 3}));
  std::array<std::uint8_t, kFrameHeaderBytes> raw{0, 0, 0, 4, 7};
  Header h;
  EXPECT_EQ(check_header(raw, 3, h), HeaderCheck::kOk);
  EXPECT_EQ(h.channel, 7);
  EXPECT_EQ(h.payload_bytes, 3u);
  EXPECT_EQ(check_header(raw, 2, h), HeaderCheck::kOversized);
  raw = {0, 0, 0, 0, 7};
  EXPECT_EQ(check_header(raw, 100, h), HeaderCheck::kMalformed);
  raw = {0xff, 0xff, 0xff, 0xff, 1};
  EXPECT_EQ(check_header(raw, 16u << 20, h), HeaderCheck::kOversized);
  raw = {0, 0, 0, 1, 9};
  EXPECT_EQ(check_header(raw, 0, h), HeaderCheck::kOk);  // empty payload
  EXPECT_EQ(h.payload_bytes, 0u);
}

TEST(NetWire, HelloRoundTripAndRejects) {
  Hello h{kProtocolVersion, Bytes{9, 8, 7}, 42, "validator-42"};
  const Bytes enc = encode_hello(h);
  auto back = decode_hello(enc);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->version, kProtocolVersion);
  EXPECT_EQ(back->network_tag, h.network_tag);
  EXPECT_EQ(back->index, 42u);
  EXPECT_EQ(back->name, "validator-42");
  for (std::size_t n = 0; n < enc.size(); ++n) {
    EXPECT_FALSE(decode_hello(ByteView(enc).first(n)).ok()) << n;
  }
  Bytes trailing = enc;
  trailing.push_back(0);
  EXPECT_FALSE(decode_hello(trailing).ok());
  EXPECT_FALSE(decode_hello(encode_ping()).ok());
  EXPECT_EQ(encode_ping(), Bytes{kPing});
}

}  // namespace
}  // namespace formica::net::wire
