// Digit grids and bar charts drawn with ImGui rectangles (see models_draw.h).
#include "gui/models/models_draw.h"

#include <algorithm>
#include <cmath>

#include "gui/render/chart.h"
#include "gui/theme.h"

namespace nl::gui::models_draw {

std::vector<float> host_floats(const Tensor& t) {
    const std::vector<double> v = t.to_vector();
    return std::vector<float>(v.begin(), v.end());
}

namespace {
constexpr float kGap = 2.0f;
}

ImVec2 digits_size(int n, int cols, float cell) {
    cols = std::max(1, std::min(cols, std::max(n, 1)));
    const int rows = (std::max(n, 1) + cols - 1) / cols;
    const float tile = kDigitSide * cell;
    return ImVec2(cols * tile + (cols - 1) * kGap, rows * tile + (rows - 1) * kGap);
}

bool digits_grid(const char* id, const std::vector<float>& pixels, int n, int cols, float cell, float lo, float hi,
                 int* hovered) {
    cols = std::max(1, std::min(cols, std::max(n, 1)));
    const ImVec2 size = digits_size(n, cols, cell);
    const ImVec2 p0 = ImGui::GetCursorScreenPos();
    const bool clicked = ImGui::InvisibleButton(id, ImVec2(std::max(size.x, 1.0f), std::max(size.y, 1.0f)));
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(p0, ImVec2(p0.x + size.x, p0.y + size.y), theme::kImageBackground);
    const float tile = kDigitSide * cell;
    const float scale = hi > lo ? 255.0f / (hi - lo) : 0.0f;
    const int have = static_cast<int>(pixels.size() / kDigitPixels);
    if (hovered) *hovered = -1;
    const ImVec2 mouse = ImGui::GetIO().MousePos;
    for (int k = 0; k < std::min(n, have); ++k) {
        const float ox = p0.x + (k % cols) * (tile + kGap), oy = p0.y + (k / cols) * (tile + kGap);
        if (hovered && ImGui::IsItemHovered() && mouse.x >= ox && mouse.x < ox + tile && mouse.y >= oy &&
            mouse.y < oy + tile)
            *hovered = k;
        const float* px = pixels.data() + static_cast<size_t>(k) * kDigitPixels;
        // Grey levels quantised to 32 steps and equal neighbours in a row merged into one rectangle;
        // dark pixels are skipped (the background is drawn already). A 12 x 12 latent map then stays
        // well under ImGui's 64 Ki vertices per draw list.
        for (int y = 0; y < kDigitSide; ++y) {
            int x = 0;
            while (x < kDigitSide) {
                auto level = [&](int i) {
                    return static_cast<int>(std::clamp((px[y * kDigitSide + i] - lo) * scale, 0.0f, 255.0f)) / 8;
                };
                const int q = level(x);
                int end = x + 1;
                while (end < kDigitSide && level(end) == q) ++end;
                if (q > 0) {
                    const int g = q * 8 + 4;
                    dl->AddRectFilled(ImVec2(ox + x * cell, oy + y * cell), ImVec2(ox + end * cell, oy + (y + 1) * cell),
                                      theme::rgba(g, g, g));
                }
                x = end;
            }
        }
    }
    return clicked;
}

namespace {
// bar_chart's y axis: a few ticks over [0, top], top a round value above the tallest bar, so the
// bars read as values (probabilities) and the tallest one does not touch the frame; `width` is
// what its labels take.
struct BarAxis {
    std::vector<render::Tick> ticks;
    double top = 1.0;
    float width = 0.0f;
};
BarAxis bar_axis(const std::vector<double>& values) {
    double vmax = 0.0;
    for (double v : values) vmax = std::max(vmax, v);
    BarAxis a;
    a.ticks = render::linear_ticks(0.0, vmax > 0 ? vmax * 1.08 : 1.0, 4);
    a.top = std::max(a.ticks.empty() ? 1.0 : a.ticks.back().value, vmax * 1.08);
    for (const render::Tick& t : a.ticks) a.width = std::max(a.width, ImGui::CalcTextSize(t.label.c_str()).x);
    a.width += 6.0f;
    return a;
}
}  // namespace

float bar_chart_axis_width(const std::vector<double>& values) { return bar_axis(values).width; }

int bar_chart(const char* id, const std::vector<double>& values, const std::string& labels, ImVec2 size,
              int highlight, const std::vector<bool>& dimmed) {
    const ImVec2 p0 = ImGui::GetCursorScreenPos();
    const bool clicked = ImGui::InvisibleButton(id, ImVec2(std::max(size.x, 1.0f), std::max(size.y, 1.0f)));
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const int n = static_cast<int>(values.size());
    if (n == 0) {
        dl->AddRectFilled(p0, ImVec2(p0.x + size.x, p0.y + size.y), theme::kPlotBackground);
        return -1;
    }
    const BarAxis axis = bar_axis(values);
    const std::vector<render::Tick>& ticks = axis.ticks;
    const double top = axis.top;
    const float axis_w = axis.width;
    const float label_h = ImGui::GetTextLineHeight() + 2.0f;
    const float half_text = ImGui::GetTextLineHeight() * 0.5f;
    const float plot_top = p0.y + half_text, plot_h = std::max(1.0f, size.y - label_h - 4.0f - half_text);
    const float base = plot_top + plot_h;
    const float x_left = p0.x + axis_w;
    dl->AddRectFilled(ImVec2(x_left, plot_top), ImVec2(p0.x + size.x, base), theme::kPlotBackground);
    for (const render::Tick& t : ticks) {
        if (t.value > top) continue;
        const float y = base - static_cast<float>(t.value / top) * plot_h;
        dl->AddLine(ImVec2(x_left, y), ImVec2(p0.x + size.x, y), theme::kGridLine);
        const float tw = ImGui::CalcTextSize(t.label.c_str()).x;
        dl->AddText(ImVec2(x_left - 4.0f - tw, y - half_text), theme::kAxisText, t.label.c_str());
    }
    const float bw = (p0.x + size.x - x_left) / n;
    const ImVec2 mouse = ImGui::GetIO().MousePos;
    const int under = ImGui::IsItemHovered() && mouse.x >= x_left ? static_cast<int>(std::floor((mouse.x - x_left) / bw)) : -1;
    for (int i = 0; i < n; ++i) {
        const float h = static_cast<float>(values[i] / top) * plot_h;
        const float x0 = x_left + i * bw + 1.0f, x1 = x_left + (i + 1) * bw - 1.0f;
        dl->AddRectFilled(ImVec2(x0, base - h), ImVec2(x1, base),
                          i == highlight || i == under ? theme::kSampleHover : theme::kSample);
        if (i < static_cast<int>(labels.size())) {
            const char c[2] = {labels[i], 0};
            const float tw = ImGui::CalcTextSize(c).x;
            const bool dim = i < static_cast<int>(dimmed.size()) && dimmed[i];
            dl->AddText(ImVec2((x0 + x1 - tw) * 0.5f, base + 1.0f), dim ? ImGui::GetColorU32(theme::text_dim()) : theme::kAxisText, c);
        }
    }
    return clicked && under >= 0 && under < n ? under : -1;
}

}  // namespace nl::gui::models_draw
