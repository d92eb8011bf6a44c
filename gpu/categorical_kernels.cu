// gpu/categorical_kernels.h: categorical draws from wide rows, several blocks per row.
#include <cub/block/block_reduce.cuh>
#include <cub/block/block_scan.cuh>

#include <algorithm>
#include <type_traits>

#include "gpu/categorical_kernels.h"
#include "gpu/cuda_check.h"
#include "gpu/device_util.cuh"
#include "tensor/errors.h"
#include "tensor/random_block.h"

namespace nl::gpu::detail {

namespace {

constexpr double kWeightScale = 1099511627776.0;  // 2^40, Note [Integer weights] in random.cpp

__device__ __forceinline__ double inf() { return __longlong_as_double(0x7FF0000000000000ll); }

struct Segment {
    int64_t row, begin, end;
};
__device__ __forceinline__ Segment segment_of(int64_t item, int segs, int64_t seg_len, int64_t cols) {
    const int64_t row = item / segs, begin = (item % segs) * seg_len;
    return {row, begin, begin + seg_len < cols ? begin + seg_len : cols};
}

// The contiguous columns of thread t in a segment: the prefix sums of the search follow them.
__device__ __forceinline__ void chunk_of(const Segment& s, int t, int64_t& begin, int64_t& end) {
    const int64_t chunk = (s.end - s.begin + kWideThreads - 1) / kWideThreads;
    begin = s.begin + t * chunk;
    end = begin + chunk < s.end ? begin + chunk : s.end;
}


// The integer weight of one column (random.cpp's tempered weights and integer_prefix): for logits
// w = exp((l - max) / T), whose largest is exp(0) = 1 exactly, so max_w = 1; for weights max_w is
// the row's maximum.
template <class T>
__device__ __forceinline__ unsigned long long integer_weight(const T* x, int mode, double mx, double max_w,
                                                             double temperature) {
    const double v = load_double(x);
    double w = v;
    if (mode == static_cast<int>(RowMode::Logits)) w = v == -inf() ? 0.0 : dm::exp(dm::div(dm::sub(v, mx), temperature));
    if (!(w > 0.0)) return 0;
    // Logits' rows have max_w = 1: w / 1 is w exactly, and a double division is a dozen
    // instructions on the slow double pipe, per element.
    const double relative = max_w == 1.0 ? w : dm::div(w, max_w);
    const unsigned long long q = static_cast<unsigned long long>(rint(dm::mul(relative, kWeightScale)));
    return q < 1 ? 1 : q;
}

// (1) The checks of each segment, in the terms of RowCheck.
template <class T>
__global__ void __launch_bounds__(kWideThreads) k_wide_check(const T* in, int64_t cols, int64_t items, int segs,
                                                             int64_t seg_len, int mode, RowCheck* seg_checks) {
    using ReduceI = cub::BlockReduce<int64_t, kWideThreads>;
    using ReduceA = cub::BlockReduce<ArgMax, kWideThreads>;
    __shared__ union {
        typename ReduceI::TempStorage i;
        typename ReduceA::TempStorage a;
    } tmp;
    for (int64_t item = blockIdx.x; item < items; item += gridDim.x) {
        const Segment s = segment_of(item, segs, seg_len, cols);
        const T* x = in + s.row * cols;
        int64_t bad = cols, nonzero = 0;
        ArgMax am{-inf(), -1};
        for (int64_t j = s.begin + threadIdx.x; j < s.end; j += blockDim.x) {
            const double v = load_double(x + j);
            const bool is_bad = mode == static_cast<int>(RowMode::Logits) ? (v != v || v == inf())
                                                                           : (v != v || v == inf() || v == -inf() || v < 0.0);
            if (is_bad && j < bad) bad = j;
            nonzero += v > 0.0;
            if (v > am.v) am = ArgMax{v, j};  // j grows per thread: '>' keeps the first maximum
        }
        bad = ReduceI(tmp.i).Reduce(bad, MinOp());
        __syncthreads();
        nonzero = ReduceI(tmp.i).Sum(nonzero);
        __syncthreads();
        am = ReduceA(tmp.a).Reduce(am, ArgMaxOp());
        __syncthreads();
        if (threadIdx.x == 0) seg_checks[item] = RowCheck{bad, nonzero, am.i, am.v};
    }
}

__device__ RowCheck combine_row(const RowCheck* seg, int segs, int64_t cols) {
    RowCheck r{cols, 0, -1, -inf()};
    for (int k = 0; k < segs; ++k) {  // in column order: the first bad column, the first maximum
        const RowCheck& c = seg[k];
        if (c.first_bad < r.first_bad) r.first_bad = c.first_bad;
        r.nonzero += c.nonzero;
        if (c.argmax >= 0 && (r.argmax < 0 || c.max > r.max)) {
            r.argmax = c.argmax;
            r.max = c.max;
        }
    }
    return r;
}

// (2) The row's checks (segment 0 writes them for the host), then the integer weights: each
// thread's inclusive prefix over the segment's threads, and the segment's total.
template <class T>
__global__ void __launch_bounds__(kWideThreads) k_wide_weights(const T* in, int64_t cols, int64_t items, int segs,
                                                               int64_t seg_len, int mode, double temperature,
                                                               const RowCheck* seg_checks, RowCheck* row_checks,
                                                               unsigned long long* seg_totals,
                                                               unsigned long long* thread_incl) {
    using Scan = cub::BlockScan<unsigned long long, kWideThreads>;
    __shared__ typename Scan::TempStorage tmp;
    for (int64_t item = blockIdx.x; item < items; item += gridDim.x) {
        const Segment s = segment_of(item, segs, seg_len, cols);
        const RowCheck rc = combine_row(seg_checks + s.row * segs, segs, cols);
        if (item % segs == 0 && threadIdx.x == 0) row_checks[s.row] = rc;
        unsigned long long sum = 0;
        if (row_drawable(rc, cols, static_cast<RowMode>(mode))) {
            const double max_w = mode == static_cast<int>(RowMode::Logits) ? 1.0 : rc.max;
            int64_t j0, j1;
            chunk_of(s, threadIdx.x, j0, j1);
            const T* x = in + s.row * cols;
            for (int64_t j = j0; j < j1; ++j) sum += integer_weight(x + j, mode, rc.max, max_w, temperature);
        }
        unsigned long long incl, total;
        Scan(tmp).InclusiveSum(sum, incl, total);
        thread_incl[item * kWideThreads + threadIdx.x] = incl;
        if (threadIdx.x == 0) seg_totals[item] = total;
        __syncthreads();
    }
}

// (3) One thread per sample: the target integer in [0, total) from the sample's Philox words (as
// random.cpp: element e uses block offset + e/2, words 2(e%2) and 2(e%2)+1), then the first column
// whose inclusive prefix exceeds it.
template <class T>
__global__ void __launch_bounds__(kWideThreads) k_wide_pick(const T* in, int64_t rows, int64_t cols, int segs,
                                                            int64_t seg_len, int mode, double temperature,
                                                            const RowCheck* row_checks,
                                                            const unsigned long long* seg_totals,
                                                            const unsigned long long* thread_incl, uint64_t seed,
                                                            uint64_t offset, uint32_t stream, int64_t num_samples,
                                                            int64_t* out) {
    const int64_t total_samples = rows * num_samples;
    for (int64_t e = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x; e < total_samples;
         e += static_cast<int64_t>(gridDim.x) * blockDim.x) {
        const int64_t row = e / num_samples;
        const RowCheck rc = row_checks[row];
        if (!row_drawable(rc, cols, static_cast<RowMode>(mode))) {
            out[e] = -1;  // the host sees the row's check and runs the CPU op, which reports it
            continue;
        }
        const unsigned long long* totals = seg_totals + row * segs;
        unsigned long long total = 0;
        for (int k = 0; k < segs; ++k) total += totals[k];
        const uint64_t block = offset + static_cast<uint64_t>(e / 2);
        const int lane = static_cast<int>(e % 2);
        const PhiloxCounter c = philox_block(seed, block, stream);
        const uint64_t target = xf::bounded64(c.v[2 * lane], c.v[2 * lane + 1], total, seed, block, stream, lane);
        // The segment, then the thread, then the column.
        uint64_t base = 0;
        int k = 0;
        while (k + 1 < segs && target >= base + totals[k]) base += totals[k++];
        const int64_t item = row * segs + k;
        const unsigned long long* incl = thread_incl + item * kWideThreads;
        const uint64_t local = target - base;
        int lo = 0, hi = kWideThreads - 1;
        while (lo < hi) {  // the first thread whose inclusive prefix exceeds `local`
            const int mid = (lo + hi) / 2;
            if (incl[mid] <= local) lo = mid + 1;
            else hi = mid;
        }
        const uint64_t rest = local - (lo > 0 ? incl[lo - 1] : 0);
        int64_t j0, j1;
        chunk_of(segment_of(item, segs, seg_len, cols), lo, j0, j1);
        const double max_w = mode == static_cast<int>(RowMode::Logits) ? 1.0 : rc.max;
        const T* x = in + row * cols;
        uint64_t running = 0;
        int64_t j = j0;
        for (; j < j1; ++j) {
            running += integer_weight(x + j, mode, rc.max, max_w, temperature);
            if (running > rest) break;
        }
        out[e] = j;
    }
}

size_t round_up(size_t n) { return (n + 255) / 256 * 256; }

}  // namespace

WideDrawPlan plan_wide_draw(int64_t rows, int64_t cols, int multiprocessors) {
    WideDrawPlan p;
    p.rows = rows;
    p.cols = cols;
    // About eight blocks per multiprocessor in all (64 x 50,000: 17 segments of 2,942 columns, 12
    // per thread, so the one thread per sample walks few columns), and at least 1024 columns per
    // segment.
    const int64_t want = std::max<int64_t>(1, (8 * static_cast<int64_t>(std::max(multiprocessors, 1)) + rows - 1) / rows);
    const int64_t most = std::max<int64_t>(1, cols / 1024);
    int64_t segs = std::min(want, most);
    p.segment_len = (cols + segs - 1) / segs;
    segs = (cols + p.segment_len - 1) / p.segment_len;  // no empty segment
    p.segments = static_cast<int>(segs);
    const size_t items = static_cast<size_t>(rows) * static_cast<size_t>(segs);
    p.scratch_bytes = round_up(items * sizeof(RowCheck)) + round_up(items * sizeof(unsigned long long)) +
                      round_up(items * kWideThreads * sizeof(unsigned long long));
    return p;
}

void launch_wide_draw(const WideDrawPlan& p, const void* in, DType dtype, RowMode mode, double temperature,
                      uint64_t seed, uint64_t offset, uint32_t philox_stream, int64_t num_samples, int64_t* out,
                      RowCheck* row_checks, void* scratch, StreamHandle stream) {
    if (p.rows <= 0 || num_samples <= 0) return;
    const int64_t items = p.rows * p.segments;
    char* at = static_cast<char*>(scratch);
    RowCheck* seg_checks = reinterpret_cast<RowCheck*>(at);
    at += round_up(static_cast<size_t>(items) * sizeof(RowCheck));
    unsigned long long* seg_totals = reinterpret_cast<unsigned long long*>(at);
    at += round_up(static_cast<size_t>(items) * sizeof(unsigned long long));
    unsigned long long* thread_incl = reinterpret_cast<unsigned long long*>(at);
    const int grid = static_cast<int>(std::min<int64_t>(items, 1 << 20));
    const int64_t samples = p.rows * num_samples;
    const int pick_grid = static_cast<int>(std::min<int64_t>((samples + kWideThreads - 1) / kWideThreads, 1 << 20));
    const int m = static_cast<int>(mode);
    auto run = [&](auto tag) {
        using T = decltype(tag);
        const T* x = static_cast<const T*>(in);
        k_wide_check<T><<<grid, kWideThreads, 0, stream>>>(x, p.cols, items, p.segments, p.segment_len, m, seg_checks);
        NL_CUDA_CHECK_LAUNCH("k_wide_check");
        k_wide_weights<T><<<grid, kWideThreads, 0, stream>>>(x, p.cols, items, p.segments, p.segment_len, m, temperature,
                                                             seg_checks, row_checks, seg_totals, thread_incl);
        NL_CUDA_CHECK_LAUNCH("k_wide_weights");
        k_wide_pick<T><<<pick_grid, kWideThreads, 0, stream>>>(x, p.rows, p.cols, p.segments, p.segment_len, m,
                                                               temperature, row_checks, seg_totals, thread_incl, seed,
                                                               offset, philox_stream, num_samples, out);
        NL_CUDA_CHECK_LAUNCH("k_wide_pick");
    };
    dispatch_floating(dtype, "categorical", run);
}

}  // namespace nl::gpu::detail
