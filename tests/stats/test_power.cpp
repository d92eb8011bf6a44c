// Statistical suite, power checks: the suite's tests, at their sample sizes and at the
// Bonferroni threshold kAlpha, DO reject deliberately wrong distributions of the kinds real
// defects produce: a 1% bias, a modulo bias, an off-by-one that never returns high - 1, a
// mixed-up Box-Muller angle, a biased shuffle, with-replacement logic in a without-replacement
// draw, a wrong tiny p, truncation instead of rounding, and a naive KS on rounded values.
#include <gtest/gtest.h>

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

TEST(StatsPower, ShiftedNormalIsRejectedByKS) {
    Generator g(6001);
    const std::vector<double> v = values(randn({kN}, {DType::Float32}, &g));
    expect_reject(ks(v, dist(Kind::Normal, 0.05, 1)), "randn vs normal(0.05, 1)");
}

TEST(StatsPower, OnePercentBiasesAreRejected) {
    Generator g(6101);
    // Mean off by 1% of a standard deviation: z = 0.01 sqrt(n) = 10.
    std::vector<double> v = values(randn({kN}, {DType::Float64}, &g));
    for (double& x : v) x += 0.01;
    expect_reject(mean_z(v, dist(Kind::Normal, 0, 1)), "randn + 0.01 (mean)");
    // A probability 1% too high.
    expect_reject(chi2(values(bernoulli(0.5, {kN}, {DType::Float32}, &g)), dist(Kind::Bernoulli, 0.505)),
                  "bernoulli(0.5) vs p = 0.505");
    // A Poisson rate 1% too high.
    expect_reject(chi2(values(poisson(full({kN}, 10.0, {DType::Float32}), &g)), dist(Kind::Poisson, 10.1)),
                  "poisson(10) vs lambda = 10.1");
    // One of three values 1% too likely (n = 4e6 as in the suite).
    std::vector<double> w = {1.01 / 3, 0.99 / 3, 1.0 / 3};
    const std::vector<int64_t> d = int_values(randint(0, 3, {4 * kN}, {DType::Int64}, &g));
    std::vector<double> counts(3, 0.0);
    for (int64_t x : d) counts[static_cast<size_t>(x)] += 1.0;
    expect_reject(chi2_probs(counts, w), "randint(0, 3) vs a 1% bias");
}

TEST(StatsPower, ModuloBiasIsRejected) {
    // A 32-bit word reduced modulo 3 * 2^30 (what a plain `w % range` does).
    Generator g(6201);
    std::vector<int64_t> v = int_values(randint(0, int64_t(1) << 32, {kN}, {DType::Int64}, &g));
    for (int64_t& x : v) x %= int64_t(3) << 30;
    expect_reject(uniform_buckets(v, 0, 3ull << 30, 12), "w mod 3*2^30");
}

TEST(StatsPower, OffByOneIsRejected) {
    // A randint that never returns high - 1.
    Generator g(6301);
    const std::vector<int64_t> v = int_values(randint(0, 2, {kN}, {DType::Int64}, &g));
    expect_reject(chi2(std::vector<double>(v.begin(), v.end()), dist(Kind::RandInt, 0, 3)), "randint(0, 2) as randint(0, 3)");
}

TEST(StatsPower, MixedUpBoxMullerAngleIsRejectedByThePairTest) {
    // x = r cos(t), y = r sin(2t): each marginal is exactly N(0, 1) (sin 2t has the law of sin t),
    // so only the joint test sees it. (A clean exchange of the cos and sin outputs keeps the joint
    // law; only the golden hashes of tests/core can see that one.)
    Generator g(6401);
    const std::vector<double> u = values(rand({kN}, {DType::Float64}, &g));
    std::vector<double> y, angle;
    for (size_t i = 0; i + 1 < u.size(); i += 2) {
        const double r = std::sqrt(-2.0 * std::log1p(-u[i])), t = 2.0 * M_PI * u[i + 1];
        const double x0 = r * std::cos(t), y0 = r * std::sin(2.0 * t);
        y.push_back(y0);
        angle.push_back(std::atan2(y0, x0));
    }
    expect_fit(ks(y, dist(Kind::Normal, 0, 1)), "r sin(2t) marginal");
    expect_reject(ks(angle, dist(Kind::Uniform, -M_PI, M_PI)), "angle of (r cos t, r sin 2t)");
}

TEST(StatsPower, NaiveShuffleIsRejected) {
    // for i: swap(a[i], a[randint(0, n)]) gives n^n = 256 equally likely paths onto 24 permutations.
    Generator g(6501);
    constexpr int kPerms = 9600;
    const std::vector<int64_t> r = int_values(randint(0, 4, {kPerms * 4}, {DType::Int64}, &g));
    std::map<std::vector<int>, double> seen;
    for (int p = 0; p < kPerms; ++p) {
        std::vector<int> a = {0, 1, 2, 3};
        for (int i = 0; i < 4; ++i) std::swap(a[static_cast<size_t>(i)], a[static_cast<size_t>(r[static_cast<size_t>(p * 4 + i)])]);
        seen[a] += 1.0;
    }
    std::vector<double> counts;
    for (const auto& [perm, c] : seen) counts.push_back(c);
    counts.resize(24, 0.0);
    expect_reject(chi2_probs(counts, std::vector<double>(24, 1.0 / 24)), "naive swap-with-any shuffle of 4");
}

