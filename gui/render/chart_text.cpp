// gui/render/chart_text.h. stb_truetype's declarations only: Debian's libstb holds its code.
#include "gui/render/chart_text.h"

#include <stb_truetype.h>

#include <cmath>
#include <cstdio>
#include <vector>

#include "gui/render/font.h"

namespace nl::render {

namespace {

constexpr const char* kDejaVuSans = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
// Capitals as tall as the bitmap font's (7 pixels per unit of chart text scale: about 19 px
// DejaVu Sans on charts from 400 pixels up), but 8 on small charts, where 7 would be a 10 px font.
int cap_pixels(int scale) { return scale <= 1 ? 8 : 7 * scale; }

// The next code point of UTF-8 text at i (advancing i); '?' for a malformed sequence.
int next_code_point(const std::string& s, size_t& i) {
    const unsigned char c = static_cast<unsigned char>(s[i++]);
    if (c < 0x80) return c;
    const int extra = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : -1;
    if (extra < 0) return '?';
    int cp = c & (0x3F >> extra);
    for (int k = 0; k < extra; ++k) {
        if (i >= s.size() || (static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) return '?';
        cp = (cp << 6) | (static_cast<unsigned char>(s[i++]) & 0x3F);
    }
    return cp;
}

}  // namespace

struct ChartFont::TrueType {
    std::vector<unsigned char> data;
    stbtt_fontinfo info{};
    int cap_units = 0;  // the height of 'H' in font units

    float scale_for(int chart_scale) const { return static_cast<float>(cap_pixels(chart_scale)) / static_cast<float>(cap_units); }
    int glyph_or_question(int cp) const {
        const int g = stbtt_FindGlyphIndex(&info, cp);
        return g ? g : stbtt_FindGlyphIndex(&info, '?');
    }
    // Calls at(glyph, pen) for each glyph of the UTF-8 text, pen being its x from the start with
    // kerning applied; returns the pen after the last advance.
    template <class At>
    float lay_out(const std::string& s, float sc, At at) const {
        float pen = 0;
        int prev = 0;
        for (size_t i = 0; i < s.size();) {
            const int g = glyph_or_question(next_code_point(s, i));
            if (prev) pen += static_cast<float>(stbtt_GetGlyphKernAdvance(&info, prev, g)) * sc;
            at(g, pen);
            int advance = 0, lsb = 0;
            stbtt_GetGlyphHMetrics(&info, g, &advance, &lsb);
            pen += static_cast<float>(advance) * sc;
            prev = g;
        }
        return pen;
    }
};

ChartFont::ChartFont(const std::string& path) {
    std::FILE* f = std::fopen(path.c_str(), "rb");
    if (!f) return;
    auto tt = std::make_unique<TrueType>();
    unsigned char buf[1 << 16];
    for (size_t n; (n = std::fread(buf, 1, sizeof buf, f)) > 0;) tt->data.insert(tt->data.end(), buf, buf + n);
    std::fclose(f);
    // stb_truetype trusts its input: at least a table directory's header before it looks.
    const int offset = tt->data.size() < 12 ? -1 : stbtt_GetFontOffsetForIndex(tt->data.data(), 0);
    if (offset < 0 || !stbtt_InitFont(&tt->info, tt->data.data(), offset)) return;
    int x0 = 0, y0 = 0, x1 = 0, y1 = 0;
    if (!stbtt_GetCodepointBox(&tt->info, 'H', &x0, &y0, &x1, &y1) || y1 <= 0) return;
    tt->cap_units = y1;
    tt_ = std::move(tt);
}

ChartFont::~ChartFont() = default;

const ChartFont& ChartFont::standard() {
    static const ChartFont font(kDejaVuSans);  // thread-safe, once
    return font;
}

int ChartFont::cap_height(int scale) const { return tt_ ? cap_pixels(scale) : font::text_height(scale); }

int ChartFont::line_height(int scale) const {
    if (!tt_) return font::kLineHeight * scale;
    int ascent = 0, descent = 0, gap = 0;
    stbtt_GetFontVMetrics(&tt_->info, &ascent, &descent, &gap);
    return static_cast<int>(std::ceil((ascent - descent + gap) * tt_->scale_for(scale)));
}

int ChartFont::width(const std::string& s, int scale) const {
    if (!tt_) return font::text_width(s, scale);
    return static_cast<int>(std::ceil(tt_->lay_out(s, tt_->scale_for(scale), [](int, float) {})));
}

void ChartFont::draw(Canvas& cv, int x, int y, const std::string& s, Rgb c, int scale) const {
    if (!tt_) {
        cv.text(x, y, s, c, scale);
        return;
    }
    const float sc = tt_->scale_for(scale);
    const int baseline = y + cap_height(scale);
    std::vector<unsigned char> coverage;
    tt_->lay_out(s, sc, [&](int g, float offset) {
        // Sub-pixel pen positions keep the spacing even; each glyph is rendered at its offset.
        const float pen = static_cast<float>(x) + offset;
        const float whole = std::floor(pen), shift = pen - whole;
        int x0 = 0, y0 = 0, x1 = 0, y1 = 0;
        stbtt_GetGlyphBitmapBoxSubpixel(&tt_->info, g, sc, sc, shift, 0.0f, &x0, &y0, &x1, &y1);
        const int w = x1 - x0, h = y1 - y0;
        if (w > 0 && h > 0) {
            coverage.assign(static_cast<size_t>(w) * h, 0);
            stbtt_MakeGlyphBitmapSubpixel(&tt_->info, coverage.data(), w, h, w, sc, sc, shift, 0.0f, g);
            const int gx = static_cast<int>(whole) + x0, gy = baseline + y0;
            for (int r = 0; r < h; ++r)
                for (int k = 0; k < w; ++k)
                    if (const unsigned char a = coverage[static_cast<size_t>(r) * w + k])
                        cv.blend(gx + k, gy + r, c, static_cast<float>(a) / 255.0f);
        }
    });
}

std::string ChartFont::fit(const std::string& s, int max_width, int scale) const {
    if (width(s, scale) <= max_width) return s;
    std::string cut = s;
    while (!cut.empty()) {
        do cut.pop_back();  // whole UTF-8 characters
        while (!cut.empty() && (static_cast<unsigned char>(cut.back()) & 0xC0) == 0x80);
        if (!cut.empty() && (static_cast<unsigned char>(cut.back()) & 0xC0) == 0xC0) cut.pop_back();
        if (width(cut + "...", scale) <= max_width) return cut + "...";
    }
    return "...";
}

}  // namespace nl::render
