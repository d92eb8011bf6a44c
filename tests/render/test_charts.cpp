// Charts: bars appear exactly where the bins are, the theoretical curve passes within a pixel or
// two of the density, discrete masses get markers at the integers, log scale keeps tiny bins
// visible, scatter points land where the axes say, and ticks/labels are sensible.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "gui/render/canvas.h"
#include "gui/render/chart.h"
#include "gui/render/image.h"
#include "gui/render/style.h"
#include "tensor/errors.h"
#include "tensor/stats.h"
#include "tensor/tensor.h"

using namespace nl;
using namespace nl::render;

namespace {

stats::Distribution normal01() {
    stats::Distribution d;
    d.kind = stats::Distribution::Kind::Normal;
    d.a = 0.0;
    d.b = 1.0;
    return d;
}

// A histogram whose bars follow the normal density exactly (expected counts of 100000 samples).
stats::Histogram normal_histogram() {
    stats::Histogram h;
    h.lo = -4;
    h.hi = 4;
    h.counts.resize(40);
    h.total = 100000;
    int64_t sum = 0;
    for (size_t i = 0; i < h.counts.size(); ++i) {
        const double a = h.lo + i * h.bin_width(), b = a + h.bin_width();
        h.counts[i] = std::llround(h.total * (stats::normal_cdf(b) - stats::normal_cdf(a)));
        sum += h.counts[i];
    }
    h.below = h.above = (h.total - sum) / 2;
    return h;
}

double density(const stats::Histogram& h, size_t i) {
    return static_cast<double>(h.counts[i]) / (static_cast<double>(h.total) * h.bin_width());
}

int count_color(const Image& img, Rgb c, int x0, int y0, int x1, int y1) {
    int n = 0;
    for (int y = y0; y < y1; ++y)
        for (int x = x0; x < x1; ++x) n += pixel_at(img, x, y) == c;
    return n;
}

}  // namespace

// A discrete histogram's axis names every value: randint(0, 10) binned over [-0.5, 9.5] had ticks
// 0, 2, 4, 6, 8 and left 9 unnamed.
TEST(Ticks, EveryIntegerOfADiscreteAxis) {
    const auto t = integer_ticks(-0.5, 9.5);
    ASSERT_EQ(t.size(), 10u);
    EXPECT_EQ(t.front().label, "0");
    EXPECT_EQ(t.back().label, "9");
    EXPECT_EQ(t.back().value, 9.0);
    EXPECT_EQ(integer_ticks(-2.5, -0.5).size(), 2u);  // -2, -1
    EXPECT_EQ(integer_ticks(0.2, 0.8).size(), 0u);    // no integer inside
    EXPECT_EQ(integer_ticks(0, 64).size(), 0u);       // 65 would crowd: the caller falls back to linear ticks
    EXPECT_EQ(integer_ticks(0, 63).size(), 64u);
    // Only where the labels fit: 10 px a character and 4 px between need 14 px per integer.
    const auto width = [](const std::string& label) { return 10.0 * static_cast<double>(label.size()); };
    EXPECT_EQ(integer_ticks_that_fit(-0.5, 9.5, 14.0, 4.0, width).size(), 10u);
    EXPECT_TRUE(integer_ticks_that_fit(-0.5, 9.5, 13.0, 4.0, width).empty());
    EXPECT_TRUE(integer_ticks_that_fit(-0.5, 10.5, 14.0, 4.0, width).empty()) << "\"10\" needs 24 px";
}

TEST(Ticks, LinearAndLog) {
    const auto t = linear_ticks(-3, 3, 6);
    ASSERT_EQ(t.size(), 7u);
    EXPECT_EQ(t.front().label, "-3");
    EXPECT_EQ(t[3].label, "0");
    EXPECT_EQ(t.back().label, "3");
    const auto f = linear_ticks(0, 1, 5);
    ASSERT_EQ(f.size(), 6u);
    EXPECT_EQ(f[1].label, "0.2");
    EXPECT_EQ(f[5].label, "1.0");
    const auto s = linear_ticks(0.0, 0.3, 6);  // step 0.05
    ASSERT_EQ(s.size(), 7u);
    EXPECT_EQ(s[1].label, "0.05");
    EXPECT_EQ(linear_ticks(0.0, 0.43, 6)[1].label, "0.1");  // 0.072 rounds up to a step of 0.1
    const auto l = log_ticks(1e-3, 20);
    ASSERT_EQ(l.size(), 5u);
    EXPECT_EQ(l[0].label, "0.001");
    EXPECT_EQ(l[3].label, "1");
    EXPECT_EQ(l[4].label, "10");
    EXPECT_EQ(log_ticks(1e-9, 1e-7)[0].label, "1e-9");
    EXPECT_EQ(tick_label(1e-17, 0.5), "0.0");  // rounding noise at zero is printed as 0
    EXPECT_EQ(tick_label(2500000, 500000), "2.5e+06");
}

