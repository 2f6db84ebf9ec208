// A POSIX ustar archive (uncompressed tar) built in memory: how the
// workbench hands over a set of files as one download (the disclosure
// archive's two CSVs). Every tar, and Windows' bsdtar, reads it.
//
// Limits of the format kept here: names of at most 100 bytes (no prefix
// field), regular files only, sizes below 8 GiB.
#ifndef LOCKSTEP_SRC_SERVER_TAR_WRITER_H_
#define LOCKSTEP_SRC_SERVER_TAR_WRITER_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace lockstep::internal {

class TarWriter {
 public:
  // Appends a regular file, mode 0644, modified at `mtime` (Unix seconds).
  // A name longer than 100 bytes is cut to its last 100.
  void Add(std::string_view name, std::string_view contents, int64_t mtime);
  // The archive with its two zero end blocks; the writer is empty afterwards.
  std::string Finish();

 private:
  std::string out_;
};

}  // namespace lockstep::internal

#endif  // LOCKSTEP_SRC_SERVER_TAR_WRITER_H_
