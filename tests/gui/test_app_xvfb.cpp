// The real app under Xvfb (ctest runs this binary through xvfb-run): it starts, renders, and its
// screenshots show the histogram and the grid; scripts change the picture; the same seed gives
// the same picture; a PNG it made restores its settings; no display gives the documented message
// and exit status. Pixel checks use the panel columns of gui/layout.h and the colours of
// gui/theme.h.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "gui/layout.h"
#include "gui/options.h"
#include "gui/theme.h"
#include "tensor/backend.h"
#include "tensor/io/png.h"
#include "tensor/io/recipe.h"
#include "tests/support/picture.h"
#include "tests/support/process.h"

namespace fs = std::filesystem;
using namespace nl;

#ifndef NOISELAB_APP
#error "NOISELAB_APP (the noiselab executable) must be defined by the build"
#endif

namespace {

using test::load_picture;
using test::Picture;
using test::ProcessResult;

// The app with these arguments; env: what `env` should set or unset first.
ProcessResult run(const std::string& args, const std::string& env = "") {
    return test::run_shell(env + " '" + std::string(NOISELAB_APP) + "' " + args);
}

bool is(const unsigned char* px, ImU32 c) {
    return px[0] == (c & 0xFF) && px[1] == ((c >> 8) & 0xFF) && px[2] == ((c >> 16) & 0xFF);
}

// Columns of the main window at 1280x800, scale 1 (menu and status bar heights do not matter
// for the x ranges; rows stay clear of both bars).
const gui::Layout kLayout = gui::compute_layout(1280, 800, 26, 28, 1.0f);
constexpr int kTop = 60, kBottom = 740;

int count(const Picture& p, const gui::Rect& r, ImU32 colour) {
    int n = 0;
    for (int y = kTop; y < kBottom; ++y)
        for (int x = static_cast<int>(r.x) + 2; x < static_cast<int>(r.right()) - 2; ++x) n += is(p.at(x, y), colour);
    return n;
}

// Grey pixels in the view column and how many distinct grey levels they take.
void greys(const Picture& p, int& pixels, int& levels) {
    std::set<int> seen;
    pixels = 0;
    const gui::Rect& r = kLayout.view;
    for (int y = kTop; y < kBottom; ++y)
        for (int x = static_cast<int>(r.x) + 2; x < static_cast<int>(r.right()) - 2; ++x) {
            const unsigned char* px = p.at(x, y);
            if (px[0] == px[1] && px[1] == px[2]) {
                ++pixels;
                seen.insert(px[0]);
            }
        }
    levels = static_cast<int>(seen.size());
}

// Pixels that differ between two pictures inside a column.
int differing(const Picture& a, const Picture& b, const gui::Rect& r) {
    int n = 0;
    for (int y = kTop; y < kBottom; ++y)
        for (int x = static_cast<int>(r.x); x < static_cast<int>(r.right()); ++x) {
            const unsigned char *pa = a.at(x, y), *pb = b.at(x, y);
            n += pa[0] != pb[0] || pa[1] != pb[1] || pa[2] != pb[2];
        }
    return n;
}

io::Recipe recipe_of(const std::string& png) {
    const std::vector<io::PngText> texts = io::read_png_text_chunks(png);
    const io::PngText* t = io::find_png_text(texts, io::kPngRecipeKey);
    if (!t) throw std::runtime_error(png + " has no recipe");
    return io::parse_recipe(t->text);
}

class App : public ::testing::Test {
protected:
    void SetUp() override {
        if (!std::getenv("DISPLAY") && !std::getenv("WAYLAND_DISPLAY")) GTEST_SKIP() << "no display (run through xvfb-run, as ctest does)";
        dir = fs::path(NOISELAB_BINARY_DIR) / "gui_app_test" / ::testing::UnitTest::GetInstance()->current_test_info()->name();
        fs::remove_all(dir);
        fs::create_directories(dir);
    }
    // A screenshot after `frames` frames with these flags.
    Picture shot(const std::string& name, const std::string& flags, int frames = 8) {
        const std::string path = (dir / name).string();
        // --force: run_shell may run the app twice (tests/support/process.h).
        const ProcessResult r = run(flags + " --frames " + std::to_string(frames) + " --force --screenshot '" + path + "'");
        EXPECT_EQ(r.status, 0) << r.output;
        Picture p = load_picture(path);
        EXPECT_EQ(p.w, 1280) << r.output;
        EXPECT_EQ(p.h, 800);
        return p;
    }
    std::string file(const std::string& name) const { return (dir / name).string(); }
    fs::path dir;
};

}  // namespace

