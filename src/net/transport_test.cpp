// Transports on 127.0.0.1 with ephemeral ports: exchange, broadcast, refusals (unknown CA,
// impersonation across organisations, wrong network, expired certificate), penalties for bad
// frames from a raw TLS client, bans, reconnection after a restart, queue bounds.

#include "formica/net/transport.h"

#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <set>
#include <thread>

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>

#include "test_support.h"
#include "tls_context.h"
#include "wire.h"

namespace formica::net {
namespace {

using namespace std::chrono_literals;
using testing::Consortium;
using testing::eventually;
using testing::Recorder;

struct Node {
  std::unique_ptr<Recorder> rec = std::make_unique<Recorder>();
  std::unique_ptr<Transport> t;
};

std::unique_ptr<Transport> make_transport(TransportOptions o, Recorder& rec) {
  auto t = Transport::create(std::move(o), rec.handlers());
  EXPECT_TRUE(t.ok()) << (t.ok() ? "" : t.error().to_string());
  if (!t.ok()) return nullptr;
  auto s = (*t)->start();
  EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().to_string());
  return std::move(t).value();
}

// Starts nodes n-1 .. 0 (each dials only higher indexes, whose ports are then known).
std::vector<Node> start_all(const Consortium& c, int n,
                            const std::function<void(int, TransportOptions&)>& tweak = nullptr) {
  std::vector<Node> nodes(static_cast<std::size_t>(n));
  std::vector<std::uint16_t> ports(static_cast<std::size_t>(n), 0);
  for (int i = n - 1; i >= 0; --i) {
    TransportOptions o = c.options(i, ports);
    if (tweak) tweak(i, o);
    auto& node = nodes[static_cast<std::size_t>(i)];
    node.t = make_transport(std::move(o), *node.rec);
    ports[static_cast<std::size_t>(i)] = node.t ? node.t->port() : 0;
  }
  return nodes;
}

bool all_connected(const std::vector<Node>& nodes) {
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    for (std::size_t j = 0; j < nodes.size(); ++j) {
      if (i != j && !nodes[i].rec->is_up(static_cast<std::uint32_t>(j))) return false;
    }
  }
  return true;
}

const PeerStatus* status_of(const std::vector<PeerStatus>& all, std::uint32_t index) {
  for (const auto& s : all) {
    if (s.index == index) return &s;
  }
  return nullptr;
}

Bytes bytes_of(std::string_view s) { return to_bytes(s); }

TEST(NetTransport, TwoPeersExchangeOnSeveralChannelsBothWays) {
  Consortium c(2);
  auto nodes = start_all(c, 2);
  ASSERT_TRUE(eventually([&] { return all_connected(nodes); }));
  for (std::uint8_t ch = 1; ch <= 3; ++ch) {
    nodes[0].t->send(1, ch, bytes_of("from0 ch" + std::to_string(ch)));
    nodes[1].t->send(0, ch, bytes_of("from1 ch" + std::to_string(ch)));
  }
  nodes[0].t->send(1, 255, Bytes{});  // empty payload
  ASSERT_TRUE(
      eventually([&] { return nodes[1].rec->message_count() == 4 && nodes[0].rec->message_count() == 3; }));
  const auto at1 = nodes[1].rec->messages();
  for (std::uint8_t ch = 1; ch <= 3; ++ch) {  // in order per peer
    EXPECT_EQ(at1[ch - 1].peer, 0u);
    EXPECT_EQ(at1[ch - 1].channel, ch);
    EXPECT_EQ(at1[ch - 1].payload, bytes_of("from0 ch" + std::to_string(ch)));
  }
  EXPECT_EQ(at1[3].channel, 255);
  EXPECT_TRUE(at1[3].payload.empty());
  const auto at0 = nodes[0].rec->messages();
  EXPECT_EQ(at0[2].peer, 1u);
  EXPECT_EQ(at0[2].payload, bytes_of("from1 ch3"));

  // frames_out moves when a write completes, which may be just after the peer has read it.
  ASSERT_TRUE(eventually([&] { return nodes[0].t->peers()[0].frames_out == 4; }));
  const auto st = nodes[0].t->peers();
  ASSERT_EQ(st.size(), 1u);
  EXPECT_TRUE(st[0].connected);
  EXPECT_GT(st[0].connected_since_ms, 0);
  EXPECT_EQ(st[0].frames_out, 4u);
  EXPECT_EQ(st[0].frames_in, 3u);
  EXPECT_EQ(st[0].bytes_in, 3 * std::string("from1 chN").size());
  EXPECT_EQ(st[0].dropped_frames, 0u);
  EXPECT_FALSE(st[0].has_penalty);
}

