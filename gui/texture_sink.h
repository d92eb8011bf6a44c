// The seam between a tensor and the texture the image view draws. Two sinks:
// - CPU upload (gl_texture_sink.cpp): render::image_grid's pixels built on the host (grid_pixels.h)
//   and uploaded (glTexSubImage2D). The only sink of a build without CUDA.
// - CUDA-GL interop (gui/interop/, built with CUDA): the GL texture is registered with CUDA once
//   (again when the grid's pixel size changes), and per show() a CUDA tensor's value range is
//   reduced on its GPU and the grid/colormap kernel writes the mapped texture (map -> kernel ->
//   unmap; DESIGN.md: 0.38 ms instead of 21.5 ms for a 4096x4096 upload); same picture as the
//   CPU path (gray and RGB byte for byte, other colormaps within one step of a 4096-entry table).
//   CPU tensors are uploaded as above; if CUDA cannot register the texture (the GL context is not
//   on that GPU's driver, e.g. Mesa under Xvfb) it says why once on stderr and uploads CUDA
//   tensors from the host from then on.
#pragma once
#include <cstdint>
#include <memory>

#include <imgui.h>

#include "gui/render/image.h"
#include "tensor/tensor.h"

namespace nl::gui {

class TextureSink {
public:
    virtual ~TextureSink() = default;
    // Shows `grid` (a GridView tensor: [n, c, h, w] with c = 1 or 3, or 1-D) as an image grid.
    // Throws the errors of render::image_grid (ShapeError, ValueError).
    virtual void show(const Tensor& grid, const render::GridOptions& opts) = 0;
    virtual ImTextureID texture() const = 0;  // for ImGui::Image; nullptr before the first show
    virtual int width() const = 0;
    virtual int height() const = 0;
    virtual const char* path_name() const = 0;  // "CPU upload", "CUDA-GL interop"
    virtual double last_ms() const = 0;         // time the last show() took
    // Called before each frame's draw with the view's zoom: OpenGL sinks average minified texels
    // through mipmaps (gl_texture.h's sample_for_zoom). Nothing to do for others.
    virtual void sample_for_zoom(float /*zoom*/) {}
    // The values the colormap's ends stood for in the last show(), as its range resolved them on
    // the host or the GPU (the view's colour key labels them); false before the first show.
    bool shown_range(double& lo, double& hi) const {
        if (!has_range_) return false;
        lo = lo_;
        hi = hi_;
        return true;
    }

protected:
    void set_shown_range(double lo, double hi) {
        lo_ = lo;
        hi_ = hi;
        has_range_ = true;
    }

private:
    double lo_ = 0.0, hi_ = 1.0;
    bool has_range_ = false;
};

// Keeps the pixels in memory and has no texture: for tests and headless use.
class MemorySink : public TextureSink {
public:
    void show(const Tensor& grid, const render::GridOptions& opts) override;
    ImTextureID texture() const override { return nullptr; }
    int width() const override { return image_.width; }
    int height() const override { return image_.height; }
    const char* path_name() const override { return "memory"; }
    double last_ms() const override { return ms_; }
    const render::Image& image() const { return image_; }
    int shows() const { return shows_; }

private:
    render::Image image_;
    double ms_ = 0.0;
    int shows_ = 0;
};

// The sink for the image view in a window with a current OpenGL 3.3 context: the CUDA-GL interop
// sink in a build with CUDA (whatever `device` is, since the device setting may change between
// frames; it uploads CPU tensors), the CPU upload sink otherwise.
std::unique_ptr<TextureSink> make_texture_sink(Device device);

}  // namespace nl::gui
