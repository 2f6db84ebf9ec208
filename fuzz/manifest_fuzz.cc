// The manifest reader on arbitrary bytes: it must never crash, a rejected
// manifest is an InputError with the manifest's name, and an accepted one
// lists at least one source. The input is written as manifest.json beside a
// file data.csv, so that a manifest naming "data.csv" can be accepted.
#include "lockstep/ingest/manifest.h"

#include <cstdlib>

#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  lockstep::fuzz::WriteInput("data.csv", "account_id,time\na,2020-01-01T00:00:00Z\n");
  const std::string path = lockstep::fuzz::WriteInput("manifest.json", lockstep::fuzz::AsView(data, size));
  lockstep::ErrorSink sink;
  auto manifest = lockstep::ReadManifest(path, &sink);
  if (manifest.ok()) {
    if (manifest->sources.empty()) std::abort();
  } else if (manifest.status().code() == lockstep::StatusCode::kInputError) {
    if (sink.first() == nullptr || sink.first()->file != path) std::abort();
  }
  return 0;
}
