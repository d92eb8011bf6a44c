// The VAE panel: the 2-D VAE's latent map (a side x side grid of decoded points over
// [-extent, extent]^2, computed once per setting) and the digit decoded at the clicked point.
#include <algorithm>
#include <cmath>
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
#include "tensor/errors.h"

namespace nl::gui {

void update_vae(VaePanelState& v, const std::string& assets) {
    v.side = std::clamp(v.side, 4, 20);
    v.extent = std::clamp(v.extent, 0.5f, 4.0f);
    v.zx = std::clamp(v.zx, -v.extent, v.extent);
    v.zy = std::clamp(v.zy, -v.extent, v.extent);
    try {
        if (!v.net)
            v.net = std::make_shared<models::DigitsVAE>(models::Weights::load(
                assets.empty() ? models::asset_path("digits_vae2.safetensors") : assets + "/digits_vae2.safetensors"));
        if (v.net->z_dim() != 2) throw ValueError("the latent map needs the 2-D VAE, this one has " +
                                                  std::to_string(v.net->z_dim()) + " dimensions");
        char key[64];
        std::snprintf(key, sizeof key, "%d|%.4f", v.side, v.extent);
        if (key != v.map_key) {
            v.map = models_draw::host_floats(v.net->decode(models::latent_grid(v.side, v.extent)));
            v.map_key = key;
        }
        std::snprintf(key, sizeof key, "%.5f|%.5f", v.zx, v.zy);
        if (key != v.point_key) {
            v.decoded = models_draw::host_floats(v.net->decode(from_vector({v.zx, v.zy}, {1, 2})));
            v.point_key = key;
        }
        v.error.clear();
    } catch (const std::exception& e) {
        v.error = e.what();
        v.map.clear();
        v.decoded.clear();
    }
}

void draw_vae_panel(VaePanelState& v) {
    const float fs = ImGui::GetFontSize();
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    ImGui::BeginChild("##vae_controls", ImVec2(fs * 17.0f, avail.y), false);
    ImGui::SetNextItemWidth(fs * 9.0f);
    ImGui::SliderInt("Map side", &v.side, 4, 20);
    tooltip("The map decodes side x side evenly spaced latent points.");
    ImGui::SetNextItemWidth(fs * 9.0f);
    ImGui::SliderFloat("Extent", &v.extent, 0.5f, 4.0f, "+-%.1f");
    tooltip("The map covers [-extent, extent] on both latent axes; the prior N(0, I) puts 95% within +-2.");
    ImGui::Text("z = (%.2f, %.2f)", v.zx, v.zy);
    tooltip("The decoded point: click the map to move it.");
    if (!v.decoded.empty()) {
        const float cell = std::max(2.0f, std::floor(fs * 12.0f / 20.0f));
        models_draw::digits_grid("##vae_point", v.decoded, 1, 1, cell, 0.0f, 1.0f);
        tooltip("The decoder's Bernoulli means at z.");
    }
    ImGui::EndChild();
    ImGui::SameLine();
    ImGui::BeginChild("##vae_view", ImVec2(0, avail.y), false);
    if (!v.error.empty()) {
        ImGui::TextColored(theme::text_error(), "%s", v.error.c_str());
    } else {
        ImGui::TextUnformatted("Latent map of the 2-D VAE (click to decode a point)");
        ImVec2 room = ImGui::GetContentRegionAvail();
        room.y -= ImGui::GetTextLineHeightWithSpacing();  // the axes' line under the map
        const ImVec2 unit = models_draw::digits_size(v.side * v.side, v.side, 1.0f);
        const float cell = std::max(1.0f, std::floor(std::min(room.x / unit.x, room.y / unit.y)));
        const ImVec2 p0 = ImGui::GetCursorScreenPos();
        const ImVec2 size = models_draw::digits_size(v.side * v.side, v.side, cell);
        if (models_draw::digits_grid("##vae_map", v.map, v.side * v.side, v.side, cell, 0.0f, 1.0f)) {
            // Tile centres sit at the latent_grid points: x from -extent (left), y from +extent (top).
            const ImVec2 m = ImGui::GetIO().MousePos;
            const float fx = (m.x - p0.x) / size.x, fy = (m.y - p0.y) / size.y;
            const float span = 2.0f * v.extent * v.side / std::max(v.side - 1, 1);
            v.zx = -v.extent - 0.5f * (span - 2.0f * v.extent) + fx * span;
            v.zy = v.extent + 0.5f * (span - 2.0f * v.extent) - fy * span;
        }
        tooltip("Each tile is the decoder's image of its latent point; neighbouring points give similar digits.");
        // Mark the decoded point.
        const float span = 2.0f * v.extent * v.side / std::max(v.side - 1, 1);
        const float mx = p0.x + (v.zx + v.extent + 0.5f * (span - 2.0f * v.extent)) / span * size.x;
        const float my = p0.y + (v.extent + 0.5f * (span - 2.0f * v.extent) - v.zy) / span * size.y;
        ImGui::GetWindowDrawList()->AddCircle(ImVec2(mx, my), fs * 0.4f, theme::kTheory, 0, 2.0f);
        ImGui::TextColored(theme::text_dim(), "z1: %.2g (left) to %.2g (right);  z2: %.2g (top) to %.2g (bottom)",
                           -v.extent, v.extent, v.extent, -v.extent);
        tooltip("The latent coordinates the tiles decode: the map is a grid over [-extent, extent]^2.");
    }
    ImGui::EndChild();
}

}  // namespace nl::gui
