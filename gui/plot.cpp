// Plot frames on ImGui draw lists (see plot.h). Tick positions come from the renderers in
// gui/render/chart.h, so exported charts and the window use the same ticks.
#include "gui/plot.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "gui/fill.h"
#include "gui/render/chart.h"
#include "gui/text_fit.h"
#include "gui/theme.h"

namespace nl::gui {

float PlotArea::sx(double x) const {
    const double v = log_x ? std::log10(std::max(x, 1e-300)) : x;
    return min.x + static_cast<float>((v - x0) / (x1 - x0)) * (max.x - min.x);
}

double PlotArea::x_at(float px) const {
    const double v = x0 + (px - min.x) / (max.x - min.x) * (x1 - x0);
    return log_x ? std::pow(10.0, v) : v;
}

float PlotArea::sy(double y) const {
    const double v = log_y ? std::log10(std::max(y, 1e-300)) : y;
    return max.y - static_cast<float>((v - y0) / (y1 - y0)) * (max.y - min.y);
}

double PlotArea::y_at(float py) const {
    const double v = y0 + (max.y - py) / (max.y - min.y) * (y1 - y0);
    return log_y ? std::pow(10.0, v) : v;
}

std::string fmt_num(double v) {
    if (std::isnan(v)) return "undefined";
    if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.4g", v);
    if (std::string(buf) == "-0") return "0";
    return buf;
}

std::string fmt_measured(double v) {
    if (!std::isfinite(v)) return fmt_num(v);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%#.4g", v);
    std::string s = buf;
    if (!s.empty() && s.back() == '.') s.pop_back();  // "1234." -> "1234"
    if (s.find_first_not_of("-0.") == std::string::npos && s[0] == '-') s.erase(0, 1);  // -0 as fmt_num: "0.000"
    return s;
}

PlotArea begin_plot(const char* id, ImVec2 size, const PlotSpec& spec) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 pos = ImGui::GetCursorScreenPos();
    size.x = std::max(size.x, 40.0f);
    size.y = std::max(size.y, 40.0f);
    ImGui::InvisibleButton(id, size, ImGuiButtonFlags_MouseButtonLeft);
    const float fs = ImGui::GetFontSize();

    PlotArea a;
    a.log_x = spec.log_x;
    a.log_y = spec.log_y;
    a.x0 = spec.log_x ? std::log10(std::max(spec.x0, 1e-300)) : spec.x0;
    a.x1 = spec.log_x ? std::log10(std::max(spec.x1, 1e-300)) : spec.x1;
    if (!(a.x1 > a.x0)) a.x1 = a.x0 + 1;
    a.y0 = spec.log_y ? std::log10(std::max(spec.y0, 1e-300)) : spec.y0;
    a.y1 = spec.log_y ? std::log10(std::max(spec.y1, 1e-300)) : spec.y1;
    if (!(a.y1 > a.y0)) a.y1 = a.y0 + 1;

    // Ticks first: the left margin must fit the widest y label.
    const std::vector<render::Tick> yt =
        spec.log_y ? render::log_ticks(std::pow(10.0, a.y0), std::pow(10.0, a.y1)) : render::linear_ticks(a.y0, a.y1, 5);
    float label_w = 0;
    if (spec.y_ticks)
        for (const auto& t : yt) label_w = std::max(label_w, ImGui::CalcTextSize(t.label.c_str()).x);
    const float left = label_w + fs * 0.5f + 4;
    const float bottom = fs * 1.4f + (spec.x_label[0] ? fs * 1.2f : 0.0f);
    // ImGui has no rotated text: the y label is a caption on a line of its own above the plot's
    // top-left corner (inside the plot, the data covered it or it covered the data).
    const float top = spec.y_label[0] ? fs * 1.4f : fs * 0.5f;
    a.min = ImVec2(pos.x + left, pos.y + top);
    a.max = ImVec2(pos.x + size.x - fs * 0.6f, pos.y + size.y - bottom);
    if (a.max.x - a.min.x < 10) a.max.x = a.min.x + 10;
    if (a.max.y - a.min.y < 10) a.max.y = a.min.y + 10;

    if (spec.equal_aspect) {
        // Widen the range along the longer side so one unit spans the same pixels on both axes.
        const double w = a.max.x - a.min.x, h = a.max.y - a.min.y;
        const double ux = (a.x1 - a.x0) / w, uy = (a.y1 - a.y0) / h;
        if (ux > uy) {
            const double mid = 0.5 * (a.y0 + a.y1), half = 0.5 * ux * h;
            a.y0 = mid - half;
            a.y1 = mid + half;
        } else {
            const double mid = 0.5 * (a.x0 + a.x1), half = 0.5 * uy * w;
            a.x0 = mid - half;
            a.x1 = mid + half;
        }
    }

