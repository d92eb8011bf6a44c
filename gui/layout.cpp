// Column arithmetic of the main window (see layout.h).
#include "gui/layout.h"

#include <algorithm>
#include <cmath>

namespace nl::gui {

Layout compute_layout(float width, float height, float top, float status_h, float scale) {
    width = std::max(width, 1.0f);
    height = std::max(height, 1.0f);
    top = std::clamp(top, 0.0f, height);
    status_h = std::clamp(status_h, 0.0f, height - top);

    // Whole pixels everywhere: ImGui snaps window positions and sizes to pixels, and fractional
    // edges would leave hairline gaps between the panels.
    width = std::floor(width);
    height = std::floor(height);
    top = std::floor(top);
    status_h = std::floor(status_h);
    const float body_h = std::max(height - top - status_h, 0.0f);

    // Sampler: about a quarter of the width, within [320, 420] px at scale 1.
    float sampler_w = std::floor(std::clamp(width * 0.27f, 320.0f * scale, 420.0f * scale));
    if (width - sampler_w < 2 * 240.0f * scale) sampler_w = std::floor(width * 0.3f);  // small window: share
    const float rest = width - sampler_w;
    // The histogram column gets a little more than half: it stacks three plots and a table.
    const float hist_w = std::floor(rest * 0.52f);
    const float view_w = rest - hist_w;

    Layout L;
    L.sampler = {0, top, sampler_w, body_h};
    L.view = {sampler_w, top, view_w, body_h};
    L.histogram = {sampler_w + view_w, top, hist_w, body_h};
    L.status = {0, top + body_h, width, status_h};
    return L;
}

}  // namespace nl::gui