TEST_F(App, StartsRendersAndShowsTheGridAndTheHistogram) {
    const Picture p = shot("default.png", "");
    if (p.w != 1280) return;
    int pixels = 0, levels = 0;
    greys(p, pixels, levels);
    EXPECT_GT(pixels, 60000) << "the image grid should fill much of the view";
    EXPECT_GT(levels, 200) << "normal noise through the gray colormap takes most grey levels";
    EXPECT_GT(count(p, kLayout.histogram, gui::theme::kSample), 8000) << "histogram bars";
    EXPECT_GT(count(p, kLayout.histogram, gui::theme::kTheory), 150) << "theoretical density curve";
    EXPECT_EQ(count(p, kLayout.view, gui::theme::kSample), 0);  // no histogram colours in the grid
    const io::Recipe r = recipe_of(file("default.png"));
    EXPECT_EQ(r.op, "normal");
    EXPECT_EQ(r.shape, (Shape{64, 1, 28, 28}));
    EXPECT_EQ(r.extra["image"], "window");
}

TEST_F(App, TheSameSeedGivesAnIdenticalPicture) {
    const Picture a = shot("a.png", "--dist uniform --seed 5");
    const Picture b = shot("b.png", "--dist uniform --seed 5");
    if (a.w != 1280 || b.w != 1280) return;
    EXPECT_EQ(differing(a, b, kLayout.view), 0);
    EXPECT_EQ(differing(a, b, kLayout.histogram), 0);
}

TEST_F(App, ScriptedSeedAndDistributionChangesChangeThePicture) {
    const Picture base = shot("base.png", "--seed 5");
    const Picture seed = shot("seed.png", "--seed 5 --script 'frame 4: seed=7'");
    const Picture unif = shot("uniform.png", "--seed 5 --script 'frame 4: dist=uniform'");
    if (base.w != 1280 || seed.w != 1280 || unif.w != 1280) return;
    const int view_px = static_cast<int>(kLayout.view.w) * (kBottom - kTop);
    EXPECT_GT(differing(base, seed, kLayout.view), view_px / 10) << "a new seed draws new noise";
    EXPECT_GT(differing(base, unif, kLayout.histogram), 5000) << "a uniform histogram looks different";
    // A flat histogram fills its plot: far more bar pixels than a bell curve.
    EXPECT_GT(count(unif, kLayout.histogram, gui::theme::kSample), 2 * count(base, kLayout.histogram, gui::theme::kSample));
    EXPECT_EQ(recipe_of(file("seed.png")).seed, 7u);
    EXPECT_EQ(recipe_of(file("uniform.png")).op, "uniform");
}

TEST_F(App, APngItMadeRestoresItsSettings) {
    const Picture a = shot("made.png", "--dist exponential --lambda 2 --seed 11 --shape 16,3,16,16 --colormap viridis --log");
    const Picture b = shot("restored.png", "--session '" + file("made.png") + "'");
    if (a.w != 1280 || b.w != 1280) return;
    EXPECT_EQ(differing(a, b, kLayout.view), 0);
    EXPECT_EQ(differing(a, b, kLayout.histogram), 0);
    const io::Recipe ra = recipe_of(file("made.png")), rb = recipe_of(file("restored.png"));
    EXPECT_EQ(rb.op, "exponential");
    EXPECT_EQ(rb.tensor_hash, ra.tensor_hash);
}

TEST_F(App, NeverOverwritesAScreenshotWithoutForce) {
    const std::string path = file("exists.png");
    { FILE* f = std::fopen(path.c_str(), "w"); std::fputs("keep", f); std::fclose(f); }
    const ProcessResult r = run("--frames 2 --screenshot '" + path + "'");
    EXPECT_EQ(r.status, gui::kExitFailure) << r.output;
    EXPECT_NE(r.output.find("--force"), std::string::npos) << r.output;
    EXPECT_EQ(fs::file_size(path), 4u);
    EXPECT_EQ(run("--frames 2 --force --screenshot '" + path + "'").status, 0);
    EXPECT_GT(fs::file_size(path), 1000u);
}

