// Statistical suite, Bernoulli, geometric and Poisson ops: chi-square against the exact mass
// function (cells pooled to >= 50 expected), mean z-tests, per-probability classes for tensor
// parameters (with the parameter as the dtype stores it), and an exact Poisson tail test for
// p = 1e-6 over 1e8 draws.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "tensor/random.h"
#include "tests/stats/stat_suite.h"

namespace {

using namespace nl;
using namespace nl::suite;
using Kind = stats::Distribution::Kind;

// ---- Bernoulli -------------------------------------------------------------------------------------
TEST(StatsBernoulli, ScalarProbability) {
    Generator g(4001);
    expect_fit(chi2(values(bernoulli(0.5, {kN}, {DType::Float32}, &g)), dist(Kind::Bernoulli, 0.5)), "bernoulli(0.5) float32");
    expect_fit(chi2(values(bernoulli(0.3, {kN}, {DType::Float64}, &g)), dist(Kind::Bernoulli, 0.3)), "bernoulli(0.3) float64");
    for (DType dt : {DType::UInt8, DType::Bool, DType::Int32, DType::Int64}) {
        Tensor t = Tensor::empty({kN}, {dt});
        bernoulli_(t, 0.7, &g);
        expect_fit(chi2(values(t), dist(Kind::Bernoulli, 0.7)), label("bernoulli_(0.7)", dt));
    }
    const Tensor like = Tensor::empty({1000, 1000}, {DType::Float64});
    expect_fit(chi2(values(bernoulli(like, 0.05, &g)), dist(Kind::Bernoulli, 0.05)), "bernoulli(like, 0.05) float64");
}

TEST(StatsBernoulli, TensorProbabilitiesPerClass) {
    // p cycles through 7 classes; each class is a binomial with its own n, so the per-class
    // chi-squares add up to chi-square with one dof per class (p = 0 and 1 are checked exactly).
    const std::vector<double> classes = {0.0, 1e-3, 0.1, 0.25, 0.5, 0.9, 1.0};
    const int64_t n = 1400000;
    uint64_t seed = 4100;
    for (DType dt : {DType::Float32, DType::Float64, DType::Float16, DType::BFloat16}) {
        Generator g(++seed);
        std::vector<double> pv(static_cast<size_t>(n));
        for (size_t i = 0; i < pv.size(); ++i) pv[i] = classes[i % classes.size()];
        const Tensor p = from_vector(pv, {n}, {dt});
        const std::vector<double> stored = values(p);  // the probability as the dtype holds it
        const std::vector<double> x = values(bernoulli(p, &g));
        std::vector<double> ones(classes.size(), 0.0), total(classes.size(), 0.0);
        for (size_t i = 0; i < x.size(); ++i) {
            ASSERT_TRUE(x[i] == 0.0 || x[i] == 1.0) << label("bernoulli", dt) << " gave " << x[i];
            ones[i % classes.size()] += x[i];
            total[i % classes.size()] += 1.0;
        }
        EXPECT_EQ(ones[0], 0.0) << label("bernoulli", dt) << ": p = 0 gave ones";
        EXPECT_EQ(ones.back(), total.back()) << label("bernoulli", dt) << ": p = 1 gave zeros";
        std::vector<double> observed, expected;
        for (size_t c = 1; c + 1 < classes.size(); ++c) {
            const double q = stored[c];
            observed.insert(observed.end(), {ones[c], total[c] - ones[c]});
            expected.insert(expected.end(), {total[c] * q, total[c] * (1.0 - q)});
        }
        const int64_t inner = static_cast<int64_t>(classes.size()) - 2;
        const stats::TestResult r = stats::chi_square_counts(observed, expected, {kMinExpected, inner});
        ASSERT_EQ(r.dof, inner);  // no pooling across classes
        expect_fit(r, label("bernoulli(Tensor p) per class", dt));
    }
}

TEST(StatsBernoulli, TinyProbabilityOverOneHundredMillionDraws) {
    // p = 1e-6, n = 1e8: 100 ones expected. Pearson's chi-square is far off at p ~ 5e-9 with so
    // few events, so the count is tested exactly: Poisson(n p) tails (binomial within 1e-6).
    Generator g(4201);
    constexpr double kP = 1e-6;
    constexpr int64_t kChunk = 25000000, kChunks = 4;
    double ones = 0.0;
    for (int c = 0; c < kChunks; ++c) {
        const Tensor t = bernoulli(kP, {kChunk}, {DType::UInt8}, &g);
        const uint8_t* d = t.data<uint8_t>();
        for (int64_t i = 0; i < kChunk; ++i) ones += d[i];
    }
    const stats::Distribution counts = dist(Kind::Poisson, kP * kChunk * kChunks);
    stats::TestResult r;
    r.test = "exact Poisson count";
    r.statistic = ones;
    r.n = kChunk * kChunks;
    r.p_value = std::min(1.0, 2.0 * std::min(counts.cdf(ones), counts.sf(ones - 1.0)));
    expect_fit(r, "bernoulli(1e-6) count of ones in 1e8");
}

// ---- geometric -----------------------------------------------------------------------------------------
TEST(StatsGeometric, SeveralProbabilitiesAndDtypes) {
    struct Case {
        double p;
        DType dtype;
        bool mean;
    };
    // float16 / bfloat16 hold every integer the draws reach (< 2048 / 256 up to mass 1e-40).
    // uint8 holds every value p = 0.9 reaches (P(X > 255) = 1e-255).
    const Case cases[] = {{0.5, DType::Int64, true},    {0.1, DType::Float32, true},   {1e-3, DType::Float64, true},
                          {0.9, DType::Float32, false}, {0.2, DType::Float16, false},  {0.3, DType::BFloat16, false},
                          {0.25, DType::Int32, false},  {0.9, DType::UInt8, false}};
    uint64_t seed = 4300;
    for (const Case& c : cases) {
        Generator g(++seed);
        Tensor t = Tensor::empty({kN}, {c.dtype});
        geometric_(t, c.p, &g);
        const std::vector<double> v = values(t);
        const std::string what = label("geometric_(" + std::to_string(c.p) + ")", c.dtype);
        expect_fit(chi2(v, dist(Kind::Geometric, c.p)), what);
        if (c.mean) expect_fit(mean_z(v, dist(Kind::Geometric, c.p)), what + " (mean)");
    }
}

// ---- Poisson --------------------------------------------------------------------------------------------
TEST(StatsPoisson, RatesAcrossBothAlgorithms) {
    // Inversion below 10, PTRS rejection from 10 up: 9.9 and 10 sit on either side.
    uint64_t seed = 4400;
    for (double lambda : {0.5, 3.0, 9.9, 10.0, 50.0, 1e4}) {
        Generator g(++seed);
        const Tensor rates = full({kN}, lambda, {DType::Float32});
        const double stored = values(rates.narrow(0, 0, 1))[0];  // 9.9 is 9.8999996185 in float32
        const std::vector<double> v = values(poisson(rates, &g));
        const std::string what = "poisson(" + std::to_string(lambda) + ") float32";
        expect_fit(chi2(v, dist(Kind::Poisson, stored)), what);
        expect_fit(mean_z(v, dist(Kind::Poisson, stored)), what + " (mean)");
    }
    for (double lambda : {9.9, 10.0}) {
        Generator g(++seed);
        const std::vector<double> v = values(poisson(full({kN}, lambda, {DType::Float64}), &g));
        expect_fit(chi2(v, dist(Kind::Poisson, lambda)), "poisson(" + std::to_string(lambda) + ") float64");
    }
}

TEST(StatsPoisson, PerElementRatesAndLowPrecision) {
    Generator g(4501);
    const std::vector<double> classes = {0.0, 0.5, 3.0, 12.0, 100.0};
    std::vector<double> rv(static_cast<size_t>(kN));
    for (size_t i = 0; i < rv.size(); ++i) rv[i] = classes[i % classes.size()];
    const std::vector<double> x = values(poisson(from_vector(rv, {kN}, {DType::Float64}), &g));
    std::vector<std::vector<double>> per(classes.size());
    for (size_t i = 0; i < x.size(); ++i) per[i % classes.size()].push_back(x[i]);
    EXPECT_TRUE(std::all_of(per[0].begin(), per[0].end(), [](double k) { return k == 0.0; })) << "rate 0 gave a count";
    for (size_t c = 1; c < classes.size(); ++c)
        expect_fit(chi2(per[c], dist(Kind::Poisson, classes[c])), "poisson per-element rate " + std::to_string(classes[c]));
    // 16-bit rates: the rate the dtype stores (bfloat16 holds 9.9 as 9.875).
    for (DType dt : {DType::Float16, DType::BFloat16}) {
        const double lambda = dt == DType::Float16 ? 3.0 : 9.9;
        const Tensor rates = full({kN}, lambda, {dt});
        const double stored = values(rates.narrow(0, 0, 1))[0];
        expect_fit(chi2(values(poisson(rates, &g)), dist(Kind::Poisson, stored)),
                   label("poisson(" + std::to_string(stored) + ")", dt));
    }
}

}  // namespace
