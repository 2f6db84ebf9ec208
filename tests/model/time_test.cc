#include "lockstep/model/time.h"

#include <gtest/gtest.h>

namespace lockstep {
namespace {

int64_t T(std::string_view s) {
  int64_t t = 0;
  EXPECT_TRUE(ParseTime(s, &t)) << "should parse: " << s;
  return t;
}

TEST(ParseTime, AcceptsEveryFormOfTheFormat) {
  const int64_t expected = 1489479300;  // 2017-03-14T08:15:00Z
  EXPECT_EQ(T("2017-03-14T08:15:00Z"), expected) << "ISO 8601 with Z";
  EXPECT_EQ(T("2017-03-14 08:15:00"), expected) << "no offset means UTC";
  EXPECT_EQ(T("2017-03-14T09:15:00+01:00"), expected) << "offset with colon";
  EXPECT_EQ(T("2017-03-14T09:15:00+0100"), expected) << "offset without colon";
  EXPECT_EQ(T("2017-03-14T03:45:00-04:30"), expected) << "negative half-hour offset";
  EXPECT_EQ(T("2017-03-14T08:15:00.123Z"), expected) << "fractional seconds are dropped";
  EXPECT_EQ(T("2017-03-14 08:15"), expected) << "Twitter archive form without seconds";
  EXPECT_EQ(T("1489479300"), expected) << "epoch seconds";
  EXPECT_EQ(T("1489479300.75"), expected) << "epoch seconds with a fraction";
  EXPECT_EQ(T("2017-03-14"), expected - 8 * 3600 - 15 * 60) << "a date alone is midnight UTC";
  EXPECT_EQ(T("1969-12-31T23:59:59Z"), -1) << "before the epoch";
}

TEST(ParseTime, RefusesWhatIsNotATime) {
  int64_t t = 42;
  for (std::string_view bad : {"", "yesterday", "2017-13-01", "2017-02-30", "2017-03-14T25:00:00", "2017-03-14T08:15:00X",
                               "2017/03/14", "12:00", "2017-03-14T08:15:00+25:00", "1489479300abc"}) {
    EXPECT_FALSE(ParseTime(bad, &t)) << "should refuse: '" << bad << "'";
    EXPECT_EQ(t, 42) << "a refused time leaves the output untouched";
  }
}

TEST(ParseTime, LeapDayAndFormatRoundTrip) {
  EXPECT_EQ(FormatTime(T("2020-02-29T12:00:00Z")), "2020-02-29T12:00:00Z") << "2020 is a leap year";
  int64_t t;
  EXPECT_FALSE(ParseTime("2019-02-29", &t)) << "2019 is not";
  for (int64_t s : {0LL, 86399LL, 951782400LL, 4102444800LL, -86400LL}) EXPECT_EQ(T(FormatTime(s)), s) << s;
}

TEST(ToCivil, WeekdayIsMondayBased) {
  EXPECT_EQ(ToCivil(T("2017-03-13T00:00:00Z")).weekday, 0u) << "2017-03-13 was a Monday";
  EXPECT_EQ(ToCivil(T("2017-03-19T23:00:00Z")).weekday, 6u) << "2017-03-19 was a Sunday";
  EXPECT_EQ(ToCivil(T("2017-03-14T08:15:00Z")).hour, 8u);
}

TEST(FloorDiv, RoundsTowardsMinusInfinityForTimesBeforeTheEpoch) {
  // The hour of a time: plain division would put -1 s in hour 0.
  EXPECT_EQ(FloorDiv(0, 3600), 0);
  EXPECT_EQ(FloorDiv(3599, 3600), 0);
  EXPECT_EQ(FloorDiv(3600, 3600), 1);
  EXPECT_EQ(FloorDiv(-1, 3600), -1);
  EXPECT_EQ(FloorDiv(-3600, 3600), -1);
  EXPECT_EQ(FloorDiv(-3601, 3600), -2);
  static_assert(FloorDiv(-86401, 86400) == -2);
}

}  // namespace
}  // namespace lockstep
