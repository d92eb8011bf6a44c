// The palette, style sizes and font of the app (see theme.h).
#include "gui/theme.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace nl::gui::theme {

namespace {
ImVec4 c(int r, int g, int b, float a = 1.0f) { return ImVec4(r / 255.0f, g / 255.0f, b / 255.0f, a); }
}  // namespace

ImVec4 text_dim() { return c(150, 156, 170); }
ImVec4 text_ok() { return c(120, 210, 140); }
ImVec4 text_warn() { return c(240, 190, 90); }
ImVec4 text_error() { return c(255, 110, 100); }
ImVec4 accent() { return c(91, 155, 230); }
ImVec4 window_background() { return c(34, 36, 45); }

void apply_style(float scale) {
    scale = std::max(scale, 0.5f);
    ImGuiStyle& st = ImGui::GetStyle();
    st = ImGuiStyle();
    st.WindowPadding = ImVec2(10, 8);
    st.FramePadding = ImVec2(7, 4);
    st.ItemSpacing = ImVec2(8, 6);
    st.ItemInnerSpacing = ImVec2(6, 4);
    st.CellPadding = ImVec2(6, 3);
    st.ScrollbarSize = 12;
    st.GrabMinSize = 8;
    st.WindowBorderSize = 1;
    st.FrameBorderSize = 0;
    st.WindowRounding = 0;  // panels tile the window: square corners meet cleanly
    st.FrameRounding = 3;
    st.GrabRounding = 3;
    st.PopupRounding = 4;
    st.ScrollbarRounding = 6;
    st.TabRounding = 3;
    st.WindowTitleAlign = ImVec2(0.0f, 0.5f);
    st.ScaleAllSizes(scale);
    // Anti-aliased lines from geometry, not from the atlas's baked line textures: those need
    // bilinear filtering, and the atlas is sampled nearest (see app/gui_main.cpp).
    st.AntiAliasedLinesUseTex = false;

    ImVec4* col = st.Colors;
    const ImVec4 panel = window_background(), frame = c(48, 52, 64), frame_hover = c(60, 66, 82),
                 frame_active = c(70, 78, 98), acc = accent(), acc_hover = c(120, 175, 240), text = c(228, 230, 236);
    col[ImGuiCol_Text] = text;
    col[ImGuiCol_TextDisabled] = c(120, 124, 136);
    col[ImGuiCol_WindowBg] = panel;
    col[ImGuiCol_ChildBg] = c(0, 0, 0, 0);
    col[ImGuiCol_PopupBg] = c(40, 43, 54, 0.98f);
    col[ImGuiCol_Border] = c(58, 62, 76);
    col[ImGuiCol_BorderShadow] = c(0, 0, 0, 0);
    col[ImGuiCol_FrameBg] = frame;
    col[ImGuiCol_FrameBgHovered] = frame_hover;
    col[ImGuiCol_FrameBgActive] = frame_active;
    // The panels' title bars and the menu bar are filled by fill.h (draw_app), not by ImGui.
    col[ImGuiCol_TitleBg] = c(0, 0, 0, 0);
    col[ImGuiCol_TitleBgActive] = c(0, 0, 0, 0);
    col[ImGuiCol_TitleBgCollapsed] = c(0, 0, 0, 0);
    col[ImGuiCol_MenuBarBg] = c(0, 0, 0, 0);
    col[ImGuiCol_ScrollbarBg] = c(0, 0, 0, 0);
    col[ImGuiCol_ScrollbarGrab] = c(70, 76, 92);
    col[ImGuiCol_ScrollbarGrabHovered] = c(90, 98, 118);
    col[ImGuiCol_ScrollbarGrabActive] = acc;
    col[ImGuiCol_CheckMark] = acc_hover;
    // The slider's value is drawn over its grab: a muted grab keeps white digits readable on it
    // (the accent made "1.00" read "1.|00").
    col[ImGuiCol_SliderGrab] = c(72, 104, 152);
    col[ImGuiCol_SliderGrabActive] = acc;
    col[ImGuiCol_Button] = c(52, 58, 74);
    col[ImGuiCol_ButtonHovered] = c(66, 96, 140);
    col[ImGuiCol_ButtonActive] = c(76, 120, 180);
    col[ImGuiCol_Header] = c(52, 58, 74);
    col[ImGuiCol_HeaderHovered] = c(66, 96, 140);
    col[ImGuiCol_HeaderActive] = c(76, 120, 180);
    col[ImGuiCol_Separator] = c(58, 62, 76);
    col[ImGuiCol_SeparatorHovered] = acc;
    col[ImGuiCol_SeparatorActive] = acc_hover;
    col[ImGuiCol_ResizeGrip] = c(0, 0, 0, 0);
    col[ImGuiCol_ResizeGripHovered] = c(0, 0, 0, 0);
    col[ImGuiCol_ResizeGripActive] = c(0, 0, 0, 0);
    col[ImGuiCol_Tab] = c(44, 48, 60);
    col[ImGuiCol_TabHovered] = c(66, 96, 140);
    col[ImGuiCol_TabActive] = c(60, 84, 122);
    col[ImGuiCol_TabUnfocused] = c(44, 48, 60);
    col[ImGuiCol_TabUnfocusedActive] = c(56, 70, 98);
    col[ImGuiCol_PlotLines] = acc;
    col[ImGuiCol_PlotHistogram] = acc;
    col[ImGuiCol_TableHeaderBg] = c(44, 48, 60);
    col[ImGuiCol_TableBorderStrong] = c(62, 66, 80);
    col[ImGuiCol_TableBorderLight] = c(50, 54, 66);
    col[ImGuiCol_TableRowBg] = c(0, 0, 0, 0);
    col[ImGuiCol_TableRowBgAlt] = c(255, 255, 255, 0.03f);
    col[ImGuiCol_TextSelectedBg] = c(76, 120, 180, 0.5f);
    col[ImGuiCol_NavHighlight] = acc;
    col[ImGuiCol_ModalWindowDimBg] = c(10, 10, 14, 0.6f);
}

