// Frame logic of the app (see app.h).
#include "gui/app.h"

#include <algorithm>
#include <chrono>

#include <imgui.h>

#include "gui/fill.h"
#include "gui/layout.h"
#include "gui/lessons/lesson_app.h"
#include "gui/panels.h"
#include "tensor/errors.h"

namespace nl::gui {

namespace {

bool same_options(const AnalysisOptions& a, const AnalysisOptions& b) {
    return a.auto_bins == b.auto_bins && a.bins == b.bins && a.auto_range == b.auto_range && a.lo == b.lo && a.hi == b.hi &&
           a.test_samples == b.test_samples && a.qq_points == b.qq_points && a.max_values == b.max_values &&
           a.untested == b.untested && a.no_theory == b.no_theory;
}

void handle_shortcuts(AppState& s) {
    const ImGuiIO& io = ImGui::GetIO();
    if (io.WantTextInput || ImGui::IsPopupOpen(nullptr, ImGuiPopupFlags_AnyPopupId) || io.KeyCtrl || io.KeyAlt) return;
    if (s.lesson.active && s.lesson.locked) return;  // a locked lesson ignores stray keys
    // GLFW key codes of letters are their upper-case ASCII codes.
    if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Space), false)) s.sampler.resample_requested = true;
    if (ImGui::IsKeyPressed('L', false)) s.sampler.live = !s.sampler.live;
    if (ImGui::IsKeyPressed('N', false)) s.sampler.settings.seed = fresh_seed();
    if (ImGui::IsKeyPressed('F', false)) {
        s.image.fit = true;
        s.image.pan_x = s.image.pan_y = 0;
    }
}

// Cauchy's tails: min to max maps all but a few values to one grey. Unless the user chose the
// Map range, a change to Cauchy shows the 2.5% to 97.5% quantiles (about -12.7 to 12.7 scales)
// instead, and says so.
std::string suit_map_to_tails(AppState& s, bool dist_changed) {
    ImageViewState& v = s.image;
    if (!dist_changed || s.sampler.settings.dist != DistKind::Cauchy || v.range_chosen ||
        v.range.mode != render::ValueRange::Mode::MinMax)
        return "";
    v.range.mode = render::ValueRange::Mode::Quantile;
    v.range.q = 0.025;
    return "Map: the 2.5% and 97.5% quantiles, since Cauchy's tails would turn a min-to-max grid grey (the Map "
           "box above the grid changes it)";
}

}  // namespace

AppState default_state() {
    AppState s;
    set_distribution(s.sampler.settings, DistKind::Normal);
    s.sampler.settings.shape = {64, 1, 28, 28};
    s.sampler.settings.seed = kDefaultSeed;
    return s;
}

void record_frame_time(StatusState& s, double ms) {
    ++s.frame;
    if (s.frame == 1) {  // start-up (fonts, first upload) is not a frame time
        s.frame_ms = ms;
    } else {
        // The mean of the last 30 frames keeps the figure readable while it moves.
        s.recent_ms.push_back(ms);
        if (s.recent_ms.size() > 30) s.recent_ms.pop_front();
        double sum = 0;
        for (double v : s.recent_ms) sum += v;
        s.frame_ms = sum / static_cast<double>(s.recent_ms.size());
    }
    s.fps = s.frame_ms > 0 ? 1000.0 / s.frame_ms : 0.0;
}

