// finite_stats (grid_range.h): a grid-stride reduction with a fixed number of blocks; each block
// combines its threads in shared memory in a fixed tree order and writes one partial; the host adds
// the partials in block order. Same tensor, same launch: the same bits every run.
#include "gpu/grid_range.h"

#include <cuda_runtime_api.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <type_traits>
#include <vector>

#include "gpu/allocator.h"
#include "gpu/cuda_check.h"
#include "gpu/device_util.cuh"
#include "gpu/device.h"
#include "gpu/device_util.cuh"
#include "tensor/errors.h"
#include "tensor/half.h"

namespace nl::gpu {

namespace {

constexpr int kThreads = 256;
constexpr int kMaxBlocks = 264;  // enough to keep an H100's 132 SMs busy; few partials to copy back

struct Partial {
    double sum, min, max;
    long long count;
};

// deviation == false: count, sum, min and max of the finite values; true: sum of (x - mean)^2 of
// the finite values in `sum` (min, max, count as in the first pass, recomputed for free).
template <class T>
__global__ void k_finite_stats(const T* x, int64_t n, bool deviation, double mean, Partial* out) {
    __shared__ Partial part[kThreads];
    Partial p{0.0, INFINITY, -INFINITY, 0};
    for (uint64_t i = detail::global_thread(); i < static_cast<uint64_t>(n); i += detail::grid_threads()) {
        const double v = detail::load_double(x + i);
        if (isfinite(v)) {
            if (deviation) p.sum = __dadd_rn(p.sum, __dmul_rn(__dsub_rn(v, mean), __dsub_rn(v, mean)));
            else p.sum = __dadd_rn(p.sum, v);
            p.min = v < p.min ? v : p.min;
            p.max = v > p.max ? v : p.max;
            ++p.count;
        }
    }
    part[threadIdx.x] = p;
    __syncthreads();
    for (int half = kThreads / 2; half > 0; half /= 2) {
        if (static_cast<int>(threadIdx.x) < half) {
            Partial& a = part[threadIdx.x];
            const Partial& b = part[threadIdx.x + half];
            a.sum = __dadd_rn(a.sum, b.sum);
            a.min = b.min < a.min ? b.min : a.min;
            a.max = b.max > a.max ? b.max : a.max;
            a.count += b.count;
        }
        __syncthreads();
    }
    if (threadIdx.x == 0) out[blockIdx.x] = part[0];
}

// One pass over the contiguous `x`; returns the partials combined in block order.
Partial reduce(const Tensor& x, bool deviation, double mean) {
    const int dev = x.device().index;
    const int64_t n = x.numel();
    const int blocks = static_cast<int>(std::min<int64_t>(kMaxBlocks, (n + kThreads - 1) / kThreads));
    const StreamHandle stream = current_stream(dev);
    DeviceBuffer parts(sizeof(Partial) * static_cast<size_t>(blocks), dev);
    auto go = [&](auto tag) {
        using T = decltype(tag);
        k_finite_stats<T><<<blocks, kThreads, 0, stream>>>(static_cast<const T*>(x.data_ptr()), n, deviation, mean,
                                                           parts.as<Partial>());
    };
    dispatch_dtype(x.dtype(), go);
    NL_CUDA_CHECK_LAUNCH("k_finite_stats");
    std::vector<Partial> host(static_cast<size_t>(blocks));
    NL_CUDA_CHECK(cudaMemcpyAsync(host.data(), parts.get(), sizeof(Partial) * host.size(), cudaMemcpyDeviceToHost, stream));
    NL_CUDA_CHECK(cudaStreamSynchronize(stream));
    Partial all{0.0, INFINITY, -INFINITY, 0};
    for (const Partial& p : host) {
        all.sum += p.sum;
        all.min = std::min(all.min, p.min);
        all.max = std::max(all.max, p.max);
        all.count += p.count;
    }
    return all;
}

}  // namespace

FiniteStats finite_stats(const Tensor& t, bool with_deviation) {
    if (!t.defined() || !t.device().is_cuda())
        throw DeviceError("finite_stats: expected a CUDA tensor, got " +
                          (t.defined() ? t.device().str() : std::string("an undefined tensor")));
    FiniteStats s;
    s.min = INFINITY;
    s.max = -INFINITY;
    if (t.numel() == 0) return s;
    const Tensor x = t.contiguous();
    DeviceGuard guard(x.device().index);
    const Partial a = reduce(x, false, 0.0);
    s.finite = a.count;
    s.sum = a.sum;
    if (a.count == 0) return s;
    s.min = a.min;
    s.max = a.max;
    if (with_deviation) s.squared_deviation = reduce(x, true, a.sum / static_cast<double>(a.count)).sum;
    return s;
}

}  // namespace nl::gpu
