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
#include <vector>

#include "lockstep/ingest/load.h"

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

// The body shared by the JSON platform readers' targets: the input is a JSON
// document file (input.json), or JSON Lines (input.jsonl) when its first byte
// is '1'; `load(paths, sink, report)` reads it in skip mode. The reader must
// never crash and must account for every record (read = loaded + rejected).
template <class Load>
int JsonReaderTarget(const uint8_t* data, size_t size, Load load) {
  std::string_view input = AsView(data, size);
  const bool lines = !input.empty() && input.front() == '1';
  if (lines) input.remove_prefix(1);
  const std::string path = WriteInput(lines ? "input.jsonl" : "input.json", input);
  lockstep::ErrorSink sink(lockstep::ErrorPolicy::kSkip);
  lockstep::LoadReport report;
  auto ds = load(std::vector<std::string>{path}, &sink, &report);
  if (ds.ok() && report.rows_loaded() + report.rows_rejected() != report.rows_read()) __builtin_trap();
  return 0;
}

}  // namespace lockstep::fuzz

#endif  // LOCKSTEP_FUZZ_FUZZ_INPUT_H_
