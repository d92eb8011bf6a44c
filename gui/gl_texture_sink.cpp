// The CPU upload path of the image view: render::image_grid on the host, then one texture
// upload. The texture is reallocated only when the grid's size changes; otherwise
// glTexSubImage2D replaces the pixels in place. In a build with CUDA, make_texture_sink returns
// the CUDA-GL interop sink instead (gui/interop/interop_sink.cpp), which uploads CPU tensors the
// same way.
#include <chrono>

#define GL_GLEXT_PROTOTYPES 1
#include <GL/gl.h>

#include "gui/gl_texture.h"
#include "gui/grid_pixels.h"
#include "gui/texture_sink.h"

namespace nl::gui {

namespace {

class GlUploadSink : public TextureSink {
public:
    ~GlUploadSink() override {
        if (tex_) glDeleteTextures(1, &tex_);
    }

    void show(const Tensor& grid, const render::GridOptions& opts) override {
        const auto t0 = std::chrono::steady_clock::now();
        const render::GridImage img = grid_pixels(grid, opts);
        set_shown_range(img.lo, img.hi);
        if (!tex_) tex_ = make_view_texture();
        upload_rgba(tex_, img, w_, h_);
        mipmaps_current_ = false;
        ms_ = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    }
    void sample_for_zoom(float zoom) override { nl::gui::sample_for_zoom(tex_, zoom, mipmaps_current_); }

    ImTextureID texture() const override {
        return tex_ ? reinterpret_cast<ImTextureID>(static_cast<intptr_t>(tex_)) : nullptr;
    }
    int width() const override { return w_; }
    int height() const override { return h_; }
    const char* path_name() const override { return "CPU upload"; }
    double last_ms() const override { return ms_; }

private:
    GLuint tex_ = 0;
    int w_ = 0, h_ = 0;
    double ms_ = 0.0;
    bool mipmaps_current_ = false;
};

}  // namespace

#if defined(NOISELAB_GUI_INTEROP)
std::unique_ptr<TextureSink> make_interop_sink();  // gui/interop/interop_sink.cpp
#endif

std::unique_ptr<TextureSink> make_texture_sink(Device /*device*/) {
#if defined(NOISELAB_GUI_INTEROP)
    // Every device: the device setting may change between frames, and the interop sink uploads
    // CPU tensors itself (and CUDA ones too when registering its texture with CUDA fails).
    return make_interop_sink();
#else
    return std::make_unique<GlUploadSink>();
#endif
}

}  // namespace nl::gui
