// The Models workspace (gui/models/) driven headless: a Dear ImGui context without a window, the
// shipped weights from assets/, mouse input set on ImGuiIO before each frame. Checks the per-frame
// work bound, that DDPM and DDIM start from the same x_T, scrubbing, the GAN's latent sliders and
// truncation, the VAE map click, the LM's temperature and bar clicks, and errors for missing files.
#include <gtest/gtest.h>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <fstream>
#include <string>

#include <imgui.h>
#include <imgui_internal.h>

#include "gui/models/models_draw.h"
#include "gui/models/models_workspace.h"
#include "gui/panels.h"
#include "gui/theme.h"
#include "models/weights.h"
#include "tensor/io/png.h"
#include "tests/support/imgui_overflow.h"

using namespace nl;
using namespace nl::gui;

namespace {

bool have_asset(const char* file) { return std::ifstream(models::asset_path(file)).good(); }

class ModelsPanels : public ::testing::Test {
protected:
    void SetUp() override {
        ImGui::CreateContext();
        ImGuiIO& io = ImGui::GetIO();
        io.IniFilename = nullptr;
        io.DisplaySize = ImVec2(1280, 800);
        io.DeltaTime = 1.0f / 60.0f;
        io.MousePos = ImVec2(-FLT_MAX, -FLT_MAX);
        // As the OpenGL 3 backend: draw lists may exceed 64 Ki vertices (split with VtxOffset).
        io.BackendFlags |= ImGuiBackendFlags_RendererHasVtxOffset;
        theme::apply_style(1.0f);
        theme::load_font(1.0f);
        unsigned char* px = nullptr;
        int tw = 0, th = 0;
        io.Fonts->GetTexDataAsRGBA32(&px, &tw, &th);
        io.Fonts->SetTexID(reinterpret_cast<ImTextureID>(1));
        font_px = px;
        font_w = tw;
        font_h = th;
        // Small runs keep the test quick.
        s.diffusion.n_digits = 2;
        s.diffusion.steps = 10;
    }
    void TearDown() override { ImGui::DestroyContext(); }

    void frame() {
        ImGui::NewFrame();
        draw_models_workspace(s, Rect{0, 0, 1280, 800});
        ImGui::Render();
    }
    TooltipAudit audit_frame() {
        TooltipAudit audit;
        ImGui::GetIO().UserData = &audit;
        frame();
        ImGui::GetIO().UserData = nullptr;
        return audit;
    }
    // Press and release the left button at p (a click completes on release).
    void click(ImVec2 p) {
        ImGuiIO& io = ImGui::GetIO();
        io.MousePos = p;
        io.MouseDown[0] = true;
        frame();
        io.MouseDown[0] = false;
        frame();
        io.MousePos = ImVec2(-FLT_MAX, -FLT_MAX);
    }

