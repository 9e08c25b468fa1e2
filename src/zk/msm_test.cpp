#include "formica/zk/msm.h"

#include <gtest/gtest.h>

#include "formica/zk/p256.h"
#include "formica/zk/ristretto255.h"

namespace formica::zk {
namespace {

template <typename G>
struct Case {
  std::vector<typename G::Scalar> s;
  std::vector<typename G::Point> p;
};

// Random terms, with edge cases mixed in: zero scalars, identity points, -1, small scalars.
template <typename G>
Case<G> make_case(std::size_t n, int flavour) {
  using S = typename G::Scalar;
  using P = typename G::Point;
  Case<G> c;
  for (std::size_t i = 0; i < n; ++i) {
    S s = S::random();
    if (flavour == 1 && i % 3 == 0) s = S();
    if (flavour == 2 && i % 2 == 0) s = -S::from_u64(1);
    if (flavour == 3) s = S::from_u64(i);
    P p = P::mul_base(S::random());
    if (flavour == 1 && i % 4 == 1) p = P::identity();
    c.s.push_back(s);
    c.p.push_back(p);
  }
  return c;
}

template <typename G>
void check_all(std::size_t n, int flavour) {
  auto c = make_case<G>(n, flavour);
  std::span<const typename G::Scalar> s(c.s);
  std::span<const typename G::Point> p(c.p);
  const auto want = msm_naive<G>(s, p);
  EXPECT_TRUE(msm_straus_ct<G>(s, p) == want) << "ct n=" << n << " flavour=" << flavour;
  EXPECT_TRUE(msm_straus_vartime<G>(s, p) == want) << "straus n=" << n << " flavour=" << flavour;
  EXPECT_TRUE(msm_pippenger<G>(s, p) == want) << "pippenger n=" << n << " flavour=" << flavour;
  EXPECT_TRUE(msm_vartime<G>(s, p) == want) << "auto n=" << n << " flavour=" << flavour;
}

TEST(Msm, Ristretto255MatchesNaiveAtManySizes) {
  for (std::size_t n : {0, 1, 2, 3, 4, 5, 7, 8, 16, 31, 64, 65, 127, 191, 256}) {
    for (int flavour = 0; flavour < 4; ++flavour) check_all<Ristretto255>(n, flavour);
  }
}

TEST(Msm, Ristretto255LargeSizesPippengerWindows) {
  for (std::size_t n : {520, 900}) check_all<Ristretto255>(n, 0);
}

TEST(Msm, P256MatchesNaive) {
  for (std::size_t n : {0, 1, 2, 5, 17}) {
    for (int flavour = 0; flavour < 4; ++flavour) check_all<P256>(n, flavour);
  }
}

TEST(Msm, AllZeroAndAllIdentity) {
  std::vector<RistrettoScalar> zeros(10);
  std::vector<RistrettoPoint> pts(10, RistrettoPoint::generator());
  EXPECT_TRUE(msm_vartime<Ristretto255>(zeros, pts).is_identity());
  EXPECT_TRUE(msm_straus_ct<Ristretto255>(zeros, pts).is_identity());
  EXPECT_TRUE(msm_pippenger<Ristretto255>(zeros, pts).is_identity());
  std::vector<RistrettoScalar> ones(10, RistrettoScalar::from_u64(1));
  std::vector<RistrettoPoint> ids(10);
  EXPECT_TRUE(msm_vartime<Ristretto255>(ones, ids).is_identity());
  EXPECT_TRUE(msm_pippenger<Ristretto255>(ones, ids).is_identity());
  EXPECT_TRUE(msm_straus_ct<Ristretto255>(ones, ids).is_identity());
}

TEST(Msm, MaximalScalars) {
  // P-256 scalars near n exercise the 65th radix-16 digit; ristretto's near l.
  std::vector<P256Scalar> s = {-P256Scalar::from_u64(1), -P256Scalar::from_u64(2), P256Scalar::from_u64(8)};
  std::vector<P256Point> p = {P256Point::generator(), P256Point::generator().dbl(), P256Point::generator()};
  EXPECT_TRUE(msm_straus_ct<P256>(s, p) == msm_naive<P256>(s, p));
  EXPECT_TRUE(msm_pippenger<P256>(s, p) == msm_naive<P256>(s, p));
  EXPECT_TRUE(msm_straus_vartime<P256>(s, p) == msm_naive<P256>(s, p));
}

TEST(FixedBase, MatchesScalarMultiplication) {
  auto h = RistrettoPoint::hash_to_group(as_bytes("h"), as_bytes("formica-test"));
  FixedBaseTable<Ristretto255> t(h);
  for (int i = 0; i < 20; ++i) {
    auto s = i < 3 ? RistrettoScalar::from_u64(static_cast<std::uint64_t>(i)) : RistrettoScalar::random();
    EXPECT_TRUE(t.mul(s) == h * s) << i;
  }
  EXPECT_TRUE(t.mul(-RistrettoScalar::from_u64(1)) == -h);
  FixedBaseTable<P256> tp(P256Point::generator());
  auto m1 = -P256Scalar::from_u64(1);
  EXPECT_TRUE(tp.mul(m1) == -P256Point::generator());
  auto r = P256Scalar::random();
  EXPECT_TRUE(tp.mul(r) == P256Point::mul_base(r));
}

}  // namespace
}  // namespace formica::zk