TEST(NetTransport, LargeFramesAndManyFramesArriveIntact) {
  Consortium c(2);
  auto nodes = start_all(c, 2);
  ASSERT_TRUE(eventually([&] { return all_connected(nodes); }));
  Bytes big(3u << 20);
  for (std::size_t i = 0; i < big.size(); ++i) big[i] = static_cast<std::uint8_t>(i * 7 + 3);
  nodes[0].t->send(1, 9, big);
  for (int i = 0; i < 500; ++i) nodes[0].t->send(1, 10, Bytes{static_cast<std::uint8_t>(i), 1, 2});
  ASSERT_TRUE(eventually([&] { return nodes[1].rec->message_count() == 501; }));
  const auto msgs = nodes[1].rec->messages();
  EXPECT_EQ(msgs[0].payload, big);
  for (int i = 0; i < 500; ++i)
    EXPECT_EQ(msgs[static_cast<std::size_t>(i + 1)].payload[0], static_cast<std::uint8_t>(i));
}

TEST(NetTransport, FourPeersBroadcastReachesEveryone) {
  Consortium c(4);
  auto nodes = start_all(c, 4);
  ASSERT_TRUE(eventually([&] { return all_connected(nodes); }));
  for (int i = 0; i < 4; ++i)
    nodes[static_cast<std::size_t>(i)].t->broadcast(7, bytes_of("hello from " + c.name(i)));
  ASSERT_TRUE(eventually([&] {
    for (auto& n : nodes) {
      if (n.rec->message_count() != 3) return false;
    }
    return true;
  }));
  for (int i = 0; i < 4; ++i) {
    std::set<std::uint32_t> from;
    for (const auto& m : nodes[static_cast<std::size_t>(i)].rec->messages()) {
      EXPECT_EQ(m.channel, 7);
      EXPECT_EQ(m.payload, bytes_of("hello from " + c.name(static_cast<int>(m.peer))));
      from.insert(m.peer);
    }
    EXPECT_EQ(from.size(), 3u);
    EXPECT_EQ(from.count(static_cast<std::uint32_t>(i)), 0u);
  }
  // One logical connection per pair: each side saw exactly one peer_up per peer.
  for (int i = 0; i < 4; ++i) EXPECT_EQ(nodes[static_cast<std::size_t>(i)].rec->total_ups(), 3);
}

// Node 0 is an impostor whose certificate (CN node0, O org0) comes from a CA node 1 does not
// know; node 1 must refuse it.
TEST(NetTransport, UnknownCaIsRefused) {
  Consortium c(2);
  Recorder rec1;
  auto t1 = make_transport(c.options(1, {0, 0}), rec1);
  ASSERT_TRUE(t1);
  const TlsIdentity evil_ca = testing::must(create_org_ca("org0"));
  const TlsIdentity evil = testing::must(issue_node_cert(evil_ca, "node0", "org0"));
  TransportOptions o = c.options(0, {0, t1->port()});  // the genesis roots, not the rogue CA
  o.cert_pem = evil.cert_pem;
  o.key_pem = evil.key_pem;
  Recorder rec0;
  auto t0 = make_transport(std::move(o), rec0);
  ASSERT_TRUE(t0);
  t0->send(1, 1, bytes_of("let me in"));
  std::this_thread::sleep_for(600ms);  // several dial attempts
  EXPECT_EQ(rec1.total_ups(), 0);
  EXPECT_EQ(rec0.total_ups(), 0);
  EXPECT_EQ(rec1.message_count(), 0u);
  EXPECT_FALSE(t1->peers()[0].connected);
}

