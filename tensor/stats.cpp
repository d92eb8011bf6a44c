// The sample side of tensor/stats.h: moments, histograms, goodness-of-fit tests (Kolmogorov-
// Smirnov, chi-square with pooling, mean z-test) and QQ points. The theory lives in
// stats_distribution.cpp, the special functions in stats_special.cpp.
#include "tensor/stats.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <string>
#include <utility>

#include "tensor/backend.h"
#include "tensor/errors.h"

namespace nl::stats {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();
// Above this many integers in a chi-square's range, integers are grouped into equal-width buckets.
constexpr double kMaxIntegerCells = 1048576.0;  // 2^20
constexpr double kMaxBuckets = 1024.0;
constexpr int kMaxHistogramBins = 1 << 24;

std::string fmt(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.10g", v);
    return buf;
}

bool is_integer(double x) { return std::isfinite(x) && std::floor(x) == x; }

std::vector<double> finite_values(const std::vector<double>& v) {
    std::vector<double> out;
    out.reserve(v.size());
    for (double x : v)
        if (std::isfinite(x)) out.push_back(x);
    return out;
}

// Value at fraction q of sorted data (linear interpolation between order statistics, Hazen).
double sorted_quantile(const std::vector<double>& sorted, double q) {
    const double pos = q * static_cast<double>(sorted.size()) - 0.5;
    if (pos <= 0.0) return sorted.front();
    const size_t i = static_cast<size_t>(pos);
    if (i + 1 >= sorted.size()) return sorted.back();
    const double f = pos - static_cast<double>(i);
    return sorted[i] + f * (sorted[i + 1] - sorted[i]);
}

// variance, std, skewness and excess kurtosis of m (n > 0, mean set) from the sums of
// (x - mean)^2, ^3, ^4.
void finish_moments(Moments& m, double m2, double m3, double m4) {
    const double n = static_cast<double>(m.n);
    m.variance = m.n > 1 ? m2 / (n - 1.0) : 0.0;
    m.std = std::sqrt(m.variance);
    if (m2 > 0.0) {
        const double c2 = m2 / n;
        m.skewness = (m3 / n) / std::pow(c2, 1.5);
        m.excess_kurtosis = (m4 / n) / (c2 * c2) - 3.0;
    } else {
        m.skewness = m.excess_kurtosis = kNaN;
    }
}

TestResult rejected(const char* test, int64_t n) {
    TestResult r;
    r.test = test;
    r.statistic = kInf;
    r.p_value = 0.0;
    r.n = n;
    return r;
}

}  // namespace

// ---- moments ------------------------------------------------------------------------------------
Moments moments(const std::vector<double>& v) {
    Moments m;
    double sum = 0.0, comp = 0.0;  // Neumaier summation: the mean stays exact to ~1 ulp for 1e9 terms
    m.min = kInf;
    m.max = -kInf;
    for (double x : v) {
        if (std::isnan(x)) {
            ++m.nan_count;
            continue;
        }
        if (std::isinf(x)) {
            ++m.inf_count;
            continue;
        }
        ++m.n;
        const double t = sum + x;
        comp += std::fabs(sum) >= std::fabs(x) ? (sum - t) + x : (x - t) + sum;
        sum = t;
        m.min = std::min(m.min, x);
        m.max = std::max(m.max, x);
    }
    if (m.n == 0) {
        m.mean = m.std = m.variance = m.skewness = m.excess_kurtosis = m.min = m.max = kNaN;
        return m;
    }
    const double n = static_cast<double>(m.n);
    m.mean = (sum + comp) / n;
    double m2 = 0.0, m3 = 0.0, m4 = 0.0;
    for (double x : v) {
        if (!std::isfinite(x)) continue;
        const double d = x - m.mean, d2 = d * d;
        m2 += d2;
        m3 += d2 * d;
        m4 += d2 * d2;
    }
    finish_moments(m, m2, m3, m4);
    return m;
}

Moments moments(const Tensor& t) {
    // On a device with a kernel for it: the counts, extremes, mean and central sums are reduced
    // there (a few hundred bytes come back) and finished here with the same formulas.
    if (DeviceOps* ops = device_ops_for({&t})) {
        DeviceMoments d;
        if (ops->moments(t, d)) {
            Moments m;
            m.n = d.n;
            m.nan_count = d.nan_count;
            m.inf_count = d.inf_count;
            if (m.n == 0) {
                m.mean = m.std = m.variance = m.skewness = m.excess_kurtosis = m.min = m.max = kNaN;
                return m;
            }
            m.min = d.min;
            m.max = d.max;
            m.mean = d.mean;
            finish_moments(m, d.m2, d.m3, d.m4);
            return m;
        }
    }
    return moments(t.to_vector());
}

