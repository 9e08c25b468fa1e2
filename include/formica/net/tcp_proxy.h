#pragma once
// A controllable TCP forwarder for fault tests and benchmarks: listens on
// listen_address:port and forwards each connection to target host:port. At run time it can
// add latency (every forwarded chunk, both directions, order preserved) and partition (cut
// existing connections; accept and immediately close new ones) and heal. Thread-safe; owns
// its io_context and thread; stops when destroyed.

#include <cstdint>
#include <memory>
#include <string>

#include "formica/base/status.h"

namespace formica::net {

struct TcpProxyOptions {
  std::string listen_address = "127.0.0.1";
  std::uint16_t listen_port = 0;  // 0: ephemeral
  std::string target_host = "127.0.0.1";
  std::uint16_t target_port = 0;
  std::uint32_t delay_ms = 0;
  std::size_t max_buffered_bytes = 8u << 20;  // per direction, while delaying
};

struct TcpProxyStats {
  std::uint64_t accepted = 0;         // connections forwarded
  std::uint64_t refused = 0;          // accepted and closed while partitioned, or target unreachable
  std::uint64_t cut = 0;              // connections closed by partition(true)
  std::uint64_t active = 0;           // open now
  std::uint64_t bytes_to_target = 0;  // client -> target
  std::uint64_t bytes_to_client = 0;  // target -> client
};

class TcpProxy {
 public:
  static Result<std::unique_ptr<TcpProxy>> start(TcpProxyOptions options);
  ~TcpProxy();
  TcpProxy(const TcpProxy&) = delete;
  TcpProxy& operator=(const TcpProxy&) = delete;

  void stop();  // idempotent; joins the thread
  std::uint16_t port() const;
  void set_delay_ms(std::uint32_t ms);
  void partition(bool on);
  bool partitioned() const;
  TcpProxyStats stats() const;

  struct Impl;

 private:
  explicit TcpProxy(std::unique_ptr<Impl> impl);
  static Result<std::unique_ptr<TcpProxy>> start_impl(TcpProxyOptions options);
  std::unique_ptr<Impl> impl_;
};

}  // namespace formica::net
