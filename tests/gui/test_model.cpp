// Layout, tensor view geometry, analysis and the frame update rules (no window needed).
#include <gtest/gtest.h>

#include <cmath>

#include "gui/analysis.h"
#include "gui/app.h"
#include "gui/grid_pixels.h"
#include "gui/grid_view.h"
#include "gui/layout.h"
#include "gui/plot.h"
#include "gui/script.h"
#include "gui/texture_sink.h"
#include "tensor/hash.h"
#include "tensor/random.h"

using namespace nl;
using namespace nl::gui;

TEST(GuiLayout, PanelsTileTheWindowAtEverySize) {
    for (float w : {640.f, 1024.f, 1280.f, 1920.f, 3840.f})
        for (float h : {480.f, 800.f, 2160.f})
            for (float scale : {1.f, 2.f}) {
                const Layout L = compute_layout(w, h, 24 * scale, 28 * scale, scale);
                const Rect rs[] = {L.sampler, L.view, L.histogram, L.status};
                float area = 0;
                for (int i = 0; i < 4; ++i) {
                    EXPECT_GE(rs[i].w, 0);
                    EXPECT_GE(rs[i].x, 0);
                    EXPECT_LE(rs[i].right(), w + 0.01f);
                    EXPECT_LE(rs[i].bottom(), h + 0.01f);
                    area += rs[i].w * rs[i].h;
                    for (int j = i + 1; j < 4; ++j) EXPECT_FALSE(rs[i].overlaps(rs[j])) << w << "x" << h << " " << i << "," << j;
                }
                EXPECT_NEAR(area, w * (h - 24 * scale), 1.0f) << w << "x" << h;  // everything below the menu
                EXPECT_EQ(L.histogram.right(), w);
            }
}

TEST(GuiGridView, MapsPixelsBackToTensorIndices) {
    ImageViewState v;
    Generator g(3);
    const Tensor t = randn({10, 3, 4, 5}, {}, &g);
    v.rgb = false;
    v.channel = 2;
    GridView gv = make_grid_view(t, v);
    EXPECT_EQ(gv.n, 10);
    EXPECT_EQ(gv.c, 1);
    EXPECT_EQ(gv.columns, 4);
    EXPECT_EQ(gv.width, 4 * (5 + 1) + 1);
    EXPECT_EQ(gv.height, 3 * (4 + 1) + 1);
    // Tile 6 is row 1, column 2; its pixel (y=3, x=4):
    const double px = 1 + 2 * 6 + 4 + 0.5, py = 1 + 1 * 5 + 3 + 0.5;
    EXPECT_EQ(grid_hit(gv, px, py), (std::vector<int64_t>{6, 2, 3, 4}));
    EXPECT_TRUE(grid_hit(gv, 0.5, 0.5).empty());             // padding
    EXPECT_TRUE(grid_hit(gv, gv.width - 1.5, gv.height - 2.5).empty());  // past the last tile
    const std::string d = describe_element(t, gv, {6, 2, 3, 4});
    char expect[64];
    std::snprintf(expect, sizeof expect, "[6, 2, 3, 4] = %.5g", t.at({6, 2, 3, 4}));
    EXPECT_EQ(d, expect);
    // The grid the sink draws is exactly where grid_hit looks.
    MemorySink sink;
    sink.show(gv.tensor, grid_options(gv, v));
    EXPECT_EQ(sink.width(), gv.width);
    EXPECT_EQ(sink.height(), gv.height);

    v.rgb = true;
    gv = make_grid_view(t, v);
    EXPECT_EQ(gv.c, 3);
    EXPECT_NE(describe_element(t, gv, grid_hit(gv, px, py)).find("R, G, B"), std::string::npos);

    v.max_images = 4;
    gv = make_grid_view(t, v);
    EXPECT_EQ(gv.n, 4);
    EXPECT_NE(gv.note.find("first 4 of 10"), std::string::npos);
}

