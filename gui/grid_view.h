// What the tensor view shows for a tensor and where: which view (image grid, scatter, values) a
// shape gets, the tensor handed to render::image_grid (channel picked, number of images capped),
// and the grid's geometry, so a mouse position maps back to the element index and value under it.
// Pure logic, tested without a window.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "gui/app_state.h"
#include "gui/render/image.h"

namespace nl::gui {

// The view a shape gets: Auto picks scatter for [N, 2], values for [N], images otherwise; an
// explicit choice that does not fit the shape falls back the same way.
ViewMode resolve_view(ViewMode wanted, const Shape& shape);
// Auto shows a rank-2 tensor as values rather than an image beyond this ratio of its sides.
constexpr double kMaxImageAspect = 32.0;

struct GridView {
    Tensor tensor;          // what image_grid draws: [n, c, h, w] (c = 1 or 3) or [N] (wrapped)
    Shape source_shape;     // the sample's shape
    int64_t n = 0, c = 1, h = 0, w = 0;  // tiles, channels shown, tile size in pixels
    int64_t count = 0;      // valid pixels per tile (h * w, fewer for a wrapped 1-D tensor)
    int channel = 0;        // the source channel shown (c == 1 of a multi-channel tensor)
    bool channels_dim = false;  // the source has a channel dimension (rank 4, or rank 3 with C 1/3)
    int64_t source_images = 0;  // images in the source (n may be fewer)
    int columns = 1, padding = 1;
    int width = 0, height = 0;  // the grid image in pixels
    std::string note;       // "first 256 of 1000 images; channel 2 of 8"
};

// Throws ShapeError for an undefined or empty tensor.
GridView make_grid_view(const Tensor& sample, const ImageViewState& v);
render::GridOptions grid_options(const GridView& g, const ImageViewState& v);

// The element under image pixel (px, py) of the grid: its index in the sample tensor (empty when
// the pixel is padding or outside the grid).
std::vector<int64_t> grid_hit(const GridView& g, double px, double py);
// "[3, 0, 12, 5] = 0.4123" (RGB: the three channel values), "" for an empty index.
std::string describe_element(const Tensor& sample, const GridView& g, const std::vector<int64_t>& index);

// Scale factor that fits a w x h image into a box, and the zoom steps of the mouse wheel.
float fit_zoom(float image_w, float image_h, float box_w, float box_h);
float zoom_step(float zoom, float wheel);  // wheel > 0 zooms in by 1.25x per notch, clamped [0.05, 64]

}  // namespace nl::gui
