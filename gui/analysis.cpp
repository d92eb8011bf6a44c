// Histogram, moments, goodness of fit and QQ points of the current tensor (see analysis.h).
#include "gui/analysis.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <functional>
#include <limits>
#include "tensor/errors.h"
#include "tensor/ops.h"

namespace nl::gui {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Freedman-Diaconis bin count from the interquartile range of a sample, for n values over
// [lo, hi]; clamped to [10, 200] like stats::histogram's own rule.
int fd_bins(std::vector<double> sample, int64_t n, double lo, double hi) {
    if (sample.size() < 4 || !(hi > lo)) return 50;
    const size_t q1 = sample.size() / 4, q3 = (sample.size() * 3) / 4;
    std::nth_element(sample.begin(), sample.begin() + static_cast<long>(q1), sample.end());
    const double a = sample[q1];
    std::nth_element(sample.begin(), sample.begin() + static_cast<long>(q3), sample.end());
    const double b = sample[q3];
    const double iqr = b - a;
    if (!(iqr > 0)) return 50;
    const double width = 2.0 * iqr / std::cbrt(static_cast<double>(n));
    const double bins = std::ceil((hi - lo) / width);
    return static_cast<int>(std::clamp(bins, 10.0, 200.0));
}

double finite_or_nan(double v) { return std::isfinite(v) ? v : kNaN; }

}  // namespace

void auto_range(const stats::Moments& m, const stats::Distribution& d, double& lo, double& hi) {
    lo = m.min;
    hi = m.max;
    // Heavy tails: a few extreme values would squeeze the rest against one edge, so the range
    // stops at the theory's quantiles (the values beyond are counted, as "above the range").
    try {
        if (d.kind == stats::Distribution::Kind::Cauchy) {
            lo = std::max(lo, d.quantile(0.01));
            hi = std::min(hi, d.quantile(0.99));
        } else if (d.kind == stats::Distribution::Kind::LogNormal) {
            hi = std::min(hi, d.quantile(0.995));
        }
    } catch (const Error&) {
        // Invalid parameters: keep the data range.
    }
    if (d.is_discrete()) {  // bins centred on the integers
        lo = std::floor(lo) - 0.5;
        hi = std::ceil(hi) + 0.5;
    }
    if (!std::isfinite(lo) || !std::isfinite(hi)) {
        lo = 0.0;
        hi = 1.0;
    }
    if (!(hi > lo)) {  // constant data
        lo -= 0.5;
        hi += 0.5;
    }
}

