// The value range of the image view's grid computed where the tensor lives: the GPU path (CUDA-GL
// interop) needs render::resolve_range's lo and hi, and resolve_range copies the whole tensor to
// the host as doubles (128 MB a frame for a 4096x4096 float32 image). Here one reduction kernel
// reads the tensor on its GPU and only a few hundred bytes of per-block partials come back.
// Plain C++: the GUI includes this header with no CUDA header. gui/interop/grid_spec.cpp applies
// render's rules (modes, parameter checks, the no-finite-values fallback) to these statistics.
#pragma once
#include <cstdint>

#include "tensor/tensor.h"

namespace nl::gpu {

// Statistics of the finite elements of a tensor (NaN and +-inf skipped, as render's range_of),
// accumulated in double. With no finite element: finite == 0, min = +inf, max = -inf, sums 0.
struct FiniteStats {
    int64_t finite = 0;
    double min = 0.0, max = 0.0;
    double sum = 0.0;
    double squared_deviation = 0.0;  // sum of (x - sum/finite)^2; only when asked for (0 otherwise)
};

// `t`: a CUDA tensor of any dtype and layout (non-contiguous ones are made contiguous on the device
// first; integer and bool ones read as double). with_deviation: a second pass over the tensor for
// squared_deviation about the mean of the first (render's two-pass standard deviation, not the
// cancellation-prone sum of squares). Throws DeviceError for a tensor not on a GPU.
FiniteStats finite_stats(const Tensor& t, bool with_deviation);

}  // namespace nl::gpu
