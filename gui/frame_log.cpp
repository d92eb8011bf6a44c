// Frame timings for --benchmark-frames (see frame_log.h).
#include "gui/frame_log.h"

#include <algorithm>
#include <cstdio>

namespace nl::gui {

namespace {

double percentile(std::vector<double> v, double p) {
    if (v.empty()) return 0.0;
    std::sort(v.begin(), v.end());
    return v[static_cast<size_t>(p * static_cast<double>(v.size() - 1) + 0.5)];
}

template <class F>
std::vector<double> column(const std::vector<FramePhases>& ps, F f) {
    std::vector<double> out;
    out.reserve(ps.size());
    for (const FramePhases& p : ps) out.push_back(f(p));
    return out;
}

}  // namespace

void FrameLog::add(const FramePhases& p, const AppState& s, double image_ms) {
    phases_.push_back(p);
    sample_ms_.push_back(s.sampler.timing.ms);
    stats_ms_.push_back(s.histogram.analysis.ms);
    image_ms_.push_back(image_ms);
}

std::string FrameLog::report(const AppState& s, int width, int height) const {
    if (phases_.empty()) return "benchmark: no frames recorded\n";
    const std::vector<double> total = column(phases_, [](const FramePhases& p) { return p.total_ms; });
    double sum = 0;
    for (double v : total) sum += v;
    const double mean = sum / static_cast<double>(total.size());
    char buf[1024];
    std::string out;
    std::snprintf(buf, sizeof buf, "benchmark: %zu frames, live mode, vsync off, %s %s %s on %s, %dx%d window, %s\n", phases_.size(),
                  describe(s.sampler.drawn).c_str(), shape_str(s.sampler.drawn.shape).c_str(), dtype_name(s.sampler.drawn.dtype),
                  s.sampler.drawn.device.str().c_str(), width, height, s.status.gl_renderer.c_str());
    out += buf;
    std::snprintf(buf, sizeof buf, "benchmark: %.1f frames/s: frame mean %.2f ms, median %.2f ms, p95 %.2f ms\n", 1000.0 / mean, mean,
                  percentile(total, 0.5), percentile(total, 0.95));
    out += buf;
    std::snprintf(buf, sizeof buf,
                  "benchmark: medians: update %.2f ms (sample %.2f, stats %.2f), panels %.2f ms (grid pixels + upload %.2f), "
                  "OpenGL draw %.2f ms, swap %.2f ms\n",
                  percentile(column(phases_, [](const FramePhases& p) { return p.update_ms; }), 0.5), percentile(sample_ms_, 0.5),
                  percentile(stats_ms_, 0.5), percentile(column(phases_, [](const FramePhases& p) { return p.panels_ms; }), 0.5),
                  percentile(image_ms_, 0.5), percentile(column(phases_, [](const FramePhases& p) { return p.draw_ms; }), 0.5),
                  percentile(column(phases_, [](const FramePhases& p) { return p.swap_ms; }), 0.5));
    out += buf;
    return out;
}

}  // namespace nl::gui
