// stats::histogram and stats::moments (tensor/stats.h) reduced on the GPU where the tensor lives:
// the histogram view analyses a CUDA tensor every frame, and copying it to the host as doubles was
// most of that frame. Plain C++ (cuda_ops.cpp calls these through DeviceOps::histogram / moments).
#pragma once
#include <cstdint>

#include "tensor/backend.h"
#include "tensor/tensor.h"

namespace nl::gpu {

// Counts of x's finite values over `bins` equal-width bins of [lo, hi] with stats.cpp's rule:
// i = min(bins - 1, int64((v - lo) * scale)), scale = bins / (hi - lo) computed on the host in
// double; v < lo counts as below, v > hi as above, NaN and +-inf are skipped; integer and 16-bit
// values are read as double exactly as Tensor::to_vector converts them. The counts are integers,
// so they equal the CPU's whatever the order of the atomic adds. `x`: a contiguous CUDA tensor of
// any dtype; the caller has checked bins in [1, 2^24], lo < hi finite, and that scale and hi - lo
// are finite (stats.cpp keeps the other cases on the host).
void histogram_counts(const Tensor& x, int bins, double lo, double hi, double scale, DeviceHistogram& out);

// The sums stats::moments(Tensor) finishes on the host: count, NaN and inf counts, min, max and a
// compensated sum of the finite values (pass 1), then the sums of (v - mean)^k, k = 2, 3, 4, about
// mean = (sum + sum_low) / n (pass 2), every one accumulated in double with Neumaier compensation
// per thread and two-sum combination across threads and blocks (fixed order: the same bits every
// run). `x`: a contiguous CUDA tensor of any dtype.
void moment_sums(const Tensor& x, DeviceMoments& out);

}  // namespace nl::gpu
