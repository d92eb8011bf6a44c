// The image view's texture, made and filled the same way by both of its writers: the CPU upload
// sink (gl_texture_sink.cpp) and the interop texture (interop/gl_grid_texture.cpp). Plain GL (no
// ImGui), so the headless interop tests can use it too. Need a current OpenGL context.
#pragma once
#include "gui/render/image.h"

namespace nl::gui {

// A new GL_TEXTURE_2D name, bound, with the view's sampling: tensor pixels stay crisp squares
// when the view zooms in (nearest magnification), smooth when it zooms out; clamped edges.
unsigned int make_view_texture();

// Uploads `img` (RGBA8, top row first) into texture `tex`: new storage when `width` x `height`
// differ from the image's (then both are set to its size), else the pixels replaced in place.
void upload_rgba(unsigned int tex, const render::Image& img, int& width, int& height);

}  // namespace nl::gui
