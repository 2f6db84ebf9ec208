// The --map reader on arbitrary bytes: CSV (first byte even) or JSON Lines
// (odd), with a fixed mapping that uses a rename, a constant and a dotted path.
#include "lockstep/ingest/mapped_reader.h"

#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace lockstep;
  if (size == 0) return 0;
  const bool json = data[0] & 1;
  const std::string path = fuzz::WriteInput(json ? "input.jsonl" : "input.csv", fuzz::AsView(data + 1, size - 1));
  LoadOptions options;
  options.column_map = {{"account_id", json ? "user.id" : "user"}, {"time", "ts"}, {"urls", "links"},
                        {"platform", "=x"}, {"followers", "f"}};
  ErrorSink sink(ErrorPolicy::kSkip);
  LoadReport report;
  auto ds = LoadMapped({path}, options, &sink, &report);
  if (ds.ok() && report.rows_loaded() + report.rows_rejected() != report.rows_read()) __builtin_trap();
  return 0;
}
