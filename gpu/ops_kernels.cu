// The non-random kernels of gpu/: dtype conversion of generated values and the transpose of
// cuRAND's dimension-major quasi-random points (engines.cpp), the image-grid kernel of the GL
// interop, and the elementwise / sum / softmax / index_select kernels behind cuda_ops.cpp.
#include <cub/block/block_reduce.cuh>
#include <math_constants.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <type_traits>

#include "gpu/cuda_check.h"
#include "gpu/device_util.cuh"
#include "gpu/kernels.h"
#include "tensor/detmath.h"
#include "tensor/errors.h"
#include "tensor/half.h"

namespace nl::gpu::detail {

namespace {

// Tensor::to(dtype)'s conversion (tensor/dtype.h: convert_element, the CPU's own function).
template <class S, class D>
__global__ void k_convert(const S* src, D* dst, int64_t n) {
    for (uint64_t i = global_thread(); i < static_cast<uint64_t>(n); i += grid_threads()) dst[i] = convert_element<D>(src[i]);
}

template <class T>
__global__ void k_transpose(const T* src, T* dst, int64_t rows, int64_t cols) {
    // dst[c * rows + r] = src[r * cols + c]; i walks dst in order (coalesced writes).
    const uint64_t n = static_cast<uint64_t>(rows) * static_cast<uint64_t>(cols);
    for (uint64_t i = global_thread(); i < n; i += grid_threads()) {
        const uint64_t c = i / static_cast<uint64_t>(rows), r = i % static_cast<uint64_t>(rows);
        dst[i] = src[r * static_cast<uint64_t>(cols) + c];
    }
}

template <class S>
void convert_from(const S* src, void* dst, DType dst_dtype, int64_t n, StreamHandle stream) {
    const int grid = grid_for(n);
    dispatch_dtype(dst_dtype, [&](auto tag) {
        using D = decltype(tag);
        k_convert<S, D><<<grid, 256, 0, stream>>>(src, static_cast<D*>(dst), n);
    });
    NL_CUDA_CHECK_LAUNCH("k_convert");
}

}  // namespace

void launch_convert(const void* src, DType src_dtype, void* dst, DType dst_dtype, int64_t n, StreamHandle stream) {
    if (n <= 0) return;
    dispatch_dtype(src_dtype, [&](auto tag) {
        using S = decltype(tag);
        convert_from(static_cast<const S*>(src), dst, dst_dtype, n, stream);
    });
}

void launch_convert_u32(const uint32_t* src, void* dst, DType dst_dtype, int64_t n, StreamHandle stream) {
    if (n <= 0) return;
    convert_from(src, dst, dst_dtype, n, stream);
}

void launch_transpose(const void* src, void* dst, int64_t rows, int64_t cols, size_t elem_bytes, StreamHandle stream) {
    const int64_t n = rows * cols;
    if (n <= 0) return;
    const int grid = grid_for(n);
    if (elem_bytes == 4) k_transpose<uint32_t><<<grid, 256, 0, stream>>>(static_cast<const uint32_t*>(src), static_cast<uint32_t*>(dst), rows, cols);
    else if (elem_bytes == 8) k_transpose<uint64_t><<<grid, 256, 0, stream>>>(static_cast<const uint64_t*>(src), static_cast<uint64_t*>(dst), rows, cols);
    else throw ValueError("launch_transpose: element size must be 4 or 8 bytes, got " + std::to_string(elem_bytes));
    NL_CUDA_CHECK_LAUNCH("k_transpose");
}

}  // namespace nl::gpu::detail

