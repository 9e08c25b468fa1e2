#include "timestamp.h"

#include <gtest/gtest.h>

namespace formica::gs1 {
namespace {

std::string canon(const char* text) {
  auto t = parse_date_time(text);
  return t ? format_utc_ms(t->utc_ms) : "invalid";
}

TEST(Timestamp, CanonicalUtcMilliseconds) {
  EXPECT_EQ(canon("2020-03-04T11:00:30.000+01:00"), "2020-03-04T10:00:30.000Z");
  EXPECT_EQ(canon("2022-02-15T01:33:31.116000-06:00"), "2022-02-15T07:33:31.116Z");
  EXPECT_EQ(canon("2019-10-21T14:45:00Z"), "2019-10-21T14:45:00.000Z");
  EXPECT_EQ(canon("2023-02-02T11:04:03.1415Z"), "2023-02-02T11:04:03.142Z");  // rounds up
  EXPECT_EQ(canon("2023-02-02T11:04:03.1414Z"), "2023-02-02T11:04:03.141Z");
  EXPECT_EQ(canon("2023-02-02T11:04:03.1425Z"), "2023-02-02T11:04:03.142Z");  // half to even
  EXPECT_EQ(canon("2020-12-31T23:59:59.9996Z"), "2021-01-01T00:00:00.000Z");  // carries
  EXPECT_EQ(canon("2024-02-29T00:30:00+01:00"), "2024-02-28T23:30:00.000Z");
  EXPECT_EQ(canon("2024-01-01T00:00:00.1234567891Z"), "2024-01-01T00:00:00.123Z");
}

TEST(Timestamp, RejectsBadDatesAndZones) {
  for (const char* bad :
       {"2023-02-29T00:00:00Z", "2023-13-01T00:00:00Z", "2023-01-01 00:00:00Z", "2023-01-01T24:00:00Z",
        "2023-01-01T00:00:00.Z", "2023-01-01T00:00:00+1:00", "2023-01-01T00:00:00+15:00", "yesterday"})
    EXPECT_FALSE(parse_date_time(bad).has_value()) << bad;
  auto local = parse_date_time("2023-01-01T00:00:00");
  ASSERT_TRUE(local.has_value());
  EXPECT_FALSE(local->has_zone);
  EXPECT_TRUE(is_time_zone_offset("+14:00"));
  EXPECT_TRUE(is_time_zone_offset("-06:00"));
  EXPECT_FALSE(is_time_zone_offset("+14:30"));
  EXPECT_FALSE(is_time_zone_offset("+01:60"));
  EXPECT_FALSE(is_time_zone_offset("01:00"));
}

}  // namespace
}  // namespace formica::gs1
