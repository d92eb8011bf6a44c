// The sampler model: distribution table, valid ranges, shapes, the draw and its equivalents.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "gui/sampler.h"
#include "tensor/errors.h"
#include "tensor/random.h"

using namespace nl;
using namespace nl::gui;

TEST(GuiSampler, ParsesEveryDistributionNameAndRejectsOthers) {
    for (int i = 0; i < kDistCount; ++i) {
        const DistKind k = static_cast<DistKind>(i);
        EXPECT_EQ(parse_dist(dist_info(k).name), k);
    }
    EXPECT_EQ(parse_dist("log_normal"), DistKind::LogNormal);
    EXPECT_EQ(parse_dist("Normal"), DistKind::Normal);
    try {
        parse_dist("gamma");
        FAIL() << "gamma accepted";
    } catch (const ValueError& e) {
        EXPECT_NE(std::string(e.what()).find("gamma"), std::string::npos);
        EXPECT_NE(std::string(e.what()).find("poisson"), std::string::npos);  // lists the valid names
    }
}

TEST(GuiSampler, SetParamEnforcesRangesAndNamesThem) {
    SamplerSettings s;
    set_distribution(s, DistKind::Normal);
    set_param(s, "std", 2.5);
    EXPECT_EQ(s.params[1], 2.5);
    EXPECT_THROW(set_param(s, "std", -1.0), ValueError);
    EXPECT_THROW(set_param(s, "p", 0.5), ValueError);  // not a parameter of normal
    set_distribution(s, DistKind::Geometric);
    EXPECT_THROW(set_param(s, "p", 1.0), ValueError);  // (0, 1): open at 1
    EXPECT_THROW(set_param(s, "p", 0.0), ValueError);
    set_param(s, "p", 0.3);
    EXPECT_EQ(s.params[0], 0.3);
    set_distribution(s, DistKind::RandInt);
    EXPECT_THROW(set_param(s, "high", 2.5), ValueError);  // integers only
    try {
        set_distribution(s, DistKind::Bernoulli);
        set_param(s, "p", 1.5);
        FAIL();
    } catch (const ValueError& e) {
        EXPECT_NE(std::string(e.what()).find("1.5"), std::string::npos);
        EXPECT_NE(std::string(e.what()).find("[0, 1]"), std::string::npos);
    }
}

TEST(GuiSampler, EnforceValidClampsAndSaysWhat) {
    SamplerSettings s;
    set_distribution(s, DistKind::Uniform);
    s.params[0] = 3;
    s.params[1] = 1;  // high below low
    const std::string why = enforce_valid(s);
    EXPECT_EQ(s.params[1], 4.0);  // low + 1: a range float32 resolves, and a field that shows it
    EXPECT_NE(why.find("high must be > low, set to 4"), std::string::npos) << why;
    EXPECT_EQ(enforce_valid(s), "");  // now valid: nothing to say
    s.params[0] = s.params[1] = dist_info(DistKind::Uniform).params[1].max;  // low at the very top
    EXPECT_NE(enforce_valid(s), "");
    EXPECT_LT(s.params[0], s.params[1]);
    EXPECT_EQ(enforce_valid(s), "") << "repaired within the valid ranges, once";

    set_distribution(s, DistKind::LogNormal);
    s.params[1] = 0.0;  // std must be > 0
    EXPECT_NE(enforce_valid(s), "");
    EXPECT_GT(s.params[1], 0.0);

    s.shape = {1 << 20, 1 << 20};  // 2^40 elements
    EXPECT_NE(enforce_valid(s), "");
    EXPECT_LE(shape_numel(s.shape), kMaxElements);

    // The largest leading size that fits, not a power-of-two cut: 134217728 / (3 * 256 * 256) = 682.7.
    s.shape = {100000, 3, 256, 256};
    EXPECT_NE(enforce_valid(s).find("shape set to [682, 3, 256, 256]"), std::string::npos);
    EXPECT_EQ(s.shape, (Shape{682, 3, 256, 256}));

    s.shape = {};
    enforce_valid(s);
    EXPECT_EQ(s.shape.size(), 1u);

    set_distribution(s, DistKind::Normal);
    s.dtype = DType::Int64;  // normal needs a float dtype
    EXPECT_NE(enforce_valid(s).find("floating"), std::string::npos);
    EXPECT_TRUE(is_floating(s.dtype));
}

