// DATA under an MPI launcher (mpirun, srun): every rank parses its share of
// the events, rank 0 gets the whole data set and does the rest
// (lockstep/dist/partitioned_load.h, docs/scale.md). Started any other way,
// or built without MPI, these are LoadData and "yes".
#ifndef LOCKSTEP_TOOLS_DIST_LOAD_H_
#define LOCKSTEP_TOOLS_DIST_LOAD_H_

#include "data_flags.h"
#include "lockstep/ingest/load.h"
#include "lockstep/model/dataset.h"

namespace lockstep::cli {

// Whether this process writes outputs and prints results: rank 0 of an MPI
// job, or a process no MPI launcher started. Read from the launcher's
// environment, so it may be asked before any MPI call.
bool IsOutputRank();

// Loads the data as LoadData does and returns the exit code. Under an MPI
// launcher every rank must call it: rank 0 gets the whole data set in *ds
// (and *report), other ranks (ds and report may be null) parse their share,
// send it to rank 0 and return; the caller then returns that code. A data set
// that cannot be split (PartitionedLoad::Partitionable) is loaded by rank 0
// alone, which says why on stderr.
int LoadDataAcrossRanks(const DataFlags& flags, Dataset* ds, LoadReport* report);

}  // namespace lockstep::cli

#endif  // LOCKSTEP_TOOLS_DIST_LOAD_H_
