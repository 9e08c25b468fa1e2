#include "formica/mpc/transport.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "formica/mpc/messages.h"

namespace formica::mpc {
namespace {

Error io_error(const std::string& what) {
  return make_error(ErrorCode::kIo, what + ": " + std::strerror(errno));
}

void set_timeouts(int fd, std::chrono::milliseconds timeout) {
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(timeout.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((timeout.count() % 1000) * 1000);
  (void)setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  (void)setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
  int one = 1;
  (void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

sockaddr_in loopback(std::uint16_t port) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return addr;
}

}  // namespace

TcpStream::TcpStream(int fd, std::chrono::milliseconds timeout) : fd_(fd) { set_timeouts(fd_, timeout); }
TcpStream::TcpStream(TcpStream&& other) noexcept
    : fd_(other.fd_), sent_(other.sent_), received_(other.received_) {
  other.fd_ = -1;
}
TcpStream::~TcpStream() { close(); }

void TcpStream::close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

Status TcpStream::send_raw(ByteView bytes) {
  if (fd_ < 0) return make_error(ErrorCode::kIo, "stream closed");
  std::size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::send(fd_, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK)
        return make_error(ErrorCode::kUnavailable, "send timed out");
      return io_error("send");
    }
    done += static_cast<std::size_t>(n);
  }
  sent_ += bytes.size();
  return ok_status();
}

Status TcpStream::send(ByteView frame) { return send_raw(frame); }

Status TcpStream::read_exact(std::uint8_t* out, std::size_t n) {
  if (fd_ < 0) return make_error(ErrorCode::kIo, "stream closed");
  std::size_t done = 0;
  while (done < n) {
    ssize_t r = ::recv(fd_, out + done, n - done, 0);
    if (r == 0) return make_error(ErrorCode::kIo, "peer closed the connection");
    if (r < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK)
        return make_error(ErrorCode::kUnavailable, "receive timed out");
      return io_error("receive");
    }
    done += static_cast<std::size_t>(r);
  }
  received_ += n;
  return ok_status();
}

Result<Bytes> TcpStream::receive() {
  Bytes frame(kFrameHeaderBytes);
  FORMICA_TRY(read_exact(frame.data(), kFrameHeaderBytes));
  FORMICA_ASSIGN_OR_RETURN(std::size_t n, frame_body_length(frame));
  frame.resize(kFrameHeaderBytes + n);
  FORMICA_TRY(read_exact(frame.data() + kFrameHeaderBytes, n));
  return frame;
}

Result<TcpListener> TcpListener::bind_loopback() {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return io_error("socket");
  sockaddr_in addr = loopback(0);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 || ::listen(fd, 4) != 0) {
    Error e = io_error("bind 127.0.0.1");
    ::close(fd);
    return e;
  }
  socklen_t len = sizeof(addr);
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    Error e = io_error("getsockname");
    ::close(fd);
    return e;
  }
  return TcpListener(fd, ntohs(addr.sin_port));
}

TcpListener::TcpListener(TcpListener&& other) noexcept : fd_(other.fd_), port_(other.port_) {
  other.fd_ = -1;
}
TcpListener::~TcpListener() {
  if (fd_ >= 0) ::close(fd_);
}

Result<TcpStream> TcpListener::accept(std::chrono::milliseconds timeout) {
  pollfd p{fd_, POLLIN, 0};
  int r = ::poll(&p, 1, static_cast<int>(timeout.count()));
  if (r == 0) return make_error(ErrorCode::kUnavailable, "no connection within the timeout");
  if (r < 0) return io_error("poll");
  int fd = ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
  if (fd < 0) return io_error("accept");
  return TcpStream(fd, timeout);
}

Result<TcpStream> connect_loopback(std::uint16_t port, std::chrono::milliseconds timeout) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return io_error("socket");
  TcpStream stream(fd, timeout);  // owns fd from here; timeouts apply to connect too
  sockaddr_in addr = loopback(port);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    return make_error(ErrorCode::kUnavailable, std::string("connect 127.0.0.1: ") + std::strerror(errno));
  }
  return stream;
}

Status run_phone(PhoneSession& phone, FrameStream& stream) {
  FORMICA_ASSIGN_OR_RETURN(Bytes hello, phone.start());
  FORMICA_TRY(stream.send(hello));
  while (!phone.done()) {
    FORMICA_ASSIGN_OR_RETURN(Bytes frame, stream.receive());
    FORMICA_ASSIGN_OR_RETURN(Step step, phone.on_message(frame));
    for (const auto& f : step.out) FORMICA_TRY(stream.send(f));
  }
  return ok_status();
}

Status run_sensor(SensorSession& sensor, FrameStream& stream) {
  while (!sensor.done()) {
    FORMICA_ASSIGN_OR_RETURN(Bytes frame, stream.receive());
    FORMICA_ASSIGN_OR_RETURN(Step step, sensor.on_message(frame));
    for (const auto& f : step.out) FORMICA_TRY(stream.send(f));
  }
  return ok_status();
}

}  // namespace formica::mpc
