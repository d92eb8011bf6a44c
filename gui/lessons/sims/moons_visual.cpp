// Lesson 15's visual ("seed_sweep"): K training runs of a tiny MLP on two moons that differ only
// in the seed, advanced a bounded number of steps per frame; left, the validation set over the
// current run's decision regions; right, every finished run's validation accuracy as a dot on a
// strip with the mean and +-1 std, and a histogram of the accuracies.
// The K runs train one after another (hand-written, CPU) or all at once as batched tensor ops
// (BatchedMoons), on cuda:0 when there is one: "training": "auto" picks batched on a GPU,
// one after another otherwise.
// visual_params: {"k": 20, "epochs": 20, "hidden": 16, "lr": 0.01, "optim": "adam" | "sgd",
//                 "noise": 0.25, "first_seed": 0, "steps_per_frame": 400,
//                 "training": "auto" | "sequential" | "batched"}
#include <algorithm>
#include <cfloat>
#include <cmath>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <imgui.h>

#include "gui/lessons/sims/devices.h"
#include "gui/lessons/sims/moons.h"
#include "gui/lessons/sims/sim_ui.h"
#include "gui/lessons/sims/sims_visuals.h"
#include "gui/plot.h"
#include "gui/text_fit.h"

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
    int batched = 0;          // 0: one run after another on the CPU, 1: all K at once (batched tensor ops)
    std::string gpu_missing;  // why cuda:0 is not used for the batched runs ("" when it is)
    std::string key;
    std::unique_ptr<SeedSweep> sweep;
    // The reproducibility check, once the sweep is done: one after another, the first seed trained
    // again from scratch; batched, all K again (the batch is what runs on the device), advanced
    // with the same budget per frame as the sweep.
    std::unique_ptr<SeedSweep> again;
    bool rerun_done = false;
    std::vector<double> rerun_accuracy;
    // Decision regions of the run shown, recomputed when its parameters change.
    int64_t regions_version = -2;
    std::vector<float> regions;
};

std::string key_of(const MoonsVisual& s) {
    return std::to_string(s.k) + "/" + std::to_string(s.cfg.epochs) + "/" + std::to_string(s.cfg.hidden) + "/" +
           fmt("%.6g", s.lr) + "/" + std::to_string(s.optim) + "/" + fmt("%.4g", s.noise) + "/" + std::to_string(s.first_seed) + "/" + std::to_string(s.batched);
}

Device batched_device(const MoonsVisual& s) { return s.gpu_missing.empty() ? Device::cuda(0) : Device::cpu(); }

