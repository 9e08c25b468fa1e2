// rpc::Server over real sockets on 127.0.0.1, driven by rpc::Client and raw TCP: calls,
// batches, notifications, every error class, hostile clients, routes, static files, CORS,
// and clean start/stop. Each bad request is followed by a good one: the server keeps serving.

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <thread>

#include "formica/rpc/client.h"
#include "formica/rpc/errors.h"
#include "formica/rpc/server.h"
#include "server_fixture.h"
#include "test_support.h"

namespace formica::rpc {
namespace {

using test::RawSocket;
using test::ServerFixture;
using test::wait_until;

class ServerTest : public ServerFixture {
 protected:
  // The server still answers a normal call.
  void expect_serving() {
    Client c(url());
    Result<Json> r = c.call("add", Json::array({20, 22}), 3000);
    ASSERT_TRUE(r.ok()) << r.error().to_string();
    EXPECT_EQ(r.value(), 42);
  }
  Json post_json(std::string_view body, unsigned expect_status = 200) {
    Client c(url());
    auto r = c.request("POST", "/", body, {{"Content-Type", "application/json"}});
    EXPECT_TRUE(r.ok());
    if (!r.ok()) return Json();
    EXPECT_EQ(r->status, expect_status) << r->body;
    auto j = codec::parse_json(r->body);
    EXPECT_TRUE(j.ok()) << r->body;
    return j.ok() ? j.value() : Json();
  }
};

TEST_F(ServerTest, CallsResultsAndTypedErrors) {
  Client c(url());
  EXPECT_EQ(FORMICA_MUST(c.call("echo", Json{{"a", 1}})), (Json{{"a", 1}}));
  EXPECT_EQ(FORMICA_MUST(c.call("echo", Json::array({1, "x"}))), Json::array({1, "x"}));
  EXPECT_TRUE(FORMICA_MUST(c.call("echo")).is_null());
  EXPECT_EQ(FORMICA_MUST(c.call("add", Json::array({1, 2}))), 3);

  Result<Json> r = c.call("fail");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.code(), ErrorCode::kFailedPrecondition);
  EXPECT_EQ(r.error().message, "nonce too low");
  EXPECT_EQ(c.call("add", Json{{"a", 1}}).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(c.call("no_such_method").code(), ErrorCode::kUnsupported);
  EXPECT_EQ(c.call("subscribe", Json{{"topic", "x"}}).code(), ErrorCode::kUnsupported);  // WebSocket only

  // The same over POST /rpc, and the keep-alive connection is reused across calls.
  Client c2(url("/rpc"));
  for (int i = 0; i < 20; ++i) EXPECT_EQ(FORMICA_MUST(c2.call("add", Json::array({i, 1}))), i + 1);
  EXPECT_GE(server_->stats().requests, 27u);
}

TEST_F(ServerTest, BatchesAndNotifications) {
  Client c(url());
  auto batch = c.call_batch({{"add", Json::array({1, 1})},
                             {"fail", nullptr},
                             {"echo", Json{{"k", "v"}}},
                             {"later", Json{{"ms", 20}, {"value", 5}}},
                             {"nope", nullptr}});
  ASSERT_TRUE(batch.ok()) << batch.error().to_string();
  ASSERT_EQ(batch->size(), 5u);
  EXPECT_EQ(FORMICA_MUST((*batch)[0]), 2);
  EXPECT_EQ((*batch)[1].code(), ErrorCode::kFailedPrecondition);
  EXPECT_EQ(FORMICA_MUST((*batch)[2]), (Json{{"k", "v"}}));
  EXPECT_EQ(FORMICA_MUST((*batch)[3]), 5);
  EXPECT_EQ((*batch)[4].code(), ErrorCode::kUnsupported);

  // Notifications: nothing to answer, HTTP 204.
  auto r = c.request("POST", "/", R"({"jsonrpc":"2.0","method":"echo","params":[1]})");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 204u);
  EXPECT_EQ(r->body, "");
  r = c.request("POST", "/", R"([{"jsonrpc":"2.0","method":"echo"},{"jsonrpc":"2.0","method":"nope"}])");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 204u);

  // Batch over the limit.
  ServerOptions o = test::test_options();
  o.max_batch = 3;
  start(o);
  Client small(url());
  auto too_many = small.call_batch({{"echo", 1}, {"echo", 2}, {"echo", 3}, {"echo", 4}});
  ASSERT_FALSE(too_many.ok());
  EXPECT_EQ(too_many.code(), ErrorCode::kTooLarge);
  EXPECT_EQ(small.call_batch({{"echo", nullptr}, {"echo", nullptr}, {"echo", nullptr}})->size(), 3u);
}

