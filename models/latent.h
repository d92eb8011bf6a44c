// Latent-space tools for the GAN and the VAE: seeded latents with temperature and truncation,
// lerp / slerp paths between two latents, the 2-D latent map of the VAE, and the digits sheet
// (shared/data/digits.png, and the held-out digits Noise Lab ships) as tensors for reconstructions.
#pragma once
#include <cstdint>
#include <string>

#include "tensor/generator.h"
#include "tensor/tensor.h"

namespace nl::models {

// n latents [n, dim] from N(0, I) scaled by `temperature`; with truncation > 0 every entry whose
// |z| exceeds it is redrawn (the truncation trick) until inside, before scaling. truncation 0 = off.
// Redraws are whole [n, dim] tensors drawn from `gen` in turn, so the result is a function of the
// generator's state. ValueError for temperature < 0 or truncation in (0, 0.05).
Tensor latents(int64_t n, int64_t dim, Generator& gen, double temperature = 1.0, double truncation = 0.0);

// `steps` points [steps, dim] from a to b (1-D, same size), both ends included: linear, or
// spherical (slerp on the angle between a and b, falling back to lerp when they are parallel).
Tensor interpolate(const Tensor& a, const Tensor& b, int64_t steps, bool slerp);

// The VAE's 2-D latent map: side*side points [side*side, 2] covering [-extent, extent]^2, row by
// row from the top (y decreasing) so a grid of the decoded images reads like a plot.
Tensor latent_grid(int64_t side, double extent = 2.5);

// The digits sheet as [5000, 1, 20, 20] float32 in [-1, 1] (labels: index / 500); held-out digits
// are indices 450..499 within each class, as in models/train/common.py.
Tensor load_digits_sheet(const std::string& path);
std::string default_digits_path();  // $NOISELAB_SHARED/data/digits.png or <source>/../shared/data/digits.png
// n held-out digits (cycling through the classes 0..9) and their labels.
Tensor heldout_digits(const Tensor& sheet, int64_t n, std::vector<int64_t>* labels = nullptr);
// The same n held-out digits from the copy Noise Lab ships (assets/digits_heldout.safetensors:
// 8-bit pixels and labels of all 500, giving back the sheet's exact values), so reconstructions
// work where shared/data/ is absent. IOError naming the file when it is missing or malformed.
Tensor shipped_heldout_digits(int64_t n, std::vector<int64_t>* labels = nullptr);

}  // namespace nl::models
