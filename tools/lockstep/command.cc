// The flag checks every command shares (command.h).
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include <fmt/format.h>

#include "command.h"
#include "lockstep/model/threads.h"

namespace lockstep::cli {
namespace {

std::string Number(double v) { return fmt::format("{:.15g}", v); }

}  // namespace

int ExitCodeFor(const Status& s) {
  switch (s.code()) {
    case StatusCode::kOk:
      return kExitOk;
    case StatusCode::kInvalidArgument:
      return kExitUsage;
    case StatusCode::kInputError:
    case StatusCode::kIoError:
    case StatusCode::kCorrupt:
      return kExitBadInput;
    case StatusCode::kFailedPrecondition:
    case StatusCode::kInternal:
      return kExitInternal;
  }
  return kExitInternal;
}

CLI::Validator Within(double lo, double hi, bool exclude_lo) {
  const std::string range = fmt::format("{}{}, {}]", exclude_lo ? "(" : "[", Number(lo), Number(hi));
  return CLI::Validator(
      [lo, hi, exclude_lo, range](std::string& value) -> std::string {
        double v = 0;
        const char* end = value.data() + value.size();
        auto [ptr, ec] = std::from_chars(value.data(), end, v);
        if (ec == std::errc::result_out_of_range) return fmt::format("{} is not in {}", value, range);
        if (ec != std::errc() || ptr != end || std::isnan(v))
          return fmt::format("{} is not a number; expected one in {}", value, range);
        if (v < lo || v > hi || (exclude_lo && v == lo)) return fmt::format("{} is not in {}", value, range);
        return "";
      },
      "in " + range);
}

CLI::Option* AddThreadsOption(CLI::App& app, int* threads) {
  return app.add_option("--threads", *threads, fmt::format("worker threads, 1 to {}", kMaxThreads))
      ->check(Within(1, kMaxThreads))
      ->capture_default_str();
}

int CheckOutputDir(std::string_view flag, const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  std::string why;
  if (dir.empty())
    why = "an empty path";
  else if (fs::create_directories(dir, ec); ec)
    why = fmt::format("cannot create the directory: {}", ec.message());
  else if (!fs::is_directory(dir, ec))
    why = "exists and is not a directory";
  else if (::access(dir.c_str(), W_OK | X_OK) != 0)
    why = fmt::format("cannot write into it: {}", std::strerror(errno));
  if (why.empty()) return kExitOk;
  std::fprintf(stderr, "lockstep: %.*s %s: %s\n", static_cast<int>(flag.size()), flag.data(), dir.c_str(), why.c_str());
  return kExitBadInput;
}

int CheckOutputFile(std::string_view flag, const std::string& path) {
  namespace fs = std::filesystem;
  if (path == "-") return kExitOk;
  std::error_code ec;
  std::string why;
  const fs::path parent = fs::path(path).parent_path().empty() ? fs::path(".") : fs::path(path).parent_path();
  if (path.empty())
    why = "an empty path";
  else if (fs::is_directory(path, ec))
    why = "is a directory; name a file";
  else if (!fs::is_directory(parent, ec))
    why = fmt::format("the directory {} does not exist", parent.string());
  else if (::access(parent.c_str(), W_OK | X_OK) != 0)
    why = fmt::format("cannot write into {}: {}", parent.string(), std::strerror(errno));
  else if (fs::exists(path, ec) && ::access(path.c_str(), W_OK) != 0)
    why = fmt::format("cannot write: {}", std::strerror(errno));
  if (why.empty()) return kExitOk;
  std::fprintf(stderr, "lockstep: %.*s %s: %s\n", static_cast<int>(flag.size()), flag.data(), path.c_str(), why.c_str());
  return kExitBadInput;
}

}  // namespace lockstep::cli
