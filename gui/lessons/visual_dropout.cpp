// Lesson 6: Bernoulli masks and (inverted) dropout. A fixed 28x28 image x (a ring), a mask
// bernoulli(keep_prob) per pixel, y = x * mask / keep_prob, and the mean of y over M draws, which
// stays at the mean of x (asserted within 4 standard errors). Draws from a local Generator(seed).
#include <algorithm>
#include <cmath>
#include <cstdio>

#include <imgui.h>

#include "gui/app_state.h"
#include "gui/lessons/draw_util.h"
#include "gui/lessons/lesson_app.h"
#include "gui/lessons/lesson_code.h"
#include "gui/lessons/visuals.h"
#include "gui/panels.h"
#include "gui/plot.h"
#include "gui/text_fit.h"
#include "gui/theme.h"
#include "tensor/random.h"

namespace nl::gui {

namespace {

constexpr int kSide = 28;
constexpr int kPixels = kSide * kSide;

struct DropoutVisual {
    float keep = -1;       // keep probability (1 - dropout's p); -1: from visual_params
    int draws = 0;         // M
    uint64_t seed = ~uint64_t(0);
    bool dirty = true;
    std::vector<double> x, mask, y, mean_y;  // mean_y: per pixel over M draws
    std::vector<double> running;             // mean over all pixels of y, averaged over the first m draws
    double mean_x = 0, mean_all = 0, se = 0, kept_fraction = 0;
};

// The keep probability as the code writes it (two decimals), so code and picture agree.
double keep_of(const DropoutVisual& v) { return std::round(static_cast<double>(v.keep) * 100) / 100; }

std::vector<double> ring() {
    std::vector<double> x(kPixels);
    for (int i = 0; i < kSide; ++i)
        for (int j = 0; j < kSide; ++j) {
            // float32 arithmetic, as the PyTorch snippet computes it
            const float di = static_cast<float>(i) - 13.5f, dj = static_cast<float>(j) - 13.5f;
            const float r = std::sqrt(di * di + dj * dj);
            const float t = (r - 8.0f) / 2.5f;
            x[static_cast<size_t>(i) * kSide + j] = std::exp(-(t * t));
        }
    return x;
}

void dropout_update(DropoutVisual& v, const VisualContext& c) {
    if (v.keep < 0) {
        v.keep = static_cast<float>(c.params.value("keep_prob", 0.5));
        v.draws = c.params.value("draws", 200);
    }
    const uint64_t seed = c.app.sampler.settings.seed;
    if (v.dirty || seed != v.seed) {
        v.seed = seed;
        v.dirty = false;
        v.x = ring();
        Generator g(seed);
        const double p = keep_of(v);
        v.mean_y.assign(kPixels, 0.0);
        v.running.clear();
        double total = 0;
        for (int m = 0; m < v.draws; ++m) {
            const std::vector<double> mask = bernoulli(p, {kSide, kSide}, DType::Float32, &g).to_vector();
            double sum = 0;
            std::vector<double> y(kPixels);
            for (int i = 0; i < kPixels; ++i) {
                y[i] = static_cast<double>(static_cast<float>(v.x[i]) * static_cast<float>(mask[i]) / static_cast<float>(p));
                v.mean_y[i] += y[i] / v.draws;
                sum += y[i];
            }
            total += sum / kPixels;
            v.running.push_back(total / (m + 1));
            if (m == 0) {
                v.mask = mask;
                v.y = y;
                double kept = 0;
                for (double b : mask) kept += b;
                v.kept_fraction = kept / kPixels;
            }
        }
        double sx = 0, sx2 = 0;
        for (double xi : v.x) {
            sx += xi;
            sx2 += xi * xi;
        }
        v.mean_x = sx / kPixels;
        v.mean_all = total / v.draws;
        // var(mean of y over pixels, one draw) = sum x_i^2 (1 - p) / p / P^2; over M draws / M.
        v.se = std::sqrt(sx2 * (1 - p) / p) / kPixels / std::sqrt(static_cast<double>(v.draws));
    }
    const double p = keep_of(v);
    const double sd_keep = std::sqrt(p * (1 - p) / kPixels);
    char d1[120], d2[160];
    std::snprintf(d1, sizeof d1, "kept %.3f of the pixels (keep_prob %.2f, 4 sd = %.3f)", v.kept_fraction, p, 4 * sd_keep);
    std::snprintf(d2, sizeof d2, "mean x %.5f, mean y over %d draws %.5f (4 standard errors = %.5f)", v.mean_x, v.draws, v.mean_all, 4 * v.se);
    c.check("a mask keeps about keep_prob of the pixels", std::fabs(v.kept_fraction - p) <= 4 * sd_keep + 1e-12, d1);
    c.check("the mean of y over many draws stays at the mean of x", std::fabs(v.mean_all - v.mean_x) <= 4 * v.se + 1e-12, d2);
}

void mask_grid(const std::vector<double>& m, float cell) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 p0 = ImGui::GetCursorScreenPos();
    for (int i = 0; i < kSide; ++i)
        for (int j = 0; j < kSide; ++j) {
            const ImVec2 a(p0.x + j * cell, p0.y + i * cell);
            dl->AddRectFilled(a, ImVec2(a.x + cell, a.y + cell), m[static_cast<size_t>(i) * kSide + j] > 0 ? theme::kSample : theme::kImageBackground);
        }
    ImGui::Dummy(ImVec2(kSide * cell, kSide * cell));
}

void dropout_draw(DropoutVisual& v, const VisualContext& c) {
    paint::begin_visual(kLessonVisualWindow, c.rect);
    ImGui::TextColored(theme::accent(), "y = x * mask / keep_prob");
    ImGui::Separator();
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 9);
    if (ImGui::SliderFloat("keep_prob", &v.keep, 0.05f, 1.0f, "%.2f")) v.dirty = true;
    tooltip("Probability that a pixel is kept (dropout's p is 1 - keep_prob), 0.05-1.");
    same_line_if_fits(labelled_width(ImGui::GetFontSize() * 9, "draws M"));
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 9);
    if (ImGui::SliderInt("draws M", &v.draws, 1, 2000)) v.dirty = true;
    tooltip("How many masks are averaged, 1-2000.");
    same_line_if_fits(button_width("New seed"));
    if (ImGui::Button("New seed")) c.app.sampler.settings.seed += 1;
    tooltip("Next seed: new masks.");
    if (v.x.empty()) {
        paint::end_visual();
        return;
    }
    const float avail = ImGui::GetContentRegionAvail().x;
    const float cell = std::max(2.0f, std::floor(std::min((avail - 60) / 4 / kSide, c.rect.h * 0.45f / kSide)));
    // Short words: at presentation size each image is only about 8 ems wide.
    const char* caps[4] = {"x (the image)", "mask (blue: kept)", "y, one draw", "mean of y over M draws"};
    // Captions wrap to their image's width and take the same height, so the images line up.
    const float side = kSide * cell;
    float caption_h = 0;
    for (const char* cap : caps) caption_h = std::max(caption_h, ImGui::CalcTextSize(wrap_for_font(cap, side).c_str()).y);
    for (int k = 0; k < 4; ++k) {
        if (k) ImGui::SameLine(0, 20);
        ImGui::BeginGroup();
        const float y = ImGui::GetCursorPosY();
        ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + side);
        text_wrapped(theme::text_dim(), caps[k]);
        ImGui::PopTextWrapPos();
        ImGui::SetCursorPosY(y + caption_h + ImGui::GetStyle().ItemSpacing.y);
        if (k == 1) mask_grid(v.mask, cell);
        else paint::value_grid(k == 0 ? v.x : k == 2 ? v.y : v.mean_y, kSide, kSide, cell, nullptr);
        ImGui::EndGroup();
    }
    ImGui::Spacing();
    // Each mean with its number on one line (wrapped as one text, "0.2832" fell under "mean of x").
    const std::string mean_x = "mean of x " + fmt_measured(v.mean_x);
    const std::string mean_y = "mean of y over " + std::to_string(v.draws) + " draws " + fmt_measured(v.mean_all);
    ImGui::TextUnformatted(mean_x.c_str());
    same_line_if_fits(text_width(mean_y), 2.0f * ImGui::GetFontSize());
    text_wrapped(mean_y);
    // The running mean of y against the number of draws, with mean(x) as the orange line.
    text_wrapped(theme::text_dim(), "running mean of y (blue) against the number of draws; orange: mean of x");
    const size_t n = v.running.size();
    PlotSpec spec;
    spec.x0 = 1;
    spec.x1 = static_cast<double>(std::max<size_t>(n, 2));
    spec.y0 = v.mean_x * 0.8;
    spec.y1 = v.mean_x * 1.2;
    spec.x_label = "draws averaged";
    spec.y_label = "running mean of y";
    const ImVec2 room = ImGui::GetContentRegionAvail();
    const PlotArea a = begin_plot("##running_mean", ImVec2(room.x - 4, std::max(120.0f, room.y - 8)), spec);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddLine(ImVec2(a.min.x, a.sy(v.mean_x)), ImVec2(a.max.x, a.sy(v.mean_x)), theme::kTheory, 2.0f);
    const double y_lo = std::min(spec.y0, spec.y1), y_hi = std::max(spec.y0, spec.y1);
    auto ypix = [&](double val) { return a.sy(std::clamp(val, y_lo, y_hi)); };
    for (size_t i = 1; i < n; ++i)
        dl->AddLine(ImVec2(a.sx(static_cast<double>(i)), ypix(v.running[i - 1])),
                    ImVec2(a.sx(static_cast<double>(i + 1)), ypix(v.running[i])), theme::kSample, 2.0f);
    end_plot();
    paint::end_visual();
}

