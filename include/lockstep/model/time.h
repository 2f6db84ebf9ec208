// Times are int64 seconds since the Unix epoch, UTC. kNoTime marks a missing time.
#ifndef LOCKSTEP_MODEL_TIME_H_
#define LOCKSTEP_MODEL_TIME_H_

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

namespace lockstep {

inline constexpr int64_t kNoTime = std::numeric_limits<int64_t>::min();

// a / b rounded towards minus infinity (b > 0): the hour, day or bin a time
// falls in, also for times before the epoch.
constexpr int64_t FloorDiv(int64_t a, int64_t b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
constexpr int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

// Parses every form of docs/format.md: "2017-03-14T08:15:00Z",
// "2017-03-14 08:15:00", "2017-03-14T09:15:00+01:00", "2017-03-14" (midnight
// UTC), fractional seconds (dropped), "+0100" offsets, "HH:MM" without seconds,
// and Unix epoch seconds ("1489479300", optionally with a fraction). A time
// with no offset is UTC. Returns false, leaving *out untouched, on anything else.
bool ParseTime(std::string_view text, int64_t* out);

// The times lockstep accepts from input: from 2000-01-01T00:00:00Z (before
// any of the platforms it reads existed) to one year after the current
// clock (366 days, for clocks that run ahead and scheduled posts). Readers
// refuse a time outside it as an InputError, and a snapshot whose times fall
// outside it is refused as corrupt, so no later stage sees a time span
// longer than about 27 years: signals may size arrays by a span of times.
inline constexpr int64_t kEarliestInputTime = 946684800;  // 2000-01-01T00:00:00Z
int64_t LatestInputTime();                                // now + 366 days, seconds
// Whether `seconds` lies in [kEarliestInputTime, LatestInputTime()].
bool InInputTimeWindow(int64_t seconds);

// "2017-03-14T08:15:00Z". kNoTime gives "".
std::string FormatTime(int64_t seconds);

// Civil date parts of a UTC time.
struct CivilTime {
  int64_t year;
  unsigned month, day, hour, minute, second;
  unsigned weekday;  // 0 = Monday ... 6 = Sunday
};
CivilTime ToCivil(int64_t seconds);

}  // namespace lockstep

#endif  // LOCKSTEP_MODEL_TIME_H_
