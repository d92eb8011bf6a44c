// A small built-in bitmap font (5x7 pixel glyphs for printable ASCII 32-126, with two rows below
// the baseline for g, j, p, q and y) so that charts can carry titles, tick labels and legends
// without a font file or a font library.
#pragma once
#include <cstdint>
#include <string>

namespace nl::render::font {

constexpr int kGlyphWidth = 5;
constexpr int kCapHeight = 7;     // rows from the top of a capital to the baseline
constexpr int kDescent = 2;       // rows below the baseline (descenders of g, j, p, q, y)
constexpr int kGlyphHeight = kCapHeight + kDescent;
constexpr int kAdvance = 6;       // glyph width + one column of spacing
constexpr int kLineHeight = 11;   // glyph height + two rows of spacing
constexpr char kFirstChar = 32;   // ' '
constexpr char kLastChar = 126;   // '~'

// The kGlyphHeight rows of a glyph, top first; bit 4 of each row is the leftmost column.
// Characters outside 32-126 are drawn as '?'.
const uint8_t* glyph_rows(char c);
// Whether column x (0-4), row y (0-8; 7 and 8 are below the baseline) of c's glyph is set.
bool glyph_pixel(char c, int x, int y);
// Pixel size of a one-line string drawn at an integer scale (no trailing spacing column).
int text_width(const std::string& s, int scale = 1);
// The height layouts align text by: capitals, without descenders (those hang into the spacing
// below a line, as in typeset text).
inline int text_height(int scale = 1) { return kCapHeight * scale; }

}  // namespace nl::render::font
