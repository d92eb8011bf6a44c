// What the image view's GPU path needs from render (gui/render/image.h) to draw a CUDA tensor
// through CUDA-GL interop with the CPU path's picture: the gpu::GridSpec of render::image_grid's
// geometry, colours and colormap, and render::resolve_range's value range computed on the GPU.
// Plain C++ (no GL, no ImGui, no CUDA header): the CPU-only tests check the geometry.
#pragma once
#include "gpu/gl_interop.h"
#include "gui/render/image.h"
#include "tensor/tensor.h"

namespace nl::gui::interop {

// Colormap table entries: 256 for gray (entry round(t*255) is then exactly the CPU's gray for
// every t; RGB grids do not use the table), 4096 for viridis and diverging (within one step of
// the CPU's colour).
int lut_entries(render::Colormap c);

// The spec that draws a tensor of `shape` as render::image_grid(t, opts) does: its layout, columns,
// padding and scale (render::grid_geometry, so the same ValueError / ShapeError for bad options,
// shapes and sizes), render::style's background and NaN colours, and the colormap's table. The
// value range is left at [0, 1]: set lo and hi (device_range) before drawing.
gpu::GridSpec grid_spec(const Shape& shape, const render::GridOptions& opts);

// render::resolve_range(t, r, lo, hi) for a CUDA tensor without copying it to the host: the same
// parameter checks (ValueError), Fixed as given, MinMax the finite min and max, Sigma mean +- k*sd
// of the finite values (two passes, double), [0, 1] when nothing is finite or t is empty. MinMax
// is exact; Sigma adds in another order than the CPU, so lo and hi may differ in the last bits.
void device_range(const Tensor& t, const render::ValueRange& r, double& lo, double& hi);

}  // namespace nl::gui::interop
