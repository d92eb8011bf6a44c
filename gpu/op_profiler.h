// Where a model's step spends its time on the GPU, without a profiler (Nsight Systems is not on
// the lent GPU machines, and Nsight Compute replays every kernel): with NOISELAB_PROFILE_OPS=1 in
// the environment, every device op (DeviceOps) and every copy and random draw of the CUDA backend
// is timed twice: the host time spent issuing it, and the GPU time between two events recorded
// around it on the current stream. At exit the totals per op go to stderr as a table, ops sorted by
// GPU time, so one run of a benchmark says whether it is host- or GPU-bound and which op to work on.
// Off by default: two event records cost a few microseconds per op. A timed op that runs others
// inside it (a copy within an op) counts their time in its own too.
#pragma once
#include <chrono>
#include <string>

#include "tensor/backend.h"

namespace nl::gpu {

// Whether ops are being timed: NOISELAB_PROFILE_OPS is "1" (read once per process), unless
// set_op_profiling() said otherwise since.
bool op_profiling();
void set_op_profiling(bool on);

// Times the enclosing scope as one call of `op` on `device` (op: a string literal); nothing when
// profiling is off.
class OpTimer {
public:
    OpTimer(const char* op, int device);
    ~OpTimer();
    OpTimer(const OpTimer&) = delete;
    OpTimer& operator=(const OpTimer&) = delete;

private:
    const char* op_ = nullptr;  // null: not timing
    int device_ = 0;
    int record_ = -1;           // index of this call's events, -1 past the cap
    std::chrono::steady_clock::time_point t0_;
};

// A DeviceOps that times every call into `inner` (the CUDA backend returns it from ops() while
// profiling is on). Never null; owned by the process.
DeviceOps* profiled_ops(DeviceOps* inner);

// The table so far (waits for the GPU); what is printed at exit when anything was timed.
std::string op_profile_table();
// Forgets every timed call (the table starts again empty).
void op_profile_reset();

}  // namespace nl::gpu
