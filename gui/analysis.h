// What the histogram view shows about the current tensor: the histogram itself (automatic or
// chosen bins and range), the sample moments next to the theoretical ones, a goodness-of-fit
// test (KS for continuous, chi-square for discrete distributions) and QQ points. Pure logic on
// tensor/stats.h, so it is tested without a window.
#pragma once
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "tensor/stats.h"
#include "tensor/tensor.h"

namespace nl::gui {

struct AnalysisOptions {
    bool auto_bins = true;
    int bins = 50;              // used when !auto_bins; valid [1, kMaxBins]
    bool auto_range = true;
    double lo = -4.0, hi = 4.0; // used when !auto_range; lo < hi
    // The test and the QQ plot use the first `test_samples` values (a valid random sample by the
    // streams' prefix stability); sorting all of a large tensor every frame would be too slow.
    int64_t test_samples = 20000;
    int qq_points = 128;
    // 0: every value. Otherwise the histogram and moments use the first max_values values too:
    // live mode sets it so that a new sample every frame stays fast (the table says so).
    int64_t max_values = 0;
    // Why the sample cannot be tested against its theory ("" when it can: sampler.h's
    // untested_reason); the histogram and the moments are still compared with the theory.
    std::string untested;
    // Why the theory does not describe the sample at all ("" when it does: sampler.h's
    // theory_missing): multinomial draws without replacement, where each draw's chances depend
    // on the ones before. The table then shows no theory and the histogram no overlay.
    std::string no_theory;
};
// What live mode analyses per frame: the first values of larger tensors (histogram and moments)
// and of the test and QQ plot, so that a new sample every frame stays well inside 16 ms.
constexpr int64_t kLiveAnalysisValues = 65536;
constexpr int64_t kLiveTestValues = 5000;
constexpr int kMinBins = 1, kMaxBins = 1000;

struct Analysis {
    bool valid = false;
    std::string error;  // why there is nothing to show
    stats::Distribution dist;
    stats::Histogram hist;
    stats::Moments moments;
    stats::TestResult test;
    int64_t test_n = 0;      // values the test and the QQ plot used
    int64_t values = 0;      // values of the tensor (the histogram and moments may use fewer)
    std::vector<std::pair<double, double>> qq;
    // Theory (NaN where undefined, e.g. Cauchy's mean).
    double theory_mean = 0, theory_std = 0, theory_skewness = 0, theory_kurtosis = 0;
    // The theory is valid and describes the sample: its density or mass may be drawn over the
    // histogram (also for a point mass, which gets no test).
    bool theory_shown = false;
    bool theory_known = true;  // false: the table shows "n/a", not "undefined" (see no_theory)
    double ms = 0;           // time the analysis took
};

// Analyses t (any dtype, CPU or device) against d.
Analysis analyze(const Tensor& t, const stats::Distribution& d, const AnalysisOptions& opts);

// The automatic histogram range: [min, max] of the data, except heavy-tailed distributions,
// whose few extreme values would squash the rest into one bar: Cauchy's central 98% and
// log-normal's values up to its 99.5% quantile are shown and the rest is counted as outside.
// Discrete: bins centred on the integers.
void auto_range(const stats::Moments& m, const stats::Distribution& d, double& lo, double& hi);

// The density's curve over [lo, hi] as (x, pdf(x)) points: 240 even steps, each split again (up
// to 10 times) where the density changes by more than 2% of its largest value along it, so a
// narrow peak (log-normal with std 2 peaks near 0) is drawn at its height, not cut off between
// two samples. A non-finite density gives a NaN point, where the drawing breaks.
std::vector<std::pair<double, double>> density_curve(const stats::Distribution& d, double lo, double hi);

}  // namespace nl::gui