void update(AppState& s) {
    SamplerState& sp = s.sampler;
    std::string fixed;
    try {
        fixed = enforce_valid(sp.settings);
    } catch (const Error& e) {  // it repairs rather than throws; should a repair fail, say so, keep the window
        sp.error = e.what();
        sp.live = false;
        return;
    }
    const SamplerSettings& st = sp.settings;
    const SamplerSettings& prev = sp.attempted;
    const bool first = !sp.has_drawn;
    const bool reseed = first || sp.restore_pending || st.seed != prev.seed || st.generator != prev.generator ||
                        st.device != prev.device || st.engine != prev.engine;
    const bool changed = first || st != prev;
    const bool next = sp.resample_requested || sp.live;
    const bool resample_after_reseed = reseed && sp.resample_requested;
    sp.resample_requested = false;

    if (reseed || changed || next) {
        try {
            validate(st);  // before any generator is touched
            Generator& g = st.generator == GeneratorMode::Global ? default_generator(st.device) : sp.local;
            if (reseed) {
                if (st.generator == GeneratorMode::Global) manual_seed(st.seed);
                else sp.local = Generator(st.seed);
                if (sp.restore_pending) g.set_offset(sp.restore_offset);
                sp.history.push(st.seed);
            } else if (!next) {
                g.set_offset(sp.offset_before);  // same stream position: the change acts on the same noise
            }
            const uint64_t before = g.offset();
            const auto t0 = std::chrono::steady_clock::now();
            Tensor t = draw(st, g);
            const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
            sp.tensor = t;
            sp.drawn = st;
            if (const std::string m = suit_map_to_tails(s, first || st.dist != prev.dist); !m.empty())
                fixed += (fixed.empty() ? "" : "; ") + m;
            sp.offset_before = before;
            sp.offset_after = g.offset();
            sp.timing.ms = ms;
            sp.timing.bytes = static_cast<int64_t>(t.nbytes());
            sp.timing.gbytes_per_s = ms > 0 ? static_cast<double>(t.nbytes()) / (ms * 1e6) : 0.0;
            ++sp.draws;
            sp.error.clear();
            // A resample asked for with a reseed (--resample at start-up, "seed=5 resample" in a
            // script) means the values after the reseeded draw: the next frame draws them.
            sp.resample_requested = resample_after_reseed;
        } catch (const Error& e) {
            sp.error = e.what();
            sp.live = false;  // a failing live mode would only repeat the error
        }
        sp.notice = fixed;
        sp.attempted = st;
        sp.has_drawn = true;
        sp.restore_pending = false;
    } else if (!fixed.empty()) {
        sp.notice = fixed;
    }

    HistogramState& h = s.histogram;
    AnalysisOptions opts = h.options;
    opts.max_values = sp.live ? kLiveAnalysisValues : 0;
    if (sp.live) opts.test_samples = std::min(opts.test_samples, kLiveTestValues);
    opts.untested = untested_reason(sp.drawn);
    opts.no_theory = theory_missing(sp.drawn);
    if (sp.tensor.defined() && (h.analysed_draw != sp.draws || !same_options(h.analysed_options, opts))) {
        h.analysis = analyze(sp.tensor, to_stats_distribution(sp.drawn), opts);
        h.analysed_draw = sp.draws;
        h.analysed_options = opts;
    }
    update_lesson(s);  // the open lesson's checks and PyTorch code follow the new sample
}

void draw_app(AppState& s, TextureSink* sink) {
    handle_shortcuts(s);
    const float menu_h = draw_menu_bar(s);
    if (s.lesson.active) {  // the lesson layout replaces the three columns
        draw_lesson_window(s, sink, menu_h);
        draw_dialogs(s);
        return;
    }
    const ImGuiStyle& style = ImGui::GetStyle();
    const float status_h = ImGui::GetTextLineHeight() + style.WindowPadding.y * 2;
    const ImVec2 ds = ImGui::GetIO().DisplaySize;
    const Layout L = compute_layout(ds.x, ds.y, menu_h, status_h, s.ui_scale);
    if (s.models_workspace) {  // View > Models workspace replaces the three columns
        draw_models_workspace(s.models, Rect{0, menu_h, ds.x, L.status.y - menu_h});
        draw_status_bar(s, sink, L.status);
        draw_dialogs(s);
        return;
    }
    // The panels' title bars (fill.h: ImGui draws them transparent).
    for (const Rect& r : {L.sampler, L.view, L.histogram})
        fill_background(ImVec2(r.x, r.y), ImVec2(r.right(), r.y + ImGui::GetFrameHeight()), Background::Title);
    draw_sampler_panel(s, L.sampler);
    draw_tensor_view(s.image, s.sampler, sink, L.view);
    draw_histogram_panel(s.histogram, s.sampler, L.histogram);
    draw_status_bar(s, sink, L.status);
    // Hairlines between the panels (they draw no background or border of their own).
    ImDrawList* bg = ImGui::GetBackgroundDrawList();
    const ImU32 line = ImGui::GetColorU32(ImGuiCol_Border);
    bg->AddLine(ImVec2(L.view.x - 0.5f, L.view.y), ImVec2(L.view.x - 0.5f, L.view.bottom()), line);
    bg->AddLine(ImVec2(L.histogram.x - 0.5f, L.histogram.y), ImVec2(L.histogram.x - 0.5f, L.histogram.bottom()), line);
    draw_dialogs(s);
}

}  // namespace nl::gui
