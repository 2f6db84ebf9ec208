#include "lockstep/model/input_error.h"

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

namespace lockstep {

namespace {

constexpr size_t kMaxRaw = 4096;

void WriteCsvField(std::FILE* f, std::string_view s) {
  std::fputc('"', f);
  for (char c : s) {
    if (c == '"') std::fputc('"', f);
    std::fputc(c, f);
  }
  std::fputc('"', f);
}

}  // namespace

std::string EscapeControl(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x20 || c == 0x7f) {
      switch (c) {
        case '\n': out += "\\n"; break;
        case '\t': out += "\\t"; break;
        case '\r': out += "\\r"; break;
        case 0: out += "\\0"; break;
        default: out += fmt::format("\\x{:02x}", c); break;
      }
    } else if (c == 0xc2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
               static_cast<unsigned char>(text[i + 1]) <= 0x9f) {
      out += fmt::format("\\u{:04x}", static_cast<unsigned char>(text[i + 1]));  // a C1 control in UTF-8
      ++i;
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  return out;
}

std::string_view InputErrorKindName(InputErrorKind kind) {
  switch (kind) {
    case InputErrorKind::kColumnCount: return "column_count";
    case InputErrorKind::kBadTime: return "bad_time";
    case InputErrorKind::kInvalidUtf8: return "invalid_utf8";
    case InputErrorKind::kDuplicateId: return "duplicate_id";
    case InputErrorKind::kUnknownAccount: return "unknown_account";
    case InputErrorKind::kUnterminatedQuote: return "unterminated_quote";
    case InputErrorKind::kNegativeValue: return "negative_value";
    case InputErrorKind::kEmptyFile: return "empty_file";
    case InputErrorKind::kMissingColumn: return "missing_column";
    case InputErrorKind::kMissingValue: return "missing_value";
    case InputErrorKind::kBadValue: return "bad_value";
    case InputErrorKind::kBadJson: return "bad_json";
    case InputErrorKind::kIo: return "io";
    case InputErrorKind::kDamagedArchive: return "damaged_archive";
    case InputErrorKind::kTooLarge: return "too_large";
    case InputErrorKind::kCount_: break;
  }
  return "unknown";
}

std::string InputError::ToString() const {
  std::string where = line > 0 ? fmt::format("{}:{} (byte {})", file, line, byte_offset) : file;
  std::string out = fmt::format("{}: {}", where, InputErrorKindName(kind));
  if (!field.empty()) out += fmt::format(", field '{}'", field);
  out += ": " + problem;
  if (!fix.empty()) out += ". Fix: " + fix;
  return EscapeControl(out);
}

ErrorSink::ErrorSink(ErrorPolicy policy, std::string rejects_path)
    : policy_(policy), rejects_path_(std::move(rejects_path)) {
  if (policy_ != ErrorPolicy::kSkip || rejects_path_.empty()) return;
  rejects_ = std::fopen(rejects_path_.c_str(), "w");
  if (rejects_ == nullptr) {
    rejects_error_ = fmt::format("{}: cannot write the rejects file: {}", rejects_path_, std::strerror(errno));
    return;
  }
  std::fputs("file,line,byte_offset,kind,field,problem,raw\n", rejects_);
}

ErrorSink::~ErrorSink() {
  if (rejects_ != nullptr) std::fclose(rejects_);
}

bool ErrorSink::Report(InputError error) {
  if (locate_) locate_(error);
  return Record(std::move(error));
}

bool ErrorSink::Record(InputError error) {
  ++total_;
  const size_t k = static_cast<size_t>(error.kind);
  if (error.raw.size() > kMaxRaw) error.raw.resize(kMaxRaw);
  if (policy_ == ErrorPolicy::kSkip) {
    if (rejects_ != nullptr) {
      WriteCsvField(rejects_, error.file);
      std::fprintf(rejects_, ",%llu,%llu,%s,", static_cast<unsigned long long>(error.line),
                   static_cast<unsigned long long>(error.byte_offset), std::string(InputErrorKindName(error.kind)).c_str());
      WriteCsvField(rejects_, error.field);
      std::fputc(',', rejects_);
      WriteCsvField(rejects_, error.problem);
      std::fputc(',', rejects_);
      WriteCsvField(rejects_, error.raw);
      std::fputc('\n', rejects_);
    }
  }
  const bool sampled = counts_[k]++ < kSamplesPerKind;
  if (sampled) samples_.push_back(std::move(error));
  if (policy_ == ErrorPolicy::kFail) {
    if (!failed_ && sampled) stop_ = static_cast<int64_t>(samples_.size()) - 1;
    failed_ = true;
    return false;
  }
  return true;
}

void ErrorSink::ReportFatal(InputError error) {
  if (failed_) return;  // the load stopped already; the first stop is the one to tell
  const bool sampled_before = counts_[static_cast<size_t>(error.kind)] < kSamplesPerKind;
  if (locate_) locate_(error);
  InputError copy = error;
  Record(std::move(error));
  if (!sampled_before) samples_.push_back(std::move(copy));  // a fatal error is always kept
  if (stop_ < 0) stop_ = static_cast<int64_t>(samples_.size()) - 1;
  failed_ = true;
}

std::string ErrorSink::Summary() const {
  if (total_ == 0) return "no input errors\n";
  std::string out = fmt::format("{} rows rejected:\n", total_);
  for (size_t k = 0; k < kInputErrorKinds; ++k) {
    if (counts_[k] == 0) continue;
    const auto kind = static_cast<InputErrorKind>(k);
    out += fmt::format("  {:<20} {}\n", InputErrorKindName(kind), counts_[k]);
    for (const InputError& e : samples_)
      if (e.kind == kind) out += "    e.g. " + e.ToString() + "\n";
  }
  if (!rejects_path_.empty() && rejects_ != nullptr) out += "  every rejected row is in " + rejects_path_ + "\n";
  return out;
}

}  // namespace lockstep
