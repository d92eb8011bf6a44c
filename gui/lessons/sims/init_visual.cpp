// Lesson 16's visual ("init_depth"): the std of the activations per layer of a deep ReLU MLP for
// the three weight scales on one log-scale plot, and, for the chosen scale, the histogram of
// log10|activation| of every layer as a heat row (vanishing drifts left, Kaiming stays put,
// exploding drifts right).
// visual_params: {"layers": 10, "width": 256, "batch": 256, "show": "kaiming" | "small" | "large", "seed": 0}
#include <algorithm>
#include <cmath>

#include <imgui.h>

#include "gui/lessons/sims/init_depth.h"
#include "gui/lessons/sims/sim_ui.h"
#include "gui/lessons/sims/sims_visuals.h"
#include "gui/plot.h"
#include "gui/text_fit.h"

namespace nl::gui::sims {

namespace {

constexpr InitScheme kSchemes[3] = {InitScheme::TooSmall, InitScheme::Kaiming, InitScheme::TooLarge};
// Kaiming, the one to use, in the app's sample colour; the two failures in grey-violet and orange.
constexpr ImU32 kSchemeColour[3] = {theme::rgba(170, 140, 230), theme::kSample, theme::kTheory};

struct InitVisual {
    bool initialised = false;
    InitConfig cfg;
    int width_log2 = 8;
    int show = 1;  // index into kSchemes
    int seed = 0;
    std::string key;
    InitResult res[3];
};

void init_update(InitVisual& s, const VisualContext& c) {
    if (!s.initialised) {
        s.initialised = true;
        s.cfg.layers = static_cast<int>(param_num(c.params, "layers", 10));
        s.width_log2 = static_cast<int>(std::lround(std::log2(std::max(8.0, param_num(c.params, "width", 256)))));
        s.cfg.batch = static_cast<int>(param_num(c.params, "batch", 256));
        const std::string show = param_str(c.params, "show", "kaiming");
        s.show = show == "small" ? 0 : show == "large" ? 2 : 1;
        s.seed = static_cast<int>(param_num(c.params, "seed", 0));
    }
    s.cfg.layers = std::clamp(s.cfg.layers, 2, 20);
    s.width_log2 = std::clamp(s.width_log2, 5, 9);
    s.cfg.width = 1 << s.width_log2;
    s.cfg.batch = std::clamp(s.cfg.batch, 16, 1024);
    s.seed = std::max(0, s.seed);
    s.cfg.seed = static_cast<uint64_t>(s.seed);
    const std::string key = std::to_string(s.cfg.layers) + "/" + std::to_string(s.cfg.width) + "/" +
                            std::to_string(s.cfg.batch) + "/" + std::to_string(s.seed);
    if (key != s.key) {
        s.key = key;
        for (int i = 0; i < 3; ++i) s.res[i] = run_init(s.cfg, kSchemes[i]);
    }
    const int L = s.cfg.layers;
    const double first[3] = {s.res[0].layers[1].std, s.res[1].layers[1].std, s.res[2].layers[1].std};
    const double last[3] = {s.res[0].layers[L].std, s.res[1].layers[L].std, s.res[2].layers[L].std};
    c.check("std 0.01: activations vanish", last[0] < first[0] * 1e-3,
            "std after layer 1: " + fmt("%.3g", first[0]) + ", after layer " + std::to_string(L) + ": " + fmt("%.3g", last[0]));
    c.check("Kaiming: std within 2x of layer 1", last[1] > first[1] * 0.5 && last[1] < first[1] * 2.0,
            fmt("%.3g", first[1]) + " -> " + fmt("%.3g", last[1]));
    c.check("std 1: activations explode", last[2] > first[2] * 1e3,
            fmt("%.3g", first[2]) + " -> " + fmt("%.3g", last[2]));
}

void std_plot(const InitVisual& s, ImVec2 size) {
    double lo = 1e300, hi = 0;
    for (const InitResult& r : s.res)
        for (const LayerStats& l : r.layers)
            if (l.std > 0) lo = std::min(lo, l.std), hi = std::max(hi, l.std);
    lo = std::pow(10.0, std::floor(std::log10(lo)));
    hi = std::pow(10.0, std::ceil(std::log10(hi)));
    PlotSpec spec;
    spec.x0 = 0;
    spec.x1 = s.cfg.layers;
    spec.y0 = lo;
    spec.y1 = hi;
    spec.log_y = true;
    spec.x_label = "layer (0 = input x)";
    spec.y_label = "std of the activations";
    const PlotArea a = begin_plot("##init_std", size, spec);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    for (int i = 0; i < 3; ++i) {
        std::vector<ImVec2> pts;
        for (size_t l = 0; l < s.res[i].layers.size(); ++l)
            pts.emplace_back(a.sx(static_cast<double>(l)), a.sy(std::max(s.res[i].layers[l].std, 1e-300)));
        dl->AddPolyline(pts.data(), static_cast<int>(pts.size()), kSchemeColour[i], 0, i == s.show ? 3.0f : 1.5f);
        draw_markers(dl, pts.data(), static_cast<int>(pts.size()), 3.0f, kSchemeColour[i]);
    }
    end_plot();
}

// Rows = layers, columns = log10|h| bins; brightness = share of the layer's nonzero values.
void heat_rows(const InitResult& r, ImU32 colour, ImVec2 size) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 p0 = ImGui::GetCursorScreenPos();
    const float label_w = ImGui::CalcTextSize("layer 20 ").x, stat_w = ImGui::CalcTextSize("std 1.23e+45 ").x;
    const float fs = ImGui::GetTextLineHeight();
    ImGui::Dummy(size);
    const ImVec2 p(p0.x + label_w, p0.y);
    const float w = size.x - label_w - stat_w, h = size.y - fs * 1.6f;
    const size_t rows = r.layers.size();
    const float rh = h / static_cast<float>(rows), bw = w / kLogHistBins;
    // Rows shorter than a line of text: label every second (third, ...) row and the last.
    const size_t label_every = static_cast<size_t>(std::max(1.0f, std::ceil(fs / std::max(rh, 1.0f))));
    dl->AddRectFilled(p, ImVec2(p.x + w, p.y + h), theme::kPlotBackground);
    for (size_t l = 0; l < rows; ++l) {
        const LayerStats& st = r.layers[l];
        int top = 1;
        for (int v : st.log_hist) top = std::max(top, v);
        const float y = p.y + rh * static_cast<float>(l);
        for (int b = 0; b < kLogHistBins; ++b) {
            if (!st.log_hist[static_cast<size_t>(b)]) continue;
            const float t = std::sqrt(static_cast<float>(st.log_hist[static_cast<size_t>(b)]) / static_cast<float>(top));
            dl->AddRectFilled(ImVec2(p.x + b * bw, y + 1), ImVec2(p.x + (b + 1) * bw, y + rh - 1),
                              mix(theme::kPlotBackground, colour, 0.15f + 0.85f * t));
        }
        const bool labelled = (rows - 1 - l) % label_every == 0;  // counted from the last layer
        if (!labelled) continue;
        const std::string lab = l == 0 ? "input" : "layer " + std::to_string(l);
        dl->AddText(ImVec2(p0.x, y + (rh - fs) * 0.5f), theme::kAxisText, lab.c_str());
        const std::string sd = "std " + fmt("%.3g", st.std);
        dl->AddText(ImVec2(p.x + w + 6, y + (rh - fs) * 0.5f), theme::kAxisText, sd.c_str());
    }
    dl->AddRect(p, ImVec2(p.x + w, p.y + h), theme::kPlotBorder);
    // Decade labels every 4 decades, every 8 when 4 would make them touch.
    const float widest = ImGui::CalcTextSize("1e-12").x + fs;
    const int step = w / static_cast<float>((kLogHistHi - kLogHistLo) / 4.0) >= widest ? 4 : 8;
    for (int d = static_cast<int>(kLogHistLo); d <= static_cast<int>(kLogHistHi); d += step) {
        const float x = p.x + static_cast<float>((d - kLogHistLo) / (kLogHistHi - kLogHistLo)) * w;
        dl->AddLine(ImVec2(x, p.y), ImVec2(x, p.y + h), d == 0 ? theme::kAxisText : theme::kGridLine);
        const std::string t = "1e" + std::to_string(d);
        const ImVec2 ts = ImGui::CalcTextSize(t.c_str());
        dl->AddText(ImVec2(x - ts.x * 0.5f, p.y + h + 2), theme::kAxisText, t.c_str());
    }
}

void init_draw(InitVisual& s, const VisualContext& c) {
    if (begin_sim_window(c, "Initialisation: activations through a deep ReLU MLP")) {
        const float item_w = 140.0f * c.scale;
        ImGui::PushItemWidth(item_w);
        ImGui::SliderInt("layers", &s.cfg.layers, 2, 20);
        same_line_if_fits(labelled_width(item_w, "width = 2^k"));
        ImGui::SliderInt("width = 2^k", &s.width_log2, 5, 9, "k = %d");
        same_line_if_fits(labelled_width(item_w, "seed"));
        ImGui::InputInt("seed", &s.seed);
        ImGui::PopItemWidth();
        // One row per scheme: the switch choosing whose histograms are shown, its curve's colour
        // and where its std ends up.
        for (int i = 0; i < 3; ++i) {
            ImGui::RadioButton(("##show" + std::to_string(i)).c_str(), &s.show, i);
            if (ImGui::IsItemHovered()) ImGui::SetTooltip("Show this scheme's histograms on the right.");
            ImGui::SameLine(0, ImGui::GetStyle().ItemInnerSpacing.x);
            const std::string entry = std::string(init_scheme_name(kSchemes[i])) +
                                      (s.key.empty() ? "" : ": last std " + fmt("%.3g", s.res[i].layers.back().std));
            legend(kSchemeColour[i], entry.c_str());
        }
        if (s.key.empty()) {
            end_sim_window();
            return;
        }
        // The std curves and the per-layer histograms side by side, or one above the other where
        // the histograms' layer and std labels would leave them no room.
        // At least a line of text per layer; a short window scrolls instead.
        const float needed_h = (static_cast<float>(s.cfg.layers) + 5.0f) * ImGui::GetTextLineHeightWithSpacing();
        const ImVec2 avail(ImGui::GetContentRegionAvail().x, std::max(ImGui::GetContentRegionAvail().y, needed_h));
        const bool side_by_side = avail.x >= ImGui::GetFontSize() * 40;
        // The zeros are counted in the last layer (about half, though not exactly: the batch shares
        // the weights, so a unit is off for most rows or for few), and said to be of that layer.
        const std::string heat_title = "histogram of log10 |activation| per layer (ReLU zeros left out: " +
                                       fmt("%.0f", 100.0 * s.res[s.show].layers.back().frac_zero) + "% in layer " +
                                       std::to_string(s.cfg.layers) + ")";
        if (side_by_side) {
            const float left = std::floor(avail.x * 0.42f);
            std_plot(s, ImVec2(left, avail.y - 4));
            ImGui::SameLine(0, 12.0f * c.scale);
            ImGui::BeginGroup();
            const float right = avail.x - left - 12.0f * c.scale;
            ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + right);
            const float y0 = ImGui::GetCursorPosY();
            text_wrapped(theme::text_dim(), heat_title);
            ImGui::PopTextWrapPos();
            heat_rows(s.res[s.show], kSchemeColour[s.show], ImVec2(right, avail.y - 4 - (ImGui::GetCursorPosY() - y0)));
            ImGui::EndGroup();
        } else {
            const float y0 = ImGui::GetCursorPosY();
            std_plot(s, ImVec2(avail.x, std::floor(std::max(avail.y * 0.35f, ImGui::GetFontSize() * 8))));
            text_wrapped(theme::text_dim(), heat_title);
            heat_rows(s.res[s.show], kSchemeColour[s.show], ImVec2(avail.x, avail.y - (ImGui::GetCursorPosY() - y0) - 4));
        }
    }
    end_sim_window();
}

