// TcpProxy against a small echo server on 127.0.0.1, and between two transports.

#include "formica/net/tcp_proxy.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include <boost/asio.hpp>

#include "test_support.h"

namespace formica::net {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;
using testing::eventually;

// Echoes every byte back; one thread per connection; stops when destroyed.
class EchoServer {
 public:
  EchoServer() : acceptor_(ioc_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {
    port_ = acceptor_.local_endpoint().port();
    thread_ = std::thread([this] { accept(); });
  }
  ~EchoServer() {
    stopping_ = true;
    boost::system::error_code ec;
    // Wake the blocking accept with a connection of our own.
    tcp::socket s(ioc_);
    s.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port_), ec);
    thread_.join();
    for (auto& t : sessions_) t.join();
  }
  std::uint16_t port() const { return port_; }

 private:
  void accept() {
    while (!stopping_) {
      auto socket = std::make_shared<tcp::socket>(ioc_);
      boost::system::error_code ec;
      acceptor_.accept(*socket, ec);
      if (ec || stopping_) break;
      sessions_.emplace_back([socket] {
        std::array<char, 4096> buf{};
        boost::system::error_code e;
        for (;;) {
          const std::size_t n = socket->read_some(asio::buffer(buf), e);
          if (e) break;
          asio::write(*socket, asio::buffer(buf.data(), n), e);
          if (e) break;
        }
      });
    }
  }
  asio::io_context ioc_;
  tcp::acceptor acceptor_;
  std::uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
  std::vector<std::thread> sessions_;
};

std::unique_ptr<TcpProxy> start_proxy(std::uint16_t target, std::uint32_t delay_ms = 0) {
  TcpProxyOptions o;
  o.target_port = target;
  o.delay_ms = delay_ms;
  auto p = TcpProxy::start(o);
  EXPECT_TRUE(p.ok()) << (p.ok() ? "" : p.error().to_string());
  return p.ok() ? std::move(p).value() : nullptr;
}

// A client socket with a receive timeout.
struct Client {
  explicit Client(std::uint16_t port) : socket(ioc) {
    socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
    socket.set_option(tcp::no_delay(true));
    timeval tv{2, 0};
    ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  }
  // Sends `text` and reads the same number of bytes back; empty on error or close.
  std::string round_trip(const std::string& text) {
    boost::system::error_code ec;
    asio::write(socket, asio::buffer(text), ec);
    if (ec) return {};
    std::string back(text.size(), '\0');
    asio::read(socket, asio::buffer(back), ec);
    return ec ? std::string() : back;
  }
  bool closed_by_peer() {
    char c = 0;
    boost::system::error_code ec;
    socket.read_some(asio::buffer(&c, 1), ec);
    return ec == asio::error::eof || ec == asio::error::connection_reset;
  }
  asio::io_context ioc;
  tcp::socket socket;
};

TEST(NetTcpProxy, ForwardsBothWays) {
  EchoServer echo;
  auto proxy = start_proxy(echo.port());
  ASSERT_TRUE(proxy);
  Client c(proxy->port());
  EXPECT_EQ(c.round_trip("ping"), "ping");
  const std::string big(300000, 'z');
  EXPECT_EQ(c.round_trip(big), big);
  // The counters move once a write completes, which may be just after the client has read.
  ASSERT_TRUE(eventually([&] {
    const auto st = proxy->stats();
    return st.bytes_to_target == 4 + big.size() && st.bytes_to_client == 4 + big.size();
  }));
  const auto st = proxy->stats();
  EXPECT_EQ(st.accepted, 1u);
  EXPECT_EQ(st.active, 1u);
}

