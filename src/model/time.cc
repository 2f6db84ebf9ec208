#include "lockstep/model/time.h"

#include <charconv>
#include <cstdio>
#include <ctime>

namespace lockstep {

namespace {

bool Digits(std::string_view s, size_t pos, size_t n, unsigned* out) {
  if (pos + n > s.size()) return false;
  unsigned v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    const unsigned d = static_cast<unsigned char>(s[i]) - '0';
    if (d > 9) return false;
    v = v * 10 + d;
  }
  *out = v;
  return true;
}

unsigned DaysInMonth(int64_t y, unsigned m) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : kDays[m - 1];
}

bool ParseEpoch(std::string_view s, int64_t* out) {
  size_t dot = s.find('.');
  std::string_view whole = s.substr(0, dot);
  if (dot != std::string_view::npos) {
    std::string_view frac = s.substr(dot + 1);
    if (frac.empty()) return false;
    for (char c : frac)
      if (c < '0' || c > '9') return false;
  }
  int64_t v = 0;
  auto [ptr, ec] = std::from_chars(whole.data(), whole.data() + whole.size(), v);
  if (ec != std::errc() || ptr != whole.data() + whole.size() || whole.empty()) return false;
  *out = v;
  return true;
}

}  // namespace

bool ParseTime(std::string_view s, int64_t* out) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  if (s.size() < 10 || s[4] != '-') return ParseEpoch(s, out);
  unsigned y, mo, d;
  if (!Digits(s, 0, 4, &y) || s[7] != '-' || !Digits(s, 5, 2, &mo) || !Digits(s, 8, 2, &d)) return false;
  if (mo < 1 || mo > 12 || d < 1 || d > DaysInMonth(y, mo)) return false;
  int64_t t = DaysFromCivil(y, mo, d) * 86400;
  size_t pos = 10;
  if (pos == s.size()) {
    *out = t;
    return true;
  }
  if (s[pos] != 'T' && s[pos] != ' ' && s[pos] != 't') return false;
  ++pos;
  unsigned h, mi, sec = 0;
  if (!Digits(s, pos, 2, &h) || pos + 2 >= s.size() || s[pos + 2] != ':' || !Digits(s, pos + 3, 2, &mi)) return false;
  pos += 5;
  if (pos < s.size() && s[pos] == ':') {
    if (!Digits(s, pos + 1, 2, &sec)) return false;
    pos += 3;
    if (pos < s.size() && (s[pos] == '.' || s[pos] == ',')) {
      ++pos;
      size_t start = pos;
      while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') ++pos;
      if (pos == start) return false;
    }
  }
  if (h > 24 || mi > 59 || sec > 60 || (h == 24 && (mi != 0 || sec != 0))) return false;
  t += h * 3600 + mi * 60 + sec;
  if (pos < s.size() && s[pos] == ' ') ++pos;  // "2017-03-14 08:15:00 +0100"
  if (pos == s.size()) {
    *out = t;
    return true;
  }
  if ((s[pos] == 'Z' || s[pos] == 'z') && pos + 1 == s.size()) {
    *out = t;
    return true;
  }
  if (s[pos] != '+' && s[pos] != '-') return false;
  const int sign = s[pos] == '+' ? 1 : -1;
  ++pos;
  unsigned oh, om = 0;
  if (!Digits(s, pos, 2, &oh)) return false;
  pos += 2;
  if (pos < s.size()) {
    if (s[pos] == ':') ++pos;
    if (!Digits(s, pos, 2, &om)) return false;
    pos += 2;
  }
  if (pos != s.size() || oh > 14 || om > 59) return false;
  *out = t - sign * static_cast<int64_t>(oh * 3600 + om * 60);
  return true;
}

int64_t LatestInputTime() { return static_cast<int64_t>(std::time(nullptr)) + 366 * int64_t{86400}; }

bool InInputTimeWindow(int64_t seconds) { return seconds >= kEarliestInputTime && seconds <= LatestInputTime(); }

CivilTime ToCivil(int64_t seconds) {
  int64_t days = seconds / 86400;
  int64_t rem = seconds % 86400;
  if (rem < 0) {
    rem += 86400;
    --days;
  }
  // Inverse of DaysFromCivil (Howard Hinnant's civil_from_days).
  const int64_t z = days + 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  CivilTime c;
  c.day = doy - (153 * mp + 2) / 5 + 1;
  c.month = mp < 10 ? mp + 3 : mp - 9;
  c.year = static_cast<int64_t>(yoe) + era * 400 + (c.month <= 2);
  c.hour = static_cast<unsigned>(rem / 3600);
  c.minute = static_cast<unsigned>(rem % 3600 / 60);
  c.second = static_cast<unsigned>(rem % 60);
  // 1970-01-01 was a Thursday (weekday 3 with Monday = 0).
  c.weekday = static_cast<unsigned>(((days % 7) + 7 + 3) % 7);
  return c;
}

std::string FormatTime(int64_t seconds) {
  if (seconds == kNoTime) return "";
  const CivilTime c = ToCivil(seconds);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02u:%02u:%02uZ", static_cast<long long>(c.year), c.month, c.day,
                c.hour, c.minute, c.second);
  return buf;
}

}  // namespace lockstep