TEST(GuiSampler, DtypeSupportFollowsTheOps) {
    EXPECT_TRUE(dtype_supported(DistKind::Normal, DType::Float16));
    EXPECT_FALSE(dtype_supported(DistKind::Normal, DType::Int32));
    EXPECT_TRUE(dtype_supported(DistKind::RandInt, DType::UInt8));
    EXPECT_TRUE(dtype_supported(DistKind::Bernoulli, DType::Bool));
    EXPECT_FALSE(dtype_supported(DistKind::Geometric, DType::Bool));
    EXPECT_FALSE(dtype_unsupported_reason(DistKind::Poisson, DType::Int64).empty());
}

TEST(GuiSampler, ParsesShapesInEverySpelling) {
    EXPECT_EQ(parse_shape("64,1,28,28"), (Shape{64, 1, 28, 28}));
    EXPECT_EQ(parse_shape("64x1x28x28"), (Shape{64, 1, 28, 28}));
    EXPECT_EQ(parse_shape("[64, 1, 28, 28]"), (Shape{64, 1, 28, 28}));
    EXPECT_EQ(parse_shape("4096"), (Shape{4096}));
    EXPECT_THROW(parse_shape(""), ShapeError);
    EXPECT_THROW(parse_shape("1,2,3,4,5"), ShapeError);  // rank 5
    EXPECT_THROW(parse_shape("0,3"), ShapeError);
    EXPECT_THROW(parse_shape("3,-2"), ShapeError);
    EXPECT_THROW(parse_shape("a,b"), ShapeError);
    EXPECT_EQ(shape_arg({2048, 2}), "2048,2");
    for (const ShapePreset& p : shape_presets()) {
        SamplerSettings s;
        s.shape = p.shape;
        EXPECT_EQ(enforce_valid(s), "") << p.label;
    }
}

TEST(GuiSampler, DrawMatchesTheTensorOpsBitForBit) {
    SamplerSettings s;
    s.shape = {8, 3};
    s.seed = 42;
    Generator g(42);
    const Tensor a = draw(s, g);
    Generator ref(42);
    const Tensor b = normal(0.0, 1.0, {8, 3}, {}, &ref);
    EXPECT_EQ(a.to_vector(), b.to_vector());
    EXPECT_GT(g.offset(), 0u);
    EXPECT_EQ(g.offset(), ref.offset());

    set_distribution(s, DistKind::Poisson);
    set_param(s, "lambda", 3.0);
    Generator g2(7);
    const Tensor p = draw(s, g2);
    for (double v : p.to_vector()) EXPECT_EQ(v, std::floor(v));

    set_distribution(s, DistKind::RandInt);
    set_param(s, "low", -2);
    set_param(s, "high", 3);
    Generator g3(1);
    for (double v : draw(s, g3).to_vector()) {
        EXPECT_GE(v, -2);
        EXPECT_LT(v, 3);
    }
}

