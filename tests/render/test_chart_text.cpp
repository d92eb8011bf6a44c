// Chart text (gui/render/chart_text.h): DejaVu Sans drawn with anti-aliasing inside the box the
// layout reserves, the same pixels every time, and the bitmap font where the font file is
// missing.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <string>

#include "gui/render/canvas.h"
#include "gui/render/chart_text.h"
#include "gui/render/font.h"

using namespace nl::render;

namespace {

constexpr const char* kFontFile = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";

bool have_font() {
    std::FILE* f = std::fopen(kFontFile, "rb");
    if (f) std::fclose(f);
    return f != nullptr;
}

struct Ink {
    int pixels = 0, partial = 0;  // pixels touched; of those, between background and ink
    int x0 = 1 << 30, y0 = 1 << 30, x1 = -1, y1 = -1;
};

Ink ink_of(const Image& img, Rgb bg, Rgb fg) {
    Ink k;
    for (int y = 0; y < img.height; ++y)
        for (int x = 0; x < img.width; ++x) {
            const Rgb p = pixel_at(img, x, y);
            if (p == bg) continue;
            ++k.pixels;
            k.partial += p != fg;
            k.x0 = std::min(k.x0, x), k.y0 = std::min(k.y0, y);
            k.x1 = std::max(k.x1, x), k.y1 = std::max(k.y1, y);
        }
    return k;
}

}  // namespace

TEST(ChartText, DejaVuSansIsAntiAliasedInsideItsBox) {
    if (!have_font()) GTEST_SKIP() << kFontFile << " missing (Debian: apt-get install fonts-dejavu-core)";
    const ChartFont& f = ChartFont::standard();
    ASSERT_TRUE(f.truetype());
    const Rgb bg{255, 255, 255}, fg{20, 20, 20};
    for (int scale : {1, 2}) {
        SCOPED_TRACE(scale);
        Image img = make_image(300, 80, bg);
        Canvas cv(img);
        const std::string s = "normal(mean=0, std=1) 0.25";
        const int x = 10, y = 20;
        f.draw(cv, x, y, s, fg, scale);
        const Ink k = ink_of(img, bg, fg);
        ASSERT_GT(k.pixels, 40);
        EXPECT_GT(k.partial, k.pixels / 4) << "edges are blended, not a 1-bit font";
        // Inside the layout's box: from x to x + width, capitals from y to the baseline, the
        // parentheses and descenders a little above and below.
        EXPECT_GE(k.x0, x - 1);
        EXPECT_LE(k.x1, x + f.width(s, scale));
        EXPECT_GE(k.y0, y - f.cap_height(scale) / 2);
        EXPECT_LE(k.y1, y + f.line_height(scale));
        EXPECT_EQ(f.cap_height(scale), scale == 1 ? 8 : 7 * scale);
        // Wider text is wider; nothing is zero.
        EXPECT_GT(f.width("0.25", scale), f.width("0.2", scale));
        EXPECT_EQ(f.width("", scale), 0);
    }
    EXPECT_GT(f.width("density", 2), f.width("density", 1) * 3 / 2);
}

TEST(ChartText, TheSamePixelsEveryTime) {
    const ChartFont& f = ChartFont::standard();
    Image a = make_image(200, 40, {255, 255, 255}), b = make_image(200, 40, {255, 255, 255});
    Canvas ca(a), cb(b);
    f.draw(ca, 5, 10, "samples (n=65,536)", {30, 90, 200}, 1);
    f.draw(cb, 5, 10, "samples (n=65,536)", {30, 90, 200}, 1);
    EXPECT_EQ(a.rgba, b.rgba);
}

TEST(ChartText, FitCutsWithAnEllipsisAtCharacterBoundaries) {
    const ChartFont& f = ChartFont::standard();
    const std::string title = "uniform(low=-2, high=3) \xC3\xA9t\xC3\xA9, seed 12345678901234";
    const int room = f.width(title, 1) / 2;
    const std::string cut = f.fit(title, room, 1);
    EXPECT_LE(f.width(cut, 1), room);
    ASSERT_GE(cut.size(), 3u);
    EXPECT_EQ(cut.substr(cut.size() - 3), "...");
    EXPECT_EQ(f.fit(title, 10000, 1), title);
    // No broken UTF-8 before the dots.
    const std::string kept = cut.substr(0, cut.size() - 3);
    for (size_t i = 0; i < kept.size(); ++i)
        if ((static_cast<unsigned char>(kept[i]) & 0xE0) == 0xC0) {
            ASSERT_LT(i + 1, kept.size());
            EXPECT_EQ(static_cast<unsigned char>(kept[i + 1]) & 0xC0, 0x80);
        }
}

TEST(ChartText, WithoutTheFontFileTheBitmapFontDraws) {
    const ChartFont none("/nonexistent/font.ttf");
    EXPECT_FALSE(none.truetype());
    EXPECT_EQ(none.width("0.25", 2), font::text_width("0.25", 2));
    EXPECT_EQ(none.cap_height(2), font::text_height(2));
    Image a = make_image(100, 30, {0, 0, 0}), b = make_image(100, 30, {0, 0, 0});
    Canvas ca(a), cb(b);
    none.draw(ca, 3, 4, "x=1", {255, 255, 255}, 1);
    cb.text(3, 4, "x=1", {255, 255, 255}, 1);
    EXPECT_EQ(a.rgba, b.rgba);
    // A file that is not a font falls back too.
    const std::string junk_path = std::string(NOISELAB_BINARY_DIR) + "/not-a-font.ttf";
    if (std::FILE* f = std::fopen(junk_path.c_str(), "wb")) {
        std::fputs("this is not a TrueType font", f);
        std::fclose(f);
    }
    const ChartFont junk(junk_path);
    EXPECT_FALSE(junk.truetype());
    std::remove(junk_path.c_str());
}
