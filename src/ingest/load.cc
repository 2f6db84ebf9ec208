#include "lockstep/ingest/load.h"

#include <sys/stat.h>

#include <chrono>

#include <fmt/format.h>

#include "lockstep/ingest/lockstep_reader.h"
#include "lockstep/model/snapshot.h"

namespace lockstep {

uint64_t LoadReport::rows_read() const {
  uint64_t n = 0;
  for (const FileStats& f : files) n += f.rows_read;
  return n;
}
uint64_t LoadReport::rows_loaded() const {
  uint64_t n = 0;
  for (const FileStats& f : files) n += f.rows_loaded;
  return n;
}
uint64_t LoadReport::rows_rejected() const {
  uint64_t n = 0;
  for (const FileStats& f : files) n += f.rows_rejected;
  return n;
}

std::vector<std::string> ReaderNames() { return {"lockstep", "snapshot"}; }

Result<Dataset> LoadDataset(const std::string& path, const std::string& format, const LoadOptions& options,
                            ErrorSink* sink, LoadReport* report) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return Status::IoError(fmt::format("{}: no such file or directory", path));
  std::string chosen = format;
  if (chosen == "auto") {
    if (S_ISREG(st.st_mode) && IsSnapshotFile(path)) chosen = "snapshot";
    else if (S_ISDIR(st.st_mode) && IsLockstepDirectory(path)) chosen = "lockstep";
    else
      return Status::InvalidArgument(fmt::format(
          "{}: cannot tell the format: not a snapshot, and not a directory with accounts and events files; name the "
          "reader with --format ({})",
          path, fmt::join(ReaderNames(), ", ")));
  }
  if (chosen == "snapshot") {
    const auto start = std::chrono::steady_clock::now();
    auto ds = LoadSnapshot(path);
    report->format = "snapshot";
    report->seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    report->bytes = static_cast<uint64_t>(st.st_size);
    return ds;
  }
  if (chosen == "lockstep") return LoadLockstepDirectory(path, options, sink, report);
  return Status::InvalidArgument(
      fmt::format("unknown format '{}'; expected auto or one of: {}", format, fmt::join(ReaderNames(), ", ")));
}

}  // namespace lockstep
