// The image view's sink in a build with CUDA (texture_sink.h): GlGridTexture behind the
// TextureSink interface, so CUDA tensors reach the texture through CUDA-GL interop and CPU tensors
// through an upload, whichever device the sampler is set to from frame to frame. When interop is
// given up (its registration failed) the reason is printed once on stderr and the status bar's
// path reads "CPU upload (interop unavailable)" for CUDA tensors.
#include <cstdio>
#include <memory>
#include <string>

#define GL_GLEXT_PROTOTYPES 1
#include <GL/gl.h>

#include "gui/gl_texture.h"
#include "gui/interop/gl_grid_texture.h"
#include "gui/texture_sink.h"

namespace nl::gui {

namespace {

class GlInteropSink : public TextureSink {
public:
    void show(const Tensor& grid, const render::GridOptions& opts) override {
        cuda_tensor_ = grid.defined() && grid.device().is_cuda();
        tex_.show(grid, opts);
        set_shown_range(tex_.shown_lo(), tex_.shown_hi());
        mipmaps_current_ = false;
        if (!tex_.interop_error().empty() && !reported_) {
            reported_ = true;
            const GLubyte* r = glGetString(GL_RENDERER);
            std::fprintf(stderr,
                         "noiselab: CUDA-GL interop is unavailable (OpenGL renderer: %s): %s; the image view copies "
                         "CUDA tensors to the host and uploads them instead\n",
                         r ? reinterpret_cast<const char*>(r) : "unknown", tex_.interop_error().c_str());
        }
    }
    ImTextureID texture() const override {
        return tex_.texture() ? reinterpret_cast<ImTextureID>(static_cast<intptr_t>(tex_.texture())) : nullptr;
    }
    int width() const override { return tex_.width(); }
    int height() const override { return tex_.height(); }
    const char* path_name() const override {
        if (tex_.last_was_interop()) return "CUDA-GL interop";
        return cuda_tensor_ && !tex_.interop_error().empty() ? "CPU upload (interop unavailable)" : "CPU upload";
    }
    double last_ms() const override { return tex_.last_ms(); }
    // Mipmaps only for a texture CUDA has not registered: it keeps the one level it was
    // registered with (adding levels behind CUDA's back is not something its documentation
    // promises to survive), so a grid on the interop path stays linearly filtered.
    void sample_for_zoom(float zoom) override {
        nl::gui::sample_for_zoom(tex_.texture(), tex_.registered_with_cuda() ? kMipmapZoom : zoom, mipmaps_current_);
    }

private:
    interop::GlGridTexture tex_;
    bool mipmaps_current_ = false;
    bool cuda_tensor_ = false;
    bool reported_ = false;
};

}  // namespace

std::unique_ptr<TextureSink> make_interop_sink() { return std::make_unique<GlInteropSink>(); }

}  // namespace nl::gui
