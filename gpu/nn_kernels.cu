// The kernels of the models' layers behind cuda_ops.cpp: strided copies (dense operands),
// tensor-scalar arithmetic, silu / gelu, clamp, a direct conv2d, group_norm, nearest upsampling
// and cat. Each follows the CPU code of tensor/ops_*.cpp operation for operation where it can
// (then the bits are the CPU's); the exceptions are named at each kernel and in docs/GPU.md.
// Arithmetic that must match the CPU's bits is spelled with __fadd_rn / __fmul_rn (and the double
// versions): nothing may be contracted into an fma, whatever the compile flags.
#include <cub/block/block_reduce.cuh>

#include <algorithm>
#include <cstdint>
#include <string>
#include <type_traits>

#include "gpu/cuda_check.h"
#include "gpu/device_util.cuh"
#include "gpu/kernels.h"
#include "tensor/backend.h"
#include "tensor/detmath.h"
#include "tensor/errors.h"
#include "tensor/half.h"

namespace nl::gpu::detail {

namespace {

// ---- strided copy ------------------------------------------------------------------------------

template <class E>
__global__ void k_strided_copy(const E* in, E* out, int64_t n, StridedLayout L) {
    for (uint64_t i = global_thread(); i < static_cast<uint64_t>(n); i += grid_threads()) {
        int64_t rem = static_cast<int64_t>(i), off = 0;
        for (int d = L.ndim - 1; d >= 0; --d) {
            off += (rem % L.size[d]) * L.stride[d];
            rem /= L.size[d];
        }
        out[i] = in[off];
    }
}

// ---- elementwise -------------------------------------------------------------------------------

template <class T>
__global__ void k_binary_scalar(int op, const T* in, typename Compute<T>::type s, bool scalar_first, T* out, int64_t n) {
    for (uint64_t i = global_thread(); i < static_cast<uint64_t>(n); i += grid_threads()) {
        const auto x = load_c(in + i);
        out[i] = store_c<T>(scalar_first ? arith(op, s, x) : arith(op, x, s));
    }
}

// ops_elementwise.cpp's silu and gelu: silu with detmath.h's exp, as the CPU (the same bits);
// gelu's erf and tanh are CUDA's (a few ulp from the CPU's libm).
template <class C>
__device__ __forceinline__ C activation(Activation act, C v) {
    switch (act) {
        case Activation::Silu:  // as the CPU's, NaN bits included
            return arith(3, v, arith(0, C(1), dm::exp_elementwise(flip_sign(v))));
        case Activation::Gelu:
            return mul_rn(mul_rn(v, C(0.5)), add_rn(C(1), erf(mul_rn(v, C(0.70710678118654752440)))));
        default: {
            // beta = sqrt(2) * (2 / sqrt(pi)) * 0.5 = sqrt(2 / pi), as the CPU forms it in double.
            const C beta = C(1.41421356237309504880 * 1.12837916709551257390 * 0.5), kappa = C(0.044715);
            const C inner = mul_rn(beta, add_rn(v, mul_rn(mul_rn(mul_rn(kappa, v), v), v)));
            return mul_rn(mul_rn(C(0.5), v), add_rn(C(1), tanh(inner)));
        }
    }
}

template <class T>
__global__ void k_activation(Activation act, const T* in, T* out, int64_t n) {
    for (uint64_t i = global_thread(); i < static_cast<uint64_t>(n); i += grid_threads())
        out[i] = store_c<T>(activation(act, load_c(in + i)));
}

template <class T>
__global__ void k_clamp(const T* in, T* out, int64_t n, bool has_lo, typename Compute<T>::type lo, bool has_hi,
                        typename Compute<T>::type hi) {
    for (uint64_t i = global_thread(); i < static_cast<uint64_t>(n); i += grid_threads()) {
        auto v = load_c(in + i);
        // As the CPU: comparisons are false for NaN, so NaN passes unchanged.
        if (has_lo && v < lo) v = lo;
        if (has_hi && v > hi) v = hi;
        out[i] = store_c<T>(v);
    }
}

// ---- conv2d ------------------------------------------------------------------------------------

// An output of either convolution kernel: v (the sum plus bias) stored in T, then, for conv2d_add,
// plus its addend in the compute type and stored again (the CPU's two ops: for float32 / float64
// the first store is exact; the 16-bit types round twice, as conv2d then add do).
template <class T, class C>
__device__ __forceinline__ T conv_output(C v, const T* add, const layer::AddendStrides& as, int64_t n, int64_t o,
                                         int64_t oh, int64_t ow) {
    const T r = store_c<T>(v);
    if (!add) return r;
    // arith, not add_rn: a NaN sum keeps its operand's bits as the CPU's add does.
    return store_c<T>(arith(0, load_c(&r), load_c(add + layer::addend_offset(as, n, o, oh, ow))));
}

// Output channels per thread: each input value read feeds this many accumulators, whose weights
// sit in shared memory as [k][kConvTile] (one broadcast read per tile row).
constexpr int kConvTile = 8;
constexpr size_t kConvSharedBytes = 32 * 1024;

// Block b covers (image n, group gi, a tile of kConvTile output channels of the group, a tile of
// blockDim.x output pixels); thread t owns one output pixel of that tile. The reduction runs
// over the group's input channels in chunks whose weights fit in shared memory, in the CPU's
// order: c, then ki, then kj, increasing.
template <class T>
__global__ void k_conv2d(const T* __restrict__ x, const T* __restrict__ w, const T* __restrict__ bias,
                         T* __restrict__ y, ConvGeometry g, int pixel_tiles, int o_tiles, int chunk_c,
                         const T* __restrict__ add, layer::AddendStrides as) {
    using C = typename Compute<T>::type;
    extern __shared__ __align__(16) unsigned char conv_smem[];
    C* sw = reinterpret_cast<C*>(conv_smem);
    const int Cg = static_cast<int>(g.C / g.groups), Og = static_cast<int>(g.O / g.groups);
    const int kh = static_cast<int>(g.kh), kw = static_cast<int>(g.kw), kk = kh * kw;
    const int H = static_cast<int>(g.H), W = static_cast<int>(g.W), Wo = static_cast<int>(g.Wo);
    const int HoWo = static_cast<int>(g.Ho * g.Wo);
    const int sh = static_cast<int>(g.sh), sw_ = static_cast<int>(g.sw), ph = static_cast<int>(g.ph),
              pw = static_cast<int>(g.pw), dh = static_cast<int>(g.dh), dw = static_cast<int>(g.dw);
    int64_t b = blockIdx.x;
    const int pt = static_cast<int>(b % pixel_tiles);
    b /= pixel_tiles;
    const int ot = static_cast<int>(b % o_tiles);
    b /= o_tiles;
    const int64_t gi = b % g.groups, n = b / g.groups;
    const int o0 = ot * kConvTile;                 // first output channel of the tile, within the group
    const int ob = min(kConvTile, Og - o0);        // channels of this tile
    const int p = pt * static_cast<int>(blockDim.x) + static_cast<int>(threadIdx.x);
    const bool active = p < HoWo;
    const int oh = active ? p / Wo : 0, ow = active ? p % Wo : 0;
    const int64_t plane = static_cast<int64_t>(H) * W;
    const T* xg = x + (n * g.C + gi * Cg) * plane;
    const T* wg = w + (gi * Og + o0) * static_cast<int64_t>(Cg) * kk;  // tile row j at wg + j * Cg * kk

    C acc[kConvTile];
#pragma unroll
    for (int j = 0; j < kConvTile; ++j) acc[j] = C(0);
    for (int c0 = 0; c0 < Cg; c0 += chunk_c) {
        const int cc = min(chunk_c, Cg - c0);
        const int entries = cc * kk * kConvTile;
        __syncthreads();  // every thread is done with the previous chunk's weights
        for (int e = threadIdx.x; e < entries; e += blockDim.x) {
            const int k = e / kConvTile, j = e % kConvTile;
            sw[e] = j < ob ? load_c(wg + static_cast<int64_t>(j) * Cg * kk + static_cast<int64_t>(c0) * kk + k) : C(0);
        }
        __syncthreads();
        if (active) {
            for (int c = 0; c < cc; ++c) {
                const T* xc = xg + (c0 + c) * plane;
                for (int ki = 0; ki < kh; ++ki) {
                    const int ih = oh * sh - ph + ki * dh;
                    if (ih < 0 || ih >= H) continue;  // a padding row: the CPU adds 0 * w terms
                    for (int kj = 0; kj < kw; ++kj) {
                        const int iw = ow * sw_ - pw + kj * dw;
                        if (iw < 0 || iw >= W) continue;
                        const C xv = load_c(xc + ih * W + iw);
                        const C* wr = sw + ((c * kh + ki) * kw + kj) * kConvTile;
#pragma unroll
                        for (int j = 0; j < kConvTile; ++j) acc[j] = add_rn(acc[j], mul_rn(xv, wr[j]));
                    }
                }
            }
        }
    }
    if (!active) return;
    T* yo = y + (n * g.O + gi * Og + o0) * static_cast<int64_t>(HoWo) + p;
#pragma unroll
    for (int j = 0; j < kConvTile; ++j) {
        if (j >= ob) break;
        const int64_t o = gi * Og + o0 + j;
        C v = acc[j];
        if (bias) v = add_rn(v, load_c(bias + o));
        yo[static_cast<int64_t>(j) * HoWo] = conv_output(v, add, as, n, o, oh, ow);
    }
}

// ---- conv2d, register-tiled ---------------------------------------------------------------------
// For stride 1, dilation 1, one group and kernels up to 7 wide (every convolution of the digits
// UNet but its two stride-2 downsamplers): each thread owns kTilePx neighbouring output pixels of a
// row times kTileO output channels (32 accumulators), so that every input value it reads from
// shared memory feeds up to kTilePx * kTileO products and every weight kTilePx. The block stages a
// chunk of input channels - a zero-padded window of rows covering its output rows - and their
// weights in shared memory. The padding's zeros are added as 0 * w terms, as the CPU's im2col does
// (ops_conv.cpp), and each output is still the CPU's sum: c, then ki, then kj increasing, no fma,
// then + bias.
constexpr int kTilePx = 4;
constexpr int kTileO = 8;
constexpr size_t kTiledSharedBytes = 48 * 1024;

struct TiledConvShape {
    int row_groups;  // kTilePx-wide pixel groups per output row
    int rows;        // output rows per block
    int o_tiles;     // kTileO-channel tiles per block (blockDim.y)
    int chunk_c;     // input channels staged at a time
    int tile_w;      // staged columns: row_groups * kTilePx + kw - 1
};

template <class T, int KW>
__global__ void k_conv2d_tiled(const T* __restrict__ x, const T* __restrict__ w, const T* __restrict__ bias,
                               T* __restrict__ y, ConvGeometry g, TiledConvShape t, int row_blocks, int o_blocks,
                               const T* __restrict__ add, layer::AddendStrides as) {
    using C = typename Compute<T>::type;
    extern __shared__ __align__(16) unsigned char conv_smem[];
    const int Cn = static_cast<int>(g.C), O = static_cast<int>(g.O), kh = static_cast<int>(g.kh);
    const int H = static_cast<int>(g.H), W = static_cast<int>(g.W), Ho = static_cast<int>(g.Ho), Wo = static_cast<int>(g.Wo);
    const int ph = static_cast<int>(g.ph), pw = static_cast<int>(g.pw);
    const int tile_h = t.rows + kh - 1;
    const int ob = t.o_tiles * kTileO;                      // output channels of the block
    C* sx = reinterpret_cast<C*>(conv_smem);                // [chunk][tile_h][tile_w]
    C* sw = sx + static_cast<size_t>(t.chunk_c) * tile_h * t.tile_w;  // [chunk][kh][KW][ob]
    int64_t b = blockIdx.x;
    const int rb = static_cast<int>(b % row_blocks);
    b /= row_blocks;
    const int obk = static_cast<int>(b % o_blocks);
    const int64_t n = b / o_blocks;
    const int r0 = rb * t.rows, o_first = obk * ob;
    const int gx = static_cast<int>(threadIdx.x);           // pixel group within the block
    const int lr = gx / t.row_groups, ow0 = (gx % t.row_groups) * kTilePx;
    const int oh = r0 + lr;
    const int ct = static_cast<int>(threadIdx.y);           // channel tile
    const int nthreads = static_cast<int>(blockDim.x * blockDim.y);
    const int tid = static_cast<int>(threadIdx.y * blockDim.x + threadIdx.x);
    const int64_t plane = static_cast<int64_t>(H) * W;
    const T* xn = x + n * Cn * plane;

    C acc[kTilePx][kTileO];
#pragma unroll
    for (int p = 0; p < kTilePx; ++p)
#pragma unroll
        for (int j = 0; j < kTileO; ++j) acc[p][j] = C(0);

    for (int c0 = 0; c0 < Cn; c0 += t.chunk_c) {
        const int cc = min(t.chunk_c, Cn - c0);
        __syncthreads();  // every thread is done with the previous chunk
        // Stage the input window (zeros outside the image) ...
        const int xs = cc * tile_h * t.tile_w;
        for (int e = tid; e < xs; e += nthreads) {
            const int u = e % t.tile_w, v = (e / t.tile_w) % tile_h, c = e / (t.tile_w * tile_h);
            const int ih = r0 + v - ph, iw = u - pw;
            sx[e] = (ih >= 0 && ih < H && iw >= 0 && iw < W) ? load_c(xn + (c0 + c) * plane + static_cast<int64_t>(ih) * W + iw)
                                                             : C(0);
        }
        // ... and the weights of the block's channels, [c][ki][kj][o] (zeros past the last channel).
        const int ws = cc * kh * KW * ob;
        for (int e = tid; e < ws; e += nthreads) {
            const int o = e % ob, k = e / ob;  // k = (c * kh + ki) * KW + kj
            const int c = k / (kh * KW), kij = k % (kh * KW);
            sw[e] = o_first + o < O ? load_c(w + (static_cast<int64_t>(o_first + o) * Cn + c0 + c) * kh * KW + kij) : C(0);
        }
        __syncthreads();
        if (oh < Ho && ow0 < Wo) {
            for (int c = 0; c < cc; ++c) {
                for (int ki = 0; ki < kh; ++ki) {
                    const C* row = sx + (static_cast<int>(c) * tile_h + lr + ki) * t.tile_w + ow0;
                    C xin[kTilePx + KW - 1];
#pragma unroll
                    for (int q = 0; q < kTilePx + KW - 1; ++q) xin[q] = row[q];
                    const C* wk = sw + ((c * kh + ki) * KW) * ob + ct * kTileO;
#pragma unroll
                    for (int kj = 0; kj < KW; ++kj) {
                        C wv[kTileO];
#pragma unroll
                        for (int j = 0; j < kTileO; ++j) wv[j] = wk[kj * ob + j];
#pragma unroll
                        for (int p = 0; p < kTilePx; ++p)
#pragma unroll
                            for (int j = 0; j < kTileO; ++j) acc[p][j] = add_rn(acc[p][j], mul_rn(xin[p + kj], wv[j]));
                    }
                }
            }
        }
    }
    if (oh >= Ho || ow0 >= Wo) return;
    const int64_t HoWo = static_cast<int64_t>(Ho) * Wo;
#pragma unroll
    for (int j = 0; j < kTileO; ++j) {
        const int o = o_first + ct * kTileO + j;
        if (o >= O) break;
        const C bv = bias ? load_c(bias + o) : C(0);
        T* yo = y + (n * O + o) * HoWo + static_cast<int64_t>(oh) * Wo + ow0;
#pragma unroll
        for (int p = 0; p < kTilePx; ++p) {
            if (ow0 + p >= Wo) break;
            yo[p] = conv_output(bias ? add_rn(acc[p][j], bv) : acc[p][j], add, as, n, o, oh, ow0 + p);
        }
    }
}

// ---- group_norm --------------------------------------------------------------------------------

constexpr int kNormThreads = kNormLanes;  // one lane of the statistics per thread (tensor/backend.h)

template <class T>
__global__ void __launch_bounds__(kNormThreads) k_group_norm(const T* x, const T* w, const T* bias, T* y, int64_t rows, int64_t groups, int64_t cg,
                             int64_t spatial, double eps, bool then_silu) {
    __shared__ double lanes[kNormThreads];
    const int t = static_cast<int>(threadIdx.x);
    // The block's sum of its threads' partial sums in backend.h's kNormLanes order (thread t is
    // lane t): halved pairwise, 128, 64, ..., 1. Every thread gets the total.
    auto block_total = [&](double partial) {
        lanes[t] = partial;
        __syncthreads();
        for (int stride = kNormThreads / 2; stride >= 1; stride /= 2) {
            if (t < stride) lanes[t] = __dadd_rn(lanes[t], lanes[t + stride]);
            __syncthreads();
        }
        const double total = lanes[0];
        __syncthreads();  // lanes is written again by the next sum
        return total;
    };
    const int64_t len = cg * spatial;
    for (int64_t r = blockIdx.x; r < rows; r += gridDim.x) {
        const T* p = x + r * len;
        T* q = y + r * len;
        double s = 0.0;
        for (int64_t i = t; i < len; i += kNormThreads) s = __dadd_rn(s, static_cast<double>(load_c(p + i)));
        const double mean = __ddiv_rn(block_total(s), static_cast<double>(len));
        double m2 = 0.0;
        for (int64_t i = t; i < len; i += kNormThreads) {
            const double d = __dsub_rn(static_cast<double>(load_c(p + i)), mean);
            m2 = __dadd_rn(m2, __dmul_rn(d, d));
        }
        const double rstd = __ddiv_rn(1.0, __dsqrt_rn(__dadd_rn(__ddiv_rn(block_total(m2), static_cast<double>(len)), eps)));
        const int64_t c0 = (r % groups) * cg;
        for (int64_t i = t; i < len; i += kNormThreads) {
            // (x - mean) * rstd, * weight, + bias in double, rounded once (ops_norm.cpp).
            double v = __dmul_rn(__dsub_rn(static_cast<double>(load_c(p + i)), mean), rstd);
            const int64_t c = c0 + i / spatial;
            if (w) v = __dmul_rn(v, static_cast<double>(load_c(w + c)));
            if (bias) v = __dadd_rn(v, static_cast<double>(load_c(bias + c)));
            const T stored = store_c<T>(v);
            // group_norm_silu: silu of the stored value, as k_activation computes it.
            q[i] = then_silu ? store_c<T>(activation(Activation::Silu, load_c(&stored))) : stored;
        }
    }
}

// ---- upsample_nearest2d, cat ---------------------------------------------------------------------

__device__ __forceinline__ int64_t nearest_source(int64_t dst, int64_t in, int64_t out, float inv) {
    if (out == in) return dst;
    if (out == 2 * in) return dst >> 1;
    const int64_t s = static_cast<int64_t>(floorf(__fmul_rn(static_cast<float>(dst), inv)));
    return s < in - 1 ? s : in - 1;
}

template <class E>
__global__ void k_upsample_nearest(const E* x, E* y, int64_t planes, int64_t H, int64_t W, int64_t Ho, int64_t Wo,
                                   float inv_h, float inv_w) {
    const uint64_t total = static_cast<uint64_t>(planes) * Ho * Wo;
    for (uint64_t i = global_thread(); i < total; i += grid_threads()) {
        const int64_t j = static_cast<int64_t>(i % static_cast<uint64_t>(Wo));
        const uint64_t t = i / static_cast<uint64_t>(Wo);
        const int64_t r = static_cast<int64_t>(t % static_cast<uint64_t>(Ho));
        const int64_t plane = static_cast<int64_t>(t / static_cast<uint64_t>(Ho));
        y[i] = x[(plane * H + nearest_source(r, H, Ho, inv_h)) * W + nearest_source(j, W, Wo, inv_w)];
    }
}

// Element i of the launch: outer index o = i / R (R = the parts' total row), then the part whose
// columns hold i % R.
template <class E>
__global__ void k_cat(CatLayout L, int64_t R, E* out) {
    const uint64_t total = static_cast<uint64_t>(L.outer) * static_cast<uint64_t>(R);
    for (uint64_t i = global_thread(); i < total; i += grid_threads()) {
        const int64_t o = static_cast<int64_t>(i / static_cast<uint64_t>(R));
        int64_t r = static_cast<int64_t>(i % static_cast<uint64_t>(R));
        int p = 0;
        while (r >= L.parts[p].row) r -= L.parts[p++].row;
        out[o * L.out_row + L.parts[p].col + r] = static_cast<const E*>(L.parts[p].src)[o * L.parts[p].row + r];
    }
}

// ---- comparisons, where -------------------------------------------------------------------------

// The type a comparison reads in (ops_elementwise.cpp's compare: the compute dtype).
template <class T> struct CompareType { using type = int64_t; };
template <> struct CompareType<float> { using type = float; };
template <> struct CompareType<Half> { using type = float; };
template <> struct CompareType<BFloat16> { using type = float; };
template <> struct CompareType<double> { using type = double; };

template <class T>
__device__ __forceinline__ typename CompareType<T>::type compare_value(const T* p) {
    if constexpr (std::is_same<typename CompareType<T>::type, int64_t>::value) return static_cast<int64_t>(*p);
    else return load_c(p);
}

template <class V>
__device__ __forceinline__ bool compare_op(int op, V u, V v) {
    switch (op) {
        case 0: return u == v;
        case 1: return u != v;
        case 2: return u < v;
        case 3: return u <= v;
        case 4: return u > v;
        default: return u >= v;
    }
}

template <class T>
__global__ void k_compare(int op, const T* a, const T* b, bool* out, int64_t n, BroadcastLayout L) {
    for (uint64_t i = global_thread(); i < static_cast<uint64_t>(n); i += grid_threads()) {
        int64_t rem = static_cast<int64_t>(i), oa = 0, ob = 0;
        for (int d = L.ndim - 1; d >= 0; --d) {
            const int64_t idx = rem % L.size[d];
            rem /= L.size[d];
            oa += idx * L.stride_a[d];
            ob += idx * L.stride_b[d];
        }
        out[i] = compare_op(op, compare_value(a + oa), compare_value(b + ob));
    }
}

template <class T, class V>
__global__ void k_compare_scalar(int op, const T* in, V s, bool* out, int64_t n) {
    for (uint64_t i = global_thread(); i < static_cast<uint64_t>(n); i += grid_threads())
        out[i] = compare_op(op, compare_value(in + i), s);
}

template <class E>
__global__ void k_where(const bool* cond, const E* a, const E* b, E* out, int64_t n, WhereLayout L) {
    for (uint64_t i = global_thread(); i < static_cast<uint64_t>(n); i += grid_threads()) {
        int64_t rem = static_cast<int64_t>(i), oc = 0, oa = 0, ob = 0;
        for (int d = L.ndim - 1; d >= 0; --d) {
            const int64_t idx = rem % L.size[d];
            rem /= L.size[d];
            oc += idx * L.stride_cond[d];
            oa += idx * L.stride_a[d];
            ob += idx * L.stride_b[d];
        }
        out[i] = cond[oc] ? a[oa] : b[ob];
    }
}

}  // namespace

void launch_compare(int op, const void* a, const void* b, bool* out, DType dtype, int64_t n,
                    const BroadcastLayout& layout, StreamHandle stream) {
    if (n <= 0) return;
    const int grid = grid_for(n);
    dispatch_dtype(dtype, [&](auto tag) {
        using T = decltype(tag);
        k_compare<T><<<grid, 256, 0, stream>>>(op, static_cast<const T*>(a), static_cast<const T*>(b), out, n, layout);
    });
    NL_CUDA_CHECK_LAUNCH("k_compare");
}

void launch_compare_scalar(int op, const void* in, double s, bool* out, DType dtype, int64_t n, StreamHandle stream) {
    if (n <= 0) return;
    const int grid = grid_for(n);
    dispatch_dtype(dtype, [&](auto tag) {
        using T = decltype(tag);
        using V = typename CompareType<T>::type;
        // Integers: s holds an integer (the op sends larger ones through the host), exact in int64.
        k_compare_scalar<T, V><<<grid, 256, 0, stream>>>(op, static_cast<const T*>(in), static_cast<V>(s), out, n);
    });
    NL_CUDA_CHECK_LAUNCH("k_compare_scalar");
}

void launch_where(const bool* cond, const void* a, const void* b, void* out, size_t elem_bytes, int64_t n,
                  const WhereLayout& layout, StreamHandle stream) {
    if (n <= 0) return;
    const int grid = grid_for(n);
    dispatch_bytes(elem_bytes, "where", [&](auto tag) {
        using E = decltype(tag);
        k_where<E><<<grid, 256, 0, stream>>>(cond, static_cast<const E*>(a), static_cast<const E*>(b), static_cast<E*>(out),
                                             n, layout);
    });
    NL_CUDA_CHECK_LAUNCH("k_where");
}

void launch_strided_copy(const void* in, void* out, size_t elem_bytes, int64_t n, const StridedLayout& layout,
                         StreamHandle stream) {
    if (n <= 0) return;
    const int grid = grid_for(n);
    dispatch_bytes(elem_bytes, "strided copy", [&](auto tag) {
        using E = decltype(tag);
        k_strided_copy<E><<<grid, 256, 0, stream>>>(static_cast<const E*>(in), static_cast<E*>(out), n, layout);
    });
    NL_CUDA_CHECK_LAUNCH("k_strided_copy");
}

void launch_binary_scalar(int op, const void* in, double s, bool scalar_first, void* out, DType dtype, int64_t n,
                          StreamHandle stream) {
    if (n <= 0) return;
    const int grid = grid_for(n);
    dispatch_floating(dtype, "tensor-scalar arithmetic", [&](auto tag) {
        using T = decltype(tag);
        using C = typename Compute<T>::type;
        k_binary_scalar<T><<<grid, 256, 0, stream>>>(op, static_cast<const T*>(in), static_cast<C>(s), scalar_first,
                                                     static_cast<T*>(out), n);
    });
    NL_CUDA_CHECK_LAUNCH("k_binary_scalar");
}

void launch_activation(Activation act, const void* in, void* out, DType dtype, int64_t n, StreamHandle stream) {
    if (n <= 0) return;
    const int grid = grid_for(n);
    dispatch_floating(dtype, "silu / gelu", [&](auto tag) {
        using T = decltype(tag);
        k_activation<T><<<grid, 256, 0, stream>>>(act, static_cast<const T*>(in), static_cast<T*>(out), n);
    });
    NL_CUDA_CHECK_LAUNCH("k_activation");
}

void launch_clamp(const void* in, void* out, DType dtype, int64_t n, bool has_lo, double lo, bool has_hi, double hi,
                  StreamHandle stream) {
    if (n <= 0) return;
    const int grid = grid_for(n);
    dispatch_floating(dtype, "clamp", [&](auto tag) {
        using T = decltype(tag);
        using C = typename Compute<T>::type;
        k_clamp<T><<<grid, 256, 0, stream>>>(static_cast<const T*>(in), static_cast<T*>(out), n, has_lo,
                                             static_cast<C>(lo), has_hi, static_cast<C>(hi));
    });
    NL_CUDA_CHECK_LAUNCH("k_clamp");
}

namespace {

// The register-tiled kernel's blocks for g, or false where it does not apply (then the direct one).
bool tiled_conv_shape(const ConvGeometry& g, DType dtype, TiledConvShape& t) {
    if (g.N <= 0 || g.O <= 0 || g.Ho <= 0 || g.Wo <= 0) return false;  // nothing to compute (and no tiles)
    if (g.sh != 1 || g.sw != 1 || g.dh != 1 || g.dw != 1 || g.groups != 1) return false;
    if (g.kw != 1 && g.kw != 3 && g.kw != 5 && g.kw != 7) return false;
    if (g.kh < 1 || g.kh > 7 || g.Wo > 512 || g.C > (int64_t{1} << 20) || g.O > (int64_t{1} << 20)) return false;
    t.row_groups = static_cast<int>((g.Wo + kTilePx - 1) / kTilePx);
    t.rows = static_cast<int>(std::min<int64_t>(g.Ho, std::max(1, 128 / t.row_groups)));
    const int groups_per_block = t.rows * t.row_groups;
    const int64_t o_tiles_all = (g.O + kTileO - 1) / kTileO;
    t.o_tiles = static_cast<int>(std::min<int64_t>(o_tiles_all, std::max(1, 256 / groups_per_block)));
    t.tile_w = t.row_groups * kTilePx + static_cast<int>(g.kw) - 1;
    const size_t csize = dtype == DType::Float64 ? sizeof(double) : sizeof(float);
    const size_t per_channel =
        csize * (static_cast<size_t>(t.rows + g.kh - 1) * t.tile_w + static_cast<size_t>(g.kh * g.kw) * t.o_tiles * kTileO);
    if (per_channel > kTiledSharedBytes) return false;
    t.chunk_c = static_cast<int>(std::min<int64_t>(g.C, static_cast<int64_t>(kTiledSharedBytes / per_channel)));
    const int64_t row_blocks = (g.Ho + t.rows - 1) / t.rows, o_blocks = (g.O + t.o_tiles * kTileO - 1) / (t.o_tiles * kTileO);
    return g.N * o_blocks * row_blocks <= INT32_MAX;
}

ConvKernel& chosen_conv_kernel() {
    static ConvKernel k = env_equals("NOISELAB_CONV_KERNEL", "tiled") ? ConvKernel::Tiled : ConvKernel::Direct;
    return k;
}

}  // namespace

void set_conv_kernel(ConvKernel k) { chosen_conv_kernel() = k; }
ConvKernel conv_kernel() { return chosen_conv_kernel(); }
ConvKernel conv_kernel_for(const ConvGeometry& g, DType dtype) {
    TiledConvShape t;
    return conv_kernel() == ConvKernel::Tiled && tiled_conv_shape(g, dtype, t) ? ConvKernel::Tiled : ConvKernel::Direct;
}

bool launch_conv2d(const void* x, const void* w, const void* bias, void* y, DType dtype, const ConvGeometry& g,
                   const void* add, const layer::AddendStrides& as, StreamHandle stream) {
    const int64_t HoWo = g.Ho * g.Wo, kk = g.kh * g.kw;
    const int64_t Cg = g.C / g.groups, Og = g.O / g.groups;
    if (g.N <= 0 || g.O <= 0 || HoWo <= 0) return true;  // nothing to compute
    if (kk <= 0) return false;  // the op refuses such weights; never divide by the window below
    // The kernel's per-image arithmetic is 32-bit (fast on the GPU): refuse what would overflow it.
    const int64_t lim = int64_t{1} << 30;
    if (g.H * g.W >= lim || HoWo >= lim || Cg * kk >= lim || g.H + 2 * g.ph + g.dh * g.kh >= lim ||
        g.W + 2 * g.pw + g.dw * g.kw >= lim || g.sh * g.Ho >= lim || g.sw * g.Wo >= lim)
        return false;
    TiledConvShape t;
    if (conv_kernel() == ConvKernel::Tiled && tiled_conv_shape(g, dtype, t)) {
        const int64_t row_blocks = (g.Ho + t.rows - 1) / t.rows, o_blocks = (g.O + t.o_tiles * kTileO - 1) / (t.o_tiles * kTileO);
        const int64_t blocks = g.N * o_blocks * row_blocks;
        const size_t csize = dtype == DType::Float64 ? sizeof(double) : sizeof(float);
        const size_t shared = csize * static_cast<size_t>(t.chunk_c) *
                              (static_cast<size_t>(t.rows + g.kh - 1) * t.tile_w +
                               static_cast<size_t>(g.kh * g.kw) * t.o_tiles * kTileO);
        const dim3 threads(static_cast<unsigned>(t.rows * t.row_groups), static_cast<unsigned>(t.o_tiles));
        dispatch_floating(dtype, "conv2d", [&](auto tag) {
            using T = decltype(tag);
            auto launch = [&](auto kernel) {
                kernel<<<static_cast<unsigned>(blocks), threads, shared, stream>>>(
                    static_cast<const T*>(x), static_cast<const T*>(w), static_cast<const T*>(bias), static_cast<T*>(y), g, t,
                    static_cast<int>(row_blocks), static_cast<int>(o_blocks), static_cast<const T*>(add), as);
            };
            switch (g.kw) {
                case 1: launch(k_conv2d_tiled<T, 1>); break;
                case 3: launch(k_conv2d_tiled<T, 3>); break;
                case 5: launch(k_conv2d_tiled<T, 5>); break;
                default: launch(k_conv2d_tiled<T, 7>); break;
            }
        });
        NL_CUDA_CHECK_LAUNCH("k_conv2d_tiled");
        return true;
    }
    const size_t csize = dtype == DType::Float64 ? sizeof(double) : sizeof(float);
    const size_t per_channel = static_cast<size_t>(kk) * kConvTile * csize;
    if (per_channel > kConvSharedBytes) return false;
    const int chunk_c = static_cast<int>(std::min<int64_t>(Cg, static_cast<int64_t>(kConvSharedBytes / per_channel)));
    // Pixel tiles of at most 256 threads, as even as whole warps allow (400 pixels: 2 x 224).
    const int64_t pixel_tiles = (HoWo + 255) / 256;
    const int threads = static_cast<int>(((HoWo + pixel_tiles - 1) / pixel_tiles + 31) / 32 * 32);
    const int64_t o_tiles = (Og + kConvTile - 1) / kConvTile;
    const int64_t blocks = g.N * g.groups * o_tiles * pixel_tiles;
    if (blocks > INT32_MAX || pixel_tiles > INT32_MAX || o_tiles > INT32_MAX) return false;
    const size_t shared = static_cast<size_t>(chunk_c) * per_channel;
    dispatch_floating(dtype, "conv2d", [&](auto tag) {  // throws for other dtypes
        using T = decltype(tag);
        k_conv2d<T><<<static_cast<unsigned>(blocks), threads, shared, stream>>>(
            static_cast<const T*>(x), static_cast<const T*>(w), static_cast<const T*>(bias), static_cast<T*>(y), g,
            static_cast<int>(pixel_tiles), static_cast<int>(o_tiles), chunk_c, static_cast<const T*>(add), as);
    });
    NL_CUDA_CHECK_LAUNCH("k_conv2d");
    return true;
}

void launch_group_norm(const void* x, const void* w, const void* b, void* y, DType dtype, int64_t N, int64_t C,
                       int64_t spatial, int64_t groups, double eps, bool then_silu, StreamHandle stream) {
    const int64_t rows = N * groups;
    if (rows <= 0 || C <= 0 || spatial <= 0) return;
    const int grid = static_cast<int>(std::min<int64_t>(rows, 65535));
    dispatch_floating(dtype, "group_norm", [&](auto tag) {
        using T = decltype(tag);
        k_group_norm<T><<<grid, kNormThreads, 0, stream>>>(static_cast<const T*>(x), static_cast<const T*>(w),
                                                           static_cast<const T*>(b), static_cast<T*>(y), rows, groups,
                                                           C / groups, spatial, eps, then_silu);
    });
    NL_CUDA_CHECK_LAUNCH("k_group_norm");
}

void launch_upsample_nearest2d(const void* x, void* y, size_t elem_bytes, int64_t planes, int64_t H, int64_t W,
                               int64_t Ho, int64_t Wo, float inv_h, float inv_w, StreamHandle stream) {
    const int64_t total = planes * Ho * Wo;
    if (total <= 0) return;
    const int grid = grid_for(total);
    dispatch_bytes(elem_bytes, "upsample_nearest2d", [&](auto tag) {
        using E = decltype(tag);
        k_upsample_nearest<E><<<grid, 256, 0, stream>>>(static_cast<const E*>(x), static_cast<E*>(y), planes, H, W, Ho, Wo,
                                                        inv_h, inv_w);
    });
    NL_CUDA_CHECK_LAUNCH("k_upsample_nearest");
}

void launch_cat(const CatLayout& layout, void* out, size_t elem_bytes, StreamHandle stream) {
    int64_t R = 0;
    for (int p = 0; p < layout.count; ++p) R += layout.parts[p].row;
    if (layout.outer <= 0 || R <= 0) return;
    const int grid = grid_for(layout.outer * R);
    dispatch_bytes(elem_bytes, "cat", [&](auto tag) {
        using E = decltype(tag);
        k_cat<E><<<grid, 256, 0, stream>>>(layout, R, static_cast<E*>(out));
    });
    NL_CUDA_CHECK_LAUNCH("k_cat");
}

}  // namespace nl::gpu::detail