TEST_F(ServerTest, MalformedJsonAndWrongTypesKeepServing) {
  Json r = post_json("{not json");
  EXPECT_EQ(r["error"]["code"], kParseError);
  EXPECT_EQ(r["error"]["data"]["code"], "malformed");
  EXPECT_TRUE(r["id"].is_null());
  expect_serving();
  r = post_json(R"({"jsonrpc":"2.0","id":1,"method":"echo","params":"str"})");
  EXPECT_EQ(r["error"]["code"], kInvalidRequest);
  EXPECT_EQ(r["id"], 1);
  r = post_json(R"({"jsonrpc":"1.0","id":1,"method":"echo"})");
  EXPECT_EQ(r["error"]["code"], kInvalidRequest);
  r = post_json(R"({"jsonrpc":"2.0","id":1,"method":["echo"]})");
  EXPECT_EQ(r["error"]["code"], kInvalidRequest);
  r = post_json(R"({"jsonrpc":"2.0","id":{},"method":"echo"})");
  EXPECT_EQ(r["error"]["code"], kInvalidRequest);
  r = post_json(R"({"jsonrpc":"2.0","id":1,"method":"echo"}{"x":1})");
  EXPECT_EQ(r["error"]["code"], kParseError);
  expect_serving();
  EXPECT_GE(server_->stats().bad_requests, 6u);

  // Not HTTP at all, then a request line with a bad method token, then a header without colon.
  for (std::string_view junk :
       {"\x16\x03\x01\x02\x01\x01\x05\x01\xfc\x03\x03\r\n\r\n", "GARBAGE\r\n\r\n",
        "G(T / HTTP/1.1\r\nHost: x\r\n\r\n", "GET / HTTP/1.1\r\nno colon here\r\n\r\n"}) {
    RawSocket raw(server_->port());
    ASSERT_TRUE(raw.ok());
    ASSERT_TRUE(raw.send(junk));
    bool closed = false;
    std::string answer = raw.read_until_closed(2000, &closed);
    EXPECT_TRUE(closed);
    EXPECT_NE(answer.find("400 Bad Request"), std::string::npos) << answer;
    expect_serving();
  }

  // POST elsewhere, unknown HTTP methods.
  Client c(url());
  auto other = c.request("POST", "/other", "{}");
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(other->status, 404u);
  auto del = c.request("DELETE", "/");
  ASSERT_TRUE(del.ok());
  EXPECT_EQ(del->status, 405u);
  expect_serving();
}

TEST_F(ServerTest, OversizedBodiesGet413WithoutBeingRead) {
  // Content-Length over the limit (64 KiB here): refused from the head alone.
  Client c(url());
  auto r = c.request("POST", "/", std::string(100 << 10, ' '), {{"Content-Type", "application/json"}});
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(r->status, 413u);
  Json body = Json::parse(r->body);
  EXPECT_EQ(body["error"]["code"], kTooLargeError);
  EXPECT_EQ(body["error"]["data"]["code"], "too_large");
  EXPECT_EQ(r->header("Access-Control-Allow-Origin"), "*");
  EXPECT_EQ(Client(url()).call("echo", Json{{"blob", std::string(70 << 10, 'x')}}).code(),
            ErrorCode::kTooLarge);
  expect_serving();

  // A head that announces 1 GiB and sends nothing more: answered at once.
  {
    RawSocket raw(server_->port());
    ASSERT_TRUE(raw.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1073741824\r\n\r\n"));
    const auto t0 = std::chrono::steady_clock::now();
    std::string answer = raw.read_until("\r\n\r\n", 2000);
    EXPECT_NE(answer.find("413"), std::string::npos) << answer;
    EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::milliseconds(1000));
  }
  // Chunked: the limit applies to the decoded body as it arrives.
  {
    RawSocket raw(server_->port());
    ASSERT_TRUE(raw.send("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"));
    const std::string chunk(8192, 'a');
    char size_line[32];
    std::snprintf(size_line, sizeof(size_line), "%zx\r\n", chunk.size());
    for (int i = 0; i < 10; ++i) {
      if (!raw.send(std::string(size_line) + chunk + "\r\n")) break;
    }
    std::string answer = raw.read_until("\r\n\r\n", 2000);
    EXPECT_NE(answer.find("413"), std::string::npos) << answer;
  }
  expect_serving();
}

