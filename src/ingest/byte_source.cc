#include "lockstep/ingest/byte_source.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <vector>

#include <fmt/format.h>
#include <zlib.h>
#include <zstd.h>

namespace lockstep {

namespace {

bool EndsWith(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

uint64_t FileSize(std::FILE* f) {
  if (std::fseek(f, 0, SEEK_END) != 0) return 0;
  const long size = std::ftell(f);
  std::fseek(f, 0, SEEK_SET);
  return size < 0 ? 0 : static_cast<uint64_t>(size);
}

class PlainSource final : public ByteSource {
 public:
  PlainSource(std::FILE* f, std::string path) : file_(f), path_(std::move(path)) { file_size_ = FileSize(f); }
  ~PlainSource() override { std::fclose(file_); }
  Result<size_t> Read(char* buffer, size_t size) override {
    const size_t n = std::fread(buffer, 1, size, file_);
    if (n == 0 && std::ferror(file_)) return Status::IoError(fmt::format("{}: read failed: {}", path_, std::strerror(errno)));
    consumed_ += n;
    return n;
  }
  uint64_t file_bytes_consumed() const override { return consumed_; }

 private:
  std::FILE* file_;
  std::string path_;
  uint64_t consumed_ = 0;
};

class GzipSource final : public ByteSource {
 public:
  GzipSource(gzFile f, uint64_t size, std::string path) : file_(f), path_(std::move(path)) { file_size_ = size; }
  ~GzipSource() override { gzclose(file_); }
  Result<size_t> Read(char* buffer, size_t size) override {
    const int n = gzread(file_, buffer, static_cast<unsigned>(std::min<size_t>(size, 1u << 30)));
    if (n < 0) {
      int code = 0;
      const char* msg = gzerror(file_, &code);
      return Status::IoError(fmt::format("{}: gzip data is corrupt: {}", path_, msg));
    }
    return static_cast<size_t>(n);
  }
  uint64_t file_bytes_consumed() const override {
    const long off = gzoffset(file_);
    return off < 0 ? 0 : static_cast<uint64_t>(off);
  }

 private:
  gzFile file_;
  std::string path_;
};

class ZstdSource final : public ByteSource {
 public:
  ZstdSource(std::FILE* f, std::string path)
      : file_(f), path_(std::move(path)), stream_(ZSTD_createDStream()), in_buffer_(ZSTD_DStreamInSize()) {
    file_size_ = FileSize(f);
    ZSTD_initDStream(stream_);
    // Pushshift / Arctic Shift dumps are compressed with --long=31: allow a 2 GiB window.
    ZSTD_DCtx_setParameter(stream_, ZSTD_d_windowLogMax, 31);
  }
  ~ZstdSource() override {
    ZSTD_freeDStream(stream_);
    std::fclose(file_);
  }
  Result<size_t> Read(char* buffer, size_t size) override {
    ZSTD_outBuffer out{buffer, size, 0};
    while (out.pos == 0) {
      if (in_.pos == in_.size) {
        const size_t n = std::fread(in_buffer_.data(), 1, in_buffer_.size(), file_);
        if (n == 0) {
          if (std::ferror(file_)) return Status::IoError(fmt::format("{}: read failed: {}", path_, std::strerror(errno)));
          if (!frame_done_) return Status::IoError(fmt::format("{}: zstd data ends inside a frame (truncated file?)", path_));
          return size_t{0};
        }
        consumed_ += n;
        in_ = ZSTD_inBuffer{in_buffer_.data(), n, 0};
      }
      const size_t ret = ZSTD_decompressStream(stream_, &out, &in_);
      if (ZSTD_isError(ret)) return Status::IoError(fmt::format("{}: zstd data is corrupt: {}", path_, ZSTD_getErrorName(ret)));
      frame_done_ = ret == 0;
    }
    return out.pos;
  }
  uint64_t file_bytes_consumed() const override { return consumed_; }

 private:
  std::FILE* file_;
  std::string path_;
  ZSTD_DStream* stream_;
  std::vector<char> in_buffer_;
  ZSTD_inBuffer in_{nullptr, 0, 0};
  uint64_t consumed_ = 0;
  bool frame_done_ = true;
};

}  // namespace

std::string StripCompressionSuffix(const std::string& name) {
  if (EndsWith(name, ".gz")) return name.substr(0, name.size() - 3);
  if (EndsWith(name, ".zst")) return name.substr(0, name.size() - 4);
  return name;
}

Result<std::unique_ptr<ByteSource>> OpenByteSource(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return Status::IoError(fmt::format("{}: cannot open: {}", path, std::strerror(errno)));
  if (EndsWith(path, ".gz")) {
    const uint64_t size = FileSize(f);
    std::fclose(f);
    gzFile gz = gzopen(path.c_str(), "rb");
    if (gz == nullptr) return Status::IoError(fmt::format("{}: cannot open: {}", path, std::strerror(errno)));
    gzbuffer(gz, 1 << 20);
    return std::unique_ptr<ByteSource>(new GzipSource(gz, size, path));
  }
  if (EndsWith(path, ".zst")) return std::unique_ptr<ByteSource>(new ZstdSource(f, path));
  return std::unique_ptr<ByteSource>(new PlainSource(f, path));
}

}  // namespace lockstep
