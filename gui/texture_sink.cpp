// MemorySink (see texture_sink.h); the OpenGL sink lives in gl_texture_sink.cpp.
#include "gui/grid_pixels.h"
#include "gui/texture_sink.h"

#include <chrono>

namespace nl::gui {

void MemorySink::show(const Tensor& grid, const render::GridOptions& opts) {
    const auto t0 = std::chrono::steady_clock::now();
    const render::GridImage img = grid_pixels(grid, opts);
    set_shown_range(img.lo, img.hi);
    image_ = img;
    ms_ = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    ++shows_;
}

}  // namespace nl::gui
