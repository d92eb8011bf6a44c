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
    // Marks the start of the timed frames: CPU time is counted from here (Linux /proc).
    void start();
    // Records a frame with the sampler's, analysis's and grid's own times from `s`.
    void add(const FramePhases& p, const AppState& s, double image_ms);
    size_t frames() const { return phases_.size(); }
    // Lines starting "benchmark:": the sample and window, the frame rate, the phases, and the CPU
    // time per frame of the main thread and of the other threads. The CPU times do not depend
    // on other processes competing for the cores, so they also say what an idle machine gives.
    std::string report(const AppState& s, int width, int height) const;

private:
    // CPU time of this process's threads so far: the calling (main) thread and all the others
    // (llvmpipe's rasteriser threads, the sampling thread pool), in ms.
    static void cpu_ms(double& main_thread, double& others);
    double main_cpu0_ = 0, other_cpu0_ = 0;
    std::vector<FramePhases> phases_;
    std::vector<double> sample_ms_, stats_ms_, image_ms_;
};

}  // namespace nl::gui
