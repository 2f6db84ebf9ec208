// Loading one data set across the ranks of an MPI job (issue 22, first step).
//
// Each rank parses its share of the events file: a plain events.csv or
// events.jsonl is cut at record boundaries into one byte range per rank (a
// CSV newline inside quotes is not a boundary; ranks find the quote parity
// at their range's start with one MPI_Exscan over their own bytes, so no rank
// reads more than its share plus one record). Rank 0 also reads the data
// set's other tables (infra, profile changes, follower counts, ads); every
// rank reads accounts, so each share resolves its own account ids. Each
// share is serialised as a snapshot (model/snapshot.h) and sent to rank 0,
// which merges the shares in rank order (model/merge.h). The merged data
// set is the one a single-process LoadDataset gives: the same accounts,
// events in the same order (sorted by time, ties in file order) and the
// same pools, so detection on it is byte-identical.
//
// What is distributed: parsing (the load's cost). What is not yet: rank 0
// holds the whole merged data set, and everything after the load runs there
// (docs/scale.md). Memory per rank is therefore not yet bounded.
//
// Shape: configure, Run() once, then read results (dataset() on rank 0).
// Run() is collective: every rank of the job calls it with the same options.
#ifndef LOCKSTEP_DIST_PARTITIONED_LOAD_H_
#define LOCKSTEP_DIST_PARTITIONED_LOAD_H_

#include <cstdint>
#include <string>

#include "lockstep/ingest/load.h"
#include "lockstep/model/dataset.h"
#include "lockstep/model/input_error.h"
#include "lockstep/model/status.h"

namespace lockstep {

// The MPI job of this process: MPI_Init on construction, MPI_Finalize on
// destruction (one per process; not copyable). Construct it only when
// Launched().
class MpiJob {
 public:
  // Whether an MPI launcher started this process: Open MPI's mpirun
  // (OMPI_COMM_WORLD_SIZE), PMIx (PMIX_RANK: srun --mpi=pmix) or PMI (PMI_SIZE:
  // MPICH, srun --mpi=pmi2). A process started any other way never touches MPI.
  static bool Launched();
  MpiJob();
  ~MpiJob();
  MpiJob(const MpiJob&) = delete;
  MpiJob& operator=(const MpiJob&) = delete;
  int rank() const { return rank_; }
  int size() const { return size_; }

 private:
  int rank_ = 0, size_ = 1;
};

// Offset just past the first record-ending newline at or after byte `from`
// of the file at `path`, the file's size if there is none. `csv`: a newline
// inside a quoted field ends no record; `inside_quotes` says whether byte
// `from` lies inside one (an odd number of '"' before it). JSON Lines
// (`csv` false): every newline ends a record. Reads in 1 MiB blocks.
Result<uint64_t> RecordStartAfter(const std::string& path, uint64_t from, bool csv, bool inside_quotes);

// Number of `byte`s in [begin, end) of the file at `path` (CountQuotes: '"').
Result<uint64_t> CountByte(const std::string& path, uint64_t begin, uint64_t end, char byte);
Result<uint64_t> CountQuotes(const std::string& path, uint64_t begin, uint64_t end);

// Where a rank's share lies in the user's events file: the share's copy
// holds the file's first `header_bytes` (the CSV header; 0 for JSON Lines),
// then its bytes from `start`, which begin on line `start_line` (1-based).
struct ShareOrigin {
  std::string share_file;  // the copy the reader named
  std::string file;        // the user's events file
  uint64_t header_bytes = 0;
  uint64_t header_lines = 0;  // '\n's in the header bytes
  uint64_t start = 0;
  uint64_t start_line = 1;

  // A line and byte of the share's copy as the user's file's.
  void Rebase(uint64_t* line, uint64_t* byte) const;
};

// `message` of a reader's error about the share's copy, which begins
// "<share_file>:<line> (byte <offset>)", with the user's file, line and
// byte in their place; any other message is returned as it is.
std::string RebaseShareError(const std::string& message, const ShareOrigin& origin);

struct PartitionedLoadOptions {
  std::string path;               // a lockstep-format directory (Partitionable)
  std::string format = "auto";    // "auto" or "lockstep"
  LoadOptions load;               // as LoadDataset's
  ErrorPolicy on_error = ErrorPolicy::kFail;
  std::string rejects;            // --rejects; rank r > 0 writes "<rejects>.rank<r>"
  std::string temp_dir;           // where a rank writes its share; "" = $TMPDIR or /tmp
};

struct PartitionStats {
  int ranks = 1;
  uint64_t share_bytes = 0;        // bytes of the events file this rank parsed
  uint64_t share_events = 0;       // events this rank loaded
  uint64_t sent_bytes = 0;         // snapshot bytes this rank sent to rank 0
  uint64_t gathered_bytes = 0;     // rank 0: snapshot bytes of all ranks
  uint64_t rows_rejected = 0;      // all ranks (skip policy)
  double load_seconds = 0;         // this rank's parse of its share
  double gather_seconds = 0;       // snapshot, send, receive
  double merge_seconds = 0;        // rank 0: reload and merge the shares
};

class PartitionedLoad {
 public:
  // Whether `path` can be split by PartitionedLoad: one lockstep-format
  // directory whose events file is plain events.csv or events.jsonl (a
  // compressed file cannot be cut by bytes). If not, *why says why.
  static bool Partitionable(const std::string& path, const std::string& format, std::string* why);

  PartitionedLoad(const MpiJob& job, PartitionedLoadOptions options);
  // Collective. Every rank gets the same status: the first failing rank's
  // error, prefixed with its rank, when any rank fails.
  Status Run();
  // Rank 0 after a successful Run(): the whole data set. Empty elsewhere.
  Dataset& dataset();
  // Rank 0's load report with every rank's events rows added to the events file's.
  const LoadReport& report() const;
  const PartitionStats& stats() const;

 private:
  void AssureFinished() const;
  Status LoadShare(const std::string& dir, Dataset* share);
  const MpiJob& job_;
  PartitionedLoadOptions options_;
  bool has_run_ = false;
  Dataset dataset_;
  LoadReport report_;
  PartitionStats stats_;
};

}  // namespace lockstep

#endif  // LOCKSTEP_DIST_PARTITIONED_LOAD_H_
