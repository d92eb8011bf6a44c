// The panels driven headless: a Dear ImGui context without a window or OpenGL, fed with mouse
// and keyboard input the way the GLFW backend does (io.MousePos / io.MouseDown / io.KeysDown
// before NewFrame), checking the state the panels change and the layout they produce.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include <imgui.h>
#include <imgui_internal.h>

#include "gui/app.h"
#include "gui/panels.h"
#include "gui/script.h"
#include "gui/texture_sink.h"
#include "gui/theme.h"
#include "tensor/hash.h"
#include "tensor/ops.h"
#include "tests/support/imgui_overflow.h"

using namespace nl;
using namespace nl::gui;

namespace {

class Headless : public ::testing::Test {
protected:
    void SetUp() override { start(1280, 800, 1.0f); }
    void TearDown() override { ImGui::DestroyContext(); }

    void start(float w, float h, float scale) {
        if (ImGui::GetCurrentContext()) ImGui::DestroyContext();
        ImGui::CreateContext();
        ImGuiIO& io = ImGui::GetIO();
        io.IniFilename = nullptr;
        io.DisplaySize = ImVec2(w, h);
        io.DeltaTime = 1.0f / 60.0f;
        io.MousePos = ImVec2(-FLT_MAX, -FLT_MAX);
        for (int k = 0; k < ImGuiKey_COUNT; ++k) io.KeyMap[k] = k;  // key indices as the GLFW backend maps them
        io.KeyMap[ImGuiKey_Space] = ' ';
        io.KeyMap[ImGuiKey_Escape] = 256;
        state = default_state();
        state.ui_scale = scale;
        theme::apply_style(scale);
        theme::load_font(scale);
        unsigned char* px = nullptr;
        int tw = 0, th = 0;
        io.Fonts->GetTexDataAsRGBA32(&px, &tw, &th);
        io.Fonts->SetTexID(reinterpret_cast<ImTextureID>(1));
    }

    void frame() {
        update(state);
        ImGui::NewFrame();
        draw_app(state, &sink);
        ImGui::Render();
        // Clicks last one frame, as with a real mouse button released after it.
    }
    void frames(int n) {
        for (int i = 0; i < n; ++i) frame();
    }

    ImGuiWindow* window(const char* name) {
        ImGuiWindow* w = ImGui::FindWindowByName(name);
        EXPECT_NE(w, nullptr) << name;
        return w;
    }
    ImVec2 centre(const TooltipAudit::Item& i) { return ImVec2((i.min.x + i.max.x) * 0.5f, (i.min.y + i.max.y) * 0.5f); }
    // A click as the GLFW backend reports one: the mouse over `at` for a frame, the button down
    // for the next, then up (the frame that sees the release is the caller's).
    void click_at(ImVec2 at) {
        ImGuiIO& io = ImGui::GetIO();
        io.MousePos = at;
        frame();
        io.MouseDown[0] = true;
        frame();
        io.MouseDown[0] = false;
    }

    // Items that carry tooltips, as drawn in the last frame.
    TooltipAudit audit_frame() {
        TooltipAudit audit;
        ImGui::GetIO().UserData = &audit;
        frame();
        ImGui::GetIO().UserData = nullptr;
        return audit;
    }

