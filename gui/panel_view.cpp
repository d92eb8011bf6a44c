// The tensor view: [N, C, H, W] (and other ranks) as an image grid with colormaps, value range
// mapping, zoom, pan and hover read-out; [N, 2] as a scatter plot; [N] as a sequence of values.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include <imgui.h>

#include "gui/fill.h"
#include "gui/gl_texture.h"
#include "gui/grid_view.h"
#include "gui/panels.h"
#include "gui/plot.h"
#include "gui/text_fit.h"
#include "gui/theme.h"

namespace nl::gui {

namespace {

const char* view_label(ViewMode m) {
    switch (m) {
        case ViewMode::Auto: return "auto";
        case ViewMode::Image: return "grid";
        case ViewMode::Scatter: return "scatter";
        case ViewMode::Values: return "values";
    }
    return "auto";
}

const char* map_label(render::ValueRange::Mode m) {
    switch (m) {
        case render::ValueRange::Mode::MinMax: return "min to max";
        case render::ValueRange::Mode::Sigma: return "mean \xC2\xB1 k\xCF\x83";  // mean ± kσ
        case render::ValueRange::Mode::Fixed: return "fixed";
        case render::ValueRange::Mode::Quantile: return "quantiles";
    }
    return "min to max";
}

void controls(ImageViewState& v, const Shape& shape, ViewMode mode) {
    const float fs = ImGui::GetFontSize();
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted("View");
    tooltip("How the tensor is drawn.");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(fs * 8.0f);
    // The preview names the view in effect: "auto: image", or "image*" when the view asked for
    // (scatter of a tensor that is not [N, 2], e.g. from a script) cannot be drawn.
    const std::string preview = v.mode == ViewMode::Auto ? std::string("auto: ") + view_label(mode)
                                : v.mode == mode        ? std::string(view_label(mode))
                                                        : std::string(view_label(mode)) + "*";
    if (ImGui::BeginCombo("##viewmode", preview.c_str())) {
        const ViewMode modes[] = {ViewMode::Auto, ViewMode::Image, ViewMode::Scatter, ViewMode::Values};
        const char* tips[] = {"Images for [N, C, H, W], [C, H, W] and [B, D]; scatter for [N, 2]; values for [N].",
                              "Every image of the batch in a grid (a 1-D tensor is wrapped into a square).",
                              "Rows of an [N, 2] tensor as points (x, y).", "The first values as a sequence, index against value."};
        for (int i = 0; i < 4; ++i) {
            const bool ok = modes[i] != ViewMode::Scatter || (shape.size() == 2 && shape[1] == 2);
            ImGui::BeginDisabled(!ok);
            if (ImGui::Selectable(view_label(modes[i]), v.mode == modes[i])) v.mode = modes[i];
            ImGui::EndDisabled();
            tooltip(ok ? tips[i] : "Scatter needs an [N, 2] tensor.");
        }
        ImGui::EndCombo();
    }
    if (v.mode != ViewMode::Auto && v.mode != mode)
        tooltip((std::string("Drawn as ") + view_label(mode) + ": " + view_label(v.mode) + " needs an [N, 2] tensor, this one is " +
                 shape_str(shape) + ".").c_str());
    else
        tooltip("How the tensor is drawn: auto picks images, scatter or values from the shape.");
    if (mode != ViewMode::Image) return;

    ImGui::SameLine();
    ImGui::SetNextItemWidth(fs * 6.0f);
    if (ImGui::BeginCombo("##cmap", render::colormap_name(v.colormap))) {
        const render::Colormap maps[] = {render::Colormap::Gray, render::Colormap::Viridis, render::Colormap::Diverging};
        const char* tips[] = {"Black (low) to white (high).", "Dark blue to yellow: perceptually uniform.",
                              "Blue (low), white (middle), red (high): for values around 0."};
        for (int i = 0; i < 3; ++i) {
            if (ImGui::Selectable(render::colormap_name(maps[i]), v.colormap == maps[i])) v.colormap = maps[i];
            tooltip(tips[i]);
        }
        ImGui::EndCombo();
    }
    tooltip("Colormap for one channel (three channels are shown as RGB).");
    const bool has_c = shape.size() == 4 || (shape.size() == 3 && (shape[0] == 1 || shape[0] == 3));
    const int64_t C = shape.size() == 4 ? shape[1] : shape.size() == 3 && has_c ? shape[0] : 1;
    if (C == 3) {
        ImGui::SameLine();
        ImGui::Checkbox("RGB", &v.rgb);
        tooltip("Show the three channels as red, green and blue; untick to see one channel through the colormap.");
    }
    if (C > 1 && !(C == 3 && v.rgb)) {
        ImGui::SameLine();
        ImGui::SetNextItemWidth(fs * 5.5f);
        int c = std::clamp(v.channel, 0, static_cast<int>(C - 1));
        if (ImGui::DragInt("##channel", &c, 0.1f, 0, static_cast<int>(C - 1), "channel %d", ImGuiSliderFlags_AlwaysClamp)) v.channel = c;
        tooltip("The channel shown through the colormap.");
    }

    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted("Map");
    tooltip("Which values map to the ends of the colormap.");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(fs * 7.5f);
    if (ImGui::BeginCombo("##map", map_label(v.range.mode))) {
        const render::ValueRange::Mode modes[] = {render::ValueRange::Mode::MinMax, render::ValueRange::Mode::Sigma,
                                                  render::ValueRange::Mode::Quantile, render::ValueRange::Mode::Fixed};
        const char* tips[] = {"The smallest value is black, the largest white.",
                              "mean - k std to mean + k std of this tensor: values beyond are clamped, so a few outliers do not wash out the rest.",
                              ("From the q to the 1 - q quantile of this tensor: the extreme values are clamped, so heavy tails "
                               "(Cauchy) do not squeeze the rest into one grey."),
                              "A fixed range you choose."};
        for (int i = 0; i < 4; ++i) {
            if (ImGui::Selectable(map_label(modes[i]), v.range.mode == modes[i])) {
                v.range.mode = modes[i];
                v.range_chosen = true;
            }
            tooltip(tips[i]);
        }
        ImGui::EndCombo();
    }
    tooltip("Which values map to the ends of the colormap (values outside are clamped).");
    if (v.range.mode == render::ValueRange::Mode::Sigma) {
        ImGui::SameLine();
        ImGui::SetNextItemWidth(fs * 5.0f);
        float k = static_cast<float>(v.range.k);
        if (ImGui::DragFloat("##k", &k, 0.05f, 0.1f, 100.0f, "k = %.2f \xCF\x83", ImGuiSliderFlags_AlwaysClamp)) {
            v.range.k = k;
            v.range_chosen = true;
        }
        tooltip("Half-width of the range in standard deviations (0.1 to 100).");
    } else if (v.range.mode == render::ValueRange::Mode::Quantile) {
        ImGui::SameLine();
        ImGui::SetNextItemWidth(fs * 5.0f);
        float pct = static_cast<float>(v.range.q * 100.0);
        if (ImGui::DragFloat("##q", &pct, 0.05f, 0.01f, 49.0f, "%.2f%% tails", ImGuiSliderFlags_AlwaysClamp | ImGuiSliderFlags_Logarithmic))
            v.range.q = pct / 100.0, v.range_chosen = true;
        tooltip("The share of values clamped at each end (0.01% to 49%): 1% maps the 1% quantile to black and the 99% one to white.");
    } else if (v.range.mode == render::ValueRange::Mode::Fixed) {
        const double big = 1e12, nbig = -1e12;
        double lo = v.range.lo, hi = v.range.hi;
        const double hi_m = hi - 1e-9, lo_p = lo + 1e-9;
        ImGui::SameLine();
        ImGui::SetNextItemWidth(fs * 4.5f);
        if (ImGui::DragScalar("##flo", ImGuiDataType_Double, &lo, 0.01f, &nbig, &hi_m, "lo %.3g")) v.range.lo = lo, v.range_chosen = true;
        tooltip("Value shown at the low end of the colormap (below hi).");
        ImGui::SameLine();
        ImGui::SetNextItemWidth(fs * 4.5f);
        if (ImGui::DragScalar("##fhi", ImGuiDataType_Double, &hi, 0.01f, &lo_p, &big, "hi %.3g")) v.range.hi = hi, v.range_chosen = true;
        tooltip("Value shown at the high end of the colormap (above lo).");
    }
    ImGui::SameLine();
    if (ImGui::Button("Fit")) {
        v.fit = true;
        v.pan_x = v.pan_y = 0;
    }
    tooltip("Zoom to fit the view and centre the grid (or double-click the image).");
    ImGui::SameLine();
    ImGui::AlignTextToFramePadding();
    ImGui::TextColored(theme::text_dim(), "%.2f\xC3\x97", v.zoom);  // ×
    tooltip("Zoom: screen pixels per tensor pixel. Mouse wheel zooms at the cursor, drag pans.");
}

// A key of everything that changes the grid's pixels, to upload only when it changes.
std::string grid_key(const ImageViewState& v, uint64_t draw) {
    char buf[160];
    std::snprintf(buf, sizeof buf, "%llu|%d|%d|%.9g|%.9g|%.9g|%d|%d|%d", static_cast<unsigned long long>(draw), static_cast<int>(v.colormap),
                  static_cast<int>(v.range.mode), v.range.k, v.range.lo, v.range.hi, v.rgb ? 1 : 0, v.channel, v.max_images);
    return buf;
}

// The colour key under the grid: which value each colour stands for, as the last upload mapped
// them (values beyond the ends are clamped to the end colours). Integer samples spanning at most
// kMaxSwatches values get one swatch per value (a category, a count); others a gradient from lo
// to hi.
constexpr int64_t kMaxSwatches = 16;

void colour_key(const ImageViewState& v, double lo, double hi, bool integers) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float h = ImGui::GetTextLineHeight(), avail = ImGui::GetContentRegionAvail().x;
    const ImVec2 p = ImGui::GetCursorScreenPos();
    auto colour = [&](double x) {  // as the grid maps it
        uint8_t rgb[3];
        render::colormap_rgb(v.colormap, render::normalise(x, lo, hi), rgb);
        return theme::rgba(rgb[0], rgb[1], rgb[2]);
    };
    const ImU32 text = theme::kAxisText;
    const float gap = ImGui::GetStyle().ItemSpacing.x;
    // Integers in full where a double holds them exactly (randint's bounds reach 1e9, where
    // %.4g would blur them); other values as the plots write them.
    constexpr double kExact = 9007199254740992.0;  // 2^53: beyond it, k + 1 may equal k
    auto whole = [&](double x) { return x == std::floor(x) && std::fabs(x) < kExact; };
    auto label_of = [&](double x) {
        if (!whole(x) || (!integers && std::fabs(x) >= 1e6)) return fmt_num(x);  // floats: 4 digits
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.0f", x);
        return std::string(buf);
    };
    // Swatches where every value's fits in the panel; otherwise the gradient.
    bool swatches = integers && whole(lo) && whole(hi) && hi - lo < kMaxSwatches;
    std::vector<std::string> labels;
    float total = 0.0f;
    const int count = swatches ? static_cast<int>(hi - lo) + 1 : 0;
    for (int i = 0; i < count; ++i) {
        labels.push_back(label_of(lo + i));
        total += h + 3.0f + ImGui::CalcTextSize(labels.back().c_str()).x + gap;
    }
    swatches = swatches && total - gap <= avail;
    if (swatches) {
        float x = p.x;
        for (size_t i = 0; i < labels.size(); ++i) {
            const ImVec2 a(x, p.y + 1.0f), b(x + h - 2.0f, p.y + h - 1.0f);
            dl->AddRectFilled(a, b, colour(lo + static_cast<double>(i)));
            dl->AddRect(a, b, theme::kPlotBorder);
            dl->AddText(ImVec2(x + h + 1.0f, p.y), text, labels[i].c_str());
            x += h + 3.0f + ImGui::CalcTextSize(labels[i].c_str()).x + gap;
        }
    } else {
        const std::string lo_text = label_of(lo), hi_text = label_of(hi);
        const float lo_w = ImGui::CalcTextSize(lo_text.c_str()).x, hi_w = ImGui::CalcTextSize(hi_text.c_str()).x;
        const float bar = std::min(240.0f, avail - lo_w - hi_w - 2.0f * gap);
        if (bar >= 24.0f) {
            dl->AddText(p, text, lo_text.c_str());
            const float x0 = p.x + lo_w + gap;
            constexpr int kSteps = 48;
            for (int i = 0; i < kSteps; ++i) {
                const float a = x0 + bar * static_cast<float>(i) / kSteps, b = x0 + bar * static_cast<float>(i + 1) / kSteps;
                dl->AddRectFilled(ImVec2(a, p.y + 2.0f), ImVec2(b + 0.5f, p.y + h - 2.0f),
                                  colour(lo + (hi - lo) * (i + 0.5) / kSteps));
            }
            dl->AddRect(ImVec2(x0, p.y + 2.0f), ImVec2(x0 + bar, p.y + h - 2.0f), theme::kPlotBorder);
            dl->AddText(ImVec2(x0 + bar + gap, p.y), text, hi_text.c_str());
        }
    }
    ImGui::Dummy(ImVec2(avail, h));
    tooltip(swatches ? "The colour of each value in the grid (with a fixed or quantile Map, values beyond the ends take the "
                       "end colours)."
                     : "The colours of the values from lo to hi (the Map setting); values beyond show the end colours.");
}

void image_view(ImageViewState& v, const SamplerState& sp, TextureSink* sink, ImVec2 size) {
    GridView g;
    try {
        g = make_grid_view(sp.tensor, v);
        // Upload only when the pixels change (a new draw or other view options).
        const std::string key = grid_key(v, sp.draws);
        if (sink && key != v.shown_key) {
            sink->show(g.tensor, grid_options(g, v));
            v.shown_key = key;
        }
        v.error.clear();
    } catch (const std::exception& e) {
        v.error = e.what();
        ImGui::TextColored(theme::text_error(), "%s", v.error.c_str());
        return;
    }
    v.grid_columns = g.columns;
    v.grid_tiles = static_cast<int>(g.n);
    // One channel through the colormap gets a key under the grid (RGB is its own key).
    double key_lo = 0.0, key_hi = 1.0;
    // Not in a panel too short for it: the grid keeps at least two lines' height.
    const bool keyed = g.c == 1 && sink && sink->shown_range(key_lo, key_hi) &&
                       size.y > 3.0f * ImGui::GetTextLineHeightWithSpacing();
    if (keyed) size.y -= ImGui::GetTextLineHeightWithSpacing();

    const ImVec2 pos = ImGui::GetCursorScreenPos();
    ImGui::InvisibleButton("##image", size, ImGuiButtonFlags_MouseButtonLeft);
    const bool hovered = ImGui::IsItemHovered();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 end(pos.x + size.x, pos.y + size.y);

    const float iw = static_cast<float>(g.width), ih = static_cast<float>(g.height);
    if (v.fit) {
        v.zoom = fit_zoom(iw, ih, size.x - 8, size.y - 8);
        v.pan_x = v.pan_y = 0;
    }
    const ImVec2 centre(pos.x + size.x * 0.5f + v.pan_x, pos.y + size.y * 0.5f + v.pan_y);
    ImVec2 p0(centre.x - iw * v.zoom * 0.5f, centre.y - ih * v.zoom * 0.5f);
    ImGuiIO& io = ImGui::GetIO();
    if (hovered && io.MouseWheel != 0.0f) {
        // Zoom about the cursor: the tensor pixel under it stays put.
        const float u = (io.MousePos.x - p0.x) / v.zoom, w = (io.MousePos.y - p0.y) / v.zoom;
        const float z = zoom_step(v.zoom, io.MouseWheel);
        const ImVec2 np0(io.MousePos.x - u * z, io.MousePos.y - w * z);
        v.pan_x = np0.x + iw * z * 0.5f - (pos.x + size.x * 0.5f);
        v.pan_y = np0.y + ih * z * 0.5f - (pos.y + size.y * 0.5f);
        v.zoom = z;
        v.fit = false;
        p0 = np0;
    }
    if (ImGui::IsItemActive() && ImGui::IsMouseDragging(ImGuiMouseButton_Left, 1.0f)) {
        v.pan_x += io.MouseDelta.x;
        v.pan_y += io.MouseDelta.y;
        p0.x += io.MouseDelta.x;
        p0.y += io.MouseDelta.y;
        v.fit = false;
    }
    if (hovered && ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left)) v.fit = true;
    const ImVec2 p1(p0.x + iw * v.zoom, p0.y + ih * v.zoom);
    fill_background(pos, end, Background::Image);
    dl->PushClipRect(pos, end, true);
    if (sink && sink->texture()) {
        // Live mode draws a new grid every frame: no mipmaps then (making them each frame would
        // cost the frame rate on a software renderer), only once the picture stands still.
        sink->sample_for_zoom(sp.live ? std::max(v.zoom, kMipmapZoom) : v.zoom);
        dl->AddImage(sink->texture(), p0, p1);
    }
    else dl->AddRectFilled(p0, p1, theme::kPlotBackground);  // headless: where the grid would be
    dl->PopClipRect();

