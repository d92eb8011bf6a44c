// histogram_counts and moment_sums (stats_kernels.h).
//
// Histogram: a grid-stride loop over the tensor; each value's bin index is stats.cpp's double
// formula, computed with explicitly rounded operations (no contraction). With at most
// kSharedBins bins each block counts into 32-bit shared-memory bins and adds them to the global
// 64-bit counts once at the end; more bins count straight into global memory. below/above are
// summed per warp by shuffles, then added atomically. Integer adds commute, so any interleaving
// gives the same counts.
//
// Moments: two passes of a fixed-shape reduction (as grid_range.cu): per-thread Neumaier sums, a
// tree in shared memory in fixed order, per-block partials combined on the host in block order.
#include "gpu/stats_kernels.h"

#include <cuda_runtime_api.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "gpu/allocator.h"
#include "gpu/cuda_check.h"
#include "gpu/device.h"
#include "gpu/device_util.cuh"
#include "tensor/errors.h"
#include "tensor/half.h"

namespace nl::gpu {

namespace {

constexpr int kThreads = 256;
constexpr int kMaxBlocks = 264;       // the moments' partials: enough blocks for an H100, few to copy back
constexpr int kSharedBins = 12288;    // 48 KiB of 32-bit counters, the default shared-memory limit

// ---- histogram -----------------------------------------------------------------------------------

__device__ __forceinline__ unsigned long long warp_sum(unsigned long long v) {
    for (int o = 16; o > 0; o /= 2) v += __shfl_down_sync(0xffffffffu, v, o);
    return v;
}

// Bin of a finite v in [lo, hi] (stats.cpp: min(bins - 1, int64((v - lo) * scale))).
__device__ __forceinline__ int bin_of(double v, double lo, double scale, int bins) {
    const long long i = static_cast<long long>(__dmul_rn(__dsub_rn(v, lo), scale));
    return i < bins - 1 ? static_cast<int>(i) : bins - 1;
}

// shared_bins: count into `bins` 32-bit shared counters (dynamic shared memory) first.
template <class T, bool kShared>
__global__ void k_histogram(const T* x, int64_t n, int bins, double lo, double hi, double scale,
                            unsigned long long* counts, unsigned long long* outside) {
    extern __shared__ unsigned int local[];
    if (kShared) {
        for (int b = threadIdx.x; b < bins; b += blockDim.x) local[b] = 0u;
        __syncthreads();
    }
    unsigned long long below = 0, above = 0;
    for (uint64_t i = detail::global_thread(); i < static_cast<uint64_t>(n); i += detail::grid_threads()) {
        const double v = detail::load_double(x + i);
        if (!isfinite(v)) continue;
        if (v < lo) {
            ++below;
        } else if (v > hi) {
            ++above;
        } else {
            const int b = bin_of(v, lo, scale, bins);
            if (kShared) atomicAdd(&local[b], 1u);
            else atomicAdd(&counts[b], 1ull);
        }
    }
    below = warp_sum(below);
    above = warp_sum(above);
    if ((threadIdx.x & 31u) == 0) {
        if (below) atomicAdd(&outside[0], below);
        if (above) atomicAdd(&outside[1], above);
    }
    if (kShared) {
        __syncthreads();
        for (int b = threadIdx.x; b < bins; b += blockDim.x)
            if (local[b]) atomicAdd(&counts[b], static_cast<unsigned long long>(local[b]));
    }
}

// ---- moments -------------------------------------------------------------------------------------

// A sum carried as hi + lo (Neumaier): the rounding error of every add lands in lo.
struct CompSum {
    double hi, lo;
};
__device__ __host__ __forceinline__ void comp_add(CompSum& s, double v) {
    const double t = s.hi + v;
    s.lo += fabs(s.hi) >= fabs(v) ? (s.hi - t) + v : (v - t) + s.hi;
    s.hi = t;
}
__device__ __host__ __forceinline__ void comp_merge(CompSum& a, const CompSum& b) {
    comp_add(a, b.hi);
    a.lo += b.lo;
}

struct Pass1 {
    CompSum sum;
    double min, max;
    long long n, nan, inf;
};
struct Pass2 {
    CompSum m2, m3, m4;
};

__device__ __host__ __forceinline__ void merge(Pass1& a, const Pass1& b) {
    comp_merge(a.sum, b.sum);
    a.min = b.min < a.min ? b.min : a.min;
    a.max = b.max > a.max ? b.max : a.max;
    a.n += b.n;
    a.nan += b.nan;
    a.inf += b.inf;
}
__device__ __host__ __forceinline__ void merge(Pass2& a, const Pass2& b) {
    comp_merge(a.m2, b.m2);
    comp_merge(a.m3, b.m3);
    comp_merge(a.m4, b.m4);
}

// Combines the block's threads in a fixed tree order; thread 0 writes the block's partial.
template <class P>
__device__ __forceinline__ void block_reduce(P p, P* out) {
    __shared__ P part[kThreads];
    part[threadIdx.x] = p;
    __syncthreads();
    for (int half = kThreads / 2; half > 0; half /= 2) {
        if (static_cast<int>(threadIdx.x) < half) merge(part[threadIdx.x], part[threadIdx.x + half]);
        __syncthreads();
    }
    if (threadIdx.x == 0) out[blockIdx.x] = part[0];
}

template <class T>
__global__ void k_moments_pass1(const T* x, int64_t n, Pass1* out) {
    Pass1 p{{0.0, 0.0}, INFINITY, -INFINITY, 0, 0, 0};
    for (uint64_t i = detail::global_thread(); i < static_cast<uint64_t>(n); i += detail::grid_threads()) {
        const double v = detail::load_double(x + i);
        if (isnan(v)) {
            ++p.nan;
        } else if (isinf(v)) {
            ++p.inf;
        } else {
            comp_add(p.sum, v);
            p.min = v < p.min ? v : p.min;
            p.max = v > p.max ? v : p.max;
            ++p.n;
        }
    }
    block_reduce(p, out);
}

template <class T>
__global__ void k_moments_pass2(const T* x, int64_t n, double mean, Pass2* out) {
    Pass2 p{{0.0, 0.0}, {0.0, 0.0}, {0.0, 0.0}};
    for (uint64_t i = detail::global_thread(); i < static_cast<uint64_t>(n); i += detail::grid_threads()) {
        const double v = detail::load_double(x + i);
        if (!isfinite(v)) continue;
        const double d = v - mean, d2 = d * d;
        comp_add(p.m2, d2);
        comp_add(p.m3, d2 * d);
        comp_add(p.m4, d2 * d2);
    }
    block_reduce(p, out);
}

void check_cuda_tensor(const Tensor& x, const char* what) {
    if (!x.defined() || !x.device().is_cuda() || !x.is_contiguous())
        throw DeviceError(std::string(what) + ": expected a contiguous CUDA tensor");
}

// The partials of one kernel launch over blocks, copied back and merged in block order.
template <class P, class Launch>
P reduce_blocks(int dev, int blocks, P init, Launch&& launch) {
    const StreamHandle stream = current_stream(dev);
    DeviceBuffer parts(sizeof(P) * static_cast<size_t>(blocks), dev);
    launch(parts.as<P>(), stream);
    std::vector<P> host(static_cast<size_t>(blocks));
    NL_CUDA_CHECK(cudaMemcpyAsync(host.data(), parts.get(), sizeof(P) * host.size(), cudaMemcpyDeviceToHost, stream));
    NL_CUDA_CHECK(cudaStreamSynchronize(stream));
    for (const P& p : host) merge(init, p);
    return init;
}

}  // namespace

void histogram_counts(const Tensor& x, int bins, double lo, double hi, double scale, DeviceHistogram& out) {
    check_cuda_tensor(x, "histogram_counts");
    if (bins < 1) throw ValueError("histogram_counts: bins must be >= 1, got " + std::to_string(bins));
    out.counts.assign(static_cast<size_t>(bins), 0);
    out.below = out.above = out.total = 0;
    const int64_t n = x.numel();
    if (n == 0) return;
    const int dev = x.device().index;
    DeviceGuard guard(dev);
    const StreamHandle stream = current_stream(dev);
    const int blocks = detail::grid_for(n, kThreads);
    // 32-bit shared counters hold at most the block's share of the elements.
    const uint64_t per_block =
        (static_cast<uint64_t>(n) + static_cast<uint64_t>(blocks) * kThreads - 1) / (static_cast<uint64_t>(blocks) * kThreads) *
        kThreads;
    const bool shared = bins <= kSharedBins && per_block < (uint64_t(1) << 32);
    DeviceBuffer counts(sizeof(unsigned long long) * (static_cast<size_t>(bins) + 2), dev);
    unsigned long long* c = counts.as<unsigned long long>();
    NL_CUDA_CHECK(cudaMemsetAsync(c, 0, counts.bytes(), stream));
    dispatch_dtype(x.dtype(), [&](auto tag) {
        using T = decltype(tag);
        const T* p = static_cast<const T*>(x.data_ptr());
        if (shared)
            k_histogram<T, true><<<blocks, kThreads, sizeof(unsigned int) * static_cast<size_t>(bins), stream>>>(
                p, n, bins, lo, hi, scale, c, c + bins);
        else
            k_histogram<T, false><<<blocks, kThreads, 0, stream>>>(p, n, bins, lo, hi, scale, c, c + bins);
    });
    NL_CUDA_CHECK_LAUNCH("k_histogram");
    std::vector<unsigned long long> host(static_cast<size_t>(bins) + 2);
    NL_CUDA_CHECK(cudaMemcpyAsync(host.data(), c, counts.bytes(), cudaMemcpyDeviceToHost, stream));
    NL_CUDA_CHECK(cudaStreamSynchronize(stream));
    int64_t in_range = 0;
    for (int b = 0; b < bins; ++b) {
        out.counts[static_cast<size_t>(b)] = static_cast<int64_t>(host[static_cast<size_t>(b)]);
        in_range += out.counts[static_cast<size_t>(b)];
    }
    out.below = static_cast<int64_t>(host[static_cast<size_t>(bins)]);
    out.above = static_cast<int64_t>(host[static_cast<size_t>(bins) + 1]);
    out.total = in_range + out.below + out.above;  // every finite value is below, above or in a bin
}

void moment_sums(const Tensor& x, DeviceMoments& out) {
    check_cuda_tensor(x, "moment_sums");
    out = DeviceMoments{};
    const int64_t n = x.numel();
    if (n == 0) return;
    const int dev = x.device().index;
    DeviceGuard guard(dev);
    const int blocks = static_cast<int>(std::min<int64_t>(kMaxBlocks, (n + kThreads - 1) / kThreads));
    Pass1 a{{0.0, 0.0}, INFINITY, -INFINITY, 0, 0, 0};
    dispatch_dtype(x.dtype(), [&](auto tag) {
        using T = decltype(tag);
        const T* p = static_cast<const T*>(x.data_ptr());
        a = reduce_blocks(dev, blocks, a, [&](Pass1* parts, StreamHandle stream) {
            k_moments_pass1<T><<<blocks, kThreads, 0, stream>>>(p, n, parts);
            NL_CUDA_CHECK_LAUNCH("k_moments_pass1");
        });
    });
    out.n = a.n;
    out.nan_count = a.nan;
    out.inf_count = a.inf;
    if (a.n == 0) return;
    out.min = a.min;
    out.max = a.max;
    out.mean = (a.sum.hi + a.sum.lo) / static_cast<double>(a.n);
    Pass2 b{{0.0, 0.0}, {0.0, 0.0}, {0.0, 0.0}};
    dispatch_dtype(x.dtype(), [&](auto tag) {
        using T = decltype(tag);
        const T* p = static_cast<const T*>(x.data_ptr());
        const double mean = out.mean;
        b = reduce_blocks(dev, blocks, b, [&](Pass2* parts, StreamHandle stream) {
            k_moments_pass2<T><<<blocks, kThreads, 0, stream>>>(p, n, mean, parts);
            NL_CUDA_CHECK_LAUNCH("k_moments_pass2");
        });
    });
    out.m2 = b.m2.hi + b.m2.lo;
    out.m3 = b.m3.hi + b.m3.lo;
    out.m4 = b.m4.hi + b.m4.lo;
}

}  // namespace nl::gpu