// A valid certificate of org1's CA with the name of org0's node: chains to a trusted root, but
// not to the root of the organisation node0 is registered to.
TEST(NetTransport, CertificateOfAnotherOrganisationForARegisteredNameIsRefused) {
  Consortium c(3);
  Recorder rec2;
  auto t2 = make_transport(c.options(2, {0, 0, 0}), rec2);
  ASSERT_TRUE(t2);
  const TlsIdentity forged = testing::must(issue_node_cert(c.cas[1], "node0", "org1"));
  TransportOptions o = c.options(0, {0, 0, t2->port()});
  o.cert_pem = forged.cert_pem;
  o.key_pem = forged.key_pem;
  o.peers.erase(o.peers.begin());  // only node2
  Recorder rec0;
  auto t0 = Transport::create(o, rec0.handlers());
  // (Its own check passes: O = org1 and org1's CA issued it. Only the peer knows node0 is org0's.)
  ASSERT_TRUE(t0.ok()) << t0.error().to_string();
  ASSERT_TRUE((*t0)->start().ok());
  std::this_thread::sleep_for(600ms);
  EXPECT_EQ(rec2.total_ups(), 0);
  EXPECT_EQ(rec0.total_ups(), 0);
  // And the real node0 still gets in.
  Recorder real_rec;
  auto real = make_transport(c.options(0, {0, 0, t2->port()}), real_rec);
  (*t0)->stop();
  ASSERT_TRUE(eventually([&] { return rec2.is_up(0) && real_rec.is_up(2); }));
}

TEST(NetTransport, WrongNetworkTagIsRefused) {
  Consortium c(2);
  auto nodes = start_all(c, 2, [](int i, TransportOptions& o) {
    if (i == 0) o.network_tag = Bytes{0xde, 0xad};
  });
  // Both sides see the other's tag and refuse it.
  for (int i = 0; i < 2; ++i) {
    ASSERT_TRUE(eventually([&] {
      const auto st = nodes[static_cast<std::size_t>(i)].t->peers();
      return st[0].has_penalty && st[0].last_penalty == PenaltyReason::kWrongNetwork;
    })) << "node "
        << i;
  }
  EXPECT_EQ(nodes[0].rec->total_ups(), 0);
  EXPECT_EQ(nodes[1].rec->total_ups(), 0);
}

// A raw TLS client presenting `id`: completes TLS and the hello, then misbehaves.
class RawClient {
 public:
  RawClient(const Consortium& c, const TlsIdentity& id, std::uint16_t port) {
    std::vector<X509*> roots;
    for (const auto& [org, pem] : c.roots) {
      auto x = ssl_util::parse_cert(pem);
      roots_.push_back(std::move(x).value());
      roots.push_back(roots_.back().get());
    }
    auto ctx = make_tls_context(id.cert_pem, id.key_pem, roots);
    EXPECT_TRUE(ctx.ok());
    ctx_ = std::move(ctx).value();
    stream_ = std::make_unique<boost::asio::ssl::stream<boost::asio::ip::tcp::socket>>(ioc_, *ctx_);
    stream_->lowest_layer().connect({boost::asio::ip::make_address("127.0.0.1"), port});
  }
  // TLS handshake, our hello, the server's hello: whether all of it succeeded.
  bool handshake_and_hello(std::uint32_t index, const std::string& name, Bytes tag) {
    boost::system::error_code ec;
    stream_->handshake(boost::asio::ssl::stream_base::client, ec);
    if (ec) return false;
    const Bytes hello = wire::encode_frame(
        kControlChannel, wire::encode_hello(wire::Hello{kProtocolVersion, std::move(tag), index, name}));
    boost::asio::write(*stream_, boost::asio::buffer(hello), ec);
    if (ec) return false;
    std::array<std::uint8_t, kFrameHeaderBytes> header{};
    boost::asio::read(*stream_, boost::asio::buffer(header), ec);
    if (ec) return false;
    wire::Header h;
    if (wire::check_header(header, wire::kMaxHelloBytes, h) != wire::HeaderCheck::kOk) return false;
    Bytes payload(h.payload_bytes);
    boost::asio::read(*stream_, boost::asio::buffer(payload), ec);
    return !ec && wire::decode_hello(payload).ok();
  }
  void write(const Bytes& b) { boost::asio::write(*stream_, boost::asio::buffer(b)); }
  // True when the server closes the connection within `timeout` (pings are skipped).
  bool closed_within(std::chrono::milliseconds timeout) {
    bool closed = false;
    std::array<std::uint8_t, 256> buf{};
    std::function<void(boost::system::error_code, std::size_t)> on_read = [&](boost::system::error_code ec,
                                                                              std::size_t) {
      if (ec) {
        closed = true;
        return;
      }
      stream_->async_read_some(boost::asio::buffer(buf), on_read);
    };
    stream_->async_read_some(boost::asio::buffer(buf), on_read);
    ioc_.run_for(timeout);
    return closed;
  }

