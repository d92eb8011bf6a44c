// The simulation lessons (8, 9, 12, 14, 15, 16) opened in a headless app: each draws without an
// error, asserts its facts (and they pass), and its PyTorch code follows the visual's settings.
// Variants of the shipped presets (other visual_params) check that the facts follow the settings;
// lesson 14's snippet is also run by PyTorch where /usr/bin/python3 imports torch.
#include <gtest/gtest.h>

#include <imgui_internal.h>

#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>
#include <vector>

#include "lesson_test_util.h"
#include "tests/support/process.h"

using namespace nl;
using namespace nl::gui;
using nl::gui::testing::HeadlessApp;

// HeadlessApp owns the current ImGui context: one at a time, each in its own
// scope.

namespace {

Lesson preset(const std::string& id) {
    for (const Lesson& L : lesson_catalogue())
        if (L.id == id) return L;
    throw std::runtime_error("no preset " + id);
}

// Opens L, reveals it and runs frames until its checks exist and stop changing
// (at most `max`).
void run_lesson(HeadlessApp& app, const Lesson& L, int min_checks, int max_frames = 200) {
    open_lesson(app.state, L);
    app.state.lesson.revealed = true;
    for (int i = 0; i < max_frames; ++i) {
        app.frame();
        if (static_cast<int>(app.state.lesson.checks.size()) >= min_checks) break;
    }
}

const LessonCheck* find_check(const LessonState& l, const std::string& start) {
    for (const LessonCheck& c : l.checks)
        if (c.name.rfind(start, 0) == 0) return &c;
    return nullptr;
}

// The detail of the check whose name starts so ("<no such check>" when none does).
std::string detail_of(const LessonState& l, const std::string& start) {
    const LessonCheck* c = find_check(l, start);
    return c ? c->detail : "<no such check>";
}

void expect_all_pass(const LessonState& l, size_t n) {
    EXPECT_EQ(l.message, "") << "no visual error";
    ASSERT_EQ(l.checks.size(), n);
    for (const LessonCheck& c : l.checks) EXPECT_TRUE(c.passed) << c.name << ": " << c.detail;
}

}  // namespace

TEST(SimsVisuals, GpuReproShowsChangesForAnotherSmCountAndNoneForNoiseLab) {
    Lesson L = preset("12_gpu_reproducibility");
    {
        HeadlessApp app;
        run_lesson(app, L, 2);
        expect_all_pass(app.state.lesson, 2);
        EXPECT_NE(detail_of(app.state.lesson, "PyTorch").find("3,973,120 of 4,194,304"), std::string::npos)
            << detail_of(app.state.lesson, "PyTorch");
        EXPECT_NE(app.state.lesson.code.find("torch.rand(4194304, device=device)"), std::string::npos);
        EXPECT_NE(app.state.lesson.code.find("rand_108sm.pt"), std::string::npos);
        EXPECT_NE(ImGui::FindWindowByName("###GPU reproducibility: which elements of "
                                          "torch.rand change on another GPU?"),
                  nullptr);
    }
    // The same SM count as the reference: nothing changes, and the facts still
    // hold.
    HeadlessApp same;
    L.visual_params["sms"] = 108;
    L.visual_params["n_log2"] = 16;
    run_lesson(same, L, 2);
    expect_all_pass(same.state.lesson, 2);
    EXPECT_NE(detail_of(same.state.lesson, "PyTorch").find("0 of 65,536"), std::string::npos);
    EXPECT_NE(same.state.lesson.code.find("torch.rand(65536,"), std::string::npos);
}

TEST(SimsVisuals, DataLoaderFlagsRepeatsOnlyWithNaiveSeeding) {
    Lesson L = preset("14_dataloader_workers");
    {
        HeadlessApp naive;
        run_lesson(naive, L, 2);
        expect_all_pass(naive.state.lesson, 2);
        EXPECT_NE(find_check(naive.state.lesson, "naive seeding: workers repeat augmentations"), nullptr);
        EXPECT_NE(detail_of(naive.state.lesson, "naive seeding").find("24 samples share 12"),
                  std::string::npos);
        EXPECT_EQ(naive.state.lesson.code.find("worker_init_fn"), std::string::npos);
        EXPECT_NE(naive.state.lesson.code.find("num_workers=2"), std::string::npos);
    }

    HeadlessApp correct;
    L.visual_params["correct"] = true;
    L.visual_params["workers"] = 3;
    run_lesson(correct, L, 2);
    expect_all_pass(correct.state.lesson, 2);
    EXPECT_NE(find_check(correct.state.lesson, "no augmentation is repeated"), nullptr);
    EXPECT_NE(correct.state.lesson.code.find("worker_init_fn=worker_init_fn"), std::string::npos);
    EXPECT_NE(correct.state.lesson.code.find("num_workers=3"), std::string::npos);
}

TEST(SimsVisuals, InitialisationAssertsTheThreeTrends) {
    Lesson L = preset("16_initialisation");
    {
        HeadlessApp app;
        run_lesson(app, L, 3);
        expect_all_pass(app.state.lesson, 3);
        EXPECT_NE(app.state.lesson.code.find("kaiming_normal_"), std::string::npos);
    }
    HeadlessApp small;
    L.visual_params["show"] = "small";
    L.visual_params["layers"] = 6;
    run_lesson(small, L, 3);
    expect_all_pass(small.state.lesson, 3);
    EXPECT_NE(small.state.lesson.code.find("nn.init.normal_(lin.weight, std=0.01)"), std::string::npos);
    EXPECT_NE(small.state.lesson.code.find("range(6)"), std::string::npos);
}