TEST(GuiGridView, PicksAViewForEveryShape) {
    EXPECT_EQ(resolve_view(ViewMode::Auto, {64, 1, 28, 28}), ViewMode::Image);
    EXPECT_EQ(resolve_view(ViewMode::Auto, {2048, 2}), ViewMode::Scatter);
    EXPECT_EQ(resolve_view(ViewMode::Auto, {4096}), ViewMode::Values);
    EXPECT_EQ(resolve_view(ViewMode::Auto, {64, 256}), ViewMode::Image);
    EXPECT_EQ(resolve_view(ViewMode::Auto, {2048, 3}), ViewMode::Values) << "not a 3-pixel-wide strip";
    EXPECT_EQ(resolve_view(ViewMode::Auto, {3, 2048}), ViewMode::Values);
    EXPECT_EQ(resolve_view(ViewMode::Auto, {96, 3}), ViewMode::Image);  // 32:1 still an image
    EXPECT_EQ(resolve_view(ViewMode::Image, {2048, 3}), ViewMode::Image);  // asked for: as asked
    EXPECT_EQ(resolve_view(ViewMode::Scatter, {64, 256}), ViewMode::Image);  // cannot scatter: falls back
    EXPECT_EQ(resolve_view(ViewMode::Image, {4096}), ViewMode::Image);
    ImageViewState v;
    const GridView flat = make_grid_view(arange(10).to(DType::Float32), v);
    EXPECT_EQ(flat.w, 4);
    EXPECT_EQ(flat.h, 3);
    EXPECT_EQ(grid_hit(flat, 1.5, 2.5), (std::vector<int64_t>{9}));
    EXPECT_TRUE(grid_hit(flat, 2.5, 2.5).empty());  // the wrap's unused cells
    EXPECT_NEAR(fit_zoom(233, 233, 466, 600), 2.0f, 1e-6);
    EXPECT_EQ(fit_zoom(100, 50, 750, 700), 7.0f);   // whole multiples from 3x up
    EXPECT_GT(zoom_step(1.0f, 1.0f), 1.0f);
    EXPECT_EQ(zoom_step(64.0f, 3.0f), 64.0f);
}

// Measured values keep their trailing zeros, so a sample's 1.00003 reads "1.000", not an exact "1".
TEST(GuiNumbers, MeasuredValuesShowTheirPrecision) {
    EXPECT_EQ(fmt_num(1.00003), "1");
    EXPECT_EQ(fmt_measured(1.00003), "1.000");
    EXPECT_EQ(fmt_measured(-0.00076581), "-0.0007658");
    EXPECT_EQ(fmt_measured(1234.4), "1234");
    EXPECT_EQ(fmt_measured(31.6251), "31.63");
    EXPECT_EQ(fmt_measured(std::nan("")), "undefined");
    EXPECT_EQ(fmt_measured(-0.0), "0.000");
}

TEST(GuiAnalysis, StatisticsMatchTheTheoryForAGoodSample) {
    Generator g(11);
    const Tensor t = randn({50000}, {}, &g);
    stats::Distribution d;  // normal(0, 1)
    const Analysis a = analyze(t, d, {});
    ASSERT_TRUE(a.valid) << a.error;
    EXPECT_EQ(a.moments.n, 50000);
    EXPECT_NEAR(a.moments.mean, 0.0, 0.02);
    EXPECT_NEAR(a.moments.std, 1.0, 0.02);
    EXPECT_EQ(a.test.test, "KS");
    EXPECT_GT(a.test.p_value, 1e-4);
    EXPECT_EQ(a.test_n, 20000);
    EXPECT_FALSE(a.qq.empty());
    EXPECT_GE(a.hist.counts.size(), 10u);
    int64_t total = 0;
    for (int64_t c : a.hist.counts) total += c;
    EXPECT_EQ(total, 50000);
    EXPECT_DOUBLE_EQ(a.theory_std, 1.0);

    // The wrong theory is rejected by the test.
    stats::Distribution u;
    u.kind = stats::Distribution::Kind::Uniform;
    u.a = -1;
    u.b = 1;
    EXPECT_LT(analyze(t, u, {}).test.p_value, 1e-6);
}

