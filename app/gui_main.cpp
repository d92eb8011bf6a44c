// The desktop app: a GLFW window with an OpenGL 3.3 core context and Dear ImGui 1.86, read top
// to bottom like ImGui's example_glfw_opengl3: settings, display, window, ImGui, frame loop,
// clean-up. Everything the app shows and does lives in gui/ (state structs, panels, update,
// exports); this file owns the window, the GL context and the frame loop.
#include <malloc.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include <GLFW/glfw3.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>

#include "app/commands.h"
#include "gui/app.h"
#include "gui/export.h"
#include "gui/frame_log.h"
#include "gui/gl_util.h"
#include "gui/lessons/lesson_app.h"
#include "gui/options.h"
#include "gui/script.h"
#include "gui/texture_sink.h"
#include "tensor/backend.h"
#include "gui/theme.h"
#include "tensor/errors.h"

namespace {

void glfw_error(int code, const char* what) { std::fprintf(stderr, "noiselab: GLFW error %d: %s\n", code, what); }

// The lesson flags, taken out of argv before the sampler flags are parsed:
//   --lesson FILE.json  open a lesson preset (its settings first; other flags then override them)
//   --present           presentation mode (large fonts, clean layout)
//   --lock              lock the lesson's controls
//   --reveal            skip the lesson's prediction (unattended screenshots)
struct LessonFlags {
    std::string file;
    bool present = false, lock = false, reveal = false;
    std::string error;
};
LessonFlags take_lesson_flags(int& argc, char** argv) {
    LessonFlags f;
    int out = 1;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--lesson" || a.rfind("--lesson=", 0) == 0) {
            if (a == "--lesson") {
                if (i + 1 >= argc) f.error = "--lesson needs a file: --lesson assets/lessons/01_uniform.json";
                else f.file = argv[++i];
            } else {
                f.file = a.substr(9);
            }
        } else if (a == "--present") {
            f.present = true;
        } else if (a == "--lock") {
            f.lock = true;
        } else if (a == "--reveal") {
            f.reveal = true;
        } else {
            argv[out++] = argv[i];
        }
    }
    argc = out;
    return f;
}

using Clock = std::chrono::steady_clock;
double ms_between(Clock::time_point a, Clock::time_point b) { return std::chrono::duration<double, std::milli>(b - a).count(); }

}  // namespace

