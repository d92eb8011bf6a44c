// Lesson 8's visual ("generative_noise"): three columns, VAE | diffusion | GAN. Each shows the
// chapter's noise tensor (latents as heat maps, negative blue / positive orange; the first four
// diffusion noise images as RGB) and, under it, what Noise Lab's tiny model makes from noise of its
// own size: decoded VAE digits, DDIM digits appearing step by step (one step per frame), and GAN
// digits -- or, when the GAN's weight file is missing, a clear note instead.
// visual_params: {"seed": 0, "steps": 20, "n": 16}
#include <algorithm>
#include <cmath>
#include <memory>

#include <imgui.h>

#include "gui/lessons/sims/genmodels.h"
#include "gui/lessons/sims/sim_ui.h"
#include "gui/lessons/sims/sims_visuals.h"
#include "gui/text_fit.h"
#include "tensor/errors.h"

namespace nl::gui::sims {

namespace {

struct GenVisual {
    bool initialised = false;
    int seed = 0, steps = 20, n = 16;
    std::string key;
    ChapterNoise noise;
    ModelImages vae, gan;
    std::unique_ptr<DiffusionRun> diffusion;
    std::string diffusion_error;
    Tensor diffusion_view;  // [n, 1, 20, 20] in [0, 1], refreshed after each step
};

void gen_update(GenVisual& s, const VisualContext& c) {
    if (!s.initialised) {
        s.initialised = true;
        s.seed = static_cast<int>(param_num(c.params, "seed", 0));
        s.steps = static_cast<int>(param_num(c.params, "steps", 20));
        s.n = static_cast<int>(param_num(c.params, "n", 16));
    }
    s.seed = std::max(0, s.seed);
    s.steps = std::clamp(s.steps, 1, 100);
    s.n = std::clamp(s.n, 4, 16);
    const std::string key = std::to_string(s.seed) + "/" + std::to_string(s.steps) + "/" + std::to_string(s.n);
    if (key != s.key) {
        s.key = key;
        s.noise = chapter_noise(static_cast<uint64_t>(s.seed));
        s.vae = vae_samples(s.n, static_cast<uint64_t>(s.seed));
        s.gan = gan_samples(s.n, static_cast<uint64_t>(s.seed));
        s.diffusion.reset();
        s.diffusion_error.clear();
        try {
            s.diffusion = std::make_unique<DiffusionRun>(s.n, s.steps, static_cast<uint64_t>(s.seed));
            s.diffusion_view = s.diffusion->current01();
        } catch (const Error& e) {
            s.diffusion_error = e.what();
        }
    }
    if (s.diffusion && !s.diffusion->done()) {  // one denoising step per frame keeps the UI live
        s.diffusion->step();
        s.diffusion_view = s.diffusion->current01();
    }
    c.check("noise shapes: [32, 128], [32, 3, 64, 64], [32, 100]",
            s.noise.vae_z.shape() == Shape{32, 128} && s.noise.diffusion.shape() == Shape{32, 3, 64, 64} &&
                s.noise.gan_z.shape() == Shape{32, 100},
            "drawn from one generator seeded " + std::to_string(s.seed));
    c.check("GAN: images, or the missing weight file named", s.gan.available || !s.gan.missing.empty(),
            s.gan.available ? "generator ran" : s.gan.missing);
}

// A latent [rows, cols] as a heat map: 0 is the background, -3 full blue, +3 full orange.
void heat(const Tensor& z, ImVec2 size) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 p = ImGui::GetCursorScreenPos();
    ImGui::Dummy(size);
    const int64_t R = z.size(0), C = z.size(1);
    const float* v = z.data<float>();
    const float cw = size.x / static_cast<float>(C), ch = size.y / static_cast<float>(R);
    dl->AddRectFilled(p, ImVec2(p.x + size.x, p.y + size.y), theme::kImageBackground);
    for (int64_t r = 0; r < R; ++r)
        for (int64_t k = 0; k < C; ++k) {
            const float x = std::clamp(v[r * C + k] / 3.0f, -1.0f, 1.0f);
            const ImU32 col = mix(theme::kImageBackground, x < 0 ? kSame : kDiffer, std::fabs(x));
            dl->AddRectFilled(ImVec2(p.x + k * cw, p.y + r * ch), ImVec2(p.x + (k + 1) * cw, p.y + (r + 1) * ch), col);
        }
}

// At most this many digits per grid: 16 x 400 pixels x 4 vertices stays well inside one draw list.
constexpr int64_t kMaxImages = 16;

// Images [n, 1, H, W] in [0, 1] (ink saturates at 0.9) in a grid of `cols`, at most `px` screen
// pixels per image pixel and no taller than what is left of the column.
void image_grid(const Tensor& imgs, int cols, float px) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 p = ImGui::GetCursorScreenPos();
    const int64_t n = std::min<int64_t>(imgs.size(0), kMaxImages), H = imgs.size(2), W = imgs.size(3);
    const Tensor c = imgs.contiguous();
    const float* v = c.data<float>();
    const int rows = static_cast<int>((n + cols - 1) / cols);
    const float gap = 3.0f;
    px = std::max(0.5f, std::min(px, (ImGui::GetContentRegionAvail().y - rows * gap) / static_cast<float>(rows * H)));
    const float tw = W * px, th = H * px;
    ImGui::Dummy(ImVec2(cols * (tw + gap), rows * (th + gap)));
    for (int64_t i = 0; i < n; ++i) {
        const float x0 = p.x + (i % cols) * (tw + gap), y0 = p.y + (i / cols) * (th + gap);
        dl->AddRectFilled(ImVec2(x0, y0), ImVec2(x0 + tw, y0 + th), theme::kImageBackground);
        for (int64_t y = 0; y < H; ++y)
            for (int64_t x = 0; x < W; ++x) {
                const float t = std::clamp(v[(i * H + y) * W + x] / 0.9f, 0.0f, 1.0f);
                if (t < 0.05f) continue;
                dl->AddRectFilled(ImVec2(x0 + x * px, y0 + y * px), ImVec2(x0 + (x + 1) * px, y0 + (y + 1) * px),
                                  mix(theme::kImageBackground, kSame, t));
            }
    }
}

