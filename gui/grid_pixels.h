// The pixels of the image grid on the CPU upload path. They are render::image_grid's pixels,
// bit for bit (tests compare the two): for the live view's common case — a contiguous float32
// [N, C, H, W] tensor drawn at scale 1 — the tiles are coloured straight from the floats and in
// parallel, skipping image_grid's copy of every value to double and its per-pixel drawing calls
// (about 10 ms for [64, 3, 64, 64] on these machines, most of a 60 frames/s budget). Everything
// else goes to render::image_grid itself.
#pragma once
#include "gui/render/image.h"
#include "tensor/tensor.h"

namespace nl::gui {

// Same contract and errors as render::image_grid.
render::GridImage grid_pixels(const Tensor& grid, const render::GridOptions& opts);

}  // namespace nl::gui
