// Colormaps: gray, viridis and a blue-white-red diverging map. Viridis is rebuilt here by linear
// interpolation (in sRGB) between nine published anchor colours of the matplotlib map, sampled
// at t = 0, 1/8, ..., 1; the result stays within a few levels of the original 256-entry table.
#include <algorithm>
#include <cmath>
#include <string>

#include "gui/render/image.h"
#include "tensor/errors.h"

namespace nl::render {

namespace {

struct Anchor {
    uint8_t r, g, b;
};

constexpr Anchor kViridis[] = {
    {0x44, 0x01, 0x54}, {0x47, 0x2d, 0x7b}, {0x3b, 0x52, 0x8b}, {0x2c, 0x72, 0x8e}, {0x21, 0x90, 0x8c},
    {0x27, 0xad, 0x81}, {0x5d, 0xc8, 0x63}, {0xaa, 0xdc, 0x32}, {0xfd, 0xe7, 0x25},
};
// Blue (low) through near-white (middle) to red (high), the end colours of ColorBrewer's RdBu.
constexpr Anchor kDiverging[] = {{0x21, 0x66, 0xac}, {0xf7, 0xf7, 0xf7}, {0xb2, 0x18, 0x2b}};

template <size_t N>
void interpolate(const Anchor (&anchors)[N], float t, uint8_t rgb[3]) {
    const float pos = t * static_cast<float>(N - 1);
    const size_t i = std::min(static_cast<size_t>(pos), N - 2);
    const float f = pos - static_cast<float>(i);
    const Anchor& a = anchors[i];
    const Anchor& b = anchors[i + 1];
    auto lerp = [f](uint8_t x, uint8_t y) {
        return static_cast<uint8_t>(std::lround(static_cast<float>(x) + f * (static_cast<float>(y) - static_cast<float>(x))));
    };
    rgb[0] = lerp(a.r, b.r);
    rgb[1] = lerp(a.g, b.g);
    rgb[2] = lerp(a.b, b.b);
}

}  // namespace

Colormap parse_colormap(const std::string& name) {
    if (name == "gray" || name == "grey") return Colormap::Gray;
    if (name == "viridis") return Colormap::Viridis;
    if (name == "diverging" || name == "bwr") return Colormap::Diverging;
    throw ValueError("unknown colormap '" + name + "'; valid colormaps: gray, viridis, diverging");
}

const char* colormap_name(Colormap c) {
    switch (c) {
        case Colormap::Gray: return "gray";
        case Colormap::Viridis: return "viridis";
        case Colormap::Diverging: return "diverging";
    }
    return "gray";
}

void colormap_rgb(Colormap c, float t, uint8_t rgb[3]) {
    if (!(t >= 0.0f)) t = 0.0f;  // NaN too
    if (t > 1.0f) t = 1.0f;
    switch (c) {
        case Colormap::Gray: {
            const auto v = static_cast<uint8_t>(std::lround(t * 255.0f));
            rgb[0] = rgb[1] = rgb[2] = v;
            return;
        }
        case Colormap::Viridis: interpolate(kViridis, t, rgb); return;
        case Colormap::Diverging: interpolate(kDiverging, t, rgb); return;
    }
}

}  // namespace nl::render
