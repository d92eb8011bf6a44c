// GlGridTexture (gl_grid_texture.h): one GL texture, written by a CUDA kernel or by an upload.
#include "gui/interop/gl_grid_texture.h"

#include <chrono>

#define GL_GLEXT_PROTOTYPES 1
#include <GL/gl.h>

#include "gpu/gl_interop.h"
#include "gui/gl_texture.h"
#include "gui/grid_pixels.h"
#include "gui/interop/grid_spec.h"
#include "tensor/errors.h"

namespace nl::gui::interop {

GlGridTexture::GlGridTexture() = default;

GlGridTexture::~GlGridTexture() {
    interop_.reset();  // CUDA lets go of the texture before GL deletes it
    if (tex_) glDeleteTextures(1, &tex_);
}

void GlGridTexture::ensure_texture(int width, int height) {
    if (tex_ && width == w_ && height == h_) return;
    // A registered texture's storage must not be redefined: unregister, then a fresh texture.
    interop_.reset();
    if (tex_) glDeleteTextures(1, &tex_);
    tex_ = 0;
    w_ = h_ = 0;
    tex_ = make_view_texture();  // the CPU upload sink's sampling
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, width, height, 0, GL_RGBA, GL_UNSIGNED_BYTE, nullptr);
    w_ = width;
    h_ = height;
    ++textures_made_;
}

// Why CUDA cannot write into this context's textures, or "": CUDA-GL interop needs NVIDIA's
// OpenGL driver; asking CUDA to register a texture of another driver's context (Mesa's llvmpipe
// under Xvfb) is not worth the risk when GL already says so.
std::string GlGridTexture::foreign_driver() {
    const GLubyte* v = glGetString(GL_VENDOR);
    const GLubyte* r = glGetString(GL_RENDERER);
    const std::string vendor = v ? reinterpret_cast<const char*>(v) : "an unknown vendor";
    if (vendor.find("NVIDIA") != std::string::npos) return "";
    return "the OpenGL context is " + vendor + "'s (" + (r ? reinterpret_cast<const char*>(r) : "unknown renderer") +
           "), not NVIDIA's driver, which CUDA-GL interop needs";
}

bool GlGridTexture::show_interop(const Tensor& grid, const render::GridOptions& opts) {
    gpu::GridSpec spec = grid_spec(grid.shape(), opts);  // image_grid's errors, before any GL work
    // The grid kernel reads float32/float64/float16/bfloat16/uint8; the other dtypes (int32,
    // int64, bool) go to float64 as render::image_grid reads every value (Tensor::to_vector), which
    // also leaves the range unchanged. Made contiguous once for the range and the kernel.
    const DType d = grid.dtype();
    const bool readable = d == DType::Float32 || d == DType::Float64 || d == DType::Float16 || d == DType::BFloat16 ||
                          d == DType::UInt8;
    const Tensor images = (readable ? grid : grid.to(DType::Float64)).contiguous();
    device_range(images, opts.range, spec.lo, spec.hi);
    lo_ = spec.lo;
    hi_ = spec.hi;
    const int device = grid.device().index;
    if (!interop_ || interop_device_ != device || spec.width() != w_ || spec.height() != h_) {
        if (interop_error_.empty()) interop_error_ = foreign_driver();
        if (!interop_error_.empty()) return false;
        ensure_texture(spec.width(), spec.height());
        interop_.reset();
        try {
            interop_ = std::make_unique<gpu::GlInteropTexture>(tex_, w_, h_, device);
            interop_device_ = device;
        } catch (const DeviceError& e) {
            interop_error_ = std::string("registering the texture with CUDA failed: ") + e.what();
            return false;
        }
    }
    try {
        interop_->write(images, spec);
    } catch (const DeviceError& e) {
        // Mapping the registered texture failed (the spec was checked above, so this is the
        // driver's answer): the same fallback as a failed registration, said once.
        interop_.reset();
        interop_error_ = std::string("writing the texture through CUDA failed: ") + e.what();
        return false;
    }
    return true;
}

void GlGridTexture::show_upload(const Tensor& grid, const render::GridOptions& opts) {
    const render::GridImage img = grid_pixels(grid.device().is_cuda() ? grid.cpu() : grid, opts);
    lo_ = img.lo;
    hi_ = img.hi;
    ensure_texture(img.width, img.height);
    interop_.reset();  // GL alone writes the texture from now on
    upload_rgba(tex_, img, w_, h_);  // the size matches: pixels replaced in place
}

void GlGridTexture::show(const Tensor& grid, const render::GridOptions& opts) {
    const auto t0 = std::chrono::steady_clock::now();
    if (!grid.defined()) throw ShapeError("image grid: the tensor is undefined");  // image_grid's words
    last_interop_ = false;
    if (grid.device().is_cuda() && interop_error_.empty()) last_interop_ = show_interop(grid, opts);
    if (!last_interop_) show_upload(grid, opts);
    ms_ = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace nl::gui::interop
