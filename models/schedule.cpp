// Noise schedules and the noise-level embedding (see schedule.h).
#include "models/schedule.h"

#include <cmath>
#include <cstring>

#include "tensor/errors.h"

namespace nl::models {

Schedule parse_schedule(const std::string& name) {
    if (name == "linear") return Schedule::Linear;
    if (name == "cosine") return Schedule::Cosine;
    throw ValueError("schedule '" + name + "' is not known; valid: linear, cosine");
}

const char* schedule_name(Schedule s) { return s == Schedule::Linear ? "linear" : "cosine"; }

std::vector<double> alpha_bar(Schedule s, int T) {
    if (T < 2) throw ValueError("diffusion T = " + std::to_string(T) + " must be >= 2");
    std::vector<double> ab(T);
    if (s == Schedule::Linear) {
        double prod = 1.0;
        for (int t = 0; t < T; ++t) {
            // numpy.linspace(1e-4, 0.02, T): start + t * step, the last point exactly the end
            const double beta = t == T - 1 ? 0.02 : 1e-4 + t * ((0.02 - 1e-4) / (T - 1));
            prod *= 1.0 - beta;
            ab[t] = prod;
        }
    } else {
        const double s0 = 0.008;
        auto f = [&](int t) {
            const double c = std::cos((static_cast<double>(t) / T + s0) / (1 + s0) * M_PI / 2);
            return c * c;
        };
        const double f0 = f(0);
        for (int t = 0; t < T; ++t) ab[t] = std::min(1.0, std::max(1e-5, f(t + 1) / f0));
    }
    return ab;
}

std::vector<int> timesteps(int steps, int T) {
    if (steps < 1 || steps > T)
        throw ValueError("steps = " + std::to_string(steps) + " is out of range; valid: 1 to " + std::to_string(T));
    std::vector<int> ts(steps);
    for (int i = 0; i < steps; ++i) {
        const double v = steps == 1 ? T - 1.0 : (T - 1.0) - i * ((T - 1.0) / (steps - 1));
        ts[i] = static_cast<int>(std::nearbyint(v));  // round half to even, as numpy
    }
    return ts;
}

Tensor noise_level_embedding(const Tensor& alpha_bar_in, int dim) {
    if (alpha_bar_in.dim() != 1) throw ShapeError("noise level embedding: alpha_bar must be 1-D, got " + shape_str(alpha_bar_in.shape()));
    const Tensor ab = alpha_bar_in.to(DType::Float32).cpu().contiguous();
    const int64_t B = ab.numel();
    const int half = dim / 2;
    std::vector<float> freqs(half);
    const float c = static_cast<float>(-std::log(1000.0));
    for (int i = 0; i < half; ++i) freqs[i] = std::exp((c * static_cast<float>(i)) / static_cast<float>(half));
    Tensor out = Tensor::empty({B, dim});
    const float* a = ab.data<float>();
    float* o = out.data<float>();
    for (int64_t b = 0; b < B; ++b) {
        // A sampler's batch shares one noise level: rows equal to the previous one are copied
        // (same bits) instead of evaluating 2 * half sines and cosines again.
        if (b > 0 && std::memcmp(&a[b], &a[b - 1], sizeof(float)) == 0) {
            std::memcpy(o + b * dim, o + (b - 1) * dim, sizeof(float) * static_cast<size_t>(dim));
            continue;
        }
        const float lsnr = std::log(a[b]) - std::log1p(-a[b]);
        const float scaled = lsnr * 25.0f;
        for (int i = 0; i < half; ++i) {
            const float arg = scaled * freqs[i];
            o[b * dim + i] = std::sin(arg);
            o[b * dim + half + i] = std::cos(arg);
        }
    }
    return out.to(alpha_bar_in.device());
}

}  // namespace nl::models
