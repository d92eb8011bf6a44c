// The language model's pictures (gui/render/text_charts.h): the word sheet lays words out in
// columns sized to their widest word, and the probability bars stand in proportion to the values,
// each over its label; bad arguments are refused with the value named.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "gui/render/canvas.h"
#include "gui/render/font.h"
#include "gui/render/style.h"
#include "gui/render/text_charts.h"
#include "tensor/errors.h"

using namespace nl;
using namespace nl::render;

namespace {

// Pixels of colour c inside [x0, x1) x [y0, y1).
int count_colour(const Image& img, int x0, int y0, int x1, int y1, Rgb c) {
    int n = 0;
    for (int y = y0; y < y1; ++y)
        for (int x = x0; x < x1; ++x) n += pixel_at(img, x, y) == c;
    return n;
}

// The rows [first, last] that hold colour c in column x (first = -1 when none).
std::pair<int, int> colour_rows(const Image& img, int x, Rgb c) {
    int first = -1, last = -1;
    for (int y = 0; y < img.height; ++y)
        if (pixel_at(img, x, y) == c) {
            if (first < 0) first = y;
            last = y;
        }
    return {first, last};
}

TEST(WordSheet, ColumnsFillDownThenAcrossAndFitTheirWidestWord) {
    const std::vector<std::string> words = {"a", "bb", "ccc", "dddddddddd", "e"};
    const Image one = word_sheet("", words, 1, 1);
    const Image two = word_sheet("", words, 2, 1);
    // One column: five lines; two columns: three lines, and wider by the second column.
    EXPECT_EQ(one.height - two.height, 2 * font::kLineHeight);
    EXPECT_GT(two.width, one.width - 1);
    // The long word is the first of column 2 (rows of 3): its text starts on the first line.
    const int margin = 12, col2 = margin + font::text_width("ccc") + 3 * font::kAdvance;
    EXPECT_GT(count_colour(two, col2, margin, col2 + font::text_width("dddddddddd"), margin + font::kCapHeight, style::kText), 20);
    // ... and nothing is drawn past the text on the third line of column 2.
    EXPECT_EQ(count_colour(two, col2, margin + 2 * font::kLineHeight, two.width, two.height, style::kText), 0);
}

TEST(WordSheet, TitleSitsAboveTheWordsAndWidensTheSheet) {
    const std::string title = "a title much wider than the words";
    const Image plain = word_sheet("", {"ab", "cd"}, 1, 2);
    const Image titled = word_sheet(title, {"ab", "cd"}, 1, 2);
    EXPECT_GT(titled.height, plain.height);
    EXPECT_GE(titled.width, font::text_width(title, 2) + 2 * 24);
    EXPECT_GT(count_colour(titled, 24, 24, 24 + font::text_width(title, 2), 24 + font::text_height(2), style::kText), 50);
}

TEST(WordSheet, RefusesBadArgumentsAndSheetsTooLargeToDraw) {
    EXPECT_THROW(word_sheet("", {"a"}, 0), ValueError);
    EXPECT_THROW(word_sheet("", {"a"}, 65), ValueError);
    EXPECT_THROW(word_sheet("", {"a"}, 1, 9), ValueError);
    try {
        word_sheet("", std::vector<std::string>(2000, "word"), 1, 2);
        FAIL() << "2000 lines at scale 2 cannot fit 16384 pixels";
    } catch (const ValueError& e) {
        EXPECT_NE(std::string(e.what()).find("2000 words"), std::string::npos) << e.what();
    }
    EXPECT_NO_THROW(word_sheet("", {}, 4));  // no words: an empty sheet, not an error
}

TEST(ProbabilityBars, BarsStandInProportionOverTheirLabels) {
    ChartOptions o;
    o.width = 540;  // 27 slots of 18 pixels after the margins
    o.height = 300;
    std::vector<std::string> labels;
    std::vector<double> p(27, 0.0);
    for (int k = 0; k < 27; ++k) labels.push_back(k == 0 ? "." : std::string(1, static_cast<char>('a' + k - 1)));
    p[1] = 0.5;   // a
    p[5] = 0.25;  // e
    p[9] = 0.25;  // i
    const Image img = probability_bars(labels, p, o);
    const double slot = (o.width - 2 * 12.0) / 27.0;
    auto centre = [&](int k) { return 12 + static_cast<int>(slot * (k + 0.5)); };
    const auto [a_top, a_bottom] = colour_rows(img, centre(1), style::kBar);
    const auto [e_top, e_bottom] = colour_rows(img, centre(5), style::kBar);
    ASSERT_GE(a_top, 0);
    ASSERT_GE(e_top, 0);
    EXPECT_EQ(a_bottom, e_bottom) << "bars share the axis";
    EXPECT_NEAR(a_bottom - a_top + 1, 2 * (e_bottom - e_top + 1), 2) << "0.5 stands twice as tall as 0.25";
    EXPECT_EQ(colour_rows(img, centre(2), style::kBar).first, -1) << "a zero has no bar";
    // Every label is drawn under the axis in its own slot.
    for (int k = 0; k < 27; ++k)
        EXPECT_GT(count_colour(img, centre(k) - 4, a_bottom + 2, centre(k) + 4, img.height, style::kText), 3) << labels[k];
}

TEST(ProbabilityBars, RefusesMismatchedOrInvalidValues) {
    EXPECT_THROW(probability_bars({"a"}, {0.5, 0.5}), ValueError);
    EXPECT_THROW(probability_bars({}, {}), ValueError);
    EXPECT_THROW(probability_bars({"a", "b"}, {0.5, -0.1}), ValueError);
    EXPECT_THROW(probability_bars({"a", "b"}, {0.5, std::nan("")}), ValueError);
    EXPECT_NO_THROW(probability_bars({"a", "b"}, {0.0, 0.0}));  // all zero: axis and labels only
}

}  // namespace