int nl::app::run_gui(int argc, char** argv) {
    using namespace nl::gui;

    // 1. Settings: defaults, then the command line (the sampler flags of `noiselab sample`).
    AppState state = default_state();
    GuiOptions opt;
    const LessonFlags lesson = take_lesson_flags(argc, argv);
    if (!lesson.error.empty()) {
        std::fprintf(stderr, "noiselab: %s\n", lesson.error.c_str());
        return kExitBadInput;
    }
    try {
        opt = parse_gui_args(argc, argv);
        if (!lesson.file.empty()) {
            try {
                open_lesson_file(state, lesson.file);
            } catch (const nl::Error& e) {
                std::fprintf(stderr, "noiselab: --lesson: %s\n", e.what());
                return kExitBadInput;
            }
            state.lesson.presentation = lesson.present;
            state.lesson.locked = lesson.lock;
            if (lesson.reveal) state.lesson.revealed = true;
        }
        apply_assignments(state, opt.settings);
    } catch (const nl::Error& e) {
        std::fprintf(stderr, "noiselab: %s\n", e.what());
        return kExitBadInput;
    }
    // A CUDA device asked for where none is usable: draw on the CPU and say so once, rather than
    // open on an empty view (the device menu greys CUDA out with the same reason).
    if (state.sampler.settings.device.is_cuda()) {
        const std::string why = nl::cuda_unavailable_reason();
        if (!why.empty()) {
            const std::string asked = state.sampler.settings.device.str();
            std::fprintf(stderr, "noiselab: %s is not available (%s); drawing on the CPU\n", asked.c_str(), why.c_str());
            state.sampler.settings.device = nl::Device::cpu();
            // The reason's first clause in the window ("no usable CUDA driver"); all of it on stderr.
            state.exporter.message = asked + " is not available (" + why.substr(0, why.find(" (")) + "): drawing on the CPU";
            state.exporter.message_is_error = true;
        }
    }
    if (opt.help) {
        std::fputs(gui_usage().c_str(), stdout);
        std::fputs("\nLessons (docs/LESSONS.md):\n"
                   "  --lesson FILE.json   open a lesson preset (assets/lessons/); other flags apply on top\n"
                   "  --present            presentation mode: large fonts, no sampler column or status bar\n"
                   "  --lock               lock the lesson's controls (the prediction stays usable)\n"
                   "  --reveal             skip the lesson's prediction (unattended screenshots)\n",
                   stdout);
        return kExitOk;
    }
    const bool benchmark = opt.benchmark_frames > 0;
    if (benchmark) state.sampler.live = true;
    // Unattended runs ignore the real pointer (Xvfb parks it mid-screen, where it would hover).
    if (opt.frames > 0 || benchmark) state.mouse_override = true;
    // Live mode allocates the same few megabytes every frame (the tensor, the statistics' copies,
    // the grid image). glibc would hand such blocks back to the kernel on free and fault them in
    // again on the next malloc, which costs more than the work itself on these VMs (4x for the
    // histogram); keeping them in the heap lets the next frame reuse them.
    mallopt(M_MMAP_THRESHOLD, 512 << 20);
    mallopt(M_TRIM_THRESHOLD, 1024 << 20);

    // 2. A display to open the window on; without one, say so once and give the CLI equivalent.
    if (!std::getenv("DISPLAY") && !std::getenv("WAYLAND_DISPLAY")) {
        std::fputs(no_display_message(state).c_str(), stderr);
        return kExitNoDisplay;
    }
    glfwSetErrorCallback(glfw_error);
    if (!glfwInit()) {
        std::fputs(no_display_message(state).c_str(), stderr);
        return kExitNoDisplay;
    }

    // 3. Window with an OpenGL 3.3 core context.
    const char* glsl_version = "#version 330 core";
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
    glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
    glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_TRUE);
    glfwWindowHint(GLFW_SCALE_TO_MONITOR, GLFW_TRUE);  // HiDPI: the window grows with the monitor's scale
    GLFWwindow* window = glfwCreateWindow(opt.width, opt.height, "Noise Lab", nullptr, nullptr);
    if (!window) {
        std::fprintf(stderr, "noiselab: could not create a window with an OpenGL 3.3 core context\n");
        glfwTerminate();
        return kExitFailure;
    }
    glfwMakeContextCurrent(window);
    bool vsync = !state.sampler.live;  // live mode runs as fast as it can
    glfwSwapInterval(vsync ? 1 : 0);

    // 4. Dear ImGui: style and font at the monitor's scale, GLFW + OpenGL3 backends.
    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;  // the layout is fixed; nothing to remember between runs
    float xscale = 1.0f, yscale = 1.0f;
    glfwGetWindowContentScale(window, &xscale, &yscale);
    state.ui_scale = opt.scale > 0 ? opt.scale : std::clamp(std::max(xscale, yscale), 1.0f, 4.0f);
    theme::apply_style(state.ui_scale);
    state.status.font = theme::load_fonts(state.ui_scale);
    ImGui_ImplGlfw_InitForOpenGL(window, true);
    ImGui_ImplOpenGL3_Init(glsl_version);
    ImGui_ImplOpenGL3_CreateDeviceObjects();  // the font atlas texture, now, to sample it nearest
    use_nearest_sampling(io.Fonts->TexID);
    if (const GLubyte* r = glGetString(GL_RENDERER)) state.status.gl_renderer = reinterpret_cast<const char*>(r);
    std::unique_ptr<TextureSink> sink = make_texture_sink(state.sampler.settings.device);
    ScriptRunner script(opt.script);

    // 5. Frame loop.
    int status = kExitOk;
    constexpr int64_t kWarmUpFrames = 10;  // not timed by --benchmark-frames
    const int64_t last_frame = benchmark ? opt.benchmark_frames + kWarmUpFrames : opt.frames;
    FrameLog log;
    Clock::time_point previous = Clock::now();
    for (int64_t frame = 1; !glfwWindowShouldClose(window) && !state.quit_requested; ++frame) {
        glfwPollEvents();
        try {
            script.before_frame(state, frame);
        } catch (const nl::Error& e) {
            std::fprintf(stderr, "noiselab: --script at frame %lld: %s\n", static_cast<long long>(frame), e.what());
            status = kExitBadInput;
            break;
        }
        const Clock::time_point t_update = Clock::now();
        update(state);  // a new sample when the settings ask for one, and its statistics
        if (vsync == state.sampler.live) {
            vsync = !state.sampler.live;
            glfwSwapInterval(vsync ? 1 : 0);
        }

        const Clock::time_point t_panels = Clock::now();
        ImGui_ImplOpenGL3_NewFrame();
        ImGui_ImplGlfw_NewFrame();
        if (state.mouse_override) io.MousePos = ImVec2(state.mouse_x, state.mouse_y);
        ImGui::NewFrame();
        draw_app(state, sink.get());
        ImGui::Render();

        const Clock::time_point t_draw = Clock::now();
        int fb_w = 0, fb_h = 0;
        glfwGetFramebufferSize(window, &fb_w, &fb_h);
        glViewport(0, 0, fb_w, fb_h);
        const ImVec4 bg = theme::window_background();  // the panels draw no background of their own
        glClearColor(bg.x, bg.y, bg.z, 1.0f);
        glClear(GL_COLOR_BUFFER_BIT);
        ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());

        // Window captures read the back buffer before it is swapped.
        ExportState& ex = state.exporter;
        if (!ex.window_shot_path.empty()) {
            try {
                write_window_png(state, read_framebuffer(fb_w, fb_h), ex.window_shot_path, ex.window_shot_overwrite);
                ex.message = "saved the window to " + ex.window_shot_path;
                ex.message_is_error = false;
            } catch (const std::exception& e) {
                ex.message = std::string("could not save the window: ") + e.what();
                ex.message_is_error = true;
            }
            ex.window_shot_path.clear();
        }
        if (frame == opt.frames && !opt.screenshot.empty()) {
            try {
                write_window_png(state, read_framebuffer(fb_w, fb_h), opt.screenshot, opt.force);
                std::printf("noiselab: wrote %s (%dx%d px, frame %lld)\n", opt.screenshot.c_str(), fb_w, fb_h,
                            static_cast<long long>(frame));
            } catch (const std::exception& e) {
                std::fprintf(stderr, "noiselab: --screenshot: %s\n", e.what());
                status = kExitFailure;
            }
        }

        const Clock::time_point t_swap = Clock::now();
        glfwSwapBuffers(window);

        const Clock::time_point now = Clock::now();
        record_frame_time(state.status, ms_between(previous, now));
        if (benchmark && frame == kWarmUpFrames) log.start();
        if (benchmark && frame > kWarmUpFrames)
            log.add({ms_between(t_update, t_panels), ms_between(t_panels, t_draw), ms_between(t_draw, t_swap), ms_between(t_swap, now),
                     ms_between(previous, now)},
                    state, sink->last_ms());
        previous = now;
        if (last_frame > 0 && frame >= last_frame) break;
    }
    if (benchmark) std::fputs(log.report(state, opt.width, opt.height).c_str(), stdout);

    // 6. Clean-up, in the reverse order of set-up.
    sink.reset();
    ImGui_ImplOpenGL3_Shutdown();
    ImGui_ImplGlfw_Shutdown();
    ImGui::DestroyContext();
    glfwDestroyWindow(window);
    glfwTerminate();
    return status;
}
