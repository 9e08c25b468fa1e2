// The validator transport: one io_context on one thread, one coroutine per connection
// (reader) plus a writer and a keep-alive per established link, a dialer per higher-indexed
// peer and one acceptor. All connection state lives on the I/O thread; the per-peer outbound
// queue and statistics are shared with the API under the peer's mutex.
//
// Lifetimes: the Impl owns the io_context, the acceptor, the timers and (through coroutine
// frames) the sessions. stop() asks everything to close on the I/O thread, waits for run() to
// return, joins the thread, then destroys the I/O objects and last the io_context, while the
// rest of the Impl is still alive. Foreign threads post into the context only under life_mu
// while alive, so nothing is posted into a context that is being destroyed.

#include "formica/net/transport.h"

#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <deque>
#include <exception>
#include <future>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <utility>

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>

#include "formica/base/log.h"
#include "formica/net/tls_identity.h"
#include "ssl_util.h"
#include "tls_context.h"
#include "wire.h"

namespace formica::net {

namespace asio = boost::asio;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using SysError = boost::system::error_code;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

std::string_view penalty_reason_name(PenaltyReason reason) {
  switch (reason) {
    case PenaltyReason::kMalformedFrame: return "malformed_frame";
    case PenaltyReason::kOversizedFrame: return "oversized_frame";
    case PenaltyReason::kBadHello: return "bad_hello";
    case PenaltyReason::kWrongNetwork: return "wrong_network";
    case PenaltyReason::kInvalidMessage: return "invalid_message";
    case PenaltyReason::kBadSignature: return "bad_signature";
    case PenaltyReason::kProtocolViolation: return "protocol_violation";
  }
  return "unknown";
}

std::uint32_t penalty_weight(PenaltyReason reason) {
  switch (reason) {
    case PenaltyReason::kMalformedFrame: return 40;
    case PenaltyReason::kOversizedFrame: return 40;
    case PenaltyReason::kBadHello: return 40;
    case PenaltyReason::kWrongNetwork: return 40;
    case PenaltyReason::kInvalidMessage: return 10;
    case PenaltyReason::kBadSignature: return 50;
    case PenaltyReason::kProtocolViolation: return 25;
  }
  return 25;
}

namespace {

constexpr std::size_t kWriteBatchBytes = 256u << 10;
constexpr std::size_t kReadSliceBytes = 256u << 10;
constexpr std::size_t kMaxNetworkTagBytes = 1024;  // a hello must fit in wire::kMaxHelloBytes
constexpr auto kStopGrace = std::chrono::seconds(5);

std::int64_t unix_ms_now() {
  return std::chrono::duration_cast<milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Text a peer chose (hello name, certificate fields), made safe for one log line.
std::string printable(std::string_view text) {
  std::string out;
  for (const char c : text.substr(0, 64)) {
    const auto u = static_cast<unsigned char>(c);
    out.push_back(u < 0x20 || u == 0x7f ? '?' : c);
  }
  if (text.size() > 64) out += "...";
  return out;
}

std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

struct OutFrame {
  std::array<std::uint8_t, kFrameHeaderBytes> header;
  Bytes payload;
  bool control = false;
};

struct Session {
  Session(tcp::socket socket, ssl::context& ctx, std::uint64_t session_id)
      : stream(std::move(socket), ctx),
        wake(stream.get_executor()),
        timer(stream.get_executor()),
        id(session_id) {}

  void close() {
    if (closed) return;
    closed = true;
    SysError ec;
    stream.lowest_layer().close(ec);
    wake.cancel();
    timer.cancel();
  }

  ssl::stream<tcp::socket> stream;
  asio::steady_timer wake;   // the writer sleeps on it; cancel() wakes it
  asio::steady_timer timer;  // handshake deadline, then keep-alive
  std::uint64_t id;
  std::string remote;
  bool closed = false;
  bool ready = false;  // hello exchanged
  Clock::time_point last_rx{};
};

struct PeerState {
  PeerSpec spec;
  ssl_util::X509Ptr ca_root;
  bool dial = false;  // I dial it (my index is lower)

  // I/O thread only.
  std::shared_ptr<Session> session;  // the established link
  std::unique_ptr<asio::steady_timer> dial_timer;
  std::unique_ptr<tcp::resolver> resolver;
  std::uint32_t failures = 0;
  Clock::time_point banned_until{};
  std::uint32_t score = 0;
  Clock::time_point score_at{};

  // Shared with the API.
  mutable std::mutex mu;
  bool connected = false;
  std::deque<OutFrame> queue;
  std::size_t queued_bytes = 0;  // payload bytes of data frames in `queue`
  bool wake_pending = false;
  PeerStatus status;
};

struct Frame {
  bool io_ok = false;
  wire::HeaderCheck check = wire::HeaderCheck::kOk;
  std::uint64_t declared = 0;
  std::uint8_t channel = 0;
  Bytes payload;
};

}  // namespace

struct Transport::Impl {
  TransportOptions opt;
  TransportHandlers handlers;
  std::vector<std::unique_ptr<PeerState>> peers;
  std::unordered_map<std::uint32_t, PeerState*> by_index;
  std::unordered_map<std::string, PeerState*> by_name;
  std::unordered_map<std::string, X509*> root_of_org;  // borrowed from root_certs
  std::vector<ssl_util::X509Ptr> root_certs;
  std::unique_ptr<ssl::context> tls;

