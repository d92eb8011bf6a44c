// Lesson 7: multinomial sampling from logits with temperature, top-k and top-p. A small
// vocabulary of 10 named tokens (clear bars) or V = 50,000 random logits (the top 40 shown):
// softmax(logits / T) → top-k → top-p → renormalise → n draws with torch.multinomial. Bars are
// the probabilities (grey outline: before filtering), orange ticks the empirical frequencies, and
// the total-variation distance between them falls as n grows. Asserted: filtered tokens are never
// drawn and the kept probabilities sum to 1. Draws from a local Generator(seed).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>

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

const char* kVocabWords[10] = {"the", "a", "cat", "dog", "sat", "on", "mat", "ran", "big", "red"};
const double kSmallLogits[10] = {3.0, 2.2, 1.8, 1.0, 0.5, 0.2, -0.3, -1.0, -1.5, -2.0};
constexpr int64_t kLargeV = 50000;
constexpr int kShownLarge = 40;

struct MultiVisual {
    bool init = false;
    bool large = false;
    float temperature = 1.0f;
    int top_k = 0;          // 0: off
    float top_p = 1.0f;     // 1: off
    int samples = 20000;
    uint64_t seed = ~uint64_t(0);
    bool dirty = true;
    std::vector<double> raw, probs, freq;  // softmax(logits / T); after top-k/top-p; empirical
    std::vector<int64_t> order;            // tokens by raw probability, descending
    std::vector<std::pair<int, double>> tv;  // (n, total variation distance after n draws)
    int64_t drawn_filtered = 0;            // draws of tokens whose probability is 0
    double kept_sum = 0;
};

int64_t vocab(const MultiVisual& v) { return v.large ? kLargeV : 10; }
double temp_of(const MultiVisual& v) { return std::round(static_cast<double>(v.temperature) * 100) / 100; }
double top_p_of(const MultiVisual& v) { return std::round(static_cast<double>(v.top_p) * 100) / 100; }

void multi_update(MultiVisual& v, const VisualContext& c) {
    if (!v.init) {
        v.init = true;
        v.large = c.params.value("large", false);
        v.temperature = static_cast<float>(c.params.value("temperature", 1.0));
        v.top_k = c.params.value("top_k", 0);
        v.top_p = static_cast<float>(c.params.value("top_p", 1.0));
        v.samples = c.params.value("samples", 20000);
    }
    const uint64_t seed = c.app.sampler.settings.seed;
    if (v.dirty || seed != v.seed) {
        v.dirty = false;
        v.seed = seed;
        const int64_t V = vocab(v);
        Generator g(seed);
        Tensor logits = v.large ? randn({V}, DType::Float32, &g) : from_vector(std::vector<double>(kSmallLogits, kSmallLogits + 10), {10});
        if (v.large) logits = from_vector([&] { auto l = logits.to_vector(); for (double& x : l) x = static_cast<float>(2.0f * static_cast<float>(x)); return l; }(), {V});
        v.raw = softmax_with_temperature(logits, temp_of(v)).to_vector();
        v.order.resize(static_cast<size_t>(V));
        std::iota(v.order.begin(), v.order.end(), 0);
        std::stable_sort(v.order.begin(), v.order.end(), [&](int64_t a, int64_t b) { return v.raw[a] > v.raw[b]; });
        // top-k: keep the probabilities >= the k-th largest (ties kept, as torch.where(p >= kth)).
        std::vector<double> p = v.raw;
        if (v.top_k > 0 && v.top_k < V) {
            const double kth = v.raw[v.order[static_cast<size_t>(v.top_k - 1)]];
            for (double& x : p)
                if (x < kth) x = 0;
        }
        double s = std::accumulate(p.begin(), p.end(), 0.0);
        for (double& x : p) x /= s;
        // top-p: keep the smallest prefix (by probability) whose mass before each token is < top_p.
        if (top_p_of(v) < 1.0) {
            double cum = 0;
            for (int64_t t : v.order) {
                const double pt = p[t];
                if (cum >= top_p_of(v)) p[t] = 0;
                cum += pt;
            }
            s = std::accumulate(p.begin(), p.end(), 0.0);
            for (double& x : p) x /= s;
        }
        v.probs = p;
        v.kept_sum = std::accumulate(p.begin(), p.end(), 0.0);
        const std::vector<int64_t> draws = multinomial(from_vector(p, {V}, DType::Float64), v.samples, true, &g).to_int_vector();
        std::vector<double> counts(static_cast<size_t>(V), 0.0);
        v.tv.clear();
        v.drawn_filtered = 0;
        int next = 10;
        for (size_t i = 0; i < draws.size(); ++i) {
            counts[static_cast<size_t>(draws[i])] += 1;
            v.drawn_filtered += p[static_cast<size_t>(draws[i])] == 0.0;
            const int n = static_cast<int>(i + 1);
            if (n == next || n == static_cast<int>(draws.size())) {
                double d = 0;
                for (size_t t = 0; t < counts.size(); ++t) d += std::fabs(counts[t] / n - p[t]);
                v.tv.push_back({n, d / 2});
                next = static_cast<int>(std::ceil(next * 1.6));
            }
        }
        v.freq.resize(counts.size());
        for (size_t t = 0; t < counts.size(); ++t) v.freq[t] = counts[t] / std::max(v.samples, 1);
    }
    char d1[80], d2[80];
    std::snprintf(d1, sizeof d1, "%lld of %d draws were filtered tokens", static_cast<long long>(v.drawn_filtered), v.samples);
    std::snprintf(d2, sizeof d2, "sum %.12f", v.kept_sum);
    c.check("tokens removed by top-k / top-p are never drawn", v.drawn_filtered == 0, d1);
    c.check("the kept probabilities sum to 1", std::fabs(v.kept_sum - 1.0) < 1e-9, d2);
}

