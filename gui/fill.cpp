// Flat backgrounds as scissored clears or rectangles (see fill.h).
#include "gui/fill.h"

#include <imgui_internal.h>  // the current window, read-only

#include <algorithm>
#include <cmath>
#include <cstring>

#include "gui/gl_util.h"
#include "gui/theme.h"

namespace nl::gui {

namespace {

// The rectangle and colour travel in the callback's pointer: 14 bits per edge (up to 16383
// pixels, the largest image size anywhere in the app) and 8 bits for the colour.
constexpr uint64_t kEdgeMask = (1u << 14) - 1;

uint64_t pack(int x0, int y0, int x1, int y1, Background b) {
    auto e = [](int v) { return static_cast<uint64_t>(std::clamp(v, 0, static_cast<int>(kEdgeMask))); };
    return e(x0) | e(y0) << 14 | e(x1) << 28 | e(y1) << 42 | static_cast<uint64_t>(b) << 56;
}

void clear_callback(const ImDrawList*, const ImDrawCmd* cmd) {
    const auto v = static_cast<uint64_t>(reinterpret_cast<uintptr_t>(cmd->UserCallbackData));
    const int x0 = static_cast<int>(v & kEdgeMask), y0 = static_cast<int>(v >> 14 & kEdgeMask);
    const int x1 = static_cast<int>(v >> 28 & kEdgeMask), y1 = static_cast<int>(v >> 42 & kEdgeMask);
    const auto b = static_cast<Background>(v >> 56);
    const ImDrawData* dd = ImGui::GetDrawData();
    const ImVec2 s = dd->FramebufferScale;
    const int fb_h = static_cast<int>(dd->DisplaySize.y * s.y);
    const int fx0 = static_cast<int>(std::lround(x0 * s.x)), fx1 = static_cast<int>(std::lround(x1 * s.x));
    const int fy0 = static_cast<int>(std::lround(y0 * s.y)), fy1 = static_cast<int>(std::lround(y1 * s.y));
    gl_clear_rect(fx0, fb_h - fy1, fx1 - fx0, fy1 - fy0, background_colour(b));  // OpenGL's y goes up
}

}  // namespace

ImU32 background_colour(Background b) {
    switch (b) {
        case Background::Panel: return theme::kPanelBackground;
        case Background::Bar: return theme::kBarBackground;
        case Background::Title: return theme::kTitleBackground;
        case Background::Plot: return theme::kPlotBackground;
        case Background::Image: return theme::kImageBackground;
    }
    return theme::kPanelBackground;
}

void fill_background(ImVec2 min, ImVec2 max, Background b) {
    // Inside a window, its clip rectangle applies. Read without ImGui::GetWindowDrawList(): that
    // would mark ImGui's implicit "Debug" window as used (and show it) when called outside one.
    if (const ImGuiWindow* w = ImGui::GetCurrentWindowRead(); w && !w->IsFallbackWindow) {
        const ImVec2 cmin = w->DrawList->GetClipRectMin(), cmax = w->DrawList->GetClipRectMax();
        min = ImVec2(std::max(min.x, cmin.x), std::max(min.y, cmin.y));
        max = ImVec2(std::min(max.x, cmax.x), std::min(max.y, cmax.y));
    }
    if (!(max.x > min.x && max.y > min.y)) return;
    ImDrawList* bg = ImGui::GetBackgroundDrawList();
    const char* renderer = ImGui::GetIO().BackendRendererName;
    if (renderer && std::strcmp(renderer, "imgui_impl_opengl3") == 0) {
        // The pixels whose centres the rectangle covers, as a triangle rasteriser would fill them.
        const int x0 = static_cast<int>(std::ceil(min.x - 0.5f)), x1 = static_cast<int>(std::ceil(max.x - 0.5f));
        const int y0 = static_cast<int>(std::ceil(min.y - 0.5f)), y1 = static_cast<int>(std::ceil(max.y - 0.5f));
        if (x1 > x0 && y1 > y0) bg->AddCallback(clear_callback, reinterpret_cast<void*>(static_cast<uintptr_t>(pack(x0, y0, x1, y1, b))));
    } else {
        bg->AddRectFilled(min, max, background_colour(b));
    }
}

}  // namespace nl::gui
