// The GAN panel: one class-conditional sample whose first latent dimensions are sliders, the seed,
// truncation and temperature that draw the latent, and a lerp / slerp strip between two seeds'
// latents. The generator runs only when a setting changes (a few images: well under a frame).
#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include <imgui.h>

#include "gui/models/models_draw.h"
#include "gui/models/models_workspace.h"
#include "gui/panels.h"
#include "gui/theme.h"
#include "models/latent.h"
#include "models/weights.h"
#include "tensor/generator.h"

namespace nl::gui {

namespace {

Tensor latent_of(uint64_t seed, int64_t dim, const GanPanelState& g) {
    Generator gen(seed);
    return models::latents(1, dim, gen, g.temperature, g.truncation);
}

}  // namespace

void update_gan(GanPanelState& g, const std::string& assets) {
    g.digit = std::clamp(g.digit, 0, 9);
    g.temperature = std::clamp(g.temperature, 0.0f, 2.0f);
    g.truncation = g.truncation < 0.05f ? 0.0f : std::min(g.truncation, 3.0f);
    g.interp_steps = std::clamp(g.interp_steps, 2, 16);
    try {
        if (!g.net)
            g.net = std::make_shared<models::DigitsGenerator>(models::Weights::load(
                assets.empty() ? models::asset_path("digits_gan.safetensors") : assets + "/digits_gan.safetensors"));
        const int64_t dim = g.net->z_dim();
        g.sliders = std::clamp(g.sliders, 0, static_cast<int>(dim));
        char key[160];
        std::snprintf(key, sizeof key, "%llu|%.4f|%.4f", static_cast<unsigned long long>(g.seed), g.temperature,
                      g.truncation);
        if (key != g.z_key || static_cast<int64_t>(g.z.size()) != dim) {
            g.z = models_draw::host_floats(latent_of(g.seed, dim, g));
            g.z_key = key;
        }
        std::string shown = std::string(key) + "|" + std::to_string(g.digit) + "|" + std::to_string(g.interp_a) + "|" +
                            std::to_string(g.interp_b) + "|" + std::to_string(g.interp_steps) + (g.slerp ? "s" : "l");
        for (float v : g.z) shown += "|" + std::to_string(v);
        if (shown == g.shown_key) return;
        g.shown_key = shown;
        std::vector<double> z(g.z.begin(), g.z.end());
        g.image = models_draw::host_floats(g.net->forward(from_vector(z, {1, dim}), from_vector({double(g.digit)}, {1}, TensorOptions(DType::Int64))));
        const Tensor path = models::interpolate(latent_of(g.interp_a, dim, g).reshape({dim}),
                                                latent_of(g.interp_b, dim, g).reshape({dim}), g.interp_steps, g.slerp);
        g.strip = models_draw::host_floats(g.net->forward(path, from_vector(std::vector<double>(g.interp_steps, g.digit), {g.interp_steps},
                                                         TensorOptions(DType::Int64))));
        g.error.clear();
    } catch (const std::exception& e) {
        g.error = e.what();
        g.image.clear();
        g.strip.clear();
    }
}

void draw_gan_panel(GanPanelState& g) {
    const float fs = ImGui::GetFontSize();
    const float w = fs * 9.0f;
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    ImGui::BeginChild("##gan_controls", ImVec2(fs * 17.0f, avail.y), false);
    ImGui::SetNextItemWidth(w);
    ImGui::SliderInt("Class", &g.digit, 0, 9);
    tooltip("The digit the class-conditional generator draws.");
    int seed = static_cast<int>(g.seed);
    ImGui::SetNextItemWidth(w);
    if (ImGui::InputInt("Seed", &seed)) g.seed = static_cast<uint64_t>(std::max(0, seed));
    tooltip("The latent z is N(0, I) drawn from a generator with this seed (the sliders start from it).");
    ImGui::SetNextItemWidth(w);
    ImGui::SliderFloat("Temperature", &g.temperature, 0.0f, 2.0f, "%.2f");
    tooltip("Scales z: below 1 gives more typical digits, above 1 stranger ones.");
    ImGui::SetNextItemWidth(w);
    ImGui::SliderFloat("Truncation", &g.truncation, 0.0f, 3.0f, g.truncation < 0.05f ? "off" : "%.2f");
    tooltip("The truncation trick: entries of z beyond this are redrawn (off below 0.05). Lower: cleaner, less varied.");
    ImGui::Separator();
    ImGui::TextUnformatted("Latent z, first dimensions");
    tooltip("Drag a dimension of z and watch the digit change; the rest of z stays as drawn.");
    for (int i = 0; i < g.sliders && i < static_cast<int>(g.z.size()); ++i) {
        char label[16];
        std::snprintf(label, sizeof label, "z[%d]", i);
        ImGui::SetNextItemWidth(w);
        ImGui::SliderFloat(label, &g.z[i], -3.0f, 3.0f, "%.2f");
        tooltip("One latent dimension (-3 to 3).");
    }
    ImGui::Separator();
    int a = static_cast<int>(g.interp_a), b = static_cast<int>(g.interp_b);
    ImGui::SetNextItemWidth(w);
    if (ImGui::InputInt("Seed A", &a)) g.interp_a = static_cast<uint64_t>(std::max(0, a));
    tooltip("The strip starts at this seed's latent.");
    ImGui::SetNextItemWidth(w);
    if (ImGui::InputInt("Seed B", &b)) g.interp_b = static_cast<uint64_t>(std::max(0, b));
    tooltip("... and ends at this seed's latent.");
    ImGui::SetNextItemWidth(w);
    ImGui::SliderInt("Strip steps", &g.interp_steps, 2, 16);
    tooltip("Points along the path, both ends included.");
    ImGui::Checkbox("Slerp", &g.slerp);
    tooltip("Spherical interpolation keeps |z| typical along the path; lerp passes near the origin (washed-out middles).");
    ImGui::EndChild();
    ImGui::SameLine();
    ImGui::BeginChild("##gan_view", ImVec2(0, avail.y), false);
    if (!g.error.empty()) {
        ImGui::TextColored(theme::text_error(), "%s", g.error.c_str());
    } else {
        const ImVec2 room = ImGui::GetContentRegionAvail();
        ImGui::TextUnformatted("Sample");
        const float cell = std::max(2.0f, std::floor(std::min(room.x * 0.5f, room.y * 0.55f) / 20.0f));
        models_draw::digits_grid("##gan_sample", g.image, 1, 1, cell, -1.0f, 1.0f);
        ImGui::TextUnformatted(g.slerp ? "Slerp from seed A to seed B" : "Lerp from seed A to seed B");
        const float strip_cell = std::max(1.0f, std::floor((room.x - 2.0f * g.interp_steps) / (20.0f * g.interp_steps)));
        models_draw::digits_grid("##gan_strip", g.strip, g.interp_steps, g.interp_steps, strip_cell, -1.0f, 1.0f);
    }
    ImGui::EndChild();
}

}  // namespace nl::gui
