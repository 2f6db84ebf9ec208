// TableReader on arbitrary bytes, as CSV (first byte even) or JSON Lines (odd).
#include "lockstep/ingest/table_reader.h"

#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace lockstep;
  if (size == 0) return 0;
  const bool json = data[0] & 1;
  ErrorSink sink(ErrorPolicy::kSkip);
  auto reader = TableReader::FromString(json ? "f.jsonl" : "f.csv", std::string(fuzz::AsView(data + 1, size - 1)),
                                        {"account_id", "time", "urls"}, &sink);
  Row row;
  uint64_t rows = 0;
  while (reader->Next(&row)) {
    ++rows;
    for (std::string_view v : row.values) (void)v.size();
  }
  if (rows + reader->rows_rejected() != reader->rows_read()) __builtin_trap();  // the accounting invariant
  return 0;
}
