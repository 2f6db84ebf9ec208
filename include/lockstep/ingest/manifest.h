// A manifest: one small JSON file that lists the sources of an
// investigation with their formats and mappings, so that `lockstep detect
// case.json` loads them all into one data set (LoadSources) without a long
// command line:
//
//   {
//     "lockstep_manifest": 1,
//     "sources": [
//       {"path": "telegram", "format": "telegram"},
//       {"path": "meta/posts.csv", "platform": "facebook",
//        "map": {"account_id": "owner", "time": "created"}}
//     ]
//   }
//
// A file is a manifest when its first key is "lockstep_manifest"
// (IsManifestFile); the value is the version, 1. Each source has a path
// (required; relative paths are taken from the manifest's directory), a
// format (a reader name of ReaderNames(), or "auto", the default), a map
// (lockstep field -> column, as --map; only with format "auto" or "map"),
// and a platform (lower case; given to the source's accounts that have
// none, as a map or lockstep-format table may leave them). Unknown keys are
// errors, so a misspelt key is never ignored; a manifest cannot list another.
//
// Errors are InputErrors naming the manifest, the line of the offending
// value, the field ("sources[1].format"), the problem and the fix. Reading a
// manifest is O(its size); the sources are read later, by LoadSources.
#ifndef LOCKSTEP_INGEST_MANIFEST_H_
#define LOCKSTEP_INGEST_MANIFEST_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "lockstep/model/input_error.h"
#include "lockstep/model/status.h"

namespace lockstep {

struct ManifestSource {
  std::string path;             // as resolved: the manifest's directory joined with a relative path
  std::string format = "auto";  // a reader name, or "auto"
  std::vector<std::pair<std::string, std::string>> column_map;  // (lockstep field, column); empty = none
  std::string platform;                                         // "" = as the reader gives it
  uint64_t line = 0;                                            // 1-based line of the source's entry in the manifest
};

struct Manifest {
  std::string path;                     // the manifest file, as given
  std::vector<ManifestSource> sources;  // in the order listed; at least one
};

// Whether `path` is a regular file whose first JSON key is
// "lockstep_manifest" (after an optional UTF-8 byte order mark and white
// space). Reads at most the first 4 KiB; false for anything unreadable.
bool IsManifestFile(const std::string& path);

// Reads and checks the manifest at `path`: every key known, every source's
// path existing and not itself a manifest, every format a reader's name.
// kIoError if the file cannot be read; kInputError for a bad manifest, with
// the InputError's message (InputError::ToString()), which also goes to
// `sink` (ReportFatal) when it is not null.
Result<Manifest> ReadManifest(const std::string& path, ErrorSink* sink);

}  // namespace lockstep

#endif  // LOCKSTEP_INGEST_MANIFEST_H_