TEST_F(ServerTest, OversizedHeadGets431) {
  RawSocket raw(server_->port());
  ASSERT_TRUE(raw.send("GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(32 << 10, 'h') + "\r\n\r\n"));
  std::string answer = raw.read_until("\r\n\r\n", 2000);
  EXPECT_NE(answer.find("431"), std::string::npos) << answer.substr(0, 100);
  expect_serving();
}

TEST_F(ServerTest, SlowlorisIsTimedOutWhileOthersAreServed) {
  // Never finishes its head: closed after read_timeout (400 ms here).
  RawSocket stalled(server_->port());
  ASSERT_TRUE(stalled.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Le"));
  // Dribbles a byte every 50 ms: the timeout covers the whole request, not each read.
  RawSocket dribbler(server_->port());
  ASSERT_TRUE(dribbler.send("POST / HTTP/1.1\r\n"));
  std::atomic<bool> dribbler_cut{false};
  std::thread drip([&] {
    for (int i = 0; i < 100 && !dribbler_cut; ++i) {
      if (!dribbler.send("X")) dribbler_cut = true;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  });
  const auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < 5; ++i) expect_serving();  // not blocked by either
  bool closed = false;
  stalled.read_until_closed(3000, &closed);
  EXPECT_TRUE(closed);
  EXPECT_TRUE(wait_until([&] { return dribbler_cut.load(); }, 3000));
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::milliseconds(2500));
  drip.join();
  expect_serving();
}

TEST_F(ServerTest, ConnectionLimit) {
  ServerOptions o = test::test_options();
  o.max_connections = 2;
  start(o);
  RawSocket a(server_->port()), b(server_->port());
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_TRUE(wait_until([&] { return server_->stats().connections_open == 2; }));
  RawSocket c(server_->port());  // accepted by the kernel, closed by the server
  bool closed = false;
  EXPECT_EQ(c.read_until_closed(2000, &closed), "");
  EXPECT_TRUE(closed);
  EXPECT_GE(server_->stats().connections_refused, 1u);
  a.close();
  ASSERT_TRUE(wait_until([&] { return server_->stats().connections_open < 2; }));
  expect_serving();
}

TEST_F(ServerTest, AsyncRepliesDoNotBlockOtherCalls) {
  std::vector<std::future<Result<Json>>> slow;
  for (int i = 0; i < 4; ++i) {  // more than the 2 handler threads
    slow.push_back(std::async(std::launch::async, [this, i] {
      return Client(url()).call("later", Json{{"ms", 300}, {"value", i}}, 5000);
    }));
  }
  ASSERT_TRUE(wait_until([&] { return server_->stats().requests >= 4; }));
  const auto t0 = std::chrono::steady_clock::now();
  expect_serving();
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::milliseconds(250));
  for (int i = 0; i < 4; ++i) EXPECT_EQ(FORMICA_MUST(slow[static_cast<std::size_t>(i)].get()), i);
}

TEST_F(ServerTest, ClientGoneBeforeAsyncReply) {
  {
    RawSocket raw(server_->port());
    ASSERT_TRUE(
        raw.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 42\r\n\r\n"
                 R"({"jsonrpc":"2.0","id":1,"method":"hold"}  )"));
    ASSERT_TRUE(wait_until([&] { return held_.size() == 1; }));
    raw.reset();
  }
  {
    RawSocket raw(server_->port());
    ASSERT_TRUE(
        raw.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 42\r\n\r\n"
                 R"({"jsonrpc":"2.0","id":2,"method":"hold"}  )"));
    ASSERT_TRUE(wait_until([&] { return held_.size() == 2; }));
  }  // closed with a FIN this time
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  std::thread replier([replies = held_.take()] {
    for (auto& r : replies) r(Json("too late"));
  });
  replier.join();
  expect_serving();
  // A held reply released only after the server stopped is dropped safely.
  Client c(url());
  auto pending = std::async(std::launch::async, [&] { return c.call("hold", nullptr, 3000); });
  ASSERT_TRUE(wait_until([&] { return held_.size() == 1; }));
  server_->stop();
  EXPECT_EQ(pending.get().code(), ErrorCode::kUnavailable);
  for (auto& r : held_.take()) r(Json("after stop"));
}

