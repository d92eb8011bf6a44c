// Drawing helpers shared by the lesson visuals (ImDrawList only, no textures): small value grids,
// equality maps, labelled bars and a child window that fills a visual's rectangle. Colours follow
// gui/theme.h: blue (kSample) is the sample, orange (kTheory) marks what differs or is expected.
#pragma once
#include <string>
#include <vector>

#include <imgui.h>

#include "gui/layout.h"

namespace nl::gui::paint {

// Begins the visual's window at `r` (no title bar, scrolls if needed); always call end_visual().
void begin_visual(const char* id, const Rect& r);
void end_visual();

// A rows x cols grid of values as grey cells (min..max of `v` map to dark..light) of `cell` px,
// at the cursor, under its caption wrapped to the grid's width and padded to `caption_h` (so
// grids side by side line up: caption_height of the tallest); advances the cursor. `v` holds
// rows*cols values (fewer: the rest is blank).
void value_grid(const std::vector<double>& v, int rows, int cols, float cell, const char* caption, float caption_h = 0);
// Cells blue where a[i] == b[i] (bit for bit as doubles), orange where they differ.
void equality_grid(const std::vector<double>& a, const std::vector<double>& b, int rows, int cols, float cell, const char* caption,
                   float caption_h = 0);
// The height of a grid caption wrapped to `width` pixels.
float caption_height(const char* caption, float width);
// Counts of a == b.
int count_equal(const std::vector<double>& a, const std::vector<double>& b);

// A table cell: its text, in `colour` (alpha 0: the normal text colour).
struct Cell {
    std::string text;
    ImVec4 colour = ImVec4(0, 0, 0, 0);
};
// A table of text cells under a header row, in the current font when it fits the room left on
// the line; a larger font (presentation mode) that does not is scaled down to the size that
// fits, and only below the normal text font does the table use that font (the large font made
// lesson 10's seven columns twice as wide as the visual and cut every cell).
void text_table(const char* id, const std::vector<std::string>& headers, const std::vector<std::vector<Cell>>& rows);

// Vertical bars of `values` (>= 0) scaled to `max_value`, filling a w x h box at the cursor, with
// optional overlay markers (orange ticks) at `marks` (same length, or empty). Bars in
// `highlight` colour where highlight_mask[i] (if given).
void bars(const std::vector<double>& values, double max_value, float w, float h, const std::vector<double>& marks = {},
          const std::vector<bool>& highlight_mask = {}, ImU32 highlight = 0);

}  // namespace nl::gui::paint