  // Running state.
  std::unique_ptr<asio::io_context> ioc;
  std::unique_ptr<tcp::acceptor> acceptor;
  std::thread thread;
  std::promise<void> run_done;
  std::atomic<std::uint16_t> bound_port{0};
  std::atomic<bool> stop_requested{false};
  std::mutex life_mu;  // guards alive and posting into ioc from foreign threads
  bool alive = false;
  bool started = false;
  bool stopped = false;

  // I/O thread only.
  bool stopping = false;
  std::uint64_t next_session_id = 1;
  std::unordered_map<std::uint64_t, std::weak_ptr<Session>> live;

  template <class F>
  void post_from_any(F&& f) {
    std::lock_guard lock(life_mu);
    if (alive) asio::post(*ioc, std::forward<F>(f));
  }

  bool handlers_allowed() const { return !stopping && !stop_requested.load(std::memory_order_acquire); }

  template <class F>
  void call_handler(const char* what, F&& f) {
    if (!handlers_allowed()) return;
    try {
      f();
    } catch (const std::exception& e) {
      base::log::error("net: {} handler threw: {}", what, e.what());
    } catch (...) {
      base::log::error("net: {} handler threw", what);
    }
  }

  auto spawn_handler(const char* what) {
    return [what](std::exception_ptr e) {
      if (!e) return;
      try {
        std::rethrow_exception(e);
      } catch (const std::exception& ex) {
        base::log::error("net: {} ended with an exception: {}", what, ex.what());
      } catch (...) {
        base::log::error("net: {} ended with an exception", what);
      }
    };
  }

  std::shared_ptr<Session> new_session(tcp::socket socket) {
    auto s = std::make_shared<Session>(std::move(socket), *tls, next_session_id++);
    live.emplace(s->id, s);
    return s;
  }

  // Removes a session from `live` when the coroutine that owns it ends.
  struct LiveGuard {
    Impl* impl;
    std::uint64_t id;
    ~LiveGuard() { impl->live.erase(id); }
  };

  void arm_deadline(const std::shared_ptr<Session>& s) {
    s->timer.expires_after(milliseconds(opt.handshake_timeout_ms));
    s->timer.async_wait([s](SysError ec) {
      if (!ec && !s->ready) s->close();
    });
  }

  // ---- penalties ----------------------------------------------------------------------------

  void decay(PeerState& p, Clock::time_point now) {
    if (p.score == 0) {
      p.score_at = now;
      return;
    }
    const auto secs = std::chrono::duration_cast<std::chrono::seconds>(now - p.score_at).count();
    if (secs <= 0) return;
    const std::uint64_t forgiven = static_cast<std::uint64_t>(secs) * opt.penalty_decay_per_s;
    p.score = forgiven >= p.score ? 0 : p.score - static_cast<std::uint32_t>(forgiven);
    p.score_at += std::chrono::seconds(secs);
  }

  bool banned(const PeerState& p) const { return p.banned_until > Clock::now(); }

  // On the I/O thread. `offending` (may be null) is the session that misbehaved: always closed.
  void apply_penalty(PeerState& p, PenaltyReason reason, const std::string& detail, Session* offending) {
    const auto now = Clock::now();
    decay(p, now);
    const std::uint32_t weight = penalty_weight(reason);
    p.score = p.score > UINT32_MAX - weight ? UINT32_MAX : p.score + weight;
    base::log::info("net: peer {} ({}) penalised: {}: {} (score {}/{})", p.spec.index, p.spec.name,
                    penalty_reason_name(reason), detail, p.score, opt.penalty_threshold);
    bool ban = false;
    const std::uint32_t score = p.score;
    if (p.score >= opt.penalty_threshold) {
      ban = true;
      p.banned_until = now + milliseconds(opt.ban_ms);
      p.score = 0;  // the ban is the consequence; the peer starts afresh when it ends
      base::log::info("net: peer {} ({}) banned for {} ms", p.spec.index, p.spec.name, opt.ban_ms);
    }
    {
      std::lock_guard lock(p.mu);
      p.status.has_penalty = true;
      p.status.last_penalty = reason;
      p.status.last_penalty_detail = detail;
      p.status.penalty_score = score;
      if (ban) {
        p.status.banned = true;
        p.status.banned_until_ms = unix_ms_now() + opt.ban_ms;
      }
    }
    if (offending != nullptr) offending->close();
    if (ban) {
      if (p.session) p.session->close();
      if (p.dial_timer) p.dial_timer->cancel();  // re-evaluate the wait: now until the ban ends
    }
  }

