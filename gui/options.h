// The desktop app's command line: the sampler flags of `noiselab sample` (--dist --seed --shape
// --dtype --device and the distribution's parameters) and every other app setting as --key VALUE
// (the keys of script.h), plus flags that run the app unattended: --screenshot FILE --frames N
// (render N frames, write the window as PNG, exit), --script TEXT, --benchmark-frames N.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "gui/script.h"

namespace nl::gui {

// Exit statuses of the app (documented in docs/GUI.md and --help).
constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;    // GL/window failure, a file could not be written
constexpr int kExitBadInput = 2;   // a bad flag, value or script
constexpr int kExitNoDisplay = 3;  // no display to open a window on (DISPLAY / WAYLAND_DISPLAY unset)

struct GuiOptions {
    std::vector<Assignment> settings;  // initial state, applied with apply_assignments
    std::string screenshot;            // write the window as PNG after `frames` frames, then exit
    int64_t frames = 0;                // frames to render before exiting (0: run until closed)
    std::vector<ScriptStep> script;
    int64_t benchmark_frames = 0;      // live mode, vsync off, N frames, print frame times, exit
    int width = 1280, height = 800;    // initial window size in screen coordinates
    float scale = 0.0f;                // HiDPI scale; 0: from the monitor's content scale
    bool force = false;                // the screenshot may replace an existing file
    bool help = false;
};

// Parses argv[1..argc) (argv[0] is the program). Throws ValueError naming the bad flag or value.
GuiOptions parse_gui_args(int argc, char** argv);
std::string gui_usage();

// The message printed when there is no display, with the command line that does the same
// work without a window.
std::string no_display_message(const AppState& s);

}  // namespace nl::gui
