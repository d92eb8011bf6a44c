// Lesson 8's experiment (compute only, no ImGui): the noise tensors the chapter names -- a VAE
// latent [32, 128], diffusion noise [32, 3, 64, 64], a GAN latent [32, 100] -- drawn with
// torch.randn semantics from one seeded generator, and the same kind of noise fed to Noise Lab's
// tiny models (models/): the digits VAE decoder (16-dim latent), the digits diffusion UNet (DDIM
// from x_T = randn(n, 1, 20, 20), one step at a time) and the digits GAN generator when its weight
// file is shipped (it is not in this round: then the lesson says so and shows only z).
#pragma once
#include <cstdint>
#include <memory>
#include <string>

#include "tensor/tensor.h"

namespace nl::gui::sims {

// The chapter's three noise tensors, drawn in this order from Generator(seed).
struct ChapterNoise {
    Tensor vae_z;       // [32, 128]
    Tensor diffusion;   // [32, 3, 64, 64]
    Tensor gan_z;       // [32, 100]
};
ChapterNoise chapter_noise(uint64_t seed);

// A model's output or why there is none (missing or unreadable weight file).
struct ModelImages {
    bool available = false;
    std::string missing;  // "assets/digits_gan.safetensors not found (...)"
    std::string file;     // the weight file used or looked for
    Tensor z;             // the noise fed in
    Tensor images;        // [n, 1, 20, 20] in [0, 1] for display
};
// z = randn(n, 16) from Generator(seed), decoded by digits_vae16.safetensors.
ModelImages vae_samples(int64_t n, uint64_t seed);
// z = randn(n, 64) (the generator's z_dim) from Generator(seed), labels i % 10, through
// digits_gan.safetensors when that file exists.
ModelImages gan_samples(int64_t n, uint64_t seed);

// The digits diffusion model run as DDIM from x_T = randn(n, 1, 20, 20), one step per call.
class DiffusionRun {
public:
    // steps 1..200; labels i % 10, guidance 2. Throws IOError when the weights are missing.
    DiffusionRun(int64_t n, int steps, uint64_t seed);
    ~DiffusionRun();
    bool done() const;
    int steps_done() const;
    int steps() const;
    void step();                  // one DDIM step (no-op when done)
    Tensor x_T() const;           // the starting noise [n, 1, 20, 20]
    Tensor current01() const;     // the current x (predicted x_0 while running) mapped to [0, 1]

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace nl::gui::sims
