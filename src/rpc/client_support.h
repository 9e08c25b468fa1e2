#pragma once
// Pieces shared by client.cpp and ws_client.cpp (includes Boost.Asio/Beast; .cpp files only).

#include <chrono>
#include <string>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>

#include "formica/base/status.h"
#include "formica/rpc/client.h"

namespace formica::rpc::client_support {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
using ErrorCodeSys = boost::system::error_code;

inline Clock::time_point deadline_after(int timeout_ms) {
  return Clock::now() + std::chrono::milliseconds(timeout_ms < 0 ? 0 : timeout_ms);
}

inline Error unavailable(const Endpoint& ep, std::string_view what, const ErrorCodeSys& ec) {
  std::string why = ec == beast::error::timeout ? std::string("timed out") : ec.message();
  return make_error(ErrorCode::kUnavailable,
                    std::string(what) + " " + ep.host + ":" + std::to_string(ep.port) + ": " + why);
}

// Connects `stream` to `ep` by `deadline`.
inline asio::awaitable<ErrorCodeSys> connect(beast::tcp_stream& stream, const Endpoint& ep,
                                             Clock::time_point deadline) {
  ErrorCodeSys ec;
  stream.expires_at(deadline);
  const auto address = asio::ip::make_address(ep.host, ec);
  if (!ec) {
    co_await stream.async_connect(tcp::endpoint(address, ep.port),
                                  asio::redirect_error(asio::use_awaitable, ec));
    co_return ec;
  }
  ec = {};
  tcp::resolver resolver(stream.get_executor());
  auto results = co_await resolver.async_resolve(ep.host, std::to_string(ep.port),
                                                 asio::redirect_error(asio::use_awaitable, ec));
  if (ec) co_return ec;
  co_await stream.async_connect(results, asio::redirect_error(asio::use_awaitable, ec));
  co_return ec;
}

}  // namespace formica::rpc::client_support