// The first `count` images of x [N, 3, H, W] (standard normal) as RGB, mapped from [-2.5, 2.5].
void rgb_noise(const Tensor& x, int count, float size) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 p = ImGui::GetCursorScreenPos();
    const int64_t H = x.size(2), W = x.size(3);
    const float* v = x.data<float>();
    const float px = size / static_cast<float>(W), gap = 4.0f;
    ImGui::Dummy(ImVec2(count * (size + gap), size));
    for (int i = 0; i < count; ++i) {
        const float x0 = p.x + i * (size + gap);
        for (int64_t y = 0; y < H; ++y)
            for (int64_t k = 0; k < W; ++k) {
                int ch[3];
                for (int c = 0; c < 3; ++c) {
                    const float u = v[((static_cast<int64_t>(i) * 3 + c) * H + y) * W + k];
                    ch[c] = static_cast<int>(std::clamp((u + 2.5f) / 5.0f, 0.0f, 1.0f) * 255.0f);
                }
                dl->AddRectFilled(ImVec2(x0 + k * px, p.y + y * px), ImVec2(x0 + (k + 1) * px, p.y + (y + 1) * px),
                                  theme::rgba(ch[0], ch[1], ch[2]));
            }
    }
}

void gen_draw(GenVisual& s, const VisualContext& c) {
    if (begin_sim_window(c, "Noise for generative models: z for a VAE, noise for diffusion, z for a GAN")) {
        ImGui::PushItemWidth(120.0f * c.scale);
        const float item_w = 120.0f * c.scale;
        ImGui::InputInt("seed", &s.seed);
        same_line_if_fits(labelled_width(item_w, "DDIM steps"));
        ImGui::SliderInt("DDIM steps", &s.steps, 1, 100);
        same_line_if_fits(labelled_width(item_w, "samples fed to the models"));
        ImGui::SliderInt("samples fed to the models", &s.n, 4, 16);
        ImGui::PopItemWidth();
        if (s.key.empty()) {
            end_sim_window();
            return;
        }
        const float gap = 12.0f * c.scale;
        const float w = (ImGui::GetContentRegionAvail().x - 2 * gap) / 3.0f;
        // Screen pixels per image pixel, fractional: a whole number left a 165 px projector column
        // with 20 px digits (1 px each) where 37 px fit. Neighbouring cells share their edges exactly.
        const float px = std::max(0.5f, (w - 4 * 3.0f) / (4 * 20.0f));
        auto column_title = [](const char* t) { text_wrapped(theme::accent(), t); };

        // One child window per column: each has its own draw list, and ImGui 1.86's 16-bit indices
        // allow 65,536 vertices per list (every pixel drawn here is a rectangle of 4).
        const char* kNegative = "negative / ink";
        const char* kPositive = "positive (clip at +-3)";
        const int legend_lines = legend_width(kNegative) + gap + legend_width(kPositive) > ImGui::GetContentRegionAvail().x ? 2 : 1;
        const float col_h = ImGui::GetContentRegionAvail().y - legend_lines * ImGui::GetTextLineHeightWithSpacing() - 4.0f;
        ImGui::BeginChild("##vae", ImVec2(w, col_h), false, ImGuiWindowFlags_NoScrollbar);
        column_title("VAE latent z = torch.randn(32, 128)");
        heat(s.noise.vae_z, ImVec2(w, w * 0.25f));
        text_wrapped(theme::text_dim(), "tiny VAE decoder, z = randn(" + std::to_string(s.n) + ", 16)");
        if (s.vae.available) image_grid(s.vae.images, 4, px);
        else text_wrapped(theme::text_warn(), "VAE not run: " + s.vae.missing);
        ImGui::EndChild();
        ImGui::SameLine(0, gap);

        ImGui::BeginChild("##diffusion", ImVec2(w, col_h), false, ImGuiWindowFlags_NoScrollbar);
        column_title("diffusion noise torch.randn(32, 3, 64, 64)");
        rgb_noise(s.noise.diffusion, 2, std::min((w - 8.0f) / 2.0f, 128.0f * c.scale));
        text_wrapped(theme::text_dim(), "(images 0 and 1 of 32; channels as RGB)");
        if (s.diffusion) {
            text_wrapped(theme::text_dim(), "tiny UNet, DDIM step " + std::to_string(s.diffusion->steps_done()) + " / " +
                                                std::to_string(s.diffusion->steps()));
            text_wrapped(theme::text_dim(), "from x_T = randn(" + std::to_string(s.n) + ", 1, 20, 20)");
            image_grid(s.diffusion_view, 4, px);
        } else {
            text_wrapped(theme::text_warn(), "diffusion not run: " + s.diffusion_error);
        }
        ImGui::EndChild();
        ImGui::SameLine(0, gap);

        ImGui::BeginChild("##gan", ImVec2(w, col_h), false, ImGuiWindowFlags_NoScrollbar);
        column_title("GAN latent z = torch.randn(32, 100)");
        heat(s.noise.gan_z, ImVec2(w, w * 0.25f));
        text_wrapped(theme::text_dim(), "tiny generator: z = randn(" + std::to_string(s.n) + ", 64)");
        if (s.gan.available) {
            image_grid(s.gan.images, 4, px);
        } else {
            text_wrapped(theme::text_warn(), "GAN not run: " + s.gan.missing);
            heat(s.gan.z, ImVec2(w, w * 0.25f));
            text_wrapped(theme::text_dim(), "(the z it would be fed)");
        }
        ImGui::EndChild();
        legend(kSame, kNegative);
        same_line_if_fits(legend_width(kPositive), gap);
        legend(kDiffer, kPositive);
    }
    end_sim_window();
}

