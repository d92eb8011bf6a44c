// The image view's texture for a build with CUDA: a GL_TEXTURE_2D (RGBA8, the CPU upload sink's
// filtering) that CUDA tensors reach through CUDA-GL interop and CPU tensors through an upload.
//
// CUDA tensor: the grid's gpu::GridSpec (grid_spec.h: render::image_grid's geometry and colours),
// its value range reduced on the GPU, then gpu::GlInteropTexture::write (map -> kernel -> unmap).
// The texture is registered once and again only when the grid's pixel size (or the tensor's GPU)
// changes, which re-creates the texture too. If the GL context is not NVIDIA's driver (Mesa's
// llvmpipe under Xvfb, another vendor's GPU) or registering or mapping fails, interop is given up
// for the object's lifetime, interop_error() says why, and CUDA tensors are uploaded from the host.
// CPU tensor (the device setting changed, or interop was given up): gui::grid_pixels and
// glTexSubImage2D, as the CPU upload sink.
// Needs a current OpenGL context; no ImGui (the headless interop tests use it directly).
#pragma once
#include <memory>
#include <string>

#include "gui/render/image.h"
#include "tensor/tensor.h"

namespace nl::gpu {
class GlInteropTexture;
}

namespace nl::gui::interop {

class GlGridTexture {
public:
    GlGridTexture();
    ~GlGridTexture();  // unregisters, then deletes the texture
    GlGridTexture(const GlGridTexture&) = delete;
    GlGridTexture& operator=(const GlGridTexture&) = delete;

    // Draws `grid` as render::image_grid(grid, opts) would; throws its errors (ShapeError,
    // ValueError). CUDA-GL failures (registering or mapping) do not throw: they switch to the
    // upload path for good.
    void show(const Tensor& grid, const render::GridOptions& opts);

    unsigned int texture() const { return tex_; }  // 0 before the first show
    int width() const { return w_; }
    int height() const { return h_; }
    bool last_was_interop() const { return last_interop_; }
    bool registered_with_cuda() const { return interop_ != nullptr; }
    double last_ms() const { return ms_; }
    // The values the colormap's ends stood for in the last show().
    double shown_lo() const { return lo_; }
    double shown_hi() const { return hi_; }
    // Why interop was given up ("" while it has not been): the CUDA error of the registration.
    const std::string& interop_error() const { return interop_error_; }
    // Why the current GL context cannot do CUDA-GL interop at all ("" when its driver is NVIDIA's):
    // CUDA is not asked to register another driver's textures (Mesa's llvmpipe under Xvfb).
    static std::string foreign_driver();
    // How many times a texture was (re-)created, for the tests of size changes.
    int textures_made() const { return textures_made_; }

private:
    void ensure_texture(int width, int height);  // a texture of that size (new if it differs)
    bool show_interop(const Tensor& grid, const render::GridOptions& opts);  // false: gave up
    void show_upload(const Tensor& grid, const render::GridOptions& opts);

    unsigned int tex_ = 0;
    int w_ = 0, h_ = 0;
    std::unique_ptr<gpu::GlInteropTexture> interop_;  // registration of tex_, when alive
    int interop_device_ = -1;
    std::string interop_error_;
    bool last_interop_ = false;
    double ms_ = 0.0;
    double lo_ = 0.0, hi_ = 1.0;
    int textures_made_ = 0;
};

}  // namespace nl::gui::interop
