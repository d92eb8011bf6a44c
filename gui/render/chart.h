// Chart geometry shared by the histogram and scatter renderers: axes (linear or log), the plot
// area inside the margins, and tick positions and labels. Exposed so that the GUI can map mouse
// positions to values and the tests can find where a value was drawn.
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "gui/render/image.h"

namespace nl::render {

struct Axis {
    double lo = 0.0, hi = 1.0;
    bool log = false;  // log10 scale; then lo > 0
    // Position of v along the axis: 0 at lo, 1 at hi (outside [0, 1] past the ends).
    double unit(double v) const;
};

// The plot area: pixel columns [left, right], rows [top, bottom] (bottom is the x axis).
struct PlotArea {
    int left = 0, top = 0, right = 0, bottom = 0;
    Axis x, y;
    double px(double xv) const { return left + x.unit(xv) * (right - left); }
    double py(double yv) const { return bottom - y.unit(yv) * (bottom - top); }
    double x_at(double px) const;  // inverse of px on a linear x axis
};

struct Tick {
    double value;
    std::string label;
};
// About `target` ticks at 1, 2 or 5 times a power of ten, inside [lo, hi].
std::vector<Tick> linear_ticks(double lo, double hi, int target = 6);
// A tick on every integer inside [lo, hi] (a discrete distribution's values, so that none is left
// unnamed between two even ticks); empty when there are more than max_count of them.
std::vector<Tick> integer_ticks(double lo, double hi, int max_count = 64);
// integer_ticks where their labels, `width(label)` wide with `gap` between, fit on an axis of
// `px_per_unit` pixels per integer; else empty (the caller keeps its linear ticks). One rule for
// the app's plots (ImGui's font) and the exported charts (their own).
std::vector<Tick> integer_ticks_that_fit(double lo, double hi, double px_per_unit, double gap,
                                         const std::function<double(const std::string&)>& width);
// Powers of ten inside [lo, hi] (lo > 0); when fewer than two fit, linear ticks.
std::vector<Tick> log_ticks(double lo, double hi);
// Short label for a tick value on an axis whose ticks are `step` apart ("0.25", "-3", "1e+06").
std::string tick_label(double v, double step);

// Where histogram_chart draws its plot (same inputs give the same area).
PlotArea histogram_plot_area(const stats::Histogram& h, const stats::Distribution* d, const ChartOptions& opts);
// Where scatter_chart draws its plot.
PlotArea scatter_plot_area(const Tensor& points, const ChartOptions& opts);

// Text scale used for an image of this height (2 from 400 pixels up, else 1).
int chart_text_scale(const ChartOptions& opts);

}  // namespace nl::render
