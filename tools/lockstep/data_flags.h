// The DATA argument and the flags every command that reads data shares:
// --format, --on-error, --rejects. Loads with progress on a terminal.
#ifndef LOCKSTEP_TOOLS_DATA_FLAGS_H_
#define LOCKSTEP_TOOLS_DATA_FLAGS_H_

#include <string>

#include <CLI/CLI.hpp>

#include "lockstep/ingest/load.h"
#include "lockstep/model/dataset.h"

namespace lockstep::cli {

struct DataFlags {
  std::string path;
  std::vector<std::string> more;  // further DATA arguments: sources merged into one data set (LoadSources)
  std::string format = "auto";
  std::string on_error = "fail";
  std::string rejects;
  std::vector<std::string> map;  // --map field=column,...
  bool event_ids = true;         // LoadOptions::event_ids; not a flag: set by commands that take the hint
  bool action_columns_only = false;  // LoadOptions::action_columns_only; likewise

  // Adds DATA (positional, required) and the flags to `app`.
  void Add(CLI::App& app);
};

// Loads the data named by `flags`. Prints errors to stderr and returns the
// exit code: kExitOk on success (the data set in *ds), kExitBadInput for bad
// input, kExitUsage for a bad path or format. Under --on-error=skip the
// rejected rows are summarised on stderr. With several sources each one's
// rows (read = loaded + rejected), accounts, events and id prefix are
// printed on stderr too, unless `quiet_sources` (ingest prints its own).
int LoadData(const DataFlags& flags, Dataset* ds, LoadReport* report, bool quiet_sources = false);

// Renders byte progress on stderr when it is a terminal; silent otherwise.
class ProgressLine {
 public:
  explicit ProgressLine(std::string label);
  ~ProgressLine();
  void Update(uint64_t done, uint64_t total);
  void Finish();

 private:
  std::string label_;
  bool enabled_;
  bool shown_ = false;
};

}  // namespace lockstep::cli

#endif  // LOCKSTEP_TOOLS_DATA_FLAGS_H_
