#pragma once
// xsd:dateTime handling for EPCIS: validation of event times and time-zone offsets, and the
// canonical form the CBV 2.0 event hash needs (UTC, millisecond precision, "Z").
// Integer arithmetic only (no locale, no wall clock, no floating point).

#include <optional>
#include <string>
#include <string_view>

namespace formica::gs1 {

struct DateTime {
  long long utc_ms = 0;  // milliseconds since 1970-01-01T00:00:00Z, rounded half-to-even
  bool has_zone = false;
};

// Parses "YYYY-MM-DDTHH:MM:SS[.fraction][Z|±HH:MM]". A missing zone is read as UTC (and
// reported through has_zone). Fractions beyond microseconds are truncated, then rounded to
// milliseconds half-to-even, as the reference event-hash implementation does.
std::optional<DateTime> parse_date_time(std::string_view text);

// "2020-03-04T10:00:30.000Z"
std::string format_utc_ms(long long utc_ms);

// "+01:00", "-06:00", "+00:00": sign, hours 00..14, minutes 00..59 (and 14:00 at most).
bool is_time_zone_offset(std::string_view text);

}  // namespace formica::gs1
