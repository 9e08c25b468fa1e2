// Domain-separated hashing: hash_of(alg, domain, value) = alg(str(domain) || encode(value)).
#include "formica/codec/hash.h"

#include <gtest/gtest.h>

#include "formica/base/encoding.h"

namespace formica::codec {
namespace {

struct Transfer {
  ByteArray<20> to{};
  U128 amount = 0;
  std::optional<std::string> memo;
  FORMICA_CODEC_FIELDS(to, amount, memo)
};

Transfer sample() {
  Transfer t;
  t.to = {0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99,
          0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff, 0x00, 0x11, 0x22, 0x33};
  t.amount = u128_from_decimal("1000000000000000000000").value();
  return t;
}

// Expected digests computed independently (Python hashlib over the bytes
// 0f "formica/test/v1" || encoding of the vector "transfer" in canonical.json).
TEST(HashOf, KnownDigests) {
  auto h = hash_of("formica/test/v1", sample());
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(base::to_hex(*h), "6dda367b0dc61806d52deff2a8de72c54cd78de6e4ccfb96a7edea23d8a9e6c3");
  auto sm3 = hash_of(crypto::HashAlg::kSm3, "formica/test/v1", sample());
  ASSERT_TRUE(sm3.ok());
  EXPECT_EQ(base::to_hex(*sm3), "3a5e80d067fd141913b65418c9bca5030ed554c66e0c00c0a1f701a0eef06457");
}

TEST(HashOf, DomainSeparatesAndValueMatters) {
  const auto a = hash_of("formica/test/v1", sample()).value();
  EXPECT_NE(a, hash_of("formica/test/v2", sample()).value());
  Transfer other = sample();
  other.memo = "";
  EXPECT_NE(a, hash_of("formica/test/v1", other).value());
}

TEST(HashOf, RefusesBadTagsAndUnencodableValues) {
  for (std::string_view bad : {"", "Formica/tx", "formica tx", "formica/tx/\xc3\xa9",
                               "formica/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}) {
    auto h = hash_of(bad, sample());
    ASSERT_FALSE(h.ok()) << bad;
    EXPECT_EQ(h.code(), ErrorCode::kInvalidArgument);
  }
  Transfer t = sample();
  t.memo = "\xff";
  auto h = hash_of("formica/test/v1", t);
  ASSERT_FALSE(h.ok());
  EXPECT_EQ(h.code(), ErrorCode::kMalformed);
}

}  // namespace
}  // namespace formica::codec