TEST(HistogramChart, BarsWhereBinsAreAndCurveOnTheDensity) {
    const stats::Histogram h = normal_histogram();
    const stats::Distribution d = normal01();
    ChartOptions o;
    o.title = "normal(0, 1)";
    const Image img = histogram_chart(h, &d, o);
    ASSERT_EQ(img.width, 800);
    ASSERT_EQ(img.height, 500);
    const PlotArea a = histogram_plot_area(h, &d, o);
    ASSERT_GT(a.right - a.left, 500);
    ASSERT_GT(a.bottom - a.top, 300);
    EXPECT_DOUBLE_EQ(a.x.lo, -4.0);
    EXPECT_DOUBLE_EQ(a.x.hi, 4.0);
    EXPECT_GE(a.y.hi, 0.3989);  // room for the peak

    for (size_t i = 0; i < h.counts.size(); ++i) {
        const double centre = h.lo + (i + 0.5) * h.bin_width();
        const int x = static_cast<int>(std::lround(a.px(centre)));
        const int top = static_cast<int>(std::lround(a.py(density(h, i))));
        if (a.bottom - top < 4) continue;  // tail bins a pixel or two high
        // Bar pixels between the axis and the bar's top (away from the curve, which may cross).
        EXPECT_EQ(pixel_at(img, x, a.bottom - 2), style::kBar) << "bin " << i;
        // Nothing of the bar's colour above its top (below the legend, whose swatch is bar-coloured).
        EXPECT_EQ(count_color(img, style::kBar, x, a.top + 70, x + 1, top - 2), 0) << "bin " << i;
    }
    // Left of the plot area (the y tick labels' column) holds text, never bars.
    EXPECT_EQ(count_color(img, style::kBar, 0, 0, a.left, img.height), 0);

    // The curve: in sampled columns, curve-coloured pixels lie within 2 pixels of py(pdf(x)).
    for (int x = a.left + 5; x < a.right - 5; x += 23) {
        const double expect_y = a.py(d.pdf(a.x_at(x)));
        if (expect_y > a.bottom - 3) continue;  // the x axis is drawn over the curve's tails
        int found = 0;
        double nearest = 1e9;
        for (int y = a.top; y <= a.bottom; ++y)
            if (pixel_at(img, x, y) == style::kCurve) {
                ++found;
                nearest = std::min(nearest, std::abs(y - expect_y));
            }
        ASSERT_GT(found, 0) << "no curve pixel in column " << x;
        EXPECT_LE(nearest, 2.0) << "column " << x;
    }
    // Title, tick labels and the legend are drawn.
    EXPECT_GT(count_color(img, style::kText, 0, 0, img.width, a.top - 12), 20);  // title + y label
    EXPECT_GT(count_color(img, style::kText, a.left, a.bottom + 5, a.right, img.height), 50);  // x ticks
    EXPECT_GT(count_color(img, style::kLegendBorder, a.left, a.top, a.right, a.bottom), 40);
}

TEST(HistogramChart, DiscreteMassGetsMarkersAtTheIntegers) {
    stats::Distribution d;
    d.kind = stats::Distribution::Kind::Poisson;
    d.a = 3.0;
    stats::Histogram h;  // one bin per integer 0..12
    h.lo = -0.5;
    h.hi = 12.5;
    h.counts.resize(13);
    h.total = 0;
    for (int k = 0; k < 13; ++k) {
        h.counts[k] = std::llround(10000 * d.pdf(k));
        h.total += h.counts[k];
    }
    ChartOptions o;
    o.width = 640;
    o.height = 400;
    const Image img = histogram_chart(h, &d, o);
    const PlotArea a = histogram_plot_area(h, &d, o);
    for (int k = 0; k <= 12; ++k) {
        const int x = static_cast<int>(std::lround(a.px(k)));
        const int y = static_cast<int>(std::lround(a.py(d.pdf(k))));
        if (y < a.top + 40 && x > a.right - 300) continue;  // under the legend box
        if (y > a.bottom - 3) continue;                      // on the x axis
        EXPECT_EQ(pixel_at(img, x, y), style::kCurve) << "k = " << k;
        EXPECT_EQ(pixel_at(img, x, (y + a.bottom) / 2), style::kCurve) << "stem at k = " << k;
    }
}

