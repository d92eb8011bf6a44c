// The reductions' arithmetic (ops_reduce.cpp), written once for the CPU and the CUDA kernels
// (gpu/reduce_kernels.cu) so that both give the same bits. A row of `inner` elements is cut into
// blocks of kReduceBlock; a block's sum is a chain in double from +0 in index order, and a row's
// total is the chain of its block sums from +0 in block order, so the result depends neither on
// the thread count nor on the launch shape. min / max / argmin / argmax take each block's winner
// (its first NaN, else the first index of its extreme) and combine the winners in block order,
// which picks what one scan of the row picks: the first NaN, else the first index of the extreme
// (PyTorch's rule). Operations are spelled with detmath.h's exactly rounded dm::add / mul / ...
// A NaN result (a NaN in the data, 0/0 of an empty row) is NaN on both sides, its payload each
// side's own (x86 and CUDA make different NaNs); every other result has the same bits.
#pragma once
#include <cstdint>
#include <type_traits>

#include "tensor/detmath.h"
#include "tensor/dtype.h"
#include "tensor/host_device.h"

namespace nl::reduce {

constexpr int64_t kReduceBlock = 4096;

// Blocks of a row of n elements (0 for an empty row).
NL_HOST_DEVICE int64_t blocks_of(int64_t n) { return n == 0 ? 0 : (n + kReduceBlock - 1) / kReduceBlock; }

// The sum of row[begin, end) in double, from +0 in index order.
template <class T>
NL_HOST_DEVICE double block_sum(const T* row, int64_t begin, int64_t end) {
    double s = 0.0;
    for (int64_t i = begin; i < end; ++i) s = dm::add(s, to_double<T>(row[i]));
    return s;
}

// The sum of (row[i] - mean)^2 over [begin, end), likewise (var and std's second pass).
template <class T>
NL_HOST_DEVICE double block_squares(const T* row, int64_t begin, int64_t end, double mean) {
    double s = 0.0;
    for (int64_t i = begin; i < end; ++i) {
        const double d = dm::sub(to_double<T>(row[i]), mean);
        s = dm::add(s, dm::mul(d, d));
    }
    return s;
}

// var (std with take_sqrt) from the sum of squared deviations of n values: PyTorch divides by
// max(0, n - correction), so n <= correction gives 0/0 or x/0.
NL_HOST_DEVICE double variance(double m2, int64_t n, bool unbiased, bool take_sqrt) {
    const double count = static_cast<double>(n) - (unbiased ? 1.0 : 0.0);
    const double v = dm::div(m2, count > 0.0 ? count : 0.0);
    return take_sqrt ? dm::sqrt(v) : v;
}

// Values compare as float for the 16-bit types, as themselves otherwise.
template <class T>
using CompareType = std::conditional_t<std::is_same_v<T, Half> || std::is_same_v<T, BFloat16>, float, T>;

template <class T>
NL_HOST_DEVICE bool is_nan(T v) {
    using V = CompareType<T>;
    if constexpr (std::is_floating_point_v<V>) {
        const V x = static_cast<V>(v);
        return x != x;
    } else {
        return false;
    }
}

// Whether `candidate`, found after `best`, takes its place: a NaN stays, a NaN wins, else a
// strictly greater (IsMax) or smaller value.
template <bool IsMax, class T>
NL_HOST_DEVICE bool replaces(T best, T candidate) {
    using V = CompareType<T>;
    if (is_nan(best)) return false;
    if (is_nan(candidate)) return true;
    const V b = static_cast<V>(best), c = static_cast<V>(candidate);
    return IsMax ? c > b : c < b;
}

// The index of row[begin, end)'s first NaN, else of the first occurrence of its max (IsMax) or
// min. begin < end.
template <bool IsMax, class T>
NL_HOST_DEVICE int64_t block_extreme(const T* row, int64_t begin, int64_t end) {
    int64_t best = begin;
    for (int64_t i = begin + 1; i < end && !is_nan(row[best]); ++i)
        if (replaces<IsMax>(row[best], row[i])) best = i;
    return best;
}

}  // namespace nl::reduce
