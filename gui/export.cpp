// Exports (see export.h).
#include "gui/export.h"

#include <algorithm>
#include <sys/stat.h>

#include "gui/grid_view.h"
#include "gui/session.h"
#include "tensor/errors.h"
#include "tensor/io/npy.h"
#include "tensor/io/png.h"

namespace nl::gui {

namespace {

bool file_exists(const std::string& path) {
    struct stat st;
    return ::stat(path.c_str(), &st) == 0;
}

const char* kind_suffix(ExportKind k) {
    switch (k) {
        case ExportKind::Grid: return "grid";
        case ExportKind::Histogram: return "histogram";
        case ExportKind::Window: return "window";
        case ExportKind::Npy: return "tensor";
        case ExportKind::Session: return "session";
    }
    return "export";
}

}  // namespace

const char* export_kind_name(ExportKind k) {
    switch (k) {
        case ExportKind::Grid: return "image grid";
        case ExportKind::Histogram: return "histogram";
        case ExportKind::Window: return "window";
        case ExportKind::Npy: return "tensor";
        case ExportKind::Session: return "session";
    }
    return "export";
}

const char* export_extension(ExportKind k) {
    switch (k) {
        case ExportKind::Npy: return ".npy";
        case ExportKind::Session: return ".json";
        default: return ".png";
    }
}

std::string export_path(const ExportState& e, ExportKind k) {
    std::string folder = e.folder.empty() ? "." : e.folder;
    if (folder.back() != '/') folder += '/';
    const std::string base = e.base_name.empty() ? "noise" : e.base_name;
    return folder + base + "-" + kind_suffix(k) + export_extension(k);
}

void request_export(AppState& s, ExportKind k) {
    const std::string path = export_path(s.exporter, k);
    if (file_exists(path)) {
        s.exporter.confirm_pending = true;
        s.exporter.pending_kind = k;
        s.exporter.pending_path = path;
        return;
    }
    perform_export(s, k, path, false);
}

void perform_export(AppState& s, ExportKind k, const std::string& path, bool overwrite) {
    ExportState& e = s.exporter;
    try {
        switch (k) {
            case ExportKind::Grid: {
                const render::Image img = grid_image(s);
                io::write_png(path, img.rgba.data(), img.width, img.height, 4, png_texts(s, "grid"), overwrite);
                break;
            }
            case ExportKind::Histogram: {
                const render::Image img = histogram_image(s);
                io::write_png(path, img.rgba.data(), img.width, img.height, 4, png_texts(s, "histogram"), overwrite);
                break;
            }
            case ExportKind::Window:
                e.window_shot_path = path;
                e.window_shot_overwrite = overwrite;
                e.message = "capturing the window to " + path + " ...";
                e.message_is_error = false;
                return;
            case ExportKind::Npy:
                if (!s.sampler.tensor.defined()) throw ValueError("no tensor to export yet");
                io::save_npy(path, s.sampler.tensor, overwrite);
                break;
            case ExportKind::Session: save_session(s, path, overwrite); break;
        }
        e.message = std::string("saved the ") + export_kind_name(k) + " to " + path;
        e.message_is_error = false;
    } catch (const std::exception& ex) {
        e.message = std::string("could not save the ") + export_kind_name(k) + ": " + ex.what();
        e.message_is_error = true;
    }
}

render::Image grid_image(const AppState& s) {
    if (!s.sampler.tensor.defined()) throw ValueError("no tensor to export yet");
    const GridView g = make_grid_view(s.sampler.tensor, s.image);
    render::GridOptions o = grid_options(g, s.image);
    // Small grids are enlarged by whole pixels so the file is pleasant to look at.
    const int side = std::max(g.width, g.height);
    o.scale = std::clamp(512 / std::max(side, 1), 1, 16);
    o.padding = g.padding * o.scale > 0 ? std::max(1, o.scale / 2) : 0;
    return render::image_grid(g.tensor, o);
}

render::Image histogram_image(const AppState& s) {
    const Analysis& a = s.histogram.analysis;
    if (!a.valid) throw ValueError("no histogram to export yet" + (a.error.empty() ? std::string() : ": " + a.error));
    render::ChartOptions o;
    o.width = 1000;
    o.height = 625;
    o.log_scale = s.histogram.log_scale;
    o.title = describe(s.sampler.drawn) + "  " + shape_str(s.sampler.drawn.shape) + "  seed " + std::to_string(s.sampler.drawn.seed);
    const bool theory = s.histogram.show_theory && a.theory_shown;
    return render::histogram_chart(a.hist, theory ? &a.dist : nullptr, o);
}

void write_window_png(const AppState& s, const render::Image& img, const std::string& path, bool overwrite) {
    io::write_png(path, img.rgba.data(), img.width, img.height, 4, png_texts(s, "window"), overwrite);
}

}  // namespace nl::gui
