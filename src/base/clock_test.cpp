#include "formica/base/clock.h"

#include <gtest/gtest.h>

namespace formica::base {
namespace {

TEST(Clock, ManualClockMovesOnlyWhenTold) {
  ManualClock c(100);
  EXPECT_EQ(c.monotonic_ms(), 100);
  c.advance_ms(50);
  EXPECT_EQ(c.monotonic_ms(), 150);
  c.set_ms(7);
  EXPECT_EQ(c.wall_ms(), 7);
}

TEST(Clock, SystemClockIsMonotonic) {
  auto& c = SystemClock::instance();
  auto a = c.monotonic_ms();
  auto b = c.monotonic_ms();
  EXPECT_LE(a, b);
  EXPECT_GT(c.wall_ms(), 1'600'000'000'000);
}

}  // namespace
}  // namespace formica::base