TEST(NetTcpProxy, AddsDelayInBothDirectionsPreservingOrder) {
  EchoServer echo;
  auto proxy = start_proxy(echo.port());
  ASSERT_TRUE(proxy);
  Client c(proxy->port());
  EXPECT_EQ(c.round_trip("warm"), "warm");
  constexpr std::uint32_t kDelay = 100;
  proxy->set_delay_ms(kDelay);
  const auto t0 = std::chrono::steady_clock::now();
  EXPECT_EQ(c.round_trip("slow"), "slow");
  const auto rtt = std::chrono::steady_clock::now() - t0;
  EXPECT_GE(rtt, std::chrono::milliseconds(2 * kDelay));  // once each way
  EXPECT_LT(rtt, std::chrono::milliseconds(2 * kDelay + 1000));
  // Many small writes come back in order.
  std::string sent;
  for (int i = 0; i < 200; ++i) {
    const std::string piece = std::to_string(i) + ",";
    asio::write(c.socket, asio::buffer(piece));
    sent += piece;
  }
  std::string back(sent.size(), '\0');
  asio::read(c.socket, asio::buffer(back));
  EXPECT_EQ(back, sent);
  proxy->set_delay_ms(0);
  const auto t1 = std::chrono::steady_clock::now();
  EXPECT_EQ(c.round_trip("fast"), "fast");
  EXPECT_LT(std::chrono::steady_clock::now() - t1, std::chrono::milliseconds(2 * kDelay));
}

TEST(NetTcpProxy, PartitionCutsAndRefusesThenHeals) {
  EchoServer echo;
  auto proxy = start_proxy(echo.port());
  ASSERT_TRUE(proxy);
  Client before(proxy->port());
  EXPECT_EQ(before.round_trip("a"), "a");
  proxy->partition(true);
  EXPECT_TRUE(proxy->partitioned());
  EXPECT_TRUE(before.closed_by_peer());
  ASSERT_TRUE(eventually([&] { return proxy->stats().cut == 1; }));
  Client during(proxy->port());  // accepted, then closed at once
  EXPECT_TRUE(during.closed_by_peer());
  ASSERT_TRUE(eventually([&] { return proxy->stats().refused >= 1; }));
  proxy->partition(false);
  Client after(proxy->port());
  EXPECT_EQ(after.round_trip("healed"), "healed");
  ASSERT_TRUE(eventually([&] { return proxy->stats().active == 1; }));
}

TEST(NetTcpProxy, PartitionsAndHealsTransports) {
  testing::Consortium c(2);
  testing::Recorder rec1;
  TransportOptions o1 = c.options(1, {0, 0});
  auto t1 = Transport::create(o1, rec1.handlers());
  ASSERT_TRUE(t1.ok());
  ASSERT_TRUE((*t1)->start().ok());
  auto proxy = start_proxy((*t1)->port());
  ASSERT_TRUE(proxy);
  testing::Recorder rec0;
  auto t0 =
      Transport::create(c.options(0, {0, proxy->port()}), rec0.handlers());  // node 0 dials via the proxy
  ASSERT_TRUE(t0.ok());
  ASSERT_TRUE((*t0)->start().ok());
  ASSERT_TRUE(eventually([&] { return rec0.is_up(1) && rec1.is_up(0); }));

  proxy->partition(true);
  ASSERT_TRUE(eventually([&] { return !rec0.is_up(1) && !rec1.is_up(0); }));
  std::this_thread::sleep_for(300ms);  // redials are cut while partitioned
  EXPECT_FALSE(rec0.is_up(1));
  proxy->partition(false);
  ASSERT_TRUE(eventually([&] { return rec0.is_up(1) && rec1.is_up(0); }));
  (*t0)->send(1, 1, to_bytes("after the heal"));
  ASSERT_TRUE(eventually([&] { return rec1.message_count() == 1; }));
  EXPECT_EQ(rec1.messages()[0].payload, to_bytes("after the heal"));
}

TEST(NetTcpProxy, UnreachableTargetIsRefusedAndStopIsClean) {
  std::uint16_t dead_port = 0;
  {
    asio::io_context ioc;
    tcp::acceptor a(ioc, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    dead_port = a.local_endpoint().port();
  }
  auto proxy = start_proxy(dead_port);
  ASSERT_TRUE(proxy);
  Client c(proxy->port());
  EXPECT_TRUE(c.closed_by_peer());
  ASSERT_TRUE(eventually([&] { return proxy->stats().refused == 1; }));
  proxy->stop();
  proxy->stop();
}

}  // namespace
}  // namespace formica::net
