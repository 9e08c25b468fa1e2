// WebSocket: JSON-RPC over frames, subscribe / publish / unsubscribe, slow subscribers.

#include <gtest/gtest.h>

#include <thread>

#include "formica/rpc/client.h"
#include "formica/rpc/errors.h"
#include "formica/rpc/server.h"
#include "server_fixture.h"
#include "test_support.h"

namespace formica::rpc {
namespace {

using test::ServerFixture;
using test::wait_until;

class WsTest : public ServerFixture {};

TEST_F(WsTest, CallsOverWebSocket) {
  WsClient ws;
  ASSERT_TRUE(ws.connect(ws_url(), 3000).ok());
  EXPECT_TRUE(ws.connected());
  EXPECT_EQ(FORMICA_MUST(ws.call("add", Json::array({2, 3}))), 5);
  EXPECT_EQ(ws.call("fail").code(), ErrorCode::kFailedPrecondition);
  EXPECT_EQ(ws.call("nope").code(), ErrorCode::kUnsupported);
  EXPECT_EQ(FORMICA_MUST(ws.call("later", Json{{"ms", 50}, {"value", "async"}})), "async");

  // Bad frames get JSON-RPC errors; the connection stays usable.
  ASSERT_TRUE(ws.send_text("{not json").ok());
  Result<Json> r = ws.next_response(3000);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)["error"]["code"], kParseError);
  ASSERT_TRUE(ws.send_text(R"({"jsonrpc":"2.0","id":"x","method":3})").ok());
  r = ws.next_response(3000);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)["error"]["code"], kInvalidRequest);
  ASSERT_TRUE(ws.send_text(R"([{"jsonrpc":"2.0","id":"b1","method":"echo","params":[1]},
                               {"jsonrpc":"2.0","method":"echo"}])")
                  .ok());
  r = ws.next_response(3000);
  ASSERT_TRUE(r.ok());
  ASSERT_TRUE(r->is_array());
  EXPECT_EQ(r->size(), 1u);
  EXPECT_EQ((*r)[0]["result"], Json::array({1}));
  EXPECT_EQ(FORMICA_MUST(ws.call("echo", Json{{"still", "here"}})), (Json{{"still", "here"}}));

  // A held call answered later while other calls proceed on the same connection.
  ASSERT_TRUE(ws.send_text(R"({"jsonrpc":"2.0","id":"h","method":"hold"})").ok());
  ASSERT_TRUE(wait_until([&] { return held_.size() == 1; }));
  EXPECT_EQ(FORMICA_MUST(ws.call("add", Json::array({1, 1}))), 2);
  std::thread([replies = held_.take()] {
    for (auto& reply : replies) reply(Json("held result"));
  }).join();
  r = ws.next_response(3000);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)["id"], "h");
  EXPECT_EQ((*r)["result"], "held result");
}

