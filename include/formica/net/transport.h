#pragma once
// Validator-to-validator transport: mutually authenticated TLS 1.3 links carrying opaque
// frames {channel, payload} (docs/net.md). The transport knows nothing of consensus; the node
// wires its messages through channels 1..255 (channel 0 is the transport's own control
// channel: hello and keep-alive).
//
// Threading: one Transport owns one io_context and one thread. Handlers run on that thread
// (the node queues them); send/broadcast/penalise/peers are thread-safe and never block on the
// network. stop() joins the thread; no handler runs after stop() returns, and no handler is
// called once stop() has begun. Do not call stop() (or destroy the Transport) from a handler.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "formica/base/bytes.h"
#include "formica/base/status.h"

namespace formica::net {

inline constexpr std::uint16_t kProtocolVersion = 1;
inline constexpr std::uint8_t kControlChannel = 0;   // reserved; send() refuses it
inline constexpr std::size_t kFrameHeaderBytes = 5;  // u32 BE length (channel + payload), u8 channel

struct PeerSpec {
  std::uint32_t index = 0;  // validator index; unique in the network
  std::string name;         // node name: the CN of its certificate
  std::string org;          // its organisation: the CA that must have issued its certificate
  std::string host;
  std::uint16_t port = 0;
};

// Why a peer is penalised. The transport itself detects the first four; the node passes the
// others in through penalise().
enum class PenaltyReason : std::uint8_t {
  kMalformedFrame = 1,
  kOversizedFrame,
  kBadHello,
  kWrongNetwork,
  kInvalidMessage,
  kBadSignature,
  kProtocolViolation,
};
std::string_view penalty_reason_name(PenaltyReason reason);
// Points added to a peer's score (threshold: TransportOptions::penalty_threshold).
std::uint32_t penalty_weight(PenaltyReason reason);

struct TransportOptions {
  std::string listen_address = "127.0.0.1";
  std::uint16_t listen_port = 0;  // 0: ephemeral (read it back with port())
  std::uint32_t my_index = 0;
  std::string my_name;
  std::vector<PeerSpec> peers;                      // the other validators (my_index excluded)
  std::map<std::string, std::string> ca_roots_pem;  // org -> CA certificate PEM (from genesis)
  std::string cert_pem;                             // my node certificate (chain), PEM
  std::string key_pem;                              // its key: create() loads it, zeroes its copy
  Bytes network_tag;                                // genesis hash: a hello with another tag is refused

  std::size_t max_frame_bytes = 16u << 20;  // payload bytes of one frame
  std::size_t max_queue_bytes = 64u << 20;  // per peer, outbound payload bytes waiting to be written
  std::uint32_t backoff_min_ms = 100;       // dialer reconnect back-off, doubled per failure
  std::uint32_t backoff_max_ms = 10'000;
  std::uint32_t handshake_timeout_ms = 5'000;  // TCP connect + TLS + hello
  std::uint32_t ping_interval_ms = 2'000;      // keep-alive ping period
  std::uint32_t idle_timeout_ms = 10'000;      // no bytes from a peer for this long: disconnect
  std::uint32_t penalty_threshold = 100;       // score >= threshold: disconnect and ban
  std::uint32_t penalty_decay_per_s = 1;       // score points forgiven per second
  std::uint32_t ban_ms = 10 * 60 * 1000;
};

struct TransportHandlers {
  std::function<void(std::uint32_t peer, std::uint8_t channel, Bytes payload)> on_message;
  std::function<void(std::uint32_t peer)> on_peer_up;
  std::function<void(std::uint32_t peer)> on_peer_down;
};

struct PeerStatus {
  std::uint32_t index = 0;
  std::string name;
  bool connected = false;
  std::int64_t connected_since_ms = 0;          // unix ms of the current connection (0: none)
  std::uint64_t connects = 0;                   // established connections so far
  std::uint64_t frames_in = 0, bytes_in = 0;    // bytes: payload bytes
  std::uint64_t frames_out = 0, bytes_out = 0;  // written to the socket
  std::uint64_t dropped_frames = 0;  // send() while disconnected, over the queue bound, or too large
  std::size_t queued_bytes = 0;
  std::uint32_t penalty_score = 0;
  bool has_penalty = false;
  PenaltyReason last_penalty = PenaltyReason::kProtocolViolation;  // valid when has_penalty
  std::string last_penalty_detail;
  bool banned = false;
  std::int64_t banned_until_ms = 0;  // unix ms
};

class Transport {
 public:
  // Checks the options (peer indexes and names unique and not mine, a CA root for every
  // peer's organisation, my certificate and key parse and match) and loads the TLS context.
  // Does not bind. A certificate of mine that peers will refuse (CN is not my_name, not issued
  // by my organisation's CA in ca_roots_pem, expired) is logged as a warning, not refused: the
  // node can still run and show why it has no peers.
  static Result<std::unique_ptr<Transport>> create(TransportOptions options, TransportHandlers handlers);
  ~Transport();  // stop()s
  Transport(const Transport&) = delete;
  Transport& operator=(const Transport&) = delete;

  // Binds the listener and starts the thread (dialing peers with a higher index). Once only.
  Status start();
  // Closes every link, joins the thread. Idempotent. Not from a handler.
  void stop();

  // Queues a frame for `peer` (channel 1..255). Never blocks. Dropped and counted when the
  // peer is not connected, when its queue would exceed max_queue_bytes, or when the payload
  // exceeds max_frame_bytes. Frames to one peer are delivered in order.
  void send(std::uint32_t peer, std::uint8_t channel, Bytes payload);
  void broadcast(std::uint8_t channel, Bytes payload);  // send() to every peer
  // Adds penalty_weight(reason) to the peer's score; at the threshold the peer is disconnected
  // and banned for ban_ms.
  void penalise(std::uint32_t peer, PenaltyReason reason, std::string detail);

  std::vector<PeerStatus> peers() const;
  std::uint16_t port() const;  // the bound port (after start)

  struct Impl;

 private:
  explicit Transport(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace formica::net