// An engine that cannot draw these settings is refused with its reason before anything is
// drawn: mt19937 on the CPU (seconds a draw), randint with xorwow (cuRAND draws four
// distributions), or any cuRAND engine in a build without cuRAND.
TEST(GuiSampler, DrawRefusesEnginesThatCannotDrawWithTheReason) {
    const bool curand = engine_provider() != nullptr;
    SamplerSettings s;
    s.shape = {4};
    s.engine = Engine::MT19937;
    Generator g;
    try {
        draw(s, g);
        FAIL();
    } catch (const ValueError& e) {
        EXPECT_NE(std::string(e.what()).find(curand ? "seconds per draw" : "needs cuRAND"), std::string::npos) << e.what();
    }
    set_distribution(s, DistKind::RandInt);
    s.engine = Engine::XORWOW;
    try {
        draw(s, g);
        FAIL();
    } catch (const ValueError& e) {
        EXPECT_NE(std::string(e.what()).find(curand ? "randint needs philox" : "needs cuRAND"), std::string::npos) << e.what();
    }
    EXPECT_EQ(g.offset(), 0u);  // nothing consumed
    // The panel's rule: such an engine falls back to philox, and says why.
    const std::string why = enforce_valid(s);
    EXPECT_EQ(s.engine, Engine::Philox);
    EXPECT_NE(why.find("engine xorwow"), std::string::npos) << why;
    EXPECT_NE(why.find("set to philox"), std::string::npos) << why;
}

// cuRAND's engines draw what tensor/engine.h's ops give for the same generator.
// Sobol points have at most 20,000 dimensions (cuRAND's direction vectors): a longer last size
// greys the engine with the reason, before any draw.
TEST(GuiSampler, SobolPointsLongerThanItsDirectionVectorsAreRefused) {
    EXPECT_EQ(engine_shape_problem(Engine::Sobol32, {4, 20000}), "");
    EXPECT_NE(engine_shape_problem(Engine::ScrambledSobol32, {4, 20001}).find("at most 20000 dimensions"), std::string::npos);
    EXPECT_EQ(engine_shape_problem(Engine::XORWOW, {4, 50000}), "") << "pseudo-random engines have no dimension";
    EXPECT_EQ(engine_shape_problem(Engine::Sobol32, {50000}), "") << "a 1-D tensor is 50,000 one-dimensional points";
    const std::string why = engine_unavailable_reason(Engine::Sobol32, DistKind::Uniform, Device::cpu(), {4, 30000});
    EXPECT_NE(why.find(engine_provider() ? "30000" : "needs cuRAND"), std::string::npos) << why;
    if (engine_provider()) {
        EXPECT_EQ(engine_unavailable_reason(Engine::Sobol32, DistKind::Uniform, Device::cpu(), {4, 3}), "");
    }
}

TEST(GuiSampler, DrawsWithCurandEngines) {
    if (!engine_provider()) GTEST_SKIP() << "this build has no cuRAND (the refusal is checked above)";
    SamplerSettings s;
    s.shape = {257};
    s.engine = Engine::XORWOW;
    s.params[0] = 2.0;
    s.params[1] = 0.5;
    Generator a(11), b(11);
    Tensor want = Tensor::empty({257});
    normal_(want, 2.0, 0.5, Engine::XORWOW, &b);
    EXPECT_EQ(draw(s, a).to_vector(), want.to_vector());
    EXPECT_EQ(a.offset(), b.offset());
    set_distribution(s, DistKind::Uniform);
    s.engine = Engine::Sobol32;
    s.shape = {100, 2};  // 100 points in the unit square
    const Tensor u = draw(s, a);
    for (double v : u.to_vector()) {
        EXPECT_GT(v, 0.0);
        EXPECT_LE(v, 1.0);
    }
    EXPECT_EQ(enforce_valid(s), "");  // a valid choice stays
    EXPECT_NE(cli_equivalent(s, 0).find("--engine sobol32"), std::string::npos) << cli_equivalent(s, 0);
    EXPECT_NE(torch_equivalent(s).find("# engine sobol32"), std::string::npos);
}

