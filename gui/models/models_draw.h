// Small drawing helpers of the Models workspace on ImGui's draw lists: grids of 20x20 grayscale
// digits (one filled rectangle per pixel: the panels show at most a few hundred digits, and this
// needs no texture, so the workspace never competes with the tensor view's texture), and bar
// charts. Headless-safe (no OpenGL).
#pragma once
#include <string>
#include <vector>

#include <imgui.h>

#include "tensor/tensor.h"

namespace nl::gui::models_draw {

// A model output's values as floats on the host, row-major, for the draw helpers below.
std::vector<float> host_floats(const Tensor& t);

constexpr int kDigitSide = 20;
constexpr int kDigitPixels = kDigitSide * kDigitSide;

// The size of a grid of n digits in `cols` columns, each `cell` screen pixels per digit pixel,
// with a 2-pixel gap.
ImVec2 digits_size(int n, int cols, float cell);
// Reserves digits_size() at the cursor (an invisible button with `id`, so it gets hover and
// clicks) and draws digit k from pixels[k * 400 ..] mapping [lo, hi] to black..white. Returns
// whether it was clicked; `hovered` (optional) receives the digit under the mouse or -1.
bool digits_grid(const char* id, const std::vector<float>& pixels, int n, int cols, float cell, float lo, float hi,
                 int* hovered = nullptr);
// Bars with labels under them (one character each) over a y axis with ticks, `highlight` drawn
// in the hover colour, the labels of bars marked in `dimmed` (if given) in the dim text colour.
// Returns the clicked bar or -1.
int bar_chart(const char* id, const std::vector<double>& values, const std::string& labels, ImVec2 size,
              int highlight = -1, const std::vector<bool>& dimmed = {});
// The width of bar_chart's y axis (its tick labels) for these values: the bars start there.
float bar_chart_axis_width(const std::vector<double>& values);

}  // namespace nl::gui::models_draw
