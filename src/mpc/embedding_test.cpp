#include "formica/mpc/embedding.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

namespace formica::mpc {
namespace {

// Cosine in thousandths from quantised vectors, as an integer (for distribution checks).
std::int64_t cosine_milli(const Embedding& a, const Embedding& b) {
  return inner_product(a, b) * 1000 / (kQuantNorm * kQuantNorm);
}

TEST(Embedding, QuantisedNormIsAbout256) {
  FaceGenerator gen(1);
  auto id = gen.new_identity();
  for (int k = 0; k < 20; ++k) {
    Embedding e = gen.observe(id);
    ASSERT_TRUE(validate(e).ok());
    std::int64_t sq = inner_product(e, e);
    EXPECT_GT(sq, 250 * 250);
    EXPECT_LT(sq, 262 * 262);
  }
}

TEST(Embedding, GeneratorIsDeterministicPerSeed) {
  FaceGenerator a(42), b(42), c(43);
  auto ia = a.new_identity(), ib = b.new_identity(), ic = c.new_identity();
  EXPECT_EQ(ia, ib);
  EXPECT_NE(ia, ic);
  EXPECT_EQ(a.enrol(ia), b.enrol(ib));
  EXPECT_EQ(a.observe(ia), b.observe(ib));
}

// Pinned output: the generator is integer-only, so these values are the same on every machine.
// (If the model changes on purpose, update the pin and docs/private-matching.md together.)
TEST(Embedding, GeneratorOutputIsPinned) {
  FaceGenerator gen(7);
  auto id = gen.new_identity();
  Embedding t = gen.enrol(id);
  Embedding o = gen.observe(id);
  const std::int16_t t8[] = {-9, -3, -33, -20, 43, -22, -16, 2};
  const std::int16_t o8[] = {-31, -11, -33, -1, 5, -14, 20, -10};
  for (std::size_t i = 0; i < 8; ++i) {
    EXPECT_EQ(t[i], t8[i]) << i;
    EXPECT_EQ(o[i], o8[i]) << i;
  }
  EXPECT_EQ(inner_product(t, o), 45261);
}

TEST(Embedding, GenuineAndImpostorDistributionsAreRealistic) {
  FaceGenerator gen(2024);
  std::vector<std::int64_t> genuine, impostor;
  for (int person = 0; person < 40; ++person) {
    auto id = gen.new_identity();
    auto other = gen.new_identity();
    Embedding tmpl = gen.enrol(id);
    for (int k = 0; k < 10; ++k) {
      genuine.push_back(cosine_milli(tmpl, gen.observe(id)));
      impostor.push_back(cosine_milli(tmpl, gen.observe(other)));
    }
  }
  auto mean = [](const std::vector<std::int64_t>& v) {
    std::int64_t s = 0;
    for (auto x : v) s += x;
    return s / static_cast<std::int64_t>(v.size());
  };
  // Genuine ~0.6-0.8, impostor ~0-0.3 (ArcFace-like), the threshold 0.40 between them.
  EXPECT_GE(mean(genuine), 600);
  EXPECT_LE(mean(genuine), 800);
  EXPECT_GE(mean(impostor), 0);
  EXPECT_LE(mean(impostor), 150);
  const auto t = static_cast<std::int64_t>(kDefaultThresholdMilli);
  EXPECT_GT(*std::min_element(genuine.begin(), genuine.end()), t);
  EXPECT_LT(*std::max_element(impostor.begin(), impostor.end()), t);
}

TEST(Embedding, SessionTransformPreservesInnerProductsExactly) {
  FaceGenerator gen(3);
  Seed seed{};
  seed[0] = 9;
  SessionTransform tr(seed);
  for (int k = 0; k < 50; ++k) {
    auto id = gen.new_identity();
    Embedding a = gen.enrol(id), b = gen.observe(id);
    EXPECT_EQ(inner_product(tr.apply(a), tr.apply(b)), inner_product(a, b));
  }
  Embedding a = gen.enrol(gen.new_identity());
  EXPECT_NE(tr.apply(a), a);  // it does move coordinates
  Seed other = seed;
  other[1] = 1;
  EXPECT_NE(SessionTransform(other).apply(a), tr.apply(a));
}

TEST(Embedding, ThresholdAndValidation) {
  EXPECT_EQ(threshold_from_cosine_milli(400), 26214);  // round(0.4 * 65536)
  EXPECT_EQ(threshold_from_cosine_milli(1000), 65536);
  EXPECT_EQ(threshold_from_cosine_milli(0), 0);
  Embedding e{};
  EXPECT_TRUE(validate(e).ok());
  e[5] = 256;
  EXPECT_EQ(validate(e).code(), ErrorCode::kInvalidArgument);
  e[5] = -256;
  EXPECT_FALSE(validate(e).ok());
  std::array<std::int64_t, kDim> zero{};
  EXPECT_FALSE(quantise(zero).ok());
  std::array<std::int64_t, kDim> axis{};
  axis[3] = 1000;
  auto q = quantise(axis);
  ASSERT_TRUE(q.ok());
  EXPECT_EQ((*q)[3], 255);  // clamped to the 9-bit range
}

}  // namespace
}  // namespace formica::mpc
