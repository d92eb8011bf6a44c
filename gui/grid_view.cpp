// Tensor view geometry (see grid_view.h).
#include "gui/grid_view.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "tensor/errors.h"

namespace nl::gui {

ViewMode resolve_view(ViewMode wanted, const Shape& shape) {
    const bool points = shape.size() == 2 && shape[1] == 2;
    const bool flat = shape.size() == 1;
    switch (wanted) {
        case ViewMode::Scatter:
            if (points) return ViewMode::Scatter;
            break;
        case ViewMode::Values:
            return ViewMode::Values;  // any tensor can be read as a sequence of values
        case ViewMode::Image:
            return ViewMode::Image;   // any tensor can be wrapped into an image
        case ViewMode::Auto:
            break;
    }
    if (points) return ViewMode::Scatter;
    if (flat) return ViewMode::Values;
    // A matrix far longer than wide ([2048, 3]: vectors of a few values) would be a hairline
    // strip as an image; its values as a sequence are readable.
    if (shape.size() == 2) {
        const double longer = static_cast<double>(std::max(shape[0], shape[1]));
        const double shorter = static_cast<double>(std::max<int64_t>(std::min(shape[0], shape[1]), 1));
        if (longer / shorter > kMaxImageAspect) return ViewMode::Values;
    }
    return ViewMode::Image;
}

GridView make_grid_view(const Tensor& sample, const ImageViewState& v) {
    if (!sample.defined() || sample.numel() == 0) throw ShapeError("tensor view: nothing to draw (empty tensor)");
    GridView g;
    g.source_shape = sample.shape();
    const Shape& s = g.source_shape;
    Tensor t = sample.cpu();
    // Bring every rank to [N, C, H, W] (rank 1 stays 1-D: image_grid wraps it into a square).
    Tensor nchw;
    switch (s.size()) {
        case 4:
            nchw = t;
            g.channels_dim = true;
            break;
        case 3:
            if (s[0] == 1 || s[0] == 3) {
                nchw = t.unsqueeze(0);
                g.channels_dim = true;
            } else {
                nchw = t.unsqueeze(1);
            }
            break;
        case 2: nchw = t.unsqueeze(0).unsqueeze(0); break;
        case 1: break;
        default: throw ShapeError("tensor view of shape " + shape_str(s) + ": expected rank 1 to 4");
    }
    if (s.size() == 1) {
        g.tensor = t.contiguous();
        g.n = 1;
        g.c = 1;
        g.count = s[0];
        g.w = static_cast<int64_t>(std::ceil(std::sqrt(static_cast<double>(s[0]))));
        g.h = (s[0] + g.w - 1) / g.w;
        g.source_images = 1;
    } else {
        const int64_t C = nchw.size(1);
        g.source_images = nchw.size(0);
        g.n = std::min<int64_t>(nchw.size(0), std::max(v.max_images, 1));
        nchw = nchw.narrow(0, 0, g.n);
        if (C == 3 && v.rgb) {
            g.c = 3;
        } else {
            g.channel = std::clamp(v.channel, 0, static_cast<int>(C - 1));
            nchw = nchw.narrow(1, g.channel, 1);
            g.c = 1;
            if (C > 1) g.note = "channel " + std::to_string(g.channel) + " of " + std::to_string(C);
        }
        g.h = nchw.size(2);
        g.w = nchw.size(3);
        g.count = g.h * g.w;
        g.tensor = nchw.contiguous();
        if (g.n < g.source_images) {
            const std::string shown = "first " + std::to_string(g.n) + " of " + std::to_string(g.source_images) + " images";
            g.note = g.note.empty() ? shown : shown + "; " + g.note;
        }
    }
    g.columns = static_cast<int>(std::ceil(std::sqrt(static_cast<double>(g.n))));
    g.padding = g.n > 1 ? 1 : 0;
    const int64_t rows = (g.n + g.columns - 1) / g.columns;
    g.width = static_cast<int>(g.columns * (g.w + g.padding) + g.padding);
    g.height = static_cast<int>(rows * (g.h + g.padding) + g.padding);
    return g;
}

render::GridOptions grid_options(const GridView& g, const ImageViewState& v) {
    render::GridOptions o;
    o.colormap = v.colormap;
    o.range = v.range;
    o.columns = g.columns;
    o.padding = g.padding;
    o.scale = 1;
    return o;
}

std::vector<int64_t> grid_hit(const GridView& g, double px, double py) {
    if (g.n == 0 || px < 0 || py < 0 || px >= g.width || py >= g.height) return {};
    const int64_t cell_w = g.w + g.padding, cell_h = g.h + g.padding;
    const auto x = static_cast<int64_t>(std::floor(px)) - g.padding;
    const auto y = static_cast<int64_t>(std::floor(py)) - g.padding;
    if (x < 0 || y < 0) return {};
    const int64_t col = x / cell_w, row = y / cell_h;
    const int64_t ix = x % cell_w, iy = y % cell_h;
    if (ix >= g.w || iy >= g.h || col >= g.columns) return {};
    const int64_t tile = row * g.columns + col;
    if (tile >= g.n) return {};
    const Shape& s = g.source_shape;
    switch (s.size()) {
        case 1: {
            const int64_t i = iy * g.w + ix;
            if (i >= g.count) return {};
            return {i};
        }
        case 2: return {iy, ix};
        case 3:
            if (g.channels_dim) return {g.c == 3 ? 0 : g.channel, iy, ix};
            return {tile, iy, ix};
        default: return {tile, g.c == 3 ? 0 : g.channel, iy, ix};
    }
}

std::string describe_element(const Tensor& sample, const GridView& g, const std::vector<int64_t>& index) {
    if (index.empty() || !sample.defined()) return "";
    auto fmt = [](double v) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.5g", v);
        return std::string(buf);
    };
    const Tensor t = sample.cpu();
    std::string idx = "[";
    const size_t cdim = g.channels_dim ? index.size() - 3 : index.size();
    for (size_t i = 0; i < index.size(); ++i) {
        if (i) idx += ", ";
        idx += (i == cdim && g.c == 3) ? std::string(":") : std::to_string(index[i]);
    }
    idx += "]";
    if (g.c == 3 && g.channels_dim) {
        std::vector<int64_t> at = index;
        std::string vals;
        for (int ch = 0; ch < 3; ++ch) {
            at[cdim] = ch;
            vals += (ch ? ", " : "") + fmt(t.at(at));
        }
        return idx + " = (" + vals + ")  R, G, B";
    }
    return idx + " = " + fmt(t.at(index));
}

float fit_zoom(float image_w, float image_h, float box_w, float box_h) {
    if (image_w <= 0 || image_h <= 0 || box_w <= 0 || box_h <= 0) return 1.0f;
    const float z = std::min(box_w / image_w, box_h / image_h);
    // From 3x up, whole multiples keep every tensor pixel the same size on screen; below, the
    // unused space a whole multiple would leave costs more than slightly uneven pixels.
    return z >= 3.0f ? std::floor(z) : z;
}

float zoom_step(float zoom, float wheel) {
    return std::clamp(zoom * std::pow(1.25f, wheel), 0.05f, 64.0f);
}

}  // namespace nl::gui
