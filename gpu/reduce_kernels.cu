// Reductions along dims on the GPU (sum, mean, var, std, min / max / argmin / argmax): the CPU's
// arithmetic from tensor/reduce_formulas.h, so the results are the CPU's bits (a NaN result is
// NaN, its payload the GPU's). Rows [outer, inner]
// are cut into blocks of kReduceBlock; a thread takes one (row, block) item and its sequential
// chain (the chain's order is what fixes the bits), then a thread per row combines its blocks in
// order. Long rows thus spread over many threads; the kernels do not depend on the launch shape.
#include <cstdint>

#include "gpu/cuda_check.h"
#include "gpu/device_util.cuh"
#include "gpu/kernels.h"
#include "tensor/dtype.h"
#include "tensor/reduce_formulas.h"

namespace nl::gpu::detail {

namespace {

using reduce::kReduceBlock;

// partial[item] for item = row * nblocks + block: the block's sum, or with `mean` its squared
// deviations from mean[row].
template <class T>
__global__ void k_block_sums(const T* x, int64_t outer, int64_t inner, int64_t nblocks, const double* mean,
                             double* partial) {
    const uint64_t items = static_cast<uint64_t>(outer * nblocks);
    for (uint64_t item = global_thread(); item < items; item += grid_threads()) {
        const int64_t row = static_cast<int64_t>(item / static_cast<uint64_t>(nblocks));
        const int64_t begin = static_cast<int64_t>(item % static_cast<uint64_t>(nblocks)) * kReduceBlock;
        const int64_t end = begin + kReduceBlock < inner ? begin + kReduceBlock : inner;
        const T* r = x + row * inner;
        partial[item] = mean ? reduce::block_squares(r, begin, end, mean[row]) : reduce::block_sum(r, begin, end);
    }
}

// Each row's total (its block sums from +0 in order), finished as `op` asks: Sum and Mean into
// out (when not null) and Mean also into mean_out (when not null); Var and Std from the squared
// deviations.
template <class T>
__global__ void k_row_finish(const double* partial, int64_t outer, int64_t nblocks, int op, int64_t inner,
                             bool unbiased, T* out, double* mean_out) {
    for (uint64_t row = global_thread(); row < static_cast<uint64_t>(outer); row += grid_threads()) {
        double total = 0.0;
        for (int64_t b = 0; b < nblocks; ++b) total = dm::add(total, partial[row * static_cast<uint64_t>(nblocks) + b]);
        double v = total;
        if (op == static_cast<int>(DeviceReduceOp::Mean)) v = dm::div(total, static_cast<double>(inner));
        if (op == static_cast<int>(DeviceReduceOp::Var) || op == static_cast<int>(DeviceReduceOp::Std))
            v = reduce::variance(total, inner, unbiased, op == static_cast<int>(DeviceReduceOp::Std));
        if (mean_out) mean_out[row] = v;
        if (out) out[row] = from_double<T>(v);
    }
}

__global__ void k_int_row_sums(const int64_t* x, int64_t outer, int64_t inner, int64_t* out) {
    for (uint64_t row = global_thread(); row < static_cast<uint64_t>(outer); row += grid_threads()) {
        uint64_t s = 0;  // wrapping: exact modulo 2^64, as the CPU's
        for (int64_t i = 0; i < inner; ++i) s += static_cast<uint64_t>(x[row * static_cast<uint64_t>(inner) + i]);
        out[row] = static_cast<int64_t>(s);
    }
}

// best[item]: the row index of the item's block winner.
template <bool IsMax, class T>
__global__ void k_block_extremes(const T* x, int64_t outer, int64_t inner, int64_t nblocks, int64_t* best) {
    const uint64_t items = static_cast<uint64_t>(outer * nblocks);
    for (uint64_t item = global_thread(); item < items; item += grid_threads()) {
        const int64_t row = static_cast<int64_t>(item / static_cast<uint64_t>(nblocks));
        const int64_t begin = static_cast<int64_t>(item % static_cast<uint64_t>(nblocks)) * kReduceBlock;
        const int64_t end = begin + kReduceBlock < inner ? begin + kReduceBlock : inner;
        best[item] = reduce::block_extreme<IsMax>(x + row * inner, begin, end);
    }
}

template <bool IsMax, class T>
__global__ void k_row_extremes(const T* x, const int64_t* best, int64_t outer, int64_t inner, int64_t nblocks,
                               T* values, int64_t* indices) {
    for (uint64_t row = global_thread(); row < static_cast<uint64_t>(outer); row += grid_threads()) {
        const T* r = x + row * static_cast<uint64_t>(inner);
        const int64_t* b = best + row * static_cast<uint64_t>(nblocks);
        int64_t i = b[0];
        for (int64_t k = 1; k < nblocks; ++k)
            if (reduce::replaces<IsMax>(r[i], r[b[k]])) i = b[k];
        values[row] = r[i];
        indices[row] = i;
    }
}

}  // namespace

void launch_reduce_rows(const void* x, DType dtype, DeviceReduceOp op, int64_t outer, int64_t inner, bool unbiased,
                        double* partial, double* mean, void* out, StreamHandle stream) {
    if (outer <= 0) return;
    const int64_t nblocks = reduce::blocks_of(inner);
    const bool two_pass = op == DeviceReduceOp::Var || op == DeviceReduceOp::Std;
    dispatch_floating(dtype, "reduction", [&](auto tag) {
        using T = decltype(tag);
        const T* in = static_cast<const T*>(x);
        if (nblocks > 0) {
            k_block_sums<T><<<grid_for(outer * nblocks), 256, 0, stream>>>(in, outer, inner, nblocks, nullptr, partial);
            NL_CUDA_CHECK_LAUNCH("k_block_sums");
        }
        const int grid = grid_for(outer);
        if (!two_pass) {
            k_row_finish<T><<<grid, 256, 0, stream>>>(partial, outer, nblocks, static_cast<int>(op), inner, unbiased,
                                                      static_cast<T*>(out), nullptr);
            NL_CUDA_CHECK_LAUNCH("k_row_finish");
            return;
        }
        // Var / Std: the means, then the squared deviations from them (two passes, as the CPU).
        k_row_finish<T><<<grid, 256, 0, stream>>>(partial, outer, nblocks, static_cast<int>(DeviceReduceOp::Mean), inner,
                                                  unbiased, nullptr, mean);
        NL_CUDA_CHECK_LAUNCH("k_row_finish (mean)");
        if (nblocks > 0) {
            k_block_sums<T><<<grid_for(outer * nblocks), 256, 0, stream>>>(in, outer, inner, nblocks, mean, partial);
            NL_CUDA_CHECK_LAUNCH("k_block_sums (squares)");
        }
        k_row_finish<T><<<grid, 256, 0, stream>>>(partial, outer, nblocks, static_cast<int>(op), inner, unbiased,
                                                  static_cast<T*>(out), nullptr);
        NL_CUDA_CHECK_LAUNCH("k_row_finish (variance)");
    });
}

void launch_int_row_sums(const int64_t* x, int64_t outer, int64_t inner, int64_t* out, StreamHandle stream) {
    if (outer <= 0) return;
    k_int_row_sums<<<grid_for(outer), 256, 0, stream>>>(x, outer, inner, out);
    NL_CUDA_CHECK_LAUNCH("k_int_row_sums");
}

void launch_extreme_rows(bool is_max, const void* x, DType dtype, int64_t outer, int64_t inner, int64_t* block_best,
                         void* values, int64_t* indices, StreamHandle stream) {
    if (outer <= 0 || inner <= 0) return;
    const int64_t nblocks = reduce::blocks_of(inner);
    dispatch_dtype(dtype, [&](auto tag) {
        using T = decltype(tag);
        const T* in = static_cast<const T*>(x);
        const int items = grid_for(outer * nblocks), rows = grid_for(outer);
        if (is_max) k_block_extremes<true, T><<<items, 256, 0, stream>>>(in, outer, inner, nblocks, block_best);
        else k_block_extremes<false, T><<<items, 256, 0, stream>>>(in, outer, inner, nblocks, block_best);
        NL_CUDA_CHECK_LAUNCH("k_block_extremes");
        if (is_max) k_row_extremes<true, T><<<rows, 256, 0, stream>>>(in, block_best, outer, inner, nblocks, static_cast<T*>(values), indices);
        else k_row_extremes<false, T><<<rows, 256, 0, stream>>>(in, block_best, outer, inner, nblocks, static_cast<T*>(values), indices);
        NL_CUDA_CHECK_LAUNCH("k_row_extremes");
    });
}

}  // namespace nl::gpu::detail
