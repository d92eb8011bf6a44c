// The colours and sizes shared by the renderers, named so that the GUI and the pixel tests use the
// same values.
#pragma once
#include "gui/render/canvas.h"

namespace nl::render::style {

constexpr Rgb kGridBackground{24, 24, 32};  // padding between image tiles, unused cells
constexpr Rgb kNaN{255, 0, 255};            // NaN elements in an image grid

constexpr Rgb kChartBackground{255, 255, 255};
constexpr Rgb kAxis{40, 40, 40};
constexpr Rgb kText{20, 20, 20};
constexpr Rgb kBar{110, 150, 220};     // histogram bars
constexpr Rgb kCurve{214, 39, 40};     // theoretical density / mass
constexpr Rgb kPoint{31, 100, 180};    // scatter points
constexpr Rgb kLegendBorder{160, 160, 160};

}  // namespace nl::render::style
