#include "dist_load.h"

#include <cstdio>
#include <cstdlib>
#include <string>

#include <fmt/format.h>

#include "command.h"
#include "lockstep/model/input_error.h"
#ifdef LOCKSTEP_HAVE_MPI
#include "lockstep/dist/partitioned_load.h"
#endif

namespace lockstep::cli {
namespace {

// This process's rank as its launcher set it; 0 when none did.
int LauncherRank() {
  for (const char* v : {"OMPI_COMM_WORLD_RANK", "PMIX_RANK", "PMI_RANK"})
    if (const char* r = std::getenv(v); r != nullptr) return std::atoi(r);
  return 0;
}

}  // namespace

bool IsOutputRank() { return LauncherRank() == 0; }

int LoadDataAcrossRanks(const DataFlags& flags, Dataset* ds, LoadReport* report) {
#ifndef LOCKSTEP_HAVE_MPI
  // Several ranks of a build without MPI: rank 0 does all the work alone.
  if (!IsOutputRank()) return kExitOk;
  return LoadData(flags, ds, report);
#else
  bool single = true;
  {
    if (!MpiJob::Launched()) return LoadData(flags, ds, report);
    MpiJob job;
    std::string why;
    const bool split = flags.more.empty() && flags.map.empty() &&
                       PartitionedLoad::Partitionable(flags.path, flags.format, &why);
    if (!split) {
      if (job.rank() == 0 && job.size() > 1)
        std::fprintf(stderr, "lockstep: %s: %s; rank 0 loads it alone\n", flags.path.c_str(),
                     flags.more.empty() ? why.c_str() : "several DATA sources");
    } else {
      single = false;
      PartitionedLoadOptions options;
      options.path = flags.path;
      options.format = flags.format;
      options.on_error = flags.on_error == "skip" ? ErrorPolicy::kSkip : ErrorPolicy::kFail;
      options.rejects = flags.rejects;
      if (!options.rejects.empty() && options.on_error != ErrorPolicy::kSkip) {
        if (job.rank() == 0) std::fprintf(stderr, "lockstep: --rejects needs --on-error=skip\n");
        return kExitUsage;
      }
      PartitionedLoad load(job, options);
      const Status s = load.Run();
      if (!s.ok()) {
        if (job.rank() == 0) std::fprintf(stderr, "lockstep: %s\n", EscapeControl(s.message()).c_str());
        return ExitCodeFor(s);
      }
      if (job.rank() > 0) return kExitOk;
      const PartitionStats& st = load.stats();
      *ds = std::move(load.dataset());
      if (report != nullptr) {
        *report = load.report();
        report->seconds = st.load_seconds + st.gather_seconds + st.merge_seconds;
      }
      if (st.rows_rejected > 0)
        std::fprintf(stderr, "lockstep: %llu rows skipped across %d ranks (rank r > 0 writes --rejects FILE.rank<r>)\n",
                     static_cast<unsigned long long>(st.rows_rejected), st.ranks);
      std::fprintf(stderr,
                   "dist: %d ranks; rank 0 parsed %.1f MB (%.2f s), gathered %.1f MB of shares (%.2f s), merged %zu "
                   "events (%.2f s)\n",
                   st.ranks, st.share_bytes / 1e6, st.load_seconds, st.gathered_bytes / 1e6, st.gather_seconds,
                   ds->events.size(), st.merge_seconds);
    }
    if (single && job.rank() > 0) return kExitOk;
  }  // MPI_Finalize: what follows on rank 0 is a single process's work
  if (single) return LoadData(flags, ds, report);
  return kExitOk;
#endif
}

}  // namespace lockstep::cli
