// Assignments, frame scripts and the app's command line.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "gui/app.h"
#include "gui/options.h"
#include "gui/script.h"
#include "tensor/errors.h"

using namespace nl;
using namespace nl::gui;

namespace {

GuiOptions parse(std::vector<std::string> args) {
    args.insert(args.begin(), "noiselab");
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    return parse_gui_args(static_cast<int>(argv.size()), argv.data());
}

}  // namespace

TEST(GuiScript, AssignmentsChangeTheState) {
    AppState s = default_state();
    apply_assignments(s, {{"seed", "7"}, {"std", "2"}, {"dist", "normal"}, {"shape", "2048,2"}, {"log", "on"},
                          {"colormap", "viridis"}, {"range", "sigma:2.5"}, {"bins", "40"}, {"view", "scatter"}});
    EXPECT_EQ(s.sampler.settings.seed, 7u);
    EXPECT_EQ(s.sampler.settings.params[1], 2.0);  // dist first, so std=2 is not reset
    EXPECT_EQ(s.sampler.settings.shape, (Shape{2048, 2}));
    EXPECT_TRUE(s.histogram.log_scale);
    EXPECT_EQ(s.image.colormap, render::Colormap::Viridis);
    EXPECT_EQ(s.image.range.mode, render::ValueRange::Mode::Sigma);
    EXPECT_DOUBLE_EQ(s.image.range.k, 2.5);
    EXPECT_FALSE(s.histogram.options.auto_bins);
    EXPECT_EQ(s.histogram.options.bins, 40);
    EXPECT_EQ(s.image.mode, ViewMode::Scatter);
    apply_assignment(s, {"seed", "0x10"});
    EXPECT_EQ(s.sampler.settings.seed, 16u);
    apply_assignment(s, {"seed", "18446744073709551615"});
    EXPECT_EQ(s.sampler.settings.seed, ~uint64_t(0));
}

// workspace= switches between the sampler columns and the Models workspace's tabs, so the app
// can photograph each model panel (--script "workspace=gan").
// Cauchy's tails: the grid's Map switches from min-to-max to the 1%..99% quantiles (and says
// so), unless the user chose the range.
TEST(GuiScript, CauchyGetsAQuantileMapUnlessARangeWasChosen) {
    AppState s = default_state();
    update(s);
    EXPECT_EQ(s.image.range.mode, render::ValueRange::Mode::MinMax);
    apply_assignment(s, {"dist", "cauchy"});
    update(s);
    EXPECT_EQ(s.image.range.mode, render::ValueRange::Mode::Quantile);
    EXPECT_EQ(s.image.range.q, 0.025);
    EXPECT_NE(s.sampler.notice.find("quantiles"), std::string::npos) << s.sampler.notice;

    AppState t = default_state();
    apply_assignments(t, {{"dist", "cauchy"}, {"range", "minmax"}});
    update(t);
    EXPECT_EQ(t.image.range.mode, render::ValueRange::Mode::MinMax) << "range=minmax was asked for";
    apply_assignment(t, {"range", "quantile:0.05"});
    EXPECT_EQ(t.image.range.q, 0.05);
    EXPECT_EQ(render::value_range_text(t.image.range), "quantile:0.05");
    EXPECT_EQ(render::parse_value_range(render::value_range_text(t.image.range), "range").q, 0.05);
}

TEST(GuiScript, WorkspaceOpensTheModelsTabs) {
    AppState s = default_state();
    EXPECT_FALSE(s.models_workspace);
    apply_assignment(s, {"workspace", "gan"});
    EXPECT_TRUE(s.models_workspace);
    EXPECT_EQ(s.models.tab, ModelsTab::Gan);
    apply_assignment(s, {"workspace", "LM"});
    EXPECT_EQ(s.models.tab, ModelsTab::Lm);
    apply_assignment(s, {"workspace", "noise"});
    EXPECT_FALSE(s.models_workspace);
    EXPECT_EQ(s.models.tab, ModelsTab::Lm);  // the tab is kept for the next visit
    apply_assignment(s, {"workspace", "models"});
    EXPECT_TRUE(s.models_workspace);
    try {
        apply_assignment(s, {"workspace", "lessons"});
        ADD_FAILURE() << "workspace=lessons was accepted";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("workspace=lessons"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("diffusion"), std::string::npos) << e.what();
    }
}

