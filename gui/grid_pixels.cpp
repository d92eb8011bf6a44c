// Fast image grid pixels (see grid_pixels.h). The colour of a value follows render::image_grid
// step by step (range, normalise in double, colormap_rgb, NaN colour), so the pixels are equal.
#include "gui/grid_pixels.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "gui/render/canvas.h"
#include "gui/render/style.h"
#include "tensor/parallel.h"

namespace nl::gui {

namespace {

// std::lround(t * 255.0f) without the libm call: the float product is exact in double, so adding
// 0.5 and truncating rounds half away from zero exactly as lround does for values >= 0.
inline uint8_t to_byte(float t) { return static_cast<uint8_t>(static_cast<int>(static_cast<double>(t * 255.0f) + 0.5)); }

// render::resolve_range on the floats themselves (no copy to double): the same loops in the same
// order, so the same lo and hi; the parameters are validated by resolve_range itself.
void float_range(const float* v, int64_t n, const render::ValueRange& r, double& lo, double& hi) {
    render::resolve_range(Tensor(), r, lo, hi);  // throws for a bad k or fixed range; fixed is done
    if (r.mode == render::ValueRange::Mode::Fixed) return;
    if (r.mode == render::ValueRange::Mode::Quantile) {  // an order statistic: the values themselves
        std::vector<double> finite;
        finite.reserve(static_cast<size_t>(n));
        for (int64_t i = 0; i < n; ++i)
            if (std::isfinite(v[i])) finite.push_back(v[i]);
        if (finite.empty()) {
            lo = 0.0;
            hi = 1.0;
            return;
        }
        render::quantile_pair(finite, r.q, lo, hi);
        return;
    }
    if (r.mode == render::ValueRange::Mode::Sigma) {
        double sum = 0.0;
        int64_t count = 0;
        for (int64_t i = 0; i < n; ++i)
            if (std::isfinite(v[i])) {
                sum += v[i];
                ++count;
            }
        if (count == 0) {
            lo = 0.0;
            hi = 1.0;
            return;
        }
        const double mean = sum / static_cast<double>(count);
        double ss = 0.0;
        for (int64_t i = 0; i < n; ++i)
            if (std::isfinite(v[i])) ss += (v[i] - mean) * (v[i] - mean);
        const double sd = std::sqrt(ss / static_cast<double>(count));
        lo = mean - r.k * sd;
        hi = mean + r.k * sd;
        return;
    }
    // Min and max do not depend on the order: chunks run on the threads, then combine. Plain
    // locals and comparisons (std::min's references kept them in memory: 5x slower).
    constexpr int64_t kGrain = 1 << 16;
    const int64_t chunks = (n + kGrain - 1) / kGrain;
    std::vector<float> mins(static_cast<size_t>(chunks), INFINITY), maxs(static_cast<size_t>(chunks), -INFINITY);
    parallel_for(n, kGrain, [&](int64_t begin, int64_t end) {
        float mn = INFINITY, mx = -INFINITY;
        for (int64_t i = begin; i < end; ++i) {
            const float x = v[i];
            if (std::isfinite(x)) {
                mn = x < mn ? x : mn;
                mx = x > mx ? x : mx;
            }
        }
        mins[static_cast<size_t>(begin / kGrain)] = mn;
        maxs[static_cast<size_t>(begin / kGrain)] = mx;
    });
    float mn = INFINITY, mx = -INFINITY;
    for (int64_t c = 0; c < chunks; ++c) {
        mn = mins[c] < mn ? mins[c] : mn;
        mx = maxs[c] > mx ? maxs[c] : mx;
    }
    if (mn > mx) {  // no finite values at all
        lo = 0.0;
        hi = 1.0;
        return;
    }
    lo = mn;
    hi = mx;
}

}  // namespace

render::GridImage grid_pixels(const Tensor& grid, const render::GridOptions& opts) {
    const bool fast = grid.defined() && grid.device().is_cpu() && grid.dtype() == DType::Float32 && grid.is_contiguous() &&
                      grid.dim() == 4 && (grid.size(1) == 1 || grid.size(1) == 3) && grid.numel() > 0 && opts.scale == 1 &&
                      opts.columns >= 0 && opts.columns <= 4096 && opts.padding >= 0 && opts.padding <= 64;
    if (!fast) return render::image_grid(grid, opts);
    const int64_t n = grid.size(0), c = grid.size(1), h = grid.size(2), w = grid.size(3);
    const int64_t cols = opts.columns > 0 ? std::min<int64_t>(opts.columns, n)
                                          : static_cast<int64_t>(std::ceil(std::sqrt(static_cast<double>(n))));
    const int64_t rows = (n + cols - 1) / cols, pad = opts.padding;
    const double wd = static_cast<double>(cols) * (static_cast<double>(w) + pad) + pad;
    const double hd = static_cast<double>(rows) * (static_cast<double>(h) + pad) + pad;
    if (wd > 16384 || hd > 16384) return render::image_grid(grid, opts);  // its error names the size

    const float* data = grid.data<float>();
    double lo = 0, hi = 1;
    float_range(data, grid.numel(), opts.range, lo, hi);
    render::GridImage img;
    static_cast<render::Image&>(img) = render::make_image(static_cast<int>(wd), static_cast<int>(hd), render::style::kGridBackground);
    img.lo = lo;
    img.hi = hi;
    const int64_t plane = h * w, stride = static_cast<int64_t>(img.width) * 4;
    const render::Rgb nan = render::style::kNaN;
    const render::Colormap cmap = opts.colormap;
    // Tiles are independent: rows of tiles go to the threads.
    parallel_for(n, 1, [&](int64_t begin, int64_t end) {
        for (int64_t i = begin; i < end; ++i) {
            const int64_t x0 = pad + (i % cols) * (w + pad), y0 = pad + (i / cols) * (h + pad);
            const float* tile = data + i * c * plane;
            for (int64_t y = 0; y < h; ++y) {
                uint8_t* out = img.rgba.data() + (y0 + y) * stride + x0 * 4;
                for (int64_t x = 0; x < w; ++x, out += 4) {
                    const int64_t p = y * w + x;
                    if (c == 3) {
                        const double r = tile[p], g = tile[plane + p], b = tile[2 * plane + p];
                        if (std::isnan(r) || std::isnan(g) || std::isnan(b)) {
                            out[0] = nan.r, out[1] = nan.g, out[2] = nan.b;
                        } else {
                            out[0] = to_byte(render::normalise(r, lo, hi));
                            out[1] = to_byte(render::normalise(g, lo, hi));
                            out[2] = to_byte(render::normalise(b, lo, hi));
                        }
                    } else {
                        const double v = tile[p];
                        if (std::isnan(v)) {
                            out[0] = nan.r, out[1] = nan.g, out[2] = nan.b;
                        } else {
                            render::colormap_rgb(cmap, render::normalise(v, lo, hi), out);
                        }
                    }
                }
            }
        }
    });
    return img;
}

}  // namespace nl::gui
