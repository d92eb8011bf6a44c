// Sessions and recipes: save, load, open a PNG made by the app; files never replaced silently.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "gui/app.h"
#include "gui/export.h"
#include "gui/script.h"
#include "gui/session.h"
#include "tensor/errors.h"
#include "tensor/hash.h"
#include "tensor/io/png.h"

using namespace nl;
using namespace nl::gui;
namespace fs = std::filesystem;

namespace {

struct TempDir {
    fs::path path;
    TempDir() {
        path = fs::temp_directory_path() / ("nl_gui_session_" + std::to_string(::getpid()) + "_" +
                                            std::to_string(reinterpret_cast<uintptr_t>(this)));
        fs::create_directories(path);
    }
    ~TempDir() { fs::remove_all(path); }
    std::string file(const std::string& name) const { return (path / name).string(); }
};

AppState drawn_state(const std::vector<Assignment>& as) {
    AppState s = default_state();
    apply_assignments(s, as);
    update(s);
    return s;
}

}  // namespace

TEST(GuiSession, SaveAndLoadRestoresSettingsAndTheExactTensor) {
    TempDir dir;
    AppState a = drawn_state({{"dist", "lognormal"}, {"std", "0.75"}, {"seed", "99"}, {"shape", "16,3,8,8"}, {"colormap", "viridis"},
                              {"range", "fixed:-1,4"}, {"log", "on"}, {"bins", "33"}, {"generator", "local"}});
    a.sampler.resample_requested = true;  // the tensor on screen starts past offset 0
    update(a);
    ASSERT_GT(a.sampler.offset_before, 0u);
    const std::string path = dir.file("s.json");
    save_session(a, path, false);
    EXPECT_THROW(save_session(a, path, false), IOError);  // never replaced without asking

    AppState b = default_state();
    load_session(b, path);
    update(b);
    EXPECT_EQ(b.sampler.drawn, a.sampler.drawn);
    EXPECT_EQ(b.sampler.offset_before, a.sampler.offset_before);
    EXPECT_EQ(tensor_hash(b.sampler.tensor), tensor_hash(a.sampler.tensor));
    EXPECT_EQ(b.image.colormap, render::Colormap::Viridis);
    EXPECT_EQ(b.image.range.mode, render::ValueRange::Mode::Fixed);
    EXPECT_TRUE(b.histogram.log_scale);
    EXPECT_EQ(b.histogram.options.bins, 33);
    EXPECT_EQ(b.sampler.settings.generator, GeneratorMode::Local);
}

TEST(GuiSession, OpeningAPngMadeByTheAppRestoresItsSettings) {
    TempDir dir;
    AppState a = drawn_state({{"dist", "uniform"}, {"low", "-2"}, {"high", "2"}, {"seed", "5"}, {"shape", "8,1,16,16"}});
    a.exporter.folder = dir.path.string();
    a.exporter.base_name = "x";
    request_export(a, ExportKind::Grid);
    ASSERT_FALSE(a.exporter.message_is_error) << a.exporter.message;
    const std::string png = export_path(a.exporter, ExportKind::Grid);
    ASSERT_TRUE(fs::exists(png));

    AppState b = default_state();
    open_file(b, png);
    update(b);
    EXPECT_EQ(b.sampler.drawn.dist, DistKind::Uniform);
    EXPECT_EQ(b.sampler.drawn.params[0], -2.0);
    EXPECT_EQ(b.sampler.drawn.seed, 5u);
    EXPECT_EQ(tensor_hash(b.sampler.tensor), tensor_hash(a.sampler.tensor));

    // The recipe is the one `noiselab sample` reads: op, params, shape, seed, offset, hash.
    const io::Recipe r = io::parse_recipe(io::find_png_text(io::read_png_text_chunks(png), io::kPngRecipeKey)->text);
    EXPECT_EQ(r.op, "uniform");
    EXPECT_EQ(r.shape, (Shape{8, 1, 16, 16}));
    EXPECT_EQ(r.tensor_hash, hash_hex(tensor_hash(a.sampler.tensor)));
    EXPECT_EQ(r.extra["image"], "grid");
    EXPECT_EQ(r.extra["colormap"], "gray");
}