TEST(GuiSampler, TheoryAndEquivalentsDescribeTheSettings) {
    SamplerSettings s;
    set_distribution(s, DistKind::Exponential);
    set_param(s, "lambda", 2.0);
    s.seed = 5;
    s.shape = {100};
    const stats::Distribution d = to_stats_distribution(s);
    EXPECT_EQ(d.kind, stats::Distribution::Kind::Exponential);
    EXPECT_DOUBLE_EQ(d.mean(), 0.5);
    EXPECT_EQ(describe(s), "exponential(lambda=2)");
    const std::string cli = cli_equivalent(s, 12);
    EXPECT_NE(cli.find("noiselab sample --dist exponential --lambda 2 --shape 100"), std::string::npos) << cli;
    EXPECT_NE(cli.find("--seed 5"), std::string::npos);
    EXPECT_NE(cli.find("--offset 12"), std::string::npos);
    EXPECT_NE(torch_equivalent(s).find("torch.manual_seed(5)"), std::string::npos);
    s.generator = GeneratorMode::Local;
    EXPECT_NE(torch_equivalent(s).find("generator=g"), std::string::npos);
    // Exact: the command line it prints draws the same tensor (10 digits once rounded this).
    set_param(s, "lambda", 0.123456789012345);
    EXPECT_NE(cli_equivalent(s).find("--lambda 0.123456789012345 "), std::string::npos) << cli_equivalent(s);
}

TEST(GuiSampler, TimingsSayMegabytesBelowAGigabyte) {
    SampleTiming t;
    t.ms = 0.32;
    t.gbytes_per_s = 0.62;
    EXPECT_EQ(timing_text(t), "0.32 ms, 620 MB/s");
    t.gbytes_per_s = 0.0031;  // a tiny tensor: "0.00 GB/s" said nothing
    EXPECT_EQ(timing_text(t), "0.32 ms, 3.10 MB/s");
    t.gbytes_per_s = 12.5;
    EXPECT_EQ(timing_text(t), "0.32 ms, 12.50 GB/s");
}

TEST(GuiSampler, SeedHistoryKeepsRecentSeedsNewestFirstWithoutDuplicates) {
    SeedHistory h;
    for (uint64_t s : {1, 2, 3, 2}) h.push(s);
    ASSERT_EQ(h.seeds().size(), 3u);
    EXPECT_EQ(h.seeds()[0], 2u);
    EXPECT_EQ(h.seeds()[1], 3u);
    for (uint64_t s = 10; s < 30; ++s) h.push(s);
    EXPECT_EQ(h.seeds().size(), SeedHistory::kMax);
    EXPECT_EQ(h.seeds().front(), 29u);
    EXPECT_LT(fresh_seed(), uint64_t(1) << 53);
}

// ---- randperm, multinomial and categorical ---------------------------------------------------------

TEST(GuiSampler, PermutationAndCategoryDrawsAreTheTensorOps) {
    SamplerSettings s;
    set_distribution(s, DistKind::RandPerm);
    s.shape = {300};
    Generator g(21), ref(21);
    EXPECT_EQ(draw(s, g).to_vector(), randperm(300, {DType::Int64}, &ref).to_vector());
    EXPECT_EQ(g.offset(), ref.offset());

    set_distribution(s, DistKind::Multinomial);
    set_weights(s, "1, 2, 3, 0");
    s.shape = {10, 20};  // 200 draws, shown as 10 rows of 20
    const Tensor m = draw(s, g);
    EXPECT_EQ(m.shape(), (Shape{10, 20}));
    const Tensor want = multinomial(from_vector({1, 2, 3, 0}, {4}, DType::Float64), 200, true, &ref).reshape({10, 20});
    EXPECT_EQ(m.to_vector(), want.to_vector());
    for (double v : m.to_vector()) EXPECT_TRUE(v == 0 || v == 1 || v == 2) << "category 3 has weight 0";

    s.replacement = false;
    s.shape = {3};  // every category with weight > 0, once
    std::vector<double> once = draw(s, g).to_vector();
    multinomial(from_vector({1, 2, 3, 0}, {4}, DType::Float64), 3, false, &ref);  // the reference keeps step
    std::sort(once.begin(), once.end());
    EXPECT_EQ(once, (std::vector<double>{0, 1, 2}));

    set_distribution(s, DistKind::Categorical);
    set_weights(s, "2, -inf, 1");
    set_param(s, "temperature", 0.5);
    s.shape = {64};
    const Tensor c = draw(s, g);
    const Tensor c_want = sample_logits(from_vector({2, -std::numeric_limits<double>::infinity(), 1}, {3}, DType::Float64), 0.5, 64, &ref);
    EXPECT_EQ(c.to_vector(), c_want.to_vector());
    EXPECT_EQ(g.offset(), ref.offset());
    for (double v : c.to_vector()) EXPECT_NE(v, 1.0) << "a -inf logit is never drawn";
    set_param(s, "temperature", 0.0);  // argmax
    for (double v : draw(s, g).to_vector()) EXPECT_EQ(v, 0.0);
}

