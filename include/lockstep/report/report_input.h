// What `lockstep report DIR` reads back: the run manifest detect writes
// (run.json: which data set it read, in which format) and the detection in
// networks.json + assignments.csv, mapped onto a reloaded Dataset.
//
// run.json: {"format": "lockstep-run-1", "data": "/abs/path", "data_format": "auto",
//            "column_map": [["account_id", "user"], ...], "lockstep_version": "0.1.0"}
#ifndef LOCKSTEP_REPORT_REPORT_INPUT_H_
#define LOCKSTEP_REPORT_REPORT_INPUT_H_

#include <string>
#include <utility>
#include <vector>

#include "lockstep/detect/network.h"
#include "lockstep/model/dataset.h"
#include "lockstep/model/status.h"

namespace lockstep {

struct RunManifest {
  std::string data_path;    // absolute
  std::string data_format;  // a LoadDataset format name, "auto" included
  std::vector<std::pair<std::string, std::string>> column_map;  // LoadOptions::column_map (--map)
};

// Writes dir/run.json naming `data_path` (made absolute), `data_format` and
// the column mapping the data was loaded with.
Status WriteRunManifest(const std::string& dir, const std::string& data_path, const std::string& data_format,
                        const std::vector<std::pair<std::string, std::string>>& column_map = {});
// Reads dir/run.json; kIoError when missing, kInputError when malformed.
Result<RunManifest> ReadRunManifest(const std::string& dir);

// The detection stored in dir/networks.json, with member scores from
// dir/assignments.csv when present. Account ids are looked up in `ds`; an id
// the data set does not have is a kInputError naming it (the wrong DATA).
// Timing (stage_seconds) is not restored.
Result<Detection> LoadDetection(const std::string& dir, const Dataset& ds);

// A detection output directory with its data set reloaded: what `lockstep
// report` and `lockstep export` start from.
struct StoredRun {
  RunManifest manifest;
  Dataset dataset;
  Detection detection;
};

// Reads dir/run.json (unless `data_path` is given, which overrides it, with
// `data_format`), reloads the data set (rows the detection skipped are
// skipped again, so account indices match), and loads the detection.
Result<StoredRun> LoadStoredRun(const std::string& dir, const std::string& data_path = "",
                                const std::string& data_format = "auto");

}  // namespace lockstep

#endif  // LOCKSTEP_REPORT_REPORT_INPUT_H_
