// Statistical suite, float16 and bfloat16. Their values are float32 results rounded to the
// nearest representable value, so KS against a continuous law would be wrong (a step function,
// steps of up to 2^-8 relative) and naive equal-width bins would be biased. Instead:
//   - continuous ops: chi-square over ~200 cells bounded by representable values, each cell's
//     probability being the mass of the real values that round into it (stat_suite.h rounded_fit);
//   - rand / uniform_: the exact law, enumerated over the 2^11 (float16) or 2^8 (bfloat16)
//     uniform grid points the op draws from, rounded with ties to even and the clamp below b.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "tensor/random.h"
#include "tests/stats/stat_suite.h"

namespace {

using namespace nl;
using namespace nl::suite;
using Kind = stats::Distribution::Kind;

struct LowType {
    DType dtype;
    const LowFormat* format;
    int grid_bits;  // bits of the uniform grid rand draws from (transforms.h uniform_f16 / _bf16)
};
const LowType kLowTypes[] = {{DType::Float16, &kHalf, 11}, {DType::BFloat16, &kBFloat16, 8}};

TEST(StatsLowPrecision, ReferenceRoundingIsRoundToNearestEven) {
    // The reference rounding of this suite, checked on hand-picked values (not statistical).
    EXPECT_EQ(round_to(kHalf, 1.0 + 1.0 / 2048), 1.0);                // tie -> even (1.0)
    EXPECT_EQ(round_to(kHalf, 1.0 + 3.0 / 2048), 1.0 + 2.0 / 1024);   // tie -> even (2/1024)
    EXPECT_EQ(round_to(kHalf, 65519.0), 65504.0);
    EXPECT_TRUE(std::isinf(round_to(kHalf, 65520.0)));
    EXPECT_EQ(round_to(kHalf, 3e-8), std::ldexp(1.0, -24));           // subnormal
    EXPECT_EQ(round_to(kBFloat16, 1000.0), 1000.0);
    EXPECT_EQ(round_to(kBFloat16, 1001.0), 1000.0);                   // spacing 4 near 1000
    EXPECT_EQ(next_down(kHalf, 1.0), 1.0 - 1.0 / 2048);
    EXPECT_EQ(next_up(kHalf, 1.0), 1.0 + 1.0 / 1024);
    EXPECT_EQ(next_down(kHalf, 0.0), -std::ldexp(1.0, -24));
    EXPECT_EQ(next_down(kBFloat16, -2.0), -2.0 - 1.0 / 64);
    EXPECT_TRUE(std::isinf(next_up(kHalf, 65504.0)));
}

TEST(StatsLowPrecision, RandIsExactlyUniformOnItsGrid) {
    for (const LowType& lt : kLowTypes) {
        Generator g(2001);
        const std::vector<double> v = values(rand({kN}, {lt.dtype}, &g));
        expect_fit(rounded_uniform_fit(v, 0.0, 1.0, lt.grid_bits, *lt.format), label("rand", lt.dtype));
    }
}

TEST(StatsLowPrecision, UniformRoundsTiesToEvenAndStaysBelowHigh) {
    // (a, b) chosen so that a + (b - a) u is exact in float32; the rounding to 16 bits then meets
    // exact ties, and near the top values round up to b and must be moved below it.
    const double f16_intervals[][2] = {{-5, 7}, {0, 10}, {1000, 1001}};
    const double bf16_intervals[][2] = {{-5, 7}, {0, 10}, {100, 104}};
    uint64_t seed = 2100;
    for (const LowType& lt : kLowTypes) {
        const auto& intervals = lt.dtype == DType::Float16 ? f16_intervals : bf16_intervals;
        for (const auto& ab : intervals) {
            Generator g(++seed);
            Tensor t = Tensor::empty({kN}, {lt.dtype});
            uniform_(t, ab[0], ab[1], &g);
            const std::vector<double> v = values(t);
            for (double x : v) ASSERT_TRUE(x >= ab[0] && x < ab[1]) << label("uniform_", lt.dtype) << " gave " << x;
            expect_fit(rounded_uniform_fit(v, ab[0], ab[1], lt.grid_bits, *lt.format),
                       label("uniform_(" + std::to_string(ab[0]) + ", " + std::to_string(ab[1]) + ")", lt.dtype));
        }
    }
}

TEST(StatsLowPrecision, ContinuousOpsFollowTheRoundedLaw) {
    for (const LowType& lt : kLowTypes) {
        const LowFormat& f = *lt.format;
        Generator g(2201);
        expect_fit(rounded_fit(values(randn({kN}, {lt.dtype}, &g)), dist(Kind::Normal, 0, 1), f), label("randn", lt.dtype));
        expect_fit(rounded_fit(values(normal(2.0, 3.0, {kN}, {lt.dtype}, &g)), dist(Kind::Normal, 2, 3), f),
                   label("normal(2, 3)", lt.dtype));
        // Tensor parameters in the 16-bit dtype (every mean 2, std 3: the same rounded law).
        const Tensor mean = full({kN}, 2.0, {lt.dtype});
        expect_fit(rounded_fit(values(normal(mean, full({kN}, 3.0, {lt.dtype}), &g)), dist(Kind::Normal, 2, 3), f),
                   label("normal(Tensor 2, Tensor 3)", lt.dtype));
        Tensor t = Tensor::empty({kN}, {lt.dtype});
        exponential_(t, 1.5, &g);
        expect_fit(rounded_fit(values(t), dist(Kind::Exponential, 1.5), f), label("exponential_(1.5)", lt.dtype));
        log_normal_(t, 1.0, 0.5, &g);
        expect_fit(rounded_fit(values(t), dist(Kind::LogNormal, 1, 0.5), f), label("log_normal_(1, 0.5)", lt.dtype));
        // Cauchy in float16 overflows to +-inf beyond 65520 (P ~ 2e-5): the outer cells hold it.
        cauchy_(t, 0.5, 2.0, &g);
        expect_fit(rounded_fit(values(t), dist(Kind::Cauchy, 0.5, 2), f), label("cauchy_(0.5, 2)", lt.dtype));
    }
}

}  // namespace
