// The app's look: one dark palette used by every panel and plot, ImGui's style scaled for HiDPI,
// and the DejaVu Sans font (ImGui's built-in font when it is missing).
#pragma once
#include <string>

#include <imgui.h>

namespace nl::gui::theme {

// Plot colours (ImU32, ABGR as ImGui packs them), shared by the histogram, QQ, scatter and values
// views so that "sample" and "theory" look the same everywhere.
constexpr ImU32 rgba(int r, int g, int b, int a = 255) {
    return static_cast<ImU32>((a << 24) | (b << 16) | (g << 8) | r);
}
constexpr ImU32 kPanelBackground = rgba(34, 36, 45);   // the panels (the frame is cleared with it)
constexpr ImU32 kBarBackground = rgba(26, 28, 35);     // menu bar and status bar
constexpr ImU32 kTitleBackground = rgba(38, 41, 52);   // the panels' title bars
constexpr ImU32 kPlotBackground = rgba(22, 24, 30);
constexpr ImU32 kPlotBorder = rgba(70, 74, 86);
constexpr ImU32 kGridLine = rgba(48, 52, 62);
constexpr ImU32 kAxisText = rgba(170, 176, 190);
constexpr ImU32 kSample = rgba(91, 155, 230);        // bars, points, sample line
constexpr ImU32 kSampleHover = rgba(150, 200, 255);
constexpr ImU32 kSecondSample = rgba(236, 236, 242);  // a second sample beside kSample (DDIM beside DDPM)
constexpr ImU32 kTheory = rgba(255, 120, 80);        // density / mass curve, QQ diagonal
constexpr ImU32 kOutside = rgba(120, 120, 130);      // markers for values outside the range
constexpr ImU32 kImageBackground = rgba(14, 15, 19);

// Text colours (ImVec4 for ImGui::TextColored).
ImVec4 text_dim();
ImVec4 text_ok();
ImVec4 text_warn();
ImVec4 text_error();
ImVec4 accent();

// Flags of the three tiled panels. They draw no background of their own: the frame is cleared
// with the panel colour (window_background()) instead, which spares the software rasteriser of
// Xvfb / llvmpipe a million blended pixels per frame (a third of live mode's frame time).
constexpr ImGuiWindowFlags kPanelFlags = ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoCollapse |
                                         ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoSavedSettings |
                                         ImGuiWindowFlags_NoBackground;
// The colour to clear the frame with: the panels' background.
ImVec4 window_background();

// Base font size in pixels before HiDPI scaling.
constexpr float kBaseFontPx = 16.0f;
constexpr const char* kFontPath = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";

// Applies the palette and sizes to the current context's style, scaled by `scale` (>= 0.5).
void apply_style(float scale);
// Loads DejaVu Sans at kBaseFontPx * scale into the current context's atlas (before the
// renderer builds it). Returns the font's description; falls back to ImGui's default font
// (scaled) without failing when the file is missing or unreadable.
std::string load_font(float scale, const char* path = kFontPath);
// A font configuration with one texel per screen pixel (no oversampling, glyphs snapped to whole
// pixels): the atlas is then sampled with nearest filtering, which is much cheaper in llvmpipe.
// Every font the app adds uses it.
ImFontConfig pixel_font_config();
// The characters the text fonts carry (Latin-1 and the symbols the panels use); for every text
// font added to the atlas, presentation mode's large one too.
const ImWchar* glyph_ranges();

// The lessons' PyTorch code in a monospace font, so that columns of code and comments line up:
// DejaVu Sans Mono (fonts-dejavu-core) added to the atlas at kBaseFontPx * scale (load it once per
// text size the app uses). code_font() is the one closest to the current text size, or nullptr
// when none was loaded (the code then uses the text font).
constexpr const char* kCodeFontPath = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf";
void load_code_font(float scale, const char* path = kCodeFontPath);
ImFont* code_font();

// Presentation mode's text is this much larger than the normal text.
constexpr float kPresentationFontScale = 1.6f;
// Every font the app uses, in the atlas order the panels rely on: the text font at `scale`
// (Fonts[0]; its description is returned), presentation mode's larger one (Fonts[1],
// gui/lessons/lesson_app.cpp), then the code font at both sizes.
std::string load_fonts(float scale);

}  // namespace nl::gui::theme
