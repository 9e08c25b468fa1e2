#include "formica/mpc/transport.h"

#include <gtest/gtest.h>

#include <thread>

#include "formica/mpc/match_bench.h"
#include "formica/mpc/messages.h"

namespace formica::mpc {
namespace {

using namespace std::chrono_literals;

TEST(Transport, SessionOverLoopbackTcpMatchesPlaintext) {
  FaceGenerator gen(5);
  auto owner = gen.new_identity();
  Embedding tmpl = gen.enrol(owner);
  std::vector<Embedding> obs;
  for (int k = 0; k < 100; ++k) obs.push_back(gen.observe(k % 5 ? gen.new_identity() : owner));
  MatchParams params;
  params.batch_size = 32;
  auto listener = TcpListener::bind_loopback();
  ASSERT_TRUE(listener.ok()) << listener.error().to_string();
  Status sensor_status = make_error(ErrorCode::kInternal, "not run");
  std::uint64_t sensor_sent = 0;
  std::thread sensor_thread([&] {
    auto stream = listener->accept(5s);
    if (!stream.ok()) {
      sensor_status = stream.error();
      return;
    }
    auto sensor = SensorSession::create(obs, params, Prg::from_os());
    if (!sensor.ok()) {
      sensor_status = sensor.error();
      return;
    }
    sensor_status = run_sensor(*sensor, *stream);
    sensor_sent = stream->bytes_sent();
  });
  auto stream = connect_loopback(listener->port(), 5s);
  ASSERT_TRUE(stream.ok());
  auto phone = PhoneSession::create(tmpl, params, Prg::from_os());
  ASSERT_TRUE(phone.ok());
  Status phone_status = run_phone(*phone, *stream);
  sensor_thread.join();
  ASSERT_TRUE(phone_status.ok()) << phone_status.error().to_string();
  ASSERT_TRUE(sensor_status.ok()) << sensor_status.error().to_string();
  std::size_t expected_matches = 0;
  for (std::size_t i = 0; i < obs.size(); ++i) {
    EXPECT_EQ(phone->matches()[i], plaintext_match(tmpl, obs[i], params.threshold) ? 1 : 0);
    expected_matches += plaintext_match(tmpl, obs[i], params.threshold);
  }
  EXPECT_EQ(expected_matches, 20u);
  EXPECT_EQ(stream->bytes_received(), sensor_sent);
}

// A peer that speaks garbage, lies about lengths or hangs up: the honest side ends with an error.
TEST(Transport, HostilePeersEndTheSessionCleanly) {
  FaceGenerator gen(6);
  Embedding tmpl = gen.enrol(gen.new_identity());
  std::vector<Embedding> obs = {gen.observe(gen.new_identity())};
  MatchParams params;
  struct Case {
    Bytes bytes;
    ErrorCode phone_sees;
  };
  const std::vector<Case> cases = {
      {Bytes{0xff, 0xff, 0xff, 0xff}, ErrorCode::kTooLarge},   // 4 GiB frame announced
      {Bytes{0x10, 0, 0, 0, 1, 2, 3}, ErrorCode::kIo},         // truncated, then hang up
      {Bytes{0x03, 0, 0, 0, 1, 2, 9}, ErrorCode::kMalformed},  // whole frame, bad type
      {Bytes{}, ErrorCode::kIo},                               // hang up at once
  };
  for (const auto& c : cases) {
    auto listener = TcpListener::bind_loopback();
    ASSERT_TRUE(listener.ok());
    std::thread evil([&] {
      auto stream = listener->accept(5s);
      if (!stream.ok()) return;
      auto hello = stream->receive();
      (void)hello;
      (void)stream->send_raw(c.bytes);
      stream->close();
    });
    auto stream = connect_loopback(listener->port(), 5s);
    ASSERT_TRUE(stream.ok());
    auto phone = PhoneSession::create(tmpl, params, Prg::from_os());
    ASSERT_TRUE(phone.ok());
    Status st = run_phone(*phone, *stream);
    evil.join();
    ASSERT_FALSE(st.ok());
    EXPECT_EQ(st.code(), c.phone_sees) << st.error().to_string();
  }
  // And the sensor facing a hostile phone.
  auto listener = TcpListener::bind_loopback();
  ASSERT_TRUE(listener.ok());
  std::thread evil_phone([&] {
    auto stream = connect_loopback(listener->port(), 5s);
    if (!stream.ok()) return;
    Hello h;  // all-zero OT point: the identity, refused
    h.threshold = static_cast<std::uint32_t>(params.threshold);
    (void)stream->send(encode(h));
    (void)stream->receive();
  });
  auto stream = listener->accept(5s);
  ASSERT_TRUE(stream.ok());
  auto sensor = SensorSession::create(obs, params, Prg::from_os());
  ASSERT_TRUE(sensor.ok());
  Status st = run_sensor(*sensor, *stream);
  stream->close();
  evil_phone.join();
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.code(), ErrorCode::kMalformed);
}

TEST(Transport, MatchBenchRunsTwoProcessesAndAgreesWithPlaintext) {
  MatchParams params;
  params.batch_size = 16;
  auto r = run_match_bench(40, params, 3);
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(r->observations, 40u);
  EXPECT_EQ(r->genuine, 4u);
  EXPECT_EQ(r->matches, 4u);
  EXPECT_EQ(r->disagreements, 0u);
  // Phone: hello 74 + template OT 18438 + choices for batches of 16, 16, 8; sensor: the rest.
  const std::uint64_t choices16 = 14 + ot_matrix_bytes(16 * kCompareBits);
  const std::uint64_t choices8 = 14 + ot_matrix_bytes(8 * kCompareBits);
  EXPECT_EQ(r->phone_bytes, 74u + 18438u + 2 * choices16 + choices8);
  EXPECT_GT(r->sensor_bytes, 40u * 6500);
  EXPECT_GT(r->sensor_cpu_s, 0.0);
  EXPECT_EQ(run_match_bench(0, params, 3).code(), ErrorCode::kInvalidArgument);
}

TEST(Transport, SilentPeerTimesOut) {
  auto listener = TcpListener::bind_loopback();
  ASSERT_TRUE(listener.ok());
  std::thread silent([&] {
    auto stream = listener->accept(5s);
    std::this_thread::sleep_for(400ms);
  });
  auto stream = connect_loopback(listener->port(), 150ms);
  ASSERT_TRUE(stream.ok());
  auto r = stream->receive();
  silent.join();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.code(), ErrorCode::kUnavailable);
}

}  // namespace
}  // namespace formica::mpc
