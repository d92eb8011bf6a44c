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
    const float body_h = std::max(height - top - status_h, 0.0f);

    // Sampler: about a quarter of the width, within [320, 420] px at scale 1.
    float sampler_w = std::clamp(width * 0.27f, 320.0f * scale, 420.0f * scale);
    float rest = width - sampler_w;
    const float min_rest = 2 * 240.0f * scale;
    if (rest < min_rest) {  // small window: share proportionally
        sampler_w = std::floor(width * 0.3f);
        rest = width - sampler_w;
    }
    sampler_w = std::floor(sampler_w);
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
