// Loading a data set: the options every reader shares, per-file accounting,
// and the entry point that picks a reader (or a snapshot) for a path.
#ifndef LOCKSTEP_INGEST_LOAD_H_
#define LOCKSTEP_INGEST_LOAD_H_

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "lockstep/model/dataset.h"
#include "lockstep/model/input_error.h"
#include "lockstep/model/status.h"

namespace lockstep {

struct LoadProgress {
  std::string file;          // the file being read
  uint64_t bytes_done = 0;   // bytes of all files consumed so far (on disk)
  uint64_t bytes_total = 0;  // bytes of all files to read (on disk)
};

struct LoadOptions {
  // Called now and then (at most every 4 MiB of input) while loading.
  std::function<void(const LoadProgress&)> progress;
  // Generic column mapping (--map account_id=user,time=created_at): pairs of
  // (lockstep field, column in the user's file). Empty = no mapping.
  std::vector<std::pair<std::string, std::string>> column_map;
  // false: a hint from a caller that reads event ids only to compare the ids
  // of events that share account, time and a key they act on (lockstep
  // network's rule that rows repeating one message are one action). Where
  // no two events share account, time and anything they act on (target,
  // URL, hashtag, mention, text), no such comparison is made, so a reader
  // may leave Events::event_id all kNoString instead of interning the ids
  // (on a share table of unique content ids, half the strings of the load);
  // the objects pool then holds target ids only. Readers that do not take
  // the hint (all but the CooRTweet plain-share fast path, whose events act
  // on their target only) load event ids as usual.
  bool event_ids = true;
  // true: a hint from a caller that reads only the events' time, account,
  // type, event_id and target_id (lockstep network for co-share, co-reply
  // and co-like). A reader that takes it leaves the other event columns
  // (text, lists, target account, language, client, target country) as in
  // an empty data set rather than writing a "none" for every event: on a
  // share table, where they hold nothing, that is 34 of 55 bytes an event.
  // Only the CooRTweet plain-share fast path takes it; ExtractObjectKeys
  // refuses a list or text key on events without those columns.
  bool action_columns_only = false;
};

// What happened to each file: rows_read == rows_loaded + rows_rejected.
struct FileStats {
  std::string path;
  uint64_t rows_read = 0;
  uint64_t rows_loaded = 0;
  uint64_t rows_rejected = 0;
  uint64_t bytes = 0;  // decompressed bytes parsed
};

// One source of a load of several (LoadSources).
struct SourceStats {
  std::string path;
  std::string format;        // its reader
  std::string id_namespace;  // the prefix of its ids in the merged data set; "" for none
  uint64_t rows_read = 0, rows_loaded = 0, rows_rejected = 0;
  uint64_t accounts = 0, events = 0;  // as the source loaded them, before merging
};

// One line on a source, as the CLI prints it: "PATH (FORMAT): rows read N
// = loaded L + rejected R; A accounts, E events; ids prefixed P:".
std::string FormatSourceStats(const SourceStats& s);

struct LoadReport {
  std::string format;  // reader used: "lockstep", "snapshot", ...; "telegram+tiktok" for several sources
  std::vector<FileStats> files;
  std::vector<SourceStats> sources;  // LoadSources only: one per path
  uint64_t bytes = 0;      // decompressed bytes parsed, all files
  double seconds = 0;      // wall time of the load
  uint64_t rows_read() const;
  uint64_t rows_loaded() const;
  uint64_t rows_rejected() const;
};

// Loads `path` with the reader named `format`, "auto" to detect it: a
// snapshot file, or a directory in the lockstep format. Input errors go to
// `sink` under its policy; when the sink stops the load (policy kFail) the
// result is a kInputError status carrying the first error's message. Missing
// required files and unreadable paths are kIoError; an unknown format name
// kInvalidArgument. Never returns a half-loaded data set.
Result<Dataset> LoadDataset(const std::string& path, const std::string& format, const LoadOptions& options,
                            ErrorSink* sink, LoadReport* report);

// Loads several sources into one data set (a Telegram export beside a
// Content Library export, say): each path as LoadDataset loads it (`format`
// applies to every path; "auto" detects each one's reader), then merged by
// MergeDatasets (model/merge.h). Ids never collide across platforms: when the
// sources are of different platforms, every id of a source is prefixed with
// its platform ("telegram:user101"; the platform of the source's first
// account, or its reader's name if it has none); sources of one platform
// share ids unprefixed, so the same id is the same account or post.
// report->files lists every source's files, report->sources each source's
// rows (read = loaded + rejected), accounts and events. The first source that
// fails fails the load.
// A path that is a manifest (ingest/manifest.h) stands for the sources it
// lists, each read with its own format, column map and platform (a source
// with a platform in the manifest is namespaced by it); `format` must then
// be "auto" and options.column_map empty (kInvalidArgument otherwise). A bad
// manifest is a kInputError naming its line and field, also given to `sink`.
Result<Dataset> LoadSources(const std::vector<std::string>& paths, const std::string& format,
                            const LoadOptions& options, ErrorSink* sink, LoadReport* report);

// The reader names LoadDataset accepts (besides "auto").
std::vector<std::string> ReaderNames();

}  // namespace lockstep

#endif  // LOCKSTEP_INGEST_LOAD_H_