std::string init_code(const InitVisual& s, const VisualContext&) {
    const int W = s.cfg.width;
    std::string init;
    switch (kSchemes[s.show]) {
        case InitScheme::TooSmall: init = "nn.init.normal_(lin.weight, std=0.01)"; break;
        case InitScheme::Kaiming: init = "nn.init.kaiming_normal_(lin.weight, nonlinearity=\"relu\")  # std = sqrt(2 / fan_in)"; break;
        case InitScheme::TooLarge: init = "nn.init.normal_(lin.weight, std=1.0)"; break;
    }
    std::string out = "import torch\nfrom torch import nn\n";
    out += "torch.manual_seed(" + std::to_string(s.seed) + ")\n";
    out += "layers = []\n";
    out += "for _ in range(" + std::to_string(s.cfg.layers) + "):\n";
    out += "    lin = nn.Linear(" + std::to_string(W) + ", " + std::to_string(W) + ", bias=False)\n";
    out += "    " + init + "\n";
    out += "    layers += [lin, nn.ReLU()]\n";
    out += "net = nn.Sequential(*layers)\n";
    out += "h = torch.randn(" + std::to_string(s.cfg.batch) + ", " + std::to_string(W) + ")\n";
    out += "print(h.shape, h.dtype, f\"input: std {h.std().item():.3g}\")\n";
    out += "with torch.no_grad():\n";
    out += "    for i in range(0, len(net), 2):\n";
    out += "        h = net[i + 1](net[i](h))\n";
    out += "        print(f\"layer {i // 2 + 1}: std {h.std().item():.3g}\")\n";
    return out;
}

}  // namespace

LessonVisual init_visual() { return make_visual<InitVisual>("init_depth", init_update, init_draw, init_code,
                       {VisualParam::integer("layers", 2, 20), VisualParam::integer("width", 32, 512),
                        VisualParam::integer("batch", 16, 1024), VisualParam::text("show", {"small", "kaiming", "large"}),
                        VisualParam::integer("seed", 0, VisualParam::kMaxSeed)}); }

}  // namespace nl::gui::sims
