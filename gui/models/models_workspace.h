// The Models workspace of the desktop app: four panels that turn our noise into something through
// the shipped networks (docs/MODELS.md). Diffusion: play / pause / scrub a DDPM and a DDIM run side
// by side from the same x_T, with the histogram of x_t at the shown step. GAN: sliders on the first
// latent dimensions, truncation and temperature, a lerp / slerp strip between two seeds. VAE: the
// 2-D latent map; a click decodes that point. Language model: temperature / top-k / top-p, the
// next-character bars (a click appends that character) and sampled words.
//
// Like the other panels (gui/panels.h) everything is a function of an explicit state struct, so
// tests drive it headless. Expensive work is bounded per frame: the diffusion panel runs at most
// `steps_per_frame` sampler steps per frame, and the GAN, VAE and LM panels recompute only when
// their settings change. Networks load on first use from models::assets_dir(); a missing or
// damaged file shows its error in the panel instead of failing the app.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "gui/layout.h"
#include "models/diffusion.h"
#include "models/nets.h"
#include "tensor/tensor.h"

namespace nl::gui {

constexpr const char* kModelsWindow = "Models";

enum class ModelsTab { Diffusion = 0, Gan = 1, Vae = 2, Lm = 3 };

struct DiffusionPanelState {
    // Settings (the panel's controls).
    int source = 0;               // 0 = digits; 1..5 = the toy data sets (models::toy_names()[source - 1])
    int digit = 3;                // class 0..9, or 10 for unconditional digits
    int n_digits = 8;             // digits per sampler, 1..16
    int n_points = 1000;          // toy points per sampler, 100..4000
    int steps = 50;               // sampler steps, 2..1000
    float guidance = 3.0f;        // classifier-free guidance, 0..8
    float eta = 0.0f;             // the DDIM side's eta (the DDPM side is ancestral)
    bool cosine = true;           // schedule: cosine, else linear
    float temperature = 1.0f;     // scales x_T and every step's noise, 0..1.5
    uint64_t seed = 7;
    bool playing = true;          // advance the samplers every frame
    int steps_per_frame = 1;      // the per-frame work bound while playing, 1..10
    int scrub = -1;               // the frame shown; -1 follows the latest
    bool show_x0 = false;         // show the predicted x_0 at the shown step instead of x_t
    bool restart_requested = false;

    // Filled by the panel.
    std::shared_ptr<models::DigitsUNet> unet;
    std::shared_ptr<models::Toy2DNet> toy;
    std::shared_ptr<models::EpsModel> eps;
    std::shared_ptr<models::DiffusionStepper> ddpm, ddim;  // from the same seed, so the same x_T
    std::string built_key;        // the settings the steppers were made with
    std::string error;
    int steps_last_frame = 0;     // sampler steps run in the last frame (each side)
};

struct GanPanelState {
    uint64_t seed = 7;            // the latent z = models::latents(1, z_dim, Generator(seed), temperature, truncation)
    int digit = 3;
    float truncation = 0.0f;      // 0 = off; else |z| entries beyond it are redrawn
    float temperature = 1.0f;
    int sliders = 8;              // the first latent dims shown as sliders
    std::vector<float> z;         // the current latent (sliders edit its first entries)
    uint64_t interp_a = 7, interp_b = 8;  // the two seeds of the strip
    int interp_steps = 8;
    bool slerp = true;

    std::shared_ptr<models::DigitsGenerator> net;
    std::string z_key;            // the (seed, temperature, truncation) z was drawn with
    std::string shown_key;        // what `image` and `strip` were computed from
    std::vector<float> image;     // 400 pixels in [-1, 1]
    std::vector<float> strip;     // interp_steps * 400
    std::string error;
};

struct VaePanelState {
    int side = 12;                // the latent map is side x side decoded points
    float extent = 2.5f;          // covering [-extent, extent]^2
    float zx = 0.0f, zy = 0.0f;   // the decoded point (a click on the map moves it)

    std::shared_ptr<models::DigitsVAE> net;
    std::string map_key, point_key;
    std::vector<float> map;       // side * side * 400 pixels in [0, 1], row by row from the top
    std::vector<float> decoded;   // 400 pixels of the point (zx, zy)
    std::string error;
};

struct LmPanelState {
    float temperature = 0.8f;     // 0 = greedy
    int top_k = 0;                // 0 = off
    float top_p = 1.0f;           // 1 = off
    std::string prefix;           // a-z; the bars show the next character after it
    uint64_t seed = 7;
    int n = 12;                   // words sampled

    std::shared_ptr<models::CharMLP> net;
    std::string shown_key;
    std::vector<double> probs;    // 27: '.', a..z
    std::vector<std::string> words;
    std::string error;
};

struct ModelsState {
    ModelsTab tab = ModelsTab::Diffusion;
    std::string assets;           // where the weights are; "" = models::assets_dir()
    DiffusionPanelState diffusion;
    GanPanelState gan;
    VaePanelState vae;
    LmPanelState lm;
};

// Draws the workspace (a tab row and the chosen panel) as one fixed window filling `area`, after
// doing this frame's bounded work for the visible panel. Call between ImGui::NewFrame() and
// ImGui::Render(); needs no OpenGL.
void draw_models_workspace(ModelsState& s, const Rect& area);

// The per-panel work without drawing (draw_models_workspace calls the visible one's), for tests
// and scripts: rebuilds what the settings changed and, for diffusion, runs the frame's steps.
void update_diffusion(DiffusionPanelState& d, const std::string& assets);
void update_gan(GanPanelState& g, const std::string& assets);
void update_vae(VaePanelState& v, const std::string& assets);
void update_lm(LmPanelState& l, const std::string& assets);

// What the menu bar's title says while the workspace is shown: the tab and its seed, e.g.
// "GAN  seed 7" (the sampler's distribution and seed are not on screen then).
std::string models_title(const ModelsState& s);

// The frame the diffusion panel shows: scrub, or the latest both sides have (-1 before any run).
int diffusion_shown_frame(const DiffusionPanelState& d);

// Drawn by draw_models_workspace for the visible tab.
void draw_diffusion_panel(DiffusionPanelState& d);
void draw_gan_panel(GanPanelState& g);
void draw_vae_panel(VaePanelState& v);
void draw_lm_panel(LmPanelState& l);

}  // namespace nl::gui
