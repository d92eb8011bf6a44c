// gather and cumsum on the GPU. gather copies bytes (indices checked and wrapped on the host by
// the op, as for index_select); cumsum runs each line's chain in double from +0, as
// tensor/ops_reduce.cpp does, a thread per line, so the bits are the CPU's (a NaN result is NaN,
// its payload the GPU's). A long single line runs on one thread: the chain's order is the price
// of the CPU's bits.
#include <cstdint>

#include "gpu/cuda_check.h"
#include "gpu/device_util.cuh"
#include "gpu/kernels.h"
#include "tensor/detmath.h"
#include "tensor/dtype.h"

namespace nl::gpu::detail {

namespace {

// out[i] = t[the coordinates of i in index's shape, with index[i] along `dim`]; t read through
// its own strides (any layout).
template <class E>
__global__ void k_gather(const E* t, const int64_t* index, E* out, int64_t n, GatherLayout L) {
    for (uint64_t i = global_thread(); i < static_cast<uint64_t>(n); i += grid_threads()) {
        int64_t rem = static_cast<int64_t>(i), off = 0;
        for (int d = L.ndim - 1; d >= 0; --d) {
            const int64_t c = rem % L.size[d];
            rem /= L.size[d];
            off += (d == L.dim ? index[i] : c) * L.stride[d];
        }
        out[i] = t[off];
    }
}

// Lines (r, i) of contiguous x [outer, n, inner]: running sums along n.
template <class T>
__global__ void k_cumsum(const T* x, T* out, int64_t outer, int64_t n, int64_t inner) {
    const uint64_t lines = static_cast<uint64_t>(outer * inner);
    for (uint64_t line = global_thread(); line < lines; line += grid_threads()) {
        const uint64_t r = line / static_cast<uint64_t>(inner), i = line % static_cast<uint64_t>(inner);
        const uint64_t base = r * static_cast<uint64_t>(n * inner) + i;
        if constexpr (std::is_same<T, int64_t>::value) {
            uint64_t acc = 0;  // wrapping, as the CPU's
            for (int64_t k = 0; k < n; ++k) {
                acc += static_cast<uint64_t>(x[base + static_cast<uint64_t>(k * inner)]);
                out[base + static_cast<uint64_t>(k * inner)] = static_cast<int64_t>(acc);
            }
        } else {
            double acc = 0.0;
            for (int64_t k = 0; k < n; ++k) {
                const uint64_t at = base + static_cast<uint64_t>(k * inner);
                acc = dm::add(acc, to_double<T>(x[at]));
                out[at] = from_double<T>(acc);
            }
        }
    }
}

}  // namespace

void launch_gather(const void* t, const int64_t* index, void* out, size_t elem_bytes, int64_t n,
                   const GatherLayout& layout, StreamHandle stream) {
    if (n <= 0) return;
    const int grid = grid_for(n);
    dispatch_bytes(elem_bytes, "gather", [&](auto tag) {
        using E = decltype(tag);
        k_gather<E><<<grid, 256, 0, stream>>>(static_cast<const E*>(t), index, static_cast<E*>(out), n, layout);
    });
    NL_CUDA_CHECK_LAUNCH("k_gather");
}

void launch_cumsum(const void* x, void* out, DType dtype, int64_t outer, int64_t n, int64_t inner, StreamHandle stream) {
    const int64_t lines = outer * inner;
    if (lines <= 0 || n <= 0) return;
    const int grid = grid_for(lines);
    auto run = [&](auto tag) {
        using T = decltype(tag);
        k_cumsum<T><<<grid, 256, 0, stream>>>(static_cast<const T*>(x), static_cast<T*>(out), outer, n, inner);
    };
    if (dtype == DType::Int64) run(int64_t{});
    else dispatch_floating(dtype, "cumsum", run);
    NL_CUDA_CHECK_LAUNCH("k_cumsum");
}

}  // namespace nl::gpu::detail
