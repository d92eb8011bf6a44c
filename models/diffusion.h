// Diffusion sampling: epsilon-prediction models behind one interface, the DDPM (ancestral) and
// DDIM (eta) updates, and DiffusionStepper, an object that runs a sampler one step at a time and
// keeps every step's x_t and predicted x_0, so the GUI can play, pause and scrub a trajectory and
// the command line can draw it.
//
// Conventions: the sampler visits `steps` timesteps T-1 .. 0 of the T = 1000 training schedule
// (schedule.h timesteps()); x_T = temperature * N(0, I), and every stochastic update adds
// temperature * sigma_t * N(0, I). All noise comes from one nl::Generator seeded by the caller, in
// a fixed order (x_T first, then one draw of x's shape per stochastic step), so a seed fixes the
// whole trajectory on any machine.
#pragma once
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "models/nets.h"
#include "models/schedule.h"
#include "tensor/generator.h"
#include "tensor/tensor.h"

namespace nl::models {

// An epsilon-prediction model with its condition bound: eps(x_t, alpha_bar [B]).
class EpsModel {
public:
    virtual ~EpsModel() = default;
    virtual Tensor eps(const Tensor& x, const Tensor& alpha_bar) const = 0;
    // The shape of one sample ([2] or [1, 20, 20]).
    virtual Shape sample_shape() const = 0;
    // Whether predicted x_0 is clipped to [-1, 1] (images) or left free (2-D points).
    virtual bool clip_x0() const = 0;
};

// The toy denoiser conditioned on one data set (index into kToyNames).
class ToyEps : public EpsModel {
public:
    ToyEps(const Toy2DNet& net, int dataset) : net_(net), dataset_(dataset) {}
    Tensor eps(const Tensor& x, const Tensor& alpha_bar) const override;
    Shape sample_shape() const override { return {2}; }
    bool clip_x0() const override { return false; }

private:
    const Toy2DNet& net_;
    int dataset_;
};

// The digits UNet with classifier-free guidance: eps = eps_u + g (eps_c - eps_u), one batched
// forward pass over the conditional and unconditional halves. labels[i] in 0..9, or 10 for
// unconditional samples (then guidance is not applied). g = 1 is plain conditional sampling,
// g = 0 unconditional.
class DigitsEps : public EpsModel {
public:
    DigitsEps(const DigitsUNet& net, std::vector<int64_t> labels, double guidance);
    Tensor eps(const Tensor& x, const Tensor& alpha_bar) const override;
    Shape sample_shape() const override { return {1, 20, 20}; }
    bool clip_x0() const override { return true; }

private:
    const DigitsUNet& net_;
    std::vector<int64_t> labels_;
    double guidance_;
};

enum class SamplerKind { DDPM, DDIM };
SamplerKind parse_sampler(const std::string& name);  // "ddpm", "ddim"; ValueError otherwise
const char* sampler_name(SamplerKind k);

struct SamplerConfig {
    SamplerKind sampler = SamplerKind::DDIM;
    Schedule schedule = Schedule::Cosine;
    int steps = 50;            // 1..1000
    double eta = 0.0;          // DDIM only: 0 deterministic, 1 = DDPM's variance
    double temperature = 1.0;  // scales x_T and the per-step noise; >= 0
    Device device = Device::cpu();  // where x_t lives and the noise is drawn (the model's device)
    void validate() const;     // ValueError naming the bad field and its range
};

// One frame of a trajectory: the state after `index` steps.
struct DiffusionFrame {
    int index = 0;            // 0 = x_T before any step
    int timestep = 0;         // the training timestep t this frame's x is at (-1 after the last)
    double alpha_bar = 0.0;   // alpha_bar of that t (1 after the last step)
    Tensor x;                 // x_t [n, ...]
    Tensor x0;                // predicted x_0 made at this frame's step (undefined for the last)
};

class DiffusionStepper {
public:
    // n samples of model.sample_shape(); seeds the generator and draws x_T.
    DiffusionStepper(const EpsModel& model, int64_t n, const SamplerConfig& config, uint64_t seed);

    int num_steps() const { return config_.steps; }
    int steps_done() const { return done_steps_; }
    bool done() const { return steps_done() >= config_.steps; }
    // Runs the next step (no-op when done); returns the new frame.
    const DiffusionFrame& step();
    // Runs to the end, calling progress(done, total) after each step if given.
    const Tensor& run(const std::function<void(int, int)>& progress = {});
    // The current x (x_0 once done) and the latest predicted x_0 (undefined before the first step).
    const Tensor& x() const { return frames_.back().x; }
    const Tensor& x0_pred() const { return last_x0_; }
    // Frames 0..steps_done() for scrubbing (frame(i).x is x after i steps); ShapeError if out of range.
    const DiffusionFrame& frame(int i) const;
    int num_frames() const { return static_cast<int>(frames_.size()); }
    // Keep only the latest frame (long runs that need no trajectory): saves memory.
    void set_keep_history(bool keep) { keep_history_ = keep; }
    const SamplerConfig& config() const { return config_; }

private:
    const EpsModel& model_;
    SamplerConfig config_;
    Generator gen_;
    std::vector<double> ab_;
    std::vector<int> ts_;
    std::vector<DiffusionFrame> frames_;
    bool keep_history_ = true;
    int done_steps_ = 0;
    Tensor last_x0_;
};

// Convenience: run a whole sampler and return x_0.
Tensor diffusion_sample(const EpsModel& model, int64_t n, const SamplerConfig& config, uint64_t seed,
                        const std::function<void(int, int)>& progress = {});

}  // namespace nl::models
