// The few OpenGL calls of the app outside ImGui's backend: reading the window's pixels back
// (for "Export window" and --screenshot) and nearest sampling of a texture. Need a current
// OpenGL context.
#pragma once
#include <imgui.h>

#include "gui/render/image.h"

namespace nl::gui {

// The current framebuffer's pixels (width x height, RGBA8, top row first, opaque): the frame
// just rendered into the back buffer, before it is swapped.
render::Image read_framebuffer(int width, int height);

// Samples the texture with nearest filtering. The app sets it on ImGui's font atlas: the atlas
// holds glyphs at their screen size and ImGui snaps them to whole pixels, so the text looks the
// same, and llvmpipe (Xvfb) is spared bilinear filtering on every pixel of every panel, about a
// third of the frame time there.
void use_nearest_sampling(ImTextureID texture);

// Fills a rectangle of the framebuffer (pixels, y up) with an opaque colour by a scissored
// glClear, for fill.h's backgrounds. Call it only while ImGui's OpenGL renderer draws (it leaves
// the scissor box and clear colour changed; the renderer sets the scissor box per draw).
void gl_clear_rect(int x, int y, int w, int h, ImU32 colour);

}  // namespace nl::gui
