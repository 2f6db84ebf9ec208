// The range of worker-thread counts every multi-threaded algorithm accepts.
// A count outside it is a parameter error (kInvalidArgument), never an
// attempt to start that many threads: creating 100,000 std::threads fails
// part-way and would abort the process.
#ifndef LOCKSTEP_MODEL_THREADS_H_
#define LOCKSTEP_MODEL_THREADS_H_

#include <string>
#include <thread>
#include <vector>

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

// Calls worker(t) for t = 0 .. threads-1, t = 0 on the calling thread and the
// others on threads of their own, and returns when all have. `threads` has
// passed CheckThreads (or is 1). Workers share their work through whatever
// they capture, typically an atomic index of the next item.
template <class Worker>
void RunWorkers(int threads, Worker&& worker) {
  std::vector<std::thread> others;
  others.reserve(threads > 1 ? static_cast<size_t>(threads - 1) : 0);
  for (int t = 1; t < threads; ++t) others.emplace_back([&worker, t] { worker(t); });
  worker(0);
  for (std::thread& w : others) w.join();
}

}  // namespace lockstep

#endif  // LOCKSTEP_MODEL_THREADS_H_
