// Lesson 16's simulator (compute only, no ImGui): a deep ReLU MLP (Linear without bias + ReLU,
// repeated) fed with x = randn(batch, width), its weights drawn with three scales, and the
// activations' statistics per layer: too small (std 0.01, the old "randn * 0.01" habit) makes
// them vanish, Kaiming (std = sqrt(2 / fan_in), torch.nn.init.kaiming_normal_ with
// nonlinearity='relu') keeps them stable, too large (std 1, raw torch.randn as weights) makes them
// explode. Computed with Noise Lab's own randn, matmul and relu.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace nl::gui::sims {

enum class InitScheme { TooSmall, Kaiming, TooLarge };
const char* init_scheme_name(InitScheme s);  // "std 0.01", "Kaiming", "std 1"
double init_weight_std(InitScheme s, int fan_in);

struct InitConfig {
    int layers = 10;   // 1..32
    int width = 256;   // 8..1024
    int batch = 256;   // 8..4096
    uint64_t seed = 0;
    void validate() const;  // ValueError naming the field and its range
};

// Histogram of log10|h| over the nonzero activations of one layer.
constexpr double kLogHistLo = -14.0, kLogHistHi = 14.0;
constexpr int kLogHistBins = 56;

struct LayerStats {
    double std = 0;         // over all activations of the layer (batch x width), zeros included
    double mean = 0;
    double frac_zero = 0;   // ReLU's exact zeros
    double max_abs = 0;
    std::vector<int> log_hist;  // kLogHistBins counts (values outside the range clamp to the ends)
    std::vector<int> lin_hist;  // 40 bins over [0, 4 * input std]: overflow counts in the last bin
};

struct InitResult {
    InitScheme scheme = InitScheme::Kaiming;
    double weight_std = 0;
    std::vector<LayerStats> layers;  // [0] = the input x, [l] = after layer l's ReLU
};

InitResult run_init(const InitConfig& cfg, InitScheme scheme);

}  // namespace nl::gui::sims
