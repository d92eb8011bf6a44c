// Statistics of samples against their theory: histograms, moments, Kolmogorov-Smirnov and
// chi-square tests with p-values, QQ points, and the theoretical density / mass / CDF and moments
// of every distribution Noise Lab samples. Used by the tests, the command line (--stats, --hist)
// and the GUI's histogram view.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "tensor/tensor.h"

namespace nl::stats {

// A distribution with its parameters, named as on the command line (--dist).
struct Distribution {
    enum class Kind {
        Uniform,      // a = low, b = high          (continuous)
        Normal,       // a = mean, b = std
        LogNormal,    // a = mean, b = std of the underlying normal
        Exponential,  // a = lambda
        Cauchy,       // a = median, b = sigma
        RandInt,      // a = low, b = high (exclusive)  (discrete)
        Bernoulli,    // a = p
        Geometric,    // a = p (support 1, 2, ...)
        Poisson,      // a = lambda
        Categorical,  // probs (normalised): multinomial / categorical draws of indices
        Permutation,  // randperm(n): a = n; each value uniform over positions
    };
    Kind kind = Kind::Normal;
    double a = 0.0, b = 1.0;
    std::vector<double> probs;  // Categorical only

    // Throws ValueError naming the bad parameter and its valid range (e.g. std <= 0, p outside
    // [0, 1], low >= high). Every method below calls it.
    void validate() const;
    bool is_discrete() const;
    std::string name() const;  // "normal(mean=0, std=1)"
    double pdf(double x) const;   // continuous: density; discrete: mass at integer x
    double cdf(double x) const;   // P(X <= x)
    double sf(double x) const;    // P(X > x), accurate in the upper tail (not 1 - cdf)
    double mean() const;          // NaN where undefined (Cauchy)
    double variance() const;      // NaN / inf where undefined
    double skewness() const;
    double excess_kurtosis() const;
    // Inverse CDF for QQ plots (continuous; discrete returns the smallest k with cdf(k) >= p).
    // p = 0 and p = 1 give the ends of the support (possibly infinite).
    double quantile(double p) const;
    // Support of the discrete distribution that holds all but `tail` of the mass: [lo, hi], with
    // at most tail/2 below lo and at most tail/2 above hi. tail = 0 gives the whole support when
    // it is bounded; unbounded supports (Geometric, Poisson) are cut where the rest is < 1e-300.
    void discrete_range(double tail, int64_t& lo, int64_t& hi) const;
};

// Moments of the finite samples: variance/std are the unbiased (n - 1) estimates as torch.var;
// skewness and excess kurtosis are the moment ratios m3/m2^1.5 and m4/m2^2 - 3 (NaN when m2 = 0).
struct Moments {
    int64_t n = 0;
    double mean = 0, std = 0, variance = 0, skewness = 0, excess_kurtosis = 0, min = 0, max = 0;
    int64_t nan_count = 0, inf_count = 0;  // excluded from the moments
};
Moments moments(const Tensor& t);             // any dtype and device
Moments moments(const std::vector<double>& v);

struct Histogram {
    double lo = 0, hi = 1;          // range covered by the bins
    std::vector<int64_t> counts;    // equal-width bins over [lo, hi]
    int64_t below = 0, above = 0;   // samples outside [lo, hi]
    int64_t total = 0;              // all finite samples
    double bin_width() const { return (hi - lo) / static_cast<double>(counts.size()); }
    // Density value of bin i (count / (total * width)), comparable to Distribution::pdf.
    double density(size_t i) const;
};
// bins == 0 picks the Freedman-Diaconis rule (clamped to [10, 200]); at most 2^24 bins may be asked
// for. lo >= hi picks the range from the data (discrete data: one bin per integer when that is at
// most 200 bins). NaN and +-inf are left out.
Histogram histogram(const Tensor& t, int bins = 0, double lo = 0.0, double hi = 0.0);

struct TestResult {
    std::string test;        // "KS" or "chi-square"
    double statistic = 0;    // D or X^2
    double p_value = 0;
    int64_t dof = 0;         // chi-square degrees of freedom
    int64_t n = 0;
};
// One-sample Kolmogorov-Smirnov test of continuous samples against d (asymptotic p-value with
// the Stephens correction; exact enough for n >= 35). NaN samples make the test fail (D = 1,
// p = 0). On data with ties (rounded dtypes, discrete d) the p-value is conservative.
TestResult ks_test(const std::vector<double>& samples, const Distribution& d);
// Chi-square goodness of fit of integer samples against d, pooling tail cells so that every
// expected count is >= 5. Samples that d cannot produce (non-integers, outside a bounded support,
// NaN) give X^2 = inf, p = 0. Supports wider than 2^20 integers are cut into equal-width buckets.
// Permutation tests positions: samples are the positions of one value, uniform over 0..n-1.
TestResult chi_square_test(const std::vector<double>& samples, const Distribution& d);
// Chi-square of observed counts against expected counts (same length, pooled as above).
TestResult chi_square_counts(const std::vector<double>& observed, const std::vector<double>& expected);

// Pooling and degrees of freedom of the chi-square tests. Pearson's X^2 only follows chi-square
// far into its tail when every cell's expected count is large: at p ~ 1e-9 a cell with
// expected 5 alone raises the false-alarm rate tenfold, so very strict tests pool to >= 50.
struct ChiSquareOptions {
    double min_expected = 5.0;  // adjacent cells are pooled (left to right) until each reaches it
    int64_t constraints = 1;    // dof = pooled cells - constraints (1: the total is fixed)
};
TestResult chi_square_test(const std::vector<double>& samples, const Distribution& d,
                           const ChiSquareOptions& options);
TestResult chi_square_counts(const std::vector<double>& observed, const std::vector<double>& expected,
                             const ChiSquareOptions& options);
// z-test of the sample mean against d's mean with d's (known) variance: statistic z, two-sided
// p = P(|Z| > |z|). Throws ValueError where d has no finite mean or variance (Cauchy).
TestResult mean_test(const Moments& m, const Distribution& d);
// Picks KS or chi-square by d.is_discrete(); for Permutation (the values of one randperm(n), or
// its first values) the order test below.
TestResult goodness_of_fit(const std::vector<double>& values, const Distribution& d);
TestResult goodness_of_fit(const Tensor& t, const Distribution& d);

// Whether the order of a permutation is random. A single randperm(n) holds every value once, so
// its histogram is flat by construction and tests nothing; its randomness is in the order. The
// positions of `values` (randperm(n) or its first values) and their values are cut into k equal
// bands each, and Pearson's chi-square tests the k x k table of counts for independence, with
// (k - 1)^2 degrees of freedom: a random order spreads every value band evenly over the position
// bands; the identity, a reversal or a half-done shuffle piles them near a diagonal or a corner.
// k = min(10, floor(sqrt(m / 5))) keeps the expected counts near 5 or more (m values). Values that
// are not distinct integers in [0, n) give X^2 = inf, p = 0; fewer than 20 values, ValueError.
TestResult permutation_order_test(const std::vector<double>& values, int64_t n);

// Points (theoretical quantile, sample quantile) for a QQ plot, at most `points` of them.
std::vector<std::pair<double, double>> qq_points(const Tensor& t, const Distribution& d, int points = 200);

// Special functions (double precision; libm is fine here, nothing random depends on them).
double normal_cdf(double x);
double normal_quantile(double p);             // inverse of normal_cdf, full double precision
double chi_square_sf(double x, double dof);   // P(X > x), relative accuracy ~1e-12 in far tails
double kolmogorov_sf(double x);               // P(K > x), K the Kolmogorov distribution
// Regularized incomplete gamma functions P(a, x) and Q(a, x) = 1 - P(a, x), each computed
// directly (not as 1 - the other) so that small values keep their relative accuracy.
double gamma_p(double a, double x);
double gamma_q(double a, double x);
// e^-lambda lambda^k / k!, relative accuracy ~1e-13 even for lambda ~ 1e4 (0 off the support).
double poisson_pmf(double k, double lambda);

}  // namespace nl::stats