TestResult mean_test(const Moments& m, const Distribution& d) {
    const double mu = d.mean(), var = d.variance();
    if (!std::isfinite(mu) || !std::isfinite(var))
        throw ValueError("mean_test: " + d.name() + " has no finite mean and variance");
    if (m.n < 1) throw ValueError("mean_test: needs at least one finite sample, got 0");
    TestResult r;
    r.test = "mean z-test";
    r.n = m.n;
    if (var == 0.0) {
        r.statistic = m.mean == mu ? 0.0 : kInf;
        r.p_value = m.mean == mu ? 1.0 : 0.0;
        return r;
    }
    r.statistic = (m.mean - mu) / std::sqrt(var / static_cast<double>(m.n));
    r.p_value = std::erfc(std::fabs(r.statistic) / std::sqrt(2.0));
    return r;
}

// ---- histogram ----------------------------------------------------------------------------------
double Histogram::density(size_t i) const {
    if (i >= counts.size()) throw ValueError("Histogram::density: bin " + std::to_string(i) + " is out of range [0, " +
                                             std::to_string(counts.size()) + ")");
    if (total == 0) return 0.0;
    return static_cast<double>(counts[i]) / (static_cast<double>(total) * bin_width());
}

Histogram histogram(const Tensor& t, int bins, double lo, double hi) {
    if (bins < 0 || bins > kMaxHistogramBins)
        throw ValueError("histogram: bins must be in [0, " + std::to_string(kMaxHistogramBins) +
                         "] (0 = automatic), got " + std::to_string(bins));
    if (std::isnan(lo) || std::isnan(hi) || std::isinf(lo) || std::isinf(hi))
        throw ValueError("histogram: range must be finite, got [" + fmt(lo) + ", " + fmt(hi) + "]");
    if (bins > 0 && lo < hi) {
        // Explicit bins and range on a device with a kernel: the counts are made there (integers,
        // so equal to the loop below in any order). The automatic bins and range stay on the host:
        // Freedman-Diaconis needs exact quartiles of all the data.
        const double scale = static_cast<double>(bins) / (hi - lo);
        if (DeviceOps* ops = device_ops_for({&t})) {
            DeviceHistogram d;
            if (ops->histogram(t, bins, lo, hi, scale, d)) {
                Histogram h;
                h.lo = lo;
                h.hi = hi;
                h.counts = std::move(d.counts);
                h.below = d.below;
                h.above = d.above;
                h.total = d.total;
                return h;
            }
        }
    }
    std::vector<double> v = finite_values(t.to_vector());
    Histogram h;
    h.total = static_cast<int64_t>(v.size());
    if (lo < hi) {
        h.lo = lo;
        h.hi = hi;
    } else if (!v.empty()) {
        const auto [mn, mx] = std::minmax_element(v.begin(), v.end());
        h.lo = *mn;
        h.hi = *mx;
        const bool integers = std::all_of(v.begin(), v.end(), is_integer);
        if (integers && h.hi - h.lo + 1.0 <= 200.0) {
            // Discrete data: one bin per integer, centred on it.
            if (bins == 0) bins = static_cast<int>(h.hi - h.lo + 1.0);
            h.lo -= 0.5;
            h.hi += 0.5;
        } else if (h.lo == h.hi) {
            h.lo -= 0.5;
            h.hi += 0.5;
        }
    }
    if (bins == 0) {
        // Freedman-Diaconis: width = 2 IQR / n^(1/3) over the samples in range, clamped to [10, 200] bins.
        std::vector<double> in;
        in.reserve(v.size());
        for (double x : v)
            if (x >= h.lo && x <= h.hi) in.push_back(x);
        bins = 10;
        if (in.size() >= 2) {
            std::sort(in.begin(), in.end());
            const double iqr = sorted_quantile(in, 0.75) - sorted_quantile(in, 0.25);
            const double width = 2.0 * iqr / std::cbrt(static_cast<double>(in.size()));
            const double want = width > 0.0 ? std::ceil((h.hi - h.lo) / width) : 200.0;
            bins = static_cast<int>(std::clamp(want, 10.0, 200.0));
        }
    }
    h.counts.assign(static_cast<size_t>(bins), 0);
    const double scale = static_cast<double>(bins) / (h.hi - h.lo);
    for (double x : v) {
        if (x < h.lo) {
            ++h.below;
        } else if (x > h.hi) {
            ++h.above;
        } else {
            const int64_t i = std::min<int64_t>(bins - 1, static_cast<int64_t>((x - h.lo) * scale));
            ++h.counts[static_cast<size_t>(i)];
        }
    }
    return h;
}

