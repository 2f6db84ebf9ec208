// Bad input is a value: every rejected row becomes an InputError naming the
// file, line, byte offset and field, what was wrong and how to fix it. An
// ErrorSink applies the policy (fail at the first error, or skip and count).
#ifndef LOCKSTEP_MODEL_INPUT_ERROR_H_
#define LOCKSTEP_MODEL_INPUT_ERROR_H_

#include <array>
#include <cstdint>
#include <cstdio>
#include <functional>
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
  kIo,                  // the file could not be read
  kDamagedArchive,      // a .gz or .zst stream that is truncated, corrupt or followed by garbage
  kTooLarge,            // a field or row longer than lockstep reads (kMaxFieldBytes, kMaxRowBytes)
  kCount_,              // number of kinds; not a kind
};

inline constexpr size_t kInputErrorKinds = static_cast<size_t>(InputErrorKind::kCount_);

// The longest field and row the readers accept, in bytes of the
// (decompressed) file; longer ones are kTooLarge errors. The longest real
// values are a few MB (a Twitter API v2 page with its includes is one JSON
// Lines row of at most ~3 MB; a tweet's text is at most 25,000 characters):
// the caps leave room for those with a wide margin while bounding the
// reader's buffer (about twice the longest row) so that a 33 KB .zst holding
// one 1 GB field cannot make a load take gigabytes.
inline constexpr uint64_t kMaxFieldBytes = 16u << 20;  // 16 MiB
inline constexpr uint64_t kMaxRowBytes = 64u << 20;    // 64 MiB

// `text` with every control character written out so that a message shows
// it instead of obeying it: C0 controls, DEL and the C1 controls
// (U+0080..U+009F, e.g. the one-byte terminal CSI) become \n, \t, \r, \0
// or \xHH / \u00HH; everything else is copied. An id holding an escape
// sequence or a NUL then cannot repaint the terminal or cut the message.
std::string EscapeControl(std::string_view text);

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

  // "events.csv:12 (byte 345), field 'time': ... Fix: ...", control
  // characters escaped (EscapeControl).
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
  // Called on every error before it is recorded or written to the rejects
  // file: a reader fed a copy of part of the user's file (an MPI rank's
  // share) names the user's file, line and byte through it.
  void set_locate(std::function<void(InputError&)> locate) { locate_ = std::move(locate); }
  // Records an error that ends the load under either policy (a damaged
  // archive, an unreadable file): failed() is true and first() returns it.
  void ReportFatal(InputError error);

  // With kSkip and a rejects path: whether the rejects file could be
  // created (it is created at construction, so that a bad path is found
  // before anything is loaded); "" if it could, else why not.
  const std::string& rejects_error() const { return rejects_error_; }

  ErrorPolicy policy() const { return policy_; }
  bool failed() const { return failed_; }
  uint64_t total() const { return total_; }
  uint64_t count(InputErrorKind kind) const { return counts_[static_cast<size_t>(kind)]; }
  // The first kSamplesPerKind errors of each kind, in the order seen.
  const std::vector<InputError>& samples() const { return samples_; }
  // The error that stopped the load (under kFail the first error; under
  // either policy a ReportFatal error); with no stop, the first error seen.
  const InputError* first() const {
    if (stop_ >= 0) return &samples_[static_cast<size_t>(stop_)];
    return samples_.empty() ? nullptr : &samples_.front();
  }

  // A human-readable account: counts per kind and the sample messages.
  std::string Summary() const;

 private:
  bool Record(InputError error);  // Report after locate_

  ErrorPolicy policy_;
  std::string rejects_path_;
  std::FILE* rejects_ = nullptr;
  bool failed_ = false;
  uint64_t total_ = 0;
  std::array<uint64_t, kInputErrorKinds> counts_{};
  std::vector<InputError> samples_;
  int64_t stop_ = -1;  // index in samples_ of the error that stopped the load
  std::function<void(InputError&)> locate_;
  std::string rejects_error_;
};

}  // namespace lockstep

#endif  // LOCKSTEP_MODEL_INPUT_ERROR_H_
