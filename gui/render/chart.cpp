// Histogram charts (bars as densities with the theoretical density or mass drawn over them) and
// scatter charts of [N, 2] points, with axes, tick labels, a legend and a title (DejaVu Sans,
// or the built-in font without it: chart_text.h). Layout first (histogram_plot_area / scatter_plot_area), then drawing, so that tests and
// the GUI can locate values in the picture.
#include "gui/render/chart.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <string>
#include <vector>

#include "gui/render/canvas.h"
#include "gui/render/chart_text.h"
#include "gui/render/style.h"
#include "tensor/errors.h"

namespace nl::render {

namespace {

constexpr int kMinWidth = 200, kMinHeight = 150, kMaxSide = 8192;

const ChartFont& chart_font() { return ChartFont::standard(); }

void validate(const ChartOptions& o) {
    if (o.width < kMinWidth || o.width > kMaxSide || o.height < kMinHeight || o.height > kMaxSide)
        throw ValueError("chart size " + std::to_string(o.width) + "x" + std::to_string(o.height) +
                         " is out of range: width in [" + std::to_string(kMinWidth) + ", " + std::to_string(kMaxSide) +
                         "], height in [" + std::to_string(kMinHeight) + ", " + std::to_string(kMaxSide) + "]");
}

double bar_density(const stats::Histogram& h, size_t i) {
    if (h.total <= 0) return 0.0;
    return static_cast<double>(h.counts[i]) / (static_cast<double>(h.total) * h.bin_width());
}

// The theoretical curve's values over [lo, hi]: `samples` points of a density, or the mass at every
// integer of a discrete distribution (at most 100000 of them).
std::vector<std::pair<double, double>> theory_points(const stats::Distribution& d, double lo, double hi, int samples) {
    std::vector<std::pair<double, double>> pts;
    if (d.is_discrete()) {
        const double k0 = std::ceil(lo), k1 = std::floor(hi);
        if (k1 - k0 > 100000) return pts;
        for (double k = k0; k <= k1; k += 1.0) pts.emplace_back(k, d.pdf(k));
    } else {
        for (int i = 0; i < samples; ++i) {
            const double x = lo + (hi - lo) * (i + 0.5) / samples;
            pts.emplace_back(x, d.pdf(x));
        }
    }
    return pts;
}

struct Margins {
    int left, top, right, bottom;
};

// Margins leave room for the title, the y-axis label, the tick labels and a little air.
Margins margins_for(const ChartOptions& o, const std::vector<Tick>& yticks, int s) {
    int label_w = 0;
    for (const Tick& t : yticks) label_w = std::max(label_w, chart_font().width(t.label, s));
    Margins m;
    m.left = std::max(label_w + 6 * s + 6, 30);
    m.top = 8 + (o.title.empty() ? 0 : chart_font().cap_height(s) + 8) + chart_font().cap_height(s) + 8;
    m.right = o.width - 16;
    m.bottom = o.height - (chart_font().cap_height(s) + 14);
    return m;
}

PlotArea make_area(const Margins& m, const Axis& x, const Axis& y) {
    PlotArea a;
    a.left = m.left;
    a.top = m.top;
    a.right = m.right;
    a.bottom = m.bottom;
    a.x = x;
    a.y = y;
    if (a.right - a.left < 20 || a.bottom - a.top < 20)
        throw ValueError("chart is too small for its labels: plot area " + std::to_string(a.right - a.left) + "x" +
                         std::to_string(a.bottom - a.top) + " pixels; make the chart larger");
    return a;
}

std::vector<Tick> y_ticks(const Axis& y) { return y.log ? log_ticks(y.lo, y.hi) : linear_ticks(y.lo, y.hi, 6); }

// x tick labels must not run into each other: fewer ticks until they fit. Integer data (a discrete
// distribution's values) gets a label on every integer where those fit.
std::vector<Tick> x_ticks_that_fit(const PlotArea& a, int s, bool integers = false) {
    std::vector<Tick> ticks;
    if (integers) {
        ticks = integer_ticks_that_fit(a.x.lo, a.x.hi, a.px(1.0) - a.px(0.0), 4 * s,
                                       [&](const std::string& label) { return chart_font().width(label, s); });
        if (!ticks.empty()) return ticks;
    }
    for (int target = 8; target >= 2; --target) {
        ticks = linear_ticks(a.x.lo, a.x.hi, target);
        int widest = 0;
        for (const Tick& t : ticks) widest = std::max(widest, chart_font().width(t.label, s));
        if (ticks.size() < 2) return ticks;
        const double spacing = a.px(ticks[1].value) - a.px(ticks[0].value);
        if (spacing >= widest + 4 * s) return ticks;
    }
    return ticks;
}

void draw_axes(Canvas& cv, const PlotArea& a, int s, const std::string& y_label, bool integer_x = false) {
    cv.hline(a.left, a.right, a.bottom, style::kAxis);
    cv.vline(a.left, a.top, a.bottom, style::kAxis);
    for (const Tick& t : x_ticks_that_fit(a, s, integer_x)) {
        const int x = static_cast<int>(std::lround(a.px(t.value)));
        cv.vline(x, a.bottom, a.bottom + 4, style::kAxis);
        chart_font().draw(cv, x - chart_font().width(t.label, s) / 2, a.bottom + 7, t.label, style::kText, s);
    }
    for (const Tick& t : y_ticks(a.y)) {
        const int y = static_cast<int>(std::lround(a.py(t.value)));
        cv.hline(a.left - 4, a.left, y, style::kAxis);
        chart_font().draw(cv, a.left - 6 - chart_font().width(t.label, s), y - chart_font().cap_height(s) / 2, t.label, style::kText, s);
    }
    if (!y_label.empty()) chart_font().draw(cv, 4, a.top - chart_font().cap_height(s) - 6, y_label, style::kText, s);
}

void draw_title(Canvas& cv, const ChartOptions& o, int s) {
    if (o.title.empty()) return;
    // A title wider than the chart is cut, with "..." saying so.
    std::string title = o.title;
    title = chart_font().fit(title, o.width - 8, s);
    const int w = chart_font().width(title, s);
    chart_font().draw(cv, std::max(4, (o.width - w) / 2), 8, title, style::kText, s);
}

struct LegendEntry {
    enum class Swatch { None, Bar, Line, Dot } swatch;
    Rgb color;
    std::string text;
};

// The legend box's height for `entries` lines, and each line's.
int legend_line_height(int s) { return chart_font().line_height(s) + 2 * s; }
int legend_box_height(size_t entries, int s) { return 4 * s + static_cast<int>(entries) * legend_line_height(s); }

// A boxed legend in a top corner of the plot.
void draw_legend(Canvas& cv, const PlotArea& a, const std::vector<LegendEntry>& entries, int s) {
    if (entries.empty()) return;
    const int sw = 14 * s, gap = 4 * s, line_h = legend_line_height(s);
    int text_w = 0;
    for (const LegendEntry& e : entries) text_w = std::max(text_w, chart_font().width(e.text, s));
    const int box_w = gap + sw + gap + text_w + gap;
    const int box_h = legend_box_height(entries.size(), s);
    // Top-right corner, unless the top-left one hides less of what is drawn.
    const int y0 = a.top + 6;
    auto covered = [&](int x0) {
        int n = 0;
        for (int y = y0; y < y0 + box_h; ++y)
            for (int x = x0; x < x0 + box_w; ++x) n += pixel_at(cv.image(), x, y) != style::kChartBackground;
        return n;
    };
    const int right_x = std::max(a.left + 2, a.right - box_w - 6), left_x = a.left + 8;
    const int x0 = covered(left_x) < covered(right_x) ? left_x : right_x;
    cv.fill_rect(x0, y0, x0 + box_w, y0 + box_h, style::kChartBackground);
    cv.rect_outline(x0, y0, x0 + box_w, y0 + box_h, style::kLegendBorder);
    for (size_t i = 0; i < entries.size(); ++i) {
        const LegendEntry& e = entries[i];
        const int y = y0 + gap + static_cast<int>(i) * line_h;
        const int cy = y + chart_font().cap_height(s) / 2;
        const int sx = x0 + gap;
        switch (e.swatch) {
            case LegendEntry::Swatch::Bar: cv.fill_rect(sx, y, sx + sw, y + chart_font().cap_height(s), e.color); break;
            case LegendEntry::Swatch::Line: cv.line(sx, cy, sx + sw - 1, cy, e.color, 2); break;
            case LegendEntry::Swatch::Dot: cv.disc(sx + sw / 2, cy, 2 + s, e.color); break;
            case LegendEntry::Swatch::None: break;
        }
        chart_font().draw(cv, sx + sw + gap, y, e.text, style::kText, s);
    }
}

// A histogram chart's legend: the bars, the theory where there is one, the values outside.
std::vector<LegendEntry> histogram_legend(const stats::Histogram& h, const stats::Distribution* d) {
    std::vector<LegendEntry> legend{{LegendEntry::Swatch::Bar, style::kBar, "samples (n=" + group_digits(h.total) + ")"}};
    if (d) legend.push_back({d->is_discrete() ? LegendEntry::Swatch::Dot : LegendEntry::Swatch::Line, style::kCurve, d->name()});
    if (h.below + h.above > 0)
        legend.push_back({LegendEntry::Swatch::None, style::kText,
                          group_digits(h.below) + " below, " + group_digits(h.above) + " above the range"});
    return legend;
}

// Values of an [N, 2] tensor as (x, y) pairs.
std::vector<std::pair<double, double>> points_of(const Tensor& t) {
    if (!t.defined() || t.dim() != 2 || t.size(1) != 2)
        throw ShapeError("scatter chart of shape " + (t.defined() ? shape_str(t.shape()) : std::string("(undefined)")) +
                         ": expected [N, 2] points");
    if (t.size(0) == 0) throw ShapeError("scatter chart of shape " + shape_str(t.shape()) + ": there are no points");
    const std::vector<double> v = t.to_vector();
    std::vector<std::pair<double, double>> p(v.size() / 2);
    for (size_t i = 0; i < p.size(); ++i) p[i] = {v[2 * i], v[2 * i + 1]};
    return p;
}

// The view along one coordinate: min..max, or the 0.1%..99.9% quantiles when there are enough
// points (heavy tails such as Cauchy's would otherwise squeeze the cloud into a dot); 5% margins.
Axis view_axis(std::vector<double> v) {
    v.erase(std::remove_if(v.begin(), v.end(), [](double x) { return !std::isfinite(x); }), v.end());
    if (v.empty()) return {0.0, 1.0, false};
    std::sort(v.begin(), v.end());
    double lo = v.front(), hi = v.back();
    if (v.size() >= 1000) {
        lo = v[static_cast<size_t>(0.001 * static_cast<double>(v.size() - 1))];
        hi = v[static_cast<size_t>(std::ceil(0.999 * static_cast<double>(v.size() - 1)))];
    }
    if (!(hi > lo)) {
        const double half = std::max(std::abs(lo) * 0.1, 0.5);
        return {lo - half, hi + half, false};
    }
    const double m = 0.05 * (hi - lo);
    return {lo - m, hi + m, false};
}

}  // namespace

double Axis::unit(double v) const {
    if (log) {
        if (!(v > 0.0)) return -std::numeric_limits<double>::infinity();
        return (std::log10(v) - std::log10(lo)) / (std::log10(hi) - std::log10(lo));
    }
    return (v - lo) / (hi - lo);
}

double PlotArea::x_at(double pxv) const { return x.lo + (pxv - left) / static_cast<double>(right - left) * (x.hi - x.lo); }

std::vector<Tick> integer_ticks(double lo, double hi, int max_count) {
    std::vector<Tick> ticks;
    const double first = std::ceil(lo), last = std::floor(hi);
    if (!std::isfinite(first) || !std::isfinite(last) || last < first || last - first >= max_count) return ticks;
    for (double v = first; v <= last; ++v) ticks.push_back({v, tick_label(v, 1.0)});
    return ticks;
}

std::vector<Tick> integer_ticks_that_fit(double lo, double hi, double px_per_unit, double gap,
                                         const std::function<double(const std::string&)>& width) {
    std::vector<Tick> ticks = integer_ticks(lo, hi);
    double widest = 0;
    for (const Tick& t : ticks) widest = std::max(widest, width(t.label));
    if (std::fabs(px_per_unit) < widest + gap) ticks.clear();
    return ticks;
}

std::string tick_label(double v, double step) {
    if (std::abs(v) < step * 1e-9) v = 0.0;  // no "-0" or "1e-17"
    char buf[32];
    const double mag = std::max(std::abs(v), step);
    if (mag >= 1e6 || (step < 1e-4 && v != 0.0)) {
        std::snprintf(buf, sizeof buf, "%.3g", v);
    } else {
        const int decimals = std::max(0, static_cast<int>(std::ceil(-std::log10(step) - 1e-9)));
        std::snprintf(buf, sizeof buf, "%.*f", std::min(decimals, 6), v);
    }
    return buf;
}

std::vector<Tick> linear_ticks(double lo, double hi, int target) {
    std::vector<Tick> ticks;
    if (!std::isfinite(lo) || !std::isfinite(hi) || !(hi > lo) || target < 1) return ticks;
    const double raw = (hi - lo) / target;
    const double p = std::pow(10.0, std::floor(std::log10(raw)));
    double step = 10.0 * p;
    for (double m : {1.0, 2.0, 5.0})
        if (raw <= m * p) {
            step = m * p;
            break;
        }
    const double first = std::ceil(lo / step - 1e-9);
    for (double k = first;; k += 1.0) {
        const double v = k * step;
        if (v > hi + step * 1e-9 || ticks.size() > 100) break;
        ticks.push_back({v, tick_label(v, step)});
    }
    return ticks;
}

std::vector<Tick> log_ticks(double lo, double hi) {
    std::vector<Tick> ticks;
    if (!(lo > 0.0) || !(hi > lo)) return ticks;
    const int e0 = static_cast<int>(std::ceil(std::log10(lo) - 1e-9));
    const int e1 = static_cast<int>(std::floor(std::log10(hi) + 1e-9));
    if (e1 - e0 + 1 < 2) return linear_ticks(lo, hi, 4);
    const int every = std::max(1, (e1 - e0 + 1 + 7) / 8);  // at most about 8 labels
    for (int e = e0; e <= e1; e += every) {
        const double v = std::pow(10.0, e);
        char buf[16];
        if (e >= -3 && e <= 4)
            std::snprintf(buf, sizeof buf, "%.*f", e < 0 ? -e : 0, v);
        else
            std::snprintf(buf, sizeof buf, "1e%d", e);
        ticks.push_back({v, buf});
    }
    return ticks;
}

int chart_text_scale(const ChartOptions& opts) { return opts.height >= 400 ? 2 : 1; }

PlotArea histogram_plot_area(const stats::Histogram& h, const stats::Distribution* d, const ChartOptions& opts) {
    validate(opts);
    if (h.counts.empty()) throw ValueError("histogram chart: the histogram has no bins");
    if (!std::isfinite(h.lo) || !std::isfinite(h.hi) || !(h.lo < h.hi))
        throw ValueError("histogram chart: bin range [" + tick_label(h.lo, 1e-6) + ", " + tick_label(h.hi, 1e-6) +
                         "] is invalid: expected finite lo < hi");
    const int s = chart_text_scale(opts);
    double bar_max = 0.0, pos_min = std::numeric_limits<double>::infinity();
    for (size_t i = 0; i < h.counts.size(); ++i) {
        const double v = bar_density(h, i);
        bar_max = std::max(bar_max, v);
        if (v > 0.0) pos_min = std::min(pos_min, v);
    }
    double curve_max = 0.0;
    if (d)
        for (const auto& [x, y] : theory_points(*d, h.lo, h.hi, 512))
            if (std::isfinite(y) && y > 0.0) {
                curve_max = std::max(curve_max, y);
                pos_min = std::min(pos_min, y);
            }
    // A density with a pole (or a very peaked one) must not flatten the bars: cap it at 3x them.
    double top = bar_max > 0.0 ? std::max(bar_max, std::min(curve_max, 3.0 * bar_max)) : curve_max;
    if (!(top > 0.0)) top = 1.0;
    Axis y;
    if (opts.log_scale) {
        y.log = true;
        const double floor_v = std::isfinite(pos_min) ? std::max(pos_min, top * 1e-12) : top * 1e-3;
        y.lo = std::min(std::pow(10.0, std::floor(std::log10(floor_v))), top / 10.0);
        // A quarter of the decades above the top, for the legend.
        y.hi = top * std::pow(10.0, 0.25 * (std::log10(top) - std::log10(y.lo)));
    } else {
        y.lo = 0.0;
        y.hi = top * 1.1;
    }
    const Axis x{h.lo, h.hi, false};
    if (!opts.log_scale) {
        // Headroom for the legend (two or three lines in a top corner) above the tallest bar: a
        // flat histogram (uniform, randint) reached both corners and the legend hid its bars.
        const double legend_px = legend_box_height(histogram_legend(h, d).size(), s) + 12;
        const PlotArea first = make_area(margins_for(opts, y_ticks(y), s), x, y);
        const double plot_h = first.bottom - first.top;
        if (plot_h > 2 * legend_px) y.hi = std::max(y.hi, top * plot_h / (plot_h - legend_px));
    }
    return make_area(margins_for(opts, y_ticks(y), s), x, y);
}

Image histogram_chart(const stats::Histogram& h, const stats::Distribution* d, const ChartOptions& opts) {
    const PlotArea a = histogram_plot_area(h, d, opts);
    const int s = chart_text_scale(opts);
    Image img = make_image(opts.width, opts.height, style::kChartBackground);
    Canvas cv(img);
    auto clamp_y = [&](double y) { return static_cast<int>(std::lround(std::clamp(y, double(a.top), double(a.bottom)))); };

    // Bars: [x0, x1) columns, from the density down to the axis; a 1-pixel gap when bars are wide.
    const double w = h.bin_width();
    for (size_t i = 0; i < h.counts.size(); ++i) {
        const double dens = bar_density(h, i);
        if (!(dens > 0.0) || (a.y.log && dens < a.y.lo)) continue;
        const int x0 = static_cast<int>(std::lround(a.px(h.lo + static_cast<double>(i) * w)));
        int x1 = static_cast<int>(std::lround(a.px(h.lo + static_cast<double>(i + 1) * w)));
        if (x1 - x0 >= 4) --x1;
        if (x1 <= x0) x1 = x0 + 1;
        cv.fill_rect(x0, clamp_y(a.py(dens)), x1, a.bottom, style::kBar);
    }

    // Theory: a polyline through the density at every pixel column, or stems with dots at the
    // integers for a mass function (dots only when the integers are denser than 3 pixels).
    if (d) {
        if (d->is_discrete()) {
            const auto pts = theory_points(*d, a.x.lo, a.x.hi, 0);
            const bool stems = pts.size() * 3 <= static_cast<size_t>(a.right - a.left);
            for (const auto& [k, m] : pts) {
                if (!(m > 0.0) || !std::isfinite(m) || (a.y.log && m < a.y.lo)) continue;
                const int x = static_cast<int>(std::lround(a.px(k)));
                const int y = clamp_y(a.py(m));
                if (stems) {
                    cv.line(x, a.bottom - 1, x, y, style::kCurve, 1);
                    cv.disc(x, y, 1 + s, style::kCurve);
                } else {
                    cv.disc(x, y, 1, style::kCurve);
                }
            }
        } else {
            bool have_prev = false;
            int px_prev = 0, py_prev = 0;
            for (int px = a.left; px <= a.right; ++px) {
                const double yv = d->pdf(a.x_at(px));
                if (!std::isfinite(yv) || (a.y.log && !(yv > 0.0))) {
                    have_prev = false;
                    continue;
                }
                const int py = clamp_y(a.py(yv));
                if (have_prev) cv.line(px_prev, py_prev, px, py, style::kCurve, 2);
                px_prev = px;
                py_prev = py;
                have_prev = true;
            }
        }
    }

    const bool discrete = d && d->is_discrete();
    draw_axes(cv, a, s, discrete ? "probability" : "density", discrete);
    draw_title(cv, opts, s);
    draw_legend(cv, a, histogram_legend(h, d), s);
    return img;
}

PlotArea scatter_plot_area(const Tensor& points, const ChartOptions& opts) {
    validate(opts);
    const auto p = points_of(points);
    std::vector<double> xs(p.size()), ys(p.size());
    for (size_t i = 0; i < p.size(); ++i) {
        xs[i] = p[i].first;
        ys[i] = p[i].second;
    }
    const Axis x = view_axis(std::move(xs)), y = view_axis(std::move(ys));
    return make_area(margins_for(opts, y_ticks(y), chart_text_scale(opts)), x, y);
}

Image scatter_chart(const Tensor& points, const ChartOptions& opts) {
    const PlotArea a = scatter_plot_area(points, opts);
    const auto p = points_of(points);
    const int s = chart_text_scale(opts);
    Image img = make_image(opts.width, opts.height, style::kChartBackground);
    Canvas cv(img);
    // Translucent dots so that dense regions read darker; bigger and opaque for few points.
    const double n = static_cast<double>(p.size());
    const float alpha = static_cast<float>(std::clamp(3000.0 / n, 0.15, 1.0));
    const int radius = n <= 2000 ? 2 : 1;
    int64_t outside = 0;
    for (const auto& [xv, yv] : p) {
        const double px = a.px(xv), py = a.py(yv);
        if (!(px >= a.left && px <= a.right && py >= a.top && py <= a.bottom)) {
            ++outside;
            continue;
        }
        const int cx = static_cast<int>(std::lround(px)), cy = static_cast<int>(std::lround(py));
        for (int dy = -radius; dy <= radius; ++dy)
            for (int dx = -radius; dx <= radius; ++dx)
                if (dx * dx + dy * dy <= radius * radius) cv.blend(cx + dx, cy + dy, style::kPoint, alpha);
    }
    draw_axes(cv, a, s, "");
    draw_title(cv, opts, s);
    std::vector<LegendEntry> legend{{LegendEntry::Swatch::Dot, style::kPoint, "points (n=" + group_digits(static_cast<int64_t>(p.size())) + ")"}};
    if (outside > 0) legend.push_back({LegendEntry::Swatch::None, style::kText, group_digits(outside) + " outside the view"});
    draw_legend(cv, a, legend, s);
    return img;
}

}  // namespace nl::render
