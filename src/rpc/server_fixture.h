#pragma once
// A Server on 127.0.0.1:0 with a few test methods, shared by the HTTP and WebSocket tests.

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "formica/rpc/client.h"
#include "formica/rpc/server.h"

namespace formica::rpc::test {

// Polls `pred` every 5 ms for up to `timeout_ms`.
inline bool wait_until(const std::function<bool()>& pred, int timeout_ms = 3000) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (!pred()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

// The value of `r`, or a test failure with the error and null.
#define FORMICA_MUST(r) ::formica::rpc::test::must_impl((r), __FILE__, __LINE__)
inline Json must_impl(Result<Json> r, const char* file, int line) {
  if (r.ok()) return std::move(r).value();
  ADD_FAILURE_AT(file, line) << "expected a value, got " << r.error().to_string();
  return Json();
}

// Replies parked by the "hold" method until a test releases them.
struct HeldReplies {
  std::mutex mu;
  std::vector<Reply> replies;
  std::size_t size() {
    std::lock_guard lock(mu);
    return replies.size();
  }
  std::vector<Reply> take() {
    std::lock_guard lock(mu);
    return std::exchange(replies, {});
  }
};

//   echo(params) → params          add([a, b]) → a + b          fail → kFailedPrecondition
//   sleep({"ms"}) blocks a handler thread          later({"ms", "value"}) async, from another thread
//   hold(params) async, parked in `held`
inline void add_test_methods(Methods& m, HeldReplies& held) {
  ASSERT_TRUE(m.add("echo", [](const Json& p) -> Result<Json> { return p; }).ok());
  ASSERT_TRUE(m.add("add", [](const Json& p) -> Result<Json> {
                 if (!p.is_array() || p.size() != 2 || !p[0].is_number_integer() ||
                     !p[1].is_number_integer()) {
                   return make_error(ErrorCode::kInvalidArgument, "add takes [a, b]");
                 }
                 return Json(p[0].get<std::int64_t>() + p[1].get<std::int64_t>());
               }).ok());
  ASSERT_TRUE(m.add("fail", [](const Json&) -> Result<Json> {
                 return make_error(ErrorCode::kFailedPrecondition, "nonce too low");
               }).ok());
  ASSERT_TRUE(m.add("sleep", [](const Json& p) -> Result<Json> {
                 std::this_thread::sleep_for(std::chrono::milliseconds(p.value("ms", 0)));
                 return Json("slept");
               }).ok());
  ASSERT_TRUE(m.add_async("later", [](const Json& p, Reply reply) {
                 std::thread([p, reply] {
                   std::this_thread::sleep_for(std::chrono::milliseconds(p.value("ms", 0)));
                   reply(p.value("value", Json()));
                 }).detach();
               }).ok());
  ASSERT_TRUE(m.add_async("hold", [&held](const Json&, Reply reply) {
                 std::lock_guard lock(held.mu);
                 held.replies.push_back(std::move(reply));
               }).ok());
}

inline ServerOptions test_options() {
  ServerOptions o;
  o.io_threads = 2;
  o.handler_threads = 2;
  o.max_body_bytes = 64u << 10;
  o.read_timeout = std::chrono::milliseconds(400);
  o.idle_timeout = std::chrono::milliseconds(5000);
  o.write_timeout = std::chrono::milliseconds(2000);
  return o;
}

class ServerFixture : public ::testing::Test {
 protected:
  void start(ServerOptions options = test_options()) {
    server_ = std::make_unique<Server>(std::move(options));
    add_test_methods(server_->methods(), held_);
    ASSERT_TRUE(server_->start().ok());
    ASSERT_NE(server_->port(), 0);
  }
  void SetUp() override { start(); }
  void TearDown() override {
    for (auto& r : held_.take()) r(Json("released"));
    server_.reset();
  }
  std::string url(std::string_view path = "") const {
    return "http://127.0.0.1:" + std::to_string(server_->port()) + std::string(path);
  }
  std::string ws_url() const { return "ws://127.0.0.1:" + std::to_string(server_->port()) + "/ws"; }

  std::unique_ptr<Server> server_;
  HeldReplies held_;
};

}  // namespace formica::rpc::test
