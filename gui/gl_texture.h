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

// Sets texture `tex`'s minification for the zoom the view draws it at (screen pixels per texture
// pixel). Below kMipmapZoom the texels are averaged through mipmaps, made here once per new content
// (a 4096-wide grid at 0.1x otherwise showed a shimmer of single texels and uneven separators);
// above it, plain linear filtering. `mipmaps_current` says whether the mipmaps match level 0: a
// writer clears it whenever the pixels change, this sets it once they are made again.
constexpr float kMipmapZoom = 0.75f;
void sample_for_zoom(unsigned int tex, float zoom, bool& mipmaps_current);

}  // namespace nl::gui
