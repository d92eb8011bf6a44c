// Lesson 8's experiment: the chapter's noise tensors and the tiny models fed with noise (genmodels.h).
#include "gui/lessons/sims/genmodels.h"

#include <filesystem>
#include <vector>

#include "models/diffusion.h"
#include "models/nets.h"
#include "models/weights.h"
#include "tensor/errors.h"
#include "tensor/generator.h"
#include "tensor/ops.h"
#include "tensor/random.h"

namespace nl::gui::sims {

ChapterNoise chapter_noise(uint64_t seed) {
    Generator g(seed);
    ChapterNoise c;
    c.vae_z = randn({32, 128}, {}, &g);
    c.diffusion = randn({32, 3, 64, 64}, {}, &g);
    c.gan_z = randn({32, 100}, {}, &g);
    return c;
}

namespace {

std::vector<int64_t> cycle_labels(int64_t n) {
    std::vector<int64_t> l;
    for (int64_t i = 0; i < n; ++i) l.push_back(i % 10);
    return l;
}

Tensor label_tensor(int64_t n) {
    Tensor t = empty({n}, {DType::Int64});
    for (int64_t i = 0; i < n; ++i) t.data<int64_t>()[i] = i % 10;
    return t;
}

}  // namespace

ModelImages vae_samples(int64_t n, uint64_t seed) {
    ModelImages r;
    r.file = models::asset_path("digits_vae16.safetensors");
    if (!std::filesystem::exists(r.file)) {
        r.missing = r.file + " not found";
        return r;
    }
    try {
        models::DigitsVAE vae(models::Weights::load(r.file));
        Generator g(seed);
        r.z = randn({n, vae.z_dim()}, {}, &g);
        r.images = vae.decode(r.z);
        r.available = true;
    } catch (const Error& e) {
        r.missing = e.what();
    }
    return r;
}

ModelImages gan_samples(int64_t n, uint64_t seed) {
    ModelImages r;
    r.file = models::asset_path("digits_gan.safetensors");
    if (!std::filesystem::exists(r.file)) {
        r.missing = r.file + " is missing (it ships in assets/; see assets/MODELS_PROVENANCE.md)";
        Generator g(seed);
        r.z = randn({n, 64}, {}, &g);  // DigitsGenerator's default z_dim: what it would be fed
        return r;
    }
    try {
        models::DigitsGenerator G(models::Weights::load(r.file));
        Generator g(seed);
        r.z = randn({n, G.z_dim()}, {}, &g);
        r.images = (G.forward(r.z, label_tensor(n)) + 1.0) * 0.5;  // [-1, 1] -> [0, 1]
        r.available = true;
    } catch (const Error& e) {
        r.missing = e.what();
    }
    return r;
}

struct DiffusionRun::Impl {
    models::DigitsUNet net;
    models::DigitsEps eps;
    models::DiffusionStepper stepper;
    Impl(int64_t n, int steps, uint64_t seed)
        : net(models::Weights::load(models::asset_path("digits_diffusion.safetensors"))),
          eps(net, cycle_labels(n), 2.0),
          stepper(eps, n, config(steps), seed) {
        stepper.set_keep_history(false);
    }
    static models::SamplerConfig config(int steps) {
        models::SamplerConfig c;
        c.sampler = models::SamplerKind::DDIM;
        c.steps = steps;
        return c;
    }
    Tensor x_T;
};

DiffusionRun::DiffusionRun(int64_t n, int steps, uint64_t seed) {
    if (steps < 1 || steps > 200) throw ValueError("diffusion: steps = " + std::to_string(steps) + " must be in [1, 200]");
    impl_ = std::make_unique<Impl>(n, steps, seed);
    impl_->x_T = impl_->stepper.x().clone();
}
DiffusionRun::~DiffusionRun() = default;
bool DiffusionRun::done() const { return impl_->stepper.done(); }
int DiffusionRun::steps_done() const { return impl_->stepper.steps_done(); }
int DiffusionRun::steps() const { return impl_->stepper.num_steps(); }
void DiffusionRun::step() {
    if (!done()) impl_->stepper.step();
}
Tensor DiffusionRun::x_T() const { return impl_->x_T; }
Tensor DiffusionRun::current01() const {
    const Tensor& x = done() || !impl_->stepper.x0_pred().defined() ? impl_->stepper.x() : impl_->stepper.x0_pred();
    return clamp((x.cpu() + 1.0) * 0.5, Scalar(0.0), Scalar(1.0));
}

}  // namespace nl::gui::sims
