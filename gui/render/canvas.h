// Drawing primitives on an RGBA8 Image (filled rectangles, lines, dots, text in the built-in
// font), used by the chart renderers. Everything clips to the image, so callers may draw past
// its edges.
#pragma once
#include <cstdint>
#include <string>

#include "gui/render/image.h"

namespace nl::render {

struct Rgb {
    uint8_t r = 0, g = 0, b = 0;
    bool operator==(const Rgb& o) const { return r == o.r && g == o.g && b == o.b; }
    bool operator!=(const Rgb& o) const { return !(*this == o); }
};

// A new opaque image filled with one colour. Throws ValueError for sizes outside [1, 16384].
Image make_image(int width, int height, Rgb fill);
// The colour at (x, y); (0,0,0) outside the image.
Rgb pixel_at(const Image& img, int x, int y);

class Canvas {
public:
    explicit Canvas(Image& img) : img_(img) {}
    int width() const { return img_.width; }
    int height() const { return img_.height; }
    const Image& image() const { return img_; }

    void set(int x, int y, Rgb c);
    // Mixes c over the pixel with opacity alpha in [0, 1].
    void blend(int x, int y, Rgb c, float alpha);
    // Pixels [x0, x1) x [y0, y1).
    void fill_rect(int x0, int y0, int x1, int y1, Rgb c);
    void rect_outline(int x0, int y0, int x1, int y1, Rgb c);
    void hline(int x0, int x1, int y, Rgb c);  // inclusive ends
    void vline(int x, int y0, int y1, Rgb c);  // inclusive ends
    // A line between two points, `thickness` pixels wide (square pen).
    void line(int x0, int y0, int x1, int y1, Rgb c, int thickness = 1);
    void disc(int cx, int cy, int radius, Rgb c);
    // One line of text with its top-left corner at (x, y), glyphs scaled by an integer.
    void text(int x, int y, const std::string& s, Rgb c, int scale = 1);

private:
    Image& img_;
};

}  // namespace nl::render