    // Rasterises the last frame's ImDrawData on the CPU (triangles with vertex colours, the font
    // atlas sampled nearest, alpha blending, clip rectangles): a picture of the workspace without
    // a window or OpenGL. RGB, 1280 x 800.
    std::vector<uint8_t> rasterise() const {
        const int W = 1280, H = 800;
        std::vector<float> fb(W * H * 3, 0.0f);
        const ImVec4 bg = theme::window_background();
        for (int i = 0; i < W * H; ++i) {
            fb[i * 3] = bg.x;
            fb[i * 3 + 1] = bg.y;
            fb[i * 3 + 2] = bg.z;
        }
        const ImDrawData* dd = ImGui::GetDrawData();
        for (int l = 0; l < dd->CmdListsCount; ++l) {
            const ImDrawList* dl = dd->CmdLists[l];
            for (const ImDrawCmd& cmd : dl->CmdBuffer) {
                if (cmd.UserCallback) continue;
                const int cx0 = std::max(0, int(cmd.ClipRect.x)), cy0 = std::max(0, int(cmd.ClipRect.y));
                const int cx1 = std::min(W, int(std::ceil(cmd.ClipRect.z))), cy1 = std::min(H, int(std::ceil(cmd.ClipRect.w)));
                for (unsigned e = 0; e + 2 < cmd.ElemCount; e += 3) {
                    const ImDrawVert* v[3];
                    for (int k = 0; k < 3; ++k) v[k] = &dl->VtxBuffer[cmd.VtxOffset + dl->IdxBuffer[cmd.IdxOffset + e + k]];
                    const float area = (v[1]->pos.x - v[0]->pos.x) * (v[2]->pos.y - v[0]->pos.y) -
                                       (v[2]->pos.x - v[0]->pos.x) * (v[1]->pos.y - v[0]->pos.y);
                    if (std::fabs(area) < 1e-6f) continue;
                    const int x0 = std::max(cx0, int(std::floor(std::min({v[0]->pos.x, v[1]->pos.x, v[2]->pos.x}))));
                    const int x1 = std::min(cx1, int(std::ceil(std::max({v[0]->pos.x, v[1]->pos.x, v[2]->pos.x}))));
                    const int y0 = std::max(cy0, int(std::floor(std::min({v[0]->pos.y, v[1]->pos.y, v[2]->pos.y}))));
                    const int y1 = std::min(cy1, int(std::ceil(std::max({v[0]->pos.y, v[1]->pos.y, v[2]->pos.y}))));
                    for (int y = y0; y < y1; ++y)
                        for (int x = x0; x < x1; ++x) {
                            const float px = x + 0.5f, py = y + 0.5f;
                            float w[3];
                            for (int k = 0; k < 3; ++k) {
                                const ImDrawVert& a = *v[(k + 1) % 3];
                                const ImDrawVert& b = *v[(k + 2) % 3];
                                w[k] = ((b.pos.x - a.pos.x) * (py - a.pos.y) - (px - a.pos.x) * (b.pos.y - a.pos.y)) / area;
                            }
                            if (w[0] < 0 || w[1] < 0 || w[2] < 0) continue;
                            float c[4] = {0, 0, 0, 0}, u = 0, t = 0;
                            for (int k = 0; k < 3; ++k) {
                                const ImVec4 col = ImGui::ColorConvertU32ToFloat4(v[k]->col);
                                c[0] += w[k] * col.x;
                                c[1] += w[k] * col.y;
                                c[2] += w[k] * col.z;
                                c[3] += w[k] * col.w;
                                u += w[k] * v[k]->uv.x;
                                t += w[k] * v[k]->uv.y;
                            }
                            const int tx = std::clamp(int(u * font_w), 0, font_w - 1), ty = std::clamp(int(t * font_h), 0, font_h - 1);
                            const unsigned char* texel = font_px + (ty * font_w + tx) * 4;
                            const float a = c[3] * texel[3] / 255.0f;
                            float* d = &fb[(y * W + x) * 3];
                            for (int k = 0; k < 3; ++k) d[k] = d[k] * (1 - a) + c[k] * texel[k] / 255.0f * a;
                        }
                }
            }
        }
        std::vector<uint8_t> rgb(fb.size());
        for (size_t i = 0; i < fb.size(); ++i) rgb[i] = static_cast<uint8_t>(std::clamp(fb[i], 0.0f, 1.0f) * 255.0f + 0.5f);
        return rgb;
    }