TEST(GuiSampler, WeightsAreCheckedAndTheBadValueNamed) {
    SamplerSettings s;
    auto refused = [&](const std::string& text) {
        try {
            set_weights(s, text);
        } catch (const ValueError& e) {
            return std::string(e.what());
        }
        return std::string("accepted");
    };
    EXPECT_NE(refused("0.5").find("normal draws by no list of weights"), std::string::npos);
    set_distribution(s, DistKind::Multinomial);
    EXPECT_NE(refused("0.1, -0.5").find("probs value 2 (-0.5) is out of range"), std::string::npos) << refused("0.1, -0.5");
    EXPECT_NE(refused("0, 0").find("sum to 0"), std::string::npos);
    EXPECT_NE(refused("0.1, abc").find("probs value 2 'abc' is not a number"), std::string::npos) << refused("0.1, abc");
    EXPECT_NE(refused("").find("empty"), std::string::npos);
    EXPECT_NE(refused("-inf, 1").find("probs value 1"), std::string::npos);
    EXPECT_NE(refused(std::string(kMaxWeights, ',')).find("at most 65536"), std::string::npos);
    EXPECT_EQ(s.weights, (std::vector<double>{0.1, 0.2, 0.3, 0.4})) << "refused lists change nothing";
    set_weights(s, "[3, 1]");
    EXPECT_EQ(s.weights, (std::vector<double>{3, 1}));

    set_distribution(s, DistKind::Categorical);
    set_weights(s, "-inf, 0, 2.5");
    EXPECT_TRUE(std::isinf(s.weights[0]));
    EXPECT_NE(refused("-inf, -inf").find("every logit is -inf"), std::string::npos);
    EXPECT_NE(refused("1, inf").find("logits value 2 'inf' is out of range"), std::string::npos) << refused("1, inf");
}

TEST(GuiSampler, ShapesAndDtypesFollowTorchForTheNewDistributions) {
    SamplerSettings s;  // normal, float32, [64, 1, 28, 28]
    set_distribution(s, DistKind::RandPerm);
    EXPECT_EQ(s.dtype, DType::Int64) << "torch.randperm returns int64";
    EXPECT_NE(enforce_valid(s).find("randperm takes a 1-D shape [n]; shape set to [50176]"), std::string::npos);
    EXPECT_EQ(s.shape, (Shape{50176}));
    s.shape = {4, 4};
    EXPECT_THROW(validate(s), ShapeError);
    s.shape = {1 << 24, 1 << 24, 1 << 24};  // 2^72 elements: flattened without overflow, to the largest n
    EXPECT_NE(enforce_valid(s).find("shape set to [16777216]"), std::string::npos);
    EXPECT_FALSE(dtype_supported(DistKind::RandPerm, DType::Bool));

    set_distribution(s, DistKind::Multinomial);
    s.shape = {100};
    s.replacement = false;
    EXPECT_THROW(validate(s), ValueError);  // 100 draws from 4 categories, each once at most
    EXPECT_NE(enforce_valid(s).find("without replacement at most one draw per category"), std::string::npos);
    EXPECT_EQ(s.shape, (Shape{4}));
    EXPECT_FALSE(dtype_supported(DistKind::Multinomial, DType::Float32));
    s.weights = {1.0, std::nan("")};  // set directly, as a bad recipe could: repaired with a note
    EXPECT_NE(enforce_valid(s).find("set to 0.1, 0.2, 0.3, 0.4"), std::string::npos);

    // A dtype that was the old distribution's default follows the new one; a chosen one stays.
    set_distribution(s, DistKind::Normal);
    EXPECT_EQ(s.dtype, DType::Float32);
    set_distribution(s, DistKind::RandInt);
    EXPECT_EQ(s.dtype, DType::Int64);
    set_distribution(s, DistKind::Normal);
    s.dtype = DType::Float64;
    set_distribution(s, DistKind::Uniform);
    EXPECT_EQ(s.dtype, DType::Float64);
    set_distribution(s, DistKind::RandInt);
    EXPECT_EQ(s.dtype, DType::Float64) << "randint draws float64 too, as torch.randint(..., dtype=torch.float64)";
    set_distribution(s, DistKind::Categorical);
    EXPECT_EQ(s.dtype, DType::Int64);
}