std::string gen_code(const GenVisual& s, const VisualContext&) {
    std::string out = "import torch\n";
    out += "g = torch.Generator().manual_seed(" + std::to_string(s.seed) + ")\n";
    out += "z_vae = torch.randn(32, 128, generator=g)         # VAE latent: decoder(z_vae) -> images\n";
    out += "noise = torch.randn(32, 3, 64, 64, generator=g)   # diffusion: x_T, and the noise added in training\n";
    out += "z_gan = torch.randn(32, 100, generator=g)         # GAN latent: generator(z_gan) -> images\n";
    out += "print(z_vae.shape, z_vae.dtype)\n";
    out += "print(noise.shape, noise.dtype)\n";
    out += "print(z_gan.shape, z_gan.dtype)\n";
    out += "# Noise Lab's tiny models take noise of their own sizes:\n";
    out += "#   noiselab vae --latent 16 --n " + std::to_string(s.n) + " --seed " + std::to_string(s.seed) + "\n";
    out += "#   noiselab diffuse --model digits --sampler ddim --steps " + std::to_string(s.steps) + " --n " + std::to_string(s.n) +
           " --seed " + std::to_string(s.seed) + "\n";
    return out;
}

}  // namespace

LessonVisual genmodels_visual() { return make_visual<GenVisual>("generative_noise", gen_update, gen_draw, gen_code,
                       {VisualParam::integer("seed", 0, VisualParam::kMaxSeed), VisualParam::integer("steps", 1, 100),
                        VisualParam::integer("n", 4, 16)}); }

}  // namespace nl::gui::sims
