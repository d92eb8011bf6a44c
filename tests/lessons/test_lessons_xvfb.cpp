// Every lesson opened by the real app under Xvfb (`noiselab --lesson FILE --reveal`): the
// screenshot shows the lesson column's text and the lesson's key visual (sample-coloured pixels
// in the visual area: histogram bars, pairs, masks, probability bars...). Bad lesson files give
// a message naming the file and the field, exit status 2, no crash. Presentation mode drops the
// sampler column.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "gui/layout.h"
#include "gui/lessons/lesson.h"
#include "gui/options.h"
#include "gui/theme.h"
#include "tests/support/picture.h"
#include "tests/support/process.h"

namespace fs = std::filesystem;
using namespace nl;

namespace {

using test::load_picture;
using test::Picture;
using test::ProcessResult;

ProcessResult run(const std::string& args) { return test::run_shell("'" + std::string(NOISELAB_APP) + "' " + args); }

bool is(const unsigned char* px, ImU32 c) { return px[0] == (c & 0xFF) && px[1] == ((c >> 8) & 0xFF) && px[2] == ((c >> 16) & 0xFF); }

constexpr int kTop = 60, kBottom = 740;

int count(const Picture& p, const gui::Rect& r, ImU32 colour) {
    int n = 0;
    for (int y = kTop; y < kBottom; ++y)
        for (int x = static_cast<int>(r.x) + 2; x < static_cast<int>(r.right()) - 2; ++x) n += is(p.at(x, y), colour);
    return n;
}
// Pixels that are not the panel background: text, bars, frames.
int ink(const Picture& p, const gui::Rect& r) {
    int n = 0;
    for (int y = kTop; y < kBottom; ++y)
        for (int x = static_cast<int>(r.x) + 2; x < static_cast<int>(r.right()) - 2; ++x) n += !is(p.at(x, y), gui::theme::kPanelBackground);
    return n;
}

class LessonsApp : public ::testing::Test {
protected:
    void SetUp() override {
        if (!std::getenv("DISPLAY") && !std::getenv("WAYLAND_DISPLAY")) GTEST_SKIP() << "no display (run through xvfb-run, as ctest does)";
        dir = fs::path(NOISELAB_BINARY_DIR) / "lessons_app_test";
        fs::create_directories(dir);
    }
    Picture shot(const std::string& name, const std::string& flags) {
        const std::string path = (dir / name).string();
        const ProcessResult r = run(flags + " --frames 8 --force --screenshot '" + path + "'");
        EXPECT_EQ(r.status, 0) << r.output;
        Picture p = load_picture(path);
        EXPECT_EQ(p.w, 1280) << r.output;
        return p;
    }
    fs::path dir;
};

}  // namespace

TEST_F(LessonsApp, EveryLessonShowsItsTextAndItsKeyVisual) {
    const std::vector<gui::Lesson> all = gui::lesson_catalogue();
    ASSERT_GE(all.size(), 3u);
    for (const gui::Lesson& L : all) {
        SCOPED_TRACE(L.id);
        const Picture p = shot(L.id + ".png", "--lesson '" + L.file + "' --reveal");
        if (p.w != 1280) continue;
        const gui::LessonLayout lay = gui::compute_lesson_layout(1280, 800, 26, 28, 1.0f, L.show_sampler);
        EXPECT_GT(ink(p, lay.lesson), 5000) << "the explanation and code are drawn";
        const int sample_px = count(p, lay.visual, gui::theme::kSample);
        EXPECT_GT(sample_px, 3000) << "the key visual (sample-coloured marks) is on screen";
    }
}

TEST_F(LessonsApp, APredictionHidesTheVisualUntilAnswered) {
    const std::string file = gui::lessons_dir() + "/03_integers.json";
    const Picture hidden = shot("hidden.png", "--lesson '" + file + "'");
    const Picture shown = shot("shown.png", "--lesson '" + file + "' --reveal");
    if (hidden.w != 1280 || shown.w != 1280) return;
    const gui::LessonLayout lay = gui::compute_lesson_layout(1280, 800, 26, 28, 1.0f, true);
    EXPECT_EQ(count(hidden, lay.visual, gui::theme::kSample), 0);
    EXPECT_GT(count(shown, lay.visual, gui::theme::kSample), 3000);
}

TEST_F(LessonsApp, PresentationModeHidesTheSamplerColumn) {
    const std::string file = gui::lessons_dir() + "/01_uniform.json";
    const Picture p = shot("present.png", "--lesson '" + file + "' --reveal --present --lock");
    if (p.w != 1280) return;
    const gui::LessonLayout lay = gui::compute_lesson_layout(1280, 800, 26, 0, 1.4f, false);
    EXPECT_GT(count(p, lay.visual, gui::theme::kSample), 10000) << "the visual takes the freed width";
}

TEST_F(LessonsApp, ABadLessonFileIsRefusedWithItsNameAndField) {
    const std::string bad = (dir / "bad_lesson.json").string();
    std::ofstream(bad) << R"({"id":"x","number":1,"title":"X","explanation":["a","b","c"],"visual":"nope"})";
    ProcessResult r = run("--lesson '" + bad + "' --frames 2");
    EXPECT_EQ(r.status, gui::kExitBadInput) << r.output;
    EXPECT_NE(r.output.find(bad + ": field 'visual'"), std::string::npos) << r.output;
    r = run("--lesson /nonexistent/x.json --frames 2");
    EXPECT_EQ(r.status, gui::kExitBadInput) << r.output;
    EXPECT_NE(r.output.find("/nonexistent/x.json"), std::string::npos) << r.output;
    r = run("--lesson");
    EXPECT_EQ(r.status, gui::kExitBadInput) << r.output;
    r = run("gui --help");
    EXPECT_EQ(r.status, 0);
    EXPECT_NE(r.output.find("--lesson FILE.json"), std::string::npos) << r.output;
}