// Asked for a CUDA device where none is usable, the app draws on the CPU and says so once (it
// once opened on an empty view with only an error).
TEST_F(App, AnUnavailableCudaDeviceFallsBackToTheCpu) {
    if (nl::cuda_unavailable_reason().empty()) GTEST_SKIP() << "a CUDA device is usable here";
    const std::string path = file("cuda.png");
    const ProcessResult r = run("--device cuda --dist uniform --seed 5 --frames 8 --force --screenshot '" + path + "'");
    EXPECT_EQ(r.status, 0) << r.output;
    EXPECT_NE(r.output.find("cuda:0 is not available"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("drawing on the CPU"), std::string::npos) << r.output;
    const Picture a = load_picture(path), b = shot("cpu.png", "--device cpu --dist uniform --seed 5");
    if (a.w != 1280 || b.w != 1280) return;
    EXPECT_EQ(differing(a, b, kLayout.view), 0) << "the CPU's grid";
    EXPECT_EQ(differing(a, b, kLayout.histogram), 0) << "the CPU's histogram";
}

TEST_F(App, NoDisplayGivesTheMessageAndStatus3) {
    const ProcessResult r = run("--dist uniform --seed 5", "env -u DISPLAY -u WAYLAND_DISPLAY");
    EXPECT_EQ(r.status, gui::kExitNoDisplay) << r.output;
    EXPECT_NE(r.output.find("no display"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("noiselab sample --dist uniform"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("--seed 5"), std::string::npos) << r.output;
    // Exactly one message: one "no display" line.
    EXPECT_EQ(r.output.find("no display"), r.output.rfind("no display"));
}

TEST_F(App, BadFlagsGiveStatus2) {
    const ProcessResult r = run("--dist gamma");
    EXPECT_EQ(r.status, gui::kExitBadInput);
    EXPECT_NE(r.output.find("gamma"), std::string::npos);
    EXPECT_EQ(run("--frames 3 --script 'frame 2: std=-1'").status, gui::kExitBadInput);
}

TEST_F(App, BenchmarkFlagReportsFrameTimes) {
    const ProcessResult r = run("--benchmark-frames 10 --shape 64,3,64,64");
    EXPECT_EQ(r.status, 0) << r.output;
    EXPECT_NE(r.output.find("frames/s"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("[64, 3, 64, 64]"), std::string::npos) << r.output;
}

TEST_F(App, ExportsFromAScriptWriteEveryFileWithTheRecipe) {
    const std::string prefix = file("x");
    const ProcessResult r = run("--seed 3 --frames 5 --script 'frame 2: save-as=" + prefix +
                            " export=grid export=histogram export=tensor export=session; frame 3: export=window'");
    ASSERT_EQ(r.status, 0) << r.output;
    for (const char* f : {"x-grid.png", "x-histogram.png", "x-window.png", "x-tensor.npy", "x-session.json"})
        EXPECT_TRUE(fs::exists(file(f))) << f;
    EXPECT_EQ(recipe_of(file("x-window.png")).extra["image"], "window");
    EXPECT_EQ(recipe_of(file("x-grid.png")).seed, 3u);
    const Picture w = load_picture(file("x-window.png"));
    EXPECT_EQ(w.w, 1280);
    // Asked again, nothing is replaced: the Replace dialog waits for an answer.
    const auto before = fs::last_write_time(file("x-grid.png"));
    EXPECT_EQ(run("--frames 4 --script 'frame 2: save-as=" + prefix + " export=grid'").status, 0);
    EXPECT_EQ(fs::last_write_time(file("x-grid.png")), before);
}

// The app's permutations and category draws are the command line's: `noiselab sample --from`
// replays a grid PNG the app exported and finds the recorded hash.
TEST_F(App, ThePermutationsAndCategoriesItExportsReplayOnTheCommandLine) {
    const char* cases[] = {
        "--dist randperm --shape 500 --seed 8",
        "--dist multinomial --probs 1,2,3,4 --shape 16,1,10,10 --seed 9",
        "--dist multinomial --probs 5,0,1 --replacement off --shape 2 --seed 10",
        "--dist categorical --logits 2,-inf,1,0.5 --temperature 0.7 --shape 400 --seed 11",
    };
    int i = 0;
    for (const char* flags : cases) {
        const std::string prefix = file("c" + std::to_string(i++));
        const ProcessResult r = run(std::string(flags) + " --frames 4 --script 'frame 2: save-as=" + prefix + " export=grid'");
        ASSERT_EQ(r.status, 0) << flags << "\n" << r.output;
        const std::string png = prefix + "-grid.png";
        ASSERT_TRUE(fs::exists(png)) << flags << "\n" << r.output;
        const ProcessResult replay = run("sample --from '" + png + "'");
        EXPECT_EQ(replay.status, 0) << flags << "\n" << replay.output;
        EXPECT_NE(replay.output.find("reproduced: the hash matches"), std::string::npos) << flags << "\n" << replay.output;
    }
}