std::optional<Device> sweep_device(const MoonsVisual& s) {
    if (!s.batched) return std::nullopt;
    return batched_device(s);
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
        s.gpu_missing = gpu_unavailable_reason();
        const std::string training = param_str(c.params, "training", "auto");
        s.batched = training == "batched" || (training == "auto" && s.gpu_missing.empty());
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
        s.sweep = std::make_unique<SeedSweep>(s.cfg, s.k, static_cast<uint64_t>(s.first_seed), sweep_device(s));
        s.again.reset();
        s.rerun_done = false;
        s.regions_version = -2;
    }
    // Bounded work per frame (batched: steps_per_frame / K steps of all runs, at least one).
    s.sweep->advance(s.steps_per_frame);
    if (s.sweep->done() && !s.rerun_done) {
        if (s.sweep->batched()) {
            if (!s.again) s.again = std::make_unique<SeedSweep>(s.cfg, s.k, static_cast<uint64_t>(s.first_seed), sweep_device(s));
            if (s.again->advance(s.steps_per_frame)) {
                s.rerun_accuracy = s.again->accuracies();
                s.rerun_done = true;
                s.again.reset();
            }
        } else {
            MoonsRun r(s.cfg, static_cast<uint64_t>(s.first_seed), &s.sweep->train());
            while (!r.done()) r.step(1 << 20);
            s.rerun_accuracy = {r.accuracy(s.sweep->val())};
            s.rerun_done = true;
        }
    }
    if (s.rerun_done) {
        const std::vector<double>& acc = s.sweep->accuracies();
        const bool same = std::equal(s.rerun_accuracy.begin(), s.rerun_accuracy.end(), acc.begin());
        c.check("same seed, same accuracy, exactly", same,
                s.sweep->batched()
                    ? "all " + std::to_string(s.k) + " seeds trained again: " + (same ? "identical accuracies" : "accuracies differ")
                    : "seed " + std::to_string(s.first_seed) + ": " + fmt("%.4f", acc.front()) + " in the sweep, " +
                          fmt("%.4f", s.rerun_accuracy.front()) + " trained again");
        c.check("different seeds spread", s.sweep->stddev() > 0,
                std::to_string(s.k) + " seeds: " + fmt("%.4f", s.sweep->mean()) + " +- " + fmt("%.4f", s.sweep->stddev()));
    }
    if (s.sweep->shown_version() != s.regions_version) {
        s.regions_version = s.sweep->shown_version();
        const std::vector<float> p = s.sweep->shown_params();
        s.regions.assign(kBoundaryRes * kBoundaryRes, 0.5f);
        for (int j = 0; j < kBoundaryRes && !p.empty(); ++j)
            for (int i = 0; i < kBoundaryRes; ++i) {
                const float x = -1.5f + 4.0f * (i + 0.5f) / kBoundaryRes, y = 1.75f - 3.0f * (j + 0.5f) / kBoundaryRes;
                s.regions[static_cast<size_t>(j * kBoundaryRes + i)] = mlp_probability(p, s.cfg.hidden, x, y);
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
    spec.y_label = "validation set, current run's regions";
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
    spec.y_ticks = false;  // the dots' heights are a jitter, not a value
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
    spec.y_ticks = true;
    const int bins = 20;
    std::vector<int> h(bins, 0);
    for (double a : acc) h[static_cast<size_t>(std::clamp(static_cast<int>((a - lo) / (hi - lo) * bins), 0, bins - 1))]++;
    int top = 1;
    for (int v : h) top = std::max(top, v);
    spec.y1 = top + 0.5;
    const float hist_h = size.y - strip_h - ImGui::GetTextLineHeight() - 2 * ImGui::GetStyle().ItemSpacing.y;
    const PlotArea a = begin_plot("##acc_hist", ImVec2(size.x, std::max(hist_h, ImGui::GetFontSize() * 5)), spec);
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
        const float item_w = 110.0f * c.scale;
        ImGui::PushItemWidth(item_w);
        ImGui::SliderInt("K seeds", &s.k, 2, 60);
        same_line_if_fits(labelled_width(item_w, "epochs"));
        ImGui::SliderInt("epochs", &s.cfg.epochs, 1, 200);
        same_line_if_fits(labelled_width(item_w, "hidden"));
        ImGui::SliderInt("hidden", &s.cfg.hidden, 2, 32);
        same_line_if_fits(labelled_width(item_w, "lr"));
        ImGui::SliderFloat("lr", &s.lr, 0.001f, 1.0f, "%.3f", ImGuiSliderFlags_Logarithmic);
        same_line_if_fits(labelled_width(item_w, "data noise"));
        ImGui::SliderFloat("data noise", &s.noise, 0.0f, 0.6f, "%.2f");
        same_line_if_fits(labelled_width(item_w, "first seed"));
        ImGui::InputInt("first seed", &s.first_seed);
        ImGui::PopItemWidth();
        ImGui::RadioButton("SGD", &s.optim, 0);
        ImGui::SameLine();
        ImGui::RadioButton("Adam", &s.optim, 1);
        same_line_if_fits(checkbox_width("one seed after another (CPU)"), 24.0f * c.scale);
        ImGui::RadioButton("one seed after another (CPU)", &s.batched, 0);
        if (ImGui::IsItemHovered())
            ImGui::SetTooltip("Each seed's network trained alone by a hand-written loop, seed after seed.");
        const std::string all_at_once = "all " + std::to_string(s.k) + " at once (batched, " + batched_device(s).str() + ")";
        same_line_if_fits(checkbox_width(all_at_once.c_str()));
        ImGui::RadioButton(all_at_once.c_str(), &s.batched, 1);
        if (ImGui::IsItemHovered())
            ImGui::SetTooltip("%s", s.gpu_missing.empty()
                                        ? "Every weight is a [K, ...] tensor on the GPU: each step is one batched matmul per layer for all K seeds."
                                        : ("Every weight is a [K, ...] tensor: each step is one batched matmul per layer for all K seeds. "
                                           "On the CPU here: " + s.gpu_missing).c_str());
        same_line_if_fits(button_width("Train again"));
        if (ImGui::Button("Train again")) s.key.clear();
        if (!s.sweep) {
            end_sim_window();
            return;
        }
        const SeedSweep& w = *s.sweep;
        const std::string prog = std::to_string(w.runs_done()) + " of " + std::to_string(w.k()) + " runs";
        same_line_if_fits(ImGui::CalcTextSize(prog.c_str()).x + ImGui::GetFontSize() * 4);
        ImGui::ProgressBar(static_cast<float>(w.progress()), ImVec2(-FLT_MIN, 0), prog.c_str());  // the rest of the row
        if (w.runs_done() >= 2)
            text_wrapped("validation accuracy over " + std::to_string(w.runs_done()) + " seeds: " + fmt("%.2f", 100 * w.mean()) +
                         "% +- " + fmt("%.2f", 100 * w.stddev()) + "% (mean +- std), min " +
                         fmt("%.2f", 100 * *std::min_element(w.accuracies().begin(), w.accuracies().end())) + "%, max " +
                         fmt("%.2f", 100 * *std::max_element(w.accuracies().begin(), w.accuracies().end())) + "%");
        else if (w.batched())
            text_wrapped(theme::text_dim(), "training seeds " + std::to_string(s.first_seed) + " to " +
                                                std::to_string(int64_t{s.first_seed} + s.k - 1) + " together ...");
        else
            text_wrapped(theme::text_dim(), "training seed " + std::to_string(int64_t{s.first_seed} + w.runs_done()) + " ...");
        if (s.rerun_done && w.batched()) {
            const bool same = s.rerun_accuracy == w.accuracies();
            text_wrapped(same ? theme::text_ok() : theme::text_error(), "all " + std::to_string(s.k) + " seeds trained again from scratch: " +
                                                                            (same ? "the same accuracies, exactly" : "accuracies differ"));
        } else if (s.rerun_done) {
            text_wrapped(s.rerun_accuracy.front() == w.accuracies().front() ? theme::text_ok() : theme::text_error(),
                         "seed " + std::to_string(s.first_seed) + " trained again from scratch: " + fmt("%.4f", s.rerun_accuracy.front()) +
                             ", in the sweep: " + fmt("%.4f", w.accuracies().front()));
        }
        if (w.done()) {
            std::string how = w.batched() ? "all " + std::to_string(s.k) + " seeds at once on " + w.batched_device()->str()
                                          : "one seed after another on the cpu";
            if (w.batched() && !s.gpu_missing.empty()) how += " (no GPU here: " + s.gpu_missing + ")";
            text_wrapped(theme::text_dim(), "trained in " + fmt("%.0f", w.train_ms()) + " ms, " + how);
        }
        // The plots keep a readable height when the controls above took most of a small window
        // (the window then scrolls; 12 lines still fit a 1024 x 768 projector in presentation mode).
        const ImVec2 avail = ImGui::GetContentRegionAvail();
        const float plot_h = std::max(avail.y - 4, ImGui::GetFontSize() * 12);
        const float left = std::floor(std::min(avail.x * 0.5f, plot_h * 1.33f));
        data_plot(s, ImVec2(left, plot_h));
        ImGui::SameLine(0, 12.0f * c.scale);
        ImGui::BeginGroup();
        accuracy_plot(s, ImVec2(avail.x - left - 12.0f * c.scale, plot_h));
        ImGui::EndGroup();
    }
    end_sim_window();
}

