// The text of exported charts (titles, tick labels, legends): DejaVu Sans (fonts-dejavu-core, a
// dependency of the app already) rasterised by stb_truetype with anti-aliasing, so a histogram
// PNG reads like a plot from a plotting library. Without the font file the built-in 5x7 bitmap
// font (font.h) draws it, and the layout follows whichever is in use.
#pragma once
#include <memory>
#include <string>

#include "gui/render/canvas.h"

namespace nl::render {

class ChartFont {
public:
    // The font at `path`, or the bitmap font when it cannot be read or parsed.
    explicit ChartFont(const std::string& path);
    ~ChartFont();
    ChartFont(const ChartFont&) = delete;
    ChartFont& operator=(const ChartFont&) = delete;

    // The one the charts use: DejaVu Sans from fonts-dejavu-core, loaded on first use.
    static const ChartFont& standard();

    bool truetype() const { return tt_ != nullptr; }
    // At a chart's integer text scale (chart_text_scale: 1 or 2): the height of capitals, which
    // layouts align by (descenders hang below it), and a line's height.
    int cap_height(int scale) const;
    int line_height(int scale) const;
    // The width of one line of UTF-8 text.
    int width(const std::string& s, int scale) const;
    // One line with the top of its capitals at y, starting at x.
    void draw(Canvas& cv, int x, int y, const std::string& s, Rgb c, int scale) const;
    // `s` shortened with "..." to at most `max_width` pixels.
    std::string fit(const std::string& s, int max_width, int scale) const;

private:
    struct TrueType;
    std::unique_ptr<TrueType> tt_;
};

}  // namespace nl::render
