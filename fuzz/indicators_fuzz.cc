// Meta's published indicator files (kill-chain tables, indicator lists as
// CSV, TSV or JSON, Markdown IOC pages) and STIX 2.1 bundles on arbitrary
// bytes, in skip mode: the reader must never crash, and every indicator it
// returns has a 1-based line. The first byte picks the file's extension,
// which picks the layout; a .json whose records are STIX objects is a bundle.
#include "lockstep/indicators/published_indicators.h"

#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace lockstep;
  if (size == 0) return 0;
  static constexpr const char* kNames[] = {"input.csv", "input.tsv", "input.json", "input.md"};
  const std::string path = fuzz::WriteInput(kNames[data[0] % 4], fuzz::AsView(data + 1, size - 1));
  ErrorSink sink(ErrorPolicy::kSkip);
  auto file = ReadPublishedIndicators(path, &sink);
  if (!file.ok()) return 0;
  for (const PublishedIndicator& i : file->indicators)
    if (i.line == 0) __builtin_trap();
  return 0;
}
