// Reading the window's pixels back for "Export window (PNG)" and --screenshot: the frame just
// rendered into the back buffer, before it is swapped. Needs a current OpenGL context.
#pragma once
#include "gui/render/image.h"

namespace nl::gui {

// The current framebuffer's pixels (width x height, RGBA8, top row first, opaque).
render::Image read_framebuffer(int width, int height);

}  // namespace nl::gui