// A theory with its two parameters.
stats::Distribution theory_of(stats::Distribution::Kind kind, double a, double b = 0.0) {
    stats::Distribution d;
    d.kind = kind;
    d.a = a;
    d.b = b;
    return d;
}

// The analysis of n draws of randint(0, high) (seed 2) against their theory.
Analysis analyze_randint(int64_t high, int64_t n) {
    Generator g(2);
    const Tensor t = randint(0, high, {n}, {DType::Int64}, &g);
    return analyze(t, theory_of(stats::Distribution::Kind::RandInt, 0.0, static_cast<double>(high)), {});
}

TEST(GuiAnalysis, DiscreteDataGetsOneBinPerIntegerAndAChiSquareTest) {
    const Analysis a = analyze_randint(6, 12000);
    ASSERT_TRUE(a.valid);
    EXPECT_EQ(a.hist.counts.size(), 6u);
    EXPECT_DOUBLE_EQ(a.hist.lo, -0.5);
    EXPECT_EQ(a.test.test, "chi-square");
    EXPECT_GT(a.test.p_value, 1e-4);
}

// Integers over more than 201 values: every bin holds the same whole number of integers, so the
// bars follow the distribution instead of alternating with how many integers each bin caught.
TEST(GuiAnalysis, WideIntegerDataGetsBinsOfWholeIntegers) {
    const Analysis a = analyze_randint(1000, 50000);
    ASSERT_TRUE(a.valid);
    const double per_bin = a.hist.bin_width();
    EXPECT_GT(per_bin, 1.0);
    EXPECT_EQ(per_bin, std::round(per_bin)) << "a whole number of integers per bin";
    EXPECT_DOUBLE_EQ(a.hist.lo, -0.5);
    EXPECT_DOUBLE_EQ(a.hist.hi, 999.5) << "1000 integers: a count per bin that divides them, so high - 1 ends the range";
    EXPECT_LE(a.hist.counts.size(), 200u);
    // Uniform integers: every full bin expects the same count; none is off by the comb's 1/3.
    const double expect = 50000.0 * per_bin / 1000.0;
    for (size_t i = 0; i < a.hist.counts.size(); ++i)
        EXPECT_NEAR(static_cast<double>(a.hist.counts[i]), expect, 6 * std::sqrt(expect)) << "bin " << i;
    // 202 integers: 2 per bin (101 bins) rather than the wanted count, which does not divide them.
    const Analysis even = analyze_randint(202, 65536);
    EXPECT_DOUBLE_EQ(even.hist.hi, 201.5);
    EXPECT_EQ(std::fmod(202.0, even.hist.bin_width()), 0.0);
    // 251 integers (a prime): no count divides them, the last bin reaches past high - 1.
    const Analysis p = analyze_randint(251, 50000);
    EXPECT_EQ(p.hist.bin_width(), std::round(p.hist.bin_width()));
    EXPECT_GE(p.hist.hi, 250.5);
}

// A point mass has no density to test against (a normal with std 0, which the theory refuses; a
// Poisson rate 0 or a Bernoulli p = 1, which it accepts and would give a vacuous p = 1): its theory
// mean and std are shown, and the note says why there is no test.
TEST(GuiAnalysis, APointMassShowsItsMeanAndStdWithoutATest) {
    using K = stats::Distribution::Kind;
    struct Case {
        K kind;
        double a, b, value;
        const char* note;
    } cases[] = {{K::Normal, 2.5, 0.0, 2.5, "every value is the mean (std = 0)"},
                 {K::Poisson, 0.0, 0.0, 0.0, "no test: every value is 0"},
                 {K::Bernoulli, 1.0, 0.0, 1.0, "no test: every value is 1"}};
    for (const Case& c : cases) {
        const Analysis a = analyze(full({100}, c.value, {}), theory_of(c.kind, c.a, c.b), {});
        ASSERT_TRUE(a.valid) << c.note;
        EXPECT_EQ(a.theory_mean, c.value) << c.note;
        EXPECT_EQ(a.theory_std, 0.0) << c.note;
        EXPECT_EQ(a.test_n, 0) << c.note;
        EXPECT_NE(a.error.find(c.note), std::string::npos) << a.error;
    }
}

