// A draw in words: the title both front ends show and the `noiselab sample` flags both print.
#include <gtest/gtest.h>

#include <limits>
#include <string>

#include "sampling/command_line.h"
#include "tests/sampling/make_draw.h"

using namespace nl;
using namespace nl::sampling;
using nl::sampling::test::make_draw;

TEST(SamplingWords, TitlesNameTheParametersAndQuoteLongListsShort) {
    EXPECT_EQ(describe(make_draw(Dist::Normal, 0, 1, {4}, DType::Float32)), "normal(mean=0, std=1)");
    EXPECT_EQ(describe(make_draw(Dist::Exponential, 0.1, 0, {4}, DType::Float32)), "exponential(lambda=0.1)");
    EXPECT_EQ(describe(make_draw(Dist::RandPerm, 0, 0, {1000}, DType::Int64)), "randperm(n=1000)");
    Draw m = make_draw(Dist::Multinomial, 0, 0, {4}, DType::Int64);
    m.weights = {0.1, 0.2, 0.7};
    EXPECT_EQ(describe(m), "multinomial(probs=0.1,0.2,0.7, replacement=false)");
    Draw c = make_draw(Dist::Categorical, 0.5, 0, {4}, DType::Int64);
    c.weights.assign(20, 0.0);
    c.weights[1] = -std::numeric_limits<double>::infinity();
    EXPECT_EQ(describe(c), "categorical(temperature=0.5, logits=0,-inf,0,0,0,0,0,0,... (20 values))");
}

TEST(SamplingWords, FlagsWriteEveryValueExactlyAndStreamOffsetEngineOnlyWhenSet) {
    Draw n = make_draw(Dist::Normal, 0.1, 3, {64, 1, 28, 28}, DType::Float16);
    EXPECT_EQ(sample_flags(n, 7), "--dist normal --mean 0.1 --std 3 --shape 64,1,28,28 --dtype float16 --device cpu --seed 7");
    n.engine = Engine::XORWOW;
    n.device = Device::cuda(1);
    EXPECT_EQ(sample_flags(n, 7, 12, 3),
              "--dist normal --mean 0.1 --std 3 --shape 64,1,28,28 --dtype float16 --device cuda:1 --seed 7 --stream 3 "
              "--offset 12 --engine xorwow");
    Draw c = make_draw(Dist::Categorical, 1, 0, {10}, DType::Int64);
    c.weights = {-std::numeric_limits<double>::infinity(), 2};
    EXPECT_NE(sample_flags(c, 1).find("--temperature 1 --logits=-inf,2 --shape 10"), std::string::npos)
        << "'=' keeps a leading -inf a value";
    Draw m = make_draw(Dist::Multinomial, 0, 0, {100}, DType::Int64);
    m.weights = {1, 3};
    m.replacement = true;
    EXPECT_NE(sample_flags(m, 1).find("--dist multinomial --probs=1,3 --replacement --shape 100"), std::string::npos);
    m.replacement = false;
    EXPECT_EQ(sample_flags(m, 1).find("--replacement"), std::string::npos) << "without replacement is the default";
}
