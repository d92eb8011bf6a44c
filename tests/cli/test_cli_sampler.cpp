// The sampler behind `noiselab sample`: parameters are validated with messages naming the flag,
// every distribution's recipe round-trips to the same spec and the same tensor, and sampled
// values equal the library's own ops (the command line adds nothing to the streams).
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "app/cli_flags.h"
#include "app/cli_sampler.h"
#include "tensor/errors.h"
#include "tensor/hash.h"
#include "tensor/random.h"

using namespace nl;
using namespace nl::app;

namespace {

SampleSpec spec_of(const std::vector<std::string>& args) {
    CLI::App app;
    SamplerFlags f;
    add_sampler_flags(app, f);
    std::vector<std::string> rev(args.rbegin(), args.rend());
    app.parse(rev);  // CLI11 takes the arguments reversed
    return spec_from_flags(f, app);
}

}  // namespace

TEST(Sampler, DefaultsPerDistribution) {
    const SampleSpec n = spec_of({});
    EXPECT_EQ(n.dist, Dist::Normal);
    EXPECT_EQ(n.shape, (Shape{64, 1, 28, 28}));
    EXPECT_EQ(n.dtype, DType::Float32);
    EXPECT_EQ(n.seed, kDefaultSeed);
    EXPECT_EQ(n.params.at("mean"), 0.0);
    EXPECT_EQ(n.params.at("std"), 1.0);
    const SampleSpec ln = spec_of({"--dist", "lognormal"});
    EXPECT_EQ(ln.params.at("mean"), 1.0);  // PyTorch's log_normal_ defaults
    EXPECT_EQ(ln.params.at("std"), 2.0);
    EXPECT_EQ(spec_of({"--dist", "randperm"}).shape, (Shape{100}));
    EXPECT_EQ(spec_of({"--dist", "randint", "--high", "5"}).dtype, DType::Int64);
    EXPECT_EQ(spec_of({"--dist", "multinomial", "--probs", "1,0,2"}).shape, (Shape{2}));
    EXPECT_EQ(spec_of({"--dist", "multinomial", "--probs", "1,0,2", "--replacement"}).shape, (Shape{1000}));
}

TEST(Sampler, FlagsThatDoNotApplyAreRefused) {
    try {
        spec_of({"--dist", "normal", "--lambda", "2"});
        FAIL();
    } catch (const ValueError& e) {
        EXPECT_NE(std::string(e.what()).find("--lambda does not apply to --dist normal"), std::string::npos) << e.what();
    }
    EXPECT_THROW(spec_of({"--dist", "normal", "--probs", "1,2"}), ValueError);
    EXPECT_THROW(spec_of({"--dist", "normal", "--replacement"}), ValueError);
    EXPECT_THROW(spec_of({"--dist", "multinomial", "--probs", "1,2", "--replacement", "--no-replacement"}), ValueError);
}

TEST(Sampler, MatchesTheLibraryOps) {
    SampleSpec s = spec_of({"--dist", "normal", "--mean", "2", "--std", "0.5", "--shape", "3,5", "--seed", "99",
                            "--offset", "7", "--stream", "3"});
    Generator g(99, 3);
    g.set_offset(7);
    const Tensor expect = normal(2.0, 0.5, {3, 5}, {}, &g);
    const SampleResult r = sample(s);
    EXPECT_EQ(r.tensor.to_vector(), expect.to_vector());
    EXPECT_EQ(r.next_offset, g.offset());

    s = spec_of({"--dist", "multinomial", "--probs", "0.1,0.2,0.7", "--replacement", "--shape", "4,25", "--seed", "5"});
    Generator g2(5);
    const Tensor m = multinomial(from_vector({0.1, 0.2, 0.7}, {3}, DType::Float64), 100, true, &g2).reshape({4, 25});
    EXPECT_EQ(sample(s).tensor.to_int_vector(), m.to_int_vector());
}