// A cuRAND engine travels in the recipe's params.engine, as `noiselab sample --engine` writes
// it, and opening the PNG draws the same tensor again; philox recipes carry no engine.
TEST(GuiSession, TheEngineTravelsInTheRecipe) {
    TempDir dir;
    AppState plain = drawn_state({{"shape", "64"}});
    EXPECT_EQ(make_recipe(plain, "grid").params.count("engine"), 0u);
    if (!engine_provider()) GTEST_SKIP() << "this build has no cuRAND: nothing else to draw";
    AppState a = drawn_state({{"dist", "normal"}, {"engine", "curand_philox"}, {"seed", "8"}, {"shape", "4,1,8,8"}});
    ASSERT_TRUE(a.sampler.error.empty()) << a.sampler.error;
    a.exporter.folder = dir.path.string();
    request_export(a, ExportKind::Grid);
    ASSERT_FALSE(a.exporter.message_is_error) << a.exporter.message;
    const std::string png = export_path(a.exporter, ExportKind::Grid);
    const io::Recipe r = io::parse_recipe(io::find_png_text(io::read_png_text_chunks(png), io::kPngRecipeKey)->text);
    EXPECT_EQ(std::get<std::string>(r.params.at("engine")), "curand_philox");
    AppState b = default_state();
    open_file(b, png);
    update(b);
    EXPECT_EQ(b.sampler.drawn.engine, Engine::CurandPhilox);
    EXPECT_EQ(tensor_hash(b.sampler.tensor), tensor_hash(a.sampler.tensor));
    io::Recipe bad = r;
    bad.params["engine"] = std::string("lcg");
    EXPECT_THROW(apply_recipe(b, bad), ValueError);
}

TEST(GuiSession, ExportAsksBeforeReplacingAFile) {
    TempDir dir;
    AppState a = drawn_state({{"seed", "1"}, {"shape", "4,1,8,8"}});
    a.exporter.folder = dir.path.string();
    const std::string npy = export_path(a.exporter, ExportKind::Npy);
    { std::ofstream(npy) << "keep me"; }
    request_export(a, ExportKind::Npy);
    EXPECT_TRUE(a.exporter.confirm_pending);
    EXPECT_EQ(a.exporter.pending_path, npy);
    std::ifstream in(npy);
    std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ(content, "keep me");
    perform_export(a, ExportKind::Npy, npy, true);  // the "Replace" button
    EXPECT_FALSE(a.exporter.message_is_error) << a.exporter.message;
    EXPECT_GT(fs::file_size(npy), 128u);
}

TEST(GuiSession, HistogramExportIsAPngWithTheRecipe) {
    TempDir dir;
    AppState a = drawn_state({{"dist", "poisson"}, {"lambda", "3"}, {"shape", "4096"}});
    a.exporter.folder = dir.path.string();
    request_export(a, ExportKind::Histogram);
    ASSERT_FALSE(a.exporter.message_is_error) << a.exporter.message;
    const io::PngInfo info = io::read_png_info(export_path(a.exporter, ExportKind::Histogram));
    EXPECT_EQ(info.width, 1000);
    ASSERT_NE(io::find_png_text(info.texts, io::kPngRecipeKey), nullptr);
}

