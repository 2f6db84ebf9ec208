#include "lockstep/ingest/byte_source.h"

#include <cerrno>
#include <cstdio>
#include <algorithm>
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

// A gzip file read with zlib's inflate directly rather than gzread, which
// takes a stream cut at a flush point or without its 8-byte trailer for a
// short file, and skips bytes after the last member in silence. Here either
// is a kCorrupt status naming the byte. Concatenated members (gzip's own
// multi-member files) are read one after another.
class GzipSource final : public ByteSource {
 public:
  GzipSource(std::FILE* f, std::string path) : file_(f), path_(std::move(path)), in_(kInSize) {
    file_size_ = FileSize(f);
    ok_ = inflateInit2(&z_, 16 + MAX_WBITS) == Z_OK;  // gzip wrapper only
  }
  ~GzipSource() override {
    if (ok_) inflateEnd(&z_);
    std::fclose(file_);
  }
  Result<size_t> Read(char* buffer, size_t size) override {
    if (!ok_) return Status::Internal(fmt::format("{}: zlib could not be initialised", path_));
    size = std::min<size_t>(size, 1u << 30);
    z_.next_out = reinterpret_cast<Bytef*>(buffer);
    z_.avail_out = static_cast<uInt>(size);
    while (z_.avail_out == size) {
      if (!member_open_) {
        // Between members: another member starts here, or the input ends.
        if (z_.avail_in < 2) {
          if (Status s = Refill(); !s.ok()) return s;
        }
        if (z_.avail_in == 0) {
          if (members_ == 0)
            return Status::Corrupt(fmt::format("{}: damaged gzip archive: the file is empty, not gzip data", path_));
          return size_t{0};
        }
        if (z_.avail_in < 2 || z_.next_in[0] != 0x1f || z_.next_in[1] != 0x8b) {
          if (members_ == 0)
            return Status::Corrupt(
                fmt::format("{}: damaged gzip archive: no gzip header at byte {} (not gzip data)", path_, Offset()));
          return Status::Corrupt(fmt::format(
              "{}: damaged gzip archive: {} bytes of garbage follow the end of the compressed data at byte {}", path_,
              file_size_ - Offset(), Offset()));
        }
        inflateReset(&z_);
        member_open_ = true;
      }
      if (z_.avail_in == 0) {
        if (Status s = Refill(); !s.ok()) return s;
        if (z_.avail_in == 0)
          return Status::Corrupt(fmt::format(
              "{}: truncated gzip archive: the compressed data stops at byte {} before the end of its stream (the "
              "file was cut off, or lost its 8-byte trailer)",
              path_, Offset()));
      }
      const int ret = inflate(&z_, Z_NO_FLUSH);
      if (ret == Z_STREAM_END) {
        member_open_ = false;
        ++members_;
      } else if (ret != Z_OK && ret != Z_BUF_ERROR) {
        return Status::Corrupt(fmt::format("{}: damaged gzip archive at byte {}: {}", path_, Offset(),
                                           z_.msg != nullptr ? z_.msg : zError(ret)));
      }
    }
    return size - z_.avail_out;
  }
  uint64_t file_bytes_consumed() const override { return Offset(); }

 private:
  static constexpr size_t kInSize = 1u << 20;

  // Bytes of the file inflate has taken.
  uint64_t Offset() const { return read_ - z_.avail_in; }
  // Moves what inflate has not taken to the front of in_ and reads more after it.
  Status Refill() {
    const size_t keep = z_.avail_in;
    if (keep > 0 && z_.next_in != reinterpret_cast<Bytef*>(in_.data())) std::memmove(in_.data(), z_.next_in, keep);
    const size_t n = std::fread(in_.data() + keep, 1, in_.size() - keep, file_);
    if (n == 0 && std::ferror(file_))
      return Status::IoError(fmt::format("{}: read failed: {}", path_, std::strerror(errno)));
    read_ += n;
    z_.next_in = reinterpret_cast<Bytef*>(in_.data());
    z_.avail_in = static_cast<uInt>(keep + n);
    return Status::Ok();
  }

  std::FILE* file_;
  std::string path_;
  std::vector<char> in_;
  z_stream z_{};
  bool ok_ = false;
  bool member_open_ = false;
  uint64_t members_ = 0;
  uint64_t read_ = 0;  // bytes read from the file
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
          if (!frame_done_)
            return Status::Corrupt(fmt::format(
                "{}: truncated zstd archive: the compressed data stops at byte {} inside a frame (the file was cut "
                "off)",
                path_, consumed_));
          return size_t{0};
        }
        consumed_ += n;
        in_ = ZSTD_inBuffer{in_buffer_.data(), n, 0};
      }
      const size_t ret = ZSTD_decompressStream(stream_, &out, &in_);
      if (ZSTD_isError(ret))
        return Status::Corrupt(fmt::format("{}: damaged zstd archive at byte {}: {}", path_, consumed_ - (in_.size - in_.pos),
                                           ZSTD_getErrorName(ret)));
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
  if (EndsWith(path, ".gz")) return std::unique_ptr<ByteSource>(new GzipSource(f, path));
  if (EndsWith(path, ".zst")) return std::unique_ptr<ByteSource>(new ZstdSource(f, path));
  return std::unique_ptr<ByteSource>(new PlainSource(f, path));
}

}  // namespace lockstep