  // ---- links ---------------------------------------------------------------------------------

  void attach(PeerState& p, const std::shared_ptr<Session>& s) {
    p.session = s;
    std::lock_guard lock(p.mu);
    p.connected = true;
    p.status.connected = true;
    p.status.connected_since_ms = unix_ms_now();
    ++p.status.connects;
  }

  void detach(PeerState& p) {
    p.session.reset();
    std::lock_guard lock(p.mu);
    p.connected = false;
    p.status.connected = false;
    p.status.connected_since_ms = 0;
    for (const auto& f : p.queue) {
      if (!f.control) ++p.status.dropped_frames;
    }
    p.queue.clear();
    p.queued_bytes = 0;
  }

  void enqueue_control(PeerState& p, Bytes payload) {
    {
      std::lock_guard lock(p.mu);
      if (!p.connected) return;
      p.queue.push_back(
          OutFrame{wire::frame_header(kControlChannel, payload.size()), std::move(payload), true});
    }
    if (p.session) p.session->wake.cancel();
  }

  void wake(PeerState& p) {
    {
      std::lock_guard lock(p.mu);
      p.wake_pending = false;
    }
    if (p.session) p.session->wake.cancel();
  }

  // Which configured peer presented this (already chain-verified) certificate; null with `why`.
  PeerState* identify(Session& s, PeerState* expected, std::string& why) {
    SSL* ssl_handle = s.stream.native_handle();
    X509* cert = SSL_get0_peer_certificate(ssl_handle);
    if (cert == nullptr) {
      why = "no peer certificate";
      return nullptr;
    }
    const long verify = SSL_get_verify_result(ssl_handle);
    if (verify != X509_V_OK) {
      why = std::string("certificate: ") + X509_verify_cert_error_string(verify);
      return nullptr;
    }
    STACK_OF(X509)* chain = SSL_get0_verified_chain(ssl_handle);
    if (chain == nullptr || sk_X509_num(chain) < 2) {
      why = "no verified chain to an organisation CA";
      return nullptr;
    }
    X509* root = sk_X509_value(chain, sk_X509_num(chain) - 1);
    const std::string cn = ssl_util::subject_entry(cert, NID_commonName);
    const std::string org = ssl_util::subject_entry(cert, NID_organizationName);
    PeerState* p = expected;
    if (p == nullptr) {
      auto it = by_name.find(cn);
      if (it == by_name.end()) {
        why = "certificate CN \"" + printable(cn) + "\" is not a configured peer";
        return nullptr;
      }
      p = it->second;
    } else if (cn != p->spec.name) {
      why = "certificate CN \"" + printable(cn) + "\" is not peer " + std::to_string(p->spec.index) + " \"" +
            p->spec.name + "\"";
      return nullptr;
    }
    if (X509_cmp(root, p->ca_root.get()) != 0) {
      std::string issuer_org = "?";
      for (const auto& [o, r] : root_of_org) {
        if (X509_cmp(root, r) == 0) issuer_org = o;
      }
      why = "certificate for \"" + cn + "\" was issued by the CA of \"" + issuer_org + "\", but \"" +
            p->spec.name + "\" belongs to \"" + p->spec.org + "\"";
      return nullptr;
    }
    if (org != p->spec.org) {
      why = "certificate O \"" + printable(org) + "\" is not \"" + p->spec.org + "\"";
      return nullptr;
    }
    return p;
  }

  asio::awaitable<Frame> read_frame(Session& s, std::size_t max_payload) {
    Frame f;
    std::array<std::uint8_t, kFrameHeaderBytes> raw{};
    SysError ec;
    co_await asio::async_read(s.stream, asio::buffer(raw), asio::redirect_error(asio::use_awaitable, ec));
    if (ec || s.closed) co_return f;
    s.last_rx = Clock::now();
    f.declared =
        (std::uint64_t{raw[0]} << 24) | (std::uint64_t{raw[1]} << 16) | (std::uint64_t{raw[2]} << 8) | raw[3];
    wire::Header h;
    f.check = wire::check_header(raw, max_payload, h);
    f.io_ok = true;
    if (f.check != wire::HeaderCheck::kOk) co_return f;
    f.channel = h.channel;
    f.payload.resize(h.payload_bytes);
    // In slices, so that a large frame on a slow link counts as activity (idle timeout).
    std::size_t done = 0;
    while (done < h.payload_bytes) {
      const std::size_t slice = std::min(h.payload_bytes - done, kReadSliceBytes);
      co_await asio::async_read(s.stream, asio::buffer(f.payload.data() + done, slice),
                                asio::redirect_error(asio::use_awaitable, ec));
      if (ec || s.closed) {
        f.io_ok = false;
        co_return f;
      }
      done += slice;
      s.last_rx = Clock::now();
    }
    co_return f;
  }