// ---- Kolmogorov-Smirnov -------------------------------------------------------------------------
TestResult ks_test(const std::vector<double>& samples, const Distribution& d) {
    d.validate();
    if (samples.empty()) throw ValueError("ks_test: needs at least one sample, got 0");
    TestResult r;
    r.test = "KS";
    r.n = static_cast<int64_t>(samples.size());
    for (double x : samples)
        if (std::isnan(x)) {
            r.statistic = 1.0;
            r.p_value = 0.0;
            return r;
        }
    std::vector<double> s(samples);
    std::sort(s.begin(), s.end());
    const double n = static_cast<double>(s.size());
    double dmax = 0.0;
    for (size_t i = 0; i < s.size(); ++i) {
        const double f = d.cdf(s[i]);
        dmax = std::max(dmax, std::max(static_cast<double>(i + 1) / n - f, f - static_cast<double>(i) / n));
    }
    r.statistic = dmax;
    const double en = std::sqrt(n);
    r.p_value = std::clamp(kolmogorov_sf((en + 0.12 + 0.11 / en) * dmax), 0.0, 1.0);
    return r;
}

// ---- chi-square ---------------------------------------------------------------------------------
TestResult chi_square_counts(const std::vector<double>& observed, const std::vector<double>& expected) {
    return chi_square_counts(observed, expected, ChiSquareOptions{});
}

TestResult chi_square_counts(const std::vector<double>& observed, const std::vector<double>& expected,
                             const ChiSquareOptions& options) {
    if (observed.size() != expected.size())
        throw ValueError("chi_square_counts: observed has " + std::to_string(observed.size()) + " cells but expected has " +
                         std::to_string(expected.size()));
    if (observed.empty()) throw ValueError("chi_square_counts: needs at least one cell, got 0");
    if (!(options.min_expected > 0.0))
        throw ValueError("chi_square_counts: min_expected must be > 0, got " + fmt(options.min_expected));
    if (options.constraints < 0)
        throw ValueError("chi_square_counts: constraints must be >= 0, got " + std::to_string(options.constraints));
    double total = 0.0;
    for (size_t i = 0; i < observed.size(); ++i) {
        if (!(observed[i] >= 0.0) || !std::isfinite(observed[i]))
            throw ValueError("chi_square_counts: observed[" + std::to_string(i) + "] must be finite and >= 0, got " +
                             fmt(observed[i]));
        if (!(expected[i] >= 0.0) || !std::isfinite(expected[i]))
            throw ValueError("chi_square_counts: expected[" + std::to_string(i) + "] must be finite and >= 0, got " +
                             fmt(expected[i]));
        total += observed[i];
    }
    const int64_t n = static_cast<int64_t>(total);
    // Pool adjacent cells left to right until each group expects >= min_expected; a short last
    // group joins the one before it. An impossible observation (expected 0) fails outright.
    std::vector<std::pair<double, double>> groups;  // (observed, expected)
    double go = 0.0, ge = 0.0;
    for (size_t i = 0; i < observed.size(); ++i) {
        if (expected[i] == 0.0 && observed[i] > 0.0) return rejected("chi-square", n);
        go += observed[i];
        ge += expected[i];
        if (ge >= options.min_expected) {
            groups.emplace_back(go, ge);
            go = ge = 0.0;
        }
    }
    if (ge > 0.0 || go > 0.0) {
        if (groups.empty()) {
            groups.emplace_back(go, ge);
        } else {
            groups.back().first += go;
            groups.back().second += ge;
        }
    }
    if (groups.size() == 1 && groups[0].second == 0.0) throw ValueError("chi_square_counts: every expected count is 0");
    TestResult r;
    r.test = "chi-square";
    r.n = n;
    double x2 = 0.0;
    for (const auto& [o, e] : groups) x2 += (o - e) * (o - e) / e;
    r.statistic = x2;
    r.dof = static_cast<int64_t>(groups.size()) - options.constraints;
    if (r.dof < 1) {  // too few samples for any cell structure: no evidence either way
        r.dof = 0;
        r.p_value = 1.0;
        return r;
    }
    r.p_value = chi_square_sf(x2, static_cast<double>(r.dof));
    return r;
}