void multi_draw(MultiVisual& v, const VisualContext& c) {
    paint::begin_visual(kLessonVisualWindow, c.rect);
    text_wrapped(theme::accent(), "softmax(logits / T) -> top-k -> top-p -> torch.multinomial");
    ImGui::Separator();
    const float fw = ImGui::GetFontSize();
    if (ImGui::RadioButton("10 tokens", !v.large)) v.large = false, v.top_k = std::min(v.top_k, 10), v.dirty = true;
    tooltip("A small vocabulary with named tokens: every bar visible.");
    same_line_if_fits(checkbox_width("V = 50,000"));
    if (ImGui::RadioButton("V = 50,000", v.large)) v.large = true, v.dirty = true;
    tooltip("A language model's vocabulary size: logits = 2 * randn(V); the 40 most likely tokens are shown.");
    same_line_if_fits(labelled_width(fw * 7, "T"));
    ImGui::SetNextItemWidth(fw * 7);
    if (ImGui::SliderFloat("T", &v.temperature, 0.05f, 3.0f, "%.2f", ImGuiSliderFlags_Logarithmic)) v.dirty = true;
    tooltip("Temperature, 0.05-3: below 1 sharpens the distribution, above 1 flattens it.");
    ImGui::SetNextItemWidth(fw * 7);
    if (ImGui::SliderInt("top-k", &v.top_k, 0, v.large ? 1000 : 10, v.top_k == 0 ? "off" : "%d")) v.dirty = true;
    tooltip("Keep only the k most likely tokens (0: off).");
    same_line_if_fits(labelled_width(fw * 7, "top-p"));
    ImGui::SetNextItemWidth(fw * 7);
    if (ImGui::SliderFloat("top-p", &v.top_p, 0.05f, 1.0f, v.top_p >= 1.0f ? "off" : "%.2f")) v.dirty = true;
    tooltip("Keep the most likely tokens until their mass reaches p (1: off).");
    same_line_if_fits(labelled_width(fw * 8, "draws"));
    ImGui::SetNextItemWidth(fw * 8);
    if (ImGui::SliderInt("draws", &v.samples, 10, 200000, "%d", ImGuiSliderFlags_Logarithmic)) v.dirty = true;
    tooltip("How many tokens torch.multinomial draws, 10-200000.");
    if (v.probs.empty()) {
        paint::end_visual();
        return;
    }
    // Bars: the most likely tokens in order.
    const size_t shown = v.large ? kShownLarge : 10;
    std::vector<double> p(shown), raw(shown), f(shown);
    std::vector<bool> removed(shown);
    for (size_t i = 0; i < shown; ++i) {
        const int64_t t = v.large ? v.order[i] : static_cast<int64_t>(i);
        p[i] = v.probs[t];
        raw[i] = v.raw[t];
        f[i] = v.freq[t];
        removed[i] = p[i] == 0.0;
    }
    double mx = 0;
    for (size_t i = 0; i < shown; ++i) mx = std::max({mx, p[i], raw[i], f[i]});
    text_wrapped(theme::text_dim(), std::string(v.large ? "the 40 most likely of 50,000 tokens" : "all 10 tokens") +
                                        ": probability (blue), before top-k/top-p (grey outline), drawn frequency (orange tick)");
    // The bars give up height before the convergence plot goes below the fold (a projector at
    // 1024 x 768 in presentation mode): below them come the labels, two wrapped lines of counts
    // and the plot; what is left is shared 55 : 45 between bars and plot.
    const float line = ImGui::GetTextLineHeightWithSpacing();
    const float shared = ImGui::GetContentRegionAvail().y - (3 * line + 4);
    const float w = ImGui::GetContentRegionAvail().x - 4;
    const float h = std::clamp(0.55f * shared, 120.0f, std::max(120.0f, c.rect.h * 0.42f));
    const float plot_min = 110.0f;
    const ImVec2 p0 = ImGui::GetCursorScreenPos();
    paint::bars(p, mx * 1.05, w, h, f);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float bw = w / static_cast<float>(shown);
    for (size_t i = 0; i < shown; ++i) {
        const float bh = static_cast<float>(raw[i] / (mx * 1.05)) * (h - 2);
        dl->AddRect(ImVec2(p0.x + i * bw + 1, p0.y + h - bh), ImVec2(p0.x + (i + 1) * bw - 1, p0.y + h), theme::kOutside);
        if (!v.large) {
            const ImVec2 ts = ImGui::CalcTextSize(kVocabWords[i]);
            dl->AddText(ImVec2(p0.x + i * bw + (bw - ts.x) * 0.5f, p0.y + h + 2),
                        removed[i] ? ImGui::GetColorU32(theme::text_dim()) : ImGui::GetColorU32(ImGuiCol_Text), kVocabWords[i]);
        }
    }
    ImGui::Dummy(ImVec2(w, ImGui::GetTextLineHeight() + 4));
    int kept = 0;
    for (double x : v.probs) kept += x > 0;
    text_wrapped(std::to_string(kept) + " of " + std::to_string(vocab(v)) + " tokens can be drawn; " +
                 std::to_string(v.drawn_filtered) + " of " + std::to_string(v.samples) + " draws were filtered tokens");
    // Convergence: total variation distance against draws, log-log (its axis labels say what it
    // is; the lesson's text says how it falls).
    PlotSpec spec;
    spec.log_x = spec.log_y = true;
    spec.x0 = v.tv.empty() ? 1 : v.tv.front().first;
    spec.x1 = v.tv.empty() ? 10 : v.tv.back().first;
    spec.y0 = 1e-4;
    spec.y1 = 1;
    spec.x_label = "draws";
    spec.y_label = "total variation distance";
    const ImVec2 room = ImGui::GetContentRegionAvail();
    const PlotArea a = begin_plot("##tv", ImVec2(room.x - 4, std::max(plot_min, room.y - 8)), spec);
    auto at = [&](const std::pair<int, double>& q) { return ImVec2(a.sx(q.first), a.sy(std::clamp(q.second, 1e-4, 1.0))); };
    for (size_t i = 1; i < v.tv.size(); ++i) dl->AddLine(at(v.tv[i - 1]), at(v.tv[i]), theme::kSample, 2.0f);
    if (!v.tv.empty()) {
        const std::string last = "n = " + std::to_string(v.tv.back().first) + ": " + fmt_measured(v.tv.back().second);
        dl->AddText(ImVec2(a.max.x - ImGui::CalcTextSize(last.c_str()).x - 6, a.min.y + 4), theme::kAxisText, last.c_str());
    }
    end_plot();
    tooltip("Total variation distance, half the summed |frequency - probability| over the tokens, after each number of draws: "
            "it falls roughly as 1 / sqrt(n).");
    paint::end_visual();
}

