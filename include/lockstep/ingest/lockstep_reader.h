// The reader of the lockstep activity format (../shared/FORMAT.md): a
// directory with accounts and events (required) and infra, profile_changes,
// follower_counts and ads (optional), each CSV or JSON Lines, plain, .gz or
// .zst. The labels file is ground truth and is never read here.
//
// Row checks, each an InputError: required fields present and non-empty;
// times, integers, decimals, hashes, countries and enums well-formed; counts
// not negative; account_id unique in accounts; every other file's
// account_id known in accounts; event_id unique. Unknown columns are kept as
// extra attributes.
#ifndef LOCKSTEP_INGEST_LOCKSTEP_READER_H_
#define LOCKSTEP_INGEST_LOCKSTEP_READER_H_

#include <string>

#include "lockstep/ingest/load.h"

namespace lockstep {

// The file of table `table` ("accounts", "events", ...) in `dir`, trying
// .csv, .jsonl, .ndjson, .json, each plain, .gz or .zst; "" if none.
// More than one candidate is an error reported in *error.
std::string FindTableFile(const std::string& dir, const std::string& table, std::string* error);

// Whether `dir` looks like a lockstep-format directory (has an accounts and an events file).
bool IsLockstepDirectory(const std::string& dir);

Result<Dataset> LoadLockstepDirectory(const std::string& dir, const LoadOptions& options, ErrorSink* sink,
                                      LoadReport* report);

}  // namespace lockstep

#endif  // LOCKSTEP_INGEST_LOCKSTEP_READER_H_