TEST_F(ServerTest, GetRoutesCorsAndHead) {
  server_->add_get_route("/metrics", [](const HttpRequestView&) {
    return HttpReply{200, "text/plain; version=0.0.4", "formica_up 1\n", {}};
  });
  server_->add_get_route("/01/", [](const HttpRequestView& req) {
    HttpReply r;
    r.status = 307;
    r.content_type = "application/json";
    r.body = Json{{"path", req.path}, {"query", req.query}, {"accept", req.accept}}.dump();
    r.headers.emplace_back("Location", "https://example.com/product");
    r.headers.emplace_back("X-Bad", "a\r\nInjected: yes");
    return r;
  });
  server_->add_get_route("/boom", [](const HttpRequestView&) -> HttpReply { throw std::runtime_error("x"); });
  Client c(url());
  auto m = c.request("GET", "/metrics");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->status, 200u);
  EXPECT_EQ(m->body, "formica_up 1\n");
  EXPECT_EQ(m->content_type, "text/plain; version=0.0.4");
  auto h = c.request("HEAD", "/metrics");
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(h->status, 200u);
  EXPECT_EQ(h->body, "");
  EXPECT_EQ(h->header("Content-Length"), "13");

  auto dl = c.request("GET", "/01/09506000134352/10/ABC?linkType=all", {}, {{"Accept", "application/json"}});
  ASSERT_TRUE(dl.ok());
  EXPECT_EQ(dl->status, 307u);
  EXPECT_EQ(dl->header("Location"), "https://example.com/product");
  EXPECT_EQ(dl->header("Injected"), "");
  EXPECT_EQ(dl->header("Access-Control-Allow-Origin"), "*");
  Json body = Json::parse(dl->body);
  EXPECT_EQ(body["path"], "/01/09506000134352/10/ABC");
  EXPECT_EQ(body["query"], "linkType=all");
  EXPECT_EQ(body["accept"], "application/json");
  auto boom = c.request("GET", "/boom");
  ASSERT_TRUE(boom.ok());
  EXPECT_EQ(boom->status, 500u);

  auto pre = c.request("OPTIONS", "/", {},
                       {{"Origin", "http://other:8080"},
                        {"Access-Control-Request-Method", "POST"},
                        {"Access-Control-Request-Headers", "content-type"}});
  ASSERT_TRUE(pre.ok());
  EXPECT_EQ(pre->status, 204u);
  EXPECT_EQ(pre->header("Access-Control-Allow-Origin"), "*");
  EXPECT_NE(pre->header("Access-Control-Allow-Methods").find("POST"), std::string_view::npos);
  EXPECT_NE(pre->header("Access-Control-Allow-Headers").find("Content-Type"), std::string_view::npos);
  auto post = c.request("POST", "/", R"({"jsonrpc":"2.0","id":1,"method":"echo"})");
  ASSERT_TRUE(post.ok());
  EXPECT_EQ(post->header("Access-Control-Allow-Origin"), "*");
  EXPECT_EQ(post->content_type, "application/json");

  auto ws = c.request("GET", "/ws");
  ASSERT_TRUE(ws.ok());
  EXPECT_EQ(ws->status, 426u);
  auto none = c.request("GET", "/nothing-here");
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->status, 404u);
  expect_serving();
}