std::string moons_code(const MoonsVisual& s, const VisualContext&) {
    const std::string H = std::to_string(s.cfg.hidden), noise = fmt("%.2f", s.noise);
    const std::string net = "nn.Sequential(nn.Linear(2, " + H + "), nn.ReLU(), nn.Linear(" + H + ", " + H +
                            "), nn.ReLU(), nn.Linear(" + H + ", 1))";
    const std::string optim = "torch.optim." + std::string(s.optim ? "Adam" : "SGD");
    const std::string lr = fmt("%.4g", s.lr), epochs = std::to_string(s.cfg.epochs);
    const std::string seeds = "range(" + std::to_string(s.first_seed) + ", " +
                              std::to_string(int64_t{s.first_seed} + s.k) + ")";  // int64: first_seed may be INT_MAX
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
        "Xva, yva = make_moons(1000, " + noise + ", 1)\n\n";
    if (s.batched) {
        out +=
            "device = \"cuda\" if torch.cuda.is_available() else \"cpu\"\n"
            "# Each seed's initial weights, and a generator that goes on from there for its batch order,\n"
            "# exactly as training that seed alone would draw them.\n"
            "nets, gens = [], []\n"
            "for seed in " + seeds + ":\n"
            "    torch.manual_seed(seed)\n"
            "    nets.append(" + net + ")\n"
            "    gens.append(torch.Generator())\n"
            "    gens[-1].set_state(torch.get_rng_state())\n"
            "# All K networks as one: each weight a [K, ...] tensor, each layer one batched matmul for\n"
            "# every seed (on a GPU the K runs share each kernel launch). The optimiser is elementwise,\n"
            "# so stacking the runs changes nothing.\n"
            "W = [torch.stack([p.detach() for p in ps]).to(device).requires_grad_()\n"
            "     for ps in zip(*[n.parameters() for n in nets])]\n"
            "opt = " + optim + "(W, lr=" + lr + ")\n\n"
            "def forward(x):  # [K, B, 2] -> logits [K, B]\n"
            "    for i in range(0, len(W), 2):\n"
            "        x = torch.baddbmm(W[i + 1].unsqueeze(1), x, W[i].transpose(1, 2))\n"
            "        x = x.relu() if i + 2 < len(W) else x\n"
            "    return x.squeeze(-1)\n\n"
            "Xd, yd = Xtr.to(device), ytr.to(device)\n"
            "for epoch in range(" + epochs + "):\n"
            "    perms = torch.stack([torch.randperm(len(Xtr), generator=g) for g in gens]).to(device)  # [K, n]\n"
            "    for idx in perms.split(32, dim=1):\n"
            "        losses = nn.functional.binary_cross_entropy_with_logits(forward(Xd[idx]), yd[idx], reduction=\"none\")\n"
            "        opt.zero_grad()\n"
            "        losses.mean(1).sum().backward()  # each run's gradient is its own mean loss's\n"
            "        opt.step()\n"
            "with torch.no_grad():\n"
            "    logits = forward(Xva.to(device).expand(len(nets), -1, -1))\n"
            "    acc = ((logits > 0).float() == yva.to(device)).float().mean(1).cpu()\n";
    } else {
        out +=
            "def train(seed):\n"
            "    torch.manual_seed(seed)  # decides the initial weights and the batch order\n"
            "    net = " + net + "\n"
            "    opt = " + optim + "(net.parameters(), lr=" + lr + ")\n"
            "    for epoch in range(" + epochs + "):\n"
            "        for idx in torch.randperm(len(Xtr)).split(32):\n"
            "            loss = nn.functional.binary_cross_entropy_with_logits(net(Xtr[idx]).squeeze(1), ytr[idx])\n"
            "            opt.zero_grad()\n"
            "            loss.backward()\n"
            "            opt.step()\n"
            "    with torch.no_grad():\n"
            "        return ((net(Xva).squeeze(1) > 0).float() == yva).float().mean().item()\n\n"
            "acc = torch.tensor([train(seed) for seed in " + seeds + "])\n";
    }
    out +=
        "print(acc.shape, acc.dtype)\n"
        "print(f\"validation accuracy over {len(acc)} seeds: {acc.mean():.4f} +- {acc.std():.4f}\")\n";
    return out;
}

}  // namespace

LessonVisual moons_visual() { return make_visual<MoonsVisual>("seed_sweep", moons_update, moons_draw, moons_code,
                       {VisualParam::integer("k", 2, 60), VisualParam::integer("epochs", 1, 200), VisualParam::integer("hidden", 2, 32),
                        VisualParam::number("lr", 0.001, 1.0), VisualParam::text("optim", {"adam", "sgd"}),
                        VisualParam::number("noise", 0.0, 0.6), VisualParam::integer("first_seed", 0, VisualParam::kMaxSeed),
                        VisualParam::integer("steps_per_frame", 1, 100000),
                        VisualParam::text("training", {"auto", "sequential", "batched"})}); }

}  // namespace nl::gui::sims
