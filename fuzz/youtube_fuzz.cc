// The youtube reader on arbitrary bytes, in skip mode: it must never crash,
// and must account for every record (read = loaded + rejected). The input is
// read as pretty-printed JSON documents (input.json); the first byte '1'
// switches to JSON Lines, the reader's other record cutter.
#include "lockstep/ingest/youtube_reader.h"

#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return lockstep::fuzz::JsonReaderTarget(data, size, [](const auto& paths, auto* sink, auto* report) {
    return lockstep::LoadYouTube(paths, {}, sink, report);
  });
}
