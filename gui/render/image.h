// CPU rendering of tensors to RGBA8 images, shared by the command line (PNG files) and the GUI's
// CPU upload path: image grids with colormaps, histogram charts with the theoretical curve, and
// scatter plots. No OpenGL here.
#pragma once
#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "tensor/number_text.h"  // shortest_decimal, the writer of the texts below
#include "tensor/stats.h"
#include "tensor/tensor.h"

namespace nl::render {

struct Image {
    int width = 0, height = 0;
    std::vector<uint8_t> rgba;  // width*height*4, row-major, top row first
};

enum class Colormap { Gray, Viridis, Diverging };
Colormap parse_colormap(const std::string& name);  // "gray", "viridis", "diverging"
const char* colormap_name(Colormap c);
// RGB for t in [0, 1] (clamped).
void colormap_rgb(Colormap c, float t, uint8_t rgb[3]);

// How tensor values map to [0, 1] before the colormap.
struct ValueRange {
    enum class Mode { MinMax, Sigma, Fixed, Quantile } mode = Mode::MinMax;
    double k = 3.0;            // Sigma: mean +- k*std
    double lo = 0.0, hi = 1.0; // Fixed
    // Quantile: the q and 1 - q quantiles of the finite values (0 < q < 0.5), so that heavy
    // tails (Cauchy) do not squeeze the rest into one grey; the values beyond are clamped.
    double q = 0.01;
};
// t in [0, 1] for value x of the range [lo, hi] (clamped), as every grid maps values to the
// colormap (image_grid, the app's fast path, its colour key); a constant range (lo == hi) maps to
// the middle. Inline: the grid paths call it per pixel.
inline float normalise(double x, double lo, double hi) {
    if (!(hi > lo)) return 0.5f;
    return static_cast<float>(std::clamp((x - lo) / (hi - lo), 0.0, 1.0));
}
// The q-quantile of `v` (order statistic floor(q * (n - 1))) and the (1 - q)-quantile (ceil),
// reordering v; n > 0. Shared by every path that maps values, so they agree.
void quantile_pair(std::vector<double>& v, double q, double& lo, double& hi);
// The concrete [lo, hi] used for a tensor.
void resolve_range(const Tensor& t, const ValueRange& r, double& lo, double& hi);
// "minmax", "sigma:K", "quantile:Q" or "fixed:LO,HI" with the shortest decimals that read back as
// the same doubles: what `noiselab sample --range` and the app's range= read, and what recipes
// and sessions store (one writer for both).
std::string value_range_text(const ValueRange& r);
// The one reader of those texts, for `noiselab sample --range`, the app's range= and the recipes
// and sessions: also "min-max", a bare "sigma" (k = 3) and any letter case. A ValueError starts
// with `what` ("--range", "range"), quotes the text and lists the valid forms.
ValueRange parse_value_range(const std::string& text, const std::string& what);

struct GridOptions {
    Colormap colormap = Colormap::Gray;  // one channel; three channels are shown as RGB
    ValueRange range;
    int columns = 0;   // 0: about square
    int padding = 1;   // pixels between tiles
    int scale = 1;     // integer upscaling of each pixel
};
// An image grid's pixels and the values its colormap's ends stand for (what a key labels).
struct GridImage : Image {
    double lo = 0.0, hi = 1.0;
};
// [N,C,H,W] (C = 1 or 3), [C,H,W], [H,W] or [N, D] (each row a 1-pixel-high strip) -> a grid image.
// Throws ShapeError for other shapes.
GridImage image_grid(const Tensor& t, const GridOptions& opts = {});

// image_grid's geometry for a tensor of `shape`, without the pixels: n tiles of c channels, h x w
// pixels, the first `count` of each tile valid (fewer than h*w only for a wrapped 1-D tensor),
// `columns` x `rows` tiles, width x height pixels. Checks the options and the shape with
// image_grid's errors (ValueError, ShapeError). The GPU path (CUDA-GL interop) draws with it.
struct GridGeometry {
    int64_t n = 1, c = 1, h = 1, w = 1, count = 1;
    int64_t columns = 1, rows = 1;
    int width = 0, height = 0;
};
GridGeometry grid_geometry(const Shape& shape, const GridOptions& opts);

struct ChartOptions {
    int width = 800, height = 500;
    bool log_scale = false;
    std::string title;
};
// Bars of h (as densities) with d's density (or mass) drawn over it, axes with tick labels.
Image histogram_chart(const stats::Histogram& h, const stats::Distribution* d, const ChartOptions& opts = {});
// [N, 2] points.
Image scatter_chart(const Tensor& points, const ChartOptions& opts = {});

}  // namespace nl::render
