// The value parsers every reader shares: lists, times (FORMAT.md's and the
// Twitter API's), integers, decimals, hashes, booleans.
#include "ingest/reader_support.h"
#include "lockstep/ingest/field_parsers.h"
#include "lockstep/model/time.h"

#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace lockstep;
  const std::string_view text = fuzz::AsView(data, size);
  std::string scratch;
  std::vector<std::string_view> items;
  if (ParseList(text, &scratch, &items))
    for (std::string_view item : items) (void)item.size();
  int64_t t = 0, n = 0;
  if (ParseTime(text, &t)) (void)FormatTime(t);
  internal::ParseTwitterApiTime(text, &t);
  ParseInt64(text, &n);
  double d;
  ParseDecimal(text, &d);
  uint64_t h;
  ParseHash64(text, &h);
  bool b;
  ParseBool(text, &b);
  return 0;
}