std::string multi_code(const MultiVisual& v, const VisualContext& c) {
    std::string out = "import torch\n";
    out += "g = torch.Generator().manual_seed(" + std::to_string(c.app.sampler.settings.seed) + ")\n";
    if (v.large) {
        out += "V = 50000\n";
        out += "logits = 2 * torch.randn(V, generator=g)\n";
    } else {
        out += "words = [";
        for (int i = 0; i < 10; ++i) out += std::string(i ? ", " : "") + "\"" + kVocabWords[i] + "\"";
        out += "]\nlogits = torch.tensor([";
        for (int i = 0; i < 10; ++i) out += (i ? ", " : "") + code::py_num(kSmallLogits[i]);
        out += "])\n";
    }
    out += "T, top_k, top_p, n = " + code::py_num(temp_of(v)) + ", " + std::to_string(v.top_k) + ", " + code::py_num(top_p_of(v)) + ", " +
           std::to_string(v.samples) + "\n";
    out += "probs = torch.softmax(logits.double() / T, dim=-1)\n";
    out += "if top_k > 0:\n";
    out += "    kth = torch.topk(probs, top_k).values[-1]\n";
    out += "    probs = torch.where(probs >= kth, probs, torch.zeros_like(probs))\n";
    out += "probs = probs / probs.sum()\n";
    out += "if top_p < 1:\n";
    out += "    sorted_p, order = torch.sort(probs, descending=True)\n";
    out += "    before = torch.cumsum(sorted_p, 0) - sorted_p   # mass of the more likely tokens\n";
    out += "    probs[order[before >= top_p]] = 0\n";
    out += "    probs = probs / probs.sum()\n";
    out += "samples = torch.multinomial(probs, n, replacement=True, generator=g)\n";
    out += "freq = torch.bincount(samples, minlength=probs.numel()).double() / n\n";
    out += "print(samples.shape, samples.dtype)\n";
    out += "assert probs[samples].min() > 0  # filtered tokens are never drawn\n";
    out += "print(\"total variation distance:\", 0.5 * (freq - probs).abs().sum().item())\n";
    return out;
}

}  // namespace

LessonVisual multinomial_visual() { return make_visual<MultiVisual>("multinomial", multi_update, multi_draw, multi_code,
                       {VisualParam::boolean("large"), VisualParam::number("temperature", 0.05, 3.0), VisualParam::integer("top_k", 0, 1000),
                        VisualParam::number("top_p", 0.05, 1.0), VisualParam::integer("samples", 10, 200000)}); }

}  // namespace nl::gui