// ---- image grids (gl_interop.h) -------------------------------------------------------------------
namespace nl::gpu::detail {

namespace {

template <class T>
__device__ __forceinline__ double grid_value(const T* p) {
    if constexpr (std::is_same<T, Half>::value || std::is_same<T, BFloat16>::value) return static_cast<float>(*p);
    else return static_cast<double>(*p);
}

// render/image.cpp's normalise() and to_byte(): t in [0, 1] as float, the middle when hi <= lo.
__device__ __forceinline__ float grid_normalise(double x, double lo, double hi) {
    if (!(hi > lo)) return 0.5f;
    double t = (x - lo) / (hi - lo);
    t = t < 0.0 ? 0.0 : (t > 1.0 ? 1.0 : t);
    return static_cast<float>(t);
}
__device__ __forceinline__ uint8_t grid_byte(float t) { return static_cast<uint8_t>(lroundf(t * 255.0f)); }

template <class T>
__global__ void k_grid_rgba(const T* images, GridKernelSpec s, uint8_t* rgba, cudaSurfaceObject_t surface) {
    const uint64_t total = static_cast<uint64_t>(s.width) * static_cast<uint64_t>(s.height);
    const int64_t cell_w = s.w * s.scale + s.padding, cell_h = s.h * s.scale + s.padding;
    const int64_t plane = s.h * s.w;
    for (uint64_t i = global_thread(); i < total; i += grid_threads()) {
        const int64_t X = static_cast<int64_t>(i % static_cast<uint64_t>(s.width));
        const int64_t Y = static_cast<int64_t>(i / static_cast<uint64_t>(s.width));
        uchar4 px = make_uchar4(s.background[0], s.background[1], s.background[2], s.background[3]);
        const int64_t xr = X - s.padding, yr = Y - s.padding;
        if (xr >= 0 && yr >= 0) {
            const int64_t tc = xr / cell_w, tr = yr / cell_h;
            const int64_t inx = xr % cell_w, iny = yr % cell_h;
            const int64_t tile = tr * s.columns + tc;
            if (tc < s.columns && tile < s.n && inx < s.w * s.scale && iny < s.h * s.scale) {
                const int64_t p = (iny / s.scale) * s.w + inx / s.scale;
                if (p < s.count) {
                    const int64_t base = tile * s.c * (s.c == 1 ? s.count : plane);
                    if (s.c == 3) {
                        const double r = grid_value(images + base + p), g = grid_value(images + base + plane + p),
                                     b = grid_value(images + base + 2 * plane + p);
                        if (r != r || g != g || b != b)
                            px = make_uchar4(s.nan_rgb[0], s.nan_rgb[1], s.nan_rgb[2], 255);
                        else
                            px = make_uchar4(grid_byte(grid_normalise(r, s.lo, s.hi)), grid_byte(grid_normalise(g, s.lo, s.hi)),
                                             grid_byte(grid_normalise(b, s.lo, s.hi)), 255);
                    } else {
                        const double x = grid_value(images + base + p);
                        if (x != x) {
                            px = make_uchar4(s.nan_rgb[0], s.nan_rgb[1], s.nan_rgb[2], 255);
                        } else {
                            const float t = grid_normalise(x, s.lo, s.hi);
                            const int k = static_cast<int>(lroundf(t * static_cast<float>(s.lut_size - 1)));
                            px = make_uchar4(s.lut[3 * k], s.lut[3 * k + 1], s.lut[3 * k + 2], 255);
                        }
                    }
                }
            }
        }
        if (rgba) reinterpret_cast<uchar4*>(rgba)[i] = px;
        else surf2Dwrite(px, surface, static_cast<int>(X * 4), static_cast<int>(Y));
    }
}

}  // namespace

void launch_grid_rgba(const void* images, DType dtype, const GridKernelSpec& spec, uint8_t* rgba,
                      unsigned long long surface, StreamHandle stream) {
    const int64_t total = static_cast<int64_t>(spec.width) * spec.height;
    if (total <= 0) return;
    const int grid = grid_for(total);
    auto go = [&](auto tag) {
        using T = decltype(tag);
        k_grid_rgba<T><<<grid, 256, 0, stream>>>(static_cast<const T*>(images), spec, rgba, surface);
    };
    switch (dtype) {
        case DType::Float32: go(float{}); break;
        case DType::Float64: go(double{}); break;
        case DType::Float16: go(Half{}); break;
        case DType::BFloat16: go(BFloat16{}); break;
        case DType::UInt8: go(uint8_t{}); break;
        default:
            throw DTypeError(std::string("image grid on the GPU: dtype ") + dtype_name(dtype) +
                             " is not supported; valid dtypes: float32, float64, float16, bfloat16, uint8");
    }
    NL_CUDA_CHECK_LAUNCH("k_grid_rgba");
}

}  // namespace nl::gpu::detail

// ---- non-random ops ---------------------------------------------------------------------------------