TEST(Sampler, EveryDistributionRoundTripsThroughItsRecipe) {
    const std::vector<std::vector<std::string>> cases = {
        {"--dist", "uniform", "--low", "-2", "--high", "3"},
        {"--dist", "normal", "--mean", "0.1", "--std", "3"},
        {"--dist", "randint", "--low", "-4", "--high", "9"},
        {"--dist", "randperm", "--shape", "37"},
        {"--dist", "bernoulli", "--p", "0.3", "--dtype", "bool"},
        {"--dist", "multinomial", "--probs", "0.1,0.2,0.7"},
        {"--dist", "multinomial", "--probs", "3,1", "--replacement", "--shape", "9,9"},
        {"--dist", "exponential", "--lambda", "0.25", "--dtype", "float64"},
        {"--dist", "lognormal", "--mean", "0", "--std", "0.5", "--dtype", "float16"},
        {"--dist", "cauchy", "--median", "1", "--sigma", "2", "--dtype", "bfloat16"},
        {"--dist", "geometric", "--p", "0.2"},
        {"--dist", "poisson", "--lambda", "4.5"},
        {"--dist", "categorical", "--logits=-inf,1.5,-2", "--temperature", "0.7"},
    };
    for (const auto& args : cases) {
        std::vector<std::string> full = args;
        for (const char* a : {"--seed", "31337", "--stream", "2", "--offset", "11"}) full.push_back(a);
        const SampleSpec s = spec_of(full);
        const SampleResult r = sample(s);
        const io::Recipe rec = to_recipe(s, r.tensor, r.device);
        EXPECT_EQ(rec.op, dist_info(s.dist).name);
        EXPECT_EQ(rec.tensor_hash, hash_hex(tensor_hash(r.tensor)));
        // Through JSON text and back, as in a PNG.
        const SampleSpec back = from_recipe(io::parse_recipe(io::recipe_to_string(rec)));
        EXPECT_EQ(to_flags(back), to_flags(s)) << args[1];
        EXPECT_EQ(hash_hex(tensor_hash(sample(back).tensor)), rec.tensor_hash) << args[1];
    }
}