std::string dropout_code(const DropoutVisual& v, const VisualContext& c) {
    const std::string keep = code::py_num(std::round(static_cast<double>(v.keep < 0 ? c.params.value("keep_prob", 0.5) : v.keep) * 100) / 100);
    std::string out = "import torch\n";
    out += "g = torch.Generator().manual_seed(" + std::to_string(c.app.sampler.settings.seed) + ")\n";
    out += "keep_prob, M = " + keep + ", " + std::to_string(v.draws > 0 ? v.draws : c.params.value("draws", 200)) + "\n";
    out += "i = torch.arange(28, dtype=torch.float32)\n";
    out += "r = ((i[:, None] - 13.5) ** 2 + (i[None, :] - 13.5) ** 2).sqrt()\n";
    out += "x = torch.exp(-((r - 8) / 2.5) ** 2)  # the image: a ring\n";
    out += "mask = torch.bernoulli(torch.full(x.shape, keep_prob), generator=g)\n";
    out += "y = x * mask / keep_prob             # inverted dropout\n";
    out += "print(y.shape, y.dtype)\n";
    out += "ys = torch.stack([x * torch.bernoulli(torch.full(x.shape, keep_prob), generator=g) / keep_prob\n";
    out += "                  for _ in range(M)])\n";
    out += "print(\"mean of x:\", x.mean().item(), \" mean of y over\", M, \"draws:\", ys.mean().item())\n";
    out += "# in a network: torch.nn.functional.dropout(x, p=1 - keep_prob, training=True)\n";
    return out;
}

}  // namespace

LessonVisual dropout_visual() { return make_visual<DropoutVisual>("dropout", dropout_update, dropout_draw, dropout_code,
                       {VisualParam::number("keep_prob", 0.05, 1.0), VisualParam::integer("draws", 1, 2000)}); }

}  // namespace nl::gui
