// The lockstep-format reader: the input is split at the first "\n--\n" into
// accounts.csv and events.csv.
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
  if (ds.ok() && report.rows_loaded() + report.rows_rejected() != report.rows_read()) __builtin_trap();
  return 0;
}