 private:
  boost::asio::io_context ioc_;
  std::vector<ssl_util::X509Ptr> roots_;
  std::unique_ptr<boost::asio::ssl::context> ctx_;
  std::unique_ptr<boost::asio::ssl::stream<boost::asio::ip::tcp::socket>> stream_;
};

TEST(NetTransport, ExpiredPeerCertificateIsRefusedInTheHandshake) {
  Consortium c(2);
  Recorder rec1;
  auto t1 = make_transport(c.options(1, {0, 0}), rec1);
  ASSERT_TRUE(t1);
  // Issued two days ago, valid for one: expired now.
  const TlsIdentity expired =
      testing::must(issue_node_cert(c.cas[0], "node0", "org0", CertValidity{-2 * 86400, 86400}));
  RawClient raw(c, expired, t1->port());
  EXPECT_FALSE(raw.handshake_and_hello(0, "node0", c.options(0, {}).network_tag));
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(rec1.total_ups(), 0);
  // The same through a Transport (create() only warns about its own expired certificate).
  TransportOptions o = c.options(0, {0, t1->port()});
  o.cert_pem = expired.cert_pem;
  o.key_pem = expired.key_pem;
  Recorder rec0;
  auto t0 = make_transport(std::move(o), rec0);
  ASSERT_TRUE(t0);
  t0->send(1, 1, bytes_of("let me in"));
  std::this_thread::sleep_for(400ms);
  EXPECT_EQ(rec1.total_ups(), 0);
  EXPECT_EQ(rec0.total_ups(), 0);
  EXPECT_EQ(rec1.message_count(), 0u);
}

TEST(NetTransport, HelloClaimingAnotherIndexIsABadHello) {
  Consortium c(3);
  Recorder rec2;
  auto t2 = make_transport(c.options(2, {0, 0, 0}), rec2);
  ASSERT_TRUE(t2);
  RawClient raw(c, c.nodes[0], t2->port());
  raw.handshake_and_hello(1, "node1", c.options(0, {}).network_tag);  // certificate of node0
  ASSERT_TRUE(eventually([&] { return status_of(t2->peers(), 0)->has_penalty; }));
  EXPECT_EQ(status_of(t2->peers(), 0)->last_penalty, PenaltyReason::kBadHello);
  EXPECT_EQ(rec2.total_ups(), 0);
}

void expect_penalty_and_others_served(PenaltyReason reason, const Bytes& bad) {
  // Node 1 is the target; node 2 a good peer that must keep working; node 0 is the raw client.
  Consortium c(3);
  auto nodes = start_all(c, 3, [](int i, TransportOptions& o) {
    if (i == 0) o.peers.clear();  // node 0 is played by the raw client, not by this transport
  });
  nodes[0].t.reset();
  ASSERT_TRUE(eventually([&] { return nodes[1].rec->is_up(2) && nodes[2].rec->is_up(1); }));
  RawClient raw(c, c.nodes[0], nodes[1].t->port());
  ASSERT_TRUE(raw.handshake_and_hello(0, "node0", c.options(0, {}).network_tag));
  ASSERT_TRUE(eventually([&] { return nodes[1].rec->is_up(0); }));
  raw.write(wire::encode_frame(4, bytes_of("a fine frame")));
  ASSERT_TRUE(eventually([&] { return nodes[1].rec->message_count() == 1; }));
  raw.write(bad);
  EXPECT_TRUE(raw.closed_within(3000ms));
  ASSERT_TRUE(eventually([&] { return !nodes[1].rec->is_up(0); }));
  const auto st = nodes[1].t->peers();
  const PeerStatus* s0 = status_of(st, 0);
  ASSERT_NE(s0, nullptr);
  EXPECT_TRUE(s0->has_penalty);
  EXPECT_EQ(s0->last_penalty, reason) << penalty_reason_name(s0->last_penalty);
  EXPECT_EQ(s0->penalty_score, penalty_weight(reason));
  EXPECT_FALSE(s0->connected);
  // Still serving node 2, both ways.
  nodes[1].t->send(2, 1, bytes_of("still here"));
  nodes[2].t->send(1, 1, bytes_of("me too"));
  ASSERT_TRUE(
      eventually([&] { return nodes[2].rec->message_count() == 1 && nodes[1].rec->message_count() == 2; }));
  EXPECT_EQ(nodes[1].rec->messages()[1].payload, bytes_of("me too"));
}

