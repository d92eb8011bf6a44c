// CUDA-GL interop (gl_interop.h): the texture is registered once; each write maps it, wraps its
// array in a surface object, runs the image-grid kernel into it and unmaps it. Also the same
// kernel into device memory (render_grid_rgba), which the tests check against a CPU reference.
#include "gpu/gl_interop.h"

#include <cuda_runtime_api.h>

#if !defined(NL_GPU_NO_GL)
#include <GL/gl.h>
#include <cuda_gl_interop.h>
#endif

#include <string>

#include "gpu/allocator.h"
#include "gpu/cuda_check.h"
#include "gpu/device.h"
#include "gpu/kernels.h"
#include "tensor/errors.h"

namespace nl::gpu {

int GridSpec::width() const {
    return static_cast<int>(static_cast<int64_t>(columns) * (w * scale + padding) + padding);
}
int GridSpec::height() const {
    const int64_t rows = columns > 0 ? (n + columns - 1) / columns : 0;
    return static_cast<int>(rows * (h * scale + padding) + padding);
}

namespace {

constexpr int kMaxSide = 16384;  // render::image_grid's limit

void check_spec(const Tensor& images, const GridSpec& s) {
    if (!images.defined() || !images.device().is_cuda())
        throw DeviceError("image grid on the GPU: expected a CUDA tensor, got " +
                          (images.defined() ? images.device().str() : std::string("an undefined tensor")));
    if (s.c != 1 && s.c != 3) throw ValueError("image grid: c = " + std::to_string(s.c) + " must be 1 or 3");
    if (s.n < 1 || s.h < 1 || s.w < 1 || s.count < 1 || s.count > s.h * s.w)
        throw ShapeError("image grid: layout n=" + std::to_string(s.n) + " h=" + std::to_string(s.h) + " w=" +
                         std::to_string(s.w) + " count=" + std::to_string(s.count) +
                         " is invalid (each >= 1, count <= h*w)");
    const int64_t need = s.c == 1 ? s.n * s.count : s.n * s.c * s.h * s.w;
    if (images.numel() != need)
        throw ShapeError("image grid: tensor of shape " + shape_str(images.shape()) + " has " +
                         std::to_string(images.numel()) + " elements, the layout needs " + std::to_string(need));
    if (s.columns < 1 || s.columns > 4096)
        throw ValueError("image grid: columns = " + std::to_string(s.columns) + " is out of range (1 to 4096)");
    if (s.padding < 0 || s.padding > 64)
        throw ValueError("image grid: padding = " + std::to_string(s.padding) + " is out of range (0 to 64)");
    if (s.scale < 1 || s.scale > 64)
        throw ValueError("image grid: scale = " + std::to_string(s.scale) + " is out of range (1 to 64)");
    const double wd = static_cast<double>(s.columns) * (static_cast<double>(s.w) * s.scale + s.padding) + s.padding;
    const double rows = static_cast<double>((s.n + s.columns - 1) / s.columns);
    const double hd = rows * (static_cast<double>(s.h) * s.scale + s.padding) + s.padding;
    if (wd > kMaxSide || hd > kMaxSide)
        throw ShapeError("image grid would be " + std::to_string(static_cast<int64_t>(wd)) + "x" +
                         std::to_string(static_cast<int64_t>(hd)) + " pixels; at most 16384 a side");
    const size_t entries = s.lut_rgb.size() / 3;
    if (s.lut_rgb.size() % 3 != 0 || entries < 2 || entries > 4096)
        throw ValueError("image grid: the colormap table has " + std::to_string(s.lut_rgb.size()) +
                         " bytes; expected 3 bytes per entry, 2 to 4096 entries");
}

// Runs the kernel into `rgba` (device buffer) or `surface` on the current stream of the device.
void run_grid(const Tensor& images, const GridSpec& s, uint8_t* rgba, unsigned long long surface) {
    const int dev = images.device().index;
    const Tensor x = images.contiguous();
    DeviceGuard guard(dev);
    const StreamHandle stream = current_stream(dev);
    DeviceBuffer lut(s.lut_rgb.size(), dev);
    NL_CUDA_CHECK(cudaMemcpyAsync(lut.get(), s.lut_rgb.data(), s.lut_rgb.size(), cudaMemcpyHostToDevice, stream));
    detail::GridKernelSpec k{};
    k.n = s.n;
    k.c = s.c;
    k.h = s.h;
    k.w = s.w;
    k.count = s.count;
    k.columns = s.columns;
    k.padding = s.padding;
    k.scale = s.scale;
    k.width = s.width();
    k.height = s.height();
    k.lo = s.lo;
    k.hi = s.hi;
    for (int i = 0; i < 4; ++i) k.background[i] = s.background[i];
    for (int i = 0; i < 3; ++i) k.nan_rgb[i] = s.nan_rgb[i];
    k.lut = lut.as<uint8_t>();
    k.lut_size = static_cast<int>(s.lut_rgb.size() / 3);
    detail::launch_grid_rgba(x.data_ptr(), x.dtype(), k, rgba, surface, stream);
}

}  // namespace

Tensor render_grid_rgba(const Tensor& images, const GridSpec& spec) {
    check_spec(images, spec);
    Tensor out = Tensor::empty({spec.height(), spec.width(), 4}, {DType::UInt8, images.device()});
    run_grid(images, spec, out.data<uint8_t>(), 0);
    return out;
}

#if defined(NL_GPU_NO_GL)

GlInteropTexture::GlInteropTexture(unsigned int, int, int, int) {
    throw DeviceError("CUDA-GL interop is unavailable: this build found no OpenGL library");
}
GlInteropTexture::~GlInteropTexture() = default;
void GlInteropTexture::write(const Tensor&, const GridSpec&) {}

#else

GlInteropTexture::GlInteropTexture(unsigned int texture, int width, int height, int device)
    : texture_(texture), width_(width), height_(height), device_(device) {
    if (width < 1 || height < 1 || width > kMaxSide || height > kMaxSide)
        throw ValueError("interop texture size " + std::to_string(width) + "x" + std::to_string(height) +
                         " is out of range (1 to 16384 a side)");
    DeviceGuard guard(device);
    cudaGraphicsResource_t r = nullptr;
    // Write-discard: the kernel rewrites every pixel, so CUDA need not preserve the old contents.
    NL_CUDA_CHECK(cudaGraphicsGLRegisterImage(&r, texture, GL_TEXTURE_2D,
                                              cudaGraphicsRegisterFlagsSurfaceLoadStore |
                                                  cudaGraphicsRegisterFlagsWriteDiscard));
    resource_ = r;
}

GlInteropTexture::~GlInteropTexture() {
    if (resource_) {
        cudaGraphicsUnregisterResource(static_cast<cudaGraphicsResource_t>(resource_));  // no throw here
        cudaGetLastError();
    }
}

void GlInteropTexture::write(const Tensor& images, const GridSpec& spec) {
    check_spec(images, spec);
    if (images.device().index != device_)
        throw DeviceError("interop texture lives on cuda:" + std::to_string(device_) + ", the tensor on " +
                          images.device().str());
    if (spec.width() != width_ || spec.height() != height_)
        throw ShapeError("image grid is " + std::to_string(spec.width()) + "x" + std::to_string(spec.height()) +
                         " pixels, the texture " + std::to_string(width_) + "x" + std::to_string(height_));
    DeviceGuard guard(device_);
    const StreamHandle stream = current_stream(device_);
    auto res = static_cast<cudaGraphicsResource_t>(resource_);
    NL_CUDA_CHECK(cudaGraphicsMapResources(1, &res, stream));
    cudaSurfaceObject_t surface = 0;
    try {
        cudaArray_t array = nullptr;
        NL_CUDA_CHECK(cudaGraphicsSubResourceGetMappedArray(&array, res, 0, 0));
        cudaResourceDesc desc{};
        desc.resType = cudaResourceTypeArray;
        desc.res.array.array = array;
        NL_CUDA_CHECK(cudaCreateSurfaceObject(&surface, &desc));
        run_grid(images, spec, nullptr, surface);
    } catch (...) {
        if (surface) cudaDestroySurfaceObject(surface);
        cudaGraphicsUnmapResources(1, &res, stream);
        throw;
    }
    NL_CUDA_CHECK(cudaGraphicsUnmapResources(1, &res, stream));
    // The surface object is not stream-ordered: let the kernel finish before destroying it.
    NL_CUDA_CHECK(cudaStreamSynchronize(stream));
    NL_CUDA_CHECK(cudaDestroySurfaceObject(surface));
}

#endif

}  // namespace nl::gpu
