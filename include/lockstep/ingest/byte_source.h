// ByteSource: a file's bytes, decompressed on the fly. The compression is
// picked by the file name: ".gz" (zlib), ".zst" (zstd), anything else plain.
#ifndef LOCKSTEP_INGEST_BYTE_SOURCE_H_
#define LOCKSTEP_INGEST_BYTE_SOURCE_H_

#include <cstdint>
#include <memory>
#include <string>

#include "lockstep/model/status.h"

namespace lockstep {

class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Reads up to `size` decompressed bytes; 0 means end of input. A .gz or
  // .zst stream that is truncated, corrupt or followed by bytes that are no
  // further stream is kCorrupt, naming the file and the byte of the
  // compressed file where it goes wrong; a failed read is kIoError.
  virtual Result<size_t> Read(char* buffer, size_t size) = 0;
  // Bytes of the file on disk consumed so far, and its size: for progress.
  virtual uint64_t file_bytes_consumed() const = 0;
  uint64_t file_size() const { return file_size_; }

 protected:
  uint64_t file_size_ = 0;
};

Result<std::unique_ptr<ByteSource>> OpenByteSource(const std::string& path);

// The name without a trailing ".gz" or ".zst".
std::string StripCompressionSuffix(const std::string& name);

}  // namespace lockstep

#endif  // LOCKSTEP_INGEST_BYTE_SOURCE_H_
