// Lesson 15's visual ("seed_sweep"): K training runs of a tiny MLP on two moons that differ only
// in the seed, advanced a bounded number of steps per frame; left, the validation set over the
// current run's decision regions; right, every finished run's validation accuracy as a dot on a
// strip with the mean and +-1 std, and a histogram of the accuracies.
// visual_params: {"k": 20, "epochs": 20, "hidden": 16, "lr": 0.01, "optim": "adam" | "sgd",
//                 "noise": 0.25, "first_seed": 0, "steps_per_frame": 400}
#include <algorithm>
#include <cmath>
#include <memory>

#include <imgui.h>

#include "gui/lessons/sims/moons.h"
#include "gui/lessons/sims/sim_ui.h"
#include "gui/lessons/sims/sims_visuals.h"
#include "gui/plot.h"

namespace nl::gui::sims {

namespace {

constexpr int kBoundaryRes = 36;  // decision-region cells per side
constexpr ImU32 kClass0 = theme::kSample, kClass1 = theme::kTheory;

struct MoonsVisual {
    bool initialised = false;
    TrainConfig cfg;
    int k = 20;
    int first_seed = 0;
    int optim = 1;  // 0 SGD, 1 Adam
    float lr = 0.01f, noise = 0.25f;
    int steps_per_frame = 400;
    std::string key;
    std::unique_ptr<SeedSweep> sweep;
    // The reproducibility check: the first seed trained again from scratch once the sweep is done.
    bool rerun_done = false;
    double rerun_accuracy = -1;
    // Decision regions of the run shown, recomputed when its step count changes.
    int regions_step = -1;
    const MoonsRun* regions_run = nullptr;
    std::vector<float> regions;
};

std::string key_of(const MoonsVisual& s) {
    return std::to_string(s.k) + "/" + std::to_string(s.cfg.epochs) + "/" + std::to_string(s.cfg.hidden) + "/" +
           fmt("%.6g", s.lr) + "/" + std::to_string(s.optim) + "/" + fmt("%.4g", s.noise) + "/" + std::to_string(s.first_seed);
}

void moons_update(MoonsVisual& s, const VisualContext& c) {
    if (!s.initialised) {
        s.initialised = true;
        s.k = static_cast<int>(param_num(c.params, "k", 20));
        s.cfg.epochs = static_cast<int>(param_num(c.params, "epochs", 20));
        s.cfg.hidden = static_cast<int>(param_num(c.params, "hidden", 16));
        s.lr = static_cast<float>(param_num(c.params, "lr", 0.01));
        s.optim = param_str(c.params, "optim", "adam") == "adam" ? 1 : 0;
        s.noise = static_cast<float>(param_num(c.params, "noise", 0.25));
        s.first_seed = static_cast<int>(param_num(c.params, "first_seed", 0));
        s.steps_per_frame = static_cast<int>(param_num(c.params, "steps_per_frame", 400));
    }
    s.k = std::clamp(s.k, 2, 60);
    s.cfg.epochs = std::clamp(s.cfg.epochs, 1, 200);
    s.cfg.hidden = std::clamp(s.cfg.hidden, 2, 32);
    s.lr = std::clamp(s.lr, 1e-4f, 2.0f);
    s.noise = std::clamp(s.noise, 0.0f, 0.6f);
    s.first_seed = std::max(0, s.first_seed);
    s.steps_per_frame = std::clamp(s.steps_per_frame, 1, 5000);
    const std::string key = key_of(s);
    if (key != s.key || !s.sweep) {
        s.key = key;
        s.cfg.lr = s.lr;
        s.cfg.noise = s.noise;
        s.cfg.optim = s.optim ? Optim::Adam : Optim::SGD;
        s.sweep = std::make_unique<SeedSweep>(s.cfg, s.k, static_cast<uint64_t>(s.first_seed));
        s.rerun_done = false;
        s.regions_run = nullptr;
        s.regions_step = -1;
    }
    s.sweep->advance(s.steps_per_frame);  // bounded work per frame
    if (s.sweep->done() && !s.rerun_done) {
        MoonsRun r(s.cfg, static_cast<uint64_t>(s.first_seed), &s.sweep->train());
        while (!r.done()) r.step(1 << 20);
        s.rerun_accuracy = r.accuracy(s.sweep->val());
        s.rerun_done = true;
    }
    if (s.sweep->done()) {
        const double a0 = s.sweep->accuracies().front();
        c.check("same seed, same accuracy, exactly", s.rerun_accuracy == a0,
                "seed " + std::to_string(s.first_seed) + ": " + fmt("%.4f", a0) + " in the sweep, " +
                    fmt("%.4f", s.rerun_accuracy) + " trained again");
        c.check("different seeds spread", s.sweep->stddev() > 0,
                std::to_string(s.k) + " seeds: " + fmt("%.4f", s.sweep->mean()) + " +- " + fmt("%.4f", s.sweep->stddev()));
    }
    const MoonsRun* run = s.sweep->current();
    if (run && (run != s.regions_run || run->steps_done() != s.regions_step)) {
        s.regions_run = run;
        s.regions_step = run->steps_done();
        s.regions.assign(kBoundaryRes * kBoundaryRes, 0.5f);
        for (int j = 0; j < kBoundaryRes; ++j)
            for (int i = 0; i < kBoundaryRes; ++i) {
                const float x = -1.5f + 4.0f * (i + 0.5f) / kBoundaryRes, y = 1.75f - 3.0f * (j + 0.5f) / kBoundaryRes;
                s.regions[static_cast<size_t>(j * kBoundaryRes + i)] = run->predict(x, y);
            }
    }
}

void data_plot(const MoonsVisual& s, ImVec2 size) {
    PlotSpec spec;
    spec.x0 = -1.5;
    spec.x1 = 2.5;
    spec.y0 = -1.25;
    spec.y1 = 1.75;
    spec.x_label = "x0";
    spec.y_label = "validation set over the current run's regions";
    spec.equal_aspect = true;
    const PlotArea a = begin_plot("##moons_data", size, spec);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    if (!s.regions.empty()) {
        const float cw = (a.max.x - a.min.x) / kBoundaryRes, ch = (a.max.y - a.min.y) / kBoundaryRes;
        for (int j = 0; j < kBoundaryRes; ++j)
            for (int i = 0; i < kBoundaryRes; ++i) {
                const float p = s.regions[static_cast<size_t>(j * kBoundaryRes + i)];
                const ImU32 col = mix(theme::kPlotBackground, p >= 0.5f ? kClass1 : kClass0, 0.12f + 0.25f * std::fabs(p - 0.5f) * 2);
                dl->AddRectFilled(ImVec2(a.min.x + i * cw, a.min.y + j * ch), ImVec2(a.min.x + (i + 1) * cw, a.min.y + (j + 1) * ch), col);
            }
    }
    const Moons& v = s.sweep->val();
    std::vector<ImVec2> p0, p1;
    for (int i = 0; i < v.n(); ++i) (v.y[i] ? p1 : p0).emplace_back(a.sx(v.x[2 * i]), a.sy(v.x[2 * i + 1]));
    draw_markers(dl, p0.data(), static_cast<int>(p0.size()), 1.8f, kClass0);
    draw_markers(dl, p1.data(), static_cast<int>(p1.size()), 1.8f, kClass1);
    end_plot();
}

void accuracy_plot(const MoonsVisual& s, ImVec2 size) {
    const std::vector<double>& acc = s.sweep->accuracies();
    double lo = 1.0, hi = 0.0;
    for (double a : acc) lo = std::min(lo, a), hi = std::max(hi, a);
    if (acc.empty()) lo = 0.8, hi = 1.0;
    lo = std::floor((lo - 0.01) * 50) / 50, hi = std::min(1.0, std::ceil((hi + 0.01) * 50) / 50);
    const float strip_h = size.y * 0.3f;
    PlotSpec spec;
    spec.x0 = lo;
    spec.x1 = hi;
    spec.y0 = 0;
    spec.y1 = 1;
    spec.x_label = "validation accuracy";
    spec.y_label = "one dot per seed";
    {
        const PlotArea a = begin_plot("##acc_strip", ImVec2(size.x, strip_h), spec);
        ImDrawList* dl = ImGui::GetWindowDrawList();
        if (acc.size() >= 2) {
            const double m = s.sweep->mean(), sd = s.sweep->stddev();
            dl->AddRectFilled(ImVec2(a.sx(m - sd), a.min.y), ImVec2(a.sx(m + sd), a.max.y), mix(theme::kPlotBackground, kSame, 0.25f));
            dl->AddLine(ImVec2(a.sx(m), a.min.y), ImVec2(a.sx(m), a.max.y), theme::kSampleHover, 2.0f);
        }
        for (size_t i = 0; i < acc.size(); ++i) {
            // Dots jitter vertically by seed so equal accuracies stay visible.
            const float y = a.min.y + (a.max.y - a.min.y) * (0.2f + 0.6f * static_cast<float>((i * 37) % 17) / 16.0f);
            dl->AddCircleFilled(ImVec2(a.sx(acc[i]), y), 4.0f, i == 0 ? theme::kTheory : theme::kSampleHover);
        }
        end_plot();
    }
    ImGui::Dummy(ImVec2(1, ImGui::GetTextLineHeight()));
    spec.y_label = "runs per bin";
    const int bins = 20;
    std::vector<int> h(bins, 0);
    for (double a : acc) h[static_cast<size_t>(std::clamp(static_cast<int>((a - lo) / (hi - lo) * bins), 0, bins - 1))]++;
    int top = 1;
    for (int v : h) top = std::max(top, v);
    spec.y1 = top + 0.5;
    const PlotArea a = begin_plot("##acc_hist", ImVec2(size.x, ImGui::GetContentRegionAvail().y - 4), spec);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    for (int b = 0; b < bins; ++b) {
        if (!h[static_cast<size_t>(b)]) continue;
        const double x0 = lo + (hi - lo) * b / bins, x1 = lo + (hi - lo) * (b + 1) / bins;
        dl->AddRectFilled(ImVec2(a.sx(x0) + 1, a.sy(h[static_cast<size_t>(b)])), ImVec2(a.sx(x1) - 1, a.sy(0)), kSame);
    }
    end_plot();
}

void moons_draw(MoonsVisual& s, const VisualContext& c) {
    if (begin_sim_window(c, "Randomness in training: one model, K seeds")) {
        ImGui::PushItemWidth(110.0f * c.scale);
        ImGui::SliderInt("K seeds", &s.k, 2, 60);
        ImGui::SameLine();
        ImGui::SliderInt("epochs", &s.cfg.epochs, 1, 200);
        ImGui::SameLine();
        ImGui::SliderInt("hidden", &s.cfg.hidden, 2, 32);
        ImGui::SameLine();
        ImGui::SliderFloat("lr", &s.lr, 0.001f, 1.0f, "%.3f", ImGuiSliderFlags_Logarithmic);
        ImGui::SameLine();
        ImGui::SliderFloat("data noise", &s.noise, 0.0f, 0.6f, "%.2f");
        ImGui::SameLine();
        ImGui::InputInt("first seed", &s.first_seed);
        ImGui::PopItemWidth();
        ImGui::RadioButton("SGD", &s.optim, 0);
        ImGui::SameLine();
        ImGui::RadioButton("Adam", &s.optim, 1);
        ImGui::SameLine();
        if (ImGui::Button("Train again")) s.key.clear();
        if (!s.sweep) {
            end_sim_window();
            return;
        }
        const SeedSweep& w = *s.sweep;
        ImGui::SameLine();
        const std::string prog = std::to_string(w.runs_done()) + " of " + std::to_string(w.k()) + " runs";
        ImGui::ProgressBar(static_cast<float>(w.progress()), ImVec2(200.0f * c.scale, 0), prog.c_str());
        if (w.runs_done() >= 2)
            ImGui::Text("validation accuracy over %d seeds: %.2f%% +- %.2f%% (mean +- std), min %.2f%%, max %.2f%%",
                        w.runs_done(), 100 * w.mean(), 100 * w.stddev(),
                        100 * *std::min_element(w.accuracies().begin(), w.accuracies().end()),
                        100 * *std::max_element(w.accuracies().begin(), w.accuracies().end()));
        else
            ImGui::TextColored(theme::text_dim(), "training seed %lld ...", static_cast<long long>(s.first_seed) + w.runs_done());
        if (s.rerun_done)
            ImGui::TextColored(s.rerun_accuracy == w.accuracies().front() ? theme::text_ok() : theme::text_error(),
                               "seed %d trained again from scratch: %.4f, in the sweep: %.4f", s.first_seed, s.rerun_accuracy,
                               w.accuracies().front());
        const ImVec2 avail = ImGui::GetContentRegionAvail();
        const float left = std::floor(std::min(avail.x * 0.5f, avail.y * 1.33f));
        data_plot(s, ImVec2(left, avail.y - 4));
        ImGui::SameLine(0, 12.0f * c.scale);
        ImGui::BeginGroup();
        accuracy_plot(s, ImVec2(avail.x - left - 12.0f * c.scale, avail.y - 4));
        ImGui::EndGroup();
    }
    end_sim_window();
}

std::string moons_code(const MoonsVisual& s, const VisualContext&) {
    const std::string H = std::to_string(s.cfg.hidden), noise = fmt("%.2f", s.noise);
    std::string out =
        "import math\nimport torch\nfrom torch import nn\n\n"
        "def make_moons(n, noise, seed):  # as sklearn.datasets.make_moons\n"
        "    g = torch.Generator().manual_seed(seed)\n"
        "    t0, t1 = torch.linspace(0, math.pi, n // 2), torch.linspace(0, math.pi, n - n // 2)\n"
        "    X = torch.cat([torch.stack([t0.cos(), t0.sin()], 1), torch.stack([1 - t1.cos(), 0.5 - t1.sin()], 1)])\n"
        "    y = torch.cat([torch.zeros(n // 2), torch.ones(n - n // 2)])\n"
        "    perm = torch.randperm(n, generator=g)\n"
        "    return X[perm] + noise * torch.randn(n, 2, generator=g), y[perm]\n\n"
        "Xtr, ytr = make_moons(200, " + noise + ", 0)   # the same data for every run\n"
        "Xva, yva = make_moons(1000, " + noise + ", 1)\n\n"
        "def train(seed):\n"
        "    torch.manual_seed(seed)  # decides the initial weights and the batch order\n"
        "    net = nn.Sequential(nn.Linear(2, " + H + "), nn.ReLU(), nn.Linear(" + H + ", " + H + "), nn.ReLU(), nn.Linear(" + H + ", 1))\n"
        "    opt = torch.optim." + std::string(s.optim ? "Adam" : "SGD") + "(net.parameters(), lr=" + fmt("%.4g", s.lr) + ")\n"
        "    for epoch in range(" + std::to_string(s.cfg.epochs) + "):\n"
        "        for idx in torch.randperm(len(Xtr)).split(32):\n"
        "            loss = nn.functional.binary_cross_entropy_with_logits(net(Xtr[idx]).squeeze(1), ytr[idx])\n"
        "            opt.zero_grad()\n"
        "            loss.backward()\n"
        "            opt.step()\n"
        "    with torch.no_grad():\n"
        "        return ((net(Xva).squeeze(1) > 0).float() == yva).float().mean().item()\n\n"
        "acc = torch.tensor([train(seed) for seed in range(" + std::to_string(s.first_seed) + ", " +
        std::to_string(int64_t{s.first_seed} + s.k) + ")])\n"  // int64: first_seed may be INT_MAX
        "print(acc.shape, acc.dtype)\n"
        "print(f\"validation accuracy over {len(acc)} seeds: {acc.mean():.4f} +- {acc.std():.4f}\")\n";
    return out;
}

}  // namespace

LessonVisual moons_visual() { return make_visual<MoonsVisual>("seed_sweep", moons_update, moons_draw, moons_code,
                       {VisualParam::integer("k", 2, 60), VisualParam::integer("epochs", 1, 200), VisualParam::integer("hidden", 2, 32),
                        VisualParam::number("lr", 0.001, 1.0), VisualParam::text("optim", {"adam", "sgd"}),
                        VisualParam::number("noise", 0.0, 0.6), VisualParam::integer("first_seed", 0, VisualParam::kMaxSeed),
                        VisualParam::integer("steps_per_frame", 1, 100000)}); }

}  // namespace nl::gui::sims
