// End-to-end tests of the model subcommands (`noiselab diffuse`, `gan`, `vae`, `lm`): the files
// they write, that the same command gives the same tensor, what `noiselab info` says of their
// PNGs, their progress lines and their refusals (exit 2, one line naming the flag). Small runs:
// a few steps and samples each.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <sstream>
#include <string>
#include <vector>

#include "cli_run.h"
#include "tensor/io/npy.h"
#include "tensor/tensor.h"

using namespace cli_test;

namespace {

int count_of(const std::string& text, const std::string& what) {
    int n = 0;
    for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
    return n;
}

const std::vector<std::string> kDigits = {"diffuse", "--model", "digits", "--class", "3", "--n", "2", "--steps", "4", "--seed", "7"};

std::vector<std::string> with(std::vector<std::string> args, const std::vector<std::string>& more) {
    args.insert(args.end(), more.begin(), more.end());
    return args;
}

TEST(ModelCommands, DiffuseWritesTheGridTheTensorAndARecipeThatReproducesIt) {
    Sandbox sb;
    const Result r = sb.noiselab(with(kDigits, {"--out", "d.png", "--npy", "d.npy"}));
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_NE(r.err.find("wrote d.npy [2, 1, 20, 20]"), std::string::npos) << r.err;
    ASSERT_TRUE(sb.exists("d.png"));

    // The same command again: the same bytes; another seed: others.
    ASSERT_EQ(sb.noiselab(with(kDigits, {"--npy", "again.npy"})).status, 0);
    EXPECT_EQ(read_text(sb.path("d.npy")), read_text(sb.path("again.npy")));
    std::vector<std::string> other = kDigits;
    other.back() = "8";
    ASSERT_EQ(sb.noiselab(with(other, {"--npy", "other.npy"})).status, 0);
    EXPECT_NE(read_text(sb.path("d.npy")), read_text(sb.path("other.npy")));

    // info names the command that made the PNG (not "cannot sample it again").
    const Result i = sb.noiselab({"info", "d.png"});
    ASSERT_EQ(i.status, 0) << i.err;
    EXPECT_NE(i.out.find("reproduce with:\n  noiselab diffuse --model digits --class 3 --n 2 --steps 4 --seed 7"),
              std::string::npos)
        << i.out;
    EXPECT_EQ(i.out.find("cannot sample"), std::string::npos) << i.out;
}

TEST(ModelCommands, ProgressIntoAPipeIsALinePerTenthOfTheRun) {
    Sandbox sb;
    const Result r = sb.noiselab({"diffuse", "--model", "moons", "--n", "20", "--steps", "25", "--npy", "m.npy"});
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(count_of(r.err, ": step "), 10) << r.err;
    EXPECT_EQ(count_of(r.err, "\r"), 0) << r.err;
    EXPECT_NE(r.err.find("diffuse moons: step 25/25\n"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("wrote m.npy [20, 2]"), std::string::npos) << r.err;

    const Result q = sb.noiselab({"diffuse", "--model", "moons", "--n", "20", "--steps", "25", "--npy", "q.npy", "--quiet"});
    ASSERT_EQ(q.status, 0) << q.err;
    EXPECT_EQ(count_of(q.err, ": step "), 0) << q.err;
}

TEST(ModelCommands, GanAndVaeWriteTheirImages) {
    Sandbox sb;
    const Result g = sb.noiselab({"gan", "--seed", "7", "--n", "4", "--out", "g.png", "--npy", "g.npy"});
    ASSERT_EQ(g.status, 0) << g.err;
    EXPECT_NE(g.err.find("wrote g.npy [4, 1, 20, 20]"), std::string::npos) << g.err;
    const Result s = sb.noiselab({"gan", "--interp", "7,8", "--steps", "5", "--npy", "strip.npy"});
    ASSERT_EQ(s.status, 0) << s.err;
    const Result v = sb.noiselab({"vae", "--latent-grid", "--out", "v.png"});
    ASSERT_EQ(v.status, 0) << v.err;
    EXPECT_TRUE(sb.exists("g.png") && sb.exists("strip.npy") && sb.exists("v.png"));
}

TEST(ModelCommands, LanguageModelPrintsNWordsReproducibly) {
    Sandbox sb;
    const std::vector<std::string> args = {"lm", "--n", "5", "--seed", "7", "--temperature", "0.8", "--top-k", "10", "--top-p", "0.9"};
    const Result a = sb.noiselab(args), b = sb.noiselab(args);
    ASSERT_EQ(a.status, 0) << a.err;
    EXPECT_EQ(count_of(a.out, "\n"), 5) << a.out;
    EXPECT_EQ(a.out, b.out);
}

TEST(ModelCommands, LanguageModelWritesItsWordsAsSymbolsAndAPicture) {
    Sandbox sb;
    const std::vector<std::string> args = {"lm", "--n", "6", "--seed", "7", "--temperature", "0.8", "--top-k", "10"};
    const Result r = sb.noiselab(with(args, {"--out", "w.png", "--npy", "w.npy"}));
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(r.out, sb.noiselab(args).out) << "writing files must not change the words";
    ASSERT_TRUE(sb.exists("w.png"));

    // The .npy decodes to the printed words: symbols 1-26 = a-z, then 0 (the end) to the row's end.
    std::vector<std::string> printed;
    std::istringstream lines(r.out);
    for (std::string w; std::getline(lines, w);) printed.push_back(w);
    ASSERT_EQ(printed.size(), 6u) << r.out;
    const nl::Tensor t = nl::io::load_npy(sb.path("w.npy").string());
    ASSERT_EQ(t.dtype(), nl::DType::Int64);
    ASSERT_EQ(t.dim(), 2);
    ASSERT_EQ(t.size(0), 6);
    size_t longest = 0;
    for (const std::string& w : printed) longest = std::max(longest, w.size());
    EXPECT_EQ(t.size(1), static_cast<int64_t>(longest) + 1);
    const std::vector<double> v = t.to_vector();
    for (int64_t i = 0; i < t.size(0); ++i) {
        std::string word;
        int64_t j = 0;
        for (; j < t.size(1) && v[i * t.size(1) + j] != 0; ++j) word += static_cast<char>('a' + v[i * t.size(1) + j] - 1);
        for (; j < t.size(1); ++j) EXPECT_EQ(v[i * t.size(1) + j], 0) << "row " << i << " after the end";
        EXPECT_EQ(word, printed[static_cast<size_t>(i)]);
    }
    EXPECT_NE(r.err.find("wrote w.npy [6, " + std::to_string(longest + 1) + "]"), std::string::npos) << r.err;

    const Result i = sb.noiselab({"info", "w.png"});
    ASSERT_EQ(i.status, 0) << i.err;
    EXPECT_NE(i.out.find("reproduce with:\n  noiselab lm --n 6 --seed 7"), std::string::npos) << i.out;
}

TEST(ModelCommands, LanguageModelWritesTheNextCharacterDistribution) {
    Sandbox sb;
    const Result r = sb.noiselab({"lm", "--next", "qu", "--top-k", "3", "--out", "n.png", "--npy", "n.npy"});
    ASSERT_EQ(r.status, 0) << r.err;
    ASSERT_TRUE(sb.exists("n.png"));
    const nl::Tensor t = nl::io::load_npy(sb.path("n.npy").string());
    ASSERT_EQ(t.dtype(), nl::DType::Float64);
    ASSERT_EQ(t.shape(), (nl::Shape{27}));
    const std::vector<double> p = t.to_vector();
    double total = 0;
    int kept = 0;
    for (double x : p) {
        total += x;
        kept += x > 0;
    }
    EXPECT_NEAR(total, 1.0, 1e-12);
    EXPECT_EQ(kept, 3) << "top-k 3 keeps three characters";
    // The printed lines are the same numbers.
    for (size_t k = 1; k < p.size(); ++k)
        if (p[k] > 0) {
            const std::string letter(1, static_cast<char>('a' + k - 1));
            const size_t at = r.out.find("\n  " + letter + "  ");
            ASSERT_NE(at, std::string::npos) << letter << " in " << r.out;
            EXPECT_NEAR(std::stod(r.out.substr(at + 5)), p[k], 5e-5) << letter;
        }
}

TEST(ModelCommands, BadFlagsExitTwoNamingTheFlagAndWriteNothing) {
    Sandbox sb;
    struct Case {
        std::vector<std::string> args;
        std::vector<std::string> mentions;
    };
    const std::vector<Case> cases = {
        {{"diffuse", "--model", "nosuch", "--out", "x.png"}, {"--model", "nosuch", "digits", "spiral"}},
        {{"diffuse", "--model", "moons", "--class", "3", "--out", "x.png"}, {"--class", "digits"}},
        {{"diffuse", "--model", "digits", "--class", "11", "--out", "x.png"}, {"--class", "11"}},
        {{"diffuse", "--steps", "0", "--out", "x.png"}, {"--steps", "0"}},
        {{"gan", "--interp", "7", "--out", "x.png"}, {"--interp", "7"}},
        {{"vae", "--latent-grid", "--n", "0", "--out", "x.png"}, {"--n", "0"}},
        {{"lm", "--top-p", "2"}, {"--top-p", "2"}},
        {{"lm", "--temperature", "-1"}, {"--temperature", "-1"}},
        {{"lm", "--prefix", "a.b", "--out", "x.png"}, {"prefix", "a.b"}},
    };
    for (const Case& c : cases) {
        const Result r = sb.noiselab(c.args);
        std::string shown;
        for (const std::string& a : c.args) shown += a + " ";
        EXPECT_EQ(r.status, 2) << shown << r.err;
        for (const std::string& m : c.mentions) EXPECT_NE(r.err.find(m), std::string::npos) << shown << ": " << r.err;
        EXPECT_EQ(count_of(r.err, "\n"), 1) << shown << ": " << r.err;
        EXPECT_FALSE(sb.exists("x.png")) << shown;
    }
}

}  // namespace
