// Bad input to the command line: every case exits with status 2, names the bad value in its
// message, writes nothing and never crashes; exports never overwrite a file without --force.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cli_run.h"

using namespace cli_test;

namespace {

struct Bad {
    std::vector<std::string> args;  // after "sample"
    std::string mention;            // must appear in stderr
};

std::vector<Bad> bad_inputs() {
    return {
        {{"--shape", "3,,4"}, "3,,4"},
        {{"--shape", "-1"}, "-1"},
        {{"--shape", "1e99"}, "1e99"},
        {{"--shape", "abc"}, "abc"},
        {{"--shape", "0"}, "'0'"},
        {{"--shape", "99999999999999999999"}, "99999999999999999999"},
        {{"--shape", "1048576,1048576"}, "1048576"},          // 2^40 floats: more memory than there is
        {{"--shape", "4294967296,4294967296"}, "4294967296"}, // beyond 2^40 elements
        {{"--std", "-1"}, "-1"},
        {{"--std", "nan"}, "nan"},
        {{"--mean", "abc"}, "abc"},
        {{"--mean", "1e999"}, "1e999"},
        {{"--dist", "gaussian"}, "gaussian"},
        {{"--dist", "bernoulli", "--p", "1.5"}, "1.5"},
        {{"--dist", "geometric", "--p", "0"}, "--p 0"},
        {{"--dist", "exponential", "--lambda", "-2"}, "-2"},
        {{"--dist", "poisson", "--lambda", "inf"}, "inf"},
        {{"--dist", "cauchy", "--sigma", "0"}, "--sigma 0"},
        {{"--dist", "lognormal", "--std", "0"}, "--std 0"},
        {{"--dist", "uniform", "--low", "3", "--high", "1"}, "--low 3"},
        {{"--dist", "randint"}, "--high"},
        {{"--dist", "randint", "--high", "2.5"}, "2.5"},
        {{"--dist", "randint", "--high", "300", "--dtype", "uint8"}, "299"},
        {{"--dist", "randperm", "--shape", "3,3"}, "[3, 3]"},
        {{"--dist", "multinomial"}, "--probs"},
        {{"--dist", "multinomial", "--probs", "0.5,-0.1"}, "-0.1"},
        {{"--dist", "multinomial", "--probs", "0,0"}, "0,0"},
        {{"--dist", "multinomial", "--probs", "1,1", "--shape", "3"}, "3 draws"},
        {{"--dist", "categorical"}, "--logits"},
        {{"--dist", "categorical", "--logits", "1,x"}, "'x'"},
        {{"--dist", "categorical", "--logits", "1,2", "--temperature", "-0.5"}, "-0.5"},
        {{"--dist", "normal", "--p", "0.5"}, "--p"},
        {{"--dtype", "float128"}, "float128"},
        {{"--dist", "normal", "--dtype", "int64"}, "int64"},
        {{"--device", "tpu"}, "tpu"},
        {{"--seed", "-5"}, "-5"},
        {{"--seed", "18446744073709551616"}, "18446744073709551616"},
        {{"--stream", "4294967296"}, "4294967296"},
        {{"--offset", "1.5"}, "1.5"},
        {{"--range", "sigma:0"}, "sigma:0"},
        {{"--range", "fixed:2,1"}, "fixed:2,1"},
        {{"--colormap", "jet"}, "jet"},
        {{"--unknown-flag"}, "--unknown-flag"},
        {{"--scatter", "s.png", "--shape", "10,3"}, "[10, 3]"},
        {{"--shape", "1,1,20000,20"}, "20000"},   // an image grid taller than 16384 pixels
        {{"--from", "missing.png"}, "missing.png"},
        {{"--from", "out.png", "--mean", "3"}, "--mean"},
        {{"--from", "out.png", "--engine", "xorwow"}, "--engine"},  // the recipe names its engine
        {{"--engine", "lcg"}, "lcg"},
        {{"--dist", "randint", "--high", "3", "--engine", "sobol32"}, "randint"},
    };
}

}  // namespace

