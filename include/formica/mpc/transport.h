#pragma once
// Streams of matching-protocol frames, and the loops that drive a session over one.
// TCP here is loopback only (127.0.0.1), for the benchmark and tests; the city simulator uses
// run_in_memory (matching.h). Reads are bounded (kMaxFrameBytes per frame) and every socket
// operation has a timeout, so a silent or hostile peer ends the session with an error, never a
// hang. Plain POSIX sockets: blocking I/O with timeouts is all this needs.
//
// Thread-safety: one thread per stream.

#include <chrono>
#include <cstdint>

#include "formica/base/bytes.h"
#include "formica/base/status.h"
#include "formica/mpc/matching.h"

namespace formica::mpc {

class FrameStream {
 public:
  virtual ~FrameStream() = default;
  virtual Status send(ByteView frame) = 0;
  // One whole frame (header included). kIo when the peer closed, kUnavailable on timeout,
  // kTooLarge/kMalformed on a bad header.
  virtual Result<Bytes> receive() = 0;
};

class TcpStream final : public FrameStream {
 public:
  TcpStream(int fd, std::chrono::milliseconds timeout);
  TcpStream(TcpStream&& other) noexcept;
  TcpStream& operator=(TcpStream&&) = delete;
  TcpStream(const TcpStream&) = delete;
  ~TcpStream() override;

  Status send(ByteView frame) override;
  Result<Bytes> receive() override;
  // Raw bytes written, for the benchmark (tests may also write garbage through it).
  Status send_raw(ByteView bytes);
  std::uint64_t bytes_sent() const { return sent_; }
  std::uint64_t bytes_received() const { return received_; }
  void close();

 private:
  Status read_exact(std::uint8_t* out, std::size_t n);
  int fd_;
  std::uint64_t sent_ = 0;
  std::uint64_t received_ = 0;
};

class TcpListener {
 public:
  // Listens on 127.0.0.1 at an ephemeral port.
  static Result<TcpListener> bind_loopback();
  TcpListener(TcpListener&& other) noexcept;
  TcpListener& operator=(TcpListener&&) = delete;
  ~TcpListener();
  std::uint16_t port() const { return port_; }
  Result<TcpStream> accept(std::chrono::milliseconds timeout);

 private:
  TcpListener(int fd, std::uint16_t port) : fd_(fd), port_(port) {}
  int fd_;
  std::uint16_t port_;
};

Result<TcpStream> connect_loopback(std::uint16_t port, std::chrono::milliseconds timeout);

// Drive a session to its end over a stream. On any error the caller should drop the stream
// (closing it tells the peer).
Status run_phone(PhoneSession& phone, FrameStream& stream);
Status run_sensor(SensorSession& sensor, FrameStream& stream);

}  // namespace formica::mpc