    v.hover.clear();
    if (hovered) {
        const std::vector<int64_t> idx = grid_hit(g, (io.MousePos.x - p0.x) / v.zoom, (io.MousePos.y - p0.y) / v.zoom);
        v.hover = describe_element(sp.tensor, g, idx);
        if (!v.hover.empty()) {
            ImGui::BeginTooltip();
            ImGui::TextUnformatted(v.hover.c_str());
            ImGui::EndTooltip();
        }
    }
    if (keyed)
        colour_key(v, key_lo, key_hi, !is_floating(sp.tensor.dtype()) || dist_info(sp.drawn.dist).discrete);
    // Footer: what is shown.
    char info[200];
    std::snprintf(info, sizeof info, "%lld image%s, %lldx%lld px each; grid %dx%d px", static_cast<long long>(g.n), g.n == 1 ? "" : "s",
                  static_cast<long long>(g.w), static_cast<long long>(g.h), g.width, g.height);
    // The footer and its note share one line: the note keeps its width, the footer is cut to the rest.
    const std::string note = g.note.empty() ? std::string() : "(" + g.note + ")";
    const float note_w = note.empty() ? 0.0f : ImGui::CalcTextSize(note.c_str()).x + ImGui::GetStyle().ItemSpacing.x;
    const std::string footer = fit_with_ellipsis(v.hover.empty() ? info : v.hover, ImGui::GetContentRegionAvail().x - note_w);
    ImGui::TextColored(theme::text_dim(), "%s", footer.c_str());
    tooltip(v.hover.empty() ? "Hover the image to read an element's index and value." : "Index of the element under the mouse and its value.");
    if (!note.empty()) {
        ImGui::SameLine();
        text_fitted(theme::text_warn(), note);
        tooltip(("Only part of the tensor is drawn (" + g.note + "): raise max-images or pick another channel.").c_str());
    }
}

