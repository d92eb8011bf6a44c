// The Models workspace window: a row of tab buttons bound to ModelsState::tab and the chosen
// panel, after that panel's bounded per-frame work (models_workspace.h).
#include "gui/models/models_workspace.h"

#include <imgui.h>

#include "gui/panels.h"
#include "gui/theme.h"

namespace nl::gui {

std::string models_title(const ModelsState& s) {
    switch (s.tab) {
        case ModelsTab::Diffusion: return "diffusion  seed " + std::to_string(s.diffusion.seed);
        case ModelsTab::Gan: return "GAN  seed " + std::to_string(s.gan.seed);
        case ModelsTab::Vae: return "VAE latent map";
        case ModelsTab::Lm: return "language model  seed " + std::to_string(s.lm.seed);
    }
    return "models";
}

void draw_models_workspace(ModelsState& s, const Rect& area) {
    switch (s.tab) {
        case ModelsTab::Diffusion: update_diffusion(s.diffusion, s.assets); break;
        case ModelsTab::Gan: update_gan(s.gan, s.assets); break;
        case ModelsTab::Vae: update_vae(s.vae, s.assets); break;
        case ModelsTab::Lm: update_lm(s.lm, s.assets); break;
    }
    ImGui::SetNextWindowPos(ImVec2(area.x, area.y));
    ImGui::SetNextWindowSize(ImVec2(area.w, area.h));
    if (ImGui::Begin(kModelsWindow, nullptr, theme::kPanelFlags | ImGuiWindowFlags_NoTitleBar)) {
        struct Tab {
            ModelsTab tab;
            const char* name;
            const char* help;
        };
        const Tab tabs[] = {
            {ModelsTab::Diffusion, "Diffusion", "A digit or a 2-D data set emerging from Gaussian noise, DDPM beside DDIM."},
            {ModelsTab::Gan, "GAN", "The digits GAN: latent sliders, truncation, interpolation between two seeds."},
            {ModelsTab::Vae, "VAE", "The 2-D latent map of the digits VAE; click to decode a point."},
            {ModelsTab::Lm, "Language model", "The character model: temperature, top-k, top-p, next-character bars, words."},
        };
        for (const Tab& t : tabs) {
            if (t.tab != ModelsTab::Diffusion) ImGui::SameLine();
            const bool on = s.tab == t.tab;
            if (on) ImGui::PushStyleColor(ImGuiCol_Button, ImGui::GetStyleColorVec4(ImGuiCol_ButtonActive));
            if (ImGui::Button(t.name)) s.tab = t.tab;
            if (on) ImGui::PopStyleColor();
            tooltip(t.help);
        }
        ImGui::Separator();
        switch (s.tab) {
            case ModelsTab::Diffusion: draw_diffusion_panel(s.diffusion); break;
            case ModelsTab::Gan: draw_gan_panel(s.gan); break;
            case ModelsTab::Vae: draw_vae_panel(s.vae); break;
            case ModelsTab::Lm: draw_lm_panel(s.lm); break;
        }
    }
    ImGui::End();
}

}  // namespace nl::gui
