// Sampling helpers: top-k / top-p filtering on logits, seeded word sampling, latents with
// truncation and temperature, lerp / slerp interpolation, the VAE latent grid, toy data sets.
#include <gtest/gtest.h>

#include <cmath>

#include "model_test_util.h"
#include "models/charlm.h"
#include "models/latent.h"
#include "models/toy2d.h"
#include "tensor/errors.h"
#include "tensor/hash.h"

namespace nl::models::testing {
namespace {

int kept(const std::vector<double>& v) {
    int k = 0;
    for (double x : v) k += std::isfinite(x);
    return k;
}

TEST(TopK, KeepsTheKLargestPerRow) {
    const Tensor logits = from_vector({1, 5, 3, 4, 2, /**/ 0, -1, 7, 7, 6}, {2, 5});
    const std::vector<double> f = top_k_filter(logits, 2).to_vector();
    EXPECT_EQ(kept({f.begin(), f.begin() + 5}), 2);
    EXPECT_TRUE(std::isfinite(f[1]) && std::isfinite(f[3]));
    EXPECT_TRUE(std::isfinite(f[7]) && std::isfinite(f[8]));  // the two 7s
    EXPECT_EQ(f[1], 5.0);                                     // kept values unchanged
    EXPECT_EQ(top_k_filter(logits, 0).to_vector(), logits.to_vector());
    EXPECT_THROW(top_k_filter(logits, -1), ValueError);
    // Ties at the k-th value are all kept.
    EXPECT_EQ(kept(top_k_filter(from_vector({3, 3, 3, 1}, {4}), 1).to_vector()), 3);
}

TEST(TopP, KeepsTheSmallestNucleus) {
    // probabilities 0.5, 0.25, 0.125, 0.125
    const Tensor logits = from_vector({std::log(0.5), std::log(0.25), std::log(0.125), std::log(0.125)}, {4});
    EXPECT_EQ(kept(top_p_filter(logits, 0.5).to_vector()), 1);
    EXPECT_EQ(kept(top_p_filter(logits, 0.6).to_vector()), 2);
    EXPECT_EQ(kept(top_p_filter(logits, 0.75).to_vector()), 2);
    EXPECT_EQ(kept(top_p_filter(logits, 0.8).to_vector()), 3);
    EXPECT_EQ(kept(top_p_filter(logits, 1.0).to_vector()), 4);
    EXPECT_EQ(kept(top_p_filter(logits, 0.01).to_vector()), 1);  // the top entry always stays
    // A high temperature flattens the distribution: more entries are needed to reach p.
    EXPECT_GT(kept(top_p_filter(logits, 0.6, 10.0).to_vector()), 2);
    EXPECT_THROW(top_p_filter(logits, 0.0), ValueError);
    EXPECT_THROW(top_p_filter(logits, 1.5), ValueError);
}

TEST(CharModel, SeededWordsAndFilters) {
    const CharMLP lm(Weights::load(asset("charlm.safetensors")));
    CharSampling s;
    s.temperature = 0.8;
    s.top_k = 5;
    const auto a = sample_words(lm, 10, s, 7), b = sample_words(lm, 10, s, 7), c = sample_words(lm, 10, s, 8);
    EXPECT_EQ(a, b);
    EXPECT_NE(a, c);
    for (const auto& w : a) {
        EXPECT_LE(w.size(), 24u);
        for (char ch : w) EXPECT_TRUE(ch >= 'a' && ch <= 'z') << w;
    }
    // Greedy sampling ignores the seed.
    s.temperature = 0;
    EXPECT_EQ(sample_words(lm, 3, s, 1), sample_words(lm, 3, s, 2));
    // The distribution after a prefix: top-k 3 leaves 3 nonzero probabilities summing to 1.
    s.temperature = 1;
    s.top_k = 3;
    const auto p = next_char_probs(lm, "qu", s).to_vector();
    double total = 0;
    int nonzero = 0;
    for (double v : p) {
        total += v;
        nonzero += v > 0;
    }
    EXPECT_NEAR(total, 1.0, 1e-12);
    EXPECT_EQ(nonzero, 3);
    // After "q" a trained model puts most mass on "u".
    s.top_k = 0;
    EXPECT_GT(next_char_probs(lm, "q", s).to_vector()[symbol_of('u')], 0.5);
    EXPECT_THROW(sample_words(lm, 1, s, 1, "ab1"), ValueError);
}

TEST(Latents, TruncationAndTemperature) {
    Generator g1(3), g2(3);
    const Tensor z = latents(200, 64, g1, 1.0, 0.7);
    for (double v : z.to_vector()) EXPECT_LE(std::fabs(v), 0.7);
    const Tensor z2 = latents(200, 64, g2, 2.0, 0.7);
    EXPECT_LE(rel_error(z * 2.0, z2), 1e-7);
    Generator g3(3);
    EXPECT_THROW(latents(4, 4, g3, -1.0), ValueError);
    EXPECT_THROW(latents(4, 4, g3, 1.0, 0.01), ValueError);
}

TEST(Interpolate, LerpAndSlerp) {
    const Tensor a = from_vector({1, 0, 0}, {3}), b = from_vector({0, 2, 0}, {3});
    const Tensor lerp = interpolate(a, b, 3, false), slerp = interpolate(a, b, 5, true);
    EXPECT_EQ(lerp.shape(), (Shape{3, 3}));
    EXPECT_EQ(lerp[0].to_vector(), a.to_vector());
    EXPECT_EQ(lerp[2].to_vector(), b.to_vector());
    EXPECT_NEAR(lerp.at({1, 0}), 0.5, 1e-7);
    EXPECT_NEAR(slerp.at({0, 0}), 1.0, 1e-6);
    EXPECT_NEAR(slerp.at({4, 1}), 2.0, 1e-6);
    // Slerp of orthogonal vectors at t = 1/2: sin(pi/4)/sin(pi/2) of each.
    EXPECT_NEAR(slerp.at({2, 0}), std::sqrt(0.5), 1e-6);
    EXPECT_NEAR(slerp.at({2, 1}), 2 * std::sqrt(0.5), 1e-6);
    EXPECT_THROW(interpolate(a, from_vector({1, 2}, {2}), 3, false), ShapeError);
    EXPECT_THROW(interpolate(a, b, 1, false), ValueError);
}

TEST(LatentGrid, CornersAndOrder) {
    const Tensor g = latent_grid(3, 2.0);
    EXPECT_EQ(g.shape(), (Shape{9, 2}));
    EXPECT_EQ(g[0].to_vector(), (std::vector<double>{-2, 2}));  // top left
    EXPECT_EQ(g[8].to_vector(), (std::vector<double>{2, -2}));  // bottom right
}

TEST(ToyData, NamesAndShapes) {
    EXPECT_EQ(toy_index("moons"), 0);
    EXPECT_EQ(toy_index("8gaussians"), 2);
    EXPECT_THROW(toy_index("circles"), ValueError);
    Generator g(1);
    const Tensor eg = toy_data(2, 1000, g);
    EXPECT_EQ(eg.shape(), (Shape{1000, 2}));
    // Eight gaussians: every point within 0.6 of radius 1.6.
    const auto v = eg.to_vector();
    for (size_t i = 0; i < v.size(); i += 2) EXPECT_NEAR(std::hypot(v[i], v[i + 1]), 1.6, 0.6);
}

}  // namespace
}  // namespace nl::models::testing
