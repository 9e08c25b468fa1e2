#include "formica/mpc/matching.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include "formica/mpc/messages.h"
#include "session_common.h"

namespace formica::mpc {
namespace {

Seed seed_of(std::uint64_t v) {
  Seed s{};
  for (int i = 0; i < 8; ++i) s[i] = static_cast<std::uint8_t>(v >> (8 * i));
  return s;
}

struct SessionRun {
  Result<std::vector<std::uint8_t>> bits = make_error(ErrorCode::kInternal, "not run");
  Transcript transcript;
};

SessionRun run(const Embedding& tmpl, const std::vector<Embedding>& obs, MatchParams params,
               std::uint64_t seed, const FrameTamper& tamper = {}) {
  SessionRun r;
  auto phone = PhoneSession::create(tmpl, params, Prg(seed_of(2 * seed)));
  auto sensor = SensorSession::create(obs, params, Prg(seed_of(2 * seed + 1)));
  if (!phone.ok()) {
    r.bits = phone.error();
    return r;
  }
  if (!sensor.ok()) {
    r.bits = sensor.error();
    return r;
  }
  r.bits = run_in_memory(*phone, *sensor, &r.transcript, tamper);
  return r;
}

// Adjusts y so that <x, y> == target exactly (needs x[0] == 1). Returns false if out of range.
bool set_inner_product(const Embedding& x, Embedding& y, std::int64_t target) {
  std::int64_t delta = target - inner_product(x, y);
  for (std::size_t i = 1; i < kDim && delta != 0; ++i) {
    if (x[i] == 0) continue;
    std::int64_t c = delta / x[i];
    c = std::clamp<std::int64_t>(y[i] + c, kQuantMin, kQuantMax) - y[i];
    y[i] = static_cast<std::int16_t>(y[i] + c);
    delta -= c * x[i];
  }
  const std::int64_t y0 = y[0] + delta;
  if (y0 < kQuantMin || y0 > kQuantMax) return false;
  y[0] = static_cast<std::int16_t>(y0);
  return inner_product(x, y) == target;
}

std::vector<std::uint8_t> plain(const Embedding& x, const std::vector<Embedding>& obs, std::int32_t t) {
  std::vector<std::uint8_t> out;
  for (const auto& y : obs) out.push_back(plaintext_match(x, y, t) ? 1 : 0);
  return out;
}

TEST(Matching, BitEqualsPlaintextDecisionOnRandomPairs) {
  FaceGenerator gen(11);
  MatchParams params;
  params.batch_size = 200;
  std::size_t total = 0, matches = 0;
  for (int session = 0; session < 4; ++session) {
    auto owner = gen.new_identity();
    Embedding tmpl = gen.enrol(owner);
    std::vector<Embedding> obs;
    for (int k = 0; k < 500; ++k) {
      // A quarter genuine, the rest from a small crowd; plus the tails of the noise model.
      if (k % 4 == 0) {
        obs.push_back(gen.observe(owner));
      } else {
        obs.push_back(gen.observe(gen.new_identity()));
      }
    }
    SessionRun r = run(tmpl, obs, params, 100 + session);
    ASSERT_TRUE(r.bits.ok()) << r.bits.error().to_string();
    ASSERT_EQ(*r.bits, plain(tmpl, obs, params.threshold));
    total += obs.size();
    for (auto b : *r.bits) matches += b;
  }
  EXPECT_EQ(total, 2000u);
  EXPECT_EQ(matches, 500u);  // every genuine observation matched, no impostor did
}

TEST(Matching, BitEqualsPlaintextJustAboveAndBelowTheThreshold) {
  FaceGenerator gen(12);
  MatchParams params;
  params.batch_size = 64;
  auto owner = gen.new_identity();
  Embedding tmpl = gen.enrol(owner);
  tmpl[0] = 1;  // lets set_inner_product hit every integer
  std::vector<Embedding> obs;
  std::vector<std::uint8_t> expected;
  for (int k = 0; k < 200; ++k) {
    Embedding y = (k % 2 == 0) ? gen.observe(owner) : gen.observe(gen.new_identity());
    const std::int64_t offsets[] = {-1, 0, 1};
    const std::int64_t off = offsets[k % 3];
    ASSERT_TRUE(set_inner_product(tmpl, y, params.threshold + off));
    obs.push_back(y);
    expected.push_back(off >= 0 ? 1 : 0);
  }
  // Extremes of the range: the largest and smallest inner products the 9-bit range allows.
  Embedding lo, hi;
  lo.fill(-255);
  hi.fill(255);
  obs.push_back(lo);
  expected.push_back(plaintext_match(tmpl, lo, params.threshold));
  obs.push_back(hi);
  expected.push_back(plaintext_match(tmpl, hi, params.threshold));
  SessionRun r = run(tmpl, obs, params, 7);
  ASSERT_TRUE(r.bits.ok()) << r.bits.error().to_string();
  EXPECT_EQ(*r.bits, expected);

  // Extreme template against extreme observations: |<x, y>| ~ 2^23, far from wrapping mod 2^32.
  Embedding xt;
  xt.fill(-255);
  SessionRun r2 = run(xt, {lo, hi}, params, 8);
  ASSERT_TRUE(r2.bits.ok());
  EXPECT_EQ(*r2.bits, (std::vector<std::uint8_t>{1, 0}));
}

TEST(Matching, OtherThresholdsAndBatchShapes) {
  FaceGenerator gen(13);
  auto owner = gen.new_identity();
  Embedding tmpl = gen.enrol(owner);
  tmpl[0] = 1;
  for (std::int32_t threshold : {0, -5, 1, 40000, -(1 << 23)}) {
    for (std::uint32_t batch : {1u, 3u, 1024u}) {
      MatchParams params;
      params.threshold = threshold;
      params.batch_size = batch;
      std::vector<Embedding> obs;
      for (int k = 0; k < 7; ++k) {
        Embedding y = gen.observe(k % 2 ? owner : gen.new_identity());
        if (k < 3 && set_inner_product(tmpl, y, std::int64_t{threshold} + k - 1)) {
          // on the boundary
        }
        obs.push_back(y);
      }
      SessionRun r = run(tmpl, obs, params, 40 + batch);
      ASSERT_TRUE(r.bits.ok()) << r.bits.error().to_string();
      EXPECT_EQ(*r.bits, plain(tmpl, obs, threshold)) << "threshold " << threshold << " batch " << batch;
    }
  }
}

TEST(Matching, SeededSessionsAreReproducibleAndThreadCountDoesNotMatter) {
  FaceGenerator gen(14);
  auto owner = gen.new_identity();
  Embedding tmpl = gen.enrol(owner);
  std::vector<Embedding> obs;
  for (int k = 0; k < 40; ++k) obs.push_back(gen.observe(k % 3 ? gen.new_identity() : owner));
  MatchParams one, two;
  one.batch_size = two.batch_size = 16;
  two.threads = 2;
  SessionRun a = run(tmpl, obs, one, 5), b = run(tmpl, obs, two, 5), c = run(tmpl, obs, one, 6);
  ASSERT_TRUE(a.bits.ok() && b.bits.ok() && c.bits.ok());
  EXPECT_EQ(*a.bits, *b.bits);
  ASSERT_EQ(a.transcript.entries.size(), b.transcript.entries.size());
  for (std::size_t i = 0; i < a.transcript.entries.size(); ++i) {
    EXPECT_EQ(a.transcript.entries[i].frame, b.transcript.entries[i].frame) << "frame " << i;
  }
  EXPECT_NE(a.transcript.entries[0].frame, c.transcript.entries[0].frame);  // fresh per seed
}

// ---- Transcript privacy ---------------------------------------------------------------------

bool contains(const Bytes& hay, const Bytes& needle) {
  return std::search(hay.begin(), hay.end(), needle.begin(), needle.end()) != hay.end();
}

Bytes le32(std::int64_t v) {
  Bytes b(4);
  for (int i = 0; i < 4; ++i) b[i] = static_cast<std::uint8_t>(static_cast<std::uint64_t>(v) >> (8 * i));
  return b;
}

// Every window of 4 consecutive coordinates as little-endian int16: 8 bytes.
std::vector<Bytes> windows(const Embedding& e, int bias = 0) {
  std::vector<Bytes> out;
  for (std::size_t i = 0; i + 4 <= kDim; ++i) {
    Bytes w;
    for (std::size_t k = 0; k < 4; ++k) {
      const auto v = static_cast<std::uint16_t>(e[i + k] + bias);
      w.push_back(static_cast<std::uint8_t>(v));
      w.push_back(static_cast<std::uint8_t>(v >> 8));
    }
    out.push_back(w);
  }
  return out;
}

std::vector<Bytes> secrets_of(const Embedding& tmpl, const std::vector<Embedding>& obs,
                              std::int32_t threshold, const SessionTransform& tr) {
  std::vector<Bytes> needles;
  for (const Embedding& e : {tmpl, tr.apply(tmpl)}) {
    for (auto& w : windows(e)) needles.push_back(w);
    for (auto& w : windows(e, 255)) needles.push_back(w);  // the offset form the OTs use
  }
  for (const auto& y : obs) {
    for (const Embedding& e : {y, tr.apply(y)}) {
      for (auto& w : windows(e)) needles.push_back(w);
    }
    const std::int64_t ip = inner_product(tmpl, y);
    std::int64_t sum_y = 0;
    for (auto v : tr.apply(y)) sum_y += v;
    for (std::int64_t v : {ip, ip - threshold, threshold - ip, ip + 255 * sum_y}) needles.push_back(le32(v));
  }
  return needles;
}

TEST(Matching, TranscriptHoldsNoEmbeddingValueAndNoScore) {
  FaceGenerator gen(15);
  auto owner = gen.new_identity();
  Embedding tmpl = gen.enrol(owner);
  std::vector<Embedding> obs;
  for (int k = 0; k < 16; ++k) obs.push_back(gen.observe(k % 2 ? gen.new_identity() : owner));
  MatchParams params;
  params.batch_size = 8;
  SessionRun r = run(tmpl, obs, params, 21);
  ASSERT_TRUE(r.bits.ok());
  // The session transform both parties used, recomputed from the two nonces in the transcript.
  auto hello = decode_hello(parse_frame(r.transcript.entries.at(0).frame)->payload);
  auto reply = decode_hello_reply(parse_frame(r.transcript.entries.at(1).frame)->payload);
  ASSERT_TRUE(hello.ok() && reply.ok());
  SessionTransform tr(detail::session_seed(hello->nonce, reply->nonce));
  auto needles = secrets_of(tmpl, obs, params.threshold, tr);
  ASSERT_GT(needles.size(), 16u * 250);
  std::size_t scanned = 0;
  for (const auto& entry : r.transcript.entries) {
    scanned += entry.frame.size();
    for (const auto& n : needles)
      ASSERT_FALSE(contains(entry.frame, n)) << "a secret value is in the transcript";
  }
  EXPECT_GT(scanned, 100000u);
  // Control: the scan does find such values when a message carries them in the clear.
  Bytes leaky = r.transcript.entries.at(3).frame;
  const Bytes score = le32(inner_product(tmpl, obs[5]));
  std::copy(score.begin(), score.end(), leaky.begin() + 100);
  EXPECT_TRUE(contains(leaky, score));
  Bytes leaky2 = r.transcript.entries.at(2).frame;
  const Bytes w = windows(tr.apply(tmpl), 255)[17];
  std::copy(w.begin(), w.end(), leaky2.begin() + 40);
  EXPECT_TRUE(contains(leaky2, w));
}

TEST(Matching, PhoneMessagesDoNotDependOnTheOutcome) {
  FaceGenerator gen(16);
  auto owner = gen.new_identity();
  Embedding tmpl = gen.enrol(owner);
  std::vector<Embedding> genuine, impostors;
  for (int k = 0; k < 50; ++k) {
    genuine.push_back(gen.observe(owner));
    impostors.push_back(gen.observe(gen.new_identity()));
  }
  MatchParams params;
  params.batch_size = 16;
  SessionRun yes = run(tmpl, genuine, params, 31), no = run(tmpl, impostors, params, 32);
  ASSERT_TRUE(yes.bits.ok() && no.bits.ok());
  EXPECT_EQ(*yes.bits, std::vector<std::uint8_t>(50, 1));
  EXPECT_EQ(*no.bits, std::vector<std::uint8_t>(50, 0));
  auto phone_frames = [](const Transcript& t) {
    std::vector<std::pair<std::uint8_t, std::size_t>> out;  // (type, size) in order
    for (const auto& e : t.entries) {
      if (e.from_phone) out.emplace_back(e.frame.at(5), e.frame.size());
    }
    return out;
  };
  const auto a = phone_frames(yes.transcript), b = phone_frames(no.transcript);
  EXPECT_EQ(a, b);
  EXPECT_EQ(a.size(), 2u + 4u);  // hello, template OT, one choices frame per batch of 16
  // The whole interleaving is the same too.
  ASSERT_EQ(yes.transcript.entries.size(), no.transcript.entries.size());
  for (std::size_t i = 0; i < yes.transcript.entries.size(); ++i) {
    EXPECT_EQ(yes.transcript.entries[i].from_phone, no.transcript.entries[i].from_phone);
  }
}

}  // namespace
}  // namespace formica::mpc