TEST_F(WsTest, SubscribePublishUnsubscribe) {
  WsClient a, b;
  ASSERT_TRUE(a.connect(ws_url(), 3000).ok());
  ASSERT_TRUE(b.connect(ws_url(), 3000).ok());
  Result<std::string> blocks_a = a.subscribe("new_blocks");
  Result<std::string> events_a = a.subscribe("events:alice");
  Result<std::string> blocks_b = b.subscribe("new_blocks");
  ASSERT_TRUE(blocks_a.ok() && events_a.ok() && blocks_b.ok());
  EXPECT_NE(*blocks_a, *events_a);
  EXPECT_NE(*blocks_a, *blocks_b);
  EXPECT_EQ(server_->stats().subscriptions, 3u);

  EXPECT_EQ(server_->publish("new_blocks", Json{{"height", "1"}}), 2u);
  EXPECT_EQ(server_->publish("events:alice", Json{{"kind", "transfer"}}), 1u);
  EXPECT_EQ(server_->publish("events:bob", Json{{"kind", "transfer"}}), 0u);
  EXPECT_EQ(server_->publish("new_blocks", Json{{"height", "2"}}), 2u);

  Result<Json> n = a.next_notification(3000);
  ASSERT_TRUE(n.ok()) << n.error().to_string();
  EXPECT_EQ(*n, (Json{{"subscription", *blocks_a}, {"topic", "new_blocks"}, {"result", {{"height", "1"}}}}));
  n = a.next_notification(3000);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ((*n)["subscription"], *events_a);
  EXPECT_EQ((*n)["topic"], "events:alice");
  EXPECT_EQ((*n)["result"]["kind"], "transfer");
  n = a.next_notification(3000);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ((*n)["result"]["height"], "2");
  n = b.next_notification(3000);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ((*n)["subscription"], *blocks_b);
  EXPECT_EQ((*n)["result"]["height"], "1");
  EXPECT_EQ(FORMICA_MUST(b.next_notification(3000))["result"]["height"], "2");

  // A call in between does not lose notifications, and vice versa.
  server_->publish("new_blocks", Json{{"height", "3"}});
  EXPECT_EQ(FORMICA_MUST(a.call("echo", Json::array({7}))), Json::array({7}));
  EXPECT_EQ(FORMICA_MUST(a.next_notification(3000))["result"]["height"], "3");
  EXPECT_EQ(FORMICA_MUST(b.next_notification(3000))["result"]["height"], "3");

  ASSERT_TRUE(a.unsubscribe(*blocks_a).ok());
  EXPECT_EQ(a.unsubscribe(*blocks_a).code(), ErrorCode::kNotFound);
  EXPECT_EQ(a.unsubscribe(*blocks_b).code(), ErrorCode::kNotFound);  // not this connection's
  EXPECT_EQ(server_->publish("new_blocks", Json{{"height", "4"}}), 1u);
  EXPECT_EQ(FORMICA_MUST(b.next_notification(3000))["result"]["height"], "4");
  EXPECT_EQ(a.next_notification(100).code(), ErrorCode::kUnavailable);  // nothing for a

  // Bad subscribe parameters.
  EXPECT_EQ(a.call("subscribe", Json{{"topic", 5}}).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(a.call("subscribe", nullptr).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(a.call("subscribe", Json{{"topic", std::string(300, 't')}}).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(a.call("unsubscribe", Json::array({1})).code(), ErrorCode::kInvalidArgument);

  // Closing a connection removes its subscriptions.
  b.close();
  EXPECT_TRUE(wait_until([&] { return server_->stats().subscriptions == 1; }));
  EXPECT_EQ(server_->publish("new_blocks", Json(5)), 0u);
  EXPECT_TRUE(wait_until([&] { return server_->stats().ws_sessions_open == 1; }));
}

TEST_F(WsTest, SlowSubscriberIsDroppedOthersContinue) {
  ServerOptions o = test::test_options();
  o.ws_max_queued = 8;
  start(o);
  WsClient fast, slow;
  ASSERT_TRUE(fast.connect(ws_url(), 3000).ok());
  ASSERT_TRUE(slow.connect(ws_url(), 3000).ok());
  ASSERT_TRUE(fast.subscribe("t").ok());
  ASSERT_TRUE(slow.subscribe("t").ok());

  // `slow` never reads. Its socket buffers fill, then its queue, then it is dropped; `fast`
  // reads everything, in order.
  const std::string payload(64 << 10, 'p');
  int published = 0;
  for (int round = 0; round < 400 && server_->stats().slow_subscribers_dropped == 0; ++round) {
    for (int i = 0; i < 4; ++i) server_->publish("t", Json{{"seq", published++}, {"payload", payload}});
    for (int i = 0; i < 4; ++i) {
      Result<Json> n = fast.next_notification(3000);
      ASSERT_TRUE(n.ok()) << "fast subscriber lost message " << (published - 4 + i) << ": "
                          << n.error().to_string();
      ASSERT_EQ((*n)["result"]["seq"], published - 4 + i);
    }
  }
  ASSERT_EQ(server_->stats().slow_subscribers_dropped, 1u) << "published " << published;
  EXPECT_TRUE(wait_until([&] { return server_->stats().subscriptions == 1; }));
  // The fast one goes on.
  EXPECT_EQ(server_->publish("t", Json{{"seq", published}}), 1u);
  EXPECT_EQ(FORMICA_MUST(fast.next_notification(3000))["result"]["seq"], published);
  EXPECT_EQ(FORMICA_MUST(fast.call("echo", Json::array({1}))), Json::array({1}));
  // The slow one finds its connection closed after what had reached its socket.
  Result<Json> n = slow.next_notification(3000);
  int drained = 0;
  while (n.ok() && drained < 100000) {
    ++drained;
    n = slow.next_notification(3000);
  }
  EXPECT_EQ(n.code(), ErrorCode::kUnavailable);
  EXPECT_FALSE(slow.connected());
  EXPECT_LT(drained, published);
}

TEST_F(WsTest, ConnectFailuresAndUpgradeOnWrongPath) {
  WsClient ws;
  Status s = ws.connect("ws://127.0.0.1:" + std::to_string(server_->port()) + "/elsewhere", 3000);
  EXPECT_EQ(s.code(), ErrorCode::kUnavailable);
  const std::uint16_t port = server_->port();
  server_->stop();
  EXPECT_EQ(ws.connect("ws://127.0.0.1:" + std::to_string(port) + "/ws", 2000).code(),
            ErrorCode::kUnavailable);
  EXPECT_EQ(ws.call("echo").code(), ErrorCode::kUnavailable);
  EXPECT_EQ(ws.connect("http://127.0.0.1:1/ws").code(), ErrorCode::kInvalidArgument);
}

TEST_F(WsTest, StopWithOpenSubscriptions) {
  WsClient ws;
  ASSERT_TRUE(ws.connect(ws_url(), 3000).ok());
  ASSERT_TRUE(ws.subscribe("new_blocks").ok());
  ASSERT_TRUE(ws.send_text(R"({"jsonrpc":"2.0","id":"h","method":"hold"})").ok());
  ASSERT_TRUE(wait_until([&] { return held_.size() == 1; }));
  std::atomic<bool> stop_publishing{false};
  std::thread publisher([&] {
    while (!stop_publishing) server_->publish("new_blocks", Json(1));
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  server_->stop();
  stop_publishing = true;
  publisher.join();
  for (auto& r : held_.take()) r(Json("after stop"));
  EXPECT_EQ(server_->publish("new_blocks", Json(1)), 0u);
  Result<Json> n = ws.next_notification(2000);
  while (n.ok()) n = ws.next_notification(2000);
  EXPECT_FALSE(ws.connected());
}

}  // namespace
}  // namespace formica::rpc
