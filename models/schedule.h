// Noise schedules of the diffusion models (T = 1000 training steps) and the noise-level embedding
// the denoisers are conditioned on. Mirrors models/train/common.py: the networks see the
// sinusoidal embedding of log(alpha_bar / (1 - alpha_bar)), so one network serves both schedules.
#pragma once
#include <string>
#include <vector>

#include "tensor/tensor.h"

namespace nl::models {

constexpr int kDiffusionT = 1000;

enum class Schedule { Linear, Cosine };
Schedule parse_schedule(const std::string& name);  // "linear", "cosine"; ValueError otherwise
const char* schedule_name(Schedule s);

// alpha_bar[t] for t = 0..T-1 (float64): linear betas 1e-4..0.02, or the cosine schedule (s =
// 0.008, clipped to [1e-5, 1]), exactly as common.py computes them.
std::vector<double> alpha_bar(Schedule s, int T = kDiffusionT);

// The sampler's timesteps: T-1 .. 0 in `steps` evenly spaced, rounded (numpy's linspace + round,
// half to even). steps in [1, T]; ValueError otherwise.
std::vector<int> timesteps(int steps, int T = kDiffusionT);

// [B] float32 alpha_bar -> [B, dim] float32 embedding (sin half, cos half), computed in float32 in
// the same order as PyTorch so the forward passes match the golden outputs.
Tensor noise_level_embedding(const Tensor& alpha_bar, int dim = 32);

}  // namespace nl::models