// A flat histogram reaches both top corners: the plot leaves room above its bars for the legend,
// so no bar is painted over (randint(0, 10)'s first bars were hidden).
TEST(HistogramChart, TheLegendHidesNoBar) {
    stats::Histogram h;
    h.lo = -0.5;
    h.hi = 9.5;
    h.counts.assign(10, 1000);
    h.total = 10000;
    stats::Distribution d;
    d.kind = stats::Distribution::Kind::RandInt;
    d.a = 0;
    d.b = 10;
    ChartOptions o;
    o.width = 800;
    o.height = 500;
    const Image img = histogram_chart(h, &d, o);
    const PlotArea a = histogram_plot_area(h, &d, o);
    for (int k = 0; k < 10; ++k) {
        // Just below each bar's top, off its theory stem: the bar's colour, not the legend's box.
        const int x = static_cast<int>(std::lround(a.px(k - 0.3)));
        const int y = static_cast<int>(std::lround(a.py(0.1))) + 3;
        EXPECT_EQ(pixel_at(img, x, y), style::kBar) << "bar " << k;
    }
}

TEST(HistogramChart, LogScaleShowsTinyBins) {
    stats::Histogram h;
    h.lo = 0;
    h.hi = 4;
    h.counts = {100000, 1000, 10, 1};
    h.total = 101011;
    ChartOptions lin, lg;
    lg.log_scale = true;
    const PlotArea al = histogram_plot_area(h, nullptr, lin), ag = histogram_plot_area(h, nullptr, lg);
    EXPECT_FALSE(al.y.log);
    EXPECT_TRUE(ag.y.log);
    EXPECT_GT(ag.y.lo, 0.0);
    EXPECT_LE(ag.y.lo, density(h, 3));
    const Image img = histogram_chart(h, nullptr, lg);
    const Image img_lin = histogram_chart(h, nullptr, lin);
    const int x3 = static_cast<int>(std::lround(ag.px(3.5)));
    // On a log axis the smallest bin rises well above the axis; on a linear one it is flat.
    const int top3 = static_cast<int>(std::lround(ag.py(density(h, 3))));
    EXPECT_LT(top3, ag.bottom - 10);
    EXPECT_EQ(pixel_at(img, x3, (top3 + ag.bottom) / 2), style::kBar);
    EXPECT_EQ(count_color(img_lin, style::kBar, x3, al.top, x3 + 1, al.bottom - 2), 0);
}

TEST(HistogramChart, BadInput) {
    stats::Histogram empty;
    EXPECT_THROW(histogram_chart(empty, nullptr, {}), ValueError);
    stats::Histogram h;
    h.counts = {1, 2};
    h.total = 3;
    ChartOptions tiny;
    tiny.width = 10;
    EXPECT_THROW(histogram_chart(h, nullptr, tiny), ValueError);
    h.lo = 1;
    h.hi = 1;
    EXPECT_THROW(histogram_chart(h, nullptr, {}), ValueError);
}

TEST(ScatterChart, PointsLandWhereTheAxesSay) {
    const Tensor p = from_vector({0, 0, 1, 1, -1, 2, 0.5, -2}, {4, 2});
    ChartOptions o;
    o.width = 400;
    o.height = 300;
    const Image img = scatter_chart(p, o);
    const PlotArea a = scatter_plot_area(p, o);
    EXPECT_LT(a.x.lo, -1.0);
    EXPECT_GT(a.x.hi, 1.0);
    EXPECT_LT(a.y.lo, -2.0);
    EXPECT_GT(a.y.hi, 2.0);
    const double pts[4][2] = {{0, 0}, {1, 1}, {-1, 2}, {0.5, -2}};
    for (const auto& q : pts) {
        const int x = static_cast<int>(std::lround(a.px(q[0]))), y = static_cast<int>(std::lround(a.py(q[1])));
        EXPECT_EQ(pixel_at(img, x, y), style::kPoint) << q[0] << ", " << q[1];
    }
    // Far from every point: background.
    EXPECT_EQ(pixel_at(img, static_cast<int>(a.px(-0.5)), static_cast<int>(a.py(-1.0))), style::kChartBackground);
    EXPECT_THROW(scatter_chart(zeros({4, 3}), o), ShapeError);
    EXPECT_THROW(scatter_chart(zeros({0, 2}), o), ShapeError);
}