TEST(NetTransport, OversizedFrameDisconnectsWithPenalty) {
  // A header announcing 1 GiB: refused before anything is allocated.
  Bytes bad = {0x40, 0x00, 0x00, 0x00, 0x01};
  expect_penalty_and_others_served(PenaltyReason::kOversizedFrame, bad);
}

TEST(NetTransport, GarbageDisconnectsWithMalformedFrame) {
  Bytes bad = {0x00, 0x00, 0x00, 0x00, 0x13, 0x37, 0xca, 0xfe};  // zero length: no channel byte
  expect_penalty_and_others_served(PenaltyReason::kMalformedFrame, bad);
}

TEST(NetTransport, UnknownControlMessageIsMalformed) {
  expect_penalty_and_others_served(PenaltyReason::kMalformedFrame,
                                   wire::encode_frame(kControlChannel, Bytes{0x7f}));
}

TEST(NetTransport, SilentPeerIsDisconnectedAfterTheIdleTimeout) {
  Consortium c(2);
  Recorder rec1;
  TransportOptions o = c.options(1, {0, 0});
  o.ping_interval_ms = 50;
  o.idle_timeout_ms = 400;
  auto t1 = make_transport(std::move(o), rec1);
  ASSERT_TRUE(t1);
  const auto t0 = std::chrono::steady_clock::now();  // before anything arrives from the client
  RawClient raw(c, c.nodes[0], t1->port());          // completes the hello, then never sends a byte
  ASSERT_TRUE(raw.handshake_and_hello(0, "node0", c.options(0, {}).network_tag));
  ASSERT_TRUE(eventually([&] { return rec1.is_up(0); }));
  ASSERT_TRUE(eventually([&] { return !rec1.is_up(0); }, 3000ms));
  EXPECT_GE(std::chrono::steady_clock::now() - t0, 400ms);
  EXPECT_FALSE(status_of(t1->peers(), 0)->has_penalty);  // silence is not misbehaviour
}

TEST(NetTransport, RestartedPeerIsReconnectedAutomatically) {
  Consortium c(3);
  auto nodes = start_all(c, 3);
  ASSERT_TRUE(eventually([&] { return all_connected(nodes); }));
  // The dialed side (node 2) restarts on the same port.
  const std::uint16_t port2 = nodes[2].t->port();
  nodes[2].t->stop();
  ASSERT_TRUE(eventually([&] { return !nodes[0].rec->is_up(2) && !nodes[1].rec->is_up(2); }));
  nodes[2].rec = std::make_unique<Recorder>();
  TransportOptions o2 = c.options(2, {0, 0, 0});
  o2.listen_port = port2;
  nodes[2].t = make_transport(std::move(o2), *nodes[2].rec);
  ASSERT_TRUE(nodes[2].t);
  ASSERT_TRUE(eventually([&] { return all_connected(nodes); }));
  nodes[0].t->send(2, 1, bytes_of("welcome back"));
  ASSERT_TRUE(eventually([&] { return nodes[2].rec->message_count() == 1; }));

  // The dialing side (node 0) restarts too: it dials again and node 1/2 replace the old link.
  const std::uint16_t port0 = nodes[0].t->port();
  nodes[0].t.reset();
  nodes[0].rec = std::make_unique<Recorder>();
  TransportOptions o0 = c.options(0, {0, nodes[1].t->port(), port2});
  o0.listen_port = port0;
  nodes[0].t = make_transport(std::move(o0), *nodes[0].rec);
  ASSERT_TRUE(eventually([&] { return all_connected(nodes); }));
  nodes[2].t->send(0, 1, bytes_of("hi again"));
  ASSERT_TRUE(eventually([&] { return nodes[0].rec->message_count() == 1; }));
  const auto st = nodes[2].t->peers();
  EXPECT_TRUE(status_of(st, 0)->connected);
}

