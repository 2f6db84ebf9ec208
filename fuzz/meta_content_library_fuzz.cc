// The meta_content_library reader on arbitrary bytes, in skip mode: it must
// never crash, and must account for every record or row (read = loaded +
// rejected). The first byte picks the form: '1' JSON Lines, '2' CSV, else
// pretty-printed JSON documents (input.json).
#include "lockstep/ingest/meta_content_library_reader.h"

#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace lockstep;
  std::string_view input = fuzz::AsView(data, size);
  const char form = input.empty() ? '0' : input.front();
  if (form == '1' || form == '2') input.remove_prefix(1);
  const std::string path =
      fuzz::WriteInput(form == '1' ? "input.jsonl" : form == '2' ? "input.csv" : "input.json", input);
  ErrorSink sink(ErrorPolicy::kSkip);
  LoadReport report;
  auto ds = LoadMetaContentLibrary({path}, {}, &sink, &report);
  if (ds.ok() && report.rows_loaded() + report.rows_rejected() != report.rows_read()) __builtin_trap();
  return 0;
}
