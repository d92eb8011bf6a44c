// The panels of the main window. Each is a function of explicit state: it draws one fixed
// window at the rectangle the layout gives it and changes only the state it is handed; the
// sampling and analysis they trigger happen in update() (app.h). Call them between
// ImGui::NewFrame() and ImGui::Render(); they need no OpenGL, so tests run them headless.
#pragma once
#include <string>
#include <vector>

#include <imgui.h>

#include "gui/app_state.h"
#include "gui/layout.h"
#include "gui/texture_sink.h"

namespace nl::gui {

// Window names, stable so tests can find the windows (ImGui::FindWindowByName).
constexpr const char* kSamplerWindow = "Sampler";
constexpr const char* kViewWindow = "Tensor view";
constexpr const char* kHistogramWindow = "Histogram";
constexpr const char* kStatusWindow = "##status";

// Main menu bar (File, View, Help); returns its height in pixels.
float draw_menu_bar(AppState& s);
// Distribution, shape, dtype, device, engine, seed, generator, resample/live, timing, export.
void draw_sampler_panel(AppState& s, const Rect& r);
// Image grid (zoom, pan, hover), scatter for [N, 2], values for [N].
void draw_tensor_view(ImageViewState& v, const SamplerState& sampler, TextureSink* sink, const Rect& r);
// Histogram with the theoretical curve, stats table, QQ plot.
void draw_histogram_panel(HistogramState& h, const SamplerState& sampler, const Rect& r);
// Frame time, sample time, generator offset, messages.
void draw_status_bar(const AppState& s, const TextureSink* sink, const Rect& r);
// Modal dialogs: "Replace file?" and Open.
void draw_dialogs(AppState& s);

// Shows `text` as a tooltip when the last item is hovered (also when it is disabled).
void tooltip(const char* text);

// Tests list the controls that carry a tooltip (and where they are) by pointing
// ImGui::GetIO().UserData at a TooltipAudit; tooltip() then records every item it is called for.
struct TooltipAudit {
    struct Item {
        ImGuiID id;
        ImVec2 min, max;
        std::string text;
    };
    std::vector<Item> items;
    const Item* find(const std::string& text_start) const;  // the first item whose text starts so
};

}  // namespace nl::gui
