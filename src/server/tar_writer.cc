#include "server/tar_writer.h"

#include <algorithm>
#include <cstring>

#include <fmt/format.h>

namespace lockstep::internal {
namespace {

constexpr size_t kBlock = 512;

// `value` in octal, zero-padded to width - 1 digits and a NUL, at header[at].
void Octal(char* header, size_t at, size_t width, uint64_t value) {
  const std::string digits = fmt::format("{:0{}o}", value, width - 1);
  std::memcpy(header + at, digits.data(), std::min(digits.size(), width - 1));
  header[at + width - 1] = '\0';
}

}  // namespace

void TarWriter::Add(std::string_view name, std::string_view contents, int64_t mtime) {
  if (name.size() > 100) name = name.substr(name.size() - 100);
  char h[kBlock] = {};
  std::memcpy(h, name.data(), name.size());
  Octal(h, 100, 8, 0644);                       // mode
  Octal(h, 108, 8, 0);                          // uid
  Octal(h, 116, 8, 0);                          // gid
  Octal(h, 124, 12, contents.size());           // size
  Octal(h, 136, 12, static_cast<uint64_t>(std::max<int64_t>(mtime, 0)));
  h[156] = '0';                                 // a regular file
  std::memcpy(h + 257, "ustar\0" "00", 8);      // magic and version
  std::memset(h + 148, ' ', 8);                 // the checksum counts its own field as spaces
  unsigned sum = 0;
  for (unsigned char c : h) sum += c;
  Octal(h, 148, 7, sum);
  h[155] = ' ';
  out_.append(h, kBlock);
  out_.append(contents);
  out_.append((kBlock - contents.size() % kBlock) % kBlock, '\0');
}

std::string TarWriter::Finish() {
  out_.append(2 * kBlock, '\0');
  std::string archive = std::move(out_);
  out_.clear();
  return archive;
}

}  // namespace lockstep::internal
