#pragma once
// An injectable clock. Nothing that decides state reads a clock; time-driven components
// (pacemaker, mempool expiry by time, timeouts) take a Clock& so tests and the simulator
// drive them with a ManualClock.

#include <atomic>
#include <cstdint>

namespace formica::base {

class Clock {
 public:
  virtual ~Clock() = default;
  // Milliseconds on a monotonic clock; only differences are meaningful.
  virtual std::int64_t monotonic_ms() const = 0;
  // Milliseconds since the Unix epoch (for display and logs, never for consensus).
  virtual std::int64_t wall_ms() const = 0;
};

class SystemClock final : public Clock {
 public:
  std::int64_t monotonic_ms() const override;
  std::int64_t wall_ms() const override;
  static SystemClock& instance();
};

// Time moves only when a test says so. Thread-safe.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(std::int64_t start_ms = 0) : now_(start_ms) {}
  std::int64_t monotonic_ms() const override { return now_.load(); }
  std::int64_t wall_ms() const override { return now_.load(); }
  void advance_ms(std::int64_t delta) { now_.fetch_add(delta); }
  void set_ms(std::int64_t t) { now_.store(t); }

 private:
  std::atomic<std::int64_t> now_;
};

}  // namespace formica::base
