// The recipe encoding of a draw: every distribution reads back as the draw that was written,
// in the form `noiselab sample` and the app both read, and a malformed field is named.
#include <gtest/gtest.h>

#include <limits>

#include "sampling/recipe.h"
#include "tensor/errors.h"

using namespace nl;
using namespace nl::sampling;

namespace {

Draw example(Dist dist) {
    Draw d;
    d.dist = dist;
    const DistDef& def = dist_def(dist);
    d.params[0] = d.params[1] = 0.0;
    for (int i = 0; i < def.param_count; ++i) d.params[i] = 0.25 + i;  // not the defaults
    if (dist == Dist::RandInt) d.params[1] = 7;
    if (dist == Dist::Multinomial) d.weights = {0.5, 0, 2};
    if (dist == Dist::Categorical) d.weights = {0.1, -std::numeric_limits<double>::infinity(), -2.5};
    d.replacement = dist == Dist::Multinomial;
    d.shape = {3, 5};
    d.dtype = def.torch_dtype;
    d.device = Device::cuda(0);
    return d;
}

template <class F>
std::string error_of(F f) {
    try {
        f();
    } catch (const ValueError& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST(SamplingRecipe, EveryDistributionReadsBackAsWritten) {
    for (Dist dist : all_dists()) {
        const Draw d = example(dist);
        io::Recipe r;
        write_draw(d, r);
        // Through the JSON text, as files carry it.
        const Draw back = read_draw(io::parse_recipe(io::recipe_to_string(r)));
        EXPECT_EQ(back.dist, d.dist) << dist_name(dist);
        EXPECT_EQ(back.params[0], d.params[0]) << dist_name(dist);
        EXPECT_EQ(back.params[1], d.params[1]) << dist_name(dist);
        EXPECT_EQ(back.weights, d.weights) << dist_name(dist);
        EXPECT_EQ(back.replacement, d.replacement) << dist_name(dist);
        EXPECT_EQ(back.shape, d.shape);
        EXPECT_EQ(back.dtype, d.dtype);
        EXPECT_EQ(back.device, d.device);
        EXPECT_EQ(back.engine, Engine::Philox);
    }
}

TEST(SamplingRecipe, WritesTheFormTheCommandLineReads) {
    io::Recipe r;
    write_draw(example(Dist::Multinomial), r);
    EXPECT_EQ(r.op, "multinomial");
    EXPECT_EQ(r.probs, (std::vector<double>{0.5, 0, 2}));
    EXPECT_EQ(std::get<std::string>(r.params.at("replacement")), "true");
    io::Recipe c;
    write_draw(example(Dist::Categorical), c);
    EXPECT_EQ(std::get<std::string>(c.params.at("logits")), "0.1,-inf,-2.5");
    EXPECT_TRUE(c.probs.empty()) << "the probs list holds no negative values";
    EXPECT_EQ(std::get<double>(c.params.at("temperature")), 0.25);
    EXPECT_EQ(c.params.count("engine"), 0u) << "philox recipes stay as they were before engines";
    Draw n = example(Dist::Normal);
    n.engine = Engine::XORWOW;
    io::Recipe e;
    write_draw(n, e);
    EXPECT_EQ(std::get<std::string>(e.params.at("engine")), "xorwow");
    EXPECT_EQ(read_draw(e).engine, Engine::XORWOW);
}

TEST(SamplingRecipe, OmittedParametersTakeTorchsDefaults) {
    io::Recipe r;
    r.op = "lognormal";
    r.shape = {4};
    const Draw d = read_draw(r);
    EXPECT_EQ(d.params[0], 1.0);
    EXPECT_EQ(d.params[1], 2.0);
    io::Recipe m;
    m.op = "multinomial";
    m.probs = {1, 1};
    m.shape = {2};
    EXPECT_FALSE(read_draw(m).replacement) << "torch.multinomial's default";
}

TEST(SamplingRecipe, MalformedFieldsAreNamed) {
    io::Recipe r;
    r.op = "gauss";
    EXPECT_NE(error_of([&] { read_draw(r); }).find("recipe field 'op': 'gauss'"), std::string::npos);
    r.op = "randint";
    r.shape = {4};
    EXPECT_NE(error_of([&] { read_draw(r); }).find("'params.high' is missing"), std::string::npos);
    r.params["high"] = 5.0;
    r.params["alpha"] = 1.0;
    EXPECT_NE(error_of([&] { read_draw(r); }).find("'params.alpha': not a parameter of randint"), std::string::npos);
    r.params.erase("alpha");
    r.params["high"] = std::string("5");
    EXPECT_NE(error_of([&] { read_draw(r); }).find("'params.high': expected a number, got the text '5'"), std::string::npos);
    io::Recipe m;
    m.op = "multinomial";
    m.shape = {2};
    EXPECT_NE(error_of([&] { read_draw(m); }).find("'probs' is missing"), std::string::npos);
    m.probs = {1, 2};
    m.params["replacement"] = std::string("yes");
    EXPECT_NE(error_of([&] { read_draw(m); }).find("'params.replacement': expected \"true\" or \"false\""), std::string::npos);
    m.params["replacement"] = std::string("true");
    m.params["engine"] = std::string("nope");
    EXPECT_NE(error_of([&] { read_draw(m); }).find("'params.engine'"), std::string::npos);
    io::Recipe n;
    n.op = "normal";
    n.probs = {1, 2};
    EXPECT_NE(error_of([&] { read_draw(n); }).find("recipe field 'probs': normal draws by no probs list"), std::string::npos);
    io::Recipe c;
    c.op = "categorical";
    c.shape = {2};
    EXPECT_NE(error_of([&] { read_draw(c); }).find("'params.logits' is missing"), std::string::npos);
    c.params["logits"] = std::string("1,x");
    EXPECT_NE(error_of([&] { read_draw(c); }).find("'params.logits' value 2 'x' is not a number"), std::string::npos);
}
