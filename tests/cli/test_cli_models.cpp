// End-to-end tests of the model subcommands (`noiselab diffuse`, `gan`, `vae`, `lm`): the files
// they write, that the same command gives the same tensor, what `noiselab info` says of their
// PNGs, their progress lines and their refusals (exit 2, one line naming the flag). Small runs:
// a few steps and samples each.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cli_run.h"

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