  asio::awaitable<void> writer(std::shared_ptr<Session> s, PeerState& p) {
    Bytes buf;
    while (!s->closed) {
      std::uint64_t frames = 0;
      std::uint64_t bytes = 0;
      {
        std::lock_guard lock(p.mu);
        while (!p.queue.empty() && buf.size() < kWriteBatchBytes) {
          OutFrame& f = p.queue.front();
          buf.insert(buf.end(), f.header.begin(), f.header.end());
          buf.insert(buf.end(), f.payload.begin(), f.payload.end());
          if (!f.control) {
            p.queued_bytes -= f.payload.size();
            ++frames;
            bytes += f.payload.size();
          }
          p.queue.pop_front();
        }
      }
      SysError ec;
      if (buf.empty()) {
        s->wake.expires_at(asio::steady_timer::time_point::max());
        co_await s->wake.async_wait(asio::redirect_error(asio::use_awaitable, ec));
        continue;
      }
      co_await asio::async_write(s->stream, asio::buffer(buf), asio::redirect_error(asio::use_awaitable, ec));
      if (ec) {
        if (!s->closed) base::log::info("net: write to peer {} failed: {}", p.spec.index, ec.message());
        s->close();
        break;
      }
      {
        std::lock_guard lock(p.mu);
        p.status.frames_out += frames;
        p.status.bytes_out += bytes;
      }
      if (buf.capacity() > 4 * kWriteBatchBytes) {
        Bytes().swap(buf);
      } else {
        buf.clear();
      }
    }
  }

  asio::awaitable<void> keepalive(std::shared_ptr<Session> s, PeerState& p) {
    while (!s->closed) {
      SysError ec;
      s->timer.expires_after(milliseconds(opt.ping_interval_ms));
      co_await s->timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      if (s->closed) break;
      if (Clock::now() - s->last_rx > milliseconds(opt.idle_timeout_ms)) {
        base::log::info("net: peer {} ({}) silent for over {} ms: disconnecting", p.spec.index, p.spec.name,
                        opt.idle_timeout_ms);
        s->close();
        break;
      }
      if (p.session == s) enqueue_control(p, wire::encode_ping());
    }
  }

