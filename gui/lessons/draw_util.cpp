// Drawing helpers of the lesson visuals (see draw_util.h).
#include "gui/lessons/draw_util.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "gui/theme.h"

namespace nl::gui::paint {

void begin_visual(const char* id, const Rect& r) {
    ImGui::SetNextWindowPos(ImVec2(r.x, r.y));
    ImGui::SetNextWindowSize(ImVec2(r.w, r.h));
    ImGui::Begin(id, nullptr, theme::kPanelFlags | ImGuiWindowFlags_NoTitleBar);
}

void end_visual() { ImGui::End(); }

namespace {

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

void caption_line(const char* caption) {
    if (caption && *caption) ImGui::TextColored(theme::text_dim(), "%s", caption);
}

}  // namespace

void value_grid(const std::vector<double>& v, int rows, int cols, float cell, const char* caption) {
    caption_line(caption);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 p0 = ImGui::GetCursorScreenPos();
    double lo = 0, hi = 1;
    if (!v.empty()) {
        lo = *std::min_element(v.begin(), v.end());
        hi = *std::max_element(v.begin(), v.end());
    }
    const double span = hi > lo ? hi - lo : 1.0;
    for (int r = 0; r < rows; ++r)
        for (int c = 0; c < cols; ++c) {
            const size_t i = static_cast<size_t>(r) * cols + c;
            if (i >= v.size()) break;
            const int g = static_cast<int>(std::lround(30 + 200 * (v[i] - lo) / span));
            const ImVec2 a(p0.x + c * cell, p0.y + r * cell);
            dl->AddRectFilled(a, ImVec2(a.x + cell - 1, a.y + cell - 1), theme::rgba(g, g, g));
        }
    ImGui::Dummy(ImVec2(cols * cell, rows * cell));
}

int count_equal(const std::vector<double>& a, const std::vector<double>& b) {
    int n = 0;
    for (size_t i = 0; i < std::min(a.size(), b.size()); ++i) n += same_bits(a[i], b[i]);
    return n;
}

void equality_grid(const std::vector<double>& a, const std::vector<double>& b, int rows, int cols, float cell, const char* caption) {
    caption_line(caption);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 p0 = ImGui::GetCursorScreenPos();
    for (int r = 0; r < rows; ++r)
        for (int c = 0; c < cols; ++c) {
            const size_t i = static_cast<size_t>(r) * cols + c;
            if (i >= a.size() || i >= b.size()) break;
            const ImVec2 q(p0.x + c * cell, p0.y + r * cell);
            dl->AddRectFilled(q, ImVec2(q.x + cell - 1, q.y + cell - 1), same_bits(a[i], b[i]) ? theme::kSample : theme::kTheory);
        }
    ImGui::Dummy(ImVec2(cols * cell, rows * cell));
}

void bars(const std::vector<double>& values, double max_value, float w, float h, const std::vector<double>& marks,
          const std::vector<bool>& highlight_mask, ImU32 highlight) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 p0 = ImGui::GetCursorScreenPos();
    dl->AddRectFilled(p0, ImVec2(p0.x + w, p0.y + h), theme::kPlotBackground);
    const size_t n = values.size();
    if (n > 0 && max_value > 0) {
        const float bw = w / static_cast<float>(n);
        for (size_t i = 0; i < n; ++i) {
            const float x0 = std::floor(p0.x + i * bw), x1 = std::max(x0 + 1.0f, std::floor(p0.x + (i + 1) * bw) - (bw > 4 ? 1.0f : 0.0f));
            const float bh = static_cast<float>(std::clamp(values[i] / max_value, 0.0, 1.0)) * (h - 2);
            const ImU32 col = (i < highlight_mask.size() && highlight_mask[i]) ? highlight : theme::kSample;
            if (bh > 0) dl->AddRectFilled(ImVec2(x0, std::floor(p0.y + h - bh)), ImVec2(x1, p0.y + h), col);
            if (i < marks.size()) {
                const float my = p0.y + h - static_cast<float>(std::clamp(marks[i] / max_value, 0.0, 1.0)) * (h - 2);
                dl->AddRectFilled(ImVec2(x0, my - 1.5f), ImVec2(std::max(x1, x0 + 2), my + 1.5f), theme::kTheory);
            }
        }
    }
    dl->AddRect(p0, ImVec2(p0.x + w, p0.y + h), theme::kPlotBorder);
    ImGui::Dummy(ImVec2(w, h));
}

}  // namespace nl::gui::paint
