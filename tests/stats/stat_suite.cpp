// The statistical suite's shared machinery (stat_suite.h): the decision counter and its budget
// check at exit, sample extraction, integer buckets and the rounded-dtype reference laws.
#include "tests/stats/stat_suite.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <map>
#include <sstream>
#include <stdexcept>

#include "tensor/dtype.h"

namespace nl::suite {

namespace {

std::atomic<int> g_decisions{0};

std::string describe(const stats::TestResult& r) {
    std::ostringstream os;
    os.precision(6);
    os << r.test << ": statistic " << r.statistic << ", p = " << r.p_value;
    if (r.dof > 0) os << ", dof " << r.dof;
    os << ", n " << r.n << " (threshold " << kAlpha << ")";
    return os.str();
}

// Checks at the end of the run that the suite stayed within its decision budget M.
class BudgetCheck : public ::testing::Environment {
public:
    void TearDown() override {
        std::printf("[stats suite] %d statistical decisions (budget M = %d, each at p < %.3g)\n", g_decisions.load(),
                    kDecisionBudget, kAlpha);
        EXPECT_LE(g_decisions.load(), kDecisionBudget)
            << "more decisions than the Bonferroni budget: raise kDecisionBudget and update docs/STATISTICS.md";
    }
};
[[maybe_unused]] ::testing::Environment* const g_budget_check = ::testing::AddGlobalTestEnvironment(new BudgetCheck);

stats::TestResult failed(const char* test, int64_t n) {
    stats::TestResult r;
    r.test = test;
    r.statistic = std::numeric_limits<double>::infinity();
    r.p_value = 0.0;
    r.n = n;
    return r;
}

}  // namespace

// NL_STATS_VERBOSE=1 prints every decision (to review statistics, p-values and dof).
bool verbose() {
    static const bool v = std::getenv("NL_STATS_VERBOSE") != nullptr;
    return v;
}

void expect_fit(const stats::TestResult& r, const std::string& what) {
    ++g_decisions;
    if (verbose()) std::printf("[fit]    %s: %s\n", what.c_str(), describe(r).c_str());
    EXPECT_GE(r.p_value, kAlpha) << what << " does not fit: " << describe(r);
}

void expect_reject(const stats::TestResult& r, const std::string& what) {
    if (verbose()) std::printf("[reject] %s: %s\n", what.c_str(), describe(r).c_str());
    EXPECT_LT(r.p_value, kAlpha) << "power check: " << what << " was not rejected: " << describe(r);
}

int decisions_made() { return g_decisions.load(); }

// ---- samples --------------------------------------------------------------------------------------
std::vector<double> values(const Tensor& t) {
    // Tensor::to_vector walks any layout element by element; the suite's tensors are big and
    // contiguous, so read them straight.
    const Tensor c = (t.device().is_cpu() ? t : t.cpu()).contiguous();
    std::vector<double> out(static_cast<size_t>(c.numel()));
    dispatch_dtype(c.dtype(), [&](auto tag) {
        using T = decltype(tag);
        const T* p = c.data<T>();
        for (size_t i = 0; i < out.size(); ++i) out[i] = to_double<T>(p[i]);
    });
    return out;
}

std::vector<int64_t> int_values(const Tensor& t) {
    if (t.dtype() == DType::Int64) {
        const Tensor c = (t.device().is_cpu() ? t : t.cpu()).contiguous();
        return std::vector<int64_t>(c.data<int64_t>(), c.data<int64_t>() + c.numel());
    }
    const std::vector<double> v = values(t);
    return std::vector<int64_t>(v.begin(), v.end());
}

stats::TestResult ks(const std::vector<double>& v, const stats::Distribution& d) { return stats::ks_test(v, d); }

stats::TestResult chi2(const std::vector<double>& v, const stats::Distribution& d) {
    return stats::chi_square_test(v, d, {kMinExpected, 1});
}

stats::TestResult chi2_probs(const std::vector<double>& observed, const std::vector<double>& probs, int64_t constraints) {
    double n = 0.0;
    for (double o : observed) n += o;
    std::vector<double> expected(probs.size());
    for (size_t i = 0; i < probs.size(); ++i) expected[i] = n * probs[i];
    return stats::chi_square_counts(observed, expected, {kMinExpected, constraints});
}

stats::TestResult mean_z(const std::vector<double>& v, const stats::Distribution& d) {
    return stats::mean_test(stats::moments(v), d);
}

stats::TestResult serial_correlation(const std::vector<double>& v, size_t lag) {
    const stats::Moments m = stats::moments(v);
    double num = 0.0, den = 0.0;
    for (size_t i = 0; i < v.size(); ++i) {
        const double d = v[i] - m.mean;
        den += d * d;
        if (i + lag < v.size()) num += d * (v[i + lag] - m.mean);
    }
    stats::TestResult r;
    r.test = "serial correlation (lag " + std::to_string(lag) + ")";
    r.n = static_cast<int64_t>(v.size());
    r.statistic = num / den * std::sqrt(static_cast<double>(v.size()));
    r.p_value = std::erfc(std::fabs(r.statistic) / std::sqrt(2.0));
    return r;
}

// ---- integer buckets ---------------------------------------------------------------------------------
stats::TestResult uniform_buckets(const std::vector<int64_t>& v, int64_t low, uint64_t range, int buckets) {
    using u128 = unsigned __int128;
    const u128 R = range == 0 ? (u128(1) << 64) : u128(range);
    const u128 B = static_cast<u128>(buckets);
    std::vector<double> counts(static_cast<size_t>(buckets), 0.0), probs(static_cast<size_t>(buckets));
    for (int64_t x : v) {
        const uint64_t off = static_cast<uint64_t>(x) - static_cast<uint64_t>(low);  // wraps like the op
        if (range != 0 && off >= range) return failed("chi-square (buckets)", static_cast<int64_t>(v.size()));
        counts[static_cast<size_t>(u128(off) * B / R)] += 1.0;
    }
    // Bucket j holds the offsets o with floor(o B / R) = j: ceil((j+1) R / B) - ceil(j R / B) of them.
    auto ceil_div = [&](u128 a) { return (a + B - 1) / B; };
    for (int j = 0; j < buckets; ++j) {
        const u128 size = ceil_div(u128(j + 1) * R) - ceil_div(u128(j) * R);
        probs[static_cast<size_t>(j)] = static_cast<double>(static_cast<long double>(size) / static_cast<long double>(R));
    }
    return chi2_probs(counts, probs);
}

// ---- rounded dtypes --------------------------------------------------------------------------------------
const LowFormat kHalf{"float16", 10, -14, 65504.0};
const LowFormat kBFloat16{"bfloat16", 7, -126, 3.3895313892515355e38};

double round_to(const LowFormat& f, double x) {
    if (!std::isfinite(x) || x == 0.0) return x;
    const int e = std::max(std::ilogb(x), f.min_exp);
    const double quantum = std::ldexp(1.0, e - f.mantissa);
    const double r = std::nearbyint(x / quantum) * quantum;  // default rounding: to nearest, ties to even
    return std::fabs(r) > f.max_finite ? std::copysign(std::numeric_limits<double>::infinity(), x) : r;
}

double next_up(const LowFormat& f, double t) {
    if (std::isinf(t)) return t > 0 ? t : -f.max_finite;
    if (t < 0.0) return -next_down(f, -t);
    if (t == 0.0) return std::ldexp(1.0, f.min_exp - f.mantissa);
    const int e = std::max(std::ilogb(t), f.min_exp);
    const double r = t + std::ldexp(1.0, e - f.mantissa);
    return r > f.max_finite ? std::numeric_limits<double>::infinity() : r;
}

double next_down(const LowFormat& f, double t) {
    if (std::isinf(t)) return t > 0 ? f.max_finite : t;
    if (t <= 0.0) return -next_up(f, -t);
    const int e = std::ilogb(t);
    if (e < f.min_exp) return t - std::ldexp(1.0, f.min_exp - f.mantissa);
    // At a power of two the spacing below is half the spacing above (except at the smallest normal).
    const bool power_of_two = t == std::ldexp(1.0, e);
    return t - std::ldexp(1.0, (power_of_two && e > f.min_exp ? e - 1 : e) - f.mantissa);
}

stats::TestResult rounded_fit(const std::vector<double>& v, const stats::Distribution& d, const LowFormat& f, int cells) {
    // Cell edges: representable values near the quantiles j / cells.
    std::vector<double> edges;
    for (int j = 1; j < cells; ++j) {
        const double t = round_to(f, d.quantile(static_cast<double>(j) / cells));
        if (std::isfinite(t)) edges.push_back(t);
    }
    std::sort(edges.begin(), edges.end());
    edges.erase(std::unique(edges.begin(), edges.end()), edges.end());
    // A real value rounds to t or above exactly when it is above the midpoint between t and the
    // representable value below it (ties, a null set, aside).
    std::vector<double> boundary(edges.size());
    for (size_t i = 0; i < edges.size(); ++i) boundary[i] = 0.5 * (next_down(f, edges[i]) + edges[i]);
    std::vector<double> probs(edges.size() + 1), counts(edges.size() + 1, 0.0);
    probs[0] = d.cdf(boundary[0]);
    for (size_t i = 1; i < edges.size(); ++i) probs[i] = d.cdf(boundary[i]) - d.cdf(boundary[i - 1]);
    probs[edges.size()] = d.sf(boundary.back());
    for (double x : v) {
        if (std::isnan(x) || round_to(f, x) != x) return failed("chi-square (rounded)", static_cast<int64_t>(v.size()));
        counts[static_cast<size_t>(std::upper_bound(edges.begin(), edges.end(), x) - edges.begin())] += 1.0;
    }
    return chi2_probs(counts, probs);
}

stats::TestResult rounded_uniform_fit(const std::vector<double>& v, double a, double b, int grid_bits, const LowFormat& f) {
    const int64_t grid = int64_t(1) << grid_bits;
    std::map<double, double> law;  // value -> probability
    for (int64_t k = 0; k < grid; ++k) {
        const double x = a + (b - a) * std::ldexp(static_cast<double>(k), -grid_bits);
        if (static_cast<double>(static_cast<float>(x)) != x)
            throw std::logic_error("rounded_uniform_fit: a + (b - a) u is not exact in float32 for this (a, b)");
        double y = round_to(f, x);
        if (y >= b) y = next_down(f, round_to(f, b));
        law[y] += 1.0 / static_cast<double>(grid);
    }
    std::vector<double> support, probs;
    for (const auto& [value, p] : law) {
        support.push_back(value);
        probs.push_back(p);
    }
    std::vector<double> counts(support.size(), 0.0);
    for (double x : v) {
        const auto it = std::lower_bound(support.begin(), support.end(), x);
        if (it == support.end() || *it != x) return failed("chi-square (rounded uniform)", static_cast<int64_t>(v.size()));
        counts[static_cast<size_t>(it - support.begin())] += 1.0;
    }
    return chi2_probs(counts, probs);
}

}  // namespace nl::suite
