// One draw: the tensor is exactly what the random op gives for the same generator (sampling/
// adds nothing to the streams), the theory is the distribution with the draw's parameters, and
// the reasons not to test are given exactly where a test would say nothing.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "sampling/draw.h"
#include "tensor/errors.h"
#include "tensor/hash.h"
#include "tensor/random.h"
#include "tests/sampling/make_draw.h"

using namespace nl;
using namespace nl::sampling;
using nl::sampling::test::make_draw;

namespace {

uint64_t drawn_hash(const Draw& d, uint64_t seed = 11) {
    Generator g(seed);
    return tensor_hash(draw(d, g));
}

}  // namespace

TEST(SamplingDraw, GivesTheRandomOpsBitsAndAdvancesTheGeneratorAsTheyDo) {
    const TensorOptions f32{DType::Float32}, i64{DType::Int64};
    {
        Generator g(11), h(11);
        const Tensor ours = draw(make_draw(Dist::Normal, 2, 3, {1000}, DType::Float32), g);
        const Tensor op = normal(2, 3, {1000}, f32, &h);
        EXPECT_EQ(tensor_hash(ours), tensor_hash(op));
        EXPECT_EQ(g.offset(), h.offset());
    }
    {
        Generator g(11), h(11);
        Tensor t = Tensor::empty({257}, f32);
        EXPECT_EQ(tensor_hash(draw(make_draw(Dist::Cauchy, 1, 0.5, {257}, DType::Float32), g)),
                  tensor_hash(cauchy_(t, 1, 0.5, &h)));
        EXPECT_EQ(g.offset(), h.offset());
    }
    {
        Generator g(11), h(11);
        EXPECT_EQ(tensor_hash(draw(make_draw(Dist::RandInt, -3, 9, {2, 50}, DType::Int64), g)),
                  tensor_hash(randint(-3, 9, {2, 50}, i64, &h)));
    }
    {
        Generator g(11), h(11);
        EXPECT_EQ(tensor_hash(draw(make_draw(Dist::RandPerm, 0, 0, {300}, DType::Int64), g)), tensor_hash(randperm(300, i64, &h)));
    }
    {
        Draw d = make_draw(Dist::Multinomial, 0, 0, {4, 5}, DType::Int64);
        d.weights = {1, 0, 3};
        d.replacement = true;
        Generator g(11), h(11);
        const Tensor probs = from_vector(d.weights, {3}, DType::Float64);
        const Tensor ours = draw(d, g);
        EXPECT_EQ(ours.shape(), (Shape{4, 5}));
        EXPECT_EQ(tensor_hash(ours), tensor_hash(multinomial(probs, 20, true, &h).reshape({4, 5})));
    }
    {
        Draw d = make_draw(Dist::Categorical, 0.7, 0, {64}, DType::Int64);
        d.weights = {2, -std::numeric_limits<double>::infinity(), 0.5};
        Generator g(11), h(11);
        const Tensor logits = from_vector(d.weights, {3}, DType::Float64);
        EXPECT_EQ(tensor_hash(draw(d, g)), tensor_hash(sample_logits(logits, 0.7, 64, &h)));
    }
}

TEST(SamplingDraw, TheSameDrawGivesTheSameBitsAndAnotherSeedOthers) {
    for (Dist dist : all_dists()) {
        Draw d = make_draw(dist, 0, 0, {512}, dist_def(dist).torch_dtype);
        for (int i = 0; i < dist_def(dist).param_count; ++i) d.params[i] = dist_def(dist).torch_defaults[i];
        if (dist == Dist::RandInt) d.params[1] = 10;
        if (dist_def(dist).weights) d.weights = {1, 2, 3, 4};
        d.replacement = true;
        EXPECT_EQ(drawn_hash(d), drawn_hash(d)) << dist_name(dist);
        EXPECT_NE(drawn_hash(d, 11), drawn_hash(d, 12)) << dist_name(dist);
    }
}

TEST(SamplingDraw, OnlyCuRandsFourDistributionsTakeAnotherEngine) {
    Draw d = make_draw(Dist::Exponential, 1, 0, {8}, DType::Float32);
    d.engine = Engine::XORWOW;
    Generator g(1);
    EXPECT_THROW(draw(d, g), ValueError);
}

TEST(SamplingDraw, TheTheoryHasTheDrawsParameters) {
    using K = stats::Distribution::Kind;
    const stats::Distribution n = theory(make_draw(Dist::Normal, 2, 3, {8}, DType::Float32));
    EXPECT_EQ(n.kind, K::Normal);
    EXPECT_EQ(n.a, 2);
    EXPECT_EQ(n.b, 3);
    const stats::Distribution e = theory(make_draw(Dist::Exponential, 4, 99, {8}, DType::Float32));
    EXPECT_EQ(e.kind, K::Exponential);
    EXPECT_EQ(e.a, 4);
    EXPECT_EQ(e.b, 0) << "the unused slot is not carried into the theory";
    const stats::Distribution p = theory(make_draw(Dist::RandPerm, 0, 0, {77}, DType::Int64));
    EXPECT_EQ(p.kind, K::Permutation);
    EXPECT_EQ(p.a, 77);
    Draw m = make_draw(Dist::Multinomial, 0, 0, {8}, DType::Int64);
    m.weights = {1, 3};
    EXPECT_EQ(theory(m).probs, (std::vector<double>{0.25, 0.75}));
    Draw c = make_draw(Dist::Categorical, 0.5, 0, {8}, DType::Int64);
    c.weights = {std::log(3.0), 0};  // softmax(logits / 0.5) = 9:1
    ASSERT_EQ(theory(c).probs.size(), 2u);
    EXPECT_NEAR(theory(c).probs[0], 0.9, 1e-15);
}

TEST(SamplingDraw, SaysWhyATestWouldSayNothingExactlyWhereItWould) {
    Draw m = make_draw(Dist::Multinomial, 0, 0, {3}, DType::Int64);
    m.weights = {1, 1, 1};
    m.replacement = false;
    EXPECT_NE(theory_missing(m).find("without replacement"), std::string::npos);
    EXPECT_EQ(untested_reason(m), theory_missing(m));
    m.shape = {1};
    EXPECT_EQ(theory_missing(m), "") << "one draw follows probs exactly";
    m.shape = {3};
    m.replacement = true;
    EXPECT_EQ(theory_missing(m), "");
    EXPECT_EQ(untested_reason(make_draw(Dist::Normal, 5, 0, {8}, DType::Float32)), "every value is the mean (std = 0)");
    EXPECT_EQ(untested_reason(make_draw(Dist::Normal, 5, 1, {8}, DType::Float32)), "");
    EXPECT_EQ(untested_reason(make_draw(Dist::Poisson, 0, 0, {8}, DType::Float32)), "every value is 0 (lambda = 0)");
    EXPECT_NE(untested_reason(make_draw(Dist::Categorical, 0, 0, {8}, DType::Int64)).find("argmax"), std::string::npos);
    EXPECT_EQ(untested_reason(make_draw(Dist::Uniform, 0, 0, {8}, DType::Float32)), "") << "uniform has no std";
}
