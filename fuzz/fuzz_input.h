// Shared by the libFuzzer targets: hands a fuzz input to a reader as a file,
// since readers take paths. Files live in one private temporary directory
// per process, rewritten for every input.
#ifndef LOCKSTEP_FUZZ_FUZZ_INPUT_H_
#define LOCKSTEP_FUZZ_FUZZ_INPUT_H_

#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace lockstep::fuzz {

inline const std::string& TempDir() {
  static const std::string dir = [] {
    char pattern[] = "/tmp/lockstep_fuzz_XXXXXX";
    const char* made = ::mkdtemp(pattern);
    if (made == nullptr) std::abort();
    return std::string(made);
  }();
  return dir;
}

// Writes `data` to TempDir()/name and returns the path.
inline std::string WriteInput(const std::string& name, std::string_view data) {
  const std::string path = TempDir() + "/" + name;
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) std::abort();
  if (!data.empty()) std::fwrite(data.data(), 1, data.size(), f);
  std::fclose(f);
  return path;
}

inline std::string_view AsView(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

}  // namespace lockstep::fuzz

#endif  // LOCKSTEP_FUZZ_FUZZ_INPUT_H_