  // TLS handshake, identification, hello, then the link until it closes. Returns whether the
  // hello exchange succeeded. `expected`: the peer dialed (null for an inbound connection).
  asio::awaitable<bool> run_connection(std::shared_ptr<Session> s, PeerState* expected) {
    const bool outbound = expected != nullptr;
    SysError ec;
    if (s->closed) co_return false;
    {
      const auto ep = s->stream.lowest_layer().remote_endpoint(ec);
      s->remote = ec ? std::string("?") : ep.address().to_string() + ":" + std::to_string(ep.port());
      s->stream.lowest_layer().set_option(tcp::no_delay(true), ec);
    }
    co_await s->stream.async_handshake(outbound ? ssl::stream_base::client : ssl::stream_base::server,
                                       asio::redirect_error(asio::use_awaitable, ec));
    if (ec || s->closed) {
      if (!stopping) {
        const long verify = SSL_get_verify_result(s->stream.native_handle());
        base::log::info("net: TLS handshake {} {}{} failed: {}{}", outbound ? "with" : "from", s->remote,
                        outbound ? " (peer " + std::to_string(expected->spec.index) + ")" : std::string(),
                        s->closed ? std::string("timed out or cancelled") : ec.message(),
                        verify != X509_V_OK
                            ? std::string(" (certificate: ") + X509_verify_cert_error_string(verify) + ")"
                            : std::string());
      }
      s->close();
      co_return false;
    }
    std::string why;
    PeerState* p = identify(*s, expected, why);
    if (p == nullptr) {
      base::log::info("net: refused {}: {}", s->remote, why);
      s->close();
      co_return false;
    }
    if (!outbound && p->dial) {
      base::log::info("net: refused {}: peer {} has a higher index and is dialed by us", s->remote,
                      p->spec.index);
      s->close();
      co_return false;
    }
    if (banned(*p)) {
      base::log::info("net: refused {}: peer {} ({}) is banned", s->remote, p->spec.index, p->spec.name);
      s->close();
      co_return false;
    }

    const Bytes hello_frame = wire::encode_frame(
        kControlChannel,
        wire::encode_hello(wire::Hello{kProtocolVersion, opt.network_tag, opt.my_index, opt.my_name}));
    co_await asio::async_write(s->stream, asio::buffer(hello_frame),
                               asio::redirect_error(asio::use_awaitable, ec));
    if (ec || s->closed) {
      if (!stopping) base::log::info("net: hello to peer {} failed: {}", p->spec.index, ec.message());
      s->close();
      co_return false;
    }
    Frame f = co_await read_frame(*s, wire::kMaxHelloBytes);
    if (!f.io_ok) {
      if (!stopping)
        base::log::info(
            "net: peer {} ({}) closed the connection before its hello (did it refuse our certificate?)",
            p->spec.index, p->spec.name);
      s->close();
      co_return false;
    }
    if (f.check != wire::HeaderCheck::kOk || f.channel != kControlChannel) {
      apply_penalty(*p, PenaltyReason::kBadHello, "the first frame is not a hello", s.get());
      co_return false;
    }
    auto hello = wire::decode_hello(f.payload);
    if (!hello) {
      apply_penalty(*p, PenaltyReason::kBadHello, hello.error().message, s.get());
      co_return false;
    }
    if (hello->version != kProtocolVersion) {
      base::log::info("net: refused peer {}: protocol version {}, ours is {}", p->spec.index, hello->version,
                      kProtocolVersion);
      s->close();
      co_return false;
    }
    if (hello->network_tag != opt.network_tag) {
      apply_penalty(*p, PenaltyReason::kWrongNetwork, "hello from another network", s.get());
      co_return false;
    }
    if (hello->index != p->spec.index || hello->name != p->spec.name) {
      apply_penalty(
          *p, PenaltyReason::kBadHello,
          "hello claims index " + std::to_string(hello->index) + " \"" + printable(hello->name) + "\"",
          s.get());
      co_return false;
    }

    // Established.
    s->ready = true;
    s->timer.cancel();
    s->last_rx = Clock::now();
    if (p->session) {
      base::log::info("net: peer {} ({}) reconnected: replacing its old link", p->spec.index, p->spec.name);
      auto old = p->session;
      detach(*p);
      old->close();
      call_handler("on_peer_down", [&] {
        if (handlers.on_peer_down) handlers.on_peer_down(p->spec.index);
      });
    }
    attach(*p, s);
    p->failures = 0;
    base::log::info("net: peer {} ({}) connected ({} {})", p->spec.index, p->spec.name,
                    outbound ? "dialed" : "accepted", s->remote);
    call_handler("on_peer_up", [&] {
      if (handlers.on_peer_up) handlers.on_peer_up(p->spec.index);
    });
    asio::co_spawn(*ioc, writer(s, *p), spawn_handler("writer"));
    asio::co_spawn(*ioc, keepalive(s, *p), spawn_handler("keep-alive"));

    while (!s->closed) {
      Frame in = co_await read_frame(*s, opt.max_frame_bytes);
      if (!in.io_ok) break;
      if (in.check == wire::HeaderCheck::kOversized) {
        apply_penalty(*p, PenaltyReason::kOversizedFrame,
                      "frame of " + std::to_string(in.declared) + " bytes, limit " +
                          std::to_string(opt.max_frame_bytes + 1),
                      s.get());
        break;
      }
      if (in.check == wire::HeaderCheck::kMalformed) {
        apply_penalty(*p, PenaltyReason::kMalformedFrame, "zero frame length", s.get());
        break;
      }
      if (in.channel == kControlChannel) {
        if (in.payload.size() == 1 && in.payload[0] == wire::kPing) continue;
        apply_penalty(*p, PenaltyReason::kMalformedFrame, "unknown control message", s.get());
        break;
      }
      {
        std::lock_guard lock(p->mu);
        ++p->status.frames_in;
        p->status.bytes_in += in.payload.size();
      }
      call_handler("on_message", [&] {
        if (handlers.on_message) handlers.on_message(p->spec.index, in.channel, std::move(in.payload));
      });
    }
    s->close();
    if (p->session == s) {
      detach(*p);
      if (!stopping) base::log::info("net: peer {} ({}) disconnected", p->spec.index, p->spec.name);
      call_handler("on_peer_down", [&] {
        if (handlers.on_peer_down) handlers.on_peer_down(p->spec.index);
      });
    }
    co_return true;
  }