TEST(StatsPower, WithReplacementLawForTheSecondDrawIsRejected) {
    // The second draw without replacement is not distributed as p (that is the with-replacement law).
    Generator g(6601);
    const std::vector<double> w = {1, 2, 3, 4, 5, 6};
    const int64_t rows = 200000;
    std::vector<double> all(static_cast<size_t>(rows) * w.size());
    for (size_t i = 0; i < all.size(); ++i) all[i] = w[i % w.size()];
    const std::vector<int64_t> d =
        int_values(multinomial(from_vector(all, {rows, static_cast<int64_t>(w.size())}, {DType::Float32}), 2, false, &g));
    std::vector<double> second(w.size(), 0.0), p(w.size());
    for (int64_t r = 0; r < rows; ++r) second[static_cast<size_t>(d[static_cast<size_t>(2 * r + 1)])] += 1.0;
    for (size_t j = 0; j < w.size(); ++j) p[j] = w[j] / 21.0;
    expect_reject(chi2_probs(second, p), "second draw without replacement vs p");
}

TEST(StatsPower, TinyProbabilityOffByTwoIsRejected) {
    Generator g(6701);
    double ones = 0.0;
    for (int c = 0; c < 4; ++c) {
        const Tensor t = bernoulli(1e-6, {25000000}, {DType::UInt8}, &g);
        for (int64_t i = 0; i < t.numel(); ++i) ones += t.data<uint8_t>()[i];
    }
    const stats::Distribution wrong = dist(Kind::Poisson, 2e-6 * 1e8);
    stats::TestResult r;
    r.test = "exact Poisson count";
    r.statistic = ones;
    r.p_value = std::min(1.0, 2.0 * std::min(wrong.cdf(ones), wrong.sf(ones - 1.0)));
    expect_reject(r, "bernoulli(1e-6) count vs p = 2e-6");
}

TEST(StatsPower, RoundedLawsSeeTruncationAndScale) {
    Generator g(6801);
    // float16 uniform_(-5, 7) made with truncation instead of round-to-nearest-even.
    const std::vector<int64_t> k = int_values(randint(0, 2048, {kN}, {DType::Int64}, &g));
    std::vector<double> trunc;
    for (int64_t x : k) {
        const double v = -5.0 + 12.0 * static_cast<double>(x) / 2048.0;
        const double q = std::ldexp(1.0, std::max(std::ilogb(v == 0 ? 1.0 : v), -14) - 10);
        trunc.push_back(std::trunc(v / q) * q);
    }
    expect_reject(rounded_uniform_fit(trunc, -5, 7, 11, kHalf), "float16 uniform_ by truncation");
    // float16 randn tested as normal(0, 1.02).
    expect_reject(rounded_fit(values(randn({kN}, {DType::Float16}, &g)), dist(Kind::Normal, 0, 1.02), kHalf),
                  "float16 randn vs std 1.02");
    // The naive test: KS of bfloat16 rand against the continuous U(0, 1) rejects a correct op,
    // which is why the suite uses the exact rounded laws.
    expect_reject(ks(values(rand({kN}, {DType::BFloat16}, &g)), dist(Kind::Uniform, 0, 1)), "bfloat16 rand, naive KS");
}

TEST(StatsPower, PartialShufflesFailTheOrderTest) {
    // A shuffle that only mixes within blocks of 64 (a bug that shuffles each chunk of a parallel
    // loop on its own), and one that stops half way (Fisher-Yates over the first half only): both
    // are permutations with perfectly flat value histograms.
    Generator g(6401);
    constexpr int64_t kSize = 65536;
    std::vector<double> blocks(kSize), half(kSize);
    for (int64_t b = 0; b < kSize; b += 64) {
        const std::vector<double> p = values(randperm(64, {DType::Int64}, &g));
        for (int64_t i = 0; i < 64; ++i) blocks[b + i] = static_cast<double>(b) + p[i];
    }
    for (int64_t i = 0; i < kSize; ++i) half[i] = static_cast<double>(i);
    const std::vector<double> u = values(rand({kSize / 2}, {DType::Float64}, &g));
    for (int64_t i = 0; i < kSize / 2; ++i) {  // swap i with a uniform j in [i, n): the first half only
        const auto j = i + static_cast<int64_t>(u[i] * static_cast<double>(kSize - i));
        std::swap(half[i], half[j]);
    }
    expect_reject(stats::permutation_order_test(blocks, kSize), "randperm shuffled only within blocks of 64");
    expect_reject(stats::permutation_order_test(half, kSize), "Fisher-Yates stopped half way");
}

}  // namespace
