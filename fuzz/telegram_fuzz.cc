// The telegram reader on arbitrary bytes, in skip mode: it must never crash,
// and must account for every record (read = loaded + rejected). The input is
// read as pretty-printed JSON documents (input.json), where a top-level
// object's "messages" array is cut into records (a Desktop export); the
// first byte '1' switches to JSON Lines (Telethon dumps).
#include "lockstep/ingest/telegram_reader.h"

#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return lockstep::fuzz::JsonReaderTarget(data, size, [](const auto& paths, auto* sink, auto* report) {
    return lockstep::LoadTelegram(paths, {}, sink, report);
  });
}
