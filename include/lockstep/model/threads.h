// The range of worker-thread counts every multi-threaded algorithm accepts.
// A count outside it is a parameter error (kInvalidArgument), never an
// attempt to start that many threads: creating 100,000 std::threads fails
// part-way and would abort the process.
#ifndef LOCKSTEP_MODEL_THREADS_H_
#define LOCKSTEP_MODEL_THREADS_H_

#include <string>

#include "lockstep/model/status.h"

namespace lockstep {

// More workers than this never help on the machines lockstep runs on and
// only cost memory (a stack each); the command line refuses them too.
inline constexpr int kMaxThreads = 256;

// Ok for 1..kMaxThreads; otherwise kInvalidArgument naming the value and the range.
inline Status CheckThreads(int threads) {
  if (threads >= 1 && threads <= kMaxThreads) return Status::Ok();
  return Status::InvalidArgument("threads is " + std::to_string(threads) + ", expected 1 to " +
                                 std::to_string(kMaxThreads));
}

}  // namespace lockstep

#endif  // LOCKSTEP_MODEL_THREADS_H_
