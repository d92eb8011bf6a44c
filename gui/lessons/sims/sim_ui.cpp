// Drawing helpers shared by the simulation visuals (sim_ui.h).
#include "gui/lessons/sims/sim_ui.h"

#include <algorithm>
#include <cstdio>

#include "gui/text_fit.h"

namespace nl::gui::sims {

ImU32 mix(ImU32 a, ImU32 b, float t) {
    t = std::clamp(t, 0.0f, 1.0f);
    auto ch = [&](int shift) {
        const float x = static_cast<float>((a >> shift) & 0xFF), y = static_cast<float>((b >> shift) & 0xFF);
        return static_cast<ImU32>(x + (y - x) * t + 0.5f) << shift;
    };
    return ch(0) | ch(8) | ch(16) | ch(24);
}

bool begin_sim_window(const VisualContext& ctx, const char* title) {
    ImGui::SetNextWindowPos(ImVec2(ctx.rect.x, ctx.rect.y));
    ImGui::SetNextWindowSize(ImVec2(ctx.rect.w, ctx.rect.h));
    // The title bar clips without an ellipsis: cut it here (a narrow visual in presentation
    // mode), keeping the full title as the window's id ("###").
    const float room = ctx.rect.w - ImGui::GetStyle().FramePadding.x * 2 - ImGui::GetStyle().WindowPadding.x;
    const std::string name = fit_with_ellipsis(title, room) + "###" + title;
    return ImGui::Begin(name.c_str(), nullptr, theme::kPanelFlags);
}

void end_sim_window() { ImGui::End(); }

std::string fmt(const char* f, double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, f, v);
    return buf;
}

void bar_chart(const char* id, const std::vector<double>& values, const std::vector<ImU32>& colours, ImVec2 size,
               const std::vector<std::string>& labels) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 p = ImGui::GetCursorScreenPos();
    ImGui::InvisibleButton(id, ImVec2(std::max(size.x, 1.0f), std::max(size.y, 1.0f)));
    const float label_h = labels.empty() ? 0.0f : ImGui::GetTextLineHeight();
    const float plot_h = size.y - label_h - 2.0f;
    dl->AddRectFilled(p, ImVec2(p.x + size.x, p.y + plot_h), theme::kPlotBackground);
    dl->AddRect(p, ImVec2(p.x + size.x, p.y + plot_h), theme::kPlotBorder);
    if (values.empty()) return;
    double top = 0;
    for (double v : values) top = std::max(top, v);
    const float bw = size.x / static_cast<float>(values.size());
    for (size_t i = 0; i < values.size(); ++i) {
        const float h = top > 0 ? static_cast<float>(values[i] / top) * (plot_h - 4.0f) : 0.0f;
        const ImU32 c = colours.empty() ? kSame : colours[std::min(i, colours.size() - 1)];
        const float x0 = p.x + bw * static_cast<float>(i) + (bw > 4 ? 1.0f : 0.0f);
        const float x1 = p.x + bw * static_cast<float>(i + 1) - (bw > 4 ? 1.0f : 0.0f);
        if (h > 0) dl->AddRectFilled(ImVec2(x0, p.y + plot_h - 1.0f - h), ImVec2(std::max(x1, x0 + 1.0f), p.y + plot_h - 1.0f), c);
        if (i < labels.size() && !labels[i].empty()) {
            const ImVec2 ts = ImGui::CalcTextSize(labels[i].c_str());
            dl->AddText(ImVec2(p.x + bw * (static_cast<float>(i) + 0.5f) - ts.x * 0.5f, p.y + plot_h + 1.0f), theme::kAxisText,
                        labels[i].c_str());
        }
    }
}

double param_num(const nlohmann::json& p, const char* key, double def) {
    return p.is_object() && p.contains(key) && p[key].is_number() ? p[key].get<double>() : def;
}

std::string param_str(const nlohmann::json& p, const char* key, const std::string& def) {
    return p.is_object() && p.contains(key) && p[key].is_string() ? p[key].get<std::string>() : def;
}

bool param_bool(const nlohmann::json& p, const char* key, bool def) {
    return p.is_object() && p.contains(key) && p[key].is_boolean() ? p[key].get<bool>() : def;
}

float legend_width(const char* text) { return ImGui::GetTextLineHeight() * 0.8f + 4.0f + ImGui::CalcTextSize(text).x; }

void legend(ImU32 colour, const char* text) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 p = ImGui::GetCursorScreenPos();
    const float s = ImGui::GetTextLineHeight() * 0.8f;
    const float pad = (ImGui::GetTextLineHeight() - s) * 0.5f;
    dl->AddRectFilled(ImVec2(p.x, p.y + pad), ImVec2(p.x + s, p.y + pad + s), colour);
    ImGui::Dummy(ImVec2(s + 4.0f, ImGui::GetTextLineHeight()));
    ImGui::SameLine(0, 0);
    text_wrapped(text);
}

}  // namespace nl::gui::sims
