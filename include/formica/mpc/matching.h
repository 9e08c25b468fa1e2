#pragma once
// Private matching of one face template (the phone's) against N observations (a sensor's):
// the phone learns, for each observation, the single bit  <template, observation> >= threshold
// and nothing else; the sensor learns nothing. Protocol, threat model and exact leakage:
// docs/private-matching.md. In short, after a nonce exchange that fixes the session transform
// and 128 base OTs:
//   1. Inner products as additive shares mod 2^32 (Gilboa's OT multiplication with the phone's
//      template bits as fixed OT choices, expanded per observation by a PRG).
//   2. The sign of each shared value by a garbled comparator (garble.h): the sensor garbles, the
//      phone evaluates and alone decodes the bit.
//
// Both parties are pure state machines: bytes in, frames out, no socket, thread or clock, so the
// same code runs over loopback TCP (transport.h) and in memory inside the city simulator. A
// session that receives a malformed or unexpected frame fails with a typed error and stays
// failed; it never aborts the process.
//
// Thread-safety: one thread at a time per session object.

#include <functional>
#include <memory>
#include <vector>

#include "formica/base/bytes.h"
#include "formica/base/status.h"
#include "formica/mpc/embedding.h"
#include "formica/mpc/random.h"

namespace formica::mpc {

struct MatchParams {
  std::int32_t threshold = threshold_from_cosine_milli(kDefaultThresholdMilli);  // public
  std::uint32_t batch_size = 256;  // observations per round trip (sensor's choice, <= 1024)
  // Threads each side may use for its own work (1 keeps everything on the calling thread).
  unsigned threads = 1;
};

// What a step produced: frames to send to the peer, in order, and whether the session is over.
struct Step {
  std::vector<Bytes> out;
  bool done = false;
};

class PhoneSession {
 public:
  // The template must validate(); threshold must match the sensor's. Randomness from `prg`.
  static Result<PhoneSession> create(const Embedding& owner_template, const MatchParams& params, Prg prg);
  PhoneSession(PhoneSession&&) noexcept;
  PhoneSession& operator=(PhoneSession&&) noexcept;
  ~PhoneSession();

  // The first frame (Hello). Call once.
  Result<Bytes> start();
  Result<Step> on_message(ByteView frame);
  bool done() const;
  // One entry per observation, 1 = the observation is the owner. Complete once done().
  const std::vector<std::uint8_t>& matches() const;

  struct Impl;

 private:
  explicit PhoneSession(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

class SensorSession {
 public:
  // 1 <= observations.size() <= kMaxObservations, each validate()s.
  static Result<SensorSession> create(std::vector<Embedding> observations, const MatchParams& params,
                                      Prg prg);
  SensorSession(SensorSession&&) noexcept;
  SensorSession& operator=(SensorSession&&) noexcept;
  ~SensorSession();

  Result<Step> on_message(ByteView frame);
  bool done() const;

  struct Impl;

 private:
  explicit SensorSession(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Every frame of a session, in the order sent.
struct Transcript {
  struct Entry {
    bool from_phone;
    Bytes frame;
  };
  std::vector<Entry> entries;
};

// Runs both parties in this thread, passing frames in memory (the simulator's transport).
// Returns the phone's match bits, or the first party's error. `transcript` may be null.
Result<std::vector<std::uint8_t>> run_in_memory(PhoneSession& phone, SensorSession& sensor,
                                                Transcript* transcript = nullptr);

// For tests and fuzzers: every frame in flight passes through `tamper` (which may change it)
// before the peer sees it; `index` counts frames in sending order.
using FrameTamper = std::function<void(bool from_phone, std::size_t index, Bytes& frame)>;
Result<std::vector<std::uint8_t>> run_in_memory(PhoneSession& phone, SensorSession& sensor,
                                                Transcript* transcript, const FrameTamper& tamper);

}  // namespace formica::mpc