Analysis analyze(const Tensor& t, const stats::Distribution& d, const AnalysisOptions& opts) {
    const auto start = std::chrono::steady_clock::now();
    Analysis a;
    a.dist = d;
    if (!t.defined() || t.numel() == 0) {
        a.error = "no samples yet";
        return a;
    }
    try {
        // A device tensor stays where it is: moments and the histogram are reduced there
        // (stats.cpp asks the backend), and only the test's first values come to the host. A
        // strided device view is compacted on the device (cat's kernel) rather than via the host.
        Tensor flat;
        if (t.device().is_cpu())
            flat = t.contiguous().flatten();
        else
            flat = (t.is_contiguous() || t.dim() == 0 ? t : cat({t}, 0)).flatten();
        a.values = flat.numel();
        if (opts.max_values > 0 && flat.numel() > opts.max_values) flat = flat.narrow(0, 0, opts.max_values);
        a.moments = stats::moments(flat);
        if (a.moments.n == 0) {
            a.error = "no finite samples (" + std::to_string(a.moments.nan_count) + " NaN, " +
                      std::to_string(a.moments.inf_count) + " inf)";
            return a;
        }
        const int64_t n_test = std::min<int64_t>(flat.numel(), std::max<int64_t>(opts.test_samples, 2));
        const Tensor sub = flat.narrow(0, 0, n_test).cpu();
        std::vector<double> sub_values = sub.to_vector();

        double lo = opts.lo, hi = opts.hi;
        if (opts.auto_range) auto_range(a.moments, d, lo, hi);
        if (!(hi > lo) || !std::isfinite(lo) || !std::isfinite(hi))
            throw ValueError("histogram range [" + std::to_string(lo) + ", " + std::to_string(hi) +
                             "] is invalid: expected finite lo < hi");
        int bins = std::clamp(opts.bins, kMinBins, kMaxBins);
        if (opts.auto_bins) {
            const double width = hi - lo;
            // Integer data over a modest range: one bin per integer (bins centred on integers).
            if (d.is_discrete() && opts.auto_range && width <= 201) {
                bins = static_cast<int>(std::lround(width));
            } else if (d.is_discrete() && opts.auto_range) {
                // Wider integer data: bins of a whole number of integers each, else bins holding 2
                // and 3 integers by turns draw a comb. The count of integers per bin closest to
                // the wanted one that divides the range keeps its ends (at most 200 bins, at most
                // twice the wanted width); only without one (a prime count of integers) does the
                // upper end move out to a whole bin.
                const double want = std::ceil(width / fd_bins(sub_values, a.moments.n, lo, hi));
                const double fewest = std::ceil(width / 200.0);
                double per_bin = want;
                for (double d = 0; d <= want; ++d) {
                    if (want - d >= fewest && std::fmod(width, want - d) == 0.0) {
                        per_bin = want - d;
                        break;
                    }
                    if (std::fmod(width, want + d) == 0.0) {
                        per_bin = want + d;
                        break;
                    }
                }
                bins = static_cast<int>(std::ceil(width / per_bin));
                hi = lo + bins * per_bin;
            } else {
                bins = fd_bins(sub_values, a.moments.n, lo, hi);
            }
        }
        a.hist = stats::histogram(flat, bins, lo, hi);
        a.valid = true;

        // Theory and tests: a distribution with degenerate parameters (std = 0) has none.
        if (!opts.no_theory.empty()) {
            a.theory_mean = a.theory_std = a.theory_skewness = a.theory_kurtosis = kNaN;
            a.theory_known = false;
            a.error = "no theory: " + opts.no_theory;
            a.ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
            return a;
        }
        try {
            a.theory_mean = finite_or_nan(d.mean());
            const double var = d.variance();
            a.theory_std = std::isfinite(var) ? std::sqrt(var) : kNaN;
            // Sums over categories leave rounding dust where the value is 0 (the skewness of a
            // symmetric probs list came out as -7e-17): the table shows 0 there.
            auto dust_to_zero = [](double v, double scale) { return std::fabs(v) < 1e-12 * scale ? 0.0 : v; };
            if (std::isfinite(a.theory_std)) a.theory_mean = dust_to_zero(a.theory_mean, a.theory_std);
            a.theory_skewness = dust_to_zero(finite_or_nan(d.skewness()), 1.0);
            a.theory_kurtosis = dust_to_zero(finite_or_nan(d.excess_kurtosis()), 1.0);
            a.theory_shown = true;
            if (var == 0.0) {  // a point mass (Poisson rate 0, Bernoulli p 0 or 1...): a test means nothing
                char v[32];
                std::snprintf(v, sizeof v, "%.6g", a.theory_mean);
                a.error = std::string("no test: every value is ") + v;
            } else if (!opts.untested.empty()) {
                a.error = "no test: " + opts.untested;
            } else {
                try {
                    a.test = stats::goodness_of_fit(sub_values, d);  // a permutation: its order test
                    a.test_n = n_test;
                    a.qq = stats::qq_points(sub, d, opts.qq_points);
                } catch (const ValueError& e) {  // too few values for the test: the theory stands
                    a.error = std::string("no test: ") + e.what();
                }
            }
        } catch (const Error& e) {
            a.theory_mean = a.theory_std = a.theory_skewness = a.theory_kurtosis = kNaN;
            a.theory_shown = false;
            a.test = {};
            a.test_n = 0;
            a.qq.clear();
            a.error = std::string("no theory: ") + e.what();
            // A normal with std 0, which the theory refuses, is a point mass too: every value is
            // the mean, whose mean and std are plain.
            if (d.kind == stats::Distribution::Kind::Normal && d.b == 0.0 && std::isfinite(d.a)) {
                a.theory_mean = d.a;
                a.theory_std = 0.0;
                a.error = "no test: every value is the mean (std = 0)";
            }
        }
    } catch (const Error& e) {
        a.valid = false;
        a.error = e.what();
    }
    a.ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    return a;
}

std::vector<std::pair<double, double>> density_curve(const stats::Distribution& d, double lo, double hi) {
    constexpr int kSteps = 240, kMaxDepth = 10;
    auto pdf = [&](double x) {
        const double y = d.pdf(x);
        return std::isfinite(y) ? y : std::numeric_limits<double>::quiet_NaN();
    };
    std::vector<std::pair<double, double>> even;
    double top = 0;
    for (int i = 0; i <= kSteps; ++i) {
        const double x = lo + (hi - lo) * i / kSteps;
        even.emplace_back(x, pdf(x));
        if (even.back().second > top) top = even.back().second;
    }
    std::vector<std::pair<double, double>> out;
    std::function<void(std::pair<double, double>, std::pair<double, double>, int)> refine =
        [&](std::pair<double, double> a, std::pair<double, double> b, int depth) {
            if (depth < kMaxDepth && std::isfinite(a.second) && std::isfinite(b.second) &&
                std::fabs(b.second - a.second) > 0.02 * top) {
                const double xm = 0.5 * (a.first + b.first);
                const std::pair<double, double> m(xm, pdf(xm));
                if (m.second > top) top = m.second;
                refine(a, m, depth + 1);
                refine(m, b, depth + 1);
                return;
            }
            out.push_back(b);
        };
    out.push_back(even.front());
    for (size_t i = 1; i < even.size(); ++i) refine(even[i - 1], even[i], 0);
    return out;
}


}  // namespace nl::gui
