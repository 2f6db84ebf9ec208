// The IRA tweets reader on arbitrary bytes, in skip mode: it must never crash,
// and must account for every row (read = loaded + rejected).
#include "lockstep/ingest/ira_reader.h"

#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace lockstep;
  const std::string path = fuzz::WriteInput("input.csv", fuzz::AsView(data, size));
  ErrorSink sink(ErrorPolicy::kSkip);
  LoadReport report;
  auto ds = LoadIraTweets({path}, "", {}, &sink, &report);
  if (ds.ok() && report.rows_loaded() + report.rows_rejected() != report.rows_read()) __builtin_trap();
  return 0;
}
