// Drawing helpers of the lesson visuals (see draw_util.h).
#include "gui/lessons/draw_util.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include <imgui_internal.h>  // the window's font scale, restored after a scaled table

#include "gui/text_fit.h"
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

float caption_wrap_width(float grid_width) { return std::max(grid_width, ImGui::GetFontSize() * 4); }

// A grid's caption, wrapped to the grid's width so that grids side by side never overlap, and
// padded to `min_h`.
void caption_line(const char* caption, float width, float min_h) {
    if (!caption || !*caption) return;
    const float y0 = ImGui::GetCursorPosY();
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + caption_wrap_width(width));
    text_wrapped(theme::text_dim(), caption);
    ImGui::PopTextWrapPos();
    const float used = ImGui::GetCursorPosY() - y0 - ImGui::GetStyle().ItemSpacing.y;
    if (used < min_h) ImGui::SetCursorPosY(y0 + min_h + ImGui::GetStyle().ItemSpacing.y);
}

}  // namespace

float caption_height(const char* caption, float width) {
    if (!caption || !*caption) return 0;
    return ImGui::CalcTextSize(wrap_for_font(caption, caption_wrap_width(width)).c_str()).y;
}

void value_grid(const std::vector<double>& v, int rows, int cols, float cell, const char* caption, float caption_h) {
    caption_line(caption, cols * cell, caption_h);
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

void equality_grid(const std::vector<double>& a, const std::vector<double>& b, int rows, int cols, float cell, const char* caption,
                   float caption_h) {
    caption_line(caption, cols * cell, caption_h);
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

namespace {

// The width a table of these cells takes in the current font.
float table_width(const std::vector<std::string>& headers, const std::vector<std::vector<Cell>>& rows) {
    const ImGuiStyle& st = ImGui::GetStyle();
    float total = 0;
    for (size_t c = 0; c < headers.size(); ++c) {
        float w = ImGui::CalcTextSize(headers[c].c_str()).x;
        for (const auto& row : rows)
            if (c < row.size()) w = std::max(w, ImGui::CalcTextSize(row[c].text.c_str()).x);
        total += w + st.CellPadding.x * 2 + 1;  // + the inner border
    }
    return total;
}

}  // namespace

void text_table(const char* id, const std::vector<std::string>& headers, const std::vector<std::vector<Cell>>& rows) {
    if (headers.empty()) return;
    const float room = ImGui::GetContentRegionAvail().x;
    ImFont* normal = ImGui::GetIO().Fonts->Fonts.Size > 0 ? ImGui::GetIO().Fonts->Fonts[0] : nullptr;
    const float width = table_width(headers, rows);
    // A larger font (presentation mode) that does not fit is scaled down to the size that does,
    // as long as that stays above the normal font; below it the normal font is used. The text
    // scales, the cell padding does not.
    const float window_scale = ImGui::GetCurrentWindow()->FontWindowScale;
    float scale = 1.0f;
    bool smaller = false;
    if (normal && normal != ImGui::GetFont() && width > room) {
        const float padding = static_cast<float>(headers.size()) * (ImGui::GetStyle().CellPadding.x * 2 + 1);
        const float fit = (room - padding) / std::max(1.0f, width - padding);
        if (fit * ImGui::GetFontSize() >= normal->FontSize * window_scale) scale = fit * 0.98f;  // rounding slack
        else smaller = true;
    }
    if (scale != 1.0f) ImGui::SetWindowFontScale(window_scale * scale);
    if (smaller) ImGui::PushFont(normal);
    // Still too wide: narrower cell padding.
    const bool tight = table_width(headers, rows) > room;
    if (tight) ImGui::PushStyleVar(ImGuiStyleVar_CellPadding, ImVec2(1.0f, ImGui::GetStyle().CellPadding.y));
    if (ImGui::BeginTable(id, static_cast<int>(headers.size()),
                          ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_SizingStretchProp)) {
        for (const std::string& h : headers) ImGui::TableSetupColumn(h.c_str());
        ImGui::TableHeadersRow();
        for (const auto& row : rows) {
            ImGui::TableNextRow();
            for (const Cell& cell : row) {
                ImGui::TableNextColumn();
                if (cell.colour.w > 0) ImGui::PushStyleColor(ImGuiCol_Text, cell.colour);
                ImGui::TextUnformatted(cell.text.c_str());
                if (cell.colour.w > 0) ImGui::PopStyleColor();
            }
        }
        ImGui::EndTable();
    }
    if (tight) ImGui::PopStyleVar();
    if (smaller) ImGui::PopFont();
    if (scale != 1.0f) ImGui::SetWindowFontScale(window_scale);
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