namespace nl::gpu::detail {

namespace {

template <class T>
__global__ void k_binary(int op, const T* a, const T* b, T* out, int64_t n, BroadcastLayout L) {
    using C = typename Compute<T>::type;
    for (uint64_t i = global_thread(); i < static_cast<uint64_t>(n); i += grid_threads()) {
        int64_t rem = static_cast<int64_t>(i), oa = 0, ob = 0;
        for (int d = L.ndim - 1; d >= 0; --d) {
            const int64_t idx = rem % L.size[d];
            rem /= L.size[d];
            oa += idx * L.stride_a[d];
            ob += idx * L.stride_b[d];
        }
        out[i] = store_c<T>(arith<C>(op, load_c(a + oa), load_c(b + ob)));
    }
}

template <class C>
__device__ __forceinline__ C unary_value(int op, C x) {
    switch (op) {
        case 0: return flip_sign(x);           // as the CPU's -x: only the sign bit changes
        case 1: return clear_sign(x);          // as std::abs: -0 -> +0, the sign of NaN cleared
        case 2: return x < C(0) ? C(0) : x;    // as the CPU's relu: -0 and NaN pass unchanged
        case 3: return dm::exp_elementwise(x);  // detmath.h's, as the CPU's exp: the same bits
        case 4: return log(x);
        case 5: {  // sqrt of a negative number: the CPU's default NaN (x86_nan)
            const C r = sqrt(x);
            return r != r ? x86_nan(x, x) : r;
        }
        case 6: return dm::sin_elementwise(x);  // the CPU's bits for float (|x| < 2^19)
        case 7: return dm::cos_elementwise(x);
        case 8: return dm::tanh_elementwise(x);
        default: return arith(3, C(1), arith(0, C(1), dm::exp_elementwise(flip_sign(x))));  // sigmoid, as the CPU's
    }
}

template <class T>
__global__ void k_unary(int op, const T* in, T* out, int64_t n) {
    for (uint64_t i = global_thread(); i < static_cast<uint64_t>(n); i += grid_threads())
        out[i] = store_c<T>(unary_value(op, load_c(in + i)));
}

template <class Acc>
struct AddOp {
    __device__ Acc operator()(Acc a, Acc b) const { return a + b; }
};

// Pass 1: block b adds its grid-stride share in a fixed order; pass 2 (one block) adds the
// partials in block order. The same grid gives the same bits on every run.
template <class T, class Acc>
__global__ void k_sum_partials(const T* in, int64_t n, Acc* partials) {
    using Reduce = cub::BlockReduce<Acc, 256>;
    __shared__ typename Reduce::TempStorage tmp;
    Acc acc = Acc(0);
    for (uint64_t i = global_thread(); i < static_cast<uint64_t>(n); i += grid_threads()) {
        if constexpr (std::is_same<Acc, double>::value) acc += static_cast<double>(load_c(in + i));
        else acc += static_cast<Acc>(static_cast<int64_t>(in[i]));
    }
    const Acc total = Reduce(tmp).Reduce(acc, AddOp<Acc>());
    if (threadIdx.x == 0) partials[blockIdx.x] = total;
}

template <class T, class Acc>
__global__ void k_sum_final(const Acc* partials, int count, void* out) {
    using Reduce = cub::BlockReduce<Acc, 256>;
    __shared__ typename Reduce::TempStorage tmp;
    Acc acc = Acc(0);
    for (int i = threadIdx.x; i < count; i += blockDim.x) acc += partials[i];
    const Acc total = Reduce(tmp).Reduce(acc, AddOp<Acc>());
    if (threadIdx.x == 0) {
        if constexpr (std::is_same<Acc, double>::value) *static_cast<T*>(out) = store_c<T>(total);
        else *static_cast<int64_t*>(out) = static_cast<int64_t>(total);
    }
}

struct NanMaxOp {
    __device__ double operator()(double a, double b) const {
        if (a != a) return a;
        if (b != b) return b;
        return a > b ? a : b;
    }
};

template <class T>
__global__ void k_softmax(const T* in, T* out, int64_t outer, int64_t n, int64_t inner, bool log_mode) {
    using Reduce = cub::BlockReduce<double, 256>;
    __shared__ typename Reduce::TempStorage tmp;
    __shared__ double s_max, s_sum;
    const int64_t lines = outer * inner;
    for (int64_t line = blockIdx.x; line < lines; line += gridDim.x) {
        const int64_t base = (line / inner) * n * inner + line % inner;
        double mx = -CUDART_INF;
        for (int64_t k = threadIdx.x; k < n; k += blockDim.x) mx = NanMaxOp()(mx, static_cast<double>(load_c(in + base + k * inner)));
        mx = Reduce(tmp).Reduce(mx, NanMaxOp());
        if (threadIdx.x == 0) s_max = mx;
        __syncthreads();
        mx = s_max;
        double s = 0.0;
        for (int64_t k = threadIdx.x; k < n; k += blockDim.x) s += exp(static_cast<double>(load_c(in + base + k * inner)) - mx);
        s = Reduce(tmp).Reduce(s, AddOp<double>());
        if (threadIdx.x == 0) s_sum = s;
        __syncthreads();
        s = s_sum;
        const double ls = log(s);
        for (int64_t k = threadIdx.x; k < n; k += blockDim.x) {
            const double x = static_cast<double>(load_c(in + base + k * inner));
            out[base + k * inner] = store_c<T>(log_mode ? x - mx - ls : exp(x - mx) / s);
        }
        __syncthreads();
    }
}

template <class E>
__global__ void k_index_select(const E* in, E* out, int64_t outer, int64_t n, int64_t inner, const int64_t* index,
                               int64_t k_count) {
    const uint64_t total = static_cast<uint64_t>(outer) * k_count * inner;
    for (uint64_t i = global_thread(); i < total; i += grid_threads()) {
        const int64_t ii = static_cast<int64_t>(i % static_cast<uint64_t>(inner));
        const int64_t k = static_cast<int64_t>((i / static_cast<uint64_t>(inner)) % static_cast<uint64_t>(k_count));
        const int64_t o = static_cast<int64_t>(i / (static_cast<uint64_t>(inner) * k_count));
        out[i] = in[(o * n + index[k]) * inner + ii];
    }
}

}  // namespace

void launch_binary(int op, const void* a, const void* b, void* out, DType dtype, int64_t n, const BroadcastLayout& layout,
                   StreamHandle stream) {
    if (n <= 0) return;
    const int grid = grid_for(n);
    auto run = [&](auto tag) {
        using T = decltype(tag);
        k_binary<T><<<grid, 256, 0, stream>>>(op, static_cast<const T*>(a), static_cast<const T*>(b), static_cast<T*>(out), n, layout);
    };
    if (dtype == DType::Int64) run(int64_t{});  // + - * wrapping
    else dispatch_floating(dtype, "binary op", run);
    NL_CUDA_CHECK_LAUNCH("k_binary");
}

void launch_unary(int op, const void* in, void* out, DType dtype, int64_t n, StreamHandle stream) {
    if (n <= 0) return;
    const int grid = grid_for(n);
    dispatch_floating(dtype, "unary op", [&](auto tag) {
        using T = decltype(tag);
        k_unary<T><<<grid, 256, 0, stream>>>(op, static_cast<const T*>(in), static_cast<T*>(out), n);
    });
    NL_CUDA_CHECK_LAUNCH("k_unary");
}

void launch_sum(const void* in, DType dtype, int64_t n, void* out, void* scratch, StreamHandle stream) {
    const int grid = n > 0 ? std::min(kSumBlocks, grid_for(n)) : 1;
    if (is_floating(dtype)) {
        dispatch_floating(dtype, "sum", [&](auto tag) {
            using T = decltype(tag);
            k_sum_partials<T, double><<<grid, 256, 0, stream>>>(static_cast<const T*>(in), n, static_cast<double*>(scratch));
            k_sum_final<T, double><<<1, 256, 0, stream>>>(static_cast<const double*>(scratch), grid, out);
        });
    } else {
        dispatch_dtype(dtype, [&](auto tag) {
            using T = decltype(tag);
            if constexpr (!std::is_floating_point<T>::value && !std::is_same<T, Half>::value && !std::is_same<T, BFloat16>::value) {
                k_sum_partials<T, unsigned long long><<<grid, 256, 0, stream>>>(static_cast<const T*>(in), n,
                                                                                static_cast<unsigned long long*>(scratch));
                k_sum_final<T, unsigned long long><<<1, 256, 0, stream>>>(static_cast<const unsigned long long*>(scratch), grid, out);
            }
        });
    }
    NL_CUDA_CHECK_LAUNCH("k_sum");
}

void launch_softmax(const void* in, void* out, DType dtype, int64_t outer, int64_t n, int64_t inner, bool log,
                    StreamHandle stream) {
    const int64_t lines = outer * inner;
    if (lines <= 0 || n <= 0) return;
    const int grid = static_cast<int>(std::min<int64_t>(lines, 65535));
    dispatch_floating(dtype, "softmax", [&](auto tag) {
        using T = decltype(tag);
        k_softmax<T><<<grid, 256, 0, stream>>>(static_cast<const T*>(in), static_cast<T*>(out), outer, n, inner, log);
    });
    NL_CUDA_CHECK_LAUNCH("k_softmax");
}

void launch_index_select(const void* in, void* out, size_t elem_bytes, int64_t outer, int64_t n, int64_t inner,
                         const int64_t* index, int64_t k_count, StreamHandle stream) {
    const int64_t total = outer * k_count * inner;
    if (total <= 0) return;
    const int grid = grid_for(total);
    switch (elem_bytes) {
        case 1: k_index_select<uint8_t><<<grid, 256, 0, stream>>>(static_cast<const uint8_t*>(in), static_cast<uint8_t*>(out), outer, n, inner, index, k_count); break;
        case 2: k_index_select<uint16_t><<<grid, 256, 0, stream>>>(static_cast<const uint16_t*>(in), static_cast<uint16_t*>(out), outer, n, inner, index, k_count); break;
        case 4: k_index_select<uint32_t><<<grid, 256, 0, stream>>>(static_cast<const uint32_t*>(in), static_cast<uint32_t*>(out), outer, n, inner, index, k_count); break;
        case 8: k_index_select<uint64_t><<<grid, 256, 0, stream>>>(static_cast<const uint64_t*>(in), static_cast<uint64_t*>(out), outer, n, inner, index, k_count); break;
        default: throw ValueError("index_select on the GPU: element size " + std::to_string(elem_bytes) + " is not 1, 2, 4 or 8");
    }
    NL_CUDA_CHECK_LAUNCH("k_index_select");
}

}  // namespace nl::gpu::detail
