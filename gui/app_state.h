// The whole state of the desktop app as plain structs, one per panel. Panels are functions of
// these structs (panels.h), so tests drive them without a window, scripts and command-line flags
// set them, and sessions save them. Nothing here owns OpenGL objects.
#pragma once
#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "gui/analysis.h"
#include "gui/folder_listing.h"
#include "gui/lessons/lesson_state.h"
#include "gui/models/models_workspace.h"
#include "gui/render/image.h"
#include "gui/sampler.h"
#include "tensor/generator.h"
#include "tensor/tensor.h"

namespace nl::gui {

struct SamplerState {
    SamplerSettings settings;
    bool live = false;           // resample every frame
    SeedHistory history;
    Generator local;             // the Local-mode generator (a torch.Generator value)
    bool resample_requested = false;  // draw the next values from the stream (offset moves on)
    // Set when a recipe is opened: the next draw reseeds and starts at this offset, so the
    // recipe's tensor comes back bit for bit.
    bool restore_pending = false;
    uint64_t restore_offset = 0;

    // Filled by update() (app.h):
    Tensor tensor;                // the current sample
    SamplerSettings drawn;        // the settings `tensor` was drawn with
    SamplerSettings attempted;    // the settings of the last draw, failed or not (no retry loop)
    bool has_drawn = false;       // a draw was attempted
    uint64_t draws = 0;           // increases whenever `tensor` changes
    uint64_t offset_before = 0;   // generator offset (Philox blocks of 4 words) before the draw
    uint64_t offset_after = 0;    // ... and after it: the offset the generator shows now
    SampleTiming timing;
    std::string error;            // why the last draw failed ("" when it worked)
    std::string notice;           // what enforce_valid() corrected

    // The weights field of multinomial / categorical: the text being typed, the weights it last
    // showed (a change from elsewhere, a script or an opened recipe, refreshes it) and why the
    // last text typed was refused.
    std::string weights_text;
    std::vector<double> weights_shown;
    DistKind weights_dist = DistKind::Normal;  // whose list the field last showed
    std::string weights_error;
    // The shape before "replacement" was unticked and the shape that cuts it to (one draw per
    // category with weight > 0): ticking the box again gives the first back while the second is
    // still in place; a shape chosen in between stays.
    Shape shape_before_cut, shape_after_cut;
};

struct HistogramState {
    AnalysisOptions options;
    bool log_scale = false;
    bool show_theory = true;
    bool show_qq = true;
    Analysis analysis;            // filled by update()
    uint64_t analysed_draw = ~uint64_t(0);
    AnalysisOptions analysed_options;
    // Set by the view while the mouse is over a bar (for tests and the tooltip).
    int hovered_bin = -1;
};

enum class ViewMode { Auto, Image, Scatter, Values };

struct ImageViewState {
    ViewMode mode = ViewMode::Auto;  // Auto: images for rank 3-4 and [B,D], scatter for [N,2], values for [N]
    render::Colormap colormap = render::Colormap::Gray;
    render::ValueRange range;        // min-max, mean +- k sigma, quantiles, fixed
    bool range_chosen = false;       // set by the user (Map, range=, a session): the app never changes it
    bool rgb = true;                 // C = 3 shown as RGB; otherwise one channel through the colormap
    int channel = 0;                 // the channel shown when not RGB
    int max_images = 256;            // images drawn at most (the rest is summarised)
    bool fit = true;                 // zoom to fit the view (double-click restores it)
    float zoom = 1.0f;               // screen pixels per tensor pixel when !fit
    float pan_x = 0.0f, pan_y = 0.0f;  // offset of the image centre from the view centre, px
    float point_radius = 2.0f;       // scatter points, px

    // Filled by the view:
    std::string hover;               // "[3, 0, 12, 5] = 0.4123" under the mouse, or ""
    int grid_columns = 0, grid_tiles = 0;
    std::string shown_key;           // what the texture holds (draw and options); "" forces an upload
    std::string error;               // why the view cannot draw this tensor
};

enum class ExportKind { Grid, Histogram, Window, Npy, Session };
const char* export_kind_name(ExportKind k);  // "image grid", ...
const char* export_extension(ExportKind k);  // ".png", ".npy", ".json"

struct ExportState {
    std::string folder = ".";        // where exports go, and where the Open dialog starts
    std::string base_name = "noise"; // file names are <base>-<kind>.<ext>
    // A write waiting for "Replace?" confirmation (never overwrite without asking).
    bool confirm_pending = false;
    ExportKind pending_kind = ExportKind::Grid;
    std::string pending_path;
    // The whole window is read back after the frame is drawn: set here, done by the main loop.
    std::string window_shot_path;
    bool window_shot_overwrite = false;
    bool open_browser = false;       // show the Open dialog (PNG made by Noise Lab or session JSON)
    std::string open_path;           // the path typed in the Open dialog
    std::string browse_folder;       // the folder the Open dialog shows ("" until it first opens)
    FolderListing listing;           // what it shows of that folder, read again when it changes
    std::string message;             // result of the last export or open
    bool message_is_error = false;
};

struct StatusState {
    double frame_ms = 0.0;           // mean time from one frame to the next over the last frames
    double fps = 0.0;                // 1000 / frame_ms
    int64_t frame = 0;               // frames rendered so far
    std::deque<double> recent_ms;    // the last frame times (the first frame, with start-up, excluded)
    std::string gl_renderer;         // "llvmpipe (LLVM 15.0.6, 256 bits)"
    std::string font;                // "DejaVu Sans 16 px"
};
// Adds one frame's duration to the smoothed figures of the status bar.
void record_frame_time(StatusState& s, double ms);

struct AppState {
    SamplerState sampler;
    HistogramState histogram;
    ImageViewState image;
    ExportState exporter;
    StatusState status;
    LessonState lesson;              // the open lesson, if any (gui/lessons/lesson_app.h)
    ModelsState models;              // the Models workspace (gui/models/models_workspace.h)
    bool models_workspace = false;   // View > Models workspace: it replaces the three columns
    float ui_scale = 1.0f;           // HiDPI scale: font size and spacing
    bool quit_requested = false;     // File > Quit
    // Unattended runs (--frames, tests) place the mouse themselves: off the window by default, so
    // screenshots show no hover, or where a script's `mouse=x,y` puts it (window pixels).
    bool mouse_override = false;
    float mouse_x = -1e30f, mouse_y = -1e30f;
};

// The app's default: normal(0, 1), a 64x1x28x28 grid and its histogram, PyTorch's default seed.
AppState default_state();

}  // namespace nl::gui
