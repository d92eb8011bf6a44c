// gui/text_fit.h
#include "gui/text_fit.h"

#include <algorithm>

#include <imgui_internal.h>  // CalcWrapWidthForPos: the width ImGui::TextWrapped would use

#include "gui/word_wrap.h"

namespace nl::gui {

std::string fit_with_ellipsis(const std::string& text, float width) {
    if (ImGui::CalcTextSize(text.c_str()).x <= width) return text;
    const char* kEllipsis = "\xE2\x80\xA6";  // …
    size_t n = text.size();
    while (n > 0) {
        do --n;
        while (n > 0 && (static_cast<unsigned char>(text[n]) & 0xC0) == 0x80);
        const std::string cut = text.substr(0, n) + kEllipsis;
        if (ImGui::CalcTextSize(cut.c_str()).x <= width) return cut;
    }
    return kEllipsis;
}

void text_fitted(const ImVec4& color, const std::string& text) {
    const std::string shown = fit_with_ellipsis(text, ImGui::GetContentRegionAvail().x);
    ImGui::TextColored(color, "%s", shown.c_str());
    if (shown != text && ImGui::IsItemHovered()) ImGui::SetTooltip("%s", text.c_str());
}

float text_width(std::string_view text) { return ImGui::CalcTextSize(text.data(), text.data() + text.size()).x; }

std::string wrap_for_font(const std::string& text, float width) { return wrap_text(text, width, text_width); }

float wrapped_height(const std::string& text, float width) {
    const std::string lines = wrap_for_font(text, std::max(width, 1.0f));
    const float n = 1.0f + static_cast<float>(std::count(lines.begin(), lines.end(), '\n'));
    return n * ImGui::GetTextLineHeight() + ImGui::GetStyle().ItemSpacing.y;  // one item: lines at the font's height
}

void text_wrapped(const std::string& text) {
    // The room ImGui::TextWrapped would give: to PushTextWrapPos's position, or (none pushed:
    // -1, which CalcWrapWidthForPos reads as "no wrapping") to the window's edge (0).
    const float wrap_pos = std::max(GImGui->CurrentWindow->DC.TextWrapPos, 0.0f);
    const float width = ImGui::CalcWrapWidthForPos(ImGui::GetCursorScreenPos(), wrap_pos);
    const std::string lines = wrap_for_font(text, std::max(width, 1.0f));
    ImGui::PushTextWrapPos(-1.0f);  // wrapped once here; ImGui must not break the lines again
    ImGui::TextUnformatted(lines.c_str(), lines.c_str() + lines.size());
    ImGui::PopTextWrapPos();
}

void text_wrapped(const ImVec4& color, const std::string& text) {
    ImGui::PushStyleColor(ImGuiCol_Text, color);
    text_wrapped(text);
    ImGui::PopStyleColor();
}

bool wrapped_button(const char* id, const std::string& label) {
    const ImGuiStyle& st = ImGui::GetStyle();
    const float width = std::max(ImGui::GetContentRegionAvail().x, 1.0f);
    const float wrap = std::max(width - st.FramePadding.x * 2.0f, 1.0f);
    const std::string lines = wrap_for_font(label, wrap);
    const ImVec2 text = ImGui::CalcTextSize(lines.c_str());
    const ImVec2 pos = ImGui::GetCursorScreenPos();
    const ImVec2 size(width, text.y + st.FramePadding.y * 2.0f);
    const bool clicked = ImGui::InvisibleButton(id, size);
    const ImGuiCol bg = ImGui::IsItemActive() ? ImGuiCol_ButtonActive : ImGui::IsItemHovered() ? ImGuiCol_ButtonHovered : ImGuiCol_Button;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(pos, ImVec2(pos.x + size.x, pos.y + size.y), ImGui::GetColorU32(bg), st.FrameRounding);
    dl->AddText(ImGui::GetFont(), ImGui::GetFontSize(), ImVec2(pos.x + st.FramePadding.x, pos.y + st.FramePadding.y),
                ImGui::GetColorU32(ImGuiCol_Text), lines.c_str());
    return clicked;
}

void same_line_if_fits(float width, float spacing) {
    const float gap = spacing < 0 ? ImGui::GetStyle().ItemSpacing.x : spacing;
    const float right = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
    if (ImGui::GetItemRectMax().x + gap + width <= right) ImGui::SameLine(0, gap);
}

float button_width(const char* label) {
    return ImGui::CalcTextSize(label, nullptr, true).x + ImGui::GetStyle().FramePadding.x * 2.0f;
}

float labelled_width(float item_width, const char* label) {
    const float text = ImGui::CalcTextSize(label, nullptr, true).x;
    return item_width + (text > 0 ? ImGui::GetStyle().ItemInnerSpacing.x + text : 0.0f);
}

float checkbox_width(const char* label) {
    return ImGui::GetFrameHeight() + ImGui::GetStyle().ItemInnerSpacing.x + ImGui::CalcTextSize(label, nullptr, true).x;
}

}  // namespace nl::gui
