// Frame timings for --benchmark-frames (see frame_log.h).
#include "gui/frame_log.h"

#include <dirent.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>

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

void FrameLog::cpu_ms(double& main_thread, double& others) {
    main_thread = others = 0;
    const long self = static_cast<long>(::syscall(SYS_gettid));
    const double tick_ms = 1000.0 / static_cast<double>(::sysconf(_SC_CLK_TCK));
    DIR* dir = ::opendir("/proc/self/task");
    if (!dir) return;
    while (const dirent* e = ::readdir(dir)) {
        if (e->d_name[0] < '0' || e->d_name[0] > '9') continue;
        std::ifstream in(std::string("/proc/self/task/") + e->d_name + "/stat");
        std::string line;
        std::getline(in, line);
        // Fields after the ")" closing the thread name: state is field 3, utime 14, stime 15.
        const size_t close = line.rfind(')');
        if (close == std::string::npos) continue;
        std::istringstream fields(line.substr(close + 2));
        std::string f;
        double utime = 0, stime = 0;
        for (int i = 3; i <= 15 && (fields >> f); ++i) {
            if (i == 14) utime = std::stod(f);
            if (i == 15) stime = std::stod(f);
        }
        const double ms = (utime + stime) * tick_ms;
        if (std::stol(e->d_name) == self) main_thread += ms;
        else others += ms;
    }
    ::closedir(dir);
}

void FrameLog::start() { cpu_ms(main_cpu0_, other_cpu0_); }

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
    double main_cpu = 0, other_cpu = 0;
    cpu_ms(main_cpu, other_cpu);
    const double n = static_cast<double>(phases_.size());
    const double main_per = (main_cpu - main_cpu0_) / n, other_per = (other_cpu - other_cpu0_) / n;
    std::snprintf(buf, sizeof buf,
                  "benchmark: CPU per frame: main thread %.2f ms, other threads %.2f ms (rasteriser, sampling pool); "
                  "%.2f ms in all\n",
                  main_per, other_per, main_per + other_per);
    out += buf;
    return out;
}

}  // namespace nl::gui
