// rpc::Client: synchronous JSON-RPC over HTTP/1.1 keep-alive. Each call runs a coroutine on the
// client's own io_context until it finishes or its deadline passes.

#include <exception>
#include <optional>
#include <unordered_map>
#include <utility>

#include <boost/beast/http.hpp>

#include "client_support.h"
#include "formica/rpc/client.h"
#include "formica/rpc/errors.h"

namespace formica::rpc {

using namespace client_support;  // NOLINT(build/namespaces): .cpp only
namespace http = beast::http;

namespace {
constexpr std::uint64_t kMaxResponseBytes = 256u << 20;
}  // namespace

struct Client::Impl {
  explicit Impl(std::string_view url) : endpoint(parse_url(url)) {}

  Result<Endpoint> endpoint;
  asio::io_context ioc{1};
  std::optional<beast::tcp_stream> stream;
  beast::flat_buffer buffer;
  std::uint64_t next_id = 1;

  struct Outcome {
    Result<HttpResult> result = make_error(ErrorCode::kInternal, "request did not run");
    bool retryable = false;  // failed on a reused connection before any response byte
  };

  asio::awaitable<void> exchange(http::request<http::string_body>& req, Clock::time_point deadline,
                                 Outcome& out);
  Result<HttpResult> roundtrip(http::request<http::string_body>& req, int timeout_ms);
  Result<Json> decode_single(const HttpResult& res, std::uint64_t id);

