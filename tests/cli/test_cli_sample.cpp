// End-to-end runs of `noiselab sample` for every distribution: the PNGs exist and carry a recipe
// that parses and names the printed hash, --from reproduces the identical tensor, the .npy file
// holds that tensor (checked here and, when available, by NumPy), and --stats prints the table.
#include <gtest/gtest.h>

#include <cstring>
#include <ostream>
#include <string>
#include <vector>

#include "cli_run.h"
#include "tensor/generator.h"
#include "tensor/hash.h"
#include "tensor/io/npy.h"
#include "tensor/io/png.h"
#include "tensor/io/recipe.h"
#include "tensor/random.h"

using namespace cli_test;

namespace {

struct Case {
    std::string name;              // --dist
    std::vector<std::string> args; // extra flags
    std::string npy_dtype;         // NumPy's dtype.str of the .npy file
    std::string shape;             // NumPy's shape tuple, as Python prints it
};

std::vector<Case> cases() {
    return {
        {"uniform", {"--low", "-2", "--high", "3", "--shape", "16,1,8,8"}, "<f4", "(16, 1, 8, 8)"},
        {"normal", {"--mean", "1", "--std", "2", "--shape", "8,3,8,8", "--dtype", "float64"}, "<f8", "(8, 3, 8, 8)"},
        {"randint", {"--low", "-3", "--high", "7", "--shape", "100,10", "--dtype", "int32"}, "<i4", "(100, 10)"},
        {"randperm", {"--shape", "500"}, "<i8", "(500,)"},
        {"bernoulli", {"--p", "0.25", "--shape", "4,32,32", "--dtype", "bool"}, "|b1", "(4, 32, 32)"},
        {"multinomial", {"--probs", "0.1,0.2,0.7", "--replacement", "--shape", "2000"}, "<i8", "(2000,)"},
        {"multinomial", {"--probs", "5,1,1,1,1,1"}, "<i8", "(6,)"},
        {"exponential", {"--lambda", "3", "--shape", "1000", "--dtype", "float16"}, "<f2", "(1000,)"},
        {"lognormal", {"--mean", "0", "--std", "0.5", "--shape", "30,30"}, "<f4", "(30, 30)"},
        {"cauchy", {"--median", "-1", "--sigma", "0.5", "--shape", "1000,2"}, "<f4", "(1000, 2)"},
        {"geometric", {"--p", "0.3", "--shape", "50,50", "--dtype", "int64"}, "<i8", "(50, 50)"},
        {"poisson", {"--lambda", "4", "--shape", "64,1,4,4"}, "<f4", "(64, 1, 4, 4)"},
        {"categorical", {"--logits=-1,2,0.5", "--temperature", "0.7", "--shape", "3000"}, "<i8", "(3000,)"},
        {"categorical", {"--logits", "1,3,2", "--temperature", "0", "--shape", "10"}, "<i8", "(10,)"},
    };
}

// How gtest prints a case, which gtest_discover_tests makes the ctest name
// (".../FilesRecipesAndReproduction/categorical --logits 1,3,2 ..."): without it gtest printed the
// struct's bytes, string pointers included, so the names changed from build to build.
void PrintTo(const Case& c, std::ostream* os) {
    *os << c.name;
    for (const std::string& a : c.args) *os << ' ' << a;
}

nl::io::Recipe recipe_of(const std::filesystem::path& png) {
    const auto texts = nl::io::read_png_text_chunks(png.string());
    const nl::io::PngText* t = nl::io::find_png_text(texts, nl::io::kPngRecipeKey);
    if (!t) throw std::runtime_error(png.string() + " has no recipe");
    return nl::io::parse_recipe(t->text);
}

class SampleEveryDist : public ::testing::TestWithParam<Case> {};

TEST_P(SampleEveryDist, FilesRecipesAndReproduction) {
    const Case& c = GetParam();
    Sandbox sb;
    std::vector<std::string> args = {"sample", "--dist", c.name, "--seed", "4242", "--out", "grid.png", "--hist", "hist.png",
                                     "--npy", "x.npy", "--stats"};
    args.insert(args.end(), c.args.begin(), c.args.end());
    const Result r = sb.noiselab(args);
    ASSERT_EQ(r.status, 0) << r.err;
    const std::string hash = printed_hash(r.out);
    ASSERT_EQ(hash.size(), 16u) << r.out;
    EXPECT_NE(r.out.find("statistics of"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("goodness of fit"), std::string::npos) << r.out;

    // Both PNGs carry the recipe: the op, the seed and the printed hash.
    for (const char* png : {"grid.png", "hist.png"}) {
        ASSERT_TRUE(sb.exists(png)) << png;
        const nl::io::Recipe rec = recipe_of(sb.path(png));
        EXPECT_EQ(rec.op, c.name);
        EXPECT_EQ(rec.seed, 4242u);
        EXPECT_EQ(rec.tensor_hash, hash) << png;
        EXPECT_EQ(rec.stream_version, nl::kStreamVersion);
        const nl::io::PngSize size = nl::io::read_png_size(sb.path(png).string());
        EXPECT_GT(size.width, 0);
    }

    // The .npy holds exactly the hashed tensor.
    const nl::Tensor x = nl::io::load_npy(sb.path("x.npy").string());
    EXPECT_EQ(nl::hash_hex(nl::tensor_hash(x)), hash);

    // --from reproduces the identical tensor, from either PNG.
    for (const char* png : {"grid.png", "hist.png"}) {
        const Result again = sb.noiselab({"sample", "--from", png, "--npy", std::string("again-") + png + ".npy"});
        ASSERT_EQ(again.status, 0) << again.err;
        EXPECT_EQ(printed_hash(again.out), hash);
        EXPECT_NE(again.out.find("reproduced"), std::string::npos) << again.out;
        EXPECT_EQ(read_text(sb.path(std::string("again-") + png + ".npy")), read_text(sb.path("x.npy")));
    }

    // NumPy reads the file with the right dtype, shape and values.
    if (!have_numpy()) GTEST_SKIP() << "/usr/bin/python3 with numpy is not installed: the NumPy check is skipped";
    const Result py = sb.shell(
        "/usr/bin/python3 -c \"import numpy as np; x = np.load('x.npy'); "
        "open('values.f64', 'wb').write(x.astype('<f8').tobytes()); print(x.dtype.str, x.shape)\"");
    ASSERT_EQ(py.status, 0) << py.err;
    EXPECT_EQ(py.out, c.npy_dtype + " " + c.shape + "\n");
    const std::string bytes = read_text(sb.path("values.f64"));
    const std::vector<double> v = x.to_vector();
    ASSERT_EQ(bytes.size(), v.size() * sizeof(double));
    EXPECT_EQ(std::memcmp(bytes.data(), v.data(), bytes.size()), 0) << "NumPy reads other values than Noise Lab wrote";
}

INSTANTIATE_TEST_SUITE_P(AllDists, SampleEveryDist, ::testing::ValuesIn(cases()));

// A 1x1 PNG carrying `r` as its recipe (io::write_png throws if it cannot be written).
void write_recipe_png_file(const std::filesystem::path& to, const nl::io::Recipe& r) {
    const uint8_t pixel[3] = {0, 0, 0};
    nl::io::write_png(to.string(), pixel, 1, 1, 3, {{nl::io::kPngRecipeKey, nl::io::recipe_to_string(r)}});
}

TEST(Sample, OlderStreamVersionsReplayWhereTheOpDidNotChange) {
    // Stream version 2 changed the float32 normals and kept uniforms: the hash decides, and a
    // mismatch names both versions and writes nothing.
    Sandbox sb;
    ASSERT_EQ(sb.noiselab({"sample", "--dist", "uniform", "--shape", "64", "--seed", "5", "--out", "u.png"}).status, 0);
    ASSERT_EQ(sb.noiselab({"sample", "--dist", "normal", "--shape", "64", "--seed", "5", "--out", "n.png"}).status, 0);
    nl::io::Recipe u = recipe_of(sb.path("u.png"));
    u.stream_version = nl::kStreamVersion - 1;  // as written by an older build
    write_recipe_png_file(sb.path("u-old.png"), u);
    const Result same = sb.noiselab({"sample", "--from", "u-old.png", "--npy", "u.npy"});
    EXPECT_EQ(same.status, 0) << same.err;
    EXPECT_NE(same.out.find("did not change"), std::string::npos) << same.out;
    EXPECT_TRUE(sb.exists("u.npy"));
    // An older build's normal tensor: another hash.
    nl::io::Recipe n = recipe_of(sb.path("n.png"));
    n.stream_version = nl::kStreamVersion - 1;
    n.tensor_hash = "0123456789abcdef";
    write_recipe_png_file(sb.path("n-old.png"), n);
    const Result changed = sb.noiselab({"sample", "--from", "n-old.png", "--npy", "n.npy"});
    EXPECT_EQ(changed.status, 1);
    EXPECT_NE(changed.err.find("stream version " + std::to_string(nl::kStreamVersion - 1)), std::string::npos) << changed.err;
    EXPECT_NE(changed.err.find("nothing written"), std::string::npos) << changed.err;
    EXPECT_FALSE(sb.exists("n.npy"));
}

TEST(Sample, ValuesEqualTheLibrary) {
    // The command line's tensor is the library's: normal(1, 2) with seed 4242 on stream 0.
    Sandbox sb;
    const Result r = sb.noiselab({"sample", "--mean", "1", "--std", "2", "--shape", "5,7", "--seed", "4242", "--npy", "x.npy"});
    ASSERT_EQ(r.status, 0) << r.err;
    nl::Generator g(4242);
    const nl::Tensor expect = nl::normal(1.0, 2.0, {5, 7}, {}, &g);
    EXPECT_EQ(nl::io::load_npy(sb.path("x.npy").string()).to_vector(), expect.to_vector());
}

TEST(Sample, StreamAndOffsetSelectTheWords) {
    Sandbox sb;
    const Result a = sb.noiselab({"sample", "--shape", "8", "--seed", "9", "--stream", "5", "--offset", "100", "--npy", "a.npy"});
    ASSERT_EQ(a.status, 0) << a.err;
    nl::Generator g(9, 5);
    g.set_offset(100);
    EXPECT_EQ(nl::io::load_npy(sb.path("a.npy").string()).to_vector(), nl::normal(0.0, 1.0, {8}, {}, &g).to_vector());
    // Prefix stability: the first 8 values of a longer draw are the same.
    const Result b = sb.noiselab({"sample", "--shape", "1000", "--seed", "9", "--stream", "5", "--offset", "100", "--npy", "b.npy"});
    ASSERT_EQ(b.status, 0) << b.err;
    const auto bv = nl::io::load_npy(sb.path("b.npy").string()).to_vector();
    EXPECT_EQ(std::vector<double>(bv.begin(), bv.begin() + 8), nl::io::load_npy(sb.path("a.npy").string()).to_vector());
}

TEST(Sample, CudaDeviceGivesTheSameTensor) {
    // Without a GPU the CPU samples it (with a note); with one, the GPU's bits are the same.
    Sandbox sb;
    const Result cpu = sb.noiselab({"sample", "--seed", "3", "--shape", "1000", "--device", "cpu"});
    const Result gpu = sb.noiselab({"sample", "--seed", "3", "--shape", "1000", "--device", "cuda"});
    ASSERT_EQ(cpu.status, 0) << cpu.err;
    ASSERT_EQ(gpu.status, 0) << gpu.err;
    EXPECT_EQ(printed_hash(cpu.out), printed_hash(gpu.out));
}

TEST(Sample, ScatterAndImageOptions) {
    Sandbox sb;
    const Result r = sb.noiselab({"sample", "--shape", "500,2", "--scatter", "s.png", "--out", "g.png", "--colormap", "viridis",
                                  "--range", "sigma:2", "--hist", "h.png", "--hist-log"});
    ASSERT_EQ(r.status, 0) << r.err;
    const nl::io::Recipe g = recipe_of(sb.path("g.png"));
    EXPECT_EQ(g.extra.at("image"), "grid");
    EXPECT_EQ(g.extra.at("colormap"), "viridis");
    EXPECT_EQ(g.extra.at("range"), "sigma:2");
    EXPECT_EQ(recipe_of(sb.path("s.png")).extra.at("image"), "scatter");
    EXPECT_EQ(recipe_of(sb.path("h.png")).extra.at("image"), "histogram");
}

TEST(Sample, StatsAgainstTheory) {
    Sandbox sb;
    const Result n = sb.noiselab({"sample", "--dist", "normal", "--shape", "20000", "--seed", "1", "--stats"});
    ASSERT_EQ(n.status, 0) << n.err;
    for (const char* word : {"mean", "std", "skewness", "excess kurtosis", "min", "max", "KS test", "p-value"})
        EXPECT_NE(n.out.find(word), std::string::npos) << word << "\n" << n.out;
    const Result k = sb.noiselab({"sample", "--dist", "poisson", "--lambda", "3", "--shape", "20000", "--seed", "1", "--stats"});
    ASSERT_EQ(k.status, 0) << k.err;
    EXPECT_NE(k.out.find("chi-square"), std::string::npos) << k.out;
    // A permutation's values are flat by construction: its order is tested instead.
    const Result p = sb.noiselab({"sample", "--dist", "randperm", "--shape", "1000", "--seed", "1", "--stats"});
    ASSERT_EQ(p.status, 0) << p.err;
    EXPECT_NE(p.out.find("order test (position bands x value bands)"), std::string::npos) << p.out;
    EXPECT_NE(p.out.find("dof = 81"), std::string::npos) << p.out;
    // Draws without replacement: probs describe only the first, so neither theory nor test.
    const Result w = sb.noiselab({"sample", "--dist", "multinomial", "--probs", "1,2,3,4,5", "--shape", "5", "--seed", "1", "--stats"});
    ASSERT_EQ(w.status, 0) << w.err;
    EXPECT_NE(w.out.find("(no theory: draws without replacement are not independent"), std::string::npos) << w.out;
    EXPECT_NE(w.out.find("n/a"), std::string::npos) << w.out;
    EXPECT_NE(w.out.find("goodness of fit: not tested"), std::string::npos) << w.out;
}

}  // namespace
