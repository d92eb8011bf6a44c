// Small plotting on ImGui's draw lists (no ImPlot): a plot frame with ticks, grid lines and axis
// labels, and the mapping between values and screen pixels. Used by the histogram, QQ, scatter
// and values views.
#pragma once
#include <string>

#include <imgui.h>

namespace nl::gui {

struct PlotArea {
    ImVec2 min, max;        // the inner plot rectangle in screen pixels
    double x0 = 0, x1 = 1;  // value range along x (log10 of values when log_x)
    double y0 = 0, y1 = 1;  // value range along y (log10 of values when log_y)
    bool log_x = false, log_y = false;
    float sx(double x) const;  // x in value units (log_x: the value itself, > 0)
    float sy(double y) const;  // y in value units (log_y: the value itself, > 0)
    double x_at(float px) const;
    double y_at(float py) const;
    bool contains(ImVec2 p) const { return p.x >= min.x && p.x <= max.x && p.y >= min.y && p.y <= max.y; }
};

struct PlotSpec {
    double x0 = 0, x1 = 1, y0 = 0, y1 = 1;
    bool log_x = false;      // x0, x1 > 0
    bool log_y = false;      // y0, y1 > 0
    const char* x_label = "";  // "value", "theoretical quantile"
    const char* y_label = "";  // "density", "count"
    bool equal_aspect = false; // same pixels per unit on both axes (scatter, QQ)
    bool y_ticks = true;       // false: no y tick labels (a strip whose height means nothing)
    bool integer_x = false;    // x values are integers (discrete data): a tick on every one where the labels fit
};

// Reserves `size` at the cursor (an invisible button, so the plot gets hover and drag), draws the
// background, grid, ticks with labels and the axis labels (the y label on a line above the plot),
// and returns the inner area. Drawing after it is clipped to the inner area until end_plot().
PlotArea begin_plot(const char* id, ImVec2 size, const PlotSpec& spec);
void end_plot();

// Many small markers (QQ points, scatter points, values) as squares of half-width r: two
// triangles each in one batch. Round anti-aliased dots cost ten times the triangles, and a
// software rasteriser (Xvfb) pays for each; at a few pixels the squares look the same.
void draw_markers(ImDrawList* dl, const ImVec2* centres, int n, float r, ImU32 colour);

// A short number for labels and tables: 4 significant digits, no trailing zeros ("1", "0.25").
std::string fmt_num(double v);
// A measured value to 4 significant digits with its trailing zeros ("1.000"): a sample's std of
// 1.00003 must not read as exactly 1.
std::string fmt_measured(double v);

}  // namespace nl::gui