TEST(GuiSampler, TheNewDistributionsHaveTheirTheoryTestsAndEquivalents) {
    using Kind = stats::Distribution::Kind;
    SamplerSettings s;
    set_distribution(s, DistKind::Multinomial);
    set_weights(s, "1, 3");
    s.shape = {100};
    stats::Distribution d = to_stats_distribution(s);
    EXPECT_EQ(d.kind, Kind::Categorical);
    EXPECT_EQ(d.probs, (std::vector<double>{0.25, 0.75}));
    EXPECT_EQ(untested_reason(s), "");
    EXPECT_EQ(describe(s), "multinomial(probs=1,3, replacement=true)");
    EXPECT_NE(cli_equivalent(s).find("--dist multinomial --probs=1,3 --replacement --shape 100"), std::string::npos) << cli_equivalent(s);
    EXPECT_NE(torch_equivalent(s).find("torch.multinomial(probs, 100, replacement=True)"), std::string::npos) << torch_equivalent(s);
    s.replacement = false;
    s.shape = {2};
    EXPECT_NE(untested_reason(s).find("draws without replacement are not independent"), std::string::npos);
    EXPECT_EQ(theory_missing(s), untested_reason(s));
    EXPECT_EQ(cli_equivalent(s).find("--replacement"), std::string::npos);

    set_distribution(s, DistKind::Categorical);
    set_weights(s, "0, -inf");
    s.shape = {8, 8};
    d = to_stats_distribution(s);
    EXPECT_EQ(d.probs, (std::vector<double>{1.0, 0.0}));
    EXPECT_EQ(describe(s), "categorical(temperature=1, logits=0,-inf)");
    EXPECT_NE(cli_equivalent(s).find("--temperature 1 --logits=0,-inf"), std::string::npos) << cli_equivalent(s);
    const std::string py = torch_equivalent(s);
    EXPECT_NE(py.find("torch.tensor([0, float(\"-inf\")]"), std::string::npos) << py;
    EXPECT_NE(py.find("torch.multinomial(torch.softmax(logits / 1, dim=-1), 64, replacement=True).reshape(8, 8)"), std::string::npos) << py;
    set_param(s, "temperature", 0.0);
    EXPECT_EQ(untested_reason(s), "temperature 0 is argmax: no randomness");
    EXPECT_NE(torch_equivalent(s).find("logits.argmax()"), std::string::npos);
    std::vector<double> many(100, 1.0);
    s.weights = many;
    EXPECT_EQ(describe(s), "categorical(temperature=0, logits=1,1,1,1,1,1,1,1,... (100 values))");

    set_distribution(s, DistKind::RandPerm);
    s.shape = {1000};
    d = to_stats_distribution(s);
    EXPECT_EQ(d.kind, Kind::Permutation);
    EXPECT_EQ(d.a, 1000.0);
    EXPECT_EQ(describe(s), "randperm(n=1000)");
    EXPECT_NE(torch_equivalent(s).find("x = torch.randperm(1000, dtype=torch.int64"), std::string::npos) << torch_equivalent(s);
}
