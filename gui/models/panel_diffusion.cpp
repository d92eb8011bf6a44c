// The diffusion panel: a DDPM (ancestral) and a DDIM run from the same seed (so the same x_T) side
// by side, advanced a bounded number of steps per frame, with play / pause / step / scrub over the
// frames both have, x_t or the predicted x_0 at the shown step, and the histogram of x_t there.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include <imgui.h>

#include "gui/models/models_draw.h"
#include "gui/models/models_workspace.h"
#include "gui/panels.h"
#include "gui/plot.h"
#include "gui/theme.h"
#include "models/toy2d.h"
#include "models/weights.h"
#include "tensor/errors.h"

namespace nl::gui {

namespace {

std::string asset(const std::string& assets, const char* file) {
    return assets.empty() ? models::asset_path(file) : assets + "/" + file;
}

std::string settings_key(const DiffusionPanelState& d) {
    char buf[256];
    std::snprintf(buf, sizeof buf, "%d|%d|%d|%d|%d|%.4f|%.4f|%d|%.4f|%llu", d.source, d.digit, d.n_digits, d.n_points,
                  d.steps, d.guidance, d.eta, d.cosine ? 1 : 0, d.temperature, static_cast<unsigned long long>(d.seed));
    return buf;
}

void clamp_settings(DiffusionPanelState& d) {
    d.source = std::clamp(d.source, 0, 5);
    d.digit = std::clamp(d.digit, 0, 10);
    d.n_digits = std::clamp(d.n_digits, 1, 16);
    d.n_points = std::clamp(d.n_points, 100, 4000);
    d.steps = std::clamp(d.steps, 2, 1000);
    d.guidance = std::clamp(d.guidance, 0.0f, 8.0f);
    d.eta = std::clamp(d.eta, 0.0f, 1.0f);
    d.temperature = std::clamp(d.temperature, 0.0f, 1.5f);
    d.steps_per_frame = std::clamp(d.steps_per_frame, 1, 10);
}

void rebuild(DiffusionPanelState& d, const std::string& assets) {
    d.ddpm.reset();
    d.ddim.reset();
    d.eps.reset();
    d.scrub = -1;
    if (d.source == 0) {
        if (!d.unet) d.unet = std::make_shared<models::DigitsUNet>(models::Weights::load(asset(assets, "digits_diffusion.safetensors")));
        d.eps = std::make_shared<models::DigitsEps>(*d.unet, std::vector<int64_t>(d.n_digits, d.digit), d.guidance);
    } else {
        if (!d.toy) d.toy = std::make_shared<models::Toy2DNet>(models::Weights::load(asset(assets, "toy2d_diffusion.safetensors")));
        d.eps = std::make_shared<models::ToyEps>(*d.toy, d.source - 1);
    }
    const int64_t n = d.source == 0 ? d.n_digits : d.n_points;
    models::SamplerConfig c;
    c.schedule = d.cosine ? models::Schedule::Cosine : models::Schedule::Linear;
    c.steps = d.steps;
    c.temperature = d.temperature;
    c.sampler = models::SamplerKind::DDPM;
    d.ddpm = std::make_shared<models::DiffusionStepper>(*d.eps, n, c, d.seed);
    c.sampler = models::SamplerKind::DDIM;
    c.eta = d.eta;
    d.ddim = std::make_shared<models::DiffusionStepper>(*d.eps, n, c, d.seed);
}

// The shown tensor of one side: x after `frame` steps, or the x_0 predicted at that step (the
// last frame has no prediction of its own: its x is the result).
Tensor shown(const models::DiffusionStepper& s, int frame, bool x0) {
    const models::DiffusionFrame& f = s.frame(frame);
    return x0 && f.x0.defined() ? f.x0 : f.x;
}

void scatter(const char* id, const std::vector<float>& xy, ImVec2 size, ImU32 colour) {
    PlotSpec spec;
    spec.x0 = spec.y0 = -3.0;
    spec.x1 = spec.y1 = 3.0;
    spec.equal_aspect = true;
    const PlotArea a = begin_plot(id, size, spec);
    std::vector<ImVec2> pts;
    pts.reserve(xy.size() / 2);
    for (size_t i = 0; i + 1 < xy.size(); i += 2) pts.push_back(ImVec2(a.sx(xy[i]), a.sy(xy[i + 1])));
    draw_markers(ImGui::GetWindowDrawList(), pts.data(), static_cast<int>(pts.size()), 1.5f, colour);
    end_plot();
}

// Histogram of both sides' values at the shown frame (DDPM bars, DDIM outline) with N(0, 1).
void histogram(const std::vector<float>& a, const std::vector<float>& b, ImVec2 size) {
    constexpr int kBins = 48;
    constexpr double lo = -3.5, hi = 3.5, w = (hi - lo) / kBins;
    std::vector<double> ha(kBins, 0.0), hb(kBins, 0.0);
    auto fill = [&](const std::vector<float>& v, std::vector<double>& h) {
        for (float x : v) {
            const int k = static_cast<int>(std::floor((x - lo) / w));
            if (k >= 0 && k < kBins) h[k] += 1.0;
        }
        for (double& c : h) c /= std::max<size_t>(v.size(), 1) * w;
    };
    fill(a, ha);
    fill(b, hb);
    double top = 0.45;
    for (int k = 0; k < kBins; ++k) top = std::max({top, ha[k], hb[k]});
    PlotSpec spec;
    spec.x0 = lo;
    spec.x1 = hi;
    spec.y1 = top * 1.05;
    spec.x_label = "value of x_t";
    spec.y_label = "density";
    const PlotArea p = begin_plot("##xt_hist", size, spec);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    for (int k = 0; k < kBins; ++k) {
        const float x0 = p.sx(lo + k * w), x1 = p.sx(lo + (k + 1) * w);
        dl->AddRectFilled(ImVec2(x0, p.sy(ha[k])), ImVec2(x1 - 1.0f, p.sy(0.0)), theme::kSample);
    }
    // The outline after all the bars, so no neighbouring bar covers it.
    for (int k = 0; k < kBins; ++k) {
        const float x0 = p.sx(lo + k * w), x1 = p.sx(lo + (k + 1) * w);
        if (hb[k] > 0) dl->AddRect(ImVec2(x0, p.sy(hb[k])), ImVec2(x1 - 1.0f, p.sy(0.0)), theme::kSecondSample, 0.0f, 0, 1.5f);
    }
    std::vector<ImVec2> curve;
    for (int i = 0; i <= 100; ++i) {
        const double x = lo + (hi - lo) * i / 100.0;
        curve.push_back(ImVec2(p.sx(x), p.sy(std::exp(-0.5 * x * x) / std::sqrt(2.0 * M_PI))));
    }
    dl->AddPolyline(curve.data(), static_cast<int>(curve.size()), theme::kTheory, 0, 1.5f);
    end_plot();
}

void controls(DiffusionPanelState& d) {
    const float fs = ImGui::GetFontSize();
    const float w = fs * 9.0f;
    std::vector<std::string> names = {"digits"};
    for (const std::string& n : models::toy_names()) names.push_back(n);
    ImGui::SetNextItemWidth(w);
    if (ImGui::BeginCombo("Model", names[d.source].c_str())) {
        for (int i = 0; i < static_cast<int>(names.size()); ++i)
            if (ImGui::Selectable(names[i].c_str(), i == d.source)) d.source = i;
        ImGui::EndCombo();
    }
    tooltip("Digits: the class-conditional UNet. The others: the 2-D toy denoiser on that data set.");
    if (d.source == 0) {
        ImGui::SetNextItemWidth(w);
        ImGui::SliderInt("Class", &d.digit, 0, 10, d.digit == 10 ? "none" : "%d");
        tooltip("The digit asked for (10 = none: unconditional samples, guidance unused).");
        ImGui::SetNextItemWidth(w);
        ImGui::SliderFloat("Guidance", &d.guidance, 0.0f, 8.0f, "%.1f");
        tooltip("Classifier-free guidance g: eps = eps_u + g (eps_c - eps_u). 0 unconditional, 1 plain conditional, "
                "3 sharper digits of the class.");
        ImGui::SetNextItemWidth(w);
        ImGui::SliderInt("Digits", &d.n_digits, 1, 16);
        tooltip("Samples per sampler (1 to 16).");
    } else {
        ImGui::SetNextItemWidth(w);
        ImGui::SliderInt("Points", &d.n_points, 100, 4000);
        tooltip("Points per sampler (100 to 4000).");
    }
    ImGui::SetNextItemWidth(w);
    ImGui::SliderInt("Steps", &d.steps, 2, 200);
    tooltip("Sampler steps over the 1000 training timesteps (evenly spaced).");
    ImGui::SetNextItemWidth(w);
    ImGui::SliderFloat("DDIM eta", &d.eta, 0.0f, 1.0f, "%.2f");
    tooltip("The right-hand sampler's eta: 0 deterministic DDIM, 1 the same variance as DDPM.");
    ImGui::SetNextItemWidth(w);
    ImGui::SliderFloat("Temperature", &d.temperature, 0.0f, 1.5f, "%.2f");
    tooltip("Scales x_T and every step's noise (1 = the model's distribution).");
    ImGui::Checkbox("Cosine schedule", &d.cosine);
    tooltip("Cosine noise schedule (s = 0.008); off: linear betas 1e-4 .. 0.02.");
    int seed = static_cast<int>(d.seed);
    ImGui::SetNextItemWidth(w);
    if (ImGui::InputInt("Seed", &seed)) d.seed = static_cast<uint64_t>(std::max(0, seed));
    tooltip("One generator per side, both seeded with this: the same x_T, then each side's own noise.");
    ImGui::Separator();
    // At the last step there is nothing left to pause: the button plays the run again.
    const bool finished = d.ddpm && d.ddim && d.ddpm->done() && d.ddim->done();
    // One ID whatever the label ("###play"), so a click that spans the run's end is not lost.
    if (ImGui::Button(finished ? "Replay###play" : d.playing ? "Pause###play" : "Play###play")) {
        if (finished) {
            d.restart_requested = true;
            d.playing = true;
        } else {
            d.playing = !d.playing;
        }
        if (d.playing) d.scrub = -1;
    }
    tooltip(finished ? "Both samplers have reached x_0: start again from x_T and play."
                     : "Run the samplers (a bounded number of steps per frame) or hold them.");
    ImGui::SameLine();
    if (ImGui::Button("Step")) {
        d.playing = false;
        if (d.ddpm && !d.ddpm->done()) {
            d.ddpm->step();
            d.ddim->step();
        }
        d.scrub = -1;
    }
    tooltip("One step of both samplers.");
    ImGui::SameLine();
    if (ImGui::Button("Restart")) d.restart_requested = true;
    tooltip("Start again from x_T.");
    ImGui::SetNextItemWidth(w);
    ImGui::SliderInt("Steps/frame", &d.steps_per_frame, 1, 10);
    tooltip("How many sampler steps run per frame while playing: the bound that keeps the window responsive.");
    ImGui::Checkbox("Show predicted x_0", &d.show_x0);
    tooltip("Show the x_0 the model predicts at the shown step instead of x_t itself.");
}

}  // namespace

int diffusion_shown_frame(const DiffusionPanelState& d) {
    if (!d.ddpm || !d.ddim) return -1;
    const int last = std::min(d.ddpm->num_frames(), d.ddim->num_frames()) - 1;
    return d.scrub < 0 ? last : std::min(d.scrub, last);
}

void update_diffusion(DiffusionPanelState& d, const std::string& assets) {
    clamp_settings(d);
    d.steps_last_frame = 0;
    const std::string key = settings_key(d);
    try {
        if (key != d.built_key || d.restart_requested || !d.ddpm) {
            d.restart_requested = false;
            d.built_key = key;
            d.error.clear();
            rebuild(d, assets);
        }
        if (d.playing && d.scrub < 0) {
            for (int i = 0; i < d.steps_per_frame && !d.ddpm->done(); ++i) {
                d.ddpm->step();
                d.ddim->step();
                ++d.steps_last_frame;
            }
        }
    } catch (const std::exception& e) {
        d.error = e.what();
        d.ddpm.reset();
        d.ddim.reset();
    }
}

void draw_diffusion_panel(DiffusionPanelState& d) {
    const float fs = ImGui::GetFontSize();
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const float left = fs * 17.0f;
    ImGui::BeginChild("##diff_controls", ImVec2(left, avail.y), false);
    controls(d);
    ImGui::EndChild();
    ImGui::SameLine();
    ImGui::BeginChild("##diff_view", ImVec2(0, avail.y), false);
    if (!d.error.empty()) {
        ImGui::TextColored(theme::text_error(), "%s", d.error.c_str());
        ImGui::EndChild();
        return;
    }
    const int frame = diffusion_shown_frame(d);
    if (frame < 0) {
        ImGui::TextUnformatted("Loading...");
        ImGui::EndChild();
        return;
    }
    const int last = std::min(d.ddpm->num_frames(), d.ddim->num_frames()) - 1;
    int pos = frame;
    ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x - fs * 8.0f);
    if (ImGui::SliderInt("##scrub", &pos, 0, std::max(last, 0), "step %d")) {
        d.scrub = pos;
        d.playing = false;
    }
    tooltip("Scrub over the steps run so far (pauses). Play or Step returns to the latest.");
    ImGui::SameLine();
    const models::DiffusionFrame& f = d.ddpm->frame(frame);
    if (f.timestep >= 0) {
        ImGui::Text("t = %d", f.timestep);
    } else {
        ImGui::TextUnformatted("x_0: done");
    }
    tooltip("The training timestep (0..999) of the shown x_t; after the last step the sample is x_0.");
    ImGui::TextColored(theme::text_dim(), "step %d of %d   alpha_bar %.4f   %d step(s) this frame", frame, d.steps,
                       f.alpha_bar, d.steps_last_frame);

