// Lesson 16's simulator: activation statistics of a deep ReLU MLP per initialisation scale.
#include "gui/lessons/sims/init_depth.h"

#include <algorithm>
#include <cmath>

#include "gui/lessons/sims/param_range.h"
#include "tensor/errors.h"
#include "tensor/generator.h"
#include "tensor/ops.h"
#include "tensor/random.h"

namespace nl::gui::sims {

namespace {

// The bin of x (a position already scaled to bins) clamped to [0, bins - 1] BEFORE the cast to
// int: exploding activations reach 1e9 and beyond (and inf after enough layers), which no int
// holds; NaN goes to the last bin with the other non-finite values.
size_t clamped_bin(double x, int bins) {
    if (x < 0) return 0;
    if (!(x < bins - 1)) return static_cast<size_t>(bins - 1);
    return static_cast<size_t>(x);
}

LayerStats stats_of(const Tensor& h) {
    LayerStats s;
    const Tensor c = h.contiguous();
    const float* p = c.data<float>();
    const int64_t n = c.numel();
    double sum = 0, sq = 0;
    int64_t zeros = 0;
    s.log_hist.assign(kLogHistBins, 0);
    s.lin_hist.assign(40, 0);
    for (int64_t i = 0; i < n; ++i) {
        const double v = p[i];
        sum += v;
        sq += v * v;
        s.max_abs = std::max(s.max_abs, std::fabs(v));
        if (v == 0.0) {
            ++zeros;
            continue;
        }
        const double lg = std::log10(std::fabs(v));
        ++s.log_hist[clamped_bin(std::floor((lg - kLogHistLo) / (kLogHistHi - kLogHistLo) * kLogHistBins), kLogHistBins)];
        ++s.lin_hist[clamped_bin(std::floor(std::fabs(v) / 4.0 * 40), 40)];  // input std is 1
    }
    s.mean = sum / static_cast<double>(n);
    s.std = std::sqrt(std::max(0.0, sq / static_cast<double>(n) - s.mean * s.mean));
    s.frac_zero = static_cast<double>(zeros) / static_cast<double>(n);
    return s;
}

}  // namespace

const char* init_scheme_name(InitScheme s) {
    switch (s) {
        case InitScheme::TooSmall: return "too small (std 0.01)";
        case InitScheme::Kaiming: return "Kaiming (std sqrt(2/fan_in))";
        case InitScheme::TooLarge: return "too large (std 1)";
    }
    return "?";
}

double init_weight_std(InitScheme s, int fan_in) {
    switch (s) {
        case InitScheme::TooSmall: return 0.01;
        case InitScheme::Kaiming: return std::sqrt(2.0 / fan_in);
        case InitScheme::TooLarge: return 1.0;
    }
    return 0;
}

void InitConfig::validate() const {
    check_int_range("init", "layers", layers, 1, 32);
    check_int_range("init", "width", width, 8, 1024);
    check_int_range("init", "batch", batch, 8, 4096);
}

InitResult run_init(const InitConfig& cfg, InitScheme scheme) {
    cfg.validate();
    InitResult r;
    r.scheme = scheme;
    r.weight_std = init_weight_std(scheme, cfg.width);
    // One generator for the whole experiment, in PyTorch's order: the model's weights are made
    // first (layer by layer), then the input batch. Every scheme uses the same seed, so the three
    // networks differ only in scale: W_l = std * randn(width, width).
    Generator g(cfg.seed);
    std::vector<Tensor> w;
    for (int l = 0; l < cfg.layers; ++l) w.push_back(randn({cfg.width, cfg.width}, {}, &g) * r.weight_std);
    Tensor h = randn({cfg.batch, cfg.width}, {}, &g);
    r.layers.push_back(stats_of(h));
    for (int l = 0; l < cfg.layers; ++l) {
        h = relu(linear(h, w[static_cast<size_t>(l)]));  // h W^T, as nn.Linear(bias=False)
        r.layers.push_back(stats_of(h));
    }
    return r;
}

}  // namespace nl::gui::sims
