// The fixed layout of the main window: menu bar on top, status bar at the bottom, and three
// columns between them (Sampler | tensor view | histogram), filling the window and following its
// size. Pure arithmetic so tests can check that panels tile the window without overlapping.
#pragma once

namespace nl::gui {

struct Rect {
    float x = 0, y = 0, w = 0, h = 0;
    float right() const { return x + w; }
    float bottom() const { return y + h; }
    bool overlaps(const Rect& o) const {
        return x < o.right() && o.x < right() && y < o.bottom() && o.y < bottom();
    }
};

struct Layout {
    Rect sampler;    // left column: distribution, shape, dtype, device, seed, export
    Rect view;       // middle: image grid, scatter or values
    Rect histogram;  // right: histogram, stats table, QQ plot
    Rect status;     // bottom bar: frame time, generator offset, messages
};

// `top` is the menu bar's height, `status_h` the status bar's; `scale` the HiDPI factor.
// Columns keep readable minimum widths; below them the window is simply too small and the
// columns shrink proportionally rather than overlap.
Layout compute_layout(float width, float height, float top, float status_h, float scale);

// The window while a lesson is open: the lesson column (explanation, prediction, code) on the
// left, the Sampler column next to it when the lesson uses it, and the lesson's visual filling the
// rest. Presentation mode passes status_h = 0 (no status bar) and a larger scale.
struct LessonLayout {
    Rect lesson;   // explanation, predict-then-sample, PyTorch code, checks, record export
    Rect sampler;  // w = 0 when hidden
    Rect visual;   // the lesson's visual
    Rect status;   // h = 0 when hidden
};
LessonLayout compute_lesson_layout(float width, float height, float top, float status_h, float scale, bool show_sampler);

}  // namespace nl::gui
