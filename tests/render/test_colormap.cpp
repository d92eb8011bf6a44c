// Colormaps: exact end points, viridis following its published anchors with rising lightness,
// the diverging map's white middle, clamping, and parsing errors.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "gui/render/image.h"
#include "tensor/errors.h"

using namespace nl::render;

namespace {
struct C {
    int r, g, b;
};
C rgb_of(Colormap m, float t) {
    uint8_t v[3];
    colormap_rgb(m, t, v);
    return {v[0], v[1], v[2]};
}
void expect_rgb(Colormap m, float t, int r, int g, int b, int tol = 0) {
    const C c = rgb_of(m, t);
    EXPECT_NEAR(c.r, r, tol) << colormap_name(m) << " t=" << t;
    EXPECT_NEAR(c.g, g, tol) << colormap_name(m) << " t=" << t;
    EXPECT_NEAR(c.b, b, tol) << colormap_name(m) << " t=" << t;
}
double lightness(C c) { return 0.2126 * c.r + 0.7152 * c.g + 0.0722 * c.b; }
}  // namespace

TEST(Colormap, Gray) {
    expect_rgb(Colormap::Gray, 0.0f, 0, 0, 0);
    expect_rgb(Colormap::Gray, 1.0f, 255, 255, 255);
    expect_rgb(Colormap::Gray, 0.5f, 128, 128, 128);
    expect_rgb(Colormap::Gray, -3.0f, 0, 0, 0);   // clamped
    expect_rgb(Colormap::Gray, 7.0f, 255, 255, 255);
    expect_rgb(Colormap::Gray, std::nanf(""), 0, 0, 0);
}

TEST(Colormap, ViridisMatchesItsAnchorsAndBrightensMonotonically) {
    expect_rgb(Colormap::Viridis, 0.0f, 0x44, 0x01, 0x54);
    expect_rgb(Colormap::Viridis, 0.5f, 0x21, 0x90, 0x8c);
    expect_rgb(Colormap::Viridis, 1.0f, 0xfd, 0xe7, 0x25);
    // Matplotlib's viridis at t = 0.25 is #3b528b; between anchors the interpolation stays close.
    expect_rgb(Colormap::Viridis, 0.25f, 0x3b, 0x52, 0x8b, 1);
    double prev = -1.0;
    for (int i = 0; i <= 100; ++i) {
        const double l = lightness(rgb_of(Colormap::Viridis, i / 100.0f));
        EXPECT_GT(l, prev) << "viridis lightness must rise, t=" << i / 100.0;
        prev = l;
    }
}

TEST(Colormap, DivergingIsBlueWhiteRed) {
    const C lo = rgb_of(Colormap::Diverging, 0.0f), mid = rgb_of(Colormap::Diverging, 0.5f),
            hi = rgb_of(Colormap::Diverging, 1.0f);
    EXPECT_GT(lo.b, lo.r + 100);
    EXPECT_GT(hi.r, hi.b + 100);
    EXPECT_GE(mid.r, 240);
    EXPECT_GE(mid.g, 240);
    EXPECT_GE(mid.b, 240);
    // Symmetric distance from white on both sides.
    const C q1 = rgb_of(Colormap::Diverging, 0.25f), q3 = rgb_of(Colormap::Diverging, 0.75f);
    EXPECT_GT(q1.b, q1.r);
    EXPECT_GT(q3.r, q3.b);
}

TEST(Colormap, ParseAndName) {
    for (Colormap m : {Colormap::Gray, Colormap::Viridis, Colormap::Diverging})
        EXPECT_EQ(parse_colormap(colormap_name(m)), m);
    try {
        parse_colormap("jet");
        FAIL() << "expected ValueError";
    } catch (const nl::ValueError& e) {
        const std::string msg = e.what();
        EXPECT_NE(msg.find("jet"), std::string::npos) << msg;
        EXPECT_NE(msg.find("viridis"), std::string::npos) << msg;
    }
}