// Category draws: the theory's moments come from sums over the probs; a symmetric list has
// skewness exactly 0 in the table, not rounding dust. Draws without replacement and a single
// permutation's order get what their statistics allow.
TEST(GuiAnalysis, CategoriesAndPermutationsGetTheirTheoryAndTheirTest) {
    stats::Distribution d;
    d.kind = stats::Distribution::Kind::Categorical;
    d.probs = {0.05, 0.1, 0.2, 0.3, 0.2, 0.1, 0.05};
    Generator g(3);
    const Tensor draws = multinomial(from_vector(d.probs, {7}, DType::Float64), 5000, true, &g);
    Analysis a = analyze(draws, d, {});
    ASSERT_TRUE(a.valid) << a.error;
    EXPECT_EQ(a.theory_skewness, 0.0);
    EXPECT_DOUBLE_EQ(a.theory_mean, 3.0);
    EXPECT_EQ(a.test.test, "chi-square");
    EXPECT_GT(a.test_n, 0);
    AnalysisOptions no_test;
    no_test.untested = "draws without replacement are not independent";
    a = analyze(draws, d, no_test);
    EXPECT_EQ(a.test_n, 0);
    EXPECT_EQ(a.error, "no test: draws without replacement are not independent");
    EXPECT_DOUBLE_EQ(a.theory_mean, 3.0) << "the theory still stands";
    EXPECT_TRUE(a.theory_shown);
    // Draws without replacement: probs describe only the first draw, so no theory at all.
    AnalysisOptions no_theory;
    no_theory.no_theory = "draws without replacement are not independent";
    a = analyze(draws, d, no_theory);
    EXPECT_TRUE(a.valid);
    EXPECT_EQ(a.test_n, 0);
    EXPECT_FALSE(a.theory_shown);
    EXPECT_FALSE(a.theory_known);
    EXPECT_TRUE(std::isnan(a.theory_mean));
    EXPECT_EQ(a.error, "no theory: draws without replacement are not independent");
    // A point mass (argmax) gets its mass drawn, without a test.
    stats::Distribution point;
    point.kind = stats::Distribution::Kind::Categorical;
    point.probs = {1.0, 0.0};
    a = analyze(full({100}, 0.0, {DType::Int64}), point, {});
    EXPECT_TRUE(a.theory_shown);
    EXPECT_EQ(a.test_n, 0);

    stats::Distribution perm;
    perm.kind = stats::Distribution::Kind::Permutation;
    perm.a = 1000;
    a = analyze(randperm(1000, {DType::Int64}, &g), perm, {});
    EXPECT_EQ(a.test.test, "order");
    EXPECT_EQ(a.test.dof, 81);
    a = analyze(arange(1000, {DType::Int64}), perm, {});  // the identity: flat values, no randomness
    EXPECT_LT(a.test.p_value, 1e-100);
    perm.a = 10;
    a = analyze(randperm(10, {DType::Int64}, &g), perm, {});
    EXPECT_EQ(a.test_n, 0);
    EXPECT_NE(a.error.find("no test: the order test needs at least 20 values"), std::string::npos) << a.error;
    EXPECT_DOUBLE_EQ(a.theory_mean, 4.5);
}

// Log-normal with std 2 reaches values thousands of times its median: the automatic range stops
// at the 99.5% quantile, and what lies above is counted.
TEST(GuiAnalysis, LogNormalRangeStopsAtItsUpperQuantile) {
    Generator g(6);
    Tensor t = Tensor::empty({20000});
    log_normal_(t, 1.0, 2.0, &g);
    const stats::Distribution d = theory_of(stats::Distribution::Kind::LogNormal, 1.0, 2.0);
    const Analysis a = analyze(t, d, {});
    ASSERT_TRUE(a.valid);
    EXPECT_DOUBLE_EQ(a.hist.hi, d.quantile(0.995));
    EXPECT_LT(a.hist.hi, a.moments.max);
    EXPECT_NEAR(static_cast<double>(a.hist.above) / 20000.0, 0.005, 0.0025);
}

