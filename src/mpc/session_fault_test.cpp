// Malformed and malicious frames, from either side: the session ends with a typed error (or, for
// a change to a random-looking field that the semi-honest protocol cannot detect, completes) —
// it never crashes. Run under ASan/UBSan as well.

#include <gtest/gtest.h>

#include "formica/mpc/matching.h"
#include "formica/mpc/messages.h"

namespace formica::mpc {
namespace {

Seed seed_of(std::uint64_t v) {
  Seed s{};
  for (int i = 0; i < 8; ++i) s[i] = static_cast<std::uint8_t>(v >> (8 * i));
  return s;
}

struct Fixture {
  Embedding tmpl;
  std::vector<Embedding> obs;
  MatchParams params;
  Fixture() {
    FaceGenerator gen(99);
    auto owner = gen.new_identity();
    tmpl = gen.enrol(owner);
    for (int k = 0; k < 6; ++k) obs.push_back(gen.observe(k % 2 ? owner : gen.new_identity()));
    params.batch_size = 4;  // two batches: frames hello, reply, template, shares, choices,
                            // garbled, shares, choices, garbled
  }
  Result<std::vector<std::uint8_t>> run(const FrameTamper& tamper, std::uint64_t seed = 1) const {
    auto phone = PhoneSession::create(tmpl, params, Prg(seed_of(seed)));
    auto sensor = SensorSession::create(obs, params, Prg(seed_of(seed + 1000)));
    if (!phone.ok() || !sensor.ok()) return make_error(ErrorCode::kInternal, "setup");
    return run_in_memory(*phone, *sensor, nullptr, tamper);
  }
};

constexpr std::size_t kFrames = 9;

bool structural(ErrorCode c) {
  return c == ErrorCode::kMalformed || c == ErrorCode::kTooLarge || c == ErrorCode::kUnsupported ||
         c == ErrorCode::kFailedPrecondition;
}

TEST(SessionFaults, HonestRunHasNineFrames) {
  Fixture fx;
  std::size_t frames = 0;
  auto r = fx.run([&](bool, std::size_t, Bytes&) { ++frames; });
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(frames, kFrames);
}

TEST(SessionFaults, TruncatedExtendedOrMisframedFramesEndTheSessionWithATypedError) {
  Fixture fx;
  for (std::size_t target = 0; target < kFrames; ++target) {
    const std::vector<std::function<void(Bytes&)>> edits = {
        [](Bytes& f) { f.pop_back(); },              // truncated by one byte
        [](Bytes& f) { f.resize(f.size() / 2); },    // cut in half
        [](Bytes& f) { f.resize(4); },               // header only
        [](Bytes& f) { f.push_back(0); },            // one byte too many
        [](Bytes& f) { f[0] ^= 1; },                 // wrong length in the header
        [](Bytes& f) { f[4] = 9; },                  // unknown version
        [](Bytes& f) { f[5] = 0x7f; },               // unknown type
        [](Bytes& f) { f[5] = f[5] == 4 ? 6 : 4; },  // a valid type out of turn
        [](Bytes& f) { f.erase(f.begin() + 6, f.begin() + 6 + (f.size() - 6) / 3); },  // short body
    };
    for (std::size_t e = 0; e < edits.size(); ++e) {
      auto r = fx.run([&](bool, std::size_t index, Bytes& f) {
        if (index == target) edits[e](f);
      });
      ASSERT_FALSE(r.ok()) << "frame " << target << " edit " << e;
      EXPECT_TRUE(structural(r.code()))
          << "frame " << target << " edit " << e << ": " << r.error().to_string();
    }
  }
}

TEST(SessionFaults, CountsAndBatchIndicesAreChecked) {
  Fixture fx;
  // Rewrite the batch index (bytes 6..9) of every batch-carrying frame, and the count (10..13).
  for (std::size_t target : {3u, 4u, 5u, 6u, 7u, 8u}) {
    for (std::size_t offset : {6u, 10u}) {
      auto r = fx.run([&](bool, std::size_t index, Bytes& f) {
        if (index == target && f.size() > offset) f[offset] ^= 1;
      });
      // A changed count also changes the implied length; either way the frame is refused.
      ASSERT_FALSE(r.ok()) << "frame " << target << " offset " << offset;
      EXPECT_TRUE(structural(r.code()));
    }
  }
}

TEST(SessionFaults, ReplayedAndReorderedFramesAreRefused) {
  Fixture fx;
  Bytes saved;
  auto r = fx.run([&](bool, std::size_t index, Bytes& f) {
    if (index == 3) saved = f;  // first share batch
    if (index == 6) f = saved;  // replayed instead of the second
  });
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.code(), ErrorCode::kMalformed);
  Bytes hello;
  auto r2 = fx.run([&](bool, std::size_t index, Bytes& f) {
    if (index == 0) hello = f;
    if (index == 2) f = hello;  // phone's hello again instead of the template OT
  });
  ASSERT_FALSE(r2.ok());
  EXPECT_EQ(r2.code(), ErrorCode::kMalformed);
}

TEST(SessionFaults, InvalidGroupElementsAreRefusedOnBothSides) {
  Fixture fx;
  // Hello: bytes 6..9 threshold, 10..41 nonce, 42..73 the OT point.
  for (std::uint8_t fill : {std::uint8_t{0x00}, std::uint8_t{0xff}}) {
    auto r = fx.run([&](bool, std::size_t index, Bytes& f) {
      if (index == 0) std::fill(f.begin() + 42, f.begin() + 74, fill);
    });
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.code(), ErrorCode::kMalformed) << r.error().to_string();
  }
  // HelloReply: bytes 6..13 counts, 14..45 nonce, then 128 points; spoil point 77.
  for (std::uint8_t fill : {std::uint8_t{0x00}, std::uint8_t{0xff}}) {
    auto r = fx.run([&](bool, std::size_t index, Bytes& f) {
      if (index == 1) std::fill(f.begin() + 46 + 77 * 32, f.begin() + 46 + 78 * 32, fill);
    });
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.code(), ErrorCode::kMalformed) << r.error().to_string();
  }
  // A threshold the sensor does not use is a failed precondition, not a match.
  auto r = fx.run([&](bool, std::size_t index, Bytes& f) {
    if (index == 0) f[6] ^= 1;
  });
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.code(), ErrorCode::kFailedPrecondition);
}

