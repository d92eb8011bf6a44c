#include "gui/render/text_charts.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "gui/render/canvas.h"
#include "gui/render/chart.h"
#include "gui/render/font.h"
#include "gui/render/style.h"
#include "tensor/errors.h"

namespace nl::render {

namespace {
constexpr int kMargin = 12;  // pixels around the text, at scale 1
}

Image word_sheet(const std::string& title, const std::vector<std::string>& words, int columns, int scale) {
    if (columns < 1 || columns > 64) throw ValueError("word_sheet: columns " + std::to_string(columns) + " is out of range; valid: 1 to 64");
    if (scale < 1 || scale > 8) throw ValueError("word_sheet: scale " + std::to_string(scale) + " is out of range; valid: 1 to 8");
    const int per_column = static_cast<int>((words.size() + static_cast<size_t>(columns) - 1) / static_cast<size_t>(columns));
    const int line = font::kLineHeight * scale, margin = kMargin * scale, gap = 3 * font::kAdvance * scale;
    // Column widths from their widest word, so short words pack tightly and long ones fit.
    std::vector<int> widths(static_cast<size_t>(columns), 0);
    for (size_t i = 0; i < words.size(); ++i) {
        int& w = widths[i / static_cast<size_t>(std::max(per_column, 1))];
        w = std::max(w, font::text_width(words[i], scale));
    }
    int width = 2 * margin;
    for (int c = 0; c < columns; ++c) width += widths[static_cast<size_t>(c)] + (c + 1 < columns ? gap : 0);
    if (!title.empty()) width = std::max(width, 2 * margin + font::text_width(title, scale));
    width = std::max(width, 200);
    const int title_height = title.empty() ? 0 : line + line / 2;
    const int height = 2 * margin + title_height + std::max(per_column, 1) * line;
    if (width > 16384 || height > 16384)
        throw ValueError("word_sheet: " + std::to_string(words.size()) + " words in " + std::to_string(columns) +
                         " columns need a " + std::to_string(width) + "x" + std::to_string(height) +
                         " image; at most 16384x16384 can be drawn (fewer or shorter words, or more columns)");
    Image img = make_image(width, height, style::kChartBackground);
    Canvas cv(img);
    if (!title.empty()) cv.text(margin, margin, title, style::kText, scale);
    int x = margin;
    for (int c = 0; c < columns; ++c) {
        for (int r = 0; r < per_column; ++r) {
            const size_t i = static_cast<size_t>(c) * static_cast<size_t>(per_column) + static_cast<size_t>(r);
            if (i >= words.size()) break;
            cv.text(x, margin + title_height + r * line, words[i], style::kText, scale);
        }
        x += widths[static_cast<size_t>(c)] + gap;
    }
    return img;
}

Image probability_bars(const std::vector<std::string>& labels, const std::vector<double>& p, const ChartOptions& opts) {
    if (p.empty() || labels.size() != p.size())
        throw ValueError("probability_bars: " + std::to_string(labels.size()) + " labels for " + std::to_string(p.size()) +
                         " values (they must match, and there must be at least one)");
    double top = 0.0;
    for (size_t i = 0; i < p.size(); ++i) {
        if (!(p[i] >= 0.0) || !std::isfinite(p[i]))
            throw ValueError("probability_bars: value " + std::to_string(i) + " is " + std::to_string(p[i]) +
                             "; values must be finite and >= 0");
        top = std::max(top, p[i]);
    }
    const int s = chart_text_scale(opts);
    Image img = make_image(opts.width, opts.height, style::kChartBackground);
    Canvas cv(img);
    const int line = font::kLineHeight * s;
    const int left = kMargin * s, right = opts.width - kMargin * s;
    const int top_y = kMargin * s + (opts.title.empty() ? 0 : 2 * line) + line;  // room for the values
    const int bottom = opts.height - kMargin * s - line;                         // room for the labels
    if (!opts.title.empty()) cv.text(left, kMargin * s, opts.title, style::kText, s);
    cv.hline(left, right, bottom, style::kAxis);
    const double slot = static_cast<double>(right - left) / static_cast<double>(p.size());
    for (size_t i = 0; i < p.size(); ++i) {
        const int x0 = left + static_cast<int>(std::lround(slot * static_cast<double>(i)));
        const int x1 = left + static_cast<int>(std::lround(slot * static_cast<double>(i + 1)));
        const int cx = (x0 + x1) / 2;
        const int h = top > 0.0 ? static_cast<int>(std::lround(p[i] / top * (bottom - top_y))) : 0;
        if (h > 0) cv.fill_rect(x0 + (x1 - x0 >= 4 ? 1 : 0), bottom - h, x1 - (x1 - x0 >= 4 ? 1 : 0), bottom, style::kBar);
        cv.text(cx - font::text_width(labels[i], s) / 2, bottom + 3 * s, labels[i], style::kText, s);
        // The value over its bar where the slot is wide enough for it ("0.31"; "<.01" for tiny ones).
        if (p[i] > 0.0) {
            char v[16];
            if (p[i] < 0.005) std::snprintf(v, sizeof v, "<.01");
            else std::snprintf(v, sizeof v, "%.2f", p[i]);
            // At the chart's text scale, or at 1 where that does not fit the slot.
            const int vs = font::text_width(v, s) <= x1 - x0 ? s : 1;
            const int tw = font::text_width(v, vs);
            if (tw <= x1 - x0) cv.text(cx - tw / 2, bottom - h - font::kLineHeight * vs, v, style::kText, vs);
        }
    }
    return img;
}

}  // namespace nl::render
