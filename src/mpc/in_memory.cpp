// The in-memory transport: both parties in one thread, frames passed as byte strings. This is
// what the city simulator uses; it is deterministic when both sessions use seeded Prgs.

#include <deque>

#include "formica/mpc/matching.h"

namespace formica::mpc {

Result<std::vector<std::uint8_t>> run_in_memory(PhoneSession& phone, SensorSession& sensor,
                                                Transcript* transcript, const FrameTamper& tamper) {
  std::deque<Bytes> to_sensor, to_phone;
  std::size_t index = 0;
  auto post = [&](bool from_phone, Bytes frame) {
    if (tamper) tamper(from_phone, index, frame);
    ++index;
    if (transcript != nullptr) transcript->entries.push_back({from_phone, frame});
    (from_phone ? to_sensor : to_phone).push_back(std::move(frame));
  };
  FORMICA_ASSIGN_OR_RETURN(Bytes hello, phone.start());
  post(true, std::move(hello));
  bool sensor_done = false, phone_done = false;
  while (!phone_done) {
    if (!to_sensor.empty()) {
      if (sensor_done)
        return make_error(ErrorCode::kMalformed, "sensor: message after the end of the session");
      Bytes frame = std::move(to_sensor.front());
      to_sensor.pop_front();
      FORMICA_ASSIGN_OR_RETURN(Step step, sensor.on_message(frame));
      for (auto& f : step.out) post(false, std::move(f));
      sensor_done = step.done;
    } else if (!to_phone.empty()) {
      Bytes frame = std::move(to_phone.front());
      to_phone.pop_front();
      FORMICA_ASSIGN_OR_RETURN(Step step, phone.on_message(frame));
      for (auto& f : step.out) post(true, std::move(f));
      phone_done = step.done;
    } else {
      return make_error(ErrorCode::kMalformed, "session stalled: no party has anything to say");
    }
  }
  if (!to_phone.empty())
    return make_error(ErrorCode::kMalformed, "phone: message after the end of the session");
  if (!to_sensor.empty()) {
    return make_error(ErrorCode::kMalformed, "phone sent a message after the end of the session");
  }
  return phone.matches();
}

Result<std::vector<std::uint8_t>> run_in_memory(PhoneSession& phone, SensorSession& sensor,
                                                Transcript* transcript) {
  return run_in_memory(phone, sensor, transcript, FrameTamper{});
}

}  // namespace formica::mpc
