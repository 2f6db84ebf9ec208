// Bad input is a value: every rejected row becomes an InputError naming the
// file, line, byte offset and field, what was wrong and how to fix it. An
// ErrorSink applies the policy (fail at the first error, or skip and count).
#ifndef LOCKSTEP_MODEL_INPUT_ERROR_H_
#define LOCKSTEP_MODEL_INPUT_ERROR_H_

#include <array>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

namespace lockstep {

enum class InputErrorKind : uint8_t {
  kColumnCount = 0,     // a CSV row with too few or too many columns
  kBadTime,             // a time that is not ISO 8601 or epoch seconds
  kInvalidUtf8,         // bytes that are not UTF-8
  kDuplicateId,         // an id that must be unique appears twice
  kUnknownAccount,      // a row refers to an account_id not in accounts
  kUnterminatedQuote,   // a quoted CSV field that never closes
  kNegativeValue,       // a count below zero
  kEmptyFile,           // a file with no header and no rows
  kMissingColumn,       // a required column absent from the header
  kMissingValue,        // a required field left empty
  kBadValue,            // a value of the wrong type or outside its domain
  kBadJson,             // a JSON Lines line that is not a JSON object
  kIo,                  // the file could not be read or decompressed
  kCount_,              // number of kinds; not a kind
};

inline constexpr size_t kInputErrorKinds = static_cast<size_t>(InputErrorKind::kCount_);

// A short stable name, e.g. "column_count"; used in summaries and rejects files.
std::string_view InputErrorKindName(InputErrorKind kind);

struct InputError {
  InputErrorKind kind = InputErrorKind::kBadValue;
  std::string file;          // path as given by the user
  uint64_t line = 0;         // 1-based physical line where the row starts; 0 = whole file
  uint64_t byte_offset = 0;  // offset of the row's first byte in the (decompressed) file
  std::string field;         // column name, empty when the row as a whole is bad
  std::string problem;       // what was wrong, with the actual and the expected value
  std::string fix;           // how to fix it
  std::string raw;           // the offending row as read (truncated to 4 KiB)

  // "events.csv:12 (byte 345), field 'time': ... Fix: ..."
  std::string ToString() const;
};

enum class ErrorPolicy : uint8_t {
  kFail,  // stop at the first error (the default)
  kSkip,  // reject the row, count it, go on
};

// Collects the errors of one load. Not thread-safe.
class ErrorSink {
 public:
  static constexpr size_t kSamplesPerKind = 3;

  // rejects_path: where kSkip writes every rejected row as CSV
  // (file,line,byte_offset,kind,field,problem,raw); empty = nowhere.
  explicit ErrorSink(ErrorPolicy policy = ErrorPolicy::kFail, std::string rejects_path = "");
  ~ErrorSink();
  ErrorSink(const ErrorSink&) = delete;
  ErrorSink& operator=(const ErrorSink&) = delete;

  // Records the error. Returns true if the caller may go on (kSkip), false if
  // it must stop (kFail). After a false, failed() is true.
  bool Report(InputError error);

  ErrorPolicy policy() const { return policy_; }
  bool failed() const { return failed_; }
  uint64_t total() const { return total_; }
  uint64_t count(InputErrorKind kind) const { return counts_[static_cast<size_t>(kind)]; }
  // The first kSamplesPerKind errors of each kind, in the order seen.
  const std::vector<InputError>& samples() const { return samples_; }
  // The error that stopped the load under kFail.
  const InputError* first() const { return samples_.empty() ? nullptr : &samples_.front(); }

  // A human-readable account: counts per kind and the sample messages.
  std::string Summary() const;

 private:
  ErrorPolicy policy_;
  std::string rejects_path_;
  std::FILE* rejects_ = nullptr;
  bool failed_ = false;
  uint64_t total_ = 0;
  std::array<uint64_t, kInputErrorKinds> counts_{};
  std::vector<InputError> samples_;
};

}  // namespace lockstep

#endif  // LOCKSTEP_MODEL_INPUT_ERROR_H_
