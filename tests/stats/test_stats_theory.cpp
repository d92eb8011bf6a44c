// stats::Distribution against itself and known values: the mass sums to 1, cdf/sf/pdf agree
// (sums for discrete kinds, numerical integration for continuous ones), the moment formulas match
// the moments of the mass / density, quantile inverts cdf, and bad parameters are ValueErrors.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include "dist_shorthand.h"
#include "tensor/errors.h"
#include "tensor/stats.h"

namespace {

using namespace nl::stats;
using Kind = Distribution::Kind;

using nl::stats_test::dist;

void expect_close(double got, double want, double tol, const std::string& what) {
    if (std::isnan(want)) {
        EXPECT_TRUE(std::isnan(got)) << what << ": got " << got << ", want NaN";
        return;
    }
    EXPECT_LE(std::fabs(got - want), tol * std::max(1.0, std::fabs(want))) << what << ": got " << got << ", want " << want;
}

// ---- discrete kinds: sums over the support ----------------------------------------------------
void check_discrete(const Distribution& d) {
    SCOPED_TRACE(d.name());
    int64_t lo = 0, hi = 0;
    d.discrete_range(1e-15, lo, hi);
    ASSERT_LE(lo, hi);
    double mass = d.cdf(static_cast<double>(lo) - 1.0), m1 = 0, m2 = 0, m3 = 0, m4 = 0;
    EXPECT_LE(mass, 1e-15);
    for (int64_t k = lo; k <= hi; ++k) {
        const double x = static_cast<double>(k), p = d.pdf(x);
        mass += p;
        m1 += x * p;
        expect_close(d.cdf(x), mass, 1e-12, "cdf(" + std::to_string(k) + ")");
        expect_close(d.sf(x), std::max(0.0, 1.0 - mass), 1e-12, "sf(" + std::to_string(k) + ")");
        EXPECT_EQ(d.pdf(x + 0.5), 0.0);  // mass only on integers
    }
    expect_close(mass, 1.0, 1e-12, "total mass");
    for (int64_t k = lo; k <= hi; ++k) {
        const double x = static_cast<double>(k), p = d.pdf(x), c = x - m1;
        m2 += c * c * p;
        m3 += c * c * c * p;
        m4 += c * c * c * c * p;
    }
    expect_close(d.mean(), m1, 1e-10, "mean");
    expect_close(d.variance(), m2, 1e-10, "variance");
    if (m2 > 0) {
        expect_close(d.skewness(), m3 / std::pow(m2, 1.5), 1e-8, "skewness");
        expect_close(d.excess_kurtosis(), m4 / (m2 * m2) - 3.0, 1e-8, "excess kurtosis");
    }
    for (double p : {1e-9, 0.01, 0.3, 0.5, 0.77, 0.999, 1.0 - 1e-9}) {
        const double q = d.quantile(p);
        EXPECT_GE(d.cdf(q), p * (1 - 1e-14)) << "quantile(" << p << ") = " << q;
        EXPECT_LT(d.cdf(q - 1.0), p) << "quantile(" << p << ") = " << q << " is not the smallest";
    }
}

TEST(StatsTheory, DiscreteKindsAreConsistent) {
    check_discrete(dist(Kind::RandInt, -5, 7));
    check_discrete(dist(Kind::RandInt, 0, 1));
    check_discrete(dist(Kind::Permutation, 9));
    check_discrete(dist(Kind::Bernoulli, 0.2));
    check_discrete(dist(Kind::Bernoulli, 1e-6));
    check_discrete(dist(Kind::Geometric, 0.3));
    check_discrete(dist(Kind::Geometric, 0.01));
    check_discrete(dist(Kind::Poisson, 0.5));
    check_discrete(dist(Kind::Poisson, 9.9));
    check_discrete(dist(Kind::Poisson, 50));
    check_discrete(dist(Kind::Poisson, 1e4));
    check_discrete(dist(Kind::Categorical, 0, 0, {1, 0, 2, 3.5, 0.25}));
}

TEST(StatsTheory, DiscreteKnownValues) {
    expect_close(dist(Kind::Poisson, 50).cdf(40), 0.086070000117960956957, 1e-12, "poisson(50) cdf(40)");
    expect_close(dist(Kind::Poisson, 1e4).sf(10400) / 3.4405656916171295606e-5, 1.0, 1e-9, "poisson(1e4) sf(10400)");
    expect_close(dist(Kind::Geometric, 0.25).pdf(3), 0.75 * 0.75 * 0.25, 1e-15, "geometric pmf");
    expect_close(dist(Kind::Geometric, 1.0).pdf(1), 1.0, 0, "geometric(1) pmf(1)");
    expect_close(dist(Kind::RandInt, 0, 3).pdf(2), 1.0 / 3, 1e-15, "randint pmf");
    EXPECT_EQ(dist(Kind::RandInt, 0, 3).pdf(3), 0.0);
    EXPECT_EQ(dist(Kind::Poisson, 0).pdf(0), 1.0);
    EXPECT_EQ(dist(Kind::Poisson, 0).cdf(0), 1.0);
    // Huge integer ranges keep their mean and variance.
    const Distribution wide = dist(Kind::RandInt, -4611686018427387904.0, 4611686018427387904.0);
    expect_close(wide.mean(), -0.5, 1e-9, "wide randint mean");
    expect_close(wide.variance() / (std::ldexp(1.0, 126) / 12), 1.0, 1e-12, "wide randint variance");
}

TEST(StatsTheory, DiscreteRangeHoldsAllButTheTail) {
    int64_t lo, hi;
    const Distribution p = dist(Kind::Poisson, 50);
    p.discrete_range(1e-6, lo, hi);
    EXPECT_LE(p.cdf(static_cast<double>(lo) - 1), 0.5e-6);
    EXPECT_GT(p.cdf(static_cast<double>(lo)), 0.5e-6);
    EXPECT_LE(p.sf(static_cast<double>(hi)), 0.5e-6);
    EXPECT_GT(p.sf(static_cast<double>(hi) - 1), 0.5e-6);
    dist(Kind::RandInt, -5, 7).discrete_range(0.0, lo, hi);
    EXPECT_EQ(lo, -5);
    EXPECT_EQ(hi, 6);
    dist(Kind::Bernoulli, 1e-6).discrete_range(1e-9, lo, hi);
    EXPECT_EQ(lo, 0);
    EXPECT_EQ(hi, 1);
    dist(Kind::Geometric, 0.5).discrete_range(0.0, lo, hi);
    EXPECT_EQ(lo, 1);
    EXPECT_GE(hi, 990);  // 2^-hi < 1e-300
    EXPECT_THROW(dist(Kind::Normal, 0, 1).discrete_range(0.1, lo, hi), nl::ValueError);
}

// ---- continuous kinds: integrate the density ---------------------------------------------------
// Simpson's rule over [a, b] with n (even) panels.
double integrate(const std::function<double(double)>& f, double a, double b, int n = 20000) {
    const double h = (b - a) / n;
    double s = f(a) + f(b);
    for (int i = 1; i < n; ++i) s += f(a + i * h) * (i % 2 ? 4.0 : 2.0);
    return s * h / 3.0;
}

void check_continuous(const Distribution& d, double lo, double hi) {
    SCOPED_TRACE(d.name());
    // Density integrates to the CDF difference.
    expect_close(integrate([&](double x) { return d.pdf(x); }, lo, hi), d.cdf(hi) - d.cdf(lo), 1e-9, "integral of pdf");
    expect_close(d.cdf(hi) + d.sf(hi), 1.0, 1e-15, "cdf + sf");
    if (std::isfinite(d.mean())) {
        // Moments by integration over a range holding all but ~1e-13 of the mass.
        const double m = integrate([&](double x) { return x * d.pdf(x); }, lo, hi, 200000);
        const double v = integrate([&](double x) { return (x - m) * (x - m) * d.pdf(x); }, lo, hi, 200000);
        const double s3 = integrate([&](double x) { return std::pow(x - m, 3) * d.pdf(x); }, lo, hi, 200000);
        const double s4 = integrate([&](double x) { return std::pow(x - m, 4) * d.pdf(x); }, lo, hi, 200000);
        expect_close(d.mean(), m, 1e-7, "mean");
        expect_close(d.variance(), v, 1e-7, "variance");
        expect_close(d.skewness(), s3 / std::pow(v, 1.5), 1e-5, "skewness");
        expect_close(d.excess_kurtosis(), s4 / (v * v) - 3.0, 1e-4, "excess kurtosis");
    }
    for (double p : {1e-12, 1e-4, 0.1, 0.5, 0.9, 0.9999}) {
        const double q = d.quantile(p);
        EXPECT_LE(std::fabs(d.cdf(q) - p), 1e-10 * std::min(p, 1.0 - p) + 1e-16) << "cdf(quantile(" << p << ")) = " << d.cdf(q);
    }
}

TEST(StatsTheory, ContinuousKindsAreConsistent) {
    check_continuous(dist(Kind::Uniform, -3, 5), -3, 5 - 1e-12);  // pdf(5) = 0: [a, b)
    check_continuous(dist(Kind::Normal, 2, 3), 2 - 3 * 8.5, 2 + 3 * 8.5);
    check_continuous(dist(Kind::LogNormal, 0.3, 0.25), 1e-9, std::exp(0.3 + 0.25 * 8.5));
    check_continuous(dist(Kind::Exponential, 1.5), 0, 30 / 1.5);
    check_continuous(dist(Kind::Cauchy, 0.5, 2), -40, 40);
}

TEST(StatsTheory, ContinuousKnownValues) {
    const Distribution n01 = dist(Kind::Normal, 0, 1);
    expect_close(n01.cdf(1.96), 0.97500210485177956379, 1e-15, "normal cdf");
    expect_close(n01.sf(8.0) / 6.2209605742717841235e-16, 1.0, 1e-13, "normal sf in the tail");
    expect_close(n01.quantile(0.975), 1.959963984540054, 1e-14, "normal quantile");
    const Distribution c = dist(Kind::Cauchy, 0, 1);
    expect_close(c.cdf(1.0), 0.75, 1e-15, "cauchy cdf(1)");
    expect_close(c.cdf(-1e10) * 1e10 * M_PI, 1.0, 1e-9, "cauchy far lower tail");
    expect_close(c.quantile(0.75), 1.0, 1e-14, "cauchy quantile");
    EXPECT_TRUE(std::isnan(c.mean()));
    EXPECT_TRUE(std::isnan(c.variance()));
    const Distribution ln = dist(Kind::LogNormal, 1, 2);
    expect_close(ln.mean(), std::exp(3.0), 1e-15, "lognormal mean");
    expect_close(ln.excess_kurtosis(), std::exp(16.0) + 2 * std::exp(12.0) + 3 * std::exp(8.0) - 6, 1e-12,
                 "lognormal kurtosis");
    EXPECT_EQ(dist(Kind::Exponential, 2).cdf(-1), 0.0);
    expect_close(dist(Kind::Exponential, 2).quantile(0.5), std::log(2.0) / 2, 1e-15, "exponential median");
    EXPECT_EQ(dist(Kind::Uniform, 0, 1).pdf(1.0), 0.0);  // [a, b): b itself has no density
    EXPECT_FALSE(dist(Kind::Uniform, 0, 1).is_discrete());
    EXPECT_TRUE(dist(Kind::Permutation, 5).is_discrete());
}

TEST(StatsTheory, Names) {
    EXPECT_EQ(dist(Kind::Normal, 0, 1).name(), "normal(mean=0, std=1)");
    EXPECT_EQ(dist(Kind::RandInt, -5, 7).name(), "randint(low=-5, high=7)");
    EXPECT_EQ(dist(Kind::Poisson, 9.9).name(), "poisson(lambda=9.9)");
    EXPECT_EQ(dist(Kind::Categorical, 0, 0, {1, 2}).name(), "categorical(categories=2)");
}

TEST(StatsTheory, BadParametersAreValueErrorsNamingTheValue) {
    auto message = [](const Distribution& d) {
        try {
            d.validate();
        } catch (const nl::ValueError& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    EXPECT_NE(message(dist(Kind::Normal, 0, -1)).find("std=-1"), std::string::npos) << message(dist(Kind::Normal, 0, -1));
    EXPECT_NE(message(dist(Kind::Bernoulli, 1.5)).find("[0, 1]"), std::string::npos);
    EXPECT_NE(message(dist(Kind::RandInt, 3, 3)).find("low < high"), std::string::npos);
    EXPECT_NE(message(dist(Kind::Poisson, -2)).find("-2"), std::string::npos);
    EXPECT_NE(message(dist(Kind::Categorical, 0, 0, {1, -1})).find("probs[1]"), std::string::npos);
    EXPECT_NE(message(dist(Kind::Geometric, 0)).find("(0, 1]"), std::string::npos);
    EXPECT_THROW(dist(Kind::Uniform, 1, 0).cdf(0.5), nl::ValueError);
    EXPECT_THROW(dist(Kind::Normal, 0, 1).quantile(-0.1), nl::ValueError);
    EXPECT_EQ(message(dist(Kind::Permutation, 4)), "no error");
}

}  // namespace