TEST(GuiScript, BadAssignmentsNameTheKeyAndTheValidOnes) {
    AppState s = default_state();
    auto message = [&](const Assignment& a) -> std::string {
        try {
            apply_assignment(s, a);
        } catch (const Error& e) {
            return e.what();
        }
        return "";
    };
    EXPECT_NE(message({"colour", "red"}).find("valid:"), std::string::npos);
    EXPECT_NE(message({"seed", "-1"}).find("seed=-1"), std::string::npos);
    EXPECT_NE(message({"seed", "18446744073709551616"}).find("seed"), std::string::npos);
    EXPECT_NE(message({"std", "-3"}).find("std=-3"), std::string::npos);
    EXPECT_NE(message({"p", "0.5"}).find("no parameter 'p'"), std::string::npos);
    EXPECT_NE(message({"dtype", "int64"}).find("floating"), std::string::npos);
    EXPECT_NE(message({"range", "fixed:2,1"}).find("LO must be < HI"), std::string::npos);
    EXPECT_NE(message({"bins", "0"}).find("[1, 1000]"), std::string::npos);
    EXPECT_NE(message({"stream", "3"}).find("stream 0"), std::string::npos);
    EXPECT_NE(message({"probs", "0.5,0.5"}).find("normal takes no probs; multinomial does"), std::string::npos);
    EXPECT_NE(message({"replacement", "off"}).find("only multinomial"), std::string::npos);
    EXPECT_EQ(s.sampler.settings, default_state().sampler.settings);  // nothing half-applied
}

TEST(GuiScript, WeightsAndReplacementSetMultinomialAndCategorical) {
    AppState s = default_state();
    apply_assignments(s, {{"dist", "multinomial"}, {"probs", "[1, 2, 7]"}, {"replacement", "off"}, {"shape", "3"}});
    EXPECT_EQ(s.sampler.settings.weights, (std::vector<double>{1, 2, 7}));
    EXPECT_FALSE(s.sampler.settings.replacement);
    EXPECT_THROW(apply_assignment(s, {"logits", "1,2"}), ValueError);  // multinomial takes probs
    EXPECT_THROW(apply_assignment(s, {"probs", "1,-2"}), ValueError);
    EXPECT_EQ(s.sampler.settings.weights, (std::vector<double>{1, 2, 7}));
    apply_assignments(s, {{"dist", "categorical"}, {"logits", "0,-inf,3"}, {"temperature", "2"}});
    EXPECT_EQ(s.sampler.settings.params[0], 2.0);
    EXPECT_TRUE(std::isinf(s.sampler.settings.weights[1]));
    update(s);
    EXPECT_TRUE(s.sampler.error.empty()) << s.sampler.error;
    EXPECT_EQ(s.sampler.tensor.dtype(), DType::Int64);
    // The command line spells them as flags: --probs LIST --replacement (a switch).
    const GuiOptions o = parse({"--dist", "multinomial", "--probs", "0.2,0.8", "--replacement", "--seed", "3"});
    AppState t = default_state();
    apply_assignments(t, o.settings);
    EXPECT_EQ(t.sampler.settings.weights, (std::vector<double>{0.2, 0.8}));
    EXPECT_TRUE(t.sampler.settings.replacement);
    // Without --replacement the flags draw as `noiselab sample` and PyTorch do: without.
    for (const std::vector<std::string>& args : {std::vector<std::string>{"--dist", "multinomial", "--probs", "1,2,3", "--shape", "3"},
                                                 {"--dist", "multinomial", "--no-replacement", "--probs", "1,2,3", "--shape", "3"}}) {
        AppState u = default_state();
        apply_assignments(u, parse(args).settings);
        EXPECT_FALSE(u.sampler.settings.replacement);
    }
}