// Robust extent of a coordinate: the 0.5% and 99.5% quantiles, so a few extreme points (Cauchy)
// do not squash the rest.
void extent(std::vector<double> v, double& lo, double& hi) {
    v.erase(std::remove_if(v.begin(), v.end(), [](double x) { return !std::isfinite(x); }), v.end());
    if (v.empty()) {
        lo = 0, hi = 1;
        return;
    }
    const size_t a = v.size() / 200, b = v.size() - 1 - v.size() / 200;
    std::nth_element(v.begin(), v.begin() + static_cast<long>(a), v.end());
    lo = v[a];
    std::nth_element(v.begin(), v.begin() + static_cast<long>(b), v.end());
    hi = v[b];
    if (!(hi > lo)) lo -= 0.5, hi += 0.5;
}

void scatter_view(ImageViewState& v, const SamplerState& sp, ImVec2 size) {
    const Tensor t = sp.tensor.cpu();
    const int64_t n = std::min<int64_t>(t.size(0), 20000);
    const std::vector<double> xy = t.narrow(0, 0, n).to_vector();
    std::vector<double> xs(static_cast<size_t>(n)), ys(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) xs[i] = xy[2 * i], ys[i] = xy[2 * i + 1];
    double x0, x1, y0, y1;
    extent(xs, x0, x1);
    extent(ys, y0, y1);
    const SamplerSettings& st = sp.drawn;
    const bool circles = st.dist == DistKind::Normal && st.params[1] > 0;
    if (circles) {  // the 3 sigma circle whole, however the sample fell
        const double m = st.params[0], reach = 3.05 * st.params[1];
        x0 = std::min(x0, m - reach), x1 = std::max(x1, m + reach);
        y0 = std::min(y0, m - reach), y1 = std::max(y1, m + reach);
    }
    const double px = (x1 - x0) * 0.08, py = (y1 - y0) * 0.08;
    PlotSpec spec;
    spec.x0 = x0 - px;
    spec.x1 = x1 + px;
    spec.y0 = y0 - py;
    spec.y1 = y1 + py;
    spec.x_label = "x = column 0";
    spec.y_label = "y = column 1";
    spec.equal_aspect = true;
    const PlotArea p = begin_plot("##scatter", size, spec);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const double m = st.params[0], sd = st.params[1];
    const ImVec2 centre(p.sx(m), p.sy(m));
    auto radius = [&](int k) { return static_cast<float>(k * sd * (p.max.x - p.min.x) / (p.x1 - p.x0)); };
    if (circles)  // 1, 2 and 3 sigma circles of the theory
        for (int k = 1; k <= 3; ++k) dl->AddCircle(centre, radius(k), theme::kTheory, 64, 1.5f);
    const float r = v.point_radius;
    const ImU32 col = (theme::kSample & 0x00FFFFFF) | (static_cast<ImU32>(n > 4000 ? 140 : 220) << 24);
    std::vector<ImVec2> pts;
    pts.reserve(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i)
        if (std::isfinite(xs[i]) && std::isfinite(ys[i])) pts.emplace_back(p.sx(xs[i]), p.sy(ys[i]));
    draw_markers(dl, pts.data(), static_cast<int>(pts.size()), r, col);
    if (circles)  // labelled where each circle crosses the upper-right diagonal, over the points
        for (int k = 1; k <= 3; ++k) {
            const std::string label = std::to_string(k) + "\xCF\x83";  // kσ
            const float d = radius(k) * 0.7071f;
            const ImVec2 at(centre.x + d + 3, centre.y - d - ImGui::GetFontSize());
            const ImVec2 ts = ImGui::CalcTextSize(label.c_str());
            dl->AddRectFilled(ImVec2(at.x - 2, at.y), ImVec2(at.x + ts.x + 2, at.y + ts.y), theme::kPlotBackground, 3.0f);
            dl->AddText(at, theme::kTheory, label.c_str());
        }
    end_plot();
    v.hover.clear();
    if (ImGui::IsItemHovered() && p.contains(ImGui::GetIO().MousePos)) {
        // The nearest point under the cursor.
        const ImVec2 m = ImGui::GetIO().MousePos;
        int64_t best = -1;
        float best_d = (r + 3) * (r + 3);
        for (int64_t i = 0; i < n; ++i) {
            const float dx = p.sx(xs[i]) - m.x, dy = p.sy(ys[i]) - m.y;
            if (dx * dx + dy * dy < best_d) best_d = dx * dx + dy * dy, best = i;
        }
        if (best >= 0) {
            char buf[96];
            std::snprintf(buf, sizeof buf, "[%lld] = (%.5g, %.5g)", static_cast<long long>(best), xs[best], ys[best]);
            v.hover = buf;
            ImGui::SetTooltip("%s", buf);
        }
    }
    char info[128];
    std::snprintf(info, sizeof info, "%lld points%s", static_cast<long long>(n), n < t.size(0) ? " (the first)" : "");
    ImGui::TextColored(theme::text_dim(), "%s", fit_with_ellipsis(v.hover.empty() ? info : v.hover, ImGui::GetContentRegionAvail().x).c_str());
    tooltip(st.dist == DistKind::Normal ? "Circles: 1, 2 and 3 standard deviations of the theory." : "Hover a point to read its row and values.");
}