    AppState state;
    MemorySink sink;
};

TEST_F(Headless, PanelsFillTheWindowWithoutOverlapOrClippedContent) {
    struct Size {
        float w, h, scale;
    };
    for (const Size sz : {Size{1280, 800, 1}, Size{1920, 1080, 1}, Size{2560, 1600, 2}, Size{1440, 900, 1}}) {
        start(sz.w, sz.h, sz.scale);
        frames(3);
        const char* names[] = {kSamplerWindow, kViewWindow, kHistogramWindow, kStatusWindow};
        ImRect rects[4];
        float area = 0;
        for (int i = 0; i < 4; ++i) {
            ImGuiWindow* w = window(names[i]);
            ASSERT_NE(w, nullptr);
            rects[i] = ImRect(w->Pos, ImVec2(w->Pos.x + w->Size.x, w->Pos.y + w->Size.y));
            area += w->Size.x * w->Size.y;
            EXPECT_LE(w->ScrollMax.y, 1.0f) << names[i] << " content taller than its panel at " << sz.w << "x" << sz.h;
            EXPECT_LE(w->ScrollMax.x, 1.0f) << names[i] << " content wider than its panel at " << sz.w << "x" << sz.h;
            EXPECT_GE(w->Pos.x, 0);
            EXPECT_LE(w->Pos.x + w->Size.x, sz.w + 0.5f);
            EXPECT_LE(w->Pos.y + w->Size.y, sz.h + 0.5f);
        }
        for (int i = 0; i < 4; ++i)
            for (int j = i + 1; j < 4; ++j) {
                ImRect a = rects[i];
                a.Expand(-0.5f);
                EXPECT_FALSE(a.Overlaps(rects[j])) << names[i] << " overlaps " << names[j];
            }
        for (const std::string& o : nl::test::imgui_overflows()) ADD_FAILURE() << o << " at " << sz.w << "x" << sz.h;
        const float menu_h = rects[0].Min.y;
        EXPECT_GT(menu_h, 10.0f * sz.scale);
        EXPECT_NEAR(area, sz.w * (sz.h - menu_h), 2.0f);  // panels fill everything under the menu bar
    }
}

// A 1024 x 800 window (a classroom projector): the histogram's check boxes wrap to a second line
// inside the panel, and the QQ plot gives way to a table whose numbers are not cut.
TEST_F(Headless, NarrowWindowsWrapTheHistogramControlsAndDropTheQqPlot) {
    for (const float w : {1024.0f, 1280.0f}) {
        start(w, 800, 1);
        frames(2);
        const TooltipAudit audit = audit_frame();
        const TooltipAudit::Item* qq_box = audit.find("Show the QQ plot next to the stats table");
        ASSERT_NE(qq_box, nullptr);
        const ImGuiWindow* hist = window(kHistogramWindow);
        EXPECT_LE(qq_box->max.x, hist->ContentRegionRect.Max.x) << "the QQ check box leaves the panel at width " << w;
        for (const std::string& o : nl::test::imgui_overflows()) ADD_FAILURE() << o << " at width " << w;
        // Where the QQ plot is drawn, the table left of it keeps its 21 em.
        const TooltipAudit::Item* qq = audit.find("QQ plot: sample quantiles");
        const float fs = ImGui::GetFontSize();
        if (qq) {
            EXPECT_GE(qq->min.x - hist->ContentRegionRect.Min.x, fs * 21.0f) << "width " << w;
        }
        // With DejaVu Sans at 16 px (the app's font; ImGui's fallback is smaller): the table alone
        // at 1024, both at 1280.
        if (fs == 16.0f) {
            EXPECT_EQ(qq != nullptr, w > 1100.0f) << "width " << w;
        }
    }
}

TEST_F(Headless, ShowsTheDefaultSampleOnStart) {
    frames(2);
    EXPECT_EQ(state.sampler.drawn.dist, DistKind::Normal);
    EXPECT_EQ(state.sampler.tensor.shape(), (Shape{64, 1, 28, 28}));
    EXPECT_TRUE(state.histogram.analysis.valid);
    EXPECT_EQ(sink.shows(), 1);  // uploaded once, not every frame
    EXPECT_EQ(sink.width(), 8 * 29 + 1);
    frames(3);
    EXPECT_EQ(sink.shows(), 1);
}

TEST_F(Headless, TheGridHasAKeyForTheValuesItsColoursStandFor) {
    // A categorical sample: one swatch per category, labelled 0 .. 7, under the grid.
    apply_assignments(state, {{"dist", "categorical"}, {"logits", "3,2,1.5,1,0.5,0,-1,-2"}, {"shape", "64,1,8,8"}});
    frames(2);
    const Tensor& t = state.sampler.tensor;
    double lo = 0, hi = 0;
    ASSERT_TRUE(sink.shown_range(lo, hi));
    EXPECT_EQ(lo, nl::min(t).item());  // min to max: the ends are the sample's smallest and largest
    EXPECT_EQ(hi, nl::max(t).item());
    TooltipAudit audit = audit_frame();
    const TooltipAudit::Item* key = audit.find("The colour of each value in the grid");
    ASSERT_NE(key, nullptr) << "integer values get swatches";
    const TooltipAudit::Item* view = audit.find("Hover the image");
    ASSERT_NE(view, nullptr);
    EXPECT_LT(key->max.y, view->min.y + 1.0f) << "the key sits between the grid and its footer";
    // Normal noise mapped mean +- 2 sigma: a gradient whose ends are that range.
    apply_assignments(state, {{"dist", "normal"}, {"shape", "16,1,28,28"}, {"range", "sigma:2"}});
    frames(2);
    ASSERT_TRUE(sink.shown_range(lo, hi));
    const double mean_value = nl::mean(state.sampler.tensor.to(DType::Float64)).item();
    EXPECT_NEAR((lo + hi) / 2, mean_value, 1e-6);
    EXPECT_NEAR(hi - lo, 4.0, 0.1) << "4 sigma wide";
    audit = audit_frame();
    EXPECT_NE(audit.find("The colours of the values from lo to hi"), nullptr);
    EXPECT_EQ(audit.find("The colour of each value in the grid"), nullptr);
    // RGB images are their own key.
    apply_assignments(state, {{"shape", "4,3,16,16"}});
    frames(2);
    audit = audit_frame();
    EXPECT_EQ(audit.find("The colours of the values from lo to hi"), nullptr);
}

TEST_F(Headless, EveryControlCarriesATooltip) {
    frames(2);
    const TooltipAudit audit = audit_frame();
    // The controls of each panel, found by the start of their tooltips.
    const char* expected[] = {"The distribution every", "Centre of the bell curve", "Standard deviation", "Number of dimensions",
                              "Common shapes", "Size of dimension 0", "Element type", "Device the tensor", "The random bit generator",
                              "Type a seed", "A fresh random seed", "Recent seeds", "The device's default generator",
                              "A generator of its own", "Generator offset", "Draw the next values", "Resample every frame",
                              "Folder and name prefix", "The image grid as PNG", "Open a PNG", "How the tensor is drawn",
                              "Colormap for one channel", "Which values map", "Zoom to fit", "Number of equal-width bins",
                              "Automatic: one bin", "Logarithmic density", "Draw the density", "Show the QQ plot", "Values covered",
                              "Average of the values", "Time per frame"};
    for (const char* e : expected) EXPECT_NE(audit.find(e), nullptr) << "no control with tooltip '" << e << "'";
    for (const auto& i : audit.items) EXPECT_FALSE(i.text.empty());

    // Hovering a control shows its tooltip.
    const TooltipAudit::Item* resample = audit.find("Draw the next values");
    ASSERT_NE(resample, nullptr);
    ImGui::GetIO().MousePos = centre(*resample);
    frames(2);
    ImGuiWindow* tip = ImGui::FindWindowByName("##Tooltip_00");
    ASSERT_NE(tip, nullptr);
    EXPECT_TRUE(tip->Active);
}

TEST_F(Headless, ResampleButtonDrawsTheNextValues) {
    frames(2);
    const uint64_t before = tensor_hash(state.sampler.tensor);
    const uint64_t offset = state.sampler.offset_after;
    const TooltipAudit audit = audit_frame();
    const TooltipAudit::Item* resample = audit.find("Draw the next values");
    ASSERT_NE(resample, nullptr);
    click_at(centre(*resample));
    frames(2);
    EXPECT_EQ(state.sampler.offset_before, offset);
    EXPECT_GT(state.sampler.offset_after, offset);
    EXPECT_NE(tensor_hash(state.sampler.tensor), before);
}

TEST_F(Headless, LiveCheckboxAndKeyboardShortcuts) {
    frames(2);
    ImGuiIO& io = ImGui::GetIO();
    const uint64_t draws = state.sampler.draws;
    io.KeysDown[int(' ')] = true;  // Space: resample
    frame();
    io.KeysDown[int(' ')] = false;
    frame();
    EXPECT_EQ(state.sampler.draws, draws + 1);
    io.KeysDown[int('L')] = true;  // L: live mode
    frame();
    io.KeysDown[int('L')] = false;
    EXPECT_TRUE(state.sampler.live);
    frames(3);
    EXPECT_GE(state.sampler.draws, draws + 4);
    // The checkbox turns it off again.
    const TooltipAudit audit = audit_frame();
    const TooltipAudit::Item* live = audit.find("Resample every frame");
    ASSERT_NE(live, nullptr);
    click_at(centre(*live));
    frame();
    EXPECT_FALSE(state.sampler.live);
}

TEST_F(Headless, HoveringTheGridShowsTheIndexAndValue) {
    frames(2);
    ImGuiWindow* view = window(kViewWindow);
    ASSERT_NE(view, nullptr);
    ImGuiIO& io = ImGui::GetIO();
    // A point inside the grid: the middle of the view, nudged off the padding lines.
    io.MousePos = ImVec2(view->Pos.x + view->Size.x * 0.5f + 3.3f, view->Pos.y + view->Size.y * 0.5f + 3.3f);
    frames(2);
    ASSERT_FALSE(state.image.hover.empty());
    long long n, c, y, x;
    double v;
    ASSERT_EQ(std::sscanf(state.image.hover.c_str(), "[%lld, %lld, %lld, %lld] = %lf", &n, &c, &y, &x, &v), 5) << state.image.hover;
    EXPECT_NEAR(v, state.sampler.tensor.at({n, c, y, x}), 1e-4 * (1 + std::fabs(v)));
    EXPECT_GE(n, 27);  // the centre of an 8x8 grid is around images 27/28/35/36
    EXPECT_LE(n, 36);
    // Outside the panel: no read-out.
    io.MousePos = ImVec2(5, 5);
    frame();
    EXPECT_TRUE(state.image.hover.empty());
}

TEST_F(Headless, WheelZoomsAboutTheCursorAndDoubleClickFits) {
    frames(2);
    ImGuiWindow* view = window(kViewWindow);
    ImGuiIO& io = ImGui::GetIO();
    io.MousePos = ImVec2(view->Pos.x + view->Size.x * 0.5f + 3.3f, view->Pos.y + view->Size.y * 0.5f + 3.3f);
    frames(2);
    const std::string under = state.image.hover;
    const float fit = state.image.zoom;
    io.MouseWheel = 2.0f;
    frame();
    io.MouseWheel = 0.0f;
    frame();
    EXPECT_FALSE(state.image.fit);
    EXPECT_NEAR(state.image.zoom, fit * 1.5625f, 1e-3);
    EXPECT_EQ(state.image.hover.substr(0, under.find('=')), under.substr(0, under.find('=')));  // same element under the cursor
    io.MouseDown[0] = true;  // drag pans
    frame();
    io.MousePos.x += 40;
    frames(2);
    io.MouseDown[0] = false;
    frame();
    EXPECT_NE(state.image.pan_x, 0.0f);
    io.MouseDoubleClickTime = 10.0f;
    for (int i = 0; i < 2; ++i) {
        io.MouseDown[0] = true;
        frame();
        io.MouseDown[0] = false;
        frame();
    }
    frame();
    EXPECT_TRUE(state.image.fit);
    EXPECT_FLOAT_EQ(state.image.zoom, fit);
}

TEST_F(Headless, HistogramHoverPicksTheBinUnderTheMouse) {
    frames(2);
    ImGuiWindow* h = window(kHistogramWindow);
    ImGuiIO& io = ImGui::GetIO();
    io.MousePos = ImVec2(h->Pos.x + h->Size.x * 0.55f, h->Pos.y + h->Size.y * 0.35f);
    frames(2);
    const int bins = static_cast<int>(state.histogram.analysis.hist.counts.size());
    ASSERT_GE(state.histogram.hovered_bin, 0);
    EXPECT_GT(state.histogram.hovered_bin, bins / 3);  // right of the middle, near the peak of the bell
    EXPECT_LT(state.histogram.hovered_bin, bins);
}

TEST_F(Headless, EveryDistributionPresetAndViewRendersWithoutError) {
    for (int d = 0; d < kDistCount; ++d) {
        for (const ShapePreset& p : shape_presets()) {
            set_distribution(state.sampler.settings, static_cast<DistKind>(d));
            state.sampler.settings.shape = p.shape;
            frame();
            EXPECT_TRUE(state.sampler.error.empty()) << dist_info(static_cast<DistKind>(d)).name << " " << p.label << ": " << state.sampler.error;
            EXPECT_TRUE(state.histogram.analysis.valid) << dist_info(static_cast<DistKind>(d)).name << " " << p.label << ": "
                                                        << state.histogram.analysis.error;
            EXPECT_TRUE(state.image.error.empty()) << state.image.error;
        }
    }
    // Log scale, colormaps, value ranges and single channels of an RGB batch.
    apply_assignments(state, {{"dist", "normal"}, {"shape", "16,3,8,8"}, {"log", "on"}, {"colormap", "diverging"},
                              {"range", "sigma:2"}, {"rgb", "off"}, {"channel", "2"}, {"bins", "7"}, {"hist-range", "-1,1"}});
    frames(2);
    EXPECT_TRUE(state.image.error.empty()) << state.image.error;
    EXPECT_EQ(state.histogram.analysis.hist.counts.size(), 7u);
}

TEST_F(Headless, ExistingFilesAreNotReplacedWithoutTheDialog) {
    frames(1);
    state.exporter.confirm_pending = true;
    state.exporter.pending_kind = ExportKind::Npy;
    state.exporter.pending_path = "/nonexistent-folder/x.npy";
    frames(2);
    ImGuiWindow* dialog = ImGui::FindWindowByName("Replace file?");
    ASSERT_NE(dialog, nullptr);
    EXPECT_TRUE(dialog->Active);
    ImGui::GetIO().KeysDown[256] = true;  // Escape: cancel
    frame();
    ImGui::GetIO().KeysDown[256] = false;
    frame();
    EXPECT_FALSE(state.exporter.confirm_pending);
    EXPECT_NE(state.exporter.message.find("not replaced"), std::string::npos);
}

TEST_F(Headless, MissingFontFallsBackToImGuisOwnWithoutFailing) {
    ImGui::DestroyContext();
    ImGui::CreateContext();
    const std::string got = theme::load_font(2.0f, "/nonexistent/DejaVuSans.ttf");
    EXPECT_NE(got.find("not found"), std::string::npos) << got;
    unsigned char* px = nullptr;
    int w = 0, h = 0;
    ImGui::GetIO().Fonts->GetTexDataAsRGBA32(&px, &w, &h);
    EXPECT_GT(w, 0);
    EXPECT_NEAR(ImGui::GetIO().Fonts->Fonts[0]->FontSize, 26.0f, 0.5f);  // 13 px default, scaled
    if (FILE* f = std::fopen(theme::kFontPath, "rb")) {  // and the real one when installed
        std::fclose(f);
        ImGui::DestroyContext();
        ImGui::CreateContext();
        EXPECT_EQ(theme::load_font(1.5f), "DejaVu Sans 24 px");
    }
}

TEST(GuiStatus, FrameTimeIsTheMeanOfTheLastFramesWithoutStartUp) {
    StatusState s;
    record_frame_time(s, 500.0);  // the first frame: start-up, not counted
    EXPECT_EQ(s.frame, 1);
    for (int i = 0; i < 40; ++i) record_frame_time(s, i < 10 ? 100.0 : 10.0);
    EXPECT_DOUBLE_EQ(s.frame_ms, 10.0);  // only the last 30 frames
    EXPECT_DOUBLE_EQ(s.fps, 100.0);
}


// The Open dialog walks folders: it starts in the export folder, a click on a subfolder shows
// what is inside, the arrow goes back up, and a folder typed into the path box is shown rather
// than "opened".
TEST_F(Headless, OpenDialogWalksIntoFoldersAndBackUp) {
    namespace fs = std::filesystem;
    const fs::path root = fs::temp_directory_path() / ("noiselab-open-dialog-" + std::to_string(::getpid()));
    fs::remove_all(root);
    fs::create_directories(root / "runs");
    std::ofstream(root / "runs" / "grid.png") << "x";
    std::ofstream(root / "top.json") << "{}";
    state.exporter.folder = root.string();
    state.exporter.open_browser = true;
    frames(2);
    const std::string abs_root = fs::absolute(root).lexically_normal().string();
    EXPECT_EQ(state.exporter.listing.absolute, abs_root);
    EXPECT_EQ(state.exporter.listing.folders, (std::vector<std::string>{"runs"}));
    EXPECT_EQ(state.exporter.listing.files, (std::vector<std::string>{"top.json"}));

    auto click = [&](const char* tip) {
        const TooltipAudit audit = audit_frame();
        const TooltipAudit::Item* item = audit.find(tip);
        if (!item) return false;
        click_at(centre(*item));
        frames(2);
        ImGui::GetIO().MousePos = ImVec2(-FLT_MAX, -FLT_MAX);
        return true;
    };
    ASSERT_TRUE(click("A folder: click to look inside."));
    EXPECT_EQ(state.exporter.listing.absolute, abs_root + "/runs");
    EXPECT_EQ(state.exporter.listing.files, (std::vector<std::string>{"grid.png"}));
    EXPECT_EQ(state.exporter.folder, root.string()) << "browsing does not move the exports";
    ASSERT_TRUE(click("The folder above this one."));
    EXPECT_EQ(state.exporter.listing.absolute, abs_root);
    // A folder typed into the path box: Open shows it.
    state.exporter.open_path = (root / "runs").string();
    ASSERT_TRUE(click("Restore the settings stored in this file."));
    EXPECT_EQ(state.exporter.listing.absolute, abs_root + "/runs");
    EXPECT_TRUE(state.exporter.open_path.empty());
    ImGuiWindow* dialog = ImGui::FindWindowByName("Open");
    ASSERT_NE(dialog, nullptr);
    EXPECT_TRUE(dialog->Active) << "still open, showing the folder";
    fs::remove_all(root);
}

// The weights field of multinomial: it shows the list in use, applies a typed one on Enter, and
// keeps a refused one to be corrected, named in red, while the last good list stays in use.
TEST_F(Headless, TheWeightsFieldAppliesATypedListOrSaysWhyNot) {
    apply_assignments(state, {{"dist", "multinomial"}, {"shape", "1000"}});
    frames(2);
    EXPECT_EQ(state.sampler.weights_text, "0.1, 0.2, 0.3, 0.4");
    ImGuiIO& io = ImGui::GetIO();
    auto type_list = [&](const char* text) {
        const TooltipAudit audit = audit_frame();
        const TooltipAudit::Item* field = nullptr;  // the label "probs" carries the tip too: the field is the last
        for (const TooltipAudit::Item& i : audit.items)
            if (i.text.rfind("Weights of the categories", 0) == 0) field = &i;
        ASSERT_NE(field, nullptr);
        click_at(centre(*field));
        io.KeyCtrl = true;  // Ctrl+A selects the old list: typing replaces it
        io.KeysDown[ImGuiKey_A] = true;
        frame();
        io.KeysDown[ImGuiKey_A] = false;
        io.KeyCtrl = false;
        frame();
        for (const char* c = text; *c; ++c) io.AddInputCharacter(static_cast<unsigned>(*c));
        frame();
        io.KeysDown[ImGuiKey_Enter] = true;
        frame();
        io.KeysDown[ImGuiKey_Enter] = false;
        frames(2);
        io.MousePos = ImVec2(-FLT_MAX, -FLT_MAX);
    };
    type_list("1,3");
    EXPECT_EQ(state.sampler.settings.weights, (std::vector<double>{1, 3}));
    EXPECT_EQ(state.sampler.drawn.weights, (std::vector<double>{1, 3})) << "drawn at once";
    EXPECT_EQ(state.sampler.weights_text, "1, 3");
    EXPECT_TRUE(state.sampler.weights_error.empty());
    type_list("2,-1");
    EXPECT_EQ(state.sampler.settings.weights, (std::vector<double>{1, 3}));
    EXPECT_NE(state.sampler.weights_error.find("probs value 2 (-1) is out of range"), std::string::npos)
        << state.sampler.weights_error;
    EXPECT_NE(state.sampler.weights_error.find("still drawing by 1, 3"), std::string::npos);
    EXPECT_EQ(state.sampler.weights_text, "2,-1") << "the refused text stays, to be corrected";
    // A list from elsewhere (a script, an opened recipe) shows in the field and clears the error.
    apply_assignment(state, {"probs", "5,5,5"});
    frames(2);
    EXPECT_EQ(state.sampler.weights_text, "5, 5, 5");
    EXPECT_TRUE(state.sampler.weights_error.empty());
}

TEST_F(Headless, UntickingReplacementCutsTheShapeAndTickingItAgainGivesItBack) {
    apply_assignments(state, {{"dist", "multinomial"}, {"probs", "1,0,2,3"}, {"shape", "20,50"}});
    frames(2);
    ASSERT_TRUE(state.sampler.settings.replacement);
    auto click_box = [&] {
        const TooltipAudit audit = audit_frame();
        const TooltipAudit::Item* box = nullptr;
        for (const TooltipAudit::Item& i : audit.items)
            if (i.text.rfind("On: every draw sees all categories", 0) == 0) box = &i;
        ASSERT_NE(box, nullptr);
        click_at(centre(*box));
        frames(2);
        ImGui::GetIO().MousePos = ImVec2(-FLT_MAX, -FLT_MAX);
    };
    click_box();
    EXPECT_FALSE(state.sampler.settings.replacement);
    EXPECT_EQ(state.sampler.settings.shape, (Shape{3})) << "three categories have weight > 0";
    EXPECT_EQ(state.sampler.drawn.shape, (Shape{3}));
    click_box();
    EXPECT_TRUE(state.sampler.settings.replacement);
    EXPECT_EQ(state.sampler.settings.shape, (Shape{20, 50})) << "the shape before the cut is back";
    EXPECT_EQ(state.sampler.drawn.shape, (Shape{20, 50}));
    // A shape chosen while the box was off stays when it is ticked again.
    click_box();
    apply_assignment(state, {"shape", "2"});
    frames(2);
    click_box();
    EXPECT_EQ(state.sampler.settings.shape, (Shape{2}));
}

}  // namespace