// The density curve finds a narrow peak that 240 even samples step over: log-normal(0, 2) over
// its histogram range peaks at 1.5 near x = 0.018, where the even samples reach about 0.3.
TEST(GuiAnalysis, DensityCurvesReachNarrowPeaks) {
    const stats::Distribution d = theory_of(stats::Distribution::Kind::LogNormal, 0.0, 2.0);
    const double hi = d.quantile(0.995);
    const std::vector<std::pair<double, double>> c = density_curve(d, 1.8e-4, hi);
    double top = 0, even_top = 0;
    for (const auto& [x, y] : c) top = std::max(top, y);
    for (int i = 0; i <= 240; ++i) even_top = std::max(even_top, d.pdf(1.8e-4 + (hi - 1.8e-4) * i / 240));
    const double mode = std::exp(-4.0), peak = d.pdf(mode);
    EXPECT_LT(even_top, 0.5 * peak);
    EXPECT_GT(top, 0.97 * peak) << "the refined curve reaches the peak";
    EXPECT_LT(c.size(), 2000u) << "refined only where it is steep";
    for (size_t i = 1; i < c.size(); ++i) EXPECT_GT(c[i].first, c[i - 1].first);
    EXPECT_EQ(c.front().first, 1.8e-4);
    EXPECT_EQ(c.back().first, hi);
}

TEST(GuiAnalysis, CauchyRangeIgnoresTheExtremeTailsAndOptionsAreObeyed) {
    Generator g(5);
    Tensor t = Tensor::empty({20000});
    cauchy_(t, 0, 1, &g);
    stats::Distribution d;
    d.kind = stats::Distribution::Kind::Cauchy;
    const Analysis a = analyze(t, d, {});
    EXPECT_LT(a.hist.hi - a.hist.lo, 70.0);
    EXPECT_GT(a.hist.below + a.hist.above, 0);
    EXPECT_TRUE(std::isnan(a.theory_mean));

    AnalysisOptions o;
    o.auto_bins = false;
    o.bins = 17;
    o.auto_range = false;
    o.lo = -2;
    o.hi = 2;
    o.max_values = 5000;
    const Analysis b = analyze(t, d, o);
    EXPECT_EQ(b.hist.counts.size(), 17u);
    EXPECT_EQ(b.hist.lo, -2);
    EXPECT_EQ(b.moments.n, 5000);
    EXPECT_EQ(b.values, 20000);
}

