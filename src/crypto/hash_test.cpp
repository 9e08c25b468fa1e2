#include "formica/crypto/hash.h"

#include <gtest/gtest.h>

#include "formica/base/encoding.h"

namespace formica::crypto {
namespace {

std::string hex(const Hash32& h) { return base::to_hex(h); }

// Known answers: FIPS 180-2 "abc"; GB/T 32905 example 1 ("abc"); Keccak-256("") as used by
// Ethereum; BLAKE2b-256("") from the BLAKE2 reference.
TEST(Hash, KnownAnswers) {
  EXPECT_EQ(hex(sha256(as_bytes("abc"))), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(hex(sm3(as_bytes("abc"))), "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0");
  EXPECT_EQ(hex(keccak256(as_bytes(""))), "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
  EXPECT_EQ(hex(blake2b256(as_bytes(""))),
            "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8");
}

TEST(Hash, IncrementalMatchesOneShot) {
  Bytes msg(1000);
  for (std::size_t i = 0; i < msg.size(); ++i) msg[i] = static_cast<std::uint8_t>(i * 7);
  for (HashAlg a : {HashAlg::kSha256, HashAlg::kSm3, HashAlg::kKeccak256, HashAlg::kBlake2b256}) {
    Hasher h(a);
    h.update(ByteView(msg).first(333));
    h.update(ByteView(msg).subspan(333));
    EXPECT_EQ(h.finish(), hash(a, msg)) << hash_alg_name(a);
    EXPECT_EQ(*parse_hash_alg(hash_alg_name(a)), a);
  }
  EXPECT_FALSE(parse_hash_alg("md5").ok());
}

}  // namespace
}  // namespace formica::crypto