    const std::vector<float> a = models_draw::host_floats(shown(*d.ddpm, frame, d.show_x0));
    const std::vector<float> b = models_draw::host_floats(shown(*d.ddim, frame, d.show_x0));
    const float col_w = (ImGui::GetContentRegionAvail().x - fs) * 0.5f;
    const float hist_h = std::max(fs * 8.0f, ImGui::GetContentRegionAvail().y * 0.3f);
    const float view_h = std::max(fs * 6.0f, ImGui::GetContentRegionAvail().y - hist_h - fs * 3.0f);
    char title[64];
    for (int side = 0; side < 2; ++side) {
        if (side == 1) ImGui::SameLine(0.0f, fs);
        ImGui::BeginGroup();
        if (side == 0)
            ImGui::TextUnformatted("DDPM (ancestral)");
        else {
            std::snprintf(title, sizeof title, "DDIM (eta = %.2f)", d.eta);
            ImGui::TextUnformatted(title);
        }
        tooltip(side == 0 ? "Ancestral sampling: each step draws fresh noise from the posterior."
                          : "DDIM: eta = 0 follows the deterministic path from the same x_T.");
        const std::vector<float>& v = side == 0 ? a : b;
        if (d.source == 0) {
            const int cols = 4;
            const ImVec2 unit = models_draw::digits_size(d.n_digits, cols, 1.0f);
            const float cell = std::max(1.0f, std::floor(std::min(col_w / unit.x, view_h / unit.y)));
            models_draw::digits_grid(side == 0 ? "##ddpm" : "##ddim", v, d.n_digits, cols, cell, -1.0f, 1.0f);
        } else {
            const float s = std::min(col_w, view_h);
            scatter(side == 0 ? "##ddpm" : "##ddim", v, ImVec2(s, s), side == 0 ? theme::kSample : theme::kSecondSample);
        }
        ImGui::EndGroup();
    }
    ImGui::TextUnformatted(d.show_x0 ? "Histogram of predicted x_0 (DDPM blue bars, DDIM white outline, N(0,1) curve)"
                                     : "Histogram of x_t (DDPM blue bars, DDIM white outline, N(0,1) curve)");
    tooltip("At x_T both sides are the same N(0, 1) draw; the values move towards the data as the steps run.");
    // The histogram takes the height the grids left (whole-pixel digit scales leave some).
    histogram(a, b, ImVec2(ImGui::GetContentRegionAvail().x, std::max(hist_h, ImGui::GetContentRegionAvail().y)));
    ImGui::EndChild();
}

}  // namespace nl::gui