void values_view(ImageViewState& v, const SamplerState& sp, ImVec2 size) {
    const Tensor flat = sp.tensor.cpu().contiguous().flatten();
    const int64_t n = std::min<int64_t>(flat.numel(), 512);
    const std::vector<double> vals = flat.narrow(0, 0, n).to_vector();
    double lo, hi;
    extent(vals, lo, hi);
    const double pad = (hi - lo) * 0.08;
    PlotSpec spec;
    spec.x0 = -0.5;
    spec.x1 = static_cast<double>(n) - 0.5;
    spec.y0 = lo - pad;
    spec.y1 = hi + pad;
    spec.x_label = "index";
    spec.y_label = "value";
    const PlotArea p = begin_plot("##values", size, spec);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    std::vector<ImVec2> pts;
    pts.reserve(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i)
        if (std::isfinite(vals[i])) pts.emplace_back(p.sx(static_cast<double>(i)), p.sy(vals[i]));
    const stats::Distribution d = to_stats_distribution(sp.drawn);
    // The theoretical mean first, so that values lying on it (a point mass, argmax) stay visible;
    // none where the theory does not describe the sample (draws without replacement).
    if (theory_missing(sp.drawn).empty()) {
        try {
            const double m = d.mean();
            if (std::isfinite(m)) dl->AddLine(ImVec2(p.min.x, p.sy(m)), ImVec2(p.max.x, p.sy(m)), theme::kTheory, 1.5f);
        } catch (const std::exception&) {
        }
    }
    // Lines between integer values (randint, a permutation) only zigzag between the levels and
    // hide the points: discrete samples are shown as points alone.
    if (!d.is_discrete())
        dl->AddPolyline(pts.data(), static_cast<int>(pts.size()), (theme::kSample & 0x00FFFFFF) | (110u << 24), 0, 1.0f);
    const float r = n > 200 ? 1.5f : 2.5f;
    draw_markers(dl, pts.data(), static_cast<int>(pts.size()), r, theme::kSample);
    end_plot();
    v.hover.clear();
    if (ImGui::IsItemHovered() && p.contains(ImGui::GetIO().MousePos)) {
        const int64_t i = static_cast<int64_t>(std::lround(p.x_at(ImGui::GetIO().MousePos.x)));
        if (i >= 0 && i < n) {
            char buf[64];
            std::snprintf(buf, sizeof buf, "[%lld] = %.6g", static_cast<long long>(i), vals[i]);
            v.hover = buf;
            ImGui::SetTooltip("%s", buf);
        }
    }
    char info[128];
    std::snprintf(info, sizeof info, "the first %lld of %lld values; line: theoretical mean", static_cast<long long>(n),
                  static_cast<long long>(flat.numel()));
    ImGui::TextColored(theme::text_dim(), "%s", fit_with_ellipsis(v.hover.empty() ? info : v.hover, ImGui::GetContentRegionAvail().x).c_str());
    tooltip("Each value against its index: neighbouring values should look unrelated.");
}

}  // namespace

void draw_tensor_view(ImageViewState& v, const SamplerState& sp, TextureSink* sink, const Rect& r) {
    ImGui::SetNextWindowPos(ImVec2(r.x, r.y));
    ImGui::SetNextWindowSize(ImVec2(r.w, r.h));
    const ImGuiWindowFlags flags = theme::kPanelFlags | ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse;
    if (ImGui::Begin(kViewWindow, nullptr, flags)) {
        if (!sp.tensor.defined()) {
            ImGui::TextColored(theme::text_dim(), "No tensor yet.");
        } else {
            const Shape& shape = sp.tensor.shape();
            const ViewMode mode = resolve_view(v.mode, shape);
            controls(v, shape, mode);
            ImVec2 avail = ImGui::GetContentRegionAvail();
            avail.y -= ImGui::GetTextLineHeightWithSpacing();
            switch (mode) {
                case ViewMode::Scatter: scatter_view(v, sp, avail); break;
                case ViewMode::Values: values_view(v, sp, avail); break;
                default: image_view(v, sp, sink, avail); break;
            }
        }
    }
    ImGui::End();
}

}  // namespace nl::gui