TEST_F(ServerTest, StaticFilesWithoutTraversal) {
  test::TempDir dir;
  const auto root = dir.path() / "www";
  std::filesystem::create_directories(root / "assets");
  test::write_file(root / "index.html", "<!doctype html><title>Formica</title>");
  test::write_file(root / "assets" / "app.js", "export {}");
  test::write_file(root / "assets" / "app.wasm", std::string("\0asm", 4));
  test::write_file(dir.path() / "secret.txt", "SECRET");
  std::filesystem::create_symlink(dir.path() / "secret.txt", root / "escape.txt");
  ServerOptions o = test::test_options();
  o.static_dir = root;
  start(o);

  Client c(url());
  auto index = c.request("GET", "/");
  ASSERT_TRUE(index.ok());
  EXPECT_EQ(index->status, 200u);
  EXPECT_EQ(index->body, "<!doctype html><title>Formica</title>");
  EXPECT_EQ(index->content_type, "text/html; charset=utf-8");
  auto js = c.request("GET", "/assets/app.js?v=3");
  ASSERT_TRUE(js.ok());
  EXPECT_EQ(js->status, 200u);
  EXPECT_EQ(js->content_type, "text/javascript; charset=utf-8");
  auto wasm = c.request("GET", "/assets/app.wasm");
  ASSERT_TRUE(wasm.ok());
  EXPECT_EQ(wasm->content_type, "application/wasm");
  EXPECT_EQ(wasm->body.size(), 4u);
  for (std::string_view attack :
       {"/../secret.txt", "/assets/../../secret.txt", "/%2e%2e/secret.txt",
        "/assets/%2E%2E%2F%2E%2E%2Fsecret.txt", "/escape.txt", "/..%5csecret.txt"}) {
    auto r = c.request("GET", attack);
    ASSERT_TRUE(r.ok()) << attack;
    EXPECT_NE(r->status, 200u) << attack;
    EXPECT_EQ(r->body.find("SECRET"), std::string::npos) << attack;
  }
  // Raw absolute-form and odd targets.
  for (std::string_view target : {"http://127.0.0.1/../secret.txt", "*", "..", "/%00"}) {
    RawSocket raw(server_->port());
    ASSERT_TRUE(raw.send("GET " + std::string(target) + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
    std::string answer = raw.read_until_closed(2000);
    EXPECT_EQ(answer.find("SECRET"), std::string::npos) << target;
    EXPECT_EQ(answer.find("200 OK"), std::string::npos) << target;
  }
  expect_serving();
}

TEST_F(ServerTest, ClientReportsUnreachableAndTimeouts) {
  // A port nobody listens on (this server's, once stopped).
  const std::uint16_t port = server_->port();
  server_->stop();
  EXPECT_FALSE(server_->running());
  EXPECT_EQ(server_->port(), 0);
  Client gone("http://127.0.0.1:" + std::to_string(port));
  auto t0 = std::chrono::steady_clock::now();
  EXPECT_EQ(gone.call("echo", nullptr, 2000).code(), ErrorCode::kUnavailable);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::milliseconds(1500));
  EXPECT_EQ(gone.call_batch({{"echo", nullptr}}, 2000).code(), ErrorCode::kUnavailable);

  ASSERT_TRUE(server_->start().ok());
  Client c(url());
  t0 = std::chrono::steady_clock::now();
  Result<Json> r = c.call("sleep", Json{{"ms", 600}}, 150);
  EXPECT_EQ(r.code(), ErrorCode::kUnavailable);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::milliseconds(500));
  expect_serving();
  EXPECT_EQ(FORMICA_MUST(c.call("add", Json::array({1, 1}), 3000)), 2);  // the client recovers

  EXPECT_EQ(Client("127.0.0.1:1").call("echo").code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(Client("https://127.0.0.1:1").call("echo").code(), ErrorCode::kUnsupported);
}

TEST_F(ServerTest, StartStopCycles) {
  EXPECT_EQ(server_->start().code(), ErrorCode::kFailedPrecondition);
  ServerOptions taken = test::test_options();
  taken.port = server_->port();
  taken.address = "127.0.0.1";
  Server other(taken);
  EXPECT_EQ(other.start().code(), ErrorCode::kIo);
  ServerOptions bad = test::test_options();
  bad.address = "not-an-address";
  EXPECT_EQ(Server(bad).start().code(), ErrorCode::kInvalidArgument);

  for (int i = 0; i < 4; ++i) {
    server_->stop();
    server_->stop();  // idempotent
    ASSERT_TRUE(server_->start().ok());
    // Leave connections in every state: idle keep-alive, mid-request, waiting on a handler.
    Client idle(url());
    EXPECT_TRUE(idle.call("echo", Json::array({1})).ok());
    RawSocket half(server_->port());
    ASSERT_TRUE(half.send("POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\n{"));
    Client waiting(url());
    auto f = std::async(std::launch::async, [&] { return waiting.call("hold", nullptr, 3000); });
    ASSERT_TRUE(wait_until([&] { return held_.size() == 1; }));
    server_->stop();
    EXPECT_EQ(f.get().code(), ErrorCode::kUnavailable);
    for (auto& r : held_.take()) r(Json(i));
  }
  ASSERT_TRUE(server_->start().ok());
  expect_serving();
  // Destroyed while running, with an open connection.
  Client last(url());
  EXPECT_TRUE(last.call("echo", Json::array({1})).ok());
  server_.reset();
  EXPECT_EQ(last.call("echo", Json::array({1}), 1000).code(), ErrorCode::kUnavailable);
}

TEST(UrlTest, ParsesEndpoints) {
  auto e = parse_url("http://127.0.0.1:26657");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->host, "127.0.0.1");
  EXPECT_EQ(e->port, 26657);
  EXPECT_EQ(e->path, "/");
  e = parse_url("http://localhost:8080/rpc");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->path, "/rpc");
  e = parse_url("ws://[::1]:9000/ws", "ws");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->host, "::1");
  EXPECT_EQ(e->port, 9000);
  for (std::string_view bad :
       {"127.0.0.1:80", "http://127.0.0.1", "http://127.0.0.1:0", "http://127.0.0.1:65536", "http://:80",
        "ftp://h:1", "http://u@h:1", "http://h:1#f", "http://h:x1"}) {
    EXPECT_EQ(parse_url(bad).code(), ErrorCode::kInvalidArgument) << bad;
  }
  EXPECT_EQ(parse_url("https://h:1").code(), ErrorCode::kUnsupported);
}

}  // namespace
}  // namespace formica::rpc
