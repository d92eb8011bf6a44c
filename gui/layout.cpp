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

LessonLayout compute_lesson_layout(float width, float height, float top, float status_h, float scale, bool show_sampler) {
    width = std::floor(std::max(width, 1.0f));
    height = std::floor(std::max(height, 1.0f));
    top = std::floor(std::clamp(top, 0.0f, height));
    status_h = std::floor(std::clamp(status_h, 0.0f, height - top));
    const float body_h = std::max(height - top - status_h, 0.0f);

    // The lesson column reads like a page: about 30% of the width, within [340, 560] px at scale 1.
    float lesson_w = std::floor(std::clamp(width * 0.30f, 340.0f * scale, 560.0f * scale));
    float sampler_w = show_sampler ? std::floor(std::clamp(width * 0.22f, 280.0f * scale, 380.0f * scale)) : 0.0f;
    if (width - lesson_w - sampler_w < 300.0f * scale) {  // small window: share proportionally
        lesson_w = std::floor(width * (show_sampler ? 0.34f : 0.4f));
        sampler_w = show_sampler ? std::floor(width * 0.26f) : 0.0f;
    }
    LessonLayout L;
    L.lesson = {0, top, lesson_w, body_h};
    L.sampler = {lesson_w, top, sampler_w, body_h};
    L.visual = {lesson_w + sampler_w, top, width - lesson_w - sampler_w, body_h};
    L.status = {0, top + body_h, width, status_h};
    return L;
}

}  // namespace nl::gui
