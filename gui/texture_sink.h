// The seam between a tensor and the texture the image view draws. Today's path is the CPU one:
// render::image_grid's pixels are built on the host (grid_pixels.h) and GlUploadSink uploads them
// (glTexSubImage2D). The CUDA path will plug in here without touching the panels: a sink that
// registers the GL texture with CUDA once (cudaGraphicsGLRegisterImage), and per frame maps it,
// runs the grid/colormap kernel on the device tensor straight into the texture's array, and
// unmaps it (DESIGN.md: 0.38 ms instead of 21.5 ms for a 4096x4096 upload). make_texture_sink()
// picks the sink for a device.
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

// The sink for tensors on `device` in a window with a current OpenGL 3.3 context: the CPU upload
// path for every device until the CUDA-GL interop sink exists (GPU tensors are copied to the host).
std::unique_ptr<TextureSink> make_texture_sink(Device device);

}  // namespace nl::gui
