// The built-in 5x7 font: every printable ASCII character has its own glyph, others fall back to
// '?', g j p q y reach below the baseline and nothing else does, and text is drawn where and how
// wide text_width says.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "gui/render/canvas.h"
#include "gui/render/font.h"

using namespace nl::render;

TEST(Font, EveryPrintableCharacterHasADistinctGlyph) {
    std::set<std::string> seen;
    for (int c = 32; c <= 126; ++c) {
        const uint8_t* rows = font::glyph_rows(static_cast<char>(c));
        std::string key(reinterpret_cast<const char*>(rows), font::kGlyphHeight);
        int set_pixels = 0;
        for (int y = 0; y < font::kGlyphHeight; ++y) {
            EXPECT_EQ(rows[y] & ~0x1Fu, 0u) << "glyph " << c << " uses more than 5 columns";
            for (int x = 0; x < font::kGlyphWidth; ++x) set_pixels += font::glyph_pixel(static_cast<char>(c), x, y);
        }
        if (c == ' ')
            EXPECT_EQ(set_pixels, 0);
        else
            EXPECT_GT(set_pixels, 0) << "glyph '" << static_cast<char>(c) << "' is empty";
        EXPECT_TRUE(seen.insert(key).second) << "glyph '" << static_cast<char>(c) << "' duplicates another";
    }
}

TEST(Font, KnownGlyphShapes) {
    // '1': the vertical stroke in the middle column, the base across three columns.
    for (int y = 0; y < 7; ++y) EXPECT_TRUE(font::glyph_pixel('1', 2, y)) << y;
    EXPECT_TRUE(font::glyph_pixel('1', 1, 6));
    EXPECT_TRUE(font::glyph_pixel('1', 3, 6));
    EXPECT_FALSE(font::glyph_pixel('1', 0, 6));
    // '-': one full row in the middle only.
    for (int x = 0; x < 5; ++x) EXPECT_TRUE(font::glyph_pixel('-', x, 3));
    EXPECT_FALSE(font::glyph_pixel('-', 2, 2));
    EXPECT_FALSE(font::glyph_pixel('-', 2, 4));
    // Out of the glyph box: nothing.
    EXPECT_FALSE(font::glyph_pixel('1', 5, 0));
    EXPECT_FALSE(font::glyph_pixel('1', 2, font::kGlyphHeight));
    EXPECT_FALSE(font::glyph_pixel('1', 2, -1));
}

TEST(Font, OnlyDescendersReachBelowTheBaseline) {
    const std::string descenders = "gjpqy";
    for (int c = 32; c <= 126; ++c) {
        int below = 0, x_height_rows = 0;
        for (int y = font::kCapHeight; y < font::kGlyphHeight; ++y)
            for (int x = 0; x < font::kGlyphWidth; ++x) below += font::glyph_pixel(static_cast<char>(c), x, y);
        if (descenders.find(static_cast<char>(c)) == std::string::npos) {
            EXPECT_EQ(below, 0) << "glyph '" << static_cast<char>(c) << "' reaches below the baseline";
            continue;
        }
        EXPECT_GT(below, 0) << "glyph '" << static_cast<char>(c) << "' has no descender";
        // Its body sits on the baseline between the rows of the x-height, like 'a' and 'o'.
        for (int x = 0; x < font::kGlyphWidth; ++x) x_height_rows += font::glyph_pixel(static_cast<char>(c), x, font::kCapHeight - 1);
        EXPECT_GT(x_height_rows, 0) << "glyph '" << static_cast<char>(c) << "' does not reach the baseline";
    }
    EXPECT_EQ(font::text_height(2), 2 * font::kCapHeight);
}

TEST(Font, NonPrintableCharactersDrawAsQuestionMark) {
    const uint8_t* q = font::glyph_rows('?');
    for (char c : {'\n', '\t', '\x7f', static_cast<char>(0xC3)})
        EXPECT_EQ(std::string(reinterpret_cast<const char*>(font::glyph_rows(c)), font::kGlyphHeight),
                  std::string(reinterpret_cast<const char*>(q), font::kGlyphHeight));
}

TEST(Font, TextWidthAndDrawing) {
    EXPECT_EQ(font::text_width("", 1), 0);
    EXPECT_EQ(font::text_width("A", 1), 5);
    EXPECT_EQ(font::text_width("AB", 1), 11);
    EXPECT_EQ(font::text_width("AB", 3), 33);

    Image img = make_image(40, 20, {255, 255, 255});
    Canvas cv(img);
    cv.text(2, 3, "-1", {0, 0, 0}, 2);
    // '-' at scale 2: row 3 -> pixel rows 9-10, columns 2..11.
    EXPECT_EQ(pixel_at(img, 2, 9), (Rgb{0, 0, 0}));
    EXPECT_EQ(pixel_at(img, 11, 10), (Rgb{0, 0, 0}));
    EXPECT_EQ(pixel_at(img, 2, 8), (Rgb{255, 255, 255}));
    // '1' starts one advance (12 pixels) later; its middle column is x = 14 + 2*2 = 18.
    EXPECT_EQ(pixel_at(img, 18, 3), (Rgb{0, 0, 0}));
    EXPECT_EQ(pixel_at(img, 18, 16), (Rgb{0, 0, 0}));
    // Nothing drawn right of the text's width.
    for (int y = 0; y < 20; ++y) EXPECT_EQ(pixel_at(img, 2 + font::text_width("-1", 2), y), (Rgb{255, 255, 255}));
}
