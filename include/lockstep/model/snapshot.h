// Snapshots: a Dataset in a compact binary file that reloads far faster than
// parsing its CSV. Layout: a 32-byte header (magic "LKSTSNAP", format
// version, payload size, XXH3-64 of the payload) and the payload (pools and
// columns, little-endian, as in memory). A file that is not a snapshot, of
// another version, truncated, or whose checksum or contents do not add up is
// refused whole with kCorrupt; nothing is half-loaded. Besides indices in
// range, the loader checks what the rest of lockstep assumes of a Dataset:
// events sorted by time, every time inside the input window
// (InInputTimeWindow; kNoTime only where a time is optional), counts not
// below -1, list and text offsets in order. The message names the check.
#ifndef LOCKSTEP_MODEL_SNAPSHOT_H_
#define LOCKSTEP_MODEL_SNAPSHOT_H_

#include <cstdint>
#include <string>

#include "lockstep/model/dataset.h"
#include "lockstep/model/status.h"

namespace lockstep {

// 1: first format. 2: pools as the Interner's arena entries and slot table.
// 3: pools as arena entries and each string's slot (no empty slots); every
// column padded to 8 bytes so that a mapped file can be copied from directly.
// 4: pools as arena entries alone; their tables are built at first lookup.
inline constexpr uint32_t kSnapshotVersion = 4;

// Writes `ds` to `path` (replacing it atomically via a temporary file).
// kInvalidArgument for events loaded without all their columns
// (LoadOptions::action_columns_only): such a file could not be reloaded.
Status SaveSnapshot(const Dataset& ds, const std::string& path);

// Whether SaveSnapshot may write `path`, checked before any work is done: a
// new name in a writable directory, or a writable regular file (never a
// device, FIFO or directory, which the rename would replace).
// kInvalidArgument for an empty path, kIoError otherwise.
Status CheckSnapshotPath(const std::string& path);

// Loads a snapshot written by SaveSnapshot of the same version.
Result<Dataset> LoadSnapshot(const std::string& path);

// Whether the file at `path` starts with the snapshot magic.
bool IsSnapshotFile(const std::string& path);
// Whether the file at `path` is shorter than a snapshot's magic and what
// it holds is the start of it (an empty file too): a snapshot cut off.
bool IsTruncatedSnapshotHeader(const std::string& path);

}  // namespace lockstep

#endif  // LOCKSTEP_MODEL_SNAPSHOT_H_
