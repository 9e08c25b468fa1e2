#include <gtest/gtest.h>

#include <string>

#include "formica/zk/hash_to_curve.h"
#include "formica/zk/p256.h"
#include "formica/zk/ristretto255.h"
#include "test_util.h"

namespace formica::zk {
namespace {

using testing::hex;
using testing::hex_of;
using testing::load_vectors;

// RFC 9496 A.1: encodings of 0*B .. 15*B.
TEST(Ristretto255, GeneratorMultiplesMatchRfc9496) {
  auto v = load_vectors("ristretto255/vectors.json");
  RistrettoPoint acc;
  for (std::size_t i = 0; i < v["ristretto255"].size(); ++i) {
    const std::string want = v["ristretto255"][i].get<std::string>().substr(2);
    EXPECT_EQ(hex_of(acc.encode()), want) << i;
    EXPECT_EQ(hex_of((RistrettoPoint::generator() * RistrettoScalar::from_u64(i)).encode()), want) << i;
    EXPECT_EQ(hex_of(RistrettoPoint::mul_base(RistrettoScalar::from_u64(i)).encode()), want) << i;
    auto decoded = RistrettoPoint::decode(hex(want));
    ASSERT_TRUE(decoded.ok()) << i;
    EXPECT_TRUE(*decoded == acc);
    acc += RistrettoPoint::generator();
  }
}

// RFC 9496 A.2: invalid encodings are all rejected.
TEST(Ristretto255, InvalidEncodingsRejected) {
  auto v = load_vectors("ristretto255/invalid_encodings.json");
  int count = 0;
  for (auto& [kind, list] : v.items()) {
    for (auto& h : list) {
      EXPECT_FALSE(RistrettoPoint::decode(hex(h.get<std::string>())).ok()) << kind << " " << h;
      ++count;
    }
  }
  EXPECT_EQ(count, 29);
  EXPECT_FALSE(RistrettoPoint::decode(Bytes(31, 0)).ok());
  EXPECT_FALSE(RistrettoPoint::decode(Bytes(33, 0)).ok());
}

// RFC 9496 A.3: the one-way map from 64 uniform bytes.
TEST(Ristretto255, OneWayMapMatchesRfc9496) {
  auto v = load_vectors("ristretto255/vectors.json");
  int count = 0;
  for (auto& [id, t] : v["ristretto255_map"].items()) {
    Bytes in = hex(t["Input"].get<std::string>());
    ASSERT_EQ(in.size(), 64u);
    EXPECT_EQ(hex_of(RistrettoPoint::from_uniform_bytes(in).encode()),
              t["Output"].get<std::string>().substr(2))
        << id;
    ++count;
  }
  EXPECT_EQ(count, 7);
}

TEST(Ristretto255, ScalarEncodingIsCanonical) {
  // l = 2^252 + 27742317777372353535851937790883648493, little-endian.
  Bytes l = hex("edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010");
  EXPECT_FALSE(RistrettoScalar::decode(l).ok());
  l[0] = 0xec;  // l - 1
  auto lm1 = RistrettoScalar::decode(l);
  ASSERT_TRUE(lm1.ok());
  EXPECT_TRUE((*lm1 + RistrettoScalar::from_u64(1)).is_zero());
  EXPECT_FALSE(RistrettoScalar::decode(Bytes(32, 0xff)).ok());
  EXPECT_FALSE(RistrettoScalar::decode(Bytes(31, 0)).ok());
  auto a = RistrettoScalar::random();
  EXPECT_TRUE(*RistrettoScalar::decode(a.encode()) == a);
  EXPECT_TRUE((a * a.invert()) == RistrettoScalar::from_u64(1));
  EXPECT_TRUE(RistrettoScalar().invert().is_zero());
  EXPECT_TRUE(RistrettoScalar::select(a, RistrettoScalar(), true).is_zero());
  EXPECT_TRUE(RistrettoScalar::select(a, RistrettoScalar(), false) == a);
}

template <typename G>
void check_group_laws() {
  using S = typename G::Scalar;
  using P = typename G::Point;
  S a = S::random(), b = S::random();
  P g = P::generator();
  EXPECT_TRUE(g * (a + b) == g * a + g * b);
  EXPECT_TRUE((g * a) * b == g * (a * b));
  EXPECT_TRUE(P::mul_base(a) == g * a);
  EXPECT_TRUE((g * a - g * a).is_identity());
  EXPECT_TRUE((g * a).dbl() == g * (a + a));
  EXPECT_TRUE(-(g * a) == g * (-a));
  EXPECT_TRUE((g * S()).is_identity());
  EXPECT_TRUE(P::select(g, P::identity(), true).is_identity());
  EXPECT_TRUE(P::select(g, P::identity(), false) == g);
  P x = g * a;
  auto round = P::decode(x.encode());
  ASSERT_TRUE(round.ok());
  EXPECT_TRUE(*round == x);
  auto id = P::decode(P::identity().encode());
  ASSERT_TRUE(id.ok());
  EXPECT_TRUE(id->is_identity());
  EXPECT_TRUE(S::from_u64(7) * S::from_u64(6) == S::from_u64(42));
  EXPECT_TRUE((S::from_u64(5) - S::from_u64(7)) + S::from_u64(2) == S());
}

TEST(Ristretto255, GroupLaws) { check_group_laws<Ristretto255>(); }
TEST(P256, GroupLaws) { check_group_laws<P256>(); }

TEST(P256, GeneratorEncoding) {
  EXPECT_EQ(hex_of(P256Point::generator().encode()),
            "036b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296");
}

TEST(P256, DecodeRejectsNonCanonical) {
  Bytes g = hex("036b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296");
  ASSERT_TRUE(P256Point::decode(g).ok());
  Bytes bad = g;
  bad[0] = 0x04;
  EXPECT_FALSE(P256Point::decode(bad).ok());
  bad[0] = 0x00;
  EXPECT_FALSE(P256Point::decode(bad).ok());
  // x = p (non-canonical field element) and x = p + small.
  Bytes xp = hex("02ffffffff00000001000000000000000000000000ffffffffffffffffffffffff");
  EXPECT_FALSE(P256Point::decode(xp).ok());
  // Uncompressed 65-byte form is not accepted.
  EXPECT_FALSE(P256Point::decode(Bytes(65, 4)).ok());
  // An x with no point: try small x until one is off the curve.
  int rejected = 0;
  for (std::uint8_t x = 1; x < 20; ++x) {
    Bytes e(33, 0);
    e[0] = 2;
    e[32] = x;
    if (!P256Point::decode(e).ok()) ++rejected;
  }
  EXPECT_GT(rejected, 0);
  // Scalars: n itself is rejected, n - 1 accepted.
  Bytes n = hex("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551");
  EXPECT_FALSE(P256Scalar::decode(n).ok());
  n[31] = 0x50;
  EXPECT_TRUE(P256Scalar::decode(n).ok());
}

TEST(HashToCurve, ExpandMessageXmd) {
  int count = 0;
  for (const char* file : {"expand_message_xmd_SHA256_38.json", "expand_message_xmd_SHA256_256.json",
                           "expand_message_xmd_SHA512_38.json"}) {
    auto v = load_vectors(std::string("hash-to-curve/") + file);
    XmdHash h = v["hash"] == "SHA256" ? XmdHash::kSha256 : XmdHash::kSha512;
    std::string dst = v["DST"];
    for (auto& t : v["tests"]) {
      std::string msg = t["msg"];
      std::size_t len = std::stoul(t["len_in_bytes"].get<std::string>(), nullptr, 16);
      auto out = expand_message_xmd(h, as_bytes(msg), as_bytes(dst), len);
      ASSERT_TRUE(out.ok());
      EXPECT_EQ(hex_of(*out), t["uniform_bytes"].get<std::string>()) << file << " " << msg;
      ++count;
    }
  }
  EXPECT_EQ(count, 30);
}

TEST(HashToCurve, P256Sswu) {
  int count = 0;
  for (const char* file : {"P256_XMD-SHA-256_SSWU_RO_.json", "P256_XMD-SHA-256_SSWU_NU_.json"}) {
    auto v = load_vectors(std::string("hash-to-curve/") + file);
    const bool ro = v["randomOracle"].get<bool>();
    std::string dst = v["dst"];
    for (auto& t : v["vectors"]) {
      std::string msg = t["msg"];
      P256Point p = ro ? P256Point::hash_to_group(as_bytes(msg), as_bytes(dst))
                       : P256Point::encode_to_group(as_bytes(msg), as_bytes(dst));
      auto [x, y] = p.affine();
      EXPECT_EQ("0x" + hex_of(x), t["P"]["x"].get<std::string>()) << file << " " << msg;
      EXPECT_EQ("0x" + hex_of(y), t["P"]["y"].get<std::string>()) << file << " " << msg;
      ++count;
    }
  }
  EXPECT_EQ(count, 10);
}

TEST(HashToCurve, Ristretto255IsDeterministicAndDomainSeparated) {
  auto a = RistrettoPoint::hash_to_group(as_bytes("msg"), as_bytes("dst-1"));
  auto b = RistrettoPoint::hash_to_group(as_bytes("msg"), as_bytes("dst-1"));
  auto c = RistrettoPoint::hash_to_group(as_bytes("msg"), as_bytes("dst-2"));
  EXPECT_TRUE(a == b);
  EXPECT_FALSE(a == c);
  EXPECT_FALSE(a.is_identity());
}

}  // namespace
}  // namespace formica::zk
