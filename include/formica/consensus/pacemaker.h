#pragma once
// Round timing, pure: the caller passes now_ms. The pacemaker knows the current round and
// one deadline. The timeout of a round is base_timeout_ms doubled for every consecutive
// timed-out round (capped at max_timeout_ms); a round entered through a QC (progress)
// resets the back-off. The deadline is armed only when the Core says there is work (idle rule),
// so an idle network schedules nothing.

#include <cstdint>
#include <optional>

#include "formica/consensus/types.h"

namespace formica::consensus {

class Pacemaker {
 public:
  Pacemaker(std::uint64_t base_timeout_ms, std::uint64_t max_timeout_ms);

  Round round() const { return round_; }
  // Moves to `r` if r > round(). by_qc: the round was entered through a QC (resets back-off);
  // otherwise through a TC (keeps back-off). Returns whether the round changed. A change
  // disarms the deadline (the Core re-arms it when there is work).
  bool advance(Round r, bool by_qc);
  // The local timer of the current round fired: counts a consecutive timeout and re-arms.
  void on_local_timeout(std::uint64_t now_ms);

  // The duration of the current round's timer.
  std::uint64_t current_timeout_ms() const;
  // Arms the deadline for the current round if not armed yet (idempotent).
  void arm(std::uint64_t now_ms);
  void disarm() { deadline_.reset(); }
  std::optional<std::uint64_t> deadline() const { return deadline_; }
  bool expired(std::uint64_t now_ms) const { return deadline_ && now_ms >= *deadline_; }
  std::uint32_t consecutive_timeouts() const { return consecutive_timeouts_; }

 private:
  std::uint64_t base_;
  std::uint64_t max_;
  Round round_ = 0;
  std::uint32_t consecutive_timeouts_ = 0;
  std::optional<std::uint64_t> deadline_;
};

}  // namespace formica::consensus
