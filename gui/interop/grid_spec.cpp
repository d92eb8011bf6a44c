// gpu::GridSpec from render's grid rules (grid_spec.h).
#include "gui/interop/grid_spec.h"

#include <cmath>

#include "gpu/grid_range.h"
#include "gui/render/style.h"

namespace nl::gui::interop {

int lut_entries(render::Colormap c) { return c == render::Colormap::Gray ? 256 : 4096; }

gpu::GridSpec grid_spec(const Shape& shape, const render::GridOptions& opts) {
    const render::GridGeometry g = render::grid_geometry(shape, opts);
    gpu::GridSpec s;
    s.n = g.n;
    s.c = g.c;
    s.h = g.h;
    s.w = g.w;
    s.count = g.count;
    s.columns = static_cast<int>(g.columns);  // <= 4096 (grid_geometry checked the options)
    s.padding = opts.padding;
    s.scale = opts.scale;
    const render::Rgb bg = render::style::kGridBackground, nan = render::style::kNaN;
    s.background[0] = bg.r;
    s.background[1] = bg.g;
    s.background[2] = bg.b;
    s.background[3] = 255;  // render::make_image's opaque background
    s.nan_rgb[0] = nan.r;
    s.nan_rgb[1] = nan.g;
    s.nan_rgb[2] = nan.b;
    const int entries = lut_entries(opts.colormap);
    s.lut_rgb.resize(3 * static_cast<size_t>(entries));
    for (int i = 0; i < entries; ++i)
        render::colormap_rgb(opts.colormap, static_cast<float>(i) / static_cast<float>(entries - 1), &s.lut_rgb[3 * static_cast<size_t>(i)]);
    return s;
}

void device_range(const Tensor& t, const render::ValueRange& r, double& lo, double& hi) {
    render::resolve_range(Tensor(), r, lo, hi);  // the parameter checks (and Fixed's answer)
    if (r.mode == render::ValueRange::Mode::Fixed) return;
    if (r.mode == render::ValueRange::Mode::Quantile) {  // order statistics: on the host (a copy)
        render::resolve_range(t.cpu(), r, lo, hi);
        return;
    }
    const bool sigma = r.mode == render::ValueRange::Mode::Sigma;
    const gpu::FiniteStats st = gpu::finite_stats(t, sigma);
    if (st.finite == 0) {  // range_of's "no finite values at all"
        lo = 0.0;
        hi = 1.0;
        return;
    }
    if (!sigma) {
        lo = st.min;
        hi = st.max;
        return;
    }
    const double n = static_cast<double>(st.finite);
    const double mean = st.sum / n;
    const double sd = std::sqrt(st.squared_deviation / n);
    lo = mean - r.k * sd;
    hi = mean + r.k * sd;
}

}  // namespace nl::gui::interop
