// Value ranges and image grids: tensors of images, single images, rows of vectors, and 1-D
// tensors wrapped into a square, mapped through a colormap (one channel) or shown as RGB.
#include <algorithm>
#include <cmath>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <string>
#include <vector>

#include "gui/render/canvas.h"
#include "gui/render/image.h"
#include "gui/render/style.h"
#include "tensor/errors.h"
#include "tensor/number_list.h"

namespace nl::render {

namespace {

std::string num(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.6g", v);
    return buf;
}

void range_of(const std::vector<double>& v, const ValueRange& r, double& lo, double& hi) {
    switch (r.mode) {
        case ValueRange::Mode::Fixed:
            if (!std::isfinite(r.lo) || !std::isfinite(r.hi) || !(r.lo < r.hi))
                throw ValueError("fixed value range [" + num(r.lo) + ", " + num(r.hi) +
                                 "] is invalid: expected finite lo < hi");
            lo = r.lo;
            hi = r.hi;
            return;
        case ValueRange::Mode::Sigma: {
            if (!std::isfinite(r.k) || !(r.k > 0.0))
                throw ValueError("sigma range k = " + num(r.k) + " is invalid: expected a finite k > 0");
            double sum = 0.0;
            int64_t n = 0;
            for (double x : v)
                if (std::isfinite(x)) {
                    sum += x;
                    ++n;
                }
            if (n == 0) {
                lo = 0.0;
                hi = 1.0;
                return;
            }
            const double mean = sum / static_cast<double>(n);
            double ss = 0.0;
            for (double x : v)
                if (std::isfinite(x)) ss += (x - mean) * (x - mean);
            const double sd = std::sqrt(ss / static_cast<double>(n));
            lo = mean - r.k * sd;
            hi = mean + r.k * sd;
            return;
        }
        case ValueRange::Mode::Quantile: {
            if (!(r.q > 0.0 && r.q < 0.5))
                throw ValueError("quantile range q = " + num(r.q) + " is invalid: expected 0 < q < 0.5");
            std::vector<double> finite;
            finite.reserve(v.size());
            for (double x : v)
                if (std::isfinite(x)) finite.push_back(x);
            if (finite.empty()) {
                lo = 0.0;
                hi = 1.0;
                return;
            }
            quantile_pair(finite, r.q, lo, hi);
            return;
        }
        case ValueRange::Mode::MinMax: {
            lo = std::numeric_limits<double>::infinity();
            hi = -lo;
            for (double x : v)
                if (std::isfinite(x)) {
                    lo = std::min(lo, x);
                    hi = std::max(hi, x);
                }
            if (lo > hi) {  // no finite values at all
                lo = 0.0;
                hi = 1.0;
            }
            return;
        }
    }
}

uint8_t to_byte(float t) { return static_cast<uint8_t>(std::lround(t * 255.0f)); }

// The grid geometry of a tensor: n tiles of c channels, h x w pixels, `count` valid pixels per
// tile (fewer than h*w only for a wrapped 1-D tensor).
struct Layout {
    int64_t n = 1, c = 1, h = 1, w = 1, count = 1;
};

Layout layout_of(const Shape& s) {
    Layout L;
    switch (s.size()) {
        case 4:
            if (s[1] != 1 && s[1] != 3)
                throw ShapeError("image grid of shape " + shape_str(s) + ": [N, C, H, W] needs C = 1 (colormap) or 3 (RGB), got C = " +
                                 std::to_string(s[1]));
            L = {s[0], s[1], s[2], s[3], s[2] * s[3]};
            break;
        case 3:  // [C, H, W] with C = 1 or 3; otherwise a batch of one-channel images [N, H, W]
            if (s[0] == 1 || s[0] == 3)
                L = {1, s[0], s[1], s[2], s[1] * s[2]};
            else
                L = {s[0], 1, s[1], s[2], s[1] * s[2]};
            break;
        case 2: L = {1, 1, s[0], s[1], s[0] * s[1]}; break;  // [H, W] or [N, D]: one row per vector
        case 1: {
            const auto w = static_cast<int64_t>(std::ceil(std::sqrt(static_cast<double>(s[0]))));
            L = {1, 1, w == 0 ? 0 : (s[0] + w - 1) / w, w, s[0]};
            break;
        }
        default:
            throw ShapeError("image grid of shape " + shape_str(s) +
                             ": expected [N, C, H, W], [C, H, W], [H, W], [N, D] or [N]");
    }
    if (L.n * L.h * L.w == 0) throw ShapeError("image grid of shape " + shape_str(s) + ": the tensor is empty, nothing to draw");
    return L;
}

}  // namespace

std::string value_range_text(const ValueRange& r) {
    switch (r.mode) {
        case ValueRange::Mode::MinMax: return "minmax";
        case ValueRange::Mode::Sigma: return "sigma:" + shortest_decimal(r.k);
        case ValueRange::Mode::Fixed: return "fixed:" + shortest_decimal(r.lo) + "," + shortest_decimal(r.hi);
        case ValueRange::Mode::Quantile: return "quantile:" + shortest_decimal(r.q);
    }
    return "minmax";
}

ValueRange parse_value_range(const std::string& text, const std::string& what) {
    std::string s;
    for (char ch : text)
        if (ch != ' ' && ch != '\t') s += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    const std::string expect = "; expected minmax, sigma:K (K > 0), quantile:Q (0 < Q < 0.5) or fixed:LO,HI (LO < HI)";
    const std::string quoted = what + " " + quote_text(text);
    ValueRange r;
    if (s == "minmax" || s == "min-max") return r;
    if (s == "sigma" || s.rfind("sigma:", 0) == 0) {
        r.mode = ValueRange::Mode::Sigma;
        if (s.size() > 5) r.k = parse_number(s.substr(6), what + " sigma");
        if (!(r.k > 0.0)) throw ValueError(quoted + ": K must be > 0" + expect);
        return r;
    }
    if (s.rfind("quantile:", 0) == 0) {
        r.mode = ValueRange::Mode::Quantile;
        r.q = parse_number(s.substr(9), what + " quantile");
        if (!(r.q > 0.0 && r.q < 0.5)) throw ValueError(quoted + ": Q must be in (0, 0.5)" + expect);
        return r;
    }
    if (s.rfind("fixed:", 0) == 0) {
        const std::string pair = s.substr(6);
        const size_t comma = pair.find(',');
        if (comma == std::string::npos || pair.find(',', comma + 1) != std::string::npos)
            throw ValueError(quoted + " needs two numbers" + expect);
        r.mode = ValueRange::Mode::Fixed;
        r.lo = parse_number(pair.substr(0, comma), what + " LO");
        r.hi = parse_number(pair.substr(comma + 1), what + " HI");
        if (!(r.lo < r.hi)) throw ValueError(quoted + ": LO must be < HI" + expect);
        return r;
    }
    throw ValueError(quoted + " is not a value range" + expect);
}

void quantile_pair(std::vector<double>& v, double q, double& lo, double& hi) {
    const double last = static_cast<double>(v.size() - 1);
    const auto i_lo = static_cast<ptrdiff_t>(std::floor(q * last));
    const auto i_hi = static_cast<ptrdiff_t>(std::ceil((1.0 - q) * last));
    std::nth_element(v.begin(), v.begin() + i_lo, v.end());
    lo = v[static_cast<size_t>(i_lo)];
    std::nth_element(v.begin() + i_lo, v.begin() + i_hi, v.end());
    hi = v[static_cast<size_t>(i_hi)];
}

void resolve_range(const Tensor& t, const ValueRange& r, double& lo, double& hi) {
    range_of(t.defined() ? t.to_vector() : std::vector<double>{}, r, lo, hi);
}

GridGeometry grid_geometry(const Shape& shape, const GridOptions& opts) {
    if (opts.columns < 0 || opts.columns > 4096)
        throw ValueError("grid columns = " + std::to_string(opts.columns) + " is out of range: expected 0 (auto) to 4096");
    if (opts.padding < 0 || opts.padding > 64)
        throw ValueError("grid padding = " + std::to_string(opts.padding) + " is out of range: expected 0 to 64");
    if (opts.scale < 1 || opts.scale > 64)
        throw ValueError("grid scale = " + std::to_string(opts.scale) + " is out of range: expected 1 to 64");
    const Layout L = layout_of(shape);

    const int64_t cols = opts.columns > 0 ? std::min<int64_t>(opts.columns, L.n)
                                          : static_cast<int64_t>(std::ceil(std::sqrt(static_cast<double>(L.n))));
    const int64_t rows = (L.n + cols - 1) / cols;
    const int64_t pad = opts.padding, sc = opts.scale;
    // Checked in doubles first: the sizes of absurd shapes overflow int64 arithmetic.
    const double wd = static_cast<double>(cols) * (static_cast<double>(L.w) * sc + pad) + pad;
    const double hd = static_cast<double>(rows) * (static_cast<double>(L.h) * sc + pad) + pad;
    constexpr double kMaxSide = 16384;
    if (wd > kMaxSide || hd > kMaxSide)
        throw ShapeError("image grid of shape " + shape_str(shape) + " would be " + num(wd) + "x" + num(hd) +
                         " pixels; at most " + num(kMaxSide) + " pixels a side (draw fewer or smaller images)");
    GridGeometry g;
    g.n = L.n;
    g.c = L.c;
    g.h = L.h;
    g.w = L.w;
    g.count = L.count;
    g.columns = cols;
    g.rows = rows;
    g.width = static_cast<int>(wd);
    g.height = static_cast<int>(hd);
    return g;
}

GridImage image_grid(const Tensor& t, const GridOptions& opts) {
    if (!t.defined()) throw ShapeError("image grid: the tensor is undefined");
    const GridGeometry G = grid_geometry(t.shape(), opts);
    const Layout L{G.n, G.c, G.h, G.w, G.count};
    const int64_t cols = G.columns, pad = opts.padding, sc = opts.scale;

    const std::vector<double> v = t.to_vector();
    double lo = 0, hi = 1;
    range_of(v, opts.range, lo, hi);

    GridImage img;
    static_cast<Image&>(img) = make_image(G.width, G.height, style::kGridBackground);
    img.lo = lo;
    img.hi = hi;
    Canvas cv(img);
    const int64_t plane = L.h * L.w;  // elements per channel of a tile (wrapped 1-D: padded size)
    for (int64_t i = 0; i < L.n; ++i) {
        const int64_t x0 = pad + (i % cols) * (L.w * sc + pad);
        const int64_t y0 = pad + (i / cols) * (L.h * sc + pad);
        const int64_t base = i * L.c * (L.c == 1 ? L.count : plane);
        for (int64_t p = 0; p < L.count; ++p) {
            Rgb px;
            if (L.c == 3) {
                const double r = v[base + p], g = v[base + plane + p], b = v[base + 2 * plane + p];
                if (std::isnan(r) || std::isnan(g) || std::isnan(b))
                    px = style::kNaN;
                else
                    px = {to_byte(normalise(r, lo, hi)), to_byte(normalise(g, lo, hi)), to_byte(normalise(b, lo, hi))};
            } else {
                const double x = v[base + p];
                if (std::isnan(x)) {
                    px = style::kNaN;
                } else {
                    uint8_t rgb[3];
                    colormap_rgb(opts.colormap, normalise(x, lo, hi), rgb);
                    px = {rgb[0], rgb[1], rgb[2]};
                }
            }
            const int64_t py = y0 + (p / L.w) * sc, pxx = x0 + (p % L.w) * sc;
            cv.fill_rect(static_cast<int>(pxx), static_cast<int>(py), static_cast<int>(pxx + sc), static_cast<int>(py + sc), px);
        }
    }
    return img;
}

}  // namespace nl::render
