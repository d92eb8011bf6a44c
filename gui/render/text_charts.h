// Images of the character model's output for `noiselab lm --out`: a sheet of sampled words under a
// title line, and the next-character distribution as labelled bars. Drawn with the built-in font
// on the charts' white background, so a PNG reads like the GUI's language-model panel.
#pragma once
#include <string>
#include <vector>

#include "gui/render/image.h"

namespace nl::render {

// The words in `columns` columns (filled down, then across), one per line, under `title`
// (omitted when empty). Text is drawn at `scale` (1-8); the image is as large as the text needs,
// at least 200 pixels wide. ValueError for columns outside [1, 64] or scale outside [1, 8].
Image word_sheet(const std::string& title, const std::vector<std::string>& words, int columns = 4, int scale = 2);

// A bar per label, the tallest p at full height, the label under each bar and its value ("0.31",
// "<.01") above it where the slot is wide enough, on a chart of opts.width x opts.height under
// opts.title.
// ValueError when labels and p differ in size, p is empty, or a value is negative or not finite.
Image probability_bars(const std::vector<std::string>& labels, const std::vector<double>& p, const ChartOptions& opts = {});

}  // namespace nl::render