  asio::awaitable<SysError> connect(PeerState& p, Session& s) {
    SysError ec;
    const auto address = asio::ip::make_address(p.spec.host, ec);
    if (!ec) {
      co_await s.stream.lowest_layer().async_connect(tcp::endpoint(address, p.spec.port),
                                                     asio::redirect_error(asio::use_awaitable, ec));
      co_return ec;
    }
    ec = {};
    auto results = co_await p.resolver->async_resolve(p.spec.host, std::to_string(p.spec.port),
                                                      asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return ec;
    if (s.closed) co_return asio::error::operation_aborted;
    co_await asio::async_connect(s.stream.lowest_layer(), results,
                                 asio::redirect_error(asio::use_awaitable, ec));
    co_return ec;
  }

  milliseconds backoff(const PeerState& p) const {
    std::uint64_t base = opt.backoff_min_ms;
    for (std::uint32_t i = 0; i < p.failures && base < opt.backoff_max_ms; ++i) base *= 2;
    base = std::min<std::uint64_t>(base, opt.backoff_max_ms);
    // Deterministic jitter per (me, peer, attempt): in [0.75, 1.25] x base, capped at the max.
    const std::uint64_t h =
        splitmix64((std::uint64_t{opt.my_index} << 32) ^ p.spec.index ^ (std::uint64_t{p.failures} << 48));
    const std::uint64_t delay = base * 3 / 4 + h % (base / 2 + 1);
    return milliseconds(std::min<std::uint64_t>(delay, opt.backoff_max_ms));
  }

  asio::awaitable<void> dial_loop(PeerState& p) {
    while (!stopping) {
      SysError ec;
      const auto now = Clock::now();
      if (p.banned_until > now) {
        p.dial_timer->expires_at(p.banned_until);
        co_await p.dial_timer->async_wait(asio::redirect_error(asio::use_awaitable, ec));
        continue;
      }
      bool established = false;
      {
        auto s = new_session(tcp::socket(*ioc));
        LiveGuard guard{this, s->id};
        arm_deadline(s);
        ec = co_await connect(p, *s);
        if (stopping) break;
        if (ec || s->closed) {
          base::log::debug("net: dialing peer {} at {}:{} failed: {}", p.spec.index, p.spec.host, p.spec.port,
                           s->closed ? std::string("timed out") : ec.message());
          s->close();
        } else {
          established = co_await run_connection(s, &p);
        }
      }
      if (stopping) break;
      if (!established) ++p.failures;
      const auto delay = established ? milliseconds(opt.backoff_min_ms) : backoff(p);
      p.dial_timer->expires_after(delay);
      co_await p.dial_timer->async_wait(asio::redirect_error(asio::use_awaitable, ec));
    }
  }

  asio::awaitable<void> serve_inbound(std::shared_ptr<Session> s) {
    LiveGuard guard{this, s->id};
    arm_deadline(s);
    co_await run_connection(s, nullptr);
  }

  asio::awaitable<void> accept_loop() {
    asio::steady_timer pause(*ioc);
    while (!stopping) {
      tcp::socket socket(*ioc);
      SysError ec;
      co_await acceptor->async_accept(socket, asio::redirect_error(asio::use_awaitable, ec));
      if (stopping) break;
      if (ec) {
        if (ec == asio::error::operation_aborted || !acceptor->is_open()) break;
        base::log::warn("net: accept failed: {}", ec.message());
        pause.expires_after(milliseconds(50));  // e.g. out of file descriptors: do not spin
        co_await pause.async_wait(asio::redirect_error(asio::use_awaitable, ec));
        continue;
      }
      asio::co_spawn(*ioc, serve_inbound(new_session(std::move(socket))),
                     spawn_handler("inbound connection"));
    }
  }

  Status start_io();  // the body of Transport::start (may throw: out of memory, descriptors)

  void begin_stop() {
    stopping = true;
    SysError ec;
    if (acceptor) acceptor->close(ec);
    for (auto& p : peers) {
      if (p->dial_timer) p->dial_timer->cancel();
      if (p->resolver) p->resolver->cancel();
    }
    for (auto& [id, weak] : live) {
      if (auto s = weak.lock()) s->close();
    }
  }
};

Transport::Transport(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Transport::~Transport() { stop(); }

Result<std::unique_ptr<Transport>> Transport::create(TransportOptions options, TransportHandlers handlers) {
  auto impl = std::make_unique<Impl>();
  // Take the key out of the options at once, so that every return path zeroes it.
  std::string key = std::move(options.key_pem);
  secure_zero(options.key_pem.data(), options.key_pem.size());
  struct KeyWiper {
    std::string& k;
    ~KeyWiper() { secure_zero(k.data(), k.size()); }
  } wipe{key};

  TransportOptions& o = options;
  if (o.my_name.empty() || o.my_name.size() > kMaxCertNameBytes) {
    return make_error(ErrorCode::kInvalidArgument,
                      "my_name must be 1.." + std::to_string(kMaxCertNameBytes) + " bytes");
  }
  if (o.network_tag.size() > kMaxNetworkTagBytes) {
    return make_error(ErrorCode::kInvalidArgument,
                      "network_tag over " + std::to_string(kMaxNetworkTagBytes) + " bytes");
  }
  if (o.max_frame_bytes == 0 || o.max_frame_bytes > 0xfffffffeull) {
    return make_error(ErrorCode::kInvalidArgument, "max_frame_bytes must be 1..2^32-2");
  }
  if (o.backoff_min_ms == 0 || o.backoff_min_ms > o.backoff_max_ms) {
    return make_error(ErrorCode::kInvalidArgument, "backoff needs 0 < min <= max");
  }
  if (o.ping_interval_ms == 0 || o.idle_timeout_ms <= o.ping_interval_ms || o.handshake_timeout_ms == 0) {
    return make_error(ErrorCode::kInvalidArgument, "need ping_interval > 0, idle_timeout > ping_interval");
  }
  if (o.penalty_threshold == 0)
    return make_error(ErrorCode::kInvalidArgument, "penalty_threshold must be > 0");

  FORMICA_ASSIGN_OR_RETURN(std::vector<CaRoot> roots, load_ca_roots(o.ca_roots_pem));
  std::vector<X509*> trust;
  for (const CaRoot& r : roots) {
    FORMICA_ASSIGN_OR_RETURN(ssl_util::X509Ptr x, ssl_util::parse_cert(r.cert_pem));
    impl->root_of_org[r.org] = x.get();
    trust.push_back(x.get());
    impl->root_certs.push_back(std::move(x));
  }

  // My own certificate should be what my peers accept (CN = my_name, issued by my
  // organisation's CA in genesis, valid now). When it is not, the node still runs (it can
  // serve reads and its operator can see why) but peers will refuse it: say so loudly.
  FORMICA_ASSIGN_OR_RETURN(CertInfo mine, inspect_certificate(o.cert_pem));
  auto my_root = o.ca_roots_pem.find(mine.organisation);
  if (my_root == o.ca_roots_pem.end()) {
    base::log::warn("net: genesis has no CA root for my organisation \"{}\": peers will refuse this node",
                    mine.organisation);
  } else if (auto v = verify_node_certificate(o.cert_pem, my_root->second, o.my_name, mine.organisation);
             !v) {
    base::log::warn("net: my certificate will be refused by peers: {}", v.error().message);
  }

  for (const PeerSpec& spec : o.peers) {
    if (spec.index == o.my_index) return make_error(ErrorCode::kInvalidArgument, "a peer has my index");
    if (spec.name.empty() || spec.name == o.my_name) {
      return make_error(ErrorCode::kInvalidArgument,
                        "peer " + std::to_string(spec.index) + " has a bad name");
    }
    auto root = impl->root_of_org.find(spec.org);
    if (root == impl->root_of_org.end()) {
      return make_error(ErrorCode::kInvalidArgument, "no CA root for organisation \"" + spec.org + "\"");
    }
    auto p = std::make_unique<PeerState>();
    p->spec = spec;
    X509_up_ref(root->second);
    p->ca_root.reset(root->second);
    p->dial = o.my_index < spec.index;
    p->status.index = spec.index;
    p->status.name = spec.name;
    if (!impl->by_index.emplace(spec.index, p.get()).second) {
      return make_error(ErrorCode::kInvalidArgument, "peer index " + std::to_string(spec.index) + " twice");
    }
    if (!impl->by_name.emplace(spec.name, p.get()).second) {
      return make_error(ErrorCode::kInvalidArgument, "peer name \"" + spec.name + "\" twice");
    }
    impl->peers.push_back(std::move(p));
  }

  FORMICA_ASSIGN_OR_RETURN(impl->tls, make_tls_context(o.cert_pem, key, trust));
  impl->opt = std::move(options);
  impl->handlers = std::move(handlers);
  return std::unique_ptr<Transport>(new Transport(std::move(impl)));
}

Status Transport::start() {
  Impl& m = *impl_;
  {
    std::lock_guard lock(m.life_mu);
    if (m.started) return make_error(ErrorCode::kFailedPrecondition, "transport already started");
    m.started = true;
  }
  try {
    return m.start_io();
  } catch (const std::exception& e) {
    // Nothing runs yet (the thread is created last): undo and report.
    {
      std::lock_guard lock(m.life_mu);
      m.alive = false;
      m.started = false;
    }
    for (auto& p : m.peers) {
      p->dial_timer.reset();
      p->resolver.reset();
    }
    m.acceptor.reset();
    m.ioc.reset();
    return make_error(ErrorCode::kInternal, std::string("net: start: ") + e.what());
  }
}

Status Transport::Impl::start_io() {
  Impl& m = *this;
  m.ioc = std::make_unique<asio::io_context>(1);
  SysError ec;
  const auto address = asio::ip::make_address(m.opt.listen_address, ec);
  if (ec) {
    m.ioc.reset();
    std::lock_guard lock(m.life_mu);
    m.started = false;
    return make_error(ErrorCode::kInvalidArgument, "listen_address: " + ec.message());
  }
  auto listener = std::make_unique<tcp::acceptor>(*m.ioc);
  const tcp::endpoint endpoint(address, m.opt.listen_port);
  listener->open(endpoint.protocol(), ec);
  if (!ec) listener->set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) listener->bind(endpoint, ec);
  if (!ec) listener->listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    listener.reset();
    m.ioc.reset();
    {
      std::lock_guard lock(m.life_mu);
      m.started = false;
    }
    return make_error(ErrorCode::kIo, "listen on " + m.opt.listen_address + ":" +
                                          std::to_string(m.opt.listen_port) + ": " + ec.message());
  }
  m.bound_port = listener->local_endpoint().port();
  m.acceptor = std::move(listener);
  for (auto& p : m.peers) {
    p->dial_timer = std::make_unique<asio::steady_timer>(*m.ioc);
    p->resolver = std::make_unique<tcp::resolver>(*m.ioc);
  }
  asio::co_spawn(*m.ioc, m.accept_loop(), m.spawn_handler("accept loop"));
  for (auto& p : m.peers) {
    if (p->dial) asio::co_spawn(*m.ioc, m.dial_loop(*p), m.spawn_handler("dialer"));
  }
  {
    std::lock_guard lock(m.life_mu);
    m.alive = true;
  }
  m.thread = std::thread([&m] {
    for (;;) {
      try {
        m.ioc->run();
        break;
      } catch (const std::exception& e) {
        base::log::error("net: I/O thread: {}", e.what());
      } catch (...) {
        base::log::error("net: I/O thread: unknown exception");
      }
    }
    m.run_done.set_value();
  });
  base::log::info("net: validator {} ({}) listening on {}:{}", m.opt.my_index, m.opt.my_name,
                  m.opt.listen_address, m.bound_port.load());
  return ok_status();
}

void Transport::stop() {
  Impl& m = *impl_;
  {
    std::lock_guard lock(m.life_mu);
    if (!m.started || m.stopped) return;
    m.stopped = true;
    m.alive = false;  // from here on no foreign thread posts into the context
    m.stop_requested.store(true, std::memory_order_release);
    asio::post(*m.ioc, [&m] { m.begin_stop(); });
  }
  auto done = m.run_done.get_future();
  if (done.wait_for(kStopGrace) != std::future_status::ready) {
    base::log::warn("net: transport did not wind down in time; stopping the I/O context");
    m.ioc->stop();
  }
  m.thread.join();
  // The thread is gone: destroy the I/O objects, then the context (and with it any coroutine
  // frame still suspended), while the rest of the Impl is alive.
  m.live.clear();
  for (auto& p : m.peers) {
    p->session.reset();
    p->dial_timer.reset();
    p->resolver.reset();
  }
  m.acceptor.reset();
  m.ioc.reset();
  for (auto& p : m.peers) {
    std::lock_guard lock(p->mu);
    p->connected = false;
    p->status.connected = false;
    p->queue.clear();
    p->queued_bytes = 0;
  }
}

void Transport::send(std::uint32_t peer, std::uint8_t channel, Bytes payload) {
  Impl& m = *impl_;
  auto it = m.by_index.find(peer);
  if (it == m.by_index.end()) return;
  PeerState& p = *it->second;
  bool need_wake = false;
  {
    std::lock_guard lock(p.mu);
    if (channel == kControlChannel || !p.connected || payload.size() > m.opt.max_frame_bytes ||
        p.queued_bytes + payload.size() > m.opt.max_queue_bytes) {
      ++p.status.dropped_frames;
      return;
    }
    p.queued_bytes += payload.size();
    p.queue.push_back(OutFrame{wire::frame_header(channel, payload.size()), std::move(payload), false});
    if (!p.wake_pending) need_wake = p.wake_pending = true;
  }
  if (need_wake) m.post_from_any([&m, &p] { m.wake(p); });
}

void Transport::broadcast(std::uint8_t channel, Bytes payload) {
  const auto& all = impl_->peers;
  for (std::size_t i = 0; i < all.size(); ++i) {
    if (i + 1 == all.size()) {
      send(all[i]->spec.index, channel, std::move(payload));
    } else {
      send(all[i]->spec.index, channel, payload);
    }
  }
}

void Transport::penalise(std::uint32_t peer, PenaltyReason reason, std::string detail) {
  Impl& m = *impl_;
  auto it = m.by_index.find(peer);
  if (it == m.by_index.end()) return;
  PeerState* p = it->second;
  m.post_from_any([&m, p, reason, d = std::move(detail)] { m.apply_penalty(*p, reason, d, nullptr); });
}

std::vector<PeerStatus> Transport::peers() const {
  std::vector<PeerStatus> out;
  const std::int64_t now = unix_ms_now();
  for (const auto& p : impl_->peers) {
    std::lock_guard lock(p->mu);
    PeerStatus s = p->status;
    s.queued_bytes = p->queued_bytes;
    s.banned = s.banned_until_ms > now;
    out.push_back(std::move(s));
  }
  return out;
}

std::uint16_t Transport::port() const { return impl_->bound_port.load(); }

}  // namespace formica::net
