// Detection end to end on small fuzzed data sets: the input is split at the
// first "\n--\n" into accounts.csv and events.csv (as lockstep_reader_fuzz),
// loaded with --on-error=skip, and every default signal, the fusion, the
// clustering and the scoring run on what loaded. Any crash, sanitizer report
// or memory beyond libFuzzer's -rss_limit_mb (2 GB in scripts/fuzz.sh) is a
// finding: no input may make detection size memory by an unchecked span.
#include "lockstep/detect/default_signals.h"
#include "lockstep/detect/detector.h"
#include "lockstep/ingest/lockstep_reader.h"

#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace lockstep;
  const std::string_view input = fuzz::AsView(data, size);
  const size_t cut = input.find("\n--\n");
  fuzz::WriteInput("accounts.csv", input.substr(0, cut));
  fuzz::WriteInput("events.csv", cut == std::string_view::npos ? std::string_view() : input.substr(cut + 4));
  ErrorSink sink(ErrorPolicy::kSkip);
  LoadReport report;
  auto ds = LoadLockstepDirectory(fuzz::TempDir(), {}, &sink, &report);
  if (!ds.ok()) return 0;
  DetectorOptions options;
  options.threads = 1;
  options.seed = 1;
  Detector detector(*ds, options);
  for (auto& signal : DefaultSignals(*ds)) detector.AddSignal(std::move(signal));
  // A failing Status is an answer; only a crash or a sanitizer report is a finding.
  (void)detector.Run();
  return 0;
}
