// The tiktok reader on arbitrary bytes, in skip mode: it must never crash,
// and must account for every record (read = loaded + rejected). The input is
// read as pretty-printed JSON documents (input.json); the first byte '1'
// switches to JSON Lines, the reader's other record cutter.
#include "lockstep/ingest/tiktok_reader.h"

#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace lockstep;
  std::string_view input = fuzz::AsView(data, size);
  const bool lines = !input.empty() && input.front() == '1';
  if (lines) input.remove_prefix(1);
  const std::string path = fuzz::WriteInput(lines ? "input.jsonl" : "input.json", input);
  ErrorSink sink(ErrorPolicy::kSkip);
  LoadReport report;
  auto ds = LoadTikTok({path}, {}, &sink, &report);
  if (ds.ok() && report.rows_loaded() + report.rows_rejected() != report.rows_read()) __builtin_trap();
  return 0;
}
