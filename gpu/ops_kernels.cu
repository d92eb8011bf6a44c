// Small utility kernels of gpu/: dtype conversion of generated values (cuRAND engines) and the
// transpose of cuRAND's dimension-major quasi-random points.
#include <cstdint>
#include <type_traits>

#include "gpu/cuda_check.h"
#include "gpu/kernels.h"
#include "tensor/errors.h"
#include "tensor/half.h"

namespace nl::gpu::detail {

namespace {

__device__ __forceinline__ uint64_t global_thread() {
    return static_cast<uint64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
}
__device__ __forceinline__ uint64_t grid_threads() { return static_cast<uint64_t>(gridDim.x) * blockDim.x; }

template <class D, class S>
__device__ __forceinline__ D convert_value(S v) {
    if constexpr (std::is_same<D, Half>::value || std::is_same<D, BFloat16>::value) return D(static_cast<float>(v));
    else if constexpr (std::is_same<D, bool>::value) return v != S(0);
    else return static_cast<D>(v);
}

template <class S, class D>
__global__ void k_convert(const S* src, D* dst, int64_t n) {
    for (uint64_t i = global_thread(); i < static_cast<uint64_t>(n); i += grid_threads()) dst[i] = convert_value<D>(src[i]);
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

int grid_for(int64_t n) {
    int dev = 0;
    NL_CUDA_CHECK(cudaGetDevice(&dev));
    return auto_grid(dev, static_cast<uint64_t>(n), 256);
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
    if (src_dtype == DType::Float32) convert_from(static_cast<const float*>(src), dst, dst_dtype, n, stream);
    else if (src_dtype == DType::Float64) convert_from(static_cast<const double*>(src), dst, dst_dtype, n, stream);
    else throw DTypeError(std::string("launch_convert: source dtype ") + dtype_name(src_dtype) + " is not supported (float32, float64)");
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