TEST(GuiScript, ParsesFrameScripts) {
    const std::vector<ScriptStep> steps = parse_script("frame 5: seed=7; frame 10: dist=uniform high=3; live=on");
    ASSERT_EQ(steps.size(), 3u);
    EXPECT_EQ(steps[0].frame, 5);
    EXPECT_EQ(steps[0].assignments[0], (Assignment{"seed", "7"}));
    EXPECT_EQ(steps[1].frame, 10);
    EXPECT_EQ(steps[1].assignments.size(), 2u);
    EXPECT_EQ(steps[2].frame, 10);  // continues the previous frame
    EXPECT_THROW(parse_script("frame x: seed=1"), ValueError);
    EXPECT_THROW(parse_script("frame 3 seed=1"), ValueError);
    EXPECT_THROW(parse_script("frame 3:"), ValueError);
    EXPECT_TRUE(parse_script("").empty());
}

TEST(GuiScript, RunnerAppliesStepsOnceAtTheirFrame) {
    AppState s = default_state();
    ScriptRunner r(parse_script("frame 3: seed=9; frame 5: dist=uniform"));
    EXPECT_EQ(r.last_frame(), 5);
    EXPECT_EQ(r.before_frame(s, 1), 0);
    EXPECT_EQ(r.before_frame(s, 3), 1);
    EXPECT_EQ(s.sampler.settings.seed, 9u);
    s.sampler.settings.seed = 1;
    EXPECT_EQ(r.before_frame(s, 4), 0);
    EXPECT_EQ(s.sampler.settings.seed, 1u);  // not applied again
    EXPECT_EQ(r.before_frame(s, 8), 1);      // a skipped frame still runs its step
    EXPECT_EQ(s.sampler.settings.dist, DistKind::Uniform);
    EXPECT_TRUE(r.done());
}

TEST(GuiOptions, AcceptsTheSamplerFlagsAndTheAppFlags) {
    const GuiOptions o = parse({"--dist", "uniform", "--seed", "5", "--shape", "64,3,64,64", "--dtype", "float64", "--device",
                                "cpu", "--high=3", "--live", "--screenshot", "shot.png", "--frames", "12", "--script",
                                "frame 2: seed=3", "--width", "1024", "--height", "700", "--scale", "1.5", "--force"});
    EXPECT_EQ(o.screenshot, "shot.png");
    EXPECT_EQ(o.frames, 12);
    EXPECT_EQ(o.width, 1024);
    EXPECT_EQ(o.height, 700);
    EXPECT_FLOAT_EQ(o.scale, 1.5f);
    EXPECT_TRUE(o.force);
    ASSERT_EQ(o.script.size(), 1u);
    AppState s = default_state();
    apply_assignments(s, o.settings);
    EXPECT_EQ(s.sampler.settings.dist, DistKind::Uniform);
    EXPECT_EQ(s.sampler.settings.seed, 5u);
    EXPECT_EQ(s.sampler.settings.shape, (Shape{64, 3, 64, 64}));
    EXPECT_EQ(s.sampler.settings.dtype, DType::Float64);
    EXPECT_EQ(s.sampler.settings.params[1], 3.0);
    EXPECT_TRUE(s.sampler.live);
    EXPECT_EQ(parse({"--screenshot", "a.png"}).frames, 30);  // a sensible default
}

TEST(GuiOptions, RejectsBadFlagsWithAMessage) {
    EXPECT_THROW(parse({"--frames"}), ValueError);
    EXPECT_THROW(parse({"--frames", "0"}), ValueError);
    EXPECT_THROW(parse({"--width", "10"}), ValueError);
    EXPECT_THROW(parse({"--scale", "9"}), ValueError);
    EXPECT_THROW(parse({"stray"}), ValueError);
    EXPECT_THROW(parse({"--script", "frame z: x"}), ValueError);
    EXPECT_TRUE(parse({"--help"}).help);
    EXPECT_NE(gui_usage().find("--screenshot"), std::string::npos);
    EXPECT_NE(gui_usage().find("3 no display"), std::string::npos);
}

TEST(GuiOptions, NoDisplayMessageGivesTheCommandLine) {
    AppState s = default_state();
    apply_assignments(s, {{"dist", "uniform"}, {"seed", "5"}});
    const std::string m = no_display_message(s);
    EXPECT_NE(m.find("no display"), std::string::npos);
    EXPECT_NE(m.find("noiselab sample --dist uniform"), std::string::npos);
    EXPECT_NE(m.find("--seed 5"), std::string::npos);
}
