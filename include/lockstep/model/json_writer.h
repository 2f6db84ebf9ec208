// JsonWriter: writes JSON text into a std::string, escaping every string
// (control characters, quotes, backslashes; invalid UTF-8 is replaced by
// U+FFFD so the output always parses). The caller keeps the structure
// balanced; commas are inserted automatically. Doubles print with up to 6
// significant digits; NaN and infinities print as null.
#ifndef LOCKSTEP_MODEL_JSON_WRITER_H_
#define LOCKSTEP_MODEL_JSON_WRITER_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lockstep {

class JsonWriter {
 public:
  explicit JsonWriter(bool pretty = true) : pretty_(pretty) {}

  JsonWriter& BeginObject();
  JsonWriter& EndObject();
  JsonWriter& BeginArray();
  JsonWriter& EndArray();
  JsonWriter& Key(std::string_view key);
  JsonWriter& String(std::string_view value);
  JsonWriter& Number(double value);
  JsonWriter& Int(int64_t value);
  JsonWriter& Bool(bool value);
  JsonWriter& Null();
  JsonWriter& OptionalNumber(const std::optional<double>& value) { return value ? Number(*value) : Null(); }

  // Key + value shorthands.
  JsonWriter& Field(std::string_view key, std::string_view value) { return Key(key).String(value); }
  JsonWriter& Field(std::string_view key, const char* value) { return Key(key).String(value); }
  JsonWriter& Field(std::string_view key, double value) { return Key(key).Number(value); }
  JsonWriter& Field(std::string_view key, int64_t value) { return Key(key).Int(value); }
  JsonWriter& Field(std::string_view key, uint64_t value) { return Key(key).Int(static_cast<int64_t>(value)); }
  JsonWriter& Field(std::string_view key, int value) { return Key(key).Int(value); }
  JsonWriter& Field(std::string_view key, bool value) { return Key(key).Bool(value); }

  const std::string& str() const { return out_; }
  std::string Take() { return std::move(out_); }

  // The escaped form of `s` with its quotes.
  static std::string Quote(std::string_view s);

 private:
  void BeforeValue();
  void Newline();

  bool pretty_;
  std::string out_;
  std::vector<bool> first_;  // per open container: no element yet
  bool after_key_ = false;
};

}  // namespace lockstep

#endif  // LOCKSTEP_MODEL_JSON_WRITER_H_
