// Drawing primitives for the chart renderers (see canvas.h).
#include "gui/render/canvas.h"

#include <algorithm>
#include <cstdlib>

#include "gui/render/font.h"
#include "tensor/errors.h"

namespace nl::render {

Image make_image(int width, int height, Rgb fill) {
    constexpr int kMaxSide = 16384;
    if (width < 1 || width > kMaxSide || height < 1 || height > kMaxSide)
        throw ValueError("image size " + std::to_string(width) + "x" + std::to_string(height) +
                         " is out of range: width and height must be in [1, " + std::to_string(kMaxSide) + "]");
    Image img;
    img.width = width;
    img.height = height;
    img.rgba.resize(static_cast<size_t>(width) * static_cast<size_t>(height) * 4);
    for (size_t i = 0; i < img.rgba.size(); i += 4) {
        img.rgba[i] = fill.r;
        img.rgba[i + 1] = fill.g;
        img.rgba[i + 2] = fill.b;
        img.rgba[i + 3] = 255;
    }
    return img;
}

Rgb pixel_at(const Image& img, int x, int y) {
    if (x < 0 || y < 0 || x >= img.width || y >= img.height) return {};
    const size_t i = (static_cast<size_t>(y) * static_cast<size_t>(img.width) + static_cast<size_t>(x)) * 4;
    return {img.rgba[i], img.rgba[i + 1], img.rgba[i + 2]};
}

void Canvas::set(int x, int y, Rgb c) {
    if (x < 0 || y < 0 || x >= img_.width || y >= img_.height) return;
    const size_t i = (static_cast<size_t>(y) * static_cast<size_t>(img_.width) + static_cast<size_t>(x)) * 4;
    img_.rgba[i] = c.r;
    img_.rgba[i + 1] = c.g;
    img_.rgba[i + 2] = c.b;
    img_.rgba[i + 3] = 255;
}

void Canvas::blend(int x, int y, Rgb c, float alpha) {
    if (x < 0 || y < 0 || x >= img_.width || y >= img_.height) return;
    alpha = std::clamp(alpha, 0.0f, 1.0f);
    const size_t i = (static_cast<size_t>(y) * static_cast<size_t>(img_.width) + static_cast<size_t>(x)) * 4;
    auto mix = [alpha](uint8_t under, uint8_t over) {
        return static_cast<uint8_t>(static_cast<float>(under) + alpha * (static_cast<float>(over) - static_cast<float>(under)) + 0.5f);
    };
    img_.rgba[i] = mix(img_.rgba[i], c.r);
    img_.rgba[i + 1] = mix(img_.rgba[i + 1], c.g);
    img_.rgba[i + 2] = mix(img_.rgba[i + 2], c.b);
    img_.rgba[i + 3] = 255;
}

void Canvas::fill_rect(int x0, int y0, int x1, int y1, Rgb c) {
    x0 = std::max(x0, 0);
    y0 = std::max(y0, 0);
    x1 = std::min(x1, img_.width);
    y1 = std::min(y1, img_.height);
    for (int y = y0; y < y1; ++y)
        for (int x = x0; x < x1; ++x) set(x, y, c);
}

void Canvas::rect_outline(int x0, int y0, int x1, int y1, Rgb c) {
    hline(x0, x1 - 1, y0, c);
    hline(x0, x1 - 1, y1 - 1, c);
    vline(x0, y0, y1 - 1, c);
    vline(x1 - 1, y0, y1 - 1, c);
}

void Canvas::hline(int x0, int x1, int y, Rgb c) {
    if (x0 > x1) std::swap(x0, x1);
    for (int x = x0; x <= x1; ++x) set(x, y, c);
}

void Canvas::vline(int x, int y0, int y1, Rgb c) {
    if (y0 > y1) std::swap(y0, y1);
    for (int y = y0; y <= y1; ++y) set(x, y, c);
}

void Canvas::line(int x0, int y0, int x1, int y1, Rgb c, int thickness) {
    // Bresenham; each step stamps a thickness x thickness square centred on the point.
    const int lo = -(thickness - 1) / 2, hi = thickness / 2;
    const int dx = std::abs(x1 - x0), sx = x0 < x1 ? 1 : -1;
    const int dy = -std::abs(y1 - y0), sy = y0 < y1 ? 1 : -1;
    int err = dx + dy;
    for (;;) {
        for (int oy = lo; oy <= hi; ++oy)
            for (int ox = lo; ox <= hi; ++ox) set(x0 + ox, y0 + oy, c);
        if (x0 == x1 && y0 == y1) break;
        const int e2 = 2 * err;
        if (e2 >= dy) {
            err += dy;
            x0 += sx;
        }
        if (e2 <= dx) {
            err += dx;
            y0 += sy;
        }
    }
}

void Canvas::disc(int cx, int cy, int radius, Rgb c) {
    for (int y = -radius; y <= radius; ++y)
        for (int x = -radius; x <= radius; ++x)
            if (x * x + y * y <= radius * radius + radius) set(cx + x, cy + y, c);
}

void Canvas::text(int x, int y, const std::string& s, Rgb c, int scale) {
    for (size_t k = 0; k < s.size(); ++k) {
        const int gx = x + static_cast<int>(k) * font::kAdvance * scale;
        for (int row = 0; row < font::kGlyphHeight; ++row)
            for (int col = 0; col < font::kGlyphWidth; ++col)
                if (font::glyph_pixel(s[k], col, row))
                    fill_rect(gx + col * scale, y + row * scale, gx + (col + 1) * scale, y + (row + 1) * scale, c);
    }
}

}  // namespace nl::render
