// The menu bar, the status bar and the modal dialogs (Replace file?, Open).
#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <string>
#include <vector>

#include <imgui.h>

#include "gui/export.h"
#include "gui/fill.h"
#include "gui/grid_view.h"
#include "gui/lessons/lesson_app.h"
#include "gui/panels.h"
#include "gui/session.h"
#include "gui/text_fit.h"
#include "gui/theme.h"
#include "tensor/number_text.h"

namespace nl::gui {

namespace {

constexpr const char* kReplacePopup = "Replace file?";
constexpr const char* kOpenPopup = "Open";

void open_path(AppState& s, const std::string& path) {
    ExportState& e = s.exporter;
    try {
        open_file(s, path);
        s.exporter.message = "opened " + path;
        s.exporter.message_is_error = false;
    } catch (const std::exception& ex) {
        e.message = std::string("could not open ") + path + ": " + ex.what();
        e.message_is_error = true;
    }
}

}  // namespace

float draw_menu_bar(AppState& s) {
    float h = 0;
    // The bar's background is filled below (fill.h), not by ImGui.
    ImGui::PushStyleColor(ImGuiCol_WindowBg, ImVec4(0, 0, 0, 0));
    const bool open = ImGui::BeginMainMenuBar();
    ImGui::PopStyleColor();
    if (open) {
        if (ImGui::BeginMenu("File")) {
            if (ImGui::MenuItem("Open...", "")) s.exporter.open_browser = true;
            tooltip("Open a PNG made by Noise Lab (restores its settings) or a session .json.");
            if (ImGui::MenuItem("Save session")) request_export(s, ExportKind::Session);
            tooltip("Save every setting as JSON (asks before replacing a file).");
            ImGui::Separator();
            if (ImGui::MenuItem("Export image grid (PNG)")) request_export(s, ExportKind::Grid);
            tooltip("The image grid at full resolution with the recipe embedded.");
            if (ImGui::MenuItem("Export histogram (PNG)")) request_export(s, ExportKind::Histogram);
            tooltip("The histogram with its theoretical curve, recipe embedded.");
            if (ImGui::MenuItem("Export window (PNG)")) request_export(s, ExportKind::Window);
            tooltip("A screenshot of the whole window, recipe embedded.");
            if (ImGui::MenuItem("Export tensor (.npy)")) request_export(s, ExportKind::Npy);
            tooltip("The tensor for NumPy: np.load(\"noise-tensor.npy\").");
            ImGui::Separator();
            if (ImGui::MenuItem("Quit")) s.quit_requested = true;
            tooltip("Close Noise Lab.");
            ImGui::EndMenu();
        }
        if (ImGui::BeginMenu("View")) {
            ImGui::MenuItem("Live mode", "L", &s.sampler.live);
            tooltip("Resample every frame, vsync off.");
            ImGui::MenuItem("Log scale", nullptr, &s.histogram.log_scale);
            tooltip("Logarithmic density axis of the histogram.");
            ImGui::MenuItem("Theoretical curve", nullptr, &s.histogram.show_theory);
            tooltip("Density or mass of the distribution over the histogram.");
            ImGui::MenuItem("QQ plot", nullptr, &s.histogram.show_qq);
            tooltip("Sample quantiles against theoretical quantiles.");
            if (ImGui::MenuItem("Fit image", "F")) {
                s.image.fit = true;
                s.image.pan_x = s.image.pan_y = 0;
            }
            tooltip("Zoom the image grid to fit its view.");
            ImGui::Separator();
            ImGui::MenuItem("Models workspace", nullptr, &s.models_workspace);
            tooltip("Diffusion, GAN, VAE and character-model panels: our noise through the shipped networks.");
            ImGui::EndMenu();
        }
        draw_lessons_menu(s);
        if (ImGui::BeginMenu("Help")) {
            ImGui::TextUnformatted("Keyboard");
            ImGui::Separator();
            ImGui::TextUnformatted("Space   resample (next values of the stream)");
            ImGui::TextUnformatted("L          live mode on / off");
            ImGui::TextUnformatted("N          a new random seed");
            ImGui::TextUnformatted("F          fit the image grid");
            ImGui::Separator();
            ImGui::TextUnformatted("Mouse: wheel zooms the grid, drag pans, double-click fits.");
            ImGui::TextUnformatted("Hover any control for what it does and its valid range.");
            ImGui::EndMenu();
        }
        // Right-aligned: what is shown, like a document title.
        char title[200];
        if (s.models_workspace)
            std::snprintf(title, sizeof title, "%s", models_title(s.models).c_str());
        else
            std::snprintf(title, sizeof title, "%s  %s  seed %" PRIu64 "%s%s", describe(s.sampler.drawn).c_str(),
                          shape_str(s.sampler.drawn.shape).c_str(), s.sampler.drawn.seed,
                          s.sampler.drawn.engine == Engine::Philox ? "" : "  engine ",
                          s.sampler.drawn.engine == Engine::Philox ? "" : engine_name(s.sampler.drawn.engine));
        // Against the bar's right edge; in a narrow window cut with an ellipsis after the menus.
        // Measured from the last menu in screen pixels: SameLine's position would count from
        // the menu bar's own offset.
        const float right = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
        const float after_menus = ImGui::GetItemRectMax().x + 20;
        const std::string shown = fit_with_ellipsis(title, std::max(right - after_menus, 0.0f));
        ImGui::SameLine(0, std::max(20.0f, right - ImGui::CalcTextSize(shown.c_str()).x - ImGui::GetItemRectMax().x));
        ImGui::TextColored(theme::text_dim(), "%s", shown.c_str());
        tooltip(s.models_workspace ? "The model panel on screen and its seed." : "The distribution, shape and seed of the tensor on screen.");
        h = ImGui::GetWindowSize().y;
        ImGui::EndMainMenuBar();
    }
    fill_background(ImVec2(0, 0), ImVec2(ImGui::GetIO().DisplaySize.x, h), Background::Bar);
    return h;
}


void draw_status_bar(const AppState& s, const TextureSink* sink, const Rect& r) {
    ImGui::SetNextWindowPos(ImVec2(r.x, r.y));
    ImGui::SetNextWindowSize(ImVec2(r.w, r.h));
    const ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                                   ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoScrollWithMouse |
                                   ImGuiWindowFlags_NoBackground;
    fill_background(ImVec2(r.x, r.y), ImVec2(r.right(), r.bottom()), Background::Bar);
    if (ImGui::Begin(kStatusWindow, nullptr, flags)) {
        const StatusState& st = s.status;
        const SamplerState& sp = s.sampler;
        ImGui::Text("Frame %.1f ms (%.0f frames/s)", st.frame_ms, st.fps);
        tooltip("Time per frame (the mean of the last 30 frames) and frames per second. Live mode turns vsync off.");
        // The sampler's timings and offset belong to its tensor, not shown in the models workspace.
        if (!s.models_workspace) {
            ImGui::SameLine(0, ImGui::GetFontSize() * 1.5f);
            ImGui::TextColored(theme::text_dim(), "sample %s", timing_text(sp.timing).c_str());
            tooltip("The last draw: wall time and output bytes per second.");
            ImGui::SameLine(0, ImGui::GetFontSize() * 1.5f);
            ImGui::TextColored(theme::text_dim(), "stats %.2f ms", s.histogram.analysis.ms);
            tooltip("Time of the histogram, moments, test and QQ points of the last sample.");
            const bool grid = sp.tensor.defined() && resolve_view(s.image.mode, sp.tensor.shape()) == ViewMode::Image;
            if (sink && grid) {
                ImGui::SameLine(0, ImGui::GetFontSize() * 1.5f);
                ImGui::TextColored(theme::text_dim(), "image %.2f ms (%s)", sink->last_ms(), sink->path_name());
                tooltip("Time to build and upload the image grid the last time it changed, and the path it took.");
            }
            ImGui::SameLine(0, ImGui::GetFontSize() * 1.5f);
            ImGui::TextColored(theme::text_dim(), "offset %s blocks", group_digits(static_cast<int64_t>(sp.offset_after)).c_str());
            tooltip("Generator offset in Philox blocks (4 words each) after the last draw.");
            if (sp.live) {
                ImGui::SameLine(0, ImGui::GetFontSize() * 1.5f);
                ImGui::TextColored(theme::text_ok(), "\xE2\x97\x8F LIVE");  // ●
                tooltip("Live mode: a new sample every frame (press L to stop).");
            }
        }
        // Messages on the right: the last error wins over the last export result. A message wider
        // than the room left after the timings is cut with an ellipsis (the tooltip has all of
        // it); it once ran over the timings.
        const std::string& msg = !sp.error.empty() ? sp.error : s.exporter.message;
        if (!msg.empty()) {
            const bool err = !sp.error.empty() || s.exporter.message_is_error;
            const float left = ImGui::GetItemRectMax().x - ImGui::GetWindowPos().x + ImGui::GetFontSize();
            const float right = ImGui::GetWindowWidth() - ImGui::GetStyle().WindowPadding.x;
            const std::string shown = fit_with_ellipsis(msg, right - left);
            const float w = ImGui::CalcTextSize(shown.c_str()).x;
            ImGui::SameLine(std::max(left, right - w));
            ImGui::TextColored(err ? theme::text_error() : theme::text_ok(), "%s", shown.c_str());
            tooltip(msg.c_str());
        }
    }
    ImGui::End();
}

void draw_dialogs(AppState& s) {
    ExportState& e = s.exporter;
    // The panels' title bars are filled by fill.h and ImGui's title colours are transparent;
    // dialogs float over the panels, so they get their title bar back here.
    const ImVec4 title = ImGui::ColorConvertU32ToFloat4(theme::kTitleBackground);
    ImGui::PushStyleColor(ImGuiCol_TitleBg, title);
    ImGui::PushStyleColor(ImGuiCol_TitleBgActive, title);
    if (e.confirm_pending && !ImGui::IsPopupOpen(kReplacePopup)) ImGui::OpenPopup(kReplacePopup);
    ImGui::SetNextWindowPos(ImGui::GetMainViewport()->GetCenter(), ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
    if (ImGui::BeginPopupModal(kReplacePopup, nullptr, ImGuiWindowFlags_AlwaysAutoResize)) {
        ImGui::Text("%s already exists.", e.pending_path.c_str());
        ImGui::Text("Replace it with the %s?", export_kind_name(e.pending_kind));
        ImGui::Spacing();
        const float w = ImGui::GetFontSize() * 7;
        if (ImGui::Button("Replace", ImVec2(w, 0))) {
            perform_export(s, e.pending_kind, e.pending_path, true);
            e.confirm_pending = false;
            ImGui::CloseCurrentPopup();
        }
        tooltip("Write over the existing file (atomically: it is replaced only once the new one is complete).");
        ImGui::SameLine();
        if (ImGui::Button("Cancel", ImVec2(w, 0)) || ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape))) {
            e.confirm_pending = false;
            e.message = "kept " + e.pending_path + " (not replaced)";
            e.message_is_error = false;
            ImGui::CloseCurrentPopup();
        }
        tooltip("Keep the existing file; change the name in the Export section to write another.");
        ImGui::EndPopup();
    }

