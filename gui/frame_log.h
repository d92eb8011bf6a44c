// Frame timings for --benchmark-frames: each frame's phases are recorded and the report gives
// the frame rate with its mean, median and 95th percentile, and the median of every phase, so
// a slow frame can be traced to sampling, statistics, the grid, or the OpenGL draw and swap.
#pragma once
#include <string>
#include <vector>

#include "gui/app_state.h"

namespace nl::gui {

struct FramePhases {
    double update_ms = 0;  // update(): sampling and statistics
    double panels_ms = 0;  // building the panels (the grid's pixels and upload included)
    double draw_ms = 0;    // ImGui's OpenGL draw calls
    double swap_ms = 0;    // the buffer swap (where a software rasteriser does its work)
    double total_ms = 0;   // from the previous frame's end to this one's
};

class FrameLog {
public:
    // Records a frame with the sampler's, analysis's and grid's own times from `s`.
    void add(const FramePhases& p, const AppState& s, double image_ms);
    size_t frames() const { return phases_.size(); }
    // Three lines starting "benchmark:", describing the sample, the window and the figures.
    std::string report(const AppState& s, int width, int height) const;

private:
    std::vector<FramePhases> phases_;
    std::vector<double> sample_ms_, stats_ms_, image_ms_;
};

}  // namespace nl::gui
