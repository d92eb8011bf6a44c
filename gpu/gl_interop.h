// CUDA-GL interop for the GUI's image view: a CUDA tensor is drawn straight into an OpenGL
// texture, with no trip through the host (DESIGN.md: 0.38 ms instead of 21.5 ms for a 4096x4096
// texture). Register the texture once, write() each frame (map -> get the array -> one kernel
// writes RGBA8 -> unmap), and destroy the object (which unregisters) before glDeleteTextures.
// Plain C++: the GUI includes this header with no CUDA or GL header.
//
// The picture is an image grid with the geometry of render::image_grid (gui/render/image.h):
// tiles of n images, c = 1 channel through a colormap or c = 3 channels as RGB, `padding` pixels
// between tiles, each tensor pixel a scale x scale square, NaN in a fixed colour, background
// elsewhere. The colormap arrives as a lookup table of RGB entries (the GUI fills it from
// render::colormap_rgb at entries i/(size-1)); value x maps to t = clamp((x-lo)/(hi-lo), 0, 1) and
// entry round(t*(size-1)), so with 256 entries the gray map equals the CPU path exactly.
#pragma once
#include <cstdint>
#include <vector>

#include "tensor/tensor.h"

namespace nl::gpu {

struct GridSpec {
    // Tile layout of the tensor (as render's Layout): n tiles of c channels of h x w pixels, the
    // first `count` pixels of each tile valid (fewer than h*w for a wrapped 1-D tensor).
    int64_t n = 1, c = 1, h = 1, w = 1, count = 1;
    int columns = 1;  // tiles per grid row (> 0)
    int padding = 1;  // pixels between and around tiles
    int scale = 1;    // each tensor pixel as a scale x scale square
    double lo = 0.0, hi = 1.0;          // value range; hi <= lo maps everything to the middle
    uint8_t background[4] = {0, 0, 0, 255};
    uint8_t nan_rgb[3] = {255, 0, 255};
    std::vector<uint8_t> lut_rgb;       // colormap: 3 * entries bytes (2 to 4096 entries)

    int width() const;   // columns * (w * scale + padding) + padding
    int height() const;  // rows * (h * scale + padding) + padding
};

// Renders the grid of `images` (a contiguous CUDA tensor of float32/float64/float16/bfloat16/uint8
// whose numel is n*c*h*w, or n*count for c == 1) into a new CUDA uint8 tensor [height, width, 4].
// Used by the interop texture and by the tests (no OpenGL needed).
Tensor render_grid_rgba(const Tensor& images, const GridSpec& spec);

class GlInteropTexture {
public:
    // `texture`: a GL_TEXTURE_2D name with GL_RGBA8 storage of width x height, in the OpenGL
    // context current on this thread; `device` must be the GPU driving that context.
    GlInteropTexture(unsigned int texture, int width, int height, int device = 0);
    ~GlInteropTexture();  // unregisters; call before deleting the texture
    GlInteropTexture(const GlInteropTexture&) = delete;
    GlInteropTexture& operator=(const GlInteropTexture&) = delete;

    // Draws `images` (a CUDA tensor on this object's device) with `spec`; the grid must have the
    // texture's size (spec.width() == width, spec.height() == height). Synchronous with respect to
    // later GL calls (unmapping orders them).
    void write(const Tensor& images, const GridSpec& spec);

    int width() const { return width_; }
    int height() const { return height_; }
    unsigned int texture() const { return texture_; }

private:
    void* resource_ = nullptr;  // cudaGraphicsResource_t
    unsigned int texture_ = 0;
    int width_ = 0, height_ = 0, device_ = 0;
};

}  // namespace nl::gpu