    if (e.open_browser && !ImGui::IsPopupOpen(kOpenPopup)) {
        ImGui::OpenPopup(kOpenPopup);
        e.open_browser = false;
    }
    const ImVec2 ds = ImGui::GetIO().DisplaySize;
    ImGui::SetNextWindowSize(ImVec2(std::min(ds.x * 0.6f, ImGui::GetFontSize() * 36), std::min(ds.y * 0.7f, ImGui::GetFontSize() * 28)),
                             ImGuiCond_Appearing);
    ImGui::SetNextWindowPos(ImGui::GetMainViewport()->GetCenter(), ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
    if (ImGui::BeginPopupModal(kOpenPopup, nullptr, ImGuiWindowFlags_NoSavedSettings)) {
        if (e.browse_folder.empty()) e.browse_folder = e.folder.empty() ? "." : e.folder;
        if (e.listing.folder != e.browse_folder || e.listing.absolute.empty()) e.listing = list_openable(e.browse_folder);
        const FolderListing& L = e.listing;
        text_wrapped("Open a PNG made by Noise Lab (its settings come back) or a session .json.");
        // The folder: up one level, the path, a fresh read.
        if (ImGui::ArrowButton("##up", ImGuiDir_Up)) e.browse_folder = parent_folder(e.browse_folder);
        tooltip("The folder above this one.");
        ImGui::SameLine();
        if (ImGui::SmallButton("Refresh")) e.listing = list_openable(e.browse_folder);
        tooltip("Read the folder again (files written since the dialog opened).");
        ImGui::SameLine();
        text_fitted(theme::text_dim(), L.absolute);
        const float list_h = ImGui::GetContentRegionAvail().y - ImGui::GetFrameHeightWithSpacing() * 2.2f;
        std::string enter;  // a folder clicked this frame: entered after the list is drawn
        if (ImGui::BeginChild("##files", ImVec2(0, std::max(list_h, 60.0f)), true)) {
            if (!L.error.empty()) text_wrapped(theme::text_error(), L.error);
            else if (L.folders.empty() && L.files.empty()) ImGui::TextColored(theme::text_dim(), "(no folders, .png or .json files here)");
            for (const std::string& d : L.folders) {
                if (ImGui::Selectable((d + "/").c_str(), false)) enter = join_path(e.browse_folder, d);
                tooltip("A folder: click to look inside.");
            }
            for (const std::string& f : L.files) {
                const std::string full = join_path(e.browse_folder, f);
                if (ImGui::Selectable(f.c_str(), e.open_path == full, ImGuiSelectableFlags_AllowDoubleClick)) {
                    e.open_path = full;
                    if (ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left)) {
                        open_path(s, full);
                        ImGui::CloseCurrentPopup();
                    }
                }
                tooltip("Click to select, double-click to open.");
            }
            if (L.truncated)
                ImGui::TextColored(theme::text_dim(), "(the first %zu entries; type a path below for the others)", FolderListing::kMaxEntries);
        }
        ImGui::EndChild();
        if (!enter.empty()) e.browse_folder = enter;
        char buf[1024];
        std::snprintf(buf, sizeof buf, "%s", e.open_path.c_str());
        ImGui::SetNextItemWidth(-1);
        if (ImGui::InputTextWithHint("##openpath", "a file to open, or a folder to show", buf, sizeof buf)) e.open_path = buf;
        tooltip("Path of the file to open, or of a folder to look inside (relative to where Noise Lab started).");
        const float w = ImGui::GetFontSize() * 7;
        ImGui::BeginDisabled(e.open_path.empty());
        if (ImGui::Button("Open", ImVec2(w, 0))) {
            if (is_folder(e.open_path)) {  // a typed folder: show it
                e.browse_folder = e.open_path;
                e.open_path.clear();
            } else {
                open_path(s, e.open_path);
                ImGui::CloseCurrentPopup();
            }
        }
        ImGui::EndDisabled();
        tooltip("Restore the settings stored in this file.");
        ImGui::SameLine();
        if (ImGui::Button("Cancel", ImVec2(w, 0)) || ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape))) ImGui::CloseCurrentPopup();
        tooltip("Close without opening anything.");
        ImGui::EndPopup();
    }
    ImGui::PopStyleColor(2);
}

}  // namespace nl::gui
