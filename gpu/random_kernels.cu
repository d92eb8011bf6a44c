// The fused random kernels: Philox in registers -> transform -> store, grid-stride over Philox
// blocks, so every value depends on its block index alone and never on the grid or block size.
// They call the very functions the CPU calls (tensor/philox.h, transforms.h, random_block.h,
// detmath.h), compiled with --fmad=false, so CPU == GPU bit for bit (docs/STREAMS.md).
//
// Two kernels per op family: a fast one for the common cases (scalar parameters, four elements
// per block, 16-byte aligned output) that stores one vector of four values per block, and the
// generic one that runs xf::random_block<T> itself for everything else (and the last, partial
// block). Also: randperm (CUB radix sort) and the categorical draws of Note [Integer weights].
#include <cub/block/block_reduce.cuh>
#include <cub/block/block_scan.cuh>
#include <cub/device/device_radix_sort.cuh>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <type_traits>

#include "gpu/allocator.h"
#include "gpu/cuda_check.h"
#include "gpu/device_util.cuh"
#include "gpu/kernels.h"
#include "tensor/errors.h"
#include "tensor/random_block.h"

namespace nl::gpu::detail {

namespace {

// ---- generic: the reference block function, any kind, dtype and parameter layout --------------
template <class T>
__global__ void k_random_generic(RandomRequest r, uint64_t q_begin, uint64_t q_end, T* out) {
    for (uint64_t q = q_begin + global_thread(); q < q_end; q += grid_threads()) xf::random_block<T>(r, q, out);
}

// ---- fast: four values per block, one vector store ------------------------------------------
template <class T>
struct alignas(4 * sizeof(T)) Vec4 {
    T v[4];
};

// One vector store per block: 4-, 8-, 16- or 32-byte vectors of the raw bits.
template <class T>
__device__ __forceinline__ void store4(Vec4<T>* p, const Vec4<T>& v) {
    if constexpr (sizeof(Vec4<T>) == 32) {
        uint4 u[2];
        memcpy(u, &v, 32);
        reinterpret_cast<uint4*>(p)[0] = u[0];
        reinterpret_cast<uint4*>(p)[1] = u[1];
    } else if constexpr (sizeof(Vec4<T>) == 16) {
        uint4 u;
        memcpy(&u, &v, 16);
        *reinterpret_cast<uint4*>(p) = u;
    } else if constexpr (sizeof(Vec4<T>) == 8) {
        uint2 u;
        memcpy(&u, &v, 8);
        *reinterpret_cast<uint2*>(p) = u;
    } else {
        uint32_t u;
        memcpy(&u, &v, 4);
        *reinterpret_cast<uint32_t*>(p) = u;
    }
}

template <class T, class Op>
__global__ void k_random_vec4(Op op, uint64_t seed, uint64_t offset, uint32_t stream, uint64_t blocks,
                              Vec4<T>* out) {
    for (uint64_t q = global_thread(); q < blocks; q += grid_threads()) {
        const uint64_t block = offset + q;
        const PhiloxCounter c = philox_block(seed, block, stream);
        Vec4<T> v;
        op(c.v, seed, block, stream, v.v);
        store4(out + q, v);
    }
}

// 32-byte vectors (four int64 values per block): two 16-byte stores per lane at a 32-byte stride
// cover 1 KB at half density per instruction (randint int64 ran at 47% of the write ceiling on an
// H100). Here a warp stages its 32 vectors in shared memory and writes them back as 16-byte pieces
// in lane order: each store instruction covers 512 contiguous bytes. Dynamic shared memory: 32
// bytes per thread.
template <class T, class Op>
__global__ void k_random_vec4_wide(Op op, uint64_t seed, uint64_t offset, uint32_t stream, uint64_t blocks,
                                   Vec4<T>* out) {
    static_assert(sizeof(Vec4<T>) == 32, "for 32-byte vectors");
    extern __shared__ uint4 stage_all[];
    const unsigned lane = threadIdx.x & 31u;
    uint4* stage = stage_all + 2 * (threadIdx.x - lane);  // this warp's 64 pieces
    uint4* pieces = reinterpret_cast<uint4*>(out);
    const uint64_t warp_stride = grid_threads();  // blocks per round of the whole grid
    // Every lane of a warp has the same `base`, so the warp runs the loop (and __syncwarp) together.
    for (uint64_t base = global_thread() - lane; base < blocks; base += warp_stride) {
        const uint64_t q = base + lane;
        if (q < blocks) {
            const uint64_t block = offset + q;
            const PhiloxCounter c = philox_block(seed, block, stream);
            Vec4<T> v;
            op(c.v, seed, block, stream, v.v);
            uint4 u[2];
            memcpy(u, &v, 32);
            stage[2 * lane] = u[0];
            stage[2 * lane + 1] = u[1];
        }
        __syncwarp();
        const uint64_t valid = 2 * (blocks - base < 32 ? blocks - base : 32);  // pieces this round
        if (lane < valid) pieces[2 * base + lane] = stage[lane];
        if (lane + 32 < valid) pieces[2 * base + 32 + lane] = stage[lane + 32];
        __syncwarp();
    }
}

// Each op below repeats, for its case, what xf::random_block<T> does for one block (same
// functions, same order); the parity tests compare both paths with the CPU.
template <class T>
struct UniformOp {
    float a, b;
    __device__ void operator()(const uint32_t* w, uint64_t, uint64_t, uint32_t, T* v) const {
#pragma unroll
        for (int j = 0; j < 4; ++j) {
            if constexpr (std::is_same<T, float>::value) {
                v[j] = xf::scale_to_interval(xf::uniform_f32(w[j]), a, b);
            } else {
                const float u = std::is_same<T, Half>::value ? xf::uniform_f16(w[j]) : xf::uniform_bf16(w[j]);
                v[j] = xf::uniform_low_precision<T>(u, a, b);
            }
        }
    }
};

// A float that is not NaN to T, as xf::cast_from_float<T> rounds it, without its NaN test (three
// instructions a value): float16 through the conversion instruction (which half.h's definition
// uses for every non-NaN input, checked on all of them by GpuParity), bfloat16 by half.h's
// integer rounding. Normals with finite mean and std (the fast kernel's case, checked by
// random.cpp) are never NaN.
template <class T>
__device__ __forceinline__ T from_float_not_nan(float v) {
    if constexpr (std::is_same<T, Half>::value) return Half::from_bits(__half_as_ushort(__float2half_rn(v)));
    else if constexpr (std::is_same<T, BFloat16>::value) return BFloat16::from_bits(float_to_bfloat16_bits_not_nan(v));
    else return v;
}

template <class T>
struct NormalOp {
    float mean, std;
    __device__ void operator()(const uint32_t* w, const xf::NormalTables& tables, T* v) const {
        float z[4];
        xf::normal_pair_f32(w[0], w[1], z[0], z[1], tables);
        xf::normal_pair_f32(w[2], w[3], z[2], z[3], tables);
#pragma unroll
        for (int j = 0; j < 4; ++j) v[j] = from_float_not_nan<T>(dm::fma(z[j], std, mean));
    }
};

// Normals read the Box-Muller tables (xf::normal_tables) from shared memory, in interleaved
// copies: an 8-byte load is served a half-warp at a time, 16 lanes in one 128-byte wavefront when
// they hit different bank pairs, so random entries of a single copy would cost about three times
// as many wavefronts. With 16 copies of each table, lane l reading copy l & 15, no two lanes of a
// half-warp ever share a bank. 6 KB a block, loaded once; the values are those of the __device__
// tables, so the bits do not change.
struct NormalSharedTables {
    static constexpr int kLogCopies = 16;
    static constexpr int kSinCosCopies = 16;
    xf::FloatPair log[xf::kNormalLogEntries * kLogCopies];
    xf::FloatPair sincos[xf::kNormalSinCosEntries * kSinCosCopies];
};

__device__ xf::NormalTables load_normal_tables(NormalSharedTables& sh) {
    constexpr int kLog = xf::kNormalLogEntries * NormalSharedTables::kLogCopies;
    constexpr int kSinCos = xf::kNormalSinCosEntries * NormalSharedTables::kSinCosCopies;
    for (int i = static_cast<int>(threadIdx.x); i < kLog; i += static_cast<int>(blockDim.x))
        sh.log[i] = xf::kNormalLogTableDevice[i / NormalSharedTables::kLogCopies];
    for (int i = static_cast<int>(threadIdx.x); i < kSinCos; i += static_cast<int>(blockDim.x))
        sh.sincos[i] = xf::kNormalSinCosTableDevice[i / NormalSharedTables::kSinCosCopies];
    __syncthreads();
    const unsigned lane = threadIdx.x & 31u;
    return {sh.log + (lane & (NormalSharedTables::kLogCopies - 1)),
            sh.sincos + (lane & (NormalSharedTables::kSinCosCopies - 1)), NormalSharedTables::kLogCopies,
            NormalSharedTables::kSinCosCopies};
}

template <class T>
__global__ void k_random_normal_vec4(NormalOp<T> op, uint64_t seed, uint64_t offset, uint32_t stream,
                                     uint64_t blocks, Vec4<T>* out) {
    __shared__ NormalSharedTables shared_tables;
    const xf::NormalTables tables = load_normal_tables(shared_tables);
    for (uint64_t q = global_thread(); q < blocks; q += grid_threads()) {
        const PhiloxCounter c = philox_block(seed, offset + q, stream);
        Vec4<T> v;
        op(c.v, tables, v.v);
        store4(out + q, v);
    }
}

template <class T>
struct ExponentialOp {
    float lambda;
    __device__ void operator()(const uint32_t* w, uint64_t, uint64_t, uint32_t, T* v) const {
#pragma unroll
        for (int j = 0; j < 4; ++j) v[j] = xf::cast_from_float<T>(xf::exponential_f32(w[j], lambda));
    }
};

template <class T>
struct BernoulliOp {
    uint64_t threshold;
    __device__ void operator()(const uint32_t* w, uint64_t, uint64_t, uint32_t, T* v) const {
#pragma unroll
        for (int j = 0; j < 4; ++j) v[j] = xf::cast_from_int<T>(xf::bernoulli(w[j], threshold) ? 1 : 0);
    }
};

template <class T>
struct RandIntOp {  // ranges up to 2^32: one word per element
    int64_t low;
    uint64_t range;
    __device__ void operator()(const uint32_t* w, uint64_t seed, uint64_t block, uint32_t stream, T* v) const {
#pragma unroll
        for (int j = 0; j < 4; ++j) {
            const uint64_t k = xf::bounded32(w[j], range, seed, block, stream, j);
            v[j] = xf::cast_from_int<T>(static_cast<int64_t>(static_cast<uint64_t>(low) + k));
        }
    }
};

template <class T, class Op>
void launch_vec4(const Op& op, const RandomRequest& r, uint64_t blocks, void* out, int device, StreamHandle stream,
                 LaunchConfig cfg) {
    resolve_launch(device, blocks, cfg);
    if constexpr (sizeof(Vec4<T>) == 32) {
        k_random_vec4_wide<T, Op><<<cfg.grid, cfg.block, 32 * static_cast<size_t>(cfg.block), stream>>>(
            op, r.seed, r.offset, r.stream, blocks, static_cast<Vec4<T>*>(out));
        NL_CUDA_CHECK_LAUNCH("k_random_vec4_wide");
    } else {
        k_random_vec4<T, Op><<<cfg.grid, cfg.block, 0, stream>>>(op, r.seed, r.offset, r.stream, blocks,
                                                                  static_cast<Vec4<T>*>(out));
        NL_CUDA_CHECK_LAUNCH("k_random_vec4");
    }
}

template <class T>
void launch_normal_vec4(const NormalOp<T>& op, const RandomRequest& r, uint64_t blocks, void* out, int device,
                        StreamHandle stream, LaunchConfig cfg) {
    resolve_launch(device, blocks, cfg);
    k_random_normal_vec4<T><<<cfg.grid, cfg.block, 0, stream>>>(op, r.seed, r.offset, r.stream, blocks,
                                                                 static_cast<Vec4<T>*>(out));
    NL_CUDA_CHECK_LAUNCH("k_random_normal_vec4");
}

// Runs the fast kernel over the full blocks when one exists for this request; returns the number
// of blocks it covered (0: none, everything goes to the generic kernel).
uint64_t try_fast(const RandomRequest& r, void* out, int device, StreamHandle stream, LaunchConfig cfg) {
    if (r.a_per_elem || r.b_per_elem) return 0;
    if (elements_per_block(r.kind, r.dtype, r.range) != 4) return 0;
    const uint64_t full = static_cast<uint64_t>(r.numel) / 4;
    if (full == 0) return 0;
    const size_t vec_bytes = 4 * dtype_size(r.dtype);
    if (reinterpret_cast<uintptr_t>(out) % vec_bytes != 0) return 0;
    const float af = static_cast<float>(r.a), bf = static_cast<float>(r.b);
    switch (r.kind) {
        case RandomKind::Uniform:
            if (r.dtype == DType::Float32) launch_vec4<float>(UniformOp<float>{af, bf}, r, full, out, device, stream, cfg);
            else if (r.dtype == DType::Float16) launch_vec4<Half>(UniformOp<Half>{af, bf}, r, full, out, device, stream, cfg);
            else if (r.dtype == DType::BFloat16) launch_vec4<BFloat16>(UniformOp<BFloat16>{af, bf}, r, full, out, device, stream, cfg);
            else return 0;
            return full;
        case RandomKind::Normal:
            // from_float_not_nan needs finite parameters (random.cpp refuses others; kept as a guard).
            if (!std::isfinite(af) || !std::isfinite(bf)) return 0;
            if (r.dtype == DType::Float32) launch_normal_vec4<float>(NormalOp<float>{af, bf}, r, full, out, device, stream, cfg);
            else if (r.dtype == DType::Float16) launch_normal_vec4<Half>(NormalOp<Half>{af, bf}, r, full, out, device, stream, cfg);
            else if (r.dtype == DType::BFloat16) launch_normal_vec4<BFloat16>(NormalOp<BFloat16>{af, bf}, r, full, out, device, stream, cfg);
            else return 0;
            return full;
        case RandomKind::Exponential:
            if (r.dtype != DType::Float32) return 0;
            launch_vec4<float>(ExponentialOp<float>{af}, r, full, out, device, stream, cfg);
            return full;
        case RandomKind::Bernoulli: {
            const uint64_t t = xf::bernoulli_threshold(r.a);
            if (r.dtype == DType::Float32) launch_vec4<float>(BernoulliOp<float>{t}, r, full, out, device, stream, cfg);
            else if (r.dtype == DType::Bool) launch_vec4<bool>(BernoulliOp<bool>{t}, r, full, out, device, stream, cfg);
            else return 0;
            return full;
        }
        case RandomKind::RandInt:
            if (r.dtype == DType::Int64) launch_vec4<int64_t>(RandIntOp<int64_t>{r.low, r.range}, r, full, out, device, stream, cfg);
            else if (r.dtype == DType::Int32) launch_vec4<int32_t>(RandIntOp<int32_t>{r.low, r.range}, r, full, out, device, stream, cfg);
            else return 0;
            return full;
        default:
            return 0;
    }
}

// ---- randperm -----------------------------------------------------------------------------------
// The sort's input: element i's key (the word pair of random.cpp; as a uint32_t, only its high
// half) and its index.
template <class Key, class Index>
__global__ void k_randperm_keys(uint64_t seed, uint64_t offset, uint32_t stream, int64_t n, Key* keys, Index* idx) {
    constexpr int kShift = 64 - 8 * static_cast<int>(sizeof(Key));  // 0, or 32 for the high half
    const uint64_t blocks = (static_cast<uint64_t>(n) + 1) / 2;
    for (uint64_t q = global_thread(); q < blocks; q += grid_threads()) {
        const PhiloxCounter c = philox_block(seed, offset + q, stream);
        const uint64_t i = 2 * q;
        keys[i] = static_cast<Key>(xf::join64(c.v[0], c.v[1]) >> kShift);
        idx[i] = static_cast<Index>(i);
        if (i + 1 < static_cast<uint64_t>(n)) {
            keys[i + 1] = static_cast<Key>(xf::join64(c.v[2], c.v[3]) >> kShift);
            idx[i + 1] = static_cast<Index>(i + 1);
        }
    }
}

// randperm for n < 2^32 sorts the high halves of the keys with 32-bit indices (a quarter of the
// bytes of sorting 64-bit keys with 64-bit indices, and half the passes), then puts each run of
// equal high halves in (low half, index) order, which is the (key, index) order of the CPU's sort.
// Runs are rare and short: about n^2 / 2^33 pairs in all (116 for n = 10^6, 11,600 for 10^7).
__device__ __forceinline__ uint32_t randperm_low_key(uint64_t seed, uint64_t offset, uint32_t stream, uint32_t i) {
    const PhiloxCounter c = philox_block(seed, offset + i / 2, stream);
    return static_cast<uint32_t>((i & 1u) ? xf::join64(c.v[2], c.v[3]) : xf::join64(c.v[0], c.v[1]));
}

// Writes the permutation as int64; the first element of each run of equal high halves orders the
// run (insertion sort on (low half, index)) and writes all of it.
__global__ void k_randperm_finish(uint64_t seed, uint64_t offset, uint32_t stream, int64_t n, const uint32_t* high,
                                  const uint32_t* idx, int64_t* out) {
    for (uint64_t i = global_thread(); i < static_cast<uint64_t>(n); i += grid_threads()) {
        if (i > 0 && high[i - 1] == high[i]) continue;  // inside a run: its first element writes it
        uint64_t end = i + 1;
        while (end < static_cast<uint64_t>(n) && high[end] == high[i]) ++end;
        if (end == i + 1) {
            out[i] = idx[i];
            continue;
        }
        for (uint64_t k = i; k < end; ++k) {
            const uint32_t id = idx[k];
            const uint32_t low = randperm_low_key(seed, offset, stream, id);
            uint64_t j = k;
            while (j > i) {
                const uint32_t prev = static_cast<uint32_t>(out[j - 1]);
                const uint32_t prev_low = randperm_low_key(seed, offset, stream, prev);
                if (prev_low < low || (prev_low == low && prev < id)) break;
                out[j] = prev;
                --j;
            }
            out[j] = id;
        }
    }
}

// ---- categorical rows ---------------------------------------------------------------------------
constexpr int kRowThreads = 512;
constexpr double kWeightScale = 1099511627776.0;  // 2^40, as random.cpp

struct MaxDoubleOp {
    __device__ double operator()(double a, double b) const { return a > b ? a : b; }
};
struct SumOp {
    __device__ int64_t operator()(int64_t a, int64_t b) const { return a + b; }
};

template <class T>
__global__ void __launch_bounds__(kRowThreads) k_row_check(const T* in, int64_t rows, int64_t cols, int mode,
                                                           RowCheck* checks) {
    using ReduceI = cub::BlockReduce<int64_t, kRowThreads>;
    using ReduceA = cub::BlockReduce<ArgMax, kRowThreads>;
    __shared__ union {
        typename ReduceI::TempStorage i;
        typename ReduceA::TempStorage a;
    } tmp;
    const double kInf = __longlong_as_double(0x7FF0000000000000ll);
    for (int64_t row = blockIdx.x; row < rows; row += gridDim.x) {
        const T* x = in + row * cols;
        int64_t bad = cols, nonzero = 0;
        ArgMax am{-kInf, -1};
        for (int64_t j = threadIdx.x; j < cols; j += blockDim.x) {
            const double v = load_double(x + j);
            const bool is_bad = mode == static_cast<int>(RowMode::Logits) ? (v != v || v == kInf)
                                                                           : (v != v || v == kInf || v == -kInf || v < 0.0);
            if (is_bad && j < bad) bad = j;
            nonzero += v > 0.0;
            if (v > am.v) am = ArgMax{v, j};  // strided order: j grows, so '>' keeps the first maximum
        }
        bad = ReduceI(tmp.i).Reduce(bad, MinOp());
        __syncthreads();
        nonzero = ReduceI(tmp.i).Reduce(nonzero, SumOp());
        __syncthreads();
        am = ReduceA(tmp.a).Reduce(am, ArgMaxOp());
        __syncthreads();
        if (threadIdx.x == 0) checks[row] = RowCheck{bad, nonzero, am.i, am.v};
    }
}

template <class T>
__global__ void __launch_bounds__(kRowThreads) k_row_draw(const T* in, int64_t rows, int64_t cols, int mode,
                                                          double temperature, const RowCheck* checks, uint64_t seed,
                                                          uint64_t offset, uint32_t stream, int64_t num_samples,
                                                          int64_t* out, double* wbuf, uint64_t* pbuf) {
    using ReduceD = cub::BlockReduce<double, kRowThreads>;
    using Scan = cub::BlockScan<unsigned long long, kRowThreads>;
    __shared__ union {
        typename ReduceD::TempStorage r;
        typename Scan::TempStorage s;
    } tmp;
    __shared__ double s_maxw;
    __shared__ unsigned long long s_running;
    const double kInf = __longlong_as_double(0x7FF0000000000000ll);
    for (int64_t row = blockIdx.x; row < rows; row += gridDim.x) {
        const T* x = in + row * cols;
        double* w = wbuf + row * cols;
        uint64_t* prefix = pbuf + row * cols;
        const double mx = mode == static_cast<int>(RowMode::Logits) ? checks[row].max : 0.0;
        // Weights (random.cpp's tempered_weights for logits) and their maximum.
        double local_max = 0.0;
        for (int64_t j = threadIdx.x; j < cols; j += blockDim.x) {
            const double v = load_double(x + j);
            double wj = v;
            if (mode == static_cast<int>(RowMode::Logits))
                wj = v == -kInf ? 0.0 : dm::exp(dm::div(dm::sub(v, mx), temperature));
            w[j] = wj;
            local_max = wj > local_max ? wj : local_max;
        }
        const double maxw = ReduceD(tmp.r).Reduce(local_max, MaxDoubleOp());
        if (threadIdx.x == 0) {
            s_maxw = maxw;
            s_running = 0;
        }
        __syncthreads();
        // Integer weights and their inclusive prefix sums, one tile of blockDim.x at a time.
        for (int64_t base = 0; base < cols; base += blockDim.x) {
            const int64_t j = base + threadIdx.x;
            unsigned long long q = 0;
            if (j < cols && w[j] > 0.0) {
                const double scaled = rint(dm::mul(dm::div(w[j], s_maxw), kWeightScale));
                q = static_cast<unsigned long long>(scaled);
                if (q < 1) q = 1;
            }
            unsigned long long incl, tile_total;
            Scan(tmp.s).InclusiveSum(q, incl, tile_total);
            if (j < cols) prefix[j] = s_running + incl;
            __syncthreads();
            if (threadIdx.x == 0) s_running += tile_total;
            __syncthreads();
        }
        const uint64_t total = prefix[cols - 1];
        for (int64_t s = threadIdx.x; s < num_samples; s += blockDim.x) {
            const int64_t e = row * num_samples + s;
            const uint64_t block = offset + static_cast<uint64_t>(e / 2);
            const int lane = static_cast<int>(e % 2);
            const PhiloxCounter c = philox_block(seed, block, stream);
            const uint64_t target = xf::bounded64(c.v[2 * lane], c.v[2 * lane + 1], total, seed, block, stream, lane);
            int64_t lo = 0, hi = cols;
            while (lo < hi) {  // std::upper_bound: the first prefix > target
                const int64_t mid = lo + (hi - lo) / 2;
                if (prefix[mid] <= target) lo = mid + 1;
                else hi = mid;
            }
            out[e] = lo;
        }
        __syncthreads();
    }
}

int row_grid(int64_t rows) { return static_cast<int>(rows < 65535 ? rows : 65535); }


}  // namespace

void launch_random_fill(const RandomRequest& r, void* out, int device, StreamHandle stream, LaunchConfig cfg) {
    const uint64_t blocks = blocks_for(r);
    if (blocks == 0) return;
    const uint64_t done = try_fast(r, out, device, stream, cfg);
    if (done == blocks) return;
    LaunchConfig g = cfg;
    resolve_launch(device, blocks - done, g);
    dispatch_dtype(r.dtype, [&](auto tag) {
        using T = decltype(tag);
        k_random_generic<T><<<g.grid, g.block, 0, stream>>>(r, done, blocks, static_cast<T*>(out));
    });
    NL_CUDA_CHECK_LAUNCH("k_random_generic");
}

void launch_randperm(int64_t n, uint64_t seed, uint64_t offset, uint32_t philox_stream, int64_t* out, int device,
                     StreamHandle stream, LaunchConfig cfg) {
    if (n <= 0) return;
    const size_t un = static_cast<size_t>(n);
    if (n <= static_cast<int64_t>(UINT32_MAX)) {
        DeviceBuffer high_in(un * 4, device), high_out(un * 4, device), idx_in(un * 4, device), idx_out(un * 4, device);
        LaunchConfig keys_cfg = cfg;
        resolve_launch(device, (static_cast<uint64_t>(n) + 1) / 2, keys_cfg);
        k_randperm_keys<uint32_t, uint32_t><<<keys_cfg.grid, keys_cfg.block, 0, stream>>>(seed, offset, philox_stream, n,
                                                                            high_in.as<uint32_t>(), idx_in.as<uint32_t>());
        NL_CUDA_CHECK_LAUNCH("k_randperm_keys");
        size_t temp_bytes = 0;
        NL_CUDA_CHECK(cub::DeviceRadixSort::SortPairs(nullptr, temp_bytes, high_in.as<uint32_t>(), high_out.as<uint32_t>(),
                                                      idx_in.as<uint32_t>(), idx_out.as<uint32_t>(), n, 0, 32, stream));
        DeviceBuffer temp(temp_bytes, device);
        NL_CUDA_CHECK(cub::DeviceRadixSort::SortPairs(temp.get(), temp_bytes, high_in.as<uint32_t>(), high_out.as<uint32_t>(),
                                                      idx_in.as<uint32_t>(), idx_out.as<uint32_t>(), n, 0, 32, stream));
        resolve_launch(device, static_cast<uint64_t>(n), cfg);
        k_randperm_finish<<<cfg.grid, cfg.block, 0, stream>>>(seed, offset, philox_stream, n, high_out.as<uint32_t>(),
                                                               idx_out.as<uint32_t>(), out);
        NL_CUDA_CHECK_LAUNCH("k_randperm_finish");
        return;
    }
    DeviceBuffer keys_in(un * sizeof(uint64_t), device), keys_out(un * sizeof(uint64_t), device);
    DeviceBuffer idx_in(un * sizeof(int64_t), device);
    resolve_launch(device, (static_cast<uint64_t>(n) + 1) / 2, cfg);
    k_randperm_keys<uint64_t, int64_t><<<cfg.grid, cfg.block, 0, stream>>>(seed, offset, philox_stream, n, keys_in.as<uint64_t>(),
                                                         idx_in.as<int64_t>());
    NL_CUDA_CHECK_LAUNCH("k_randperm_keys");
    // A stable LSD radix sort on the keys keeps equal keys in index order: the (key, index) order
    // of the CPU's std::sort.
    size_t temp_bytes = 0;
    NL_CUDA_CHECK(cub::DeviceRadixSort::SortPairs(nullptr, temp_bytes, keys_in.as<uint64_t>(), keys_out.as<uint64_t>(),
                                                  idx_in.as<int64_t>(), out, n, 0, 64, stream));
    DeviceBuffer temp(temp_bytes, device);
    NL_CUDA_CHECK(cub::DeviceRadixSort::SortPairs(temp.get(), temp_bytes, keys_in.as<uint64_t>(), keys_out.as<uint64_t>(),
                                                  idx_in.as<int64_t>(), out, n, 0, 64, stream));
}

void launch_row_check(const void* in, DType dtype, int64_t rows, int64_t cols, RowMode mode, RowCheck* checks,
                      StreamHandle stream) {
    if (rows <= 0) return;
    dispatch_floating(dtype, "categorical", [&](auto tag) {
        using T = decltype(tag);
        k_row_check<T><<<row_grid(rows), kRowThreads, 0, stream>>>(static_cast<const T*>(in), rows, cols,
                                                                   static_cast<int>(mode), checks);
    });
    NL_CUDA_CHECK_LAUNCH("k_row_check");
}

void launch_row_draw(const void* in, DType dtype, int64_t rows, int64_t cols, RowMode mode, double temperature,
                     const RowCheck* checks, uint64_t seed, uint64_t offset, uint32_t philox_stream,
                     int64_t num_samples, int64_t* out, void* scratch, StreamHandle stream) {
    if (rows <= 0) return;
    double* wbuf = static_cast<double*>(scratch);
    uint64_t* pbuf = reinterpret_cast<uint64_t*>(wbuf + rows * cols);
    dispatch_floating(dtype, "categorical", [&](auto tag) {
        using T = decltype(tag);
        k_row_draw<T><<<row_grid(rows), kRowThreads, 0, stream>>>(static_cast<const T*>(in), rows, cols,
                                                                  static_cast<int>(mode), temperature, checks, seed,
                                                                  offset, philox_stream, num_samples, out, wbuf, pbuf);
    });
    NL_CUDA_CHECK_LAUNCH("k_row_draw");
}

}  // namespace nl::gpu::detail
