// Splitting CPU work over threads in fixed chunks of the element index. Results never depend on
// the thread count: every chunk computes the same values whichever thread runs it.
#pragma once
#include <cstdint>
#include <functional>

namespace nl {

// Threads used by CPU ops (default: the hardware's; NOISELAB_NUM_THREADS overrides at start-up).
int get_num_threads();
void set_num_threads(int n);  // n >= 1; throws ValueError otherwise

// Runs f(begin, end) over [0, n) in chunks of `grain` (the last may be shorter), spread over the
// threads; runs inline when one chunk or one thread suffices. Exceptions propagate to the caller.
void parallel_for(int64_t n, int64_t grain, const std::function<void(int64_t, int64_t)>& f);

}  // namespace nl
