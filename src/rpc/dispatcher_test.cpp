// JSON-RPC 2.0 semantics of the Dispatcher, without sockets: what each request or batch
// answers, error objects included.

#include "dispatcher.h"

#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <thread>

#include "formica/rpc/errors.h"
#include "formica/rpc/methods.h"

namespace formica::rpc {
namespace {

class DispatcherTest : public ::testing::Test {
 protected:
  DispatcherTest()
      : methods_(std::make_shared<Methods>()), pool_(2), dispatcher_(methods_, pool_, 8, 1 << 20) {
    EXPECT_TRUE(methods_->add("echo", [](const Json& p) -> Result<Json> { return p; }).ok());
    EXPECT_TRUE(methods_
                    ->add("add",
                          [](const Json& p) -> Result<Json> {
                            if (!p.is_array() || p.size() != 2 || !p[0].is_number_integer() ||
                                !p[1].is_number_integer()) {
                              return make_error(ErrorCode::kInvalidArgument, "add takes [a, b]");
                            }
                            return Json(p[0].get<std::int64_t>() + p[1].get<std::int64_t>());
                          })
                    .ok());
    EXPECT_TRUE(methods_
                    ->add("missing",
                          [](const Json&) -> Result<Json> {
                            return make_error(ErrorCode::kNotFound, "no such thing");
                          })
                    .ok());
    EXPECT_TRUE(
        methods_->add("throws", [](const Json&) -> Result<Json> { throw std::runtime_error("boom"); }).ok());
    EXPECT_TRUE(methods_
                    ->add_async("later",
                                [](const Json& p, Reply reply) {
                                  std::thread([p, reply] {
                                    std::this_thread::sleep_for(std::chrono::milliseconds(30));
                                    reply(Json{{"late", p}});
                                  }).detach();
                                })
                    .ok());
    EXPECT_TRUE(methods_->add_async("drops", [](const Json&, Reply) {}).ok());
  }

  // The response text, or "" when none is sent.
  std::string run(std::string_view body, const Dispatcher::Builtin* builtin = nullptr) {
    std::promise<std::string> p;
    auto f = p.get_future();
    dispatcher_.dispatch(body, builtin, [&p](std::string r) { p.set_value(std::move(r)); });
    EXPECT_EQ(f.wait_for(std::chrono::seconds(5)), std::future_status::ready);
    return f.get();
  }
  Json run_json(std::string_view body) {
    std::string text = run(body);
    Result<Json> j = codec::parse_json(text);
    EXPECT_TRUE(j.ok()) << text;
    return j.ok() ? j.value() : Json();
  }
  static void expect_error(const Json& r, int code, std::string_view data_code, const Json& id = nullptr) {
    ASSERT_TRUE(r.is_object()) << r.dump();
    EXPECT_EQ(r["jsonrpc"], "2.0");
    EXPECT_EQ(r["id"], id) << r.dump();
    ASSERT_TRUE(r.contains("error")) << r.dump();
    EXPECT_FALSE(r.contains("result"));
    EXPECT_EQ(r["error"]["code"], code) << r.dump();
    EXPECT_TRUE(r["error"]["message"].is_string());
    EXPECT_EQ(r["error"]["data"]["code"], data_code) << r.dump();
  }