ImFontConfig pixel_font_config() {
    ImFontConfig cfg;
    cfg.OversampleH = 1;
    cfg.OversampleV = 1;
    cfg.PixelSnapH = true;
    return cfg;
}

const ImWchar* glyph_ranges() {
    // Latin-1 plus the symbols the panels use: Greek (sigma, chi), ellipsis, arrows (resample),
    // minus and comparison signs, geometric shapes (live dot), die faces (new seed).
    static const ImWchar ranges[] = {0x0020, 0x00FF, 0x0391, 0x03C9, 0x2026, 0x2026, 0x2190, 0x21FF,
                                     0x2212, 0x2212, 0x2248, 0x2265, 0x25A0, 0x25FF, 0x2680, 0x2685, 0};
    return ranges;
}

std::string load_font(float scale, const char* path) {
    ImGuiIO& io = ImGui::GetIO();
    const float px = kBaseFontPx * std::max(scale, 0.5f);
    if (path) {
        if (std::FILE* f = std::fopen(path, "rb")) {
            std::fclose(f);
            ImFontConfig cfg = pixel_font_config();
            if (io.Fonts->AddFontFromFileTTF(path, px, &cfg, glyph_ranges())) {
                char buf[64];
                std::snprintf(buf, sizeof buf, "DejaVu Sans %.0f px", px);
                return buf;
            }
        }
    }
    ImFontConfig cfg;
    cfg.SizePixels = 13.0f * std::max(scale, 0.5f);
    io.Fonts->AddFontDefault(&cfg);
    return "ImGui default font (DejaVu Sans not found at " + std::string(path ? path : "(none)") + ")";
}

namespace {
constexpr const char* kCodeFontName = "noiselab code";  // how code_font() finds it in the atlas
}

std::string load_fonts(float scale) {
    const std::string described = load_font(scale);
    load_font(scale * kPresentationFontScale);
    load_code_font(scale);
    load_code_font(scale * kPresentationFontScale);
    return described;
}

void load_code_font(float scale, const char* path) {
    std::FILE* f = std::fopen(path, "rb");
    if (!f) return;
    std::fclose(f);
    ImFontConfig cfg = pixel_font_config();
    std::snprintf(cfg.Name, sizeof cfg.Name, "%s", kCodeFontName);
    ImGui::GetIO().Fonts->AddFontFromFileTTF(path, kBaseFontPx * std::max(scale, 0.5f), &cfg);
}

ImFont* code_font() {
    if (!ImGui::GetCurrentContext()) return nullptr;
    const ImFontAtlas* atlas = ImGui::GetIO().Fonts;
    const float want = ImGui::GetFontSize();  // the text's size now (presentation mode's is larger)
    ImFont* best = nullptr;
    for (ImFont* font : atlas->Fonts)
        if (font->ConfigData && std::string(font->ConfigData->Name) == kCodeFontName &&
            (!best || std::fabs(font->FontSize - want) < std::fabs(best->FontSize - want)))
            best = font;
    return best;
}

}  // namespace nl::gui::theme
