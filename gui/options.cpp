// Command-line flags of the desktop app (see options.h).
#include "gui/options.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "gui/text_util.h"
#include "tensor/errors.h"

namespace nl::gui {

namespace {

// Settings that read as switches: `--live` alone means on.
bool is_switch(const std::string& key) {
    return key == "live" || key == "log" || key == "theory" || key == "qq" || key == "rgb" || key == "resample" ||
           key == "replacement";
}

int64_t parse_count(const std::string& flag, const std::string& v, int64_t lo, int64_t hi) {
    char* end = nullptr;
    const long long n = std::strtoll(v.c_str(), &end, 10);
    if (v.empty() || *end != '\0' || n < lo || n > hi)
        throw ValueError(flag + " " + v + ": expected an integer in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]");
    return n;
}

}  // namespace

GuiOptions parse_gui_args(int argc, char** argv) {
    GuiOptions o;
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        if (arg == "-h" || arg == "--help") {
            o.help = true;
            continue;
        }
        if (arg.rfind("--", 0) != 0 || arg.size() == 2)
            throw ValueError("unexpected argument '" + arg + "'; flags start with -- (see --help)");
        std::string key = arg.substr(2), value;
        bool has_value = false;
        const size_t eq = key.find('=');
        if (eq != std::string::npos) {
            value = key.substr(eq + 1);
            key = key.substr(0, eq);
            has_value = true;
        }
        auto take = [&]() -> std::string {
            if (has_value) return value;
            if (i + 1 >= argc) throw ValueError("--" + key + " needs a value (see --help)");
            return argv[++i];
        };
        if (key == "screenshot") {
            o.screenshot = take();
            if (o.screenshot.empty()) throw ValueError("--screenshot needs a file name");
        } else if (key == "frames") {
            o.frames = parse_count("--frames", take(), 1, 1000000);
        } else if (key == "script") {
            const std::vector<ScriptStep> steps = parse_script(take());
            o.script.insert(o.script.end(), steps.begin(), steps.end());
        } else if (key == "benchmark-frames") {
            o.benchmark_frames = parse_count("--benchmark-frames", take(), 1, 1000000);
        } else if (key == "width") {
            o.width = static_cast<int>(parse_count("--width", take(), 320, 16384));
        } else if (key == "height") {
            o.height = static_cast<int>(parse_count("--height", take(), 240, 16384));
        } else if (key == "scale") {
            const std::string v = take();
            char* end = nullptr;
            const double s = std::strtod(v.c_str(), &end);
            if (v.empty() || *end != '\0' || !(s >= 0.5 && s <= 4.0))
                throw ValueError("--scale " + v + ": expected a factor in [0.5, 4]");
            o.scale = static_cast<float>(s);
        } else if (key == "force") {
            o.force = true;
        } else if (key == "session") {
            o.settings.push_back({"open", take()});
        } else if (key == "no-replacement") {  // as `noiselab sample` spells it
            o.settings.push_back({"replacement", "off"});
        } else {
            // Every other flag is a setting (script.h's keys): --dist normal, --std 2, --live.
            Assignment a = parse_assignment(key);
            if (has_value) a.value = value;
            else if (is_switch(a.key) && (i + 1 >= argc || std::string(argv[i + 1]).rfind("--", 0) == 0)) a.value = "on";
            else a.value = take();
            o.settings.push_back(a);
        }
    }
    // The sampler flags mean what they mean to `noiselab sample`: there, and in PyTorch, multinomial
    // draws without replacement unless --replacement is given (the panel starts with it on).
    const auto has = [&](const char* k) {
        return std::any_of(o.settings.begin(), o.settings.end(), [&](const Assignment& a) { return a.key == k; });
    };
    const bool multinomial = std::any_of(o.settings.begin(), o.settings.end(), [](const Assignment& a) {
        return a.key == "dist" && lower_ascii(a.value) == "multinomial";
    });
    if (multinomial && !has("replacement")) o.settings.push_back({"replacement", "off"});
    if (o.frames == 0 && !o.screenshot.empty()) o.frames = 30;
    if (o.benchmark_frames > 0 && !o.screenshot.empty() && o.frames == 0) o.frames = o.benchmark_frames;
    return o;
}

std::string gui_usage() {
    std::string keys;
    for (const auto& [k, what] : assignment_keys()) {
        std::string flag = "  --" + k;
        if (flag.size() < 30) flag.resize(30, ' ');
        keys += flag + " " + what + "\n";
    }
    return "Usage: noiselab [SETTINGS] [--screenshot FILE [--frames N]] [--script TEXT]\n"
           "\n"
           "Opens the Noise Lab window (normal noise, a 64x1x28x28 grid and its histogram by default).\n"
           "Settings (the sampler flags of `noiselab sample` and every app setting):\n" +
           keys +
           "  --session FILE               open a session .json or a PNG made by Noise Lab\n"
           "\n"
           "Unattended runs:\n"
           "  --screenshot FILE            render the frames, write the window as PNG (recipe embedded), exit\n"
           "  --frames N                   frames to render before exiting (default 30 with --screenshot)\n"
           "  --force                      let --screenshot replace an existing file\n"
           "  --script TEXT                change settings between frames, e.g.\n"
           "                               \"frame 5: seed=7; frame 10: dist=uniform high=3\"\n"
           "  --benchmark-frames N         live mode, vsync off: render N frames, print frame times, exit\n"
           "  --width N --height N         window size (default 1280x800)\n"
           "  --scale F                    HiDPI scale, 0.5 to 4 (default: the monitor's)\n"
           "\n"
           "Exit status: 0 ok, 1 failure (window, OpenGL, file), 2 bad flag or value, 3 no display.\n"
           "Without a display, use `noiselab sample` (the message says which command does the same).\n";
}

std::string no_display_message(const AppState& s) {
    return "noiselab: no display to open the window on (DISPLAY and WAYLAND_DISPLAY are not set).\n"
           "The same sample on the command line:\n  " +
           cli_equivalent(s.sampler.settings, s.sampler.restore_pending ? s.sampler.restore_offset : 0) +
           "\n(run under `xvfb-run -a noiselab ...` for screenshots without a screen; exit status 3)\n";
}

}  // namespace nl::gui