TEST(NetTransport, PenaltiesOverTheThresholdBanThenExpire) {
  Consortium c(2);
  auto nodes = start_all(c, 2, [](int, TransportOptions& o) { o.ban_ms = 1500; });
  ASSERT_TRUE(eventually([&] { return all_connected(nodes); }));
  nodes[0].t->penalise(1, PenaltyReason::kInvalidMessage, "bad tx");
  ASSERT_TRUE(eventually([&] { return nodes[0].t->peers()[0].has_penalty; }));
  EXPECT_TRUE(nodes[0].rec->is_up(1));  // 10 points: still connected
  EXPECT_EQ(nodes[0].t->peers()[0].last_penalty_detail, "bad tx");
  nodes[0].t->penalise(1, PenaltyReason::kBadSignature, "vote");
  nodes[0].t->penalise(1, PenaltyReason::kBadSignature, "vote");  // 110 >= 100: banned
  ASSERT_TRUE(eventually([&] { return !nodes[0].rec->is_up(1) && !nodes[1].rec->is_up(0); }));
  const auto st = nodes[0].t->peers()[0];
  EXPECT_TRUE(st.banned);
  EXPECT_EQ(st.last_penalty, PenaltyReason::kBadSignature);
  std::this_thread::sleep_for(300ms);
  EXPECT_FALSE(nodes[0].rec->is_up(1));                                   // no reconnect during the ban
  ASSERT_TRUE(eventually([&] { return all_connected(nodes); }, 6000ms));  // after it
  EXPECT_FALSE(nodes[0].t->peers()[0].banned);
}

