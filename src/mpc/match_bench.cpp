#include "formica/mpc/match_bench.h"

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>

#include "formica/mpc/messages.h"
#include "formica/mpc/transport.h"

namespace formica::mpc {
namespace {

using namespace std::chrono_literals;

double cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

// What the sensor child reports back through a pipe.
struct ChildReport {
  std::int32_t ok = 0;
  std::int32_t code = 0;
  double cpu_s = 0;
  std::uint64_t bytes_sent = 0;
};

bool write_all(int fd, const void* data, std::size_t n) {
  const auto* p = static_cast<const std::uint8_t*>(data);
  while (n > 0) {
    ssize_t w = ::write(fd, p, n);
    if (w <= 0) return false;
    p += w;
    n -= static_cast<std::size_t>(w);
  }
  return true;
}

bool read_all(int fd, void* data, std::size_t n) {
  auto* p = static_cast<std::uint8_t*>(data);
  while (n > 0) {
    ssize_t r = ::read(fd, p, n);
    if (r <= 0) return false;
    p += r;
    n -= static_cast<std::size_t>(r);
  }
  return true;
}

[[noreturn]] void sensor_child(TcpListener& listener, std::vector<Embedding> obs, const MatchParams& params,
                               int report_fd) {
  ChildReport report;
  const double cpu0 = cpu_seconds();
  auto stream = listener.accept(30s);
  if (stream.ok()) {
    auto sensor = SensorSession::create(std::move(obs), params, Prg::from_os());
    if (sensor.ok()) {
      Status st = run_sensor(*sensor, *stream);
      report.ok = st.ok() ? 1 : 0;
      if (!st.ok()) report.code = static_cast<std::int32_t>(st.code());
    } else {
      report.code = static_cast<std::int32_t>(sensor.code());
    }
    report.bytes_sent = stream->bytes_sent();
  } else {
    report.code = static_cast<std::int32_t>(stream.code());
  }
  report.cpu_s = cpu_seconds() - cpu0;
  (void)write_all(report_fd, &report, sizeof(report));
  ::_exit(0);
}

}  // namespace

Result<MatchBenchReport> run_match_bench(std::uint32_t observations, const MatchParams& params,
                                         std::uint64_t seed) {
  if (observations == 0 || observations > kMaxObservations) {
    return make_error(ErrorCode::kInvalidArgument, "observations must be in [1, 1048576]");
  }
  FaceGenerator gen(seed);
  const auto owner = gen.new_identity();
  const Embedding tmpl = gen.enrol(owner);
  std::vector<Embedding> obs;
  obs.reserve(observations);
  MatchBenchReport report;
  report.observations = observations;
  for (std::uint32_t k = 0; k < observations; ++k) {
    const bool genuine = k % 10 == 0;
    obs.push_back(genuine ? gen.observe(owner) : gen.observe(gen.new_identity()));
    report.genuine += genuine;
  }

  FORMICA_ASSIGN_OR_RETURN(TcpListener listener, TcpListener::bind_loopback());
  int pipe_fds[2];
  if (::pipe(pipe_fds) != 0) return make_error(ErrorCode::kIo, std::string("pipe: ") + std::strerror(errno));
  const pid_t child = ::fork();
  if (child < 0) return make_error(ErrorCode::kIo, std::string("fork: ") + std::strerror(errno));
  if (child == 0) {
    ::close(pipe_fds[0]);
    sensor_child(listener, obs, params, pipe_fds[1]);
  }
  ::close(pipe_fds[1]);

  Status phone_status = ok_status();
  std::vector<std::uint8_t> bits;
  {
    auto phone = PhoneSession::create(tmpl, params, Prg::from_os());
    if (!phone.ok()) {
      phone_status = phone.error();
    } else {
      auto stream = connect_loopback(listener.port(), 30s);
      if (!stream.ok()) {
        phone_status = stream.error();
      } else {
        const double cpu0 = cpu_seconds();
        const auto t0 = std::chrono::steady_clock::now();
        phone_status = run_phone(*phone, *stream);
        report.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        report.phone_cpu_s = cpu_seconds() - cpu0;
        report.phone_bytes = stream->bytes_sent();
        bits = phone->matches();
      }
    }
  }
  ChildReport child_report;
  const bool got = read_all(pipe_fds[0], &child_report, sizeof(child_report));
  ::close(pipe_fds[0]);
  int wstatus = 0;
  (void)::waitpid(child, &wstatus, 0);
  FORMICA_TRY(phone_status);
  if (!got || !child_report.ok) {
    return make_error(ErrorCode::kInternal,
                      "sensor process failed (error code " + std::to_string(child_report.code) + ")");
  }
  report.sensor_cpu_s = child_report.cpu_s;
  report.sensor_bytes = child_report.bytes_sent;
  for (std::uint32_t k = 0; k < observations; ++k) {
    report.matches += bits[k];
    report.disagreements += bits[k] != (plaintext_match(tmpl, obs[k], params.threshold) ? 1 : 0);
  }
  return report;
}

}  // namespace formica::mpc