TEST(SimsVisuals, SeedSweepTrainsIncrementallyAndReproducesItsFirstSeed) {
    HeadlessApp app;
    Lesson L = preset("15_seeds_in_training");
    L.visual_params["k"] = 6;
    L.visual_params["steps_per_frame"] = 100;  // 6 runs x 140 steps: several frames
    L.visual_params["training"] = "sequential";  // "auto" trains batched where there is a GPU
    open_lesson(app.state, L);
    app.state.lesson.revealed = true;
    app.frames(2);
    EXPECT_TRUE(app.state.lesson.checks.empty()) << "no facts before the sweep is done";
    run_lesson(app, L, 2);
    expect_all_pass(app.state.lesson, 2);
    EXPECT_NE(detail_of(app.state.lesson, "same seed, same accuracy").find("seed 0"), std::string::npos);
    EXPECT_NE(app.state.lesson.code.find("range(0, 6)"), std::string::npos);
    EXPECT_NE(app.state.lesson.code.find("torch.optim.Adam"), std::string::npos);
}

// All K at once: the sweep and the re-run of all K seeds both advance frame by frame, the check
// compares every seed's accuracy, and the code trains the stacked weights.
TEST(SimsVisuals, SeedSweepTrainsAllSeedsAtOnceAndReproducesThemAll) {
    HeadlessApp app;
    Lesson L = preset("15_seeds_in_training");
    L.visual_params["k"] = 6;
    L.visual_params["steps_per_frame"] = 60;  // 10 steps of all 6 runs a frame: 14 frames, twice
    L.visual_params["training"] = "batched";
    open_lesson(app.state, L);
    app.state.lesson.revealed = true;
    app.frames(20);
    EXPECT_TRUE(app.state.lesson.checks.empty()) << "no facts before the re-run is done";
    run_lesson(app, L, 2);
    expect_all_pass(app.state.lesson, 2);
    EXPECT_NE(detail_of(app.state.lesson, "same seed, same accuracy").find("all 6 seeds trained again: identical"),
              std::string::npos);
    EXPECT_NE(app.state.lesson.code.find("torch.baddbmm"), std::string::npos);
    EXPECT_NE(app.state.lesson.code.find("range(0, 6)"), std::string::npos);
}

TEST(SimsVisuals, DevicesRunsTheCpuHalfEverywhere) {
    HeadlessApp app;
    run_lesson(app, preset("09_devices"), 1);
    expect_all_pass(app.state.lesson, 1);
    EXPECT_NE(app.state.lesson.code.find("torch.randn(1048576, dtype=torch.float32"), std::string::npos);
}

TEST(SimsVisuals, GenerativeNoiseShowsTheTensorsAndRunsTheDiffusionIncrementally) {
    HeadlessApp app;
    Lesson L = preset("08_generative_noise");
    L.visual_params["steps"] = 4;
    L.visual_params["n"] = 4;
    run_lesson(app, L, 2);
    expect_all_pass(app.state.lesson, 2);
    app.frames(5);  // one DDIM step per frame
    expect_all_pass(app.state.lesson, 2);
    EXPECT_NE(app.state.lesson.code.find("torch.randn(32, 3, 64, 64, generator=g)"), std::string::npos);
    EXPECT_NE(app.state.lesson.code.find("--steps 4 --n 4"), std::string::npos);
}

// Lesson 14's claim checked against PyTorch itself (where /usr/bin/python3 imports torch): the
// lesson's own snippet, run as shown, repeats angles across the two workers with naive seeding and
// repeats none with worker_init_fn.
namespace {

std::string run_python(const std::string& code, const std::string& name) {
    const std::string path = std::string(NOISELAB_BINARY_DIR) + "/" + name;
    std::ofstream(path) << code;
    return nl::test::run_shell("timeout 120 /usr/bin/python3 '" + path + "'").output;
}

// The numbers inside every "angles [...]" of the output.
std::vector<std::string> angles_of(const std::string& out) {
    std::vector<std::string> a;
    for (size_t at = out.find("angles ["); at != std::string::npos; at = out.find("angles [", at + 1)) {
        const size_t open = at + 8, close = out.find(']', open);
        std::stringstream ss(out.substr(open, close - open));
        for (std::string v; std::getline(ss, v, ',');) a.push_back(v.substr(v.find_first_not_of(' ')));
    }
    return a;
}

}  // namespace

TEST(SimsVisuals, DataLoaderSnippetRepeatsInPyTorchOnlyWhenNaive) {
    if (std::system("/usr/bin/python3 -c 'import torch' >/dev/null 2>&1") != 0)
        GTEST_SKIP() << "torch is not importable by /usr/bin/python3";
    for (bool correct : {false, true}) {
        std::string code;
        {
            HeadlessApp app;
            Lesson L = preset("14_dataloader_workers");
            L.visual_params["correct"] = correct;
            run_lesson(app, L, 2);
            code = app.state.lesson.code;
        }
        const std::string out = run_python(code, correct ? "sims_loader_correct.py" : "sims_loader_naive.py");
        const std::vector<std::string> a = angles_of(out);
        ASSERT_EQ(a.size(), 24u) << out;  // 24 samples, one epoch
        const std::set<std::string> distinct(a.begin(), a.end());
        if (correct)
            EXPECT_EQ(distinct.size(), 24u) << out;
        else
            EXPECT_EQ(distinct.size(), 12u) << out;  // worker 0's k-th sample = worker 1's k-th
    }
}