TEST(GuiSession, WeightsAndPermutationsTravelInTheRecipe) {
    TempDir dir;
    const std::vector<std::vector<Assignment>> cases = {
        {{"dist", "multinomial"}, {"probs", "0.5,0.25,0.25"}, {"replacement", "off"}, {"shape", "3"}, {"seed", "4"}},
        {{"dist", "multinomial"}, {"probs", "2,1e-3,7"}, {"shape", "20,30"}, {"seed", "5"}},
        {{"dist", "categorical"}, {"logits", "1.5,-inf,0.1,-2"}, {"temperature", "0.3"}, {"shape", "64,1,8,8"}, {"seed", "6"}},
        {{"dist", "randperm"}, {"shape", "1000"}, {"dtype", "int32"}, {"seed", "7"}},
    };
    int i = 0;
    for (const auto& as : cases) {
        AppState a = drawn_state(as);
        ASSERT_TRUE(a.sampler.error.empty()) << a.sampler.error;
        const std::string path = dir.file("w" + std::to_string(i++) + ".json");
        save_session(a, path, false);
        AppState b = default_state();
        load_session(b, path);
        update(b);
        EXPECT_EQ(b.sampler.drawn, a.sampler.drawn) << describe(a.sampler.drawn);
        EXPECT_EQ(b.sampler.drawn.weights, a.sampler.drawn.weights);
        EXPECT_EQ(b.sampler.drawn.replacement, a.sampler.drawn.replacement);
        EXPECT_EQ(tensor_hash(b.sampler.tensor), tensor_hash(a.sampler.tensor)) << describe(a.sampler.drawn);
    }
    // A recipe as `noiselab sample` writes one: probs in the list, replacement as text.
    io::Recipe r;
    r.op = "multinomial";
    r.probs = {1, 1, 2};
    r.params["replacement"] = std::string("false");
    r.shape = {2};
    r.dtype = DType::Int64;
    AppState s = default_state();
    apply_recipe(s, r);
    EXPECT_EQ(s.sampler.settings.dist, DistKind::Multinomial);
    EXPECT_EQ(s.sampler.settings.weights, (std::vector<double>{1, 1, 2}));
    EXPECT_FALSE(s.sampler.settings.replacement);
    // Refused, naming what is wrong: categorical without logits, unreadable logits, bad probs.
    io::Recipe c;
    c.op = "categorical";
    c.shape = {4};
    c.dtype = DType::Int64;
    EXPECT_THROW(apply_recipe(s, c), ValueError);
    c.params["logits"] = std::string("1,x");
    try {
        apply_recipe(s, c);
        FAIL();
    } catch (const ValueError& e) {
        EXPECT_NE(std::string(e.what()).find("recipe field 'params.logits' value 2 'x' is not a number"), std::string::npos) << e.what();
    }
    r.probs = {1, -1};
    EXPECT_THROW(apply_recipe(s, r), ValueError);
    EXPECT_EQ(s.sampler.settings.weights, (std::vector<double>{1, 1, 2})) << "unchanged after a refusal";
}

TEST(GuiSession, HandWrittenRecipesMayUseTheAppsAliases) {
    // A session written by hand with the names --dist and the scripts accept.
    io::Recipe r;
    r.op = "Exp";
    r.params["rate"] = 2.5;
    r.shape = {100};
    AppState s = default_state();
    apply_recipe(s, r);
    EXPECT_EQ(s.sampler.settings.dist, DistKind::Exponential);
    EXPECT_EQ(s.sampler.settings.params[0], 2.5);
    io::Recipe u;
    u.op = "rand";
    u.params["from"] = -1.0;
    u.params["to"] = 3.0;
    u.shape = {10};
    apply_recipe(s, u);
    EXPECT_EQ(s.sampler.settings.dist, DistKind::Uniform);
    EXPECT_EQ(s.sampler.settings.params[0], -1.0);
    EXPECT_EQ(s.sampler.settings.params[1], 3.0);
    u.params["low"] = 0.0;  // and "from": which one?
    EXPECT_THROW(apply_recipe(s, u), ValueError);
    EXPECT_EQ(s.sampler.settings.params[0], -1.0) << "unchanged after a refusal";
    // Omitted parameters take PyTorch's defaults, as `noiselab sample` reads the same recipe.
    io::Recipe ln;
    ln.op = "lognormal";
    ln.shape = {10};
    apply_recipe(s, ln);
    EXPECT_EQ(s.sampler.settings.params[0], 1.0);
    EXPECT_EQ(s.sampler.settings.params[1], 2.0);
}

TEST(GuiSession, RefusesFilesItCannotRestore) {
    TempDir dir;
    AppState s = default_state();
    const AppState before = s;
    EXPECT_THROW(open_file(s, dir.file("none.png")), IOError);
    EXPECT_THROW(open_file(s, dir.file("x.txt")), IOError);
    { std::ofstream(dir.file("bad.json")) << "{\"format\": \"noiselab-recipe\""; }
    EXPECT_THROW(open_file(s, dir.file("bad.json")), Error);
    io::Recipe r;
    r.op = "multinomial";
    r.shape = {4};
    EXPECT_THROW(apply_recipe(s, r), ValueError);
    r.op = "normal";
    r.params["std"] = -1.0;
    EXPECT_THROW(apply_recipe(s, r), ValueError);
    EXPECT_EQ(s.sampler.settings, before.sampler.settings);  // unchanged after every refusal
    nlohmann::json extra = {{"view", {{"zoom", "huge"}}}};
    EXPECT_THROW(apply_extra(s, extra), ValueError);
}
