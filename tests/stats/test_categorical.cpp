// Statistical suite, categorical draws: multinomial with replacement (frequencies = normalised
// weights, per row, in several dtypes), without replacement (no repeats in a row; the first,
// second and third draws follow the successive-sampling law, computed here by enumeration), and
// sample_logits (frequencies = softmax(logits / T), computed here independently; T = 0 = argmax).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>
#include <string>
#include <vector>

#include "tensor/random.h"
#include "tests/stats/stat_suite.h"

namespace {

using namespace nl;
using namespace nl::suite;

std::vector<double> normalised(std::vector<double> w) {
    double s = 0.0;
    for (double x : w) s += x;
    for (double& x : w) x /= s;
    return w;
}

std::vector<double> frequencies(const std::vector<int64_t>& draws, size_t categories) {
    std::vector<double> c(categories, 0.0);
    for (int64_t d : draws) {
        EXPECT_TRUE(d >= 0 && static_cast<size_t>(d) < categories) << "category " << d << " out of range";
        if (d >= 0 && static_cast<size_t>(d) < categories) c[static_cast<size_t>(d)] += 1.0;
    }
    return c;
}

TEST(StatsMultinomial, WithReplacementInSeveralDtypes) {
    const std::vector<double> w = {0.1, 0.2, 0.3, 0.4};
    uint64_t seed = 5000;
    for (DType dt : {DType::Float64, DType::Float32, DType::Float16, DType::BFloat16}) {
        Generator g(++seed);
        const Tensor probs = from_vector(w, {4}, {dt});
        const std::vector<double> p = normalised(values(probs));  // the weights as the dtype holds them
        const std::vector<int64_t> d = int_values(multinomial(probs, kN, true, &g));
        expect_fit(chi2_probs(frequencies(d, 4), p), std::string("multinomial with replacement ") + dtype_name(dt));
    }
}

TEST(StatsMultinomial, WithReplacementPerRowAndZeroWeights) {
    Generator g(5101);
    const std::vector<std::vector<double>> rows = {{1, 0, 2, 3, 4}, {5, 1, 1, 1, 0.5}};
    const Tensor probs = from_vector({1, 0, 2, 3, 4, 5, 1, 1, 1, 0.5}, {2, 5}, {DType::Float64});
    const int64_t s = kN / 2;
    const std::vector<int64_t> d = int_values(multinomial(probs, s, true, &g));
    for (size_t r = 0; r < rows.size(); ++r) {
        const std::vector<int64_t> row(d.begin() + static_cast<int64_t>(r) * s, d.begin() + static_cast<int64_t>(r + 1) * s);
        const std::vector<double> f = frequencies(row, 5);
        if (r == 0) {
            EXPECT_EQ(f[1], 0.0) << "a zero weight was drawn";
        }
        expect_fit(chi2_probs(f, normalised(rows[r])), "multinomial with replacement, row " + std::to_string(r));
    }
}

TEST(StatsMultinomial, WithoutReplacementFollowsSuccessiveSampling) {
    // Drawing without replacement picks j first with p_j, then j among the rest with
    // p_j / (1 - p_first), and so on. The first three draws' marginal laws are enumerated.
    Generator g(5201);
    const std::vector<double> w = {1, 2, 3, 4, 5, 6};
    const std::vector<double> p = normalised(w);
    const int64_t rows = 200000, k = 3, cats = static_cast<int64_t>(w.size());
    std::vector<double> all(static_cast<size_t>(rows * cats));
    for (size_t i = 0; i < all.size(); ++i) all[i] = w[i % w.size()];
    const std::vector<int64_t> d = int_values(multinomial(from_vector(all, {rows, cats}, {DType::Float32}), k, false, &g));
    std::vector<std::vector<double>> observed(k, std::vector<double>(w.size(), 0.0));
    for (int64_t r = 0; r < rows; ++r) {
        const int64_t* s = d.data() + r * k;
        ASSERT_TRUE(s[0] != s[1] && s[0] != s[2] && s[1] != s[2]) << "row " << r << " repeats a category";
        for (int64_t j = 0; j < k; ++j) observed[static_cast<size_t>(j)][static_cast<size_t>(s[j])] += 1.0;
    }
    std::vector<std::vector<double>> law(k, std::vector<double>(w.size(), 0.0));
    for (size_t a = 0; a < w.size(); ++a) {
        law[0][a] += p[a];
        for (size_t b = 0; b < w.size(); ++b) {
            if (b == a) continue;
            const double pab = p[a] * p[b] / (1.0 - p[a]);
            law[1][b] += pab;
            for (size_t c = 0; c < w.size(); ++c)
                if (c != a && c != b) law[2][c] += pab * p[c] / (1.0 - p[a] - p[b]);
        }
    }
    for (int64_t j = 0; j < k; ++j)
        expect_fit(chi2_probs(observed[static_cast<size_t>(j)], law[static_cast<size_t>(j)]),
                   "multinomial without replacement, draw " + std::to_string(j + 1));
    // All C of C: every row is a permutation.
    const std::vector<int64_t> full = int_values(multinomial(from_vector(w, {cats}, {DType::Float64}), cats, false, &g));
    EXPECT_EQ(std::set<int64_t>(full.begin(), full.end()).size(), w.size());
}

// ---- sample_logits -----------------------------------------------------------------------------------
constexpr double kNegInf = -std::numeric_limits<double>::infinity();

std::vector<double> softmax(const std::vector<double>& logits, double t) {
    double mx = kNegInf;
    for (double l : logits) mx = std::max(mx, l);
    std::vector<double> p;
    for (double l : logits) p.push_back(l == kNegInf ? 0.0 : std::exp((l - mx) / t));
    return normalised(p);
}

TEST(StatsSampleLogits, FrequenciesAreTheTemperedSoftmax) {
    const std::vector<double> logits = {1.0, 2.0, kNegInf, 0.5, 3.0, -1.0, 3.0, 0.0};
    const Tensor lt = from_vector(logits, {8}, {DType::Float32});
    uint64_t seed = 5300;
    for (double t : {0.5, 1.0, 2.0}) {
        Generator g(++seed);
        const std::vector<double> p = softmax(logits, t);
        const std::vector<double> op = values(softmax_with_temperature(lt, t));
        for (size_t i = 0; i < p.size(); ++i) EXPECT_NEAR(op[i], p[i], 1e-12) << "softmax_with_temperature, T = " << t;
        const std::vector<double> f = frequencies(int_values(sample_logits(lt, t, kN, &g)), 8);
        EXPECT_EQ(f[2], 0.0) << "a -inf logit was drawn";
        expect_fit(chi2_probs(f, p), "sample_logits T = " + std::to_string(t));
    }
}

TEST(StatsSampleLogits, RowsAndArgmax) {
    Generator g(5401);
    const std::vector<double> r0 = {0.0, 1.0, 2.0, 3.0}, r1 = {2.0, -3.0, 2.0, 0.5};
    const Tensor lt = from_vector({0.0, 1.0, 2.0, 3.0, 2.0, -3.0, 2.0, 0.5}, {2, 4}, {DType::Float32});
    const int64_t s = kN / 2;
    const std::vector<int64_t> d = int_values(sample_logits(lt, 1.0, s, &g));
    expect_fit(chi2_probs(frequencies({d.begin(), d.begin() + s}, 4), softmax(r0, 1.0)), "sample_logits row 0");
    expect_fit(chi2_probs(frequencies({d.begin() + s, d.end()}, 4), softmax(r1, 1.0)), "sample_logits row 1");
    // T = 0: the argmax, the first one among ties, and no randomness consumed.
    const uint64_t before = g.offset();
    const std::vector<int64_t> a = int_values(sample_logits(lt, 0.0, 5, &g));
    EXPECT_EQ(a, (std::vector<int64_t>{3, 3, 3, 3, 3, 0, 0, 0, 0, 0}));
    EXPECT_EQ(g.offset(), before);
}

}  // namespace
