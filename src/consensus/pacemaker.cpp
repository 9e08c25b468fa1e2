#include "formica/consensus/pacemaker.h"

#include <algorithm>

namespace formica::consensus {

Pacemaker::Pacemaker(std::uint64_t base_timeout_ms, std::uint64_t max_timeout_ms)
    : base_(std::max<std::uint64_t>(1, base_timeout_ms)), max_(std::max(base_, max_timeout_ms)) {}

bool Pacemaker::advance(Round r, bool by_qc) {
  if (r <= round_) {
    if (by_qc) consecutive_timeouts_ = 0;
    return false;
  }
  round_ = r;
  if (by_qc) consecutive_timeouts_ = 0;
  deadline_.reset();
  return true;
}

std::uint64_t Pacemaker::current_timeout_ms() const {
  std::uint64_t t = base_;
  for (std::uint32_t i = 0; i < consecutive_timeouts_ && t < max_; ++i) t *= 2;
  return std::min(t, max_);
}

void Pacemaker::on_local_timeout(std::uint64_t now_ms) {
  if (consecutive_timeouts_ < 64) ++consecutive_timeouts_;
  deadline_ = now_ms + current_timeout_ms();
}

void Pacemaker::arm(std::uint64_t now_ms) {
  if (!deadline_) deadline_ = now_ms + current_timeout_ms();
}

}  // namespace formica::consensus
