// CsvField: one RFC 4180 field, quoted only when it must be (a comma, quote,
// CR or LF inside), quotes doubled. Every CSV lockstep writes for other tools
// (assignments.csv, edge lists) goes through it, so they all read back alike.
#ifndef LOCKSTEP_MODEL_CSV_FIELD_H_
#define LOCKSTEP_MODEL_CSV_FIELD_H_

#include <string>
#include <string_view>

namespace lockstep {

inline std::string CsvField(std::string_view s) {
  if (s.find_first_of(",\"\n\r") == std::string_view::npos) return std::string(s);
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace lockstep

#endif  // LOCKSTEP_MODEL_CSV_FIELD_H_
