// Edge cases of the transforms and ops that the stream definition pins down: the sign of zero,
// u == 1 in the multinomial race, integer saturation, output dtypes, and the bounds of every
// uniform. Each was a defect at some point (docs/STREAMS.md, "History").
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>

#include "op_catalog.h"
#include "tensor/philox.h"
#include "tensor/random.h"
#include "tensor/random_block.h"
#include "tensor/transforms.h"

namespace {

using nl::DType;
using nl::Generator;
using nl::Tensor;

TEST(TransformEdges, ExponentialOfUOneIsPositiveZero) {
    // u == 1 comes from words >= 2^32 - 128: -log(1) would be -0.
    EXPECT_EQ(nl::dm::bits(nl::xf::exponential_f32(0xFFFFFFFFu, 1.0f)), 0u);
    EXPECT_EQ(nl::dm::bits(nl::xf::exponential_f32(0xFFFFFF80u, 2.5f)), 0u);
    EXPECT_EQ(nl::dm::bits(nl::xf::exponential_f64(0xFFFFFFFFu, 0xFFFFFFFFu, 1.0)), 0u);
    EXPECT_GT(nl::xf::exponential_f32(0xFFFFFF7Fu, 1.0f), 0.0f);  // the word below: 1 - 2^-24
    EXPECT_NEAR(nl::xf::exponential_f32(0, 1.0f), 32 * std::log(2.0), 1e-5);  // largest: -log(2^-32)
}

// Finds a (block, lane) at which seed's word is >= 2^32 - 128, i.e. uniform_open0_f32 gives 1.
bool find_u_one(uint64_t seed, uint64_t& block, int& lane) {
    for (block = 0; block < (uint64_t(1) << 28); ++block) {
        const nl::PhiloxCounter c = nl::philox_block(seed, block, 0);
        for (lane = 0; lane < 4; ++lane)
            if (c.v[lane] >= 0xFFFFFF80u) return true;
    }
    return false;
}

TEST(TransformEdges, MultinomialRaceWithUOne) {
    // Without replacement, category j of row 0 reads word j of block `offset`. Where that word
    // gives u == 1, E = 0 and the key w/E is +inf: the category must come first.
    const uint64_t seed = 2024;
    uint64_t block = 0;
    int lane = 0;
    ASSERT_TRUE(find_u_one(seed, block, lane));
    ASSERT_EQ(nl::xf::uniform_open0_f32(nl::philox_block(seed, block, 0).v[lane]), 1.0f);
    {
        Generator g(seed);
        g.set_offset(block);
        const Tensor s = nl::multinomial(nl::tensor({1.0, 1.0, 1.0, 1.0}), 4, false, &g);
        EXPECT_EQ(static_cast<int>(s.at({0})), lane) << s.str();
    }
    {
        // a zero weight there: 0/0 must not reach the sort; it is never drawn
        std::vector<double> w = {1.0, 2.0, 3.0, 4.0};
        w[static_cast<size_t>(lane)] = 0.0;
        Generator g(seed);
        g.set_offset(block);
        const Tensor s = nl::multinomial(nl::from_vector(w, {4}, {DType::Float64}), 3, false, &g);
        for (int64_t i = 0; i < 3; ++i) EXPECT_NE(static_cast<int>(s.at({i})), lane) << s.str();
    }
    {
        // exponential_ reads the same word for element `lane` of a 4-element tensor
        Generator g(seed);
        g.set_offset(block);
        Tensor t = nl::empty({4});
        nl::exponential_(t, 1.0, &g);
        EXPECT_EQ(nl::dm::bits(t.data<float>()[lane]), 0u) << "+0, not -0";
    }
}

TEST(TransformEdges, ZeroWeightsNeverDrawnWithoutReplacement) {
    // Many draws of 2 of 5 with weights (0, 1, 0, 1e-300, 1): indices 0 and 2 never appear, even
    // where 1e-300 / E underflows.
    Generator g(5);
    for (int i = 0; i < 2000; ++i) {
        const Tensor s = nl::multinomial(nl::tensor({0.0, 1.0, 0.0, 1e-300, 1.0}, {DType::Float64}), 3, false, &g);
        for (int64_t k = 0; k < 3; ++k) {
            const int v = static_cast<int>(s.at({k}));
            ASSERT_TRUE(v == 1 || v == 3 || v == 4) << s.str();
        }
    }
}

TEST(TransformEdges, GeometricSaturatesIntegerDtypes) {
    // p = 0.004: about a third of the draws exceed 255. uint8 saturates at 255, int32/int64 hold
    // the value; the float64 draw on the same blocks is the reference.
    for (DType d : {DType::UInt8, DType::Int32, DType::Int64}) {
        Generator g8(77), g64(77);
        Tensor t = nl::empty({4000}, {d}), ref = nl::empty({4000}, {DType::Float64});
        nl::geometric_(t, 0.004, &g8);
        nl::geometric_(ref, 0.004, &g64);
        int saturated = 0;
        for (int64_t i = 0; i < 4000; ++i) {
            const double r = ref.data<double>()[i];
            const double want = d == DType::UInt8 ? std::min(r, 255.0) : r;
            saturated += d == DType::UInt8 && r > 255.0;
            ASSERT_EQ(t.at({i}), want) << nl::dtype_name(d) << " element " << i;
        }
        if (d == DType::UInt8) {
            EXPECT_GT(saturated, 100);
        }
    }
    EXPECT_EQ(nl::from_double<uint8_t>(1e300), 255);
    EXPECT_EQ(nl::from_double<uint8_t>(-3.0), 0);
    EXPECT_EQ(nl::from_double<int32_t>(3e9), INT32_MAX);
    EXPECT_EQ(nl::from_double<int32_t>(-3e9), INT32_MIN);
    EXPECT_EQ(nl::from_double<int64_t>(1e19), INT64_MAX);
    EXPECT_EQ(nl::from_double<int64_t>(std::nan("")), 0);
    EXPECT_EQ(nl::from_double<int64_t>(9007199254740993.0), 9007199254740992);
}

TEST(TransformEdges, NoUndefinedIntegerConversions) {
    // geometric with p = 1e-20: q = log(u) / log1p(-p) is far beyond int64 and is returned as is.
    const double g = nl::xf::geometric(0u, 0u, 1e-20);  // u = 2^-53
    EXPECT_GT(g, 9.0e18);
    EXPECT_NEAR(g, 53 * std::log(2.0) * 1e20, 1e7);
    EXPECT_EQ(nl::from_double<int64_t>(g), INT64_MAX);
    // Poisson (PTRS) with w0 = 0: U = -0.5, us = 0, kr = -inf; that attempt is rejected and the
    // next one decides, deterministically.
    for (double lambda : {10.0, 55.5, 1e6}) {
        const double k = nl::xf::poisson(0u, 12345u, lambda, 7, 3, 0, 1);
        EXPECT_GE(k, 0.0);
        EXPECT_EQ(k, nl::xf::poisson(0u, 12345u, lambda, 7, 3, 0, 1));
        EXPECT_NEAR(k, lambda, 8 * std::sqrt(lambda));
    }
}

TEST(TransformEdges, NormalOutputDtypeFollowsPyTorch) {
    const Tensor m32 = nl::zeros({3}), m16 = nl::zeros({3}, {DType::Float16}), s64 = nl::ones({3}, {DType::Float64});
    const Tensor sbf = nl::ones({3}, {DType::BFloat16});
    EXPECT_EQ(nl::normal(m32, 3.0).dtype(), DType::Float32);  // the scalar std does not promote
    EXPECT_EQ(nl::normal(m16, 3.0).dtype(), DType::Float16);
    EXPECT_EQ(nl::normal(2.0, sbf).dtype(), DType::BFloat16);
    EXPECT_EQ(nl::normal(m32, s64).dtype(), DType::Float64);
    EXPECT_EQ(nl::normal(m16, sbf).dtype(), DType::Float32);  // float16 with bfloat16: float32
    EXPECT_EQ(nl::normal(m16, m16).dtype(), DType::Float16);
}

// A NaN in normal's per-element mean gives that NaN, quieted (sign and payload kept), as x86's fma
// does; the GPU takes the same bits from random_block.h (tests/gpu/test_parity.cpp compares them).
// float16 keeps only the sign: half.h's conversion makes every NaN sign | 0x7E00.
TEST(TransformEdges, ANanMeanGivesItsOwnNanQuieted) {
    struct Kind {
        DType dt;
        std::vector<uint64_t> nans, want;  // negative default, payloads, signalling ones
    };
    const Kind kinds[] = {
        {DType::Float64,
         {0xFFF8000000000000ull, 0x7FF8000000012345ull, 0x7FF0000000000001ull, 0xFFF4000000000000ull},
         {0xFFF8000000000000ull, 0x7FF8000000012345ull, 0x7FF8000000000001ull, 0xFFFC000000000000ull}},
        {DType::Float32, {0xFFC00000, 0x7FC12345, 0x7F800001, 0xFFA00000}, {0xFFC00000, 0x7FC12345, 0x7FC00001, 0xFFE00000}},
        {DType::Float16, {0xFE00, 0x7E55, 0x7C01, 0xFD23}, {0xFE00, 0x7E00, 0x7E00, 0xFE00}},
        {DType::BFloat16, {0xFFC0, 0x7FC5, 0x7F81, 0xFFA1}, {0xFFC0, 0x7FC5, 0x7FC1, 0xFFE1}},
    };
    for (const Kind& k : kinds) {
        SCOPED_TRACE(nl::dtype_name(k.dt));
        const int64_t n = 11;
        Tensor mean = nl::arange(0.0, static_cast<double>(n), 1.0, {k.dt}).contiguous();
        const size_t es = mean.element_size();
        auto* bytes = static_cast<unsigned char*>(mean.data_ptr());
        for (size_t i = 0; i < k.nans.size(); ++i) std::memcpy(bytes + (2 * i + 1) * es, &k.nans[i], es);
        Generator g(17);
        const Tensor out = nl::normal(mean, nl::full({n}, 0.5, {k.dt}), &g);
        ASSERT_EQ(out.dtype(), k.dt);
        const auto* got = static_cast<const unsigned char*>(out.data_ptr());
        for (int64_t j = 0; j < n; ++j) {
            uint64_t bits = 0;
            std::memcpy(&bits, got + j * es, es);
            if (j % 2 == 1 && static_cast<size_t>(j / 2) < k.nans.size())
                EXPECT_EQ(bits, k.want[j / 2]) << "element " << j;
            else
                EXPECT_TRUE(std::isfinite(out.select(0, j).item())) << "element " << j;
        }
    }
}

TEST(TransformEdges, UniformBoundsHold) {
    // rand never gives 1 in any dtype; uniform_(a, b) stays in [a, b) even where rounding reaches b.
    for (DType d : nl::testing::floating_dtypes()) {
        Generator g(3);
        const Tensor t = nl::rand({100000}, {d}, &g);
        for (double v : t.to_vector()) {
            ASSERT_GE(v, 0.0);
            ASSERT_LT(v, 1.0) << nl::dtype_name(d);
        }
        Tensor n = nl::empty({100000}, {d});
        nl::uniform_(n, 0.1, 0.1005, &g);
        const double hi = nl::full({}, 0.1005, {d}).item(), lo = nl::full({}, 0.1, {d}).item();
        for (double v : n.to_vector()) {
            ASSERT_GE(v, std::min(lo, 0.1)) << nl::dtype_name(d);
            ASSERT_LT(v, std::max(hi, 0.1005)) << nl::dtype_name(d);
            if (d == DType::Float32 || d == DType::Float64) {
                ASSERT_LT(v, 0.1005);
            }
        }
    }
    // the largest word: 1 - 2^-24 scaled, rounding up to b gives the float below b
    const float x = nl::xf::scale_to_interval(nl::xf::uniform_f32(0xFFFFFFFFu), 0.1f, 0.1005f);
    EXPECT_LT(x, 0.1005f);
    EXPECT_EQ(nl::xf::uniform_f16(0xFFFFFFFFu), 1.0f - 1.0f / 2048);
    EXPECT_EQ(nl::xf::uniform_bf16(0xFFFFFFFFu), 1.0f - 1.0f / 256);
}

TEST(TransformEdges, BernoulliThresholdIsCeilOfP32) {
    EXPECT_EQ(nl::xf::bernoulli_threshold(0.0), 0u);
    EXPECT_EQ(nl::xf::bernoulli_threshold(1.0), uint64_t(1) << 32);
    EXPECT_EQ(nl::xf::bernoulli_threshold(0.5), uint64_t(1) << 31);
    EXPECT_EQ(nl::xf::bernoulli_threshold(1e-300), 1u);  // any p > 0 can succeed
    EXPECT_EQ(nl::xf::bernoulli_threshold(std::nextafter(1.0, 0.0)), uint64_t(1) << 32);
    EXPECT_FALSE(nl::xf::bernoulli(0u, 0u));
    EXPECT_TRUE(nl::xf::bernoulli(0xFFFFFFFFu, uint64_t(1) << 32));
}

}  // namespace
