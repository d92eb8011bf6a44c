// Exports of the app: the image grid, the histogram and the whole window as PNG with the recipe
// embedded, the tensor as .npy, the session as JSON. Files are written atomically (tensor/io/)
// and never replace an existing file unless the user confirmed it: request_export() asks first.
#pragma once
#include <string>

#include "gui/app_state.h"
#include "gui/render/image.h"

namespace nl::gui {

// <folder>/<base>-<grid|histogram|window|tensor|session>.<png|npy|json>
std::string export_path(const ExportState& e, ExportKind k);

// Exports `k` to its export_path: at once when the file does not exist, otherwise it opens the
// "Replace?" confirmation (ExportState::confirm_pending). Window shots are only scheduled: the
// main loop reads the frame back and calls write_window_png.
void request_export(AppState& s, ExportKind k);
// Writes now (the confirmation's "Replace" button calls it with overwrite = true). Never throws:
// the outcome goes to ExportState::message.
void perform_export(AppState& s, ExportKind k, const std::string& path, bool overwrite);

// The pictures behind the PNG exports, rendered on the CPU at full resolution.
render::Image grid_image(const AppState& s);       // the tensor view's grid, enlarged to >= 512 px
render::Image histogram_image(const AppState& s);  // histogram with the theoretical curve
// Writes a window capture with the recipe; throws IOError (exists without overwrite, disk...).
void write_window_png(const AppState& s, const render::Image& img, const std::string& path, bool overwrite);

}  // namespace nl::gui