  std::shared_ptr<Methods> methods_;
  WorkerPool pool_;
  Dispatcher dispatcher_;
};

TEST_F(DispatcherTest, SingleRequestGetsResultWithSameId) {
  Json r = run_json(R"({"jsonrpc":"2.0","id":7,"method":"add","params":[2,3]})");
  EXPECT_EQ(r, (Json{{"jsonrpc", "2.0"}, {"id", 7}, {"result", 5}}));
  r = run_json(R"({"jsonrpc":"2.0","id":"abc","method":"echo","params":{"x":[1,{"y":null}]}})");
  EXPECT_EQ(r["id"], "abc");
  EXPECT_EQ(r["result"], Json::parse(R"({"x":[1,{"y":null}]})"));
  r = run_json(R"({"jsonrpc":"2.0","id":null,"method":"echo"})");  // null id is not a notification
  EXPECT_TRUE(r["id"].is_null());
  EXPECT_TRUE(r["result"].is_null());  // absent params reach the handler as null
}

TEST_F(DispatcherTest, NotificationsGetNoResponse) {
  EXPECT_EQ(run(R"({"jsonrpc":"2.0","method":"echo","params":[1]})"), "");
  EXPECT_EQ(run(R"({"jsonrpc":"2.0","method":"no_such_method"})"), "");
  EXPECT_EQ(run(R"([{"jsonrpc":"2.0","method":"echo"},{"jsonrpc":"2.0","method":"add","params":[1,1]}])"),
            "");
}

TEST_F(DispatcherTest, BatchAnswersEachCallInOrderAndSkipsNotifications) {
  Json r = run_json(R"([
    {"jsonrpc":"2.0","id":1,"method":"add","params":[1,2]},
    {"jsonrpc":"2.0","method":"echo","params":[0]},
    {"jsonrpc":"2.0","id":2,"method":"nope"},
    {"jsonrpc":"2.0","id":3,"method":"later","params":[9]},
    5,
    {"jsonrpc":"2.0","id":4,"method":"echo","params":["x"]}
  ])");
  ASSERT_TRUE(r.is_array());
  ASSERT_EQ(r.size(), 5u) << r.dump();
  EXPECT_EQ(r[0]["result"], 3);
  expect_error(r[1], kMethodNotFound, "unsupported", 2);
  EXPECT_EQ(r[2]["result"], (Json{{"late", Json::array({9})}}));
  expect_error(r[3], kInvalidRequest, "invalid_argument");
  EXPECT_EQ(r[4]["result"], Json::array({"x"}));
}

TEST_F(DispatcherTest, ParseErrors) {
  for (std::string_view bad : {"", "{", "not json", R"({"jsonrpc":"2.0","id":1,"method":"echo",})",
                               R"({"id":1,"id":2,"jsonrpc":"2.0","method":"echo"})", "[1,2", "\xff\xfe"}) {
    expect_error(run_json(bad), kParseError, "malformed");
  }
}

TEST_F(DispatcherTest, InvalidRequests) {
  expect_error(run_json("[]"), kInvalidRequest, "invalid_argument");
  expect_error(run_json("42"), kInvalidRequest, "invalid_argument");
  expect_error(run_json(R"("x")"), kInvalidRequest, "invalid_argument");
  expect_error(run_json(R"({"id":1,"method":"echo"})"), kInvalidRequest, "invalid_argument", 1);
  expect_error(run_json(R"({"jsonrpc":"1.0","id":1,"method":"echo"})"), kInvalidRequest, "invalid_argument",
               1);
  expect_error(run_json(R"({"jsonrpc":2.0,"id":1,"method":"echo"})"), kInvalidRequest, "invalid_argument", 1);
  expect_error(run_json(R"({"jsonrpc":"2.0","id":1,"method":5})"), kInvalidRequest, "invalid_argument", 1);
  expect_error(run_json(R"({"jsonrpc":"2.0","id":1})"), kInvalidRequest, "invalid_argument", 1);
  expect_error(run_json(R"({"jsonrpc":"2.0","id":1,"method":"echo","params":3})"), kInvalidRequest,
               "invalid_argument", 1);
  expect_error(run_json(R"({"jsonrpc":"2.0","id":1,"method":"echo","params":"s"})"), kInvalidRequest,
               "invalid_argument", 1);
  expect_error(run_json(R"({"jsonrpc":"2.0","id":1,"method":"echo","params":null})"), kInvalidRequest,
               "invalid_argument", 1);
  expect_error(run_json(R"({"jsonrpc":"2.0","id":{"a":1},"method":"echo"})"), kInvalidRequest,
               "invalid_argument");
  expect_error(run_json(R"({"jsonrpc":"2.0","id":[1],"method":"echo"})"), kInvalidRequest,
               "invalid_argument");
  expect_error(run_json(R"({"jsonrpc":"2.0","id":true,"method":"echo"})"), kInvalidRequest,
               "invalid_argument");
  // An invalid request is answered even without an id: it cannot be told apart from a call.
  expect_error(run_json(R"({"jsonrpc":"2.0","method":7})"), kInvalidRequest, "invalid_argument");
}

TEST_F(DispatcherTest, BatchLimit) {
  std::string nine = "[";
  for (int i = 0; i < 9; ++i)
    nine += std::string(i ? "," : "") + R"({"jsonrpc":"2.0","id":1,"method":"echo"})";
  nine += "]";
  Json r = run_json(nine);
  expect_error(r, kInvalidRequest, "too_large");
  std::string eight = "[";
  for (int i = 0; i < 8; ++i)
    eight += std::string(i ? "," : "") + R"({"jsonrpc":"2.0","id":1,"method":"echo"})";
  eight += "]";
  EXPECT_EQ(run_json(eight).size(), 8u);
}

TEST_F(DispatcherTest, MethodErrors) {
  expect_error(run_json(R"({"jsonrpc":"2.0","id":1,"method":"nope"})"), kMethodNotFound, "unsupported", 1);
  expect_error(run_json(R"({"jsonrpc":"2.0","id":1,"method":"subscribe","params":{"topic":"x"}})"),
               kMethodNotFound, "unsupported", 1);
  expect_error(run_json(R"({"jsonrpc":"2.0","id":1,"method":"add","params":{"a":1}})"), kInvalidParams,
               "invalid_argument", 1);
  Json r = run_json(R"({"jsonrpc":"2.0","id":1,"method":"missing"})");
  expect_error(r, kNotFoundError, "not_found", 1);
  EXPECT_EQ(r["error"]["message"], "no such thing");
  r = run_json(R"({"jsonrpc":"2.0","id":2,"method":"throws"})");
  expect_error(r, kInternalError, "internal", 2);
  EXPECT_EQ(r["error"]["message"], "internal error");  // the exception text is logged, not sent
  r = run_json(R"({"jsonrpc":"2.0","id":3,"method":"drops"})");
  expect_error(r, kInternalError, "internal", 3);
}

TEST_F(DispatcherTest, AsyncReplyFromAnotherThread) {
  const auto t0 = std::chrono::steady_clock::now();
  Json r = run_json(R"({"jsonrpc":"2.0","id":"a","method":"later","params":{"k":1}})");
  EXPECT_GE(std::chrono::steady_clock::now() - t0, std::chrono::milliseconds(25));
  EXPECT_EQ(r["id"], "a");
  EXPECT_EQ(r["result"], Json::parse(R"({"late":{"k":1}})"));
}

TEST_F(DispatcherTest, BuiltinsRunBeforeTheRegistry) {
  Dispatcher::Builtin builtin = [](const std::string& m, const Json& p, Result<Json>& out) {
    if (m != "subscribe") return false;
    out = Json("sub-" + p.value("topic", std::string()));
    return true;
  };
  std::string text = run(R"({"jsonrpc":"2.0","id":1,"method":"subscribe","params":{"topic":"t"}})", &builtin);
  EXPECT_EQ(Json::parse(text)["result"], "sub-t");
  text = run(R"({"jsonrpc":"2.0","id":1,"method":"echo","params":[1]})", &builtin);
  EXPECT_EQ(Json::parse(text)["result"], Json::array({1}));
}

TEST(MethodsTest, RegistrationRules) {
  Methods m;
  auto h = [](const Json&) -> Result<Json> { return Json(); };
  EXPECT_TRUE(m.add("a", h).ok());
  EXPECT_EQ(m.add("a", h).code(), ErrorCode::kAlreadyExists);
  EXPECT_EQ(m.add_async("a", [](const Json&, Reply) {}).code(), ErrorCode::kAlreadyExists);
  EXPECT_EQ(m.add("", h).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(m.add("rpc.discover", h).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(m.add("subscribe", h).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(m.add("b", nullptr).code(), ErrorCode::kInvalidArgument);
  EXPECT_TRUE(m.contains("a"));
  EXPECT_FALSE(m.contains("b"));
  EXPECT_EQ(m.names(), std::vector<std::string>{"a"});
}

TEST(ReplyTest, FirstInvocationWinsAndDroppedReplyAnswersInternal) {
  std::vector<Result<Json>> got;
  {
    Reply r([&](Result<Json> v) { got.push_back(std::move(v)); });
    Reply copy = r;
    copy(Json(1));
    r(Json(2));
    EXPECT_TRUE(r.done());
  }
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].value(), Json(1));
  {
    Reply r([&](Result<Json> v) { got.push_back(std::move(v)); });
  }
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[1].code(), ErrorCode::kInternal);
}

TEST(ErrorsTest, EveryErrorCodeRoundTrips) {
  for (int c = static_cast<int>(ErrorCode::kInvalidArgument); c <= static_cast<int>(ErrorCode::kInternal);
       ++c) {
    const auto code = static_cast<ErrorCode>(c);
    const Json obj = error_object(make_error(code, "why"));
    const int rpc = obj["code"].get<int>();
    EXPECT_TRUE(rpc == kInvalidParams || rpc == kInternalError || (rpc <= -32000 && rpc >= -32099)) << rpc;
    const Error back = error_from_object(obj);
    EXPECT_EQ(back.code, code);
    EXPECT_EQ(back.message, "why");
    // Without data.code, the integer code alone still gives the class.
    Json bare = obj;
    bare.erase("data");
    if (code != ErrorCode::kMalformed) {
      EXPECT_EQ(error_from_object(bare).code, code) << c;
    }
  }
  EXPECT_EQ(error_from_object(Json{{"code", kParseError}, {"message", "x"}}).code, ErrorCode::kMalformed);
  EXPECT_EQ(error_from_object(Json{{"code", kMethodNotFound}, {"message", "x"}}).code,
            ErrorCode::kUnsupported);
  EXPECT_EQ(error_from_object(Json{{"code", -31999}, {"message", "x"}}).code, ErrorCode::kInternal);
  EXPECT_EQ(error_from_object(Json(3)).code, ErrorCode::kMalformed);
}

}  // namespace
}  // namespace formica::rpc