    fill_background(a.min, a.max, Background::Plot);
    std::vector<render::Tick> xt;
    if (spec.log_x) {
        xt = render::log_ticks(std::pow(10.0, a.x0), std::pow(10.0, a.x1));
    } else {
        // About one tick per 5 ems, but at least three inside the range: a narrow panel asking
        // for two got a step so wide that only "0" fell inside.
        const double x_lo = std::min(a.x0, a.x1), x_hi = std::max(a.x0, a.x1);
        auto inside = [&](const std::vector<render::Tick>& ts) {
            return std::count_if(ts.begin(), ts.end(), [&](const render::Tick& t) { return t.value >= x_lo && t.value <= x_hi; });
        };
        int target = std::max(2, static_cast<int>((a.max.x - a.min.x) / (fs * 5)));
        xt = render::linear_ticks(a.x0, a.x1, target);
        while (inside(xt) < 3 && target < 12) xt = render::linear_ticks(a.x0, a.x1, ++target);
        // Integers (a randint's or a multinomial's categories): each gets its label where they fit,
        // so the last category is not left unnamed between two even ticks.
        if (spec.integer_x) {
            const auto every = render::integer_ticks_that_fit(x_lo, x_hi, a.sx(1.0) - a.sx(0.0), fs * 0.6f,
                                                              [](const std::string& label) { return text_width(label); });
            if (!every.empty()) xt = every;
        }
    }
    const std::vector<render::Tick> yticks = spec.equal_aspect || spec.log_y
                                                 ? (spec.log_y ? yt : render::linear_ticks(a.y0, a.y1, 5))
                                                 : yt;
    // Every tick gets its grid line; a label is skipped where it would touch the previous one (a
    // short log axis has more decades than lines of text), an x label also where it would touch
    // a y label at the bottom corner, and the last x label moves left to end inside the plot's box.
    float last_y = 1e30f;
    bool y_label_at_corner = false;
    for (const auto& t : yticks) {
        const float y = a.sy(t.value);
        if (y < a.min.y - 0.5f || y > a.max.y + 0.5f) continue;
        dl->AddLine(ImVec2(a.min.x, y), ImVec2(a.max.x, y), theme::kGridLine);
        if (!spec.y_ticks || std::fabs(y - last_y) < fs * 1.1f) continue;
        const ImVec2 ts = ImGui::CalcTextSize(t.label.c_str());
        dl->AddText(ImVec2(a.min.x - ts.x - 4, y - ts.y * 0.5f), theme::kAxisText, t.label.c_str());
        last_y = y;
        y_label_at_corner |= y + ts.y * 0.5f > a.max.y + 3;
    }
    float last_right = y_label_at_corner ? a.min.x - 4 - fs * 0.5f : -1e30f;
    for (const auto& t : xt) {
        const float x = a.sx(t.value);
        if (x < a.min.x - 0.5f || x > a.max.x + 0.5f) continue;
        dl->AddLine(ImVec2(x, a.min.y), ImVec2(x, a.max.y), theme::kGridLine);
        const ImVec2 ts = ImGui::CalcTextSize(t.label.c_str());
        const float left = std::min(x - ts.x * 0.5f, pos.x + size.x - ts.x);
        if (left < last_right + fs * 0.5f) continue;
        dl->AddText(ImVec2(left, a.max.y + 3), theme::kAxisText, t.label.c_str());
        last_right = left + ts.x;
    }
    dl->AddRect(a.min, a.max, theme::kPlotBorder);
    // Axis labels stay inside the plot's own width (a neighbouring plot's labels start there).
    if (spec.x_label[0]) {
        const std::string label = fit_with_ellipsis(spec.x_label, size.x);
        const float tw = ImGui::CalcTextSize(label.c_str()).x;
        const float x = std::clamp(0.5f * (a.min.x + a.max.x) - tw * 0.5f, pos.x, std::max(pos.x, pos.x + size.x - tw));
        dl->AddText(ImVec2(x, a.max.y + fs * 1.35f), theme::kAxisText, label.c_str());
    }
    if (spec.y_label[0])
        dl->AddText(ImVec2(a.min.x, pos.y), theme::kAxisText, fit_with_ellipsis(spec.y_label, pos.x + size.x - a.min.x).c_str());
    dl->PushClipRect(a.min, a.max, true);
    return a;
}

void end_plot() { ImGui::GetWindowDrawList()->PopClipRect(); }

void draw_markers(ImDrawList* dl, const ImVec2* centres, int n, float r, ImU32 colour) {
    if (n <= 0) return;
    dl->PrimReserve(n * 6, n * 4);
    for (int i = 0; i < n; ++i) {
        const ImVec2 c = centres[i];
        dl->PrimRect(ImVec2(c.x - r, c.y - r), ImVec2(c.x + r, c.y + r), colour);
    }
}

}  // namespace nl::gui