TEST(BadInput, ExitsTwoNamesTheValueWritesNothing) {
    for (const Bad& b : bad_inputs()) {
        Sandbox sb;
        std::vector<std::string> args = {"sample"};
        args.insert(args.end(), b.args.begin(), b.args.end());
        for (const char* a : {"--out", "out.png", "--npy", "out.npy"}) args.push_back(a);
        const Result r = sb.noiselab(args);
        std::string shown;
        for (const std::string& a : b.args) shown += a + " ";
        EXPECT_EQ(r.status, 2) << shown << "\nstderr: " << r.err;
        EXPECT_NE(r.err.find(b.mention), std::string::npos) << shown << "\nstderr: " << r.err;
        EXPECT_EQ(r.err.find("terminate called"), std::string::npos) << shown;
        EXPECT_FALSE(sb.exists("out.png")) << shown;
        EXPECT_FALSE(sb.exists("out.npy")) << shown;
    }
}

TEST(BadInput, OtherCommands) {
    Sandbox sb;
    Result r = sb.noiselab({"frobnicate"});
    EXPECT_EQ(r.status, 2);
    EXPECT_NE(r.err.find("frobnicate"), std::string::npos) << r.err;
    r = sb.noiselab({"info", "nothing-here.png"});
    EXPECT_EQ(r.status, 2);
    EXPECT_NE(r.err.find("nothing-here.png"), std::string::npos) << r.err;
    r = sb.noiselab({"info"});
    EXPECT_EQ(r.status, 2);
    r = sb.noiselab({"stream", "--seed", "x1", "--words", "4"});
    EXPECT_EQ(r.status, 2);
    EXPECT_NE(r.err.find("x1"), std::string::npos) << r.err;
    r = sb.noiselab({"stream", "--words", "-4"});
    EXPECT_EQ(r.status, 2);
    EXPECT_NE(r.err.find("-4"), std::string::npos) << r.err;
    r = sb.noiselab({"--help"});
    EXPECT_EQ(r.status, 0);
    EXPECT_NE(r.out.find("noiselab sample"), std::string::npos);
    r = sb.noiselab({"sample", "--help"});
    EXPECT_EQ(r.status, 0);
    EXPECT_NE(r.out.find("--dist"), std::string::npos);
}

TEST(NoOverwrite, ExportsNeedForce) {
    Sandbox sb;
    const std::vector<std::string> first = {"sample", "--shape", "10", "--seed", "1", "--npy", "x.npy", "--out", "x.png", "--hist", "h.png"};
    ASSERT_EQ(sb.noiselab(first).status, 0);
    const std::string npy = read_text(sb.path("x.npy")), png = read_text(sb.path("x.png")), hist = read_text(sb.path("h.png"));

    // Another seed into the same files: refused, all three files untouched.
    const std::vector<std::string> second = {"sample", "--shape", "10", "--seed", "2", "--npy", "x.npy", "--out", "x.png", "--hist", "h.png"};
    Result r = sb.noiselab(second);
    EXPECT_EQ(r.status, 2);
    EXPECT_NE(r.err.find("--force"), std::string::npos) << r.err;
    EXPECT_EQ(read_text(sb.path("x.npy")), npy);
    EXPECT_EQ(read_text(sb.path("x.png")), png);
    EXPECT_EQ(read_text(sb.path("h.png")), hist);
    // Even when only one of the outputs exists, nothing is written.
    r = sb.noiselab({"sample", "--shape", "10", "--npy", "new.npy", "--out", "x.png"});
    EXPECT_EQ(r.status, 2);
    EXPECT_FALSE(sb.exists("new.npy"));

    std::vector<std::string> forced = second;
    forced.push_back("--force");
    r = sb.noiselab(forced);
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_NE(read_text(sb.path("x.npy")), npy);
    EXPECT_NE(read_text(sb.path("x.png")), png);
    // No temporary files are left next to the outputs.
    int files = 0;
    for (const auto& e : std::filesystem::directory_iterator(sb.dir()))
        files += e.path().filename().string()[0] != '.';
    EXPECT_EQ(files, 3);
}

TEST(NoOverwrite, SameFileTwiceIsRefused) {
    Sandbox sb;
    const Result r = sb.noiselab({"sample", "--shape", "10", "--out", "a.png", "--hist", "a.png"});
    EXPECT_EQ(r.status, 2);
    EXPECT_NE(r.err.find("a.png"), std::string::npos);
    EXPECT_FALSE(sb.exists("a.png"));
}
