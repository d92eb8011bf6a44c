// randperm, multinomial and sample_logits: the fast CPU paths give the reference's bytes (and
// generator offsets) at every SIMD level and thread count, including the rare cases they handle
// differently (prefix ties in randperm, rejected draws, -inf logits, rows that must raise errors).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "simd_test_util.h"
#include "tensor/errors.h"
#include "tensor/random.h"
#include "tensor/simd/cpu_random.h"

namespace nl {
namespace {

using simdtest::expect_same_everywhere;

// Returns the op's result with the generator's final offset appended, so both are compared.
Tensor with_offset(const Tensor& t, const Generator& g) {
    std::vector<double> v = t.to_vector();
    v.push_back(static_cast<double>(g.offset()));
    return from_vector(v, {static_cast<int64_t>(v.size())}, {DType::Float64});
}

TEST(SimdCategorical, RandpermMatchesReference) {
    for (int64_t n : {int64_t(1), int64_t(2), int64_t(3), int64_t(17), int64_t(65535), int64_t(65536),
                      int64_t(65537), int64_t(300001), int64_t(1) << 20}) {
        expect_same_everywhere("randperm(" + std::to_string(n) + ")", [n] {
            Generator g(31337);
            g.set_offset(11);
            const Tensor p = randperm(n, {DType::Int64}, &g);
            return with_offset(p, g);
        });
    }
}

TEST(SimdCategorical, RandpermIsAPermutation) {
    simdtest::LevelScope s(best_simd_level(), 3);
    Generator g(1);
    const std::vector<int64_t> p = randperm(1000003, {DType::Int64}, &g).to_int_vector();
    std::vector<char> seen(p.size(), 0);
    for (int64_t v : p) {
        ASSERT_GE(v, 0);
        ASSERT_LT(v, static_cast<int64_t>(p.size()));
        ASSERT_FALSE(seen[v]) << "value " << v << " appears twice";
        seen[v] = 1;
    }
}

// Keys that agree on their top bits are ordered by the full key, then by index.
TEST(SimdCategorical, RandpermPrefixTiesFollowFullKeys) {
    for (int64_t n : {int64_t(1000), int64_t(200003)}) {
        std::vector<int64_t> ref(static_cast<size_t>(n)), got(static_cast<size_t>(n));
        {
            simdtest::LevelScope s(SimdLevel::Scalar, 1);
            simd::cpu_randperm(n, 99, 5, 2, ref.data());
        }
        for (int drop : {20, 36, 44}) {  // prefixes of 64 - b - drop bits: many ties
            for (int t : {1, 3}) {
                simdtest::LevelScope s(best_simd_level(), t);
                simd::randperm_radix(n, 99, 5, 2, got.data(), drop);
                ASSERT_EQ(ref, got) << "n=" << n << " drop=" << drop << " threads=" << t;
            }
        }
    }
}

TEST(SimdCategorical, MultinomialWithReplacement) {
    const Tensor three = tensor({0.2, 0.5, 0.3});
    expect_same_everywhere("multinomial 3 categories", [&] {
        Generator g(4);
        const Tensor t = multinomial(three, 200001, true, &g);
        return with_offset(t, g);
    });
    Generator gw(5);
    Tensor rows = rand({9, 1000}, {DType::Float64}, &gw);
    rows.set({2, 5}, 0.0);
    rows.set({3, 0}, 1e-300);  // raised to weight 1 of 2^40
    expect_same_everywhere("multinomial 9 x 1000", [&] {
        Generator g(6);
        const Tensor t = multinomial(rows, 777, true, &g);
        return with_offset(t, g);
    });
    // A total just above 2^40 * 3 / 2: some 64-bit draws are rejected and re-read.
    const Tensor lopsided = tensor({1.0, 0.5, 1e-12});
    expect_same_everywhere("multinomial lopsided", [&] {
        Generator g(7);
        return with_offset(multinomial(lopsided, 50001, true, &g), g);
    });
}

TEST(SimdCategorical, MultinomialWithoutReplacement) {
    Generator gw(8);
    const Tensor w = rand({5, 300}, {}, &gw);
    expect_same_everywhere("multinomial without replacement", [&] {
        Generator g(9);
        return with_offset(multinomial(w, 40, false, &g), g);
    });
}

TEST(SimdCategorical, SampleLogits) {
    Generator gl(10);
    const Tensor logits = randn({64, 5000}, {}, &gl);
    const Tensor logits64 = randn({3, 1001}, {DType::Float64}, &gl);
    Tensor with_neg_inf = randn({6, 200}, {}, &gl);
    for (int64_t j = 0; j < 200; j += 3) with_neg_inf.set({1, j}, -INFINITY);
    for (int64_t j = 0; j < 199; ++j) with_neg_inf.set({4, j}, -INFINITY);  // one finite logit left
    const Tensor one_row = randn({40000}, {}, &gl);
    struct Case {
        const char* name;
        const Tensor* x;
        double t;
        int64_t samples;
    };
    for (const Case& c : {Case{"64x5000 T=0.8", &logits, 0.8, 1}, Case{"64x5000 T=1.7 x3", &logits, 1.7, 3},
                          Case{"64x5000 T=0.3 x100", &logits, 0.3, 100}, Case{"T tiny", &logits, 1e-3, 2},
                          Case{"T huge", &logits, 1e6, 5}, Case{"float64", &logits64, 0.5, 7},
                          Case{"-inf logits", &with_neg_inf, 2.0, 5}, Case{"1-D", &one_row, 0.9, 9}}) {
        expect_same_everywhere(std::string("sample_logits ") + c.name, [&] {
            Generator g(12);
            g.set_offset(1);
            const Tensor a = sample_logits(*c.x, c.t, c.samples, &g);
            return with_offset(a, g);
        });
    }
}

// The fused path runs (and agrees) wherever a vector level exists.
TEST(SimdCategorical, SampleLogitsFastPathIsTaken) {
    Generator gl(13);
    const Tensor logits = randn({8, 3000}, {}, &gl);
    Tensor ref;
    {
        simdtest::LevelScope s(SimdLevel::Scalar, 1);
        Generator g(3);
        ref = sample_logits(logits, 0.8, 2, &g);
    }
    for (SimdLevel level : supported_simd_levels()) {
        if (level == SimdLevel::Scalar) continue;
        simdtest::LevelScope s(level, 2);
        Generator g(3);
        const Tensor fast = simd::sample_logits_fast(logits, 0.8, 2, g);
        ASSERT_TRUE(fast.defined()) << simd_level_name(level);
        EXPECT_TRUE(simdtest::same_bytes(ref, fast)) << simd_level_name(level);
        EXPECT_EQ(g.offset(), 8u);  // (8 rows * 2 samples + 1) / 2 blocks
    }
}

// Logits that random.cpp rejects keep its errors, and nothing is consumed from the generator.
TEST(SimdCategorical, SampleLogitsErrorsUnchanged) {
    for (SimdLevel level : supported_simd_levels()) {
        simdtest::LevelScope s(level, 2);
        Tensor bad = randn({3, 100});
        bad.set({2, 7}, std::nan(""));
        Generator g(1);
        EXPECT_THROW(sample_logits(bad, 1.0, 1, &g), ValueError) << simd_level_name(level);
        EXPECT_EQ(g.offset(), 0u);
        bad.set({2, 7}, INFINITY);
        EXPECT_THROW(sample_logits(bad, 1.0, 1, &g), ValueError);
        Tensor all_neg_inf = full({2, 10}, -INFINITY);
        EXPECT_THROW(sample_logits(all_neg_inf, 1.0, 1, &g), ValueError);
        EXPECT_EQ(g.offset(), 0u);
    }
}

}  // namespace
}  // namespace nl