TEST(NetTransport, BannedDialerIsRefusedByTheAcceptor) {
  Consortium c(2);
  auto nodes = start_all(c, 2, [](int, TransportOptions& o) { o.ban_ms = 60'000; });
  ASSERT_TRUE(eventually([&] { return all_connected(nodes); }));
  nodes[1].t->penalise(0, PenaltyReason::kProtocolViolation, "equivocation");
  nodes[1].t->penalise(0, PenaltyReason::kProtocolViolation, "equivocation");
  nodes[1].t->penalise(0, PenaltyReason::kProtocolViolation, "equivocation");
  nodes[1].t->penalise(0, PenaltyReason::kProtocolViolation, "equivocation");
  ASSERT_TRUE(eventually([&] { return !nodes[1].rec->is_up(0); }));
  std::this_thread::sleep_for(500ms);  // node 0 keeps dialing with back-off; every try is refused
  EXPECT_FALSE(nodes[1].rec->is_up(0));
  EXPECT_EQ(nodes[1].rec->ups(0), 1);
  EXPECT_TRUE(nodes[1].t->peers()[0].banned);
}

TEST(NetTransport, SendDropsWhenDisconnectedOrOverTheQueueBound) {
  Consortium c(2);
  auto nodes = start_all(c, 2, [](int, TransportOptions& o) {
    o.max_queue_bytes = 64u << 10;
    o.max_frame_bytes = 1u << 20;
  });
  nodes[0].t->send(1, 1, bytes_of("too early"));  // possibly before the link is up
  ASSERT_TRUE(eventually([&] { return all_connected(nodes); }));
  nodes[0].t->send(1, 1, Bytes((1u << 20) + 1));  // over max_frame_bytes
  nodes[0].t->send(1, 0, bytes_of("control channel is reserved"));
  // A burst far over the 64 KiB queue bound, faster than the link drains it.
  constexpr int kBurst = 400;
  for (int i = 0; i < kBurst; ++i) nodes[0].t->send(1, 2, Bytes(16u << 10, static_cast<std::uint8_t>(i)));
  const auto dropped = [&] { return nodes[0].t->peers()[0].dropped_frames; };
  ASSERT_TRUE(eventually([&] {
    const auto st = nodes[0].t->peers()[0];
    return st.queued_bytes == 0 && nodes[1].rec->message_count() + dropped() >= kBurst + 3;
  }));
  std::size_t burst_delivered = 0;
  for (const auto& m : nodes[1].rec->messages()) burst_delivered += m.channel == 2 ? 1 : 0;
  EXPECT_GT(dropped(), 2u);
  EXPECT_GT(burst_delivered, 0u);
  EXPECT_LT(burst_delivered, static_cast<std::size_t>(kBurst));
}

TEST(NetTransport, StopWhileTrafficFlowsIsClean) {
  Consortium c(3);
  // The penalties below are noise racing stop(), not meant to ban anyone.
  auto nodes = start_all(c, 3, [](int, TransportOptions& o) { o.penalty_threshold = 4'000'000'000u; });
  ASSERT_TRUE(eventually([&] { return all_connected(nodes); }));
  std::atomic<bool> run{true};
  std::vector<std::thread> senders;
  for (int i = 0; i < 3; ++i) {
    senders.emplace_back([&, i] {
      while (run.load()) {
        nodes[static_cast<std::size_t>(i)].t->broadcast(3, Bytes(1000, 1));
        nodes[static_cast<std::size_t>(i)].t->penalise(static_cast<std::uint32_t>((i + 1) % 3),
                                                       PenaltyReason::kInvalidMessage, "noise");
        std::this_thread::yield();
      }
    });
  }
  std::this_thread::sleep_for(200ms);
  nodes[1].t->stop();
  nodes[0].t->stop();
  nodes[2].t->stop();
  run = false;
  for (auto& t : senders) t.join();
  nodes[1].t->stop();  // idempotent
  nodes[2].t.reset();
  EXPECT_GT(nodes[0].rec->message_count(), 0u);
}

TEST(NetTransport, NoHandlerRunsAfterStopReturns) {
  Consortium c(2);
  std::atomic<bool> stopped{false};
  std::atomic<int> after{0};
  TransportHandlers h;
  h.on_message = [&](std::uint32_t, std::uint8_t, Bytes) {
    if (stopped.load()) ++after;
    std::this_thread::sleep_for(1ms);  // a slow handler
  };
  h.on_peer_up = [&](std::uint32_t) {
    if (stopped.load()) ++after;
  };
  h.on_peer_down = [&](std::uint32_t) {
    if (stopped.load()) ++after;
  };
  auto t1 = Transport::create(c.options(1, {0, 0}), h);
  ASSERT_TRUE(t1.ok());
  ASSERT_TRUE((*t1)->start().ok());
  Recorder rec0;
  auto t0 = make_transport(c.options(0, {0, (*t1)->port()}), rec0);
  ASSERT_TRUE(eventually([&] { return rec0.is_up(1); }));
  for (int i = 0; i < 200; ++i) t0->send(1, 1, Bytes(100, 2));
  std::this_thread::sleep_for(20ms);
  (*t1)->stop();
  stopped = true;
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(after.load(), 0);
}

TEST(NetTransport, CreateRejectsBadOptions) {
  Consortium c(2);
  Recorder rec;
  {
    auto o = c.options(0, {0, 1});
    o.peers[0].org = "nobody";
    auto t = Transport::create(o, rec.handlers());
    ASSERT_FALSE(t.ok());
    EXPECT_EQ(t.code(), ErrorCode::kInvalidArgument);
  }
  {
    auto o = c.options(0, {0, 1});
    o.my_name = "node1";  // also a peer's name
    EXPECT_FALSE(Transport::create(o, rec.handlers()).ok());
  }
  {
    auto o = c.options(0, {0, 1});
    o.cert_pem = "not a certificate";
    EXPECT_EQ(Transport::create(o, rec.handlers()).code(), ErrorCode::kMalformed);
  }
  {
    auto o = c.options(0, {0, 1});
    o.my_name = "someone else";  // my certificate says node0: peers will refuse me, but I run
    EXPECT_TRUE(Transport::create(o, rec.handlers()).ok());
  }
  {
    auto o = c.options(0, {0, 1});
    o.key_pem = c.nodes[1].key_pem;  // another node's key
    EXPECT_FALSE(Transport::create(o, rec.handlers()).ok());
  }
  {
    auto o = c.options(0, {0, 1});
    o.peers.push_back(o.peers[0]);
    EXPECT_FALSE(Transport::create(o, rec.handlers()).ok());
  }
  {
    auto o = c.options(0, {0, 1});
    auto t = Transport::create(o, rec.handlers());
    ASSERT_TRUE(t.ok());
    ASSERT_TRUE((*t)->start().ok());
    EXPECT_EQ((*t)->start().code(), ErrorCode::kFailedPrecondition);
    EXPECT_NE((*t)->port(), 0);
    // Its port is taken: a second transport cannot listen there.
    auto o2 = c.options(1, {0, 1});
    o2.listen_port = (*t)->port();
    auto t2 = Transport::create(o2, rec.handlers());
    ASSERT_TRUE(t2.ok());
    EXPECT_EQ((*t2)->start().code(), ErrorCode::kIo);
  }
  {
    auto o = c.options(0, {0, 1});
    o.network_tag = Bytes(2000, 1);
    EXPECT_EQ(Transport::create(o, rec.handlers()).code(), ErrorCode::kInvalidArgument);
  }
}

}  // namespace
}  // namespace formica::net