// --engine: cuRAND's engines for uniform / normal / lognormal / poisson, in the recipe and the
// reproducing flags; philox recipes stay as they were. Without cuRAND in the build (the sanitized
// CPU build) the op says so.
TEST(Sampler, EnginesOtherThanPhilox) {
    EXPECT_EQ(spec_of({}).engine, Engine::Philox);
    EXPECT_EQ(to_recipe(spec_of({"--shape", "4"}), sample(spec_of({"--shape", "4"})).tensor, Device::cpu()).params.count("engine"), 0u);
    try {
        spec_of({"--engine", "mersenne"});
        FAIL() << "an unknown engine was accepted";
    } catch (const ValueError& e) {
        EXPECT_NE(std::string(e.what()).find("--engine"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("xorwow"), std::string::npos) << e.what();
    }
    try {
        spec_of({"--dist", "randint", "--high", "4", "--engine", "sobol32"});
        FAIL() << "randint with a cuRAND engine was accepted";
    } catch (const ValueError& e) {
        EXPECT_NE(std::string(e.what()).find("does not draw --dist randint"), std::string::npos) << e.what();
    }
    const SampleSpec s = spec_of({"--dist", "uniform", "--low", "-2", "--high", "3", "--shape", "999", "--engine",
                                  "curand_philox", "--seed", "4", "--offset", "5"});
    EXPECT_EQ(s.engine, Engine::CurandPhilox);
    if (!engine_provider()) {
        EXPECT_THROW(sample(s), DeviceError);
        GTEST_SKIP() << "this build has no cuRAND: only the refusal was checked";
    }
    const SampleResult r = sample(s);
    Generator g(4);
    g.set_offset(5);
    Tensor expect = Tensor::empty({999});
    uniform_(expect, -2.0, 3.0, Engine::CurandPhilox, &g);
    EXPECT_EQ(r.tensor.to_vector(), expect.to_vector());
    EXPECT_EQ(r.next_offset, g.offset());
    for (double v : r.tensor.to_vector()) {
        EXPECT_GT(v, -2.0);
        EXPECT_LE(v, 3.0);
    }
    const io::Recipe rec = to_recipe(s, r.tensor, r.device);
    EXPECT_EQ(std::get<std::string>(rec.params.at("engine")), "curand_philox");
    const SampleSpec back = from_recipe(io::parse_recipe(io::recipe_to_string(rec)));
    EXPECT_EQ(back.engine, Engine::CurandPhilox);
    EXPECT_NE(to_flags(back).find("--engine curand_philox"), std::string::npos) << to_flags(back);
    EXPECT_EQ(hash_hex(tensor_hash(sample(back).tensor)), rec.tensor_hash);
    for (const char* dist : {"normal", "lognormal", "poisson"}) {
        const SampleSpec e = spec_of({"--dist", dist, "--shape", "64", "--engine", "xorwow", "--seed", "9"});
        const SampleResult a = sample(e), b = sample(e);
        EXPECT_EQ(hash_hex(tensor_hash(a.tensor)), hash_hex(tensor_hash(b.tensor))) << dist << ": reproducible";
        EXPECT_NE(hash_hex(tensor_hash(a.tensor)), hash_hex(tensor_hash(sample(spec_of({"--dist", dist, "--shape", "64", "--seed", "9"})).tensor)))
            << dist << ": not philox's values";
    }
    io::Recipe bad = rec;
    bad.params["engine"] = std::string("nope");
    EXPECT_THROW(from_recipe(bad), ValueError);
}

TEST(Sampler, RecipesFromOtherVersions) {
    const SampleSpec s = spec_of({"--shape", "4"});
    io::Recipe r = to_recipe(s, sample(s).tensor, Device::cpu());
    io::Recipe wrong_op = r;
    wrong_op.op = "dirichlet";
    EXPECT_THROW(from_recipe(wrong_op), ValueError);
    io::Recipe extra_param = r;
    extra_param.params["alpha"] = 1.0;
    EXPECT_THROW(from_recipe(extra_param), ValueError);
    io::Recipe newer = r;
    newer.stream_version = kStreamVersion + 1;
    try {
        from_recipe(newer);
        FAIL() << "a newer stream version was accepted";
    } catch (const ValueError& e) {
        EXPECT_NE(std::string(e.what()).find("stream version"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("newer build"), std::string::npos) << e.what();
    }
    // An older one is sampled when the recipe records a hash (the caller checks it), refused without.
    io::Recipe older = r;
    older.stream_version = kStreamVersion - 1;
    ASSERT_FALSE(older.tensor_hash.empty());
    EXPECT_EQ(from_recipe(older).seed, r.seed);
    older.tensor_hash.clear();
    try {
        from_recipe(older);
        FAIL() << "an older stream version without a hash was accepted";
    } catch (const ValueError& e) {
        EXPECT_NE(std::string(e.what()).find("no hash"), std::string::npos) << e.what();
    }
}

TEST(Sampler, TheoryMatchesTheDistribution) {
    EXPECT_EQ(theory(spec_of({"--dist", "poisson", "--lambda", "3"})).kind, stats::Distribution::Kind::Poisson);
    const stats::Distribution c = theory(spec_of({"--dist", "categorical", "--logits", "0,0,0,0"}));
    ASSERT_EQ(c.probs.size(), 4u);
    for (double p : c.probs) EXPECT_NEAR(p, 0.25, 1e-15);
    const stats::Distribution m = theory(spec_of({"--dist", "multinomial", "--probs", "1,3", "--replacement"}));
    EXPECT_NEAR(m.probs[1], 0.75, 1e-15);
    EXPECT_FALSE(no_test_reason(spec_of({"--dist", "multinomial", "--probs", "1,3"})).empty());
    EXPECT_TRUE(no_test_reason(spec_of({"--dist", "multinomial", "--probs", "1,3", "--replacement"})).empty());
}
