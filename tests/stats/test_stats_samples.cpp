// The sample side of tensor/stats.h on small data whose answers are known by hand: moments (with
// NaN/inf excluded, any dtype), histograms (Freedman-Diaconis, discrete bins, ranges), the KS
// statistic of a 3-point sample, chi-square pooling and degrees of freedom, mean z-test, QQ points.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "dist_shorthand.h"
#include "tensor/errors.h"
#include "tensor/stats.h"
#include "tensor/tensor.h"

namespace {

using namespace nl::stats;
using Kind = Distribution::Kind;

using nl::stats_test::dist;

TEST(StatsSamples, MomentsExcludeNaNAndInf) {
    const Moments m = moments(std::vector<double>{1, 2, NAN, 3, INFINITY, 4, -INFINITY});
    EXPECT_EQ(m.n, 4);
    EXPECT_EQ(m.nan_count, 1);
    EXPECT_EQ(m.inf_count, 2);
    EXPECT_DOUBLE_EQ(m.mean, 2.5);
    EXPECT_DOUBLE_EQ(m.variance, 5.0 / 3.0);  // unbiased, as torch.var
    EXPECT_DOUBLE_EQ(m.std, std::sqrt(5.0 / 3.0));
    EXPECT_NEAR(m.skewness, 0.0, 1e-15);
    EXPECT_NEAR(m.excess_kurtosis, (2 * 2.25 * 2.25 + 2 * 0.25 * 0.25) / 4 / (1.25 * 1.25) - 3, 1e-14);
    EXPECT_EQ(m.min, 1);
    EXPECT_EQ(m.max, 4);
    // Skewed data {0, 0, 0, 1}: central moments c2 = 3/16 and c3 by hand.
    const Moments s = moments(std::vector<double>{0, 0, 0, 1});
    const double c2 = 3.0 / 16, c3 = (3 * std::pow(-0.25, 3) + std::pow(0.75, 3)) / 4;
    EXPECT_NEAR(s.skewness, c3 / std::pow(c2, 1.5), 1e-14);
    EXPECT_TRUE(std::isnan(moments(std::vector<double>{5, 5}).skewness));
    EXPECT_TRUE(std::isnan(moments(std::vector<double>{NAN}).mean));
}

TEST(StatsSamples, MomentsOfAnyDtype) {
    for (nl::DType d : {nl::DType::Float16, nl::DType::BFloat16, nl::DType::Int32, nl::DType::UInt8, nl::DType::Float64}) {
        const Moments m = moments(nl::from_vector({1, 2, 3, 6}, {2, 2}, {d}));
        EXPECT_EQ(m.n, 4) << nl::dtype_name(d);
        EXPECT_DOUBLE_EQ(m.mean, 3.0) << nl::dtype_name(d);
    }
    const Moments b = moments(nl::from_vector({1, 0, 1, 1}, {4}, {nl::DType::Bool}));
    EXPECT_DOUBLE_EQ(b.mean, 0.75);
    // A strided view counts only its own elements.
    nl::Tensor t = nl::from_vector({1, 100, 2, 100, 3, 100}, {3, 2}, {nl::DType::Float32});
    EXPECT_DOUBLE_EQ(moments(t.select(1, 0)).mean, 2.0);
}

TEST(StatsSamples, HistogramDiscreteDataGetsOneBinPerInteger) {
    const Histogram h = histogram(nl::from_vector({-2, 0, 0, 1, 3, 3, 3}, {7}, {nl::DType::Int64}));
    ASSERT_EQ(h.counts.size(), 6u);  // -2..3
    EXPECT_DOUBLE_EQ(h.lo, -2.5);
    EXPECT_DOUBLE_EQ(h.hi, 3.5);
    EXPECT_EQ(h.counts, (std::vector<int64_t>{1, 0, 2, 1, 0, 3}));
    EXPECT_EQ(h.total, 7);
    EXPECT_DOUBLE_EQ(h.density(5), 3.0 / 7.0);
}

TEST(StatsSamples, HistogramFreedmanDiaconisAndClamping) {
    // 1000 evenly spread points on [0, 1): IQR = 0.5, width = 2 * 0.5 / 10 = 0.1 -> 10 bins.
    std::vector<double> v;
    for (int i = 0; i < 1000; ++i) v.push_back((i + 0.5) / 1000.0);
    const Histogram h = histogram(nl::from_vector(v, {1000}, {nl::DType::Float64}));
    EXPECT_EQ(h.counts.size(), 10u);
    for (int64_t c : h.counts) EXPECT_EQ(c, 100);
    // 8000 points: width = 1 / 20 -> 20 bins (the rule, not a clamp).
    v.clear();
    for (int i = 0; i < 8000; ++i) v.push_back((i + 0.5) / 8000.0);
    EXPECT_EQ(histogram(nl::from_vector(v, {8000}, {nl::DType::Float64})).counts.size(), 20u);
    // One far outlier stretches the range: the rule asks for > 200 bins and is clamped.
    v.push_back(1e6);
    EXPECT_EQ(histogram(nl::from_vector(v, {8001}, {nl::DType::Float64})).counts.size(), 200u);
    // Two points: fewer than 10 bins asked -> 10.
    EXPECT_EQ(histogram(nl::from_vector({0.0, 1000.5}, {2}, {nl::DType::Float64})).counts.size(), 10u);
}

TEST(StatsSamples, HistogramWithRangeCountsOutsiders) {
    const Histogram h = histogram(nl::from_vector({-1, 0, 0.5, 0.99, 1.0, 2, NAN}, {7}, {nl::DType::Float32}), 2, 0.0, 1.0);
    EXPECT_EQ(h.counts, (std::vector<int64_t>{1, 3}));  // 1.0 belongs to the last bin (closed range)
    EXPECT_EQ(h.below, 1);
    EXPECT_EQ(h.above, 1);
    EXPECT_EQ(h.total, 6);
    EXPECT_DOUBLE_EQ(h.bin_width(), 0.5);
    EXPECT_THROW(histogram(nl::from_vector({1}, {1}), -1), nl::ValueError);
    EXPECT_THROW(histogram(nl::from_vector({1}, {1}), 1 << 30), nl::ValueError);
    EXPECT_THROW(h.density(2), nl::ValueError);
}

TEST(StatsSamples, KolmogorovSmirnovOfATinySampleByHand) {
    // {0.1, 0.4, 0.7} vs U(0,1): D+ = max(1/3-0.1, 2/3-0.4, 1-0.7) = 0.3, D- = max(0.1, 0.4-1/3, 0.7-2/3) = 0.1.
    const TestResult r = ks_test({0.7, 0.1, 0.4}, dist(Kind::Uniform, 0, 1));
    EXPECT_EQ(r.test, "KS");
    EXPECT_NEAR(r.statistic, 0.3, 1e-15);
    EXPECT_EQ(r.n, 3);
    // p = K_sf((sqrt 3 + 0.12 + 0.11 / sqrt 3) * 0.3), mpmath: 0.89594472765883001222.
    EXPECT_NEAR(r.p_value, 0.89594472765883001222, 1e-12);
    EXPECT_EQ(ks_test({0.5, NAN}, dist(Kind::Uniform, 0, 1)).p_value, 0.0);
    EXPECT_THROW(ks_test({}, dist(Kind::Uniform, 0, 1)), nl::ValueError);
}

TEST(StatsSamples, ChiSquareCountsAndPooling) {
    // (10-20)^2/20 + 0 + (30-20)^2/20 = 10 on 2 dof: p = exp(-5).
    TestResult r = chi_square_counts({10, 20, 30}, {20, 20, 20});
    EXPECT_DOUBLE_EQ(r.statistic, 10.0);
    EXPECT_EQ(r.dof, 2);
    EXPECT_NEAR(r.p_value, std::exp(-5.0), 1e-15);
    EXPECT_EQ(r.n, 60);
    // Pooling to >= 5: {1,1,1,1,1} -> one group of 5, then 10, then {20}, tail {2, 1} joins the 20.
    r = chi_square_counts({0, 2, 1, 1, 1, 10, 20, 3, 0}, {1, 1, 1, 1, 1, 10, 20, 2, 1});
    EXPECT_EQ(r.dof, 2);
    EXPECT_NEAR(r.statistic, 0.0, 1e-15);  // (5-5)^2/5 + 0 + (23-23)^2/23
    // A stricter minimum pools more; constraints lower the dof.
    r = chi_square_counts({0, 2, 1, 1, 1, 10, 20, 3, 0}, {1, 1, 1, 1, 1, 10, 20, 2, 1}, {15.0, 1});
    EXPECT_EQ(r.dof, 1);
    r = chi_square_counts({30, 10, 20, 20}, {20, 20, 20, 20}, {5.0, 2});
    EXPECT_EQ(r.dof, 2);
    EXPECT_DOUBLE_EQ(r.statistic, 10.0);
    // An observation where none is possible fails outright.
    EXPECT_EQ(chi_square_counts({1, 9}, {0, 10}).p_value, 0.0);
    // Too few samples for two cells: no evidence either way.
    r = chi_square_counts({1, 2}, {1.5, 1.5});
    EXPECT_EQ(r.dof, 0);
    EXPECT_EQ(r.p_value, 1.0);
    EXPECT_THROW(chi_square_counts({1}, {1, 2}), nl::ValueError);
    EXPECT_THROW(chi_square_counts({-1, 2}, {1, 2}), nl::ValueError);
}

TEST(StatsSamples, ChiSquareTestOfSamples) {
    // 600 samples exactly at the expected frequencies of randint(0, 6): X^2 = 0.
    std::vector<double> v;
    for (int i = 0; i < 600; ++i) v.push_back(i % 6);
    TestResult r = chi_square_test(v, dist(Kind::RandInt, 0, 6));
    EXPECT_EQ(r.test, "chi-square");
    EXPECT_NEAR(r.statistic, 0.0, 1e-9);
    EXPECT_EQ(r.dof, 5);
    EXPECT_GT(r.p_value, 0.999);
    // All 600 samples in one cell: each empty cell adds (0-100)^2/100, the full one (600-100)^2/100.
    r = chi_square_test(std::vector<double>(600, 2.0), dist(Kind::RandInt, 0, 6));
    EXPECT_DOUBLE_EQ(r.statistic, 5 * 100.0 + 500.0 * 500.0 / 100.0);
    EXPECT_LT(r.p_value, 1e-100);
    // Impossible samples: a non-integer, a value outside the support, NaN.
    EXPECT_EQ(chi_square_test({0, 1, 2.5}, dist(Kind::RandInt, 0, 6)).p_value, 0.0);
    EXPECT_EQ(chi_square_test({0, 1, 6}, dist(Kind::RandInt, 0, 6)).p_value, 0.0);
    EXPECT_EQ(chi_square_test({0, 1, NAN}, dist(Kind::RandInt, 0, 6)).p_value, 0.0);
    EXPECT_EQ(chi_square_test({0, 1, 0}, dist(Kind::Geometric, 0.5)).p_value, 0.0);
    EXPECT_THROW(chi_square_test({0.5}, dist(Kind::Normal, 0, 1)), nl::ValueError);
    // A support wider than 2^20 integers is bucketed: equally spread samples fit.
    v.clear();
    for (int i = 0; i < 100000; ++i) v.push_back(std::floor((i + 0.5) * (1e12 / 100000)));
    r = chi_square_test(v, dist(Kind::RandInt, 0, 1e12));
    EXPECT_GT(r.dof, 100);
    EXPECT_GT(r.p_value, 0.999);
}

TEST(StatsSamples, MeanTest) {
    Moments m;
    m.n = 10000;
    m.mean = 0.03;
    const TestResult r = mean_test(m, dist(Kind::Normal, 0, 1));
    EXPECT_NEAR(r.statistic, 3.0, 1e-12);
    EXPECT_NEAR(r.p_value, 2 * normal_cdf(-3.0), 1e-15);
    EXPECT_THROW(mean_test(m, dist(Kind::Cauchy, 0, 1)), nl::ValueError);
}

TEST(StatsSamples, QQPointsAndGoodnessOfFitDispatch) {
    std::vector<double> v;
    for (int i = 0; i < 100; ++i) v.push_back((i + 0.5) / 100.0);
    const auto qq = qq_points(nl::from_vector(v, {100}, {nl::DType::Float64}), dist(Kind::Uniform, 0, 1), 10);
    ASSERT_EQ(qq.size(), 10u);
    for (const auto& [theory, sample] : qq) EXPECT_NEAR(theory, sample, 1e-12);
    EXPECT_NEAR(qq[0].first, 0.05, 1e-15);
    EXPECT_EQ(qq_points(nl::from_vector({1, 2, 3}, {3}), dist(Kind::Normal, 0, 1), 200).size(), 3u);
    EXPECT_THROW(qq_points(nl::from_vector({1}, {1}), dist(Kind::Normal, 0, 1), 0), nl::ValueError);
    EXPECT_EQ(goodness_of_fit(nl::from_vector(v, {100}, {nl::DType::Float64}), dist(Kind::Uniform, 0, 1)).test, "KS");
    EXPECT_EQ(goodness_of_fit(nl::from_vector({0, 1, 1, 0}, {4}, {nl::DType::Int64}), dist(Kind::Bernoulli, 0.5)).test,
              "chi-square");
}

TEST(StatsSamples, PermutationOrderTestSeesTheOrderNotTheValues) {
    // Every arrangement below holds each of 0..999 once, so a histogram of the values cannot tell
    // them apart; the order test can.
    std::vector<double> identity(1000), reversed(1000), halves(1000);
    for (int i = 0; i < 1000; ++i) {
        identity[i] = i;
        reversed[i] = 999 - i;
        halves[i] = i < 500 ? 500 + i : i - 500;  // the two halves swapped: still banded
    }
    for (const auto* v : {&identity, &reversed, &halves}) {
        const TestResult r = permutation_order_test(*v, 1000);
        EXPECT_EQ(r.test, "order");
        EXPECT_EQ(r.dof, 81);  // k = 10 bands
        EXPECT_EQ(r.n, 1000);
        EXPECT_LT(r.p_value, 1e-100);
    }
    // A table of exactly the expected counts: X^2 = 0. Position band i holds values 0..999 spread
    // over every value band: position p holds (p % 10) * 100 + p / 10.
    std::vector<double> spread(1000);
    for (int p = 0; p < 1000; ++p) spread[p] = (p % 10) * 100 + p / 10;
    const TestResult even = permutation_order_test(spread, 1000);
    EXPECT_EQ(even.statistic, 0.0);
    EXPECT_EQ(even.p_value, 1.0);
    // 20 values: k = 2 (one degree of freedom); 19 cannot be tested.
    std::vector<double> small(identity.begin(), identity.begin() + 20);
    EXPECT_EQ(permutation_order_test(small, 20).dof, 1);
    EXPECT_THROW(permutation_order_test(std::vector<double>(identity.begin(), identity.begin() + 19), 19), nl::ValueError);
    EXPECT_THROW(permutation_order_test(small, 10), nl::ValueError);  // n below the count
    // Not a permutation: a repeat, a value out of [0, n), a fraction.
    for (double bad : {5.0, 1000.0, -1.0, 2.5, std::nan("")}) {
        std::vector<double> v = spread;
        v[7] = bad;
        const TestResult r = permutation_order_test(v, 1000);
        EXPECT_TRUE(std::isinf(r.statistic)) << bad;
        EXPECT_EQ(r.p_value, 0.0) << bad;
    }
}

}  // namespace