    ModelsState s;
    const unsigned char* font_px = nullptr;
    int font_w = 0, font_h = 0;
};

TEST_F(ModelsPanels, DiffusionRunsABoundedNumberOfStepsPerFrameFromOneXT) {
    if (!have_asset("digits_diffusion.safetensors")) GTEST_SKIP() << "no digits_diffusion.safetensors";
    s.diffusion.steps_per_frame = 3;
    frame();
    ASSERT_TRUE(s.diffusion.error.empty()) << s.diffusion.error;
    ASSERT_TRUE(s.diffusion.ddpm && s.diffusion.ddim);
    EXPECT_EQ(s.diffusion.steps_last_frame, 3);
    EXPECT_EQ(s.diffusion.ddpm->steps_done(), 3);
    EXPECT_EQ(s.diffusion.ddim->steps_done(), 3);
    // Same seed: the same x_T on both sides, different paths after it (DDPM draws noise, DDIM eta 0 not).
    const std::vector<double> a = s.diffusion.ddpm->frame(0).x.to_vector(), b = s.diffusion.ddim->frame(0).x.to_vector();
    EXPECT_EQ(a, b);
    EXPECT_NE(s.diffusion.ddpm->frame(3).x.to_vector(), s.diffusion.ddim->frame(3).x.to_vector());
    for (int i = 0; i < 5; ++i) frame();
    EXPECT_TRUE(s.diffusion.ddpm->done());
    EXPECT_EQ(s.diffusion.steps_last_frame, 0);  // finished: no more work per frame
    EXPECT_EQ(diffusion_shown_frame(s.diffusion), 10);
    EXPECT_EQ(s.diffusion.ddim->x().shape(), (Shape{2, 1, 20, 20}));
}

TEST_F(ModelsPanels, DiffusionScrubHoldsTheSamplersAndSettingsRestart) {
    if (!have_asset("digits_diffusion.safetensors")) GTEST_SKIP() << "no digits_diffusion.safetensors";
    s.diffusion.steps_per_frame = 2;
    for (int i = 0; i < 3; ++i) frame();
    EXPECT_EQ(s.diffusion.ddpm->steps_done(), 6);
    s.diffusion.scrub = 2;
    frame();
    EXPECT_EQ(diffusion_shown_frame(s.diffusion), 2);
    EXPECT_EQ(s.diffusion.ddpm->steps_done(), 6);  // scrubbing does not run the samplers
    s.diffusion.seed = 8;                           // a new setting: new samplers from the new x_T
    frame();
    EXPECT_EQ(s.diffusion.scrub, -1);
    EXPECT_EQ(s.diffusion.ddpm->steps_done(), 2);
    // The Pause button stops the samplers.
    const TooltipAudit audit = audit_frame();
    const TooltipAudit::Item* pause = audit.find("Run the samplers");
    ASSERT_NE(pause, nullptr);
    click(ImVec2((pause->min.x + pause->max.x) / 2, (pause->min.y + pause->max.y) / 2));
    EXPECT_FALSE(s.diffusion.playing);
    const int done = s.diffusion.ddpm->steps_done();
    frame();
    EXPECT_EQ(s.diffusion.ddpm->steps_done(), done);
}

TEST_F(ModelsPanels, ToyDiffusionGivesPoints) {
    if (!have_asset("toy2d_diffusion.safetensors")) GTEST_SKIP() << "no toy2d_diffusion.safetensors";
    s.diffusion.source = 1;
    s.diffusion.n_points = 200;
    s.diffusion.steps = 4;
    s.diffusion.steps_per_frame = 4;
    frame();
    ASSERT_TRUE(s.diffusion.error.empty()) << s.diffusion.error;
    EXPECT_TRUE(s.diffusion.ddim->done());
    EXPECT_EQ(s.diffusion.ddim->x().shape(), (Shape{200, 2}));
}

TEST_F(ModelsPanels, GanSlidersTruncationAndStrip) {
    if (!have_asset("digits_gan.safetensors")) GTEST_SKIP() << "no digits_gan.safetensors";
    s.tab = ModelsTab::Gan;
    frame();
    ASSERT_TRUE(s.gan.error.empty()) << s.gan.error;
    ASSERT_EQ(s.gan.image.size(), 400u);
    EXPECT_EQ(s.gan.strip.size(), 400u * s.gan.interp_steps);
    const std::vector<float> before = s.gan.image;
    s.gan.z[0] = s.gan.z[0] > 0 ? -2.5f : 2.5f;  // what the first slider does
    frame();
    EXPECT_NE(s.gan.image, before);
    s.gan.truncation = 0.5f;
    frame();
    for (float v : s.gan.z) EXPECT_LE(std::fabs(v), 0.5f + 1e-6f);
    // The ends of the strip are the two seeds' own samples.
    GanPanelState one = s.gan;
    one.seed = s.gan.interp_b;
    one.shown_key.clear();
    update_gan(one, "");
    EXPECT_EQ(std::vector<float>(s.gan.strip.end() - 400, s.gan.strip.end()), one.image);
}

TEST_F(ModelsPanels, VaeMapClickDecodesThatPoint) {
    if (!have_asset("digits_vae2.safetensors")) GTEST_SKIP() << "no digits_vae2.safetensors";
    s.tab = ModelsTab::Vae;
    const TooltipAudit audit = audit_frame();
    ASSERT_TRUE(s.vae.error.empty()) << s.vae.error;
    EXPECT_EQ(s.vae.map.size(), 400u * s.vae.side * s.vae.side);
    const TooltipAudit::Item* map = audit.find("Each tile is the decoder's image");
    ASSERT_NE(map, nullptr);
    // The centre of the top-left tile is the latent point (-extent, +extent).
    const float tw = (map->max.x - map->min.x) / s.vae.side, th = (map->max.y - map->min.y) / s.vae.side;
    click(ImVec2(map->min.x + tw / 2, map->min.y + th / 2));
    EXPECT_NEAR(s.vae.zx, -s.vae.extent, 0.05);
    EXPECT_NEAR(s.vae.zy, s.vae.extent, 0.05);
    frame();
    const std::vector<double> z = {s.vae.zx, s.vae.zy};
    const std::vector<double> direct = s.vae.net->decode(from_vector(z, {1, 2})).to_vector();
    ASSERT_EQ(s.vae.decoded.size(), direct.size());
    for (size_t i = 0; i < direct.size(); ++i) EXPECT_FLOAT_EQ(s.vae.decoded[i], static_cast<float>(direct[i]));
}

TEST_F(ModelsPanels, LanguageModelTemperatureAndBarClicks) {
    if (!have_asset("charlm.safetensors")) GTEST_SKIP() << "no charlm.safetensors";
    s.tab = ModelsTab::Lm;
    auto entropy = [](const std::vector<double>& p) {
        double h = 0;
        for (double v : p)
            if (v > 0) h -= v * std::log(v);
        return h;
    };
    s.lm.temperature = 0.5f;
    frame();
    ASSERT_TRUE(s.lm.error.empty()) << s.lm.error;
    ASSERT_EQ(s.lm.probs.size(), 27u);
    const double cold = entropy(s.lm.probs);
    EXPECT_EQ(s.lm.words.size(), 12u);
    s.lm.temperature = 2.0f;
    frame();
    EXPECT_GT(entropy(s.lm.probs), cold + 0.3);
    s.lm.top_k = 3;
    frame();
    int nonzero = 0;
    for (double v : s.lm.probs) nonzero += v > 0;
    EXPECT_EQ(nonzero, 3);
    // A click on the 'q' bar appends q.
    const TooltipAudit audit = audit_frame();
    const TooltipAudit::Item* bars = audit.find("Probability of each next character");
    ASSERT_NE(bars, nullptr);
    const float left = bars->min.x + models_draw::bar_chart_axis_width(s.lm.probs);  // the bars start after the axis
    const float bw = (bars->max.x - left) / 27.0f;
    click(ImVec2(left + bw * 17.5f, (bars->min.y + bars->max.y) / 2));
    EXPECT_EQ(s.lm.prefix, "q");
    frame();
    for (const std::string& w : s.lm.words) EXPECT_EQ(w[0], 'q') << w;
}

TEST_F(ModelsPanels, MissingWeightsShowAnErrorInThePanel) {
    s.assets = "/nonexistent-noiselab-assets";
    for (ModelsTab t : {ModelsTab::Diffusion, ModelsTab::Gan, ModelsTab::Vae, ModelsTab::Lm}) {
        s.tab = t;
        EXPECT_NO_THROW(frame());
    }
    EXPECT_NE(s.diffusion.error.find("digits_diffusion.safetensors"), std::string::npos) << s.diffusion.error;
    EXPECT_NE(s.gan.error.find("digits_gan.safetensors"), std::string::npos) << s.gan.error;
    EXPECT_FALSE(s.vae.error.empty());
    EXPECT_FALSE(s.lm.error.empty());
}

TEST_F(ModelsPanels, EveryTabHasItsControlsWithTooltipsAndFitsTheWindow) {
    const char* expect[4][2] = {{"Classifier-free guidance", "Scrub over the steps"},
                                {"The truncation trick", "One latent dimension"},
                                {"The map covers", "Each tile is"},
                                {"Divides the logits", "Nucleus"}};
    const char* files[4] = {"digits_diffusion.safetensors", "digits_gan.safetensors", "digits_vae2.safetensors",
                            "charlm.safetensors"};
    for (int t = 0; t < 4; ++t) {
        if (!have_asset(files[t])) continue;
        s.tab = static_cast<ModelsTab>(t);
        frame();
        const TooltipAudit audit = audit_frame();
        for (const char* text : expect[t]) EXPECT_NE(audit.find(text), nullptr) << "tab " << t << ": " << text;
        EXPECT_NE(audit.find("The digits GAN"), nullptr);  // the tab row
        ImGuiWindow* w = ImGui::FindWindowByName(kModelsWindow);
        ASSERT_NE(w, nullptr);
        EXPECT_LE(w->ScrollMax.y, 1.0f) << "tab " << t << " taller than the window";
        for (const std::string& o : nl::test::imgui_overflows()) ADD_FAILURE() << "tab " << t << ": " << o;
    }
}

// A picture of every tab, rasterised on the CPU from ImGui's draw data and written to the build
// folder (models_workspace_<tab>.png) for people to look at; the check: each picture has many
// pixels far from the background colour (the digits, points, bars and text were drawn).
TEST_F(ModelsPanels, ScreenshotsOfEveryTab) {
    const char* names[4] = {"diffusion", "gan", "vae", "lm"};
    const char* files[4] = {"digits_diffusion.safetensors", "digits_gan.safetensors", "digits_vae2.safetensors",
                            "charlm.safetensors"};
    s.diffusion.n_digits = 8;
    s.diffusion.steps = 20;
    s.diffusion.steps_per_frame = 10;
    s.lm.prefix = "th";
    for (int t = 0; t < 4; ++t) {
        if (!have_asset(files[t])) continue;
        s.tab = static_cast<ModelsTab>(t);
        frame();
        frame();
        const std::vector<uint8_t> rgb = rasterise();
        // Pixels far from the background: digits, points, bars, text.
        const ImVec4 bg = theme::window_background();
        size_t drawn = 0;
        for (size_t i = 0; i + 2 < rgb.size(); i += 3)
            drawn += std::abs(rgb[i] - bg.x * 255) + std::abs(rgb[i + 1] - bg.y * 255) + std::abs(rgb[i + 2] - bg.z * 255) > 120;
        EXPECT_GT(drawn, 20000u) << names[t];
        io::write_png(std::string(NOISELAB_BINARY_DIR) + "/models_workspace_" + names[t] + ".png", rgb.data(), 1280, 800, 3,
                      {}, true);
    }
}

}  // namespace