TEST(GuiUpdate, SeedsParametersAndResampleFollowTheRules) {
    AppState s = default_state();
    apply_assignments(s, {{"seed", "5"}, {"shape", "1000"}});
    update(s);
    ASSERT_TRUE(s.sampler.error.empty()) << s.sampler.error;
    const uint64_t first = tensor_hash(s.sampler.tensor);
    EXPECT_EQ(s.sampler.offset_before, 0u);
    EXPECT_TRUE(s.histogram.analysis.valid);

    update(s);  // nothing changed: no new draw
    EXPECT_EQ(s.sampler.draws, 1u);

    s.sampler.settings.params[1] = 2.0;  // std 2: the same noise, doubled
    update(s);
    EXPECT_EQ(s.sampler.offset_before, 0u);
    Generator g(5);
    EXPECT_EQ(tensor_hash(s.sampler.tensor), tensor_hash(normal(0.0, 2.0, {1000}, {}, &g)));

    s.sampler.resample_requested = true;  // the next values
    update(s);
    EXPECT_EQ(s.sampler.offset_before, g.offset());
    EXPECT_EQ(tensor_hash(s.sampler.tensor), tensor_hash(normal(0.0, 2.0, {1000}, {}, &g)));

    s.sampler.settings.params[1] = 1.0;
    s.sampler.settings.seed = 5;  // same seed as before: still a change of std only
    update(s);
    EXPECT_NE(s.sampler.offset_before, 0u);

    s.sampler.settings.seed = 6;
    s.sampler.settings.seed = 5;  // back to 5 before update: no reseed requested
    s.sampler.settings.generator = GeneratorMode::Local;  // a generator change reseeds
    update(s);
    EXPECT_EQ(s.sampler.offset_before, 0u);
    EXPECT_EQ(tensor_hash(s.sampler.tensor), first);
    EXPECT_EQ(s.sampler.history.seeds().front(), 5u);

    s.sampler.settings.device = parse_device("cuda:63");  // no such device anywhere: error kept, not retried
    update(s);
    EXPECT_FALSE(s.sampler.error.empty());
    const uint64_t draws = s.sampler.draws;
    update(s);
    EXPECT_EQ(s.sampler.draws, draws);
    EXPECT_EQ(tensor_hash(s.sampler.tensor), first);  // the last good tensor stays on screen

    // A resample asked for together with a reseed draws the values after the reseeded draw
    // (the start-up flag --resample was once dropped by the first frame's reseed).
    s.sampler.settings.device = Device::cpu();
    s.sampler.settings.seed = 9;
    s.sampler.resample_requested = true;
    update(s);
    update(s);
    Generator g9(9);
    (void)normal(0.0, 1.0, {1000}, {}, &g9);
    EXPECT_EQ(s.sampler.offset_before, g9.offset());
    EXPECT_EQ(tensor_hash(s.sampler.tensor), tensor_hash(normal(0.0, 1.0, {1000}, {}, &g9)));
    const uint64_t resampled_draws = s.sampler.draws;
    update(s);
    EXPECT_EQ(s.sampler.draws, resampled_draws) << "resampled once, not every frame";

    s.sampler.live = true;
    update(s);
    update(s);
    EXPECT_EQ(s.sampler.draws, resampled_draws + 2);  // live: a new draw every frame
    EXPECT_EQ(s.histogram.analysed_options.max_values, kLiveAnalysisValues);
}

TEST(GuiGridPixels, AreImageGridsPixelsExactly) {
    Generator g(8);
    Tensor x = randn({7, 3, 5, 6}, {}, &g);
    x.set({2, 1, 3, 3}, std::nan(""));  // NaN colour
    x.set({4, 0, 0, 0}, 40.0);           // an outlier that clamps under sigma and fixed ranges
    Tensor one = randn({10, 1, 4, 9}, {}, &g);
    Tensor big = randn({12, 3, 64, 64}, {}, &g);  // several chunks for the parallel range
    big.set({11, 2, 63, 63}, -9.0);                // the minimum in the last chunk
    render::GridOptions o;
    for (const Tensor& t : {x, x.narrow(1, 1, 1).contiguous(), one, full({3, 1, 2, 2}, 0.25), big})
        for (render::Colormap cm : {render::Colormap::Gray, render::Colormap::Viridis, render::Colormap::Diverging})
            for (const char* range : {"minmax", "sigma:2", "fixed:-1.5,0.7", "quantile:0.05"})
                for (int cols : {0, 3})
                    for (int pad : {0, 1, 2}) {
                        o.colormap = cm;
                        o.range = render::parse_value_range(range, "range");
                        o.columns = cols;
                        o.padding = pad;
                        const render::Image fast = grid_pixels(t, o), ref = render::image_grid(t, o);
                        ASSERT_EQ(fast.width, ref.width);
                        ASSERT_EQ(fast.height, ref.height);
                        ASSERT_TRUE(fast.rgba == ref.rgba) << shape_str(t.shape()) << " " << render::colormap_name(cm) << " " << range
                                                           << " cols " << cols << " pad " << pad;
                    }
    // Other dtypes and scales go to image_grid itself.
    o.range = {};
    const Tensor ints = randint(0, 9, {4, 1, 3, 3}, {DType::Int64}, &g);
    EXPECT_TRUE(grid_pixels(ints, o).rgba == render::image_grid(ints, o).rgba);
    o.scale = 3;
    EXPECT_TRUE(grid_pixels(one, o).rgba == render::image_grid(one, o).rgba);
}
