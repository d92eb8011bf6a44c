// Flat opaque backgrounds (the bars, title bars, plot areas, the grid's surround). Under Xvfb the
// window is rasterised in software (llvmpipe), where every pixel ImGui draws is shaded and
// blended, and these backgrounds were a third of the pixels of a frame. With the OpenGL renderer
// they are therefore drawn as scissored glClear()s — nearly free — from a draw-list callback at
// the bottom of the frame (when ImGui's renderer is imgui_impl_opengl3); otherwise (headless
// tests) as ordinary ImGui rectangles. The result on screen is the same: opaque rectangles below
// everything else.
#pragma once
#include <cstdint>

#include <imgui.h>

namespace nl::gui {

// The colours fill_background() clears with (others are drawn as rectangles).
enum class Background : uint8_t { Panel, Bar, Title, Plot, Image };
ImU32 background_colour(Background b);

// An opaque rectangle below every window, clipped to the current window's clip rectangle when
// called inside a window.
void fill_background(ImVec2 min, ImVec2 max, Background b);

}  // namespace nl::gui
