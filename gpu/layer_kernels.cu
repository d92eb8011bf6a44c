// avg_pool2d, batch_norm and conv_transpose2d on the GPU (the GAN's and VAE's decoders, the digit
// classifier). Each thread computes whole outputs with the per-output formulas of
// tensor/layer_formulas.h, the code the CPU ops run or follow term for term, so the results are
// the CPU's bits (a NaN result is NaN, its payload the GPU's). Grid-stride loops over outputs:
// the values do not depend on the launch shape.
#include <cstdint>

#include "gpu/cuda_check.h"
#include "gpu/device_util.cuh"
#include "gpu/kernels.h"
#include "tensor/layer_formulas.h"

namespace nl::gpu::detail {

namespace {

template <class T>
__global__ void k_avg_pool2d(const T* x, T* y, uint64_t outputs, layer::PoolGeometry g) {
    const uint64_t per_plane = static_cast<uint64_t>(g.Ho * g.Wo);
    for (uint64_t i = global_thread(); i < outputs; i += grid_threads()) {
        const uint64_t plane = i / per_plane, at = i % per_plane;
        const T* p = x + plane * static_cast<uint64_t>(g.H * g.W);
        y[i] = layer::narrow<T>(layer::avg_pool2d_at(p, g, static_cast<int64_t>(at) / g.Wo, static_cast<int64_t>(at) % g.Wo));
    }
}

// The channel's scale and shift are recomputed per element (a division and a square root in
// double): cheaper than a second launch and a scratch buffer at the models' sizes.
template <class T>
__global__ void k_batch_norm(const T* x, const T* mean, const T* var, const T* w, const T* b, T* y, uint64_t n,
                             int64_t C, int64_t spatial, double eps) {
    for (uint64_t i = global_thread(); i < n; i += grid_threads()) {
        const int64_t c = static_cast<int64_t>(i / static_cast<uint64_t>(spatial)) % C;
        const layer::BatchNormChannel ch =
            layer::batch_norm_channel(layer::widen(mean[c]), layer::widen(var[c]), eps, w != nullptr,
                                      w ? layer::widen(w[c]) : 0.0, b != nullptr, b ? layer::widen(b[c]) : 0.0);
        y[i] = layer::narrow<T>(layer::batch_norm_at(layer::widen(x[i]), ch));
    }
}

template <class T>
__global__ void k_conv_transpose2d(const T* x, const T* w, const T* bias, T* y, uint64_t outputs,
                                   layer::ConvTransposeGeometry g) {
    const uint64_t plane = static_cast<uint64_t>(g.Ho * g.Wo), image = static_cast<uint64_t>(g.O) * plane;
    const uint64_t x_image = static_cast<uint64_t>(g.C * g.H * g.W);
    for (uint64_t i = global_thread(); i < outputs; i += grid_threads()) {
        const uint64_t n = i / image, r = i % image;
        const int64_t o = static_cast<int64_t>(r / plane), at = static_cast<int64_t>(r % plane);
        y[i] = layer::conv_store<T>(layer::conv_transpose2d_at(x + n * x_image, w, bias, g, o, at / g.Wo, at % g.Wo));
    }
}

}  // namespace

void launch_avg_pool2d(const void* x, void* y, DType dtype, int64_t planes, const layer::PoolGeometry& g,
                       StreamHandle stream) {
    const int64_t outputs = planes * g.Ho * g.Wo;
    if (outputs <= 0) return;
    const int grid = grid_for(outputs);
    dispatch_floating(dtype, "avg_pool2d", [&](auto tag) {
        using T = decltype(tag);
        k_avg_pool2d<T><<<grid, 256, 0, stream>>>(static_cast<const T*>(x), static_cast<T*>(y),
                                                  static_cast<uint64_t>(outputs), g);
    });
    NL_CUDA_CHECK_LAUNCH("k_avg_pool2d");
}

void launch_batch_norm(const void* x, const void* mean, const void* var, const void* w, const void* b, void* y,
                       DType dtype, int64_t N, int64_t C, int64_t spatial, double eps, StreamHandle stream) {
    const int64_t n = N * C * spatial;
    if (n <= 0) return;
    const int grid = grid_for(n);
    dispatch_floating(dtype, "batch_norm", [&](auto tag) {
        using T = decltype(tag);
        k_batch_norm<T><<<grid, 256, 0, stream>>>(static_cast<const T*>(x), static_cast<const T*>(mean),
                                                  static_cast<const T*>(var), static_cast<const T*>(w),
                                                  static_cast<const T*>(b), static_cast<T*>(y),
                                                  static_cast<uint64_t>(n), C, spatial, eps);
    });
    NL_CUDA_CHECK_LAUNCH("k_batch_norm");
}

void launch_conv_transpose2d(const void* x, const void* w, const void* bias, void* y, DType dtype, int64_t N,
                             const layer::ConvTransposeGeometry& g, StreamHandle stream) {
    const int64_t outputs = N * g.O * g.Ho * g.Wo;
    if (outputs <= 0) return;
    const int grid = grid_for(outputs);
    dispatch_floating(dtype, "conv_transpose2d", [&](auto tag) {
        using T = decltype(tag);
        k_conv_transpose2d<T><<<grid, 256, 0, stream>>>(static_cast<const T*>(x), static_cast<const T*>(w),
                                                        static_cast<const T*>(bias), static_cast<T*>(y),
                                                        static_cast<uint64_t>(outputs), g);
    });
    NL_CUDA_CHECK_LAUNCH("k_conv_transpose2d");
}

}  // namespace nl::gpu::detail