  void drop_connection() {
    if (stream) {
      ErrorCodeSys ec;
      stream->socket().close(ec);
      stream.reset();
    }
    buffer.clear();
  }
};

asio::awaitable<void> Client::Impl::exchange(http::request<http::string_body>& req,
                                             Clock::time_point deadline, Outcome& out) {
  const Endpoint& ep = endpoint.value();
  ErrorCodeSys ec;
  const bool reused = stream.has_value();
  if (!reused) {
    stream.emplace(ioc);
    buffer.clear();
    ec = co_await connect(*stream, ep, deadline);
    if (ec) {
      out.result = unavailable(ep, "cannot connect to", ec);
      drop_connection();
      co_return;
    }
  }
  stream->expires_at(deadline);
  co_await http::async_write(*stream, req, asio::redirect_error(asio::use_awaitable, ec));
  if (ec) {
    out.result = unavailable(ep, "cannot send to", ec);
    out.retryable = reused && ec != beast::error::timeout;
    drop_connection();
    co_return;
  }
  http::response_parser<http::string_body> parser;
  parser.body_limit(kMaxResponseBytes);
  if (req.method() == http::verb::head) parser.skip(true);  // a HEAD answer has no body
  co_await http::async_read(*stream, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
  if (ec) {
    out.result = unavailable(ep, "no response from", ec);
    out.retryable = reused && !parser.got_some() && ec != beast::error::timeout;
    drop_connection();
    co_return;
  }
  auto res = parser.release();
  HttpResult result;
  result.status = res.result_int();
  for (const auto& field : res) {
    result.headers.emplace_back(std::string(field.name_string().data(), field.name_string().size()),
                                std::string(field.value().data(), field.value().size()));
  }
  result.content_type = std::string(result.header("content-type"));
  result.body = std::move(res.body());
  if (!res.keep_alive()) drop_connection();
  out.result = std::move(result);
}

Result<HttpResult> Client::Impl::roundtrip(http::request<http::string_body>& req, int timeout_ms) {
  if (!endpoint.ok()) return endpoint.error();
  const auto deadline = deadline_after(timeout_ms);
  req.set(http::field::host, endpoint->host + ":" + std::to_string(endpoint->port));
  req.set(http::field::user_agent, "formica-rpc-client");
  req.keep_alive(true);
  req.prepare_payload();
  for (int attempt = 0; attempt < 2; ++attempt) {
    Outcome out;
    ioc.restart();
    asio::co_spawn(ioc, exchange(req, deadline, out), [&out](std::exception_ptr e) {
      if (e) out.result = make_error(ErrorCode::kInternal, "HTTP exchange failed");
    });
    ioc.run();
    // A kept-alive connection the server closed meanwhile: try once on a fresh one.
    if (out.result.ok() || !out.retryable || Clock::now() >= deadline) return std::move(out.result);
  }
  return make_error(ErrorCode::kUnavailable, "connection lost twice");
}

Result<Json> Client::Impl::decode_single(const HttpResult& res, std::uint64_t id) {
  Result<Json> parsed = codec::parse_json(res.body);
  if (!parsed.ok() || !parsed->is_object()) {
    if (res.status == 413) return make_error(ErrorCode::kTooLarge, "request too large (HTTP 413)");
    return make_error(ErrorCode::kUnavailable,
                      "not a JSON-RPC response (HTTP " + std::to_string(res.status) + ")");
  }
  const Json& j = parsed.value();
  if (auto e = j.find("error"); e != j.end()) return error_from_object(*e);
  if (res.status != 200) return make_error(ErrorCode::kUnavailable, "HTTP " + std::to_string(res.status));
  auto rid = j.find("id");
  if (rid == j.end() || !rid->is_number_unsigned() || rid->get<std::uint64_t>() != id) {
    return make_error(ErrorCode::kInternal, "response id does not match the request");
  }
  auto r = j.find("result");
  if (r == j.end()) return make_error(ErrorCode::kMalformed, "response has neither result nor error");
  return *r;
}

namespace {

Json request_object(std::uint64_t id, std::string_view method, const Json& params) {
  Json req = Json::object();
  req["jsonrpc"] = "2.0";
  req["id"] = id;
  req["method"] = std::string(method);
  if (!params.is_null()) req["params"] = params;
  return req;
}

http::request<http::string_body> post_request(const std::string& target, std::string body) {
  http::request<http::string_body> req{http::verb::post, beast::string_view(target.data(), target.size()),
                                       11};
  req.set(http::field::content_type, "application/json");
  req.set(http::field::accept, "application/json");
  req.body() = std::move(body);
  return req;
}

}  // namespace

Client::Client(std::string_view url) : impl_(std::make_unique<Impl>(url)) {}
Client::~Client() = default;
Client::Client(Client&&) noexcept = default;
Client& Client::operator=(Client&&) noexcept = default;

Result<Json> Client::call(std::string_view method, const Json& params, int timeout_ms) {
  try {
    if (!impl_->endpoint.ok()) return impl_->endpoint.error();
    const std::uint64_t id = impl_->next_id++;
    auto req = post_request(impl_->endpoint->path, request_object(id, method, params).dump());
    FORMICA_ASSIGN_OR_RETURN(HttpResult res, impl_->roundtrip(req, timeout_ms));
    return impl_->decode_single(res, id);
  } catch (const std::exception& e) {
    impl_->drop_connection();
    return make_error(ErrorCode::kInternal, std::string("rpc client: ") + e.what());
  }
}

Result<std::vector<Result<Json>>> Client::call_batch(const std::vector<BatchCall>& calls, int timeout_ms) {
  try {
    if (!impl_->endpoint.ok()) return impl_->endpoint.error();
    if (calls.empty()) return std::vector<Result<Json>>{};
    const std::uint64_t first = impl_->next_id;
    impl_->next_id += calls.size();
    Json batch = Json::array();
    for (std::size_t i = 0; i < calls.size(); ++i) {
      batch.push_back(request_object(first + i, calls[i].method, calls[i].params));
    }
    auto req = post_request(impl_->endpoint->path, batch.dump());
    FORMICA_ASSIGN_OR_RETURN(HttpResult res, impl_->roundtrip(req, timeout_ms));
    Result<Json> parsed = codec::parse_json(res.body);
    if (!parsed.ok()) {
      if (res.status == 413) return make_error(ErrorCode::kTooLarge, "request too large (HTTP 413)");
      return make_error(ErrorCode::kUnavailable,
                        "not a JSON-RPC response (HTTP " + std::to_string(res.status) + ")");
    }
    const Json& j = parsed.value();
    if (j.is_object()) {  // the batch as a whole was refused
      if (auto e = j.find("error"); e != j.end()) return error_from_object(*e);
      return make_error(ErrorCode::kMalformed, "batch answered with a single object");
    }
    if (!j.is_array()) return make_error(ErrorCode::kMalformed, "batch response is not an array");
    std::vector<std::optional<Result<Json>>> slots(calls.size());
    for (const Json& r : j) {
      if (!r.is_object()) continue;
      auto rid = r.find("id");
      if (rid == r.end() || !rid->is_number_unsigned()) continue;
      const std::uint64_t id = rid->get<std::uint64_t>();
      if (id < first || id - first >= calls.size()) continue;
      if (auto e = r.find("error"); e != r.end()) {
        slots[id - first] = Result<Json>(error_from_object(*e));
      } else if (auto v = r.find("result"); v != r.end()) {
        slots[id - first] = Result<Json>(*v);
      }
    }
    std::vector<Result<Json>> out;
    out.reserve(calls.size());
    for (auto& s : slots) {
      out.push_back(s ? std::move(*s)
                      : Result<Json>(make_error(ErrorCode::kMalformed, "no response for this call")));
    }
    return out;
  } catch (const std::exception& e) {
    impl_->drop_connection();
    return make_error(ErrorCode::kInternal, std::string("rpc client: ") + e.what());
  }
}

Result<HttpResult> Client::request(std::string_view method, std::string_view target, std::string_view body,
                                   std::vector<std::pair<std::string, std::string>> headers, int timeout_ms) {
  try {
    if (!impl_->endpoint.ok()) return impl_->endpoint.error();
    http::request<http::string_body> req;
    req.method_string(beast::string_view(method.data(), method.size()));
    req.target(beast::string_view(target.data(), target.size()));
    req.version(11);
    for (auto& [name, value] : headers) req.set(name, value);
    req.body() = std::string(body);
    return impl_->roundtrip(req, timeout_ms);
  } catch (const std::exception& e) {
    impl_->drop_connection();
    return make_error(ErrorCode::kInvalidArgument, std::string("rpc client: ") + e.what());
  }
}

void Client::close() { impl_->drop_connection(); }

}  // namespace formica::rpc