TEST(SessionFaults, RandomBitFlipsNeverCrash) {
  // Flips in random-looking fields (OT matrices, masked shares, garbled tables) are not
  // detectable by a semi-honest protocol: the session may complete with wrong bits. Flips in
  // structure end it with a typed error. Either way: no crash, no hang, no other error code.
  Fixture fx;
  Prg prg(seed_of(77));
  int completed = 0, refused = 0;
  for (int trial = 0; trial < 60; ++trial) {
    const std::size_t target = prg.uniform(kFrames);
    const std::uint64_t where = prg.next_u64();
    const int flips = 1 + static_cast<int>(prg.uniform(3));
    auto r = fx.run(
        [&](bool, std::size_t index, Bytes& f) {
          if (index != target) return;
          for (int k = 0; k < flips; ++k) {
            const std::size_t pos = (where >> (k * 8)) % f.size();
            f[pos] ^= static_cast<std::uint8_t>(1u << (k + trial) % 8);
          }
        },
        trial);
    if (r.ok()) {
      ++completed;
      EXPECT_EQ(r->size(), fx.obs.size());
    } else {
      ++refused;
      EXPECT_TRUE(structural(r.code())) << r.error().to_string();
    }
  }
  EXPECT_GT(refused, 0);
  EXPECT_GT(completed, 0);
}

TEST(SessionFaults, FailedSessionsStayFailed) {
  Fixture fx;
  auto phone = PhoneSession::create(fx.tmpl, fx.params, Prg(seed_of(5)));
  ASSERT_TRUE(phone.ok());
  auto hello = phone->start();
  ASSERT_TRUE(hello.ok());
  EXPECT_FALSE(phone->start().ok());
  auto bad = phone->on_message(Bytes{1, 2, 3});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.code(), ErrorCode::kMalformed);
  EXPECT_FALSE(phone->on_message(*hello).ok());
  EXPECT_FALSE(phone->done());

  auto sensor = SensorSession::create(fx.obs, fx.params, Prg(seed_of(6)));
  ASSERT_TRUE(sensor.ok());
  EXPECT_FALSE(sensor->on_message(Bytes{}).ok());
  EXPECT_FALSE(sensor->on_message(*hello).ok());  // stays failed even for a good hello

  Embedding out_of_range{};
  out_of_range[0] = 300;
  EXPECT_EQ(PhoneSession::create(out_of_range, fx.params, Prg(seed_of(1))).code(),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(SensorSession::create({}, fx.params, Prg(seed_of(1))).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(SensorSession::create({out_of_range}, fx.params, Prg(seed_of(1))).code(),
            ErrorCode::kInvalidArgument);
  MatchParams wide = fx.params;
  wide.threshold = (1 << 24) + 1;  // could wrap the 32-bit shares: refused by both sides
  EXPECT_EQ(SensorSession::create(fx.obs, wide, Prg(seed_of(1))).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(PhoneSession::create(fx.tmpl, wide, Prg(seed_of(1))).code(), ErrorCode::kInvalidArgument);
  MatchParams zero_batch = fx.params;
  zero_batch.batch_size = 0;
  EXPECT_EQ(SensorSession::create(fx.obs, zero_batch, Prg(seed_of(1))).code(), ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace formica::mpc