TestResult chi_square_test(const std::vector<double>& samples, const Distribution& d) {
    return chi_square_test(samples, d, ChiSquareOptions{});
}

TestResult chi_square_test(const std::vector<double>& samples, const Distribution& d, const ChiSquareOptions& options) {
    d.validate();
    if (!d.is_discrete())
        throw ValueError("chi_square_test: " + d.name() + " is continuous; use ks_test (or chi_square_counts over bins)");
    if (samples.empty()) throw ValueError("chi_square_test: needs at least one sample, got 0");
    const int64_t count = static_cast<int64_t>(samples.size());
    double smin = kInf, smax = -kInf;
    for (double x : samples) {
        if (!is_integer(x)) return rejected("chi-square", count);
        smin = std::min(smin, x);
        smax = std::max(smax, x);
    }
    const double n = static_cast<double>(count);
    int64_t rlo = 0, rhi = 0;
    d.discrete_range(1e-12, rlo, rhi);
    const double lo = std::min(smin, static_cast<double>(rlo));
    const double hi = std::max(smax, static_cast<double>(rhi));
    // Cells: [below lo], then the integers of [lo, hi] (one each, or grouped in buckets), then
    // [above hi]; the two outer cells hold the cut-off mass and are pooled into their neighbours.
    std::vector<double> starts;  // first integer of each inner cell
    const double span = hi - lo + 1.0;
    if (span <= kMaxIntegerCells) {
        for (double k = lo; k <= hi; k += 1.0) starts.push_back(k);
    } else {
        const double buckets = std::clamp(std::floor(n / (2.0 * options.min_expected)), 10.0, kMaxBuckets);
        for (double j = 0.0; j < buckets; j += 1.0) starts.push_back(lo + std::floor(j * (span / buckets)));
        starts.erase(std::unique(starts.begin(), starts.end()), starts.end());
    }
    const size_t cells = starts.size();
    std::vector<double> observed(cells + 2, 0.0), expected(cells + 2, 0.0);
    for (double x : samples) {
        const size_t i = static_cast<size_t>(std::upper_bound(starts.begin(), starts.end(), x) - starts.begin());
        observed[i] += 1.0;  // i >= 1: every sample is >= lo = starts[0]
    }
    std::vector<double> cat;  // categorical masses, normalised once (pdf would re-sum per call)
    if (d.kind == Distribution::Kind::Categorical) {
        double s = 0.0;
        for (double p : d.probs) s += p;
        for (double p : d.probs) cat.push_back(p / s);
    }
    auto mass_of = [&](double k) {
        if (!cat.empty()) return (k >= 0.0 && k < static_cast<double>(cat.size())) ? cat[static_cast<size_t>(k)] : 0.0;
        return d.pdf(k);
    };
    expected[0] = n * d.cdf(lo - 1.0);
    for (size_t c = 0; c < cells; ++c) {
        const double first = starts[c];
        const double last = c + 1 < cells ? starts[c + 1] - 1.0 : hi;
        expected[c + 1] = n * (first == last ? mass_of(first) : std::max(0.0, d.cdf(last) - d.cdf(first - 1.0)));
    }
    expected[cells + 1] = n * d.sf(hi);
    return chi_square_counts(observed, expected, options);
}

TestResult goodness_of_fit(const std::vector<double>& v, const Distribution& d) {
    // One permutation's values are flat by construction: its order is what can be tested.
    if (d.kind == Distribution::Kind::Permutation) return permutation_order_test(v, static_cast<int64_t>(d.a));
    return d.is_discrete() ? chi_square_test(v, d) : ks_test(v, d);
}

TestResult goodness_of_fit(const Tensor& t, const Distribution& d) { return goodness_of_fit(t.to_vector(), d); }

// ---- QQ -----------------------------------------------------------------------------------------
std::vector<std::pair<double, double>> qq_points(const Tensor& t, const Distribution& d, int points) {
    if (points < 1) throw ValueError("qq_points: points must be >= 1, got " + std::to_string(points));
    d.validate();
    std::vector<double> v = finite_values(t.to_vector());
    std::vector<std::pair<double, double>> out;
    if (v.empty()) return out;
    std::sort(v.begin(), v.end());
    const size_t m = std::min(static_cast<size_t>(points), v.size());
    out.reserve(m);
    for (size_t i = 0; i < m; ++i) {
        const double p = (static_cast<double>(i) + 0.5) / static_cast<double>(m);
        out.emplace_back(d.quantile(p), sorted_quantile(v, p));
    }
    return out;
}

}  // namespace nl::stats
